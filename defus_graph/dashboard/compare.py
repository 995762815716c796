"""The Compare tab: two periods chosen by sliders, what changed between them, and its drawing.

The comparison itself is :func:`defus_graph.analysis.compare.compare_periods` on the whole
data (the sidebar's filters do not apply); this module only lays it out. The
drawing reuses the clickable network component with its own styling: organisations
that joined and links gained in green, those that left and links lost in
vermillion (lost links dashed), those in both periods in blue. Names reach the
screen as table cells, canvas labels and plain-text tooltips, never as markup.
"""

from __future__ import annotations

import hashlib
from typing import Any

import networkx as nx
import pandas as pd
import streamlit as st

from ..analysis.compare import Period, PeriodComparison, compare_periods, comparison_graph
from ..draw.focus import DRAW_LIMIT, LINK_LIMIT
from ..draw.layout import Positions, layout_positions
from ..draw.vis import VIS_OPTIONS
from ..graph.bipartite import node_label
from . import state
from .component import network_graph
from .data import Network
from .text import md

__all__ = ["STATUS_COLOURS", "compare_payload", "compare_tab", "period_frame"]

#: Colour of each status of a node or link (Okabe–Ito, readable by colour-blind users).
STATUS_COLOURS: dict[str, str] = {
    "joined": "#009E73",
    "gained": "#009E73",
    "left": "#D55E00",
    "lost": "#D55E00",
    "stayed": "#0072B2",
    "lasting": "#0072B2",
}

_LEGEND = [
    {"label": "joined / link gained", "colour": STATUS_COLOURS["joined"], "shape": "dot"},
    {"label": "left / link lost (dashed)", "colour": STATUS_COLOURS["left"], "shape": "dot"},
    {"label": "in both periods / lasting link", "colour": STATUS_COLOURS["stayed"], "shape": "dot"},
]
_NODE_WORDS = {"joined": "joined", "left": "left", "stayed": "in both periods"}
_LINK_WORDS = {"gained": "link gained", "lost": "link lost", "lasting": "link in both periods"}


def compare_payload(g: nx.Graph, positions: Positions) -> dict[str, Any]:
    """What the network component draws of a comparison.

    ``g`` is a :func:`~defus_graph.analysis.compare.comparison_graph`.
    """
    nodes = []
    for node in sorted(g, key=str):
        status = str(g.nodes[node]["status"])
        label = str(g.nodes[node].get("label", node_label(node)))
        item: dict[str, Any] = {
            "id": node,
            "label": label,
            "title": f"{label}: {_NODE_WORDS[status]}",
            "shape": "dot",
            "size": 12 + 3 * min(g.degree(node), 25) ** 0.5,  # more links, larger; capped
            "color": STATUS_COLOURS[status],
            "font": {"size": 30},
        }
        if node in positions:
            x, y = positions[node]
            item.update(x=float(x), y=float(y), physics=False)
        nodes.append(item)
    edges = []
    for u, v, status in sorted(g.edges(data="status"), key=lambda e: (str(e[0]), str(e[1]))):
        edges.append(
            {
                "from": u,
                "to": v,
                "title": f"{node_label(u)} – {node_label(v)}: {_LINK_WORDS[str(status)]}",
                "color": STATUS_COLOURS[str(status)],
                "dashes": status == "lost",
                "width": 2,
            }
        )
    ids = "\n".join(sorted(str(n) for n in g))
    return {
        "nodes": nodes,
        "edges": edges,
        "options": VIS_OPTIONS,
        "legend": _LEGEND,
        "legendNote": "Organisations of either period; a link is a shared project.",
        "selected": None,
        "signature": hashlib.sha256(ids.encode("utf-8")).hexdigest()[:16],
    }


def period_frame(c: PeriodComparison) -> pd.DataFrame:
    """Projects, organisations, links and funding of each period, one column per period."""
    rows = {
        "Projects": ("projects", len),
        "Organisations": ("organisations", None),
        "Links": ("links", None),
        "Funding, project totals (€)": ("funding_total_eur", None),
        "Funding, partners' shares (€)": ("funding_shares_eur", None),
        "Projects without funding": ("projects_without_funding", None),
    }
    data: dict[str, list[Any]] = {}
    for summary in (c.first, c.second):
        column = []
        for attr, how in rows.values():
            value = getattr(summary, attr)
            column.append(how(value) if how else value)
        data[str(summary.period)] = column
    if str(c.first.period) == str(c.second.period):
        data = {f"{k} (first)": v for k, v in data.items()}  # one key would hide the other
    return pd.DataFrame(data, index=list(rows))


@st.cache_resource(show_spinner="Comparing the periods…", max_entries=8)
def _compared(key: str, first: Period, second: Period, _net: Network) -> PeriodComparison:
    return compare_periods(_net.dataset, first, second)


