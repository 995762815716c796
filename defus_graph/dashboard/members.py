"""The Members tab: members with their projects, members with none, non-members to invite.

The three lists of :mod:`defus_graph.analysis.membership`, for the projects the filters
keep. The tab is there only when the data has a member list.
"""

from __future__ import annotations

from collections.abc import Iterable

import networkx as nx
import pandas as pd
import streamlit as st

from ..analysis.membership import MemberOverview, overview_of_pairs
from ..graph.bipartite import ORGANISATION, PROJECT, node_label, org_id
from ..graph.views import Filters
from ..model import Dataset, Member
from . import state
from .data import Network, filtered_graph
from .tables import node_table

__all__ = ["has_members", "member_frames", "members_tab"]

#: How many non-members the tab lists.
CANDIDATES = 20


def has_members(net: Network) -> bool:
    """Whether the data shown has a member list (then the Members tab is shown)."""
    return bool(net.dataset.members)


def _listed(ms: Iterable[Member]) -> str:
    return "; ".join(f"{m.name} ({m.source}, line {m.line})" for m in ms)


def _pairs(g: nx.Graph) -> list[tuple[str, str]]:
    sides = g.nodes(data="bipartite")
    out = []
    for u, v in g.edges():
        if sides[u] == ORGANISATION and sides[v] == PROJECT:
            u, v = v, u
        if sides[u] == PROJECT and sides[v] == ORGANISATION:
            out.append((node_label(u), node_label(v)))
    return out


def member_frames(g: nx.Graph, ds: Dataset, *, top: int = CANDIDATES) -> list[pd.DataFrame]:
    """The three lists for the bipartite graph ``g`` (filtered) as tables.

    Tables whose rows are organisations in ``g`` carry their node id in ``node``.
    """
    o: MemberOverview = overview_of_pairs(_pairs(g), ds.members, top=top)
    active = pd.DataFrame(
        {
            "node": [org_id(a.organisation) for a in o.active],
            "Member": [a.organisation for a in o.active],
            "Projects": [len(a.projects) for a in o.active],
            "Which": [", ".join(a.projects) for a in o.active],
            "Listed as": [_listed(a.listed) for a in o.active],
        }
    )
    idle = pd.DataFrame(
        {
            "Member": [i.organisation or i.listed[0].name for i in o.idle],
            "Why": [
                "in no project shown" if i.organisation else "matched no organisation"
                for i in o.idle
            ],
            "Listed as": [_listed(i.listed) for i in o.idle],
        }
    )
    nodes = g.nodes
    candidates = pd.DataFrame(
        {
            "node": [org_id(c.organisation) for c in o.candidates],
            "Organisation": [c.organisation for c in o.candidates],
            "Kind": [str(nodes[org_id(c.organisation)].get("kind", "")) for c in o.candidates],
            "Country": [
                str(nodes[org_id(c.organisation)].get("country", "")) for c in o.candidates
            ],
            "Projects with members": [len(c.projects) for c in o.candidates],
            "Which": [", ".join(c.projects) for c in o.candidates],
            "With members": [", ".join(c.members) for c in o.candidates],
        }
    )
    return [active, idle, candidates]


def members_tab(net: Network, filters: Filters) -> None:
    """The tab: three tables for the projects the filters keep; a row selects its node."""
    active, idle, candidates = member_frames(filtered_graph(net, filters), net.dataset)
    st.caption(
        "For the projects the filters keep. Members are drawn with a ring in the network. "
        "Select a row to select the organisation."
    )
    st.markdown(f"**Members with projects** ({len(active)})")
    node_table(
        active, key=state.MEMBERS_TABLES + "_active", empty="No member is in a project shown."
    )
    st.markdown(f"**Members without projects** ({len(idle)})")
    if idle.empty:
        st.info("Every member is in a project shown.")
    else:
        st.dataframe(idle, key=state.MEMBERS_TABLES + "_idle", hide_index=True, width="stretch")
    st.markdown(f"**Non-members with the most projects with members** (top {CANDIDATES})")
    node_table(
        candidates,
        key=state.MEMBERS_TABLES + "_candidates",
        empty="No organisation outside the member list shares a project shown with a member.",
    )
