"""The dashboard's plain-Python parts: search, stories, tables, escaping."""

from __future__ import annotations

import doctest
import importlib

import networkx as nx
import pytest

from defus_graph.dashboard import frames, search, story, text
from defus_graph.dashboard.search import SearchIndex
from defus_graph.dashboard.story import organisation_story, project_story
from defus_graph.dashboard.text import md
from defus_graph.graph.bipartite import graph_from_dataset
from defus_graph.model import Alias, Dataset, Organisation, Participation, Project

HOSTILE = "<img src=x onerror=alert(1)>"


@pytest.fixture
def small() -> Dataset:
    return Dataset(
        projects=(
            Project("BRIDGE", "Building resilience", "", "2019", "2021", "ISF", 630901.0, "total"),
            Project(
                "Solidify",
                "Rooms",
                "",
                "2018",
                "2019",
                "Justice",
                45000.0,
                "partner_share",
                "Augsburg",
            ),
            Project("LouD", "Local Young Leaders", "", "", "", "Erasmus+"),
        ),
        organisations=(
            Organisation("Düsseldorf", "city", "DE"),
            Organisation("Augsburg", "city", "DE"),
            Organisation("Efus", "network", "FR"),
            Organisation(HOSTILE, "NGO", "FR"),
        ),
        participations=(
            Participation("BRIDGE", "Efus", "coordinator"),
            Participation("BRIDGE", "Düsseldorf", "partner"),
            Participation("LouD", "Düsseldorf", "partner"),
            Participation("LouD", "Augsburg", "partner"),
            Participation("LouD", HOSTILE, "partner"),
            Participation("Solidify", "Augsburg", "participant"),
        ),
        aliases=(Alias("Landeshauptstadt Düsseldorf", "Düsseldorf"),),
    )


@pytest.mark.parametrize("module", [search, story, frames, text])
def test_docstring_examples_run(module: object) -> None:
    result = doctest.testmod(importlib.import_module(module.__name__))  # type: ignore[attr-defined]
    assert result.failed == 0


@pytest.mark.parametrize(
    ("typed", "node"),
    [
        ("Düsseldorf", "org:Düsseldorf"),
        ("dusseldorf", "org:Düsseldorf"),
        ("DUESSELDORF", "org:Düsseldorf"),
        ("landeshauptstadt düsseldorf", "org:Düsseldorf"),
        ("loud", "project:LouD"),
        ("bridge", "project:BRIDGE"),
    ],
)
def test_search_finds_any_name_with_or_without_accents(
    small: Dataset, typed: str, node: str
) -> None:
    assert SearchIndex(small).find(typed) == [node]


def test_search_offers_every_partial_match_in_order(small: Dataset) -> None:
    index = SearchIndex(small)
    assert index.find("burg") == ["org:Augsburg"]
    # names that start with it come before names that merely contain it
    assert index.find("d") == [
        "org:Düsseldorf",
        "project:BRIDGE",
        "project:LouD",
        "project:Solidify",
    ]
    assert set(index.find("buil")) == {"project:BRIDGE"}  # by title
    assert index.find("   ") == []
    assert index.find("Nowhere") == []


def test_organisation_story_lists_projects_roles_funding_and_partners(small: Dataset) -> None:
    g = graph_from_dataset(small)
    s = organisation_story(g, small, "org:Augsburg")
    assert [p.acronym for p in s.projects] == ["LouD", "Solidify"]
    solidify = s.projects[1]
    assert solidify.role == "participant"
    assert solidify.funding == "€45,000.00 (Augsburg's share only)"
    assert s.projects[0].dates == "dates not stated"
    assert dict(s.co_partners) == {"Düsseldorf": ("LouD",), HOSTILE: ("LouD",)}
    assert (s.kind, s.country) == ("city", "DE")
    d = organisation_story(g, small, "org:Düsseldorf")
    assert d.aliases == ("Landeshauptstadt Düsseldorf",)
    assert d.projects[0].funding == "€630,901.00 (total for the project)"


