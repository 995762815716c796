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
    spans its projects (:func:`defus_graph.graph.date_span`); on projections
    the graph carries the span. A bipartite edge spans its project. A bound
    that is not known is left open (``None``).
Errors
    :class:`ExportError` when two node ids become the same once cleaned, or
    when two attributes of one node or edge would be written under the same
    name (``start`` beside ``stated_start``, say).
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import numbers
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from operator import attrgetter, itemgetter, methodcaller
from typing import Any, TypeVar, cast

import networkx as nx

from .._bulk import paused_gc
from ..errors import DefusGraphError
from ..graph import ORGANISATION, PROJECT
from ..model import date_bounds

__all__ = [
    "Attributes",
    "Column",
    "Edges",
    "ExportError",
    "Interval",
    "Nodes",
    "Scalar",
    "Table",
    "clean_text",
    "column_text",
    "format_value",
    "table_from_graph",
]

#: A value as the writers see it: already typed and cleaned.
Scalar = str | int | float | bool

_XML_FORBIDDEN = re.compile("[^\t\n\r\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_INT32 = 2**31
_NONE = type(None)

#: Attribute names the formats use for structure (compared case-insensitively).
_RESERVED = frozenset(
    {"id", "label", "source", "target", "type", "weight", "timeset", "start", "end"}
)
_RENAMED = {
    "start": "stated_start",
    "end": "stated_end",
    "source": "source_document",
    "line": "source_line",
}
_FORCED_TYPES = dict.fromkeys(
    ("funding_eur", "contribution_eur", "latitude", "longitude"), "double"
)
#: The Python type every value of a column of each GEXF type has.
_EXACT = {"string": str, "double": float, "integer": int, "long": int, "boolean": bool}

#: Preferred column order; other attributes follow alphabetically.
_ORDER = (
    "kind",
    "bipartite",
    "country",
    "title",
    "programme",
    "funding_eur",
    "funding_scope",
    "funding_share_of",
    "stated_start",
    "stated_end",
    "n_projects",
    "n_organisations",
    "role",
    "projects",
    "organisations",
    "section",
    "description",
    "source_document",
    "source_line",
)
_RANK = {name: i for i, name in enumerate(_ORDER)}

#: Graph attributes that are not written as attributes (the writers place them).
_NODE_SKIP = frozenset({"label", "viz"})
_EDGE_SKIP = frozenset({"label", "weight", "viz", "id"})


class ExportError(DefusGraphError):
    """A graph that cannot be written as it is."""


def clean_text(text: str) -> str:
    """``text`` without the characters XML 1.0 forbids.

    Examples
    --------
    >>> clean_text("Gen\\x00k\\x1b\\tok")
    'Genk\\tok'
    """
    # The common case, names with accents included: nothing to remove. Every
    # character XML forbids is a control, a surrogate or unassigned, so not printable.
    if text.isprintable():
        return text
    return _XML_FORBIDDEN.sub("", text)


@dataclass(frozen=True)
class Column:
    """One attribute of nodes or of edges, with the single type all its values have.

    ``type`` is a GEXF type name: ``boolean``, ``integer``, ``long``, ``double``
    or ``string``.
    """

    name: str
    type: str


@dataclass(frozen=True)
class Interval:
    """When something exists: whole days, either bound ``None`` when unknown."""

    start: dt.date | None = None
    end: dt.date | None = None

    def is_dated(self) -> bool:
        """Whether either bound is known."""
        return self.start is not None or self.end is not None


_UNDATED = Interval()
_START = attrgetter("start")
_END = attrgetter("end")


@dataclass(frozen=True)
class Attributes:
    """The attributes of every node (or every edge), column by column.

    ``values[j][i]`` is row ``i``'s value in ``columns[j]``, of the column's
    type (:data:`_EXACT`), or ``None`` where the row has none. ``orders[i]``
    lists the columns row ``i`` may have a value in, in the order the graph
    gives its attributes (GraphML keeps that order); rows whose attributes
    have the same names share one tuple.
    """

    columns: list[Column]
    values: list[list[Scalar | None]]
    orders: list[tuple[int, ...]]


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
    attributes: Attributes

    def __len__(self) -> int:
        return len(self.ids)


@dataclass(frozen=True)
class Edges:
    """Every edge, sorted by its ends, column by column; edge ``i`` has the id ``str(i)``.

    ``weights[i]`` is ``None`` when the graph gives none.
    """

    sources: list[str]
    targets: list[str]
    labels: list[str]
    weights: list[float | None]
    intervals: list[Interval]
    attributes: Attributes

    def __len__(self) -> int:
        return len(self.sources)


@dataclass(frozen=True)
class Table:
    """A graph laid out for writing: rows in a stable order, typed columns."""

    nodes: Nodes
    edges: Edges


# --- single values ----------------------------------------------------------------------------


def _is_missing(value: Any) -> bool:
    # Exact built-in types first: the checks against numbers' ABCs below are slow.
    kind = type(value)
    if kind is str:
        return bool(value == "")
    if kind is int or kind is bool:
        return False
    if kind is float:
        return not math.isfinite(float(value))
    if value is None:
        return True
    if isinstance(value, str):
        return value == ""
    if isinstance(value, numbers.Real) and not isinstance(value, bool | numbers.Integral):
        return not math.isfinite(float(value))
    if isinstance(value, list | tuple | set | frozenset):
        return all(_is_missing(v) for v in value)
    return False


def _scalar(value: Any) -> Scalar:
    """A present value as bool, int, float or cleaned text (always of exactly that type)."""
    kind = type(value)
    if kind is str:
        return clean_text(value)
    if kind is int or kind is float or kind is bool:
        return value  # type: ignore[no-any-return]
    if isinstance(value, bool):
        return value
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        return float(value)
    if isinstance(value, list | tuple):
        return "; ".join(clean_text(str(_scalar(v))) for v in value if not _is_missing(v))
    if isinstance(value, set | frozenset):
        items = sorted(clean_text(str(_scalar(v))) for v in value if not _is_missing(v))
        return "; ".join(items)
    return clean_text(str(value))


def _scalar_or_none(value: Any) -> Scalar | None:
    """:func:`_scalar` of a present value; ``None`` for a missing one or text cleaned away."""
    if _is_missing(value):
        return None
    scalar = _scalar(value)
    return None if scalar == "" else scalar


def format_value(value: Scalar) -> str:
    """The text form of a typed value, as XML Schema and Gephi read it.

    Examples
    --------
    >>> format_value(True), format_value(3), format_value(630901.0)
    ('true', '3', '630901.0')
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return str(value)


# --- columns ----------------------------------------------------------------------------------


def _kinds(values: list[Any]) -> set[type]:
    """The types of the values that are not ``None``."""
    kinds = set(map(type, values))
    kinds.discard(_NONE)
    return kinds


def _present(raw: list[Any]) -> tuple[list[Scalar | None], set[type]]:
    """Each value of a column cleaned (:func:`_scalar_or_none`), ``None`` where missing,
    and the types of the values left (none: the column is empty).

    The usual columns hold one built-in type; each gets a comprehension of its own.
    """
    kinds = _kinds(raw)
    if kinds <= {int, bool}:  # never missing, never changed
        return raw, kinds
    if kinds == {str}:
        clean = clean_text
        values: list[Scalar | None] = [
            None if v is None else ((v if v.isprintable() else clean(v)) or None) for v in raw
        ]
    elif kinds == {float}:
        finite = math.isfinite
        values = [v if v is None or finite(v) else None for v in raw]
    else:
        values = [_scalar_or_none(v) for v in raw]
        return values, _kinds(values)
    return values, (kinds if values.count(None) < len(values) else set())


def _column_type(name: str, kinds: set[type]) -> str:
    """The GEXF type of column ``name`` whose values have the Python types ``kinds``."""
    numeric = kinds <= {int, float}
    if name in _FORCED_TYPES and numeric:
        return _FORCED_TYPES[name]
    if kinds == {bool}:
        return "boolean"
    if kinds == {int}:
        return "integer"  # or "long": see _typed_column
    if numeric:
        return "double"
    return "string"


def _typed_column(
    name: str, values: list[Scalar | None], kinds: set[type]
) -> tuple[Column, list[Scalar | None]]:
    """The column of ``values`` (of the types ``kinds``), with every value cast to its type."""
    type_ = _column_type(name, kinds)
    if type_ == "integer":
        present = cast(list[int], [v for v in values if v is not None])
        if min(present) < -_INT32 or max(present) >= _INT32:
            type_ = "long"
    if kinds != {_EXACT[type_]}:  # only mixed columns need casting
        if type_ == "double":
            values = [None if v is None else float(v) for v in values]
        else:  # "string": the only other type a mixed column can get
            values = [v if v is None or type(v) is str else format_value(v) for v in values]
    return Column(name, type_), values


def column_text(column: Column, values: Sequence[Scalar | None]) -> list[str | None]:
    """:func:`format_value` of each value of ``column`` (``None`` stays ``None``).

    Examples
    --------
    >>> column_text(Column("flag", "boolean"), [True, None, False])
    ['true', None, 'false']
    """
    if column.type == "string":
        return cast(list[str | None], list(values))  # already text
    if column.type == "boolean":
        return [None if v is None else ("true" if v else "false") for v in values]
    if column.type == "double":
        return [None if v is None else repr(v) for v in values]
    return [None if v is None else str(v) for v in values]


def _column_name(key: str) -> str:
    if key in _RENAMED:
        return _RENAMED[key]
    if key.lower() in _RESERVED:
        return f"{key}_attr"
    return key


@functools.lru_cache(maxsize=1024)
def _clean_column_name(key: str) -> str:
    return clean_text(_column_name(key))


def _merged(parts: list[list[Scalar | None]]) -> tuple[list[Scalar | None], int | None]:
    """Columns of graph attributes written under one name, as one column.

    Also the first row where two of them have a value (``None`` if there is none).
    """
    merged = list(parts[0])
    clash: int | None = None
    for part in parts[1:]:
        for i, value in enumerate(part):
            if value is None:
                continue
            if merged[i] is None:
                merged[i] = value
            elif clash is None or i < clash:
                clash = i
    return merged, clash


@dataclass(frozen=True)
class _Raw:
    """Attribute values of some rows as the graph holds them, key by key.

    ``columns[key][i]`` is row ``i``'s value under ``key`` (``None`` where it
    has none); ``shapes[i]`` is the tuple of row ``i``'s keys in the graph's
    order, shared by the rows with the same keys.
    """

    columns: dict[Any, list[Any]]
    shapes: list[tuple[Any, ...]]

    def column(self, key: str) -> list[Any]:
        """The values under ``key``; all ``None`` if no row has it."""
        found = self.columns.get(key)
        return found if found is not None else [None] * len(self.shapes)

    def reordered(self, order: _Order) -> _Raw:
        """The same rows in ``order``."""
        return _Raw({k: order(c) for k, c in self.columns.items()}, order(self.shapes))


_T = TypeVar("_T")


class _Order:
    """A new order of rows, applied to list after list.

    ``_Order([2, 0, 1])(["a", "b", "c"])`` is ``["c", "a", "b"]``. One
    ``itemgetter`` of all the positions reorders each list at C speed.
    """

    def __init__(self, positions: list[int]) -> None:
        self.positions = positions
        self._take = itemgetter(*positions) if len(positions) > 1 else None

    def __call__(self, values: Sequence[_T]) -> list[_T]:
        if self._take is None:  # itemgetter gives a tuple only for two positions or more
            return [values[i] for i in self.positions]
        return list(self._take(values))


_VALUES = methodcaller("values")


def _raw(records: Sequence[Mapping[Any, Any]]) -> _Raw:
    """The values of ``records`` key by key, reading each record twice whatever its keys.

    On a large graph the records lie all over memory and reading one costs far
    more than using what was read: so once for its keys, and once, with every
    record of the same keys, for its values (one ``zip`` transposes them).
    """
    distinct: dict[tuple[Any, ...], tuple[Any, ...]] = {}
    shapes = [distinct.setdefault(shape, shape) for shape in map(tuple, records)]
    n = len(records)
    if len(distinct) == 1:  # the usual case for edges: no rows to scatter
        (shape,) = distinct
        values = map(list, zip(*map(_VALUES, records), strict=True))
        return _Raw(dict(zip(shape, values, strict=True)), shapes)
    rows_of: dict[tuple[Any, ...], list[int]] = {shape: [] for shape in distinct}
    for i, shape in enumerate(shapes):
        rows_of[shape].append(i)
    columns: dict[Any, list[Any]] = {}
    for shape, rows in rows_of.items():
        group = zip(*map(_VALUES, map(records.__getitem__, rows)), strict=True)
        for key, column_values in zip(shape, group, strict=True):
            column = columns.get(key)
            if column is None:
                column = columns[key] = [None] * n
            for i, value in zip(rows, column_values, strict=True):
                column[i] = value
    return _Raw(columns, shapes)


def _refuse(shape: tuple[Any, ...], row: int, shared: dict[Any, list[Scalar | None]]) -> None:
    """Raise :class:`ExportError` for the first attribute of a row whose name is taken.

    ``shape`` is the row's keys; ``shared`` holds the values of the graph
    attributes that share a name, by key.
    """
    seen = set()
    for key in shape:
        if key in shared and shared[key][row] is not None:
            name = _clean_column_name(str(key))
            if name in seen:
                raise ExportError(
                    f"two attributes would both be written as {name!r}; "
                    f"rename {str(key)!r} in the graph."
                )
            seen.add(name)


def _attributes(raw: _Raw, skip: frozenset[str]) -> Attributes:
    """The attributes of the rows of ``raw`` without the keys in ``skip``."""
    name_of: dict[Any, str] = {
        key: _clean_column_name(str(key)) for key in raw.columns if str(key) not in skip
    }
    keys_of: dict[str, list[Any]] = {}
    for key, name in name_of.items():
        keys_of.setdefault(name, []).append(key)

    found: dict[str, tuple[list[Scalar | None], set[type]]] = {}
    # Graph attributes written under one name (start and stated_start, say): a row may
    # have a value in one of them only.
    shared: dict[Any, list[Scalar | None]] = {}
    clashes = []
    for name, keys in keys_of.items():
        if len(keys) == 1:
            column, kinds = _present(raw.columns[keys[0]])
        else:
            for key in keys:
                shared[key] = _present(raw.columns[key])[0]
            column, clash = _merged([shared[key] for key in keys])
            if clash is not None:
                clashes.append(clash)
            kinds = _kinds(column)
        if kinds:
            found[name] = column, kinds
    if clashes:  # the first row with a clash, as reading the rows in order finds it
        _refuse(raw.shapes[min(clashes)], min(clashes), shared)
    columns: list[Column] = []
    values: list[list[Scalar | None]] = []
    for name in sorted(found, key=lambda n: (_RANK.get(n, len(_RANK)), n)):
        typed_column, typed = _typed_column(name, *found.pop(name))
        columns.append(typed_column)
        values.append(typed)
    index = {column.name: j for j, column in enumerate(columns)}

    def order(shape: tuple[Any, ...], row: int) -> tuple[int, ...]:
        """The columns of ``row`` in the order of its attributes; a shared name comes
        where the first of its attributes that has a value in the row is."""
        written = dict.fromkeys(
            name_of[k]
            for k in shape
            if k in name_of and (k not in shared or shared[k][row] is not None)
        )
        return tuple(index[n] for n in written if n in index)

    if not shared:
        order_of = {shape: order(shape, 0) for shape in dict.fromkeys(raw.shapes)}
        orders = list(map(order_of.__getitem__, raw.shapes))
    else:
        orders = [order(shape, i) for i, shape in enumerate(raw.shapes)]
    return Attributes(columns, values, orders)


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


def _span(intervals: list[Interval]) -> Interval:
    """The interval covering some projects'; a bound stays open if any project's is.

    The same as the interval of :func:`defus_graph.graph.date_span` of the projects.
    """
    if not intervals:
        return _UNDATED
    starts = list(map(_START, intervals))
    ends = list(map(_END, intervals))
    return Interval(
        start=None if None in starts else min(cast(list[dt.date], starts)),
        end=None if None in ends else max(cast(list[dt.date], ends)),
    )


# --- labels and weights -----------------------------------------------------------------------


def _node_label(label: Any, node_id: str) -> str:
    """The label as text, else the id without its side (``org:Genk`` is "Genk")."""
    if type(label) is str and label and label.isprintable():
        return label
    return str(_scalar(label)) if not _is_missing(label) else node_id.split(":", 1)[-1]


def _edge_label(label: Any, role: Any, projects: Any, organisations: Any) -> str:
    """The label, else the role, else what a projection edge shares."""
    if label is None and type(role) is str and role and role.isprintable():
        return role  # the usual case
    for value in (label, role, projects, organisations):
        if not _is_missing(value):
            return str(_scalar(value))
    return ""


def _weight(value: Any) -> float | None:
    """A weight as a float; ``None`` unless it is a finite number (not a bool)."""
    if type(value) is int:  # the usual cases first: the numbers ABC below is slow
        return float(value)
    if type(value) is float:
        return value if math.isfinite(value) else None
    if _is_missing(value) or isinstance(value, bool) or not isinstance(value, numbers.Real):
        return None
    return float(value)


# --- the table --------------------------------------------------------------------------------


def table_from_graph(g: nx.Graph) -> Table:
    """Lay out ``g`` for writing: nodes sorted by id, edges by their ends.

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
        return _table_from_graph(g)


