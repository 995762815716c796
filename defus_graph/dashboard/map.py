"""The map view: partner cities on Europe's outlines, clickable like the network.

How it is drawn, and why: the map is another layout of the same vis-network
component as the network (``network.js``), registered a second time with the
country outlines prepended to its module as ``DG_OUTLINES`` and painted on its
canvas in vis-network's ``beforeDrawing`` hook, under the markers, in the
drawing's own coordinates. The alternative, ``st.pydeck_chart`` with an
``OrthographicView``, would also stay offline, but it would need a second
click path (its selection event), a second tooltip and highlight style, and a
second browser test harness; this way a click on a city goes through the very
path a click on a node takes (``setTriggerValue`` -> a callback before the
rerun -> the URL), and the map zooms, pans, highlights and shows tooltips as
the network does. Nothing is fetched: vis-network and the outlines are inlined.

What is drawn comes from :func:`defus_graph.draw.geo.map_drawing` of the filtered
bipartite graph, so the filters apply; a click on a city puts ``?city=<name>``
in the URL and the story panel tells the story of its organisations; a search,
a table row or ``?org=`` highlights the marker of the organisation chosen.
Above :data:`~defus_graph.draw.geo.CITY_LIMIT` cities the map shows countries, and
the cities of the country clicked (or of the selection's country).
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from typing import Any

import networkx as nx
import pandas as pd
import streamlit as st

from ..draw.geo import (
    OUTLINE_SOURCE,
    SEVERAL_KINDS,
    MapDrawing,
    MapIndex,
    MapLink,
    Marker,
    outline_rings,
)
from ..draw.style import KIND_COLOURS, MEMBER_RING, MEMBER_RING_WIDTH
from ..export.geojson import geojson_bytes
from ..graph.bipartite import is_project, node_label
from ..graph.views import Filters
from ..names.places import NOT_PLACED, Place, with_coordinates
from ..store.snapshot import kept_places
from . import state
from .component import clicked_node, component_asset
from .data import Network, filtered_graph
from .picture import map_picture_file
from .text import md

__all__ = [
    "city_members",
    "map_geojson",
    "map_payload",
    "map_switch",
    "map_view",
    "on_map_click",
    "unplaced_frame",
]

_COMPONENT_NAME = "defus_graph.map"
_HTML = (
    '<div class="dg-root dg-map"><div class="dg-canvas"></div><div class="dg-legend"></div></div>'
)
_FONT = 14
_EDGE = "#8A8A8A"
_EDGE_HIGHLIGHT = "#333333"
_DIM = 0.15


@cache
def _component() -> Any:
    """Register the map component once per process: the outlines, vis-network, network.js."""
    from ..draw.vis import vis_network_assets

    rings = [ring.ravel().tolist() for ring in outline_rings()]
    js = (
        f"const DG_OUTLINES = {json.dumps(rings, separators=(',', ':'))};\n"
        + vis_network_assets()[0]
        + "\n"
        + component_asset("network.js")
    )
    return st.components.v2.component(
        _COMPONENT_NAME, html=_HTML, css=component_asset("network.css"), js=js
    )


@st.cache_resource(show_spinner="Placing the organisations…", max_entries=4)
def _places(key: str, _net: Network) -> tuple[Place, ...]:
    # A saved folder's places are kept beside its snapshot: placed once per content.
    return tuple(kept_places(_net.folder, _net.content, _net.dataset.organisations))


@st.cache_resource(show_spinner="Placing the organisations…", max_entries=8)
def _index(key: str, filters: Filters, _net: Network) -> MapIndex:
    return MapIndex(filtered_graph(_net, filters), _places(key, _net))


@st.cache_resource(show_spinner=False, max_entries=4)
def _cities(key: str, _net: Network) -> dict[str, tuple[str, tuple[str, ...]]]:
    return _index(key, Filters(), _net).city_labels()


@st.cache_resource(show_spinner="Drawing the map…", max_entries=32)
def _drawing(
    key: str, filters: Filters, expanded: str | None, keep: str | None, _net: Network
) -> MapDrawing:
    return _index(key, filters, _net).drawing(expanded=expanded, selected=keep)


def city_members(net: Network, label: str) -> tuple[str, tuple[str, ...]] | None:
    """The marker id and organisation nodes of the city the map calls ``label``, or None."""
    return _cities(net.key, net).get(label)


def _selected_markers(net: Network, selection: state.Selection) -> tuple[str | None, set[str]]:
    """The organisations the selection stands for on the map, and the country to expand."""
    if selection.city is not None:
        found = city_members(net, selection.city)
        orgs = set(found[1]) if found else set()
    elif selection.node is not None and selection.node in net.graph:
        node = selection.node
        orgs = set(net.graph[node]) if is_project(node) else {node}
    else:
        return None, set()
    nodes = net.graph.nodes
    countries = {str(nodes[o].get("country") or "?") for o in orgs}
    return (countries.pop() if len(countries) == 1 else None), orgs


def _members_in(m: Marker, g: nx.Graph) -> int:
    """How many of the marker's organisations are members of the network (0 without a list)."""
    nodes = g.nodes
    return sum(1 for o in m.organisations if nodes[o].get("member"))


