"""The GEXF writer's column-wise shortcuts write what the plain row-by-row rules write.

Cells of columns that repeat a few values are made once per value, weights
likewise, the end of an edge's line is made with its values, and spells are
put in the few rows that have them; the references below write each row on
its own, as the writer did before those shortcuts.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from defus_graph.export import _xml
from defus_graph.export._columns import Attributes, Column, format_value
from defus_graph.export._table import Edges, Interval, Nodes, Table
from defus_graph.export.gexf import _attvalues, _time, _weights, _Writer
from defus_graph.export.graphml import _data

_TEXTS = ["Genk", 'a & "b"', "<x>\n", "l'Aquila", "2017-10", "🙂"]
_VALUES = {
    "string": st.sampled_from(_TEXTS),
    "integer": st.integers(-3, 3),
    "long": st.sampled_from([2**40, -(2**40)]),
    "double": st.sampled_from([0.0, -0.0, 1.5, 2.0, 1e300]),
    "boolean": st.booleans(),
}


@st.composite
def attributes(draw: st.DrawFn, rows: int) -> Attributes:
    """Columns of every type, some repeating one value, some sparse."""
    columns, values = [], []
    for j, type_ in enumerate(draw(st.lists(st.sampled_from(sorted(_VALUES)), max_size=4))):
        one = draw(_VALUES[type_])
        repeat = draw(st.booleans())
        cell = st.one_of(st.none(), st.just(one) if repeat else _VALUES[type_])
        columns.append(Column(f"c{j}" if j % 2 else f"c {j}&", type_))
        values.append(draw(st.lists(cell, min_size=rows, max_size=rows)))
    # The order of a row's attributes: one of a few, as rows of a few shapes have.
    shapes = [tuple(range(len(columns))), tuple(reversed(range(len(columns)))), ()]
    orders = draw(st.lists(st.sampled_from(shapes), min_size=rows, max_size=rows))
    return Attributes(columns, values, orders)


def _attvalues_reference(attributes: Attributes, ids: list[str], rows: range) -> list[str]:
    out = []
    for i in rows:
        cells = "".join(
            f'<attvalue for="{_xml.attr(id_)}" value="{_xml.attr(format_value(values[i]))}"/>'
            for values, id_ in zip(attributes.values, ids, strict=True)
            if values[i] is not None
        )
        out.append(f"<attvalues>{cells}</attvalues>" if cells else "")
    return out


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 120).flatmap(lambda n: st.tuples(st.just(n), attributes(n))))
def test_attvalues_are_each_rows_cells(case: tuple[int, Attributes]) -> None:
    n, found = case
    ids = [f"a{j}" if j % 2 else f"a {j}&" for j in range(len(found.columns))]
    half = slice(n // 3, n)
    assert _attvalues(found, ids, half) == _attvalues_reference(found, ids, range(n)[half])


@given(st.lists(st.one_of(st.none(), st.sampled_from([0.0, -0.0, 1.0, 2.0, 3.5])), max_size=300))
def test_weights_are_each_rows(weights: list[float | None]) -> None:
    assert _weights(weights) == ["" if w is None else f' weight="{w!r}"' for w in weights]


_D = [None, dt.date(2014, 1, 1), dt.date(2016, 6, 30), dt.date(2019, 12, 31)]
intervals = st.builds(Interval, st.sampled_from(_D), st.sampled_from(_D))


def test_time_is_each_bound_known() -> None:
    for start in _D:
        for end in _D:
            plain = (f' start="{start.isoformat()}"' if start else "") + (
                f' end="{end.isoformat()}"' if end else ""
            )
            assert _time(Interval(start, end)) == plain


def _edge_reference(edges: Edges, ids: list[str], i: int) -> str:
    label = f' label="{_xml.attr(edges.labels[i])}"' if edges.labels[i] else ""
    weight = "" if edges.weights[i] is None else f' weight="{edges.weights[i]!r}"'
    spells = "".join(f"<spell{_time(s)}/>" for s in edges.spells[i])
    time = "" if spells else _time(edges.intervals[i])
    cells = _attvalues_reference(edges.attributes, ids, range(i, i + 1))[0]
    if spells:
        cells += f"<spells>{spells}</spells>"
    head = (
        f'      <edge id="{i}" source="{_xml.attr(edges.sources[i])}" '
        f'target="{_xml.attr(edges.targets[i])}"{label}{weight}{time}'
    )
    return f"{head}>{cells}</edge>" if cells else f"{head}/>"


@st.composite
def edge_tables(draw: st.DrawFn) -> Table:
    n = draw(st.integers(1, 120))
    rows = st.lists
    every: dict[str, Any] = {
        "sources": draw(rows(st.sampled_from(["org:A", "org:<B>"]), min_size=n, max_size=n)),
        "targets": draw(rows(st.sampled_from(["org:C", 'org:"D"']), min_size=n, max_size=n)),
        "labels": draw(rows(st.sampled_from(["", "partner", "P1; P&2"]), min_size=n, max_size=n)),
        "weights": draw(rows(st.sampled_from([None, 1.0, 2.0]), min_size=n, max_size=n)),
        "intervals": draw(rows(intervals, min_size=n, max_size=n)),
        "spells": draw(
            rows(
                st.one_of(st.just(()), rows(intervals, min_size=2, max_size=3).map(tuple)),
                min_size=n,
                max_size=n,
            )
        ),
    }
    nodes = Nodes([], [], [], [], [], [], [], Attributes([], [], []))
    return Table(nodes, Edges(**every, attributes=draw(attributes(n))))


@settings(max_examples=50, deadline=None)
@given(edge_tables())
def test_edge_lines_are_each_rows(table: Table) -> None:
    writer = _Writer(table, {}, {})
    edges = table.edges
    expected = "".join(f"{_edge_reference(edges, writer.edge_ids, i)}\n" for i in range(len(edges)))
    assert writer.edges(slice(0, len(edges))) == expected


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 120).flatmap(lambda n: st.tuples(st.just(n), attributes(n))))
def test_graphml_data_are_each_rows_in_its_order(case: tuple[int, Attributes]) -> None:
    n, found = case
    ids = {c.name: f"d{j}" for j, c in enumerate(found.columns)}
    half = slice(n // 3, n)
    expected = [
        "".join(
            f'<data key="{ids[found.columns[j].name]}">'
            f"{_xml.text(format_value(found.values[j][i]))}</data>"
            for j in found.orders[i]
            if found.values[j][i] is not None
        )
        for i in range(n)
    ]
    assert _data(found, ids, slice(None)) == expected
    assert _data(found, ids, half) == expected[half]


_POOL = [Interval(a, b) for a in _D for b in _D]


@st.composite
def repeating_edge_tables(draw: st.DrawFn) -> Table:
    """Edges that repeat a few tails, as a projection's do: shared interval and spells
    objects, equal ones made apart, hostile labels, weights 0.0, -0.0 and NaN."""
    n = draw(st.integers(1, 150))
    rows = st.lists
    shared_spells = (_POOL[5], _POOL[10])
    spells = st.one_of(
        st.just(()),
        st.just(shared_spells),
        rows(st.sampled_from(_POOL), min_size=2, max_size=3).map(tuple),
    )
    weights = [None, 1.0, 2.0, *draw(st.sampled_from([[], [0.0, -0.0], [float("nan")]]))]
    every: dict[str, Any] = {
        "sources": draw(rows(st.sampled_from(["org:A", "org:<B>"]), min_size=n, max_size=n)),
        "targets": draw(rows(st.sampled_from(["org:C", 'org:"D"']), min_size=n, max_size=n)),
        "labels": draw(
            rows(st.sampled_from(["", "P1", "P1; P&2", '<"x">\n']), min_size=n, max_size=n)
        ),
        "weights": draw(rows(st.sampled_from(weights), min_size=n, max_size=n)),
        "intervals": draw(rows(st.sampled_from(_POOL), min_size=n, max_size=n)),
        "spells": draw(rows(spells, min_size=n, max_size=n)),
    }
    nodes = Nodes([], [], [], [], [], [], [], Attributes([], [], []))
    return Table(nodes, Edges(**every, attributes=draw(attributes(n))))


def _lines_in_chunks(table: Table, size: int) -> str:
    """The edge lines one writer makes chunk after chunk of ``size`` rows (its memos kept)."""
    writer = _Writer(table, {}, {})
    n = len(table.edges)
    return "".join(writer.edges(slice(start, start + size)) for start in range(0, n, size))


def _lines_row_by_row(table: Table) -> str:
    """The edge lines by the plain rule, each row's on its own (:func:`_edge_reference`)."""
    edges, ids = table.edges, _Writer(table, {}, {}).edge_ids
    return "".join(f"{_edge_reference(edges, ids, i)}\n" for i in range(len(edges)))


