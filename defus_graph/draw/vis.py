"""How the network is drawn: pyvis/vis-network styling shared by the dashboard and the HTML export.

One function styles nodes and edges (:func:`pyvis_network`), so the dashboard's
drawing and the standalone page look alike: colour by kind
(:func:`defus_graph.draw.style.kind_colour`), squares for projects and dots for
organisations, size by :func:`defus_graph.draw.style.node_sizes`, fixed positions
with physics off, edge width by weight on projections, and an optional
selected node that is highlighted with its neighbours while the rest dims.

Nothing from the data is ever read as HTML: labels are drawn on the canvas
and tooltips are plain text (vis-network 9 sets a string title as
``innerText``; the standalone page also wraps each one in a text node).

:func:`network_html` renders a page that needs no network: vis-network's
script and style, read from the copy inside the installed pyvis package, are
inlined. pyvis's own template is not used because it always loads Bootstrap
from a CDN and inserts the heading unescaped.
"""

from __future__ import annotations

import html
import json
import math
import re
from functools import cache
from pathlib import Path
from typing import Any

import networkx as nx
from pyvis.edge import Edge
from pyvis.network import Network
from pyvis.node import Node

from ..analysis.records import dates_text
from ..graph.bipartite import ORGANISATION, PROJECT
from .labels import DRAW_THRESHOLD, label_fonts
from .layout import Positions
from .style import MEMBER_RING, MEMBER_RING_WIDTH, kind_colour, node_sizes

__all__ = [
    "DEFAULT_HEIGHT",
    "VIS_OPTIONS",
    "edge_tooltip",
    "network_html",
    "node_tooltip",
    "pyvis_network",
    "vis_links",
    "vis_network_assets",
]

DEFAULT_HEIGHT = "750px"

#: vis-network options of the drawing: positions are fixed, nothing moves on its own.
VIS_OPTIONS: dict[str, Any] = {
    "autoResize": True,
    "physics": {"enabled": False},
    "layout": {"improvedLayout": False, "randomSeed": 7},
    "interaction": {"hover": True, "tooltipDelay": 120, "navigationButtons": False},
    # Fonts are per node (label_fonts); a zoomed-in label stops growing at 16 px.
    "nodes": {
        "font": {"face": "sans-serif"},
        "scaling": {"label": {"drawThreshold": DRAW_THRESHOLD, "maxVisible": 16}},
    },
    "edges": {"smooth": False},
}

_EDGE_COLOUR = "#A0A0A0"
_EDGE_HIGHLIGHT = "#444444"
_DIM_ALPHA = 0.15
_SOURCE_MAP = re.compile(r"^//# sourceMappingURL=.*$", re.MULTILINE)


def _dates(data: dict[str, Any]) -> str:
    return dates_text(str(data.get("start") or ""), str(data.get("end") or ""))


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def node_tooltip(g: nx.Graph, node: str) -> str:
    """The plain-text tooltip of a node: name, kind, country / acronym, title, dates.

    Examples
    --------
    >>> g = nx.Graph()
    >>> g.add_node("org:Genk", bipartite=1, kind="city", label="Genk", country="BE")
    >>> print(node_tooltip(g, "org:Genk"))
    Genk
    city · BE
    """
    data = g.nodes[node]
    name = str(data.get("label", node))
    if data.get("bipartite") == PROJECT:
        lines = [name]
        if data.get("title"):
            lines.append(str(data["title"]))
        lines.append(f"project · {_dates(data)}")
        orgs = data.get("n_organisations")
        if orgs is None and any(g.nodes[o].get("bipartite") == ORGANISATION for o in g[node]):
            orgs = sum(1 for o in g[node] if g.nodes[o].get("bipartite") == ORGANISATION)
        if orgs is not None:
            lines.append(_count(int(orgs), "organisation"))
        return "\n".join(lines)
    kind = str(data.get("kind") or "unknown")
    lines = [
        name,
        " · ".join(
            [
                kind if kind != "unknown" else "kind not known",
                *([str(data["country"])] if data.get("country") else []),
                *(["member"] if data.get("member") else []),
            ]
        ),
    ]
    projects = data.get("n_projects")
    if projects is None and any(g.nodes[p].get("bipartite") == PROJECT for p in g[node]):
        projects = sum(1 for p in g[node] if g.nodes[p].get("bipartite") == PROJECT)
    if projects is not None:
        lines.append(_count(int(projects), "project"))
    return "\n".join(lines)


