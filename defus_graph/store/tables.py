"""The project's own tables on disk: UTF-8 CSV files a person can edit, one per table.

Four tables are always there; ``members.csv`` (a member list, see
:data:`OPTIONAL_TABLES`) only once one has been added.

``load_dataset`` reads and validates a data directory and either returns a
whole Dataset or raises :class:`DataError` listing every problem at once; it
never returns half-loaded data. ``save_dataset`` replaces every table at once
or none (a journal, see :mod:`defus_graph.store.generations` for the design and why),
keeps the files' permissions, and with ``since`` refuses to overwrite tables
someone saved after they were loaded (:func:`load_folder` gives that state).
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import itertools
import math
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, fields
from operator import attrgetter
from pathlib import Path
from typing import Any

from .._bulk import paused_gc
from ..cells import MAX_NAME_LENGTH, cell_problem, escape_controls, shown_value
from ..errors import DataError, InputError, one_problem
from ..model import (
    FUNDING_SCOPES,
    KINDS,
    ROLES,
    Alias,
    Dataset,
    Member,
    Organisation,
    Participation,
    Project,
    date_bounds,
)
from ..names.countries import is_country_code
from ..names.normal import name_keys
from ..names.resolve import Resolver
from .generations import (
    PREVIOUS_DIR,
    StaleDataError,
    read_generation,
    tables_state,
    write_generation,
)

__all__ = [
    "DATA_ENV",
    "FILES",
    "NO_TABLES",
    "NUMBER_RANGES",
    "OPTIONAL_TABLES",
    "PREVIOUS_DIR",
    "TABLES",
    "Loaded",
    "StaleDataError",
    "check_dataset",
    "dataset_from_columns",
    "escape_cell",
    "load_dataset",
    "load_folder",
    "load_with_key",
    "records_from_rows",
    "save_dataset",
    "unescape_cell",
    "validate_directory",
]

#: Environment variable naming the data directory the dashboard and CLI use.
DATA_ENV = "DEFUS_GRAPH_DATA"

#: File name of each table every data folder has, in the order they are checked.
FILES: dict[str, type] = {
    "projects.csv": Project,
    "organisations.csv": Organisation,
    "participations.csv": Participation,
    "aliases.csv": Alias,
}

#: Every table a data folder may have, in the order they are checked: :data:`FILES`
#: and the optional ones. Each table's records are the :class:`Dataset` field
#: named as the file without ``.csv``.
TABLES: dict[str, type] = {**FILES, "members.csv": Member}

#: Tables a data folder may go without: a missing one reads as empty, and one
#: with no record is written only where its file already is, so a folder
#: without a member list stays byte for byte what it was.
OPTIONAL_TABLES = frozenset(TABLES.keys() - FILES.keys())

#: The state (:func:`~defus_graph.store.generations.tables_state`) of a folder without tables.
NO_TABLES = tables_state(dict.fromkeys(TABLES))


def _records_of(ds: Dataset) -> dict[str, tuple[Any, ...]]:
    """Each table's records, by file name (the Dataset's field is the file's stem)."""
    return {name: getattr(ds, name.removesuffix(".csv")) for name in TABLES}


def _dataset_from(records: Mapping[str, Iterable[Any]]) -> Dataset:
    """The Dataset of each table's records, by file name (an optional table may be left out)."""
    return Dataset(**{name.removesuffix(".csv"): tuple(records.get(name, ())) for name in TABLES})


#: Columns added after the first release: a table without them still loads.
OPTIONAL_COLUMNS = frozenset(
    {"external_id", "city", "pic", "latitude", "longitude", "contribution_eur"}
)

#: Columns holding euros, written with two decimals.
_MONEY_COLUMNS = frozenset({"funding_eur", "contribution_eur"})


# A cell a spreadsheet would run as a formula: "=", "+", "-" or "@" first,
# possibly behind apostrophes already (so that the scheme can be undone).
_FORMULA = re.compile(r"^'*[=+\-@]")


def escape_cell(text: str) -> str:
    """``text`` made safe to open in a spreadsheet, undone by :func:`unescape_cell`.

    A value a spreadsheet would execute (``=``, ``+``, ``-``, ``@`` first) gets
    an apostrophe in front, which spreadsheets read as "this is text".

    Examples
    --------
    >>> escape_cell("=HYPERLINK()"), escape_cell("'=x"), escape_cell("'s-Hertogenbosch")
    ("'=HYPERLINK()", "''=x", "'s-Hertogenbosch")
    >>> all(unescape_cell(escape_cell(t)) == t for t in ["=1", "'=1", "''@a", "-", "a=b", "'"])
    True
    """
    return "'" + text if _FORMULA.match(text) else text


def unescape_cell(text: str) -> str:
    """The value :func:`escape_cell` protected, as it was."""
    return text[1:] if text.startswith("'") and _FORMULA.match(text) else text


def _columns(record_type: type) -> list[str]:
    return list(_column_names(record_type))


@functools.cache
def _column_names(record_type: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(record_type) if not f.name.startswith("_"))


@dataclass
class _Row:
    line: int
    values: dict[str, str]


