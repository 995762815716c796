"""How nodes look, by kind: one palette and one legend for the dashboard, pictures and Gephi.

Colours are chosen to stay apart for colour-blind readers (Okabe–Ito based).
"""

from __future__ import annotations

import math
from typing import Any

import networkx as nx
import numpy as np

from ..graph.bipartite import (
    Adjacency,
    BipartiteColumns,
    ProjectionLinks,
    link_weight,
    org_id,
    project_id,
)

__all__ = [
    "KIND_COLOURS",
    "MEMBER_RING",
    "MEMBER_RING_WIDTH",
    "PROJECT_COLOUR",
    "kind_colour",
    "legend_items",
    "legend_note",
    "node_size",
    "node_sizes",
]

PROJECT_COLOUR = "#222222"

#: Organisation kind -> hex colour; "unknown" for organisations of no known kind.
KIND_COLOURS: dict[str, str] = {
    "project": PROJECT_COLOUR,
    "city": "#0072B2",
    "region": "#56B4E9",
    "ministry": "#009E73",
    "public body": "#4DAF7C",
    "police": "#1B5E20",
    "NGO": "#E69F00",
    "foundation": "#F0C05A",
    "university": "#CC79A7",
    "research institute": "#A3508A",
    "network": "#D55E00",
    "sports body": "#8C564B",
    "company": "#7F7F7F",
    "other": "#B0B0B0",
    "unknown": "#D0D0D0",
}


#: The ring around a member of the network (an organisation on the member list):
#: its border, in this colour and width, whatever the kind's colour inside.
MEMBER_RING = "#000000"
MEMBER_RING_WIDTH = 3


def kind_colour(kind: str) -> str:
    """The colour of a node of this kind (grey for a kind outside the palette)."""
    return KIND_COLOURS.get(kind, KIND_COLOURS["other"])


def node_size(centrality: float, *, smallest: float = 10.0, largest: float = 40.0) -> float:
    """A node's drawn size from a centrality in [0, 1], area-proportional.

    Examples
    --------
    >>> node_size(0.0), node_size(1.0)
    (10.0, 40.0)
    """
    c = min(max(centrality, 0.0), 1.0)
    return round(smallest + (largest - smallest) * math.sqrt(c), 2)


def _strengths(g: nx.Graph, links: Adjacency | None) -> dict[Any, float]:
    """Each node's summed link weights, from ``links`` when that gives the very same floats.

    Sums of whole numbers (1 per link on the bipartite graph, shared projects on
    a projection) do not depend on their order; other weights, and self-loops
    (counted at both ends but kept once in ``links``), are summed edge by edge.
    """
    plain = not g.is_directed() and not g.is_multigraph()
    if plain and links is not None and links.weights is not None and len(links.nodes) == len(g):
        data = links.weights.data
        whole = bool(np.all(data == np.floor(data))) and float(data.sum()) < 2.0**52
        if whole and nx.number_of_selfloops(g) == 0:
            sums = np.asarray(links.weights.sum(axis=1)).ravel().tolist()
            index = links.index
            return {n: sums[index[str(n)]] for n in g}
    summed = _whole_strengths(g) if plain else None
    if summed is not None:
        return summed
    strength = dict.fromkeys(g, 0.0)
    for u, v, w in g.edges(data="weight"):
        x = link_weight(w)
        strength[u] += x
        strength[v] += x
    return strength


def _whole_strengths(g: nx.Graph) -> dict[Any, float] | None:
    """Each node's summed link weights, in numpy, when every weight is a whole number
    (an int, or none: 1) and there is no self-loop, so any order of summing gives the
    same floats; else ``None``. ``g`` is undirected and simple."""
    adj = g._adj  # each link under both its ends
    weights = [d.get("weight") for neighbours in adj.values() for d in neighbours.values()]
    kinds = set(map(type, weights))
    if not kinds <= {int, type(None)} or nx.number_of_selfloops(g):
        return None
    if kinds == {int}:
        w = np.array(weights, dtype=np.float64)
        w[w <= 0] = 1.0  # as link_weight counts a weight that is not positive
    else:
        w = np.array([1 if x is None else x for x in weights], dtype=np.float64)
        w[w <= 0] = 1.0
    if float(w.sum()) >= 2.0**52:
        return None
    degrees = np.fromiter(map(len, adj.values()), dtype=np.int64, count=len(adj))
    owners = np.repeat(np.arange(len(adj)), degrees)
    sums = np.bincount(owners, weights=w, minlength=len(adj))
    return dict(zip(adj, sums.tolist(), strict=True))