def _ids(g: nx.Graph) -> dict[Any, str]:
    ids: dict[Any, str] = {}
    taken: dict[str, Any] = {}
    for node in g.nodes:
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
    """Each edge once, in the graph's order, oriented (see :func:`_graph_edges`)."""

    sort_keys: list[int]
    firsts: list[Any]
    seconds: list[Any]
    rows: list[Mapping[str, Any]]
    #: Whether every edge links a project (first) and an organisation (second).
    bipartite: bool


def _graph_edges(g: nx.Graph, side: Mapping[Any, Any], rank: Mapping[Any, int]) -> _GraphEdges:
    """Each edge of ``g`` once, from the project to the organisation, else from the end
    with the smaller id; its sort key orders edges by their ends' ids (``rank`` is each
    node's place in id order), as ints, which sort much faster than pairs of ids."""
    n = len(rank)
    sort_keys: list[int] = []
    firsts: list[Any] = []
    seconds: list[Any] = []
    rows: list[Mapping[str, Any]] = []
    bipartite = True
    if g.is_directed() or g.is_multigraph():  # each edge as networkx gives it
        for u, v, d in g.edges(data=True):
            u_project, v_project = side[u] == PROJECT, side[v] == PROJECT
            if (v_project and not u_project) or (u_project == v_project and rank[v] < rank[u]):
                u, v = v, u
            bipartite = bipartite and side[u] == PROJECT and side[v] == ORGANISATION
            sort_keys.append(rank[u] * n + rank[v])
            firsts.append(u)
            seconds.append(v)
            rows.append(d)
    else:  # quicker: each edge is under both its ends in the adjacency; keep one of the two
        for u, neighbours in g.adjacency():  # plain dicts, unlike g.adj
            u_rank, u_side = rank[u], side[u]
            u_project = u_side == PROJECT
            for v, d in neighbours.items():
                v_side = side[v]
                if u_project if u_project != (v_side == PROJECT) else u_rank <= rank[v]:
                    sort_keys.append(u_rank * n + rank[v])
                    firsts.append(u)
                    seconds.append(v)
                    rows.append(d)
                    bipartite = bipartite and u_project and v_side == ORGANISATION
    return _GraphEdges(sort_keys, firsts, seconds, rows, bipartite)


