"""From a Dataset to a bipartite networkx graph, and its weighted projections.

Node ids carry their side: ``project:BRIDGE`` and ``org:Düsseldorf`` can never
collide. Attributes whose value is unknown are left out, never set to ``None``.

Node attributes
    ``bipartite`` 0 for projects, 1 for organisations; ``kind`` "project" or the
    organisation's kind ("city", ..., "unknown"); ``label``; projects add
    ``title``, ``description``, ``start``, ``end``, ``programme``,
    ``funding_eur``, ``funding_scope``, ``funding_share_of``, ``section``;
    organisations add ``country``; both carry ``source`` and ``line``.
Edge attributes (bipartite)
    ``role`` and the participation's ``source`` and ``line``.
Edge attributes (projections)
    ``weight`` and the sorted names of what is shared: ``projects`` (acronyms)
    on the organisation projection, ``organisations`` on the project one.
"""

from __future__ import annotations

from collections import defaultdict
from itertools import combinations
from typing import Any

import networkx as nx

from .model import Dataset

__all__ = [
    "ORGANISATION",
    "PROJECT",
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
            **_present(country=o.country, source=o.source, line=o.line or None),
        )
    for a in ds.participations:
        g.add_edge(
            project_id(a.project),
            org_id(a.organisation),
            **_present(role=a.role, source=a.source, line=a.line or None),
        )
    return g


def project_nodes(g: nx.Graph) -> list[str]:
    """Project node ids, sorted."""
    return sorted(n for n, side in g.nodes(data="bipartite") if side == PROJECT)


def organisation_nodes(g: nx.Graph) -> list[str]:
    """Organisation node ids, sorted."""
    return sorted(n for n, side in g.nodes(data="bipartite") if side == ORGANISATION)


def _projection(g: nx.Graph, keep: int, shared_attr: str) -> nx.Graph:
    """Weighted projection onto one side; edges list what the pair shares."""
    proj = nx.Graph()
    proj.add_nodes_from((n, d) for n, d in g.nodes(data=True) if d.get("bipartite") == keep)
    shared: defaultdict[tuple[str, str], list[str]] = defaultdict(list)
    for middle, side in g.nodes(data="bipartite"):
        if side == keep:
            continue
        ends = sorted(g[middle])
        for u, v in combinations(ends, 2):
            shared[(u, v)].append(g.nodes[middle].get("label", node_label(middle)))
    for (u, v), names in shared.items():
        proj.add_edge(u, v, weight=len(names), **{shared_attr: sorted(names)})
    return proj


def organisation_projection(g: nx.Graph) -> nx.Graph:
    """Organisations linked when they share projects; ``weight`` = shared projects."""
    return _projection(g, ORGANISATION, "projects")


def project_projection(g: nx.Graph) -> nx.Graph:
    """Projects linked when they share organisations; ``weight`` = shared organisations."""
    return _projection(g, PROJECT, "organisations")
