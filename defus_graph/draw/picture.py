"""Pictures for reports: a drawing on a printable page, with title, legend and caption, as PNG.

Rendered here, on the server, with Pillow, from the very positions, colours
and sizes the dashboard hands to vis-network (see :mod:`defus_graph.draw.scene`),
rather than by asking the browser to redraw its canvas at a larger scale:

- it is testable without a browser (the page's layout is a plain function,
  the pixels are checked where the nodes are), and the same code serves
  ``defus-graph export --format png`` for reports made without the dashboard;
- Pillow is installed already (Streamlit depends on it) and writes text with
  FreeType, antialiased; matplotlib, not installed, would bring a large
  package and its own dependencies for what a few dozen lines of drawing do;
- names need a font that has their letters on every machine, offline: DejaVu
  Sans (Latin with accents, Greek, Cyrillic, ...) is bundled in ``fonts/``
  with its licence, instead of whatever fonts a browser or system happens to
  have. Letters it lacks (Chinese, for one) come out as boxes.

What a browser would give that this does not: the user's own zoom and pan
(the picture is the whole drawing, as the screen shows it first) and
antialiased shapes (Pillow's are not; at 300 dpi a step is 0.08 mm).

Names are drawn as text: nothing in a label is interpreted as markup, and
control characters are written as escapes.

The renderer knows nothing of graphs: it draws a :class:`Scene` of points
(size, colour, shape, label), lines (width, colour) and outlines (polylines
such as country borders, a backdrop drawn first), in drawing units with y
pointing down, so a map plugs in by giving its projected cities, links and
borders (:func:`defus_graph.draw.scene.payload_picture` reads the payload a
drawing component is given, the network's or the map's).

The drawing is fitted to its box the way vis-network's "fit" is (never more
than one screen pixel per unit), and scaled from screen to print pixels
(``dpi / 96``): line widths, label sizes and the labels too small to read
are those of the screen, at print resolution.
"""

from __future__ import annotations

import colorsys
import io
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

from PIL import Image, ImageDraw, ImageFont

from ..cells import escape_controls

__all__ = [
    "A4_LANDSCAPE",
    "Box",
    "Legend",
    "Line",
    "Page",
    "PageLayout",
    "Point",
    "Scene",
    "Swatch",
    "TextBox",
    "Transform",
    "encode_png",
    "font",
    "page_layout",
    "render",
]

#: Screen pixels per inch, as browsers count them (CSS pixels).
SCREEN_DPI = 96

_FONTS = Path(__file__).parent / "fonts"

RGBA = tuple[int, int, int, int]


@dataclass(frozen=True)
class Page:
    """A picture's size in pixels and the resolution it prints at."""

    width: int
    height: int
    dpi: int

    def points(self, pt: float) -> int:
        """A length in typographic points (1/72 inch) in this page's pixels."""
        return max(1, round(pt * self.dpi / 72))


#: An A4 sheet in landscape at 300 dpi (297 × 210 mm).
A4_LANDSCAPE = Page(3508, 2480, 300)


@dataclass(frozen=True)
class Point:
    """A marker: a dot or square centred on (x, y) with ``radius`` (half its width), in units.

    ``fill`` and ``border`` are ``#rrggbb`` or ``rgba(r,g,b,a)`` (a in 0..1);
    ``border_width`` is in screen pixels, as vis-network draws it whatever the
    zoom. ``label`` is written under the marker at ``label_size`` units.
    """

    x: float
    y: float
    radius: float
    fill: str
    border: str
    border_width: float = 1.0
    shape: Literal["dot", "square"] = "dot"
    label: str = ""
    label_size: float = 0.0
    label_colour: str = "#343434"


@dataclass(frozen=True)
class Line:
    """A polyline through ``points`` (two for a link), ``width`` in units.

    ``fill``, when given, fills the polygon the points close (a country's area).
    """

    points: tuple[tuple[float, float], ...]
    width: float
    colour: str
    fill: str = ""