def edge_tooltip(g: nx.Graph, u: str, v: str) -> str:
    """The plain-text tooltip of an edge: the role, or what the pair shares.

    Examples
    --------
    >>> g = nx.Graph()
    >>> g.add_edge("org:A", "org:B", weight=2, projects=["P1", "P2"])
    >>> edge_tooltip(g, "org:A", "org:B")
    'A – B\\n2 shared projects: P1; P2'
    """
    head = " – ".join(_tooltip_name(g, n) for n in (u, v))
    return head + _tooltip_tail(g.edges[u, v])


def _tooltip_name(g: nx.Graph, node: Any) -> str:
    """How an edge's tooltip names one of its ends."""
    return str(g.nodes[node].get("label", str(node).split(":", 1)[-1]))


def _tooltip_tail(data: dict[str, Any]) -> str:
    """What an edge's tooltip says after the names: what the pair shares, or the role."""
    for attr, word in (("projects", "project"), ("organisations", "organisation")):
        if data.get(attr):
            shared = [str(s) for s in data[attr]]
            return f"\n{_count(len(shared), 'shared ' + word)}: {'; '.join(shared)}"
    if data.get("role"):
        return f"\n{data['role']}"
    return ""


def _rgba(hex_colour: str, alpha: float) -> str:
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


def pyvis_network(
    g: nx.Graph,
    *,
    positions: Positions,
    sizes: dict[str, float] | None = None,
    selected: str | None = None,
    height: str = DEFAULT_HEIGHT,
    edges: bool = True,
) -> Network:
    """A pyvis network of ``g`` styled for drawing; its ``nodes``/``edges`` are vis-network data.

    Parameters
    ----------
    g : the bipartite graph or a projection (possibly filtered).
    positions : node id -> (x, y) in screen coordinates (y down); nodes missing
        from it are left for vis-network to place.
    sizes : node id -> drawn size; default :func:`defus_graph.draw.style.node_sizes`.
    selected : a node id to highlight with its neighbours (everything else is
        dimmed); ``None`` or an id not in ``g`` highlights nothing.
    height : CSS height of the drawing.
    edges : whether to style the edges too; the dashboard sends them as
        :func:`vis_links` instead.

    Examples
    --------
    >>> g = nx.Graph()
    >>> g.add_edge("project:P", "org:<b>x</b>")
    >>> g.nodes["project:P"].update(bipartite=0, kind="project", label="P")
    >>> g.nodes["org:<b>x</b>"].update(bipartite=1, kind="city", label="<b>x</b>")
    >>> net = pyvis_network(g, positions={"project:P": (0, 0), "org:<b>x</b>": (10, 5)})
    >>> [(n["label"], n["shape"]) for n in net.nodes]
    [('<b>x</b>', 'dot'), ('P', 'square')]
    """
    if sizes is None:
        sizes = node_sizes(g)
    labels = {
        str(n): str(d.get("label", str(n).split(":", 1)[-1])) or str(n)
        for n, d in g.nodes(data=True)
    }
    fonts = label_fonts(g, positions, sizes, labels=labels)
    focus: set[str] | None = None
    if selected is not None and selected in g:
        focus = {selected, *g[selected]}
    net = Network(height=height, width="100%", directed=False, cdn_resources="in_line")
    net.toggle_physics(False)
    largest_font = round(max((f["size"] for f in fonts.values()), default=0.0), 1)
    for node in sorted(g.nodes, key=str):
        data = g.nodes[node]
        dimmed = focus is not None and node not in focus
        colour = kind_colour(str(data.get("kind", "")))
        colour = _rgba(colour, _DIM_ALPHA) if dimmed else colour
        options = _node_options(g, node, positions, sizes, fonts[str(node)], dimmed)
        if data.get("member"):
            # "member" rides along on the node for whoever draws it (the dashboard's map).
            ring = _rgba(MEMBER_RING, _DIM_ALPHA) if dimmed else MEMBER_RING
            options.update(borderWidth=MEMBER_RING_WIDTH, member=True)
            options["color"] = {"background": colour, "border": ring}
        if node == selected and focus is not None:
            vadjust = options["font"]["vadjust"]
            options.update(
                borderWidth=4, font={"bold": True, "size": largest_font, "vadjust": vadjust}
            )
            options["color"] = {"background": colour, "border": "#000000"}
        shape = "square" if data.get("bipartite") == PROJECT else "dot"
        _append_node(net, str(node), labels[str(node)], shape, options, colour)
    if not edges:
        return net
    for u, v, data in sorted(g.edges(data=True), key=lambda e: (str(e[0]), str(e[1]))):
        # A graph holds each edge once: append it directly (see _append_node).
        net.edges.append(_edge_options(g, u, v, data.get("weight"), focus, selected))
    return net


