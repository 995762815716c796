"""Who to invite: organisations that are not yet partners, ranked by partners of partners.

An organisation's *partners* are the organisations it shares a project with; a
project's are the members of its consortium. A candidate is any other
organisation that has worked with at least one of those partners. Each shared
partner ``w`` adds ``1 / k(w)`` to the candidate's score, where ``k(w)`` is
how many organisations ``w`` has worked with: the *resource allocation index*
(Zhou, Lü & Zhang 2009) on the organisation projection. A partner who works
with everyone then says little about any one of them, and a partner who works
with few says much.

Why resource allocation and not Adamic–Adar (``1 / log k(w)``): both discount
busy partners, and the backtest (``benchmarks/backtest.py``, figures in the
README, "Who to invite") finds them within a few points of each other on
generated data, Adamic–Adar slightly ahead. In DEFUS data one hub (Efus) is in
almost every project; Adamic–Adar's logarithm lets it count nearly as much as a
partner of few (``1/log 49 = 0.26`` against ``1/log 21 = 0.33``), resource
allocation does not (``0.02`` against ``0.05``), and "also worked with Efus" is
weak evidence. ``index="adamic_adar"`` gives the other ranking.

Computed with sparse matrices: the organisation projection ``B·Bᵀ`` once per
graph (from :func:`defus_graph.graph.bipartite.incidence_matrix`, the matrix behind
:func:`defus_graph.graph.bipartite.projection_matrix`), then sums over the partners' rows
for each question, so a suggestion for the busiest organisation of a Horizon
2020-sized network (9,000 partners) takes a few tenths of a second, index included.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from operator import attrgetter
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from ..graph.bipartite import (
    ORGANISATION,
    incidence_matrix,
    is_project,
    node_label,
    org_id,
    project_id,
)
from ..model import Alias, Dataset
from ..names.normal import name_keys
from ..store.snapshot import (
    as_lists,
    kept_columns,
    read_integers,
    write_integers,
)
from .queries import linked
from .records import named_node

__all__ = [
    "INDICES",
    "REASON_PARTNERS",
    "REASON_PROJECTS",
    "Suggestion",
    "SuggestionIndex",
    "Via",
    "kept_suggestions",
    "partner_suggestions",
    "partner_weights",
    "ranked",
    "reason_text",
    "scores_from_partner_rows",
]

#: The ways a shared partner can be weighted: resource allocation (the default) or Adamic–Adar.
INDICES: tuple[str, ...] = ("resource_allocation", "adamic_adar")

#: A reason names this many shared partners, then says how many more there are.
REASON_PARTNERS = 3

#: ... and this many projects for each of them.
REASON_PROJECTS = 3


def partner_weights(degrees: npt.NDArray[np.int64], index: str) -> npt.NDArray[np.float64]:
    """What a shared partner adds to a score, given how many organisations it works with.

    ``resource_allocation``: ``1 / k``; ``adamic_adar``: ``1 / log k``, with ``k``
    taken as at least 2 (a shared partner has worked with at least the two
    organisations it links, except a lone member of a project's consortium).

    Examples
    --------
    >>> partner_weights(np.array([1, 2, 4]), "resource_allocation").tolist()
    [1.0, 0.5, 0.25]
    >>> [round(w, 3) for w in partner_weights(np.array([2, 4]), "adamic_adar").tolist()]
    [1.443, 0.721]
    """
    k = np.maximum(np.asarray(degrees, dtype=np.float64), 1.0)
    if index == "resource_allocation":
        out: npt.NDArray[np.float64] = 1.0 / k
        return out
    if index == "adamic_adar":
        out = 1.0 / np.log(np.maximum(k, 2.0))
        return out
    raise ValueError(f"index must be one of {', '.join(INDICES)}, not {index!r}")


@dataclass(frozen=True)
class Via:
    """A partner of the asker who has worked with a suggested organisation.

    ``projects`` are the projects (acronyms) in which the two worked together;
    ``works_with`` is how many organisations this partner has worked with in
    all, and ``weight`` what it adds to the suggestion's score.
    """

    node: str
    name: str
    projects: tuple[str, ...]
    works_with: int
    weight: float


@dataclass(frozen=True)
class Suggestion:
    """An organisation to invite, its score, and the shared partners that make the case.

    ``via`` lists every shared partner, most telling first (the one who works
    with the fewest others, then the one with most projects together);
    ``reason`` says it in one sentence a person can check.
    """

    node: str
    name: str
    kind: str
    country: str
    score: float
    via: tuple[Via, ...]
    reason: str

    def as_dict(self) -> dict[str, Any]:
        """The suggestion as JSON-ready data."""
        return {
            "name": self.name,
            "kind": self.kind,
            "country": self.country or None,
            "score": round(self.score, 6),
            "shared_partners": len(self.via),
            "reason": self.reason,
            "via": [
                {"name": v.name, "projects": list(v.projects), "works_with": v.works_with}
                for v in self.via
            ],
        }


def _listed(names: list[str], limit: int) -> str:
    if len(names) <= limit:
        return ", ".join(names)
    return ", ".join(names[:limit]) + f" and {len(names) - limit} more"


def reason_text(asker: str, asker_is_project: bool, via: Iterable[Via]) -> str:
    """The sentence that says why: which partners of ``asker`` worked with the suggestion.

    Examples
    --------
    >>> v = [Via("org:Rotterdam", "Rotterdam", ("BRIDGE", "PREPARE"), 4, 0.25),
    ...      Via("org:Leuven", "Leuven", ("LouD",), 9, 0.11)]
    >>> reason_text("Augsburg", False, v)
    "worked with 2 of Augsburg's partners: Rotterdam (BRIDGE, PREPARE), Leuven (LouD)"
    >>> reason_text("BRIDGE", True, v[:1])
    'worked with 1 member of the BRIDGE consortium: Rotterdam (BRIDGE, PREPARE)'
    """
    items = list(via)
    n = len(items)
    if asker_is_project:
        whose = f"{n} member{'s' if n != 1 else ''} of the {asker} consortium"
    else:
        whose = f"{n} of {asker}'s partners"
    parts = [f"{v.name} ({_listed(list(v.projects), REASON_PROJECTS)})" for v in items]
    return f"worked with {whose}: {_listed(parts, REASON_PARTNERS)}"


def _as_set(value: str | Collection[str] | None) -> frozenset[str] | None:
    if value is None:
        return None
    if isinstance(value, str):
        return frozenset({value})
    return frozenset(value) or None


class SuggestionIndex:
    """A network's organisation projection, built once, that answers suggestions quickly.

    Parameters
    ----------
    g : the bipartite graph of :func:`defus_graph.graph.bipartite.graph_from_dataset`.
    aliases : other names of its organisations; a candidate whose name is one
        of them, for the asker or one of its partners, is never suggested.

    :meth:`from_dataset` builds the same index straight from a dataset, without
    the networkx graph (what ``defus-graph suggest`` does). Node ids are those
    of the graph (``org:…``, ``project:…``).
    """

    def __init__(self, g: nx.Graph, aliases: Iterable[Alias] = ()) -> None:
        nodes, projects, bt = incidence_matrix(g, keep=ORGANISATION)
        data = g.nodes
        attrs = [data[n] for n in nodes]
        self._build(
            nodes,
            projects,
            bt,
            labels=[
                str(d["label"]) if "label" in d else node_label(n)
                for n, d in zip(nodes, attrs, strict=True)
            ],
            project_labels=[
                str(data[m]["label"]) if "label" in data[m] else node_label(m) for m in projects
            ],
            kinds=[str(d.get("kind", "unknown")) for d in attrs],
            countries=[str(d.get("country") or "") for d in attrs],
            aliases=aliases,
        )

    @classmethod
    def from_dataset(cls, ds: Dataset) -> SuggestionIndex:
        """The index of ``ds``'s network, built from its tables (aliases included)."""
        return cls.from_arrays(*_dataset_columns(ds), _dataset_links(ds), ds.aliases)

    @classmethod
    def kept(cls, ds: Dataset, directory: Path, key: str) -> SuggestionIndex:
        """:meth:`from_dataset`, its links and projection kept beside ``directory``'s
        snapshot under ``key`` (the content key of the tables ``ds`` was read from):
        read from there when they are, else worked out and kept for the next server."""
        acronyms, organisations = _dataset_columns(ds)
        n_p, n_o = len(set(acronyms)), len(set(organisations[0]))
        links = read_integers(directory, _LINKS_FILE, key, ("project", "organisation"))
        counts = read_integers(directory, _SHARED_FILE, key, ("row", "column", "count"))
        shared = None if counts is None else _shared_of(counts, n_o)
        if (
            links is not None
            and shared is not None
            and _fits(links, n_p, n_o, len(ds.participations))
        ):
            self = cls.__new__(cls)
            parts = _parts(acronyms, organisations, (links["project"], links["organisation"]))
            self._build(**parts, aliases=ds.aliases, shared=shared)
            return self
        built = cls.from_arrays(acronyms, organisations, _dataset_links(ds), ds.aliases)
        members, shared = built.members, built.shared  # both without stored zeros
        write_integers(
            directory,
            _LINKS_FILE,
            key,
            {"project": _rows_of(members), "organisation": members.indices},
        )
        write_integers(
            directory,
            _SHARED_FILE,
            key,
            {"row": _rows_of(shared), "column": shared.indices, "count": shared.data},
        )
        return built

    @classmethod
    def from_arrays(
        cls,
        acronyms: list[str],
        organisations: tuple[list[str], list[str], list[str]],
        links: tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]],
        aliases: Iterable[Alias],
    ) -> SuggestionIndex:
        """The index of the network whose participation ``e`` links project
        ``acronyms[project[e]]`` and organisation ``organisation[e]`` of
        ``organisations`` (their names, kinds and countries); ``links`` is
        ``(project, organisation)``."""
        self = cls.__new__(cls)
        self._build(**_parts(acronyms, organisations, links), aliases=aliases)
        return self

    def _build(
        self,
        nodes: list[str],
        projects: list[str],
        bt: sp.csr_array,
        *,
        labels: list[str],
        project_labels: list[str],
        kinds: list[str],
        countries: list[str],
        aliases: Iterable[Alias],
        shared: sp.csr_array | None = None,
    ) -> None:
        self.nodes = nodes
        self.position = {n: i for i, n in enumerate(nodes)}
        self.project_position = {m: j for j, m in enumerate(projects)}
        #: ``members[p, o]`` = 1 when organisation ``o`` is in project ``p``.
        self.members = sp.csr_array(bt)
        self.members.sort_indices()
        #: ``involved[o, p]``: the same, by organisation.
        self.involved = sp.csr_array(self.members.T.tocsr())
        self.involved.sort_indices()
        if shared is None:
            shared = sp.csr_array(self.involved @ self.members)
            shared.setdiag(0)
            shared.eliminate_zeros()
            shared.sort_indices()
        #: How many projects two organisations share (zero diagonal).
        self.shared = shared
        #: How many organisations each has worked with.
        self.degree = np.diff(shared.indptr).astype(np.int64)
        self.labels = labels
        self.project_labels = project_labels
        self.kinds = np.array(kinds, dtype=str)
        self.countries = np.array(countries, dtype=str)
        self.name_rank = np.empty(len(nodes), dtype=np.int64)
        by_name = sorted(range(len(nodes)), key=lambda i: labels[i].casefold())
        self.name_rank[by_name] = np.arange(len(nodes))
        self._aliases: dict[str, list[str]] = {}
        for a in aliases:
            self._aliases.setdefault(a.organisation, []).append(a.alias)

    def _label(self, node: str) -> str:
        if node in self.project_position:
            return self.project_labels[self.project_position[node]]
        return self.labels[self.position[node]]

    def partners(self, node: str) -> npt.NDArray[np.int64]:
        """Positions of the organisations ``node`` works with, or that a project ``node`` holds."""
        if node in self.project_position:
            j = self.project_position[node]
            row = self.members.indices[self.members.indptr[j] : self.members.indptr[j + 1]]
        elif node in self.position:
            i = self.position[node]
            row = self.shared.indices[self.shared.indptr[i] : self.shared.indptr[i + 1]]
        else:
            raise KeyError(f"{node!r} is neither a project nor an organisation of this network")
        return np.asarray(row, dtype=np.int64)

    def scores(
        self, node: str, *, index: str = "resource_allocation"
    ) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.int64], npt.NDArray[np.int64]]:
        """Every organisation's score for ``node``, as :func:`scores_from_partner_rows` gives.

        The scores of ``node`` itself and of its partners are zero.
        """
        partners = self.partners(node)
        score, count, together = scores_from_partner_rows(
            self.shared[partners], self.degree[partners], index
        )
        own = (
            partners if node in self.project_position else np.append(partners, self.position[node])
        )
        score[own], count[own], together[own] = 0.0, 0, 0
        return score, count, together

    def suggest(
        self,
        node: str,
        *,
        kind: str | Collection[str] | None = None,
        country: str | Collection[str] | None = None,
        top: int = 10,
        index: str = "resource_allocation",
    ) -> list[Suggestion]:
        """The ``top`` organisations to invite for ``node`` (an organisation or a project).

        ``kind`` and ``country`` (ISO codes) keep only candidates of those kinds
        and countries; the evidence still comes from every partner. Ties are
        broken as :func:`ranked` says.
        """
        if top < 1:
            raise ValueError("top must be at least 1")
        partners = self.partners(node)
        score, count, together = self.scores(node, index=index)
        eligible = score > 0
        kinds, countries = _as_set(kind), _as_set(country)
        if kinds is not None:
            eligible &= np.isin(self.kinds, list(kinds))
        if countries is not None:
            eligible &= np.isin(self.countries, list(countries))
        excluded = self._excluded_keys(node, partners)
        found: list[Suggestion] = []
        for i in ranked(score, count, together, eligible, self.name_rank).tolist():
            if len(found) == top:
                break
            if self._name_keys(i) & excluded:
                continue
            found.append(self._suggestion(node, i, partners, index))
        return found

    def _name_keys(self, i: int) -> frozenset[str]:
        """The name keys of organisation ``i``'s name and of its aliases."""
        keys = set(name_keys(self.labels[i]))
        for alias in self._aliases.get(self.labels[i], ()):
            keys |= name_keys(alias)
        return frozenset(keys)

    def _excluded_keys(self, node: str, partners: npt.NDArray[np.int64]) -> frozenset[str]:
        """Every name, alias included, of the asker and its partners, as name keys."""
        names = [self.labels[i] for i in partners.tolist()]  # the label of nodes[i]
        if not is_project(node):
            names.append(self._label(node))
        keys: set[str] = set()
        for name in names:
            keys |= name_keys(name)
            for alias in self._aliases.get(name, ()):
                keys |= name_keys(alias)
        return frozenset(keys)

    def _suggestion(
        self, node: str, i: int, partners: npt.NDArray[np.int64], index: str
    ) -> Suggestion:
        # The candidate's projects, and which of the asker's partners are in each.
        projects = self.involved.indices[self.involved.indptr[i] : self.involved.indptr[i + 1]]
        in_projects = self.members[projects].tocoo()
        is_partner = np.zeros(len(self.nodes), dtype=bool)
        is_partner[partners] = True
        keep = is_partner[in_projects.col]
        pairs: dict[int, list[str]] = {}
        for w, p in zip(
            in_projects.col[keep].tolist(), projects[in_projects.row[keep]].tolist(), strict=True
        ):
            pairs.setdefault(w, []).append(self.project_labels[p])
        at = np.array(sorted(pairs), dtype=np.int64)
        weight = partner_weights(self.degree[at], index)
        via = [
            Via(
                self.nodes[w],
                self.labels[w],
                tuple(sorted(pairs[w], key=str.casefold)),
                int(self.degree[w]),
                float(wt),
            )
            for w, wt in zip(at.tolist(), weight.tolist(), strict=True)
        ]
        # Most telling first: the partner who works with fewest others, then most projects.
        via.sort(key=lambda v: (-v.weight, -len(v.projects), v.name.casefold()))
        candidate = self.nodes[i]
        return Suggestion(
            node=candidate,
            name=self.labels[i],
            kind=str(self.kinds[i]),
            country=str(self.countries[i]),
            score=float(weight.sum()),
            via=tuple(via),
            reason=reason_text(self._label(node), is_project(node), via),
        )


