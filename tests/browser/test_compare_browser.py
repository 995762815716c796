"""The Compare tab in a real browser: the comparison is drawn, with its legend."""

from __future__ import annotations

from typing import Any

import pytest

from defus_graph.analysis.compare import Period, compare_periods
from defus_graph.store.folders import default_data_dir
from defus_graph.store.tables import load_dataset

pytestmark = pytest.mark.browser

GRAPH = ".dg-root[data-ready=true]"


def test_compare_tab_draws_both_periods_with_a_legend(page: Any, app_url: str) -> None:
    page.goto(app_url)
    page.wait_for_selector(GRAPH, timeout=30_000)
    page.get_by_role("tab", name="Compare").click()
    drawing = page.locator(GRAPH).nth(1)  # the component draws in a shadow root
    drawing.wait_for(timeout=30_000)
    # The sliders start on the data's years split in two: 2016-2018 and 2019-2021.
    c = compare_periods(load_dataset(default_data_dir()), Period(2016, 2018), Period(2019, 2021))
    assert int(drawing.get_attribute("data-nodes")) == len(c.joined) + len(c.left) + len(c.stayed)
    legend = drawing.locator(".dg-legend").inner_text()
    assert "joined / link gained" in legend and "left / link lost (dashed)" in legend
    colours = page.evaluate(
        """() => {
            const net = window.defusGraph.network;
            const body = net.body.data.nodes;
            return [body.get('org:Charleroi').color, body.get('org:Efus').color];
        }"""
    )
    assert colours == ["#009E73", "#0072B2"]  # joined, in both periods


def _drawn(page: Any) -> dict[str, Any]:
    return dict(
        page.evaluate(
            """() => {
                const net = window.defusGraph.network;
                const ids = net.body.data.nodes.getIds();
                return {ids: ids.sort(), efus: net.getPositions(['org:Efus'])['org:Efus']};
            }"""
        )
    )


def test_year_steps_grow_the_network_without_moving_a_node(page: Any, app_url: str) -> None:
    page.goto(app_url)
    page.wait_for_selector(GRAPH, timeout=30_000)
    forward = page.get_by_role("button", name="Year after ▶")
    forward.click()  # all years -> 2016 alone: PRACTICIES and its partners
    page.wait_for_selector(f'{GRAPH}[data-nodes="3"]', timeout=30_000)
    in_2016 = _drawn(page)
    assert in_2016["ids"] == ["org:Efus", "org:University of Warwick", "project:PRACTICIES"]
    forward.click()  # 2017: SiBa, PREPARE and Medi@4Sec join
    page.wait_for_function(
        "() => window.defusGraph && window.defusGraph.network.body.data.nodes.length > 3",
        timeout=30_000,
    )
    in_2017 = _drawn(page)
    assert set(in_2016["ids"]) < set(in_2017["ids"])
    assert "project:PREPARE" in in_2017["ids"]
    assert in_2017["efus"] == in_2016["efus"]  # the same place in every year