@settings(max_examples=80, deadline=None)
@given(repeating_edge_tables(), st.integers(1, 40))
def test_edge_lines_in_chunks_are_each_rows(table: Table, size: int) -> None:
    """Lines written chunk after chunk (the writer's memos kept between chunks) are each
    row's, whatever the chunks' size."""
    assert _lines_in_chunks(table, size) == _lines_row_by_row(table)


# --- edge lines laid side by side (gexf._interleaved) -----------------------------------------

_HOSTILE = st.text(st.sampled_from([*"aé&<>\"'; ", "\t", "\n", "\r", "🙂", "\u2028"]), max_size=5)


@given(st.text(max_size=3), st.integers(0, 30), st.data())
def test_interleaved_is_each_rows_pieces_in_order(first: str, n: int, data: st.DataObject) -> None:
    """Slots of texts row by row, or of one text for every row (next to each other, too)."""
    from itertools import chain

    from defus_graph.export.gexf import _interleaved

    slot = st.one_of(_HOSTILE, st.lists(_HOSTILE, min_size=n, max_size=n))
    slots = data.draw(st.lists(slot, max_size=7))
    rows = [[s] * n if isinstance(s, str) else s for s in slots]
    expected = first + "".join(chain.from_iterable(zip(*rows, strict=True))) if rows else first
    assert _interleaved(first, slots, n) == expected


