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
  as ``ab``). Where every cell is quoted, as CORDIS writes them, that is
  shown by writing pyarrow's rows again and finding the file's own bytes;
  otherwise each run of quotes in the file is judged.

Anything else is read by :func:`~defus_graph.sources.sheets.csv_sheet`, row by
row, with its messages.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from typing import Any

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
    arrays : the column at a position as a pyarrow array, when pyarrow read it.
    """

    def __init__(
        self,
        name: str,
        header: list[str],
        lines: list[int],
        cells: Callable[[int], list[str]],
        notes: list[str] | None = None,
        arrays: Callable[[int], Any] | None = None,
    ) -> None:
        self.name = name
        self.header = header
        self.lines = lines
        self.notes = notes or []
        self._cells = cells
        self._arrays = arrays
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
            # Stripping every cell in C costs less than searching them for a space first.
            self._stripped[position] = list(map(str.strip, self.raw(position)))
        return self._stripped[position]

    def array(self, position: int | None) -> Any:
        """The column at ``position`` as a pyarrow array, or None (no such column, or
        not read by pyarrow)."""
        if self._arrays is None or position is None or position >= len(self.header):
            return None
        return self._arrays(position)

    def take(self, rows: Sequence[int]) -> Columns:
        """The same table with only ``rows`` (positions), in that order."""
        if len(rows) == len(self.lines):
            return self
        keep = list(rows)
        arrays = self._arrays
        return Columns(
            self.name,
            self.header,
            [self.lines[i] for i in keep],
            lambda position: [cells[i] for cells in (self.raw(position),) for i in keep],
            self.notes,
            None if arrays is None else lambda position: _take(arrays(position), keep),
        )


def _take(array: Any, rows: list[int]) -> Any:
    import pyarrow as pa

    # From a buffer: pyarrow imports pandas to convert a Python list.
    at = np.array(rows, dtype=np.int64)
    return array.take(pa.Array.from_buffers(pa.int64(), len(rows), [None, pa.py_buffer(at)]))


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
        # The mark left in place (a copy of the file costs more than reading it): only
        # the header's line holds it, and that is read apart.
        fast = _arrow_columns(data, name, [], bom=data.startswith(_BOM))
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


def _arrow_columns(
    body: bytes, name: str, notes: list[str], *, bom: bool = False
) -> Columns | None:
    """The columns of UTF-8 CSV ``body`` read by pyarrow, or None where it may differ.

    With ``bom``, ``body`` starts with a byte-order mark, which is not read.
    """
    if b"\x00" in body or (b"\r" in body and body.count(b"\r") != body.count(b"\r\n")):
        return None
    found = _header(body, bom)
    if found is None:
        return None
    header, delimiter = found
    quotes = body.count(b'"')
    if all(map(_blank, header)) or quotes % 2:
        return None  # an odd quote leaves a cell open to the end: the row reader says where
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
    if _quotes_close_early(body, quotes, delimiter, table, bom):
        return None  # "a"b: the csv module refuses it, pyarrow would read ab
    count = table.num_rows
    breaks = np.zeros(count, dtype=np.int64)
    terminators = 1 + count - (0 if body.endswith(b"\n") or count == 0 else 1)
    newlines = body.count(b"\n")
    if newlines != terminators:  # line breaks inside cells, or blank lines
        for column in table.columns:
            breaks += _counts(pc.count_substring(column, "\n"))
    if newlines != terminators + int(breaks.sum()):
        return None  # a blank line between rows: its lines are the row reader's to count
    starts = 2 + np.arange(count, dtype=np.int64)
    starts[1:] += np.cumsum(breaks[:-1])
    columns = Columns(
        name,
        [h.strip() for h in header],
        starts.tolist(),
        lambda position: _shared_texts(table.column(position)),
        notes,
        table.column,
    )
    return columns.take(_not_blank(columns))


def _header(body: bytes, bom: bool) -> tuple[list[str], str] | None:
    """The header's cells and the delimiter of UTF-8 CSV ``body``, or None where the
    first line is not one row the csv module reads alike (an open quote, bad bytes)."""
    end = body.find(b"\n")
    first_bytes = body[len(_BOM) if bom else 0 : end if end >= 0 else len(body)]
    try:
        first = first_bytes.removesuffix(b"\r").decode("utf-8")
        if first.count('"') % 2:
            return None
        delimiter = _delimiter(first)
        return next(csv.reader([first], delimiter=delimiter, strict=True)), delimiter
    except (UnicodeDecodeError, csv.Error, StopIteration):
        return None


def _shared_texts(column: Any) -> list[str]:
    """The texts of a pyarrow string column, as ``to_pylist`` gives them, each distinct
    text one Python string: an export repeats its codes, names and places in every row,
    and later steps hash and compare each text once, not once per row."""
    import pyarrow as pa
    import pyarrow.compute as pc

    array = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
    encoded = None if array.null_count else pc.dictionary_encode(array)
    if (
        encoded is None
        or encoded.indices.type != pa.int32()
        or 2 * len(encoded.dictionary) > len(encoded)  # mostly distinct: nothing to share
    ):
        texts: list[str] = array.to_pylist()
        return texts
    distinct = np.array(encoded.dictionary.to_pylist(), dtype=object)
    indices = encoded.indices
    at = np.frombuffer(
        indices.buffers()[1], dtype=np.int32, count=len(indices), offset=indices.offset * 4
    )
    shared: list[str] = distinct[at].tolist()
    return shared


def _counts(array: Any) -> Any:
    """The numbers of a pyarrow count (int32 or int64) as numpy, without pandas."""
    import pyarrow as pa

    if isinstance(array, pa.ChunkedArray):
        return np.concatenate([np.zeros(0, np.int64), *map(_counts, array.chunks)])
    if array.null_count:
        return array.to_numpy(zero_copy_only=False)
    dtype = np.int64 if array.type == pa.int64() else np.int32
    return np.frombuffer(
        array.buffers()[1], dtype=dtype, count=len(array), offset=array.offset * dtype().itemsize
    )


# What str.strip() strips (str.isspace), as an RE2 class for pyarrow.
_SPACE = (
    "\\t\\n\\x0b\\x0c\\r\\x1c-\\x1f \\x{85}\\x{a0}\\x{1680}\\x{2000}-\\x{200a}"
    "\\x{2028}\\x{2029}\\x{202f}\\x{205f}\\x{3000}"
)


def _any_match(array: Any, pattern: str) -> bool:
    """Whether any cell of a pyarrow ``array`` matches the RE2 ``pattern``."""
    import pyarrow.compute as pc

    return bool(pc.any(pc.match_substring_regex(array, pattern)).as_py())


def _not_blank(columns: Columns) -> list[int]:
    """The positions of rows with something in them (csv_sheet skips the others)."""
    first = columns.array(0)
    if first is not None and not _any_match(first, f"^[{_SPACE}]*$"):
        return list(range(len(columns)))  # the common case, told in C
    cells = columns.raw(0)
    maybe = {i for i, text in enumerate(cells) if _blank(text)}
    for position in range(1, len(columns.header)):
        if not maybe:
            break
        cells = columns.raw(position)
        maybe = {i for i in maybe if _blank(cells[i])}
    return [i for i in range(len(columns)) if i not in maybe]


def _quotes_close_early(body: bytes, quotes: int, delimiter: str, table: Any, bom: bool) -> bool:
    """:func:`_closes_early` of ``body`` (holding ``quotes`` quotes; with ``bom``, after
    its byte-order mark), which pyarrow read as ``table``.

    Told in C when the rows are exactly ``table``'s cells written as CORDIS
    writes them, every cell quoted (:func:`_written_quoted`): no quote closes a
    cell early there. The header line is judged on its own: it holds an even
    number of quotes (as :func:`_arrow_columns` asks first), so it ends outside
    any cell.
    """
    start = body.find(b"\n") + 1
    end = "\r\n" if body[start - 2 : start] == b"\r\n" else "\n"
    rows = memoryview(body)[start:]
    in_rows = quotes - body.count(b'"', 0, start)
    skip = len(_BOM) if bom else 0
    if start and _written_quoted(table, rows, in_rows, delimiter, end):
        return _closes_early(body[skip:start], delimiter)
    return _closes_early(body[skip:], delimiter)


def _written_quoted(table: Any, rows: memoryview, quotes: int, delimiter: str, end: str) -> bool:
    """Whether ``rows`` (holding ``quotes`` quotes) are the rows of pyarrow's ``table``
    with every cell quoted (quotes in it doubled), the cells parted by ``delimiter``,
    each row ended by ``end``.

    Written and compared a batch of rows at a time: a copy of the whole file
    would cost more in fresh memory than the comparison itself.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    from ..store.snapshot import text_scalar

    if not table.num_rows or not table.num_columns:
        return False
    # Where the counts agree, no cell holds a quote: were the rows written from cells
    # holding quotes, without doubling them, they would hold more.
    double = quotes != 2 * table.num_rows * table.num_columns
    whole = pa.py_buffer(
        rows if rows[-len(end) :] == end.encode() else rows.tobytes() + end.encode()
    )
    at, total = 0, int(whole.size)
    for batch in table.to_batches():
        if not batch.num_rows:
            continue
        cells = batch.columns
        if double:
            cells = [pc.replace_substring(column, '"', '""') for column in cells]
        written = pc.binary_join_element_wise(*cells, text_scalar(f'"{delimiter}"'))
        written = pc.binary_join_element_wise(
            text_scalar('"'), written, text_scalar('"' + end), text_scalar("")
        )
        offsets = np.frombuffer(written.buffers()[1], dtype=np.int32)
        first = int(offsets[written.offset])
        size = int(offsets[written.offset + len(written)]) - first
        if at + size > total or not whole.slice(at, size).equals(
            written.buffers()[2].slice(first, size)
        ):
            return False
        at += size
    return at == total


