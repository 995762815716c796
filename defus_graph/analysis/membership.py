"""The member network: which members take part in projects, which never do, whom to invite.

Three lists from the participations and the member list:

- members with their projects;
- members with no project (in no project shown, or matching no organisation);
- non-members ranked by how many projects they share with members (the ones
  to invite into the network), each with the projects and the members.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ..model import Dataset, Member

__all__ = ["MemberOverview", "member_overview", "overview_of_pairs"]


@dataclass(frozen=True)
class ActiveMember:
    """A member organisation and the projects it is in (acronyms, sorted)."""

    organisation: str
    listed: tuple[Member, ...]
    projects: tuple[str, ...]


@dataclass(frozen=True)
class IdleMember:
    """A member in no project: ``organisation`` is ``""`` when its name matched none."""

    organisation: str
    listed: tuple[Member, ...]


@dataclass(frozen=True)
class Candidate:
    """A non-member and the projects it shares with members, with those members."""

    organisation: str
    projects: tuple[str, ...]
    members: tuple[str, ...]


@dataclass(frozen=True)
class MemberOverview:
    """The three lists; ``candidates`` strongest first (most projects with members)."""

    active: tuple[ActiveMember, ...]
    idle: tuple[IdleMember, ...]
    candidates: tuple[Candidate, ...]

    def as_dict(self) -> dict[str, Any]:
        """The lists as JSON-ready data; each member with the lines that list it."""

        def lines(listed: tuple[Member, ...]) -> list[dict[str, Any]]:
            return [{"name": m.name, "source": m.source, "line": m.line} for m in listed]

        return {
            "members_with_projects": [
                {
                    "organisation": a.organisation,
                    "projects": list(a.projects),
                    "listed": lines(a.listed),
                }
                for a in self.active
            ],
            "members_without_projects": [
                {"organisation": i.organisation or None, "listed": lines(i.listed)}
                for i in self.idle
            ],
            "non_members_with_members": [
                {
                    "organisation": c.organisation,
                    "projects_with_members": len(c.projects),
                    "projects": list(c.projects),
                    "members": list(c.members),
                }
                for c in self.candidates
            ],
        }


def member_overview(ds: Dataset, *, top: int = 10) -> MemberOverview:
    """The three lists of ``ds``'s whole network (see :func:`overview_of_pairs`).

    Examples
    --------
    >>> from defus_graph.model import Organisation, Participation, Project
    >>> ds = Dataset(
    ...     projects=(Project("P"),),
    ...     organisations=(Organisation("A"), Organisation("B"), Organisation("C")),
    ...     participations=(Participation("P", "A", "partner"), Participation("P", "B", "partner")),
    ...     members=(Member("A", "A"), Member("C", "C"), Member("Zed")),
    ... )
    >>> o = member_overview(ds)
    >>> [(a.organisation, a.projects) for a in o.active]
    [('A', ('P',))]
    >>> [(i.organisation, i.listed[0].name) for i in o.idle]
    [('C', 'C'), ('', 'Zed')]
    >>> [(c.organisation, c.projects, c.members) for c in o.candidates]
    [('B', ('P',), ('A',))]
    """
    pairs = ((pa.project, pa.organisation) for pa in ds.participations)
    return overview_of_pairs(pairs, ds.members, top=top)


def overview_of_pairs(
    pairs: Iterable[tuple[str, str]], members: Iterable[Member], *, top: int = 10
) -> MemberOverview:
    """The three lists from (project, organisation) pairs, such as those a filtered view shows.

    ``top`` limits the non-members listed (ties at the limit are cut by name).
    """
    projects_of: dict[str, set[str]] = defaultdict(set)
    orgs_in: dict[str, set[str]] = defaultdict(set)
    for project, org in pairs:
        projects_of[org].add(project)
        orgs_in[project].add(org)
    listed: dict[str, list[Member]] = defaultdict(list)
    unmatched: list[Member] = []
    for m in members:
        if m.organisation:
            listed[m.organisation].append(m)
        else:
            unmatched.append(m)
    active = [
        ActiveMember(org, tuple(ms), tuple(sorted(projects_of[org], key=str.casefold)))
        for org, ms in listed.items()
        if projects_of.get(org)
    ]
    idle = [IdleMember(org, tuple(ms)) for org, ms in listed.items() if not projects_of.get(org)]
    idle += [IdleMember("", (m,)) for m in unmatched]
    return MemberOverview(
        tuple(sorted(active, key=lambda a: (-len(a.projects), a.organisation.casefold()))),
        tuple(sorted(idle, key=lambda i: (i.organisation == "", _idle_name(i).casefold()))),
        _candidates(projects_of, orgs_in, listed, top),
    )


def _idle_name(i: IdleMember) -> str:
    return i.organisation or i.listed[0].name


def _candidates(
    projects_of: Mapping[str, set[str]],
    orgs_in: Mapping[str, set[str]],
    listed: Mapping[str, list[Member]],
    top: int,
) -> tuple[Candidate, ...]:
    with_members = {p for p, orgs in orgs_in.items() if any(o in listed for o in orgs)}
    found = []
    for org, projects in projects_of.items():
        if org in listed:
            continue
        shared = projects & with_members
        if shared:
            partners = {o for p in shared for o in orgs_in[p] if o in listed}
            found.append(
                Candidate(
                    org,
                    tuple(sorted(shared, key=str.casefold)),
                    tuple(sorted(partners, key=str.casefold)),
                )
            )
    found.sort(key=lambda c: (-len(c.projects), -len(c.members), c.organisation.casefold()))
    return tuple(found[:top])
