"""Two CSV tables for Gephi's "Import spreadsheet": nodes and edges.

``nodes.csv``
    ``Id``, ``Label``, ``timeset``, then the node attributes.
``edges.csv``
    ``Source``, ``Target``, ``Type`` (always ``Undirected``), ``Id``,
    ``Label``, ``Weight`` (1 where the graph gives none), ``timeset``, then
    the edge attributes.

Both are UTF-8 without a byte-order mark (Gephi would read a BOM into the
first header and miss the ``Id`` column), comma-separated, quoted where
needed. ``timeset`` is Gephi's interval set, ``<[2017-10-01, 2019-09-30]>``, with
one interval per spell where a row has several (``<[2014-01-01,
2015-12-31]; [2019-01-01, 2020-12-31]>``, as the GEXF's ``<spells>``); an
unknown bound is ``-Infinity`` or ``Infinity``, as Gephi's interval parser
reads them; nothing is written for an undated row.

Text that a spreadsheet would run as a formula (starting with ``=``, ``+``,
``-``, ``@``, tab or carriage return) gets a leading ``'``, as OWASP
recommends; numeric columns are left alone, so ``-3`` stays a number.

On disk (:func:`write_gephi_csv`): a path ending in ``.zip`` gets the zip of
both tables; any other path ``X`` or ``X.csv`` gets ``X.nodes.csv`` and
``X.edges.csv`` beside each other (each written atomically).
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence
from itertools import compress
from pathlib import Path
from typing import TypeVar, cast

from ._columns import Attributes, column_text
from ._files import write_atomic
from ._table import Interval, Table, Writable, table_from_graph

__all__ = [
    "EDGE_HEADER",
    "NODE_HEADER",
    "csv_paths",
    "csv_tables",
    "gephi_csv_zip",
    "timeset",
    "write_gephi_csv",
]

#: The fixed leading columns of each table.
NODE_HEADER = ("Id", "Label", "timeset")
EDGE_HEADER = ("Source", "Target", "Type", "Id", "Label", "Weight", "timeset")

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: Text, or text that may be missing.
_Text = TypeVar("_Text", str, str | None)
#: Fixed timestamp inside the zip, so the same graph always gives the same bytes.
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def _safe(text: str) -> str:
    """Text that no spreadsheet runs as a formula.

    Examples
    --------
    >>> _safe("=HYPERLINK(1)"), _safe("Genk")
    ("'=HYPERLINK(1)", 'Genk')
    """
    return "'" + text if text.startswith(_FORMULA_START) else text


def _all_safe(texts: Sequence[_Text]) -> list[_Text]:
    """:func:`_safe` of each text (``None`` stays ``None``); the texts as they are when
    none starts like a formula, told by one search over all of them."""
    # "\x00" is never in cleaned text (XML forbids it): it marks where each one starts.
    present = list(filter(None, texts))
    joined = "\x00" + "\x00".join(present)
    if joined.count("\x00") == max(len(present), 1) and not any(
        "\x00" + c in joined for c in _FORMULA_START
    ):
        return cast(list[_Text], texts)  # the lists given, as they are
    return [t if not t else _safe(t) for t in texts]


def _cells(attributes: Attributes) -> list[list[str | None]]:
    """Each column's cells (``None`` for an empty cell), one comprehension per column."""
    cells = []
    for column, values in zip(attributes.columns, attributes.values, strict=True):
        texts = column_text(column, values)
        if column.type == "string":  # numbers are left alone: -3 stays a number
            texts = _all_safe(texts)
        cells.append(texts)
    return cells


def _bounds(interval: Interval) -> str:
    start = interval.start.isoformat() if interval.start else "-Infinity"
    end = interval.end.isoformat() if interval.end else "Infinity"
    return f"[{start}, {end}]"


def timesets(intervals: list[Interval], spells: list[tuple[Interval, ...]]) -> list[str | None]:
    """Each row's :func:`timeset`, or its spells as one interval set when it has several.

    Examples
    --------
    >>> import datetime as dt
    >>> timesets([Interval(dt.date(2014, 1, 1), dt.date(2020, 12, 31))],
    ...          [(Interval(dt.date(2014, 1, 1), dt.date(2015, 12, 31)),
    ...            Interval(dt.date(2019, 1, 1), dt.date(2020, 12, 31)))])
    ['<[2014-01-01, 2015-12-31]; [2019-01-01, 2020-12-31]>']
    """
    # Rows share interval objects (every edge of a project has the project's): each is
    # written once.
    made = {id(i): timeset(i) for i in {id(i): i for i in intervals}.values()}
    texts: list[str | None] = list(map(made.__getitem__, map(id, intervals)))
    for k in compress(range(len(spells)), spells):  # the few rows with spells
        texts[k] = f"<{'; '.join(map(_bounds, spells[k]))}>"
    return texts


