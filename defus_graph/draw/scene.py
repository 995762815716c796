"""What a picture of the network shows: the drawing the dashboard shows, and the words around it.

:func:`network_scene` turns the very nodes and edges the dashboard hands to
vis-network (:func:`defus_graph.draw.vis.pyvis_network`: positions, colours,
shapes, sizes, the selection's highlight and dimming) into a
:class:`~defus_graph.draw.picture.Scene`; :func:`network_legend` is the
dashboard's legend (:func:`defus_graph.draw.style.legend_items`); :func:`caption`
says what is shown: the view, the filters, the selection, what a large
network's drawing leaves out, and which data of which date.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any, Literal

import networkx as nx

from ..graph.views import VIEW_LABELS, Filters
from .layout import Positions
from .picture import Legend, Line, Point, Scene, Swatch, darker
from .style import legend_items, legend_note
from .vis import VIS_OPTIONS, pyvis_network

__all__ = [
    "MAP_LABELS",
    "VIEW_NAMES",
    "About",
    "caption",
    "files_dated",
    "filters_text",
    "network_legend",
    "network_scene",
    "outline_lines",
    "payload_picture",
    "picture_title",
    "vis_scene",
]

#: What each view is called in a picture: the dashboard's names, and the map.
VIEW_NAMES: dict[str, str] = {**VIEW_LABELS, "map": "Partner cities on a map"}

#: Markers a map labels at the zoom it opens on (``LABELS`` in the dashboard's network.js).
MAP_LABELS = 40

#: vis-network's default label and edge colours.
_LABEL_COLOUR = "#343434"
_EDGE_DEFAULT = "#848484"


def _node_colours(colour: Any) -> tuple[str, str]:
    """Fill and border of a vis-network node colour (a string, or a dict for the selection)."""
    if isinstance(colour, dict):
        return str(colour["background"]), str(colour["border"])
    text = str(colour)
    return text, darker(text) if text.startswith("#") else text


def _colour(edge: Mapping[str, Any]) -> str:
    """An edge's colour: a string, or vis-network's ``{"color": ...}``; else its default grey."""
    colour = edge.get("color", _EDGE_DEFAULT)
    return str(colour.get("color", _EDGE_DEFAULT)) if isinstance(colour, dict) else str(colour)


def _point(node: Mapping[str, Any], default_font: float) -> Point:
    fill, border = _node_colours(node["color"])
    font = node.get("font") or {}
    return Point(
        x=float(node["x"]),
        y=float(node["y"]),
        radius=float(node.get("size", 10.0)),
        fill=fill,
        border=border,
        border_width=float(node.get("borderWidth", 1)),
        shape="square" if node.get("shape") == "square" else "dot",
        label=str(node.get("label", "")),
        label_size=float(font.get("size", default_font)),
        label_colour=str(font.get("color", _LABEL_COLOUR)),
    )


def vis_scene(
    nodes: Sequence[Mapping[str, Any]],
    edges: Sequence[Mapping[str, Any]],
    *,
    selected: str | None = None,
    default_font: float = 14.0,
    outlines: Sequence[Line] = (),
    screen_sized: bool = False,
    fit_on: Sequence[str] = (),
    labelled: int | None = None,
    options: Mapping[str, Any] | None = None,
) -> Scene:
    """A scene of vis-network nodes and edges, as a drawing component is handed them.

    Every node needs ``x`` and ``y``; an edge whose ends are not both among the
    nodes is left out (vis-network does not draw it either). Nodes are drawn in
    their order, ``selected`` last (vis-network draws a clicked node on top).
    ``outlines`` and ``screen_sized`` are the map's (see :class:`Scene`), and so
    are ``fit_on``, the ids of the nodes the picture is fitted to (all when
    empty), and ``labelled``, how many nodes, the first in order, keep their
    label (with the selected one; all when ``None``).
    """
    where = {str(n["id"]): (float(n["x"]), float(n["y"])) for n in nodes}
    lines = tuple(
        Line((where[str(e["from"])], where[str(e["to"])]), float(e.get("width", 1)), _colour(e))
        for e in edges
        if str(e["from"]) in where and str(e["to"]) in where
    )
    ranked = [
        (n, labelled is None or rank < labelled or str(n["id"]) == selected)
        for rank, n in enumerate(nodes)
    ]
    order = sorted(ranked, key=lambda item: str(item[0]["id"]) == selected)
    points = tuple(
        _point(n, default_font) if keep else replace(_point(n, default_font), label="")
        for n, keep in order
    )
    wanted = {str(i) for i in fit_on}
    fit = tuple(i for i, (n, _) in enumerate(order) if str(n["id"]) in wanted)
    low, high = _label_limits(options or VIS_OPTIONS)
    return Scene(points, lines, tuple(outlines), screen_sized, fit, low, high)


def _label_limits(options: Mapping[str, Any]) -> tuple[float, float]:
    """The smallest label vis-network draws (``drawThreshold`` - 1) and the largest, in pixels."""
    scaling = options.get("nodes", {}).get("scaling", {}).get("label", {})
    return float(scaling.get("drawThreshold", 5)) - 1, float(scaling.get("maxVisible", 30))


def payload_picture(
    payload: Mapping[str, Any], *, outlines: Sequence[Line] = ()
) -> tuple[Scene, Legend]:
    """The scene and legend of a drawing component's payload (the network's or the map's).

    ``payload`` has the component's ``nodes``, ``edges``, ``options``,
    ``legend``, ``legendNote``, ``selected`` and, for the map, ``screenSized``
    and ``fitNodes`` (the markers the map opens on). A screen-sized map labels
    its first :data:`MAP_LABELS` markers (the largest) and the selected one, as
    the map does at the zoom it opens on.
    """
    options = payload.get("options") or VIS_OPTIONS
    font = float(options.get("nodes", {}).get("font", {}).get("size", 14))  # vis-network's 14
    scene = vis_scene(
        payload["nodes"],
        payload["edges"],
        selected=payload.get("selected"),
        default_font=font,
        outlines=outlines,
        screen_sized=bool(payload.get("screenSized")),
        fit_on=payload.get("fitNodes") or (),
        labelled=MAP_LABELS if payload.get("screenSized") else None,
        options=options,
    )
    swatches = tuple(
        Swatch(str(i["label"]), str(i["colour"]), _swatch_shape(i.get("shape")))
        for i in payload.get("legend", ())
    )
    return scene, Legend(str(payload.get("legendNote", "")), swatches)


def outline_lines(
    rings: Iterable[Sequence[Sequence[float]]], *, fill: str = "#f1f1ec", colour: str = "#b4b4ad"
) -> tuple[Line, ...]:
    """A map's country rings (each a sequence of (x, y), projected) as filled outlines.

    The colours are the map view's (land ``#f1f1ec``, borders ``#b4b4ad``, one
    screen pixel wide).
    """
    return tuple(
        Line(tuple((float(x), float(y)) for x, y in ring), 1.0, colour, fill) for ring in rings
    )


def network_scene(
    g: nx.Graph,
    positions: Positions,
    *,
    sizes: dict[str, float] | None = None,
    selected: str | None = None,
) -> Scene:
    """The drawing of ``g`` as the dashboard shows it, as a picture's scene.

    Every node of ``g`` needs a position. Nodes are styled by
    :func:`defus_graph.draw.vis.pyvis_network`, as the dashboard's, and drawn in
    its order (sorted by id), after all edges, as vis-network draws them.

    Examples
    --------
    >>> g = nx.Graph()
    >>> g.add_node("org:<b>Łódź</b>", bipartite=1, kind="city", label="<b>Łódź</b>")
    >>> scene = network_scene(g, {"org:<b>Łódź</b>": (0.0, 0.0)})
    >>> [(p.label, p.fill, p.shape) for p in scene.points]
    [('<b>Łódź</b>', '#0072B2', 'dot')]
    """
    missing = [str(n) for n in g if str(n) not in positions]
    if missing:
        raise ValueError(f"{len(missing)} nodes have no position, e.g. {missing[0]!r}")
    net = pyvis_network(g, positions=positions, sizes=sizes, selected=selected)
    return vis_scene(net.nodes, net.edges, selected=selected)


def network_legend(g: nx.Graph) -> Legend:
    """The dashboard's legend for ``g``: its note and one swatch per kind drawn."""
    swatches = tuple(
        Swatch(i["label"], i["colour"], _swatch_shape(i["shape"])) for i in legend_items(g)
    )
    return Legend(legend_note(g), swatches)