def _marker_tooltip(m: Marker, g: nx.Graph, members: int) -> str:
    nodes = g.nodes
    n = len(m.organisations)
    projects = f"{m.n_projects} project{'s' if m.n_projects != 1 else ''}"
    if members:
        projects += f", {members} member{'s' if members != 1 else ''} of the network"
    if m.level == "country":
        return f"{m.label}: {n:,} organisations placed, {projects}\nClick to show its cities"
    names = [str(nodes[o].get("label", o)) for o in m.organisations]
    shown = "\n".join(names[:12]) + (f"\n… and {n - 12} more" if n > 12 else "")
    return f"{m.label} · {m.country}\n{projects}\n{shown}"


def map_payload(
    drawing: MapDrawing, g: nx.Graph, highlight: set[str], selected: str | None
) -> dict[str, Any]:
    """What the map component draws: vis-network nodes (markers) and edges (links).

    ``highlight`` are marker ids to show with their links while the rest dims
    (empty: nothing dims); ``selected`` is the marker drawn with a thick border.
    """
    # The larger first, so that a small city is drawn over a large neighbour, not under it.
    nodes = [
        _marker_node(m, g, bool(highlight) and m.id not in highlight, m.id == selected)
        for m in sorted(drawing.markers, key=lambda m: -m.size)
    ]
    labels = {m.id: m.label for m in drawing.markers}
    edges = [_link_edge(link, drawing, labels, highlight) for link in drawing.links]
    ids = "\n".join(sorted(labels))
    return {
        "nodes": nodes,
        "edges": edges,
        "options": _OPTIONS,
        "legend": _legend(drawing, g),
        "legendNote": "Markers are cities (squares: whole countries), sized by their projects "
        "and coloured by the kind of their organisations; a link's width grows with the "
        f"projects the two share. {OUTLINE_SOURCE}.",
        "selected": selected,
        "screenSized": True,
        # Opens on Europe; on the cities of a country just clicked.
        "fitNodes": [m.id for m in drawing.markers if m.level == "city"]
        if drawing.expanded
        else drawing.in_box(),
        "signature": hashlib.sha256(ids.encode("utf-8")).hexdigest()[:16],
    }


def _marker_node(m: Marker, g: nx.Graph, dim: bool, selected: bool) -> dict[str, Any]:
    """A marker as a vis-network node: a dot (a city) or a square (a whole country)."""
    colour = _rgba(m.colour, _DIM) if dim else m.colour
    members = _members_in(m, g)
    border, width = _rgba("#333333", _DIM if dim else 0.7), 1
    if members:  # the network's ring for a member, around the city that holds one
        border = _rgba(MEMBER_RING, _DIM) if dim else MEMBER_RING
        width = MEMBER_RING_WIDTH
    if selected:
        border, width = "#000000", 4
    return {
        "id": m.id,
        "label": m.label,
        "title": _marker_tooltip(m, g, members),
        "x": m.x,
        "y": m.y,
        "size": m.size,
        "shape": "square" if m.level == "country" else "dot",
        "physics": False,
        "borderWidth": width,
        "color": {"background": colour, "border": border},
        "font": {"size": _FONT, "color": "rgba(0,0,0,0.25)" if dim else "#222222"},
    }


def _link_edge(
    link: MapLink, drawing: MapDrawing, labels: dict[str, str], highlight: set[str]
) -> dict[str, Any]:
    """A link between two markers as a vis-network edge, its tooltip naming shared projects."""
    touches = link.a in highlight and link.b in highlight
    colour = _EDGE if not highlight else (_EDGE_HIGHLIGHT if touches else _rgba(_EDGE, _DIM))
    projects = [node_label(p) for p in drawing.shared_projects(link.a, link.b, limit=21)]
    return {
        "from": link.a,
        "to": link.b,
        "width": link.width,
        "color": colour,
        "title": f"{labels[link.a]} – {labels[link.b]}\n{link.weight} shared project"
        f"{'s' if link.weight != 1 else ''}: {'; '.join(projects[:20])}"
        + (" …" if link.weight > 20 else ""),
    }


_OPTIONS: dict[str, Any] = {
    "autoResize": True,
    "physics": {"enabled": False},
    "layout": {"improvedLayout": False},
    "interaction": {"hover": True, "tooltipDelay": 120, "navigationButtons": False},
    "nodes": {"font": {"face": "sans-serif", "size": _FONT}},
    "edges": {"smooth": False},
}


def _rgba(hex_colour: str, alpha: float) -> str:
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


def _legend(drawing: MapDrawing, g: nx.Graph) -> list[dict[str, str]]:
    colours = {m.colour for m in drawing.markers if m.level == "city"}
    items = [
        {"label": kind, "colour": colour, "shape": "dot"}
        for kind, colour in KIND_COLOURS.items()
        if colour in colours and kind != "project"
    ]
    if SEVERAL_KINDS in colours:
        items.append({"label": "several kinds", "colour": SEVERAL_KINDS, "shape": "dot"})
    if any(_members_in(m, g) for m in drawing.markers):
        items.append({"label": "member (ring)", "colour": MEMBER_RING, "shape": "ring"})
    return items


