"""What every writer writes, worked out once: ids, labels, typed attributes and time spans.

The writers (GEXF, GraphML, CSV) only lay out a :class:`Table`; the
decisions about values live here, so every format says the same thing. The
table is column-wise (one list per attribute, ``None`` where a row has no
value), so each rule below runs once per column with code specialised to the
column's types, rather than once per value.

Values
    ``None``, ``""``, NaN, infinities and empty lists are missing and left out.
    Lists, tuples and sets become one string joined with ``"; "``. Text loses
    the characters XML 1.0 cannot hold (control characters other than tab,
    newline and carriage return; lone surrogates; U+FFFE, U+FFFF), so every
    format stays readable; text left empty by that is missing too.
Types
    One type per attribute and domain: ``boolean`` if every value is a bool,
    ``integer`` (``long`` beyond 32 bits) if every value is an int, ``double``
    if every value is a number, else ``string`` (numbers and booleans are then
    written as :func:`format_value` gives them). ``funding_eur``,
    ``contribution_eur``, ``latitude`` and ``longitude`` are always a
    ``double`` when every value is a number.
Names
    Attributes whose names the formats use for structure are renamed:
    ``start``/``end`` (the dates as stated, e.g. "2017") become
    ``stated_start``/``stated_end``; ``source``/``line`` (provenance) become
    ``source_document``/``source_line``; any other clash (``id``, ``label``,
    ``target``, ``type``, ``weight``, ``timeset`` in any case) gets ``_attr``
    added. Names lose the characters XML cannot hold.
Time
    A project spans its stated dates widened to whole days (``"2017-10"`` runs
    from 2017-10-01 to 2017-10-31). An organisation in the bipartite graph
    exists while one of its projects runs: its *spells* are its projects'
    intervals merged where they overlap or touch (a gap of at least one whole
    day parts two spells), and its interval is their cover
    (:func:`defus_graph.graph.bipartite.date_span`). On projections the graph carries
    the cover as ``start``/``end`` and, when there are several, the spells as
    ``spells`` (:func:`defus_graph.graph.bipartite.date_spells`), for organisations and
    links alike. A bipartite edge spans its project. A bound that is not
    known is left open (``None``): a project without an end runs on for ever,
    one without any date always, so an organisation with an undated project
    has one spell that is always (as :mod:`defus_graph.analysis.compare` never puts
    such a project in a period, Gephi shows more there). ``spells`` is empty
    where there is one interval (or none): then ``intervals`` says it all.
Errors
    :class:`ExportError` when two node ids become the same once cleaned, or
    when two attributes of one node or edge would be written under the same
    name (``start`` beside ``stated_start``, say).
"""

from __future__ import annotations

import datetime as dt
import math
import numbers
from collections import deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import chain, compress, repeat
from operator import attrgetter, is_, is_not
from typing import Any, TypeAlias, TypeVar, cast

import networkx as nx
import numpy as np
import numpy.typing as npt

from .._bulk import paused_gc
from ..graph.bipartite import ORGANISATION, PROJECT, BipartiteColumns, ProjectionLinks
from ..model import date_bounds
from ._columns import (
    Attributes,
    ExportError,
    Order,
    RawColumns,
    clean_text,
    is_missing,
    raw_columns,
    scalar,
    typed_attributes,
)

__all__ = ["Edges", "Interval", "Nodes", "Table", "Writable", "table_from_graph"]

#: What the writers lay out: a graph, a projection as columns, the bipartite view as arrays.
Writable: TypeAlias = nx.Graph | ProjectionLinks | BipartiteColumns

#: Graph attributes that are not written as attributes (the writers place them).
_NODE_SKIP = frozenset({"label", "viz", "spells"})
_EDGE_SKIP = frozenset({"label", "weight", "viz", "id", "spells"})


@dataclass(frozen=True)
class Interval:
    """When something exists: whole days, either bound ``None`` when unknown."""

    start: dt.date | None = None
    end: dt.date | None = None

    def is_dated(self) -> bool:
        """Whether either bound is known."""
        return self.start is not None or self.end is not None


_UNDATED = Interval()
_NO_SPELLS: tuple[Interval, ...] = ()
#: Day numbers before and after every date, for open bounds.
_NO_DAY = dt.date.min.toordinal() - 2
_ALL_DAYS = dt.date.max.toordinal() + 2
_T = TypeVar("_T")
_START = attrgetter("start")
_END = attrgetter("end")


@dataclass(frozen=True)
class Nodes:
    """Every node, sorted by id, column by column.

    ``keys[i]`` is the graph's own node (positions and sizes are keyed by it);
    ``ids[i]`` its id as written.
    """

    keys: list[Any]
    ids: list[str]
    labels: list[str]
    kinds: list[str]
    is_project: list[bool]
    intervals: list[Interval]
    spells: list[tuple[Interval, ...]]
    attributes: Attributes

    def __len__(self) -> int:
        return len(self.ids)


