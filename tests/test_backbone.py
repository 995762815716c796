"""The disparity backbone agrees with the filter computed link by link."""

from __future__ import annotations

import string
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from defus_graph.cli import main
from defus_graph.draw.layout import layout_positions
from defus_graph.export import export_bytes, write_export
from defus_graph.graph import views
from defus_graph.graph.backbone import backbone_graph, disparity_backbone, disparity_significance
from defus_graph.graph.bipartite import (
    graph_from_dataset,
    organisation_projection,
    projection_matrix,
)
from defus_graph.graph.views import ViewTooLarge, backbone_view, projection_pairs, view_graph
from defus_graph.model import Dataset, Organisation, Participation, Project
from defus_graph.names.places import place_organisations, with_coordinates


def direct_backbone(g: nx.Graph, alpha: float) -> set[frozenset[str]]:
    """Serrano et al.'s rule written out for each link: kept if significant for either end,
    or if either end has only this link."""
    kept = set()
    for u, v, w in g.edges(data="weight"):
        significant = False
        for end in (u, v):
            k = g.degree(end)
            s = sum(d for _, _, d in g.edges(end, data="weight"))
            if k == 1 or (1 - w / s) ** (k - 1) < alpha:
                significant = True
        if significant:
            kept.add(frozenset((u, v)))
    return kept


@st.composite
def weighted_graphs(draw: st.DrawFn) -> nx.Graph:
    n = draw(st.integers(2, 9))
    pairs = [(i, j) for i in range(n) for j in range(i + 1, n)]
    chosen = draw(st.lists(st.sampled_from(pairs), unique=True, max_size=len(pairs)))
    g = nx.Graph()
    g.add_nodes_from(f"n{i}" for i in range(n))
    for i, j in chosen:
        g.add_edge(f"n{i}", f"n{j}", weight=draw(st.integers(1, 20)))
    return g


alphas = st.sampled_from([0.01, 0.05, 0.1, 0.2, 0.3, 0.5, 0.8, 1.0])


@settings(max_examples=200, deadline=None)
@given(weighted_graphs(), alphas)
def test_graph_backbone_agrees_with_the_direct_computation(g: nx.Graph, alpha: float) -> None:
    found = backbone_graph(g, alpha=alpha)
    assert {frozenset(e) for e in found.edges} == direct_backbone(g, alpha)
    assert set(found.nodes) == set(g.nodes)  # nodes are never removed
    for u, v in found.edges:
        assert found.edges[u, v]["weight"] == g.edges[u, v]["weight"]


@settings(max_examples=200, deadline=None)
@given(weighted_graphs(), alphas)
def test_matrix_backbone_agrees_with_the_direct_computation(g: nx.Graph, alpha: float) -> None:
    nodes = list(g)
    matrix = sp.csr_array(nx.to_scipy_sparse_array(g, nodelist=nodes, weight="weight"))
    kept = disparity_backbone(matrix, alpha=alpha)
    assert (kept != kept.T).nnz == 0  # symmetric
    upper = sp.coo_array(sp.triu(kept, k=1))
    found = {frozenset((nodes[i], nodes[j])) for i, j in zip(upper.row, upper.col, strict=True)}
    assert found == direct_backbone(g, alpha)
    for i, j, w in zip(upper.row, upper.col, upper.data, strict=True):
        assert w == g.edges[nodes[i], nodes[j]]["weight"]


def test_a_strong_tie_of_a_hub_is_kept_and_its_weak_ties_are_not() -> None:
    g = nx.Graph()
    g.add_edge("hub", "partner", weight=30)
    for i in range(10):
        g.add_edge("hub", f"weak{i}", weight=1)
        g.add_edge(f"weak{i}", f"weak{(i + 1) % 10}", weight=1)
    kept = backbone_graph(g, alpha=0.05)
    assert set(kept.edges) == {("hub", "partner")}


def test_the_only_link_of_a_node_is_kept() -> None:
    g = nx.Graph([("a", "b", {"weight": 1}), ("b", "c", {"weight": 50})])
    g.add_edge("b", "d", weight=50)
    # For b, a's link is insignificant, but a has no other link: it stays.
    assert ("a", "b") in backbone_graph(g, alpha=0.01).edges