def on_map_click() -> None:
    """Callback of the map: a city becomes the selection; a country shows its cities."""
    marker = clicked_node(state.MAP)
    if marker is None:
        return
    if marker.startswith("country:"):
        state.select(None)
        st.session_state[state.MAP_COUNTRY] = marker.split(":", 1)[1]
        return
    label = st.session_state.get(state.MAP_LABELS, {}).get(marker)
    if label is not None:
        state.select_city(label)
        state.clear_search()


def map_switch() -> bool:
    """The sidebar switch between the network and the map; returns whether the map is shown."""
    return bool(
        st.toggle(
            "Show on a map",
            key=state.MAP_ON,
            help="Partner cities on a map of Europe: click a city to see its organisations "
            "and their projects. The filters apply; organisations without a known place "
            "are listed under the map.",
        )
    )


def _drawing_for(
    net: Network, filters: Filters, selection: state.Selection
) -> tuple[MapDrawing, set[str], str | None]:
    country, orgs = _selected_markers(net, selection)
    expanded = country or st.session_state.get(state.MAP_COUNTRY)
    keep = next(iter(sorted(orgs)), None) if len(orgs) == 1 or selection.city else None
    drawing = _drawing(net.key, filters, expanded, keep, net)
    marked = {drawing.marker_of[o] for o in orgs if o in drawing.marker_of}
    selected = (
        next(iter(marked)) if len(marked) == 1 and not is_project(selection.node or "") else None
    )
    return drawing, marked, selected


def map_view(net: Network, filters: Filters, selection: state.Selection) -> None:
    """The map of what the filters keep, with what it leaves out said under it."""
    drawing, marked, selected = _drawing_for(net, filters, selection)
    g = filtered_graph(net, filters)
    st.session_state[state.MAP_LABELS] = {m.id: m.label for m in drawing.markers}
    if drawing.level == "country":
        where = f"; the cities of {md(drawing.expanded)}" if drawing.expanded else ""
        st.info(
            f"{drawing.cities_total:,} cities are too many to draw at once: the map shows "
            f"countries{where}. Click a country's square to see its cities.",
            icon=":material/public:",
        )
    if len(drawing.markers) < drawing.markers_total:
        st.caption(
            f"The {len(drawing.markers):,} markers with most projects of "
            f"{drawing.markers_total:,} are drawn; search a name to show any other."
        )
    if len(drawing.links) < drawing.links_total:
        st.caption(
            f"The {len(drawing.links):,} strongest of {drawing.links_total:,} links are drawn "
            "(and every link of the selection)."
        )
    # The highlight: the selection's markers with the markers they link to.
    highlight = set(marked)
    for link in drawing.links:
        if link.a in marked or link.b in marked:
            highlight.update((link.a, link.b))
    payload = map_payload(drawing, g, highlight, selected)
    _component()(key=state.MAP, data=payload, on_clicked_change=on_map_click)
    if not drawing.markers:
        st.info("No organisation the filters keep has a place on the map.")
    n_orgs = sum(len(m.organisations) for m in drawing.markers)
    st.caption(
        f"Map: {len(drawing.markers):,} markers holding {n_orgs:,} organisations, "
        f"{drawing.links_total:,} links. Click a city to see its story; scroll to zoom, "
        "drag to move."
    )
    st.download_button(
        "Download the map as GeoJSON (QGIS, kepler.gl)",
        data=lambda: map_geojson(net, filters),
        file_name="defus-map.geojson",
        mime="application/geo+json",
        key="download_geojson",
        on_click="ignore",
    )
    st.download_button(
        "Picture of the map (PNG)",
        data=lambda: map_picture_file(net, filters, drawing, payload),
        file_name="defus-map.png",
        mime="image/png",
        key="download_map_png",
        on_click="ignore",
    )
    if drawing.unplaced:
        with st.expander(f"Not on the map: {len(drawing.unplaced):,} organisations, and why"):
            st.dataframe(
                unplaced_frame(drawing.unplaced),
                hide_index=True,
                width="stretch",
            )


def map_geojson(net: Network, filters: Filters) -> bytes:
    """The places and links the filters keep, as ``export --format geojson`` writes them."""
    g = with_coordinates(filtered_graph(net, filters).copy(), _places(net.key, net))
    return geojson_bytes(g)


def unplaced_frame(unplaced: tuple[Place, ...]) -> pd.DataFrame:
    """The organisations the map leaves out, with the reason each has no place."""
    return pd.DataFrame(
        {
            "Organisation": [p.organisation for p in unplaced],
            "Kind": [p.kind or "unknown" for p in unplaced],
            "Country": [p.country for p in unplaced],
            "Why it is not on the map": [p.source.removeprefix(NOT_PLACED) for p in unplaced],
        }
    )