def timeset(interval: Interval) -> str:
    """Gephi's text for an interval, or ``""`` when undated.

    Examples
    --------
    >>> import datetime as dt
    >>> timeset(Interval(dt.date(2017, 10, 1), dt.date(2019, 9, 30)))
    '<[2017-10-01, 2019-09-30]>'
    >>> timeset(Interval(dt.date(2017, 1, 1), None))
    '<[2017-01-01, Infinity]>'
    """
    if not interval.is_dated():
        return ""
    return f"<{_bounds(interval)}>"


#: What makes ``csv.writer`` quote a field (QUOTE_MINIMAL, lineterminator "\r\n").
_QUOTED = re.compile('[,"\r\n]')


def _fields(texts: Sequence[str | None]) -> list[str]:
    """Each text as ``csv.writer`` writes it in a row of several fields: ``None`` empty,
    quoted (its quotes doubled) where it holds a comma, a quote or a line break.

    Column by column: one search over all of them tells whether any needs quoting.
    """
    fields = ["" if t is None else t for t in texts] if None in texts else cast(list[str], texts)
    if _QUOTED.search("".join(fields)) is None:
        return fields
    sample = fields[:200]
    if len(set(sample)) * 4 <= len(sample):  # a few values repeated (time sets): each once
        made = {f: _quoted(f) for f in set(fields)}
        return list(map(made.__getitem__, fields))
    return list(map(_quoted, fields))


def _quoted(field: str) -> str:
    """``field`` as ``csv.writer`` writes it (see :func:`_fields`)."""
    return '"' + field.replace('"', '""') + '"' if _QUOTED.search(field) else field


def _write(header: list[str], columns: Sequence[Sequence[str | None]]) -> bytes:
    """The table with ``header`` and ``columns`` (``None`` is written as an empty cell),
    as ``csv.writer`` writes it with lines ending in "\r\n" (every table has three
    columns or more, so no row is a lone empty field, which it would quote).

    Each column's fields are made at once (:func:`_fields`), then each row joined.
    """
    lines = [",".join(_fields(header)), *map(",".join, zip(*map(_fields, columns), strict=True))]
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def _tables(table: Table) -> tuple[bytes, bytes]:
    nodes, edges = table.nodes, table.edges
    node_table = _write(
        [*NODE_HEADER, *(c.name for c in nodes.attributes.columns)],
        [
            _all_safe(nodes.ids),
            _all_safe(nodes.labels),
            timesets(nodes.intervals, nodes.spells),
            *_cells(nodes.attributes),
        ],
    )
    edge_table = _write(
        [*EDGE_HEADER, *(c.name for c in edges.attributes.columns)],
        [
            _all_safe(edges.sources),
            _all_safe(edges.targets),
            ["Undirected"] * len(edges),
            [str(i) for i in range(len(edges))],
            _all_safe(edges.labels),
            ["1.0" if w is None else repr(w) for w in edges.weights],
            timesets(edges.intervals, edges.spells),
            *_cells(edges.attributes),
        ],
    )
    return node_table, edge_table


def csv_tables(g: Writable) -> tuple[bytes, bytes]:
    """The nodes table and the edges table of ``g``, each as UTF-8 CSV bytes."""
    return _tables(table_from_graph(g))


def gephi_csv_zip(g: Writable) -> bytes:
    """A zip holding ``nodes.csv`` and ``edges.csv`` of ``g``.

    Examples
    --------
    >>> import zipfile, io
    >>> import networkx as nx
    >>> sorted(zipfile.ZipFile(io.BytesIO(gephi_csv_zip(nx.Graph()))).namelist())
    ['edges.csv', 'nodes.csv']
    """
    nodes, edges = csv_tables(g)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in (("nodes.csv", nodes), ("edges.csv", edges)):
            info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return buffer.getvalue()


def csv_paths(path: Path) -> tuple[Path, Path]:
    """Where the two tables go for ``path`` (``X`` or ``X.csv``): ``X.nodes.csv``, ``X.edges.csv``.

    Examples
    --------
    >>> [p.name for p in csv_paths(Path("out/network.csv"))]
    ['network.nodes.csv', 'network.edges.csv']
    """
    path = Path(path)
    stem = path.name[: -len(".csv")] if path.name.lower().endswith(".csv") else path.name
    return path.with_name(f"{stem}.nodes.csv"), path.with_name(f"{stem}.edges.csv")


def write_gephi_csv(g: Writable, path: Path) -> list[Path]:
    """Write the tables of ``g``: a zip if ``path`` ends in ``.zip``, else two CSV files.

    Returns the paths written.
    """
    path = Path(path)
    if path.suffix.lower() == ".zip":
        return [write_atomic(path, gephi_csv_zip(g))]
    nodes, edges = csv_tables(g)
    node_path, edge_path = csv_paths(path)
    return [write_atomic(node_path, nodes), write_atomic(edge_path, edges)]
