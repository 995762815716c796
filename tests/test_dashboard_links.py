"""The network's links travel as columns; the drawing's edges must be the HTML export's."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from defus_graph.dashboard.component import graph_payload
from defus_graph.draw.layout import layout_positions
from defus_graph.draw.vis import pyvis_network
from defus_graph.graph.bipartite import graph_from_dataset
from defus_graph.graph.views import view_graph
from defus_graph.store.tables import load_dataset

ROOT = Path(__file__).resolve().parents[1]


def edges_of(payload: dict[str, Any]) -> list[dict[str, Any]]:
    """The edges ``network.js`` builds from a payload's links (its ``linkEdges``)."""
    ids = [node["id"] for node in payload["nodes"]]
    links = payload["links"]
    return [
        {
            "from": ids[f],
            "to": ids[t],
            "width": links["width"][k],
            "color": links["palette"][links["colour"][k]],
            "title": f"{links['names'][f]} – {links['names'][t]}{links['tips'][links['tip'][k]]}",
        }
        for k, (f, t) in enumerate(zip(links["from"], links["to"], strict=True))
    ]


@pytest.fixture(scope="module")
def bundled() -> nx.Graph:
    return graph_from_dataset(load_dataset(ROOT / "data"))


@pytest.mark.parametrize("view", ["bipartite", "orgs", "projects"])
@pytest.mark.parametrize("selected", [None, "org:Düsseldorf", "project:LouD"])
def test_drawn_links_are_the_html_exports_edges(
    bundled: nx.Graph, view: str, selected: str | None
) -> None:
    g = view_graph(bundled, view)
    positions = layout_positions(g)
    payload = graph_payload(g, positions, selected=selected, sizes=None)
    chosen = selected if selected in g else None
    expected = pyvis_network(g, positions=positions, selected=chosen).edges
    assert edges_of(payload) == expected
    assert payload["nodes"] == pyvis_network(g, positions=positions, selected=chosen).nodes
    assert len(expected) == g.number_of_edges()


names = st.text(min_size=0, max_size=12)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.tuples(names, names, st.integers(1, 5)), min_size=1, max_size=12),
    st.sampled_from(["", "partner", "<b>coordinator</b>"]),
)
def test_any_names_give_the_same_tooltips(pairs: list[tuple[str, str, int]], role: str) -> None:
    """Labels that are empty, repeat, hold markup or a colon: each link's tooltip as exported."""
    g = nx.Graph()
    for k, (a, b, weight) in enumerate(pairs):
        u, v = f"org:{k}:{a}", f"project:{k}"
        g.add_node(u, bipartite=1, kind="city", label=a)
        g.add_node(v, bipartite=0, kind="project", **({"label": b} if b else {}))
        g.add_edge(v, u, role=role, weight=weight)
    positions = {str(n): (float(i), 0.0) for i, n in enumerate(g)}
    payload = graph_payload(g, positions, selected=next(iter(g)), sizes=None)
    assert edges_of(payload) == pyvis_network(g, positions=positions, selected=next(iter(g))).edges