# Slices of a megabyte: arrays the size of the file cost more in fresh memory than
# the comparisons themselves.
_STEP = 1 << 20
_QUOTE = ord('"')


def _closes_early(body: bytes, delimiter: str) -> bool:
    """Whether a quote may close a cell before its end (``"a"b``), or stand in an unquoted one.

    Each run of quotes is judged by what surrounds it and by the quotes before
    it (an odd number: inside a quoted cell). Inside a quoted cell a run is
    fine when it is even (escaped quotes) or when the cell ends after it; at a
    cell's start it is fine when it is odd (the opening quote and escaped
    ones) or when the cell ends after it. A quote after other text outside
    quotes is for the row reader to judge, as is everything else.
    """
    if b'"' not in body:
        return False
    raw = np.frombuffer(body, dtype=np.uint8)
    cell_ends = np.zeros(256, dtype=bool)  # by byte: whether it ends a cell
    cell_ends[[ord(delimiter), ord("\n"), ord("\r")]] = True
    before, start = 0, 0
    while start < len(raw):
        stop = min(start + _STEP, len(raw))
        while stop < len(raw) and raw[stop] == _QUOTE and raw[stop - 1] == _QUOTE:
            stop += 1  # a run of quotes stays in one slice
        bad, count = _closes_early_in(raw, start, stop, cell_ends, before)
        if bad:
            return True
        before += count
        start = stop
    return False


