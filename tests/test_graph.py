"""Graph invariants, on the real data and on generated datasets."""

from __future__ import annotations

import string

import networkx as nx
from hypothesis import given, settings
from hypothesis import strategies as st
from networkx.algorithms import bipartite

from defus_graph.graph.bipartite import (
    ORGANISATION,
    PROJECT,
    _projection_by_pairs,
    graph_from_dataset,
    org_id,
    organisation_nodes,
    organisation_projection,
    project_id,
    project_nodes,
    project_projection,
)
from defus_graph.model import Dataset, Organisation, Participation, Project

_names = st.text(string.ascii_letters + "äü' -", min_size=1, max_size=8)


@st.composite
def datasets(draw: st.DrawFn) -> Dataset:
    projects = draw(st.lists(_names, min_size=1, max_size=8, unique=True))
    orgs = draw(st.lists(_names, min_size=1, max_size=12, unique=True))
    pairs = draw(st.lists(st.tuples(st.sampled_from(projects), st.sampled_from(orgs)), unique=True))
    return Dataset(
        projects=tuple(Project(p) for p in projects),
        organisations=tuple(Organisation(o, "city") for o in orgs),
        participations=tuple(Participation(p, o, "partner") for p, o in pairs),
    )


@settings(max_examples=80, deadline=None)
@given(ds=datasets())
def test_graph_is_bipartite_with_one_node_per_record(ds: Dataset) -> None:
    g = graph_from_dataset(ds)
    assert bipartite.is_bipartite_node_set(g, project_nodes(g))
    assert len(project_nodes(g)) == len(ds.projects)
    assert len(organisation_nodes(g)) == len(ds.organisations)
    assert g.number_of_edges() == len(ds.participations)
    assert all(None not in d.values() for _, d in g.nodes(data=True))


@settings(max_examples=80, deadline=None)
@given(ds=datasets())
def test_projection_weight_is_the_number_of_shared_projects(ds: Dataset) -> None:
    g = graph_from_dataset(ds)
    members: dict[str, set[str]] = {}
    for pa in ds.participations:
        members.setdefault(pa.organisation, set()).add(pa.project)
    proj = organisation_projection(g)
    for a in members:
        for b in members:
            if a >= b:
                continue
            shared = members[a] & members[b]
            if shared:
                edge = proj.edges[org_id(a), org_id(b)]
                assert edge["weight"] == len(shared)
                assert edge["projects"] == sorted(shared)
            else:
                assert not proj.has_edge(org_id(a), org_id(b))
    # The same numbers as networkx's own weighted projection.
    reference = bipartite.weighted_projected_graph(g, organisation_nodes(g))
    assert {tuple(sorted(e)): d["weight"] for *e, d in proj.edges(data=True)} == {
        tuple(sorted(e)): d["weight"] for *e, d in reference.edges(data=True)
    }


@settings(max_examples=50, deadline=None)
@given(ds=datasets())
def test_project_projection_weight_is_shared_organisations(ds: Dataset) -> None:
    g = graph_from_dataset(ds)
    proj = project_projection(g)
    reference = bipartite.weighted_projected_graph(g, project_nodes(g))
    assert nx.utils.edges_equal(proj.edges, reference.edges)
    for u, v, d in proj.edges(data=True):
        assert d["weight"] == reference.edges[u, v]["weight"] == len(d["organisations"])


def test_a_project_and_an_organisation_of_the_same_name_do_not_collide() -> None:
    ds = Dataset(
        projects=(Project("Fryshuset"),),
        organisations=(Organisation("Fryshuset"),),
        participations=(Participation("Fryshuset", "Fryshuset", "partner"),),
    )
    g = graph_from_dataset(ds)
    assert sorted(g.nodes) == [org_id("Fryshuset"), project_id("Fryshuset")]
    assert g.has_edge(project_id("Fryshuset"), org_id("Fryshuset"))