@dataclass(frozen=True)
class Edges:
    """Every edge, sorted by its ends, column by column; edge ``i`` has the id ``str(i)``.

    ``weights[i]`` is ``None`` when the graph gives none. ``groups``, when given,
    says which edges are alike but for their ends: those with the same
    ``groups[i] >= 0`` have identical labels, weights, intervals, spells and attribute
    values (identical, not only equal: never ``0.0`` beside ``-0.0``; they are a
    projection's links through one project), so a writer may write those once per
    group; ``-1`` is in no group.
    """

    sources: list[str]
    targets: list[str]
    labels: list[str]
    weights: list[float | None]
    intervals: list[Interval]
    spells: list[tuple[Interval, ...]]
    attributes: Attributes
    #: A hint on the other columns, so not compared (an array has no single truth value).
    groups: npt.NDArray[np.int64] | None = field(default=None, compare=False)

    def __len__(self) -> int:
        return len(self.sources)

    def take(self, positions: list[int]) -> Edges:
        """The edges at ``positions``, in that order (without groups)."""
        take = Order(positions)
        attrs = self.attributes
        return Edges(
            take(self.sources),
            take(self.targets),
            take(self.labels),
            take(self.weights),
            take(self.intervals),
            take(self.spells),
            Attributes(attrs.columns, list(map(take, attrs.values)), take(attrs.orders)),
        )


@dataclass(frozen=True)
class Table:
    """A graph laid out for writing: rows in a stable order, typed columns."""

    nodes: Nodes
    edges: Edges


# --- time -------------------------------------------------------------------------------------


def _interval(start: Any, end: Any) -> Interval:
    """The whole days from stated ``start`` to stated ``end`` (either may be missing)."""
    return Interval(
        start=date_bounds(str(start))[0] if start else None,
        end=date_bounds(str(end))[1] if end else None,
    )


class _Intervals:
    """:func:`_interval` of many stated dates; the same dates give the same object.

    Projects and projection edges repeat a few thousand date pairs; sharing
    the objects saves building them again, and lets a writer format each once.
    """

    def __init__(self) -> None:
        self._known: dict[tuple[str | None, str | None], Interval] = {}

    def __call__(self, start: Any, end: Any) -> Interval:
        # Only text is cached: 2017 and 2017.0 are equal keys but not equal dates.
        if not (start is None or type(start) is str) or not (end is None or type(end) is str):
            return _interval(start, end)
        found = self._known.get((start, end))
        if found is None:
            found = self._known[start, end] = _interval(start, end)
        return found

    def stated(self, starts: list[Any], ends: list[Any]) -> list[Interval | None]:
        """Each row's interval from its stated dates; ``None`` where it states neither.

        Rows of text (or nothing) are looked up once per distinct pair of dates.
        """
        text = {str, type(None)}
        if not (set(map(type, starts)) <= text and set(map(type, ends)) <= text):
            return [self(s, e) if s or e else None for s, e in zip(starts, ends, strict=True)]
        # The pairs made by zip as they are used, never held in a list (zip then reuses
        # one tuple for the rows whose pair is known already).
        distinct = dict.fromkeys(zip(starts, ends, strict=True))
        known = self._known
        new = [pair for pair in distinct if pair not in known and (pair[0] or pair[1])]
        for s, e in new:  # each distinct pair made once, in order (date_bounds is cached)
            known[s, e] = Interval(
                date_bounds(s)[0] if s else None, date_bounds(e)[1] if e else None
            )
        found = {pair: known[pair] if pair[0] or pair[1] else None for pair in distinct}
        return list(map(found.__getitem__, zip(starts, ends, strict=True)))


def _span(intervals: list[Interval]) -> Interval:
    """The interval covering some projects'; a bound stays open if any project's is.

    The same as the interval of :func:`defus_graph.graph.bipartite.date_span` of the projects.
    """
    if not intervals:
        return _UNDATED
    starts = list(map(_START, intervals))
    ends = list(map(_END, intervals))
    return Interval(
        start=None if None in starts else min(cast(list[dt.date], starts)),
        end=None if None in ends else max(cast(list[dt.date], ends)),
    )


def _days(interval: Interval) -> tuple[int, int]:
    start, end = interval.start, interval.end
    return (
        _NO_DAY if start is None else start.toordinal(),
        _ALL_DAYS if end is None else end.toordinal(),
    )


def merged_intervals(intervals: list[Interval]) -> tuple[Interval, ...]:
    """The fewest disjoint intervals covering the same days, in time order.

    Intervals that overlap or touch (one ends the day before the other
    starts) become one; an open bound reaches every day before (or after).

    Examples
    --------
    >>> d = dt.date
    >>> merged = merged_intervals([Interval(d(2019, 1, 1), d(2019, 12, 31)),
    ...                            Interval(d(2014, 1, 1), d(2015, 6, 30)),
    ...                            Interval(d(2015, 7, 1), d(2016, 12, 31))])
    >>> [(str(i.start), str(i.end)) for i in merged]
    [('2014-01-01', '2016-12-31'), ('2019-01-01', '2019-12-31')]
    >>> merged_intervals([Interval(d(2019, 1, 1), None), Interval(None, d(2020, 1, 1))])
    (Interval(start=None, end=None),)
    """
    if len(intervals) == 1:
        return (intervals[0],)
    out: list[Interval] = []
    reach = _NO_DAY
    # The position breaks ties, as intervals have no order of their own.
    for start_day, end_day, _, interval in sorted(
        (*_days(i), k, i) for k, i in enumerate(intervals)
    ):
        if out and start_day <= reach + 1:
            if end_day > reach:
                reach = end_day
                out[-1] = Interval(out[-1].start, interval.end)
        else:
            reach = end_day
            out.append(interval)
    return tuple(out)


