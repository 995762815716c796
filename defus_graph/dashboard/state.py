"""Session-state keys, their defaults, and the selection, which lives in the URL.

Every key the dashboard stores is a constant here and gets its default in
:func:`init_state`, so no widget invents its own key. The selected node is not
session state: it is ``?org=Name`` or ``?project=ACRONYM`` in the address bar,
so a copied link reproduces the view.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from ..graph import is_project, node_label, org_id, project_id
from ..views import VIEWS
from .search import SearchIndex

__all__ = [
    "COUNTRIES",
    "GRAPH",
    "KINDS",
    "ORG_PARAM",
    "ORG_TABLE",
    "PROGRAMMES",
    "PROJECT_PARAM",
    "PROJECT_TABLE",
    "SEARCH",
    "SHARED_ONLY",
    "SHARED_TABLE",
    "VIEW",
    "YEARS",
    "Selection",
    "init_state",
    "read_selection",
    "select",
]

# Widget keys.
GRAPH = "graph"
SEARCH = "search"
VIEW = "view"
KINDS = "filter_kinds"
COUNTRIES = "filter_countries"
PROGRAMMES = "filter_programmes"
YEARS = "filter_years"
SHARED_ONLY = "filter_shared_only"
SHARED_TABLE = "table_shared"
ORG_TABLE = "table_organisations"
PROJECT_TABLE = "table_projects"

# URL query parameters.
ORG_PARAM = "org"
PROJECT_PARAM = "project"


def init_state(years: tuple[int, int] | None) -> None:
    """Give every stored key its default once per session."""
    defaults: dict[str, object] = {
        SEARCH: "",
        VIEW: VIEWS[0],
        KINDS: [],
        COUNTRIES: [],
        PROGRAMMES: [],
        SHARED_ONLY: False,
    }
    if years is not None:
        defaults[YEARS] = years
    for key, value in defaults.items():
        st.session_state.setdefault(key, value)


@dataclass(frozen=True)
class Selection:
    """The node the URL selects, or why it selects none."""

    node: str | None
    problem: str = ""


def read_selection(index: SearchIndex) -> Selection:
    """The node named by ``?org=`` or ``?project=`` (any alias, accents optional)."""
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
    return Selection(None)


def select(node: str | None) -> None:
    """Make ``node`` the selection (``None`` clears it) by rewriting the URL."""
    for param in (ORG_PARAM, PROJECT_PARAM):
        if param in st.query_params:
            del st.query_params[param]
    if node is None:
        return
    param = PROJECT_PARAM if is_project(node) else ORG_PARAM
    st.query_params[param] = node_label(node)
