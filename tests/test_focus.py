"""The focused view: never more than the limit, the neighbourhood kept strongest first."""

from __future__ import annotations

import networkx as nx
import pytest

from defus_graph.focus import NetworkIndex
from defus_graph.graph import graph_from_dataset, org_id
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