#: The most values of one filter a caption names; it counts the others.
LISTED = 12


def _listed(values: Sequence[str]) -> str:
    """Values joined by commas, the first :data:`LISTED` named and the rest counted."""
    if len(values) <= LISTED:
        return ", ".join(values)
    return ", ".join(values[:LISTED]) + f" and {len(values) - LISTED:,} more"


def filters_text(filters: Filters) -> str:
    """The filters in words, as the sidebar sets them (a long choice is cut and counted).

    Examples
    --------
    >>> filters_text(Filters())
    'Filters: none (everything is shown).'
    >>> filters_text(Filters(kinds=("city",), countries=("DE", "FR"), years=(2016, 2019)))
    'Filters: kind of organisation city; country DE, FR; projects running between 2016 and 2019.'
    >>> filters_text(Filters(programmes=tuple(f"P{i}" for i in range(20))))
    'Filters: programme P0, P1, P2, P3, P4, P5, P6, P7, P8, P9, P10, P11 and 8 more.'
    """
    parts = []
    if filters.kinds:
        parts.append("kind of organisation " + _listed(filters.kinds))
    if filters.countries:
        parts.append("country " + _listed(filters.countries))
    if filters.programmes:
        parts.append("programme " + _listed(filters.programmes))
    if filters.years is not None:
        parts.append(f"projects running between {filters.years[0]} and {filters.years[1]}")
    if filters.shared_only:
        parts.append("shared partners only (organisations in two or more projects shown)")
    if not parts:
        return "Filters: none (everything is shown)."
    return "Filters: " + "; ".join(parts) + "."


