"""Real-browser fixtures: a ``streamlit run app.py`` server and Debian's Chromium.

Nothing is downloaded: Chromium is ``/usr/bin/chromium`` (never ``playwright
install``). Without it the tests are skipped on a workstation and fail in CI
(``CI`` set), where they must run.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from benchmarks.route import CHROMIUM, CHROMIUM_ARGS, serve_app
from defus_graph.model import Organisation, Participation
from defus_graph.store.tables import load_dataset, save_dataset

ROOT = Path(__file__).resolve().parents[2]
HOSTILE = "<img src=x onerror=alert(1)>"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser" in str(item.path).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session", autouse=True)
def _chromium_present() -> None:
    if CHROMIUM.exists():
        return
    if os.environ.get("CI"):
        pytest.fail(
            f"{CHROMIUM} is missing; CI must run the browser tests (apt-get install chromium)"
        )
    pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)")


@pytest.fixture(scope="session")
def start_server() -> Iterator[Callable[[Path], str]]:
    """Start ``streamlit run app.py`` on a free port for a data directory; returns its URL."""
    procs: list[subprocess.Popen[bytes]] = []

    def start(data: Path) -> str:
        proc, url = serve_app(data)
        procs.append(proc)
        return url

    yield start
    for proc in procs:
        proc.terminate()
    for proc in procs:
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="session")
def app_url(start_server: Callable[[Path], str]) -> str:
    """The dashboard on the bundled data."""
    return start_server(ROOT / "data")


@pytest.fixture(scope="session")
def hostile_url(
    start_server: Callable[[Path], str], tmp_path_factory: pytest.TempPathFactory
) -> str:
    """The dashboard on the bundled data plus an organisation named like an XSS attack."""
    ds = load_dataset(ROOT / "data")
    ds = replace(
        ds,
        organisations=(*ds.organisations, Organisation(HOSTILE, "NGO", "FR")),
        participations=(*ds.participations, Participation("LouD", HOSTILE, "partner")),
    )
    target = tmp_path_factory.mktemp("hostile") / "data"
    save_dataset(ds, target)
    return start_server(target)


@pytest.fixture(scope="session")
def large_url(start_server: Callable[[Path], str], tmp_path_factory: pytest.TempPathFactory) -> str:
    """The dashboard on generated CORDIS-like data of about 3,000 nodes: drawn in part."""
    from benchmarks.generate import Size, write_dataset

    target = tmp_path_factory.mktemp("large") / "data"
    write_dataset(Size("browser", 1_800, 1_500, 9_000), target)
    return start_server(target)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


class Outside:
    """Every request a page makes that does not go to the dashboard itself."""

    def __init__(self) -> None:
        self.requests: list[str] = []

    def watch(self, url: str) -> None:
        if not url.startswith(("http://127.0.0.1:", "blob:", "data:", "about:")):
            self.requests.append(url)


@pytest.fixture
def page(browser: object, tmp_path: Path) -> Iterator[object]:
    """A fresh page; fails the test if it fired a dialog or asked anything outside 127.0.0.1."""
    context = browser.new_context(  # type: ignore[attr-defined]
        viewport={"width": 1500, "height": 1000}, accept_downloads=True
    )
    pg = context.new_page()
    outside = Outside()
    dialogs: list[str] = []
    pg.on("request", lambda r: outside.watch(r.url))
    pg.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    pg.outside = outside
    pg.dialogs = dialogs
    yield pg
    context.close()
    assert dialogs == [], f"a script ran: {dialogs}"
    assert outside.requests == [], f"requests left the machine: {outside.requests}"
