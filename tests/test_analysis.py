"""Analysis on the real network: answers a user can check against the page."""

from __future__ import annotations

import networkx as nx
import pytest

from defus_graph.analysis import (
    centralities,
    co_partners,
    communities,
    funding_totals,
    network_stats,
    organisation_projects,
    project_members,
    shared_partners,
    shortest_chain,
)
from defus_graph.graph import org_id, project_id


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
