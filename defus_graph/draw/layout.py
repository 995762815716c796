"""Seeded node positions, computed once and shared by the dashboard and the Gephi export.

The same data always gives the same picture, so a Gephi user opens on the
layout the dashboard showed.
"""

from __future__ import annotations

import functools
import hashlib
import math
from collections.abc import Callable, Collection
from itertools import repeat
from pathlib import Path

import networkx as nx
import numpy as np
import numpy.typing as npt
import scipy
import scipy.sparse as sp

from ..graph.bipartite import Adjacency, adjacency

__all__ = [
    "LARGE_LAYOUT",
    "LAYOUT_SEED",
    "Positions",
    "kept_layout",
    "layout_of_links",
    "layout_positions",
]

#: Above this many nodes, the anchored layout replaces the force layout of every node
#: (which needs seconds at 500 nodes and minutes at 60,000).
LARGE_LAYOUT = 500

#: Nodes laid out by force in each large component: the best-connected ones.
_ANCHORS = 300

#: Components up to this size are drawn as a wheel in a large graph.
_SMALL_COMPONENT = 40

#: Seed of the force-directed layout; change it and every picture changes.
LAYOUT_SEED = 7

#: Node id -> (x, y) in screen-like units, centred on (0, 0).
Positions = dict[str, tuple[float, float]]

#: Room per node, in layout units: far more than the largest drawn node (40).
_SPACING = 120.0

#: ``nx.spring_layout`` uses its dense method (the one :func:`_spring` copies) below
#: this many nodes; a component of :data:`LARGE_LAYOUT` nodes reaches it.
_DENSE_SPRING_LIMIT = 500

#: One component laid out: its nodes, and their positions (row ``i`` is node ``i``).
_Laid = tuple[list[str], npt.NDArray[np.float64]]


def _as_laid(pos: dict[str, tuple[float, float]]) -> _Laid:
    return list(pos), np.array(list(pos.values()), dtype=np.float64).reshape(-1, 2)


def _component_positions(
    g: nx.Graph, nodes: list[str], seed: int
) -> dict[str, tuple[float, float]]:
    """One connected component laid out on its own, centred on (0, 0)."""
    if len(nodes) == 1:
        return {nodes[0]: (0.0, 0.0)}
    if len(nodes) == 2:
        return {nodes[0]: (-_SPACING / 2, 0.0), nodes[1]: (_SPACING / 2, 0.0)}
    scale = _SPACING * math.sqrt(len(nodes))
    if len(nodes) >= _DENSE_SPRING_LIMIT:
        # networkx lays out this many nodes by another method (its sparse "energy"
        # one, since 3.5), which _spring does not copy: ask networkx itself.
        ordered = nx.Graph()
        ordered.add_nodes_from(nodes)
        ordered.add_edges_from(sorted(tuple(sorted(e)) for e in g.subgraph(nodes).edges))
        laid = nx.spring_layout(ordered, seed=seed, scale=scale, iterations=200)
        return {str(n): (float(x), float(y)) for n, (x, y) in laid.items()}
    # What nx.to_numpy_array of the component's graph (nodes in this order, unweighted
    # links) holds: 1 for each link, both ways.
    index = {n: i for i, n in enumerate(nodes)}
    links = np.array([(index[u], index[v]) for u, v in g.subgraph(nodes).edges], dtype=np.int64)
    matrix = np.zeros((len(nodes), len(nodes)))
    if len(links):
        matrix[links[:, 0], links[:, 1]] = 1.0
        matrix[links[:, 1], links[:, 0]] = 1.0
    raw = _spring(matrix, seed=seed, scale=scale, iterations=200)
    return {n: (float(x), float(y)) for n, (x, y) in zip(nodes, raw.tolist(), strict=True)}


