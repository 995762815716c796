"""Spreadsheets of projects and partners: CSV (any common dialect) and ``.xlsx``.

Two layouts are read, told apart by their header row:

- **One row per participation**: a project and an organisation on each row,
  with optional columns for the organisation (country, role, kind, city, PIC,
  contribution) and the project (title, start, end, programme, funding…).
  Columns are found by name, in English or German, ignoring case and accents
  (``Projekt``/``project``/``acronym``, ``Organisation``/``partner``,
  ``Land``/``country``, ``Rolle``/``role``, ``Beginn``/``start``,
  ``Förderung``/``funding``…); see :data:`COLUMNS`.
- **The project's own four tables** (``projects.csv`` and the others, or
  sheets with their headers), as ``save_dataset`` writes them.

Every row keeps its provenance: the file (``file[sheet]`` for a workbook) and
its line (for a workbook the sheet's row number).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields, replace
from itertools import chain

from ..cells import MAX_NAME_LENGTH, UNPRINTABLE, cell_problem, shown_value
from ..errors import DataError, InputError, one_problem
from ..model import KINDS, ROLES, Alias, Organisation, Participation, Project
from ..names.countries import country_code
from ..names.vocabulary import KIND_WORDS, programme_name
from ..store.tables import FILES, NUMBER_RANGES, OPTIONAL_COLUMNS, records_from_rows
from .facts import Mention, SourceFacts
from .sheets import (
    Row,
    Sheet,
    csv_sheet,
    header_columns,
    header_key,
    is_xlsx,
    parse_date,
    parse_number,
    xlsx_sheets,
)

__all__ = [
    "COLUMNS",
    "facts_from_csv",
    "facts_from_sheets",
    "facts_from_xlsx",
    "own_table_of",
    "sheet_layout",
    "table_sheets",
]

#: The columns of a participation sheet and the headers that name them.
COLUMNS: dict[str, tuple[str, ...]] = {
    "project": (
        "project",
        "projekt",
        "acronym",
        "akronym",
        "project acronym",
        "projektakronym",
        "projektkürzel",
        "kürzel",
        "projektname",
        "project name",
    ),
    "organisation": (
        "organisation",
        "organization",
        "organisation name",
        "organization name",
        "organisationsname",
        "partner",
        "partnerorganisation",
        "partner organisation",
        "partner organization",
        "einrichtung",
        "institution",
        "name der organisation",
    ),
    "country": ("country", "land", "staat", "pays", "country code", "ländercode", "landeskürzel"),
    "role": ("role", "rolle", "funktion", "role in project", "rolle im projekt"),
    "kind": (
        "kind",
        "type",
        "art",
        "typ",
        "organisation type",
        "organization type",
        "organisationstyp",
        "organisationsart",
        "art der organisation",
    ),
    "city": ("city", "stadt", "ort", "sitz", "town"),
    "pic": ("pic", "participant identification code", "organisationid"),
    "contribution_eur": (
        "contribution",
        "eu contribution",
        "ec contribution",
        "eu beitrag",
        "beitrag",
        "anteil",
        "partner share",
        "förderanteil",
        "zuschuss",
    ),
    "latitude": ("latitude", "lat", "breitengrad", "breite"),
    "longitude": ("longitude", "lon", "lng", "längengrad", "länge"),
    "title": ("title", "titel", "project title", "projekttitel"),
    "description": ("description", "beschreibung", "summary", "zusammenfassung"),
    "start": ("start", "beginn", "anfang", "start date", "startdatum", "projektbeginn", "von"),
    "end": ("end", "ende", "end date", "enddatum", "projektende", "bis"),
    "programme": (
        "programme",
        "program",
        "programm",
        "förderprogramm",
        "funding programme",
        "funding program",
    ),
    "funding_eur": (
        "funding",
        "förderung",
        "fördersumme",
        "fördermittel",
        "funding amount",
        "budget",
        "amount",
        "betrag",
        "eu funding",
    ),
    "funding_scope": ("funding scope", "scope", "förderumfang"),
}

_REQUIRED = ("project", "organisation")
_PROJECT_COLUMNS = ("title", "description", "start", "end", "programme", "funding_eur")

_ROLE_WORDS: dict[str, str] = {
    "coordinator": "coordinator",
    "koordinator": "coordinator",
    "koordinatorin": "coordinator",
    "koordination": "coordinator",
    "lead": "coordinator",
    "lead partner": "coordinator",
    "leadpartner": "coordinator",
    "federführung": "coordinator",
    "projektleitung": "coordinator",
    "partner": "partner",
    "partnerin": "partner",
    "beneficiary": "partner",
    "participant": "participant",
    "teilnehmer": "participant",
    "teilnehmerin": "participant",
    "beteiligt": "participant",
    "associated partner": "participant",
    "assoziierter partner": "participant",
}
_SCOPE_WORDS = {
    "total": "total",
    "gesamt": "total",
    "partner_share": "partner_share",
    "partner share": "partner_share",
    "anteil": "partner_share",
}


def _keys(text: str) -> set[str]:
    german = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"})
    return {header_key(text), header_key(text.translate(german))}


_HEADER_INDEX: dict[str, str] = {
    key: column for column, names in COLUMNS.items() for name in names for key in _keys(name)
}
_HEADER_INDEX.update({header_key(c): c for c in COLUMNS})
_ROLES = {key: role for word, role in _ROLE_WORDS.items() for key in _keys(word)}
_ROLES.update({r: r for r in ROLES})
_KINDS = {key: kind for word, kind in KIND_WORDS.items() for key in _keys(word)}
_KINDS.update({header_key(k): k for k in KINDS})
_SCOPES = {header_key(word): scope for word, scope in _SCOPE_WORDS.items()}


def own_table_of(header: Sequence[str]) -> str | None:
    """Which of the project's own tables a header row is, if any ("projects.csv", …).

    Examples
    --------
    >>> own_table_of(["alias", "organisation", "source", "line", "note"])
    'aliases.csv'
    >>> own_table_of(["Projekt", "Organisation"]) is None
    True
    """
    names = {h.strip() for h in header if h.strip()}
    for table, record_type in FILES.items():
        columns = {f.name for f in fields(record_type) if not f.name.startswith("_")}
        if columns - OPTIONAL_COLUMNS <= names <= columns:
            return table
    return None


def sheet_layout(header: Sequence[str]) -> str | None:
    """``"own"``, ``"participations"`` or None for a header row nobody knows."""
    if own_table_of(header):
        return "own"
    found = {_HEADER_INDEX.get(header_key(h)) for h in header}
    return "participations" if {"project", "organisation"} <= found else None


@dataclass
class _Columns:
    index: dict[str, int]
    unknown: list[str]


def _columns(sheet: Sheet) -> _Columns:
    index, unknown, problems = header_columns(sheet, _HEADER_INDEX)
    for column in _REQUIRED:
        if column not in index:
            names = ", ".join(COLUMNS[column][:4])
            problems.append(
                InputError(
                    sheet.name,
                    1,
                    column,
                    None,
                    f"column is missing (found: {', '.join(h for h in sheet.header if h)}).",
                    f"Name a column {names} (case does not matter); the first row must "
                    "hold the column names."
                    + (
                        " A member list (names without projects) is added with: "
                        "defus-graph members --add FILE"
                        if column == "project"
                        else ""
                    ),
                )
            )
    if problems:
        raise DataError(problems)
    return _Columns(index, unknown)


class _Problems:
    """The problems of one sheet, each naming its column as the sheet's header does."""

    def __init__(self, sheet: Sheet) -> None:
        self.sheet = sheet
        self.found: list[InputError] = []

    def __call__(self, line: int, column: str, value: str, message: str, hint: str) -> None:
        """Note that ``value`` in ``column`` on ``line`` is wrong: what, and what to do."""
        header = _header_of(self.sheet, column)
        self.found.append(InputError(self.sheet.name, line, header, value, message, hint))


