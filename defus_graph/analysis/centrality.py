"""Centralities of every node: degree, betweenness (vectorised, sampled at scale), eigenvector."""

from __future__ import annotations

import math
import os
import random
from collections.abc import Callable, Hashable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import networkx as nx
import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from networkx.algorithms import bipartite
from scipy.sparse.csgraph import connected_components, reverse_cuthill_mckee

from .._bulk import paused_gc
from ..graph.bipartite import (
    Participations,
    WeightMatrix,
    organisation_nodes,
    organisation_projection,
    project_nodes,
    projection_matrix,
)
from .communities import COMMUNITY_SEED

__all__ = [
    "BETWEENNESS_EXACT_LIMIT",
    "BETWEENNESS_SAMPLE_BUDGET",
    "Centrality",
    "betweenness_centrality",
    "betweenness_sample_size",
    "centralities",
    "network_stats",
]

#: Above this many nodes betweenness is estimated from a sample of sources.
BETWEENNESS_EXACT_LIMIT = 3000

#: Sampled betweenness visits about this many nodes and edges in all (one
#: shortest-path search from each sampled source visits the whole graph), so
#: that its cost stays bounded: 500 sources on a few thousand nodes, about 300
#: on a Horizon 2020-sized network (65,000 nodes, 197,000 edges), 60 on a
#: million participations, never fewer than 20. The vectorised searches of
#: :func:`betweenness_centrality` cost about 3 ms a source at Horizon 2020 scale
#: (networkx's took 0.7 s, which allowed 38 sources): 300 take about a second.
#: Against the exact betweenness there (computed once, in 3 minutes), 300
#: sources give the 100 most central organisations a median error of about 30 %
#: (38 sources: 40-65 %) and a correlation of 0.98 over all nodes (38: 0.89);
#: the error shrinks only as one over the square root of the sources.
BETWEENNESS_SAMPLE_BUDGET = 80_000_000


@dataclass(frozen=True)
class Centrality:
    """A node's centralities; ``estimated`` when betweenness came from a sample."""

    degree: float
    betweenness: float
    eigenvector: float
    estimated: bool = False


def centralities(g: nx.Graph, *, seed: int = COMMUNITY_SEED) -> dict[str, Centrality]:
    """Degree, betweenness and eigenvector centrality of every node.

    Degree and betweenness use networkx's bipartite normalisations, which compare
    a node with the largest value possible on its own side; betweenness comes
    from :func:`betweenness_centrality` (networkx's values, vectorised). Above
    :data:`BETWEENNESS_EXACT_LIMIT` nodes betweenness is estimated from a seeded
    sample of sources (:func:`betweenness_sample_size`: fewer on larger graphs,
    see :data:`BETWEENNESS_SAMPLE_BUDGET`), scaled so that the largest is 1, and
    every result says ``estimated=True``. Eigenvector
    centrality, which does not converge on a bipartite graph, is computed on the
    weighted organisation projection (projects get 0), and per connected
    component scaled by its share of the nodes, so small islands stay small.
    """
    if g.number_of_nodes() == 0:
        return {}
    projects = project_nodes(g)
    degree = bipartite.degree_centrality(g, projects) if projects else dict.fromkeys(g, 0.0)
    estimated = g.number_of_nodes() > BETWEENNESS_EXACT_LIMIT
    if estimated:
        raw = betweenness_centrality(g, betweenness_sample_size(g), seed=seed)
        top = max(raw.values()) or 1.0
        betweenness = {n: v / top for n, v in raw.items()}
    elif 2 <= len(projects) <= g.number_of_nodes() - 2:
        # The bipartite normalisation divides by zero when a side has one node.
        betweenness = _bipartite_betweenness(g, projects)
    else:
        betweenness = betweenness_centrality(g)
    eigen = _organisation_eigenvector(g)
    with paused_gc():  # one small record per node: hundreds of thousands at CORDIS scale
        return {
            n: Centrality(
                degree=round(float(degree.get(n, 0.0)), 6),
                betweenness=round(float(betweenness.get(n, 0.0)), 6),
                eigenvector=round(eigen.get(n, 0.0), 6),
                estimated=estimated,
            )
            for n in g.nodes
        }


