"""The map view through Streamlit's AppTest: the switch, ``?city=`` links, the story, the unplaced.

The drawing and the click need a browser: ``tests/browser/test_map_browser.py``.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from defus_graph.cli import main as cli_main
from defus_graph.dashboard import state
from defus_graph.dashboard.data import load_network
from defus_graph.dashboard.map import map_geojson, map_payload, unplaced_frame
from defus_graph.draw.geo import map_drawing
from defus_graph.draw.style import MEMBER_RING, MEMBER_RING_WIDTH
from defus_graph.graph.bipartite import graph_from_dataset
from defus_graph.graph.views import Filters
from defus_graph.model import Member
from defus_graph.names.places import place_organisations
from defus_graph.store.tables import DATA_ENV, load_dataset
from tests.test_dashboard_app import APP, story

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def bundled_data(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(DATA_ENV, str(ROOT / "data"))


def run(params: dict[str, str] | None = None, *, map_on: bool | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for k, v in (params or {}).items():
        at.query_params[k] = v
    if map_on is not None:
        at.session_state[state.MAP_ON] = map_on
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_a_city_link_opens_the_map_and_tells_the_story_of_its_organisations() -> None:
    at = run({"city": "Düsseldorf"})
    assert at.session_state[state.MAP_ON] is True
    text = story(at)
    assert "BRIDGE" in text and "LouD" in text
    assert any(c.value.startswith("Map: 31 markers") for c in at.caption)


def test_the_map_lists_every_unplaced_organisation_with_its_reason() -> None:
    at = run(map_on=True)
    [table] = [d.value for d in at.dataframe if "Why it is not on the map" in d.value]
    reasons = dict(zip(table["Organisation"], table["Why it is not on the map"], strict=True))
    assert len(reasons) == 22
    assert reasons["Umbria"] == "region centroid unknown (no offline source)"
    assert "not in the gazetteer" in reasons["Pella"]


def test_an_unknown_city_says_so() -> None:
    at = run({"city": "Atlantis"})
    assert any("Atlantis" in w.value for w in at.warning)


def test_the_country_filter_keeps_that_country_s_cities_on_the_map() -> None:
    at = run(map_on=True)
    at.session_state[state.COUNTRIES] = ["BE"]
    at.run()
    assert not at.exception
    labels = set(at.session_state[state.MAP_LABELS].values())
    assert labels == {"Charleroi", "Genk", "Leuven", "Liège", "Vilvoorde"}


def test_a_searched_organisation_is_highlighted_on_the_map() -> None:
    ds = load_dataset(ROOT / "data")
    g = graph_from_dataset(ds)
    drawing = map_drawing(g, place_organisations(ds.organisations))
    dus = drawing.marker_of["org:Düsseldorf"]
    payload = map_payload(drawing, g, {dus, "city:BE:leuven"}, dus)
    by_id = {n["id"]: n for n in payload["nodes"]}
    assert by_id[dus]["borderWidth"] == 4
    assert not by_id["city:DE:augsburg"]["color"]["background"].startswith("#")  # dimmed
    assert by_id["city:BE:leuven"]["color"]["background"].startswith("#")
    shared = [e for e in payload["edges"] if {e["from"], e["to"]} == {dus, "city:BE:leuven"}]
    assert "2 shared projects: BRIDGE; LouD" in shared[0]["title"]


def test_unplaced_frame_gives_the_reason_without_its_prefix() -> None:
    ds = load_dataset(ROOT / "data")
    unplaced = tuple(p for p in place_organisations(ds.organisations) if not p.placed)
    frame = unplaced_frame(unplaced)
    assert not frame["Why it is not on the map"].str.startswith("not placed").any()


def test_the_map_s_geojson_download_is_what_the_command_line_exports(tmp_path: Path) -> None:
    net = load_network(ROOT / "data")
    out = tmp_path / "be.geojson"
    assert cli_main(
        [
            "--data",
            str(ROOT / "data"),
            "export",
            "--format",
            "geojson",
            "--country",
            "BE",
            "-o",
            str(out),
        ]
    ) in (0, None)
    assert map_geojson(net, Filters(countries=("BE",))) == out.read_bytes()


def test_a_city_with_a_member_wears_the_member_ring_on_the_map() -> None:
    """Members are marked on the map as in the network: a ring, in the legend and tooltip."""
    ds = load_dataset(ROOT / "data")
    member = Member("Stadt Düsseldorf", "Düsseldorf", source="members.csv", line=2)
    g = graph_from_dataset(replace(ds, members=(member,)))
    drawing = map_drawing(g, place_organisations(ds.organisations))
    dus = drawing.marker_of["org:Düsseldorf"]
    payload = map_payload(drawing, g, set(), None)
    by_id = {n["id"]: n for n in payload["nodes"]}
    assert by_id[dus]["borderWidth"] == MEMBER_RING_WIDTH
    assert by_id[dus]["color"]["border"] == MEMBER_RING
    assert "1 member of the network" in by_id[dus]["title"]
    assert by_id["city:BE:leuven"]["borderWidth"] == 1
    assert payload["legend"][-1] == {
        "label": "member (ring)",
        "colour": MEMBER_RING,
        "shape": "ring",
    }
    plain = map_payload(
        map_drawing(graph_from_dataset(ds), place_organisations(ds.organisations)),
        graph_from_dataset(ds),
        set(),
        None,
    )
    assert all(item["shape"] != "ring" for item in plain["legend"])
    assert {n["borderWidth"] for n in plain["nodes"]} == {1}