def _node_options(
    g: nx.Graph,
    node: Any,
    positions: Positions,
    sizes: dict[str, float],
    font_of_node: dict[str, float],
    dimmed: bool,
) -> dict[str, Any]:
    """A node's tooltip, size, place and label font (bold for projects, grey when dimmed)."""
    options: dict[str, Any] = {
        "title": node_tooltip(g, node),
        "size": sizes.get(str(node), 10.0),
        "borderWidth": 1,
    }
    if str(node) in positions:
        x, y = positions[str(node)]
        options.update(x=float(x), y=float(y), physics=False)
    font: dict[str, Any] = {k: round(v, 1) for k, v in font_of_node.items()}
    if g.nodes[node].get("bipartite") == PROJECT:
        font["bold"] = True
    if dimmed:
        font["color"] = "rgba(0,0,0,0.25)"
    options["font"] = font
    return options


def _edge_options(
    g: nx.Graph, u: Any, v: Any, weight: Any, focus: set[str] | None, selected: str | None
) -> dict[str, Any]:
    """An edge's tooltip, width (growing with the log of its weight) and colour."""
    edge = Edge(
        str(u),
        str(v),
        title=edge_tooltip(g, u, v),
        width=_edge_width(weight),
        color=_edge_colour(u, v, focus, selected),
    )
    return dict(edge.options)


def _edge_width(weight: Any) -> float:
    """An edge's drawn width: 1, growing with the log of its weight."""
    width = (
        1.0 + 2.0 * math.log2(weight) if isinstance(weight, int | float) and weight >= 1 else 1.0
    )
    return round(width, 2)


def _edge_colour(u: Any, v: Any, focus: set[str] | None, selected: str | None) -> str:
    """Grey; dark for the selected node's links, faint for the others when one is selected."""
    if focus is None:
        return _EDGE_COLOUR
    if selected in (u, v):
        return _EDGE_HIGHLIGHT
    return _rgba(_EDGE_COLOUR, _DIM_ALPHA)


def vis_links(g: nx.Graph, order: list[str], *, selected: str | None = None) -> dict[str, Any]:
    """The edges :func:`pyvis_network` styles, as compact columns for the dashboard.

    A vis-network edge object per link made the click payload megabytes of
    repeated keys and names; ``network.js`` builds the same objects from these
    columns. ``order`` is the node ids in the order the nodes are sent; link
    ``k`` joins ``order[from[k]]`` to ``order[to[k]]``, is ``width[k]`` wide,
    coloured ``palette[colour[k]]`` and its tooltip is the two ``names`` (as
    :func:`edge_tooltip` names them, one per node of ``order``) joined by " – ",
    then ``tips[tip[k]]``. Links come in :func:`pyvis_network`'s order.

    Examples
    --------
    >>> g = nx.Graph()
    >>> g.add_edge("project:P", "org:<b>x</b>", role="partner")
    >>> g.nodes["org:<b>x</b>"]["label"] = "<b>x</b>"
    >>> links = vis_links(g, ["org:<b>x</b>", "project:P"])
    >>> links["from"], links["to"], links["names"], links["tips"]
    ([1], [0], ['<b>x</b>', 'P'], ['\\npartner'])
    """
    at = {node: k for k, node in enumerate(order)}
    focus = {selected, *g[selected]} if selected is not None and selected in g else None
    columns: dict[str, list[Any]] = {k: [] for k in ("from", "to", "width", "colour", "tip")}
    palette: dict[str, int] = {}
    tips: dict[str, int] = {}
    for u, v, data in sorted(g.edges(data=True), key=lambda e: (str(e[0]), str(e[1]))):
        columns["from"].append(at[str(u)])
        columns["to"].append(at[str(v)])
        columns["width"].append(_edge_width(data.get("weight")))
        colour = _edge_colour(u, v, focus, selected)
        columns["colour"].append(palette.setdefault(colour, len(palette)))
        columns["tip"].append(tips.setdefault(_tooltip_tail(data), len(tips)))
    names = [_tooltip_name(g, key) for key in _keys_in(g, order)]
    return {**columns, "palette": list(palette), "tips": list(tips), "names": names}


