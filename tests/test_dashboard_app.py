"""The dashboard's logic through Streamlit's AppTest: selection, search, filters, tables, errors.

The custom graph component is not drawn by AppTest (it needs a browser); the
click itself is covered by ``tests/browser``.
"""

from __future__ import annotations

import csv
from dataclasses import replace
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from defus_graph.dashboard import state
from defus_graph.dashboard.text import md
from defus_graph.model import Organisation, Participation
from defus_graph.store.tables import DATA_ENV, load_dataset, save_dataset
from tests.apptest import TAB_OF, frame

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
HOSTILE = "<img src=x onerror=alert(1)>"


def run(params: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for k, v in (params or {}).items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def story(at: AppTest) -> str:
    """Everything the side panel says, as Markdown source."""
    panel = at.get("flex_container")
    texts = [
        m.value
        for c in panel
        if getattr(c, "key", None) == "story"
        for m in c.get("subheader") + c.get("markdown")
    ]
    return "\n".join(texts)


@pytest.fixture(autouse=True)
def bundled_data(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(DATA_ENV, str(ROOT / "data"))


def test_opens_on_the_bundled_data_with_nothing_selected() -> None:
    at = run()
    assert "Click a node" in story(at)
    assert not at.warning and not at.error
    assert "nodes" in at.caption[0].value


@pytest.mark.parametrize("typed", ["Düsseldorf", "Dusseldorf", "duesseldorf"])
def test_url_selects_an_organisation_by_any_spelling(typed: str) -> None:
    text = story(run({"org": typed}))
    assert "Düsseldorf" in text
    assert "**BRIDGE**" in text and "**LouD**" in text
    assert "Projects (2)" in text
    assert "€630,901\\.00 \\(total for the project\\)" in text


def test_url_selects_augsburg_with_its_two_projects() -> None:
    text = story(run({"org": "Augsburg"}))
    assert "**Solidify**" in text and "**LouD**" in text
    assert "role: participant" in text  # in Solidify


def test_url_selects_a_project_case_insensitively() -> None:
    text = story(run({"project": "bridge"}))
    assert "BRIDGE" in text
    assert "**Coordinator:** Efus" in text
    assert "- Düsseldorf (partner)" in text


def test_unknown_name_in_url_says_so() -> None:
    at = run({"org": "Atlantis"})
    assert "Atlantis" in at.warning[0].value
    assert "Click a node" in story(at)


def test_search_box_selects_and_writes_the_url() -> None:
    at = run()
    at.text_input(key=state.SEARCH).set_value("landeshauptstadt dusseldorf").run()
    # An alias without accents still finds the canonical name, if the data has it;
    # the plain name always does.
    if at.query_params.get("org") != "Düsseldorf":
        at.text_input(key=state.SEARCH).set_value("dusseldorf").run()
    assert at.query_params["org"] == "Düsseldorf"
    assert "**BRIDGE**" in story(at)


def test_search_with_several_matches_offers_buttons_that_select() -> None:
    at = run()
    at.text_input(key=state.SEARCH).set_value("burg").run()
    assert "org" not in at.query_params
    picks = [b for b in at.button if str(b.key).startswith("pick_")]
    assert len(picks) > 1
    augsburg = next(b for b in picks if b.key == "pick_org:Augsburg")
    augsburg.click().run()
    assert at.query_params["org"] == "Augsburg"
    assert "**Solidify**" in story(at)


def test_country_filter_keeps_only_that_country() -> None:
    at = run()
    at.multiselect(key=state.COUNTRIES).set_value(["DE"]).run()
    orgs = frame(at, state.ORG_TABLE)
    assert set(orgs["Country"]) == {"DE"}
    assert "Düsseldorf" in set(orgs["Organisation"])


def test_country_filter_names_the_countries() -> None:
    # Typing a name ("Germ") finds the code the data holds: the options show both.
    options = run().multiselect(key=state.COUNTRIES).options
    assert "Germany (DE)" in options and "France (FR)" in options


def test_shared_only_keeps_organisations_in_two_projects() -> None:
    at = run()
    at.checkbox(key=state.SHARED_ONLY).check().run()
    orgs = frame(at, state.ORG_TABLE)
    assert len(orgs) and (orgs["Projects"] >= 2).all()
    assert set(orgs["Organisation"]) == set(frame(at, state.SHARED_TABLE)["Organisation"])


def test_year_range_keeps_dated_projects_that_overlap_it() -> None:
    at = run()
    at.slider(key=state.YEARS).set_range(2020, 2021).run()
    projects = set(frame(at, state.PROJECT_TABLE)["Project"])
    assert projects == {"SiBa", "MATCH-SPORT", "Medi@4Sec", "CCI", "PROTECT"}


def test_view_switch_draws_a_projection() -> None:
    at = run()
    at.radio(key=state.VIEW).set_value("orgs").run()
    assert at.caption[0].value.startswith("Organisations linked by shared projects")


def test_filters_that_leave_nothing_show_an_empty_state_and_can_be_cleared() -> None:
    at = run()
    at.multiselect(key=state.PROGRAMMES).set_value(["Erasmus+"]).run()
    at.multiselect(key=state.COUNTRIES).set_value(["SE"]).run()
    assert "Nothing matches these filters" in at.info[0].value
    at.button(key="empty_reset").click().run()
    assert not at.info or "Nothing matches" not in at.info[0].value
    assert at.multiselect(key=state.COUNTRIES).value == []


def test_tables_and_funding_keep_totals_and_shares_apart() -> None:
    at = run()
    assert "LouD" in set(frame(at, state.PROJECT_TABLE)["Project"])
    shared = frame(at, state.SHARED_TABLE).set_index("Organisation")
    assert shared.loc["Düsseldorf", "Shared projects"] == "BRIDGE, LouD"


def test_bad_data_directory_lists_problems_without_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = tmp_path / "data"
    save_dataset(load_dataset(ROOT / "data"), bad)
    path = bad / "participations.csv"
    with path.open(encoding="utf-8-sig", newline="") as fh:
        header = next(csv.reader(fh))
    row = {c: "" for c in header} | {
        "project": "BRIDGE",
        "organisation": "Dusseldorff",
        "role": "partner",
    }
    with path.open("a", encoding="utf-8", newline="") as fh:
        csv.DictWriter(fh, header, lineterminator="\n").writerow(row)
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    monkeypatch.setenv(DATA_ENV, str(bad))
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert "cannot be used: 1 problem found" in at.error[0].value
    problems = at.dataframe[0].value
    row = problems.iloc[0]
    assert row["File"].endswith("participations.csv")
    assert row["Line"] == str(len(lines))
    assert (row["Column"], row["Value"]) == ("organisation", "Dusseldorff")
    assert "Düsseldorf" in row["What to do"]


def test_missing_data_directory_is_explained(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(DATA_ENV, str(tmp_path / "nowhere"))
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert "is not a directory" in at.dataframe[0].value.iloc[0]["Problem"]


def test_hostile_name_is_shown_as_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ds = load_dataset(ROOT / "data")
    ds = replace(
        ds,
        organisations=(*ds.organisations, Organisation(HOSTILE, "NGO", "FR")),
        participations=(*ds.participations, Participation("LouD", HOSTILE, "partner")),
    )
    save_dataset(ds, tmp_path / "data")
    monkeypatch.setenv(DATA_ENV, str(tmp_path / "data"))
    text = story(run({"org": HOSTILE}))
    assert md(HOSTILE) in text
    assert HOSTILE not in text  # never as raw markup
    assert HOSTILE in set(frame(run(), state.ORG_TABLE)["Organisation"])


def test_only_the_open_tab_is_computed() -> None:
    at = run()
    assert [d.key for d in at.dataframe if d.key in TAB_OF] == [state.SHARED_TABLE]
    frame(at, state.ORG_TABLE)
    assert [d.key for d in at.dataframe if d.key in TAB_OF] == [state.ORG_TABLE]


def test_a_view_too_large_to_build_falls_back_and_says_why(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from defus_graph.graph import views

    monkeypatch.setattr(views, "PROJECTION_LIMIT", 3)
    st.cache_resource.clear()
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state[state.VIEW] = "projects"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    warning = " ".join(w.value for w in at.warning)
    assert "This view cannot be shown" in warning and "Filter the data first" in warning
    assert any("Projects and organisations:" in c.value for c in at.caption)
    st.cache_resource.clear()


def test_who_to_invite_lists_augsburgs_partners_partners_with_reasons() -> None:
    text = story(run({"org": "Augsburg"}))
    invite = text.split("**Who to invite (", 1)[1]
    assert invite.startswith("10)")
    assert "- **Generalitat de Catalunya** (region, ES): worked with 3 of Augsburg's" in invite
    assert md("Efus (BRIDGE, PREPARE)") in invite
    # Its own partners are in "Works with", never in "Who to invite".
    assert "**Düsseldorf**" not in invite


def test_who_to_invite_follows_the_sidebar_filters() -> None:
    at = run({"project": "BRIDGE"})
    at.multiselect(key=state.COUNTRIES).set_value(["FR"]).run()
    invite = story(at).split("**Who to invite (", 1)[1]
    assert "**Lille** (city, FR): worked with 3 members of the BRIDGE consortium" in invite
    assert "ES)" not in invite and "NL)" not in invite
    assert any("Only country FR" in c.value for c in at.caption)


def test_who_to_invite_shows_names_as_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ds = load_dataset(ROOT / "data")
    ds = replace(
        ds,
        organisations=(*ds.organisations, Organisation(HOSTILE, "NGO", "IS")),
        participations=(*ds.participations, Participation("Solidify", HOSTILE, "partner")),
    )
    save_dataset(ds, tmp_path / "data")
    monkeypatch.setenv(DATA_ENV, str(tmp_path / "data"))
    at = run({"org": "Düsseldorf"})
    at.multiselect(key=state.COUNTRIES).set_value(["IS"]).run()
    invite = story(at).split("**Who to invite (", 1)[1]
    assert invite.startswith("1)")
    assert md(HOSTILE) in invite
    assert HOSTILE not in invite


def test_a_hub_lists_its_first_projects_and_every_one_in_a_table(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Thousands of lines of text take the browser seconds: a long list shows its first
    items as text and every one of them, in full, in a table."""
    from defus_graph.dashboard.panels import LISTED
    from defus_graph.model import Dataset, Project

    n = LISTED + 5
    projects = tuple(Project(f"P{i:02d}", f"Title {i}") for i in range(n))
    ds = Dataset(
        projects=projects,
        organisations=(Organisation("Hub", "city", "DE"), Organisation("Friend", "NGO", "FR")),
        participations=tuple(
            Participation(p.acronym, org, "partner") for p in projects for org in ("Hub", "Friend")
        ),
    )
    save_dataset(ds, tmp_path / "data")
    monkeypatch.setenv(DATA_ENV, str(tmp_path / "data"))
    at = run({"org": "Hub"})
    text = story(at)
    assert f"Projects ({n})" in text and text.count("- **P") == LISTED
    assert f"The first {LISTED} of {n} are listed; all {n} are in the table." in [
        c.value for c in at.caption
    ]
    # Friend shares every project: its line names the first ones, the table all of them.
    assert f"P{LISTED - 1:02d} and 5 more" in text
    panel = next(c for c in at.get("flex_container") if getattr(c, "key", None) == "story")
    tables = [t.value for t in panel.dataframe]
    assert [len(t) for t in tables] == [n, 1]
    assert tables[0]["Project"].tolist() == [p.acronym for p in projects]
    assert tables[1]["Shared projects"].tolist() == [n]
    assert tables[1]["Projects"].iloc[0] == ", ".join(p.acronym for p in projects)


def test_tables_send_no_node_ids_to_the_browser() -> None:
    """Each table shows its columns but the hidden node ids, which stay on the server: an
    H2020 "Shared partners" table held 14,054 more cells for the browser to take in."""
    at = run()
    for key in TAB_OF:
        sent = frame(at, key)
        assert len(sent) > 0 and "node" not in sent.columns, key
    assert {"Organisation", "Shared projects"} <= set(frame(at, state.SHARED_TABLE).columns)


def test_a_selected_row_selects_its_node(monkeypatch: pytest.MonkeyPatch) -> None:
    """The node ids kept on the server still answer a selected row (by its position)."""
    from types import SimpleNamespace

    import pandas as pd

    from defus_graph.dashboard import controls, tables

    shown: dict[str, object] = {}
    selected: list[str] = []
    monkeypatch.setattr(tables.st, "dataframe", lambda data, **kw: shown.update(data=data, **kw))
    monkeypatch.setattr(controls, "_select_and_clear_search", selected.append)
    table = pd.DataFrame({"node": ["org:A", "project:B"], "Name": ["A", "B"], "Projects": [2, 1]})
    tables.node_table(table, key="t", empty="none")
    assert shown["data"].equals(table[["Name", "Projects"]])  # type: ignore[attr-defined]
    event = SimpleNamespace(selection=SimpleNamespace(rows=[1]))
    monkeypatch.setattr(controls.st, "session_state", {"t": event})
    shown["on_select"]()  # type: ignore[operator]
    assert selected == ["project:B"]
