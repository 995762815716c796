"""The organisation network from a dataset's arrays is the one from its bipartite graph.

``defus-graph export --view orgs`` without filters builds no bipartite graph: the
projection, its backbone, the places on its nodes and the layout come from the
arrays (``Participations``). Here, on generated datasets, every one of them is
compared with the graph's route, file for file and position for position.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import networkx as nx
import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.sparse.csgraph import connected_components

from defus_graph.cli import main
from defus_graph.draw import layout
from defus_graph.draw.layout import layout_of_links, layout_positions
from defus_graph.export import ExportError, export_bytes
from defus_graph.export.gephi_csv import csv_tables
from defus_graph.graph import views
from defus_graph.graph.bipartite import (
    Participations,
    adjacency,
    graph_from_dataset,
    organisation_graph,
    participation_adjacency,
)
from defus_graph.graph.views import (
    Filters,
    ViewTooLarge,
    backbone_columns,
    filter_graph,
    organisation_backbone,
    organisation_view,
    view_columns,
)
from defus_graph.model import Dataset, Member, Organisation, Participation, Project
from defus_graph.names.places import place_organisations, with_coordinates
from defus_graph.store.tables import load_dataset

ROOT = Path(__file__).resolve().parent.parent

_names = st.text("aBz; <&\"'äü -", min_size=1, max_size=6)
_dates = st.sampled_from(["", "2016", "2017", "2017-10", "2017-10-31", "2019-02", "2021"])
_coordinates = st.sampled_from([(None, None), (50.9, 6.9), (48.1, None), (91.0, 2.0)])


@st.composite
def _datasets(draw: st.DrawFn) -> Dataset:
    """Datasets as a checked folder holds them: organisations in no project, members,
    coordinates usable or not, participations in any order."""
    projects = draw(st.lists(_names, min_size=1, max_size=9, unique=True))
    orgs = draw(st.lists(_names, min_size=1, max_size=10, unique=True))
    pairs = draw(st.lists(st.tuples(st.sampled_from(projects), st.sampled_from(orgs)), unique=True))
    members = draw(st.lists(st.sampled_from([*orgs, ""]), max_size=3))

    def organisation(name: str) -> Organisation:
        lat, lon = draw(_coordinates)
        return Organisation(
            name,
            draw(st.sampled_from(["city", "ngo", "region", ""])),
            draw(st.sampled_from(["DE", "BE", ""])),
            city=draw(st.sampled_from(["", "Köln", "Gent", "Nowhere"])),
            latitude=lat,
            longitude=lon,
        )

    return Dataset(
        projects=tuple(Project(p, start=draw(_dates), end=draw(_dates)) for p in projects),
        organisations=tuple(map(organisation, orgs)),
        participations=tuple(Participation(p, o, "partner") for p, o in pairs),
        members=tuple(Member(f"member {m}", m) for m in members),
    )


def _placed_graph(ds: Dataset) -> nx.Graph:
    """The bipartite graph with its places, as ``export`` makes it for GEXF and GraphML."""
    return with_coordinates(graph_from_dataset(ds), place_organisations(ds.organisations))


def _placed_nodes(ds: Dataset) -> nx.Graph:
    return with_coordinates(organisation_graph(ds), place_organisations(ds.organisations))


def _files(shown: object, positions: dict[str, tuple[float, float]]) -> list[bytes] | str:
    """Every file of ``shown``, or the message that refuses them (ids equal once cleaned)."""
    try:
        return [
            export_bytes(shown, "gexf", positions=positions),  # type: ignore[arg-type]
            export_bytes(shown, "graphml"),  # type: ignore[arg-type]
            *csv_tables(shown),  # type: ignore[arg-type]
        ]
    except ExportError as err:
        return str(err)


def _same_graph(a: nx.Graph, b: nx.Graph) -> None:
    assert list(a.nodes(data=True)) == list(b.nodes(data=True))
    assert list(a.edges(data=True)) == list(b.edges(data=True))
    assert {n: list(a.adj[n]) for n in a} == {n: list(b.adj[n]) for n in b}


@settings(max_examples=150, deadline=None)
@given(ds=_datasets())
def test_the_organisation_view_from_the_arrays_is_the_graph_s(ds: Dataset) -> None:
    parts = Participations.from_dataset(ds)
    assert parts is not None
    g = _placed_graph(ds)
    expected = view_columns(filter_graph(g, Filters()), "orgs")
    found = organisation_view(parts, lambda: _placed_nodes(ds))
    assert not isinstance(expected, nx.Graph)
    _same_graph(found.graph(), expected.graph())
    positions = {n: (float(i), 0.5 * i) for i, n in enumerate(g)}
    assert _files(found, positions) == _files(expected, positions)


@settings(max_examples=100, deadline=None)
@given(ds=_datasets(), alpha=st.sampled_from([0.05, 0.5, 1.0]))
def test_its_backbone_from_the_arrays_is_the_graph_s(ds: Dataset, alpha: float) -> None:
    parts = Participations.from_dataset(ds)
    assert parts is not None
    expected, total = backbone_columns(
        filter_graph(_placed_graph(ds), Filters()), "orgs", alpha=alpha
    )
    found, found_total = organisation_backbone(parts, lambda: _placed_nodes(ds), alpha=alpha)
    assert found_total == total
    assert not isinstance(expected, nx.Graph)
    _same_graph(found.graph(), expected.graph())


def test_a_view_too_large_is_refused_in_the_same_words_before_any_node_is_made() -> None:
    ds = load_dataset(ROOT / "data")
    parts = Participations.from_dataset(ds)
    assert parts is not None
    g = filter_graph(graph_from_dataset(ds), Filters())
    bound = views.projection_pairs(g, "orgs")

    def no_nodes() -> nx.Graph:
        raise AssertionError("the nodes were made for a view that is refused")

    with pytest.raises(ViewTooLarge) as graph_s:
        view_columns(g, "orgs", limit=bound - 1)
    with pytest.raises(ViewTooLarge) as arrays:
        organisation_view(parts, no_nodes, limit=bound - 1)
    assert str(arrays.value) == str(graph_s.value)
    with pytest.raises(ViewTooLarge) as graph_s:
        backbone_columns(g, "orgs", alpha=0.05, limit=0)
    with pytest.raises(ViewTooLarge) as arrays:
        organisation_backbone(parts, lambda: _placed_nodes(ds), alpha=0.05, limit=0)
    assert str(arrays.value) == str(graph_s.value)


@settings(max_examples=100, deadline=None)
@given(
    ds=_datasets(),
    view=st.sampled_from(["orgs", "projects"]),
    backbone=st.booleans(),
    slack=st.integers(-2, 1),
)
def test_a_projection_is_refused_from_the_arrays_exactly_when_the_graph_s_is(
    ds: Dataset, view: str, backbone: bool, slack: int
) -> None:
    parts = Participations.from_dataset(ds)
    assert parts is not None
    g = filter_graph(graph_from_dataset(ds), Filters())
    limit = max(0, views.projection_pairs(g, view) + slack)

    def refusal(check: Callable[[], object]) -> str | None:
        try:
            check()
        except ViewTooLarge as err:
            return str(err)
        return None

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(views, "BACKBONE_PAIR_LIMIT", limit)
        if backbone:
            expected = refusal(lambda: backbone_columns(g, view, alpha=0.05, limit=10**9))
        else:
            expected = refusal(lambda: view_columns(g, view, limit=limit))
        found = refusal(lambda: views.refuse_too_large(parts, view, backbone=backbone, limit=limit))
    assert found == expected


@settings(max_examples=150, deadline=None)
@given(ds=_datasets())
def test_the_links_from_the_arrays_are_the_graph_s(ds: Dataset) -> None:
    parts = Participations.from_dataset(ds)
    assert parts is not None
    expected, found = adjacency(graph_from_dataset(ds)), participation_adjacency(parts)
    assert found.nodes == expected.nodes and found.index == expected.index
    assert found.links.dtype == expected.links.dtype
    for name in ("indptr", "indices", "data"):
        assert np.array_equal(getattr(found.links, name), getattr(expected.links, name))
    # Laid out as a small graph (in networkx) here: the same positions.
    assert layout_of_links(found) == layout_positions(graph_from_dataset(ds))


def _large_dataset(seed: int) -> Dataset:
    """A CORDIS-like dataset of a few hundred projects: one large component, small
    islands, organisations alone."""
    rng = np.random.default_rng(seed)
    n_projects, n_orgs = 260, 400
    pairs = set()
    for p in range(n_projects):
        size = int(rng.integers(1, 9))
        pool = n_orgs if p < 200 else 12  # the last projects share a few organisations
        first = 0 if p < 200 else n_orgs - 12 - 12 * (p % 3)
        for o in rng.choice(pool, size=min(size, pool), replace=False).tolist():
            pairs.add((p, first + o if p >= 200 else o))
    return Dataset(
        projects=tuple(Project(f"P{p}") for p in range(n_projects)),
        organisations=tuple(Organisation(f"O{o}") for o in range(n_orgs + 5)),
        participations=tuple(Participation(f"P{p}", f"O{o}", "partner") for p, o in sorted(pairs)),
    )


@pytest.mark.parametrize("seed", [1, 2])
def test_a_large_layout_from_the_arrays_is_the_graph_s_bit_for_bit(seed: int) -> None:
    ds = _large_dataset(seed)
    parts = Participations.from_dataset(ds)
    assert parts is not None
    g = graph_from_dataset(ds)
    assert g.number_of_nodes() > layout.LARGE_LAYOUT
    assert layout_of_links(participation_adjacency(parts)) == layout_positions(g)


@settings(max_examples=150, deadline=None)
@given(
    n=st.integers(1, 40),
    edges=st.lists(st.tuples(st.integers(0, 39), st.integers(0, 39)), max_size=60),
)
def test_components_are_scipy_s(n: int, edges: list[tuple[int, int]]) -> None:
    rows = np.array([u for u, v in edges if u < n and v < n and u != v], dtype=np.int64)
    cols = np.array([v for u, v in edges if u < n and v < n and u != v], dtype=np.int64)
    adj = sp.csr_array(
        (np.ones(2 * len(rows)), (np.r_[rows, cols], np.r_[cols, rows])), shape=(n, n)
    )
    _, theirs = connected_components(adj, directed=False)
    ours = layout._components(adj)
    # The same groups (the numbers naming them may differ).
    assert len(np.unique(ours)) == len(np.unique(theirs))
    assert len(np.unique(ours * n + theirs)) == len(np.unique(theirs))


@pytest.mark.parametrize("fmt", ["gexf", "graphml", "csv", "html"])
@pytest.mark.parametrize("backbone", [None, "0.3"])
def test_the_cli_writes_the_files_of_the_graph_s_route(
    fmt: str, backbone: str | None, tmp_path: Path
) -> None:
    ds = load_dataset(ROOT / "data")
    g = graph_from_dataset(ds)
    if fmt in ("gexf", "graphml"):
        g = with_coordinates(g, place_organisations(ds.organisations))
    if backbone is None:
        shown, _ = view_columns(filter_graph(g, Filters()), "orgs"), None
    else:
        shown, _ = backbone_columns(filter_graph(g, Filters()), "orgs", alpha=float(backbone))
    out = tmp_path / f"orgs.{fmt if fmt != 'csv' else 'zip'}"
    args = ["--data", str(ROOT / "data"), "export", "--format", fmt, "--view", "orgs"]
    assert main([*args, *(["--backbone", backbone] if backbone else []), "-o", str(out)]) == 0
    positions = layout_positions(graph_from_dataset(ds)) if fmt in ("gexf", "html") else None
    assert out.read_bytes() == export_bytes(shown, fmt, positions=positions)
