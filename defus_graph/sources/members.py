"""Member lists: who belongs to the network, read from a CSV file or an ``.xlsx`` workbook.

A member list has a column with the member's name and, if it likes, the
member's kind, country and the date it joined ("member since"). Columns are
found by name in English or German, ignoring case and accents, as in any
other sheet (:mod:`.tables`); cells are read by the same rules (kinds and
countries by :mod:`defus_graph.names.vocabulary` and :mod:`defus_graph.names.countries`,
dates by :func:`.sheets.parse_date`). Every problem is located (file, line,
column, value, what to do) and raised at once; nothing is read from a list
with a problem.

The members read here name no organisation yet (``organisation == ""``):
matching them to the network is :func:`defus_graph.names.members.match_members`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..cells import cell_problem, shown_value
from ..errors import DataError, InputError
from ..model import KINDS, Member
from ..names.countries import country_code
from ..names.vocabulary import KIND_WORDS
from .sheets import (
    Row,
    Sheet,
    csv_sheet,
    header_columns,
    header_key,
    is_xlsx,
    parse_date,
    xlsx_sheets,
)
from .tables import COLUMNS

__all__ = ["MEMBER_COLUMNS", "MemberList", "member_list"]

#: The columns of a member list and the headers that name them.
MEMBER_COLUMNS: dict[str, tuple[str, ...]] = {
    "name": (
        "name",
        "member",
        "member name",
        "mitglied",
        "mitgliedsname",
        "organisation",
        "organization",
        "organisation name",
        "organization name",
        "organisationsname",
        "name der organisation",
        "einrichtung",
        "institution",
    ),
    # The same headers as a spreadsheet of participations: one vocabulary for both.
    "kind": COLUMNS["kind"],
    "country": COLUMNS["country"],
    "since": (
        "member since",
        "since",
        "joined",
        "membership since",
        "mitglied seit",
        "seit",
        "mitgliedschaft seit",
        "beitritt",
        "beitrittsdatum",
        "eintritt",
    ),
}

_GERMAN = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"})


def _keys(text: str) -> set[str]:
    return {header_key(text), header_key(text.translate(_GERMAN))}


_HEADERS = {
    key: column for column, names in MEMBER_COLUMNS.items() for n in names for key in _keys(n)
}
_KIND_KEYS = {key: kind for word, kind in KIND_WORDS.items() for key in _keys(word)}
_KIND_KEYS.update({header_key(k): k for k in KINDS})


@dataclass(frozen=True)
class MemberList:
    """The members a list states, in its order, and notes on how it was read."""

    members: tuple[Member, ...]
    notes: tuple[str, ...] = ()


def member_list(data: bytes, name: str, *, encoding: str | None = None) -> MemberList:
    """The members listed in a CSV file or ``.xlsx`` workbook named ``name``.

    Each member keeps its provenance: ``name`` (``name[sheet]`` for a
    workbook) and its line (a workbook's row number).

    Raises
    ------
    DataError
        With every problem: no name column, an empty name, a kind, country or
        date that cannot be read, a control character in a cell.

    Examples
    --------
    >>> found = member_list("Mitglied;Land;Mitglied seit\\nStadt Augsburg;Deutschland;03/2015\\n"
    ...     .encode(), "mitglieder.csv")
    >>> found.members[0]
    Member(name='Stadt Augsburg', organisation='', kind='', country='DE', since='2015-03', \
source='mitglieder.csv', line=2)
    """
    if is_xlsx(data):
        sheet, notes = _the_member_sheet(xlsx_sheets(data, name))
    else:
        sheet, notes = csv_sheet(data, name, encoding=encoding), []
    index, unknown = _columns(sheet)
    if unknown:
        notes.append(f"{sheet.name}: columns not read: {', '.join(unknown)}.")
    problems: list[InputError] = []
    members = []
    for row in sheet.rows:
        member = _member(sheet, row, index, problems)
        if member is not None:
            members.append(member)
    if problems:
        raise DataError(problems)
    if not members:
        raise DataError(
            [InputError(sheet.name, None, None, None, "lists no member.", "Write one per row.")]
        )
    return MemberList(tuple(members), tuple([*sheet.notes, *notes]))


def _the_member_sheet(sheets: list[Sheet]) -> tuple[Sheet, list[str]]:
    """The one sheet of a workbook with a name column; more than one is a problem."""
    with_names = [s for s in sheets if "name" in _found(s.header)]
    if len(with_names) == 1:
        others = [s.name for s in sheets if s is not with_names[0]]
        notes = [f"sheets not read (not the member list): {', '.join(others)}."] if others else []
        return with_names[0], notes
    if not with_names:
        return sheets[0], []  # _columns says which column is missing
    raise DataError(
        [
            InputError(
                s.name,
                1,
                None,
                None,
                "is one of several sheets with a name column; I do not guess which lists "
                "the members.",
                "Keep the member list in one sheet (delete or move the others), or save "
                "that sheet as CSV.",
            )
            for s in with_names
        ]
    )


def _found(header: list[str]) -> set[str | None]:
    return {_HEADERS.get(header_key(h)) for h in header if h}


def _columns(sheet: Sheet) -> tuple[dict[str, int], list[str]]:
    """Each known column's position, and the headers that are no column of a member list."""
    index, unknown, problems = header_columns(sheet, _HEADERS)
    if "name" not in index:
        problems.append(
            InputError(
                sheet.name,
                1,
                "name",
                None,
                f"column is missing (found: {', '.join(h for h in sheet.header if h)}).",
                "Name the column of members Name, Mitglied or Organisation (case does not "
                "matter); the first row must hold the column names.",
            )
        )
    if problems:
        raise DataError(problems)
    return index, unknown


#: How each optional cell is read: the reader (ValueError or None for a value it
#: does not know), what is wrong with such a value, what to do.
_READERS: dict[str, tuple[Callable[[str], str | None], str, str]] = {
    "kind": (
        lambda text: _KIND_KEYS.get(header_key(text)),
        "is no kind of organisation I know.",
        f"Use one of: {', '.join(KINDS)}; or leave it empty.",
    ),
    "country": (
        country_code,
        "is no country I know.",
        "Write a two-letter code (DE, NL, GR) or the name in English or German.",
    ),
    "since": (
        parse_date,
        "is no date I can read.",
        "Write a year (2015), a month (03/2015, März 2015) or a day (01.03.2015).",
    ),
}


def _member(
    sheet: Sheet, row: Row, index: dict[str, int], problems: list[InputError]
) -> Member | None:
    """The member on ``row``; its problems go to ``problems`` (then ``None``)."""
    found = len(problems)
    values: dict[str, str] = {}
    for column, position in index.items():
        text = sheet.cell(row, position)
        header = sheet.header[position]
        wrong = cell_problem(text, name=column == "name")
        if wrong is not None:
            problems.append(InputError(sheet.name, row.line, header, shown_value(text), *wrong))
            continue
        if column == "name" or not text:
            values[column] = text
            continue
        read, message, hint = _READERS[column]
        try:
            value = read(text)
        except ValueError:
            value = None
        if not value:
            problems.append(InputError(sheet.name, row.line, header, text, message, hint))
            continue
        values[column] = value
    if values.get("name") == "":
        header = sheet.header[index["name"]]
        problems.append(
            InputError(
                sheet.name,
                row.line,
                header,
                "",
                "is empty.",
                "Write the member's name, or delete the row.",
            )
        )
    if len(problems) > found:
        return None
    return Member(
        name=values["name"],
        kind=values.get("kind", ""),
        country=values.get("country", ""),
        since=values.get("since", ""),
        source=sheet.name,
        line=row.line,
    )