class _Table:
    """One table read as text, with physical line numbers per record.

    Its problems go to ``problems``: one list for the four tables of a load keeps
    the order users see (every file's reading first, then each table's rows).
    """

    def __init__(self, display: str, name: str, problems: list[InputError] | None = None) -> None:
        self.display = display
        self.name = name
        self.rows: list[_Row] = []
        self.problems: list[InputError] = [] if problems is None else problems

    def problem(self, row: _Row, column: str, value: str, message: str, hint: str) -> None:
        """Note that ``value`` in ``column`` of ``row`` is wrong: what, and what to do."""
        self.problems.append(InputError(self.display, row.line, column, value, message, hint))

    def file_problem(
        self,
        line: int | None,
        message: str,
        hint: str = "",
        *,
        column: str | None = None,
        value: str | None = None,
    ) -> None:
        """Note a problem of the file itself, or of a line that is no row."""
        self.problems.append(InputError(self.display, line, column, value, message, hint))

    @classmethod
    def from_bytes(
        cls,
        name: str,
        raw: bytes | None,
        display: str,
        encoding: str,
        allow_missing: bool,
        problems: list[InputError],
    ) -> _Table:
        """The table ``name`` read from its file's bytes (``None``: the file is missing)."""
        table = cls(display, name, problems)
        table._load(raw, encoding, allow_missing or name in OPTIONAL_TABLES)
        return table

    def _load(self, raw: bytes | None, encoding: str, allow_missing: bool) -> None:
        columns = _columns(TABLES[self.name])
        if raw is None:
            if not allow_missing:
                self.file_problem(
                    None, "is missing.", f"Create it with the header: {','.join(columns)}"
                )
            return
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError as err:
            self.file_problem(
                raw[: err.start].count(b"\n") + 1,
                f"cannot be read as {encoding} (byte {err.start}).",
                "Save it as UTF-8, or try --encoding cp1252 if Excel wrote it.",
            )
            return
        except LookupError:
            self.file_problem(
                None, "is no known text encoding.", "Use utf-8 or cp1252.", value=encoding
            )
            return
        self._read(text.removeprefix("\ufeff"), columns)

    def _read(self, text: str, columns: list[str]) -> None:
        reader = csv.reader(io.StringIO(text, newline=""))
        try:
            header = next(reader)
        except StopIteration:
            self.file_problem(1, "is empty.", f"Its first line must be: {','.join(columns)}")
            return
        except csv.Error as err:
            self.file_problem(1, f"is not CSV: {err}.")
            return
        if not self.take_header(header, columns):
            return
        previous_end = 1
        try:
            for record in reader:
                line = previous_end + 1
                previous_end = reader.line_num
                self.take_row(line, record, header)
        except csv.Error as err:
            self.file_problem(
                previous_end + 1, f"is not valid CSV here: {err}.", "Check the quotes on this line."
            )

    def take_header(self, header: list[str], columns: list[str]) -> bool:
        """Check the header (stripped in place); False if rows cannot be read."""
        header[:] = [h.strip() for h in header]
        missing = [c for c in columns if c not in header and c not in OPTIONAL_COLUMNS]
        unknown = [h for h in header if h not in columns]
        for col in missing:
            self.file_problem(
                1, "column is missing.", f"The header must be: {','.join(columns)}", column=col
            )
        for col in unknown:
            self.file_problem(
                1, "is no known column.", f"Known columns: {', '.join(columns)}", column=col
            )
        return not missing

    def take_row(self, line: int, record: Sequence[str], header: list[str]) -> None:
        """Add one record read at ``line``; blank records are skipped."""
        # Whitespace only, joined or cell by cell, is the same test (at C speed).
        if not record or not "".join(record).strip():
            return
        if len(record) != len(header):
            self.file_problem(
                line,
                f"has {len(record)} fields, the header has {len(header)}.",
                "Check for an unquoted comma or a missing field.",
            )
            return
        values = dict.fromkeys(_column_names(TABLES[self.name]), "")
        stripped = list(map(str.strip, record))
        values.update(zip(header, stripped, strict=True))
        # Only a cell starting with an apostrophe can need unescaping, so look cell
        # by cell only in a row where one does (a stray match just costs time).
        if "\x00'" in "\x00" + "\x00".join(stripped):
            values.update((h, unescape_cell(v)) for h, v in zip(header, stripped, strict=True))
        self.rows.append(_Row(line, values))


# The checks of one cell each, shared by the readers below. An empty cell is
# no problem for any of them (it reads as 0 or None); a required one is checked
# by _named or by required=True.

#: The column a record cannot do without, and what to tell a user who left it empty.
_NAMES: dict[str, tuple[str, str]] = {
    "projects.csv": ("acronym", "Every project needs an acronym."),
    "organisations.csv": ("name", "Every organisation needs a name."),
    "aliases.csv": ("alias", "Write the other name, or delete the row."),
    "members.csv": ("name", "Write the member's name as the member list has it."),
}

#: Number columns: the range a value must lie in, and what a value outside it is not.
#: Sheets are checked against the same ranges, so what they give loads again once saved.
NUMBER_RANGES: dict[str, tuple[float, float, str]] = {
    "funding_eur": (0.0, math.inf, "is not an amount in euros."),
    "contribution_eur": (0.0, math.inf, "is not an amount in euros."),
    "latitude": (-90.0, 90.0, "is not a latitude."),
    "longitude": (-180.0, 180.0, "is not a longitude."),
}

_EUROS = "Write digits with a decimal point, e.g. 630901.00."

#: What to do about a number out of its range, by column.
_NUMBER_HINTS = {
    "funding_eur": _EUROS,
    "contribution_eur": _EUROS,
    "latitude": "Write degrees between -90 and 90, e.g. 51.2277.",
    "longitude": "Write degrees between -180 and 180, e.g. 6.7735.",
}

#: Columns that hold one of a few words, and those words.
_CHOICES: dict[str, Sequence[str]] = {
    "funding_scope": FUNDING_SCOPES,
    "kind": KINDS,
    "role": ROLES,
}


def _named(t: _Table) -> Iterator[_Row]:
    """The rows of ``t`` that have their name; each without one is a problem."""
    column, hint = _NAMES[t.name]
    for row in t.rows:
        if row.values[column]:
            yield row
        else:
            t.problem(row, column, "", "is empty.", hint)


def _line_number(row: _Row, column: str, t: _Table) -> int:
    value = row.values[column]
    if not value:
        return 0
    # isdigit() would also pass "²", which int() refuses; isdecimal() is what int() reads.
    if value.isdecimal():
        return int(value)
    t.problem(
        row, column, value, "is not a line number.", "Write a whole number, or leave it empty."
    )
    return 0


def _number(row: _Row, column: str, t: _Table) -> float | None:
    value = row.values[column]
    if not value:
        return None
    low, high, message = NUMBER_RANGES[column]
    try:
        number = float(value)
    except ValueError:
        number = math.nan
    if not low <= number <= high:
        t.problem(row, column, value, message, _NUMBER_HINTS[column])
        return None
    return number


def _dates(row: _Row, column: str, t: _Table) -> tuple[dt.date, dt.date] | None:
    """The first and last day the date in ``column`` covers (None if empty or wrong)."""
    value = row.values[column]
    if not value:
        return None
    try:
        return date_bounds(value)
    except ValueError as err:
        t.problem(
            row, column, value, f"{err}.", "Write a date such as 2017, 2017-10 or 2017-10-01."
        )
        return None


