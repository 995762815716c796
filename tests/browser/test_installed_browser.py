"""The dashboard of defus-graph installed from its wheel, started from another directory."""

from __future__ import annotations

import signal
from pathlib import Path
from typing import Any

import pytest

from ..installed import Installed, serving

pytestmark = pytest.mark.browser

GRAPH = ".dg-root[data-ready=true]"


def test_the_installed_dashboard_draws_the_example_offline(
    installed: Installed, page: Any, tmp_path: Path
) -> None:
    with serving([str(installed.command), "serve"], tmp_path, installed.env) as (url, proc):
        page.goto(url)
        page.wait_for_selector(GRAPH, timeout=60_000)  # the screen ran and drew the network
        assert page.locator(GRAPH).get_attribute("data-nodes") not in (None, "0")
        page.get_by_text("Bundled data").first.wait_for(timeout=10_000)
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=60) == 0
    # The page fixture fails the test if the page asked anything of another machine.
