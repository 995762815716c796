"""Graph invariants, on the real data and on generated datasets."""

from __future__ import annotations

import string

import networkx as nx
from hypothesis import given, settings
from hypothesis import strategies as st
from networkx.algorithms import bipartite

from defus_graph.graph import (
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
