"""Which reader reads which input: files read, formats detected, every input's facts."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path, PurePosixPath

from .._bulk import paused_gc
from ..errors import DataError, InputError, one_problem
from . import cordis
from .decode import decode_text
from .facts import SourceFacts
from .page import parse_page
from .sheets import Sheet, csv_sheet, is_xlsx, xlsx_sheets
from .tables import facts_from_sheets, own_table_of, sheet_layout, table_sheets

__all__ = ["detect_format", "read_inputs", "read_paths", "read_text"]


def read_text(path: Path, *, encoding: str | None = None) -> str:
    """A text file's content (see :func:`.sources.decode.decode_text`), or a
    :class:`DataError` that says how to fix it."""
    ((name, data),) = read_paths([path], names=[str(path)])
    return decode_text(data, name, encoding=encoding)[0]


def read_paths(
    paths: Sequence[Path], *, names: Sequence[str] | None = None
) -> list[tuple[str, bytes]]:
    """The bytes of each file with the name it is known by in provenance and messages.

    A file is named by its file name; two files of the same name (two CORDIS
    ``project.csv``) are named with their folder as well.

    Raises
    ------
    DataError
        For every file that cannot be read.
    """
    if names is None:
        plain = [p.name for p in paths]
        names = [
            f"{p.parent.name}/{p.name}" if plain.count(p.name) > 1 and p.parent.name else p.name
            for p in paths
        ]
    out: list[tuple[str, bytes]] = []
    problems: list[InputError] = []
    for path, name in zip(paths, names, strict=True):
        try:
            out.append((name, Path(path).read_bytes()))
        except OSError as err:
            problems.append(
                InputError(
                    str(path),
                    None,
                    None,
                    None,
                    f"cannot be read: {err.strerror}.",
                    "Check the path and the file's permissions.",
                )
            )
    if problems:
        raise DataError(problems)
    return out


_HEAD = 1 << 16


def detect_format(name: str, data: bytes) -> str:
    """The format of an input from its content: one of :data:`FORMATS`.

    A workbook is ``xlsx`` (or ``cordis`` if its header is CORDIS's); text
    whose first line names CORDIS's columns is ``cordis``, one that names a
    spreadsheet layout's columns (or a ``.csv`` file) is ``table``; any other
    text is a ``page``.
    """
    if is_xlsx(data):
        sheets = xlsx_sheets(data, name)
        return "cordis" if any(cordis.file_kind(s.header) for s in sheets) else "xlsx"
    # The first lines tell; decoding a whole export (70 MB) to read them is waste.
    cut = data.rfind(b"\n", 0, _HEAD)
    head = data[: cut + 1] if len(data) > _HEAD and cut > 0 else data
    text, _ = decode_text(head, name)
    first = next((line for line in text.splitlines() if line.strip()), "")
    if first:
        header = csv_sheet(first.encode("utf-8"), name).header
        if cordis.file_kind(header):
            return "cordis"
        if sheet_layout(header):
            return "table"
    return "table" if PurePosixPath(name).suffix.lower() in (".csv", ".tsv") else "page"


def _table_sheets(name: str, data: bytes, fmt: str, encoding: str | None) -> list[Sheet]:
    if fmt == "xlsx" and not is_xlsx(data):
        raise one_problem(
            name,
            "is not an Excel workbook (.xlsx).",
            "Leave out --format to let me detect it, or use --format table for CSV.",
        )
    return table_sheets(data, name, encoding=encoding)


@paused_gc()  # records without cycles: the collector would only rescan them
def read_inputs(
    inputs: Sequence[tuple[str, bytes]], *, fmt: str | None = None, encoding: str | None = None
) -> list[SourceFacts]:
    """The facts of every input, in order; CORDIS files are read in pairs.

    Parameters
    ----------
    inputs : ``(name, content)`` pairs, as :func:`read_paths` or an upload gives them.
    fmt : one of :data:`FORMATS`, or None to detect each input's format.
    encoding : the text encoding of CSV files and pages; None detects it
        (UTF-8, else cp1252 with a note).

    Raises
    ------
    DataError
        With every problem of every input at once.
    """
    problems: list[InputError] = []
    found: list[tuple[int, SourceFacts]] = []
    cordis_files: list[tuple[int, str, bytes]] = []
    own: list[tuple[int, Sheet]] = []  # the project's own tables, read together
    for position, (name, data) in enumerate(inputs):
        try:
            kind = fmt or detect_format(name, data)
            if kind == "cordis":
                cordis_files.append((position, name, data))
            elif kind == "page":
                text, notes = decode_text(data, name, encoding=encoding)
                page = parse_page(text, name)
                page.notes[:0] = notes
                found.append((position, page))
            else:
                for sheet in _table_sheets(name, data, kind, encoding):
                    if own_table_of(sheet.header):
                        own.append((position, sheet))
                    else:
                        found.extend((position, f) for f in facts_from_sheets([sheet]))
        except DataError as err:
            problems.extend(err.problems)
    try:
        if own:
            facts = facts_from_sheets([sheet for _, sheet in own])
            found.extend((own[0][0], f) for f in facts)
        found.extend(cordis.facts_from_cordis_files(cordis_files, encoding=encoding))
    except DataError as err:
        problems.extend(err.problems)
    if problems:
        raise DataError(problems)
    return [f for _, f in sorted(found, key=lambda pair: pair[0])]
