"""Tables read column by column: each column a list of text, each row with its line.

Large exports (CORDIS's ``organization.csv`` has hundreds of thousands of
rows) are read by pyarrow's CSV reader, which is many times faster than a row
loop, and checked column by column. The result is exactly what
:func:`~defus_graph.sources.sheets.csv_sheet` reads, text and lines alike;
pyarrow is used only where that is certain:

- the file is UTF-8 (or decoded and re-encoded first), with no NUL byte, no
  lone carriage return and no blank line between rows (a row's line is then
  the header's line, plus the rows above it, plus the line breaks inside
  their quoted cells, which is checked against the file's count of lines);
- every row has as many cells as the header, and no quote closes a cell
  before its end (``"a"b``, which :mod:`csv` refuses and pyarrow would read
  as ``ab``).

Anything else is read by :func:`~defus_graph.sources.sheets.csv_sheet`, row by
row, with its messages.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence

import numpy as np

from ..errors import DataError
from .decode import decode_text

# The row reader's own rules for blank cells and the separator, so both read alike.
from .sheets import Sheet, _blank, _delimiter, csv_sheet

__all__ = ["Columns", "columns_from_sheet", "csv_columns"]

_BOM = b"\xef\xbb\xbf"


class Columns:
    """A table's header, each row's line, and its cells column by column.

    Parameters
    ----------
    name : the file's (or sheet's) name in messages.
    header : the column names, stripped.
    lines : each row's line (CSV: the physical line it starts on; xlsx: its row).
    cells : the raw (unstripped) cells of the column at a position, one per row.
    notes : how the file was read (a guessed encoding).
    """

    def __init__(
        self,
        name: str,
        header: list[str],
        lines: list[int],
        cells: Callable[[int], list[str]],
        notes: list[str] | None = None,
    ) -> None:
        self.name = name
        self.header = header
        self.lines = lines
        self.notes = notes or []
        self._cells = cells
        self._cache: dict[int, list[str]] = {}
        self._stripped: dict[int, list[str]] = {}

    def __len__(self) -> int:
        return len(self.lines)

    def raw(self, position: int | None) -> list[str]:
        """The cells of the column at ``position`` as written ("" for no such column)."""
        if position is None or position >= len(self.header):
            return [""] * len(self.lines)
        if position not in self._cache:
            self._cache[position] = self._cells(position)
        return self._cache[position]

    def column(self, position: int | None) -> list[str]:
        """The stripped cells of the column at ``position`` ("" for no such column)."""
        if position is None:
            return [""] * len(self.lines)
        if position not in self._stripped:
            self._stripped[position] = [text.strip() for text in self.raw(position)]
        return self._stripped[position]

    def take(self, rows: Sequence[int]) -> Columns:
        """The same table with only ``rows`` (positions), in that order."""
        if len(rows) == len(self.lines):
            return self
        keep = list(rows)
        return Columns(
            self.name,
            self.header,
            [self.lines[i] for i in keep],
            lambda position: [cells[i] for cells in (self.raw(position),) for i in keep],
            self.notes,
        )


def columns_from_sheet(sheet: Sheet) -> Columns:
    """A :class:`~defus_graph.sources.sheets.Sheet` (read row by row) as columns."""
    rows = sheet.rows

    def cells(position: int) -> list[str]:
        return [r.cells[position] if position < len(r.cells) else "" for r in rows]

    return Columns(sheet.name, sheet.header, [r.line for r in rows], cells, sheet.notes)


def csv_columns(data: bytes, name: str, *, encoding: str | None = None) -> Columns:
    """A CSV file (separator and encoding detected) as :class:`Columns`.

    Reads what :func:`~defus_graph.sources.sheets.csv_sheet` reads, with the
    same lines, and raises the same problems.

    Raises
    ------
    DataError
        For an empty file, a file that is no text, or broken quoting.
    """
    if encoding is None:
        fast = _arrow_columns(data.removeprefix(_BOM), name, [])
        if fast is not None:
            return fast
    try:
        text, notes = decode_text(data, name, encoding=encoding)
    except DataError:
        text, notes = "", []  # csv_sheet says what is wrong, as it always has
    if text and (notes or encoding is not None):
        fast = _arrow_columns(text.encode("utf-8"), name, notes)
        if fast is not None:
            return fast
    return columns_from_sheet(csv_sheet(data, name, encoding=encoding))


def _arrow_columns(body: bytes, name: str, notes: list[str]) -> Columns | None:
    """The columns of UTF-8 CSV ``body`` read by pyarrow, or None where it may differ."""
    end = body.find(b"\n")
    first_bytes = body[: end if end >= 0 else len(body)].removesuffix(b"\r")
    if b"\x00" in body or (b"\r" in body and body.count(b"\r") != body.count(b"\r\n")):
        return None
    try:
        first = first_bytes.decode("utf-8")
        if first.count('"') % 2:
            return None
        delimiter = _delimiter(first)
        header = next(csv.reader([first], delimiter=delimiter, strict=True))
    except (UnicodeDecodeError, csv.Error, StopIteration):
        return None
    if all(map(_blank, header)) or _closes_early(body, delimiter):
        return None
    import pyarrow as pa  # imported here: only large tables need it
    import pyarrow.compute as pc
    import pyarrow.csv as pcsv

    names = [f"c{i}" for i in range(len(header))]
    try:
        table = pcsv.read_csv(
            io.BytesIO(body),
            read_options=pcsv.ReadOptions(column_names=names, skip_rows=1),
            parse_options=pcsv.ParseOptions(delimiter=delimiter, newlines_in_values=True),
            convert_options=pcsv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    count = table.num_rows
    breaks = np.zeros(count, dtype=np.int64)
    for column in table.columns:
        breaks += pc.count_substring(column, "\n").to_numpy(zero_copy_only=False)
    terminators = 1 + count - (0 if body.endswith(b"\n") or count == 0 else 1)
    if body.count(b"\n") != terminators + int(breaks.sum()):
        return None  # a blank line between rows: its lines are the row reader's to count
    starts = 2 + np.arange(count, dtype=np.int64)
    starts[1:] += np.cumsum(breaks[:-1])
    columns = Columns(
        name,
        [h.strip() for h in header],
        starts.tolist(),
        lambda position: table.column(position).to_pylist(),
        notes,
    )
    return columns.take(_not_blank(columns))


def _not_blank(columns: Columns) -> list[int]:
    """The positions of rows with something in them (csv_sheet skips the others)."""
    first = columns.raw(0)
    maybe = {i for i, text in enumerate(first) if _blank(text)}
    for position in range(1, len(columns.header)):
        if not maybe:
            break
        cells = columns.raw(position)
        maybe = {i for i in maybe if _blank(cells[i])}
    return [i for i in range(len(columns)) if i not in maybe]


def _closes_early(body: bytes, delimiter: str) -> bool:
    """Whether a quote may close a cell before its end (``"a"b``), or stand in an unquoted one.

    A run of quotes followed by ordinary text is fine when it is even (escaped
    quotes inside a quoted cell) or, at a cell's start, odd (the opening quote
    and escaped ones); anything else is for the row reader to judge.
    """
    if b'"' not in body:
        return False
    raw = np.frombuffer(body, dtype=np.uint8)
    # In slices of a megabyte: arrays the size of the file cost more in fresh memory
    # than the comparisons themselves.
    step = 1 << 20
    return any(
        _closes_early_in(body, raw, start, min(start + step, len(raw)), ord(delimiter))
        for start in range(0, len(raw), step)
    )


def _closes_early_in(body: bytes, raw: np.ndarray, start: int, stop: int, delimiter: int) -> bool:
    """:func:`_closes_early` for the quotes at ``start`` to ``stop`` (exclusive)."""
    low, high = max(start - 1, 0), min(stop + 1, len(raw))
    window = raw[low:high]
    quote = window == ord('"')
    special = quote | (window == delimiter) | (window == ord("\n")) | (window == ord("\r"))
    followed = np.zeros(len(window), dtype=bool)  # by ordinary text
    followed[:-1] = ~special[1:]
    after = np.zeros(len(window), dtype=bool)  # ordinary text
    after[1:] = ~special[:-1]
    after_quote = np.zeros(len(window), dtype=bool)
    after_quote[1:] = quote[:-1]
    inside = slice(start - low, stop - low)
    ends = (quote & followed)[inside]  # the last quote of a run, followed by text
    if (ends & after[inside]).any():
        return True  # a lone quote after text: it closes a cell early, or stands unquoted
    cell_start = {delimiter, ord("\n"), ord("\r")}
    for end in (np.flatnonzero(ends & after_quote[inside]) + start).tolist():
        first = end
        while first > 0 and body[first - 1] == ord('"'):
            first -= 1
        at_start = first == 0 or body[first - 1] in cell_start
        if at_start == ((end - first + 1) % 2 == 0):
            return True
    return False
