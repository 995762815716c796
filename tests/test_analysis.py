"""Analysis on the real network: answers a user can check against the page."""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterator
from contextlib import contextmanager
from types import SimpleNamespace
from unittest import mock

import networkx as nx
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from networkx.algorithms import bipartite

from defus_graph.analysis import centrality
from defus_graph.analysis.centrality import (
    _bipartite_betweenness,
    _organisation_eigenvector,
    betweenness_centrality,
    betweenness_sample_size,
    centralities,
    network_stats,
)
from defus_graph.analysis.communities import communities, modularity
from defus_graph.analysis.queries import (
    co_partners,
    funding_totals,
    organisation_projects,
    project_members,
    shared_partners,
    shortest_chain,
)
from defus_graph.graph.bipartite import (
    ORGANISATION,
    PROJECT,
    org_id,
    organisation_projection,
    project_id,
    project_nodes,
)


def test_shared_cities(graph: nx.Graph) -> None:
    cities = {s.name: s.projects for s in shared_partners(graph, kind="city")}
    assert cities == {
        "Augsburg": ("LouD", "Solidify"),
        "Düsseldorf": ("BRIDGE", "LouD"),
        "Leuven": ("BRIDGE", "LouD"),
        "Rotterdam": ("BRIDGE", "PREPARE"),
    }


def test_shared_partners_most_projects_first(graph: nx.Graph) -> None:
    found = shared_partners(graph)
    assert found[0].name == "Efus" and len(found[0].projects) == 10
    assert {s.name for s in found} == {
        "Efus",
        "DEFUS",
        "Augsburg",
        "Düsseldorf",
        "Leuven",
        "Rotterdam",
        "Generalitat de Catalunya",
    }
    assert [s.name for s in shared_partners(graph, min_projects=3)] == ["Efus"]
    with pytest.raises(ValueError, match="at least 1"):
        shared_partners(graph, min_projects=0)


def test_projects_and_co_partners_of_a_city(graph: nx.Graph) -> None:
    assert [(i.name, i.role) for i in organisation_projects(graph, org_id("Augsburg"))] == [
        ("LouD", "partner"),
        ("Solidify", "participant"),
    ]
    co = co_partners(graph, org_id("Düsseldorf"))
    assert (co[0].name, co[0].projects) == ("Efus", ("BRIDGE", "LouD"))
    assert (co[1].name, co[1].projects) == ("Leuven", ("BRIDGE", "LouD"))
    assert len(co) == 21
    with pytest.raises(ValueError, match="not an organisation"):
        co_partners(graph, project_id("BRIDGE"))


def test_project_members_coordinator_first(graph: nx.Graph) -> None:
    members = project_members(graph, project_id("PACTESUR"))
    assert [(m.name, m.role) for m in members] == [("Nice", "coordinator"), ("Efus", "participant")]


def test_shortest_chain(graph: nx.Graph) -> None:
    assert shortest_chain(graph, org_id("Düsseldorf"), org_id("Rotterdam")) == [
        org_id("Düsseldorf"),
        project_id("BRIDGE"),
        org_id("Rotterdam"),
    ]
    # DEFUS's projects share no one with Efus's: there is no chain.
    assert shortest_chain(graph, org_id("DEFUS"), org_id("Efus")) is None


def test_funding_never_adds_a_share_to_totals(graph: nx.Graph) -> None:
    by_programme = {r.key: r for r in funding_totals(graph)}
    h2020 = by_programme["Horizon 2020"]
    assert h2020.project_totals_eur == 0.0
    assert h2020.partner_shares_eur == 121000.00 + 265155.00 + 230347.00
    isf = by_programme["Internal Security Fund"]
    assert isf.project_totals_eur == 630901.00
    assert isf.partner_shares_eur == 86236.65
    assert isf.projects_without_amount == ["PACTESUR"]
    assert by_programme["Erasmus+"].project_totals_eur == 433538.00 + 399144.00
    efus = {r.key: r for r in funding_totals(graph, by="organisation")}["Efus"]
    assert efus.partner_shares_eur == 121000.00 + 265155.00 + 230347.00 + 86236.65
    duesseldorf = {r.key: r for r in funding_totals(graph, by="organisation")}["Düsseldorf"]
    assert duesseldorf.partner_shares_eur == 0.0
    assert duesseldorf.project_totals_eur == 630901.00 + 433538.00
    de = {r.key: r for r in funding_totals(graph, by="country")}["DE"]
    assert de.project_totals_eur == 630901.00 + 433538.00 + 447597.05 + 399144.00