def test_significance_is_the_smaller_of_the_ends() -> None:
    # b (k=2, s=4): link a-b has share 3/4 -> (1/4)^1; a has k=1 -> 0.
    matrix = sp.csr_array(np.array([[0, 3, 0], [3, 0, 1], [0, 1, 0]]))
    rows, cols, sig = disparity_significance(matrix)
    assert list(zip(rows.tolist(), cols.tolist(), strict=True)) == [(0, 1), (1, 2)]
    assert sig.tolist() == [0.0, 0.0]  # both a and c have one link
    matrix = sp.csr_array(
        np.array([[0, 3, 1, 0], [3, 0, 1, 0], [1, 1, 0, 1], [0, 0, 1, 0]], dtype=float)
    )
    _, _, sig = disparity_significance(matrix)
    # a-b: a has k=2, s=4, share 3/4 -> 0.25; b the same.
    assert sig[0] == pytest.approx(0.25)


@pytest.mark.parametrize("alpha", [0, -0.1, 1.5, float("nan")])
def test_a_level_outside_0_to_1_is_refused(alpha: float) -> None:
    with pytest.raises(ValueError, match="significance level"):
        backbone_graph(nx.Graph(), alpha=alpha)
    with pytest.raises(ValueError, match="significance level"):
        disparity_backbone(sp.csr_array((2, 2)), alpha=alpha)


def test_the_bundled_projection_gives_the_same_backbone_both_ways(graph: nx.Graph) -> None:
    g = graph
    proj = organisation_projection(g)
    wm = projection_matrix(g)
    kept = sp.coo_array(sp.triu(disparity_backbone(wm.weights, alpha=0.3), k=1))
    by_matrix = {
        frozenset((wm.nodes[i], wm.nodes[j])) for i, j in zip(kept.row, kept.col, strict=True)
    }
    by_graph = {frozenset(e) for e in backbone_graph(proj, alpha=0.3).edges}
    assert by_matrix == by_graph == direct_backbone(proj, 0.3)
    assert 0 < len(by_graph) < proj.number_of_edges()


