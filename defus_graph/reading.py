"""The reading report: what each input file was read as, line by line, before anything is saved.

``defus-graph ingest FILE… --dry-run`` prints it and the dashboard's preview of
an added file shows it, so that a person can hold it against the file: per
project the heading line, acronym, title, dates, coordinator, partners and
participants (each with the line it came from and the organisation it was
resolved to) and funding; and, for a page, every line read as nothing that
names a known organisation or city ("line 15 mentions Düsseldorf; not read as
a participation"). Known names are the organisations, aliases and cities of the
data merged with the file, and every name the file itself gives.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from .cells import escape_controls
from .ingest import Ingested, ingest_facts
from .model import Dataset, Project
from .sources.detect import read_inputs
from .sources.facts import SourceFacts

__all__ = ["FileReading", "Member", "ProjectReading", "Reading", "Unread", "reading_report"]

_ROLES = (("coordinator", "coordinator"), ("partner", "partners"), ("participant", "participants"))
_WORD = re.compile(r"\w+")
_MAX_NAME_WORDS = 12
_BRACKET_END = re.compile(r"\s*\([^()]*\)$")


@dataclass(frozen=True)
class Member:
    """One organisation read into a project: as written, as resolved, and where."""

    organisation: str
    role: str
    name_as_written: str
    source: str
    line: int
    country: str = ""


@dataclass(frozen=True)
class ProjectReading:
    """One project as read (after merging: its acronym is the one it is filed under)."""

    project: Project
    members: tuple[Member, ...]


@dataclass(frozen=True)
class Unread:
    """A line read as nothing about ``organisation``, though the line names it."""

    line: int
    written: str
    organisation: str
    text: str
    elsewhere: tuple[str, ...] = ()  # the file's projects it is in, from other lines

    def __str__(self) -> str:
        name = escape_controls(self.written)
        if self.organisation != self.written:
            name += f" ({escape_controls(self.organisation)})"
        text = f"line {self.line} mentions {name}; not read as a participation"
        if self.elsewhere:
            text += f" (in {', '.join(self.elsewhere)} from other lines)"
        return text


@dataclass(frozen=True)
class FileReading:
    """What one input was read as."""

    source: str
    projects: tuple[ProjectReading, ...]
    unread: tuple[Unread, ...] = ()
    reads_lines: bool = False  # a page: lines read as nothing can be listed


@dataclass(frozen=True)
class Reading:
    """The reading report of some inputs, and the merge nothing has saved yet."""

    files: tuple[FileReading, ...]
    ingested: Ingested

    def text(self, *, max_projects: int | None = None) -> str:
        """The report as plain text, names escaped so that a terminal shows them as written.

        ``max_projects`` cuts each file's list of projects (a CORDIS export holds
        thousands) and says how many were left out.
        """
        out: list[str] = []
        for f in self.files:
            count = sum(len(p.members) for p in f.projects)
            out.append(
                f"{f.source}: {_count(len(f.projects), 'project')}, "
                f"{_count(count, 'participation')}."
            )
            shown = f.projects if max_projects is None else f.projects[:max_projects]
            for p in shown:
                out.append("")
                out.extend(_project_lines(p))
            if len(shown) < len(f.projects):
                out.append("")
                out.append(f"… and {len(f.projects) - len(shown)} more projects.")
            if f.reads_lines:
                out.append("")
                if f.unread:
                    out.append("Lines read as nothing that name a known organisation or city:")
                    out.extend(f"  {u}" for u in f.unread)
                else:
                    out.append("No line read as nothing names a known organisation or city.")
            out.append("")
        return "\n".join(out).rstrip("\n")

    def as_dict(self) -> dict[str, Any]:
        """The report as a JSON-ready mapping."""
        return {
            "files": [
                {
                    "file": f.source,
                    "projects": [_project_dict(p) for p in f.projects],
                    "unread": [
                        {
                            "line": u.line,
                            "mentions": u.written,
                            "organisation": u.organisation,
                            "text": u.text,
                            "in_projects_from_other_lines": list(u.elsewhere),
                        }
                        for u in f.unread
                    ]
                    if f.reads_lines
                    else None,
                }
                for f in self.files
            ],
            "notes": list(self.ingested.notes),
        }


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _member_text(m: Member, source: str) -> str:
    text = escape_controls(m.name_as_written)
    bare = _BRACKET_END.sub("", m.name_as_written)  # "University of Warwick (UK)"
    if m.organisation not in (m.name_as_written, bare):
        text += f" → {escape_controls(m.organisation)}"
    if m.country and bare == m.name_as_written:  # "(UK)" as written says it already
        text += f", {m.country}"
    where = f"line {m.line}" if m.source == source else f"{m.source}, line {m.line}"
    return f"{text} ({where})"


def _money(p: Project) -> str:
    if p.funding_eur is None:
        return ""
    text = f"€{p.funding_eur:,.2f}"
    if p.funding_scope == "partner_share":
        return f"{text}, {escape_controls(p.funding_share_of or 'a partner')}'s share"
    return f"{text}, the total"


def _project_lines(r: ProjectReading) -> list[str]:
    p = r.project
    where = f"line {p.line}" if p.line else p.source
    head = escape_controls(p.acronym)
    if p.title and p.title != p.acronym:
        head += f" – {escape_controls(p.title)}"
    lines = [f"{head} ({where})"]
    if p.section:
        lines.append(f"  section: {escape_controls(p.section)}")
    if p.start or p.end:
        lines.append(
            f"  dates: {p.start or '?'} – {p.end or '?'}"
            + (f" (line {p.dates_line})" if p.dates_line else "")
        )
    else:
        lines.append("  dates: not stated")
    for role, label in _ROLES:
        members = [m for m in r.members if m.role == role]
        if role == "coordinator" and not members:
            lines.append("  coordinator: not stated")
        elif len(members) == 1 and role == "coordinator":
            lines.append(f"  coordinator: {_member_text(members[0], p.source)}")
        elif members:
            lines.append(f"  {label} ({len(members)}):")
            lines.extend(f"    {_member_text(m, p.source)}" for m in members)
    others = sorted({m.role for m in r.members} - {role for role, _ in _ROLES})
    for role in others:
        members = [m for m in r.members if m.role == role]
        lines.append(f"  {escape_controls(role)} ({len(members)}):")
        lines.extend(f"    {_member_text(m, p.source)}" for m in members)
    if p.programme or p.funding_eur is not None:
        funding = ", ".join(x for x in (escape_controls(p.programme), _money(p)) if x)
        lines.append(
            f"  funding: {funding}" + (f" (line {p.funding_line})" if p.funding_line else "")
        )
    else:
        lines.append("  funding: not stated")
    return lines


def _project_dict(r: ProjectReading) -> dict[str, Any]:
    p = r.project
    return {
        "acronym": p.acronym,
        "title": p.title,
        "line": p.line or None,
        "section": p.section or None,
        "start": p.start or None,
        "end": p.end or None,
        "dates_line": p.dates_line or None,
        "programme": p.programme or None,
        "funding_eur": p.funding_eur,
        "funding_scope": p.funding_scope or None,
        "funding_share_of": p.funding_share_of or None,
        "funding_line": p.funding_line or None,
        "organisations": [
            {
                "organisation": m.organisation,
                "role": m.role,
                "name_as_written": m.name_as_written,
                "country": m.country or None,
                "file": m.source,
                "line": m.line,
            }
            for m in r.members
        ],
    }


@dataclass(frozen=True)
class _Placed(Member):
    project: str = ""


# --- finding known names on lines -------------------------------------------------------------


def _fold(text: str) -> str:
    """Accents dropped, case kept: "Essen" the city is not "essen" the verb."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _words(text: str) -> list[str]:
    return _WORD.findall(_fold(text))


