"""A standalone web page of the network: opens in any browser, offline.

The drawing is :func:`defus_graph.viz.network_html`, the dashboard's styling
with vis-network inlined; positions are the seeded layout, physics is off.
"""

from __future__ import annotations

from pathlib import Path

import networkx as nx

from ..layout import Positions, layout_positions
from ..viz import network_html
from ._files import write_atomic

__all__ = ["DEFAULT_TITLE", "html_bytes", "write_html"]

DEFAULT_TITLE = "DEFUS partner network"


def html_bytes(
    g: nx.Graph, *, positions: Positions | None = None, title: str = DEFAULT_TITLE
) -> bytes:
    """``g`` as a standalone HTML page, UTF-8.

    ``positions`` defaults to :func:`defus_graph.layout.layout_positions` of ``g``.
    """
    if positions is None:
        positions = layout_positions(g)
    return network_html(g, positions=positions, title=title).encode("utf-8")


def write_html(
    g: nx.Graph, path: Path, *, positions: Positions | None = None, title: str = DEFAULT_TITLE
) -> Path:
    """Write :func:`html_bytes` to ``path`` (atomically); returns ``path``."""
    return write_atomic(path, html_bytes(g, positions=positions, title=title))
