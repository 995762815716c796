"""The map's picture: the map on screen, with its outlines, legend and what it leaves out."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image
from streamlit.testing.v1 import AppTest

from defus_graph.dashboard import state
from defus_graph.dashboard.data import load_network
from defus_graph.dashboard.map import map_payload
from defus_graph.dashboard.picture import map_picture_file
from defus_graph.draw.geo import map_drawing, outline_rings
from defus_graph.draw.picture import render, rgba
from defus_graph.draw.scene import outline_lines, payload_picture
from defus_graph.draw.style import kind_colour
from defus_graph.graph.bipartite import graph_from_dataset
from defus_graph.graph.views import Filters
from defus_graph.names.places import place_organisations
from defus_graph.store.tables import DATA_ENV, load_dataset

ROOT = Path(__file__).resolve().parent.parent


def _map(selected: str | None = None) -> tuple[object, dict[str, object]]:
    ds = load_dataset(ROOT / "data")
    g = graph_from_dataset(ds)
    drawing = map_drawing(g, place_organisations(ds.organisations))
    marker = next(m.id for m in drawing.markers if m.label == "Düsseldorf")
    chosen = marker if selected else None
    return drawing, map_payload(drawing, g, {marker} if chosen else set(), chosen)


def test_duesseldorf_is_on_the_map_picture_where_the_map_draws_it() -> None:
    _, payload = _map(selected="Düsseldorf")
    rings = [r.tolist() for r in outline_rings()]
    scene, legend = payload_picture(payload, outlines=outline_lines(rings))
    assert any(s.label == "city" for s in legend.swatches) and "Natural Earth" in legend.note
    image, at = render(scene, "Map", legend, ["caption"])
    dusseldorf = next(p for p in scene.points if p.label == "Düsseldorf")
    assert scene.points[-1] is dusseldorf  # the selected marker, drawn on top
    x, y = at(dusseldorf.x, dusseldorf.y)
    assert image.getpixel((round(x), round(y))) == rgba(kind_colour("city"))[:3]


def test_the_map_picture_names_its_filters_and_what_it_leaves_out() -> None:
    drawing, payload = _map()
    net = load_network(ROOT / "data")
    data = map_picture_file(net, Filters(countries=("DE",)), drawing, payload)  # type: ignore[arg-type]
    assert Image.open(io.BytesIO(data)).size == (3508, 2480)


def test_the_map_offers_its_picture(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(DATA_ENV, str(ROOT / "data"))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state[state.MAP_ON] = True
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert {b.key: b.label for b in at.download_button}["download_map_png"] == (
        "Picture of the map (PNG)"
    )
