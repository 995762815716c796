"""The sidebar: the search box and the filters, and the callbacks that select nodes.

Callbacks run before the script reruns, so the selection they write to the
URL is already the one the graph, the panel and the tables see.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

import streamlit as st

from ..graph.views import VIEW_LABELS, VIEWS, Filters
from ..names.countries import country_label
from . import state
from .component import clicked_node
from .data import Network
from .search import SearchIndex
from .text import md

__all__ = [
    "BACKBONE_LEVELS",
    "VIEW_LABELS",
    "backbone_switch",
    "filter_controls",
    "on_graph_click",
    "on_table_select",
    "reset_filters",
    "search_box",
    "step_years",
]

#: The significance levels the backbone switch offers.
BACKBONE_LEVELS: tuple[float, ...] = (0.01, 0.05, 0.1, 0.2)


def backbone_switch(view: str) -> float | None:
    """In a linked view, the switch to show only its backbone; returns the level, or ``None``."""
    if view == "bipartite":
        return None
    on = st.toggle(
        "Backbone only",
        key=state.BACKBONE,
        help="Keep only the links that are strong for at least one of their two ends: "
        "a larger share of that end's shared projects (or organisations) than its links "
        "would have if spread evenly at random (the disparity filter). Every node stays.",
    )
    if not on:
        return None
    level: Any = st.select_slider(
        "Significance level",
        options=BACKBONE_LEVELS,
        key=state.BACKBONE_LEVEL,
        help="Smaller keeps fewer, stronger links.",
    )
    return float(level)


def _select_and_clear_search(node: str) -> None:
    state.select(node)
    state.clear_search()


def on_graph_click() -> None:
    """Callback of the drawing: the clicked node becomes the selection."""
    node = clicked_node(state.GRAPH)
    if node is not None:
        _select_and_clear_search(node)


def on_table_select(key: str, nodes: Sequence[str]) -> None:
    """Callback of a table: the node of the selected row becomes the selection.

    ``nodes`` are the node ids of the table's rows as they were drawn.
    """
    event: Any = st.session_state.get(key)
    rows = list(event.selection.rows) if event is not None else []
    if rows and 0 <= rows[0] < len(nodes):
        _select_and_clear_search(nodes[rows[0]])


def table_callback(key: str, nodes: Sequence[str]) -> Callable[[], None]:
    """An ``on_select`` callback for the table ``key`` whose rows are ``nodes``."""
    return partial(on_table_select, key, list(nodes))


def _on_search(index: SearchIndex) -> None:
    found = index.find(st.session_state[state.SEARCH])
    if len(found) == 1:
        state.select(found[0])


def search_box(index: SearchIndex) -> None:
    """A box to find any organisation or project; one match selects it, several are offered."""
    text = st.text_input(
        "Find an organisation or project",
        key=state.SEARCH,
        placeholder="e.g. Dusseldorf, LouD, Efus",
        help="Any name, other name or acronym; accents and capitals do not matter.",
        on_change=_on_search,
        args=(index,),
    )
    if not text.strip():
        return
    found = index.find(text)
    if found:
        if len(found) > 1:
            st.caption("Several match; pick one:")
            _pick_buttons(index, found)
        return
    closest = index.closest(text)
    if closest:
        st.caption(f"Nothing is called “{md(text)}”. Did you mean:")
        _pick_buttons(index, closest)
    else:
        st.caption(f"Nothing is called “{md(text)}”, nor anything close.")


def _pick_buttons(index: SearchIndex, nodes: Sequence[str]) -> None:
    """One button per node; pressing it selects the node."""
    for node in nodes:
        st.button(
            md(index.label(node)),
            key=f"pick_{node}",
            on_click=state.select,
            args=(node,),
            width="stretch",
        )


def reset_filters(net: Network, *, rerun: bool = False) -> None:
    """Put every filter back to showing everything.

    ``rerun``: from a button inside a fragment, rerun the whole page, so that the
    sidebar (outside the fragment) shows the filters cleared.
    """
    st.session_state[state.KINDS] = []
    st.session_state[state.COUNTRIES] = []
    st.session_state[state.PROGRAMMES] = []
    st.session_state[state.SHARED_ONLY] = False
    st.session_state[state.MEMBERS_ONLY] = False
    if net.years is not None:
        st.session_state[state.YEARS] = net.years
    if rerun:
        st.rerun()


def step_years(chosen: tuple[int, int], span: tuple[int, int], step: int) -> tuple[int, int]:
    """The year range one step later (``step`` = 1) or earlier (-1), its width kept.

    From the whole span, a step goes to its first year (forward) or its last
    (back), so that pressing "next" repeatedly plays the years one by one. A
    range never leaves the span; at its end it stays where it is.

    Examples
    --------
    >>> step_years((2016, 2021), (2016, 2021), 1), step_years((2016, 2017), (2016, 2021), 1)
    ((2016, 2016), (2017, 2018))
    >>> step_years((2020, 2021), (2016, 2021), 1), step_years((2016, 2021), (2016, 2021), -1)
    ((2020, 2021), (2021, 2021))
    """
    first, last = span
    if chosen == span:
        return (first, first) if step > 0 else (last, last)
    width = chosen[1] - chosen[0]
    start = min(max(chosen[0] + step, first), last - width)
    return start, start + width


def _step(span: tuple[int, int], step: int) -> None:
    chosen = st.session_state.get(state.YEARS, span)
    st.session_state[state.YEARS] = step_years((int(chosen[0]), int(chosen[1])), span, step)


def _year_steps(span: tuple[int, int]) -> None:
    """Buttons that move the year range one year back or on; nodes keep their places."""
    back, forward = st.columns(2)
    back.button(
        "◀ Year before",
        key=state.YEAR_BACK,
        on_click=_step,
        args=(span, -1),
        width="stretch",
        help="Move the range one year earlier (from all years: the last year alone).",
    )
    forward.button(
        "Year after ▶",
        key=state.YEAR_FORWARD,
        on_click=_step,
        args=(span, 1),
        width="stretch",
        help="Move the range one year later (from all years: the first year alone). "
        "Press again to play through the years; nodes keep their places.",
    )


def _keep_known(key: str, options: Sequence[str]) -> None:
    """Drop remembered choices the (possibly reloaded) data no longer offers."""
    chosen = st.session_state.get(key, [])
    st.session_state[key] = [c for c in chosen if c in options]


def filter_controls(net: Network) -> tuple[Filters, str]:
    """The view switch and the filters; returns what they keep and the chosen view."""
    view = st.radio(
        "Show",
        VIEWS,
        key=state.VIEW,
        format_func=VIEW_LABELS.__getitem__,
        help="In the two linked views an edge's width is the number of projects "
        "(or organisations) the pair shares.",
    )
    st.subheader("Filters", anchor=False)
    for key, options in (
        (state.KINDS, net.kinds),
        (state.COUNTRIES, net.countries),
        (state.PROGRAMMES, net.programmes),
    ):
        _keep_known(key, options)
    kinds = st.multiselect("Kind of organisation", net.kinds, key=state.KINDS)
    # Codes stay the values; the labels name the country, so that typing "Germ" or "DE" finds it.
    countries = st.multiselect(
        "Country", net.countries, key=state.COUNTRIES, format_func=country_label
    )
    programmes = st.multiselect("Programme", net.programmes, key=state.PROGRAMMES)
    years: tuple[int, int] | None = None
    if net.years is not None and net.years[0] < net.years[1]:
        picked: Any = st.slider(
            "Projects running between",
            min_value=net.years[0],
            max_value=net.years[1],
            key=state.YEARS,
            help="Projects without dates are hidden as soon as the range is narrowed.",
        )
        if tuple(picked) != net.years:
            years = (int(picked[0]), int(picked[1]))
        _year_steps(net.years)
    shared_only = st.checkbox(
        "Shared partners only",
        key=state.SHARED_ONLY,
        help="Keep only organisations that take part in two or more of the projects shown.",
    )
    members_only = False
    if any(m.organisation for m in net.dataset.members):  # no member list: no checkbox
        members_only = st.checkbox(
            "Members only",
            key=state.MEMBERS_ONLY,
            help="Keep only organisations on the member list (drawn with a ring), and "
            "their projects.",
        )
    st.button("Clear all filters", on_click=reset_filters, args=(net,), key="sidebar_reset")
    filters = Filters(
        kinds=tuple(kinds),
        countries=tuple(countries),
        programmes=tuple(programmes),
        years=years,
        shared_only=shared_only,
        members_only=members_only,
    )
    return filters, str(view)
