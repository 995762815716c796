"""The data model: projects, organisations, participations and aliases.

Plain, immutable data with no I/O. Every record carries its provenance: the
source document and the 1-based line in it where the fact is stated.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
from dataclasses import dataclass, field

__all__ = [
    "FUNDING_SCOPES",
    "KINDS",
    "ROLES",
    "Alias",
    "Dataset",
    "Member",
    "Organisation",
    "Participation",
    "Project",
    "date_bounds",
    "parse_partial_date",
]

#: The kinds of organisation the data may name; "" means not known yet.
KINDS: tuple[str, ...] = (
    "city",
    "region",
    "ministry",
    "public body",
    "police",
    "NGO",
    "foundation",
    "university",
    "research institute",
    "network",
    "sports body",
    "company",
    "other",
)

#: How an organisation takes part in a project.
ROLES: tuple[str, ...] = ("coordinator", "partner", "participant")

#: Whether a funding amount is the whole project's or one partner's share.
FUNDING_SCOPES: tuple[str, ...] = ("total", "partner_share")

_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def parse_partial_date(text: str) -> tuple[int, int | None, int | None]:
    """Split an ISO date as precise as its source ("2017", "2017-10", "2017-10-01").

    Raises ``ValueError`` with a readable reason for a malformed or impossible date.

    Examples
    --------
    >>> parse_partial_date("2017-10")
    (2017, 10, None)
    """
    match = _PARTIAL_DATE.match(text)
    if not match:
        raise ValueError("is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD")
    year = int(match.group(1))
    month = int(match.group(2)) if match.group(2) else None
    day = int(match.group(3)) if match.group(3) else None
    if month is not None and not 1 <= month <= 12:
        raise ValueError(f"has month {month}, which does not exist")
    if month is not None and day is not None:
        last = calendar.monthrange(year, month)[1]
        if not 1 <= day <= last:
            raise ValueError(f"has day {day}, but that month has {last} days")
    return year, month, day


@functools.lru_cache(maxsize=65536)
def date_bounds(text: str) -> tuple[dt.date, dt.date]:
    """The first and last day a partial date covers.

    Cached: a large dataset repeats the same few thousand dates.

    Examples
    --------
    >>> date_bounds("2019-02")
    (datetime.date(2019, 2, 1), datetime.date(2019, 2, 28))
    >>> date_bounds("2017")
    (datetime.date(2017, 1, 1), datetime.date(2017, 12, 31))
    """
    year, month, day = parse_partial_date(text)
    if month is None:
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    if day is None:
        return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])
    exact = dt.date(year, month, day)
    return exact, exact


@dataclass(frozen=True)
class Project:
    """One project, with the line each of its facts comes from (0 = not stated).

    ``external_id`` is an identifier the source gives (``cordis:101021866``).
    """

    acronym: str
    title: str = ""
    description: str = ""
    start: str = ""
    end: str = ""
    programme: str = ""
    funding_eur: float | None = None
    funding_scope: str = ""
    funding_share_of: str = ""
    funding_text: str = ""
    section: str = ""
    source: str = ""
    line: int = 0
    description_line: int = 0
    dates_line: int = 0
    funding_line: int = 0
    external_id: str = ""


@dataclass(frozen=True)
class Organisation:
    """One organisation under its canonical name; ``country`` is ISO 3166 alpha-2.

    ``pic`` is the EU's Participant Identification Code (CORDIS ``organisationID``),
    the organisation's identity across EU projects; ``latitude``/``longitude``
    come from sources that give them (CORDIS ``geolocation``).
    """

    name: str
    kind: str = ""
    country: str = ""
    source: str = ""
    line: int = 0
    note: str = ""
    city: str = ""
    pic: str = ""
    latitude: float | None = None
    longitude: float | None = None


@dataclass(frozen=True)
class Participation:
    """An organisation's part in a project, with the name exactly as the source wrote it."""

    project: str
    organisation: str
    role: str
    name_as_written: str = ""
    source: str = ""
    line: int = 0
    contribution_eur: float | None = None


@dataclass(frozen=True)
class Alias:
    """Another name for an organisation; every merge is recorded as one."""

    alias: str
    organisation: str
    source: str = ""
    line: int = 0
    note: str = ""


@dataclass(frozen=True)
class Member:
    """One line of a member list: a name as written and the organisation it names.

    ``organisation`` is the canonical name the member's name resolved to
    exactly (by name or alias), or ``""`` when it matched none: such a member
    is kept as a member without projects, never made an organisation.
    ``kind``, ``country`` and ``since`` are what the member list says.
    """

    name: str
    organisation: str = ""
    kind: str = ""
    country: str = ""
    since: str = ""
    source: str = ""
    line: int = 0


@dataclass(frozen=True)
class Dataset:
    """The tables, in the order they are written; ``members`` is optional (may be empty)."""

    projects: tuple[Project, ...] = ()
    organisations: tuple[Organisation, ...] = ()
    participations: tuple[Participation, ...] = ()
    aliases: tuple[Alias, ...] = ()
    members: tuple[Member, ...] = ()
    _project_index: dict[str, Project] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    _org_index: dict[str, Organisation] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        self._project_index.update((p.acronym, p) for p in self.projects)
        self._org_index.update((o.name, o) for o in self.organisations)

    def project(self, acronym: str) -> Project:
        """The project with this exact acronym (``KeyError`` if absent)."""
        return self._project_index[acronym]

    def organisation(self, name: str) -> Organisation:
        """The organisation with this exact canonical name (``KeyError`` if absent)."""
        return self._org_index[name]