def test_centralities_and_communities_are_repeatable(graph: nx.Graph) -> None:
    first, second = centralities(graph), centralities(graph)
    assert first == second
    assert max(first, key=lambda n: first[n].betweenness) == org_id("Efus")
    assert communities(graph) == communities(graph)
    groups = communities(graph)
    assert groups[org_id("DEFUS")] == groups[project_id("SiBa")]
    assert groups[org_id("DEFUS")] != groups[org_id("Efus")]


def test_network_stats(graph: nx.Graph) -> None:
    stats = network_stats(graph)
    assert (stats["projects"], stats["organisations"], stats["participations"]) == (12, 53, 68)
    assert stats["components"] == 2
    assert stats["most_central"][0]["name"] == "Efus"  # type: ignore[index]


# --- The vectorised centralities against networkx -------------------------------------------


def _close(ours: dict[Hashable, float], theirs: dict[Hashable, float]) -> None:
    assert list(ours) == list(theirs)
    for node, expected in theirs.items():
        got = ours[node]
        if math.isnan(expected):  # networkx's sampled scale for k=1 is 0/0 for the source
            assert math.isnan(got), node
        else:
            assert math.isclose(got, expected, rel_tol=1e-9, abs_tol=1e-12), (node, got, expected)


@st.composite
def general_graphs(draw: st.DrawFn) -> nx.Graph:
    """Small graphs of any shape: directed or not, self-loops, isolated nodes, any node order."""
    n = draw(st.integers(0, 14))
    g: nx.Graph = nx.DiGraph() if draw(st.booleans()) else nx.Graph()
    g.add_nodes_from(draw(st.permutations(range(n))))
    if n:
        node = st.integers(0, n - 1)
        g.add_edges_from(draw(st.lists(st.tuples(node, node), max_size=3 * n)))
    return g


@st.composite
def bipartite_graphs(draw: st.DrawFn, *, clean: bool = True) -> nx.Graph:
    """Project–organisation graphs in any node order; ``clean=False`` may add same-side edges."""
    projects = [project_id(f"P{i}") for i in range(draw(st.integers(0, 6)))]
    orgs = [org_id(f"O{i}") for i in range(draw(st.integers(0, 10)))]
    g = nx.Graph()
    for node in draw(st.permutations(projects + orgs)):
        g.add_node(node, bipartite=PROJECT if node in projects else ORGANISATION)
    if projects and orgs:
        pair = st.tuples(st.sampled_from(projects), st.sampled_from(orgs))
        g.add_edges_from(draw(st.lists(pair, max_size=30)))
    if not clean and len(g) >= 2:
        any_node = st.sampled_from(list(g))
        pairs = st.lists(st.tuples(any_node, any_node).filter(lambda e: e[0] != e[1]), max_size=3)
        g.add_edges_from(draw(pairs))
    return g


any_graphs = st.one_of(general_graphs(), bipartite_graphs(), bipartite_graphs(clean=False))


@pytest.mark.parametrize("batch", [None, 2])
@settings(max_examples=150, deadline=None)
@given(g=any_graphs, normalized=st.booleans())
def test_betweenness_equals_networkx(batch: int | None, g: nx.Graph, normalized: bool) -> None:
    with _batches_of(batch):
        ours = betweenness_centrality(g, normalized=normalized)
    _close(ours, nx.betweenness_centrality(g, normalized=normalized))


@pytest.mark.parametrize("batch", [None, 3])
@settings(max_examples=150, deadline=None)
@given(g=any_graphs, data=st.data(), normalized=st.booleans())
def test_sampled_betweenness_equals_networkx(
    batch: int | None, g: nx.Graph, data: st.DataObject, normalized: bool
) -> None:
    # The same sources for the same k and seed, and networkx's scaling of the estimate.
    k = data.draw(st.integers(1, max(1, len(g))) if len(g) else st.just(0))
    seed = data.draw(st.integers(0, 2**32))
    with _batches_of(batch):
        ours = betweenness_centrality(g, k, normalized=normalized, seed=seed)
    _close(ours, nx.betweenness_centrality(g, k, normalized=normalized, seed=seed))


def _one_after_another(work, batches):  # type: ignore[no-untyped-def]
    return map(work, batches)


