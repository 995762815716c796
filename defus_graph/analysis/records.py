"""JSON-ready descriptions of projects and organisations.

One place shapes what the command line prints with ``--json`` and what the
dashboard's tables show, so the two never disagree.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from itertools import chain
from typing import Any

import networkx as nx
import numpy as np

from ..errors import NotFoundError
from ..graph.bipartite import Participations, org_id, project_id
from ..model import Dataset, Organisation
from ..names.normal import name_keys
from ..names.resolve import Resolver
from .queries import ROLE_ORDER, co_partners, organisation_projects, project_members

__all__ = [
    "dates_text",
    "find_organisation",
    "find_project",
    "organisation_detail",
    "organisation_records",
    "project_records",
]


def find_organisation(ds: Dataset, name: str) -> str:
    """The canonical name ``name`` stands for, by any alias, ignoring case and accents.

    Raises :class:`NotFoundError` carrying the closest names.
    """
    found = _resolve(ds, name)
    if found is None:
        resolver = Resolver(ds.organisations, ds.aliases)
        raise NotFoundError("organisation", name, resolver.suggest(name))
    return found


def _resolve(ds: Dataset, name: str) -> str | None:
    """``Resolver(ds.organisations, ds.aliases).resolve(name)`` without building the resolver.

    Only the keys of ``name`` are looked for, so most names need no Unicode
    normalisation (see :func:`_keys`); the first name or alias holding a key
    owns it, as in the resolver.
    """
    wanted = sorted(name_keys(name))
    looked_for = set(wanted)
    owners: dict[str, str] = {}
    named: Iterable[tuple[str, str]] = chain(
        ((o.name, o.name) for o in ds.organisations),
        ((a.alias, a.organisation) for a in ds.aliases),
    )
    for text, canonical in named:
        for key in _keys(text):
            if key in looked_for:
                owners.setdefault(key, canonical)
        if wanted[0] in owners:  # the first key wins: nothing later can change the answer
            break
    return next((owners[key] for key in wanted if key in owners), None)


def _keys(text: str) -> Iterable[str]:
    """:func:`name_keys` of ``text``; for plain ASCII (no backquote, which counts as an
    apostrophe) that is its words joined by one space in lower case, found without
    Unicode normalisation."""
    if text.isascii() and "`" not in text:
        return (" ".join(text.split()).lower(),)
    return name_keys(text)


def find_project(ds: Dataset, acronym: str) -> str:
    """The acronym of the project ``acronym`` names, ignoring case and accents."""
    keys = name_keys(acronym)
    for p in ds.projects:
        if name_keys(p.acronym) & keys:
            return p.acronym
    resolver = Resolver((), ())
    for p in ds.projects:
        resolver.add(p.acronym, p.acronym)
    raise NotFoundError("project", acronym, resolver.suggest(acronym))


def _members_by_project(arrays: Participations) -> list[list[tuple[str, str]]]:
    """Each project's (name, role) pairs ordered as :func:`project_members` orders them.

    One sort of all edges: by project, role, name ignoring case, then edge order
    (the order networkx lists a project's neighbours, which breaks ties there).
    """
    names = [o.name for o in arrays.organisations]
    folded = [n.casefold() for n in names]
    rank_of = {f: i for i, f in enumerate(sorted(set(folded)))}
    name_rank = np.array([rank_of[f] for f in folded], dtype=np.int64)
    role_rank = np.array([ROLE_ORDER.get(r, 9) for r in arrays.roles], dtype=np.int64)
    order = np.lexsort(
        (
            np.arange(len(arrays.project)),
            name_rank[arrays.organisation],
            role_rank,
            arrays.project,
        )
    )
    roles = arrays.roles
    pairs = [
        (names[o], roles[e])
        for o, e in zip(arrays.organisation[order].tolist(), order.tolist(), strict=True)
    ]
    bounds = np.searchsorted(arrays.project[order], np.arange(len(arrays.projects) + 1)).tolist()
    return [pairs[bounds[i] : bounds[i + 1]] for i in range(len(arrays.projects))]


def project_records(
    ds: Dataset, g: nx.Graph | Participations | None = None
) -> list[dict[str, Any]]:
    """Every project with its coordinator and organisations, in source order.

    ``g`` is the dataset's graph or its arrays (built from ``ds`` when left out).
    """
    arrays = Participations.from_dataset(ds) if g is None else g
    if arrays is None:
        from ..graph.bipartite import graph_from_dataset

        arrays = graph_from_dataset(ds)
    if isinstance(arrays, Participations):
        by_project = _members_by_project(arrays)
    else:
        graph = arrays
        by_project = [
            [(m.name, m.role) for m in project_members(graph, project_id(p.acronym))]
            for p in ds.projects
        ]
    records = []
    for p, pairs in zip(ds.projects, by_project, strict=True):
        coordinators = [name for name, role in pairs if role == "coordinator"]
        records.append(
            {
                "acronym": p.acronym,
                "title": p.title,
                "description": p.description or None,
                "start": p.start or None,
                "end": p.end or None,
                "programme": p.programme or None,
                "funding_eur": p.funding_eur,
                "funding_scope": p.funding_scope or None,
                "funding_share_of": p.funding_share_of or None,
                "coordinator": coordinators[0] if coordinators else None,
                "organisations": [name for name, _ in pairs],
                "roles": dict(pairs),
                "section": p.section or None,
                "source": p.source,
                "line": p.line or None,
            }
        )
    return records


def _aliases_by_org(ds: Dataset) -> dict[str, list[str]]:
    by_org: defaultdict[str, list[str]] = defaultdict(list)
    for a in ds.aliases:
        by_org[a.organisation].append(a.alias)
    return by_org


def organisation_records(ds: Dataset, g: nx.Graph) -> list[dict[str, Any]]:
    """Every organisation with its kind, country, aliases and projects, by name."""
    aliases = _aliases_by_org(ds)
    return [
        _organisation_record(o, g, aliases)
        for o in sorted(ds.organisations, key=lambda o: o.name.casefold())
    ]


def _organisation_record(
    o: Organisation, g: nx.Graph, aliases: dict[str, list[str]]
) -> dict[str, Any]:
    involvement = organisation_projects(g, org_id(o.name))
    return {
        "name": o.name,
        "kind": o.kind or None,
        "country": o.country or None,
        "projects": [i.name for i in involvement],
        "roles": {i.name: i.role for i in involvement},
        "aliases": aliases.get(o.name, []),
        "source": o.source or None,
        "line": o.line or None,
    }


def organisation_detail(
    ds: Dataset, g: nx.Graph | Participations | None, name: str
) -> dict[str, Any]:
    """One organisation (found by any name) with its projects and co-partners.

    ``g`` is the dataset's graph or its arrays (built from ``ds`` when ``None``).
    """
    canonical = find_organisation(ds, name)
    arrays = Participations.from_dataset(ds) if g is None else g
    if arrays is None:
        from ..graph.bipartite import graph_from_dataset

        arrays = graph_from_dataset(ds)
    if isinstance(arrays, Participations):
        return _organisation_detail_of(ds, arrays, canonical)
    # Only this organisation's record: building all of them took seconds at CORDIS scale.
    record = _organisation_record(ds.organisation(canonical), g, _aliases_by_org(ds))
    record["co_partners"] = [
        {"name": c.name, "shared_projects": len(c.projects), "projects": list(c.projects)}
        for c in co_partners(g, org_id(canonical))
    ]
    return record


def _organisation_detail_of(ds: Dataset, arrays: Participations, canonical: str) -> dict[str, Any]:
    """:func:`organisation_detail` from the arrays: only this organisation's edges are read."""
    names = [o.name for o in arrays.organisations]
    acronyms = [p.acronym for p in arrays.projects]
    index = names.index(canonical)
    mine = np.flatnonzero(arrays.organisation == index).tolist()  # in edge order
    project_edges, ptr = arrays.edges_of_projects()
    bounds = ptr.tolist()
    involvement = sorted(
        (
            (acronyms[p], arrays.roles[e])
            for e, p in zip(mine, arrays.project[mine].tolist(), strict=True)
        ),
        key=lambda i: i[0].casefold(),
    )
    # Co-partners met project by project in edge order, as the graph lists neighbours.
    shared: defaultdict[int, list[str]] = defaultdict(list)
    for p in arrays.project[mine].tolist():
        members = arrays.organisation[project_edges[bounds[p] : bounds[p + 1]]].tolist()
        for other in members:
            if other != index:
                shared[other].append(acronyms[p])
    partners = sorted(
        ((names[o], tuple(sorted(ps))) for o, ps in shared.items()),
        key=lambda c: (-len(c[1]), c[0].casefold()),
    )
    o = arrays.organisations[index]
    return {
        "name": o.name,
        "kind": o.kind or None,
        "country": o.country or None,
        "projects": [a for a, _ in involvement],
        "roles": dict(involvement),
        "aliases": _aliases_by_org(ds).get(o.name, []),
        "source": o.source or None,
        "line": o.line or None,
        "co_partners": [
            {"name": n, "shared_projects": len(ps), "projects": list(ps)} for n, ps in partners
        ],
    }


def dates_text(start: str, end: str) -> str:
    """A project's period in words, saying which bound the source leaves open.

    Examples
    --------
    >>> dates_text("2017-10", "2019-09"), dates_text("2019", ""), dates_text("", "")
    ('2017-10 – 2019-09', 'from 2019, end not stated', 'dates not stated')
    """
    if start and end:
        return f"{start} – {end}"
    if start:
        return f"from {start}, end not stated"
    if end:
        return f"until {end}, start not stated"
    return "dates not stated"
