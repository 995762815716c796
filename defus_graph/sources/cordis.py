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
  GR, ``UK`` is GB, ``XK`` is Kosovo), ``geolocation`` (``"lat,lon"``, may be
  empty), ``role``, ``ecContribution`` (decimal point; ``totalCost`` may use a
  decimal comma, both are read).

The files are read column by column (:mod:`.columns`: pyarrow where it reads
exactly what the row reader reads, which an export from CORDIS always is) and
checked a column at a time, each problem still told with its file, line,
column and value, in the order of the rows:

- an empty ``id`` or organisation ``name`` (and ``shortName``), a ``role``
  CORDIS does not have, an amount, date or geolocation that is none, are
  problems, and nothing is read;
- so are control characters in any text read, and a name (``acronym``,
  ``title``, ``name``, ``shortName``, ``city``, ids) that is not one line of at
  most :data:`~defus_graph.cells.MAX_NAME_LENGTH` characters
  (:func:`~defus_graph.cells.cell_problem`); values are shown escaped;
- a ``country`` that is no code the EU uses is a warning on its row, which
  is read without a country: one row must not stop a whole programme's import.

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

import re
from collections import Counter
from collections.abc import Callable, Sequence
from operator import itemgetter
from typing import Any, TypeVar

from ..cells import MAX_NAME_LENGTH, cell_problem, shown_value
from ..errors import DataError, InputError, one_problem
from ..model import Project
from ..names.countries import country_code
from .columns import Columns, columns_from_sheet, csv_columns
from .facts import MentionColumns, SourceFacts, records_of_rows
from .sheets import csv_sheet, is_xlsx, parse_date, parse_number, xlsx_sheets

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

#: Columns read as text, and whether each is a name (one line, not too long).
_PROJECT_TEXT = {
    "id": True,
    "acronym": True,
    "title": True,
    "frameworkProgramme": True,
    "objective": False,
}
_ORG_TEXT = {
    "projectID": True,
    "organisationID": True,
    "name": True,
    "shortName": True,
    "city": True,
}


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


class _Table:
    """A CORDIS file's rows, column by column, without repeated header rows."""

    def __init__(self, columns: Columns, index: dict[str, int]) -> None:
        header = [h.casefold() for h in columns.header]
        first = columns.column(0)
        # Each distinct cell compared once: the first column repeats its values.
        heads = {text for text in set(first) if text.casefold() == header[0]}
        repeated = {i for i, text in enumerate(first) if text in heads} if heads else set()
        for position in range(1, len(header)):
            if not repeated:
                break
            cells = columns.raw(position)
            repeated = {i for i in repeated if cells[i].strip().casefold() == header[position]}
        self.repeated_headers = len(repeated)
        self.columns = columns.take([i for i in range(len(columns)) if i not in repeated])
        self.index = index
        self.name = columns.name
        self.lines = self.columns.lines

    def get(self, column: str) -> list[str]:
        """The stripped cells of ``column`` ("" everywhere when the file has no such column)."""
        return self.columns.column(self.index.get(column.casefold()))

    def raw(self, column: str) -> list[str]:
        """The cells of ``column`` as written."""
        return self.columns.raw(self.index.get(column.casefold()))

    def array(self, column: str) -> Any:
        """``column`` as a pyarrow array, or None."""
        return self.columns.array(self.index.get(column.casefold()))


def _columns(name: str, data: bytes, kind: str, encoding: str | None) -> Columns:
    if is_xlsx(data):
        sheets = [s for s in xlsx_sheets(data, name) if file_kind(s.header) == kind]
        if not sheets:
            raise one_problem(
                name,
                f"has no sheet with CORDIS's {kind} columns.",
                f"Pass CORDIS's {kind}.xlsx as it was downloaded.",
                line=1,
            )
        return columns_from_sheet(sheets[0])
    return csv_columns(data, name, encoding=encoding)