def _spring(
    matrix: npt.NDArray[np.float64], *, seed: int, scale: float, iterations: int
) -> npt.NDArray[np.float64]:
    """``nx.spring_layout`` of the graph whose dense weighted adjacency is ``matrix``
    (3 to 499 nodes, no node fixed): the same positions, bit for bit, row ``i`` node ``i``.

    networkx's dense Fruchterman-Reingold with the same operations on the same
    numbers, in a quarter of the time: each iteration's distances are worked out
    from the two coordinates' differences rather than by ``np.linalg.norm`` over an
    axis of two, and the forces summed over the other nodes in the order
    ``np.einsum`` adds them (one node after another, starting from zero), on the
    rows of a C-ordered array. (tests/test_layout_spring.py holds it to networkx.)
    """
    n = matrix.shape[0]
    pos = np.asarray(np.random.RandomState(seed).rand(n, 2), dtype=np.float64)
    k = np.sqrt(1.0 / n)
    t = max(max(pos.T[0]) - min(pos.T[0]), max(pos.T[1]) - min(pos.T[1])) * 0.1
    dt = t / (iterations + 1)
    across = np.ascontiguousarray(matrix.T)  # row j, column i: the weight of i's link to j
    for _ in range(iterations):
        x, y = pos[:, 0], pos[:, 1]
        dx = x[np.newaxis, :] - x[:, np.newaxis]  # [j, i]: x of i minus x of j
        dy = y[np.newaxis, :] - y[:, np.newaxis]
        distance = np.sqrt(dx * dx + dy * dy)
        np.clip(distance, 0.01, None, out=distance)
        force = k * k / distance**2 - across * distance / k
        displacement = np.stack(
            [
                np.add.reduce(dx * force, axis=0, initial=0.0),
                np.add.reduce(dy * force, axis=0, initial=0.0),
            ],
            axis=1,
        )
        length = np.clip(np.linalg.norm(displacement, axis=-1), a_min=0.01, a_max=None)
        delta_pos = np.einsum("ij,i->ij", displacement, t / length)
        pos += delta_pos
        t -= dt
        if (np.linalg.norm(delta_pos) / n) < 1e-4:
            break
    # nx.rescale_layout, then the centre (0, 0) added
    pos -= pos.mean(axis=0)
    lim = np.abs(pos).max()
    if lim > 0:
        pos *= scale / lim
    centred: npt.NDArray[np.float64] = pos + np.zeros(2)
    return centred


def _wheel(nodes: list[str], degree: dict[str, int]) -> dict[str, tuple[float, float]]:
    """A small component: its best-connected node in the middle, the others around it."""
    if len(nodes) == 1:
        return {nodes[0]: (0.0, 0.0)}
    if len(nodes) == 2:
        return {nodes[0]: (-_SPACING / 2, 0.0), nodes[1]: (_SPACING / 2, 0.0)}
    hub = min(nodes, key=lambda n: (-degree[n], n))
    rim = [n for n in nodes if n != hub]
    radius = max(_SPACING, _SPACING * len(rim) / (2 * math.pi))
    pos = {hub: (0.0, 0.0)}
    for i, n in enumerate(rim):
        angle = 2 * math.pi * i / len(rim)
        pos[n] = (radius * math.cos(angle), radius * math.sin(angle))
    return pos


def _anchored(
    adj: sp.csr_array,
    members: npt.NDArray[np.int64],
    jitter: npt.NDArray[np.float64],
    seed: int,
) -> npt.NDArray[np.float64]:
    """Positions of one large component (rows of ``adj`` given by ``members``).

    Its best-connected nodes (the anchors) are laid out by force on a small
    weighted graph (anchors linked by their direct and two-step connections);
    every other node is then placed, ring by ring outwards from the anchors,
    at the mean of its already placed neighbours plus its own fixed offset
    (``jitter``), so that leaves form a ring around the node they hang on.
    """
    sub = sp.csr_array(adj[members][:, members])
    n = len(members)
    degree = np.diff(sub.indptr)
    k = min(_ANCHORS, n)
    anchors = np.lexsort((np.arange(n), -degree))[:k]
    rows = sp.csr_array(sub[anchors])
    skeleton = sp.coo_array(rows @ sp.csr_array(rows.T) + rows[:, anchors])
    # The anchors' graph as nx.to_numpy_array would hold it: each link's weight both ways.
    upper = skeleton.row < skeleton.col
    matrix = np.zeros((k, k))
    weights = skeleton.data[upper].astype(np.float64)
    matrix[skeleton.row[upper], skeleton.col[upper]] = weights
    matrix[skeleton.col[upper], skeleton.row[upper]] = weights
    scale = _SPACING * math.sqrt(n) / 2
    laid = _spring(matrix, seed=seed, scale=scale, iterations=100)
    pos = np.zeros((n, 2))
    placed = np.zeros(n, dtype=bool)
    pos[anchors] = laid
    placed[anchors] = True
    while not placed.all():
        mask = placed.astype(np.float64)
        count = sub @ mask
        fresh = np.flatnonzero((count > 0) & ~placed)
        if len(fresh) == 0:  # cannot happen in a connected component; stay safe
            fresh = np.flatnonzero(~placed)
            count[fresh] = 1.0
        sums = sub[fresh] @ (pos * mask[:, None])
        pos[fresh] = sums / count[fresh][:, None] + jitter[fresh]
        placed[fresh] = True
    return pos


