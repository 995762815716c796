"""Attribute values column by column: read from the graph's dictionaries, cleaned, typed.

A column is one list of values across all rows (nodes, or edges), ``None``
where a row has no value; each rule runs once per column, with code
specialised to the types the column holds, rather than once per value. The
rules themselves (what is missing, how text is cleaned, which type a column
gets, which names are renamed) are documented in :mod:`defus_graph.export._table`.
"""

from __future__ import annotations

import functools
import math
import numbers
import re
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import chain
from operator import itemgetter, methodcaller
from typing import Any, TypeVar, cast

import numpy as np

from ..errors import DefusGraphError

__all__ = [
    "Attributes",
    "Column",
    "ExportError",
    "Order",
    "RawColumns",
    "Scalar",
    "clean_text",
    "column_text",
    "each_distinct_once",
    "format_value",
    "is_missing",
    "present_texts",
    "raw_columns",
    "repeats",
    "scalar",
    "typed_attributes",
]

#: A value as the writers see it: already typed and cleaned.
Scalar = str | int | float | bool

_XML_FORBIDDEN = re.compile("[^\t\n\r\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_INT32 = 2**31
_NONE = type(None)
_V = TypeVar("_V")
_Made = TypeVar("_Made")

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


# --- single values ----------------------------------------------------------------------------


#: The types of a list of plain text (an empty list's included).
_TEXT = frozenset({str})


def is_missing(value: Any) -> bool:
    """Whether ``value`` is left out: ``None``, ``""``, NaN, an infinity, an empty list.

    Examples
    --------
    >>> is_missing(float("nan")), is_missing([None, ""]), is_missing(0)
    (True, True, False)
    """
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
    if kind is list and set(map(type, value)) <= _TEXT:
        return not any(value)  # a projection's names: missing only when all are empty
    if isinstance(value, str):
        return value == ""
    if isinstance(value, numbers.Real) and not isinstance(value, bool | numbers.Integral):
        return not math.isfinite(float(value))
    if isinstance(value, list | tuple | set | frozenset):
        return all(is_missing(v) for v in value)
    return False


def scalar(value: Any) -> Scalar:
    """A present value as bool, int, float or cleaned text (always of exactly that type)."""
    kind = type(value)
    if kind is str:
        return clean_text(value)
    if kind is int or kind is float or kind is bool:
        return value  # type: ignore[no-any-return]
    if kind is list and set(map(type, value)) <= _TEXT and "".join(value).isprintable():
        # A projection's shared names, as the loop below writes them, at C speed.
        return "; ".join(filter(None, value))
    if isinstance(value, bool):
        return value
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        return float(value)
    if isinstance(value, list | tuple):
        return "; ".join(clean_text(str(scalar(v))) for v in value if not is_missing(v))
    if isinstance(value, set | frozenset):
        items = sorted(clean_text(str(scalar(v))) for v in value if not is_missing(v))
        return "; ".join(items)
    return clean_text(str(value))


def present_texts(raw: list[Any]) -> list[str | None]:
    """``str(scalar(v))`` of each value of a column, ``None`` where it is missing.

    Column by column, with a comprehension of its own for the usual columns:
    text, and lists of text (a projection's shared names).
    """
    kinds = _kinds(raw)
    if not kinds:
        return [None] * len(raw)
    if kinds == {str}:
        if _printable(raw):  # nothing to clean: text as it is, "" missing
            return [v or None for v in raw]
        return _each_distinct(raw, lambda v: None if not v else clean_text(v))
    if kinds == {list}:
        items = list(chain.from_iterable(v for v in raw if v is not None))
        if set(map(type, items)) <= _TEXT and all(map(str.isprintable, items)):
            # Printable text only (told once for the column): each list is its
            # non-empty items joined, and missing when that is empty.
            return [None if v is None else "; ".join(filter(None, v)) or None for v in raw]
        return [_names_text(v) for v in raw]
    return [None if is_missing(v) else str(scalar(v)) for v in raw]


def _printable(texts: list[str | None]) -> bool:
    """Whether every text is printable, so that :func:`clean_text` leaves it as it is
    (one check over all of them: printable is a property of each character)."""
    return "".join(filter(None, texts)).isprintable()


def _each_distinct(raw: list[Any], fn: Callable[[Any], _V]) -> list[_V]:
    """``[fn(v) for v in raw]``, calling ``fn`` once per distinct value (hashable ones only):
    columns of dates or kinds repeat a few values over hundreds of thousands of rows."""
    made = {v: fn(v) for v in dict.fromkeys(raw)}
    return list(map(made.__getitem__, raw))


def _names_text(value: list[Any] | None) -> str | None:
    """``str(scalar(value))`` of a list, ``None`` if it is missing (or is ``None``).

    A list of text is missing when every item is empty; otherwise it is its
    non-empty items joined, which holds only printable characters exactly when
    the items do, so :func:`scalar`'s own fast route applies.
    """
    if value is None:
        return None
    if set(map(type, value)) <= _TEXT:
        joined = "; ".join(filter(None, value))
        if not joined:
            return None
        if joined.isprintable():
            return joined
    return None if is_missing(value) else str(scalar(value))


def _scalar_or_none(value: Any) -> Scalar | None:
    """:func:`scalar` of a present value; ``None`` for a missing one or text cleaned away."""
    if is_missing(value):
        return None
    present = scalar(value)
    return None if present == "" else present


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


def _present(
    raw: list[Any], texts: list[str | None] | None = None
) -> tuple[list[Scalar | None], set[type]]:
    """Each value of a column cleaned (:func:`_scalar_or_none`), ``None`` where missing,
    and the types of the values left (none: the column is empty).

    The usual columns hold one built-in type; each gets a comprehension of its own.
    ``texts``, the column's :func:`present_texts` when already made, saves making
    it again for a column of lists or of text.
    """
    kinds = _kinds(raw)
    if kinds <= {int, bool}:  # never missing, never changed
        return raw, kinds
    if kinds == {list} or (kinds == {str} and texts is not None):
        # A list's scalar is text, as is text's own, cleaned; text cleaned away is missing.
        if texts is None:
            texts = present_texts(raw)
        values: list[Scalar | None] = [t or None for t in texts]
        return values, ({str} if values.count(None) < len(values) else set())
    if kinds == {str}:
        if _printable(raw):  # nothing to clean: text as it is, "" missing
            values = [v or None for v in raw]
        else:
            values = _each_distinct(raw, lambda v: None if v is None else (clean_text(v) or None))
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


#: How many values of a column tell whether it repeats a few values.
_SAMPLE = 200


def repeats(values: Sequence[Any]) -> bool:
    """Whether ``values`` seem to repeat a few values (judged from the first ones), so
    that formatting each distinct value once pays.

    Examples
    --------
    >>> repeats(["city"] * 8), repeats(["a", "b", "c"])
    (True, False)
    """
    sample = values[:_SAMPLE]
    return len(set(sample)) * 4 <= len(sample)


def each_distinct_once(
    column: Column,
    values: list[Scalar | None],
    make: Callable[[list[Scalar | None]], list[_Made]],
) -> list[_Made]:
    """``make(values)``, with ``make`` given each distinct value once where ``column``
    repeats a few (kinds, roles, dates, countries); never for doubles, as ``0.0 == -0.0``
    and the two are written apart.

    Examples
    --------
    >>> each_distinct_once(Column("kind", "string"), ["city"] * 8, lambda vs: [len(vs)] * len(vs))
    [1, 1, 1, 1, 1, 1, 1, 1]
    """
    if column.type != "double" and repeats(values):
        distinct = list(dict.fromkeys(values))
        made = dict(zip(distinct, make(distinct), strict=True))
        return list(map(made.__getitem__, values))
    return make(values)


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
class RawColumns:
    """Attribute values of some rows as the graph holds them, key by key.

    ``columns[key][i]`` is row ``i``'s value under ``key`` (``None`` where it
    has none); ``shapes[i]`` is the tuple of row ``i``'s keys in the graph's
    order, shared by the rows with the same keys.
    """

    columns: dict[Any, list[Any]]
    shapes: list[tuple[Any, ...]]
    #: :func:`present_texts` of the columns asked for, by key (see :meth:`texts`).
    _texts: dict[Any, list[str | None]] = field(default_factory=dict, compare=False)

    def column(self, key: str) -> list[Any]:
        """The values under ``key``; all ``None`` if no row has it."""
        found = self.columns.get(key)
        return found if found is not None else [None] * len(self.shapes)

    def texts(self, key: str) -> list[str | None]:
        """:func:`present_texts` of the values under ``key``, made once."""
        found = self._texts.get(key)
        if found is None:
            found = self._texts[key] = present_texts(self.column(key))
        return found

    def reordered(self, order: Order) -> RawColumns:
        """The same rows in ``order``."""
        return RawColumns({k: order(c) for k, c in self.columns.items()}, order(self.shapes))


_T = TypeVar("_T")


class Order:
    """A new order of rows, applied to list after list.

    ``Order([2, 0, 1])(["a", "b", "c"])`` is ``["c", "a", "b"]``. One
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


def raw_columns(records: Sequence[Mapping[Any, Any]]) -> RawColumns:
    """The values of ``records`` key by key, reading each record twice whatever its keys.

    On a large graph the records lie all over memory and reading one costs far
    more than using what was read: so once for its keys, and once, with every
    record of the same keys, for its values (one ``zip`` transposes them).
    """
    every = list(map(tuple, records))
    # One tuple per distinct shape, shared by its rows; and each shape's number.
    distinct = {shape: shape for shape in dict.fromkeys(every)}
    shapes = list(map(distinct.__getitem__, every))
    n = len(records)
    if len(distinct) == 1:  # the usual case for bipartite edges: no rows to scatter
        (shape,) = distinct
        values = map(list, zip(*map(_VALUES, records), strict=True))
        return RawColumns(dict(zip(shape, values, strict=True)), shapes)
    number = {shape: i for i, shape in enumerate(distinct)}
    codes = np.fromiter(map(number.__getitem__, shapes), dtype=np.int64, count=n)
    columns: dict[Any, list[Any]] = {}
    for shape, code in number.items():
        rows = np.flatnonzero(codes == code).tolist()
        group = zip(*map(_VALUES, map(records.__getitem__, rows)), strict=True)
        for key, column_values in zip(shape, group, strict=True):
            column = columns.get(key)
            if column is None:
                column = columns[key] = [None] * n
            # column[i] = value for each row, the loop run by map in C.
            deque(map(column.__setitem__, rows, column_values), maxlen=0)
    return RawColumns(columns, shapes)


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


def typed_attributes(raw: RawColumns, skip: frozenset[str]) -> Attributes:
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
            column, kinds = _present(raw.columns[keys[0]], raw._texts.get(keys[0]))
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