#: The columns of a participation sheet that name something: one line, not too long.
_NAME_COLUMNS = frozenset({"project", "organisation", "city", "title"})

#: The same for the project's own tables, by table.
_OWN_NAME_COLUMNS: dict[str, frozenset[str]] = {
    "projects.csv": frozenset({"acronym", "title"}),
    "organisations.csv": frozenset({"name", "city"}),
    "participations.csv": frozenset({"project", "organisation", "name_as_written"}),
    "aliases.csv": frozenset({"alias", "organisation"}),
}


def _bad_cells(sheet: Sheet, row: Row, columns: Sequence[tuple[int, bool]]) -> list[InputError]:
    """The problems of the cells of ``row`` at ``columns`` (position, whether a name).

    Each cell is checked as it stands in the file, less the spaces and line
    breaks around it (which are dropped when it is read), so a control
    character at either end is found too. See :func:`defus_graph.cells.cell_problem`.
    """
    found: list[InputError] = []
    if not UNPRINTABLE.search("".join(row.cells)) and all(
        len(row.cells[p]) <= MAX_NAME_LENGTH
        for p, is_name in columns
        if is_name and p < len(row.cells)
    ):
        return found  # the common row, checked at once
    for position, is_name in columns:
        if position >= len(row.cells):
            continue
        text = row.cells[position].strip(" \t\r\n")
        wrong = cell_problem(text, name=is_name)
        if wrong is not None:
            found.append(
                InputError(sheet.name, row.line, sheet.header[position], shown_value(text), *wrong)
            )
    return found


