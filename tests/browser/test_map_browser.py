"""The map in a real browser: it draws Europe, a click on a city tells its story, nothing leaks."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

import pytest

from defus_graph.draw.geo import project

pytestmark = pytest.mark.browser

MAP = ".dg-map[data-ready=true]"
STORY = ".st-key-story"


def only_this_machine(page: Any) -> list[str]:
    """Route every request the page makes: 127.0.0.1 goes through, anything else is refused."""
    refused: list[str] = []

    def route(r: Any) -> None:
        url = r.request.url
        host = urlparse(url).hostname
        if url.startswith(("data:", "blob:", "about:")) or host == "127.0.0.1":
            r.continue_()
        else:
            refused.append(url)
            r.abort()

    page.context.route("**/*", route)
    return refused


def open_map(page: Any, url: str) -> None:
    page.goto(url)
    page.get_by_text("Show on a map").click()
    page.wait_for_selector(MAP, timeout=30_000)


def click_marker(page: Any, marker: str) -> None:
    """Zoom onto ``marker``, check it is the one under the pointer, click it."""
    where = page.evaluate(
        """id => {
            const g = window.defusGraph;
            g.network.focus(id, {scale: 3, animation: false});
            g.network.redraw();  // markers take their size on screen for this scale
            g.network.redraw();
            const p = g.positionOf(id);
            const rect = g.network.body.container.getBoundingClientRect();
            const hit = g.network.getNodeAt({x: p.x - rect.left, y: p.y - rect.top});
            return {x: p.x, y: p.y, hit: hit};
        }""",
        marker,
    )
    assert where["hit"] == marker
    page.mouse.click(where["x"], where["y"])


def test_clicking_dusseldorf_on_the_map_tells_its_story_offline(page: Any, app_url: str) -> None:
    refused = only_this_machine(page)
    open_map(page, app_url)
    assert page.locator(MAP).get_attribute("data-nodes") == "31"
    click_marker(page, "city:DE:dusseldorf")
    story = page.locator(STORY)
    story.get_by_text("LouD").first.wait_for(timeout=20_000)
    text = story.inner_text()
    assert "BRIDGE" in text and "LouD" in text
    assert "city=D%C3%BCsseldorf" in page.url
    page.wait_for_selector(f'{MAP}[data-selected="city:DE:dusseldorf"]', timeout=20_000)
    assert refused == []


def test_the_map_paints_country_outlines_under_the_markers(page: Any, app_url: str) -> None:
    refused = only_this_machine(page)
    open_map(page, app_url)

    # Centred on a point of land far from every marker and link (Brandenburg), the
    # drawing shows land colour; on a point of sea (the North Sea), nothing is painted.
    def pixel(lat: float, lon: float) -> list[int]:
        x, y = project([lat], [lon])
        return page.evaluate(  # type: ignore[no-any-return]
            """p => {
            const g = window.defusGraph;
            g.network.moveTo({position: p, scale: 4, animation: false});
            g.network.redraw();
            const canvas = g.network.body.container.querySelector("canvas");
            const dom = g.network.canvasToDOM(p);
            const ratio = canvas.width / canvas.clientWidth;
            const ctx = canvas.getContext("2d");
            return Array.from(ctx.getImageData(dom.x * ratio, dom.y * ratio, 1, 1).data);
        }""",
            {"x": float(x[0]), "y": float(y[0])},
        )

    assert pixel(52.4, 13.5)[:3] == [241, 241, 236]
    assert pixel(55.5, 4.0)[3] == 0  # nothing painted: the page's white shows through
    assert refused == []


def test_a_city_link_opens_the_map_with_the_city_selected(page: Any, app_url: str) -> None:
    refused = only_this_machine(page)
    page.goto(f"{app_url}/?city=Leuven")
    page.wait_for_selector(f'{MAP}[data-selected="city:BE:leuven"]', timeout=30_000)
    text = page.locator(STORY).inner_text()
    assert "Leuven" in text and "BRIDGE" in text
    assert refused == []