def _nodes(
    g: nx.Graph,
    ids: dict[Any, str],
    by_id: _Order,
    side: Mapping[Any, Any],
    interval: _Intervals,
    *,
    bipartite: bool,
) -> tuple[Nodes, dict[Any, Interval]]:
    """The nodes of ``g`` put in id order by ``by_id``, and each project's interval.

    ``bipartite``: every edge links a project and an organisation, so every
    neighbour of a node is of the other side.
    """
    adj = dict(g.adjacency())  # plain dicts, far quicker than g.adj[...] on a large graph
    projects = {
        n: interval(d.get("start"), d.get("end"))
        for n, d in g.nodes(data=True)
        if d.get("bipartite") == PROJECT
    }
    keys: list[Any] = []
    records: list[Mapping[str, Any]] = []
    intervals: list[Interval] = []
    labels: list[str] = []
    kinds: list[str] = []
    for n, d in g.nodes(data=True):  # everything that needs the node's attributes
        mine = side[n]
        keys.append(n)
        labels.append(_node_label(d.get("label"), ids[n]))
        kinds.append(str(d.get("kind", "")))
        # In the bipartite graph, how many of the other side each node is linked to
        # comes last among its attributes, unless the graph says already.
        if mine == PROJECT:
            intervals.append(projects[n])
            if "n_organisations" not in d:
                count = (
                    len(adj[n])
                    if bipartite
                    else [*map(side.__getitem__, adj[n])].count(ORGANISATION)
                )
                d = {**d, "n_organisations": count}
        elif d.get("start") or d.get("end"):
            intervals.append(interval(d.get("start"), d.get("end")))
        elif mine == ORGANISATION:
            linked = map(projects.__getitem__ if bipartite else projects.get, adj[n])
            intervals.append(_span([*filter(None, linked)]))
        else:
            intervals.append(_UNDATED)
        if mine == ORGANISATION and "n_projects" not in d:
            count = len(adj[n]) if bipartite else [*map(side.__getitem__, adj[n])].count(PROJECT)
            d = {**d, "n_projects": count}
        records.append(d)
    order = by_id(keys)
    nodes = Nodes(
        keys=order,
        ids=[ids[n] for n in order],
        labels=by_id(labels),
        kinds=by_id(kinds),
        is_project=[side[n] == PROJECT for n in order],
        intervals=by_id(intervals),
        attributes=_attributes(_raw(records).reordered(by_id), _NODE_SKIP),
    )
    return nodes, projects