def _spells(intervals: list[Interval]) -> tuple[Interval, ...]:
    """:func:`merged_intervals` when there are more than one, else nothing."""
    if len(intervals) < 2:
        return _NO_SPELLS
    merged = merged_intervals(intervals)
    return merged if len(merged) > 1 else _NO_SPELLS


def _stated_spells(spells: Any, interval: _Intervals) -> tuple[Interval, ...]:
    """The spells a graph states (pairs of stated dates), merged."""
    if not spells or isinstance(spells, str):
        return _NO_SPELLS
    return _spells([interval(start, end) for start, end in spells])


# --- labels and weights -----------------------------------------------------------------------


def _node_label(label: Any, node_id: str) -> str:
    """The label as text, else the id without its side (``org:Genk`` is "Genk")."""
    if type(label) is str and label and label.isprintable():
        return label
    return str(scalar(label)) if not is_missing(label) else node_id.split(":", 1)[-1]


def _edge_labels(raw: RawColumns) -> list[str]:
    """Each edge's label, else its role, else what a projection edge shares, else ``""``.

    The first of those columns with a value (not missing) gives its text; the
    columns are read whole, each by :func:`present_texts`.
    """
    labels: list[str | None] | None = None
    for key in ("label", "role", "projects", "organisations"):
        if key not in raw.columns:
            continue
        texts = raw.texts(key)
        if labels is None:  # the first column with values: its texts as they are
            labels = list(texts)
        else:
            labels = [t if label is None else label for label, t in zip(labels, texts, strict=True)]
        if None not in labels:
            return cast(list[str], labels)
    if labels is None:
        return [""] * len(raw.shapes)
    return [label if label is not None else "" for label in labels]


def _weight(value: Any) -> float | None:
    """A weight as a float; ``None`` unless it is a finite number (not a bool)."""
    if type(value) is int:  # the usual cases first: the numbers ABC below is slow
        return float(value)
    if type(value) is float:
        return value if math.isfinite(value) else None
    if is_missing(value) or isinstance(value, bool) or not isinstance(value, numbers.Real):
        return None
    return float(value)


# --- the table --------------------------------------------------------------------------------


def table_from_graph(g: Writable) -> Table:
    """Lay out ``g`` for writing: nodes sorted by id, edges by their ends.

    ``g`` may be a projection given as columns (:class:`ProjectionLinks`), or the
    bipartite view as the dataset's arrays (:class:`BipartiteColumns`): the table
    is then the one of ``g.graph()``, made without building it.

    Node ids are the graph's ids as text, cleaned of characters XML cannot
    hold. Raises :class:`ExportError` if two ids become the same that way.
    Edges run from the project to the organisation, or between ends in id
    order; their ids are their positions ("0", "1", ...).

    Examples
    --------
    >>> g = nx.Graph()
    >>> g.add_node("org:Genk", bipartite=1, kind="city", label="Genk", line=0)
    >>> t = table_from_graph(g)
    >>> t.nodes.ids, t.nodes.labels
    (['org:Genk'], ['Genk'])
    >>> attributes = t.nodes.attributes
    >>> [c.name for c in attributes.columns]
    ['kind', 'bipartite', 'n_projects', 'source_line']
    >>> attributes.columns[0], attributes.values[0]
    (Column(name='kind', type='string'), ['city'])
    """
    with paused_gc():
        if isinstance(g, ProjectionLinks):
            return _table_from_links(g)
        if isinstance(g, BipartiteColumns):
            from ._arrays import table_of_columns

            return table_of_columns(g)
        return _table_from_graph(g)


def _ids(nodes: Iterable[Any]) -> dict[Any, str]:
    """Each node's id as written (in the order given); :class:`ExportError` when two
    become the same once cleaned."""
    nodes = list(nodes)
    texts = list(map(str, nodes))
    # Usually every id is printable text (nothing to clean, told by one check over all
    # of them) and no two are equal: the ids are the texts themselves.
    if "".join(texts).isprintable() and len(set(texts)) == len(texts):
        return dict(zip(nodes, texts, strict=True))
    ids: dict[Any, str] = {}
    taken: dict[str, Any] = {}
    for node in nodes:
        text = clean_text(str(node))
        if text in taken:
            raise ExportError(
                f"nodes {str(taken[text])!r} and {str(node)!r} have the same id once "
                "characters that XML cannot hold are removed; rename one of them."
            )
        taken[text] = node
        ids[node] = text
    return ids


