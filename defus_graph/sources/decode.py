"""Bytes to text, one way for every text input: spreadsheets (CSV), pages and CORDIS files.

UTF-8 (with or without byte-order mark) is read as it is; a file that is not
UTF-8 is read as cp1252, the encoding Excel and Notepad use on German Windows,
with a note that says so and where the first such character stands. An
encoding the user names is honoured and nothing is guessed. Anything else (an
old ``.xls`` workbook, UTF-16 text, an unknown encoding, bytes that are no
text) is a :class:`~defus_graph.errors.DataError` that says what to do.
"""

from __future__ import annotations

from ..errors import one_problem

__all__ = ["decode_text"]

_XLS_MAGIC = b"\xd0\xcf\x11\xe0"


def decode_text(data: bytes, name: str, *, encoding: str | None = None) -> tuple[str, list[str]]:
    """The text of a file and notes about how it was read.

    Parameters
    ----------
    data : the file's bytes.
    name : the file's name in notes and messages.
    encoding : the encoding the user named, or None to read UTF-8, else cp1252
        (with a note).

    Raises
    ------
    DataError
        For an old Excel file, UTF-16 text, an unknown encoding or bytes that
        cannot be read.

    Examples
    --------
    >>> decode_text("Förderung".encode("cp1252"), "x.csv")[0]
    'Förderung'
    >>> decode_text(b"\\xef\\xbb\\xbfKoordinator: Efus", "seite.txt")
    ('Koordinator: Efus', [])
    """
    _refuse_what_is_no_text(data, name)
    if encoding is not None:
        return _decoded_as(data, name, encoding), []
    try:
        return data.decode("utf-8").removeprefix("\ufeff"), []
    except UnicodeDecodeError as err:
        utf8_error = err
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError as err:
        line = data[: utf8_error.start].count(b"\n") + 1
        raise one_problem(
            name,
            f"is neither UTF-8 nor cp1252 text (byte {utf8_error.start}).",
            'Save it from Excel as "CSV UTF-8 (comma delimited)".',
            line=line,
        ) from err
    line = data[: utf8_error.start].count(b"\n") + 1
    note = (
        f"{name} is not UTF-8, so it was read as cp1252 (Windows, as Excel saves CSV in "
        f"Germany); first such character on line {line}. Check that umlauts look right, "
        'or save the file as "CSV UTF-8".'
    )
    return text, [note]


def _refuse_what_is_no_text(data: bytes, name: str) -> None:
    """An old Excel file or UTF-16 text is a problem that says how to save it instead."""
    if data.startswith(_XLS_MAGIC):
        raise one_problem(
            name,
            "is an old Excel file (.xls), which I cannot read.",
            'Open it in Excel and save it as "Excel Workbook (.xlsx)" or "CSV UTF-8".',
        )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise one_problem(
            name,
            'is UTF-16 text (Excel\'s "Unicode Text").',
            'Save it from Excel as "CSV UTF-8 (comma delimited)" instead.',
        )


def _decoded_as(data: bytes, name: str, encoding: str) -> str:
    """``data`` in the encoding the user named, or a problem saying where it fails."""
    try:
        return data.decode(encoding).removeprefix("\ufeff")
    except LookupError as err:
        raise one_problem(
            name, "is no known text encoding.", "Use utf-8 or cp1252.", value=encoding
        ) from err
    except UnicodeDecodeError as err:
        raise one_problem(
            name,
            f"cannot be read as {encoding} (byte {err.start}).",
            "Leave out --encoding to let me detect it, or save the file as UTF-8.",
            line=data[: err.start].count(b"\n") + 1,
        ) from err
