"""Questions asked of the network: plain functions over the bipartite graph.

Every function takes the graph from :func:`defus_graph.graph.graph_from_dataset`
(or a subgraph of it) and node ids (``org:…``, ``project:…``).
"""

from __future__ import annotations

import math
import random
import threading
from collections import defaultdict
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field

import networkx as nx
import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from networkx.algorithms import bipartite
from scipy.sparse.csgraph import connected_components, reverse_cuthill_mckee
from scipy.sparse.linalg import eigsh

from ._bulk import paused_gc
from .graph import (
    ORGANISATION,
    PROJECT,
    Adjacency,
    WeightMatrix,
    adjacency,
    organisation_nodes,
    organisation_projection,
    project_nodes,
    projection_matrix,
)

__all__ = [
    "COMMUNITY_SEED",
    "LEIDEN_ITERATIONS",
    "Centrality",
    "CoPartner",
    "FundingTotal",
    "Involvement",
    "SharedPartner",
    "betweenness_centrality",
    "betweenness_sample_size",
    "centralities",
    "co_partners",
    "communities",
    "funding_totals",
    "modularity",
    "network_stats",
    "organisation_projects",
    "project_members",
    "shared_partners",
    "shortest_chain",
]

#: Seed of community detection, so the same data always gives the same groups.
COMMUNITY_SEED = 42

#: Passes of the Leiden algorithm. At Horizon 2020 scale (65,000 nodes, 200,000 links)
#: 2 passes reach modularity 0.373 in 0.3 s, 5 passes 0.376 in 0.6 s, iterating until
#: nothing moves 0.377 in 4.6 s; networkx's Louvain reaches 0.365 in 16 s.
LEIDEN_ITERATIONS = 5

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


def _label(g: nx.Graph, node: str) -> str:
    return str(g.nodes[node].get("label", node))


@dataclass(frozen=True)
class SharedPartner:
    """An organisation that takes part in several projects."""

    node: str
    name: str
    kind: str
    country: str
    projects: tuple[str, ...]


def shared_partners(
    g: nx.Graph, *, min_projects: int = 2, kind: str | None = None
) -> list[SharedPartner]:
    """Organisations in at least ``min_projects`` projects, most projects first.

    ``kind`` keeps only organisations of that kind (e.g. ``"city"``).
    """
    if min_projects < 1:
        raise ValueError("min_projects must be at least 1")
    found = []
    for node in organisation_nodes(g):
        data = g.nodes[node]
        if kind is not None and data.get("kind") != kind:
            continue
        projects = tuple(sorted(_label(g, p) for p in g[node]))
        if len(projects) >= min_projects:
            found.append(
                SharedPartner(
                    node,
                    _label(g, node),
                    str(data.get("kind", "unknown")),
                    str(data.get("country", "")),
                    projects,
                )
            )
    return sorted(found, key=lambda s: (-len(s.projects), s.name.casefold()))


@dataclass(frozen=True)
class Involvement:
    """One side of a participation: the other node and the role on the edge."""

    node: str
    name: str
    role: str


def organisation_projects(g: nx.Graph, org: str) -> list[Involvement]:
    """The projects an organisation takes part in, with its role, by acronym."""
    _require(g, org, ORGANISATION)
    return sorted(
        (Involvement(p, _label(g, p), str(g.edges[org, p].get("role", ""))) for p in g[org]),
        key=lambda i: i.name.casefold(),
    )


_ROLE_ORDER = {"coordinator": 0, "partner": 1, "participant": 2}


def project_members(g: nx.Graph, project: str) -> list[Involvement]:
    """A project's organisations: coordinator first, then by role and name."""
    _require(g, project, PROJECT)
    members = [
        Involvement(o, _label(g, o), str(g.edges[project, o].get("role", ""))) for o in g[project]
    ]
    return sorted(members, key=lambda i: (_ROLE_ORDER.get(i.role, 9), i.name.casefold()))


@dataclass(frozen=True)
class CoPartner:
    """An organisation that shares projects with another."""

    node: str
    name: str
    projects: tuple[str, ...]


def co_partners(g: nx.Graph, org: str) -> list[CoPartner]:
    """Organisations sharing a project with ``org``, most shared projects first."""
    _require(g, org, ORGANISATION)
    shared: defaultdict[str, list[str]] = defaultdict(list)
    for project in g[org]:
        for other in g[project]:
            if other != org:
                shared[other].append(_label(g, project))
    return sorted(
        (CoPartner(o, _label(g, o), tuple(sorted(ps))) for o, ps in shared.items()),
        key=lambda c: (-len(c.projects), c.name.casefold()),
    )


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
    (:func:`defus_graph.graph.projection_matrix`); a graph with an edge inside
    one side takes the pair-by-pair projection of
    :func:`defus_graph.graph.organisation_projection` instead, whatever nodes
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
    raw = np.zeros(n)
    if n == 0:
        return {}
    a_out = _adjacency(g, nodes)
    a_in = a_out.T.tocsr() if g.is_directed() else a_out
    if sampled is None:
        sources = np.arange(n, dtype=np.int64)
    else:
        index = {node: i for i, node in enumerate(nodes)}
        sources = np.array([index[s] for s in sampled], dtype=np.int64)
    if a_out.nnz:
        rank = _source_ranks(a_out if not g.is_directed() else (a_out + a_in).tocsr())
        ordered = sources[np.argsort(rank[sources], kind="stable")]
        batch = _batch_size(n)
        for start in range(0, len(ordered), batch):
            _add_dependencies(a_in, a_out, ordered[start : start + batch], raw)
    _rescale(
        raw,
        n,
        normalized=normalized,
        directed=g.is_directed(),
        sources=None if sampled is None else sources,
    )
    return dict(zip(nodes, raw.tolist(), strict=True))


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