def _table(columns: Columns, required: Sequence[str]) -> _Table:
    index: dict[str, int] = {}
    for position, text in enumerate(columns.header):
        index.setdefault(text.strip().casefold(), position)
    missing = [c for c in required if c.casefold() not in index]
    if missing:
        raise DataError(
            [
                InputError(
                    columns.name,
                    1,
                    column,
                    None,
                    "column is missing from this CORDIS file.",
                    "Pass the file as CORDIS exports it (the header names the columns).",
                )
                for column in missing
            ]
        )
    return _Table(columns, index)


class _Problems:
    """Problems found column by column, told in the order of the file's rows."""

    def __init__(self) -> None:
        self._found: list[tuple[int, int, InputError]] = []

    def add(self, rank: int, problem: InputError) -> None:
        """Add ``problem``; ``rank`` orders the problems of one line."""
        self._found.append((problem.line or 0, rank, problem))

    def __bool__(self) -> bool:
        return bool(self._found)

    def sorted(self) -> list[InputError]:
        """Every problem, by line, then in the order the row is checked."""
        return [p for _, _, p in sorted(self._found, key=lambda found: found[:2])]


def _bad_text(
    table: _Table, texts: dict[str, bool], problems: _Problems, rank: int, skip: set[int]
) -> set[int]:
    """Locate control characters, and names that are not one short line; the rows are returned.

    Each column is searched whole first (C speed); only a column with a
    suspect is checked cell by cell, as :func:`defus_graph.cells.cell_problem` does.
    """
    bad: set[int] = set()
    for offset, (column, is_name) in enumerate(texts.items()):
        if table.index.get(column.casefold()) is None:
            continue
        cells = table.raw(column)
        whole = " ".join(cells)
        suspect = cell_problem(whole) is not None or (
            is_name
            and (
                any(ch in whole for ch in "\t\n\r\u2028\u2029")
                or max(map(len, cells), default=0) > MAX_NAME_LENGTH
            )
        )
        if not suspect:
            continue
        for i, text in enumerate(cells):
            if i in skip:
                continue
            text = text.strip(" \t\r\n")
            wrong = cell_problem(text, name=is_name)
            if wrong is not None:
                bad.add(i)
                problems.add(
                    rank + offset,
                    InputError(table.name, table.lines[i], column, shown_value(text), *wrong),
                )
    return bad


_PLAIN = re.compile(r"[+-]?(?:[0-9]+([.,]?)[0-9]*|[.,][0-9]+)")


def _plain_number(text: str, decimal: str) -> float | None:
    """``text`` read by ``float`` where that gives what :func:`.sheets.parse_number` gives.

    That is a number with at most one mark, which is the decimal mark: the
    file's ``decimal``, or the other mark where it cannot group thousands
    ("1234.5" in a file with decimal commas; "1.250" there is for the rules).
    """
    match = _PLAIN.fullmatch(text)
    if match is None:
        return None
    mark = match.group(1) or (text.lstrip("+-")[0] if text.lstrip("+-")[0] in ".," else "")
    if mark and mark != decimal:
        whole, _, fraction = text.lstrip("+-").partition(mark)
        if len(fraction) == 3 and 1 <= len(whole) <= 3 and whole[0] != "0":
            return None  # "1.250": a thousand and more in a file with decimal commas
    return float(text.replace(",", ".")) if mark == "," else float(text)


# Numbers pyarrow reads as float does: digits with at most the decimal mark, no sign.
_ARROW_PLAIN = {
    ".": r"^(?:[0-9]+\.?[0-9]*|\.[0-9]+)$",
    ",": r"^(?:[0-9]+,?[0-9]*|,[0-9]+)$",
}
# In a file with decimal commas, a point is decimal too unless it may group thousands.
_ARROW_POINT = r"^(?:[0-9]+\.[0-9]*|\.[0-9]+)$"
_ARROW_GROUPED = r"^[1-9][0-9]{0,2}\.[0-9]{3}$"


