"""The dashboard's details in a real browser: readable labels, whole button labels, a warning
before unsaved data is lost."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser

GRAPH = ".dg-root[data-ready=true]"
TABLES = Path(__file__).resolve().parents[1] / "data" / "tables"

#: vis-network draws a label once it is this many pixels high (drawThreshold 8, less its
#: one-pixel fade), and the organisations a reader looks for first in the bundled data.
DRAWN_PX = 7.0
MAIN = [
    "org:Augsburg",
    "org:Düsseldorf",
    "org:Leuven",
    "org:Rotterdam",
    "org:Efus",
    "project:BRIDGE",
    "project:LouD",
    "project:MATCH-SPORT",
    "project:PREPARE",
]

# Each label as drawn: its box on the page (canvas boxes through canvasToDOM, moved by
# the label's vadjust) and its height on screen.
LABELS_JS = """() => {
    const net = window.defusGraph.network;
    const scale = net.getScale();
    const out = [];
    for (const id of net.body.nodeIndices) {
        const node = net.body.nodes[id];
        const size = node.labelModule.size;
        const px = Math.min(node.options.font.size * scale, 16);
        const shift = node.options.font.vadjust || 0;
        const a = net.canvasToDOM({x: size.left, y: size.top + shift});
        const b = net.canvasToDOM({x: size.left + size.width, y: size.top + shift + size.height});
        out.push({id, text: node.options.label, px, box: [a.x, a.y, b.x, b.y]});
    }
    return out;
}"""


def _overlap(a: list[float], b: list[float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@pytest.mark.parametrize("width", [1280, 1500])
def test_first_view_labels_are_readable_and_never_overlap(
    page: Any, app_url: str, width: int
) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(app_url)
    page.wait_for_selector(GRAPH, timeout=30_000)
    page.wait_for_function("() => window.defusGraph && window.defusGraph.network.getScale() > 0")
    labels = page.evaluate(LABELS_JS)
    drawn = [lab for lab in labels if lab["px"] >= DRAWN_PX]
    assert {lab["id"] for lab in drawn} >= set(MAIN)
    small = [(lab["text"], round(lab["px"], 1)) for lab in drawn if lab["px"] < 10]
    assert small == [], "labels drawn too small to read"
    clashes = [
        (a["text"], b["text"])
        for i, a in enumerate(drawn)
        for b in drawn[i + 1 :]
        if _overlap(a["box"], b["box"])
    ]
    assert clashes == []


# Buttons whose label does not fit: some element inside clips what it holds (an icon
# overhanging a button that clips nothing is fine).
CUT_BUTTONS_JS = """() => [...document.querySelectorAll('button')]
    .filter(b => b.offsetParent !== null && b.innerText.trim())
    .filter(b => [b, ...b.querySelectorAll('*')].some(e =>
        getComputedStyle(e).overflowX !== 'visible' && e.scrollWidth > e.clientWidth + 1))
    .map(b => b.innerText.trim())"""


@pytest.mark.parametrize("width", [1024, 1280, 1500])
def test_every_button_shows_its_whole_label(page: Any, app_url: str, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})  # 1280: Chromium's default window
    page.goto(app_url)
    page.wait_for_selector(GRAPH, timeout=30_000)
    page.get_by_role("button", name="Web page (HTML)").wait_for()
    # Until the icon font arrives, an icon is the width of its name ("expand_more").
    page.wait_for_function("() => document.fonts.status === 'loaded'")
    labels = page.evaluate("() => [...document.querySelectorAll('button')].map(b => b.innerText)")
    assert any("Web page (HTML)" in t for t in labels)
    assert page.evaluate(CUT_BUTTONS_JS) == []


def _reload_asks(page: Any) -> bool:
    """Reload the page, leaving whatever it asks; whether it asked first."""
    asked: list[str] = []

    def leave(dialog: Any) -> None:
        asked.append(dialog.type)
        dialog.accept()

    page.on("dialog", leave)
    page.reload()
    page.remove_listener("dialog", leave)
    return asked == ["beforeunload"]


def test_a_reload_asks_first_while_added_files_are_unsaved(browser: Any, app_url: str) -> None:
    context = browser.new_context(viewport={"width": 1500, "height": 1000})
    try:
        page = context.new_page()
        page.goto(app_url)
        page.wait_for_selector(GRAPH, timeout=30_000)
        page.get_by_text("Add your own data").click()  # a click: browsers ask only after one
        page.wait_for_selector('.dg-leave-guard[data-unsaved="false"]', state="attached")
        assert not _reload_asks(page)  # nothing to lose yet

        page.wait_for_selector(GRAPH, timeout=30_000)
        page.get_by_text("Add your own data").click()
        page.locator(".st-key-panel_upload input[type=file]").set_input_files(
            str(TABLES / "projekte_excel_de.csv")
        )
        explore = page.get_by_role("button", name="Explore the data with these files")
        explore.click()
        page.get_by_text("1 uploaded file (not saved)").wait_for(timeout=20_000)
        page.wait_for_selector('.dg-leave-guard[data-unsaved="true"]', state="attached")
        assert _reload_asks(page)
    finally:
        context.close()
