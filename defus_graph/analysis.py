"""Questions asked of the network: plain functions over the bipartite graph.

Every function takes the graph from :func:`defus_graph.graph.graph_from_dataset`
(or a subgraph of it) and node ids (``org:…``, ``project:…``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import networkx as nx
from networkx.algorithms import bipartite

from .graph import (
    ORGANISATION,
    PROJECT,
    organisation_nodes,
    organisation_projection,
    project_nodes,
)

__all__ = [
    "COMMUNITY_SEED",
    "Centrality",
    "CoPartner",
    "FundingTotal",
    "Involvement",
    "SharedPartner",
    "centralities",
    "co_partners",
    "communities",
    "funding_totals",
    "network_stats",
    "organisation_projects",
    "project_members",
    "shared_partners",
    "shortest_chain",
]

#: Seed of community detection, so the same data always gives the same groups.
COMMUNITY_SEED = 42

#: Above this many nodes betweenness is estimated from a sample of sources.
BETWEENNESS_EXACT_LIMIT = 3000

#: Sampled betweenness visits about this many nodes and edges in all (one
#: shortest-path search from each sampled source visits the whole graph), so
#: that its cost stays bounded: 500 sources on a few thousand nodes, about 40
#: on a Horizon 2020-sized network, never fewer than 20.
BETWEENNESS_SAMPLE_BUDGET = 10_000_000


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
    g: nx.Graph, *, min_projects: int = 2, kind: str | None = None
) -> list[SharedPartner]:
    """Organisations in at least ``min_projects`` projects, most projects first.

    ``kind`` keeps only organisations of that kind (e.g. ``"city"``).
    """
    if min_projects < 1:
        raise ValueError("min_projects must be at least 1")
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


@dataclass(frozen=True)
class Involvement:
    """One side of a participation: the other node and the role on the edge."""

    node: str
    name: str
    role: str


def organisation_projects(g: nx.Graph, org: str) -> list[Involvement]:
    """The projects an organisation takes part in, with its role, by acronym."""
    _require(g, org, ORGANISATION)
    return sorted(
        (Involvement(p, _label(g, p), str(g.edges[org, p].get("role", ""))) for p in g[org]),
        key=lambda i: i.name.casefold(),
    )


_ROLE_ORDER = {"coordinator": 0, "partner": 1, "participant": 2}


def project_members(g: nx.Graph, project: str) -> list[Involvement]:
    """A project's organisations: coordinator first, then by role and name."""
    _require(g, project, PROJECT)
    members = [
        Involvement(o, _label(g, o), str(g.edges[project, o].get("role", ""))) for o in g[project]
    ]
    return sorted(members, key=lambda i: (_ROLE_ORDER.get(i.role, 9), i.name.casefold()))


@dataclass(frozen=True)
class CoPartner:
    """An organisation that shares projects with another."""

    node: str
    name: str
    projects: tuple[str, ...]


def co_partners(g: nx.Graph, org: str) -> list[CoPartner]:
    """Organisations sharing a project with ``org``, most shared projects first."""
    _require(g, org, ORGANISATION)
    shared: defaultdict[str, list[str]] = defaultdict(list)
    for project in g[org]:
        for other in g[project]:
            if other != org:
                shared[other].append(_label(g, project))
    return sorted(
        (CoPartner(o, _label(g, o), tuple(sorted(ps))) for o, ps in shared.items()),
        key=lambda c: (-len(c.projects), c.name.casefold()),
    )


@dataclass(frozen=True)
class Centrality:
    """A node's centralities; ``estimated`` when betweenness came from a sample."""

    degree: float
    betweenness: float
    eigenvector: float
    estimated: bool = False


