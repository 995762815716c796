"""Session-state keys, their defaults, and the selection, which lives in the URL.

Every key the dashboard stores is a constant here and gets its default in
:func:`init_state`, so no widget invents its own key. The selected node is not
session state: it is ``?org=Name`` or ``?project=ACRONYM`` in the address bar,
so a copied link reproduces the view.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from ..graph.bipartite import is_project, node_label, org_id, project_id
from ..graph.views import VIEWS
from .search import SearchIndex

__all__ = [
    "ALL_LINKS",
    "BACKBONE",
    "BACKBONE_LEVEL",
    "CITY_PARAM",
    "COMPARE_CENTRALITY",
    "COMPARE_FIRST",
    "COMPARE_GAINED",
    "COMPARE_GRAPH",
    "COMPARE_JOINED",
    "COMPARE_LEFT",
    "COMPARE_LOST",
    "COMPARE_SECOND",
    "COMPARE_STAYED",
    "COMPARE_SUMMARY",
    "COUNTRIES",
    "DUPLICATES_PANEL",
    "ENCODING",
    "GRAPH",
    "KINDS",
    "MAP",
    "MAP_COUNTRY",
    "MAP_LABELS",
    "MAP_ON",
    "MEMBERS_ONLY",
    "MEMBERS_TABLES",
    "MERGE_KEEP",
    "MERGE_PENDING",
    "NOTICE",
    "ORG_PARAM",
    "ORG_TABLE",
    "PREVIEW",
    "PROGRAMMES",
    "PROJECT_PARAM",
    "PROJECT_TABLE",
    "SAVE_CONFIRM",
    "SAVE_PENDING",
    "SEARCH",
    "SELECTION_FRAGMENT",
    "SESSION_DATA",
    "SHARED_ONLY",
    "SHARED_TABLE",
    "TABLE_TABS",
    "UPLOAD_PANEL",
    "UPLOAD_ROUND",
    "VIEW",
    "YEARS",
    "YEARS_SPAN",
    "YEAR_BACK",
    "YEAR_FORWARD",
    "Selection",
    "clear_search",
    "init_state",
    "read_selection",
    "select",
    "select_city",
    "uploader_key",
]

# The part of the page a click in the drawing or on the map reruns (app.py's fragment).
SELECTION_FRAGMENT = "selection"

# Widget keys.
GRAPH = "graph"
MAP = "map"  # the map's drawing (dashboard/map.py)
MAP_ON = "map_on"  # the sidebar switch between the network and the map
MAP_COUNTRY = "map_country"  # on a map of countries, the one whose cities are shown
MAP_LABELS = "map_labels"  # marker id -> label on the map last drawn, for its click callback
SEARCH = "search"
VIEW = "view"
KINDS = "filter_kinds"
COUNTRIES = "filter_countries"
PROGRAMMES = "filter_programmes"
YEARS = "filter_years"
YEAR_BACK = "filter_year_back"
YEAR_FORWARD = "filter_year_forward"
SHARED_ONLY = "filter_shared_only"
MEMBERS_ONLY = "filter_members_only"
MEMBERS_TABLES = "members_table"
BACKBONE = "view_backbone"
ALL_LINKS = "view_all_links"  # draw up to LINK_LIMIT links, not only the FIRST_LINKS strongest
BACKBONE_LEVEL = "view_backbone_level"
COMPARE_FIRST = "compare_first"
COMPARE_SECOND = "compare_second"
COMPARE_SUMMARY = "compare_summary"
COMPARE_JOINED = "compare_joined"
COMPARE_LEFT = "compare_left"
COMPARE_STAYED = "compare_stayed"
COMPARE_GAINED = "compare_gained"
COMPARE_LOST = "compare_lost"
COMPARE_CENTRALITY = "compare_centrality"
COMPARE_GRAPH = "compare_graph"
TABLE_TABS = "table_tabs"
SHARED_TABLE = "table_shared"
ORG_TABLE = "table_organisations"
PROJECT_TABLE = "table_projects"
UPLOAD_PANEL = "panel_upload"
DUPLICATES_PANEL = "panel_duplicates"
ENCODING = "upload_encoding"
MERGE_KEEP = "merge_keep"
SAVE_CONFIRM = "save_confirm"

# Your own data (see own_data.py): what this session shows instead of the saved folder.
SESSION_DATA = "session_data"  # own_data.SessionData, or None for the saved folder
PREVIEW = "upload_preview"  # own_data.Preview of the files chosen, not applied yet
UPLOAD_ROUND = "upload_round"  # part of the uploader's key: a new round empties it
MERGE_PENDING = "merge_pending"  # the pair of names whose merge awaits confirmation
SAVE_PENDING = "save_pending"  # True while the save awaits confirmation
NOTICE = "notice"  # (kind, text) to show once: "success" or "error"
YEARS_SPAN = "years_span"  # the data's year span the slider was last set for

# URL query parameters.
ORG_PARAM = "org"
PROJECT_PARAM = "project"
CITY_PARAM = "city"


def init_state(years: tuple[int, int] | None) -> None:
    """Give every stored key its default once per session.

    The year range follows the data: when the data shown spans other years
    (files added, or back to the saved data), the slider shows all of them again.
    """
    defaults: dict[str, object] = {
        SEARCH: "",
        VIEW: VIEWS[0],
        KINDS: [],
        COUNTRIES: [],
        PROGRAMMES: [],
        SHARED_ONLY: False,
        MEMBERS_ONLY: False,
        BACKBONE: False,
        ALL_LINKS: False,
        BACKBONE_LEVEL: 0.05,
        SESSION_DATA: None,
        PREVIEW: None,
        UPLOAD_ROUND: 0,
        MERGE_PENDING: None,
        SAVE_PENDING: False,
        NOTICE: None,
        # A link to a city opens the map.
        MAP_ON: CITY_PARAM in st.query_params,
        MAP_COUNTRY: None,
        MAP_LABELS: {},
    }
    halves = _halves(years)
    if years is not None:
        defaults[YEARS] = years
        defaults[COMPARE_FIRST], defaults[COMPARE_SECOND] = halves
    for key, value in defaults.items():
        st.session_state.setdefault(key, value)
    if st.session_state.get(YEARS_SPAN, years) != years and years is not None:
        st.session_state[YEARS] = years
        st.session_state[COMPARE_FIRST], st.session_state[COMPARE_SECOND] = halves
    st.session_state[YEARS_SPAN] = years


def _halves(years: tuple[int, int] | None) -> tuple[tuple[int, int], tuple[int, int]]:
    """The Compare tab's first periods: the data's years split in two (the earlier half first)."""
    if years is None:
        return (0, 0), (0, 0)
    first, last = years
    middle = (first + last) // 2
    return (first, middle), (min(middle + 1, last), last)


def uploader_key() -> str:
    """The key of the file uploader this round (a new round shows it empty)."""
    return f"upload_files_{st.session_state.get(UPLOAD_ROUND, 0)}"


@dataclass(frozen=True)
class Selection:
    """The node the URL selects, or why it selects none.

    ``city`` is the label of a city on the map (``?city=``), checked by the map,
    which knows its cities; ``node`` is then None.
    """

    node: str | None
    problem: str = ""
    city: str | None = None


def read_selection(index: SearchIndex) -> Selection:
    """The node named by ``?org=`` or ``?project=`` (any alias, accents optional), or ``?city=``."""
    org = st.query_params.get(ORG_PARAM)
    if org:
        name = index.organisation(org)
        if name is not None:
            return Selection(org_id(name))
        return Selection(None, f'No organisation named "{org}" in the data.')
    project = st.query_params.get(PROJECT_PARAM)
    if project:
        acronym = index.project(project)
        if acronym is not None:
            return Selection(project_id(acronym))
        return Selection(None, f'No project named "{project}" in the data.')
    city = st.query_params.get(CITY_PARAM)
    if city:
        return Selection(None, city=city)
    return Selection(None)


def select(node: str | None) -> None:
    """Make ``node`` the selection (``None`` clears it) by rewriting the URL."""
    for param in (ORG_PARAM, PROJECT_PARAM, CITY_PARAM):
        if param in st.query_params:
            del st.query_params[param]
    if node is None:
        return
    param = PROJECT_PARAM if is_project(node) else ORG_PARAM
    st.query_params[param] = node_label(node)


def clear_search() -> None:
    """Empty the search box, from a callback; ends the callback when the box held text.

    The box is in the sidebar, outside the fragment a click reruns, so it shows
    its new value only after a rerun of the whole page: asked for here, and only
    then, so that a click with an empty box reruns just the fragment.
    """
    if st.session_state.get(SEARCH):
        st.session_state[SEARCH] = ""
        st.rerun()


def select_city(label: str) -> None:
    """Make the city ``label`` (as the map names it) the selection, in the URL."""
    select(None)
    st.query_params[CITY_PARAM] = label
