"""Seeded node positions, computed once and shared by the dashboard and the Gephi export.

The same data always gives the same picture, so a Gephi user opens on the
layout the dashboard showed.
"""

from __future__ import annotations

import math

import networkx as nx

__all__ = ["LAYOUT_SEED", "Positions", "layout_positions"]

#: Seed of the force-directed layout; change it and every picture changes.
LAYOUT_SEED = 7

#: Node id -> (x, y) in screen-like units, centred on (0, 0).
Positions = dict[str, tuple[float, float]]

#: Room per node, in layout units: far more than the largest drawn node (40).
_SPACING = 120.0


def _component_positions(
    g: nx.Graph, nodes: list[str], seed: int
) -> dict[str, tuple[float, float]]:
    """One connected component laid out on its own, centred on (0, 0)."""
    if len(nodes) == 1:
        return {nodes[0]: (0.0, 0.0)}
    if len(nodes) == 2:
        return {nodes[0]: (-_SPACING / 2, 0.0), nodes[1]: (_SPACING / 2, 0.0)}
    ordered = nx.Graph()
    ordered.add_nodes_from(nodes)
    ordered.add_edges_from(sorted(tuple(sorted(e)) for e in g.subgraph(nodes).edges))
    scale = _SPACING * math.sqrt(len(nodes))
    raw = nx.spring_layout(ordered, seed=seed, scale=scale, iterations=200)
    return {str(n): (float(x), float(y)) for n, (x, y) in raw.items()}


def layout_positions(g: nx.Graph, *, seed: int = LAYOUT_SEED) -> Positions:
    """Force-directed positions for every node of ``g``, deterministic for a seed.

    Each connected component is laid out on its own, with room growing with
    its size, and the components are then set side by side in rows, largest
    first. (One force layout of the whole graph would push small islands far
    away and squeeze the main network until its nodes overlap.)

    Examples
    --------
    >>> g = nx.path_graph(["a", "b", "c"])
    >>> layout_positions(g) == layout_positions(g)
    True
    """
    if g.number_of_nodes() == 0:
        return {}
    components = sorted(
        (sorted(str(n) for n in c) for c in nx.connected_components(g)),
        key=lambda c: (-len(c), c[0]),
    )
    laid = [_component_positions(g, nodes, seed) for nodes in components]
    boxes = []
    for pos in laid:
        xs = [p[0] for p in pos.values()]
        ys = [p[1] for p in pos.values()]
        boxes.append((min(xs), min(ys), max(xs) - min(xs) + _SPACING, max(ys) - min(ys) + _SPACING))
    area = sum(w * h for _, _, w, h in boxes)
    row_width = max(max(w for _, _, w, _ in boxes), math.sqrt(area) * 1.3)
    placed: dict[str, tuple[float, float]] = {}
    x = y = row_height = 0.0
    for pos, (left, top, width, height) in zip(laid, boxes, strict=True):
        if x > 0 and x + width > row_width:
            x, y, row_height = 0.0, y + row_height, 0.0
        for n, (px, py) in pos.items():
            placed[n] = (px - left + x, py - top + y)
        x += width
        row_height = max(row_height, height)
    cx = (min(p[0] for p in placed.values()) + max(p[0] for p in placed.values())) / 2
    cy = (min(p[1] for p in placed.values()) + max(p[1] for p in placed.values())) / 2
    return {n: (round(px - cx, 2), round(py - cy, 2)) for n, (px, py) in placed.items()}
