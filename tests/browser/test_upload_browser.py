"""Adding your own files in a real browser: the upload, the preview, exploring, the problems."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from .test_dashboard_browser import STORY, click_node, open_dashboard

pytestmark = pytest.mark.browser

TABLES = Path(__file__).resolve().parents[1] / "data" / "tables"
UPLOAD = ".st-key-panel_upload"
BANNER = ".st-key-data_banner"


def choose_files(page: Any, *paths: Path) -> None:
    panel = page.locator(UPLOAD)
    if not panel.get_by_text("Files to add").is_visible():
        panel.get_by_text("Add your own data").click()
        panel.get_by_text("Files to add").wait_for(timeout=10_000)
    panel.locator("input[type=file]").set_input_files([str(p) for p in paths])


def table_rows(page: Any, *holding: str) -> list[list[str]]:
    """The rows of every table in the upload panel, once cells hold each of ``holding``.

    The grid draws on a canvas; its cells are read from the accessible table
    beside it, which is filled a moment after the grid appears (one table
    may be filled before the next, so wait for every value looked for).
    """
    handle = page.wait_for_function(
        """holding => {
            const rows = [...document.querySelectorAll(
                '.st-key-panel_upload [data-testid=stDataFrame] tbody tr')]
              .map(tr => [...tr.querySelectorAll('td')].map(td => td.textContent));
            return holding.every(h => rows.some(r => r.includes(h))) ? rows : null;
        }""",
        arg=list(holding),
        timeout=20_000,
    )
    return [list(map(str, r)) for r in handle.json_value()]


def test_a_german_excel_csv_is_previewed_added_and_explored(page: Any, app_url: str) -> None:
    open_dashboard(page, app_url)
    choose_files(page, TABLES / "projekte_excel_de.csv")
    panel = page.locator(UPLOAD)
    panel.get_by_text("New participations").wait_for(timeout=20_000)
    text = panel.inner_text()
    assert "read as cp1252" in text
    new = ("STADTRAUM", "NACHBARN", "Stadt Köln", "Landeshauptstadt Düsseldorf")
    firsts = {r[0] for r in table_rows(page, *new)}  # the tables of what is new
    assert set(new) <= firsts
    assert "Düsseldorf" in text  # already known, now in more projects
    assert page.locator(BANNER).count() == 0  # nothing applied yet
    panel.get_by_role("button", name="Explore the data with these files").click()
    page.locator(BANNER).get_by_text("1 uploaded file (not saved)").wait_for(timeout=20_000)
    # The drawing now holds the new project; Düsseldorf's panel lists it.
    page.wait_for_function(
        "() => window.defusGraph && window.defusGraph.positionOf('project:STADTRAUM')",
        timeout=20_000,
    )
    page.locator(".dg-root").scroll_into_view_if_needed()
    click_node(page, "org:Düsseldorf")
    story = page.locator(STORY)
    story.get_by_text("STADTRAUM").first.wait_for(timeout=20_000)
    # The one-time "Added …" notice goes on this rerun, so the panel moves up; until the
    # run ends, its stale copy stays where it was.
    page.wait_for_function(f"() => document.querySelectorAll('{STORY}').length === 1")
    assert "Projects (3)" in story.inner_text()

    # A broken file: its problems with their lines, and the data shown stays.
    choose_files(page, TABLES / "bad_values.csv")
    panel.get_by_text("5 problems found in bad_values.csv").wait_for(timeout=20_000)
    rows = table_rows(page, "Deutschlandd")
    row = next(r for r in rows if r[3] == "Deutschlandd")
    assert row[:3] == ["bad_values.csv", "2", "Land"]
    assert "32.13.2021" in {r[3] for r in rows if r[1] == "4"}
    assert "1 uploaded file (not saved)" in page.locator(BANNER).inner_text()
    assert "STADTRAUM" in story.inner_text()
    assert not panel.get_by_role("button", name="Explore the data with these files").count()