class _Names:
    """Known names by their words, to find them on a line in one pass."""

    def __init__(self, names: Iterable[tuple[str, str]]) -> None:
        self.known: dict[tuple[str, ...], str] = {}
        self.longest = 1
        for written, organisation in names:
            words = tuple(_words(written))
            if not words or len(words) > _MAX_NAME_WORDS:
                continue
            if len(words) == 1 and (len(words[0]) < 3 or words[0].isdigit()):
                continue  # "EU", "2": too short to say a line names someone
            self.known.setdefault(words, organisation)
            self.longest = max(self.longest, len(words))

    def find(self, words: list[str]) -> list[tuple[int, int, str]]:
        """(first word, past the last word, organisation) of each known name, longest first."""
        found = []
        i = 0
        while i < len(words):
            for n in range(min(self.longest, len(words) - i), 0, -1):
                organisation = self.known.get(tuple(words[i : i + n]))
                if organisation is not None:
                    found.append((i, i + n, organisation))
                    i += n
                    break
            else:
                i += 1
        return found


def _covered(words: list[str], names: Iterable[str]) -> set[int]:
    """The positions of ``words`` that spell one of ``names``."""
    covered: set[int] = set()
    for name in names:
        target = _words(name)
        if not target:
            continue
        for i in range(len(words) - len(target) + 1):
            if words[i : i + len(target)] == target:
                covered.update(range(i, i + len(target)))
    return covered


