"""Pictures for reports: the PNG decodes at print size, its text is placed, its nodes are where
and how the dashboard draws them, and the CLI and the dashboard offer it."""

from __future__ import annotations

import io
import math
from pathlib import Path

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image, ImageDraw

from defus_graph.cells import escape_controls
from defus_graph.cli import main
from defus_graph.draw.layout import layout_positions
from defus_graph.draw.picture import (
    A4_LANDSCAPE,
    Legend,
    Line,
    Page,
    Point,
    Scene,
    Swatch,
    font,
    page_layout,
    render,
    rgba,
)
from defus_graph.draw.scene import (
    MAP_LABELS,
    About,
    caption,
    network_legend,
    network_scene,
    outline_lines,
    payload_picture,
    picture_title,
)
from defus_graph.draw.style import KIND_COLOURS, kind_colour, legend_items, node_sizes
from defus_graph.export.png import png_bytes
from defus_graph.graph.bipartite import graph_from_dataset
from defus_graph.graph.views import Filters, view_graph
from defus_graph.store.tables import load_dataset

ROOT = Path(__file__).resolve().parent.parent
NAMES = ["Düsseldorf", "Łódź", "Θεσσαλονίκη", "Liège", "Fondation Agir Contre l’Exclusion"]


@pytest.fixture(scope="module")
def bundled() -> nx.Graph:
    return graph_from_dataset(load_dataset(ROOT / "data"))


def _scene_of(g: nx.Graph, selected: str | None = None) -> Scene:
    return network_scene(g, layout_positions(g), sizes=node_sizes(g), selected=selected)


def test_png_decodes_at_a4_landscape_300_dpi(bundled: nx.Graph) -> None:
    data = png_bytes(bundled, made="2026-12-03")
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG"
    assert image.size == (3508, 2480)  # 297 x 210 mm at 300 dpi
    assert all(math.isclose(d, 300, abs_tol=0.01) for d in image.info["dpi"])


def test_other_page_sizes() -> None:
    g = nx.Graph()
    g.add_node("org:Genk", bipartite=1, kind="city", label="Genk")
    image = Image.open(io.BytesIO(png_bytes(g, page=Page(3000, 2000, 200))))
    assert image.size == (3000, 2000)
    assert math.isclose(image.info["dpi"][0], 200, abs_tol=0.01)


def _covered(points: tuple[Point, ...], i: int) -> bool:
    """Whether a node drawn after point ``i`` (or a label) may cover its centre."""
    p = points[i]
    for q in points[i + 1 :]:
        if math.hypot(q.x - p.x, q.y - p.y) <= q.radius + 2:
            return True
    for q in points:
        below = q.y + q.radius
        half = font(100).getlength(q.label) / 100 * q.label_size / 2
        if abs(p.x - q.x) <= half and below <= p.y <= below + 2 * q.label_size:
            return True
    return False


@pytest.mark.parametrize("view", ["bipartite", "orgs"])
def test_nodes_have_their_kind_colour_where_the_dashboard_puts_them(
    bundled: nx.Graph, view: str
) -> None:
    g = view_graph(bundled, view)
    scene = _scene_of(g)
    image, at = render(scene, "t", network_legend(g), ["c"])
    checked = 0
    for i, p in enumerate(scene.points):
        if _covered(scene.points, i):
            continue
        x, y = at(p.x, p.y)
        assert image.getpixel((round(x), round(y))) == rgba(p.fill)[:3], p.label
        checked += 1
    assert checked >= 0.6 * len(scene.points)
    # Named nodes, by the palette itself, not only by the scene.
    for node, kind in (("org:Düsseldorf", "city"), ("org:Efus", "network")):
        p = next(q for q in scene.points if q.label == g.nodes[node]["label"])
        x, y = at(p.x, p.y)
        assert image.getpixel((round(x), round(y))) == rgba(kind_colour(kind))[:3]


