"""Rows from spreadsheets: CSV in the dialects people save, and Excel ``.xlsx``.

A :class:`Sheet` is a header and rows of text cells, each row with the line
(CSV: physical line; xlsx: the sheet's row number) a person finds it at.
Readers of particular layouts (:mod:`.tables`, :mod:`.cordis`) build on it.

CSV files are decoded by :func:`.decode.decode_text` (UTF-8, else cp1252 with
a note). The separator (``;``, ``,`` or tab) is taken from the
header line. Numbers, amounts and month names are read by :mod:`defus_graph.names.vocabulary`,
as every other reader reads them.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field

from ..cells import cell_problem
from ..errors import DataError, InputError, one_problem
from ..model import parse_partial_date
from ..names.normal import normalise
from ..names.vocabulary import month_number, parse_amount
from .decode import decode_text

__all__ = [
    "Row",
    "Sheet",
    "csv_sheet",
    "decode_text",
    "header_columns",
    "header_key",
    "is_xlsx",
    "parse_date",
    "parse_number",
    "xlsx_sheets",
]

_XLSX_MAGIC = b"PK\x03\x04"


@dataclass(frozen=True)
class Row:
    """One data row: its line (or sheet row) and its cells by header position."""

    line: int
    cells: tuple[str, ...]


@dataclass
class Sheet:
    """A table read from a file: ``name`` for messages, a header and rows.

    ``decimal`` is the file's decimal mark for amounts written ambiguously
    ("1.250": a thousand two hundred and fifty in a German file).
    """

    name: str
    header: list[str]
    rows: list[Row] = field(default_factory=list)
    decimal: str = "."
    notes: list[str] = field(default_factory=list)

    def cell(self, row: Row, index: int | None) -> str:
        """The stripped text of ``row`` in column ``index`` ("" for no column)."""
        if index is None or index >= len(row.cells):
            return ""
        return row.cells[index].strip()


def is_xlsx(data: bytes) -> bool:
    """Whether ``data`` looks like an Excel workbook (.xlsx is a zip file)."""
    return data.startswith(_XLSX_MAGIC)


def _blank(cell: str) -> bool:
    """Whether a cell holds nothing: spaces only, and no control character (which
    Python counts as space, but which makes a row a problem, never a blank line)."""
    return not cell.strip() and cell_problem(cell) is None


def _delimiter(first_line: str) -> str:
    counts = {d: len(next(csv.reader([first_line], delimiter=d), [])) for d in (";", ",", "\t")}
    best = max(counts, key=lambda d: (counts[d], d == ";"))
    return best if counts[best] > 1 else ","


def _first_line(text: str) -> str:
    for line in text.splitlines():
        if line.strip():
            return line
    return ""


def csv_sheet(data: bytes, name: str, *, encoding: str | None = None) -> Sheet:
    """Read a CSV file (separator and encoding detected) into a :class:`Sheet`.

    Blank lines are skipped; a row with more cells than the header is an error.

    Raises
    ------
    DataError
        For an empty file, a file that is no text, or broken quoting.
    """
    text, notes = decode_text(data, name, encoding=encoding)
    first = _first_line(text)
    if not first:
        raise one_problem(name, "is empty.", "Its first line must name the columns.", line=1)
    delimiter = _delimiter(first)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    sheet = Sheet(name, [], decimal="," if delimiter == ";" else ".", notes=notes)
    problems: list[InputError] = []
    previous_end = 0
    try:
        for record in reader:
            line = previous_end + 1
            previous_end = reader.line_num
            if all(map(_blank, record)):
                continue
            if not sheet.header:
                sheet.header = [h.strip() for h in record]
                continue
            if len(record) > len(sheet.header) and not all(
                map(_blank, record[len(sheet.header) :])
            ):
                problems.append(_too_many_fields(name, line, record, sheet.header, delimiter))
                continue
            sheet.rows.append(Row(line, tuple(record)))
    except csv.Error as err:
        problems.append(_broken_csv(name, previous_end + 1, err))
    if problems:
        raise DataError(problems)
    return sheet


def _too_many_fields(
    name: str, line: int, record: list[str], header: list[str], delimiter: str
) -> InputError:
    hint = (
        "Put quotes around a value that holds a comma, or save the file with ';'."
        if delimiter == ","
        else "Put quotes around a value that holds a semicolon."
    )
    message = f"has {len(record)} fields, the header has {len(header)}."
    return InputError(name, line, None, None, message, hint)


def _broken_csv(name: str, line: int, err: csv.Error) -> InputError:
    """What the csv module's error means for a person, located on ``line``."""
    limit = csv.field_size_limit()
    if f"field larger than field limit ({limit})" in str(err):
        message = f"has a cell over {limit:,} characters, starting on this line."
        hint = (
            "Is a quote missing (then the cell runs on to the end of the file), or is a "
            "whole text pasted into one cell? Close the quote, or shorten the text."
        )
    else:
        message, hint = f"is not valid CSV here: {err}.", "Check the quotes on this line."
    return InputError(name, line, None, None, message, hint)


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return repr(int(value)) if value.is_integer() else repr(value)
    return str(value)