def _arrow_numbers(array: Any, decimal: str) -> tuple[list[float | None], bool] | None:
    """The plain numbers of a pyarrow column, read in C (None for other cells), and
    whether every other cell is empty; or None."""
    if array is None:
        return None
    import pyarrow as pa
    import pyarrow.compute as pc

    plain = pc.match_substring_regex(array, _ARROW_PLAIN[decimal])
    text = array
    if decimal == ",":
        point = pc.and_not(
            pc.match_substring_regex(array, _ARROW_POINT),
            pc.match_substring_regex(array, _ARROW_GROUPED),
        )
        plain = pc.or_(plain, point)
        text = pc.replace_substring(array, ",", ".")
    # Scalars not made of Python values (pa.scalar, a bare 0): that would import pandas.
    values: list[float | None] = pc.cast(
        pc.if_else(plain, text, pa.nulls(1, pa.string())[0]), pa.float64()
    ).to_pylist()
    others = pc.and_not(pc.cast(pc.binary_length(array), pa.bool_()), plain)
    return values, not pc.any(others).as_py()


def _numbers(
    table: _Table,
    column: str,
    decimal: str,
    problems: _Problems,
    rank: int,
    skip: set[int] | None = None,
) -> list[float | None]:
    """The amounts in ``column`` (None where empty or wrong; a wrong one is a problem).

    Plain numbers ("1234.5", or "1234,5" where the decimal is a comma) are
    read by ``float``, which gives what :func:`.sheets.parse_number` gives
    them; any other text is read by :func:`.sheets.parse_number`.
    """
    fast = _arrow_numbers(table.array(column), decimal)
    if fast is not None and fast[1]:
        return fast[0]  # every cell a plain number or empty: nothing more to read
    cells = table.get(column)
    out: list[float | None] = [None] * len(cells) if fast is None else fast[0]
    # Only the cells C did not read are read here, in the order of the rows.
    for i in [i for i, value in enumerate(out) if value is None and cells[i]]:
        text = cells[i]
        if (value := _plain_number(text, decimal)) is not None:
            out[i] = value
        else:
            try:
                out[i] = parse_number(text, decimal=decimal)
            except ValueError:
                if skip is None or i not in skip:
                    problems.add(
                        rank,
                        InputError(
                            table.name,
                            table.lines[i],
                            column,
                            shown_value(text),
                            "is not an amount in euros.",
                            "CORDIS writes amounts as 123456.78; correct the value or clear it.",
                        ),
                    )
    return out


_T = TypeVar("_T")


def _each_distinct(cells: list[str], read: Callable[[str], _T]) -> dict[str, _T]:
    """``read`` of every distinct cell once: CORDIS repeats codes and places thousands of times."""
    return {text: read(text) for text in set(cells)}


def _dates(table: _Table, column: str, problems: _Problems, rank: int, skip: set[int]) -> list[str]:
    cells = table.get(column)
    read: dict[str, str | ValueError] = {}
    for text in set(cells):
        try:
            read[text] = parse_date(text) if text else ""
        except ValueError as err:
            read[text] = err
    out: list[str] = []
    for i, text in enumerate(cells):
        value = read[text]
        if isinstance(value, ValueError):
            if i in skip:
                out.append("")
                continue
            problems.add(
                rank,
                InputError(
                    table.name,
                    table.lines[i],
                    column,
                    shown_value(text),
                    f"{value}.",
                    "CORDIS writes dates as 2018-10-01.",
                ),
            )
            value = ""
        out.append(value)
    return out


