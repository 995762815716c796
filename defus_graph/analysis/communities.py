"""Communities: Leiden through igraph with a fixed seed, and their modularity."""

from __future__ import annotations

import random
import threading
from collections import defaultdict
from collections.abc import Mapping

import networkx as nx
import numpy as np
import scipy.sparse as sp

from ..graph.bipartite import (
    Adjacency,
    adjacency,
)

__all__ = ["COMMUNITY_SEED", "LEIDEN_ITERATIONS", "communities", "modularity"]

#: Seed of community detection, so the same data always gives the same groups.
COMMUNITY_SEED = 42

#: Passes of the Leiden algorithm. At Horizon 2020 scale (65,000 nodes, 200,000 links)
#: 2 passes reach modularity 0.373 in 0.3 s, 5 passes 0.376 in 0.6 s, iterating until
#: nothing moves 0.377 in 4.6 s; networkx's Louvain reaches 0.365 in 16 s.
LEIDEN_ITERATIONS = 5


def communities(g: nx.Graph, *, seed: int = COMMUNITY_SEED) -> dict[str, int]:
    """Communities of the graph by modularity, numbered from 0 by size.

    The Leiden algorithm of igraph (C) on ``g``'s links, weighted by their
    ``weight`` where they have one (see :func:`defus_graph.graph.bipartite.link_weight`),
    optimising modularity in :data:`LEIDEN_ITERATIONS` passes. It finds
    partitions at least as modular as networkx's Louvain (``louvain_communities``,
    the reference the tests compare against on small graphs) with every
    community connected, in about a second at Horizon 2020 scale, where
    networkx takes 15 seconds. Each node is in exactly one community; an isolated node is
    a community of its own. The same graph and seed always give the same
    numbering.

    Examples
    --------
    >>> g = nx.Graph([("a", "b"), ("b", "c"), ("a", "c"), ("x", "y"), ("y", "z"), ("x", "z")])
    >>> g.add_edge("c", "x")
    >>> groups = communities(g)
    >>> groups["a"] == groups["b"] == groups["c"], groups["a"] != groups["x"]
    (True, True)
    """
    if g.number_of_nodes() == 0:
        return {}
    adj = adjacency(g, weighted=True)
    membership = _leiden_membership(adj, seed=seed)
    groups: dict[int, list[str]] = defaultdict(list)
    for node, label in zip(adj.nodes, membership, strict=True):
        groups[label].append(node)
    ordered = sorted(groups.values(), key=lambda c: (-len(c), min(c)))
    by_text = {n: i for i, group in enumerate(ordered) for n in group}
    return {n: by_text[str(n)] for n in g.nodes}


def modularity(g: nx.Graph, groups: Mapping[str, int]) -> float:
    """Newman's modularity of the partition ``groups`` (node → community) of ``g``.

    Links weigh what they weigh in :func:`communities`; self-loops are left out.
    The same figure as :func:`networkx.community.modularity` on such a graph,
    computed on sparse arrays in a fraction of a second at Horizon 2020 scale.

    Examples
    --------
    >>> g = nx.Graph([("a", "b"), ("c", "d")])
    >>> modularity(g, {"a": 0, "b": 0, "c": 1, "d": 1})
    0.5
    """
    adj = adjacency(g, weighted=True)
    weights = adj.weights
    if weights is None or weights.nnz == 0:
        return 0.0
    labels = np.array([groups[n] for n in g.nodes], dtype=np.int64)
    by_text = dict(zip((str(n) for n in g.nodes), labels.tolist(), strict=True))
    label = np.array([by_text[n] for n in adj.nodes], dtype=np.int64)
    total = float(weights.sum())  # twice the links' weight: each link is stored both ways
    coo = weights.tocoo()
    inside = float(coo.data[label[coo.row] == label[coo.col]].sum())
    degree = np.asarray(weights.sum(axis=1)).ravel()
    per_group = np.bincount(label, weights=degree)
    return inside / total - float(np.sum((per_group / total) ** 2))


#: igraph draws from one process-wide random generator: a seeded run holds it.
_IGRAPH_RANDOM = threading.Lock()


def _leiden_membership(adj: Adjacency, *, seed: int) -> list[int]:
    """igraph's Leiden on ``adj`` (modularity, :data:`LEIDEN_ITERATIONS` passes): a label each."""
    import igraph  # a C library loaded only when communities are asked for

    weights = sp.triu(adj.weights, k=1, format="coo") if adj.weights is not None else None
    if weights is None:  # pragma: no cover - adjacency(weighted=True) always has weights
        raise ValueError("communities need the links' weights")
    edges = np.column_stack([weights.row, weights.col])
    ig = igraph.Graph(n=len(adj.nodes), edges=edges.tolist(), directed=False)
    with _IGRAPH_RANDOM:
        igraph.set_random_number_generator(random.Random(seed))
        try:
            found = ig.community_leiden(
                objective_function="modularity",
                weights=weights.data.tolist(),
                n_iterations=LEIDEN_ITERATIONS,
            )
        finally:
            igraph.set_random_number_generator(random)
    return list(found.membership)