def _choice(row: _Row, column: str, t: _Table, *, required: bool = False) -> None:
    value = row.values[column]
    if value:
        if value in _CHOICES[column]:
            return
        message = "is not allowed here."
    elif required:
        message = "is empty."
    else:
        return
    t.problem(row, column, value, message, f"Use one of: {', '.join(_CHOICES[column])}.")


def _projects(t: _Table) -> list[Project]:
    out = []
    for row in _named(t):
        v = row.values
        start, end = _dates(row, "start", t), _dates(row, "end", t)
        if start and end and end[1] < start[0]:
            t.problem(
                row,
                "end",
                v["end"],
                f"is before the start {v['start']}.",
                "Swap the dates or correct one of them.",
            )
        funding = _number(row, "funding_eur", t)
        scope = v["funding_scope"]
        _choice(row, "funding_scope", t, required=bool(v["funding_eur"]))
        if scope and not v["funding_eur"]:
            t.problem(
                row,
                "funding_scope",
                scope,
                "is set but there is no amount.",
                "Fill in funding_eur or clear funding_scope.",
            )
        if scope == "partner_share" and not v["funding_share_of"]:
            t.problem(
                row,
                "funding_share_of",
                "",
                "is empty, but the amount is one partner's share.",
                "Name the organisation whose share it is.",
            )
        out.append(
            Project(
                acronym=v["acronym"],
                title=v["title"],
                description=v["description"],
                start=v["start"],
                end=v["end"],
                programme=v["programme"],
                funding_eur=funding,
                funding_scope=scope,
                funding_share_of=v["funding_share_of"],
                funding_text=v["funding_text"],
                section=v["section"],
                source=v["source"],
                line=_line_number(row, "line", t),
                description_line=_line_number(row, "description_line", t),
                dates_line=_line_number(row, "dates_line", t),
                funding_line=_line_number(row, "funding_line", t),
                external_id=v["external_id"],
            )
        )
    return out


def _organisations(t: _Table) -> list[Organisation]:
    out = []
    for row in _named(t):
        v = row.values
        _choice(row, "kind", t)
        _country(row, t)
        out.append(
            Organisation(
                name=v["name"],
                kind=v["kind"],
                country=v["country"],
                source=v["source"],
                line=_line_number(row, "line", t),
                note=v["note"],
                city=v["city"],
                pic=v["pic"],
                latitude=_number(row, "latitude", t),
                longitude=_number(row, "longitude", t),
            )
        )
    return out


def _country(row: _Row, t: _Table) -> None:
    value = row.values["country"]
    if value and not is_country_code(value):
        t.problem(
            row,
            "country",
            value,
            "is no ISO 3166 country code.",
            "Use two capital letters, e.g. DE, FR, GB (not UK), GR (not EL).",
        )


def _members(t: _Table) -> list[Member]:
    out = []
    for row in _named(t):
        v = row.values
        _choice(row, "kind", t)
        _country(row, t)
        _dates(row, "since", t)
        out.append(
            Member(
                name=v["name"],
                organisation=v["organisation"],
                kind=v["kind"],
                country=v["country"],
                since=v["since"],
                source=v["source"],
                line=_line_number(row, "line", t),
            )
        )
    return out


def _participations(t: _Table) -> list[Participation]:
    out = []
    for row in t.rows:
        v = row.values
        for column, what in (
            ("project", "project (its acronym)"),
            ("organisation", "organisation"),
        ):
            if not v[column]:
                t.problem(row, column, "", "is empty.", f"Name the {what}, or delete the row.")
        _choice(row, "role", t, required=True)
        out.append(
            Participation(
                project=v["project"],
                organisation=v["organisation"],
                role=v["role"],
                name_as_written=v["name_as_written"],
                source=v["source"],
                line=_line_number(row, "line", t),
                contribution_eur=_number(row, "contribution_eur", t),
            )
        )
    return out


def _aliases(t: _Table) -> list[Alias]:
    return [
        Alias(
            alias=row.values["alias"],
            organisation=row.values["organisation"],
            source=row.values["source"],
            line=_line_number(row, "line", t),
            note=row.values["note"],
        )
        for row in _named(t)
    ]


#: The reader of each table: its rows as records, each problem noted in the table.
_READERS: dict[str, Callable[[_Table], list[Any]]] = {
    "projects.csv": _projects,
    "organisations.csv": _organisations,
    "participations.csv": _participations,
    "aliases.csv": _aliases,
    "members.csv": _members,
}


def _cross_check(tables: dict[str, _Table], ds: Dataset) -> None:
    """Checks between tables: unknown names, duplicates, ambiguous aliases."""
    projects, organisations, participations, aliases = (tables[f] for f in FILES)
    acronyms = _check_acronyms(projects, ds)
    resolver = _LazyResolver(ds.organisations)
    _check_names(organisations, aliases, ds, resolver)
    known = {o.name for o in ds.organisations}
    pairs: dict[tuple[str, str], int] = {}
    for pa, row in zip(ds.participations, participations.rows, strict=True):
        if pa.project not in acronyms:
            close = [a for a in acronyms if a.casefold() == pa.project.casefold()]
            hint = f'Did you mean "{close[0]}"? ' if close else ""
            participations.problem(
                row,
                "project",
                pa.project,
                "is no known project.",
                hint + f"Add it to {projects.display}.",
            )
        if pa.organisation not in known:
            _unknown_org(
                participations,
                row,
                "organisation",
                pa.organisation,
                resolver,
                aliases_file=aliases.display,
                orgs_file=organisations.display,
            )
        key = (pa.project, pa.organisation)
        if key in pairs:
            participations.problem(
                row,
                "organisation",
                pa.organisation,
                f"is already in {pa.project} on line {pairs[key]}.",
                "Keep one row per organisation and project.",
            )
        pairs.setdefault(key, row.line)
    for p, row in zip(ds.projects, projects.rows, strict=True):
        if p.funding_share_of and p.funding_share_of not in known:
            _unknown_org(projects, row, "funding_share_of", p.funding_share_of, resolver)
    _check_members(tables["members.csv"], organisations.display, ds, known, resolver)