def _projects(
    table: _Table, problems: _Problems, notes: list[str]
) -> tuple[list[Project], dict[str, str]]:
    """The projects and a map from CORDIS id to the acronym they are filed under."""
    ids, acronyms_written = table.get("id"), table.get("acronym")
    unique = _first_rows_of_ids(table, problems, notes)
    counts = _acronym_counts(table.name, [acronyms_written[i] for i in unique], notes)
    not_read = set(range(len(ids))) - set(unique)
    _bad_text(table, _PROJECT_TEXT, problems, 1, not_read)
    funding = _numbers(table, "ecMaxContribution", ".", problems, 10, not_read)
    starts = _dates(table, "startDate", problems, 11, not_read)
    ends = _dates(table, "endDate", problems, 12, not_read)
    pick = _picker(unique, len(ids))
    pids, written, lines = pick(ids), pick(acronyms_written), pick(table.lines)
    names = _filed_acronyms(pids, written, counts)
    amounts, starts, ends = pick(funding), pick(starts), pick(ends)
    descriptions, frameworks = pick(table.get("objective")), pick(table.get("frameworkProgramme"))
    programme_of = _each_distinct(frameworks, lambda text: PROGRAMMES.get(text.upper(), text))
    funded = [amount is not None for amount in amounts]
    # Each project's fields, a column each in Project's order, made a column at a time.
    columns: list[list[Any]] = [
        names,
        pick(table.get("title")),
        descriptions,
        starts,
        ends,
        list(map(programme_of.__getitem__, frameworks)),  # programme
        amounts,  # funding_eur
        ["total" if f else "" for f in funded],  # funding_scope
        [""] * len(pids),  # funding_share_of
        [  # funding_text
            "EU contribution (CORDIS ecMaxContribution): " + text if f else ""
            for f, text in zip(funded, pick(table.get("ecMaxContribution")), strict=True)
        ],
        [""] * len(pids),  # section
        [table.name] * len(pids),  # source
        lines,  # line
        [line if text else 0 for line, text in zip(lines, descriptions, strict=True)],
        [line if s or e else 0 for line, s, e in zip(lines, starts, ends, strict=True)],
        [line if f else 0 for line, f in zip(lines, funded, strict=True)],  # funding_line
        ["cordis:" + pid for pid in pids],  # external_id
    ]
    projects = records_of_rows(Project, zip(*columns, strict=True))
    return projects, dict(zip(pids, names, strict=True))


def _filed_acronyms(pids: list[str], written: list[str], counts: Counter[str]) -> list[str]:
    """The acronym each project is filed under: as written, "CORDIS ID" when there is
    none, "ACRONYM (cordis:ID)" when several projects share it (case aside)."""
    if all(written) and all(count < 2 for count in counts.values()):
        return written  # the common case, told in C
    names: list[str] = []
    for pid, acronym in zip(pids, written, strict=True):
        acronym = acronym or f"CORDIS {pid}"
        if counts[acronym.casefold()] > 1:
            acronym = f"{acronym} (cordis:{pid})"
        names.append(acronym)
    return names


def _acronym_counts(name: str, acronyms: list[str], notes: list[str]) -> Counter[str]:
    """How many projects go by each acronym (case aside), with a note naming those shared:
    such projects are filed as "ACRONYM (cordis:ID)"."""
    counts = Counter(a.casefold() for a in acronyms)
    shared = sorted({a for a in acronyms if counts[a.casefold()] > 1})
    if shared:
        notes.append(
            f"{name}: several CORDIS projects share the acronym "
            + ", ".join(shared)
            + '; each is filed as "ACRONYM (cordis:ID)".'
        )
    return counts


def _first_rows_of_ids(table: _Table, problems: _Problems, notes: list[str]) -> list[int]:
    """The first row of each project id; an empty id is a problem, a repeated one a note."""
    ids, lines = table.get("id"), table.lines
    seen: dict[str, int] = {}
    unique: list[int] = []
    for i, pid in enumerate(ids):
        if not pid:
            problems.add(
                0,
                InputError(
                    table.name, lines[i], "id", "", "is empty.", "Every CORDIS project has an id."
                ),
            )
            continue
        if pid in seen:
            notes.append(
                f"{table.name}, line {lines[i]}: project {shown_value(pid)} is already on line "
                f"{seen[pid]}; the second row is not read."
            )
            continue
        seen[pid] = lines[i]
        unique.append(i)
    return unique


_NO_PLACE: tuple[float | None, float | None] = (None, None)


def _geolocation(text: str) -> tuple[float | None, float | None] | None:
    """``(lat, lon)`` of a CORDIS geolocation, ``(None, None)`` if empty, None if wrong."""
    inner = text.strip("()[] ")
    if not inner:
        return _NO_PLACE
    parts = [p.strip() for p in inner.split(",")]
    try:
        lat, lon = (float(p) for p in parts)
    except ValueError:
        return None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return lat, lon