def test_selection_is_highlighted_and_the_rest_dimmed_as_on_screen(bundled: nx.Graph) -> None:
    g = view_graph(bundled, "orgs")
    scene = _scene_of(g, selected="org:Düsseldorf")
    image, at = render(scene, "t", network_legend(g), ["c"])
    chosen = scene.points[-1]  # drawn last, over its neighbours
    assert chosen.label == "Düsseldorf" and chosen.border == "#000000"
    x, y = at(chosen.x, chosen.y)
    assert image.getpixel((round(x), round(y))) == rgba(kind_colour("city"))[:3]
    # A node away from the selection is drawn translucent over the white page.
    small = nx.Graph()
    for node, kind in (("org:A", "city"), ("org:B", "city"), ("org:C", "NGO")):
        small.add_node(node, bipartite=1, kind=kind, label=node[4:])
    small.add_edge("org:A", "org:B")
    positions = {"org:A": (0.0, 0.0), "org:B": (300.0, 0.0), "org:C": (0.0, 300.0)}
    scene = network_scene(small, positions, selected="org:A")
    image, at = render(scene, "t", network_legend(small), ["c"])
    r, gr, b, a = rgba(next(p.fill for p in scene.points if p.label == "C"))
    assert a < 255
    blended = tuple(round(c * a / 255 + 255 * (1 - a / 255)) for c in (r, gr, b))
    x, y = at(*positions["org:C"])
    got = image.getpixel((round(x), round(y)))
    assert all(abs(u - v) <= 2 for u, v in zip(got, blended, strict=True)), (got, blended)


def test_scene_is_what_the_dashboard_draws(bundled: nx.Graph) -> None:
    from defus_graph.dashboard.component import graph_payload

    g = view_graph(bundled, "bipartite")
    positions = layout_positions(g)
    sizes = node_sizes(g)
    payload = graph_payload(g, positions, selected=None, sizes=sizes)
    scene = network_scene(g, positions, sizes=sizes)
    drawn = {(n["label"], n["x"], n["y"], n["size"], n["color"]) for n in payload["nodes"]}
    assert {(p.label, p.x, p.y, p.radius, p.fill) for p in scene.points} == drawn
    assert len(scene.lines) == len(payload["links"]["from"]) == g.number_of_edges()
    legend = network_legend(g)
    assert [(s.label, s.colour, s.shape) for s in legend.swatches] == [
        (i["label"], i["colour"], i["shape"]) for i in payload["legend"]
    ]
    assert legend.note == payload["legendNote"]
    assert payload["legend"] == legend_items(g)


def test_page_layout_places_title_legend_and_caption() -> None:
    legend = Legend("Squares are projects.", (Swatch("project", "#222222", "square"),))
    words = caption(
        About("orgs", Filters(kinds=("city",), countries=("DE",)), "Bundled data", "not saved"),
        nodes=20,
        links=31,
        made="2026-12-03",
        selected="Düsseldorf",
    )
    layout = page_layout("DEFUS partner network", legend, words, A4_LANDSCAPE)
    texts = [t.text for t in layout.texts]
    assert texts[0] == "DEFUS partner network" and layout.texts[0].bold
    assert "Squares are projects." in texts and "project" in texts
    joined = " ".join(texts)
    assert "Filters: kind of organisation city; country DE." in joined
    assert "Data: Bundled data, not saved." in joined
    assert "Selected: Düsseldorf" in joined
    # Title above the drawing, legend and caption below it, in that order.
    drawing = layout.drawing
    assert layout.texts[0].top + layout.texts[0].size <= drawing.top
    below = layout.texts[1:]
    assert all(t.top >= drawing.bottom for t in below)
    assert [t.top for t in below] == sorted(t.top for t in below)
    assert all(b.top >= drawing.bottom for _, b in layout.swatches)


