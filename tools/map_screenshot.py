"""Take the README's map screenshot (docs/map.png): the dashboard on the bundled data.

Starts ``streamlit run app.py`` on 127.0.0.1, opens ``?city=Düsseldorf`` in Debian's
Chromium (every request to another host is refused), and saves the map beside the
story of Düsseldorf. Run from the repository root: ``python tools/map_screenshot.py``.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote, urlparse

from playwright.sync_api import Route, sync_playwright

from benchmarks.route import CHROMIUM, CHROMIUM_ARGS, serve_app
from defus_graph.draw.geo import project

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    server, url = serve_app(ROOT / "data")
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 1000}, device_scale_factor=1)

            def local_only(route: Route) -> None:
                host = urlparse(route.request.url).hostname
                route.continue_() if host in (None, "127.0.0.1") else route.abort()

            page.route("**/*", local_only)
            page.goto(f"{url}/?city={quote('Düsseldorf')}")
            page.wait_for_selector('.dg-map[data-selected="city:DE:dusseldorf"]', timeout=60_000)
            page.locator(".dg-map").scroll_into_view_if_needed()
            page.locator(".st-key-story").get_by_text("LouD").first.wait_for()
            # Closer on the west of Europe, where the bundled partners are.
            x, y = project([47.5], [4.0])
            page.evaluate(
                """p => {
                    const n = window.defusGraph.network;
                    n.moveTo({position: p, scale: n.getScale() * 1.7, animation: false});
                    n.redraw();
                }""",
                {"x": float(x[0]), "y": float(y[0])},
            )
            drawing = page.locator(".dg-map").bounding_box()
            story = page.locator(".st-key-story").bounding_box()
            assert drawing is not None and story is not None
            page.screenshot(
                path=str(ROOT / "docs" / "map.png"),
                clip={
                    "x": drawing["x"] - 8,
                    "y": drawing["y"] - 8,
                    "width": story["x"] + story["width"] - drawing["x"] + 16,
                    "height": drawing["height"] + 16,
                },
            )
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=20)


if __name__ == "__main__":
    main()