def _parts(
    acronyms: list[str],
    organisations: tuple[list[str], list[str], list[str]],
    links: tuple[npt.NDArray[np.signedinteger[Any]], npt.NDArray[np.signedinteger[Any]]],
) -> dict[str, Any]:
    """What :meth:`SuggestionIndex._build` takes (but the aliases) for ``from_arrays``'
    arguments."""
    names, kinds, countries = organisations
    rows, cols = links
    # One row and column per distinct acronym and name (a dataset may repeat one).
    bt = sp.csr_array(
        (np.ones(len(rows), dtype=np.int32), (rows, cols)),
        shape=(len(set(acronyms)), len(set(names))),
    )
    bt.sum_duplicates()
    bt.data[:] = 1  # one link, however many roles
    return {
        "nodes": [org_id(n) for n in names],
        "projects": [project_id(a) for a in acronyms],
        "bt": bt,
        "labels": names,
        "project_labels": acronyms,
        "kinds": [k or "unknown" for k in kinds],
        "countries": [c or "" for c in countries],
    }


#: The files :meth:`SuggestionIndex.kept` keeps beside a snapshot.
_LINKS_FILE, _SHARED_FILE = "suggest-links", "suggest-shared"


def _dataset_columns(ds: Dataset) -> tuple[list[str], tuple[list[str], list[str], list[str]]]:
    """The acronyms and the organisations' names, kinds and countries of ``ds``."""
    return (
        [p.acronym for p in ds.projects],
        (
            [o.name for o in ds.organisations],
            [o.kind for o in ds.organisations],
            [o.country for o in ds.organisations],
        ),
    )


