"""The layout's own Fruchterman-Reingold gives networkx's spring layout, bit for bit.

Positions are written into every GEXF and kept beside the data: the numpy
version must not move a node by one bit, on any graph, whatever its weights.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager

import networkx as nx
import numpy as np
import numpy.typing as npt
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from defus_graph.draw import layout


def _bits(xy: npt.NDArray[np.float64]) -> bytes:
    """The exact bits of the positions (``-0.0`` is not ``0.0`` here)."""
    return np.ascontiguousarray(xy, dtype=np.float64).tobytes()


@st.composite
def weighted(draw: st.DrawFn) -> npt.NDArray[np.float64]:
    """A symmetric matrix of link weights (whole numbers, or any positive ones)."""
    n = draw(st.integers(3, 40))
    pairs = [(i, j) for i in range(n) for j in range(i + 1, n)]
    chosen = draw(st.lists(st.sampled_from(pairs), max_size=3 * n, unique=True))
    weight = st.integers(1, 9).map(float) | st.floats(0.01, 50.0)
    matrix = np.zeros((n, n))
    for i, j in chosen:
        matrix[i, j] = matrix[j, i] = draw(weight)
    return matrix


@settings(max_examples=60, deadline=None)
@given(weighted(), st.integers(0, 2**31 - 1), st.integers(1, 120), st.floats(1.0, 5000.0))
def test_spring_is_networkx_spring_layout(
    matrix: npt.NDArray[np.float64], seed: int, iterations: int, scale: float
) -> None:
    g = nx.from_numpy_array(matrix)
    raw = nx.spring_layout(g, seed=seed, scale=scale, iterations=iterations, weight="weight")
    expected = np.array([raw[i] for i in range(len(matrix))])
    got = layout._spring(matrix, seed=seed, scale=scale, iterations=iterations)
    assert _bits(got) == _bits(expected)


# The layout as it was drawn with networkx's spring layout (before layout._spring).


def _networkx_component(g: nx.Graph, nodes: list[str], seed: int) -> dict[str, tuple[float, float]]:
    if len(nodes) <= 2:
        return _COMPONENT(g, nodes, seed)
    ordered = nx.Graph()
    ordered.add_nodes_from(nodes)
    ordered.add_edges_from(sorted(tuple(sorted(e)) for e in g.subgraph(nodes).edges))
    scale = layout._SPACING * math.sqrt(len(nodes))
    raw = nx.spring_layout(ordered, seed=seed, scale=scale, iterations=200)
    return {str(n): (float(x), float(y)) for n, (x, y) in raw.items()}


def _networkx_spring(
    matrix: npt.NDArray[np.float64], *, seed: int, scale: float, iterations: int
) -> npt.NDArray[np.float64]:
    """The anchors laid out as before: a networkx graph of the matrix's upper links."""
    upper = sp.coo_array(np.triu(matrix, k=1))
    small = nx.Graph()
    small.add_nodes_from(range(len(matrix)))
    small.add_weighted_edges_from(
        zip(upper.row.tolist(), upper.col.tolist(), upper.data.tolist(), strict=True)
    )
    raw = nx.spring_layout(small, seed=seed, scale=scale, iterations=iterations, weight="weight")
    return np.array([raw[i] for i in range(len(matrix))])


_COMPONENT = layout._component_positions


@contextmanager
def _small_thresholds() -> Iterator[pytest.MonkeyPatch]:
    """A large graph's route (anchors, wheels) taken by graphs a test can afford."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(layout, "LARGE_LAYOUT", 30)
        mp.setattr(layout, "_ANCHORS", 12)
        mp.setattr(layout, "_SMALL_COMPONENT", 5)
        yield mp


@st.composite
def graphs(draw: st.DrawFn) -> nx.Graph:
    """A graph of a few components, some large, some tiny, with leaves and loops."""
    g = nx.Graph()
    for part in range(draw(st.integers(1, 4))):
        n = draw(st.integers(1, 45))
        extra = draw(st.integers(0, 2 * n))
        tree_seed, extra_seed = draw(st.integers(0, 999)), draw(st.integers(0, 999))
        piece = nx.random_labeled_tree(n, seed=tree_seed) if n > 1 else nx.empty_graph(1)
        more = nx.gnm_random_graph(n, extra, seed=extra_seed)
        piece.add_edges_from(more.edges)
        g.add_edges_from((f"p{part}n{u}", f"p{part}n{v}") for u, v in piece.edges)
        g.add_nodes_from(f"p{part}n{u}" for u in piece.nodes)
    return g


@settings(max_examples=40, deadline=None)
@given(graphs(), st.booleans(), st.integers(0, 99))
def test_layout_positions_are_those_networkx_drew(g: nx.Graph, large: bool, seed: int) -> None:
    with _small_thresholds() if large else pytest.MonkeyPatch.context() as mp:
        got = layout.layout_positions(g, seed=seed)
        mp.setattr(layout, "_component_positions", _networkx_component)
        mp.setattr(layout, "_spring", _networkx_spring)
        expected = layout.layout_positions(g, seed=seed)
    assert list(got) == list(expected)
    assert _bits(np.array(list(got.values()))) == _bits(np.array(list(expected.values())))


@pytest.mark.parametrize("n", [499, layout.LARGE_LAYOUT])
def test_a_network_of_as_many_nodes_as_a_small_layout_takes_is_laid_out_as_before(n: int) -> None:
    # One connected network of exactly LARGE_LAYOUT nodes is still laid out whole, and
    # networkx switches to another method at 500 nodes: the positions must not move.
    g = nx.Graph()
    g.add_edges_from((f"n{i:04d}", f"n{(i * 7) // 11:04d}") for i in range(1, n))
    assert nx.is_connected(g) and g.number_of_nodes() == n
    got = layout.layout_positions(g)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(layout, "_component_positions", _networkx_component)
        expected = layout.layout_positions(g)
    assert list(got) == list(expected)
    assert _bits(np.array(list(got.values()))) == _bits(np.array(list(expected.values())))