def _components(adj: sp.csr_array) -> npt.NDArray[np.int64]:
    """A label per node, the same for two nodes exactly when they are connected.

    What ``scipy.sparse.csgraph.connected_components`` finds (the labels may be
    other numbers; the layout reads only which nodes share one), without importing
    scipy.sparse.csgraph, which brings scipy.linalg (a sixth of a second) with it.
    Each round hooks every root to the smallest root it is linked to, then lets
    every node point straight at its root; a root is the smallest node of its tree.
    """
    n = adj.shape[0]
    rows = np.repeat(np.arange(n, dtype=np.int64), np.diff(adj.indptr))
    cols = adj.indices.astype(np.int64)
    root = np.arange(n, dtype=np.int64)
    while True:
        a, b = root[rows], root[cols]
        apart = a != b
        if not apart.any():
            return root
        np.minimum.at(root, np.maximum(a, b)[apart], np.minimum(a, b)[apart])
        while True:  # every node straight to its root (roots only ever get smaller)
            up = root[root]
            if np.array_equal(up, root):
                break
            root = up


def _large_positions(links: Adjacency, seed: int) -> list[_Laid]:
    """Each connected component's positions, largest first, for a large graph's links."""
    nodes, adj, size = links.nodes, links.links, len(links.nodes)
    labels = _components(adj)
    order = np.argsort(labels, kind="stable")
    cuts = np.flatnonzero(np.diff(labels[order])) + 1
    groups = sorted(np.split(order, cuts), key=lambda c: (-len(c), int(c[0])))
    rng = np.random.default_rng(seed)
    angle = rng.uniform(0.0, 2 * math.pi, size)
    radius = _SPACING * (0.6 + 0.8 * rng.random(size))
    jitter = np.stack([radius * np.cos(angle), radius * np.sin(angle)], axis=1)
    degree = np.diff(adj.indptr)
    laid: list[_Laid] = []
    for members in groups:
        names = list(map(nodes.__getitem__, members.tolist()))
        if len(members) <= _SMALL_COMPONENT:
            degrees = dict(zip(names, degree[members].tolist(), strict=True))
            laid.append(_as_laid(_wheel(names, degrees)))
            continue
        laid.append((names, _anchored(adj, members.astype(np.int64), jitter, seed)))
    return laid


def layout_positions(g: nx.Graph, *, seed: int = LAYOUT_SEED) -> Positions:
    """Force-directed positions for every node of ``g``, deterministic for a seed.

    Each connected component is laid out on its own, with room growing with
    its size, and the components are then set side by side in rows, largest
    first. (One force layout of the whole graph would push small islands far
    away and squeeze the main network until its nodes overlap.)

    Above :data:`LARGE_LAYOUT` nodes (a CORDIS-sized network) a force layout
    of every node would take minutes, so the layout is anchored instead, and
    still deterministic for a seed: in each large component the 300
    best-connected nodes are laid out by force (on their direct and two-step
    links), and every other node is placed, ring by ring outwards, at the mean
    of its placed neighbours plus a fixed seeded offset; components of up to
    40 nodes are drawn as a wheel around their best-connected node. Half a
    second for 65,000 nodes and 200,000 edges.

    Examples
    --------
    >>> g = nx.path_graph(["a", "b", "c"])
    >>> layout_positions(g) == layout_positions(g)
    True
    """
    if g.number_of_nodes() == 0:
        return {}
    if g.number_of_nodes() > LARGE_LAYOUT:
        return _arranged(_large_positions(adjacency(g), seed))
    components = sorted(
        (sorted(str(n) for n in c) for c in nx.connected_components(g)),
        key=lambda c: (-len(c), c[0]),
    )
    return _arranged([_as_laid(_component_positions(g, nodes, seed)) for nodes in components])


def layout_of_links(links: Adjacency, *, seed: int = LAYOUT_SEED) -> Positions:
    """:func:`layout_positions` of the graph whose links are ``links`` (a graph without
    self-loops, its nodes the ids ``links.nodes``): the same positions, bit for bit,
    without a networkx graph of a large network (a small one is built from the links).
    """
    if len(links.nodes) > LARGE_LAYOUT:
        return _arranged(_large_positions(links, seed))
    upper = sp.triu(links.links, k=1, format="coo")
    small = nx.Graph()
    small.add_nodes_from(links.nodes)
    nodes = links.nodes
    small.add_edges_from(
        (nodes[i], nodes[j]) for i, j in zip(upper.row.tolist(), upper.col.tolist(), strict=True)
    )
    return layout_positions(small, seed=seed)


