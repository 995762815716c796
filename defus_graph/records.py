"""JSON-ready descriptions of projects and organisations.

One place shapes what the command line prints with ``--json`` and what the
dashboard's tables show, so the two never disagree.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import networkx as nx

from .analysis import co_partners, organisation_projects, project_members
from .errors import NotFoundError
from .graph import org_id, project_id
from .model import Dataset, Organisation
from .resolve import Resolver
from .resolve_text import name_keys

__all__ = [
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
    resolver = Resolver(ds.organisations, ds.aliases)
    found = resolver.resolve(name)
    if found is None:
        raise NotFoundError("organisation", name, resolver.suggest(name))
    return found


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


def project_records(ds: Dataset, g: nx.Graph) -> list[dict[str, Any]]:
    """Every project with its coordinator and organisations, in source order."""
    records = []
    for p in ds.projects:
        members = project_members(g, project_id(p.acronym))
        coordinators = [m.name for m in members if m.role == "coordinator"]
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
                "organisations": [m.name for m in members],
                "roles": {m.name: m.role for m in members},
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


def organisation_detail(ds: Dataset, g: nx.Graph, name: str) -> dict[str, Any]:
    """One organisation (found by any name) with its projects and co-partners."""
    canonical = find_organisation(ds, name)
    # Only this organisation's record: building all of them took seconds at CORDIS scale.
    record = _organisation_record(ds.organisation(canonical), g, _aliases_by_org(ds))
    record["co_partners"] = [
        {"name": c.name, "shared_projects": len(c.projects), "projects": list(c.projects)}
        for c in co_partners(g, org_id(canonical))
    ]
    return record