def test_project_story_puts_the_coordinator_first(small: Dataset) -> None:
    s = project_story(graph_from_dataset(small), small, "project:BRIDGE")
    assert s.coordinators == ("Efus",)
    assert s.members == (("Efus", "coordinator"), ("Düsseldorf", "partner"))
    assert (s.dates, s.programme) == ("2019 – 2021", "ISF")
    with pytest.raises(ValueError, match="organisation"):
        project_story(graph_from_dataset(small), small, "org:Efus")


def test_funding_frame_never_adds_totals_and_shares(small: Dataset) -> None:
    frame = frames.funding_frame(graph_from_dataset(small))
    rows = {(r.Programme, r.Amount): r.EUR for r in frame.itertuples()}
    assert rows == {("ISF", frames.TOTALS): 630901.0, ("Justice", frames.SHARES): 45000.0}


def test_tables_keep_node_ids_and_literal_names(small: Dataset) -> None:
    g = graph_from_dataset(small)
    orgs = frames.organisations_frame(g)
    assert set(orgs["node"]) == {f"org:{o.name}" for o in small.organisations}
    assert HOSTILE in set(orgs["Organisation"])
    shared = frames.shared_partners_frame(g)
    assert shared.set_index("Organisation")["Shared projects"].to_dict() == {
        "Augsburg": "LouD, Solidify",
        "Düsseldorf": "BRIDGE, LouD",
    }
    timeline = frames.timeline_frame(g)
    assert list(timeline["Project"]) == ["BRIDGE", "Solidify"]  # LouD has no dates
    assert str(timeline.iloc[0]["To"].date()) == "2021-12-31"


def test_empty_graph_gives_empty_tables() -> None:
    g = nx.Graph()
    for make in (
        frames.organisations_frame,
        frames.projects_frame,
        frames.shared_partners_frame,
        frames.funding_frame,
        frames.timeline_frame,
    ):
        assert make(g).empty


@pytest.mark.parametrize(
    "value",
    [HOSTILE, "*bold* _it_ `code`", ":red[x] $x^2$", "[a](javascript:alert(1))", "a\\b &amp;"],
)
def test_md_escapes_every_markdown_and_html_mark(value: str) -> None:
    escaped = md(value)
    unescaped = escaped.replace("\\", "")
    assert unescaped == value.replace("\\", "")
    for mark in "<>*_`[]()$:&":
        assert f"{mark}" not in escaped.replace(f"\\{mark}", "")


def test_organisation_metrics_survive_filters_that_leave_one_project() -> None:
    # One project with two members: bipartite betweenness and ARPACK both
    # need more nodes than that; the table must still be built.
    ds = Dataset(
        projects=(Project("A"),),
        organisations=(Organisation("x"), Organisation("y")),
        participations=(Participation("A", "x", "partner"), Participation("A", "y", "partner")),
    )
    orgs = frames.organisations_frame(graph_from_dataset(ds))
    assert list(orgs["Organisation"]) == ["x", "y"]
    assert list(orgs["Eigenvector"]) == [1.0, 1.0]


def test_the_organisations_table_says_when_betweenness_is_estimated(
    graph: nx.Graph, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pickle

    from defus_graph.analysis import centrality

    assert frames.organisations_frame(graph).attrs["estimated"] is False
    monkeypatch.setattr(centrality, "BETWEENNESS_EXACT_LIMIT", 10)
    estimated = frames.organisations_frame(graph)
    assert estimated.attrs["estimated"] is True
    # Streamlit's cache pickles the frame: the flag must survive that.
    assert pickle.loads(pickle.dumps(estimated)).attrs["estimated"] is True


def test_the_timeline_keeps_the_projects_with_most_organisations(graph: nx.Graph) -> None:
    whole = frames.timeline_frame(graph)
    kept = frames.timeline_frame(graph, limit=3)
    assert len(kept) == 3 and kept.attrs["dated"] == whole.attrs["dated"] == len(whole)
    assert (
        sorted(kept["Organisations"], reverse=True)
        == sorted(whole["Organisations"], reverse=True)[:3]
    )
    assert list(kept["From"]) == sorted(kept["From"])  # still drawn in time order