def _edges(
    found: _GraphEdges,
    ids: dict[Any, str],
    side: Mapping[Any, Any],
    projects: Mapping[Any, Interval],
    interval: _Intervals,
) -> Edges:
    """The edges ``found`` sorted by their keys, laid out for writing."""
    by_ends = _Order(sorted(range(len(found.sort_keys)), key=found.sort_keys.__getitem__))
    raw = _raw(found.rows).reordered(by_ends)
    firsts, seconds = by_ends(found.firsts), by_ends(found.seconds)
    starts, ends = raw.column("start"), raw.column("end")
    if found.bipartite:  # every edge without dates of its own spans its project, put first
        intervals = [
            interval(start, end) if start or end else projects[u]
            for u, start, end in zip(firsts, starts, ends, strict=True)
        ]
    else:
        intervals = [
            interval(start, end)
            if start or end
            else projects[u]
            if side[u] == PROJECT and side[v] == ORGANISATION
            else _UNDATED
            for u, v, start, end in zip(firsts, seconds, starts, ends, strict=True)
        ]
    if all(text is node for node, text in ids.items()):  # usually: no look-ups needed
        sources, targets = firsts, seconds
    else:
        sources, targets = [ids[u] for u in firsts], [ids[v] for v in seconds]
    return Edges(
        sources=sources,
        targets=targets,
        labels=list(
            map(
                _edge_label,
                raw.column("label"),
                raw.column("role"),
                raw.column("projects"),
                raw.column("organisations"),
            )
        ),
        weights=[
            None if w is None else float(w) if type(w) is int else _weight(w)
            for w in raw.column("weight")
        ],
        intervals=intervals,
        attributes=_attributes(raw, _EDGE_SKIP),
    )


def _table_from_graph(g: nx.Graph) -> Table:
    ids = _ids(g)  # in the graph's order
    by_id = _Order(sorted(range(len(ids)), key=list(ids.values()).__getitem__))
    rank = {node: i for i, node in enumerate(by_id(list(ids)))}
    side = {n: d.get("bipartite") for n, d in g.nodes(data=True)}
    found = _graph_edges(g, side, rank)
    interval = _Intervals()
    nodes, projects = _nodes(g, ids, by_id, side, interval, bipartite=found.bipartite)
    return Table(nodes, _edges(found, ids, side, projects, interval))
