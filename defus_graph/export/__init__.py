"""Writers of the network for Gephi and the browser: GEXF, GraphML, CSV tables and HTML.

Used by ``defus-graph export`` and the dashboard's downloads, on the bipartite
graph of :func:`defus_graph.graph.bipartite.graph_from_dataset`, a filtered view of it
(:func:`defus_graph.graph.views.filter_graph`) or one of its projections. Each
format has its module (:mod:`.gexf`, :mod:`.graphml`, :mod:`.gephi_csv`,
:mod:`.html`); what is written (types, names, dates) is decided once in
:mod:`._table` (attribute columns in :mod:`._columns`).

Examples
--------
>>> import networkx as nx
>>> export_bytes(nx.Graph(), "gexf").startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
True
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx

from ._columns import ExportError
from ._files import write_atomic
from ._table import Writable
from .gephi_csv import gephi_csv_zip, write_gephi_csv
from .gexf import gexf_bytes, write_gexf
from .graphml import graphml_bytes, write_graphml

# The layout (networkx and scipy, a quarter of a second to import) is imported by the
# writers that lay a graph out, when they do: not by every export.
if TYPE_CHECKING:
    from ..draw.layout import Positions

__all__ = [
    "FORMATS",
    "ExportError",
    "export_bytes",
    "gephi_csv_zip",
    "gexf_bytes",
    "graphml_bytes",
    "html_bytes",
    "write_export",
]

#: The formats :func:`export_bytes` and :func:`write_export` write.
FORMATS: tuple[str, ...] = ("gexf", "graphml", "csv", "html")


def __getattr__(name: str) -> Any:
    # The web page's writer pulls in pyvis and jinja2 (a third of a second): imported
    # when a page is written, not by every export.
    if name == "html_bytes":
        from .html import html_bytes

        return html_bytes
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _check(fmt: str) -> None:
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")


def export_bytes(g: Writable, fmt: str, *, positions: Positions | None = None) -> bytes:
    """``g`` in format ``fmt`` as bytes; ``"csv"`` gives the zip of both tables.

    Parameters
    ----------
    g : the graph to write (a projection may come as columns, ``ProjectionLinks``, the
        bipartite view as the dataset's arrays, ``BipartiteColumns``).
    fmt : one of :data:`FORMATS`.
    positions : node id -> (x, y), used by ``gexf`` and ``html``; default the
        seeded layout of ``g``.
    """
    _check(fmt)
    if fmt == "gexf":
        return gexf_bytes(g, positions=positions)
    if fmt == "graphml":
        return graphml_bytes(g)
    if fmt == "csv":
        return gephi_csv_zip(g)
    from .html import html_bytes

    return html_bytes(g if isinstance(g, nx.Graph) else g.graph(), positions=positions)


def write_export(
    g: Writable, fmt: str, path: Path, *, positions: Positions | None = None
) -> list[Path]:
    """Write ``g`` in format ``fmt`` to ``path``; returns the paths written.

    Each file is written to a temporary file beside it, then moved into place,
    so a reader never sees half a file. For ``"csv"``, a path ending in
    ``.zip`` gets the zip of both tables; any other path ``X`` or ``X.csv``
    gets ``X.nodes.csv`` and ``X.edges.csv``. A GEXF or GraphML document, and
    the two CSV files, are written as they are made, chunk by chunk, so they never
    have to fit in memory whole (a ``.zip`` is compressed chunk by chunk and held,
    compressed, until it is written).
    Raises :class:`ExportError` if the folder does not exist.
    """
    _check(fmt)
    path = Path(path)
    if fmt == "csv":
        return write_gephi_csv(g, path)
    if fmt == "gexf":
        return [write_gexf(g, path, positions=positions)]
    if fmt == "graphml":
        return [write_graphml(g, path)]
    return [write_atomic(path, export_bytes(g, fmt, positions=positions))]
