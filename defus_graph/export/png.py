"""A picture of the network for reports: PNG at print resolution, with title, legend and caption.

The drawing is the dashboard's (:func:`defus_graph.draw.scene.network_scene`):
the same nodes, positions, colours, sizes and selection; a network larger than
a browser can draw is drawn as the dashboard draws it (:mod:`defus_graph.draw.focus`),
and the caption says what is left out. Rendering is
:mod:`defus_graph.draw.picture` (Pillow, with a bundled font).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

import networkx as nx

from ..draw.focus import FocusedView, NetworkIndex
from ..draw.layout import Positions, layout_positions
from ..draw.picture import A4_LANDSCAPE, Page, encode_png, render
from ..draw.scene import (
    About,
    caption,
    network_legend,
    network_scene,
    outline_lines,
    payload_picture,
)
from ..draw.style import node_sizes

__all__ = ["DEFAULT_TITLE", "drawn_png", "payload_png", "png_bytes"]

DEFAULT_TITLE = "DEFUS partner network"


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")


def png_bytes(
    g: nx.Graph,
    *,
    positions: Positions | None = None,
    sizes: dict[str, float] | None = None,
    selected: str | None = None,
    about: About | None = None,
    title: str = DEFAULT_TITLE,
    page: Page = A4_LANDSCAPE,
    made: str | None = None,
) -> bytes:
    """``g`` drawn as the dashboard draws it, on a page, as PNG.

    Parameters
    ----------
    g : the view the filters keep (what the dashboard shows).
    positions : node id -> (x, y); default
        :func:`defus_graph.draw.layout.layout_positions` of ``g``.
    sizes : drawn sizes; default :func:`defus_graph.draw.style.node_sizes` of ``g``.
    selected : a node highlighted with its neighbours (ignored when not in ``g``); a
        network too large to draw whole is drawn around it, as on screen.
    about : the view, filters and data named in the caption.
    title : the heading. page : size and resolution (default A4 landscape, 300 dpi).
    made : when the picture was made, for the caption (default now, UTC).
    """
    if positions is None:
        positions = layout_positions(g)
    chosen = selected if selected is not None and selected in g else None
    part = NetworkIndex(g, positions=positions).view(chosen)
    return drawn_png(
        part, g, sizes=sizes, selected=chosen, about=about, title=title, page=page, made=made
    )


def drawn_png(
    part: FocusedView,
    g: nx.Graph,
    *,
    sizes: dict[str, float] | None = None,
    selected: str | None = None,
    about: About | None = None,
    title: str = DEFAULT_TITLE,
    page: Page = A4_LANDSCAPE,
    made: str | None = None,
) -> bytes:
    """The part of ``g`` the dashboard draws (``part``), as PNG; see :func:`png_bytes`.

    For a caller that holds the drawn part already (the dashboard): ``g`` is
    the whole view, counted in the caption and sizing the nodes.
    """
    if sizes is None:
        sizes = node_sizes(g)
    chosen = selected if selected is not None and selected in part.graph else None
    scene = network_scene(part.graph, part.positions, sizes=sizes, selected=chosen)
    name = str(part.graph.nodes[chosen].get("label", chosen)) if chosen is not None else ""
    words = caption(
        about or About(),
        nodes=g.number_of_nodes(),
        links=g.number_of_edges(),
        made=made or _now(),
        notice=part.notice,
        selected=name,
    )
    image, _ = render(scene, title, network_legend(part.graph), words, page)
    return encode_png(image, page)


def payload_png(
    payload: Mapping[str, Any],
    *,
    about: About,
    counted: str,
    rings: Iterable[Sequence[Sequence[float]]] = (),
    notice: str = "",
    selected: str = "",
    title: str = DEFAULT_TITLE,
    page: Page = A4_LANDSCAPE,
    made: str | None = None,
) -> bytes:
    """What a drawing component is handed (the map's payload), as PNG, with its legend.

    ``rings`` are the map's projected country outlines; ``counted`` says what
    is shown ("31 cities holding 52 organisations, 89 links"); ``notice``
    what is left out; ``selected`` the name of the marker highlighted.
    """
    scene, legend = payload_picture(payload, outlines=outline_lines(rings))
    words = caption(
        about,
        nodes=len(scene.points),
        links=len(scene.lines),
        made=made or _now(),
        notice=notice,
        selected=selected,
        counted=counted,
    )
    image, _ = render(scene, title, legend, words, page)
    return encode_png(image, page)
