"""What the side panel tells about one node: plain data, no streamlit, no markup.

Every value is the text as the data holds it; the panel decides how to show it
and must show it literally.
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx

from ..analysis.queries import co_partners, organisation_projects, project_members
from ..analysis.records import dates_text
from ..analysis.suggest import Suggestion, SuggestionIndex
from ..graph.bipartite import is_project, node_label
from ..graph.views import Filters
from ..model import Dataset

__all__ = [
    "OrganisationStory",
    "ProjectRow",
    "ProjectStory",
    "funding_text",
    "organisation_story",
    "project_story",
    "who_to_invite",
]


def funding_text(amount: float | None, scope: str, share_of: str) -> str:
    """An amount with what it is: the whole project's total or one partner's share.

    Examples
    --------
    >>> funding_text(630901.0, "total", "")
    '€630,901.00 (total for the project)'
    >>> funding_text(45000.0, "partner_share", "Augsburg")
    "€45,000.00 (Augsburg's share only)"
    >>> funding_text(None, "", "")
    'not stated'
    """
    if amount is None:
        return "not stated"
    money = f"€{amount:,.2f}"
    if scope == "partner_share":
        return (
            f"{money} ({share_of}'s share only)" if share_of else f"{money} (one partner's share)"
        )
    if scope == "total":
        return f"{money} (total for the project)"
    return money


@dataclass(frozen=True)
class ProjectRow:
    """One project as an organisation's panel lists it."""

    acronym: str
    title: str
    dates: str
    programme: str
    funding: str
    role: str
    contribution: str = ""  # this organisation's own amount, where the data has it


@dataclass(frozen=True)
class OrganisationStory:
    """An organisation: what it is, its projects, and who it works with."""

    node: str
    name: str
    kind: str
    country: str
    aliases: tuple[str, ...]
    projects: tuple[ProjectRow, ...]
    co_partners: tuple[tuple[str, tuple[str, ...]], ...]  # (name, shared acronyms)
    membership: str = ""  # "member since 2015 (mitglieder.csv, line 2)"; "" for no member


@dataclass(frozen=True)
class ProjectStory:
    """A project: its facts and its members."""

    node: str
    acronym: str
    title: str
    dates: str
    programme: str
    funding: str
    funding_as_written: str
    description: str
    coordinators: tuple[str, ...]
    members: tuple[tuple[str, str], ...]  # (name, role), coordinator first


def _project_row(g: nx.Graph, node: str, role: str, contribution: object = None) -> ProjectRow:
    d = g.nodes[node]
    return ProjectRow(
        acronym=str(d.get("label", node_label(node))),
        title=str(d.get("title", "")),
        dates=dates_text(str(d.get("start", "")), str(d.get("end", ""))),
        programme=str(d.get("programme", "")) or "not stated",
        funding=funding_text(
            d.get("funding_eur"),
            str(d.get("funding_scope", "")),
            str(d.get("funding_share_of", "")),
        ),
        role=role or "not stated",
        contribution="" if contribution is None else f"€{float(contribution):,.2f}",  # type: ignore[arg-type]
    )


def organisation_story(g: nx.Graph, ds: Dataset, node: str) -> OrganisationStory:
    """The story of organisation ``node`` in the bipartite graph ``g`` of ``ds``."""
    if is_project(node):
        raise ValueError(f"{node!r} is a project, not an organisation")
    d = g.nodes[node]
    name = str(d.get("label", node_label(node)))
    mine = g.adj[node]  # its links, each project's looked up once
    return OrganisationStory(
        node=node,
        name=name,
        kind=str(d.get("kind", "unknown")),
        country=str(d.get("country", "")) or "not stated",
        aliases=tuple(sorted(a.alias for a in ds.aliases if a.organisation == name)),
        projects=tuple(
            _project_row(g, i.node, i.role, mine[i.node].get("contribution_eur"))
            for i in organisation_projects(g, node)
        ),
        co_partners=tuple((c.name, c.projects) for c in co_partners(g, node)),
        membership="; ".join(
            f"member{' since ' + m.since if m.since else ''} ({m.source}, line {m.line})"
            for m in ds.members
            if m.organisation == name
        ),
    )


def project_story(g: nx.Graph, ds: Dataset, node: str) -> ProjectStory:
    """The story of project ``node`` in the bipartite graph ``g`` of ``ds``."""
    if not is_project(node):
        raise ValueError(f"{node!r} is an organisation, not a project")
    row = _project_row(g, node, "")
    members = project_members(g, node)
    return ProjectStory(
        node=node,
        acronym=row.acronym,
        title=row.title,
        dates=row.dates,
        programme=row.programme,
        funding=row.funding,
        funding_as_written=ds.project(row.acronym).funding_text,
        description=str(g.nodes[node].get("description", "")),
        coordinators=tuple(m.name for m in members if m.role == "coordinator"),
        members=tuple((m.name, m.role or "not stated") for m in members),
    )


def who_to_invite(
    index: SuggestionIndex, node: str, filters: Filters, *, top: int = 10
) -> list[Suggestion]:
    """Organisations to invite for ``node``, of the kinds and countries ``filters`` keep.

    The evidence comes from the whole network (a partner of a filtered-out kind
    still vouches for a candidate); only the candidates are filtered.
    """
    return index.suggest(
        node, kind=filters.kinds or None, country=filters.countries or None, top=top
    )
