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
``X.edges.csv`` beside each other (each written atomically). The tables are
made a few thousand rows at a time (:mod:`._chunks`) and written, or compressed
into the zip, as they come: a million links are never held as one text.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator, Sequence
from itertools import compress
from pathlib import Path
from typing import TypeVar, cast

from .._bulk import paused_gc
from ._chunks import joined, row_chunks, write_documents
from ._columns import Attributes, column_text
from ._files import write_atomic
from ._table import Edges, Interval, Nodes, Table, Writable, table_from_graph

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


def _cells(attributes: Attributes, rows: slice) -> list[list[str | None]]:
    """Each column's cells in ``rows`` (``None`` for an empty cell), one comprehension per
    column."""
    cells = []
    for column, values in zip(attributes.columns, attributes.values, strict=True):
        texts = column_text(column, values[rows])
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


def _header(header: Sequence[str]) -> str:
    """The header line of a table."""
    return ",".join(_fields(header)) + "\r\n"


def _rows(columns: Sequence[Sequence[str | None]]) -> str:
    """The lines of the rows of ``columns`` (``None`` is written as an empty cell), as
    ``csv.writer`` writes them with lines ending in "\r\n" (every table has three
    columns or more, so no row is a lone empty field, which it would quote).

    Each column's fields are made at once (:func:`_fields`), then each row joined.
    """
    return "".join(
        [f"{line}\r\n" for line in map(",".join, zip(*map(_fields, columns), strict=True))]
    )


def _node_columns(nodes: Nodes, rows: slice) -> list[Sequence[str | None]]:
    return [
        _all_safe(nodes.ids[rows]),
        _all_safe(nodes.labels[rows]),
        timesets(nodes.intervals[rows], nodes.spells[rows]),
        *_cells(nodes.attributes, rows),
    ]


def _edge_columns(edges: Edges, rows: slice) -> list[Sequence[str | None]]:
    ids = range(*rows.indices(len(edges)))
    return [
        _all_safe(edges.sources[rows]),
        _all_safe(edges.targets[rows]),
        ["Undirected"] * len(ids),
        list(map(str, ids)),
        _all_safe(edges.labels[rows]),
        ["1.0" if w is None else repr(w) for w in edges.weights[rows]],
        timesets(edges.intervals[rows], edges.spells[rows]),
        *_cells(edges.attributes, rows),
    ]


def _node_chunks(table: Table) -> Iterator[str]:
    """The nodes table, a few thousand rows at a time (:mod:`._chunks`)."""
    nodes = table.nodes
    yield _header([*NODE_HEADER, *(c.name for c in nodes.attributes.columns)])
    yield from row_chunks(len(nodes), lambda rows: _rows(_node_columns(nodes, rows)))


def _edge_chunks(table: Table) -> Iterator[str]:
    """The edges table, a few thousand rows at a time (:mod:`._chunks`)."""
    edges = table.edges
    yield _header([*EDGE_HEADER, *(c.name for c in edges.attributes.columns)])
    yield from row_chunks(len(edges), lambda rows: _rows(_edge_columns(edges, rows)))


def csv_tables(g: Writable) -> tuple[bytes, bytes]:
    """The nodes table and the edges table of ``g``, each as UTF-8 CSV bytes."""
    table = table_from_graph(g)
    return joined(_node_chunks(table)), joined(_edge_chunks(table))


class _NeedsZip64(Exception):
    """An entry grew past what a zip without zip64 holds (raised inside :func:`_zipped`)."""


def _zip_entry(archive: zipfile.ZipFile, name: str, table: Iterator[str] | bytes) -> None:
    """Add ``table`` (its chunks, or its bytes) to ``archive`` as ``name``, deflated.

    Streamed chunks give the bytes ``writestr`` gives the whole table (deflate's output
    does not depend on how its input is cut) unless the table is large enough that
    ``writestr`` would have marked it zip64: then :class:`_NeedsZip64` is raised.
    """
    info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    if isinstance(table, bytes):
        archive.writestr(info, table)
        return
    size = 0
    with archive.open(info, "w") as entry:
        for chunk in table:
            data = chunk.encode("utf-8")
            size += len(data)
            if size * 1.05 > zipfile.ZIP64_LIMIT:  # writestr's own test for zip64
                raise _NeedsZip64(name)
            entry.write(data)


def _zipped(table: Table) -> bytes:
    """The zip of both tables of ``table``, each compressed as its chunks are made: memory
    holds the compressed archive and one chunk, not the tables. A table near 2 GiB (past
    ``ZIP64_LIMIT / 1.05``, where ``zipfile`` turns to zip64, which needs an entry's size
    before it is written) is made whole instead."""
    try:
        return _zip_of(table, whole=False)
    except _NeedsZip64:
        return _zip_of(table, whole=True)


def _zip_of(table: Table, *, whole: bool) -> bytes:
    """The zip of both tables, each given to it chunk by chunk or, if ``whole``, at once."""
    buffer = io.BytesIO()
    nodes, edges = _node_chunks(table), _edge_chunks(table)
    with paused_gc(), zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        _zip_entry(archive, "nodes.csv", joined(nodes) if whole else nodes)
        _zip_entry(archive, "edges.csv", joined(edges) if whole else edges)
    return buffer.getvalue()


def gephi_csv_zip(g: Writable) -> bytes:
    """A zip holding ``nodes.csv`` and ``edges.csv`` of ``g``.

    Examples
    --------
    >>> import zipfile, io
    >>> import networkx as nx
    >>> sorted(zipfile.ZipFile(io.BytesIO(gephi_csv_zip(nx.Graph()))).namelist())
    ['edges.csv', 'nodes.csv']
    """
    return _zipped(table_from_graph(g))


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

    Returns the paths written. Each table is made and written a few thousand rows
    at a time, to temporary files that are moved into place together once both are
    complete: a failure while either is made or written leaves both files as they were.
    """
    path = Path(path)
    table = table_from_graph(g)
    if path.suffix.lower() == ".zip":
        return [write_atomic(path, _zipped(table))]
    node_path, edge_path = csv_paths(path)
    return write_documents([(node_path, _node_chunks(table)), (edge_path, _edge_chunks(table))])