# Reading a node's or an edge's attributes costs far more on a large graph when the
# reads jump about memory: so the graph is read in its own order (the order its
# dictionaries were filled in), and the finished columns are then put in id order.


@dataclass(frozen=True)
class _GraphEdges:
    """Each edge once, oriented (see :func:`_graph_edges`), sorted by its ends' ids."""

    firsts: list[Any]
    seconds: list[Any]
    rows: list[Mapping[str, Any]]
    #: Whether every edge links a project (first) and an organisation (second).
    bipartite: bool
    #: The ranks of both ends of every entry of the adjacency (each edge twice), when
    #: read already: what :class:`_Neighbours` needs.
    ends: tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]] | None = None


def _graph_edges(g: nx.Graph, side: Mapping[Any, Any], rank: Mapping[Any, int]) -> _GraphEdges:
    """Each edge of ``g`` once, from the project to the organisation, else from the end
    with the smaller id, sorted by its ends' ids (``rank`` is each node's place in id
    order; a pair of ranks is sorted as one int, much faster than a pair of ids)."""
    if not (g.is_directed() or g.is_multigraph()):
        return _simple_graph_edges(g, side, rank)
    n = len(rank)
    sort_keys: list[int] = []
    firsts: list[Any] = []
    seconds: list[Any] = []
    rows: list[Mapping[str, Any]] = []
    bipartite = True
    for u, v, d in g.edges(data=True):  # each edge as networkx gives it
        u_project, v_project = side[u] == PROJECT, side[v] == PROJECT
        if (v_project and not u_project) or (u_project == v_project and rank[v] < rank[u]):
            u, v = v, u
        bipartite = bipartite and side[u] == PROJECT and side[v] == ORGANISATION
        sort_keys.append(rank[u] * n + rank[v])
        firsts.append(u)
        seconds.append(v)
        rows.append(d)
    by_ends = Order(np.argsort(np.array(sort_keys, dtype=np.int64), kind="stable").tolist())
    return _GraphEdges(by_ends(firsts), by_ends(seconds), by_ends(rows), bipartite)


def _simple_graph_edges(
    g: nx.Graph, side: Mapping[Any, Any], rank: Mapping[Any, int]
) -> _GraphEdges:
    """:func:`_graph_edges` of an undirected simple graph, whose adjacency holds each
    edge under both its ends: one of the two is kept, chosen in numpy for all at once."""
    adj = g._adj  # plain dicts, unlike g.adj
    neighbours = list(adj.values())
    degrees = np.fromiter(map(len, neighbours), dtype=np.int64, count=len(neighbours))
    ends = chain.from_iterable(neighbours)
    by_rank = [*rank]
    # Each node's side by rank, then each end's by its rank: one look-up per node.
    sides = list(map(side.__getitem__, by_rank))
    project = np.fromiter([s == PROJECT for s in sides], bool, len(sides))
    organisation = np.fromiter([s == ORGANISATION for s in sides], bool, len(sides))
    u_rank = np.repeat(np.fromiter(map(rank.__getitem__, adj), np.int64, len(adj)), degrees)
    v_rank = np.fromiter(map(rank.__getitem__, ends), np.int64, int(degrees.sum()))
    u_project, v_project = project[u_rank], project[v_rank]
    v_organisation = organisation[v_rank]
    keep = np.where(u_project != v_project, u_project, u_rank <= v_rank)
    at = np.flatnonzero(keep)
    bipartite = bool(np.all(u_project[at] & v_organisation[at]))
    # Unique keys in a simple graph: the order is the one sorting them gives.
    at = at[np.argsort(u_rank[at] * max(len(rank), 1) + v_rank[at], kind="stable")]
    rows = list(chain.from_iterable(map(dict.values, neighbours)))
    return _GraphEdges(
        firsts=_take(by_rank, u_rank[at]),
        seconds=_take(by_rank, v_rank[at]),
        rows=_take(rows, at),
        bipartite=bipartite,
        ends=(u_rank, v_rank),
    )


def _take(values: list[_T], positions: npt.NDArray[np.int64]) -> list[_T]:
    """``values`` at ``positions``, in that order."""
    return Order(positions.tolist())(values)


def _nodes(
    g: nx.Graph,
    ids: dict[Any, str],
    by_id: Order,
    side: Mapping[Any, Any],
    interval: _Intervals,
    *,
    bipartite: bool,
    ends: tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]] | None = None,
) -> tuple[Nodes, dict[Any, Interval]]:
    """The nodes of ``g`` put in id order by ``by_id``, and each project's interval.

    ``bipartite``: every edge links a project and an organisation, so every
    neighbour of a node is of the other side. ``ends``: the ranks in id order of
    both ends of each entry of ``g``'s adjacency, when known (:class:`_GraphEdges`).

    Column by column: :func:`raw_columns` reads each node's dict (twice, and no
    more), and what needs a node's neighbours (its counts, an organisation's time)
    is worked out for every node at once by :class:`_Neighbours`.
    """
    keys = list(g._node)
    records = list(g._node.values())
    near = _Neighbours.of_graph(g, keys, bipartite=bipartite)
    if ends is not None:
        near.found(*(np.array(by_id.positions, dtype=np.int64)[e] for e in ends))
    sides = list(map(side.__getitem__, keys))
    return laid_nodes(keys, sides, raw_columns(records), (ids, by_id), interval, near, records)