@settings(max_examples=40, deadline=None)
@given(
    title=st.text(min_size=1, max_size=200),
    paragraphs=st.lists(st.text(min_size=1, max_size=400), max_size=6),
    labels=st.lists(st.text(min_size=1, max_size=30), max_size=15),
)
def test_every_text_stays_on_the_page_and_off_the_drawing(
    title: str, paragraphs: list[str], labels: list[str]
) -> None:
    legend = Legend("note", tuple(Swatch(label, "#0072B2") for label in labels))
    page = A4_LANDSCAPE
    layout = page_layout(title, legend, paragraphs, page)
    margin = round(page.dpi * 0.4)
    for t in layout.texts:
        width = font(t.size, bold=t.bold).getlength(t.text)
        assert t.left >= margin and t.left + width <= page.width - margin + 1, t.text
        assert margin <= t.top and t.top + t.size <= page.height - margin + t.size // 2
        assert t.top + t.size <= layout.drawing.top or t.top >= layout.drawing.bottom
    # Nothing written is lost: the caption's lines (under 10 pt) hold every letter in order
    # (control characters written as escapes), unless so long that its end is cut ("…").
    wanted = "".join("".join(escape_controls(p).split()) for p in paragraphs)
    lines = [t.text for t in layout.texts if t.size < page.points(10)]
    written = "".join("".join(line.split()) for line in lines)
    if written != wanted:
        assert lines[-1].endswith(" …") and wanted.startswith(written.removesuffix("…"))
    assert layout.drawing.height >= page.height // 2


def test_names_are_drawn_in_a_font_that_has_their_letters() -> None:
    def glyph(letter: str) -> bytes:
        image = Image.new("L", (100, 100))
        ImageDraw.Draw(image).text((20, 10), letter, font=font(60), fill=255)
        return image.tobytes()

    missing = glyph("\U0010fffd")  # a code point no font has: the empty box
    assert missing != glyph(" ")
    for name in NAMES:
        for letter in set(name) - {" "}:
            assert glyph(letter) != missing, (name, letter)


def test_names_are_text_never_markup() -> None:
    g = nx.Graph()
    g.add_node("org:x", bipartite=1, kind="city", label="<b>Łódź</b> &amp;")
    (point,) = network_scene(g, {"org:x": (0.0, 0.0)}).points
    assert point.label == "<b>Łódź</b> &amp;"
    layout = page_layout("<i>Title</i>", Legend("", ()), [], A4_LANDSCAPE)
    assert layout.texts[0].text == "<i>Title</i>"


def test_a_network_too_large_to_draw_says_what_it_leaves_out() -> None:
    g = nx.Graph()
    for p in range(40):
        g.add_node(f"project:P{p}", bipartite=0, kind="project", label=f"P{p}")
        for o in range(50):
            g.add_node(f"org:O{p}-{o}", bipartite=1, kind="city", label=f"O{p}-{o}")
            g.add_edge(f"project:P{p}", f"org:O{p}-{o}")
            g.add_edge(f"project:P{(p + 1) % 40}", f"org:O{p}-{o}")
    image = Image.open(io.BytesIO(png_bytes(g)))
    assert image.size == (3508, 2480)


