"""The picture download in a real browser: the button gives a PNG at print size."""

from __future__ import annotations

from typing import Any

import pytest
from PIL import Image

pytestmark = pytest.mark.browser

GRAPH = ".dg-root[data-ready=true]"


def test_picture_download_is_a_png_at_print_size(page: Any, app_url: str) -> None:
    page.goto(f"{app_url}/?org=Augsburg")
    page.wait_for_selector('.dg-root[data-selected="org:Augsburg"]', timeout=30_000)
    with page.expect_download(timeout=60_000) as info:
        page.get_by_role("button", name="Picture (PNG)").click()
    assert info.value.suggested_filename == "defus-network-bipartite.png"
    image = Image.open(info.value.path())
    assert image.format == "PNG" and image.size == (3508, 2480)


def test_the_map_picture_download_is_a_png_at_print_size(page: Any, app_url: str) -> None:
    page.goto(f"{app_url}/?city=D%C3%BCsseldorf")
    page.wait_for_selector(".dg-map[data-ready=true]", timeout=30_000)
    with page.expect_download(timeout=60_000) as info:
        page.get_by_role("button", name="Picture of the map (PNG)").click()
    assert info.value.suggested_filename == "defus-map.png"
    image = Image.open(info.value.path())
    assert image.format == "PNG" and image.size == (3508, 2480)