def _dataset_links(ds: Dataset) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Each participation's project and organisation, by position in ``ds``'s tables."""
    orgs = {o.name: i for i, o in enumerate(ds.organisations)}
    projects = {p.acronym: j for j, p in enumerate(ds.projects)}
    n = len(ds.participations)
    # Looked up in C (map over the attributes): no Python frame per participation.
    rows = np.fromiter(
        map(projects.__getitem__, map(attrgetter("project"), ds.participations)), np.int64, n
    )
    cols = np.fromiter(
        map(orgs.__getitem__, map(attrgetter("organisation"), ds.participations)), np.int64, n
    )
    return rows, cols


def _fits(links: dict[str, npt.NDArray[np.int32]], n_p: int, n_o: int, n_links: int) -> bool:
    """Whether kept ``links`` can be those of a network of ``n_p`` projects and ``n_o``
    organisations with at most ``n_links`` participations."""
    project, organisation = links["project"], links["organisation"]
    return len(project) <= n_links and _within(project, n_p) and _within(organisation, n_o)


def _within(values: npt.NDArray[np.int32], n: int) -> bool:
    return not len(values) or (int(values.min()) >= 0 and int(values.max()) < n)


def _rows_of(matrix: sp.csr_array) -> npt.NDArray[np.int32]:
    """The row of each stored entry of ``matrix``, in its order."""
    counts = np.diff(matrix.indptr)
    return np.repeat(np.arange(len(counts), dtype=np.int32), counts)


def _shared_of(counts: dict[str, npt.NDArray[np.int32]], n: int) -> sp.csr_array | None:
    """The projection kept as ``counts`` (row, column, count in row order), or ``None``
    when they cannot be one of ``n`` organisations."""
    row, column, count = counts["row"], counts["column"], counts["count"]
    if not (_within(row, n) and _within(column, n)) or (count <= 0).any():
        return None
    if (row[1:] < row[:-1]).any():
        return None
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(row, minlength=n), out=indptr[1:])
    shared = sp.csr_array((count, column, indptr), shape=(n, n))
    shared.sort_indices()
    return shared


def scores_from_partner_rows(
    rows: sp.csr_array, degrees: npt.NDArray[np.int64], index: str = "resource_allocation"
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Every organisation's score, count of shared partners and projects with them.

    ``rows[w, c]`` is how many projects partner ``w`` shares with organisation
    ``c``; ``degrees[w]`` is how many organisations ``w`` has worked with. The
    score of ``c`` sums :func:`partner_weights` over the partners linked to it.

    Examples
    --------
    >>> rows = sp.csr_array(np.array([[0, 1, 2], [0, 0, 1]]))
    >>> score, count, together = scores_from_partner_rows(rows, np.array([2, 4]))
    >>> score.tolist(), count.tolist(), together.tolist()
    ([0.0, 0.5, 0.75], [0, 1, 2], [0, 1, 3])
    """
    n = rows.shape[1]
    rows = sp.csr_array(rows)
    rows.eliminate_zeros()
    per_entry = np.repeat(partner_weights(degrees, index), np.diff(rows.indptr))
    score = np.bincount(rows.indices, weights=per_entry, minlength=n).astype(np.float64)
    count = np.bincount(rows.indices, minlength=n).astype(np.int64)
    together = np.bincount(rows.indices, weights=rows.data, minlength=n).astype(np.int64)
    return score, count, together