def _add_dependencies(
    a_in: sp.csr_array,
    a_out: sp.csr_array,
    sources: npt.NDArray[np.int64],
    out: npt.NDArray[np.float64],
) -> None:
    """Add to ``out[v]`` every source's dependency on ``v`` (Brandes), for a batch of sources.

    Column ``j`` of every level array belongs to ``sources[j]``. Level ``d`` keeps
    only the rows of nodes at distance ``d`` from some source of the batch: their
    indices, the number of shortest paths (zero where the node is at another
    distance from that column's source) and where it is at distance ``d``.
    ``a_in[w]`` lists the predecessors ``v → w`` of ``w``, ``a_out[v]`` its successors.
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
    delta = np.zeros_like(levels[-1][1])
    for d in range(len(levels) - 1, 0, -1):
        rows, sigma, here = levels[d]
        out[rows] += delta.sum(axis=1)
        if d == 1:
            break
        coeff = delta + here
        np.divide(coeff, sigma, out=coeff, where=here)
        delta = back[d - 1] @ coeff
        delta *= levels[d - 1][1]


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


def communities(g: nx.Graph, *, seed: int = COMMUNITY_SEED) -> dict[str, int]:
    """Communities of the graph by modularity, numbered from 0 by size.

    The Leiden algorithm of igraph (C) on ``g``'s links, weighted by their
    ``weight`` where they have one (see :func:`defus_graph.graph.link_weight`),
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


def shortest_chain(g: nx.Graph, source: str, target: str) -> list[str] | None:
    """The shortest alternating chain organisation–project–…–organisation, or ``None``.

    Ties are broken by node id, so the answer is the same every time.
    """
    _require(g, source, None)
    _require(g, target, None)
    if source == target:
        return [source]
    ordered = nx.Graph()
    ordered.add_nodes_from(sorted(g.nodes))
    ordered.add_edges_from(sorted(tuple(sorted(e)) for e in g.edges))
    try:
        return [str(n) for n in nx.shortest_path(ordered, source, target)]
    except nx.NetworkXNoPath:
        return None


@dataclass
class FundingTotal:
    """Money by one key, never mixing whole-project totals with partners' shares.

    ``project_totals_eur`` sums the total funding of the projects the key is
    involved in, each project once. ``partner_shares_eur`` sums amounts stated as
    one partner's share. ``projects_without_amount`` counts projects with no
    stated amount.
    """

    key: str
    project_totals_eur: float = 0.0
    partner_shares_eur: float = 0.0
    projects_with_total: list[str] = field(default_factory=list)
    projects_with_share: list[str] = field(default_factory=list)
    projects_without_amount: list[str] = field(default_factory=list)


def funding_totals(g: nx.Graph, *, by: str = "programme") -> list[FundingTotal]:
    """Funding grouped ``by`` "programme", "country" or "organisation", largest first.

    By country and organisation, a project counts once for every country or
    organisation taking part in it: these totals say how much funding the
    projects someone works in have, not how much they received, and they do not
    add up to the grand total. A partner's share counts only for that partner
    (and its country).
    """
    if by not in ("programme", "country", "organisation"):
        raise ValueError('by must be "programme", "country" or "organisation"')
    rows: dict[str, FundingTotal] = {}
    for p in project_nodes(g):
        data = g.nodes[p]
        label = _label(g, p)
        amount = data.get("funding_eur")
        scope = data.get("funding_scope")
        if by == "programme":
            keys = {str(data.get("programme") or "unknown")}
            share_keys = keys
        else:
            members = list(g[p])
            if by == "country":
                keys = {str(g.nodes[o].get("country") or "unknown") for o in members}
            else:
                keys = {_label(g, o) for o in members}
            share_of = str(data.get("funding_share_of", ""))
            owner = [o for o in members if _label(g, o) == share_of]
            if by == "country":
                share_keys = {str(g.nodes[o].get("country") or "unknown") for o in owner}
            else:
                share_keys = {_label(g, o) for o in owner}
        for key in sorted(keys | share_keys):
            row = rows.setdefault(key, FundingTotal(key))
            if amount is None:
                if key in keys:
                    row.projects_without_amount.append(label)
            elif scope == "partner_share":
                if key in share_keys:
                    row.partner_shares_eur += float(amount)
                    row.projects_with_share.append(label)
            elif key in keys:
                row.project_totals_eur += float(amount)
                row.projects_with_total.append(label)
    for row in rows.values():
        row.project_totals_eur = round(row.project_totals_eur, 2)
        row.partner_shares_eur = round(row.partner_shares_eur, 2)
    return sorted(
        rows.values(),
        key=lambda r: (-r.project_totals_eur, -r.partner_shares_eur, r.key.casefold()),
    )


def network_stats(g: nx.Graph, *, top: int = 5) -> dict[str, object]:
    """Counts, components, density and the most central organisations."""
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
                "name": _label(g, n),
                "projects": g.degree(n),
                "degree": central[n].degree,
                "betweenness": central[n].betweenness,
                "eigenvector": central[n].eigenvector,
            }
            for n in ranked[:top]
        ],
        "betweenness_estimated": any(c.estimated for c in central.values()),
    }


def _require(g: nx.Graph, node: str, side: int | None) -> None:
    if node not in g:
        raise KeyError(f"{node!r} is not in the graph")
    if side is not None and g.nodes[node].get("bipartite") != side:
        wanted = "a project" if side == PROJECT else "an organisation"
        raise ValueError(f"{node!r} is not {wanted}")
