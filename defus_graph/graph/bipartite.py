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
    shared projects, or the two linked projects); ``spells``, their
    :func:`date_spells`, only when these projects run in more than one stretch
    of time (a gap of at least a day between them).
Node attributes (projections)
    Those of the bipartite graph, plus the number of the other side's nodes
    each is linked to there: ``n_projects`` on organisations, with their
    :func:`date_span` as ``start``/``end`` (and ``spells`` as on edges);
    ``n_organisations`` on projects.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain, combinations, pairwise, repeat
from operator import attrgetter
from typing import TYPE_CHECKING, Any

import networkx as nx
import numpy as np
import numpy.typing as npt

# scipy.sparse (a tenth of a second to import) is imported by the functions that use
# it: the queries read the arrays here and never need it.
if TYPE_CHECKING:
    import scipy.sparse as sp

    from ..names.places import Place

from .._bulk import paused_gc
from ..model import Dataset, Organisation, Project, date_bounds

__all__ = [
    "LINK_SLOTS",
    "ORGANISATION",
    "ORGANISATION_SLOTS",
    "PROJECT",
    "PROJECT_SLOTS",
    "Adjacency",
    "BipartiteColumns",
    "Incidence",
    "Participations",
    "ProjectionLinks",
    "Slot",
    "WeightMatrix",
    "adjacency",
    "date_span",
    "date_spells",
    "graph_from_dataset",
    "incidence_links",
    "incidence_links_of",
    "incidence_matrix",
    "incidence_weights",
    "is_project",
    "link_weight",
    "node_label",
    "org_id",
    "organisation_graph",
    "organisation_incidence",
    "organisation_nodes",
    "organisation_projection",
    "participation_adjacency",
    "project_id",
    "project_nodes",
    "project_projection",
    "projection_links",
    "projection_links_of",
    "projection_matrix",
    "projection_of_links",
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
    # Written into networkx's own node and adjacency dicts: what add_node and
    # add_edges_from do, in the same order, without their checks per call.
    nodes, adj = g._node, g._adj
    for p in ds.projects:
        _put_node(nodes, adj, project_id(p.acronym), _project_attrs(p))
    for o in ds.organisations:
        _put_node(nodes, adj, org_id(o.name), _organisation_attrs(o))
    _mark_members(nodes, ds)
    with paused_gc():  # hundreds of thousands of acyclic edge dicts
        for a in ds.participations:
            u, v = f"project:{a.project}", f"org:{a.organisation}"
            links = adj.get(u)
            if links is None:
                nodes[u], links = {}, {}
                adj[u] = links
            if v not in nodes:
                nodes[v], adj[v] = {}, {}
            attrs = links.get(v)
            if attrs is None:
                attrs = links[v] = adj[v][u] = {}
            # A link's attributes: those stated, in LINK_SLOTS's order.
            if a.role:
                attrs["role"] = a.role
            if a.contribution_eur is not None:
                attrs["contribution_eur"] = a.contribution_eur
            if a.source:
                attrs["source"] = a.source
            if a.line:
                attrs["line"] = a.line
    nx._clear_cache(g)
    return g


def _mark_members(nodes: dict[str, dict[str, Any]], ds: Dataset) -> None:
    """``member`` on every organisation node once there is a member list: true for those
    a member names, false for the others (so Gephi and the map can filter on it).

    Without a member list no node gains the attribute, so files stay as they were.
    """
    if not ds.members:
        return
    for o in ds.organisations:
        nodes[org_id(o.name)]["member"] = False
    for m in ds.members:
        node = org_id(m.organisation)
        if m.organisation and node in nodes:  # a member that matched none is no node
            nodes[node]["member"] = True


def _put_node(
    nodes: dict[str, dict[str, Any]], adj: dict[str, dict[str, Any]], n: str, attrs: dict[str, Any]
) -> None:
    """``g.add_node(n, **attrs)`` on networkx's dicts: a node met again gains the attributes."""
    if n in nodes:
        nodes[n].update(attrs)
    else:
        nodes[n], adj[n] = attrs, {}


#: A node's or link's optional attribute: its key (the record's field of that name)
#: and when it is stated: ``""`` when the value is truthy (no empty text), ``"n"``
#: when it is not ``None`` (a number, zero included).
Slot = tuple[str, str]

#: A project node's optional attributes, in the order the node's dict holds them.
PROJECT_SLOTS: tuple[Slot, ...] = (
    ("title", ""),
    ("description", ""),
    ("start", ""),
    ("end", ""),
    ("programme", ""),
    ("funding_eur", "n"),
    ("funding_scope", ""),
    ("funding_share_of", ""),
    ("section", ""),
    ("external_id", ""),
    ("source", ""),
    ("line", ""),
)
#: An organisation node's, after ``bipartite``, ``kind`` and ``label``.
ORGANISATION_SLOTS: tuple[Slot, ...] = (
    ("country", ""),
    ("city", ""),
    ("pic", ""),
    ("latitude", "n"),
    ("longitude", "n"),
    ("source", ""),
    ("line", ""),
)
#: A link's (written out in :func:`graph_from_dataset`'s loop, for speed).
LINK_SLOTS: tuple[Slot, ...] = (
    ("role", ""),
    ("contribution_eur", "n"),
    ("source", ""),
    ("line", ""),
)


def _put_stated(attrs: dict[str, Any], record: object, slots: tuple[Slot, ...]) -> dict[str, Any]:
    """``attrs`` with each of the record's stated values added, in the slots' order."""
    for key, when in slots:
        value = getattr(record, key)
        if value is not None if when == "n" else value:
            attrs[key] = value
    return attrs


def _project_attrs(p: Project) -> dict[str, Any]:
    """A project node's attributes: those stated (no empty text, no None), in this order."""
    attrs = {"bipartite": PROJECT, "kind": "project", "label": p.acronym}
    return _put_stated(attrs, p, PROJECT_SLOTS)


def _organisation_attrs(o: Organisation) -> dict[str, Any]:
    """An organisation node's attributes, as :func:`_project_attrs` builds a project's."""
    attrs = {"bipartite": ORGANISATION, "kind": o.kind or "unknown", "label": o.name}
    return _put_stated(attrs, o, ORGANISATION_SLOTS)


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


_ONE_DAY = dt.timedelta(days=1)
#: Day numbers (ordinals) before and after every date, for open bounds.
_NO_DAY = dt.date.min.toordinal() - 2
_ALL_DAYS = dt.date.max.toordinal() + 2


def _day_bounds(d: Mapping[str, Any]) -> tuple[tuple[dt.date, str], tuple[dt.date, str]]:
    """Sort keys of a project's stated start and end, as :func:`date_span` compares them;
    an open bound is the earliest start or the latest end there is."""
    start, end = str(d.get("start") or ""), str(d.get("end") or "")
    return (
        (date_bounds(start)[0], start) if start else (dt.date.min, ""),
        (date_bounds(end)[1], end) if end else (dt.date.max, ""),
    )


def date_spells(projects: Iterable[Mapping[str, Any]]) -> list[tuple[str | None, str | None]]:
    """The stretches of time in which some of the projects run, as stated bounds.

    The projects' intervals (whole days, as :func:`defus_graph.model.date_bounds`
    widens them) merged where they overlap or touch, in time order; each
    stretch is ``(start, end)`` as stated, ``None`` where it is open. A project
    without a start (or end) leaves its stretch open that way, so one with no
    dates at all makes a single stretch that is always. The first start and the
    last end are those of :func:`date_span`.

    Examples
    --------
    >>> date_spells([{"start": "2014", "end": "2015"}, {"start": "2016-01", "end": "2016-06"},
    ...              {"start": "2019", "end": "2020"}])
    [('2014', '2016-06'), ('2019', '2020')]
    >>> date_spells([{"start": "2019", "end": "2020"}, {"start": "2014"}])
    [('2014', None)]
    """
    spells: list[tuple[tuple[dt.date, str], tuple[dt.date, str]]] = []
    for start, end in sorted(map(_day_bounds, projects)):
        if spells and (spells[-1][1][0] == dt.date.max or start[0] <= spells[-1][1][0] + _ONE_DAY):
            spells[-1] = (spells[-1][0], max(spells[-1][1], end))
        else:
            spells.append((start, end))
    return [(s[1] or None, e[1] or None) for s, e in spells]


def _projection_by_pairs(
    g: nx.Graph, keep: int, shared_attr: str, *, with_names: bool = True
) -> nx.Graph:
    """Weighted projection onto one side, pair by pair: the reference for any graph.

    Used for graphs that are not cleanly bipartite (a neighbour of the other
    side outside the kept side), where the sparse route does not apply.
    """
    proj = nx.Graph()
    proj.add_nodes_from((n, d) for n, d in g.nodes(data=True) if d.get("bipartite") == keep)
    for n in proj:
        if keep == ORGANISATION:
            proj.nodes[n]["n_projects"] = len(g[n])
            proj.nodes[n].update(date_span(g.nodes[p] for p in g[n]))
            spells = date_spells(g.nodes[p] for p in g[n])
            if len(spells) > 1:
                proj.nodes[n]["spells"] = spells
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
        attrs: dict[str, Any] = {"weight": len(names)}
        if with_names:
            attrs[shared_attr] = names
        attrs.update(date_span(g.nodes[p] for p in dated))
        spells = date_spells(g.nodes[p] for p in dated)
        if len(spells) > 1:
            attrs["spells"] = spells
        proj.add_edge(u, v, **attrs)
    return proj


class _Ranks:
    """Stated start and end dates of some nodes as integer ranks, for vectorised spans.

    ``start[i]`` orders the stated starts as :func:`date_span` compares them
    (first day, then the text); ``-1`` marks a node without one. ``end`` does
    the same with the last day. ``start_text[r]`` is the date a rank stands for.
    """

    def __init__(self, attrs: Sequence[Mapping[str, Any]]) -> None:
        starts = [str(d.get("start") or "") for d in attrs]
        ends = [str(d.get("end") or "") for d in attrs]
        self.start_text = sorted({s for s in starts if s}, key=lambda s: (date_bounds(s)[0], s))
        self.end_text = sorted({e for e in ends if e}, key=lambda e: (date_bounds(e)[1], e))
        start_rank = {s: i for i, s in enumerate(self.start_text)}
        end_rank = {e: i for i, e in enumerate(self.end_text)}
        self.start = np.array([start_rank.get(s, -1) for s in starts], dtype=np.int64)
        self.end = np.array([end_rank.get(e, -1) for e in ends], dtype=np.int64)
        # The day of each rank; an open start (rank -1) is the earliest day there is, an
        # open end (rank len(end_text)) the latest.
        self.start_day = np.array(
            [date_bounds(s)[0].toordinal() for s in self.start_text] + [_NO_DAY], dtype=np.int64
        )
        self.end_day = np.array(
            [date_bounds(e)[1].toordinal() for e in self.end_text] + [_ALL_DAYS], dtype=np.int64
        )

    def spans(
        self, members: npt.NDArray[np.int64], offsets: npt.NDArray[np.int64]
    ) -> list[dict[str, Any]]:
        """The :func:`date_span` of each group ``members[offsets[i]:offsets[i + 1]]``.

        Every group must be non-empty.
        """
        out: list[dict[str, Any]] = []
        for start, end in zip(*self.bounds(members, offsets), strict=True):
            span = {}
            if start is not None:
                span["start"] = start
            if end is not None:
                span["end"] = end
            out.append(span)
        return out

    def bounds(
        self, members: npt.NDArray[np.int64], offsets: npt.NDArray[np.int64]
    ) -> tuple[list[str | None], list[str | None]]:
        """The stated start and end of :meth:`spans`, each group's ``None`` where it has none."""
        bounds = offsets[:-1]
        start = self.start[members]
        end = self.end[members]
        first = np.minimum.reduceat(start, bounds) if len(bounds) else start[:0]
        last = np.maximum.reduceat(end, bounds) if len(bounds) else end[:0]
        # A bound is known only when every member states it (-1 is the smallest rank).
        first_ok = np.minimum.reduceat(start >= 0, bounds) if len(bounds) else start[:0] >= 0
        last_ok = np.minimum.reduceat(end >= 0, bounds) if len(bounds) else end[:0] >= 0
        # The texts, and None after them for an unknown bound, picked in numpy.
        start_text = np.array([*self.start_text, None], dtype=object)
        end_text = np.array([*self.end_text, None], dtype=object)
        starts = start_text[np.where(first_ok, first, len(self.start_text))]
        ends = end_text[np.where(last_ok, last, len(self.end_text))]
        return starts.tolist(), ends.tolist()

    def spells(
        self, members: npt.NDArray[np.int64], offsets: npt.NDArray[np.int64]
    ) -> dict[int, list[tuple[str | None, str | None]]]:
        """The :func:`date_spells` of each group ``members[offsets[i]:offsets[i + 1]]``
        that runs in more than one stretch of time, by group index ``i``.

        Only groups of two or more can (most links share one project), so only
        those are looked at.
        """
        sizes = np.diff(offsets)
        several = sizes > 1
        if several.all():
            return self._spells(members, offsets)
        at = np.flatnonzero(several)
        ptr = np.zeros(len(at) + 1, dtype=np.int64)
        np.cumsum(sizes[at], out=ptr[1:])
        return self._spells(members[np.repeat(several, sizes)], ptr, at)

    def _spells(
        self,
        members: npt.NDArray[np.int64],
        offsets: npt.NDArray[np.int64],
        names: npt.NDArray[np.int64] | None = None,
    ) -> dict[int, list[tuple[str | None, str | None]]]:
        """:meth:`spells` of every group, group ``i`` named ``names[i]`` if given.

        Vectorised: members are sorted by start within their group; a running
        maximum of the ends (kept within each group by adding a group offset)
        says where the stretch so far ends, and a stretch begins where a start
        comes more than a day after it.
        """
        n_ends = len(self.end_text)
        group = np.repeat(np.arange(len(offsets) - 1, dtype=np.int64), np.diff(offsets))
        start = self.start[members]
        end = self.end[members]
        end = np.where(end < 0, n_ends, end)  # open: after every stated end
        order = _sorted_by(group, start + 1, end, len(self.start_text) + 1, n_ends + 1)
        group, start, end = group[order], start[order], end[order]
        if len(group) == 0:
            return {}
        stride = n_ends + 1
        reach = np.maximum.accumulate(group * stride + end) - group * stride
        begins = np.ones(len(group), dtype=bool)
        begins[1:] = (group[1:] != group[:-1]) | (
            self.start_day[start[1:]] > self.end_day[reach[:-1]] + 1
        )
        counts = np.bincount(group[begins], minlength=len(offsets) - 1)
        at = np.flatnonzero(begins)
        spell_group = group[at]
        spell_start = start[at]
        spell_end = np.maximum.reduceat(end, at)
        many = counts[spell_group] > 1
        groups = spell_group[many]
        if len(groups) == 0:
            return {}
        # The texts, None for an open bound (start rank -1 and end rank n_ends pick it).
        firsts = np.array([*self.start_text, None], dtype=object)[spell_start[many]]
        lasts = np.array([*self.end_text, None], dtype=object)[spell_end[many]]
        spells = list(zip(firsts.tolist(), lasts.tolist(), strict=True))
        cuts = np.flatnonzero(np.r_[True, groups[1:] != groups[:-1]])
        bounds = [*cuts.tolist(), len(groups)]
        keys = groups[cuts] if names is None else names[groups[cuts]]
        return dict(zip(keys.tolist(), [spells[a:b] for a, b in pairwise(bounds)], strict=True))


def _sorted_by(
    first: npt.NDArray[np.int64],
    second: npt.NDArray[np.int64],
    third: npt.NDArray[np.int64],
    seconds: int,
    thirds: int,
) -> npt.NDArray[np.intp]:
    """``np.lexsort((third, second, first))``: the positions sorting by ``first``, then
    ``second`` (in ``[0, seconds)``), then ``third`` (in ``[0, thirds)``), ties kept in
    order. One stable sort of a combined key when it fits in 63 bits, far quicker."""
    groups = int(first.max()) + 1 if len(first) else 0
    if groups * seconds * thirds >= 2**63:
        return np.lexsort((third, second, first))
    return np.argsort((first * seconds + second) * thirds + third, kind="stable")


def _pair_triples(
    members_ptr: npt.NDArray[np.int64], members: npt.NDArray[np.int64]
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Every pair ``u < v`` of the members of each middle node, with that middle node.

    ``members[members_ptr[m]:members_ptr[m + 1]]`` are the (sorted) kept-side
    indices of middle node ``m``. Middles are grouped by their number of
    members, so each group is one numpy fancy-indexing step.
    """
    sizes = np.diff(members_ptr)
    us: list[npt.NDArray[np.int64]] = []
    vs: list[npt.NDArray[np.int64]] = []
    ms: list[npt.NDArray[np.int64]] = []
    for k in np.unique(sizes[sizes >= 2]).tolist():
        mids = np.flatnonzero(sizes == k)
        block = members[members_ptr[mids][:, None] + np.arange(k)]
        iu, ju = np.triu_indices(k, 1)
        us.append(block[:, iu].ravel())
        vs.append(block[:, ju].ravel())
        ms.append(np.repeat(mids, len(iu)))
    if not us:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty
    return np.concatenate(us), np.concatenate(vs), np.concatenate(ms)


def _link_triples(
    members_ptr: npt.NDArray[np.int64],
    members: npt.NDArray[np.int64],
    n_kept: int,
    links: sp.sparray | sp.spmatrix,
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Like :func:`_pair_triples`, for only the pairs ``u < v`` that ``links`` holds.

    The pairs are met middle by middle as there, but each block keeps only the
    wanted ones before the next is made, so memory follows the links kept (an
    organisation in thousands of projects would make intersecting its row of
    ``B`` with each partner's cost gigabytes).
    """
    import scipy.sparse as sp

    upper = sp.coo_array(sp.triu(sp.coo_array(links), k=1))
    upper.sum_duplicates()
    upper.eliminate_zeros()
    wanted = np.sort(upper.row.astype(np.int64) * n_kept + upper.col.astype(np.int64))
    sizes = np.diff(members_ptr)
    us: list[npt.NDArray[np.int64]] = [np.zeros(0, dtype=np.int64)]
    vs: list[npt.NDArray[np.int64]] = [np.zeros(0, dtype=np.int64)]
    ms: list[npt.NDArray[np.int64]] = [np.zeros(0, dtype=np.int64)]
    if len(wanted) == 0:
        return us[0], vs[0], ms[0]
    for k in np.unique(sizes[sizes >= 2]).tolist():
        mids = np.flatnonzero(sizes == k)
        iu, ju = np.triu_indices(k, 1)
        # A few million pairs at a time, so a large group never sits in memory whole.
        step = max(1, 4_000_000 // len(iu))
        for at in range(0, len(mids), step):
            chunk = mids[at : at + step]
            block = members[members_ptr[chunk][:, None] + np.arange(k)]
            u, v = block[:, iu].ravel(), block[:, ju].ravel()
            code = u * n_kept + v
            where = np.minimum(np.searchsorted(wanted, code), len(wanted) - 1)
            hit = wanted[where] == code
            us.append(u[hit])
            vs.append(v[hit])
            ms.append(np.repeat(chunk, len(iu))[hit])
    return np.concatenate(us), np.concatenate(vs), np.concatenate(ms)


@dataclass(frozen=True, eq=False)
class Incidence:
    """One side of a cleanly bipartite graph, as arrays: all a projection onto it needs.

    ``bt[m, k]`` is 1 when ``middles[m]`` links ``kept[k]`` (both in graph order);
    ``kept_attrs[k]`` are the attributes of ``kept[k]`` and ``middle_attrs[m]`` at
    least the ``label``, ``start`` and ``end`` of ``middles[m]``. Made from a graph
    (:func:`projection_links` and the others do it) or, without any graph, from a
    dataset's arrays (:func:`organisation_incidence`).
    """

    kept: list[str]
    middles: list[str]
    bt: sp.csr_array
    kept_attrs: list[dict[str, Any]]
    middle_attrs: list[Mapping[str, Any]]

    def pairs(self) -> int:
        """At most how many links the projection has (as ``views.projection_pairs``)."""
        degrees = np.diff(self.bt.indptr).astype(np.int64)
        return int((degrees * (degrees - 1) // 2).sum())


def _incidence(g: nx.Graph, keep: int) -> Incidence | None:
    """The incidence matrix of ``g`` seen from side ``keep``; ``None`` if not bipartite.

    Kept nodes are those whose ``bipartite`` is ``keep``, in graph order; every
    other node is a middle. ``None`` when a middle is linked to a middle or a
    kept node to a kept node (the sparse route would then miss edges).
    """
    import scipy.sparse as sp

    kept = [n for n, d in g.nodes(data=True) if d.get("bipartite") == keep]
    middles = [n for n, d in g.nodes(data=True) if d.get("bipartite") != keep]
    index = {n: i for i, n in enumerate(kept)}
    adj = g.adj
    try:
        flat = [index[k] for m in middles for k in adj[m]]
    except KeyError:  # a middle node linked to another middle node
        return None
    if len(flat) != g.number_of_edges():  # kept nodes linked to each other
        return None
    ptr = np.zeros(len(middles) + 1, dtype=np.int64)
    np.cumsum([len(adj[m]) for m in middles], out=ptr[1:])
    bt = sp.csr_array(
        (np.ones(len(flat), dtype=np.int32), np.asarray(flat, dtype=np.int64), ptr),
        shape=(len(middles), len(kept)),
    )
    bt.sort_indices()
    node_data = g.nodes
    return Incidence(
        kept, middles, bt, [node_data[n] for n in kept], [node_data[m] for m in middles]
    )


def organisation_graph(ds: Dataset) -> nx.Graph:
    """The organisation nodes of :func:`graph_from_dataset`, with the same attributes,
    in the same order, without a project or a link."""
    g = nx.Graph()
    nodes, adj = g._node, g._adj
    for o in ds.organisations:
        _put_node(nodes, adj, org_id(o.name), _organisation_attrs(o))
    _mark_members(nodes, ds)
    nx._clear_cache(g)
    return g


def organisation_incidence(parts: Participations, orgs: nx.Graph) -> Incidence:
    """The organisation side of ``graph_from_dataset(parts.dataset)``, from the arrays,
    with the organisations in no project left out (as ``views.filter_graph`` leaves them).

    ``orgs`` holds the organisation nodes and their attributes
    (:func:`organisation_graph`, with places added as the graph would have them):
    the same :class:`Incidence` as the graph's, without building the graph.
    """
    import scipy.sparse as sp

    counts = np.bincount(parts.organisation, minlength=len(parts.organisations))
    in_projects = np.flatnonzero(counts > 0)
    renumber = np.full(len(parts.organisations), -1, dtype=np.int64)
    renumber[in_projects] = np.arange(len(in_projects))
    names = [o.name for o in parts.organisations]
    kept = [org_id(names[i]) for i in in_projects.tolist()]
    node_data = orgs.nodes
    bt = sp.csr_array(
        (
            np.ones(len(parts.project), dtype=np.int32),
            (parts.project, renumber[parts.organisation]),
        ),
        shape=(len(parts.projects), len(kept)),
    )
    bt.sort_indices()
    return Incidence(
        kept,
        [project_id(p.acronym) for p in parts.projects],
        bt,
        [node_data[n] for n in kept],
        [{"label": p.acronym, "start": p.start, "end": p.end} for p in parts.projects],
    )


def incidence_matrix(
    g: nx.Graph, *, keep: int = ORGANISATION
) -> tuple[list[str], list[str], sp.csr_array]:
    """The nodes of side ``keep``, the other side's, and who links whom as a sparse matrix.

    Returns ``(kept, middles, bt)`` where ``bt[m, k]`` is 1 when ``middles[m]``
    is linked to ``kept[k]`` (both lists in graph order). Raises ``ValueError``
    for a graph that is not cleanly bipartite.
    """
    inc = _incidence(g, keep)
    if inc is None:
        raise ValueError("the graph is not bipartite: some edge links two nodes of one side")
    return inc.kept, inc.middles, inc.bt


@dataclass(frozen=True)
class WeightMatrix:
    """A weighted projection as a sparse matrix, without building a networkx graph.

    ``weights[i, j]`` is how many nodes of the other side ``nodes[i]`` and
    ``nodes[j]`` share (symmetric, zero diagonal, ``int32``).
    """

    nodes: list[str]
    weights: sp.csr_array

    def edges(self) -> Iterator[tuple[str, str, int]]:
        """Each linked pair once (``i < j`` in node order) with its weight."""
        import scipy.sparse as sp

        upper = sp.triu(self.weights, k=1, format="coo")
        nodes = self.nodes
        for i, j, w in zip(
            upper.row.tolist(), upper.col.tolist(), upper.data.tolist(), strict=True
        ):
            yield nodes[i], nodes[j], w


def projection_matrix(g: nx.Graph, *, keep: int = ORGANISATION) -> WeightMatrix:
    """The weights of the projection onto side ``keep`` as the sparse product ``B·Bᵀ``.

    The same weights as :func:`organisation_projection` (``keep=ORGANISATION``)
    or :func:`project_projection` (``keep=PROJECT``), and as networkx's
    ``bipartite.weighted_projected_graph``, in a fraction of a second on a
    Horizon 2020-sized network. Raises ``ValueError`` for a graph that is not
    cleanly bipartite.

    Examples
    --------
    >>> from defus_graph.model import Dataset, Organisation, Participation, Project
    >>> ds = Dataset(projects=(Project("A"), Project("B")),
    ...              organisations=(Organisation("Genk"), Organisation("Leuven")),
    ...              participations=tuple(Participation(p, o, "partner")
    ...                                   for p in "AB" for o in ("Genk", "Leuven")))
    >>> list(projection_matrix(graph_from_dataset(ds)).edges())
    [('org:Genk', 'org:Leuven', 2)]
    """
    inc = _incidence(g, keep)
    if inc is None:
        raise ValueError("the graph is not bipartite: some edge links two nodes of one side")
    return WeightMatrix(inc.kept, incidence_weights(inc))


def incidence_weights(inc: Incidence) -> sp.csr_array:
    """The weights of :func:`projection_matrix`, from an :class:`Incidence`."""
    import scipy.sparse as sp

    b = inc.bt.T.tocsr()
    product = sp.csr_array(b @ inc.bt)
    product.setdiag(0)
    product.eliminate_zeros()
    return product


def _projection(g: nx.Graph, keep: int, shared_attr: str, *, with_names: bool = True) -> nx.Graph:
    """Weighted projection onto one side; edges list what the pair shares.

    The sparse route: the incidence matrix ``B`` (kept × other side) gives the
    weights as ``B·Bᵀ``; the pairs behind each weight are enumerated in numpy,
    sorted once, and turned into the edge attributes in one pass. The result
    is the same graph, attribute for attribute, as :func:`_projection_by_pairs`.
    """
    found = projection_links(g, keep=keep, with_names=with_names)
    if found is None:
        return _projection_by_pairs(g, keep, shared_attr, with_names=with_names)
    return found.graph()


@dataclass(frozen=True, eq=False)
class ProjectionLinks:
    """A projection as columns: its nodes, and its links one array or list per attribute.

    What :func:`organisation_projection` and :func:`project_projection` build, before any
    networkx edge exists (:meth:`graph` builds them): a writer can lay the links out
    from here without a million attribute dicts. ``nodes`` holds the projection's nodes
    with their attributes and no link. Link ``e`` joins ``kept[u[e]]`` and
    ``kept[v[e]]`` (``u[e] < v[e]``, sorted by ``(u, v)``), shares ``weights[e]`` nodes
    of the other side, named in :attr:`shared` (``None`` when names were not asked
    for), spans ``starts[e]`` to ``ends[e]`` as stated (``None`` where unknown) and
    runs in the stretches ``spells[e]`` where there are several. The names are held
    as ``labels[m]`` for each ``m`` in ``middles[offsets[e]:offsets[e + 1]]`` (sorted).
    """

    nodes: nx.Graph
    kept: list[str]
    u: npt.NDArray[np.int64]
    v: npt.NDArray[np.int64]
    weights: list[int]
    shared_attr: str
    with_names: bool
    labels: list[str]
    middles: npt.NDArray[np.int64]
    offsets: npt.NDArray[np.int64]
    starts: list[str | None]
    ends: list[str | None]
    spells: dict[int, list[tuple[str | None, str | None]]]
    #: Whether a link's stated start, end and spells are its shared nodes' alone (the
    #: organisation network's links span their projects), not its ends' (a project
    #: network's links): set where the dates are made, so that it cannot say otherwise.
    spans_shared: bool

    @property
    def shared(self) -> list[list[str]] | None:
        """The sorted names of what each link shares, ``None`` if names were not asked for."""
        if not self.with_names:
            return None
        names = list(map(self.labels.__getitem__, self.middles.tolist()))
        return [names[a:b] for a, b in pairwise(self.offsets.tolist())]

    def shared_texts(self) -> list[str] | None:
        """Each link's names joined with ``"; "``, when every name is printable text and
        not empty (else ``None``): what a writer makes of :attr:`shared`, without a
        list per link. Most links share one name, which is then the text itself."""
        labels = self.labels
        if not self.with_names or not all(labels) or not "".join(labels).isprintable():
            return None
        firsts = self.middles[self.offsets[:-1]].tolist()
        texts = list(map(labels.__getitem__, firsts))
        several = np.flatnonzero(np.diff(self.offsets) > 1)
        if len(several):
            # The names of the links with several, read from one list, not an array each.
            counts = self.offsets[several + 1] - self.offsets[several]
            ends = np.cumsum(counts)
            within = np.arange(ends[-1]) - np.repeat(ends - counts, counts)
            rows = np.repeat(self.offsets[several], counts) + within
            names = list(map(labels.__getitem__, self.middles[rows].tolist()))
            bounds = [0, *ends.tolist()]
            for e, a, b in zip(several.tolist(), bounds[:-1], bounds[1:], strict=True):
                texts[e] = "; ".join(names[a:b])
        return texts

    def number_of_nodes(self) -> int:
        """How many nodes the projection has."""
        return int(self.nodes.number_of_nodes())

    def number_of_edges(self) -> int:
        """How many links the projection has."""
        return len(self.weights)

    def link_attrs(self) -> list[dict[str, Any]]:
        """Each link's attribute dict, as the graph holds it."""
        attrs = _link_attrs(self.weights, self.shared_attr, self.shared, self.starts, self.ends)
        for i, spells in self.spells.items():
            attrs[i]["spells"] = spells
        return attrs

    def strengths(self) -> npt.NDArray[np.float64]:
        """Each kept node's summed link weights, in the order of ``kept``."""
        w = np.asarray(self.weights, dtype=np.float64)
        n = len(self.kept)
        sums = np.bincount(self.u, weights=w, minlength=n) + np.bincount(
            self.v, weights=w, minlength=n
        )
        return np.asarray(sums, dtype=np.float64)

    def graph(self) -> nx.Graph:
        """The projection as a networkx graph: a copy of ``nodes`` with every link added."""
        proj = self.nodes.copy()
        with paused_gc():
            if self.weights:
                _put_links(proj, self.kept, self.u, self.v, self.link_attrs())
        return proj


def _projection_from(
    inc: Incidence,
    keep: int,
    shared_attr: str,
    *,
    with_names: bool,
    links: sp.sparray | sp.spmatrix | None = None,
) -> ProjectionLinks:
    """The projection of ``inc``'s graph onto the ``keep`` side: its nodes, then its
    weighted links."""
    kept, middles, bt = inc.kept, inc.middles, inc.bt
    n_kept, n_mid = len(kept), len(middles)
    members_ptr = bt.indptr.astype(np.int64)
    members = bt.indices.astype(np.int64)
    proj = nx.Graph()
    ranks = _add_projection_nodes(proj, inc, keep)
    if links is None:
        us, vs, ms = _pair_triples(members_ptr, members)
    else:
        us, vs, ms = _link_triples(members_ptr, members, n_kept, links)
    labels = [
        str(d.get("label", node_label(m))) for m, d in zip(middles, inc.middle_attrs, strict=True)
    ]
    if len(us) == 0:
        return _no_links(proj, kept, shared_attr, with_names, labels, ranks is not None)
    label_rank = np.empty(n_mid, dtype=np.int64)
    label_rank[sorted(range(n_mid), key=labels.__getitem__)] = np.arange(n_mid)
    # By pair, then by the shared node's name (a pair meets each middle node once).
    order = _sorted_by(us, vs, label_rank[ms], n_kept, n_mid)
    pair, ms = us[order] * n_kept + vs[order], ms[order]
    first = np.flatnonzero(np.r_[True, pair[1:] != pair[:-1]])
    offsets = np.append(first, len(pair)).astype(np.int64)
    weights = np.diff(offsets).tolist()
    edge_pairs = pair[first]
    u_at, v_at = edge_pairs // n_kept, edge_pairs % n_kept
    if ranks is not None:  # organisations: a link spans the projects it stands for
        starts, ends = ranks.bounds(ms, offsets)
        edge_spells = ranks.spells(ms, offsets)
    else:
        kept_ranks = _Ranks(inc.kept_attrs)
        both = np.stack([u_at, v_at], axis=1).ravel()
        pairs = np.arange(0, len(both) + 1, 2, dtype=np.int64)
        starts, ends = kept_ranks.bounds(both, pairs)
        edge_spells = kept_ranks.spells(both, pairs)
    return ProjectionLinks(
        proj,
        kept,
        u_at,
        v_at,
        weights,
        shared_attr,
        with_names,
        labels,
        ms,
        offsets,
        starts,
        ends,
        edge_spells,
        spans_shared=ranks is not None,
    )


def _no_links(
    proj: nx.Graph,
    kept: list[str],
    shared_attr: str,
    with_names: bool,
    labels: list[str],
    spans_shared: bool,
) -> ProjectionLinks:
    """A projection of ``proj``'s nodes without a single link."""
    none = np.zeros(0, dtype=np.int64)
    return ProjectionLinks(
        proj,
        kept,
        none,
        none,
        [],
        shared_attr,
        with_names,
        labels,
        none,
        offsets=np.zeros(1, np.int64),
        starts=[],
        ends=[],
        spells={},
        spans_shared=spans_shared,
    )


def _add_projection_nodes(proj: nx.Graph, inc: Incidence, keep: int) -> _Ranks | None:
    """Add the kept nodes to ``proj`` with their counts (and, for organisations, the span
    of their projects); the projects' ranks by date when organisations are kept."""
    kept, bt, kept_attrs = inc.kept, inc.bt, inc.kept_attrs
    b = bt.T.tocsr()
    b.sort_indices()
    counts = np.diff(b.indptr)
    # A kept node's neighbours are all middles, each once: its count is its column's.
    degree = counts.tolist()
    # Written into networkx's own dicts, as add_nodes_from would (each a new dict).
    proj._adj.update((n, {}) for n in kept)
    if keep != ORGANISATION:
        proj._node.update(
            (n, {**d, "n_organisations": c})
            for n, d, c in zip(kept, kept_attrs, degree, strict=True)
        )
        nx._clear_cache(proj)
        return None
    ranks = _Ranks(inc.middle_attrs)
    with_projects = np.flatnonzero(counts > 0)
    spans: list[dict[str, Any]] = [{} for _ in kept]
    if len(with_projects):
        starts = b.indptr[with_projects]
        offsets = np.append(starts, b.indptr[-1]).astype(np.int64)
        # Rows with projects are contiguous in b.indices once empty rows are skipped.
        projects = b.indices.astype(np.int64)
        groups = ranks.spans(projects, offsets)
        for i, span in zip(with_projects.tolist(), groups, strict=True):
            spans[i] = span
        for i, spells in ranks.spells(projects, offsets).items():
            spans[int(with_projects[i])]["spells"] = spells
    proj._node.update(
        (n, {**d, "n_projects": c, **span})
        for n, d, c, span in zip(kept, kept_attrs, degree, spans, strict=True)
    )
    nx._clear_cache(proj)
    return ranks


def _put_links(
    proj: nx.Graph,
    kept: list[Any],
    u_at: npt.NDArray[np.int64],
    v_at: npt.NDArray[np.int64],
    attrs: list[dict[str, Any]],
) -> None:
    """Link ``kept[u_at[e]]`` and ``kept[v_at[e]]`` with ``attrs[e]`` for each link ``e``.

    The links are new, ``u_at < v_at``, sorted by ``(u_at, v_at)``, and both ends are
    nodes already: written into networkx's adjacency directly, each node's neighbours
    in the order ``add_edges_from`` would give them (the links from nodes before it,
    then those to nodes after it), one ``update`` per node rather than one per link.
    """
    n = len(kept)
    by_v = np.argsort(v_at, kind="stable")
    u_ptr = np.searchsorted(u_at, np.arange(n + 1)).tolist()
    v_ptr = np.searchsorted(v_at[by_v], np.arange(n + 1)).tolist()
    firsts = list(map(kept.__getitem__, u_at[by_v].tolist()))
    back = list(map(attrs.__getitem__, by_v.tolist()))
    seconds = list(map(kept.__getitem__, v_at.tolist()))
    padj = proj._adj
    for x, node in enumerate(kept):
        before, after = slice(v_ptr[x], v_ptr[x + 1]), slice(u_ptr[x], u_ptr[x + 1])
        neighbours = padj[node]
        neighbours.update(zip(firsts[before], back[before], strict=True))
        neighbours.update(zip(seconds[after], attrs[after], strict=True))
    nx._clear_cache(proj)


def _link_attrs(
    weights: list[int],
    shared_attr: str,
    shared: list[list[str]] | None,
    starts: list[str | None],
    ends: list[str | None],
) -> list[dict[str, Any]]:
    """Each projection link's attributes, keys in the order the graph gives them:
    ``weight``, what is shared (unless ``shared`` is ``None``), then ``start`` and
    ``end`` where known. One dict display per link, chosen by which bounds it has."""
    if shared is None:
        return [
            {"weight": w}
            if s is None and e is None
            else {"weight": w, "start": s, "end": e}
            if s is not None and e is not None
            else {"weight": w, "start": s}
            if s is not None
            else {"weight": w, "end": e}
            for w, s, e in zip(weights, starts, ends, strict=True)
        ]
    return [
        {"weight": w, shared_attr: names, "start": s, "end": e}
        if s is not None and e is not None
        else {"weight": w, shared_attr: names}
        if s is None and e is None
        else {"weight": w, shared_attr: names, "start": s}
        if s is not None
        else {"weight": w, shared_attr: names, "end": e}
        for w, names, s, e in zip(weights, shared, starts, ends, strict=True)
    ]


def projection_of_links(
    g: nx.Graph,
    links: sp.sparray | sp.spmatrix,
    *,
    keep: int = ORGANISATION,
    with_names: bool = True,
) -> nx.Graph:
    """The projection onto side ``keep`` with only the links that ``links`` holds.

    ``links`` is a matrix over the nodes of :func:`projection_matrix` (same
    ``keep``, same order); its nonzero entries above the diagonal name the
    links to build, each with the attributes :func:`organisation_projection`
    or :func:`project_projection` would give it. Every node of that side
    stays, with its attributes. So a backbone found on the sparse weights is
    built without building the whole projection first. Raises ``ValueError``
    for a graph that is not cleanly bipartite, and for a link between nodes
    that share nothing.

    Examples
    --------
    >>> from defus_graph.model import Dataset, Organisation, Participation, Project
    >>> ds = Dataset(projects=(Project("A"), Project("B")),
    ...              organisations=tuple(Organisation(n) for n in ("Genk", "Gent", "Leuven")),
    ...              participations=(Participation("A", "Genk", "partner"),
    ...                              Participation("A", "Gent", "partner"),
    ...                              Participation("B", "Gent", "partner"),
    ...                              Participation("B", "Leuven", "partner")))
    >>> g = graph_from_dataset(ds)
    >>> w = projection_matrix(g)
    >>> only = w.weights.copy(); only[1, 2] = only[2, 1] = 0
    >>> sorted(projection_of_links(g, only).edges(data="projects"))
    [('org:Genk', 'org:Gent', ['A'])]
    """
    return projection_links_of(g, links, keep=keep, with_names=with_names).graph()


def projection_links_of(
    g: nx.Graph,
    links: sp.sparray | sp.spmatrix,
    *,
    keep: int = ORGANISATION,
    with_names: bool = True,
) -> ProjectionLinks:
    """:func:`projection_of_links` as columns (:class:`ProjectionLinks`), with its checks."""
    inc = _incidence(g, keep)
    if inc is None:
        raise ValueError("the graph is not bipartite: some edge links two nodes of one side")
    return incidence_links_of(inc, links, keep=keep, with_names=with_names)


def incidence_links_of(
    inc: Incidence,
    links: sp.sparray | sp.spmatrix,
    *,
    keep: int = ORGANISATION,
    with_names: bool = True,
) -> ProjectionLinks:
    """:func:`projection_links_of`, from an :class:`Incidence` seen from side ``keep``."""
    import scipy.sparse as sp

    n = len(inc.kept)
    if links.shape != (n, n):
        raise ValueError(f"the links must be a {n} × {n} matrix, not {links.shape}")
    shared_attr = "projects" if keep == ORGANISATION else "organisations"
    with paused_gc():
        proj = _projection_from(inc, keep, shared_attr, with_names=with_names, links=links)
    wanted = sp.coo_array(sp.triu(sp.coo_array(links), k=1))
    wanted.sum_duplicates()
    wanted.eliminate_zeros()
    if proj.number_of_edges() != wanted.nnz:
        raise ValueError("some of the links join nodes that share nothing")
    return proj


def projection_links(
    g: nx.Graph, *, keep: int = ORGANISATION, with_names: bool = True
) -> ProjectionLinks | None:
    """The projection onto side ``keep`` as columns (:class:`ProjectionLinks`): what
    :func:`organisation_projection` or :func:`project_projection` would build, before
    any link is a networkx edge. ``None`` for a graph that is not cleanly bipartite
    (those take the pair-by-pair route, as a graph)."""
    inc = _incidence(g, keep)
    if inc is None:
        return None
    return incidence_links(inc, keep=keep, with_names=with_names)


def incidence_links(
    inc: Incidence, *, keep: int = ORGANISATION, with_names: bool = True
) -> ProjectionLinks:
    """:func:`projection_links`, from an :class:`Incidence` seen from side ``keep``."""
    shared_attr = "projects" if keep == ORGANISATION else "organisations"
    with paused_gc():
        return _projection_from(inc, keep, shared_attr, with_names=with_names)


def organisation_projection(g: nx.Graph, *, with_names: bool = True) -> nx.Graph:
    """Organisations linked when they share projects; ``weight`` = shared projects.

    Computed as a sparse matrix product (``B·Bᵀ`` of the incidence matrix), so
    it takes about a second on a Horizon 2020-sized network where
    :func:`networkx.algorithms.bipartite.weighted_projected_graph` takes minutes,
    with the same weights. ``with_names=False`` leaves out the ``projects``
    list of every edge (``weight``, ``start`` and ``end`` stay), which saves
    time and memory when only the weights are wanted.

    Examples
    --------
    >>> from defus_graph.model import Dataset, Organisation, Participation, Project
    >>> ds = Dataset(projects=(Project("A", start="2017"), Project("B", start="2018-03")),
    ...              organisations=(Organisation("Genk"), Organisation("Leuven")),
    ...              participations=tuple(Participation(p, o, "partner")
    ...                                   for p in "AB" for o in ("Genk", "Leuven")))
    >>> organisation_projection(graph_from_dataset(ds)).edges["org:Genk", "org:Leuven"]
    {'weight': 2, 'projects': ['A', 'B'], 'start': '2017'}
    """
    return _projection(g, ORGANISATION, "projects", with_names=with_names)


def project_projection(g: nx.Graph, *, with_names: bool = True) -> nx.Graph:
    """Projects linked when they share organisations; ``weight`` = shared organisations.

    The same sparse route as :func:`organisation_projection`; ``with_names=False``
    leaves out the ``organisations`` list of every edge.
    """
    return _projection(g, PROJECT, "organisations", with_names=with_names)


def link_weight(value: object) -> float:
    """How much a link counts when sizing and ranking: its ``weight`` if that is a
    positive finite number, else 1 (no weight, or one that is not a number).

    Examples
    --------
    >>> link_weight(3), link_weight(None), link_weight(float("nan")), link_weight("2")
    (3.0, 1.0, 1.0, 1.0)
    """
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = float(value)
        if math.isfinite(number) and number > 0:
            return number
    return 1.0


@dataclass(frozen=True)
class Adjacency:
    """A graph's links as a symmetric sparse matrix over its node ids.

    Row and column ``i`` are ``nodes[i]`` (the ids as text, sorted) and
    ``index`` maps an id back to ``i``. ``links`` holds 1 for each link, both
    ways, self-loops left out; ``weights``, when asked for, has the same
    pattern holding each link's :func:`link_weight`.
    """

    nodes: list[str]
    index: dict[str, int]
    links: sp.csr_array
    weights: sp.csr_array | None


def adjacency(g: nx.Graph, *, weighted: bool = False) -> Adjacency:
    """The links of ``g`` as an :class:`Adjacency` (with ``weights`` if ``weighted``).

    Examples
    --------
    >>> a = adjacency(nx.Graph([("b", "a"), ("a", "a")]))
    >>> a.nodes, a.links.toarray().tolist()
    (['a', 'b'], [[0.0, 1.0], [1.0, 0.0]])
    """
    import scipy.sparse as sp

    nodes = sorted(str(n) for n in g.nodes)
    index = {name: i for i, name in enumerate(nodes)}
    n = len(nodes)
    # Read from networkx's adjacency dicts: each link once from either end.
    adj = g._adj
    position = {node: index[str(node)] for node in adj}
    counts = np.fromiter((len(adj[u]) for u in adj), dtype=np.int64, count=len(adj))
    rows = np.repeat(np.fromiter(position.values(), dtype=np.int64, count=len(adj)), counts)
    # Each neighbour's position, looked up in C (a dict iterates its keys).
    cols = np.fromiter(
        map(position.__getitem__, chain.from_iterable(adj.values())),
        dtype=np.int64,
        count=int(counts.sum()),
    )
    loops = rows == cols
    links = sp.coo_array(
        (np.ones(int((~loops).sum())), (rows[~loops], cols[~loops])), shape=(n, n)
    ).tocsr()
    links.sum_duplicates()
    links.sort_indices()
    weights = None
    if weighted:
        weights = _weights(adj, rows, cols, loops, links)
    links.data[:] = 1.0
    return Adjacency(nodes, index, links, weights)


def participation_adjacency(parts: Participations) -> Adjacency:
    """``adjacency(graph_from_dataset(parts.dataset))``, from the arrays, without the graph.

    Every project and organisation is a node (one in no project too), each
    participation a link.
    """
    import scipy.sparse as sp

    ids = [project_id(p.acronym) for p in parts.projects]
    ids += [org_id(o.name) for o in parts.organisations]
    nodes = sorted(ids)
    index = {name: i for i, name in enumerate(nodes)}
    position = np.fromiter(map(index.__getitem__, ids), dtype=np.int64, count=len(ids))
    ends = position[parts.project], position[parts.organisation + len(parts.projects)]
    rows, cols = np.concatenate(ends), np.concatenate(ends[::-1])
    n = len(nodes)
    links = sp.coo_array((np.ones(len(rows)), (rows, cols)), shape=(n, n)).tocsr()
    links.sum_duplicates()
    links.sort_indices()
    return Adjacency(nodes, index, links, None)


def _weights(
    adj: dict[Any, dict[Any, dict[str, Any]]],
    rows: npt.NDArray[np.int64],
    cols: npt.NDArray[np.int64],
    loops: npt.NDArray[np.bool_],
    summed: sp.csr_array,
) -> sp.csr_array:
    """The :func:`link_weight` matrix of :func:`adjacency`; ``summed`` is its links matrix
    before they are set to 1 (each 1 summed over duplicates), which is what weights all
    read as 1 give."""
    import scipy.sparse as sp

    # Each link's ``weight`` (None when it has none), read in C: a bipartite graph has none.
    stated = list(
        map(dict.get, chain.from_iterable(map(dict.values, adj.values())), repeat("weight"))
    )
    if stated.count(None) == len(stated):
        return summed.copy()
    weight = np.fromiter(map(link_weight, stated), dtype=np.float64, count=len(stated))
    kept = ~loops
    weights = sp.coo_array((weight[kept], (rows[kept], cols[kept])), shape=summed.shape).tocsr()
    weights.sort_indices()
    return weights


@dataclass(frozen=True, eq=False)
class Participations:
    """The bipartite graph of a dataset as arrays, for questions that need no networkx graph.

    Node ``i`` is ``projects[i]`` for ``i < len(projects)``, then the
    organisations: the order of ``list(graph_from_dataset(ds))``. Edge ``e``
    links ``projects[project[e]]`` and ``organisations[organisation[e]]`` with
    ``roles[e]``, in the order of the participations, so a node's edges come in
    the order networkx lists its neighbours. Built by :meth:`from_dataset`.
    """

    dataset: Dataset
    project: npt.NDArray[np.int64]
    organisation: npt.NDArray[np.int64]
    roles: tuple[str, ...]

    @classmethod
    def from_dataset(cls, ds: Dataset) -> Participations | None:
        """The arrays of ``ds``; ``None`` for a dataset the graph would have to repair.

        That is one with a repeated acronym or name, a participation naming an
        unknown project or organisation, or one pair stated twice (the graph
        merges those); a checked data folder has none of them.
        """
        p_index = {p.acronym: i for i, p in enumerate(ds.projects)}
        o_index = {o.name: i for i, o in enumerate(ds.organisations)}
        if len(p_index) != len(ds.projects) or len(o_index) != len(ds.organisations):
            return None
        n = len(ds.participations)
        try:  # looked up in C: map over the attributes, no Python frame per row
            project = np.fromiter(
                map(p_index.__getitem__, map(attrgetter("project"), ds.participations)),
                np.int64,
                n,
            )
            organisation = np.fromiter(
                map(o_index.__getitem__, map(attrgetter("organisation"), ds.participations)),
                np.int64,
                n,
            )
        except KeyError:
            return None
        # A pair stated twice is next to itself once sorted (np.unique of a million
        # pairs, hashing them, takes a second where sorting takes a hundredth).
        pairs = np.sort(project * max(len(ds.organisations), 1) + organisation)
        if bool((pairs[1:] == pairs[:-1]).any()):
            return None
        roles = tuple(map(attrgetter("role"), ds.participations))
        return cls(ds, project, organisation, roles)

    @property
    def projects(self) -> tuple[Project, ...]:
        """The dataset's projects (nodes ``0 … len(projects) - 1``)."""
        return self.dataset.projects

    @property
    def organisations(self) -> tuple[Organisation, ...]:
        """The dataset's organisations (the nodes after the projects)."""
        return self.dataset.organisations

    @property
    def n_nodes(self) -> int:
        """Projects and organisations."""
        return len(self.projects) + len(self.organisations)

    def incidence(self) -> sp.csr_array:
        """``bt[p, o]`` = 1 when project ``p`` has organisation ``o``, as :func:`_incidence`."""
        import scipy.sparse as sp

        n_p, n_o = len(self.projects), len(self.organisations)
        bt = sp.csr_array(
            (np.ones(len(self.project), dtype=np.int32), (self.project, self.organisation)),
            shape=(n_p, n_o),
        )
        bt.sort_indices()
        return bt

    def adjacency(self) -> sp.csr_array:
        """Both directions of every edge over all nodes, as ``analysis._adjacency`` builds it."""
        import scipy.sparse as sp

        n_p, n = len(self.projects), self.n_nodes
        rows = np.concatenate([self.project, self.organisation + n_p])
        cols = np.concatenate([self.organisation + n_p, self.project])
        a = sp.csr_array((np.ones(len(rows)), (rows, cols)), shape=(n, n))
        a.sort_indices()
        return a

    def edges_of_projects(self) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
        """Edge numbers grouped by project (in edge order) and each project's offset."""
        return _grouped(self.project, len(self.projects))

    def edges_of_organisations(self) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
        """Edge numbers grouped by organisation (in edge order) and each one's offset."""
        return _grouped(self.organisation, len(self.organisations))


@dataclass(frozen=True, eq=False)
class BipartiteColumns:
    """The bipartite view without filters, as a dataset's arrays: what the writers lay
    out without a networkx graph (:meth:`graph` builds it, for reference).

    It stands for ``views.filter_graph(g, Filters())``, where ``g`` is
    :func:`graph_from_dataset` of ``parts.dataset`` with ``places`` set on its
    organisations (``names.places.with_coordinates``) when they are given:
    organisations in no project are left out, as ``filter_graph`` leaves them.
    Made by :meth:`of`.
    """

    parts: Participations
    #: One place per organisation, in the dataset's order; ``None``: no coordinates added.
    places: tuple[Place, ...] | None = None

    @classmethod
    def of(
        cls, parts: Participations, places: Sequence[Place] | None = None
    ) -> BipartiteColumns | None:
        """The view of ``parts`` with ``places``; ``None`` unless the places are one per
        organisation, in order (as ``store.snapshot.kept_places`` gives them)."""
        if places is not None:
            if [p.organisation for p in places] != [o.name for o in parts.organisations]:
                return None
            places = tuple(places)
        return cls(parts, places)

    def organisation_counts(self) -> npt.NDArray[np.int64]:
        """How many projects each organisation of the dataset is in."""
        counts = np.bincount(self.parts.organisation, minlength=len(self.parts.organisations))
        return counts.astype(np.int64)

    def number_of_nodes(self) -> int:
        """The projects, and the organisations in some project."""
        return len(self.parts.projects) + int(np.count_nonzero(self.organisation_counts()))

    def number_of_edges(self) -> int:
        """One link per participation."""
        return len(self.parts.project)

    def graph(self) -> nx.Graph:
        """The graph this view stands for, built as ``defus-graph export`` builds it."""
        from ..names.places import with_coordinates
        from .views import Filters, filter_graph

        g = graph_from_dataset(self.parts.dataset)
        if self.places is not None:
            with_coordinates(g, self.places)
        return filter_graph(g, Filters())


def _grouped(
    owner: npt.NDArray[np.int64], count: int
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    order = np.argsort(owner, kind="stable")
    ptr = np.zeros(count + 1, dtype=np.int64)
    np.cumsum(np.bincount(owner, minlength=count), out=ptr[1:])
    return order, ptr
