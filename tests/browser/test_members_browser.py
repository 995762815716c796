"""The member network in a real browser: rings and their legend, the filter, the Members tab."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from defus_graph.draw.style import MEMBER_RING
from defus_graph.graph.bipartite import graph_from_dataset
from defus_graph.graph.views import Filters, filter_graph
from defus_graph.model import Member
from defus_graph.store.tables import load_dataset, save_dataset

from .conftest import HOSTILE, ROOT
from .test_dashboard_browser import GRAPH, open_dashboard

pytestmark = pytest.mark.browser

MEMBERS = (
    Member("Stadt Augsburg", "Augsburg", source="mitglieder.csv", line=2),
    Member("EFUS", "Efus", source="mitglieder.csv", line=3),
    Member(HOSTILE, "", source="mitglieder.csv", line=4),  # matched nothing; shown as text
)


@pytest.fixture(scope="module")
def members_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("members") / "data"
    save_dataset(replace(load_dataset(ROOT / "data"), members=MEMBERS), target, check=True)
    return target


@pytest.fixture(scope="module")
def members_url(start_server: Callable[[Path], str], members_data: Path) -> str:
    return start_server(members_data)


def test_members_are_drawn_with_a_ring_named_in_the_legend(page: Any, members_url: str) -> None:
    open_dashboard(page, members_url)
    drawn = page.evaluate(
        """() => {
            const nodes = window.defusGraph.network.body.nodes;
            const data = window.defusGraph.network.body.data.nodes;
            const look = id => ({
                border: nodes[id].options.color.border,
                width: nodes[id].options.borderWidth,
                member: data.get(id).member === true,
            });
            return {augsburg: look('org:Augsburg'), efus: look('org:Efus'),
                    other: look('org:Düsseldorf')};
        }"""
    )
    for member in (drawn["augsburg"], drawn["efus"]):
        assert member == {"border": MEMBER_RING, "width": 3, "member": True}
    assert drawn["other"]["member"] is False and drawn["other"]["width"] < 3
    legend = page.locator(GRAPH).locator(".dg-legend")
    legend.get_by_text("member (ring)").wait_for(timeout=10_000)
    ring = legend.locator(".dg-ring")
    assert ring.count() == 1
    style = ring.evaluate(
        "el => { const s = getComputedStyle(el); "
        "return [s.borderTopColor, s.borderTopWidth, s.borderRadius]; }"
    )
    assert style == ["rgb(0, 0, 0)", "3px", "50%"]


def test_members_only_draws_the_members_and_their_projects(
    page: Any, members_url: str, members_data: Path
) -> None:
    open_dashboard(page, members_url)
    kept = filter_graph(graph_from_dataset(load_dataset(members_data)), Filters(members_only=True))
    page.get_by_text("Members only").click()
    page.wait_for_selector(f'{GRAPH}[data-nodes="{kept.number_of_nodes()}"]', timeout=30_000)
    ids = page.evaluate("() => window.defusGraph.network.body.data.nodes.getIds().sort()")
    assert ids == sorted(kept)


def test_the_members_tab_lists_members_idle_members_and_whom_to_invite(
    page: Any, members_url: str
) -> None:
    open_dashboard(page, members_url)
    page.get_by_role("tab", name="Members").click()
    panel = page.get_by_role("tabpanel", name="Members")
    panel.get_by_text("Members without projects (1)").wait_for(timeout=30_000)
    rows = page.wait_for_function(
        """() => {
            const rows = [...document.querySelectorAll(
                '[role=tabpanel] [data-testid=stDataFrame] tbody tr')]
              .map(tr => [...tr.querySelectorAll('td')].map(td => td.textContent));
            const firsts = rows.map(r => r[0]);
            return ['Augsburg', 'Efus', 'Düsseldorf'].every(n => firsts.includes(n))
                && rows.some(r => r.some(c => c.includes('line 4'))) ? rows : null;
        }""",
        timeout=30_000,
    ).json_value()
    idle = [r for r in rows if "matched no organisation" in r]
    assert idle and idle[0][0] == HOSTILE  # the hostile name is shown as text, nothing ran
    assert "Members with projects (2)" in panel.inner_text()
