"""What every writer writes, worked out once: ids, labels, typed attributes and time spans.

The writers (GEXF, GraphML, CSV, HTML) only lay out a :class:`Table`; the
decisions about values live here, so every format says the same thing.

Values
    ``None``, ``""``, NaN, infinities and empty lists are missing and left out.
    Lists, tuples and sets become one string joined with ``"; "``. Text loses
    the characters XML 1.0 cannot hold (control characters other than tab,
    newline and carriage return; lone surrogates; U+FFFE, U+FFFF), so every
    format stays readable.
Types
    One type per attribute and domain: ``boolean`` if every value is a bool,
    ``integer`` (``long`` beyond 32 bits) if every value is an int, ``double``
    if every value is a number, else ``string``. ``funding_eur`` is always a
    ``double``.
Names
    Attributes whose names the formats use for structure are renamed:
    ``start``/``end`` (the dates as stated, e.g. "2017") become
    ``stated_start``/``stated_end``; ``source``/``line`` (provenance) become
    ``source_document``/``source_line``; any other clash gets ``_attr`` added.
Time
    A project spans its stated dates widened to whole days (``"2017-10"`` runs
    from 2017-10-01 to 2017-10-31). An organisation in the bipartite graph
    spans its projects (:func:`defus_graph.graph.date_span`); on projections
    the graph carries the span. A bipartite edge spans its project. A bound
    that is not known is left open (``None``).
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import numbers
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from .._bulk import paused_gc
from ..errors import DefusGraphError
from ..graph import ORGANISATION, PROJECT, date_span
from ..model import date_bounds

__all__ = [
    "Column",
    "EdgeRow",
    "ExportError",
    "Interval",
    "NodeRow",
    "Scalar",
    "Table",
    "clean_text",
    "format_value",
    "table_from_graph",
]

#: A value as the writers see it: already typed and cleaned.
Scalar = str | int | float | bool

_XML_FORBIDDEN = re.compile("[^\t\n\r\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_INT32 = 2**31

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


class ExportError(DefusGraphError):
    """A graph that cannot be written as it is."""


def clean_text(text: str) -> str:
    """``text`` without the characters XML 1.0 forbids.

    Examples
    --------
    >>> clean_text("Gen\\x00k\\x1b\\tok")
    'Genk\\tok'
    """
    if text.isascii() and text.isprintable():  # the common case: nothing to remove
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


@dataclass(frozen=True)
class NodeRow:
    """A node ready to write; ``values`` holds only the attributes that are known."""

    id: str
    label: str
    kind: str
    is_project: bool
    values: dict[str, Scalar]
    interval: Interval


@dataclass(frozen=True)
class EdgeRow:
    """An edge ready to write; ``weight`` is ``None`` when the graph gives none."""

    id: str
    source: str
    target: str
    label: str
    weight: float | None
    values: dict[str, Scalar]
    interval: Interval


@dataclass(frozen=True)
class Table:
    """A graph laid out for writing: rows in a stable order, typed columns."""

    nodes: list[NodeRow]
    edges: list[EdgeRow]
    node_columns: list[Column]
    edge_columns: list[Column]
    ids: dict[Any, str] = field(default_factory=dict)


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
    """A present value as bool, int, float or cleaned text."""
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


def _column_name(key: str) -> str:
    if key in _RENAMED:
        return _RENAMED[key]
    if key.lower() in _RESERVED:
        return f"{key}_attr"
    return key


@functools.lru_cache(maxsize=1024)
def _clean_column_name(key: str) -> str:
    return clean_text(_column_name(key))


def _column_type(name: str, values: list[Scalar]) -> str:
    numeric = all(isinstance(v, int | float) and not isinstance(v, bool) for v in values)
    if name in _FORCED_TYPES and numeric:
        return _FORCED_TYPES[name]
    if all(isinstance(v, bool) for v in values):
        return "boolean"
    if all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        return "integer" if all(-_INT32 <= int(v) < _INT32 for v in values) else "long"
    if numeric:
        return "double"
    return "string"


def _cast(value: Scalar, type_: str) -> Scalar:
    if type_ == "double":
        return float(value)
    if type_ == "string":
        return value if isinstance(value, str) else format_value(value)
    return value


def _typed(
    records: list[dict[str, Scalar]],
) -> tuple[list[Column], list[dict[str, Scalar]]]:
    """Columns in a stable order, and the records with every value cast to its column."""
    seen: dict[str, list[Scalar]] = {}
    for record in records:
        for name, value in record.items():
            seen.setdefault(name, []).append(value)
    rank = {name: i for i, name in enumerate(_ORDER)}
    names = sorted(seen, key=lambda n: (rank.get(n, len(rank)), n))
    columns = [Column(n, _column_type(n, seen[n])) for n in names]
    # Only columns with a value of another type than the column's need casting.
    exact = {"string": str, "double": float, "integer": int, "long": int, "boolean": bool}
    types = {
        c.name: c.type for c in columns if any(type(v) is not exact[c.type] for v in seen[c.name])
    }
    if not types:
        return columns, records
    cast = [
        {n: _cast(v, types[n]) if n in types else v for n, v in r.items()}
        if not types.keys().isdisjoint(r)
        else r
        for r in records
    ]
    return columns, cast


def _attributes(data: Mapping[str, Any], skip: frozenset[str]) -> dict[str, Scalar]:
    out: dict[str, Scalar] = {}
    for key, value in data.items():
        key = str(key)
        if key in skip:
            continue
        scalar: Scalar
        kind = type(value)
        # The common cases inline (this runs for every attribute of every node and edge):
        # the same results as _is_missing and _scalar.
        if kind is str:
            if not value:
                continue
            scalar = value if value.isascii() and value.isprintable() else clean_text(value)
        elif kind is int or kind is bool:
            scalar = value
        elif kind is float:
            if not math.isfinite(value):
                continue
            scalar = value
        elif _is_missing(value):
            continue
        else:
            scalar = _scalar(value)
        if scalar == "":
            continue
        name = _clean_column_name(key)
        if name in out:
            raise ExportError(
                f"two attributes would both be written as {name!r}; rename {key!r} in the graph."
            )
        out[name] = scalar
    return out


def _interval(span: Mapping[str, Any]) -> Interval:
    start, end = span.get("start"), span.get("end")
    return Interval(
        start=date_bounds(str(start))[0] if start else None,
        end=date_bounds(str(end))[1] if end else None,
    )


# ``nodes`` below is ``dict(g.nodes(data=True))``: plain dict look-ups, far
# quicker than going through ``g.nodes[...]`` a million times on a large graph.
_NodeData = Mapping[Any, Mapping[str, Any]]


def _node_interval(g: nx.Graph, nodes: _NodeData, node: Any) -> Interval:
    data = nodes[node]
    if data.get("start") or data.get("end") or data.get("bipartite") == PROJECT:
        return _interval(data)
    if data.get("bipartite") == ORGANISATION:
        projects = [nodes[p] for p in g.adj[node] if nodes[p].get("bipartite") == PROJECT]
        return _interval(date_span(projects))
    return Interval()


def _edge_interval(
    nodes: _NodeData, u: Any, v: Any, data: Mapping[str, Any], projects: Mapping[Any, Interval]
) -> Interval:
    """An edge's own span, else its project's (``projects`` holds each project's interval)."""
    if data.get("start") or data.get("end"):
        return _interval(data)
    sides = (nodes[u].get("bipartite"), nodes[v].get("bipartite"))
    if set(sides) == {PROJECT, ORGANISATION}:
        return projects[u if sides[0] == PROJECT else v]
    return Interval()


def _counts(
    g: nx.Graph, sides: Mapping[Any, Any], node: Any, data: Mapping[str, Any]
) -> dict[str, int]:
    """How many projects an organisation is in (or organisations a project has), if bipartite.

    ``sides`` maps every node to its ``bipartite`` attribute (or ``None``).
    """
    side = data.get("bipartite")
    if side == ORGANISATION and "n_projects" not in data:
        return {"n_projects": sum(1 for p in g.adj[node] if sides[p] == PROJECT)}
    if side == PROJECT and "n_organisations" not in data:
        return {"n_organisations": sum(1 for o in g.adj[node] if sides[o] == ORGANISATION)}
    return {}


def _edge_label(data: Mapping[str, Any]) -> str:
    label = data.get("label")
    if label is None:  # the usual case: go straight to the role
        role = data.get("role")
        if type(role) is str and role and role.isascii() and role.isprintable():
            return role
    if not _is_missing(label):
        return str(_scalar(data["label"]))
    for key in ("role", "projects", "organisations"):
        if not _is_missing(data.get(key)):
            return str(_scalar(data[key]))
    return ""


def _weight(data: Mapping[str, Any]) -> float | None:
    value = data.get("weight")
    if _is_missing(value) or isinstance(value, bool) or not isinstance(value, numbers.Real):
        return None
    return float(value)


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
    >>> t.nodes[0].values
    {'bipartite': 1, 'kind': 'city', 'source_line': 0, 'n_projects': 0}
    >>> t.node_columns[0]
    Column(name='kind', type='string')
    """
    with paused_gc():
        return _table_from_graph(g)


def _table_from_graph(g: nx.Graph) -> Table:
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
    order = sorted(g.nodes, key=lambda n: ids[n])
    node_data: dict[Any, Mapping[str, Any]] = dict(g.nodes(data=True))
    side = {n: d.get("bipartite") for n, d in node_data.items()}

    node_records = []
    for node in order:
        data = node_data[node]
        values = _attributes(data, frozenset({"label", "viz"}))
        values.update(_counts(g, side, node, data))
        node_records.append(values)
    node_columns, node_values = _typed(node_records)
    nodes = []
    for node, values in zip(order, node_values, strict=True):
        data = node_data[node]
        label = data.get("label")
        text_label = str(_scalar(label)) if not _is_missing(label) else ids[node].split(":", 1)[-1]
        nodes.append(
            NodeRow(
                id=ids[node],
                label=text_label,
                kind=str(data.get("kind", "")),
                is_project=data.get("bipartite") == PROJECT,
                values=values,
                interval=_node_interval(g, node_data, node),
            )
        )

    # A project's own dates are its interval (see _node_interval): reused by its edges.
    project_intervals = {n: row.interval for n, row in zip(order, nodes, strict=True)}

    def ends(u: Any, v: Any) -> tuple[Any, Any]:
        if side[v] == PROJECT and side[u] != PROJECT:
            return v, u
        if side[u] == PROJECT and side[v] != PROJECT:
            return u, v
        return (u, v) if ids[u] <= ids[v] else (v, u)

    edge_list = sorted(
        ((*ends(u, v), d) for u, v, d in g.edges(data=True)),
        key=lambda e: (ids[e[0]], ids[e[1]]),
    )
    edge_records = [
        _attributes(d, frozenset({"label", "weight", "viz", "id"})) for _, _, d in edge_list
    ]
    edge_columns, edge_values = _typed(edge_records)
    edges = [
        EdgeRow(
            id=str(i),
            source=ids[u],
            target=ids[v],
            label=_edge_label(d),
            weight=_weight(d),
            values=values,
            interval=_edge_interval(node_data, u, v, d, project_intervals),
        )
        for i, ((u, v, d), values) in enumerate(zip(edge_list, edge_values, strict=True))
    ]
    return Table(nodes, edges, node_columns, edge_columns, ids)
