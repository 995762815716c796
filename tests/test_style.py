"""Drawn sizes: the shortcut through the weighted adjacency changes no size."""

from __future__ import annotations

import networkx as nx
from hypothesis import given, settings
from hypothesis import strategies as st

from defus_graph.draw.style import node_sizes
from defus_graph.graph.bipartite import adjacency

_WEIGHTS = st.one_of(
    st.none(),
    st.integers(-2, 5),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0.1, 0.2, 0.7, "2"]),
)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 9), st.integers(0, 9), _WEIGHTS), max_size=30),
    st.lists(st.sampled_from([0, 1, None]), min_size=10, max_size=10),
    st.booleans(),
)
def test_sizes_from_the_adjacency_are_the_edge_by_edge_sizes(
    edges: list[tuple[int, int, object]], sides: list[int | None], directed: bool
) -> None:
    g: nx.Graph = nx.DiGraph() if directed else nx.Graph()
    for i, side in enumerate(sides):
        g.add_node(f"n{i}", **({} if side is None else {"bipartite": side}))
    for u, v, w in edges:
        g.add_edge(f"n{u}", f"n{v}", **({} if w is None else {"weight": w}))
    expected = node_sizes(g)
    got = node_sizes(g, links=adjacency(g, weighted=True))
    assert list(got.items()) == list(expected.items())
