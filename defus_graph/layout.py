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

#: Node id -> (x, y) in screen-like units (about -SCALE..SCALE).
Positions = dict[str, tuple[float, float]]

_SCALE = 1000.0


def layout_positions(g: nx.Graph, *, seed: int = LAYOUT_SEED) -> Positions:
    """Force-directed positions for every node of ``g``, deterministic for a seed.

    The spread grows with the square root of the node count so that labels of
    larger graphs do not pile up. Isolated nodes are placed like the rest.

    Examples
    --------
    >>> g = nx.path_graph(["a", "b", "c"])
    >>> layout_positions(g) == layout_positions(g)
    True
    """
    if g.number_of_nodes() == 0:
        return {}
    nodes = sorted(g.nodes)
    ordered = nx.Graph()
    ordered.add_nodes_from(nodes)
    ordered.add_edges_from(sorted(tuple(sorted(e)) for e in g.edges))
    scale = _SCALE * max(1.0, math.sqrt(len(nodes) / 80))
    if len(nodes) == 1:
        return {nodes[0]: (0.0, 0.0)}
    raw = nx.spring_layout(ordered, seed=seed, scale=scale, iterations=200)
    return {str(n): (round(float(x), 2), round(float(y), 2)) for n, (x, y) in raw.items()}