def _arranged(laid: list[_Laid]) -> Positions:
    """The components' positions set side by side in rows, largest first, centred.

    In numpy, with the same operations on the same numbers as one node at a time
    would do (so the same positions, bit for bit); only the rounding is Python's.
    """
    boxes = []
    for _, xy in laid:
        left, top = float(xy[:, 0].min()), float(xy[:, 1].min())
        right, bottom = float(xy[:, 0].max()), float(xy[:, 1].max())
        boxes.append((left, top, right - left + _SPACING, bottom - top + _SPACING))
    area = sum(w * h for _, _, w, h in boxes)
    row_width = max(max(w for _, _, w, _ in boxes), math.sqrt(area) * 1.3)
    names: list[str] = []
    moved: list[npt.NDArray[np.float64]] = []
    x = y = row_height = 0.0
    for (nodes, xy), (left, top, width, height) in zip(laid, boxes, strict=True):
        if x > 0 and x + width > row_width:
            x, y, row_height = 0.0, y + row_height, 0.0
        names += nodes
        moved.append(np.stack([(xy[:, 0] - left) + x, (xy[:, 1] - top) + y], axis=1))
        x += width
        row_height = max(row_height, height)
    placed = np.concatenate(moved)
    cx = (float(placed[:, 0].min()) + float(placed[:, 0].max())) / 2
    cy = (float(placed[:, 1].min()) + float(placed[:, 1].max())) / 2
    xs = list(map(round, (placed[:, 0] - cx).tolist(), repeat(2)))
    ys = list(map(round, (placed[:, 1] - cy).tolist(), repeat(2)))
    return dict(zip(names, zip(xs, ys, strict=True), strict=True))


# A saved folder's layouts, kept beside its snapshot: the dashboard and the exports
# lay a view out once per content of the tables, and read it back after.


@functools.cache
def _layout_code() -> str:
    """What a layout depends on besides the data and our code: the seed and the libraries.

    Our own code is in the content key already (:func:`defus_graph.store.snapshot.content_key`).
    """
    versions = f"{LAYOUT_SEED} {nx.__version__} {np.__version__} {scipy.__version__}"
    return hashlib.sha256(versions.encode()).hexdigest()


def _layout_key(content: str, view: str) -> str:
    """The key the layouts of ``view`` of tables of content key ``content`` are kept under."""
    return hashlib.sha256(f"{content}\0{view}\0{_layout_code()}".encode()).hexdigest()


def kept_layout(
    folder: Path | str,
    content: str | None,
    view: str,
    nodes: Collection[str],
    lay_out: Callable[[], Positions],
    name: str = "layout",
) -> Positions:
    """The layout of a view of a saved folder, kept beside its snapshot: laid out once.

    Parameters
    ----------
    folder : the data folder the view was read from ("" for data held in memory:
        laid out, nothing kept).
    content : the content key of its tables as read
        (:func:`defus_graph.store.tables.load_with_key`); ``None`` or "" keeps nothing.
    view : the view laid out; with ``content``, it must determine the graph
        (an unfiltered view), as the positions are taken for any graph of that key.
    nodes : the view's nodes: kept positions that do not cover exactly these are
        not taken (a damaged or foreign file), and the view is laid out again.
    lay_out : computes the positions (:func:`layout_positions` of the view, or
        :func:`layout_of_links` of its links), called only when none are kept.
    name : tells the whole view's layout from another kept layout of it (the
        dashboard's overview, :class:`~defus_graph.draw.focus.NetworkIndex`'s
        ``part_layout``).

    Keyed by the tables' content and the code that lays them out, so an edit or
    a new version lays the view out again. Positions are numbers kept in Parquet
    and read back exactly: the same as laying the view out again, bit for bit.
    """
    if not folder or not content:
        return lay_out()
    # Here, not at the top: pyarrow is imported only by a command that keeps or reads.
    from ..store.snapshot import read_positions, write_positions

    key = _layout_key(content, view)
    name = f"{name}-{view}"
    kept = read_positions(Path(folder), name, key)
    if kept is not None and len(kept) == len(nodes) and all(n in kept for n in nodes):
        return kept
    positions = lay_out()
    write_positions(Path(folder), name, key, positions)
    return positions
