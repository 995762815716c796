"""The member network on screen: the ring and its legend, the filter, the Members tab."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from defus_graph.dashboard import state
from defus_graph.dashboard.component import graph_payload, legend_items
from defus_graph.draw.layout import layout_positions
from defus_graph.draw.style import MEMBER_RING
from defus_graph.draw.vis import node_tooltip
from defus_graph.graph.bipartite import graph_from_dataset
from defus_graph.model import Member
from defus_graph.store.tables import DATA_ENV, load_dataset, save_dataset

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
MEMBERS = (
    Member("Augsburg", "Augsburg", line=2),
    Member("EFUS", "Efus", line=3),
    Member("Nowhere Town", "", line=4),
)


@pytest.fixture
def member_data(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    ds = load_dataset(ROOT / "data")
    members = tuple(replace(m, source="mitglieder.csv") for m in MEMBERS)
    save_dataset(replace(ds, members=members), target, check=True)
    return target


def run(data: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.setenv(DATA_ENV, str(data))
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_members_have_a_ring_a_tooltip_word_and_a_legend_entry(member_data: Path) -> None:
    g = graph_from_dataset(load_dataset(member_data))
    payload = graph_payload(g, layout_positions(g), selected=None, sizes=None)
    nodes = {n["id"]: n for n in payload["nodes"]}
    ring = nodes["org:Augsburg"]
    assert ring["member"] is True and ring["color"]["border"] == MEMBER_RING
    assert ring["borderWidth"] > nodes["org:Düsseldorf"]["borderWidth"]
    assert "member" not in nodes["org:Düsseldorf"]
    assert "member" in node_tooltip(g, "org:Augsburg").splitlines()[1]
    assert legend_items(g)[-1] == {"label": "member (ring)", "colour": MEMBER_RING, "shape": "ring"}
    without = graph_from_dataset(load_dataset(ROOT / "data"))
    assert all(item["shape"] != "ring" for item in legend_items(without))


def test_without_a_member_list_there_is_no_tab_and_no_filter(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    at = run(ROOT / "data", monkeypatch)
    assert [t.label for t in at.tabs][-1] == "Compare"
    assert state.MEMBERS_ONLY not in [c.key for c in at.sidebar.checkbox]


def test_the_members_tab_lists_the_three_lists(
    member_data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = run(member_data, monkeypatch)
    assert [t.label for t in at.tabs][-1] == "Members"
    at.session_state[state.TABLE_TABS] = "Members"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    frames = {d.key: d.value for d in at.dataframe}
    active = frames[state.MEMBERS_TABLES + "_active"]
    assert set(active["Member"]) == {"Augsburg", "Efus"}
    (idle,) = [d.value for d in at.dataframe if "Why" in d.value.columns]
    assert list(idle["Member"]) == ["Nowhere Town"]
    assert "line 4" in idle["Listed as"][0]
    invite = frames[state.MEMBERS_TABLES + "_candidates"]
    assert not set(invite["Organisation"]) & {"Augsburg", "Efus"}
    assert list(invite["Projects with members"]) == sorted(
        invite["Projects with members"], reverse=True
    )


def test_members_only_keeps_members_and_their_projects(
    member_data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = run(member_data, monkeypatch)
    at.sidebar.checkbox(key=state.MEMBERS_ONLY).check().run()
    assert not at.exception, [e.value for e in at.exception]
    at.session_state[state.TABLE_TABS] = "Organisations"
    at.run()
    orgs = next(d.value for d in at.dataframe if d.key == state.ORG_TABLE)
    assert set(orgs["Organisation"]) == {"Augsburg", "Efus"}


def test_a_members_story_says_since_when_and_where_that_is_written(
    member_data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from defus_graph.dashboard.story import organisation_story

    ds = load_dataset(member_data)
    g = graph_from_dataset(ds)
    assert organisation_story(g, ds, "org:Augsburg").membership == (
        "member (mitglieder.csv, line 2)"
    )
    assert organisation_story(g, ds, "org:Düsseldorf").membership == ""
    monkeypatch.setenv(DATA_ENV, str(member_data))
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["org"] = "Augsburg"
    at.run()
    from defus_graph.dashboard.text import md

    assert any(md("member (mitglieder.csv, line 2)") in m.value for m in at.markdown)