@settings(max_examples=100, deadline=None)
@given(g=any_graphs, data=st.data(), normalized=st.booleans())
def test_betweenness_in_threads_has_the_same_bits(
    g: nx.Graph, data: st.DataObject, normalized: bool
) -> None:
    # Batches run side by side; their credits must add up exactly as one after the other,
    # so that printed figures never depend on how the threads were scheduled.
    k = data.draw(st.none() | st.integers(1, max(1, len(g))) if len(g) else st.none())
    with _batches_of(2), mock.patch.object(centrality.os, "sched_getaffinity", lambda _: {0, 1}):
        threaded = betweenness_centrality(g, k, normalized=normalized, seed=7)
    with _batches_of(2), mock.patch.object(centrality, "_in_threads", _one_after_another):
        alone = betweenness_centrality(g, k, normalized=normalized, seed=7)
    # repr: the same digits to the last bit (and nan, with k == 1, equal to nan).
    assert [(n, repr(v)) for n, v in threaded.items()] == [(n, repr(v)) for n, v in alone.items()]


@settings(max_examples=150, deadline=None)
@given(g=bipartite_graphs())
def test_bipartite_betweenness_equals_networkx(g: nx.Graph) -> None:
    projects = project_nodes(g)
    assume(2 <= len(projects) <= len(g) - 2)
    _close(_bipartite_betweenness(g, projects), bipartite.betweenness_centrality(g, projects))


def test_betweenness_examples() -> None:
    # One edge, a path, a star with an isolated node: small cases worked by hand.
    assert betweenness_centrality(nx.Graph([(1, 2)])) == {1: 0.0, 2: 0.0}
    assert betweenness_centrality(nx.path_graph(3), normalized=False) == {0: 0.0, 1: 1.0, 2: 0.0}
    star = nx.star_graph(3)
    star.add_node("alone")
    # The centre is on the 3 paths between leaves, of (5 - 1)(5 - 2) / 2 = 6 possible.
    assert betweenness_centrality(star) == {0: 0.5, 1: 0.0, 2: 0.0, 3: 0.0, "alone": 0.0}
    assert betweenness_centrality(nx.Graph()) == {}
    with pytest.raises(ValueError):
        betweenness_centrality(nx.path_graph(3), 4, seed=1)  # more sources than nodes


def _reference_eigenvector(proj: nx.Graph) -> dict[str, float]:
    """The networkx route that the sparse one replaced, kept verbatim as the reference."""
    total = proj.number_of_nodes()
    result: dict[str, float] = {}
    for comp in nx.connected_components(proj):
        if len(comp) < 2:
            result.update(dict.fromkeys(comp, 0.0))
            continue
        sub = proj.subgraph(comp)
        # ARPACK needs three nodes; in a connected pair both ends are equal.
        values = (
            dict.fromkeys(comp, 1.0)
            if len(comp) == 2
            else nx.eigenvector_centrality_numpy(sub, weight="weight")
        )
        top = max(abs(v) for v in values.values()) or 1.0
        share = len(comp) / total
        result.update({n: abs(v) / top * share for n, v in values.items()})
    return result


@pytest.mark.parametrize("dense_limit", [128, 3])  # 3: every component of 4+ through ARPACK
@settings(max_examples=150, deadline=None)
@given(g=st.one_of(bipartite_graphs(), bipartite_graphs(clean=False)))
def test_eigenvector_equals_the_networkx_route(dense_limit: int, g: nx.Graph) -> None:
    with mock.patch.object(centrality, "_DENSE_EIGEN_LIMIT", dense_limit):
        ours = _organisation_eigenvector(g)
    theirs = _reference_eigenvector(organisation_projection(g, with_names=False))
    assert ours.keys() == theirs.keys()
    for node, expected in theirs.items():
        assert math.isclose(ours[node], expected, abs_tol=1e-9), (node, ours[node], expected)


def _reference_centralities(g: nx.Graph) -> dict[str, tuple[float, float, float]]:
    """Degree, betweenness and eigenvector as networkx computed them before (exact branch)."""
    projects = project_nodes(g)
    degree = bipartite.degree_centrality(g, projects)
    if 2 <= len(projects) <= g.number_of_nodes() - 2:
        between = bipartite.betweenness_centrality(g, projects)
    else:
        between = nx.betweenness_centrality(g)
    eigen = _reference_eigenvector(organisation_projection(g, with_names=False))
    return {n: (round(degree[n], 6), round(between[n], 6), round(eigen.get(n, 0.0), 6)) for n in g}


def test_centralities_of_the_bundled_data_are_unchanged(graph: nx.Graph) -> None:
    pieces = [graph, *(graph.subgraph(c).copy() for c in nx.connected_components(graph))]
    for g in pieces:
        ours = {n: (c.degree, c.betweenness, c.eigenvector) for n, c in centralities(g).items()}
        assert ours == _reference_centralities(g)
        assert not any(c.estimated for c in centralities(g).values())