def laid_nodes(
    keys: list[Any],
    sides: list[Any],
    raw: RawColumns,
    order: tuple[dict[Any, str], Order],
    interval: _Intervals,
    near: _Neighbours,
    records: Sequence[Mapping[str, Any]] | Callable[[], Sequence[Mapping[str, Any]]],
) -> tuple[Nodes, dict[Any, Interval]]:
    """The nodes ``keys`` (in the graph's order, on ``sides``, with the attributes
    ``raw``) put in id order, and each project's interval; ``order`` is each node's
    id as written and the order of the ids. ``near`` finds the nodes' neighbours;
    ``records`` (or what gives them) are the nodes' dicts, read only for a ``kind``
    of ``None``."""
    ids, by_id = order
    is_project = [s == PROJECT for s in sides]
    project_rows = np.fromiter(is_project, bool, len(keys))
    org_rows = np.fromiter([s == ORGANISATION for s in sides], bool, len(keys))
    stated = interval.stated(raw.column("start"), raw.column("end"))
    # A project spans its stated dates (none: always), as does any node that states
    # some; an organisation that states none spans its projects (below).
    intervals = [_UNDATED if i is None else i for i in stated]
    projects = {keys[k]: intervals[k] for k in np.flatnonzero(project_rows).tolist()}
    spells = [
        _NO_SPELLS if project or not stated_spells else _stated_spells(stated_spells, interval)
        for project, stated_spells in zip(is_project, raw.column("spells"), strict=True)
    ]
    undated = np.fromiter(map(is_, stated, repeat(None)), bool, len(keys))
    if (org_rows & undated).any():
        near.spans(intervals, spells, org_rows & undated, project_rows)
    # How many of the other side each node is linked to comes last among its
    # attributes, unless the graph says already.
    _with_count(raw, "n_organisations", project_rows, lambda: near.counts(org_rows))
    _with_count(raw, "n_projects", org_rows, lambda: near.counts(project_rows))
    node_ids = list(map(ids.__getitem__, keys))
    return Nodes(
        keys=by_id(keys),
        ids=by_id(node_ids),
        labels=by_id(list(map(_node_label, raw.column("label"), node_ids))),
        kinds=by_id(_kinds_of(raw, records)),
        is_project=by_id(is_project),
        intervals=by_id(intervals),
        spells=by_id(spells),
        attributes=typed_attributes(raw.reordered(by_id), _NODE_SKIP),
    ), projects


def _kinds_of(
    raw: RawColumns,
    records: Sequence[Mapping[str, Any]] | Callable[[], Sequence[Mapping[str, Any]]],
) -> list[str]:
    """Each node's ``kind`` as text (``str(d.get("kind", ""))``)."""
    kinds = raw.column("kind")
    if None in kinds:  # no kind is "", a kind of None is "None": ask the dicts
        dicts = records() if callable(records) else records
        return [str(d.get("kind", "")) for d in dicts]
    return list(map(str, kinds))


def _with_count(
    raw: RawColumns, key: str, rows: npt.NDArray[np.bool_], counts: Callable[[], Any]
) -> None:
    """Give each of ``rows`` that has no ``key`` its count (``counts()[row]``) under
    ``key``, as its last attribute; in place."""
    shapes = raw.shapes
    has = {shape: key in shape for shape in dict.fromkeys(shapes)}
    lacking = ~np.fromiter(map(has.__getitem__, shapes), bool, len(shapes))
    at = np.flatnonzero(rows & lacking).tolist()
    if not at:
        return
    column = raw.columns.get(key)
    if column is None:
        column = raw.columns[key] = [None] * len(shapes)
    deque(map(column.__setitem__, at, counts()[at].tolist()), maxlen=0)
    longer = {shape: (*shape, key) for shape in has}
    deque(map(shapes.__setitem__, at, map(longer.__getitem__, map(shapes.__getitem__, at))), 0)