def _check_members(
    members: _Table, orgs_file: str, ds: Dataset, known: set[str], resolver: _LazyResolver
) -> None:
    """A member names a known organisation, or none (a member without projects)."""
    for m, row in zip(ds.members, _kept_rows(members), strict=True):
        if m.organisation and m.organisation not in known:
            close = resolver.suggest(m.organisation)
            members.problem(
                row,
                "organisation",
                m.organisation,
                "is no known organisation.",
                (f'Did you mean "{close[0]}"? ' if close else "")
                + f"Write a name from {orgs_file}, or leave the cell empty for a member "
                "without projects.",
            )


def _check_acronyms(projects: _Table, ds: Dataset) -> dict[str, int]:
    """Each acronym's first line; a second project with the same acronym is a problem."""
    first_line: dict[str, int] = {}
    for p, row in zip(ds.projects, projects.rows, strict=True):
        if p.acronym in first_line:
            projects.problem(
                row,
                "acronym",
                p.acronym,
                f"is already the project on line {first_line[p.acronym]}.",
                "Merge the two rows or give one another acronym.",
            )
        first_line.setdefault(p.acronym, row.line)
    return first_line


def _check_names(
    organisations: _Table, aliases: _Table, ds: Dataset, resolver: _LazyResolver
) -> None:
    """Every name and alias, normalised, may stand for one organisation only."""
    owner: dict[str, tuple[str, str, int]] = {}  # key -> (organisation, file, line)
    for o, row in zip(ds.organisations, organisations.rows, strict=True):
        clash = next((owner[k] for k in name_keys(o.name) if k in owner), None)
        if clash:
            organisations.problem(
                row,
                "name",
                o.name,
                f'duplicates "{clash[0]}" on line {clash[2]}.',
                "Keep one row and add the other name to aliases.csv.",
            )
            continue
        owner.update(dict.fromkeys(name_keys(o.name), (o.name, organisations.display, row.line)))
    known = {o.name for o in ds.organisations}
    for a, row in zip(ds.aliases, aliases.rows, strict=True):
        if a.organisation not in known:
            _unknown_org(aliases, row, "organisation", a.organisation, resolver)
            continue
        clash = next(
            (owner[k] for k in name_keys(a.alias) if k in owner and owner[k][0] != a.organisation),
            None,
        )
        if clash:
            aliases.problem(
                row,
                "alias",
                a.alias,
                f'already stands for "{clash[0]}" ({clash[1]}, line {clash[2]}).',
                "A name may stand for one organisation only.",
            )
            continue
        for k in name_keys(a.alias):
            owner.setdefault(k, (a.organisation, aliases.display, row.line))


class _LazyResolver:
    """A :class:`Resolver` built on the first suggestion asked for, not on every load."""

    def __init__(self, organisations: Sequence[Organisation]) -> None:
        self._organisations = organisations
        self._resolver: Resolver | None = None

    def suggest(self, name: str) -> list[str]:
        if self._resolver is None:
            self._resolver = Resolver(self._organisations, ())
        return self._resolver.suggest(name)


def _unknown_org(
    t: _Table,
    row: _Row,
    column: str,
    name: str,
    resolver: _LazyResolver,
    *,
    aliases_file: str = "aliases.csv",
    orgs_file: str = "organisations.csv",
) -> None:
    close = resolver.suggest(name)
    hint = f'Did you mean "{close[0]}"? ' if close else ""
    t.problem(
        row,
        column,
        name,
        "is no known organisation.",
        hint + f"Add it to {orgs_file}, or its other name to {aliases_file}.",
    )


def validate_directory(directory: Path, *, encoding: str = "utf-8") -> list[InputError]:
    """Every problem in a data directory (an empty list when it is fine)."""
    try:
        load_dataset(directory, encoding=encoding)
    except DataError as err:
        return list(err.problems)
    return []


def load_dataset(
    directory: Path, *, encoding: str = "utf-8", allow_missing: bool = False
) -> Dataset:
    """Read and validate the tables of ``directory``.

    ``allow_missing`` reads a missing table as empty (for a directory being
    filled by ``ingest``); otherwise a missing table is a problem.

    Raises
    ------
    DataError
        With every problem found, each naming file, line, column and value.
    """
    return load_folder(directory, encoding=encoding, allow_missing=allow_missing).dataset


def load_with_key(
    directory: Path, *, encoding: str = "utf-8", allow_missing: bool = False
) -> tuple[Dataset, str | None]:
    """:func:`load_dataset`, and the content key of the tables it read.

    The key (see :func:`defus_graph.store.snapshot.content_key`) names exactly the
    bytes the dataset was read from, for whatever is kept beside the
    snapshot; ``None`` when a table is missing.
    """
    loaded = load_folder(directory, encoding=encoding, allow_missing=allow_missing)
    return loaded.dataset, loaded.key


@dataclass(frozen=True)
class Loaded:
    """A data folder as read: its dataset, its snapshot's key and the state to save against.

    ``key`` is ``None`` when a table is missing. ``state`` names the tables'
    bytes as read (one generation); pass it to :func:`save_dataset` as
    ``since`` so that a save refuses to undo what someone saved meanwhile.
    """

    dataset: Dataset
    key: str | None
    state: str


def load_folder(directory: Path, *, encoding: str = "utf-8", allow_missing: bool = False) -> Loaded:
    """:func:`load_dataset` with the key and the state of the tables read (:class:`Loaded`)."""
    directory = Path(directory)
    if not directory.is_dir():
        raise one_problem(
            str(directory),
            "is not a directory.",
            "Name the folder that holds projects.csv and the others.",
        )
    with paused_gc():
        return _load(directory, encoding, allow_missing)


def _load(directory: Path, encoding: str, allow_missing: bool) -> Loaded:
    from .snapshot import key_of_tables, read_snapshot, write_snapshot

    contents = read_generation(directory, TABLES)
    state = tables_state(contents)
    # A missing table is a problem, or an empty table to ingest into: not kept.
    key = key_of_tables(contents, encoding)
    if key is not None:
        kept = read_snapshot(directory, key)
        if kept is not None:
            return Loaded(kept, key, state)
    ds = _checked(directory, contents, encoding, allow_missing)
    if key is not None:
        write_snapshot(directory, ds, key)
    return Loaded(ds, key, state)