def test_sampled_centralities_use_networkx_sources(graph: nx.Graph) -> None:
    # Force the sampled branch on the bundled data: 20 sources, seeded.
    size = graph.number_of_nodes() + graph.number_of_edges()
    with (
        mock.patch.object(centrality, "BETWEENNESS_EXACT_LIMIT", 10),
        mock.patch.object(centrality, "BETWEENNESS_SAMPLE_BUDGET", 20 * size),
    ):
        assert betweenness_sample_size(graph) == 20
        found = centralities(graph, seed=7)
    reference = nx.betweenness_centrality(graph, k=20, seed=7)
    top = max(reference.values())
    assert all(c.estimated for c in found.values())
    for node, value in reference.items():
        assert abs(found[node].betweenness - value / top) <= 5e-7, node


def test_sample_size_at_horizon_2020_scale() -> None:
    # About 300 sources on 65,000 nodes and 197,000 edges (networkx's route afforded 38).
    h2020 = SimpleNamespace(number_of_nodes=lambda: 65_000, number_of_edges=lambda: 196_816)
    assert 250 <= betweenness_sample_size(h2020) <= 350  # type: ignore[arg-type]
    small = SimpleNamespace(number_of_nodes=lambda: 2_000, number_of_edges=lambda: 5_000)
    assert betweenness_sample_size(small) == 2_000  # type: ignore[arg-type]


@contextmanager
def _batches_of(size: int | None) -> Iterator[None]:
    """Run the betweenness in batches of ``size`` sources (the default when ``None``)."""
    if size is None:
        yield
        return
    with mock.patch.object(centrality, "_batch_size", lambda n: size):
        yield


# --- Communities: igraph's Leiden, networkx's Louvain as the reference ----------------------


def _groups(found: dict[str, int]) -> list[set[str]]:
    by_label: dict[int, set[str]] = {}
    for node, label in found.items():
        by_label.setdefault(label, set()).add(node)
    return [by_label[label] for label in sorted(by_label)]


def _small_generated() -> nx.Graph:
    from benchmarks.generate import SIZES, generate_dataset
    from defus_graph.graph.bipartite import graph_from_dataset

    return graph_from_dataset(generate_dataset(SIZES["small"], seed=7))


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda g: g, id="the real network"),
        pytest.param(lambda g: organisation_projection(g), id="its weighted projection"),
        pytest.param(lambda g: nx.karate_club_graph(), id="karate club"),
        pytest.param(lambda g: _small_generated(), id="generated CORDIS, small"),
    ],
)
def test_communities_are_as_modular_as_networkx_louvain(graph: nx.Graph, make: object) -> None:
    g = make(graph)  # type: ignore[operator]
    found = communities(g)
    ours = nx.community.modularity(g, _groups(found))
    reference = nx.community.modularity(g, nx.community.louvain_communities(g, seed=42))
    assert ours >= reference - 0.01, (ours, reference)
    assert math.isclose(modularity(g, found), ours, abs_tol=1e-12)  # weights counted alike


def test_communities_do_not_depend_on_the_order_the_graph_was_built_in(graph: nx.Graph) -> None:
    shuffled = nx.Graph()
    shuffled.add_nodes_from(reversed(list(graph.nodes(data=True))))
    shuffled.add_edges_from((v, u, d) for u, v, d in reversed(list(graph.edges(data=True))))
    assert communities(shuffled) == communities(graph)
    assert communities(graph, seed=1) == communities(graph, seed=1)


@settings(max_examples=100, deadline=None)
@given(g=st.one_of(bipartite_graphs(), bipartite_graphs(clean=False)))
def test_every_node_is_in_exactly_one_connected_community(g: nx.Graph) -> None:
    found = communities(g)
    assert set(found) == set(g.nodes)
    groups = _groups(found)
    assert set(found.values()) == set(range(len(groups)))  # numbered 0, 1, … without gaps
    assert [len(c) for c in groups] == sorted((len(c) for c in groups), reverse=True)
    for group in groups:
        assert nx.is_connected(g.subgraph(group)), group


@settings(max_examples=100, deadline=None)
@given(g=st.one_of(bipartite_graphs(), bipartite_graphs(clean=False)), data=st.data())
def test_modularity_is_networkx_modularity(g: nx.Graph, data: st.DataObject) -> None:
    assume(g.number_of_edges() > 0)
    groups = {n: data.draw(st.integers(0, 3)) for n in g.nodes}
    partition = [{n for n in g if groups[n] == c} for c in set(groups.values())]
    assert math.isclose(modularity(g, groups), nx.community.modularity(g, partition), abs_tol=1e-12)