class _ProjectFacts:
    """A project's facts gathered from every row that names it; rows must agree."""

    def __init__(self, acronym: str, line: int) -> None:
        self.acronym = acronym
        self.line = line
        self.values: dict[str, tuple[str, int]] = {}

    def set(self, column: str, value: str, line: int, problem: _Problems) -> None:
        """Keep ``value`` for ``column``, as first seen on ``line``; another is a problem."""
        if not value:
            return
        known = self.values.setdefault(column, (value, line))
        if known[0] != value:
            problem(
                line,
                column,
                value,
                f'differs from "{known[0]}" on line {known[1]} for project {self.acronym}.',
                "Write the project's facts the same on every row, or on one row only.",
            )


def _header_of(sheet: Sheet, column: str) -> str:
    for text in sheet.header:
        if _HEADER_INDEX.get(header_key(text)) == column:
            return text
    return column


_EUROS = "Write digits, e.g. 630901,00 or 630.901,00 or 630901.00."

#: What to do about a number out of its range (NUMBER_RANGES), by column: a sheet
#: may write amounts with a decimal comma.
_NUMBER_HINTS = {
    "funding_eur": _EUROS,
    "contribution_eur": _EUROS,
    "latitude": "Write degrees between -90 and 90, e.g. 51.2277.",
    "longitude": "Write degrees between -180 and 180, e.g. 51.2277.",
}

#: Columns read as one of a few words: how a word is found, what is wrong with
#: one that is not, what to do.
_WORDS: dict[str, tuple[Callable[[str], str | None], str, str]] = {
    "country": (
        country_code,
        "is no country I know.",
        "Write a two-letter code (DE, NL, GR) or the name in English or German.",
    ),
    "role": (
        lambda text: _ROLES.get(header_key(text)),
        "is no role I know.",
        "Write coordinator (Koordinator), partner or participant (Teilnehmer).",
    ),
    "kind": (
        lambda text: _KINDS.get(header_key(text)),
        "is no kind of organisation I know.",
        f"Use one of: {', '.join(KINDS)}.",
    ),
    "funding_scope": (
        lambda text: _SCOPES.get(header_key(text)),
        "is no funding scope I know.",
        "Write total (the project's whole funding) or partner_share.",
    ),
}


def _number(column: str, text: str, line: int, problem: _Problems) -> float | None:
    """``text`` as a number in the range of ``column`` (None if empty or not)."""
    if not text:
        return None
    low, high, message = NUMBER_RANGES[column]
    try:
        value = parse_number(text, decimal=problem.sheet.decimal)
    except ValueError:
        value = math.nan
    if not low <= value <= high:
        problem(line, column, text, message, _NUMBER_HINTS[column])
        return None
    return value


