"""JSON-ready descriptions of projects and organisations.

One place shapes what the command line prints with ``--json`` and what the
dashboard's tables show, so the two never disagree.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain, pairwise, repeat
from json.encoder import encode_basestring
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from ..errors import NotFoundError
from ..model import Dataset, Organisation
from ..names.normal import name_keys
from ..names.resolve import Resolver
from ..store.snapshot import CodedText, as_lists, kept_columns
from .queries import ROLE_ORDER, co_partners, linked, organisation_projects, project_members

# The graph (networkx, scipy) is imported where it is used: the listing of
# projects is written from the snapshot's columns without it.
if TYPE_CHECKING:
    import networkx as nx

    from ..graph.bipartite import Participations

__all__ = [
    "ProjectTable",
    "dates_text",
    "find_organisation",
    "find_project",
    "kept_organisation_detail",
    "named_node",
    "organisation_detail",
    "organisation_records",
    "project_records",
    "project_table",
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
    named: Iterable[tuple[str, str]] = chain(
        ((o.name, o.name) for o in ds.organisations),
        ((a.alias, a.organisation) for a in ds.aliases),
    )
    return _resolve_in(named, name)


def _resolve_in(named: Iterable[tuple[str, str]], name: str) -> str | None:
    """:func:`_resolve` among ``named``: each name or alias and its canonical name, in the
    order the resolver takes them (the organisations, then the aliases)."""
    wanted = sorted(name_keys(name))
    looked_for = set(wanted)
    owners: dict[str, str] = {}
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
    found = _acronym_in([p.acronym for p in ds.projects], acronym)
    if found is not None:
        return found
    resolver = Resolver((), ())
    for p in ds.projects:
        resolver.add(p.acronym, p.acronym)
    raise NotFoundError("project", acronym, resolver.suggest(acronym))


def _acronym_in(acronyms: Iterable[str], acronym: str) -> str | None:
    """The first of ``acronyms`` that ``acronym`` names, ignoring case and accents."""
    keys = name_keys(acronym)
    return next((a for a in acronyms if name_keys(a) & keys), None)


def named_node(
    names: list[str], aliases: tuple[list[str], list[str]], acronyms: list[str], name: str
) -> str | None:
    """The node ``name`` stands for, as :func:`find_organisation` and then
    :func:`find_project` find it: an organisation by any of its ``names`` or
    ``aliases`` (each alias and its organisation), else a project by its acronym;
    ``None`` when it names neither."""
    from ..graph.bipartite import org_id, project_id

    named = chain(zip(names, names, strict=True), zip(*aliases, strict=True))
    canonical = _resolve_in(named, name)
    if canonical is not None:
        return org_id(canonical)
    found = _acronym_in(acronyms, name)
    return None if found is None else project_id(found)


def _member_order(
    project: npt.NDArray[np.int64],
    organisation: npt.NDArray[np.int64],
    role_rank: npt.NDArray[np.int64],
    names: Sequence[str],
) -> npt.NDArray[np.int64]:
    """The edges in the order :func:`project_members` lists each project's organisations.

    One sort of all edges: by project, role, name ignoring case, then edge order
    (the order networkx lists a project's neighbours, which breaks ties there).
    """
    folded = [n.casefold() for n in names]
    rank_of = {f: i for i, f in enumerate(sorted(set(folded)))}
    name_rank = np.array([rank_of[f] for f in folded], dtype=np.int64)
    order: npt.NDArray[np.int64] = np.lexsort(
        (np.arange(len(project)), name_rank[organisation], role_rank, project)
    )
    return order


def _members_by_project(arrays: Participations) -> list[list[tuple[str, str]]]:
    """Each project's (name, role) pairs ordered as :func:`project_members` orders them."""
    names = [o.name for o in arrays.organisations]
    role_rank = np.array([ROLE_ORDER.get(r, 9) for r in arrays.roles], dtype=np.int64)
    order = _member_order(arrays.project, arrays.organisation, role_rank, names)
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
    from ..graph.bipartite import Participations, graph_from_dataset, project_id

    arrays = Participations.from_dataset(ds) if g is None else g
    if arrays is None:
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


# The listing of projects column by column (ProjectTable): what project_records
# says, written as JSON without a dict per project, from the snapshot's columns.

#: The fields of a project that its record shows, and those whose empty value shows as null.
_PROJECT_FIELDS = (
    "acronym",
    "title",
    "description",
    "start",
    "end",
    "programme",
    "funding_eur",
    "funding_scope",
    "funding_share_of",
    "section",
    "source",
    "line",
)
_EMPTY_IS_NULL = frozenset(_PROJECT_FIELDS) - {"acronym", "title", "funding_eur", "source"}

#: A project's record's keys in :func:`project_records`' order, and the text before
#: each value as :func:`indented_json` writes the record inside the listing.
_RECORD_KEYS = (
    *_PROJECT_FIELDS[:9],
    "coordinator",
    "organisations",
    "roles",
    *_PROJECT_FIELDS[9:],
)
_BEFORE = [
    ("  {\n" if i == 0 else ",\n") + f"    {encode_basestring(k)}: "
    for i, k in enumerate(_RECORD_KEYS)
]

#: The snapshot's columns a listing reads, by table.
_LISTING_COLUMNS = {
    "projects": _PROJECT_FIELDS,
    "organisations": ("name",),
    "participations": ("project", "organisation", "role"),
}


@dataclass(frozen=True)
class ProjectTable:
    """What :func:`project_records` says, column by column.

    ``fields`` holds each project's fields (those its record shows) in source
    order; participation ``e`` links project ``project[e]`` and organisation
    ``names[organisation[e]]`` with role ``roles[role[e]]``, in the order of the
    participations. Built by :func:`project_table` (from the snapshot, without
    the records) or :meth:`from_dataset`.
    """

    fields: Mapping[str, list[Any]]
    names: list[str]
    project: npt.NDArray[np.int64]
    organisation: npt.NDArray[np.int64]
    role: npt.NDArray[np.int64]
    roles: list[str]

    @classmethod
    def from_dataset(cls, ds: Dataset) -> ProjectTable | None:
        """The table of ``ds``; ``None`` for a dataset the graph would have to repair
        (see :meth:`~defus_graph.graph.bipartite.Participations.from_dataset`)."""
        from ..graph.bipartite import Participations

        arrays = Participations.from_dataset(ds)
        if arrays is None:
            return None
        roles = list(dict.fromkeys(arrays.roles))
        index = {r: i for i, r in enumerate(roles)}
        return cls(
            {f: [getattr(p, f) for p in ds.projects] for f in _PROJECT_FIELDS},
            [o.name for o in ds.organisations],
            arrays.project,
            arrays.organisation,
            np.fromiter((index[r] for r in arrays.roles), np.int64, len(arrays.roles)),
            roles,
        )

    @classmethod
    def from_columns(
        cls, columns: Mapping[str, Mapping[str, list[Any] | CodedText]]
    ) -> ProjectTable | None:
        """The table of the snapshot's :data:`_LISTING_COLUMNS`; ``None`` where
        :meth:`from_dataset` gives ``None`` for the same tables."""
        fields = as_lists(columns["projects"], _PROJECT_FIELDS)
        names = as_lists(columns["organisations"], ("name",))
        role = columns["participations"]["role"]
        if fields is None or names is None or not isinstance(role, CodedText):
            return None
        links = linked(fields[0], names[0], columns["participations"])
        if links is None:
            return None
        return cls(
            dict(zip(_PROJECT_FIELDS, fields, strict=True)),
            names[0],
            *links,
            role.codes,
            role.texts,
        )

    def _member_order(self) -> tuple[npt.NDArray[np.int64], list[int]]:
        """The edges in :func:`project_members`' order and where each project's begin."""
        rank = np.array([ROLE_ORDER.get(r, 9) for r in self.roles], dtype=np.int64)
        order = _member_order(self.project, self.organisation, rank[self.role], self.names)
        count = len(self.fields["acronym"])
        return order, np.searchsorted(self.project[order], np.arange(count + 1)).tolist()

    def _coordinators(self, order: npt.NDArray[np.int64], bounds: list[int]) -> list[int | None]:
        """Each project's coordinator (an organisation's number), or ``None``.

        A coordinator is listed before any other role, so a project's is its first member's.
        """
        is_coordinator = np.array([r == "coordinator" for r in self.roles], dtype=bool)
        first = self.organisation[order].tolist()
        leads = is_coordinator[self.role[order]].tolist()
        return [first[a] if b > a and leads[a] else None for a, b in pairwise(bounds)]

    def coordinators(self) -> list[str | None]:
        """Each project's ``coordinator``, as its record says."""
        found = self._coordinators(*self._member_order())
        return [None if o is None else self.names[o] for o in found]

    def member_counts(self) -> list[int]:
        """How many organisations each project has."""
        counts: list[int] = np.bincount(
            self.project, minlength=len(self.fields["acronym"])
        ).tolist()
        return counts

    def json_text(self) -> str:
        """``indented_json(project_records(ds))`` of the same dataset, to the byte.

        Every value is encoded by the C encoder, a column at a time; the records
        are put together from those texts, never built as dicts.
        """
        if not self.fields["acronym"]:
            return "[]"
        order, bounds = self._member_order()
        names = _json_values(self.names)
        members = np.array(names, dtype=object)[self.organisation[order]]
        roles = np.array(_json_values(self.roles), dtype=object)[self.role[order]]
        entries = (members + ": " + roles).tolist()
        columns = {
            f: _json_values([v or None for v in values] if f in _EMPTY_IS_NULL else values)
            for f, values in self.fields.items()
        }
        columns["coordinator"] = [
            "null" if o is None else names[o] for o in self._coordinators(order, bounds)
        ]
        columns["organisations"] = _blocks(members.tolist(), bounds, "[]")
        columns["roles"] = _blocks(entries, bounds, "{}")
        # One join of every piece in order: each byte is copied once.
        count = len(self.fields["acronym"])
        pieces = [
            p
            for k, before in zip(_RECORD_KEYS, _BEFORE, strict=True)
            for p in (repeat(before, count), columns[k])
        ]
        ends = ["\n  },\n"] * (count - 1) + ["\n  }\n]"]
        return "".join(chain(("[\n",), chain.from_iterable(zip(*pieces, ends, strict=True))))


def _json_values(values: Sequence[Any]) -> list[str]:
    """Each value's text as :func:`json.dumps` writes it, from one call of its C encoder.

    The items are joined by a line break, which no value's text holds (JSON
    escapes every control character), and split there.
    """
    if not values:
        return []
    text = json.dumps(list(values), ensure_ascii=False, separators=("\n", ": "))
    return text[1:-1].split("\n")


def _blocks(items: list[str], bounds: list[int], brackets: str) -> list[str]:
    """Each project's ``items[a:b]`` as an indented JSON list or object (``brackets``)."""
    opening, closing = brackets[0], brackets[1]
    inner, end = ",\n      ", "\n    " + closing
    return [
        opening + "\n      " + inner.join(items[a:b]) + end if b > a else brackets
        for a, b in pairwise(bounds)
    ]


def project_table(directory: Path, encoding: str = "utf-8") -> ProjectTable | None:
    """The :class:`ProjectTable` of data folder ``directory`` from its snapshot, or
    ``None`` when none is kept for the tables as they are now (then
    :func:`~defus_graph.store.tables.load_dataset` reads, checks and keeps them)."""
    columns = kept_columns(directory, encoding, _LISTING_COLUMNS)
    return None if columns is None else ProjectTable.from_columns(columns)


def _aliases_by_org(ds: Dataset) -> dict[str, list[str]]:
    by_org: defaultdict[str, list[str]] = defaultdict(list)
    for a in ds.aliases:
        by_org[a.organisation].append(a.alias)
    return by_org


def organisation_records(ds: Dataset, g: nx.Graph) -> list[dict[str, Any]]:
    """Every organisation with its kind, country, aliases and projects, by name."""
    from ..graph.bipartite import org_id

    aliases = _aliases_by_org(ds)
    return [
        _organisation_record(o, g, org_id(o.name), aliases)
        for o in sorted(ds.organisations, key=lambda o: o.name.casefold())
    ]


def _organisation_record(
    o: Organisation, g: nx.Graph, node: str, aliases: dict[str, list[str]]
) -> dict[str, Any]:
    involvement = organisation_projects(g, node)
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
    from ..graph.bipartite import Participations, graph_from_dataset, org_id

    canonical = find_organisation(ds, name)
    arrays = Participations.from_dataset(ds) if g is None else g
    if arrays is None:
        arrays = graph_from_dataset(ds)
    if isinstance(arrays, Participations):
        return _organisation_detail_of(ds, arrays, canonical)
    # Only this organisation's record: building all of them took seconds at CORDIS scale.
    record = _organisation_record(
        ds.organisation(canonical), g, org_id(canonical), _aliases_by_org(ds)
    )
    record["co_partners"] = [
        {"name": c.name, "shared_projects": len(c.projects), "projects": list(c.projects)}
        for c in co_partners(g, org_id(canonical))
    ]
    return record


def _organisation_detail_of(ds: Dataset, arrays: Participations, canonical: str) -> dict[str, Any]:
    """:func:`organisation_detail` from the arrays: only this organisation's edges are read."""
    names = [o.name for o in arrays.organisations]
    index = names.index(canonical)
    o = arrays.organisations[index]
    return _detail(
        (o.name, o.kind, o.country, o.source, o.line),
        _Links([p.acronym for p in arrays.projects], names, arrays.project, arrays.organisation),
        (index, arrays.roles, _aliases_by_org(ds).get(o.name, [])),
    )


@dataclass(frozen=True)
class _Links:
    """Participation ``e`` links ``acronyms[project[e]]`` and ``names[organisation[e]]``."""

    acronyms: list[str]
    names: list[str]
    project: npt.NDArray[np.int64]
    organisation: npt.NDArray[np.int64]


def _detail(
    about: tuple[str, str, str, str, int],
    links: _Links,
    mine: tuple[int, Sequence[str], list[str]],
) -> dict[str, Any]:
    """The record of organisation ``names[index]`` with ``about`` it (name, kind, country,
    source, line), given as ``mine``: ``index``, every participation's role and its aliases."""
    index, roles, aliases = mine
    acronyms, names, project, organisation = (
        links.acronyms,
        links.names,
        links.project,
        links.organisation,
    )
    edges = np.flatnonzero(organisation == index).tolist()  # in edge order
    project_edges = np.argsort(project, kind="stable")
    bounds = [0, *np.cumsum(np.bincount(project, minlength=len(acronyms))).tolist()]
    involvement = sorted(
        ((acronyms[p], roles[e]) for e, p in zip(edges, project[edges].tolist(), strict=True)),
        key=lambda i: i[0].casefold(),
    )
    # Co-partners met project by project in edge order, as the graph lists neighbours.
    shared: defaultdict[int, list[str]] = defaultdict(list)
    for p in project[edges].tolist():
        for other in organisation[project_edges[bounds[p] : bounds[p + 1]]].tolist():
            if other != index:
                shared[other].append(acronyms[p])
    partners = sorted(
        ((names[o], tuple(sorted(ps))) for o, ps in shared.items()),
        key=lambda c: (-len(c[1]), c[0].casefold()),
    )
    name, kind, country, source, line = about
    return {
        "name": name,
        "kind": kind or None,
        "country": country or None,
        "projects": [a for a, _ in involvement],
        "roles": dict(involvement),
        "aliases": aliases,
        "source": source or None,
        "line": line or None,
        "co_partners": [
            {"name": n, "shared_projects": len(ps), "projects": list(ps)} for n, ps in partners
        ],
    }


#: The snapshot's columns :func:`kept_organisation_detail` reads, by table.
_DETAIL_COLUMNS = {
    "projects": ("acronym", "title"),
    "organisations": ("name", "kind", "country", "source", "line"),
    "participations": ("project", "organisation", "role"),
    "aliases": ("alias", "organisation"),
}


def kept_organisation_detail(
    directory: Path, encoding: str, name: str
) -> tuple[dict[str, Any], dict[str, str]] | None:
    """:func:`organisation_detail` of data folder ``directory`` and the titles of the
    organisation's projects, from its snapshot's columns, without records or a graph.

    ``None`` when no snapshot is kept for the tables as they are now, they are
    not what a checked folder holds, or no organisation goes by ``name`` (the
    dataset's route then says which names come closest).
    """
    columns = kept_columns(directory, encoding, _DETAIL_COLUMNS)
    if columns is None:
        return None
    projects = as_lists(columns["projects"], _DETAIL_COLUMNS["projects"])
    orgs = as_lists(columns["organisations"], _DETAIL_COLUMNS["organisations"])
    aliases = as_lists(columns["aliases"], _DETAIL_COLUMNS["aliases"])
    role = columns["participations"]["role"]
    if projects is None or orgs is None or aliases is None or not isinstance(role, CodedText):
        return None
    (acronyms, titles), names, (alias, owner) = projects, orgs[0], aliases
    named = chain(zip(names, names, strict=True), zip(alias, owner, strict=True))
    canonical = _resolve_in(named, name)
    links = linked(acronyms, names, columns["participations"])
    if canonical is None or links is None:
        return None
    index = names.index(canonical)
    name_, kind, country, source, line = (column[index] for column in orgs)
    roles = np.array(role.texts, dtype=object)[role.codes].tolist()
    mine = [a for a, o in zip(alias, owner, strict=True) if o == canonical]
    record = _detail(
        (name_, kind, country, source, line),
        _Links(acronyms, names, *links),
        (index, roles, mine),
    )
    at = {a: i for i, a in enumerate(acronyms)}
    return record, {a: titles[at[a]] for a in record["projects"]}


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