def _checked(
    directory: Path, contents: Mapping[str, bytes | None], encoding: str, allow_missing: bool
) -> Dataset:
    """The dataset these file contents hold, checked; :class:`DataError` with every problem.

    The column-wise reader proves clean tables clean. Anything it does not
    accept (a problem, a line it cannot read alike) goes to the row-by-row
    reader, the reference, which locates every problem with its physical line.
    """
    ds = dataset_from_columns(contents, encoding)
    if ds is not None:
        return ds
    return _reference_load(directory, contents, encoding, allow_missing)


def _reference_load(
    directory: Path, contents: Mapping[str, bytes | None], encoding: str, allow_missing: bool
) -> Dataset:
    problems: list[InputError] = []
    tables = {
        name: _Table.from_bytes(
            name, contents.get(name), str(directory / name), encoding, allow_missing, problems
        )
        for name in TABLES
    }
    records = {}
    for name in TABLES:
        _cell_problems(tables[name])
        records[name] = _READERS[name](tables[name])
    if problems:
        raise DataError(problems)
    ds = _dataset_from(records)
    _cross_check(tables, ds)
    if problems:
        raise DataError(problems)
    return ds


# What a cell may hold (vocabulary.cell_problem): no control character in any
# text, and a name is one line of at most MAX_NAME_LENGTH characters.

#: The columns of each table that name something.
_NAME_COLUMNS: dict[str, frozenset[str]] = {
    "projects.csv": frozenset({"acronym", "title", "funding_share_of"}),
    "organisations.csv": frozenset({"name", "city"}),
    "participations.csv": frozenset({"project", "organisation", "name_as_written"}),
    "aliases.csv": frozenset({"alias", "organisation"}),
    "members.csv": frozenset({"name", "organisation"}),
}


def _column_is_clean(values: Sequence[str], name: bool) -> bool:
    """Whether no cell of a column breaks :func:`cell_problem` (one regex pass over all)."""
    if not values:
        return True
    # Cells joined by a space: the joint adds no control character, break or tab.
    joined = " ".join(values)
    # Every character cell_problem looks for is unprintable; a printable column (one
    # scan, faster than the regexes') needs no closer look.
    if joined.isprintable():
        return not name or max(map(len, values)) <= MAX_NAME_LENGTH
    if name:
        return escape_controls(joined) == joined and max(map(len, values)) <= MAX_NAME_LENGTH
    return cell_problem(joined) is None


def _cell_problems(t: _Table) -> None:
    """Note every cell of ``t`` holding what no cell may hold (see :func:`cell_problem`)."""
    names = _NAME_COLUMNS[t.name]
    for column in _column_names(TABLES[t.name]):
        name = column in names
        if _column_is_clean([row.values[column] for row in t.rows], name):
            continue
        for row in t.rows:
            value = row.values[column]
            found = cell_problem(value, name=name)
            if found:
                t.problem(row, column, escape_controls(shown_value(value)), *found)


# The column-wise reader: a whole table at a time, parsed by pyarrow's CSV
# reader and checked a column at a time. It only ever says "these tables are
# clean, here is their data" or "ask the reference reader" (None): every
# problem is located by the row-by-row reader above, so messages stay exact.

#: Cells longer than this go to the reference reader, which refuses those over
#: the csv module's field limit (with pyarrow there is no such limit).
_LONG_CELL = csv.field_size_limit() // 2

_Columns = dict[str, list[str]]