def _word(column: str, text: str, line: int, problem: _Problems) -> str:
    """The word of ``column`` that ``text`` stands for ("" if empty or none)."""
    if not text:
        return ""
    find, message, hint = _WORDS[column]
    word = find(text)
    if not word:
        problem(line, column, text, message, hint)
        return ""
    return word


def _project(p: _ProjectFacts, sheet: Sheet, problem: _Problems) -> Project:
    def get(column: str) -> tuple[str, int]:
        return p.values.get(column, ("", 0))

    dates: dict[str, str] = {}
    for column in ("start", "end"):
        value, line = get(column)
        if value:
            try:
                dates[column] = parse_date(value)
            except ValueError as err:
                problem(
                    line,
                    column,
                    value,
                    f"{err}.",
                    "Write a date such as 2017, 10/2017, Oktober 2017 or 01.10.2017.",
                )
    if "start" in dates and "end" in dates and dates["end"] < dates["start"][: len(dates["end"])]:
        value, line = get("end")
        problem(
            line,
            "end",
            value,
            f"is before the start {dates['start']}.",
            "Swap the dates or correct one of them.",
        )
    funding_text, funding_line = get("funding_eur")
    funding = _number("funding_eur", funding_text, funding_line, problem)
    scope_text, scope_line = get("funding_scope")
    scope = _word("funding_scope", scope_text, scope_line, problem)
    if scope == "partner_share":
        problem(
            scope_line,
            "funding_scope",
            scope_text,
            "is a partner's share, but the sheet cannot say whose.",
            "Put each partner's amount in a contribution column instead.",
        )
    elif not scope_text and funding is not None:
        scope = "total"
    programme_text, _ = get("programme")
    return Project(
        acronym=p.acronym,
        title=get("title")[0],
        description=get("description")[0],
        start=dates.get("start", ""),
        end=dates.get("end", ""),
        programme=programme_name(programme_text) if programme_text else "",
        funding_eur=funding,
        funding_scope=scope if funding is not None else "",
        funding_text=funding_text,
        source=sheet.name,
        line=p.line,
        description_line=get("description")[1],
        dates_line=get("start")[1] or get("end")[1],
        funding_line=funding_line,
    )


def _participation_facts(sheet: Sheet) -> SourceFacts:
    """The facts of a spreadsheet of participations: one row per organisation and project."""
    cols = _columns(sheet)
    mentions: list[Mention] = []
    facts = SourceFacts(sheet.name, mentions=mentions, notes=list(sheet.notes))
    if cols.unknown:
        known = ", ".join(sorted(COLUMNS))
        facts.notes.append(
            f"{sheet.name}: the columns {', '.join(repr(u) for u in cols.unknown)} are not "
            f"read (no column I know). Known columns: {known}."
        )
    problem = _Problems(sheet)
    projects: dict[str, _ProjectFacts] = {}
    read = sorted((position, column in _NAME_COLUMNS) for column, position in cols.index.items())
    for row in sheet.rows:
        bad = _bad_cells(sheet, row, read)
        if bad:
            problem.found.extend(bad)
            continue
        mention = _row_mention(sheet, row, cols.index, projects, problem)
        if mention is not None:
            mentions.append(mention)
    facts.projects = [_project(p, sheet, problem) for p in projects.values()]
    if problem.found:
        raise DataError(problem.found)
    if not facts.projects:
        raise one_problem(
            sheet.name, "has a header but no rows.", "Add one row per organisation and project."
        )
    no_role = sum(1 for row in sheet.rows if not sheet.cell(row, cols.index.get("role")))
    if no_role:
        facts.notes.append(
            f"{sheet.name}: {no_role} row{'s' if no_role != 1 else ''} give no role; "
            'read as "participant" (taking part, role not stated).'
        )
    return facts


