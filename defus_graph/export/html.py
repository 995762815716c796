"""A standalone web page of the network: opens in any browser, offline.

The drawing is :func:`defus_graph.draw.vis.network_html`, the dashboard's styling
with vis-network inlined; positions are the seeded layout, physics is off.
A network larger than a browser can draw is drawn as the dashboard draws it
(:mod:`defus_graph.draw.focus`): its most central part, with a note on the page
saying what is hidden.
"""

from __future__ import annotations

from pathlib import Path

import networkx as nx

from ..draw.focus import NetworkIndex
from ..draw.layout import Positions, layout_positions
from ..draw.style import node_sizes
from ..draw.vis import network_html
from ._files import write_atomic

__all__ = ["DEFAULT_TITLE", "html_bytes", "write_html"]

DEFAULT_TITLE = "DEFUS partner network"


def html_bytes(
    g: nx.Graph, *, positions: Positions | None = None, title: str = DEFAULT_TITLE
) -> bytes:
    """``g`` as a standalone HTML page, UTF-8.

    ``positions`` defaults to :func:`defus_graph.draw.layout.layout_positions` of ``g``.
    Above :data:`defus_graph.draw.focus.DRAW_LIMIT` nodes or
    :data:`defus_graph.draw.focus.LINK_LIMIT` links, the page draws the overview of
    :meth:`defus_graph.draw.focus.NetworkIndex.view` and says what it leaves out.
    """
    if positions is None:
        positions = layout_positions(g)
    part = NetworkIndex(g, positions=positions).view()
    page = network_html(
        part.graph, positions=part.positions, sizes=node_sizes(g), title=title, note=part.notice
    )
    return page.encode("utf-8")


def write_html(
    g: nx.Graph, path: Path, *, positions: Positions | None = None, title: str = DEFAULT_TITLE
) -> Path:
    """Write :func:`html_bytes` to ``path`` (atomically); returns ``path``."""
    return write_atomic(path, html_bytes(g, positions=positions, title=title))
