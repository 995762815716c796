"""A network larger than a browser can draw: a focused part, a notice, a quick click."""

from __future__ import annotations

from typing import Any

import pytest

from benchmarks.route import CLICKABLE_ORGANISATION
from defus_graph.draw.focus import DRAW_LIMIT, FIRST_LINKS, LINK_LIMIT

from .test_dashboard_browser import GRAPH, STORY, open_dashboard

pytestmark = pytest.mark.browser

NOTICE = '[data-testid="stAlertContentInfo"]'


def drawn(page: Any) -> dict[str, int]:
    """How many nodes and links the browser holds right now."""
    return page.evaluate(  # type: ignore[no-any-return]
        """() => ({nodes: window.defusGraph.network.body.data.nodes.length,
                   edges: window.defusGraph.network.body.data.edges.length})"""
    )


def test_a_large_network_is_drawn_in_part_and_says_so(page: Any, large_url: str) -> None:
    open_dashboard(page, large_url)
    counts = drawn(page)
    assert counts["nodes"] == DRAW_LIMIT and counts["edges"] <= LINK_LIMIT
    notice = page.locator(NOTICE).first.inner_text()
    assert f"Showing {DRAW_LIMIT:,} of " in notice
    assert "most central" in notice and "Click an organisation" in notice
    # The caption and the downloads still speak of the whole network.
    caption = page.get_by_text("Projects and organisations:").first.inner_text()
    assert "3," in caption.split("nodes")[0]


def test_clicking_an_organisation_draws_its_neighbourhood(page: Any, large_url: str) -> None:
    open_dashboard(page, large_url)
    # The organisation drawn with the most links, zoomed onto until it is the one hit.
    where = page.evaluate(CLICKABLE_ORGANISATION)
    assert where is not None, "no organisation could be clicked on its own"
    page.mouse.click(where["x"], where["y"])
    page.wait_for_selector(f'.dg-root[data-selected="{where["id"]}"]', timeout=30_000)
    name = where["id"].split(":", 1)[1]
    page.locator(STORY).get_by_text(name).first.wait_for(timeout=30_000)
    notice = page.locator(NOTICE).first.inner_text()
    assert f"the neighbourhood of {name}" in notice
    counts = drawn(page)
    assert counts["nodes"] <= DRAW_LIMIT and counts["edges"] <= LINK_LIMIT
    assert page.locator(GRAPH).get_attribute("data-selected") == where["id"]


def test_more_links_are_drawn_when_asked_for_and_the_notice_says_how_many(
    page: Any, large_url: str
) -> None:
    """At first the strongest links, said in the notice; the switch draws more, in place."""
    open_dashboard(page, large_url)
    first = drawn(page)
    assert first["edges"] == FIRST_LINKS
    notice = page.locator(NOTICE).first.inner_text()
    among = int(notice.split("Of the ")[1].split(" links")[0].replace(",", ""))
    assert f"the {FIRST_LINKS:,} strongest are drawn" in notice and among > FIRST_LINKS
    where = page.evaluate("() => window.defusGraph.network.getPositions()")
    page.get_by_text("Draw more links").click()
    page.wait_for_function(
        f"() => window.defusGraph.network.body.data.edges.length > {FIRST_LINKS}",
        timeout=30_000,
    )
    assert drawn(page) == {"nodes": first["nodes"], "edges": min(among, LINK_LIMIT)}
    # The same nodes in the same places: only links were added.
    assert page.evaluate("() => window.defusGraph.network.getPositions()") == where
