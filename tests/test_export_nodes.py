"""The export table's nodes, read column by column, are the nodes read one by one.

``_nodes`` works out every node's label, kind, time and counts a column at a
time, with numpy for what needs the neighbours; the reference below is the
node-by-node loop it replaced, run on generated graphs with awkward values
(odd sides, dates that end before they start, hostile names, kinds of None).
"""

from __future__ import annotations

from typing import Any

import networkx as nx
from hypothesis import given, settings
from hypothesis import strategies as st

from defus_graph.export import gexf_bytes, graphml_bytes
from defus_graph.export._columns import ExportError, Order, raw_columns, typed_attributes
from defus_graph.export._table import (
    _NO_SPELLS,
    _NODE_SKIP,
    _UNDATED,
    Interval,
    _graph_edges,
    _ids,
    _Intervals,
    _node_label,
    _nodes,
    _span,
    _spells,
    _stated_spells,
)
from defus_graph.graph.bipartite import ORGANISATION, PROJECT


def _nodes_reference(
    g: nx.Graph, ids: dict[Any, str], by_id: Order, side: dict[Any, Any], *, bipartite: bool
) -> tuple[list[Any], ...]:
    """The node-by-node loop the columns replaced (its columns, in id order)."""
    interval = _Intervals()
    adj = dict(g.adjacency())
    projects = {
        n: interval(d.get("start"), d.get("end"))
        for n, d in g._node.items()
        if d.get("bipartite") == PROJECT
    }
    keys, records, intervals, spells, labels, kinds = [], [], [], [], [], []
    for n, d in g._node.items():
        mine = side[n]
        keys.append(n)
        labels.append(_node_label(d.get("label"), ids[n]))
        kinds.append(str(d.get("kind", "")))
        spells.append(_NO_SPELLS if mine == PROJECT else _stated_spells(d.get("spells"), interval))
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
            linked = [*filter(None, map(projects.get, adj[n]))]
            intervals.append(_span(linked))
            if not spells[-1]:
                spells[-1] = _spells(linked)
        else:
            intervals.append(_UNDATED)
        if mine == ORGANISATION and "n_projects" not in d:
            count = len(adj[n]) if bipartite else [*map(side.__getitem__, adj[n])].count(PROJECT)
            d = {**d, "n_projects": count}
        records.append(d)
    order = by_id(keys)
    attributes = typed_attributes(raw_columns(records).reordered(by_id), _NODE_SKIP)
    return (
        order,
        [ids[n] for n in order],
        by_id(labels),
        by_id(kinds),
        [side[n] == PROJECT for n in order],
        by_id(intervals),
        by_id(spells),
        [attributes],
    )


NAMES = ["Genk", "a & b", "<x>", 'say "hi"', "l'Aquila", "Ctrl\x01x", "Düsseldorf", "=1+1", ""]
DATES = st.one_of(
    st.none(), st.sampled_from(["", "2014", "2016-06", "2019-02-01", "2021-12"]), st.just(2018)
)
SIDES = st.one_of(st.sampled_from([PROJECT, ORGANISATION]), st.sampled_from([None, True, 0.0, "1"]))


@st.composite
def graphs(draw: st.DrawFn) -> nx.Graph:
    """A graph of projects and organisations (mostly), with awkward attributes."""
    n = draw(st.integers(1, 9))
    g = nx.Graph()
    odd_sides = draw(st.booleans())
    for i in range(n):
        side = draw(SIDES) if odd_sides else draw(st.sampled_from([PROJECT, ORGANISATION]))
        attrs: dict[str, Any] = {"bipartite": side}
        for key, values in (
            ("label", st.sampled_from([*NAMES, None, 3])),
            ("kind", st.sampled_from(["city", "project", None, 7])),
            ("start", DATES),
            ("end", DATES),
            ("spells", st.sampled_from([None, [("2014", "2015"), ("2019", None)], "x"])),
            ("n_projects", st.integers(0, 3)),
            ("title", st.sampled_from(NAMES)),
        ):
            if draw(st.integers(0, 3)) == 0:
                attrs[key] = draw(values)
        g.add_node(f"{'project' if side == PROJECT else 'org'}:{draw(st.sampled_from(NAMES))}{i}")
        g.nodes[list(g)[-1]].update(attrs)
    nodes = list(g)
    pairs = draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=16))
    bipartite_only = draw(st.booleans())
    for a, b in pairs:
        u, v = nodes[a], nodes[b]
        sides = {g.nodes[u]["bipartite"], g.nodes[v]["bipartite"]}
        if not bipartite_only or sides == {PROJECT, ORGANISATION}:
            g.add_edge(u, v, role="partner")
    return g


@settings(max_examples=300, deadline=None)
@given(graphs())
def test_nodes_by_columns_are_the_nodes_one_by_one(g: nx.Graph) -> None:
    try:
        ids = _ids(g)
    except ExportError:
        return
    by_id = Order(sorted(range(len(ids)), key=list(ids.values()).__getitem__))
    rank = {node: i for i, node in enumerate(by_id(list(ids)))}
    side = {n: d.get("bipartite") for n, d in g._node.items()}
    found = _graph_edges(g, side, rank)
    try:
        expected = _nodes_reference(g, ids, by_id, side, bipartite=found.bipartite)
    except ExportError as error:
        expected_error = str(error)
    else:
        expected_error = ""
    for ends in (found.ends, None):  # the adjacency as read for the edges, or read anew
        try:
            nodes, _ = _nodes(
                g, ids, by_id, side, _Intervals(), bipartite=found.bipartite, ends=ends
            )
        except ExportError as error:
            assert str(error) == expected_error
            continue
        got = (
            nodes.keys,
            nodes.ids,
            nodes.labels,
            nodes.kinds,
            nodes.is_project,
            nodes.intervals,
            nodes.spells,
            [nodes.attributes],
        )
        assert got == expected


def test_an_organisation_whose_project_ends_before_it_starts() -> None:
    # merged_intervals starts a spell's reach afresh at each spell; a running maximum
    # would carry the earlier project's end into the later spell.
    g = nx.Graph()
    g.add_node("project:A", bipartite=PROJECT, start="2014", end="2018")
    g.add_node("project:B", bipartite=PROJECT, start="2019-02", end="2016")
    g.add_node("org:X", bipartite=ORGANISATION)
    g.add_edges_from([("project:A", "org:X"), ("project:B", "org:X")])
    ids = _ids(g)
    by_id = Order(sorted(range(len(ids)), key=list(ids.values()).__getitem__))
    side = {n: d.get("bipartite") for n, d in g._node.items()}
    nodes, _ = _nodes(g, ids, by_id, side, _Intervals(), bipartite=True)
    spells = dict(zip(nodes.keys, nodes.spells, strict=True))["org:X"]
    assert [(str(s.start), str(s.end)) for s in spells] == [
        ("2014-01-01", "2018-12-31"),
        ("2019-02-01", "2016-12-31"),
    ]
    assert isinstance(spells[0], Interval)
    assert gexf_bytes(g).count(b"<spell ") == 2 and graphml_bytes(g)