class _Neighbours:
    """Each node's neighbours as row numbers (rows in the graph's order), for what
    needs them: how many of a side a node is linked to, an organisation's time."""

    def __init__(
        self,
        degrees: npt.NDArray[np.int64],
        *,
        bipartite: bool,
        pairs: Callable[[], tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]],
    ) -> None:
        self._degrees = degrees
        self._bipartite = bipartite
        self._read = pairs
        self._pairs: tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]] | None = None

    @classmethod
    def of_graph(cls, g: nx.Graph, keys: list[Any], *, bipartite: bool) -> _Neighbours:
        """The neighbours of the nodes ``keys`` of ``g`` (rows in that order)."""
        adj = g._adj
        neighbours = [adj[n] for n in keys]
        degrees = np.fromiter(map(len, neighbours), np.int64, len(keys))

        def pairs() -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
            row = dict(zip(keys, range(len(keys)), strict=True))
            ends = chain.from_iterable(neighbours)
            others = np.fromiter(map(row.__getitem__, ends), np.int64, int(degrees.sum()))
            owners = np.repeat(np.arange(len(keys), dtype=np.int64), degrees)
            return owners, others

        return cls(degrees, bipartite=bipartite, pairs=pairs)

    def found(self, owners: npt.NDArray[np.int64], others: npt.NDArray[np.int64]) -> None:
        """Take each (row, neighbour's row) as read already."""
        self._pairs = owners, others

    def pairs(self) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
        """Each (row, neighbour's row): the rows in any order, each link at both ends."""
        if self._pairs is None:
            self._pairs = self._read()
        return self._pairs

    def counts(self, of: npt.NDArray[np.bool_]) -> npt.NDArray[np.int64]:
        """How many neighbours in ``of`` each node has (right for the other side's
        nodes only, when the graph is bipartite)."""
        if self._bipartite:  # every neighbour is of the other side
            return self._degrees
        owners, others = self.pairs()
        return np.bincount(owners[of[others]], minlength=len(self._degrees)).astype(np.int64)

    def spans(
        self,
        intervals: list[Interval],
        spells: list[tuple[Interval, ...]],
        rows: npt.NDArray[np.bool_],
        project_rows: npt.NDArray[np.bool_],
    ) -> None:
        """Give each of ``rows`` with projects among its neighbours their cover as its
        interval and, where it has no spells, their merged intervals when there are
        several (:func:`_span`, :func:`_spells`); in place.

        For every row at once: its projects' days sorted, a spell starts wherever an
        interval starts more than a day after all before it have ended.
        """
        owners, others = self.pairs()
        take = rows[owners] & project_rows[others]
        if not take.any():
            return
        owners, others = owners[take], others[take]
        first_day, last_day = _project_days(intervals, project_rows)
        starts, ends = first_day[others], last_day[others]
        by_day = np.lexsort((ends, starts, owners))
        owners, starts, ends = owners[by_day], starts[by_day], ends[by_day]
        # Each row's latest end so far: a running maximum kept within rows by an offset.
        offset = owners * (_ALL_DAYS - _NO_DAY + 1) - _NO_DAY
        reach = np.maximum.accumulate(ends + offset) - offset
        first = np.ones(len(owners), dtype=bool)
        first[1:] = owners[1:] != owners[:-1]
        opens = first.copy()
        opens[1:] |= starts[1:] > reach[:-1] + 1
        _put_spans(intervals, spells, (owners, starts, ends, reach), first, opens)