def _bipartite_betweenness(g: nx.Graph, projects: list[str]) -> dict[Hashable, float]:
    """``bipartite.betweenness_centrality(g, projects)`` of networkx, from the vectorised counts.

    Each node's count is divided by the largest possible on its side.
    """
    top = set(projects)
    n = len(top)
    m = g.number_of_nodes() - n
    s, t = divmod(n - 1, m)
    bet_max_top = (
        ((m**2) * ((s + 1) ** 2)) + (m * (s + 1) * (2 * t - s - 1)) - (t * ((2 * s) - t + 3))
    ) / 2.0
    p, r = divmod(m - 1, n)
    bet_max_bot = (
        ((n**2) * ((p + 1) ** 2)) + (n * (p + 1) * (2 * r - p - 1)) - (r * ((2 * p) - r + 3))
    ) / 2.0
    raw = betweenness_centrality(g, normalized=False)
    return {v: b / (bet_max_top if v in top else bet_max_bot) for v, b in raw.items()}


#: Components up to this many organisations get their eigenvector from a dense
#: ``eigh`` (all components of one size at once); larger ones from ARPACK.
_DENSE_EIGEN_LIMIT = 128


def _organisation_eigenvector(g: nx.Graph) -> dict[Hashable, float]:
    """Eigenvector centrality on the weighted organisation projection, by component.

    In each connected component of the projection the leading eigenvector of the
    weights (networkx's ``eigenvector_centrality_numpy`` of that component),
    scaled so that its largest value is 1 and then by the component's share of
    the projection's nodes; both organisations of a linked pair get 1 (times
    their share), one linked to no one 0. The projection is the sparse ``B·Bᵀ``
    (:func:`defus_graph.graph.bipartite.projection_matrix`); a graph with an edge inside
    one side takes the pair-by-pair projection of
    :func:`defus_graph.graph.bipartite.organisation_projection` instead, whatever nodes
    it links.
    """
    try:
        weights = projection_matrix(g)
    except ValueError:
        proj = organisation_projection(g, with_names=False)
        nodes = list(proj)
        if not nodes:
            return {}
        matrix = nx.to_scipy_sparse_array(proj, nodelist=nodes, weight="weight", format="csr")
        weights = WeightMatrix(nodes, sp.csr_array(matrix))
    values = _eigenvector_by_component(sp.csr_array(weights.weights, dtype=np.float64))
    return dict(zip(weights.nodes, values.tolist(), strict=True))


def _eigenvector_by_component(weights: sp.csr_array) -> npt.NDArray[np.float64]:
    """Leading eigenvector of each connected component of a symmetric weight matrix.

    See :func:`_organisation_eigenvector`. Components are laid out as contiguous
    blocks; the small ones go through ``numpy.linalg.eigh`` size by size in one
    stacked call, the large ones through ARPACK one by one.
    """
    total = weights.shape[0]
    values = np.zeros(total)
    if total == 0:
        return values
    count, labels = connected_components(weights, directed=False)
    sizes = np.bincount(labels, minlength=count)
    node_size = sizes[labels]
    # In a linked pair both ends are equal (and ARPACK needs three nodes).
    values[node_size == 2] = 2 / total
    # Nodes grouped by component, and each node's place inside its component.
    order = np.argsort(labels, kind="stable")
    first = np.zeros(count, dtype=np.int64)
    np.cumsum(sizes[:-1], out=first[1:])
    place = np.empty(total, dtype=np.int64)
    place[order] = np.arange(total) - first[labels[order]]
    coo = weights.tocoo()
    small = (node_size[coo.row] >= 3) & (node_size[coo.row] <= _DENSE_EIGEN_LIMIT)
    rows, cols, data = coo.row[small], coo.col[small], coo.data[small]
    for size in np.unique(sizes[(sizes >= 3) & (sizes <= _DENSE_EIGEN_LIMIT)]).tolist():
        comps = np.flatnonzero(sizes == size)
        slot = np.full(count, -1, dtype=np.int64)
        slot[comps] = np.arange(len(comps))
        here = node_size[rows] == size
        blocks = np.zeros((len(comps), size, size))
        blocks[slot[labels[rows[here]]], place[rows[here]], place[cols[here]]] = data[here]
        _, vectors = np.linalg.eigh(blocks)  # eigenvalues ascending: the last is the largest
        members = order[first[comps][:, None] + np.arange(size)]
        values[members] = _scaled(vectors[:, :, -1], size / total)
    from scipy.sparse.linalg import eigsh  # a tenth of a second to import, for large ones only

    for comp in np.flatnonzero(sizes > _DENSE_EIGEN_LIMIT).tolist():
        members = order[first[comp] : first[comp] + sizes[comp]]
        block = weights[members][:, members]
        # v0: a positive start, so the same matrix always gives the same vector.
        _, vector = eigsh(block, k=1, which="LA", v0=np.ones(len(members)))
        values[members] = _scaled(vector[:, 0], len(members) / total)
    return values


