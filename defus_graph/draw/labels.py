"""Which labels the first view of a network shows, and how large: readable, none overlapping.

vis-network draws a label under its node at a font size in drawing units, so
labels grow and shrink with the zoom and two that overlap at one zoom overlap
at every zoom (until ``maxVisible`` caps them). :func:`label_fonts` therefore
chooses, before anything is drawn, which nodes get a label readable at the
zoom that fits the drawing to its frame; the others get a label too small to
be drawn (below ``drawThreshold``) until the user zooms in. Shared by the
dashboard and the HTML export through :func:`defus_graph.draw.vis.pyvis_network`.
"""

from __future__ import annotations

from collections.abc import Iterator

import networkx as nx

from ..graph.bipartite import PROJECT
from .layout import Positions

__all__ = ["DRAW_THRESHOLD", "LABEL_PX", "label_fonts"]

#: Height in pixels of a label shown at the first view (the drawing fitted to its frame).
LABEL_PX = 13.0

#: The drawing's usual frame in pixels: the dashboard's, in a window 1,280 pixels wide.
_FRAME_PX = (480.0, 550.0)

#: Labels drawn smaller than this many pixels are left out (vis-network's drawThreshold);
#: the small labels of the first view are a quarter of LABEL_PX, so they appear on zooming in.
DRAW_THRESHOLD = 8

#: Width of a label per character, in font sizes: generous for sans-serif, so that
#: labels judged apart do not touch on screen.
_CHAR_EM = 0.62

_Box = tuple[float, float, float, float]  # left, top, right, bottom in drawing units


def _label_boxes(
    x: float, y: float, size: float, text: str, font: float, bold: bool
) -> Iterator[tuple[_Box, float]]:
    """Where vis-network draws a label of ``font`` under a node, then over it, with the
    ``vadjust`` that puts it there; each box has a little room around it."""
    half = len(text) * (_CHAR_EM + (0.08 if bold else 0.0)) * font / 2 + 0.2 * font
    under = y + size + 0.6 * font  # measured: vis-network leaves 0.6 font sizes under the node
    over = y - size - 1.3 * font
    for top, vadjust in ((under, 0.0), (over, over - under)):
        yield (x - half, top - 0.15 * font, x + half, top + 1.15 * font), vadjust


def _overlap(a: _Box, b: _Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _extent(boxes: list[_Box]) -> _Box:
    """The smallest box holding ``boxes``."""
    if not boxes:
        return (0.0, 0.0, 0.0, 0.0)
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


def _fit_scale(extent: _Box) -> float:
    """Pixels per drawing unit when vis-network fits ``extent`` into the usual frame."""
    width, height = extent[2] - extent[0], extent[3] - extent[1]
    if width <= 0 or height <= 0:
        return 1.0
    return min(_FRAME_PX[0] / (1.1 * width), _FRAME_PX[1] / (1.1 * height))


def label_fonts(
    g: nx.Graph, positions: Positions, sizes: dict[str, float], *, labels: dict[str, str]
) -> dict[str, dict[str, float]]:
    """vis-network font options (``size``, ``vadjust``) of each node's label, so that the
    first view is readable.

    The busiest nodes (largest first) get labels :data:`LABEL_PX` pixels high
    at the first view, under the node or else over it, each only where it
    covers no label given before, no labelled node and no larger node; every other
    node gets a label a quarter of that size, below vis-network's draw
    threshold until the user zooms in. Sizes follow the layout's extent, so a
    large network shows the labels of its hubs too; a label that would reach
    beyond the nodes' extent (and so change the zoom that fits them) waits.

    Examples
    --------
    >>> xy = {"org:Hub": (0, 0), "org:Left": (-30, 100), "org:Right": (30, 100),
    ...       "org:Far": (0, 400)}
    >>> g = nx.Graph([("org:Hub", n) for n in xy if n != "org:Hub"])
    >>> sizes = {"org:Hub": 20.0, "org:Left": 10.0, "org:Right": 10.0, "org:Far": 10.0}
    >>> fonts = label_fonts(g, xy, sizes, labels={n: n[4:] for n in xy})
    >>> hub = fonts["org:Hub"]["size"]
    >>> [(round(fonts[n]["size"] / hub, 2), fonts[n]["vadjust"] < 0) for n in xy]
    [(1.0, False), (0.25, False), (0.25, False), (1.0, True)]

    The hub's label is under it; Left's and Right's would pass the drawing's
    side, so they wait for a zoom; Far's would pass its bottom, so it is over.
    """
    placed = sorted(
        (str(n) for n in g.nodes if str(n) in positions),
        key=lambda n: (-sizes.get(n, 10.0), -g.degree(n), len(labels.get(n, "")), n),
    )
    discs = {}
    for n in placed:
        (x, y), r = positions[n], sizes.get(n, 10.0)
        discs[n] = (x - r, y - r, x + r, y + r)
    # Labels stay within the nodes' extent, so the zoom that fits the nodes fits them too.
    frame = _extent(list(discs.values()))
    big = LABEL_PX / _fit_scale(frame)
    chosen = _uncovered(g, placed, positions, sizes, labels, discs, big, frame)
    fonts = {str(n): {"size": big / 4, "vadjust": 0.0} for n in g.nodes}
    fonts.update({n: {"size": big, "vadjust": v} for n, (_, v) in chosen.items()})
    return fonts


def _uncovered(
    g: nx.Graph,
    placed: list[str],
    positions: Positions,
    sizes: dict[str, float],
    labels: dict[str, str],
    discs: dict[str, _Box],
    font: float,
    frame: _Box,
) -> dict[str, tuple[_Box, float]]:
    """Nodes (in the order of ``placed``) whose label of ``font``, under or else over the
    node, covers no label chosen before, no node labelled and no larger node; with that
    label's box and ``vadjust``. A smaller node without a label may lie under it; the
    label stays inside ``frame``."""
    chosen: dict[str, tuple[_Box, float]] = {}
    taken: list[_Box] = []  # the labels chosen and their nodes
    for n in placed:
        (x, y), size = positions[n], sizes.get(n, 10.0)
        if any(_overlap(discs[n], b) for b, _ in chosen.values()):
            continue
        bold = g.nodes[n].get("bipartite") == PROJECT
        for box, vadjust in _label_boxes(x, y, size, labels.get(n, n), font, bold):
            if _extent([box, frame]) != frame:
                continue
            if any(_overlap(box, o) for o in taken) or any(
                _overlap(box, d) for m, d in discs.items() if sizes.get(m, 10.0) > size
            ):
                continue
            chosen[n] = (box, vadjust)
            taken += [box, discs[n]]
            break
    return chosen
