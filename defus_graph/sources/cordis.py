"""CORDIS bulk exports of EU research projects (Horizon 2020, Horizon Europe).

The EU publishes each framework programme as ``project.csv`` and
``organization.csv`` (and ``.xlsx`` variants). What this reader relies on:

- ``;``-separated, every field quoted, UTF-8 possibly with a byte-order mark;
  columns are found by header name, as their order differs between releases;
  a header row repeated inside the file is skipped.
- ``project.csv``: ``id``, ``acronym``, ``title``, ``startDate``, ``endDate``,
  ``ecMaxContribution`` (the EU's contribution to the whole project, kept as
  its total funding), ``frameworkProgramme`` (``H2020``, ``HORIZON``),
  ``objective``. Acronyms are not unique in CORDIS: two projects sharing one
  are filed as ``ACRONYM (cordis:ID)``, with a note.
- ``organization.csv``: one row per organisation and project: ``projectID``,
  ``organisationID`` (the PIC, the organisation's identity across projects),
  ``name``, ``activityType``, ``city``, ``country`` (the EU's codes: ``EL`` is
  GR, ``UK`` is GB), ``geolocation`` (``"lat,lon"``, may be empty), ``role``,
  ``ecContribution`` (decimal point; ``totalCost`` may use a decimal comma,
  both are read).

Roles become ours as follows:

=====================  ===============  ==========================================
CORDIS ``role``        our role         why
=====================  ===============  ==========================================
``coordinator``        coordinator      leads the project
``participant``        partner          a beneficiary who signs the grant
``partner``            partner          a partner in the consortium
``thirdParty``         participant      works through a beneficiary (linked third party)
``associatedPartner``  participant      takes part without signing the grant
=====================  ===============  ==========================================

``activityType`` becomes a kind: ``PUB`` public body, ``PRC`` company,
``REC`` research institute, ``HES`` university, ``OTH`` other. ``PUB`` covers
cities, ministries, police and agencies alike, so CORDIS never makes an
organisation a city; only a name that says so ("Gemeente", "Comune di") does,
in :func:`defus_graph.ingest.merge_facts`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from ..countries import country_code
from ..errors import DataError, InputError
from ..model import Project
from .facts import Mention, SourceFacts
from .sheets import Row, Sheet, csv_sheet, is_xlsx, parse_date, parse_number, xlsx_sheets

__all__ = [
    "KINDS",
    "PROGRAMMES",
    "ROLES",
    "facts_from_cordis",
    "facts_from_cordis_files",
    "file_kind",
]

#: CORDIS ``role`` -> our role (see the module's table).
ROLES: dict[str, str] = {
    "coordinator": "coordinator",
    "participant": "partner",
    "partner": "partner",
    "thirdparty": "participant",
    "associatedpartner": "participant",
}

#: CORDIS ``activityType`` -> our kind. PUB is any public body, not a city.
KINDS: dict[str, str] = {
    "PUB": "public body",
    "PRC": "company",
    "REC": "research institute",
    "HES": "university",
    "OTH": "other",
}

#: CORDIS ``frameworkProgramme`` -> the programme's name.
PROGRAMMES: dict[str, str] = {
    "H2020": "Horizon 2020",
    "HORIZON": "Horizon Europe",
    "HE": "Horizon Europe",
    "FP7": "FP7",
}

_PROJECT_REQUIRED = ("id", "acronym")
_ORG_REQUIRED = ("projectID", "organisationID", "name", "role", "country")


def file_kind(header: Sequence[str]) -> str | None:
    """``"project"`` or ``"organization"`` for a CORDIS header row, else None.

    Examples
    --------
    >>> file_kind(["projectID", "projectAcronym", "organisationID", "name", "role"])
    'organization'
    >>> file_kind(["id", "acronym", "title", "frameworkProgramme"])
    'project'
    """
    names = {h.strip().casefold() for h in header}
    if {"projectid", "organisationid"} <= names:
        return "organization"
    if {"id", "acronym"} <= names and names & {"frameworkprogramme", "ecmaxcontribution"}:
        return "project"
    return None


@dataclass
class _Table:
    sheet: Sheet
    index: dict[str, int]
    repeated_headers: int = 0

    def get(self, row: Row, column: str) -> str:
        return self.sheet.cell(row, self.index.get(column.casefold()))

    def rows(self) -> list[Row]:
        header = [h.casefold() for h in self.sheet.header]
        out = []
        for row in self.sheet.rows:
            cells = [c.strip().casefold() for c in row.cells[: len(header)]]
            if cells == header:
                self.repeated_headers += 1
                continue
            out.append(row)
        return out


def _sheet(name: str, data: bytes, kind: str, encoding: str | None) -> Sheet:
    if is_xlsx(data):
        sheets = [s for s in xlsx_sheets(data, name) if file_kind(s.header) == kind]
        if not sheets:
            raise DataError(
                [
                    InputError(
                        name,
                        1,
                        None,
                        None,
                        f"has no sheet with CORDIS's {kind} columns.",
                        f"Pass CORDIS's {kind}.xlsx as it was downloaded.",
                    )
                ]
            )
        return sheets[0]
    return csv_sheet(data, name, encoding=encoding)


def _table(sheet: Sheet, required: Sequence[str]) -> _Table:
    index: dict[str, int] = {}
    for position, text in enumerate(sheet.header):
        index.setdefault(text.strip().casefold(), position)
    missing = [c for c in required if c.casefold() not in index]
    if missing:
        raise DataError(
            [
                InputError(
                    sheet.name,
                    1,
                    column,
                    None,
                    "column is missing from this CORDIS file.",
                    "Pass the file as CORDIS exports it (the header names the columns).",
                )
                for column in missing
            ]
        )
    return _Table(sheet, index)


def _number(
    table: _Table, row: Row, column: str, decimal: str, problems: list[InputError]
) -> float | None:
    text = table.get(row, column)
    if not text:
        return None
    try:
        return parse_number(text, decimal=decimal)
    except ValueError:
        problems.append(
            InputError(
                table.sheet.name,
                row.line,
                column,
                text,
                "is not an amount in euros.",
                "CORDIS writes amounts as 123456.78; correct the value or clear it.",
            )
        )
        return None


def _date(table: _Table, row: Row, column: str, problems: list[InputError]) -> str:
    text = table.get(row, column)
    if not text:
        return ""
    try:
        return parse_date(text)
    except ValueError as err:
        problems.append(
            InputError(
                table.sheet.name,
                row.line,
                column,
                text,
                f"{err}.",
                "CORDIS writes dates as 2018-10-01.",
            )
        )
        return ""


def _projects(
    table: _Table, problems: list[InputError], notes: list[str]
) -> tuple[list[Project], dict[str, str]]:
    """The projects and a map from CORDIS id to the acronym they are filed under."""
    rows = table.rows()
    seen: dict[str, int] = {}
    unique_rows: list[Row] = []
    for row in rows:
        pid = table.get(row, "id")
        if not pid:
            problems.append(
                InputError(
                    table.sheet.name,
                    row.line,
                    "id",
                    "",
                    "is empty.",
                    "Every CORDIS project has an id.",
                )
            )
            continue
        if pid in seen:
            notes.append(
                f"{table.sheet.name}, line {row.line}: project {pid} is already on line "
                f"{seen[pid]}; the second row is not read."
            )
            continue
        seen[pid] = row.line
        unique_rows.append(row)
    counts = Counter(table.get(r, "acronym").casefold() for r in unique_rows)
    shared = sorted(
        {
            table.get(r, "acronym")
            for r in unique_rows
            if counts[table.get(r, "acronym").casefold()] > 1
        }
    )
    if shared:
        notes.append(
            f"{table.sheet.name}: several CORDIS projects share the acronym "
            + ", ".join(shared)
            + '; each is filed as "ACRONYM (cordis:ID)".'
        )
    projects: list[Project] = []
    acronyms: dict[str, str] = {}
    for row in unique_rows:
        pid = table.get(row, "id")
        acronym = table.get(row, "acronym") or f"CORDIS {pid}"
        if counts[acronym.casefold()] > 1:
            acronym = f"{acronym} (cordis:{pid})"
        acronyms[pid] = acronym
        funding = _number(table, row, "ecMaxContribution", ".", problems)
        framework = table.get(row, "frameworkProgramme")
        description = table.get(row, "objective")
        start = _date(table, row, "startDate", problems)
        end = _date(table, row, "endDate", problems)
        projects.append(
            Project(
                acronym=acronym,
                title=table.get(row, "title"),
                description=description,
                start=start,
                end=end,
                programme=PROGRAMMES.get(framework.upper(), framework),
                funding_eur=funding,
                funding_scope="total" if funding is not None else "",
                funding_text=(
                    "EU contribution (CORDIS ecMaxContribution): "
                    + table.get(row, "ecMaxContribution")
                    if funding is not None
                    else ""
                ),
                source=table.sheet.name,
                line=row.line,
                description_line=row.line if description else 0,
                dates_line=row.line if start or end else 0,
                funding_line=row.line if funding is not None else 0,
                external_id=f"cordis:{pid}",
            )
        )
    return projects, acronyms


def _geolocation(
    table: _Table, row: Row, problems: list[InputError]
) -> tuple[float | None, float | None]:
    text = table.get(row, "geolocation").strip("()[] ")
    if not text:
        return None, None
    parts = [p.strip() for p in text.split(",")]
    try:
        lat, lon = (float(p) for p in parts)
    except ValueError:
        lat, lon = 999.0, 999.0
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        problems.append(
            InputError(
                table.sheet.name,
                row.line,
                "geolocation",
                table.get(row, "geolocation"),
                'is not "latitude,longitude".',
                "CORDIS writes it as 51.9225,4.47917; correct it or clear it.",
            )
        )
        return None, None
    return lat, lon


def _mentions(
    table: _Table,
    acronyms: dict[str, str],
    problems: list[InputError],
    notes: list[str],
) -> list[Mention]:
    mentions: list[Mention] = []
    elsewhere = 0
    name = table.sheet.name
    for row in table.rows():
        pid = table.get(row, "projectID")
        if pid not in acronyms:
            elsewhere += 1
            continue
        org_name = table.get(row, "name") or table.get(row, "shortName")
        if not org_name:
            problems.append(
                InputError(name, row.line, "name", "", "is empty.", "Fill in the name.")
            )
            continue
        written_role = table.get(row, "role")
        role = ROLES.get(written_role.casefold())
        if role is None:
            problems.append(
                InputError(
                    name,
                    row.line,
                    "role",
                    written_role,
                    "is no CORDIS role I know.",
                    "CORDIS roles are coordinator, participant, partner, thirdParty, "
                    "associatedPartner.",
                )
            )
            continue
        written_country = table.get(row, "country")
        country = (country_code(written_country) or "") if written_country else ""
        if written_country and not country:
            problems.append(
                InputError(
                    name,
                    row.line,
                    "country",
                    written_country,
                    "is no country code I know.",
                    "CORDIS writes two-letter codes such as DE, NL, EL, UK.",
                )
            )
        activity = table.get(row, "activityType").upper()
        if activity and activity not in KINDS:
            notes.append(
                f'{name}, line {row.line}: activityType "{activity}" is not one I know; '
                "kind left empty."
            )
        lat, lon = _geolocation(table, row, problems)
        mentions.append(
            Mention(
                project=acronyms[pid],
                name=org_name,
                role=role,
                line=row.line,
                name_as_written=org_name,
                country=country,
                pic=table.get(row, "organisationID"),
                kind=KINDS.get(activity, ""),
                city=table.get(row, "city"),
                latitude=lat,
                longitude=lon,
                contribution_eur=_number(table, row, "ecContribution", ".", problems),
                source=name,
            )
        )
        _number(table, row, "totalCost", ",", problems)
    if elsewhere:
        notes.append(
            f"{name}: {elsewhere} row{'s belong' if elsewhere != 1 else ' belongs'} to projects "
            "that are not in the project file passed with it; not read."
        )
    return mentions


def facts_from_cordis(
    project: tuple[str, bytes],
    organization: tuple[str, bytes],
    *,
    encoding: str | None = None,
) -> SourceFacts:
    """The facts of one CORDIS export: its ``project`` and ``organization`` files.

    Each is a ``(name, content)`` pair, CSV or ``.xlsx``. Rows of
    ``organization`` whose project is not in ``project`` are left out, with a
    note (so a ``project.csv`` cut down to some projects may be passed with
    the whole ``organization.csv``).

    Raises
    ------
    DataError
        With every problem in both files, located by file, line and column.
    """
    problems: list[InputError] = []
    p_sheet = _sheet(project[0], project[1], "project", encoding)
    o_sheet = _sheet(organization[0], organization[1], "organization", encoding)
    notes = [*p_sheet.notes, *o_sheet.notes]
    try:
        p_table = _table(p_sheet, _PROJECT_REQUIRED)
    except DataError as err:
        problems.extend(err.problems)
        p_table = None
    try:
        o_table = _table(o_sheet, _ORG_REQUIRED)
    except DataError as err:
        problems.extend(err.problems)
        o_table = None
    if p_table is None or o_table is None:
        raise DataError(problems)
    projects, acronyms = _projects(p_table, problems, notes)
    mentions = _mentions(o_table, acronyms, problems, notes)
    for table in (p_table, o_table):
        if table.repeated_headers:
            notes.append(
                f"{table.sheet.name}: {table.repeated_headers} repeated header "
                f"row{'s' if table.repeated_headers != 1 else ''} skipped."
            )
    if problems:
        raise DataError(problems)
    return SourceFacts(
        p_sheet.name,
        projects=projects,
        mentions=mentions,
        notes=notes,
        replaces=frozenset({p_sheet.name, o_sheet.name}),
    )


def _kind_of(name: str, data: bytes, encoding: str | None) -> str | None:
    if is_xlsx(data):
        kinds = {file_kind(s.header) for s in xlsx_sheets(data, name)} - {None}
        return kinds.pop() if len(kinds) == 1 else None
    return file_kind(csv_sheet(data.split(b"\n", 1)[0], name, encoding=encoding).header)


def _folder(name: str) -> str:
    return name.rpartition("/")[0]


def facts_from_cordis_files(
    files: Sequence[tuple[int, str, bytes]], *, encoding: str | None = None
) -> list[tuple[int, SourceFacts]]:
    """Pair CORDIS files given in any order and read each pair.

    ``files`` are ``(position, name, content)``; one project file and one
    organization file make a pair, or, with several, the two from one folder.
    Returns each pair's facts with the position of its first file.

    Raises
    ------
    DataError
        For a file that is no CORDIS file, one without its partner, or bad rows.
    """
    problems: list[InputError] = []
    kinds: list[tuple[int, str, bytes, str]] = []
    for position, name, data in files:
        kind = _kind_of(name, data, encoding)
        if kind is None:
            problems.append(
                InputError(
                    name,
                    1,
                    None,
                    None,
                    "is not a CORDIS project or organization file.",
                    "Pass CORDIS's project.csv and organization.csv as downloaded, "
                    "or leave out --format cordis.",
                )
            )
            continue
        kinds.append((position, name, data, kind))
    projects = [k for k in kinds if k[3] == "project"]
    orgs = [k for k in kinds if k[3] == "organization"]
    pairs: list[tuple[tuple[int, str, bytes, str], tuple[int, str, bytes, str]]] = []
    if len(projects) == 1 and len(orgs) == 1:
        pairs.append((projects[0], orgs[0]))
    else:
        for p in projects:
            match = [o for o in orgs if _folder(o[1]) == _folder(p[1])]
            if len(match) == 1:
                pairs.append((p, match[0]))
    paired = {id(x) for pair in pairs for x in pair}
    for entry in kinds:
        if id(entry) in paired:
            continue
        name, kind = entry[1], entry[3]
        other = "organization.csv" if kind == "project" else "project.csv"
        problems.append(
            InputError(
                name,
                None,
                None,
                None,
                f"is a CORDIS {kind} file without its {other}.",
                f"Pass both files of the export together: {kind}.csv and {other}"
                " (from the same folder).",
            )
        )
    out: list[tuple[int, SourceFacts]] = []
    for p, o in pairs:
        try:
            facts = facts_from_cordis((p[1], p[2]), (o[1], o[2]), encoding=encoding)
        except DataError as err:
            problems.extend(err.problems)
            continue
        out.append((min(p[0], o[0]), facts))
    if problems:
        raise DataError(problems)
    return out