def _scaled(vectors: npt.NDArray[np.float64], share: float) -> npt.NDArray[np.float64]:
    """Absolute values scaled to a largest of 1 along the last axis, then by ``share``."""
    magnitude = np.abs(vectors)
    top = magnitude.max(axis=-1, keepdims=True)
    top[top == 0] = 1.0
    scaled: npt.NDArray[np.float64] = magnitude / top * share
    return scaled


def betweenness_sample_size(g: nx.Graph) -> int:
    """How many sources :func:`centralities` takes betweenness from on ``g``.

    Every node up to :data:`BETWEENNESS_EXACT_LIMIT` nodes; above it
    :data:`BETWEENNESS_SAMPLE_BUDGET` divided by the nodes and edges that one
    search visits, between 20 and 500 and never more than the nodes.
    """
    n: int = g.number_of_nodes()
    if n <= BETWEENNESS_EXACT_LIMIT:
        return n
    size = n + int(g.number_of_edges())
    return min(n, max(20, min(500, BETWEENNESS_SAMPLE_BUDGET // size)))


def betweenness_centrality(
    g: nx.Graph,
    k: int | None = None,
    *,
    normalized: bool = True,
    seed: int | random.Random | None = None,
) -> dict[Hashable, float]:
    """Shortest-path betweenness of every node, as networkx computes it, vectorised.

    The same values as ``nx.betweenness_centrality(g, k=k, normalized=normalized,
    seed=seed)`` up to float rounding, for graphs and directed graphs: edge
    weights are ignored (networkx's ``weight=None``), endpoints are not counted,
    and with ``k`` the same sources are sampled (networkx's
    ``seed.sample(list(g), k)``, so the sample follows the order of the nodes)
    and the estimate is scaled as networkx 3.5 and later scale it.

    Brandes' algorithm runs for a batch of sources at once, level by level: the
    breadth-first search counts the shortest paths to the next level of every
    source with one sparse-matrix × dense-matrix product, and the dependencies
    flow back one level per product too. Each level works only on the rows it
    reaches, and sources on the same side of a bipartite graph and close to each
    other share a batch, so their levels cover few rows. On a Horizon 2020-sized
    network a source costs a few milliseconds instead of networkx's 0.7 s; the
    cost grows with the number of levels (the graph's diameter), which is small
    in collaboration networks.
    """
    nodes = list(g)
    n = len(nodes)
    if k is not None and k == n:
        k = None  # as networkx: every node is a source
    sampled: list[Hashable] | None = None
    if k is not None:
        rng = nx.utils.create_py_random_state(seed)
        sampled = rng.sample(nodes, k)
    if n == 0:
        return {}
    sources: npt.NDArray[np.int64] | None = None
    if sampled is not None:
        index = {node: i for i, node in enumerate(nodes)}
        sources = np.array([index[s] for s in sampled], dtype=np.int64)
    raw = _betweenness_of(
        _adjacency(g, nodes), sources, normalized=normalized, directed=g.is_directed()
    )
    return dict(zip(nodes, raw.tolist(), strict=True))


def _betweenness_of(
    a_out: sp.csr_array,
    sampled: npt.NDArray[np.int64] | None,
    *,
    normalized: bool,
    directed: bool,
) -> npt.NDArray[np.float64]:
    """:func:`betweenness_centrality` of the nodes of adjacency ``a_out``, from sources
    ``sampled`` (every node when ``None``)."""
    n = a_out.shape[0]
    raw = np.zeros(n)
    a_in = a_out.T.tocsr() if directed else a_out
    sources = np.arange(n, dtype=np.int64) if sampled is None else sampled
    if a_out.nnz:
        rank = _source_ranks(a_out if not directed else (a_out + a_in).tocsr())
        ordered = sources[np.argsort(rank[sources], kind="stable")]
        batch = _batch_size(n)
        batches = [ordered[start : start + batch] for start in range(0, len(ordered), batch)]
        # Batches run side by side (numpy and scipy let go of the GIL), and their
        # credits are added in batch order, level by level: the same additions in
        # the same order as one batch after the other, so the same bits.
        for credits in _in_threads(partial(_dependencies, a_in, a_out), batches):
            for rows, values in credits:
                raw[rows] += values
    _rescale(raw, n, normalized=normalized, directed=directed, sources=sampled)
    return raw


#: Levels of the breadth-first search that groups sources by side (see _source_ranks).
_PARITY_DEPTH = 64


def _batch_size(n: int) -> int:
    """Sources per batch: 32 on large graphs (the rows a batch reaches grow with it), up
    to 256 on small ones (fewer Python steps)."""
    return max(32, min(256, (1 << 20) // max(n, 1)))


def _adjacency(g: nx.Graph, nodes: list[Hashable]) -> sp.csr_array:
    """``a[v, w] = 1`` for each edge ``v → w`` (both ways when undirected), no self-loops.

    ``nodes`` is ``list(g)``: row and column ``i`` are ``nodes[i]``.
    """
    n = len(nodes)
    index = {node: i for i, node in enumerate(nodes)}
    # adjacency() yields the plain neighbour (successor) dicts in node order.
    counts = np.fromiter((len(nbrs) for _, nbrs in g.adjacency()), dtype=np.int64, count=n)
    targets = np.array([index[w] for _, nbrs in g.adjacency() for w in nbrs], dtype=np.int32)
    rows = np.repeat(np.arange(n, dtype=np.int32), counts)
    keep = targets != rows
    ptr = np.zeros(n + 1, dtype=np.int32)
    np.cumsum(np.bincount(rows[keep], minlength=n), out=ptr[1:])
    a = sp.csr_array((np.ones(int(keep.sum())), targets[keep], ptr), shape=(n, n))
    a.sort_indices()
    return a


def _source_ranks(sym: sp.csr_array) -> npt.NDArray[np.int64]:
    """An order of the nodes in which consecutive sources make cheap batches.

    First by the parity of the distance from a root of each component (the side,
    in a bipartite graph: a batch of one side reaches each node at even or at
    odd levels only), then by reverse Cuthill–McKee position, which puts nearby
    nodes next to each other. Only speed depends on it, never the result.
    """
    n = sym.shape[0]
    _, labels = connected_components(sym, directed=False)
    _, roots = np.unique(labels, return_index=True)
    parity = np.zeros(n, dtype=np.int64)
    seen = np.zeros(n, dtype=bool)
    seen[roots] = True
    frontier = seen.astype(np.float64)
    for depth in range(1, _PARITY_DEPTH + 1):
        reached = (sym @ frontier > 0) & ~seen
        if not reached.any():
            break
        seen |= reached
        parity[reached] = depth % 2
        frontier = reached.astype(np.float64)
    position = np.empty(n, dtype=np.int64)
    position[reverse_cuthill_mckee(sym, symmetric_mode=True)] = np.arange(n)
    ranks: npt.NDArray[np.int64] = parity * n + position
    return ranks


#: A batch's credits: for each level, deepest first, its nodes and what they gain there.
_Credits = list[tuple[npt.NDArray[np.int64], npt.NDArray[np.float64]]]


def _in_threads(
    work: Callable[[npt.NDArray[np.int64]], _Credits], batches: list[npt.NDArray[np.int64]]
) -> Iterator[_Credits]:
    """``map(work, batches)``, on as many threads as this process may use cores (at most 2:
    each batch holds its levels' arrays until it ends)."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    workers = min(2, cores, len(batches))
    if workers < 2:
        yield from map(work, batches)
        return
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="betweenness") as pool:
        yield from pool.map(work, batches)


def _dependencies(
    a_in: sp.csr_array, a_out: sp.csr_array, sources: npt.NDArray[np.int64]
) -> _Credits:
    """Every source's dependency on each node ``v`` (Brandes), for a batch of sources.

    Returns what to add to each node's count, level by level, deepest first (see
    :func:`_betweenness_of`).

    Column ``j`` of every level array belongs to ``sources[j]``. Level ``d`` keeps
    only the rows of nodes at distance ``d`` from some source of the batch: their
    indices, the number of shortest paths (zero where the node is at another
    distance from that column's source) and where it is at distance ``d``.
    ``a_in[w]`` lists the predecessors ``v → w`` of ``w``, ``a_out[v]`` its successors.

    Kept whole (about 70 lines): the forward search and the backward sweep share
    every level's arrays, which a split would only pass back and forth.
    """
    n = a_in.shape[0]
    width = len(sources)
    columns = np.arange(width)
    unseen = np.ones((n, width), dtype=bool)
    unseen[sources, columns] = False
    open_rows = np.ones(n, dtype=bool)  # rows with a source still to reach them
    rows = np.unique(sources)
    sigma = np.zeros((len(rows), width))
    sigma[np.searchsorted(rows, sources), columns] = 1.0
    levels: list[tuple[npt.NDArray[np.int64], npt.NDArray[np.float64], npt.NDArray[np.bool_]]]
    levels = [(rows, sigma, sigma > 0)]
    back: list[sp.csr_array] = []  # back[d]: from level d + 1 to level d
    while True:
        reached = np.zeros(n, dtype=bool)
        reached[a_out[rows].indices] = True
        reached &= open_rows
        candidates = np.flatnonzero(reached)
        if len(candidates) == 0:
            break
        step = a_in[candidates][:, rows]
        paths = step @ sigma
        new = unseen[candidates]
        new &= paths > 0
        found = new.any(axis=1)
        if not found.all():
            if not found.any():
                break
            candidates, new, paths, step = (
                candidates[found],
                new[found],
                paths[found],
                step[found],
            )
        paths *= new
        still = unseen[candidates]
        still &= ~new
        unseen[candidates] = still
        open_rows[candidates] = still.any(axis=1)
        back.append(step.T.tocsr())
        levels.append((candidates, paths, new))
        rows, sigma = candidates, paths
    # Backwards: delta_v = sigma_v * sum over successors w one level further of
    # (1 + delta_w) / sigma_w; sources (level 0) take no credit for their own paths.
    credits: _Credits = []
    delta = np.zeros_like(levels[-1][1])
    for d in range(len(levels) - 1, 0, -1):
        rows, sigma, here = levels[d]
        credits.append((rows, delta.sum(axis=1)))
        if d == 1:
            break
        coeff = delta + here
        np.divide(coeff, sigma, out=coeff, where=here)
        delta = back[d - 1] @ coeff
        delta *= levels[d - 1][1]
    return credits


def _kept(
    kept: tuple[Path, str] | None,
    name: str,
    count: int,
    compute: Callable[[], npt.NDArray[np.float64]],
) -> npt.NDArray[np.float64]:
    """``compute()``, or the ``count`` numbers kept as ``name`` for ``kept`` (the data
    folder and its snapshot's key), which a computation keeps for the next call.

    The same numbers to the last bit whether computed or read back: the key names
    the tables' bytes and the code, so nothing else can change them.
    """
    from ..store.snapshot import read_numbers, write_numbers

    if kept is None:
        return compute()
    known = read_numbers(kept[0], name, kept[1], count)
    if known is not None:
        return known
    values = compute()
    write_numbers(kept[0], name, kept[1], values)
    return values


def _sampled_betweenness(a: sp.csr_array, m: int) -> npt.NDArray[np.float64]:
    """The betweenness of adjacency ``a`` (``m`` edges) from a sample of sources, as
    :func:`betweenness_centrality` samples them (networkx's sample, by position)."""
    n = a.shape[0]
    k = min(n, max(20, min(500, BETWEENNESS_SAMPLE_BUDGET // (n + m))))
    sources = None
    if k != n:
        rng = nx.utils.create_py_random_state(COMMUNITY_SEED)
        sources = np.array(rng.sample(range(n), k), dtype=np.int64)
    return _betweenness_of(a, sources, normalized=True, directed=False)


def _eigenvector_of(arrays: Participations) -> npt.NDArray[np.float64]:
    """:func:`_organisation_eigenvector` of the arrays' organisations, in their order."""
    bt = arrays.incidence()
    weights = sp.csr_array(bt.T.tocsr() @ bt)
    weights.setdiag(0)
    weights.eliminate_zeros()
    return _eigenvector_by_component(sp.csr_array(weights, dtype=np.float64))


def _rescale(
    raw: npt.NDArray[np.float64],
    n: int,
    *,
    normalized: bool,
    directed: bool,
    sources: npt.NDArray[np.int64] | None,
) -> None:
    """networkx's ``_rescale`` of betweenness without endpoints, in place."""
    pairs = n - 1  # possible other ends of a path through a node
    if pairs < 2:
        return
    correction = 1 if directed else 2
    if sources is None:
        scale = 1 / (pairs * (pairs - 1)) if normalized else pairs / (pairs * correction)
        if scale != 1:
            raw *= scale
        return
    k = len(sources)
    # A sampled source is never the far end of its own paths.
    if normalized:
        scale_source = 1 / ((k - 1) * (pairs - 1)) if k > 1 else math.nan
        scale_other = 1 / (k * (pairs - 1))
    else:
        scale_source = pairs / ((k - 1) * correction) if k > 1 else math.nan
        scale_other = pairs / (k * correction)
    is_source = np.zeros(n, dtype=bool)
    is_source[sources] = True
    raw *= np.where(is_source, scale_source, scale_other)


def network_stats(
    g: nx.Graph | Participations, *, top: int = 5, kept: tuple[Path, str] | None = None
) -> dict[str, object]:
    """Counts, components, density and the most central organisations.

    ``g`` may be the arrays of a dataset (:class:`~defus_graph.graph.bipartite.Participations`):
    a large network's figures then come from sparse matrices without building a
    networkx graph, the same figures to the last digit. With ``kept``, the data
    folder and its snapshot's key (:class:`~defus_graph.store.tables.Loaded`),
    a large network's sampled betweenness and eigenvector centralities, most of
    the time, are kept beside the snapshot and read back by the next call for
    the same tables and code.
    """
    if isinstance(g, Participations):
        if g.n_nodes > BETWEENNESS_EXACT_LIMIT and g.projects and g.organisations:
            return _network_stats_of(g, top=top, kept=kept)
        from ..graph.bipartite import graph_from_dataset

        g = graph_from_dataset(g.dataset)
    projects = project_nodes(g)
    orgs = organisation_nodes(g)
    components = list(nx.connected_components(g)) if g.number_of_nodes() else []
    density = bipartite.density(g, projects) if projects and orgs else 0.0
    central = centralities(g)
    ranked = sorted(orgs, key=lambda n: (-central[n].betweenness, -central[n].degree, n))
    return {
        "projects": len(projects),
        "organisations": len(orgs),
        "participations": g.number_of_edges(),
        "components": len(components),
        "largest_component": max((len(c) for c in components), default=0),
        "density": round(float(density), 4),
        "most_central": [
            {
                "name": str(g.nodes[n].get("label", n)),
                "projects": g.degree(n),
                "degree": central[n].degree,
                "betweenness": central[n].betweenness,
                "eigenvector": central[n].eigenvector,
            }
            for n in ranked[:top]
        ],
        "betweenness_estimated": any(c.estimated for c in central.values()),
    }


def _network_stats_of(
    arrays: Participations, *, top: int, kept: tuple[Path, str] | None
) -> dict[str, object]:
    """:func:`network_stats` of a large graph (estimated betweenness) from its arrays."""
    n_p, n_o = len(arrays.projects), len(arrays.organisations)
    m = len(arrays.project)
    a = arrays.adjacency()
    count, labels = connected_components(a, directed=False)
    density = m / (n_p * n_o) if m else 0.0
    raw = _kept(kept, "betweenness-sampled", a.shape[0], partial(_sampled_betweenness, a, m))
    highest = max(raw.tolist()) or 1.0
    betweenness = (raw[n_p:] / highest).tolist()
    eigen = _kept(kept, "eigenvector-organisations", n_o, partial(_eigenvector_of, arrays)).tolist()
    degrees = np.bincount(arrays.organisation, minlength=n_o).tolist()
    scale = 1.0 / n_p
    rows = [
        (
            round(float(b), 6),
            round(float(d * scale), 6),
            round(e, 6),
            f"org:{o.name}",
            o.name,
            d,
        )
        for o, d, b, e in zip(arrays.organisations, degrees, betweenness, eigen, strict=True)
    ]
    rows.sort(key=lambda r: (-r[0], -r[1], r[3]))
    return {
        "projects": n_p,
        "organisations": n_o,
        "participations": m,
        "components": count,
        "largest_component": int(np.bincount(labels).max()),
        "density": round(float(density), 4),
        "most_central": [
            {"name": name, "projects": d, "degree": deg, "betweenness": b, "eigenvector": e}
            for b, deg, e, _, name, d in rows[:top]
        ],
        "betweenness_estimated": True,
    }