def test_cli_writes_the_picture(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "orgs.png"
    args = ["--data", str(ROOT / "data"), "export", "--format", "png", "--view", "orgs"]
    assert main([*args, "--country", "DE", "-o", str(out)]) == 0
    assert f"wrote {out}" in capsys.readouterr().out
    assert Image.open(out).size == (3508, 2480)
    with pytest.raises(SystemExit) as stop:  # a usage error, before anything is drawn
        main([*args, "-o", str(tmp_path / "missing" / "x.png")])
    assert stop.value.code == 2 and "does not exist" in capsys.readouterr().err
    assert not (tmp_path / "missing").exists()


def test_dashboard_picture_is_the_view_on_screen(monkeypatch: pytest.MonkeyPatch) -> None:
    from defus_graph.dashboard.data import current_view, drawn_part, load_network
    from defus_graph.dashboard.picture import data_about, picture_file

    monkeypatch.delenv("DEFUS_GRAPH_DATA", raising=False)
    net = load_network(ROOT / "data")
    filters = Filters(countries=("DE",))
    shown = current_view(net, filters, "orgs")
    drawn = drawn_part(net, filters, shown, "org:Düsseldorf")
    image = Image.open(io.BytesIO(picture_file(net, filters, shown, drawn, "org:Düsseldorf")))
    assert image.size == (3508, 2480)
    name, dated = data_about(net)
    assert name == "Bundled data" and dated.startswith("files last changed 20")


def test_dashboard_offers_the_picture_beside_the_other_downloads(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("DEFUS_GRAPH_DATA", str(ROOT / "data"))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    buttons = {b.key: b.label for b in at.download_button}
    assert buttons["download_png"] == "Picture (PNG)"
    assert {"download_gexf", "download_html"} <= set(buttons)


def test_outlines_are_drawn_under_the_points_for_a_map() -> None:
    """The renderer takes a map's drawing too: filled outlines (countries), links, markers."""
    square = ((0.0, 0.0), (400.0, 0.0), (400.0, 400.0), (0.0, 400.0), (0.0, 0.0))
    scene = Scene(
        points=(Point(100.0, 100.0, 20.0, "#0072B2", "#00598e", label="Liège", label_size=20),),
        lines=(Line(((100.0, 100.0), (300.0, 300.0)), 4.0, "#A0A0A0"),),
        outlines=(Line(square, 1.0, "#808080", fill="#EEEEEE"),),
    )
    image, at = render(scene, "Map", Legend("", ()), [], Page(1200, 900, 100))
    assert image.getpixel(tuple(round(v) for v in at(300.0, 100.0))) == (238, 238, 238)
    assert image.getpixel(tuple(round(v) for v in at(100.0, 100.0))) == (0, 114, 178)
    assert image.getpixel(tuple(round(v) for v in at(200.0, 200.0))) == (160, 160, 160)


def _map_payload() -> dict[str, object]:
    """A payload as the map view hands its component: markers sized in screen pixels."""
    marker = {"shape": "dot", "borderWidth": 1, "font": {"size": 14, "color": "#222222"}}
    return {
        "nodes": [
            {**marker, "id": "city:DE:dusseldorf", "label": "Düsseldorf", "x": 0.0, "y": 0.0,
             "size": 16.0, "color": {"background": "#0072B2", "border": "#000000"}},
            {**marker, "id": "city:PL:lodz", "label": "Łódź", "x": 600.0, "y": 100.0,
             "size": 4.0, "color": {"background": "#E69F00", "border": "#000000"}},
        ],
        "edges": [{"from": "city:DE:dusseldorf", "to": "city:PL:lodz", "width": 3.0,
                   "color": "#8A8A8A"}],
        "options": {"nodes": {"font": {"size": 14}}},
        "legend": [{"label": "city", "colour": "#0072B2", "shape": "dot"}],
        "legendNote": "Markers are cities. Country outlines: Natural Earth.",
        "selected": "city:DE:dusseldorf",
        "screenSized": True,
    }  # fmt: skip


def test_a_map_payload_becomes_a_picture_with_markers_sized_in_screen_pixels() -> None:
    far = ((-5000.0, -5000.0), (5000.0, -5000.0), (5000.0, 5000.0), (-5000.0, 5000.0))
    scene, legend = payload_picture(_map_payload(), outlines=outline_lines([far]))
    assert scene.screen_sized and [p.label for p in scene.points] == ["Łódź", "Düsseldorf"]
    assert legend.swatches == (Swatch("city", "#0072B2"),) and "Natural Earth" in legend.note
    page = A4_LANDSCAPE
    image, at = render(scene, "Map", legend, ["caption"], page)
    screen = page.dpi / 96
    x, y = (round(v) for v in at(0.0, 0.0))
    inside, outside = round(16 * screen) - 4, round(16 * screen) + 6
    assert image.getpixel((x, y)) == image.getpixel((x + inside, y)) == (0, 114, 178)
    assert image.getpixel((x + outside, y)) == (241, 241, 236)  # the land around it
    # The outline reaches far past the drawing, but is cut at its edge.
    assert image.getpixel((5, 5)) == (255, 255, 255)
    assert image.getpixel((page.width // 2, page.height - 5)) == (255, 255, 255)


def test_the_longest_caption_leaves_the_drawing_its_room() -> None:
    filters = Filters(
        kinds=tuple(KIND_COLOURS),
        countries=tuple(f"C{i}" for i in range(60)),
        programmes=tuple(f"Programme number {i} " + "x" * 60 for i in range(300)),
        years=(1990, 2030),
        shared_only=True,
    )
    about = About("orgs", filters, "/a/very/long/folder/" * 10, "not saved", 0.05)
    words = caption(about, nodes=10**6, links=10**7, made="now", notice="Showing " * 80,
                    selected="N" * 300)  # fmt: skip
    assert "and 288 more" in " ".join(words)
    legend = Legend("note " * 40, tuple(Swatch(k, c) for k, c in KIND_COLOURS.items()))
    layout = page_layout("T" * 300, legend, words, A4_LANDSCAPE)
    assert layout.drawing.height >= A4_LANDSCAPE.height // 3


def test_the_map_picture_names_what_it_shows_and_leaves_out() -> None:
    from defus_graph.export.png import payload_png

    about = About("map", Filters(countries=("DE", "PL")), "Bundled data", "not saved")
    counted = "2 cities holding 3 organisations, 1 link"
    notice = "Not on the map: 1 organisation without a known place."
    words = caption(about, nodes=2, links=1, made="now", notice=notice, selected="Düsseldorf",
                    counted=counted)  # fmt: skip
    assert words[0] == (
        "Partner cities on a map: 2 cities holding 3 organisations, 1 link. "
        "Selected: Düsseldorf, highlighted with the cities it links to."
    )
    assert notice in words and "Filters: country DE, PL." in words
    ring = ((-100.0, -100.0), (700.0, -100.0), (700.0, 300.0), (-100.0, 300.0))
    data = payload_png(_map_payload(), about=about, counted=counted, rings=[ring], notice=notice,
                       title=picture_title("map"))  # fmt: skip
    image = Image.open(io.BytesIO(data))
    assert image.size == (3508, 2480)


def test_a_map_opens_on_its_fit_nodes_and_labels_its_largest_markers() -> None:
    payload = _map_payload()
    base = payload["nodes"][1]  # type: ignore[index]
    many = [{**base, "id": f"m{i}", "label": f"M{i}", "x": 10.0 * i} for i in range(45)]
    payload = {**payload, "nodes": [*payload["nodes"], *many],  # type: ignore[misc]
               "fitNodes": ["city:DE:dusseldorf"], "selected": "m44"}  # fmt: skip
    scene, _ = payload_picture(payload)
    labelled = [p.label for p in scene.points if p.label]
    assert len(labelled) == MAP_LABELS + 1  # the 40 first (largest) and the selected one
    assert "Düsseldorf" in labelled and "M43" not in labelled and labelled[-1] == "M44"
    _, at = render(scene, "Map", Legend("", ()), [], A4_LANDSCAPE)
    layout = page_layout("Map", Legend("", ()), [], A4_LANDSCAPE)
    x, y = at(0.0, 0.0)  # Düsseldorf, alone in the frame, at its centre
    assert abs(y - (layout.drawing.top + layout.drawing.height / 2)) < 40  # room for its label
    box = layout.drawing
    assert abs(x - (box.left + box.width / 2)) < 2


def test_members_are_a_ring_in_the_legend_and_around_their_node(bundled: nx.Graph) -> None:
    """The dashboard's legend names the members' ring; the picture keeps both."""
    g = bundled.copy()
    nx.set_node_attributes(g, False, "member")
    g.nodes["org:Augsburg"]["member"] = True
    scene = _scene_of(g)
    assert network_legend(g).swatches[-1].shape == "ring"
    assert legend_items(g)[-1] == {"label": "member (ring)", "colour": "#000000", "shape": "ring"}
    augsburg = next(p for p in scene.points if p.label == "Augsburg")
    leuven = next(p for p in scene.points if p.label == "Leuven")
    assert augsburg.border_width > leuven.border_width