@dataclass(frozen=True)
class Scene:
    """What to draw, in drawing units (y down): outlines, then lines, then points in order.

    Outlines are a backdrop (a map's countries): the picture is fitted to the
    points and lines, and outlines are cut at the drawing's edge. In a
    ``screen_sized`` scene (the map, whose markers keep their size at every
    zoom) radii, label sizes and line widths are screen pixels, not units.
    ``fit_on`` are the indices of the points the picture is fitted to (all when
    empty; lines then do not count): a map opening on Europe leaves far
    partners out of the frame. Labels smaller than ``label_min`` screen pixels
    are left out and larger ones drawn at ``label_max``, as vis-network does.
    """

    points: tuple[Point, ...] = ()
    lines: tuple[Line, ...] = ()
    outlines: tuple[Line, ...] = ()
    screen_sized: bool = False
    fit_on: tuple[int, ...] = ()
    label_min: float = 4.0
    label_max: float = 30.0


@dataclass(frozen=True)
class Swatch:
    """A legend entry: a coloured dot, square or ring (members) and its label."""

    label: str
    colour: str
    shape: Literal["dot", "square", "ring"] = "dot"


@dataclass(frozen=True)
class Legend:
    """The legend under the drawing: a note, then the swatches."""

    note: str
    swatches: tuple[Swatch, ...]


@dataclass(frozen=True)
class Box:
    """A rectangle in page pixels."""

    left: int
    top: int
    width: int
    height: int

    @property
    def right(self) -> int:
        return self.left + self.width

    @property
    def bottom(self) -> int:
        return self.top + self.height


@dataclass(frozen=True)
class TextBox:
    """One line of text on the page: its top-left corner, size in pixels and weight."""

    text: str
    left: int
    top: int
    size: int
    bold: bool = False
    colour: str = "#222222"


@dataclass(frozen=True)
class PageLayout:
    """Where everything goes on the page: the texts, the legend's swatches, the drawing."""

    texts: tuple[TextBox, ...]
    swatches: tuple[tuple[Swatch, Box], ...]
    drawing: Box


@cache
def font(size: int, *, bold: bool = False) -> ImageFont.FreeTypeFont:
    """The bundled DejaVu Sans at ``size`` pixels."""
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    return ImageFont.truetype(str(_FONTS / name), size)


def _wrap(text: str, size: int, width: int, *, bold: bool = False) -> list[str]:
    """``text`` cut into lines no wider than ``width`` pixels, between words where it can."""
    face = font(size, bold=bold)
    lines: list[str] = []
    current = ""
    for word in text.split():
        trial = f"{current} {word}" if current else word
        if face.getlength(trial) <= width:
            current = trial
            continue
        if current:
            lines.append(current)
        current = word
        while face.getlength(current) > width and len(current) > 1:  # a word wider than a line
            cut = len(current) - 1
            while cut > 1 and face.getlength(current[:cut]) > width:
                cut -= 1
            lines.append(current[:cut])
            current = current[cut:]
    if current:
        lines.append(current)
    return lines