@st.composite
def hostile_attributes(draw: st.DrawFn, rows: int) -> Attributes:
    """Columns of every type with hostile values: any text (the empty text too), -0.0, NaN;
    each column missing in some rows, or in all."""
    values = {**_VALUES, "string": _HOSTILE, "double": st.sampled_from([0.0, -0.0, 1.5, math.nan])}
    columns: list[Column] = []
    cells: list[list[Any]] = []
    for j, type_ in enumerate(draw(st.lists(st.sampled_from(sorted(values)), max_size=4))):
        missing = draw(st.sampled_from([0.0, 0.5, 1.0]))
        cell = st.one_of(st.none(), values[type_]) if missing == 0.5 else values[type_]
        column = draw(st.lists(cell, min_size=rows, max_size=rows))
        columns.append(Column(f"c{j}" if j % 2 else f"c {j}&", type_))
        cells.append([None] * rows if missing == 1.0 else column)
    return Attributes(columns, cells, [tuple(range(len(columns)))] * rows)


@st.composite
def hostile_edge_tables(draw: st.DrawFn) -> Table:
    """Edges with any text for their ends and labels (XML specials, unicode, empty), every
    sort of weight, rows without values among rows with some, and spells."""
    n = draw(st.integers(1, 60))
    rows = st.lists
    spells = st.one_of(st.just(()), rows(st.sampled_from(_POOL), min_size=2, max_size=3))
    weights = st.sampled_from([None, 0.0, -0.0, 1.0, 2.5, float("nan"), 1e300])
    every: dict[str, Any] = {
        "sources": draw(rows(_HOSTILE, min_size=n, max_size=n)),
        "targets": draw(rows(_HOSTILE, min_size=n, max_size=n)),
        "labels": draw(rows(_HOSTILE, min_size=n, max_size=n)),
        "weights": draw(rows(weights, min_size=n, max_size=n)),
        "intervals": draw(rows(st.sampled_from(_POOL), min_size=n, max_size=n)),
        "spells": [tuple(s) for s in draw(rows(spells, min_size=n, max_size=n))],
    }
    nodes = Nodes([], [], [], [], [], [], [], Attributes([], [], []))
    return Table(nodes, Edges(**every, attributes=draw(hostile_attributes(n))))


@settings(max_examples=150, deadline=None)
@given(hostile_edge_tables(), st.integers(1, 25))
def test_hostile_edge_lines_are_each_rows(table: Table, size: int) -> None:
    """The lines laid side by side, chunk after chunk, are the plain row-by-row lines."""
    assert _lines_in_chunks(table, size) == _lines_row_by_row(table)


@st.composite
def grouped_edge_tables(draw: st.DrawFn) -> Table:
    """Hostile edges in groups (:attr:`Edges.groups`): the edges of a group alike but for
    their ends, as a projection's links through one project are; others in no group."""
    table = draw(hostile_edge_tables())
    edges = table.edges
    n = len(edges)
    groups = draw(st.lists(st.integers(-1, 3), min_size=n, max_size=n))
    # Each group takes its first edge's label, weight, interval, spells and values.
    first = {g: groups.index(g) for g in set(groups) if g >= 0}
    like = [first.get(g, i) for i, g in enumerate(groups)]
    attributes = edges.attributes
    values = [[column[k] for k in like] for column in attributes.values]
    alike = Edges(
        sources=edges.sources,
        targets=edges.targets,
        labels=[edges.labels[k] for k in like],
        weights=[edges.weights[k] for k in like],
        intervals=[edges.intervals[k] for k in like],
        spells=[edges.spells[k] for k in like],
        attributes=Attributes(attributes.columns, values, attributes.orders),
        groups=np.array(groups, dtype=np.int64),
    )
    return Table(table.nodes, alike)


@settings(max_examples=150, deadline=None)
@given(grouped_edge_tables(), st.integers(1, 25))
def test_grouped_edge_lines_are_each_rows(table: Table, size: int) -> None:
    """Lines whose ends after the target are made once per group (kept from chunk to
    chunk) are the plain row-by-row lines."""
    assert _lines_in_chunks(table, size) == _lines_row_by_row(table)
