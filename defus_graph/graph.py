"""From a Dataset to a bipartite networkx graph, and its weighted projections.

Node ids carry their side: ``project:BRIDGE`` and ``org:Düsseldorf`` can never
collide. Attributes whose value is unknown are left out, never set to ``None``.

Node attributes
    ``bipartite`` 0 for projects, 1 for organisations; ``kind`` "project" or the
    organisation's kind ("city", ..., "unknown"); ``label``; projects add
    ``title``, ``description``, ``start``, ``end``, ``programme``,
    ``funding_eur``, ``funding_scope``, ``funding_share_of``, ``section``;
    ``external_id``; organisations add ``country``, ``city``, ``pic``,
    ``latitude``, ``longitude``; both carry ``source`` and ``line``.
Edge attributes (bipartite)
    ``role``, ``contribution_eur`` where known, and the participation's
    ``source`` and ``line``.
Edge attributes (projections)
    ``weight`` and the sorted names of what is shared: ``projects`` (acronyms)
    on the organisation projection, ``organisations`` on the project one; and
    ``start``/``end``, the :func:`date_span` of the projects involved (the
    shared projects, or the two linked projects).
Node attributes (projections)
    Those of the bipartite graph, plus the number of the other side's nodes
    each is linked to there: ``n_projects`` on organisations, with their
    :func:`date_span` as ``start``/``end``; ``n_organisations`` on projects.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from itertools import combinations
from typing import Any

import networkx as nx

from .model import Dataset, date_bounds

__all__ = [
    "ORGANISATION",
    "PROJECT",
    "date_span",
    "graph_from_dataset",
    "is_project",
    "node_label",
    "org_id",
    "organisation_nodes",
    "organisation_projection",
    "project_id",
    "project_nodes",
    "project_projection",
]

PROJECT = 0
ORGANISATION = 1


def project_id(acronym: str) -> str:
    """The node id of a project."""
    return f"project:{acronym}"


def org_id(name: str) -> str:
    """The node id of an organisation."""
    return f"org:{name}"


def is_project(node: str) -> bool:
    """Whether a node id names a project."""
    return node.startswith("project:")


def node_label(node: str) -> str:
    """The name or acronym behind a node id."""
    return node.split(":", 1)[1]


def _present(**attrs: Any) -> dict[str, Any]:
    return {k: v for k, v in attrs.items() if v is not None and v != ""}


def graph_from_dataset(ds: Dataset) -> nx.Graph:
    """The bipartite project–organisation graph of a dataset.

    Examples
    --------
    >>> from defus_graph.model import Dataset, Organisation, Participation, Project
    >>> ds = Dataset(projects=(Project("BRIDGE"),), organisations=(Organisation("Genk", "city"),),
    ...              participations=(Participation("BRIDGE", "Genk", "partner"),))
    >>> g = graph_from_dataset(ds)
    >>> sorted(g.nodes), g.edges["project:BRIDGE", "org:Genk"]["role"]
    (['org:Genk', 'project:BRIDGE'], 'partner')
    """
    g = nx.Graph()
    for p in ds.projects:
        g.add_node(
            project_id(p.acronym),
            bipartite=PROJECT,
            kind="project",
            label=p.acronym,
            **_present(
                title=p.title,
                description=p.description,
                start=p.start,
                end=p.end,
                programme=p.programme,
                funding_eur=p.funding_eur,
                funding_scope=p.funding_scope,
                funding_share_of=p.funding_share_of,
                section=p.section,
                external_id=p.external_id,
                source=p.source,
                line=p.line or None,
            ),
        )
    for o in ds.organisations:
        g.add_node(
            org_id(o.name),
            bipartite=ORGANISATION,
            kind=o.kind or "unknown",
            label=o.name,
            **_present(
                country=o.country,
                city=o.city,
                pic=o.pic,
                latitude=o.latitude,
                longitude=o.longitude,
                source=o.source,
                line=o.line or None,
            ),
        )
    for a in ds.participations:
        g.add_edge(
            project_id(a.project),
            org_id(a.organisation),
            **_present(
                role=a.role,
                contribution_eur=a.contribution_eur,
                source=a.source,
                line=a.line or None,
            ),
        )
    return g


def project_nodes(g: nx.Graph) -> list[str]:
    """Project node ids, sorted."""
    return sorted(n for n, side in g.nodes(data="bipartite") if side == PROJECT)


def organisation_nodes(g: nx.Graph) -> list[str]:
    """Organisation node ids, sorted."""
    return sorted(n for n, side in g.nodes(data="bipartite") if side == ORGANISATION)


def date_span(projects: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    """The stated ``start`` and ``end`` that bound some projects' attribute mappings.

    ``start`` is the earliest stated start, ``end`` the latest stated end, both
    kept as stated (partial dates stay partial). A bound is left out when any
    of the projects lacks it, since the true bound is then unknown; no projects
    give no bounds.

    Examples
    --------
    >>> date_span([{"start": "2018", "end": "2019-06"}, {"start": "2017-10", "end": "2019"}])
    {'start': '2017-10', 'end': '2019'}
    >>> date_span([{"start": "2018", "end": "2019"}, {"start": "2017"}])
    {'start': '2017'}
    """
    items = list(projects)
    span: dict[str, str] = {}
    if not items:
        return span
    starts = [str(d.get("start") or "") for d in items]
    if all(starts):
        span["start"] = min(starts, key=lambda s: (date_bounds(s)[0], s))
    ends = [str(d.get("end") or "") for d in items]
    if all(ends):
        span["end"] = max(ends, key=lambda s: (date_bounds(s)[1], s))
    return span


def _projection(g: nx.Graph, keep: int, shared_attr: str) -> nx.Graph:
    """Weighted projection onto one side; edges list what the pair shares."""
    proj = nx.Graph()
    proj.add_nodes_from((n, d) for n, d in g.nodes(data=True) if d.get("bipartite") == keep)
    for n in proj:
        if keep == ORGANISATION:
            proj.nodes[n]["n_projects"] = len(g[n])
            proj.nodes[n].update(date_span(g.nodes[p] for p in g[n]))
        else:
            proj.nodes[n]["n_organisations"] = len(g[n])
    shared: defaultdict[tuple[str, str], list[str]] = defaultdict(list)
    for middle, side in g.nodes(data="bipartite"):
        if side == keep:
            continue
        ends = sorted(g[middle])
        for u, v in combinations(ends, 2):
            shared[(u, v)].append(middle)
    for (u, v), middles in shared.items():
        names = sorted(str(g.nodes[m].get("label", node_label(m))) for m in middles)
        dated = middles if keep == ORGANISATION else [u, v]
        proj.add_edge(
            u,
            v,
            weight=len(names),
            **{shared_attr: names},
            **date_span(g.nodes[p] for p in dated),
        )
    return proj


def organisation_projection(g: nx.Graph) -> nx.Graph:
    """Organisations linked when they share projects; ``weight`` = shared projects."""
    return _projection(g, ORGANISATION, "projects")


def project_projection(g: nx.Graph) -> nx.Graph:
    """Projects linked when they share organisations; ``weight`` = shared organisations."""
    return _projection(g, PROJECT, "organisations")
