"""Rows from spreadsheets: CSV in the dialects people save, and Excel ``.xlsx``.

A :class:`Sheet` is a header and rows of text cells, each row with the line
(CSV: physical line; xlsx: the sheet's row number) a person finds it at.
Readers of particular layouts (:mod:`.tables`, :mod:`.cordis`) build on it.

CSV files are decoded as UTF-8 (with or without byte-order mark); a file that
is not UTF-8 is read as cp1252, the encoding Excel uses on German Windows,
and a note says so. The separator (``;``, ``,`` or tab) is taken from the
header line. Numbers may use a decimal comma or a decimal point.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, field

from ..errors import DataError, InputError
from ..model import parse_partial_date
from ..resolve_text import normalise

__all__ = [
    "Row",
    "Sheet",
    "csv_sheet",
    "decode_text",
    "header_key",
    "is_xlsx",
    "parse_date",
    "parse_number",
    "xlsx_sheets",
]

_XLSX_MAGIC = b"PK\x03\x04"
_XLS_MAGIC = b"\xd0\xcf\x11\xe0"


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


def _problem(
    name: str, line: int | None, message: str, hint: str, value: str | None = None
) -> DataError:
    return DataError([InputError(name, line, None, value, message, hint)])


def is_xlsx(data: bytes) -> bool:
    """Whether ``data`` looks like an Excel workbook (.xlsx is a zip file)."""
    return data.startswith(_XLSX_MAGIC)


def decode_text(data: bytes, name: str, *, encoding: str | None = None) -> tuple[str, list[str]]:
    """The text of a CSV file and notes about how it was read.

    With ``encoding`` None, UTF-8 is tried first and cp1252 second (with a note).

    Examples
    --------
    >>> decode_text("Förderung".encode("cp1252"), "x.csv")[0]
    'Förderung'
    """
    if data.startswith(_XLS_MAGIC):
        raise _problem(
            name,
            None,
            "is an old Excel file (.xls), which I cannot read.",
            'Open it in Excel and save it as "Excel Workbook (.xlsx)" or "CSV UTF-8".',
        )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _problem(
            name,
            None,
            'is UTF-16 text (Excel\'s "Unicode Text").',
            'Save it from Excel as "CSV UTF-8 (comma delimited)" instead.',
        )
    if encoding is not None:
        try:
            return data.decode(encoding).removeprefix("\ufeff"), []
        except LookupError as err:
            raise _problem(
                name, None, "is no known text encoding.", "Use utf-8 or cp1252.", encoding
            ) from err
        except UnicodeDecodeError as err:
            line = data[: err.start].count(b"\n") + 1
            raise _problem(
                name,
                line,
                f"cannot be read as {encoding} (byte {err.start}).",
                "Leave out --encoding to let me detect it, or save the file as UTF-8.",
            ) from err
    try:
        return data.decode("utf-8").removeprefix("\ufeff"), []
    except UnicodeDecodeError as err:
        utf8_error = err
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError as err:
        line = data[: utf8_error.start].count(b"\n") + 1
        raise _problem(
            name,
            line,
            f"is neither UTF-8 nor cp1252 text (byte {utf8_error.start}).",
            'Save it from Excel as "CSV UTF-8 (comma delimited)".',
        ) from err
    line = data[: utf8_error.start].count(b"\n") + 1
    note = (
        f"{name} is not UTF-8, so it was read as cp1252 (Windows, as Excel saves CSV in "
        f"Germany); first such character on line {line}. Check that umlauts look right, "
        'or save the file as "CSV UTF-8".'
    )
    return text, [note]


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
        raise _problem(name, 1, "is empty.", "Its first line must name the columns.")
    delimiter = _delimiter(first)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    sheet = Sheet(name, [], decimal="," if delimiter == ";" else ".", notes=notes)
    problems: list[InputError] = []
    previous_end = 0
    try:
        for record in reader:
            line = previous_end + 1
            previous_end = reader.line_num
            if not record or all(not v.strip() for v in record):
                continue
            if not sheet.header:
                sheet.header = [h.strip() for h in record]
                continue
            if len(record) > len(sheet.header) and any(
                v.strip() for v in record[len(sheet.header) :]
            ):
                hint = (
                    "Put quotes around a value that holds a comma, or save the file with ';'."
                    if delimiter == ","
                    else "Put quotes around a value that holds a semicolon."
                )
                problems.append(
                    InputError(
                        name,
                        line,
                        None,
                        None,
                        f"has {len(record)} fields, the header has {len(sheet.header)}.",
                        hint,
                    )
                )
                continue
            sheet.rows.append(Row(line, tuple(record)))
    except csv.Error as err:
        problems.append(
            InputError(
                name,
                previous_end + 1,
                None,
                None,
                f"is not valid CSV here: {err}.",
                "Check the quotes on this line.",
            )
        )
    if problems:
        raise DataError(problems)
    return sheet


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
        raise _problem(
            name,
            None,
            f"cannot be opened as an Excel workbook ({type(err).__name__}).",
            "Open it in Excel and save it again as .xlsx, or save it as CSV UTF-8.",
        ) from err
    except Exception as err:  # openpyxl raises its own types for damaged files
        raise _problem(
            name,
            None,
            f"cannot be opened as an Excel workbook ({err}).",
            "Open it in Excel and save it again as .xlsx, or save it as CSV UTF-8.",
        ) from err
    sheets: list[Sheet] = []
    try:
        for ws in book.worksheets:
            sheet = Sheet(f"{name}[{ws.title}]", [])
            for number, values in enumerate(ws.iter_rows(values_only=True), start=1):
                cells = tuple(_cell_text(v) for v in values)
                if not any(c.strip() for c in cells):
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
        raise _problem(name, None, "has no sheet with any data.", "Put a header row first.")
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


_NUMBER = re.compile(r"^[+-]?[\d.,']+$")


def parse_number(text: str, *, decimal: str = ".") -> float:
    """A number written with a decimal comma or point, with or without thousands marks.

    When both marks occur, the last one is the decimal mark. A lone mark is
    decimal unless it groups thousands ambiguously ("1.250"), where the file's
    ``decimal`` decides. Raises ``ValueError`` for anything else.

    Examples
    --------
    >>> parse_number("1.234.567,89"), parse_number("1,234,567.89"), parse_number("3749712,5")
    (1234567.89, 1234567.89, 3749712.5)
    >>> parse_number("1.250", decimal=","), parse_number("1.250"), parse_number("€ 12 000")
    (1250.0, 1.25, 12000.0)
    """
    cleaned = re.sub(r"[\s\u00a0\u202f€]|EUR", "", text)
    if not _NUMBER.match(cleaned) or not any(ch.isdigit() for ch in cleaned):
        raise ValueError(f"{text!r} is not a number")
    cleaned = cleaned.replace("'", "")
    sign = -1.0 if cleaned.startswith("-") else 1.0
    cleaned = cleaned.lstrip("+-")
    marks = [ch for ch in cleaned if ch in ".,"]
    if not marks:
        return sign * float(cleaned)
    if "." in marks and "," in marks:
        mark = cleaned[max(cleaned.rfind("."), cleaned.rfind(","))]
        group = "," if mark == "." else "."
        whole_part = cleaned[: cleaned.rfind(mark)]
        if marks.count(mark) > 1 or not re.fullmatch(rf"\d{{1,3}}(?:\{group}\d{{3}})+", whole_part):
            raise ValueError(f"{text!r} is not a number")
    elif len(marks) > 1:
        mark = "" if re.fullmatch(r"\d{1,3}(?:[.,]\d{3})+", cleaned) else "?"
        if mark == "?":
            raise ValueError(f"{text!r} is not a number")
    else:
        lone = marks[0]
        after = len(cleaned) - cleaned.index(lone) - 1
        grouped = after == 3 and cleaned.index(lone) <= 3
        mark = (lone if decimal == lone else "") if grouped else lone
    whole, _, frac = cleaned.rpartition(mark) if mark else (cleaned, "", "")
    whole = whole.replace(".", "").replace(",", "")
    if mark and not re.fullmatch(r"\d+", frac or "0"):
        raise ValueError(f"{text!r} is not a number")
    return sign * float(f"{whole or '0'}.{frac or '0'}")


_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("januar", "january", "jan", "janvier", "jänner"),
            ("februar", "february", "feb", "fevrier"),
            ("marz", "maerz", "march", "mar", "mars", "mrz"),
            ("april", "apr", "avril"),
            ("mai", "may"),
            ("juni", "june", "jun", "juin"),
            ("juli", "july", "jul", "juillet"),
            ("august", "aug", "aout"),
            ("september", "sep", "sept", "septembre"),
            ("oktober", "october", "okt", "oct", "octobre"),
            ("november", "nov", "novembre"),
            ("dezember", "december", "dez", "dec", "decembre"),
        ],
        start=1,
    )
    for name in names
}
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
        month = _MONTHS.get(normalise(match.group(1)))
        if month is None:
            raise ValueError("has no month name I know")
        value = f"{match.group(2)}-{month:02d}"
    parse_partial_date(value)
    return value