def picture_title(view: str) -> str:
    """A picture's heading: the tool's subject and the view shown.

    Examples
    --------
    >>> picture_title("orgs")
    'DEFUS partner network: Organisations linked by shared projects'
    """
    return f"DEFUS partner network: {VIEW_NAMES.get(view, view)}"


def files_dated(mtimes_ns: Iterable[int]) -> str:
    """The data's date as a caption gives it: the day (UTC) its files last changed.

    Examples
    --------
    >>> files_dated([1764547200 * 10**9, -1]), files_dated([])
    ('files last changed 2025-12-01', 'date not known')
    """
    known = [t for t in mtimes_ns if t >= 0]
    if not known:
        return "date not known"
    return f"files last changed {datetime.fromtimestamp(max(known) / 1e9, UTC):%Y-%m-%d}"


@dataclass(frozen=True)
class About:
    """What a picture is of, besides its graph: the view, the filters and the data.

    view : one of :data:`~defus_graph.graph.views.VIEWS`; filters : the sidebar's.
    data : the data's name, e.g. "Bundled data" ("" leaves the data unnamed);
    dated : what its date is, e.g. "files last changed 2026-12-01" or "not saved".
    backbone : the backbone's significance level, when only it is shown.
    """

    view: str = "bipartite"
    filters: Filters = field(default_factory=Filters)
    data: str = ""
    dated: str = ""
    backbone: float | None = None


def caption(
    about: About,
    *,
    nodes: int,
    links: int,
    made: str,
    notice: str = "",
    selected: str = "",
    counted: str = "",
) -> list[str]:
    """The caption's paragraphs: the view and its size, the filters, what is left out, the data.

    ``nodes`` and ``links`` count the view the filters keep; ``notice`` says
    what its drawing leaves out (:attr:`~defus_graph.draw.focus.FocusedView.notice`);
    ``selected`` is the name of the node highlighted; ``made`` when the
    picture was made. ``counted`` says what is shown instead of "N nodes, M
    links" (the map's markers).

    Examples
    --------
    >>> about = About("orgs", Filters(countries=("DE",)), "Bundled data", "files of 2026-12-01")
    >>> for line in caption(about, nodes=20, links=31, made="2026-12-03"):
    ...     print(line)
    Organisations linked by shared projects: 20 nodes, 31 links.
    Filters: country DE.
    Data: Bundled data, files of 2026-12-01. Picture made 2026-12-03 with defus-graph.
    """
    counted = counted or f"{nodes:,} nodes, {links:,} links"
    head = f"{VIEW_NAMES.get(about.view, about.view)}: {counted}."
    if about.backbone is not None:
        head += f" Backbone only (significance level {about.backbone:g})."
    if selected:
        linked = "cities" if about.view == "map" else "nodes"
        head += f" Selected: {selected}, highlighted with the {linked} it links to."
    lines = [head, filters_text(about.filters)]
    if notice:
        lines.append(notice)
    data = ", ".join(part for part in (about.data, about.dated) if part)
    made_text = f"Picture made {made} with defus-graph."
    lines.append(f"Data: {data}. {made_text}" if data else made_text)
    return lines


def _swatch_shape(shape: object) -> Literal["dot", "square", "ring"]:
    """A legend item's shape as the picture draws it (anything unknown is a dot)."""
    return "square" if shape == "square" else "ring" if shape == "ring" else "dot"