def centralities(g: nx.Graph, *, seed: int = COMMUNITY_SEED) -> dict[str, Centrality]:
    """Degree, betweenness and eigenvector centrality of every node.

    Degree and betweenness use networkx's bipartite normalisations, which compare
    a node with the largest value possible on its own side. Above
    :data:`BETWEENNESS_EXACT_LIMIT` nodes betweenness is estimated from a seeded
    sample of sources (fewer on larger graphs, see
    :data:`BETWEENNESS_SAMPLE_BUDGET`), scaled so that the largest is 1, and
    every result says ``estimated=True``. Eigenvector
    centrality, which does not converge on a bipartite graph, is computed on the
    weighted organisation projection (projects get 0), and per connected
    component scaled by its share of the nodes, so small islands stay small.
    """
    if g.number_of_nodes() == 0:
        return {}
    projects = project_nodes(g)
    degree = bipartite.degree_centrality(g, projects) if projects else dict.fromkeys(g, 0.0)
    estimated = g.number_of_nodes() > BETWEENNESS_EXACT_LIMIT
    if estimated:
        size = g.number_of_nodes() + g.number_of_edges()
        k = min(g.number_of_nodes(), max(20, min(500, BETWEENNESS_SAMPLE_BUDGET // size)))
        raw = nx.betweenness_centrality(g, k=k, seed=seed)
        top = max(raw.values()) or 1.0
        betweenness = {n: v / top for n, v in raw.items()}
    elif 2 <= len(projects) <= g.number_of_nodes() - 2:
        # The bipartite normalisation divides by zero when a side has one node.
        betweenness = bipartite.betweenness_centrality(g, projects)
    else:
        betweenness = nx.betweenness_centrality(g)
    eigen = _eigenvector_by_component(organisation_projection(g, with_names=False))
    return {
        n: Centrality(
            degree=round(float(degree.get(n, 0.0)), 6),
            betweenness=round(float(betweenness.get(n, 0.0)), 6),
            eigenvector=round(eigen.get(n, 0.0), 6),
            estimated=estimated,
        )
        for n in g.nodes
    }


def _eigenvector_by_component(proj: nx.Graph) -> dict[str, float]:
    total = proj.number_of_nodes()
    result: dict[str, float] = {}
    for comp in nx.connected_components(proj):
        if len(comp) < 2:
            result.update(dict.fromkeys(comp, 0.0))
            continue
        sub = proj.subgraph(comp)
        # ARPACK needs three nodes; in a connected pair both ends are equal.
        values = (
            dict.fromkeys(comp, 1.0)
            if len(comp) == 2
            else nx.eigenvector_centrality_numpy(sub, weight="weight")
        )
        top = max(abs(v) for v in values.values()) or 1.0
        share = len(comp) / total
        result.update({n: abs(v) / top * share for n, v in values.items()})
    return result


def communities(g: nx.Graph, *, seed: int = COMMUNITY_SEED) -> dict[str, int]:
    """Louvain communities of the bipartite graph, numbered from 0 by size.

    The same graph and seed always give the same numbering.
    """
    if g.number_of_nodes() == 0:
        return {}
    groups = nx.community.louvain_communities(g, seed=seed)
    ordered = sorted(groups, key=lambda c: (-len(c), min(c)))
    return {n: i for i, group in enumerate(ordered) for n in group}


def shortest_chain(g: nx.Graph, source: str, target: str) -> list[str] | None:
    """The shortest alternating chain organisation–project–…–organisation, or ``None``.

    Ties are broken by node id, so the answer is the same every time.
    """
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


def network_stats(g: nx.Graph, *, top: int = 5) -> dict[str, object]:
    """Counts, components, density and the most central organisations."""
    projects = project_nodes(g)
    orgs = organisation_nodes(g)
    components = list(nx.connected_components(g)) if g.number_of_nodes() else []
    density = bipartite.density(g, projects) if projects and orgs else 0.0
    central = centralities(g)
    ranked = sorted(orgs, key=lambda n: (-central[n].betweenness, -central[n].degree, n))
    return {
        "projects": len(projects),
        "organisations": len(orgs),
        "participations": g.number_of_edges(),
        "components": len(components),
        "largest_component": max((len(c) for c in components), default=0),
        "density": round(float(density), 4),
        "most_central": [
            {
                "name": _label(g, n),
                "projects": g.degree(n),
                "degree": central[n].degree,
                "betweenness": central[n].betweenness,
                "eigenvector": central[n].eigenvector,
            }
            for n in ranked[:top]
        ],
        "betweenness_estimated": any(c.estimated for c in central.values()),
    }


def _require(g: nx.Graph, node: str, side: int | None) -> None:
    if node not in g:
        raise KeyError(f"{node!r} is not in the graph")
    if side is not None and g.nodes[node].get("bipartite") != side:
        wanted = "a project" if side == PROJECT else "an organisation"
        raise ValueError(f"{node!r} is not {wanted}")