def node_sizes(
    g: nx.Graph | ProjectionLinks | BipartiteColumns, *, links: Adjacency | None = None
) -> dict[str, float]:
    """Drawn size of every node: area by degree, relative to the busiest node of its side.

    Projects are compared with projects and organisations with organisations
    (the bipartite normalisation), so one big consortium does not dwarf every
    city. The dashboard and the Gephi export both use this, so they agree.
    ``links``, the weighted :func:`~defus_graph.graph.bipartite.adjacency` of ``g`` when
    already built, saves a pass over the edges where it gives the same sums. A
    projection given as columns, or the bipartite view as a dataset's arrays, is sized
    as its graph would be.
    """
    if isinstance(g, BipartiteColumns):
        return _sizes_of_columns(g)
    # Weighted degree, each link counted by link_weight (a weight that is not a
    # number would otherwise make a size of NaN, which no GEXF reader accepts).
    if isinstance(g, ProjectionLinks):
        # Whole weights of at least 1: summed in any order, the same floats.
        strength = dict(zip(g.kept, g.strengths().tolist(), strict=True))
        g = g.nodes
    else:
        strength = _strengths(g, links)
    sides: dict[object, list[str]] = {}
    for n, side in g.nodes(data="bipartite"):
        sides.setdefault(side, []).append(n)
    sizes: dict[str, float] = {}
    for members in sides.values():
        weights = {n: strength[n] for n in members}
        top = max(weights.values(), default=0) or 1
        sizes.update({str(n): node_size(_share(w, top)) for n, w in weights.items()})
    return sizes


def _sizes_of_columns(b: BipartiteColumns) -> dict[str, float]:
    """:func:`node_sizes` of ``b.graph()``: every link counts 1, so a node's strength is
    its degree, and nodes of one degree have one size (each size made once)."""
    parts = b.parts
    sizes: dict[str, float] = {}
    project_degrees = np.bincount(parts.project, minlength=len(parts.projects))
    org_degrees = b.organisation_counts()
    kept = np.flatnonzero(org_degrees)
    sides = (
        ([project_id(p.acronym) for p in parts.projects], project_degrees),
        ([org_id(parts.organisations[i].name) for i in kept.tolist()], org_degrees[kept]),
    )
    for ids, degrees in sides:
        strengths = degrees.astype(np.float64).tolist()
        top = max(strengths, default=0) or 1
        made = {s: node_size(_share(s, top)) for s in set(strengths)}
        sizes.update(zip(ids, map(made.__getitem__, strengths), strict=True))
    return sizes


def _share(strength: float, top: float) -> float:
    """``strength / top``, also when a sum of huge weights overflowed to infinity."""
    if math.isinf(top):  # inf / inf would be NaN, a size no GEXF reader accepts
        return 1.0 if math.isinf(strength) else 0.0
    return strength / top


def legend_items(g: nx.Graph) -> list[dict[str, str]]:
    """Legend entries for the kinds drawn in ``g``, in palette order; projects are squares.

    Members of the network drawn in ``g`` add a last entry: a ring.

    Organisations are labelled by their kind alone ("city"); the legend's note
    says that colour is the kind and size the number of links.
    """
    present = {str(k) for _, k in g.nodes(data="kind")}
    items = []
    for kind, colour in KIND_COLOURS.items():
        if kind in present:
            label = "project" if kind == "project" else kind
            shape = "square" if kind == "project" else "dot"
            items.append({"label": label, "colour": colour, "shape": shape})
    if any(member for _, member in g.nodes(data="member")):
        items.append({"label": "member (ring)", "colour": MEMBER_RING, "shape": "ring"})
    return items


def legend_note(g: nx.Graph) -> str:
    """What shapes, sizes and edge widths mean in the drawing of ``g``."""
    kinds = {str(k) for _, k in g.nodes(data="kind")}
    if kinds == {"project"}:
        return "Projects; an edge's width grows with the organisations the two share."
    if "project" not in kinds:
        return "Organisations coloured by kind; an edge's width grows with the projects shared."
    return "Squares are projects, circles organisations coloured by kind; size = links."