def _row_mention(
    sheet: Sheet,
    row: Row,
    index: dict[str, int],
    projects: dict[str, _ProjectFacts],
    problem: _Problems,
) -> Mention | None:
    """One row's mention (its project's facts kept in ``projects``), or None with a problem."""

    def cell(column: str) -> str:
        return sheet.cell(row, index.get(column))

    line = row.line
    acronym, name = cell("project"), cell("organisation")
    if not acronym:
        problem(line, "project", "", "is empty.", "Every row needs the project's acronym.")
        return None
    p = projects.setdefault(acronym, _ProjectFacts(acronym, line))
    for column in (*_PROJECT_COLUMNS, "funding_scope"):
        p.set(column, cell(column), line, problem)
    if not name:
        problem(
            line,
            "organisation",
            "",
            "is empty.",
            "Every row needs an organisation; write the project's facts on one of its "
            "organisations' rows.",
        )
        return None
    # Checked in this order, so that a row's problems are listed in it.
    country = _word("country", cell("country"), line, problem)
    written_role = cell("role")
    role = _word("role", written_role, line, problem) if written_role else "participant"
    kind = _word("kind", cell("kind"), line, problem)
    contribution = _number("contribution_eur", cell("contribution_eur"), line, problem)
    return Mention(
        project=acronym,
        name=name,
        role=role,
        line=line,
        name_as_written=name,
        country=country,
        pic=cell("pic"),
        kind=kind,
        city=cell("city"),
        latitude=_number("latitude", cell("latitude"), line, problem),
        longitude=_number("longitude", cell("longitude"), line, problem),
        contribution_eur=contribution,
    )


def _own_bad_cells(table: str, sheet: Sheet) -> list[InputError]:
    """The bad cells of one of the project's own tables given as input.

    A participation without its project or organisation is one too: the data
    folder's cross-checks would find it, an input's are not run before merging.
    """
    names = _OWN_NAME_COLUMNS[table]
    columns = [(i, h in names) for i, h in enumerate(sheet.header) if h]
    required = [i for i, h in enumerate(sheet.header) if h in ("project", "organisation")]
    if table != "participations.csv":
        required = []
    # One search over the whole table first: a large clean table costs little.
    text = " ".join(chain.from_iterable(r.cells for r in sheet.rows))
    clean = text.isprintable() or not UNPRINTABLE.search(text)  # the first test is quicker
    long_names = any(
        len(r.cells[i]) > MAX_NAME_LENGTH
        for r in sheet.rows
        for i, is_name in columns
        if is_name and i < len(r.cells)
    )
    found: list[InputError] = []
    for row in sheet.rows:
        bad = [] if clean and not long_names else _bad_cells(sheet, row, columns)
        if not bad:
            bad = [
                InputError(
                    sheet.name,
                    row.line,
                    sheet.header[i],
                    "",
                    "is empty.",
                    "Every participation needs its project and its organisation.",
                )
                for i in required
                if not sheet.cell(row, i)
            ]
        found.extend(bad)
    return found


def _own_facts(sheets: dict[str, Sheet]) -> SourceFacts:
    """Facts from the project's own tables; each record keeps its stated provenance."""
    problems: list[InputError] = []
    records: dict[str, list[tuple[int, object]]] = {}
    for table, sheet in sheets.items():
        bad = _own_bad_cells(table, sheet)
        if bad:
            problems.extend(bad)  # the rows are not read on: each problem is told once
            continue
        try:
            records[table] = records_from_rows(
                table, sheet.name, sheet.header, ((r.line, r.cells) for r in sheet.rows)
            )
        except DataError as err:
            problems.extend(err.problems)
    if problems:
        raise DataError(problems)
    first = next(iter(sheets.values()))
    facts = SourceFacts(
        first.name,
        notes=[n for s in sheets.values() for n in s.notes],
        replaces=frozenset(),
    )
    for line, rec in records.get("projects.csv", []):
        assert isinstance(rec, Project)
        name = sheets["projects.csv"].name
        facts.projects.append(
            rec if rec.source else replace(rec, source=name, line=rec.line or line)
        )
    orgs: dict[str, Organisation] = {}
    for _, rec in records.get("organisations.csv", []):
        assert isinstance(rec, Organisation)
        orgs[rec.name] = rec
    if "participations.csv" in sheets:
        name = sheets["participations.csv"].name
        facts.mentions = _own_mentions(records.get("participations.csv", []), orgs, name)
    used = {m.name for m in facts.mentions}
    for line, rec in records.get("aliases.csv", []):
        assert isinstance(rec, Alias)
        facts.aliases.append(
            rec if rec.source else replace(rec, source=sheets["aliases.csv"].name, line=line)
        )
    unused = sorted(set(orgs) - used)
    if unused:
        facts.notes.append(
            f"{len(unused)} organisation(s) in no project are not read: "
            + ", ".join(unused[:10])
            + (" …" if len(unused) > 10 else "")
            + "."
        )
    return facts


