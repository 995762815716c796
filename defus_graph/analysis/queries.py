"""Questions asked of the network: plain functions over the bipartite graph.

Every function takes the graph from :func:`defus_graph.graph.bipartite.graph_from_dataset`
(or a subgraph of it) and node ids (``org:…``, ``project:…``).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from ..store.snapshot import CodedText, as_lists, kept_columns

# The graph module (networkx, scipy: a quarter of a second to import) is imported
# where it is used, so that records.py's listing of projects starts without it.
if TYPE_CHECKING:
    import networkx as nx

    from ..graph.bipartite import Participations

__all__ = [
    "ROLE_ORDER",
    "CoPartner",
    "FundingTotal",
    "Involvement",
    "SharedPartner",
    "co_partners",
    "funding_totals",
    "kept_shared_partners",
    "linked",
    "organisation_projects",
    "project_members",
    "shared_partners",
    "shortest_chain",
]


def _label(g: nx.Graph, node: str) -> str:
    return str(g.nodes[node].get("label", node))


@dataclass(frozen=True)
class SharedPartner:
    """An organisation that takes part in several projects."""

    node: str
    name: str
    kind: str
    country: str
    projects: tuple[str, ...]


def shared_partners(
    g: nx.Graph | Participations, *, min_projects: int = 2, kind: str | None = None
) -> list[SharedPartner]:
    """Organisations in at least ``min_projects`` projects, most projects first.

    ``kind`` keeps only organisations of that kind (e.g. ``"city"``). ``g`` may
    be the arrays of a dataset, which give the same answer without a networkx graph.
    """
    from ..graph.bipartite import Participations, organisation_nodes

    if min_projects < 1:
        raise ValueError("min_projects must be at least 1")
    if isinstance(g, Participations):
        return _shared_partners_of(g, min_projects, kind)
    found = []
    for node in organisation_nodes(g):
        data = g.nodes[node]
        if kind is not None and data.get("kind") != kind:
            continue
        projects = tuple(sorted(_label(g, p) for p in g[node]))
        if len(projects) >= min_projects:
            found.append(
                SharedPartner(
                    node,
                    _label(g, node),
                    str(data.get("kind", "unknown")),
                    str(data.get("country", "")),
                    projects,
                )
            )
    return sorted(found, key=lambda s: (-len(s.projects), s.name.casefold()))


def _shared_partners_of(
    arrays: Participations, min_projects: int, kind: str | None
) -> list[SharedPartner]:
    orgs = arrays.organisations
    return _shared_from(
        [p.acronym for p in arrays.projects],
        ([o.name for o in orgs], [o.kind for o in orgs], [o.country for o in orgs]),
        arrays.project,
        arrays.organisation,
        min_projects,
        kind,
    )


def _shared_from(
    acronyms: list[str],
    organisations: tuple[list[str], list[str], list[str]],
    project: npt.NDArray[np.int64],
    organisation: npt.NDArray[np.int64],
    min_projects: int,
    kind: str | None,
) -> list[SharedPartner]:
    """:func:`shared_partners` of the participations ``project[e]``–``organisation[e]``
    between ``acronyms`` and ``organisations`` (their names, kinds and countries)."""
    order = np.argsort(organisation, kind="stable")
    bounds = [0, *np.cumsum(np.bincount(organisation, minlength=len(organisations[0]))).tolist()]
    projects = project[order].tolist()
    found = []
    for i, (name, o_kind, country) in enumerate(zip(*organisations, strict=True)):
        start, end = bounds[i], bounds[i + 1]
        o_kind = o_kind or "unknown"
        if end - start < min_projects or (kind is not None and o_kind != kind):
            continue
        names = tuple(sorted([acronyms[p] for p in projects[start:end]]))
        found.append(SharedPartner(f"org:{name}", name, o_kind, country, names))
    # As the graph's route: by node id first, then (stably) most projects and name.
    found.sort(key=lambda s: s.node)
    return sorted(found, key=lambda s: (-len(s.projects), s.name.casefold()))


#: The snapshot's columns :func:`kept_shared_partners` reads, by table.
_SHARED_COLUMNS = {
    "projects": ("acronym",),
    "organisations": ("name", "kind", "country"),
    "participations": ("project", "organisation"),
}


def kept_shared_partners(
    directory: Path, encoding: str = "utf-8", *, min_projects: int = 2, kind: str | None = None
) -> list[SharedPartner] | None:
    """:func:`shared_partners` of data folder ``directory`` from its snapshot's columns,
    without records or a graph; ``None`` when no snapshot is kept for the tables as
    they are now, or they are not what a checked folder holds."""
    if min_projects < 1:
        raise ValueError("min_projects must be at least 1")
    columns = kept_columns(directory, encoding, _SHARED_COLUMNS)
    if columns is None:
        return None
    projects = as_lists(columns["projects"], _SHARED_COLUMNS["projects"])
    orgs = as_lists(columns["organisations"], _SHARED_COLUMNS["organisations"])
    if projects is None or orgs is None:
        return None
    (acronyms,), (names, kinds, countries) = projects, orgs
    links = linked(acronyms, names, columns["participations"])
    if links is None:
        return None
    return _shared_from(acronyms, (names, kinds, countries), *links, min_projects, kind)


def linked(
    acronyms: list[str], names: list[str], participations: Mapping[str, list[Any] | CodedText]
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]] | None:
    """Each participation's project (in ``acronyms``) and organisation (in ``names``),
    from the snapshot's columns ``project`` and ``organisation``.

    ``None`` for tables the graph would have to repair, as
    :meth:`~defus_graph.graph.bipartite.Participations.from_dataset`: a repeated
    acronym or name, a participation naming an unknown one, or one pair stated twice.
    """
    project = _positions(participations["project"], acronyms)
    organisation = _positions(participations["organisation"], names)
    if project is None or organisation is None:
        return None
    pairs = np.sort(project * max(len(names), 1) + organisation)
    if (pairs[1:] == pairs[:-1]).any():
        return None
    return project, organisation


def _positions(column: list[Any] | CodedText, keys: list[str]) -> npt.NDArray[np.int64] | None:
    """Where each row's text stands in ``keys``; ``None`` when a key repeats or a text
    is not among them."""
    at = {k: i for i, k in enumerate(keys)}
    if not isinstance(column, CodedText) or len(at) != len(keys):
        return None
    lookup = np.array([at.get(t, -1) for t in column.texts], dtype=np.int64)
    found: npt.NDArray[np.int64] = lookup[column.codes]
    return None if (found < 0).any() else found


@dataclass(frozen=True)
class Involvement:
    """One side of a participation: the other node and the role on the edge."""

    node: str
    name: str
    role: str


def organisation_projects(g: nx.Graph, org: str) -> list[Involvement]:
    """The projects an organisation takes part in, with its role, by acronym."""
    _require(g, org, "organisation")
    nodes = g.nodes
    return sorted(
        (
            Involvement(p, str(nodes[p].get("label", p)), str(edge.get("role", "")))
            for p, edge in g.adj[org].items()
        ),
        key=lambda i: i.name.casefold(),
    )


#: How a project's organisations are ordered by role (any other role comes last).
ROLE_ORDER = {"coordinator": 0, "partner": 1, "participant": 2}


def project_members(g: nx.Graph, project: str) -> list[Involvement]:
    """A project's organisations: coordinator first, then by role and name."""
    _require(g, project, "project")
    members = [
        Involvement(o, _label(g, o), str(g.edges[project, o].get("role", ""))) for o in g[project]
    ]
    return sorted(members, key=lambda i: (ROLE_ORDER.get(i.role, 9), i.name.casefold()))


