"""The export table's column-wise rules agree with the rules stated value by value.

The table is built a column at a time, with routes specialised to what a column
holds; these properties pin each route to the plain per-value rule it stands for
(the reference implementations below are the code the routes replaced).
"""

from __future__ import annotations

from typing import Any

import networkx as nx
from hypothesis import given, settings
from hypothesis import strategies as st

from defus_graph.export._columns import is_missing, present_texts, raw_columns, scalar
from defus_graph.export._table import _edge_labels, _graph_edges, _Intervals
from defus_graph.graph.bipartite import ORGANISATION, PROJECT


class Name(str):
    """A str subclass: the fast routes must not take it for plain text."""

    def __str__(self) -> str:
        return f"<{self!r}>"


texts = st.sampled_from(["", "Genk", "Gent", "a\x01b", "\x1b", "2017", "2018-03", "Düsseldorf"])
scalars = st.one_of(
    st.none(),
    texts,
    st.integers(-3, 3),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    texts.map(Name),
)
values = st.one_of(scalars, st.lists(texts, max_size=4), st.lists(scalars, max_size=4))


def _text_reference(value: Any) -> str | None:
    return None if is_missing(value) else str(scalar(value))


def _label_reference(label: Any, role: Any, projects: Any, organisations: Any) -> str:
    for value in (label, role, projects, organisations):
        if not is_missing(value):
            return str(scalar(value))
    return ""


@given(st.lists(values, max_size=12))
def test_present_texts_is_the_text_of_each_present_value(column: list[Any]) -> None:
    assert present_texts(column) == [_text_reference(v) for v in column]


@given(st.lists(st.one_of(st.lists(texts, max_size=4), st.none()), max_size=12))
def test_present_texts_of_shared_names(column: list[Any]) -> None:
    assert present_texts(column) == [_text_reference(v) for v in column]


keys = st.sampled_from(["label", "role", "projects", "organisations", "start", "weight"])


@settings(max_examples=200)
@given(st.lists(st.dictionaries(keys, values, max_size=4), max_size=10))
def test_columns_and_labels_agree_with_the_rows(records: list[dict[str, Any]]) -> None:
    raw = raw_columns(records)
    for key in {k for r in records for k in r}:
        assert raw.column(key) == [r.get(key) for r in records]
    assert raw.shapes == [tuple(r) for r in records]
    expected = [
        _label_reference(r.get("label"), r.get("role"), r.get("projects"), r.get("organisations"))
        for r in records
    ]
    assert _edge_labels(raw) == expected


dates = st.one_of(st.none(), st.sampled_from(["", "2017", "2017-10", "2019-02-28"]), st.just(2018))


@given(st.lists(st.tuples(dates, dates), max_size=10))
def test_stated_intervals_as_one_by_one(pairs: list[tuple[Any, Any]]) -> None:
    starts, ends = [s for s, _ in pairs], [e for _, e in pairs]
    one_by_one = _Intervals()
    expected = [one_by_one(s, e) if s or e else None for s, e in pairs]
    assert _Intervals().stated(starts, ends) == expected


def _edges_reference(g: nx.Graph, side: dict[Any, Any], rank: dict[Any, int]) -> list[Any]:
    n = len(rank)
    found = []
    for u, v, d in g.edges(data=True):
        u_project, v_project = side[u] == PROJECT, side[v] == PROJECT
        if (v_project and not u_project) or (u_project == v_project and rank[v] < rank[u]):
            u, v = v, u
        found.append((rank[u] * n + rank[v], u, v, d))
    found.sort(key=lambda row: row[0])
    return [(u, v, d) for _, u, v, d in found]


@settings(max_examples=200)
@given(
    st.lists(st.sampled_from([PROJECT, ORGANISATION, None]), min_size=1, max_size=8),
    st.lists(st.tuples(st.integers(0, 7), st.integers(0, 7)), max_size=20),
)
def test_simple_graph_edges_as_edge_by_edge(sides: list[Any], pairs: list[tuple[int, int]]) -> None:
    g = nx.Graph()
    for i, s in enumerate(sides):
        g.add_node(f"n{7 - i}", bipartite=s)  # graph order differs from id order
    for a, b in pairs:
        if a < len(sides) and b < len(sides):
            g.add_edge(f"n{7 - a}", f"n{7 - b}", key=(a, b))
    side = {n: d.get("bipartite") for n, d in g.nodes(data=True)}
    rank = {n: i for i, n in enumerate(sorted(g))}
    found = _graph_edges(g, side, rank)
    expected = _edges_reference(g, side, rank)
    assert list(zip(found.firsts, found.seconds, found.rows, strict=True)) == expected
    assert found.bipartite == all(
        side[u] == PROJECT and side[v] == ORGANISATION for u, v, _ in expected
    )