def ranked(
    score: npt.NDArray[np.float64],
    count: npt.NDArray[np.int64],
    together: npt.NDArray[np.int64],
    eligible: npt.NDArray[np.bool_],
    name_rank: npt.NDArray[np.int64],
) -> npt.NDArray[np.int64]:
    """Positions of the eligible organisations, best first.

    Highest score first; ties go to more shared partners, then to more
    projects with them, then to the name (``name_rank``: the position of each
    name in alphabetical order). Scores are compared rounded to 9 decimals, so
    that sums taken in another order tie.
    """
    c = np.flatnonzero(eligible)
    order = np.lexsort((name_rank[c], -together[c], -count[c], -np.round(score[c], 9)))
    out: npt.NDArray[np.int64] = c[order].astype(np.int64)
    return out


def partner_suggestions(
    g: nx.Graph,
    node: str,
    *,
    aliases: Iterable[Alias] = (),
    kind: str | Collection[str] | None = None,
    country: str | Collection[str] | None = None,
    top: int = 10,
    index: str = "resource_allocation",
) -> list[Suggestion]:
    """Organisations to invite for ``node`` (``org:…`` or ``project:…``), best first.

    Never the organisation itself, one of its partners (or, for a project, a
    member), or an organisation named by an alias of any of them. For many
    questions on one graph, build a :class:`SuggestionIndex` once instead.

    Examples
    --------
    >>> from defus_graph.graph.bipartite import graph_from_dataset
    >>> from defus_graph.model import Dataset, Organisation, Participation, Project
    >>> ds = Dataset(
    ...     projects=(Project("A"), Project("B")),
    ...     organisations=tuple(Organisation(n) for n in ("Genk", "Leuven", "Gent")),
    ...     participations=(Participation("A", "Genk", "partner"),
    ...                     Participation("A", "Leuven", "partner"),
    ...                     Participation("B", "Leuven", "partner"),
    ...                     Participation("B", "Gent", "partner")))
    >>> [s.reason for s in partner_suggestions(graph_from_dataset(ds), "org:Genk")]
    ["worked with 1 of Genk's partners: Leuven (B)"]
    """
    return SuggestionIndex(g, aliases).suggest(
        node, kind=kind, country=country, top=top, index=index
    )