def _unread(
    facts: SourceFacts, projects: Sequence[Project], ds: Dataset, members: Sequence[_Placed]
) -> list[Unread]:
    """Lines of a page that name a known organisation the line was not read as."""
    names = _Names(
        [(o.name, o.name) for o in ds.organisations]
        + [(a.alias, a.organisation) for a in ds.aliases]
        + [(o.city, o.city) for o in ds.organisations if o.city]
        + [(m.name_as_written, m.organisation) for m in members]
    )
    read_on: dict[int, list[str]] = {}
    for m in facts.mentions:
        read_on.setdefault(m.line, []).extend((m.name, m.name_as_written, m.abbreviation))
    for p in projects:  # "(Efus-Anteil)" is read, as whose share the funding is
        if p.funding_share_of:
            read_on.setdefault(p.funding_line, []).append(p.funding_share_of)
    out: list[Unread] = []
    for number, line in enumerate(facts.lines, start=1):
        if not line:
            continue
        found = list(_WORD.finditer(line))
        words = [_fold(w.group()) for w in found]
        covered = _covered(words, read_on.get(number, ()))
        told: set[str] = set()
        for first, last, organisation in names.find(words):
            if covered.intersection(range(first, last)) or organisation in told:
                continue
            told.add(organisation)
            written = line[found[first].start() : found[last - 1].end()]
            out.append(
                Unread(number, written, organisation, line, _member_of(members, organisation))
            )
    return out


def _member_of(members: Sequence[_Placed], organisation: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(m.project for m in members if m.organisation == organisation))


# --- building the report ----------------------------------------------------------------------


def reading_report(
    inputs: Sequence[tuple[str, bytes]],
    ds: Dataset,
    *,
    fmt: str | None = None,
    encoding: str | None = None,
) -> Reading:
    """Read, resolve and merge ``inputs`` into ``ds`` as ingest does, and say what was read.

    Nothing is written; ``ds`` is not changed. The merged dataset is in
    ``Reading.ingested``.

    Raises
    ------
    DataError
        With every problem, as :func:`defus_graph.ingest.ingest` raises it.
    """
    found = read_inputs(inputs, fmt=fmt, encoding=encoding)
    ingested = ingest_facts(found, ds)
    merged = ingested.dataset
    countries = {o.name: o.country for o in merged.organisations}
    files = []
    for facts in found:
        sources = {facts.source} | {m.source for m in facts.mentions if m.source}
        stated = {(p.source, p.line, p.title) for p in facts.projects}
        projects = [p for p in merged.projects if (p.source, p.line, p.title) in stated]
        acronyms = {p.acronym for p in projects}
        placed = [
            _Placed(
                pa.organisation,
                pa.role,
                pa.name_as_written,
                pa.source,
                pa.line,
                countries.get(pa.organisation, ""),
                project=pa.project,
            )
            for pa in merged.participations
            if pa.project in acronyms and pa.source in sources
        ]
        by_project: dict[str, list[Member]] = {a: [] for a in acronyms}
        for m in placed:
            by_project[m.project].append(
                Member(m.organisation, m.role, m.name_as_written, m.source, m.line, m.country)
            )
        unread = _unread(facts, projects, merged, placed) if facts.lines else []
        files.append(
            FileReading(
                facts.source,
                tuple(ProjectReading(p, tuple(by_project[p.acronym])) for p in projects),
                tuple(unread),
                reads_lines=bool(facts.lines),
            )
        )
    return Reading(tuple(files), ingested)