def _csv_columns(raw: bytes, encoding: str, name: str) -> _Columns | None:
    """The stripped, unescaped cells of a table by column, or ``None`` if unsure."""
    import pyarrow  # on first use: --help and commands that read no table start without it
    import pyarrow.csv as pa_csv

    try:
        text = raw.decode(encoding).removeprefix("\ufeff")
    except (UnicodeDecodeError, LookupError):
        return None
    try:
        header = [h.strip() for h in next(csv.reader(io.StringIO(text, newline="")))]
    except (StopIteration, csv.Error):
        return None
    columns = _columns(TABLES[name])
    if (
        len(set(header)) != len(header)
        or any(h not in columns for h in header)
        or any(c not in header and c not in OPTIONAL_COLUMNS for c in columns)
    ):
        return None
    try:
        table = pa_csv.read_csv(
            io.BytesIO(text.encode("utf-8")),
            read_options=pa_csv.ReadOptions(autogenerate_column_names=True),
            parse_options=pa_csv.ParseOptions(newlines_in_values=True),
            convert_options=pa_csv.ConvertOptions(
                column_types={f"f{i}": pyarrow.string() for i in range(len(header))},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except pyarrow.ArrowException:
        return None
    if table.num_columns != len(header):
        return None
    return _read_cells(header, [column.to_pylist()[1:] for column in table.columns], name)


def _read_cells(header: Sequence[str], cells: list[list[str]], name: str) -> _Columns | None:
    """The columns the readers see in a table's cells as parsed: stripped, unescaped.

    ``None`` (ask the reference reader) when a cell is too long to be sure.
    """
    columns = _columns(TABLES[name])
    if any(max(map(len, column), default=0) > _LONG_CELL for column in cells):
        return None
    stripped = [list(map(str.strip, column)) for column in cells]
    rows = len(stripped[0])
    # A record whose cells are all blank is skipped, as the reference reader does; its
    # first cell is blank too (told in C first: a saved table has none).
    blank = (
        []
        if all(stripped[0])
        else [i for i, v in enumerate(stripped[0]) if not v and not any(c[i] for c in stripped)]
    )
    if blank:
        keep = sorted(set(range(rows)) - set(blank))
        stripped = [[column[i] for i in keep] for column in stripped]
        rows = len(keep)
    by_header = dict(zip(header, stripped, strict=True))
    out: _Columns = {}
    for head in columns:
        column = by_header.get(head, [""] * rows)
        # Only a cell starting with an apostrophe can need unescaping.
        if "\x00'" in "\x00" + "\x00".join(column):
            column = [unescape_cell(v) for v in column]
        out[head] = column
    return out


def _bounds_of(values: Sequence[str]) -> dict[str, tuple[dt.date, dt.date]] | None:
    """The day bounds of each distinct date in ``values``; ``None`` if one is no date."""
    bounds = {}
    for value in set(values):
        if value:
            try:
                bounds[value] = date_bounds(value)
            except ValueError:
                return None
    return bounds


def _numbers_of(values: Sequence[str], column: str) -> list[float | None] | None:
    """The numbers of a column (``None`` where empty); ``None`` if one is out of range.

    Each cell read by ``float`` in C and the range judged in numpy: a save reads
    back a million amounts, nearly all distinct, where a table of distinct
    texts first would cost five times as much.
    """
    import numpy as np  # here: commands that read no table start without it

    low, high, _ = NUMBER_RANGES[column]
    full = all(values)
    try:
        numbers: list[float | None] = (
            list(map(float, values)) if full else [float(v) if v else None for v in values]
        )
    except ValueError:
        return None
    present = numbers if full else [n for n in numbers if n is not None]
    found = np.fromiter(present, dtype=np.float64, count=len(present))
    if not ((found >= low) & (found <= high)).all():  # NaN is in no range
        return None
    return numbers


def _line_numbers_of(values: Sequence[str]) -> list[int] | None:
    if all(values) and "".join(values).isdecimal():
        return list(map(int, values))  # every cell a number (decimal digits only, as below)
    numbers = {"": 0}
    for value in set(values):
        if value:
            if not value.isdecimal():
                return None
            numbers[value] = int(value)
    return [numbers[v] for v in values]


def _choices_ok(values: Sequence[str], column: str, *, required: bool = False) -> bool:
    allowed = set(_CHOICES[column])
    if not required:
        allowed.add("")
    return set(values) <= allowed


_Fields = dict[str, list[Any]]


_LINE_COLUMNS = ("line", "description_line", "dates_line", "funding_line")


def _projects_of(c: _Columns) -> _Fields | None:
    """The fields of each project, in :class:`Project`'s order; ``None`` on a problem."""
    acronym, start, end = c["acronym"], c["start"], c["end"]
    funding_text, scope, share_of = c["funding_eur"], c["funding_scope"], c["funding_share_of"]
    starts, ends = _bounds_of(start), _bounds_of(end)
    funding = _numbers_of(funding_text, "funding_eur")
    lines: dict[str, Any] = {k: _line_numbers_of(c[k]) for k in _LINE_COLUMNS}
    if (
        not all(acronym)
        or starts is None
        or ends is None
        or funding is None
        or any(n is None for n in lines.values())
        or any(s and e and ends[e][1] < starts[s][0] for s, e in zip(start, end, strict=True))
        or not _choices_ok(scope, "funding_scope")
        or any(bool(f) != bool(s) for f, s in zip(funding_text, scope, strict=True))
        or any(s == "partner_share" and not o for s, o in zip(scope, share_of, strict=True))
    ):
        return None
    return {**c, "funding_eur": funding, **lines}


def _organisations_of(c: _Columns) -> _Fields | None:
    """The fields of each organisation, in :class:`Organisation`'s order; ``None`` on a problem."""
    name, country = c["name"], c["country"]
    line = _line_numbers_of(c["line"])
    latitude, longitude = (
        _numbers_of(c["latitude"], "latitude"),
        _numbers_of(c["longitude"], "longitude"),
    )
    if (
        not all(name)
        or line is None
        or latitude is None
        or longitude is None
        or not _choices_ok(c["kind"], "kind")
        or not all(is_country_code(v) for v in set(country) if v)
    ):
        return None
    return {**c, "line": line, "latitude": latitude, "longitude": longitude}


def _participations_of(c: _Columns) -> _Fields | None:
    """The fields of each participation, in :class:`Participation`'s order (``None``: a problem)."""
    line = _line_numbers_of(c["line"])
    contribution = _numbers_of(c["contribution_eur"], "contribution_eur")
    if (
        not all(c["project"])
        or not all(c["organisation"])
        or line is None
        or contribution is None
        or not _choices_ok(c["role"], "role", required=True)
    ):
        return None
    return {**c, "line": line, "contribution_eur": contribution}


def _aliases_of(c: _Columns) -> _Fields | None:
    """The fields of each alias, in :class:`Alias`'s order; ``None`` on a problem."""
    line = _line_numbers_of(c["line"])
    if not all(c["alias"]) or line is None:
        return None
    return {**c, "line": line}


def _members_of(c: _Columns) -> _Fields | None:
    """The fields of each member, in :class:`Member`'s order; ``None`` on a problem."""
    line = _line_numbers_of(c["line"])
    if (
        not all(c["name"])
        or line is None
        or _bounds_of(c["since"]) is None
        or not _choices_ok(c["kind"], "kind")
        or not all(is_country_code(v) for v in set(c["country"]) if v)
    ):
        return None
    return {**c, "line": line}


_COLUMN_READERS: dict[str, Callable[[_Columns], _Fields | None]] = {
    "projects.csv": _projects_of,
    "organisations.csv": _organisations_of,
    "participations.csv": _participations_of,
    "aliases.csv": _aliases_of,
    "members.csv": _members_of,
}


def _no_rows(name: str) -> _Columns:
    """The columns of a table with no record (an optional table left out)."""
    return {column: [] for column in _columns(TABLES[name])}


def _typed_tables(tables: Mapping[str, _Columns]) -> dict[str, _Fields] | None:
    """Each table's fields as the readers build records of them, if all are clean; else ``None``.

    ``tables`` holds each table's cells as :func:`_read_cells` gives them. The
    checks are those of the row-by-row reader, a column at a time, within each
    table and between the tables (:func:`_crosses_ok`).
    """
    typed: dict[str, _Fields] = {}
    for name in TABLES:
        columns = tables[name]
        names = _NAME_COLUMNS[name]
        if not all(_column_is_clean(values, h in names) for h, values in columns.items()):
            return None
        found = _COLUMN_READERS[name](columns)
        if found is None:
            return None
        typed[name] = found
    return typed if _crosses_ok(typed) else None


def _crosses_ok(tables: Mapping[str, _Fields]) -> bool:
    """Whether :func:`_cross_check` would find nothing, tested table by table."""
    projects, organisations = tables["projects.csv"], tables["organisations.csv"]
    participations, aliases = tables["participations.csv"], tables["aliases.csv"]
    acronyms = set(projects["acronym"])
    if len(acronyms) != len(projects["acronym"]):
        return False
    names: list[str] = organisations["name"]
    keys_of = list(map(name_keys, names))
    # No key of a name is another's: then the keys of all, each name's a set, are distinct.
    if len(frozenset().union(*keys_of)) != sum(map(len, keys_of)):
        return False
    owner = {k: name for name, keys in zip(names, keys_of, strict=True) for k in keys}
    orgs = set(names)
    for alias, organisation in zip(aliases["alias"], aliases["organisation"], strict=True):
        keys = name_keys(alias)
        if organisation not in orgs or any(
            owner.get(k, organisation) != organisation for k in keys
        ):
            return False
        for k in keys:
            owner.setdefault(k, organisation)
    pairs = set(zip(participations["project"], participations["organisation"], strict=True))
    return (
        len(pairs) == len(participations["project"])
        and set(participations["project"]) <= acronyms
        and set(participations["organisation"]) <= orgs
        and set(projects["funding_share_of"]) - {""} <= orgs
        and set(tables["members.csv"]["organisation"]) - {""} <= orgs
    )


def _dataset_of(typed: Mapping[str, _Fields]) -> Dataset:
    """The records of tables' fields (as :func:`_typed_tables` gives them)."""
    return _dataset_from(
        {name: map(record_type, *typed[name].values()) for name, record_type in TABLES.items()}
    )


def dataset_from_columns(contents: Mapping[str, bytes | None], encoding: str) -> Dataset | None:
    """The dataset four tables' bytes hold if they are clean, read a column at a time.

    ``None`` when a table is missing, has a problem, or holds something only the
    row-by-row reader reads exactly alike; that reader then locates every problem.
    """
    tables: dict[str, _Columns] = {}
    for name in TABLES:
        raw = contents.get(name)
        if raw is None and name in OPTIONAL_TABLES:
            tables[name] = _no_rows(name)
            continue
        if raw is None:
            return None
        columns = _csv_columns(raw, encoding, name)
        if columns is None:
            return None
        tables[name] = columns
    typed = _typed_tables(tables)
    return None if typed is None else _dataset_of(typed)


def _cell(value: object, column: str) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.2f}" if column in _MONEY_COLUMNS else repr(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value) if value else ""
    return escape_cell(str(value))


#: A cell :func:`escape_cell` may change starts with one of these (behind the NUL joining cells).
_MAY_ESCAPE = re.compile("\x00['=+\\-@]")


def _column_cells(values: list[Any], column: str) -> list[str]:
    """The cells of one column, each as :func:`_cell` writes it, a column at a time."""
    kinds = set(map(type, values))
    if kinds <= {str}:
        # Only a cell starting with a formula sign or an apostrophe can need escaping.
        joined = "\x00" + "\x00".join(values)
        # One search for the NUL in front (a fast search for one character), the sign
        # checked where it is found: three times faster than a search per sign.
        if _MAY_ESCAPE.search(joined):
            return [escape_cell(v) for v in values]
        return values
    # Without a gap (None, or 0 for a line), each value through one C-level map.
    if kinds <= {float}:
        return list(map("{:.2f}".format if column in _MONEY_COLUMNS else repr, values))
    if kinds <= {float, type(None)}:
        if column in _MONEY_COLUMNS:
            return ["" if v is None else f"{v:.2f}" for v in values]
        return ["" if v is None else repr(v) for v in values]
    if kinds <= {int}:
        if 0 not in values:
            return list(map(str, values))
        return [str(v) if v else "" for v in values]
    return [_cell(v, column) for v in values]


def _cells_of(
    ds: Dataset,
    present: Iterable[str] = (),
    participations: Mapping[str, Sequence[Any]] | None = None,
) -> dict[str, list[list[str]]]:
    """Each table's cells as its file holds them, column by column.

    An optional table is left out when it has no record, unless it is in
    ``present`` (its file is there, and must not keep records ``ds`` dropped).
    ``participations``, when given, are the participations by field (``ds``
    then holds none), taken as they are: no record per row.
    """
    keep = set(present)
    values = {name: _fields_of(records, TABLES[name]) for name, records in _records_of(ds).items()}
    if participations is not None:
        values["participations.csv"] = {c: list(participations[c]) for c in _columns(Participation)}
    return {
        name: [_column_cells(fields_[c], c) for c in _columns(TABLES[name])]
        for name, fields_ in values.items()
        if name not in OPTIONAL_TABLES or fields_[_columns(TABLES[name])[0]] or name in keep
    }


def _fields_of(records: Sequence[Any], record_type: type) -> dict[str, list[Any]]:
    """The fields of ``records`` (of ``record_type``), a list per field."""
    return {c: list(map(attrgetter(c), records)) for c in _columns(record_type)}


def _csv_line(cells: Sequence[str]) -> str:
    """One row as ``csv.writer`` writes it (the tables' dialect)."""
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\n").writerow(cells)
    return buffer.getvalue()


@functools.cache
def _written_apart_chars() -> str:
    """The characters for which ``csv.writer`` writes a cell otherwise than as it is.

    Asked of the csv module itself (first, inside and last in a cell), as
    Python versions differ: 3.11 quotes a line feed but not a carriage return.
    """
    found = set()
    for ch in [*map(chr, range(256)), "\u2028", "\u2029", "\ufeff"]:
        for cell in (f"{ch}a", f"a{ch}a", f"a{ch}"):
            if _csv_line([cell, "a"]) != f"{cell},a\n":
                found.add(ch)
    return "".join(sorted(found))


@functools.cache
def _written_apart() -> re.Pattern[str]:
    """A character of :func:`_written_apart_chars`."""
    return re.compile(f"[{re.escape(_written_apart_chars())}]")


def _written_column(cells: list[str]) -> list[str]:
    """The cells of one column as ``csv.writer`` writes them (quoted where it quotes)."""
    apart = _written_apart()
    joined = "\x00".join(cells)
    # A substring search per character (three): a few times faster than the regex.
    if not any(ch in joined for ch in _written_apart_chars()):
        return cells
    # The whole column through csv.writer, each cell ended by a NUL cell: split at
    # those ends, unless a cell holds one itself (one part too many).
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\n").writerows(zip(cells, itertools.repeat("\x00")))
    parts = buffer.getvalue().split(",\x00\n")
    if len(parts) == len(cells) + 1:
        return parts[:-1]
    return [_csv_line([v, "a"])[:-3] if apart.search(v) else v for v in cells]


def _table_bytes(cells: list[list[str]], name: str) -> bytes:
    """One table as its file holds it: UTF-8 with BOM, a header, one line per record.

    The bytes ``csv.writer`` writes (a cell written apart only where it would
    be), joined a column at a time.
    """
    rows = "\n".join(map(",".join, zip(*map(_written_column, cells), strict=True)))
    return ("\ufeff" + _csv_line(_columns(TABLES[name])) + rows + ("\n" if rows else "")).encode(
        "utf-8"
    )


def _tables_bytes(cells: Mapping[str, list[list[str]]]) -> dict[str, bytes]:
    return {name: _table_bytes(cells[name], name) for name in TABLES if name in cells}


def _read_back(
    cells: Mapping[str, list[list[str]]], contents: Mapping[str, bytes]
) -> dict[str, _Fields] | None:
    """What :func:`dataset_from_columns` reads from the tables these cells render to.

    The fields of the records, without rendering and parsing the bytes again:
    ``csv.writer`` quotes every cell holding a comma, a quote or a line feed,
    so parsing gives back each cell as it was, except one holding a carriage
    return (written unquoted). ``None`` when a cell holds one (its table's
    bytes ``contents`` do), or a table is not clean; the caller then reads the
    bytes themselves.
    """
    tables: dict[str, _Columns] = {}
    for name in TABLES:
        if name not in cells:
            tables[name] = _no_rows(name)
            continue
        if b"\r" in contents[name]:
            return None
        columns = _read_cells(_columns(TABLES[name]), cells[name], name)
        if columns is None:
            return None
        tables[name] = columns
    return _typed_tables(tables)


def check_dataset(ds: Dataset, directory: Path) -> Dataset:
    """``ds`` as :func:`load_dataset` would read it once saved in ``directory``; nothing written.

    The tables are rendered and checked in memory as :func:`save_dataset`
    checks them (a dry run's check).

    Raises
    ------
    DataError
        Every problem the saved tables would have, located in ``directory``'s files.
    """
    with paused_gc():
        cells = _cells_of(ds)
        contents = _tables_bytes(cells)
        read_back = _read_back(cells, contents)
        if read_back is not None:
            return _dataset_of(read_back)
        return _checked(Path(directory), contents, "utf-8", False)


def save_dataset(
    ds: Dataset,
    directory: Path,
    *,
    check: bool = False,
    since: str | None = None,
    participations: Mapping[str, Sequence[Any]] | None = None,
) -> None:
    """Write the tables (UTF-8 with BOM, so Excel shows umlauts), all at once or none.

    The tables replace those of ``directory`` as one generation: a reader sees
    the old tables or the new, never some of each, even when the save is
    killed halfway (:func:`defus_graph.store.generations.write_generation`). Each
    file keeps its permissions; the tables replaced are kept in
    ``directory/.previous/`` (one version back). Text a spreadsheet would run
    as a formula is written with an apostrophe in front (:func:`escape_cell`);
    :func:`load_dataset` takes it off again.

    With ``since`` (:attr:`Loaded.state` of the tables ``ds`` was made from),
    nothing is written when the tables changed since they were loaded.

    ``participations``, when given, are the participations to write, by field
    (:class:`Participation`'s, each a sequence of values), in place of those of
    ``ds`` (which holds none): the ingest command's, never made into records.

    With ``check``, the tables about to be written are first checked exactly
    as :func:`load_dataset` reads them, and nothing is written if they hold a
    problem; the checked tables are then kept as the folder's snapshot, so the
    next command does not read them again. Clean tables are checked a column
    at a time from the cells being written (:func:`_read_back`); only tables
    with a problem are read back from their bytes, to locate every problem.

    Raises
    ------
    DataError
        With ``check``: every problem the written tables would have, each
        located in the file and line it would be on.
    StaleDataError
        With ``since``: the tables changed since; nothing was written.
    """
    directory = Path(directory)
    if participations is not None and ds.participations:
        raise ValueError("participations are given as records and as columns")
    with paused_gc():
        present = [n for n in OPTIONAL_TABLES if (directory / n).is_file()]
        cells = _cells_of(ds, present, participations)
        contents = _tables_bytes(cells)
        read_back: dict[str, _Fields] | Dataset | None = None
        if check:
            read_back = _read_back(cells, contents) or _checked(
                directory, dict(contents), "utf-8", False
            )
        del cells
    from .snapshot import snapshot_dirs

    # The snapshot's own leftovers too: a snapshot is written by loads, which can lose one.
    state = write_generation(
        directory, contents, since=since, names=TABLES, also_clean=snapshot_dirs(directory)
    )
    if read_back is not None:
        _keep_checked(directory, state, read_back)


def _keep_checked(directory: Path, state: str, read_back: dict[str, _Fields] | Dataset) -> None:
    """Keep the tables a save checked as the snapshot of the tables it wrote (their
    :func:`~defus_graph.store.generations.tables_state` is ``state``)."""
    from .snapshot import key_of_state, write_snapshot, write_snapshot_fields

    key = key_of_state(state, "utf-8")
    if isinstance(read_back, Dataset):
        write_snapshot(directory, read_back, key)
    else:
        fields_by_table = {name.removesuffix(".csv"): read_back[name] for name in TABLES}
        write_snapshot_fields(directory, fields_by_table, key)


def records_from_rows(
    table: str, display: str, header: Sequence[str], rows: Iterable[tuple[int, Sequence[str]]]
) -> list[tuple[int, Any]]:
    """Records of one of the tables from rows read elsewhere (CSV dialects, a sheet).

    ``table`` is a key of :data:`TABLES`; each row comes with its line. Returns
    ``(line, record)`` pairs; the cross-table checks are left to the caller.

    Raises
    ------
    DataError
        With every problem of the rows, each located by ``display`` and line.
    """
    t = _Table(display, table)
    head = list(header)
    if t.take_header(head, _columns(TABLES[table])):
        for line, record in rows:
            t.take_row(line, list(record) + [""] * (len(head) - len(record)), head)
    records = _READERS[table](t) if not t.problems else []
    if t.problems:
        raise DataError(t.problems)
    return [(row.line, rec) for row, rec in zip(_kept_rows(t), records, strict=True)]


def _kept_rows(t: _Table) -> list[_Row]:
    """The rows a reader turned into records (it skips rows without a name)."""
    if t.name not in _NAMES:
        return t.rows
    column, _ = _NAMES[t.name]
    return [row for row in t.rows if row.values[column]]
