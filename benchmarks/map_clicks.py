"""Time clicks on the dashboard's map in Chromium, on generated CORDIS-size data.

Run from the repository root (Debian's Chromium, ``/usr/bin/chromium``)::

    python -m benchmarks.map_clicks --size h2020

It writes the generated tables once to a temporary folder, starts ``streamlit run
app.py`` on 127.0.0.1 (every request to another host is refused), opens the map
from a ``?city=`` link, then clicks the country squares of Germany and France and a
city of each, and prints how long each took until the browser showed the result,
with the part the browser's own update took. Figures are wall time on this machine.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from playwright.sync_api import Route, sync_playwright

from benchmarks.generate import SIZES, write_dataset
from benchmarks.route import CHROMIUM, CHROMIUM_ARGS, serve_app
from defus_graph.draw.geo import MapIndex
from defus_graph.graph.bipartite import graph_from_dataset
from defus_graph.names.places import place_organisations

ROOT = Path(__file__).resolve().parents[1]
MAP = ".dg-map"


def _click(page: Any, marker: str) -> float:
    """Click ``marker`` where it is drawn (zoomed onto); returns the time of the click."""
    where = page.evaluate(
        """id => { const g = window.defusGraph;
            g.network.focus(id, {scale: 2, animation: false}); g.network.redraw();
            g.network.redraw(); return g.positionOf(id); }""",
        marker,
    )
    started = time.perf_counter()
    page.mouse.click(where["x"], where["y"])
    return started


def _browser_ms(page: Any) -> str:
    return str(page.locator(MAP).get_attribute("data-render-ms"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="h2020", choices=sorted(SIZES))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="defus-map-") as tmp:
        data = Path(tmp) / "data"
        ds = write_dataset(SIZES[args.size], data)
        index = MapIndex(graph_from_dataset(ds), place_organisations(ds.organisations))
        cities = index.city_labels()
        first = next(label for label, (key, _) in sorted(cities.items()) if ":FR:" in key)
        print(
            f"{len(ds.organisations):,} organisations, {len(index.orgs):,} placed, "
            f"{len(set(index.city_keys)):,} places"
        )
        proc, url = serve_app(data)
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
                page = browser.new_page(viewport={"width": 1500, "height": 1000})

                def local_only(route: Route) -> None:
                    host = urlparse(route.request.url).hostname
                    route.continue_() if host in (None, "127.0.0.1") else route.abort()

                page.route("**/*", local_only)
                started = time.perf_counter()
                page.goto(f"{url}/?city={first}")
                page.wait_for_selector(
                    f"{MAP}[data-selected='{cities[first][0]}']", timeout=900_000
                )
                print(f"| first map from ?city={first} | {time.perf_counter() - started:.2f} s |")
                for country in ("DE", "FR"):
                    started = _click(page, f"country:{country}")
                    page.wait_for_function(
                        "cc => window.defusGraph.network.body.data.nodes.getIds()"
                        ".some(i => i.startsWith('city:' + cc + ':'))",
                        arg=country,
                        timeout=120_000,
                    )
                    print(
                        f"| click country {country} until its cities are drawn | "
                        f"{time.perf_counter() - started:.2f} s | browser {_browser_ms(page)} ms |"
                    )
                    city = page.evaluate(
                        """cc => { const g = window.defusGraph; const n = g.network;
                            const ids = n.body.data.nodes.getIds()
                                .filter(i => i.startsWith('city:' + cc + ':')).reverse();
                            const rect = n.body.container.getBoundingClientRect();
                            for (const id of ids) {  // one not covered by a neighbour
                                n.focus(id, {scale: 2, animation: false}); n.redraw(); n.redraw();
                                const p = g.positionOf(id);
                                if (n.getNodeAt({x: p.x - rect.left, y: p.y - rect.top}) === id)
                                    return id;
                            }
                            return ids[0]; }""",
                        country,
                    )
                    started = _click(page, city)
                    page.wait_for_selector(f"{MAP}[data-selected='{city}']", timeout=120_000)
                    print(
                        f"| click city {city} until it is selected | "
                        f"{time.perf_counter() - started:.2f} s | browser {_browser_ms(page)} ms |"
                    )
                browser.close()
        finally:
            proc.terminate()
            proc.wait(timeout=30)


if __name__ == "__main__":
    main()