def _own_mentions(
    participations: list[tuple[int, object]], orgs: dict[str, Organisation], name: str
) -> list[Mention]:
    """A mention per participation row, with its organisation's facts from its own table."""
    mentions: list[Mention] = []
    for line, rec in participations:
        assert isinstance(rec, Participation)
        org = orgs.get(rec.organisation, Organisation(rec.organisation))
        mentions.append(
            Mention(
                project=rec.project,
                name=rec.organisation,
                role=rec.role,
                line=rec.line or line,
                name_as_written=rec.name_as_written or rec.organisation,
                country=org.country,
                pic=org.pic,
                kind=org.kind,
                city=org.city,
                latitude=org.latitude,
                longitude=org.longitude,
                contribution_eur=rec.contribution_eur,
                source=rec.source or name,
                note=org.note,
            )
        )
    return mentions


def facts_from_sheets(sheets: Sequence[Sheet]) -> list[SourceFacts]:
    """Facts from sheets already read: own-layout tables together, each other sheet alone.

    Raises
    ------
    DataError
        With every problem, each naming the sheet, row and column.
    """
    own: dict[str, Sheet] = {}
    out: list[SourceFacts] = []
    problems: list[InputError] = []
    for sheet in sheets:
        table = own_table_of(sheet.header)
        if table is not None:
            if table in own:
                problems.append(
                    InputError(
                        sheet.name,
                        1,
                        None,
                        None,
                        f"is a second {table} (the first is {own[table].name}).",
                        "Ingest the two sets of tables one after the other.",
                    )
                )
            own[table] = sheet
            continue
        try:
            out.append(_participation_facts(sheet))
        except DataError as err:
            problems.extend(err.problems)
    if own and not problems:
        try:
            out.insert(0, _own_facts(own))
        except DataError as err:
            problems.extend(err.problems)
    if problems:
        raise DataError(problems)
    return out


def facts_from_csv(data: bytes, name: str, *, encoding: str | None = None) -> list[SourceFacts]:
    """Facts from one CSV file (either layout); ``name`` is used in provenance and messages."""
    return facts_from_sheets([csv_sheet(data, name, encoding=encoding)])


def table_sheets(data: bytes, name: str, *, encoding: str | None = None) -> list[Sheet]:
    """The sheets of a CSV file or workbook that hold one of the two layouts.

    A workbook's sheets whose header is neither layout are skipped with a note;
    a file with no readable sheet is an error.
    """
    if not is_xlsx(data):
        return [csv_sheet(data, name, encoding=encoding)]
    sheets = xlsx_sheets(data, name)
    readable = [s for s in sheets if sheet_layout(s.header)]
    if not readable:
        first = sheets[0]
        found = ", ".join(h for h in first.header if h)
        raise one_problem(
            first.name,
            f"has no column for the project and the organisation (found: {found}).",
            "The first row must name the columns, e.g. Projekt, Organisation, Land, Rolle.",
            line=1,
        )
    skipped = [s.name for s in sheets if s not in readable]
    if skipped:
        readable[0].notes.append(
            "sheets not read (no project and organisation columns): " + ", ".join(skipped) + "."
        )
    return readable


def facts_from_xlsx(data: bytes, name: str) -> list[SourceFacts]:
    """Facts from an ``.xlsx`` workbook: its own-layout sheets, or its participation sheets."""
    return facts_from_sheets(table_sheets(data, name))