def test_export_backbone_writes_the_kept_links(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], graph: nx.Graph
) -> None:
    out = tmp_path / "orgs.graphml"
    assert main(["export", "--format", "graphml", "--view", "orgs", "--backbone", "0.3",
                 "-o", str(out)]) == 0  # fmt: skip
    written = nx.read_graphml(out)
    expected = backbone_graph(organisation_projection(graph), alpha=0.3)
    assert {frozenset(e) for e in written.edges} == {frozenset(e) for e in expected.edges}
    assert written.number_of_nodes() == expected.number_of_nodes()
    err = capsys.readouterr().err
    assert f"kept {expected.number_of_edges()} of " in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--view", "bipartite", "--backbone", "0.05"], "--view orgs"),
        (["--view", "orgs", "--backbone", "0"], "above 0 and at most 1"),
        (["--view", "projects", "--backbone", "2"], "above 0 and at most 1"),
    ],
)
def test_export_backbone_refuses_what_it_cannot_do(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    out = tmp_path / "x.gexf"
    # Options that cannot work are a mistake in the command line: argparse's status 2.
    try:
        status = main(["export", "--format", "gexf", *args, "-o", str(out)])
    except SystemExit as stop:
        status = stop.code
    assert status == 2
    assert message in capsys.readouterr().err
    assert not out.exists()


_names = st.text(string.ascii_letters + "äü'<& -", min_size=1, max_size=5)


@st.composite
def dated_datasets(draw: st.DrawFn) -> Dataset:
    """Small datasets whose projects have open, partial and month dates (so spells arise)."""
    acronyms = draw(st.lists(_names, min_size=1, max_size=9, unique=True))
    orgs = draw(st.lists(_names, min_size=1, max_size=10, unique=True))
    projects = []
    for a in acronyms:
        first = draw(st.integers(2010, 2020))
        last = first + draw(st.integers(0, 3))
        dated = draw(st.sampled_from(["both", "start", "end", "none"]))
        projects.append(
            Project(
                a,
                start=f"{first}-0{draw(st.integers(1, 9))}" if dated in ("both", "start") else "",
                end=str(last) if dated in ("both", "end") else "",
            )
        )
    pairs = draw(st.lists(st.tuples(st.sampled_from(acronyms), st.sampled_from(orgs)), unique=True))
    return Dataset(
        projects=tuple(projects),
        organisations=tuple(Organisation(o) for o in orgs),
        participations=tuple(Participation(p, o, "partner") for p, o in pairs),
    )


def _laid_out(g: nx.Graph) -> tuple[list[Any], list[Any], dict[str, Any]]:
    """Everything a writer can see of a graph, in the order it sees it."""
    return list(g.nodes(data=True)), list(g.edges(data=True)), dict(g.graph)


@settings(max_examples=200, deadline=None)
@given(dated_datasets(), st.sampled_from(["orgs", "projects"]), alphas)
def test_the_sparse_backbone_route_builds_the_same_graph_as_filtering_the_whole_projection(
    ds: Dataset, view: str, alpha: float
) -> None:
    g = graph_from_dataset(ds)
    whole = view_graph(g, view)
    expected = backbone_graph(whole, alpha=alpha)
    found, total = backbone_view(g, view, alpha=alpha)
    assert _laid_out(found) == _laid_out(expected)
    assert total == whole.number_of_edges()
    assert export_bytes(found, "gexf") == export_bytes(expected, "gexf")


def test_a_backbone_too_large_to_build_is_refused_by_its_kept_links(graph: nx.Graph) -> None:
    kept, total = backbone_view(graph, "orgs", alpha=0.3)
    assert backbone_view(graph, "orgs", alpha=0.3, limit=kept.number_of_edges())[0].edges
    with pytest.raises(ViewTooLarge, match=rf"keeps {kept.number_of_edges()} of {total} links"):
        backbone_view(graph, "orgs", alpha=0.3, limit=kept.number_of_edges() - 1)
    # The whole projection is over that limit; its backbone is not.
    with pytest.raises(ViewTooLarge):
        view_graph(graph, "orgs", limit=kept.number_of_edges())


def test_a_graph_that_is_not_cleanly_bipartite_takes_the_whole_route() -> None:
    g = nx.Graph()
    g.add_node("project:A", bipartite=0, label="A")
    g.add_node("project:B", bipartite=0, label="B")
    for o in ("x", "y", "z"):
        g.add_node(f"org:{o}", bipartite=1, label=o)
        g.add_edge("project:A", f"org:{o}")
    g.add_edge("project:B", "org:x")
    g.add_edge("project:B", "org:y")
    g.add_edge("project:A", "project:B")  # two projects linked: not cleanly bipartite
    expected = backbone_graph(view_graph(g, "orgs"), alpha=0.5)
    found, _ = backbone_view(g, "orgs", alpha=0.5)
    assert _laid_out(found) == _laid_out(expected)


@pytest.mark.parametrize("view", ["orgs", "projects"])
@pytest.mark.parametrize("fmt", ["gexf", "graphml", "csv", "html"])
def test_export_backbone_files_are_the_whole_projections_backbone_byte_for_byte(
    tmp_path: Path, dataset: Dataset, view: str, fmt: str
) -> None:
    graph = graph_from_dataset(dataset)  # as the command builds it: places for Gephi's files
    if fmt in ("gexf", "graphml"):
        with_coordinates(graph, place_organisations(dataset.organisations))
    (tmp_path / "cli").mkdir()
    (tmp_path / "whole").mkdir()
    assert main(["export", "--format", fmt, "--view", view, "--backbone", "0.3",
                 "-o", str(tmp_path / "cli" / f"x.{fmt}")]) == 0  # fmt: skip
    expected = backbone_graph(view_graph(graph, view), alpha=0.3)
    assert 0 < expected.number_of_edges() < view_graph(graph, view).number_of_edges()
    write_export(expected, fmt, tmp_path / "whole" / f"x.{fmt}", positions=layout_positions(graph))
    written = sorted(p.name for p in (tmp_path / "cli").iterdir())
    assert written == sorted(p.name for p in (tmp_path / "whole").iterdir())
    for name in written:
        assert (tmp_path / "cli" / name).read_bytes() == (tmp_path / "whole" / name).read_bytes()


def test_a_projection_too_large_even_for_its_sparse_weights_is_refused(
    graph: nx.Graph, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(views, "BACKBONE_PAIR_LIMIT", projection_pairs(graph, "orgs") - 1)
    with pytest.raises(ViewTooLarge, match=r"could have up to [\d,]+ links, more than"):
        backbone_view(graph, "orgs", alpha=0.3)
