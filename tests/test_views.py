"""Views too large to build are refused up front, with a reason a user can act on."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from defus_graph.cli import main
from defus_graph.graph import views
from defus_graph.graph.bipartite import graph_from_dataset
from defus_graph.graph.views import ViewTooLarge, projection_pairs, view_graph
from defus_graph.store.tables import load_dataset

ROOT = Path(__file__).resolve().parent.parent


@st.composite
def _bipartite(draw: st.DrawFn) -> nx.Graph:
    projects, orgs = draw(st.integers(1, 8)), draw(st.integers(1, 10))
    g = nx.Graph()
    g.add_nodes_from((f"project:P{i}", {"bipartite": 0}) for i in range(projects))
    g.add_nodes_from((f"org:O{j}", {"bipartite": 1}) for j in range(orgs))
    pairs = draw(st.sets(st.tuples(st.integers(0, projects - 1), st.integers(0, orgs - 1))))
    g.add_edges_from((f"project:P{i}", f"org:O{j}") for i, j in pairs)
    return g


@given(g=_bipartite(), view=st.sampled_from(["orgs", "projects"]))
@settings(max_examples=80, deadline=None)
def test_the_bound_is_never_below_the_links_built(g: nx.Graph, view: str) -> None:
    assert view_graph(g, view).number_of_edges() <= projection_pairs(g, view)


def test_a_projection_over_the_limit_is_refused_with_what_to_do() -> None:
    g = graph_from_dataset(load_dataset(ROOT / "data"))
    pairs = projection_pairs(g, "projects")
    assert view_graph(g, "projects", limit=pairs).number_of_nodes() > 0
    with pytest.raises(ViewTooLarge) as refused:
        view_graph(g, "projects", limit=pairs - 1)
    message = str(refused.value)
    assert f"up to {pairs:,} links" in message and "Filter the data first" in message
    assert view_graph(g, "bipartite", limit=0) is g


def test_the_cli_says_why_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(views, "PROJECTION_LIMIT", 3)
    out = tmp_path / "projects.gexf"
    status = main(
        [
            "--data",
            str(ROOT / "data"),
            "export",
            "--format",
            "gexf",
            "--view",
            "projects",
            "-o",
            str(out),
        ]
    )
    assert status == 1
    assert "the project network of these" in capsys.readouterr().err
    assert not out.exists()


def test_filtering_keeps_the_graph_s_order_whatever_the_hash_seed() -> None:
    script = (
        "from pathlib import Path\n"
        "from defus_graph.graph.bipartite import graph_from_dataset\n"
        "from defus_graph.store.tables import load_dataset\n"
        "from defus_graph.graph.views import Filters, filter_graph\n"
        "g = graph_from_dataset(load_dataset(Path('data')))\n"
        "h = filter_graph(g, Filters(shared_only=True))\n"
        "print(list(h.nodes)); print(list(h.edges))\n"
    )
    runs = {
        subprocess.run(
            [sys.executable, "-c", script],
            cwd=ROOT,
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2", "3")
    }
    assert len(runs) == 1


def _copy_as_filtered(g: nx.Graph) -> nx.Graph:
    """What filtering with no filter built before it could hand back the graph itself."""
    keep = {
        n
        for n, d in g.nodes(data=True)
        if d.get("bipartite") == 0 or any(g.nodes[m].get("bipartite") == 0 for m in g[n])
    }
    kept = nx.Graph()
    kept.graph.update(g.graph)
    kept.add_nodes_from((n, d) for n, d in g.nodes(data=True) if n in keep)
    kept.add_edges_from((u, v, d) for u, v, d in g.edges(data=True) if u in keep and v in keep)
    return kept


@st.composite
def _shuffled_bipartite(draw: st.DrawFn) -> nx.Graph:
    """Projects first, then organisations, links in any order, some organisations alone."""
    projects, orgs = draw(st.integers(0, 6)), draw(st.integers(0, 8))
    g = nx.Graph(name="g")
    g.add_nodes_from((f"project:P{i}", {"bipartite": 0, "n": i}) for i in range(projects))
    g.add_nodes_from((f"org:O{j}", {"bipartite": 1}) for j in range(orgs))
    if projects and orgs:
        pairs = draw(
            st.lists(st.tuples(st.integers(0, projects - 1), st.integers(0, orgs - 1)), unique=True)
        )
        g.add_edges_from((f"project:P{i}", f"org:O{j}", {"role": "partner"}) for i, j in pairs)
    return g


@given(g=_shuffled_bipartite())
@settings(max_examples=150, deadline=None)
def test_no_filter_gives_the_graph_itself_only_when_a_copy_would_equal_it(g: nx.Graph) -> None:
    shown = views.filter_graph(g, views.Filters())
    copy = _copy_as_filtered(g)
    assert list(shown.nodes(data=True)) == list(copy.nodes(data=True))
    assert list(shown.edges(data=True)) == list(copy.edges(data=True))
    assert all(list(shown[n]) == list(copy[n]) for n in copy)
    assert shown.graph == copy.graph


def test_exporting_everything_does_not_copy_the_graph(graph: nx.Graph) -> None:
    assert views.filter_graph(graph, views.Filters()) is graph