def _legend_rows(
    legend: Legend, page: Page, box: Box, top: int
) -> tuple[list[TextBox], list[tuple[Swatch, Box]], int]:
    """The legend's note and swatches from ``top`` down; returns them and the next free line."""
    size = page.points(10)
    step = round(size * 1.5)
    texts = [
        TextBox(line, box.left, top + i * step, size, colour="#555555")
        for i, line in enumerate(_wrap(legend.note, size, box.width))
    ]
    y = top + len(texts) * step
    x = box.left
    square = round(size * 0.8)
    gap = round(size * 1.2)
    swatches: list[tuple[Swatch, Box]] = []
    for swatch in legend.swatches:
        entry = square + size // 3 + math.ceil(font(size).getlength(swatch.label))
        if x > box.left and x + entry > box.right:
            x, y = box.left, y + step
        mark = Box(x, y + (size - square) // 2 + size // 8, square, square)
        swatches.append((swatch, mark))
        texts.append(TextBox(swatch.label, x + square + size // 3, y, size))
        x += entry + gap
    if swatches:
        y += step
    return texts, swatches, y


def _fitted(line: str, size: int, width: int, *, bold: bool = False) -> str:
    """``line`` ending in " …" (what follows it is cut), shortened to fit ``width``."""
    face = font(size, bold=bold)
    while line and face.getlength(line + " …") > width:
        line = line[:-1]
    return line + " …"


def _caption_lines(caption: Sequence[str], page: Page, width: int, room: int) -> list[TextBox]:
    """The caption's lines from y = 0, at 9 pt, or smaller (down to 6 pt) to fit ``room``.

    A caption that does not fit even at 6 pt keeps the lines that do, the last
    ending in "…", so the drawing always keeps its room.
    """
    for points in (9, 8, 7, 6):
        size = page.points(points)
        step = round(size * 1.4)
        lines = [line for paragraph in caption for line in _wrap(paragraph, size, width)]
        if len(lines) * step <= room:
            break
    else:
        lines = lines[: max(1, room // step)]
        lines[-1] = _fitted(lines[-1], size, width)
    return [TextBox(line, 0, i * step, size) for i, line in enumerate(lines)]


def page_layout(title: str, legend: Legend, caption: Sequence[str], page: Page) -> PageLayout:
    """Where the title, the drawing, the legend and the caption go on ``page``.

    Control characters and line breaks in any text are written as escapes
    (``\\n``), as everywhere names are shown. From the top: the title (bold,
    18 pt, wrapped), the drawing (at least half the page's height), then the
    legend (its note and swatches, 10 pt) and the caption (each of its
    paragraphs wrapped, 9 pt, smaller if it is long). Margins are 0.4 inch.

    Examples
    --------
    >>> legend = Legend("Colour = kind.", (Swatch("city", "#0072B2"),))
    >>> layout = page_layout("Network", legend, ["Filters: none."], A4_LANDSCAPE)
    >>> [t.text for t in layout.texts]
    ['Network', 'Colour = kind.', 'city', 'Filters: none.']
    >>> layout.drawing.top > layout.texts[0].top and layout.drawing.width == 3508 - 2 * 120
    True
    """
    title, caption = escape_controls(title), [escape_controls(p) for p in caption]
    legend = Legend(
        escape_controls(legend.note),
        tuple(Swatch(escape_controls(s.label), s.colour, s.shape) for s in legend.swatches),
    )
    margin = round(page.dpi * 0.4)
    inner = Box(margin, margin, page.width - 2 * margin, page.height - 2 * margin)
    title_size = page.points(18)
    step = round(title_size * 1.3)
    lines = _wrap(title, title_size, inner.width, bold=True)
    if len(lines) > 2:  # a title of two lines at most
        lines = [lines[0], _fitted(lines[1], title_size, inner.width, bold=True)]
    texts = [
        TextBox(line, inner.left, inner.top + i * step, title_size, bold=True)
        for i, line in enumerate(lines)
    ]
    drawing_top = inner.top + len(texts) * step + page.points(6)
    # The bottom block (legend, caption) is laid out from 0, then moved under the drawing.
    below, swatches, y = _legend_rows(legend, page, inner, 0)
    y += page.points(4)
    room = inner.bottom - drawing_top - page.points(6) - page.height // 2 - y
    lines_below = _caption_lines(caption, page, inner.width, room)
    below += [TextBox(t.text, inner.left, y + t.top, t.size) for t in lines_below]
    if lines_below:
        y += lines_below[-1].top + round(lines_below[-1].size * 1.4)
    shift = inner.bottom - y
    drawing = Box(inner.left, drawing_top, inner.width, shift - page.points(6) - drawing_top)
    texts += [TextBox(t.text, t.left, t.top + shift, t.size, t.bold, t.colour) for t in below]
    moved = [(s, Box(b.left, b.top + shift, b.width, b.height)) for s, b in swatches]
    return PageLayout(tuple(texts), tuple(moved), drawing)


_RGBA = re.compile(r"^rgba?\(\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)\s*(?:,\s*([\d.]+)\s*)?\)$")


def rgba(colour: str) -> RGBA:
    """A colour as vis-network reads it (``#rrggbb``, ``rgb(...)``, ``rgba(..., a)``).

    Examples
    --------
    >>> rgba("#0072B2"), rgba("rgba(0,114,178,0.15)")
    ((0, 114, 178, 255), (0, 114, 178, 38))
    """
    if re.fullmatch(r"#[0-9a-fA-F]{6}", colour):
        return (int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16), 255)
    found = _RGBA.match(colour.strip())
    if not found:
        raise ValueError(f"not a colour vis-network reads: {colour!r}")
    r, g, b, a = found.groups()
    alpha = 255 if a is None else round(min(max(float(a), 0.0), 1.0) * 255)
    return (int(r), int(g), int(b), alpha)


def darker(colour: str) -> str:
    """The border vis-network gives a node of one plain ``#rrggbb`` colour (its ``parseColor``).

    Examples
    --------
    >>> darker("#0072B2")
    '#005b8e'
    """
    r, g, b, _ = rgba(colour)
    h, s, v = colorsys.rgb_to_hsv(r / 255, g / 255, b / 255)
    out = colorsys.hsv_to_rgb(h, min(1.0, 1.25 * s), 0.8 * v)
    return "#" + "".join(f"{math.floor(c * 255):02x}" for c in out)  # vis-network floors


@dataclass(frozen=True)
class Transform:
    """From drawing units to page pixels: ``pixel = offset + unit * scale``.

    ``screen`` is print pixels per screen pixel; ``size`` print pixels per unit
    of a radius, label or width (``scale``, or ``screen`` in a screen-sized scene).
    """

    scale: float
    dx: float
    dy: float
    screen: float
    size: float

    def __call__(self, x: float, y: float) -> tuple[float, float]:
        return (self.dx + x * self.scale, self.dy + y * self.scale)

    def moved(self, left: float, top: float) -> Transform:
        """The same transform with the page's origin moved to (left, top)."""
        return Transform(self.scale, self.dx - left, self.dy - top, self.screen, self.size)


def _label_width(point: Point) -> float:
    """How wide ``point``'s label is, in drawing units (text width grows with its size)."""
    if not point.label or point.label_size <= 0:
        return 0.0
    return font(100).getlength(escape_controls(point.label)) / 100 * point.label_size


def _extent(p: Point) -> tuple[float, float, float]:
    """How far ``p`` reaches from its centre: sideways, up and down (label included)."""
    side = max(p.radius, _label_width(p) / 2)
    return side, p.radius, p.radius + (4 + 1.3 * p.label_size if p.label else 0)


def fit(scene: Scene, box: Box, page: Page) -> Transform:
    """The transform that fits the scene's points and lines, labels included, in ``box``.

    Like vis-network's ``fit``: centred, never closer than one screen pixel per
    unit. Outlines count only when there is nothing else.
    """
    screen = page.dpi / SCREEN_DPI
    sized = scene.screen_sized
    xs: list[float] = []
    ys: list[float] = []
    side = up = down = 0.0  # room for screen-sized markers, in screen pixels
    chosen = [scene.points[i] for i in scene.fit_on] if scene.fit_on else scene.points
    for p in chosen:
        reach = _extent(p)
        if sized:
            xs.append(p.x)
            ys.append(p.y)
            side, up, down = max(side, reach[0]), max(up, reach[1]), max(down, reach[2])
        else:
            xs += [p.x - reach[0], p.x + reach[0]]
            ys += [p.y - reach[1], p.y + reach[2]]
    for line in () if scene.fit_on else scene.lines or (() if xs else scene.outlines):
        xs += [x for x, _ in line.points]
        ys += [y for _, y in line.points]
    room = Box(
        box.left + round(side * screen),
        box.top + round(up * screen),
        max(1, box.width - round(2 * side * screen)),
        max(1, box.height - round((up + down) * screen)),
    )
    if not xs:
        xs, ys = [0.0], [0.0]
    span_x, span_y = max(xs) - min(xs), max(ys) - min(ys)
    scale = min(
        room.width / span_x if span_x > 0 else math.inf,
        room.height / span_y if span_y > 0 else math.inf,
        screen,
    )
    dx = room.left + room.width / 2 - (min(xs) + max(xs)) / 2 * scale
    dy = room.top + room.height / 2 - (min(ys) + max(ys)) / 2 * scale
    return Transform(scale, dx, dy, screen, screen if sized else scale)


def _draw_lines(draw: ImageDraw.ImageDraw, lines: Sequence[Line], at: Transform) -> None:
    for line in lines:
        # vis-network keeps a link at least 0.3 screen pixels wide, whatever the zoom.
        width = max(1, round(max(line.width * at.size, 0.3 * at.screen)))
        xy = [at(x, y) for x, y in line.points]
        if line.fill and len(xy) >= 3:
            draw.polygon(xy, fill=rgba(line.fill))
        draw.line(xy, fill=rgba(line.colour), width=width)


def _draw_point(
    image: Image.Image,
    draw: ImageDraw.ImageDraw,
    p: Point,
    at: Transform,
    limits: tuple[float, float] = (4.0, 30.0),
) -> None:
    x, y = at(p.x, p.y)
    r = max(p.radius * at.size, 1.0)
    border = max(1, round(p.border_width * at.screen)) if p.border_width > 0 else 0
    shape = [x - r, y - r, x + r, y + r]
    if p.shape == "square":
        draw.rectangle(shape, fill=rgba(p.fill), outline=rgba(p.border), width=border)
    else:
        draw.ellipse(shape, fill=rgba(p.fill), outline=rgba(p.border), width=border)
    size = p.label_size * at.size
    # vis-network leaves out labels under 4 screen pixels and caps them at 30.
    if p.label and size >= limits[0] * at.screen:
        size = min(size, limits[1] * at.screen)
        top = y + r + 4 * at.size
        label = escape_controls(p.label)
        _text(image, draw, (x, top), label, font(round(size)), p.label_colour, "ma")


def _text(
    image: Image.Image,
    draw: ImageDraw.ImageDraw,
    xy: tuple[float, float],
    text: str,
    face: ImageFont.FreeTypeFont,
    colour: str,
    anchor: str,
) -> None:
    """Write ``text`` (never read as markup) at ``xy``; a translucent colour is blended.

    Pillow writes text opaque even on a blending drawing, so translucent text
    (a dimmed label) is written on a clear layer first, then laid over.
    """
    fill = rgba(colour)
    if fill[3] == 255:
        draw.text(xy, text, font=face, fill=fill, anchor=anchor)
        return
    left, top, right, bottom = (round(v) for v in draw.textbbox(xy, text, font=face, anchor=anchor))
    layer = Image.new("RGBA", (max(1, right - left), max(1, bottom - top)), (0, 0, 0, 0))
    ImageDraw.Draw(layer).text(
        (xy[0] - left, xy[1] - top), text, font=face, fill=fill, anchor=anchor
    )
    image.paste(layer, (left, top), layer)


def render(
    scene: Scene, title: str, legend: Legend, caption: Sequence[str], page: Page = A4_LANDSCAPE
) -> tuple[Image.Image, Transform]:
    """The page as an image, and where the scene's units went on it.

    Parameters
    ----------
    scene : what to draw, fitted into the drawing box.
    title : the heading; legend : the note and swatches under the drawing;
    caption : paragraphs under the legend (filters, data, date).
    page : size and resolution.
    """
    layout = page_layout(title, legend, caption, page)
    image = Image.new("RGB", (page.width, page.height), "white")
    box = layout.drawing
    at = fit(scene, box, page)
    # The drawing is made on its own canvas, so that nothing reaches past its box.
    canvas = Image.new("RGB", (box.width, box.height), "white")
    pen = ImageDraw.Draw(canvas, "RGBA")  # RGBA fills blend onto the white page
    inside = at.moved(box.left, box.top)
    _draw_lines(pen, scene.outlines, inside)
    _draw_lines(pen, scene.lines, inside)
    for point in scene.points:
        _draw_point(canvas, pen, point, inside, (scene.label_min, scene.label_max))
    image.paste(canvas, (box.left, box.top))
    draw = ImageDraw.Draw(image, "RGBA")
    for text in layout.texts:
        face = font(text.size, bold=text.bold)
        _text(image, draw, (text.left, text.top), text.text, face, text.colour, "la")
    for swatch, box in layout.swatches:
        shape = [box.left, box.top, box.right, box.bottom]
        fill, border = rgba(swatch.colour), (0, 0, 0, 90)
        if swatch.shape == "square":
            draw.rectangle(shape, fill=fill, outline=border, width=max(1, page.dpi // 96))
        elif swatch.shape == "ring":  # the ring drawn around a member's node
            draw.ellipse(shape, fill=None, outline=fill, width=max(2, page.dpi // 32))
        else:
            draw.ellipse(shape, fill=fill, outline=border, width=max(1, page.dpi // 96))
    return image, at


def encode_png(image: Image.Image, page: Page = A4_LANDSCAPE) -> bytes:
    """``image`` as PNG, saying its resolution so that it prints at its size."""
    out = io.BytesIO()
    image.save(out, format="PNG", dpi=(page.dpi, page.dpi), optimize=False)
    return out.getvalue()