def _keys_in(g: nx.Graph, order: list[str]) -> list[Any]:
    """The nodes of ``g`` whose ids are ``order``, in that order."""
    key_of = {str(n): n for n in g.nodes}
    return [key_of[node] for node in order]


def _append_node(
    net: Network, node: str, label: str, shape: str, options: dict[str, Any], colour: str
) -> None:
    """Add a node to ``net`` as ``Network.add_node`` would, without its duplicate check.

    pyvis looks every new node and edge up in plain lists (``add_node`` and
    ``add_edge`` are linear each, so a drawing of 1,500 nodes and 16,000 links
    took 10 s); a networkx graph holds each node and edge once, so the check
    is not needed.
    """
    made = Node(
        node,
        shape,
        label=label,
        color=options.pop("color", colour),
        font_color=net.font_color,
        **options,
    )
    net.nodes.append(made.options)
    net.node_ids.append(node)
    net.node_map[node] = made.options


@cache
def vis_network_assets() -> tuple[str, str]:
    """vis-network's script and stylesheet, from the copy bundled in the pyvis package.

    Raises ``FileNotFoundError`` naming the folder searched if pyvis ships none.
    """
    import pyvis

    lib = Path(pyvis.__file__).parent / "templates" / "lib"
    found = sorted(
        lib.glob("vis-*/vis-network.min.js"),
        key=lambda p: tuple(int(x) for x in re.findall(r"\d+", p.parent.name)),
    )
    if not found:
        raise FileNotFoundError(f"no vis-network.min.js under {lib}; reinstall pyvis")
    js = _SOURCE_MAP.sub("", found[-1].read_text(encoding="utf-8"))
    css = (found[-1].parent / "vis-network.css").read_text(encoding="utf-8")
    if "</script" in js.lower() or "</style" in css.lower():
        raise ValueError(f"{found[-1].parent} cannot be inlined: it closes its own tag")
    return js, css


def _script_json(value: Any) -> str:
    """JSON that cannot end a ``<script>`` element, whatever the strings hold."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    for raw, escaped in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(raw, escaped)
    return text


_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>{vis_css}</style>
<style>
body {{ margin: 0; font-family: sans-serif; color: #222; }}
h1 {{ font-size: 1.2rem; margin: 0.6rem 1rem; }}
p.note {{ margin: 0 1rem 0.6rem; max-width: 60rem; }}
#network {{ width: 100%; height: {height}; border-top: 1px solid #ddd; }}
div.vis-tooltip {{ white-space: pre-line; max-width: 28rem; }}
</style>
<script>{vis_js}</script>
</head>
<body>
<h1>{title}</h1>
{note}<div id="network"></div>
<script>
(function () {{
  "use strict";
  var data = {data};
  function plain(text) {{
    var box = document.createElement("div");
    box.style.whiteSpace = "pre-line";
    box.textContent = text;
    return box;
  }}
  data.nodes.concat(data.edges).forEach(function (item) {{
    if (typeof item.title === "string") {{ item.title = plain(item.title); }}
  }});
  new vis.Network(
    document.getElementById("network"),
    {{ nodes: new vis.DataSet(data.nodes), edges: new vis.DataSet(data.edges) }},
    data.options
  );
}})();
</script>
</body>
</html>
"""

_CSS_LENGTH = re.compile(r"^\d+(\.\d+)?(px|vh|em|rem|%)$")


def network_html(
    g: nx.Graph,
    *,
    positions: Positions,
    sizes: dict[str, float] | None = None,
    selected: str | None = None,
    title: str = "DEFUS partner network",
    height: str = "90vh",
    note: str = "",
) -> str:
    """A standalone HTML page drawing ``g``, that works offline.

    ``note`` is a paragraph shown under the title (e.g. what a partial drawing
    leaves out). Everything taken from the data reaches the page escaped: the
    title and the note as HTML text, nodes and edges as JSON that cannot close
    the script, tooltips as text nodes.
    """
    if not _CSS_LENGTH.match(height):
        raise ValueError(f"height {height!r} is not a CSS length such as '750px' or '90vh'")
    net = pyvis_network(g, positions=positions, sizes=sizes, selected=selected, height=height)
    vis_js, vis_css = vis_network_assets()
    data = {"nodes": net.nodes, "edges": net.edges, "options": VIS_OPTIONS}
    return _PAGE.format(
        title=html.escape(title),
        note=f'<p class="note">{html.escape(note)}</p>\n' if note else "",
        vis_css=vis_css,
        vis_js=vis_js,
        height=height,
        data=_script_json(data),
    )
