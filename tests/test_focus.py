"""The focused view: never more than the limit, the neighbourhood kept strongest first."""

from __future__ import annotations

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from defus_graph.draw.focus import NetworkIndex
from defus_graph.graph.bipartite import graph_from_dataset, org_id, organisation_projection
from defus_graph.model import Dataset, Organisation, Participation, Project


def _star_dataset() -> Dataset:
    """Hub in 30 projects; partner "Strong" shares 5 of them, each other partner 1."""
    projects = [Project(f"P{i:02d}") for i in range(30)]
    orgs = [Organisation("Hub"), Organisation("Strong")]
    rows = [Participation(p.acronym, "Hub", "coordinator") for p in projects]
    rows += [Participation(f"P{i:02d}", "Strong", "partner") for i in range(5)]
    for i in range(30):
        for j in range(3):
            name = f"Partner {i}-{j}"
            orgs.append(Organisation(name))
            rows.append(Participation(f"P{i:02d}", name, "partner"))
    return Dataset(projects=tuple(projects), organisations=tuple(orgs), participations=tuple(rows))


def test_a_small_network_is_shown_whole(graph: nx.Graph) -> None:
    index = NetworkIndex(graph)
    view = index.view(org_id("Rotterdam"))
    assert view.notice == "" and not view.is_partial
    assert set(view.graph.nodes) == set(graph.nodes) == set(view.positions)


def test_a_neighbourhood_keeps_the_strongest_links_within_the_limit() -> None:
    g = graph_from_dataset(_star_dataset())
    index = NetworkIndex(g, limit=40)
    view = index.view(org_id("Hub"))
    assert view.graph.number_of_nodes() <= 40
    assert set(view.positions) == set(view.graph.nodes)
    assert org_id("Strong") in view.graph  # five shared projects beat one
    # Every node drawn is within two steps of the selection.
    reach = nx.single_source_shortest_path_length(g, org_id("Hub"), cutoff=2)
    assert set(view.graph.nodes) <= set(reach)
    assert view.notice.startswith(f"Showing {view.graph.number_of_nodes()} of {len(g)} nodes")
    assert "neighbourhood of Hub" in view.notice and "of its 30 projects" in view.notice


def test_the_overview_shows_the_most_central_organisations() -> None:
    g = graph_from_dataset(_star_dataset())
    index = NetworkIndex(g, limit=20)
    view = index.view()
    assert view.graph.number_of_nodes() == 20 and view.selected is None
    assert org_id("Hub") in view.graph
    assert "most central" in view.notice and "Click an organisation" in view.notice
    assert index.view() is view  # computed once


def test_an_unknown_node_is_refused() -> None:
    index = NetworkIndex(graph_from_dataset(_star_dataset()), limit=10)
    with pytest.raises(KeyError, match="Nowhere"):
        index.view(org_id("Nowhere"))


def test_links_beyond_the_limit_keep_the_selection_s_and_leave_no_node_alone() -> None:
    g = graph_from_dataset(_star_dataset())
    index = NetworkIndex(g, limit=31, link_limit=32)
    view = index.view(org_id("Hub"))
    drawn = view.graph
    among = g.subgraph(drawn.nodes).number_of_edges()
    assert among > 32 and drawn.number_of_edges() == 32
    hub = org_id("Hub")
    assert drawn.degree(hub) == sum(1 for n in drawn if g.has_edge(n, hub))
    assert all(drawn.degree(n) > 0 for n in drawn)
    assert f"Of the {among} links among them, the 32 strongest are drawn" in view.notice
    assert all(g.has_edge(u, v) for u, v in drawn.edges)


def test_a_partial_view_tells_whole_network_counts_without_changing_the_graph() -> None:
    g = graph_from_dataset(_star_dataset())
    view = NetworkIndex(g, limit=10).view(org_id("Hub"))
    assert view.graph.degree(org_id("Hub")) < 30
    assert view.graph.nodes[org_id("Hub")]["n_projects"] == 30  # what its tooltip says
    assert "n_projects" not in g.nodes[org_id("Hub")]


def test_a_projection_is_focused_on_its_own_terms() -> None:
    projection = organisation_projection(graph_from_dataset(_star_dataset()))
    index = NetworkIndex(projection, limit=12)
    overview = index.view()
    assert overview.graph.number_of_nodes() == 12
    assert org_id("Hub") in overview.graph and org_id("Strong") in overview.graph
    assert "12 organisations with the most links" in overview.notice
    around = index.view(org_id("Strong"))
    assert around.graph.number_of_nodes() == 12
    assert "neighbourhood of Strong" in around.notice and "their other" in around.notice
    # The partner sharing five projects is drawn with its weight.
    assert around.graph.edges[org_id("Hub"), org_id("Strong")]["weight"] == 5


@st.composite
def _bipartite_graphs(draw: st.DrawFn) -> nx.Graph:
    n_projects = draw(st.integers(1, 12))
    n_orgs = draw(st.integers(1, 25))
    g = nx.Graph()
    g.add_nodes_from((f"project:P{i}", {"bipartite": 0}) for i in range(n_projects))
    g.add_nodes_from((f"org:O{j}", {"bipartite": 1}) for j in range(n_orgs))
    pairs = draw(
        st.sets(st.tuples(st.integers(0, n_projects - 1), st.integers(0, n_orgs - 1)), max_size=80)
    )
    g.add_edges_from((f"project:P{i}", f"org:O{j}") for i, j in pairs)
    return g


@given(
    g=_bipartite_graphs(),
    limit=st.integers(1, 30),
    link_limit=st.integers(1, 60),
    pick=st.integers(0, 10_000),
)
@settings(max_examples=150, deadline=None)
def test_a_view_never_exceeds_its_limits_and_draws_only_what_exists(
    g: nx.Graph, limit: int, link_limit: int, pick: int
) -> None:
    index = NetworkIndex(g, limit=limit, link_limit=link_limit)
    nodes = sorted(g.nodes)
    selected = nodes[pick % len(nodes)] if pick % 3 else None
    view = index.view(selected)
    drawn = view.graph
    assert drawn.number_of_nodes() <= limit or len(g) <= limit
    assert drawn.number_of_edges() <= link_limit
    assert set(drawn.nodes) <= set(g.nodes)
    assert all(g.has_edge(u, v) for u, v in drawn.edges)
    assert set(view.positions) == set(drawn.nodes)
    assert view.is_partial == (drawn.number_of_nodes() < len(g))
    if selected is not None:
        assert selected in drawn
        # The selection's own links come first.
        assert drawn.degree(selected) == min(
            link_limit, len([n for n in g[selected] if n in drawn])
        )
    if link_limit >= drawn.number_of_nodes():
        # Room for every node's strongest link: none drawn alone that has a link there.
        among = g.subgraph(drawn.nodes)
        assert all(drawn.degree(n) > 0 for n in drawn if among.degree(n) > 0)
    # Whatever is left out is said.
    hidden = (
        drawn.number_of_nodes() < len(g)
        or drawn.number_of_edges() < g.subgraph(drawn.nodes).number_of_edges()
    )
    assert (view.notice != "") == hidden
