"""The clickable network drawing: a Streamlit custom component (v2) around vis-network.

How a click gets back to Python: ``network.js`` registers a vis-network
``click`` handler that calls ``setTriggerValue("clicked", node_id)``. Streamlit
sends that trigger to the server, runs the ``on_clicked_change`` callback given
to :func:`network_graph` *before* the script reruns, and the callback reads the
node id from ``st.session_state[key]["clicked"]``.

vis-network is read from the copy bundled in the installed pyvis package and
inlined into the component's ES module, so the browser fetches nothing from
anywhere else. The drawing's styling (colours, shapes, sizes, tooltips,
highlight) comes from :mod:`defus_graph.draw.vis`, shared with the HTML export.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from functools import cache
from importlib import resources
from typing import Any

import networkx as nx
import streamlit as st

from ..draw.layout import Positions
from ..draw.style import legend_items, legend_note
from ..draw.vis import VIS_OPTIONS, pyvis_network, vis_links, vis_network_assets

__all__ = ["clicked_node", "component_asset", "graph_payload", "network_graph"]

_COMPONENT_NAME = "defus_graph.network"
_HTML = '<div class="dg-root"><div class="dg-canvas"></div><div class="dg-legend"></div></div>'


def component_asset(name: str) -> str:
    """A file shipped beside the component (``network.js``, ``network.css``), as text."""
    return resources.files("defus_graph.dashboard").joinpath(name).read_text(encoding="utf-8")


@cache
def _component() -> Any:
    """Register the component once per process; returns its mounting callable."""
    js = vis_network_assets()[0] + "\n" + component_asset("network.js")
    return st.components.v2.component(
        _COMPONENT_NAME, html=_HTML, css=component_asset("network.css"), js=js
    )


def _plain(items: list[dict[str, Any]]) -> Any:
    """A JSON-ready copy of pyvis option dicts (anything else written as text), made by
    the C encoder: a Python walk took a tenth of a second per click at H2020 scale."""
    return json.loads(json.dumps(items, default=str, ensure_ascii=False))


def graph_payload(
    g: nx.Graph, positions: Positions, *, selected: str | None, sizes: dict[str, float] | None
) -> dict[str, Any]:
    """What the component draws: vis-network nodes and links styled by :mod:`defus_graph.draw.vis`.

    The links come as compact columns (:func:`defus_graph.draw.vis.vis_links`),
    which ``network.js`` turns into the edges the HTML export draws: thousands
    of edge objects made the payload of a click megabytes long. ``signature``
    changes exactly when the set of nodes changes, which is when the drawing
    re-fits its viewport.
    """
    chosen = selected if selected in g else None
    net = pyvis_network(g, positions=positions, sizes=sizes, selected=chosen, edges=False)
    nodes = _plain(net.nodes)
    ids = "\n".join(sorted(str(n) for n in g.nodes))
    return {
        "nodes": nodes,
        "edges": [],
        "links": vis_links(g, [str(n["id"]) for n in nodes], selected=chosen),
        "options": VIS_OPTIONS,
        "legend": legend_items(g),
        "legendNote": legend_note(g),
        "selected": selected if selected in g else None,
        "signature": hashlib.sha256(ids.encode("utf-8")).hexdigest()[:16],
    }


def network_graph(payload: dict[str, Any], *, key: str, on_click: Callable[[], None]) -> None:
    """Mount the drawing; ``on_click`` runs (before the rerun) when a node is clicked."""
    _component()(
        key=key,
        data=payload,
        on_clicked_change=on_click,
    )


def clicked_node(key: str) -> str | None:
    """The node id just clicked in the drawing mounted under ``key``, inside its callback."""
    state = st.session_state.get(key)
    value = state.get("clicked") if isinstance(state, dict) else None
    return str(value) if value else None