def xlsx_sheets(data: bytes, name: str) -> list[Sheet]:
    """Every non-empty worksheet of an ``.xlsx`` workbook, as :class:`Sheet` objects.

    Each sheet is named ``file[sheet]``; a row's line is its row number in Excel.
    Formulas are read as the value Excel last computed, never as formulas.
    """
    from openpyxl import load_workbook  # imported here: only workbooks need it

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as err:
        raise one_problem(
            name,
            f"cannot be opened as an Excel workbook ({type(err).__name__}).",
            "Open it in Excel and save it again as .xlsx, or save it as CSV UTF-8.",
        ) from err
    except Exception as err:  # openpyxl raises its own types for damaged files
        raise one_problem(
            name,
            f"cannot be opened as an Excel workbook ({err}).",
            "Open it in Excel and save it again as .xlsx, or save it as CSV UTF-8.",
        ) from err
    sheets: list[Sheet] = []
    try:
        for ws in book.worksheets:
            sheet = Sheet(f"{name}[{ws.title}]", [])
            for number, values in enumerate(ws.iter_rows(values_only=True), start=1):
                cells = tuple(_cell_text(v) for v in values)
                if all(map(_blank, cells)):
                    continue
                if not sheet.header:
                    sheet.header = [c.strip() for c in cells]
                    while sheet.header and not sheet.header[-1]:
                        sheet.header.pop()
                    continue
                sheet.rows.append(Row(number, cells))
            if sheet.header:
                sheets.append(sheet)
    finally:
        book.close()
    if not sheets:
        raise one_problem(name, "has no sheet with any data.", "Put a header row first.")
    return sheets


_PAREN = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")
_PUNCT = re.compile(r"[_\-/.:€#]+")
_UNITS = re.compile(r"\b(?:in )?euros?\b|\b(?:in )?eur\b")


def header_key(text: str) -> str:
    """A column header as compared: case, accents, brackets and units ignored.

    Examples
    --------
    >>> header_key(" Förderung (EUR) "), header_key("funding_eur"), header_key("Start-Datum")
    ('forderung', 'funding', 'start datum')
    """
    key = normalise(_PAREN.sub(" ", text))
    key = _UNITS.sub(" ", _PUNCT.sub(" ", key))
    return " ".join(key.split())


def header_columns(
    sheet: Sheet, known: Mapping[str, str]
) -> tuple[dict[str, int], list[str], list[InputError]]:
    """Where each column of ``sheet`` is, by its header (``known``: :func:`header_key` ->
    column); the headers that name no column; a problem for each column named twice."""
    index: dict[str, int] = {}
    unknown: list[str] = []
    problems: list[InputError] = []
    for position, text in enumerate(sheet.header):
        if not text:
            continue
        column = known.get(header_key(text))
        if column is None:
            unknown.append(text)
        elif column in index:
            problems.append(
                InputError(
                    sheet.name,
                    1,
                    text,
                    None,
                    f'means the same as the column "{sheet.header[index[column]]}" ({column}).',
                    "Keep one of the two columns, or rename the other.",
                )
            )
        else:
            index[column] = position
    return index, unknown, problems


def parse_number(text: str, *, decimal: str = ".") -> float:
    """A number in a sheet whose decimal mark is ``decimal``: see
    :func:`defus_graph.names.vocabulary.parse_amount`, which holds the rules.

    Raises ``ValueError`` for anything that is not a number.

    Examples
    --------
    >>> parse_number("1.234.567,89"), parse_number("1,234,567.89"), parse_number("3749712,5")
    (1234567.89, 1234567.89, 3749712.5)
    >>> parse_number("1.250", decimal=","), parse_number("1.250"), parse_number("€ 12 000")
    (1250.0, 1.25, 12000.0)
    """
    return parse_amount(text, decimal=decimal)


_DMY = re.compile(r"^(\d{1,2})[./](\d{1,2})[./](\d{4})$")
_MY = re.compile(r"^(\d{1,2})[./](\d{4})$")
_NAMED = re.compile(r"^([^\W\d_]+)\.?\s+(\d{4})$")
_ISO_TIME = re.compile(r"^(\d{4}-\d{2}-\d{2})[ T]\d{2}:\d{2}(?::\d{2})?$")


def parse_date(text: str) -> str:
    """An ISO date as precise as written: "01.10.2017", "10/2017", "Oktober 2017", "2017".

    Raises ``ValueError`` with a readable reason for anything else.

    Examples
    --------
    >>> parse_date("01.10.2017"), parse_date("10/2017"), parse_date("Okt. 2017")
    ('2017-10-01', '2017-10', '2017-10')
    """
    value = text.strip()
    iso_time = _ISO_TIME.match(value)
    if iso_time:
        value = iso_time.group(1)
    if match := _DMY.match(value):
        value = f"{match.group(3)}-{int(match.group(2)):02d}-{int(match.group(1)):02d}"
    elif match := _MY.match(value):
        value = f"{match.group(2)}-{int(match.group(1)):02d}"
    elif match := _NAMED.match(value):
        month = month_number(match.group(1))
        if month is None:
            raise ValueError("has no month name I know")
        value = f"{match.group(2)}-{month:02d}"
    parse_partial_date(value)
    return value