@dataclass(frozen=True)
class CoPartner:
    """An organisation that shares projects with another."""

    node: str
    name: str
    projects: tuple[str, ...]


def co_partners(g: nx.Graph, org: str) -> list[CoPartner]:
    """Organisations sharing a project with ``org``, most shared projects first.

    Ties go to the name (case ignored), then to the partner met first, project by
    project in the order the graph lists them; each partner's projects are sorted.
    """
    _require(g, org, "organisation")
    adj, nodes = g.adj, g.nodes
    projects = list(adj[org])
    labels = {p: str(nodes[p].get("label", p)) for p in projects}  # each project's once
    # Partners in the order they are first met (what breaks ties in the last sort) ...
    shared: dict[str, list[str]] = {
        o: [] for o in dict.fromkeys(chain.from_iterable(adj[p] for p in projects))
    }
    shared.pop(org, None)
    # ... each given its projects by visiting these in label order: the lists come sorted.
    for p in sorted(projects, key=labels.__getitem__):
        label = labels[p]
        for other in adj[p]:
            if other != org:
                shared[other].append(label)
    return sorted(
        (CoPartner(o, str(nodes[o].get("label", o)), tuple(ps)) for o, ps in shared.items()),
        key=lambda c: (-len(c.projects), c.name.casefold()),
    )


