"""A projection written from its columns is the file of its graph, byte for byte."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from defus_graph.draw.style import node_sizes
from defus_graph.export import ExportError, _chunks, export_bytes
from defus_graph.export._table import _span, _spells, table_from_graph
from defus_graph.export.gephi_csv import csv_tables
from defus_graph.graph.bipartite import (
    ORGANISATION,
    PROJECT,
    graph_from_dataset,
    projection_links,
    projection_links_of,
    projection_matrix,
)
from defus_graph.model import Dataset, Organisation, Participation, Project

# Names that sort differently as ids and as labels, need escaping, or lose characters
# XML cannot hold; dates partial, open or missing, so links get spells and open bounds.
_names = st.text("aBz; <&\"'äü\x01 -", min_size=1, max_size=6)
_dates = st.sampled_from(["", "2016", "2017", "2017-10", "2017-10-31", "2019-02", "2021"])


@st.composite
def _datasets(draw: st.DrawFn) -> Dataset:
    projects = draw(st.lists(_names, min_size=1, max_size=9, unique=True))
    orgs = draw(st.lists(_names, min_size=1, max_size=10, unique=True))
    pairs = draw(st.lists(st.tuples(st.sampled_from(projects), st.sampled_from(orgs)), unique=True))
    return Dataset(
        projects=tuple(Project(p, start=draw(_dates), end=draw(_dates)) for p in projects),
        organisations=tuple(
            Organisation(
                o, draw(st.sampled_from(["city", "ngo", ""])), draw(st.sampled_from(["DE", ""]))
            )
            for o in orgs
        ),
        participations=tuple(Participation(p, o, "partner") for p, o in pairs),
    )


def _files(shown: object, positions: dict[str, tuple[float, float]]) -> list[bytes] | str:
    """Every file of ``shown``, or the message that refuses them (ids equal once cleaned)."""
    try:
        return _written(shown, positions)
    except ExportError as err:
        return str(err)


def _files_in_chunks(
    shown: object, positions: dict[str, tuple[float, float]], rows: int
) -> list[bytes] | str:
    """:func:`_files` made ``rows`` nodes or links at a time, so that small data crosses
    chunk boundaries (links through one project are written once per project: a group
    may span chunks)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(_chunks, "CHUNK_ROWS", rows)
        return _files(shown, positions)


def _written(shown: object, positions: dict[str, tuple[float, float]]) -> list[bytes]:
    return [
        export_bytes(shown, "gexf", positions=positions),  # type: ignore[arg-type]
        export_bytes(shown, "graphml"),  # type: ignore[arg-type]
        *csv_tables(shown),  # type: ignore[arg-type]
    ]


@settings(max_examples=150, deadline=None)
@given(ds=_datasets(), keep=st.sampled_from([ORGANISATION, PROJECT]), rows=st.integers(1, 4))
def test_a_projection_from_its_columns_is_the_file_of_its_graph(
    ds: Dataset, keep: int, rows: int
) -> None:
    g = graph_from_dataset(ds)
    found = projection_links(g, keep=keep)
    assert found is not None
    graph = found.graph()
    positions = {str(n): (float(i), -float(i)) for i, n in enumerate(graph)}
    assert node_sizes(found) == node_sizes(graph)
    assert _files_in_chunks(found, positions, rows) == _files(graph, positions)
    assert (found.number_of_nodes(), found.number_of_edges()) == (
        graph.number_of_nodes(),
        graph.number_of_edges(),
    )


@settings(max_examples=80, deadline=None)
@given(ds=_datasets(), seed=st.integers(0, 2**16), rows=st.integers(1, 4))
def test_some_links_from_their_columns_are_the_file_of_their_graph(
    ds: Dataset, seed: int, rows: int
) -> None:
    # As a backbone keeps them: a subset of the projection's links.
    g = graph_from_dataset(ds)
    weights = sp.coo_array(sp.triu(projection_matrix(g).weights, k=1))
    keep = np.random.default_rng(seed).random(weights.nnz) < 0.5
    n = weights.shape[0]
    links = sp.coo_array((weights.data[keep], (weights.row[keep], weights.col[keep])), shape=(n, n))
    found = projection_links_of(g, links + links.T)
    graph = found.graph()
    positions = {str(n): (1.5, 2.5) for n in graph}
    assert _files_in_chunks(found, positions, rows) == _files(graph, positions)


@settings(max_examples=150, deadline=None)
@given(ds=_datasets())
def test_organisations_span_and_spells_are_their_projects_merged(ds: Dataset) -> None:
    # Found in numpy for all organisations at once; the rule, node by node, is: the cover
    # of the projects' whole-day intervals, and those intervals merged when there are several.
    g = graph_from_dataset(ds)
    try:
        nodes = table_from_graph(g).nodes
    except ExportError:  # two ids the same once cleaned: no table to look at
        return
    project_interval = dict(zip(nodes.keys, nodes.intervals, strict=True))
    for n, interval, spells in zip(nodes.keys, nodes.intervals, nodes.spells, strict=True):
        if g.nodes[n]["bipartite"] != ORGANISATION:
            continue
        linked = [project_interval[p] for p in g[n]]
        assert interval == _span(linked)
        assert spells == _spells(linked)


@settings(max_examples=150, deadline=None)
@given(ds=_datasets(), keep=st.sampled_from([ORGANISATION, PROJECT]))
def test_shared_texts_are_each_links_names_joined(ds: Dataset, keep: int) -> None:
    """The shared names joined for all links at once are each link's, joined on its own."""
    found = projection_links(graph_from_dataset(ds), keep=keep)
    assert found is not None
    texts = found.shared_texts()
    names = found.shared
    if texts is None:  # only when a name is empty or not printable
        assert not all(found.labels) or not "".join(found.labels).isprintable()
    else:
        assert texts == ["; ".join(link) for link in names]


@settings(max_examples=150, deadline=None)
@given(ds=_datasets(), keep=st.sampled_from([ORGANISATION, PROJECT]))
def test_links_in_one_group_are_alike_but_for_their_ends(ds: Dataset, keep: int) -> None:
    """The writers may write a group's label, weight, time and values once: the links of
    one group have the same. A project network's links span their ends: no groups."""
    found = projection_links(graph_from_dataset(ds), keep=keep)
    assert found is not None
    try:
        edges = table_from_graph(found).edges
    except ExportError:  # two ids the same once cleaned: no table to look at
        return
    if keep == PROJECT:
        assert edges.groups is None
        return
    assert edges.groups is not None
    seen: dict[int, tuple[object, ...]] = {}
    for i, group in enumerate(edges.groups):
        row = (
            edges.labels[i],
            edges.weights[i],
            edges.intervals[i],
            edges.spells[i],
            *(column[i] for column in edges.attributes.values),
        )
        if group >= 0:
            assert seen.setdefault(group, row) == row