def _project_days(
    intervals: list[Interval], project_rows: npt.NDArray[np.bool_]
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Each project row's first and last day (:func:`_days`); 0 for other rows."""
    at = np.flatnonzero(project_rows).tolist()
    first, last = np.zeros(len(intervals), np.int64), np.zeros(len(intervals), np.int64)
    if not at:
        return first, last
    # Projects share interval objects: each object's days made once, looked up in C.
    chosen = Order(at)(intervals)
    keys = list(map(id, chosen))
    made = {key: _days(i) for key, i in dict(zip(keys, chosen, strict=True)).items()}
    first[at], last[at] = np.array(list(map(made.__getitem__, keys)), dtype=np.int64).T
    return first, last


def _put_spans(
    intervals: list[Interval],
    spells: list[tuple[Interval, ...]],
    days: tuple[npt.NDArray[np.int64], ...],
    first: npt.NDArray[np.bool_],
    opens: npt.NDArray[np.bool_],
) -> None:
    """Write the covers and spells :meth:`_Neighbours.spans` found: ``days`` is each
    interval's row, first day, last day and its row's latest day so far, sorted by row
    and day; ``first`` marks where a row's intervals begin, ``opens`` where a spell does.
    """
    owners, starts, ends, reach = days
    made: dict[tuple[int, int], Interval] = {}

    def of_days(start: int, end: int) -> Interval:
        found = made.get((start, end))
        if found is None:
            found = made[start, end] = Interval(
                None if start == _NO_DAY else dt.date.fromordinal(start),
                None if end == _ALL_DAYS else dt.date.fromordinal(end),
            )
        return found

    begins = np.flatnonzero(first)
    rows = owners[begins].tolist()
    last = np.append(begins[1:] - 1, len(owners) - 1)
    # Rows share covers: each pair of days made once, then set on every row in C.
    covers = list(zip(starts[begins].tolist(), reach[last].tolist(), strict=True))
    made_covers = {pair: of_days(*pair) for pair in dict.fromkeys(covers)}
    deque(map(intervals.__setitem__, rows, map(made_covers.__getitem__, covers)), maxlen=0)
    heads = np.flatnonzero(opens)
    spell_starts = starts[heads].tolist()
    spell_ends = reach[np.append(heads[1:] - 1, len(owners) - 1)].tolist()
    # An interval that ends before it starts cuts the reach of merged_intervals short,
    # unlike a running maximum: the few rows with one are merged one by one.
    odd_rows = owners[ends < starts]
    count = np.add.reduceat(opens.astype(np.int64), begins)
    # Only rows with several spells, or an odd interval, have spells to set.
    some = np.flatnonzero((count > 1) | np.isin(owners[begins], odd_rows))
    odd = set(odd_rows.tolist())
    first_head = np.searchsorted(heads, begins[some]).tolist()
    for k, at, n in zip(some.tolist(), first_head, count[some].tolist(), strict=True):
        row = rows[k]
        if spells[row]:
            continue
        if row in odd:
            mine = slice(begins[k], last[k] + 1)
            spells[row] = _spells(list(map(of_days, starts[mine].tolist(), ends[mine].tolist())))
        else:
            spells[row] = tuple(map(of_days, spell_starts[at : at + n], spell_ends[at : at + n]))


def _edges(
    found: _GraphEdges,
    ids: dict[Any, str],
    side: Mapping[Any, Any],
    projects: Mapping[Any, Interval],
    interval: _Intervals,
) -> Edges:
    """The edges ``found``, laid out for writing."""
    return _edges_of(raw_columns(found.rows), found, ids, side, projects, interval)


def _edges_of(
    raw: RawColumns,
    found: _GraphEdges,
    ids: dict[Any, str],
    side: Mapping[Any, Any],
    projects: Mapping[Any, Interval],
    interval: _Intervals,
    spells: list[tuple[Interval, ...]] | None = None,
    groups: npt.NDArray[np.int64] | None = None,
) -> Edges:
    """The edges ``found``, whose attributes are ``raw``, laid out for writing.

    ``spells``, each edge's spells when known already, saves merging them again;
    ``groups`` are the :attr:`Edges.groups`, when known.
    """
    firsts, seconds = found.firsts, found.seconds
    # No edge states dates (a bipartite graph's): nothing to read, row by row.
    undated = "start" not in raw.columns and "end" not in raw.columns
    stated: list[Interval | None] = (
        [None] * len(raw.shapes)
        if undated
        else interval.stated(raw.column("start"), raw.column("end"))
    )
    intervals: list[Interval]
    if None not in stated:  # every edge dated by its own attributes (as a projection's)
        intervals = cast(list[Interval], stated)
    elif found.bipartite and undated:  # each edge spans its project, put first
        intervals = list(map(projects.__getitem__, firsts))
    elif found.bipartite:  # every edge without dates of its own spans its project, put first
        intervals = [
            i if i is not None else projects[u] for u, i in zip(firsts, stated, strict=True)
        ]
    else:  # the edges without dates of their own (a projection's undated few) one by one
        intervals = cast(list[Interval], list(stated))
        for k in compress(range(len(stated)), map(is_, stated, repeat(None))):
            u, v = firsts[k], seconds[k]
            project_first = side[u] == PROJECT and side[v] == ORGANISATION
            intervals[k] = projects[u] if project_first else _UNDATED
    if spells is None and "spells" not in raw.columns:
        spells = [_NO_SPELLS] * len(raw.shapes)
    elif spells is None:
        spells = [
            _NO_SPELLS if not stated else _stated_spells(stated, interval)
            for stated in raw.column("spells")
        ]
    if all(text is node for node, text in ids.items()):  # usually: no look-ups needed
        sources, targets = firsts, seconds
    else:
        sources, targets = [ids[u] for u in firsts], [ids[v] for v in seconds]
    return Edges(
        sources=sources,
        targets=targets,
        labels=_edge_labels(raw),
        weights=_weights(raw.column("weight")),
        intervals=intervals,
        spells=spells,
        attributes=typed_attributes(raw, _EDGE_SKIP),
        groups=groups,
    )


def _weights(stated: list[Any]) -> list[float | None]:
    """Each edge's ``weight`` as written: ``None`` for none, a number as a float."""
    if set(map(type, stated)) == {int}:  # a projection's counts
        return list(map(float, stated))
    return [None if w is None else float(w) if type(w) is int else _weight(w) for w in stated]


def _table_from_links(p: ProjectionLinks) -> Table:
    """:func:`_table_from_graph` of ``p.graph()``, made from the columns of ``p``: the
    links' attributes go straight into columns, never into one dict per link."""
    g = p.nodes
    ids = _ids(g)
    by_id = Order(sorted(range(len(ids)), key=list(ids.values()).__getitem__))
    rank = {node: i for i, node in enumerate(by_id(list(ids)))}
    side = {n: d.get("bipartite") for n, d in g._node.items()}
    interval = _Intervals()
    # As _simple_graph_edges finds them: every link joins two nodes of one side, so it
    # runs from the end with the smaller id, and an empty projection counts as bipartite.
    nodes, projects = _nodes(g, ids, by_id, side, interval, bipartite=not p.weights)
    kept_rank = np.fromiter(map(rank.__getitem__, p.kept), np.int64, len(p.kept))
    u_rank, v_rank = kept_rank[p.u], kept_rank[p.v]
    first, second = np.minimum(u_rank, v_rank), np.maximum(u_rank, v_rank)
    at = np.argsort(first * max(len(rank), 1) + second, kind="stable")
    by_rank = [*rank]
    found = _GraphEdges(_take(by_rank, first[at]), _take(by_rank, second[at]), [], False)
    by_ends = Order(at.tolist())
    # Where each link goes among the edges: the few links with spells are put there.
    place = np.empty(len(at), dtype=np.int64)
    place[at] = np.arange(len(at))
    raw = _link_columns(p, by_ends, at, place)
    # A link's spells are merged already (date_spells): only their days are wanted.
    spells = [_NO_SPELLS] * len(p.weights)
    if p.spells:  # every spell's interval made at once, then each link takes its own
        flat = list(chain.from_iterable(p.spells.values()))
        made = interval.stated([s for s, _ in flat], [e for _, e in flat])
        always = interval(None, None)
        days = [always if i is None else i for i in made]
        begin = 0
        for i, n in zip(place[list(p.spells)].tolist(), map(len, p.spells.values()), strict=True):
            spells[i] = tuple(days[begin : begin + n])
            begin += n
    groups = _link_groups(p, at)
    return Table(nodes, _edges_of(raw, found, ids, side, projects, interval, spells, groups))


def _link_groups(p: ProjectionLinks, at: npt.NDArray[np.int64]) -> npt.NDArray[np.int64] | None:
    """The :attr:`Edges.groups` of the links of ``p`` put in the order ``at``: a link
    through one project, whose every attribute is that project's (its name, its dates,
    a weight of 1, no spells), is in the project's group. ``None`` where the links'
    dates are not those of what they share (a project network's links span their ends)."""
    if not p.spans_shared:
        return None
    single = np.diff(p.offsets) == 1
    # offsets always has one more entry than there are links: no links give [0].
    groups: npt.NDArray[np.int64] = np.where(single, p.middles[p.offsets[:-1]], -1)[at]
    return groups


def _link_columns(
    p: ProjectionLinks, order: Order, at: npt.NDArray[np.int64], place: npt.NDArray[np.int64]
) -> RawColumns:
    """The links' attributes as :func:`raw_columns` reads them from ``p.link_attrs()``
    (the same keys, in the same order, with the same values), rows put in ``order``:
    ``at`` is its positions, ``place`` where each link goes.

    The shared names come joined already where :meth:`ProjectionLinks.shared_texts`
    can join them: their :func:`present_texts`, without a list per link.
    """
    n = len(p.weights)
    has_start = np.fromiter(map(is_not, p.starts, repeat(None)), bool, n)
    has_end = np.fromiter(map(is_not, p.ends, repeat(None)), bool, n)
    has_spells = np.zeros(n, dtype=bool)
    has_spells[list(p.spells)] = True
    codes = has_start * 1 + has_end * 2 + has_spells * 4
    names = (p.shared_attr,) if p.with_names else ()
    shape_of = {
        code: ("weight", *names)
        + (("start",) if code & 1 else ())
        + (("end",) if code & 2 else ())
        + (("spells",) if code & 4 else ())
        for code in range(8)
    }
    shapes = list(map(shape_of.__getitem__, codes[at].tolist()))  # in order already
    columns: dict[Any, list[Any]] = {"weight": p.weights}
    texts: dict[Any, list[str | None]] = {}
    if p.with_names:
        joined = p.shared_texts()
        if joined is not None:
            columns[p.shared_attr] = joined
            texts[p.shared_attr] = cast(list[str | None], order(joined))
        else:
            columns[p.shared_attr] = cast(list[Any], p.shared)
    if has_start.any():
        columns["start"] = p.starts
    if has_end.any():
        columns["end"] = p.ends
    ordered = {
        key: texts[key] if key in texts else order(column) for key, column in columns.items()
    }
    if p.spells:  # the few links with spells put in their places
        spells: list[Any] = [None] * n
        for i, found in zip(place[list(p.spells)].tolist(), p.spells.values(), strict=True):
            spells[i] = found
        ordered["spells"] = spells
    return RawColumns(ordered, shapes, texts)


def _table_from_graph(g: nx.Graph) -> Table:
    ids = _ids(g)  # in the graph's order
    by_id = Order(sorted(range(len(ids)), key=list(ids.values()).__getitem__))
    rank = {node: i for i, node in enumerate(by_id(list(ids)))}
    side = {n: d.get("bipartite") for n, d in g._node.items()}
    found = _graph_edges(g, side, rank)
    interval = _Intervals()
    nodes, projects = _nodes(
        g, ids, by_id, side, interval, bipartite=found.bipartite, ends=found.ends
    )
    return Table(nodes, _edges(found, ids, side, projects, interval))
