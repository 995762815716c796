"""A member list taken into a dataset: matched exactly, reported, never merged by guess.

Each listed name is matched to an organisation by its name or one of its
aliases, after normalisation only (case, accents, spacing, apostrophes: see
:class:`defus_graph.names.resolve.Resolver`). A name that matches nothing is kept
as a member *without an organisation* (``organisation == ""``), with its
line: it shows as a member with no project and is never made an
organisation. Close names are offered in the report ("did you mean"), never
taken. Where the list and the network disagree (kind, country), the network
keeps its facts and the report says so.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from ..model import Dataset, Member
from .normal import normalise
from .resolve import Resolver

__all__ = ["MemberReport", "match_members", "with_members"]


@dataclass(frozen=True)
class MemberReport:
    """What became of each line of a member list.

    matched : (member, how) for each member that names an organisation; ``how``
        is ``"name"`` or ``'alias "X"'``.
    unmatched : (member, close names) for each member that names none.
    notes : disagreements and repeats, each with its line.
    """

    members: tuple[Member, ...]
    matched: tuple[tuple[Member, str], ...]
    unmatched: tuple[tuple[Member, tuple[str, ...]], ...]
    notes: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        """The report as JSON-ready data."""
        return {
            "members": len(self.members),
            "matched": [
                {
                    "name": m.name,
                    "organisation": m.organisation,
                    "by": how,
                    "source": m.source,
                    "line": m.line,
                }
                for m, how in self.matched
            ],
            "unmatched": [
                {"name": m.name, "source": m.source, "line": m.line, "did_you_mean": list(close)}
                for m, close in self.unmatched
            ],
            "notes": list(self.notes),
        }

    def text(self) -> str:
        """The report in words, one line per member that needs a look."""
        lines = [
            f"{len(self.members)} members read: {len(self.matched)} matched an organisation "
            f"exactly, {len(self.unmatched)} matched none."
        ]
        for m, how in self.matched:
            if how != "name":
                lines.append(f'  {_at(m)}: "{m.name}" is {m.organisation} (by its {how}).')
        if self.unmatched:
            lines.append(
                "Matched nothing (kept as members without projects; no organisation is made "
                "of them):"
            )
        for m, close in self.unmatched:
            guess = f' Did you mean "{close[0]}"?' if close else ""
            lines.append(f'  {_at(m)}: "{m.name}".{guess}')
        if self.unmatched:
            lines.append(
                "  To match one, add its name to aliases.csv (alias, organisation) and add the "
                "list again, or write the organisation in members.csv's organisation column."
            )
        lines.extend(f"Note: {note}" for note in self.notes)
        return "\n".join(lines)


def _at(m: Member) -> str:
    return f"{m.source}, line {m.line}"


def match_members(listed: tuple[Member, ...], ds: Dataset) -> MemberReport:
    """Match each listed member to an organisation of ``ds`` exactly (name or alias).

    Examples
    --------
    >>> from defus_graph.model import Alias, Organisation
    >>> ds = Dataset(organisations=(Organisation("Nice"),), aliases=(Alias("Nizza", "Nice"),))
    >>> report = match_members((Member("NIZZA", line=2), Member("Nicea", line=3)), ds)
    >>> [(m.name, m.organisation) for m in report.members]
    [('NIZZA', 'Nice'), ('Nicea', '')]
    >>> report.matched[0][1], report.unmatched[0][1]
    ('alias "Nizza"', ('Nice',))
    """
    resolver = Resolver(ds.organisations, ds.aliases)
    by_key = {normalise(a.alias): a.alias for a in ds.aliases}
    members: list[Member] = []
    matched: list[tuple[Member, str]] = []
    unmatched: list[tuple[Member, tuple[str, ...]]] = []
    notes: list[str] = []
    first_line: dict[str, Member] = {}
    for listed_member in listed:
        canonical = resolver.resolve(listed_member.name)
        if canonical is None:
            close = tuple(resolver.suggest(listed_member.name))
            members.append(listed_member)
            unmatched.append((listed_member, close))
            continue
        member = replace(listed_member, organisation=canonical)
        members.append(member)
        alias = by_key.get(normalise(member.name))
        by_name = normalise(member.name) == normalise(canonical) or alias is None
        matched.append((member, "name" if by_name else f'alias "{alias}"'))
        notes.extend(_disagreements(member, ds))
        if canonical in first_line:
            earlier = first_line[canonical]
            notes.append(
                f'{_at(member)}: "{member.name}" is {canonical}, as is "{earlier.name}" on line '
                f"{earlier.line}; both lines are kept."
            )
        first_line.setdefault(canonical, member)
    return MemberReport(tuple(members), tuple(matched), tuple(unmatched), tuple(notes))


def _disagreements(member: Member, ds: Dataset) -> list[str]:
    """Where the list says otherwise than the network about a matched member."""
    org = ds.organisation(member.organisation)
    out = []
    for what, listed, known in (
        ("kind", member.kind, org.kind),
        ("country", member.country, org.country),
    ):
        if listed and known and listed != known:
            out.append(
                f"{_at(member)}: the list gives {member.organisation} the {what} {listed}, the "
                f"network {known}; the network's is kept (correct organisations.csv if the "
                "list is right)."
            )
    return out


def with_members(ds: Dataset, members: tuple[Member, ...], file: str) -> Dataset:
    """``ds`` with ``members`` (read from ``file``) added, replacing what ``file`` listed before.

    Adding a list again replaces its earlier lines (any sheet of a workbook);
    lists from other files stay.

    Examples
    --------
    >>> ds = Dataset(members=(Member("A", source="old.csv"), Member("B", source="m.xlsx[S1]")))
    >>> [m.name for m in with_members(ds, (Member("C", source="m.xlsx[S2]"),), "m.xlsx").members]
    ['A', 'C']
    """
    kept = tuple(m for m in ds.members if m.source != file and not m.source.startswith(f"{file}["))
    return replace(ds, members=kept + members)