#: The snapshot's columns :func:`kept_suggestions` reads, by table.
_SUGGEST_COLUMNS = {
    "projects": ("acronym",),
    "organisations": ("name", "kind", "country"),
    "participations": ("project", "organisation"),
    "aliases": ("alias", "organisation"),
}


def kept_suggestions(
    directory: Path, encoding: str, name: str
) -> tuple[SuggestionIndex, str] | None:
    """The index of data folder ``directory``'s network and the node ``name`` stands
    for (see :func:`~defus_graph.analysis.records.named_node`), from its snapshot's
    columns, without records.

    ``None`` when no snapshot is kept for the tables as they are now, they are
    not what a checked folder holds, or ``name`` names nothing (the dataset's
    route then says which names come closest).
    """
    columns = kept_columns(directory, encoding, _SUGGEST_COLUMNS)
    if columns is None:
        return None
    projects, orgs, aliases = (
        as_lists(columns[t], _SUGGEST_COLUMNS[t]) for t in ("projects", "organisations", "aliases")
    )
    if projects is None or orgs is None or aliases is None:
        return None
    (acronyms,), (names, kinds, countries), (alias, owner) = projects, orgs, aliases
    node = named_node(names, (alias, owner), acronyms, name)
    links = linked(acronyms, names, columns["participations"])
    if node is None or links is None:
        return None
    others = [Alias(a, o) for a, o in zip(alias, owner, strict=True)]
    return SuggestionIndex.from_arrays(acronyms, (names, kinds, countries), links, others), node
