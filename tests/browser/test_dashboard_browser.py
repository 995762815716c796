"""What only a browser shows: the drawing, the click, the downloads; nothing runs or leaks."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote

import networkx as nx
import pytest

from defus_graph.draw.layout import layout_positions
from defus_graph.draw.vis import pyvis_network
from defus_graph.graph.bipartite import graph_from_dataset
from defus_graph.graph.views import view_graph
from defus_graph.store.tables import load_dataset

from .conftest import HOSTILE, ROOT

pytestmark = pytest.mark.browser

GRAPH = ".dg-root[data-ready=true]"
STORY = ".st-key-story"


def open_dashboard(page: Any, url: str) -> None:
    page.goto(url)
    page.wait_for_selector(GRAPH, timeout=30_000)


def click_node(page: Any, node: str) -> None:
    """Zoom onto ``node`` in the drawing, check it is the one under the pointer, click it."""
    where = page.evaluate(
        """id => {
            const g = window.defusGraph;
            g.network.focus(id, {scale: 2.5, animation: false});
            // vis-network finds a node under the pointer by where it last drew it.
            g.network.redraw();
            const p = g.positionOf(id);
            const rect = g.network.body.container.getBoundingClientRect();
            const hit = g.network.getNodeAt({x: p.x - rect.left, y: p.y - rect.top});
            return {x: p.x, y: p.y, hit: hit};
        }""",
        node,
    )
    assert where["hit"] == node
    page.mouse.click(where["x"], where["y"])


def test_clicking_a_node_tells_its_story_and_puts_it_in_the_url(page: Any, app_url: str) -> None:
    open_dashboard(page, app_url)
    assert page.locator(GRAPH).get_attribute("data-nodes") not in (None, "0")
    click_node(page, "org:Düsseldorf")
    story = page.locator(STORY)
    story.get_by_text("BRIDGE").first.wait_for(timeout=20_000)
    text = story.inner_text()
    assert text.startswith("Düsseldorf")
    assert "BRIDGE" in text and "LouD" in text
    assert "org=D%C3%BCsseldorf" in page.url
    # The drawing highlights the selection and kept its nodes where they were.
    page.wait_for_selector('.dg-root[data-selected="org:Düsseldorf"]', timeout=20_000)


def test_every_click_in_the_drawing_updates_the_story_and_the_url(page: Any, app_url: str) -> None:
    """A click reruns only the graph and the story (a fragment): each click must still
    tell the clicked node's story and put it in the URL, and a search typed before it
    is emptied in the sidebar, outside the fragment."""
    open_dashboard(page, app_url)
    search = page.get_by_placeholder("e.g. Dusseldorf, LouD, Efus")
    search.fill("zzzz")
    search.press("Enter")
    page.get_by_text("Nothing is called “zzzz”").first.wait_for(timeout=20_000)
    story = page.locator(STORY)
    for name, project in (("Düsseldorf", "BRIDGE"), ("Augsburg", "Solidify")):
        click_node(page, f"org:{name}")
        page.wait_for_selector(f'.dg-root[data-selected="org:{name}"]', timeout=20_000)
        story.get_by_text(project).first.wait_for(timeout=20_000)
        assert story.inner_text().startswith(name)
        assert f"org={quote(name)}" in page.url
        # The sidebar was redrawn too: the search box is empty, its message gone.
        page.wait_for_function(
            "() => [...document.querySelectorAll('input')].every(i => i.value !== 'zzzz')"
        )
        assert page.get_by_text("Nothing is called").count() == 0


def test_drawn_links_are_those_of_the_web_page(page: Any, app_url: str) -> None:
    """The links travel as columns and are rebuilt in the page: same ends, width, colour
    and tooltip as the HTML export's edges, the selection's links highlighted."""
    open_dashboard(page, f"{app_url}/?org={quote('Düsseldorf')}")
    page.wait_for_selector('.dg-root[data-selected="org:Düsseldorf"]', timeout=20_000)
    drawn = page.evaluate(
        "() => window.defusGraph.network.body.data.edges.get()"
        ".map(e => [e.from, e.to, e.width, e.color, e.title])"
    )
    g = view_graph(graph_from_dataset(load_dataset(ROOT / "data")), "bipartite")
    edges = pyvis_network(g, positions=layout_positions(g), selected="org:Düsseldorf").edges
    expected = [[e["from"], e["to"], e["width"], e["color"], e["title"]] for e in edges]
    assert sorted(drawn) == sorted(expected) and len(drawn) == g.number_of_edges()


def test_a_link_with_the_selection_reproduces_it(page: Any, app_url: str) -> None:
    open_dashboard(page, f"{app_url}/?org=Augsburg")
    text = page.locator(STORY).inner_text()
    assert text.startswith("Augsburg")
    assert "Solidify" in text and "LouD" in text
    assert page.locator(GRAPH).get_attribute("data-selected") == "org:Augsburg"


def test_gexf_download_is_the_view_on_screen(page: Any, app_url: str, tmp_path: Path) -> None:
    open_dashboard(page, app_url)
    with page.expect_download() as info:
        page.get_by_role("button", name="GEXF (Gephi)").click()
    path = tmp_path / "view.gexf"
    info.value.save_as(path)
    g = nx.read_gexf(path)
    labels = {d.get("label") for _, d in g.nodes(data=True)}
    assert {"Düsseldorf", "BRIDGE", "LouD", "Augsburg"} <= labels
    shown = int(page.locator(GRAPH).get_attribute("data-nodes"))
    assert g.number_of_nodes() == shown


def test_a_hostile_name_is_text_and_runs_nothing(page: Any, hostile_url: str) -> None:
    open_dashboard(page, f"{hostile_url}/?org={quote(HOSTILE)}")
    story = page.locator(STORY)
    assert story.inner_text().startswith(HOSTILE)
    # Hover it in the drawing so its tooltip is shown too.
    where = page.evaluate(
        "id => { window.defusGraph.network.focus(id, {scale: 2.5, animation: false});"
        " return window.defusGraph.positionOf(id); }",
        f"org:{HOSTILE}",
    )
    page.mouse.move(where["x"], where["y"])
    # The tooltip shows the name as its text: wait for that, then look for what it would inject.
    page.wait_for_function(
        """name => {
            const roots = [document];
            for (const el of document.querySelectorAll('*')) {
                if (el.shadowRoot) roots.push(el.shadowRoot);
            }
            return roots.some(r => [...r.querySelectorAll('.vis-tooltip')].some(
                t => t.style.visibility !== 'hidden' && t.innerText.includes(name)));
        }""",
        arg=HOSTILE,
    )
    assert _injected_images(page) == 0
    # The standalone page written from the same view runs nothing either.
    with page.expect_download() as info:
        page.get_by_role("button", name="Web page (HTML)").click()
    html = Path(info.value.path()).read_text(encoding="utf-8")
    assert HOSTILE not in html
    page.set_content(html)
    # Once vis-network has drawn the page, anything the name could inject would be there.
    page.wait_for_function(
        "() => typeof network !== 'undefined' && !!document.querySelector('canvas')"
    )
    assert _injected_images(page) == 0


def _injected_images(page: Any) -> int:
    """How many ``<img src="x">`` the hostile name made, in the page and its shadow roots."""
    count: int = page.evaluate(
        """() => {
            const roots = [document];
            for (const el of document.querySelectorAll('*')) {
                if (el.shadowRoot) roots.push(el.shadowRoot);
            }
            return roots.reduce((n, r) => n + r.querySelectorAll('img[src="x"]').length, 0);
        }"""
    )
    return count