def _mentions(
    table: _Table,
    acronyms: dict[str, str],
    problems: _Problems,
    notes: list[str],
) -> MentionColumns:
    """One mention per readable row of the organisation file whose project was read.

    Each column is checked for all rows at once (a problem per row, located), in the
    order the problems are reported.
    """
    name, lines = table.name, table.lines
    pids = table.get("projectID")
    names, short = table.get("name"), table.get("shortName")
    org_names = [n or s for n, s in zip(names, short, strict=True)]
    written_roles = table.get("role")
    role_of = _each_distinct(written_roles, lambda text: ROLES.get(text.casefold()))
    rows = _readable_rows(table, acronyms, org_names, role_of, problems)
    out_of_view = set() if len(rows) == len(pids) else set(range(len(pids))) - set(rows)
    _bad_text(table, _ORG_TEXT, problems, 2, out_of_view)
    written_countries = table.get("country")
    country_of = _each_distinct(
        written_countries, lambda text: (country_code(text) or "") if text else ""
    )
    upper = _each_distinct(table.get("activityType"), str.upper)
    activities = list(map(upper.__getitem__, table.get("activityType")))
    _unknown_codes_noted(table, rows, country_of, activities, notes)
    geolocations = table.get("geolocation")
    place_of = _places(table, rows, problems)
    contributions = _numbers(table, "ecContribution", ".", problems, 21, out_of_view)
    _numbers(table, "totalCost", ",", problems, 22, out_of_view)
    pick = _picker(rows, len(pids))
    places = [place_of[text] or _NO_PLACE for text in pick(geolocations)]
    written = pick(org_names)
    mentions = MentionColumns(
        {
            "project": list(map(acronyms.__getitem__, pick(pids))),
            "name": written,
            "role": [role_of[text] or "" for text in pick(written_roles)],
            "line": pick(lines),
            "name_as_written": written,
            "country": list(map(country_of.__getitem__, pick(written_countries))),
            "pic": pick(table.get("organisationID")),
            "kind": [KINDS.get(text, "") for text in pick(activities)],
            "city": pick(table.get("city")),
            "latitude": [lat for lat, _ in places],
            "longitude": [lon for _, lon in places],
            "contribution_eur": pick(contributions),
            "source": [name] * len(rows),
        }
    )
    elsewhere = len(pids) - sum(map(acronyms.__contains__, pids))
    if elsewhere:
        notes.append(
            f"{name}: {elsewhere} row{'s belong' if elsewhere != 1 else ' belongs'} to projects "
            "that are not in the project file passed with it; not read."
        )
    return mentions


def _picker(rows: list[int], size: int) -> Callable[[Sequence[_T]], list[_T]]:
    """A function giving the values at ``rows`` (ascending positions in a column of
    ``size``) of a column (picked in C)."""
    if len(rows) == size:  # every row: ascending and distinct, so each in its place
        return list
    if len(rows) < 2:  # itemgetter of one position gives a value, of none fails
        return lambda values: [values[i] for i in rows]
    get = itemgetter(*rows)
    return lambda values: list(get(values))


def _readable_rows(
    table: _Table,
    acronyms: dict[str, str],
    org_names: list[str],
    role_of: dict[str, str | None],
    problems: _Problems,
) -> list[int]:
    """The rows of read projects with a name and a known role; one problem per other row."""
    name, lines = table.name, table.lines
    rows = [i for i, pid in enumerate(table.get("projectID")) if pid in acronyms]
    skip: set[int] = set()  # rows whose organisation is not read: one problem each suffices
    for i in rows:
        if not org_names[i]:
            problems.add(
                0, InputError(name, lines[i], "name", "", "is empty.", "Fill in the name.")
            )
            skip.add(i)
    written_roles = table.get("role")
    for i in rows:
        if i not in skip and role_of[written_roles[i]] is None:
            problems.add(
                1,
                InputError(
                    name,
                    lines[i],
                    "role",
                    shown_value(written_roles[i]),
                    "is no CORDIS role I know.",
                    "CORDIS roles are coordinator, participant, partner, thirdParty, "
                    "associatedPartner.",
                ),
            )
            skip.add(i)
    return [i for i in rows if i not in skip]