def _closes_early_in(
    raw: np.ndarray, start: int, stop: int, cell_ends: np.ndarray, before: int
) -> tuple[bool, int]:
    """:func:`_closes_early` for the runs of quotes in ``raw[start:stop]``, with
    ``before`` quotes before it; also returns the number of quotes in the slice."""
    size = stop - start
    window = raw[start : min(stop + 1, len(raw))]  # one byte more: what follows the slice
    quote = window == _QUOTE
    edges = np.empty(len(window) + 1, dtype=bool)  # where a run of quotes starts or ends
    edges[0], edges[-1] = quote[0], quote[-1]
    np.not_equal(quote[1:], quote[:-1], out=edges[1:-1])
    runs = np.flatnonzero(edges)
    firsts, lasts = runs[0::2], runs[1::2] - 1  # each run of quotes: first and last position
    inside = firsts < size
    firsts, lasts = firsts[inside], lasts[inside]
    if not len(firsts):
        return False, 0
    lengths = lasts - firsts + 1
    count = int(lengths.sum())
    quoted = (before + np.cumsum(lengths) - lengths) % 2 == 1  # inside a quoted cell
    previous = np.where(start + firsts > 0, raw[np.maximum(start + firsts - 1, 0)], ord("\n"))
    at_cell_start = cell_ends[previous]
    after = lasts + 1
    followed = after < len(window)
    followed[followed] = ~cell_ends[window[after[followed]]]  # by more text
    odd = lengths % 2 == 1
    bad = (~quoted & ~at_cell_start) | (followed & np.where(quoted, odd, ~odd))
    return bool(bad.any()), count