def shortest_chain(g: nx.Graph, source: str, target: str) -> list[str] | None:
    """The shortest alternating chain organisation–project–…–organisation, or ``None``.

    Ties are broken by node id, so the answer is the same every time.
    """
    import networkx as nx

    _require(g, source, None)
    _require(g, target, None)
    if source == target:
        return [source]
    ordered = nx.Graph()
    ordered.add_nodes_from(sorted(g.nodes))
    ordered.add_edges_from(sorted(tuple(sorted(e)) for e in g.edges))
    try:
        return [str(n) for n in nx.shortest_path(ordered, source, target)]
    except nx.NetworkXNoPath:
        return None


@dataclass
class FundingTotal:
    """Money by one key, never mixing whole-project totals with partners' shares.

    ``project_totals_eur`` sums the total funding of the projects the key is
    involved in, each project once. ``partner_shares_eur`` sums amounts stated as
    one partner's share. ``projects_without_amount`` counts projects with no
    stated amount.
    """

    key: str
    project_totals_eur: float = 0.0
    partner_shares_eur: float = 0.0
    projects_with_total: list[str] = field(default_factory=list)
    projects_with_share: list[str] = field(default_factory=list)
    projects_without_amount: list[str] = field(default_factory=list)


def funding_totals(g: nx.Graph, *, by: str = "programme") -> list[FundingTotal]:
    """Funding grouped ``by`` "programme", "country" or "organisation", largest first.

    By country and organisation, a project counts once for every country or
    organisation taking part in it: these totals say how much funding the
    projects someone works in have, not how much they received, and they do not
    add up to the grand total. A partner's share counts only for that partner
    (and its country).
    """
    from ..graph.bipartite import project_nodes

    if by not in ("programme", "country", "organisation"):
        raise ValueError('by must be "programme", "country" or "organisation"')
    rows: dict[str, FundingTotal] = {}
    for p in project_nodes(g):
        data = g.nodes[p]
        label = _label(g, p)
        amount = data.get("funding_eur")
        scope = data.get("funding_scope")
        if by == "programme":
            keys = {str(data.get("programme") or "unknown")}
            share_keys = keys
        else:
            members = list(g[p])
            if by == "country":
                keys = {str(g.nodes[o].get("country") or "unknown") for o in members}
            else:
                keys = {_label(g, o) for o in members}
            share_of = str(data.get("funding_share_of", ""))
            owner = [o for o in members if _label(g, o) == share_of]
            if by == "country":
                share_keys = {str(g.nodes[o].get("country") or "unknown") for o in owner}
            else:
                share_keys = {_label(g, o) for o in owner}
        for key in sorted(keys | share_keys):
            row = rows.setdefault(key, FundingTotal(key))
            if amount is None:
                if key in keys:
                    row.projects_without_amount.append(label)
            elif scope == "partner_share":
                if key in share_keys:
                    row.partner_shares_eur += float(amount)
                    row.projects_with_share.append(label)
            elif key in keys:
                row.project_totals_eur += float(amount)
                row.projects_with_total.append(label)
    for row in rows.values():
        row.project_totals_eur = round(row.project_totals_eur, 2)
        row.partner_shares_eur = round(row.partner_shares_eur, 2)
    return sorted(
        rows.values(),
        key=lambda r: (-r.project_totals_eur, -r.partner_shares_eur, r.key.casefold()),
    )


@functools.cache
def _sides() -> dict[str, int]:
    """Each side's ``bipartite`` attribute, by name (imported once, on first use)."""
    from ..graph.bipartite import ORGANISATION, PROJECT

    return {"project": PROJECT, "organisation": ORGANISATION}


def _require(g: nx.Graph, node: str, side: str | None) -> None:
    """``node`` is in ``g`` (``KeyError``) and, when ``side`` names one, on that side."""
    if node not in g:
        raise KeyError(f"{node!r} is not in the graph")
    if side is not None and g.nodes[node].get("bipartite") != _sides()[side]:
        wanted = "a project" if side == "project" else "an organisation"
        raise ValueError(f"{node!r} is not {wanted}")
