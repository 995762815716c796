"""The backbone switch, the Compare tab and the year steps, through Streamlit's AppTest."""

from __future__ import annotations

import re
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from defus_graph.analysis.compare import Period, compare_periods, comparison_graph
from defus_graph.dashboard import state
from defus_graph.dashboard.compare import STATUS_COLOURS, compare_payload
from defus_graph.dashboard.controls import step_years
from defus_graph.graph.backbone import backbone_graph
from defus_graph.graph.bipartite import organisation_projection
from defus_graph.model import Dataset
from tests.apptest import frame

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")


def run() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_backbone_switch_only_in_linked_views_and_says_what_it_kept(graph: nx.Graph) -> None:
    at = run()
    assert not [t for t in at.toggle if t.key == state.BACKBONE]  # bipartite: no switch
    at.radio(key=state.VIEW).set_value("orgs").run()
    at.toggle(key=state.BACKBONE).set_value(True).run()
    assert not at.exception, [e.value for e in at.exception]
    at.select_slider(key=state.BACKBONE_LEVEL).set_value(0.2).run()
    proj = organisation_projection(graph)
    kept = backbone_graph(proj, alpha=0.2).number_of_edges()
    notes = [i.value for i in at.info if "Backbone" in i.value]
    assert notes == [
        f"Backbone at significance 0.2: kept {kept:,} of {proj.number_of_edges():,} links; "
        "every node stays."
    ]
    assert kept < proj.number_of_edges()
    caption = at.caption[0].value
    assert re.search(rf"{proj.number_of_nodes():,} nodes, {kept:,} links", caption)


def open_compare(at: AppTest) -> AppTest:
    at.session_state[state.TABLE_TABS] = "Compare"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


#: The Compare tab's tables in the order they are shown (AppTest gives no key for a table
#: without row selection). The main tables are in other tabs, closed here.
ORDER = [
    state.COMPARE_SUMMARY,
    state.COMPARE_JOINED,
    state.COMPARE_LEFT,
    state.COMPARE_STAYED,
    state.COMPARE_GAINED,
    state.COMPARE_LOST,
    state.COMPARE_CENTRALITY,
]


def table(at: AppTest, key: str) -> pd.DataFrame:
    frames = list(at.dataframe)
    assert len(frames) == len(ORDER)
    value: pd.DataFrame = frames[ORDER.index(key)].value
    return value


def test_compare_tab_lists_who_joined_from_2019(dataset: Dataset) -> None:
    at = open_compare(run())
    at.slider(key=state.COMPARE_FIRST).set_range(2016, 2018).run()
    at.slider(key=state.COMPARE_SECOND).set_range(2019, 2021).run()
    assert not at.exception, [e.value for e in at.exception]
    expected = compare_periods(dataset, Period(2016, 2018), Period(2019, 2021))
    assert list(table(at, state.COMPARE_JOINED)["Organisation"]) == list(expected.joined)
    assert "Charleroi" in list(table(at, state.COMPARE_JOINED)["Organisation"])
    assert table(at, state.COMPARE_LEFT).empty
    gained = table(at, state.COMPARE_GAINED)
    assert len(gained) == len(expected.links_gained) == 55
    summary = table(at, state.COMPARE_SUMMARY)
    assert summary.loc["Projects", "2019-2021"] == 8
    assert summary.loc["Funding, project totals (€)", "2019-2021"] == pytest.approx(846741.05)
    captions = " ".join(c.value for c in at.caption)
    assert "Projects with no dates are in neither period (4)" in captions
    assert "10 joined, 0 left; 55 links gained, 0 lost" in captions


def test_compare_drawing_styles_new_gone_and_lasting_apart(dataset: Dataset) -> None:
    c = compare_periods(dataset, Period(2014, 2019), Period(2020, 2021))
    payload = compare_payload(comparison_graph(c), {})
    colour = {n["id"]: n["color"] for n in payload["nodes"]}
    assert colour["org:Avignon"] == STATUS_COLOURS["left"]
    assert colour["org:Efus"] == STATUS_COLOURS["stayed"]
    edges = {frozenset((e["from"], e["to"])): e for e in payload["edges"]}
    lost = edges[frozenset(("org:Avignon", "org:Efus"))]
    assert lost["dashes"] is True and lost["color"] == STATUS_COLOURS["lost"]
    lasting = edges[frozenset(("org:Efus", "org:University of Salford"))]
    assert lasting["dashes"] is False and lasting["color"] == STATUS_COLOURS["lasting"]
    assert [i["label"] for i in payload["legend"]] == [
        "joined / link gained",
        "left / link lost (dashed)",
        "in both periods / lasting link",
    ]
    assert STATUS_COLOURS["joined"] != STATUS_COLOURS["left"] != STATUS_COLOURS["stayed"]


def test_hostile_names_stay_text_in_the_compare_tab() -> None:
    g = nx.Graph()
    name = "<img src=x onerror=alert(1)>"
    g.add_node(f"org:{name}", label=name, status="joined")
    payload = compare_payload(g, {})
    assert payload["nodes"][0]["label"] == name  # drawn on the canvas as text
    assert payload["nodes"][0]["title"] == f"{name}: joined"  # vis-network sets innerText


def test_year_steps_play_through_the_years() -> None:
    at = run()
    at.button(key=state.YEAR_FORWARD).click().run()
    assert tuple(at.slider(key=state.YEARS).value) == (2016, 2016)
    assert set(frame(at, state.PROJECT_TABLE)["Project"]) == {"PRACTICIES"}
    at.button(key=state.YEAR_FORWARD).click().run()
    assert tuple(at.slider(key=state.YEARS).value) == (2017, 2017)
    assert set(frame(at, state.PROJECT_TABLE)["Project"]) == {
        "SiBa", "PREPARE", "Medi@4Sec", "PRACTICIES"
    }  # fmt: skip
    at.button(key=state.YEAR_BACK).click().run()
    assert tuple(at.slider(key=state.YEARS).value) == (2016, 2016)
    at.button(key=state.YEAR_BACK).click().run()  # the first year: it stays
    assert tuple(at.slider(key=state.YEARS).value) == (2016, 2016)


@given(
    st.integers(2000, 2030),
    st.integers(0, 10),
    st.integers(0, 10),
    st.integers(0, 10),
    st.sampled_from([-1, 1]),
)
def test_a_year_step_keeps_the_range_inside_the_span(
    first: int, length: int, offset: int, width: int, step: int
) -> None:
    span = (first, first + length)
    start = first + min(offset, length)
    chosen = (start, min(start + width, span[1]))
    after = step_years(chosen, span, step)
    assert span[0] <= after[0] <= after[1] <= span[1]
    if chosen != span:
        assert after[1] - after[0] == chosen[1] - chosen[0]  # the width is kept
        assert after[0] - chosen[0] in (0, step)  # one year at most, and only that way