def _unknown_codes_noted(
    table: _Table,
    rows: list[int],
    country_of: dict[str, str],
    activities: list[str],
    notes: list[str],
) -> None:
    """A note per unknown country code or activity type: the row is read without it."""
    name, lines = table.name, table.lines
    written_countries = table.get("country")
    # Each loop only where some distinct value is unknown: notes come in the order of rows.
    unknown_country = any(text and not code for text, code in country_of.items())
    for i in rows if unknown_country else ():
        written = written_countries[i]
        if written and not country_of[written]:
            notes.append(
                str(
                    InputError(
                        name,
                        lines[i],
                        "country",
                        shown_value(written),
                        "is no country code I know; the organisation is read without a country.",
                        "CORDIS writes two-letter codes such as DE, NL, EL, UK, XK.",
                    )
                )
            )
    unknown_kind = any(text and text not in KINDS for text in set(activities))
    for i in rows if unknown_kind else ():
        activity = activities[i]
        if activity and activity not in KINDS:
            notes.append(
                f'{name}, line {lines[i]}: activityType "{shown_value(activity)}" is not one '
                "I know; kind left empty."
            )


def _places(
    table: _Table, rows: list[int], problems: _Problems
) -> dict[str, tuple[float | None, float | None] | None]:
    """Each distinct ``geolocation`` read as a place; a problem per read row it fails on."""
    geolocations = table.get("geolocation")
    place_of = _each_distinct(geolocations, _geolocation)
    for i in rows if None in place_of.values() else ():
        if place_of[geolocations[i]] is None:
            problems.add(
                20,
                InputError(
                    table.name,
                    table.lines[i],
                    "geolocation",
                    shown_value(geolocations[i]),
                    'is not "latitude,longitude".',
                    "CORDIS writes it as 51.9225,4.47917; correct it or clear it.",
                ),
            )
    return place_of


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
    p_columns = _columns(project[0], project[1], "project", encoding)
    o_columns = _columns(organization[0], organization[1], "organization", encoding)
    notes = [*p_columns.notes, *o_columns.notes]
    missing: list[InputError] = []
    tables: list[_Table] = []
    for columns, required in ((p_columns, _PROJECT_REQUIRED), (o_columns, _ORG_REQUIRED)):
        try:
            tables.append(_table(columns, required))
        except DataError as err:
            missing.extend(err.problems)
    if missing:
        raise DataError(missing)
    p_table, o_table = tables
    p_problems, o_problems = _Problems(), _Problems()
    projects, acronyms = _projects(p_table, p_problems, notes)
    mentions = _mentions(o_table, acronyms, o_problems, notes)
    for table in (p_table, o_table):
        if table.repeated_headers:
            notes.append(
                f"{table.name}: {table.repeated_headers} repeated header "
                f"row{'s' if table.repeated_headers != 1 else ''} skipped."
            )
    if p_problems or o_problems:
        raise DataError([*p_problems.sorted(), *o_problems.sorted()])
    return SourceFacts(
        p_columns.name,
        projects=projects,
        mentions=mentions,
        notes=notes,
        replaces=frozenset({p_columns.name, o_columns.name}),
    )


def _kind_of(name: str, data: bytes, encoding: str | None) -> str | None:
    if is_xlsx(data):
        kinds = {file_kind(s.header) for s in xlsx_sheets(data, name)} - {None}
        return kinds.pop() if len(kinds) == 1 else None
    end = data.find(b"\n")
    first = data if end < 0 else data[:end]  # not split(): that copies the whole file
    return file_kind(csv_sheet(first, name, encoding=encoding).header)


def _folder(name: str) -> str:
    return name.rpartition("/")[0]


_Entry = tuple[int, str, bytes, str]  # (position, name, content, kind)


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
    kinds: list[_Entry] = []
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
    pairs = _pairs_of(kinds, problems)
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


def _pairs_of(kinds: list[_Entry], problems: list[InputError]) -> list[tuple[_Entry, _Entry]]:
    """Project and organization files paired (the only two, else by folder); a problem for
    each file left without its partner."""
    projects = [k for k in kinds if k[3] == "project"]
    orgs = [k for k in kinds if k[3] == "organization"]
    pairs: list[tuple[_Entry, _Entry]] = []
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
    return pairs