@st.cache_resource(show_spinner="Laying out the comparison…", max_entries=8)
def _drawing(key: str, first: Period, second: Period, _c: PeriodComparison) -> dict[str, Any]:
    g = comparison_graph(_c)
    return compare_payload(g, layout_positions(g))


def _names(title: str, names: tuple[str, ...], key: str) -> None:
    st.markdown(f"**{title} ({len(names):,})**")
    st.dataframe(pd.DataFrame({"Organisation": list(names)}), key=key, hide_index=True, height=240)


def _links(title: str, pairs: tuple[tuple[str, str], ...], key: str) -> None:
    st.markdown(f"**{title} ({len(pairs):,})**")
    frame = pd.DataFrame({"Organisation": [a for a, _ in pairs], "Partner": [b for _, b in pairs]})
    st.dataframe(frame, key=key, hide_index=True, height=240)


def _period(label: str, key: str, years: tuple[int, int]) -> Period:
    picked: Any = st.slider(label, min_value=years[0], max_value=years[1], key=key)
    return Period(int(picked[0]), int(picked[1]))


def compare_tab(net: Network) -> None:
    """Two period sliders, the changes between them as tables, and their drawing."""
    years = net.years
    if years is None or years[0] == years[1]:
        st.info("The projects' dates span at most one year: there are no two periods to compare.")
        return
    left_col, right_col = st.columns(2)
    with left_col:
        first = _period("First period", state.COMPARE_FIRST, years)
    with right_col:
        second = _period("Second period", state.COMPARE_SECOND, years)
    c = _compared(net.key, first, second, net)
    st.caption(_counting_rule(c))
    st.dataframe(period_frame(c), key=state.COMPARE_SUMMARY)
    _who_and_which_links(c)
    st.markdown("**Largest changes in degree centrality**")
    st.caption(
        "Degree centrality: the share of the period's other organisations an organisation "
        "shares a project with."
    )
    st.dataframe(_centrality_frame(c, first, second), key=state.COMPARE_CENTRALITY, hide_index=True)
    _comparison_drawing(net, first, second, c)


def _counting_rule(c: PeriodComparison) -> str:
    """How projects are counted in a period, and which have no dates (escaped)."""
    text = (
        "A project counts in a period when it runs at some time in it (a project running in "
        "both counts in both, with all its funding). The sidebar's filters do not apply here."
    )
    if c.undated:
        text += (
            f" Projects with no dates are in neither period ({len(c.undated):,}): "
            + ", ".join(md(a) for a in c.undated[:20])
            + (" …" if len(c.undated) > 20 else "")
        )
    return text


def _who_and_which_links(c: PeriodComparison) -> None:
    """Who joined, left and stayed; which links were gained and lost."""
    joined, left, stayed = st.columns(3)
    with joined:
        _names("Joined", c.joined, state.COMPARE_JOINED)
    with left:
        _names("Left", c.left, state.COMPARE_LEFT)
    with stayed:
        _names("In both periods", c.stayed, state.COMPARE_STAYED)
    gained, lost = st.columns(2)
    with gained:
        _links("Links gained", c.links_gained, state.COMPARE_GAINED)
    with lost:
        _links("Links lost", c.links_lost, state.COMPARE_LOST)


def _centrality_frame(c: PeriodComparison, first: Period, second: Period) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Organisation": [x.name for x in c.centrality],
            f"Partners {first}": [x.partners_first for x in c.centrality],
            f"Partners {second}": [x.partners_second for x in c.centrality],
            f"Centrality {first}": [round(x.centrality_first, 3) for x in c.centrality],
            f"Centrality {second}": [round(x.centrality_second, 3) for x in c.centrality],
            "Change": [round(x.change, 3) for x in c.centrality],
        }
    )


def _comparison_drawing(net: Network, first: Period, second: Period, c: PeriodComparison) -> None:
    """Both periods drawn together, or why they are not (too large to draw)."""
    nodes = len(c.joined) + len(c.left) + len(c.stayed)
    links = len(c.links_gained) + len(c.links_lost) + len(c.links_lasting)
    if nodes > DRAW_LIMIT or links > LINK_LIMIT:
        st.info(
            f"The two periods hold {nodes:,} organisations and {links:,} links, more than can "
            f"be drawn ({DRAW_LIMIT:,} and {LINK_LIMIT:,}); the tables above hold them all."
        )
        return
    if nodes:
        network_graph(
            _drawing(net.key, first, second, c), key=state.COMPARE_GRAPH, on_click=_ignore
        )
        st.caption(
            f"{nodes:,} organisations and {links:,} links of either period: "
            f"{len(c.joined):,} joined, {len(c.left):,} left; {len(c.links_gained):,} links "
            f"gained, {len(c.links_lost):,} lost, {len(c.links_lasting):,} lasting."
        )


def _ignore() -> None:
    """A click in the comparison's drawing selects nothing."""