def test_real_graph_attributes(graph: nx.Graph) -> None:
    bridge = graph.nodes[project_id("BRIDGE")]
    assert (bridge["bipartite"], bridge["kind"], bridge["label"]) == (0, "project", "BRIDGE")
    assert bridge["funding_eur"] == 630901.0 and bridge["funding_scope"] == "total"
    assert "start" not in bridge  # the page gives no dates for BRIDGE
    duesseldorf = graph.nodes[org_id("Düsseldorf")]
    assert (duesseldorf["bipartite"], duesseldorf["kind"], duesseldorf["country"]) == (
        1,
        "city",
        "DE",
    )
    assert graph.nodes[org_id("AVP")]["kind"] == "unknown"
    proj = organisation_projection(graph)
    assert proj.edges[org_id("Düsseldorf"), org_id("Leuven")] == {
        "weight": 2,
        "projects": ["BRIDGE", "LouD"],
    }


_dates = st.sampled_from(["", "2016", "2017", "2017-10", "2017-10-01", "2017-10-31", "2019-02"])


@st.composite
def dated_datasets(draw: st.DrawFn) -> Dataset:
    projects = draw(st.lists(_names, min_size=1, max_size=10, unique=True))
    orgs = draw(st.lists(_names, min_size=1, max_size=12, unique=True))
    pairs = draw(st.lists(st.tuples(st.sampled_from(projects), st.sampled_from(orgs)), unique=True))
    return Dataset(
        projects=tuple(
            Project(p, start=draw(_dates), end=draw(_dates), title=draw(_names)) for p in projects
        ),
        organisations=tuple(Organisation(o, draw(st.sampled_from(["city", ""]))) for o in orgs),
        participations=tuple(Participation(p, o, "partner") for p, o in pairs),
    )


def _as_data(g: nx.Graph) -> tuple[dict[str, dict[str, object]], dict[tuple[str, ...], object]]:
    nodes = {n: dict(d) for n, d in g.nodes(data=True)}
    edges = {tuple(sorted((u, v))): dict(d) for u, v, d in g.edges(data=True)}
    return nodes, edges


@settings(max_examples=120, deadline=None)
@given(ds=dated_datasets(), with_names=st.booleans())
def test_sparse_projections_equal_the_pair_by_pair_route(ds: Dataset, with_names: bool) -> None:
    # The sparse route must give the same graph, attribute for attribute (dates included).
    g = graph_from_dataset(ds)
    for keep, attr, fast in (
        (ORGANISATION, "projects", organisation_projection),
        (PROJECT, "organisations", project_projection),
    ):
        expected = _projection_by_pairs(g, keep, attr, with_names=with_names)
        got = fast(g, with_names=with_names)
        assert list(got.nodes) == list(expected.nodes)
        assert _as_data(got) == _as_data(expected)


def test_a_graph_that_is_not_bipartite_takes_the_pair_by_pair_route() -> None:
    g = nx.Graph()
    g.add_node("project:A", bipartite=PROJECT, label="A", start="2017")
    g.add_node("org:x", bipartite=ORGANISATION, label="x")
    g.add_node("org:y", bipartite=ORGANISATION, label="y")
    g.add_edges_from([("project:A", "org:x"), ("project:A", "org:y"), ("org:x", "org:y")])
    assert _as_data(organisation_projection(g)) == _as_data(
        _projection_by_pairs(g, ORGANISATION, "projects")
    )
    assert organisation_projection(g).nodes["org:x"]["n_projects"] == 2


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 6), st.integers(0, 4), st.integers(0, 3)), max_size=60),
    st.booleans(),
)
def test_sorting_by_three_keys_at_once_is_lexsort(
    rows: list[tuple[int, int, int]], huge: bool
) -> None:
    import numpy as np

    from defus_graph.graph.bipartite import _sorted_by

    a, b, c = (np.array([r[k] for r in rows], dtype=np.int64) for k in range(3))
    # huge: key ranges too wide for one 63-bit key, so the lexsort route is taken.
    seconds, thirds = (2**40, 2**40) if huge else (5, 4)
    expected = np.lexsort((c, b, a))
    assert _sorted_by(a, b, c, seconds, thirds).tolist() == expected.tolist()
