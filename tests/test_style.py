"""Drawn sizes: the shortcut through the weighted adjacency changes no size."""

from __future__ import annotations

import math

import networkx as nx
from hypothesis import example, given, settings
from hypothesis import strategies as st

from defus_graph.draw.style import _strengths, node_sizes
from defus_graph.graph.bipartite import adjacency, link_weight

_WEIGHTS = st.one_of(
    st.none(),
    st.integers(-2, 5),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0.1, 0.2, 0.7, "2"]),
)


@settings(max_examples=300, deadline=None)
@example(edges=[(0, 0, 8.98846567431158e307)], sides=[0] * 10, directed=False)  # overflows
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
    assert not any(math.isnan(size) for size in got.values())


def _strengths_edge_by_edge(g: nx.Graph) -> dict[object, float]:
    strength = dict.fromkeys(g, 0.0)
    for u, v, w in g.edges(data="weight"):
        strength[u] += link_weight(w)
        strength[v] += link_weight(w)
    return strength


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 9), st.integers(0, 9), st.one_of(_WEIGHTS, st.booleans())),
        max_size=30,
    ),
    st.sampled_from([None, 3, 2**60]),
)
def test_strengths_summed_at_once_are_the_edge_by_edge_sums(
    edges: list[tuple[int, int, object]], big: int | None
) -> None:
    g = nx.Graph()
    g.add_nodes_from(f"n{i}" for i in range(10))
    for u, v, w in edges:
        g.add_edge(f"n{u}", f"n{v}", **({} if w is None else {"weight": w}))
    if big is not None and edges:
        g.add_edge("n0", "n9", weight=big)
    assert list(_strengths(g, None).items()) == list(_strengths_edge_by_edge(g).items())
