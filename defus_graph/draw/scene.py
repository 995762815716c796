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

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import networkx as nx

from ..graph.views import VIEW_LABELS, Filters
from .layout import Positions
from .picture import Legend, Line, Point, Scene, Swatch, darker
from .style import legend_items, legend_note
from .vis import VIS_OPTIONS, pyvis_network

__all__ = [
    "About",
    "caption",
    "files_dated",
    "filters_text",
    "network_legend",
    "network_scene",
    "picture_title",
]

#: vis-network's default label colour.
_LABEL_COLOUR = "#343434"


def _node_colours(colour: Any) -> tuple[str, str]:
    """Fill and border of a vis-network node colour (a string, or a dict for the selection)."""
    if isinstance(colour, dict):
        return str(colour["background"]), str(colour["border"])
    text = str(colour)
    return text, darker(text) if text.startswith("#") else text


def _point(node: Mapping[str, Any]) -> Point:
    fill, border = _node_colours(node["color"])
    default = VIS_OPTIONS["nodes"]["font"]["size"]
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
        label_size=float(font.get("size", default)),
        label_colour=str(font.get("color", _LABEL_COLOUR)),
    )


def network_scene(
    g: nx.Graph,
    positions: Positions,
    *,
    sizes: dict[str, float] | None = None,
    selected: str | None = None,
) -> Scene:
    """The drawing of ``g`` as the dashboard shows it, as a picture's scene.

    Every node of ``g`` needs a position. Nodes are drawn in the dashboard's
    order (sorted by id), after all edges, as vis-network draws them.

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
    where = {str(n["id"]): (float(n["x"]), float(n["y"])) for n in net.nodes}
    lines = tuple(
        Line((where[str(e["from"])], where[str(e["to"])]), float(e["width"]), str(e["color"]))
        for e in net.edges
    )
    # vis-network draws a clicked (selected) node over the others.
    order = sorted(net.nodes, key=lambda n: str(n["id"]) == selected)
    return Scene(points=tuple(_point(n) for n in order), lines=lines)


def network_legend(g: nx.Graph) -> Legend:
    """The dashboard's legend for ``g``: its note and one swatch per kind drawn."""
    swatches = tuple(
        Swatch(i["label"], i["colour"], "square" if i["shape"] == "square" else "dot")
        for i in legend_items(g)
    )
    return Legend(legend_note(g), swatches)


def filters_text(filters: Filters) -> str:
    """The filters in words, as the sidebar sets them.

    Examples
    --------
    >>> filters_text(Filters())
    'Filters: none (everything is shown).'
    >>> filters_text(Filters(kinds=("city",), countries=("DE", "FR"), years=(2016, 2019)))
    'Filters: kind of organisation city; country DE, FR; projects running between 2016 and 2019.'
    """
    parts = []
    if filters.kinds:
        parts.append("kind of organisation " + ", ".join(filters.kinds))
    if filters.countries:
        parts.append("country " + ", ".join(filters.countries))
    if filters.programmes:
        parts.append("programme " + ", ".join(filters.programmes))
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
    return f"DEFUS partner network: {VIEW_LABELS.get(view, view)}"


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
    about: About, *, nodes: int, links: int, made: str, notice: str = "", selected: str = ""
) -> list[str]:
    """The caption's paragraphs: the view and its size, the filters, what is left out, the data.

    ``nodes`` and ``links`` count the view the filters keep; ``notice`` says
    what its drawing leaves out (:attr:`~defus_graph.draw.focus.FocusedView.notice`);
    ``selected`` is the name of the node highlighted; ``made`` when the
    picture was made.

    Examples
    --------
    >>> about = About("orgs", Filters(countries=("DE",)), "Bundled data", "files of 2026-12-01")
    >>> for line in caption(about, nodes=20, links=31, made="2026-12-03"):
    ...     print(line)
    Organisations linked by shared projects: 20 nodes, 31 links.
    Filters: country DE.
    Data: Bundled data, files of 2026-12-01. Picture made 2026-12-03 with defus-graph.
    """
    head = f"{VIEW_LABELS.get(about.view, about.view)}: {nodes:,} nodes, {links:,} links."
    if about.backbone is not None:
        head += f" Backbone only (significance level {about.backbone:g})."
    if selected:
        head += f" Selected: {selected}, highlighted with the nodes it links to."
    lines = [head, filters_text(about.filters)]
    if notice:
        lines.append(notice)
    data = ", ".join(part for part in (about.data, about.dated) if part)
    made_text = f"Picture made {made} with defus-graph."
    lines.append(f"Data: {data}. {made_text}" if data else made_text)
    return lines
