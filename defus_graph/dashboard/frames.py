"""The dashboard's tables and chart data as pandas frames, built from the core analysis.

No streamlit here: every frame can be checked in a test. Each table keeps the
node id of its rows in ``node`` so a selected row can select the node.
"""

from __future__ import annotations

import networkx as nx
import pandas as pd

from ..analysis.centrality import centralities
from ..analysis.communities import communities
from ..analysis.queries import funding_totals, shared_partners
from ..analysis.records import dates_text
from ..graph.bipartite import organisation_nodes, project_nodes
from ..model import date_bounds
from .story import funding_text

__all__ = [
    "SHARES",
    "TIMELINE_LIMIT",
    "TOTALS",
    "funding_frame",
    "organisations_frame",
    "projects_frame",
    "shared_partners_frame",
    "timeline_frame",
]

#: The two kinds of money the funding chart keeps apart.
TOTALS = "Whole-project totals"
SHARES = "One partner's share"


def shared_partners_frame(g: nx.Graph) -> pd.DataFrame:
    """Organisations in two or more projects of ``g``, most projects first."""
    rows = [
        {
            "node": s.node,
            "Organisation": s.name,
            "Kind": s.kind,
            "Country": s.country,
            "Projects": len(s.projects),
            "Shared projects": ", ".join(s.projects),
        }
        for s in shared_partners(g)
    ]
    return pd.DataFrame(
        rows, columns=["node", "Organisation", "Kind", "Country", "Projects", "Shared projects"]
    )


def organisations_frame(g: nx.Graph) -> pd.DataFrame:
    """Every organisation of ``g`` with its network metrics, most central first.

    ``frame.attrs["estimated"]`` is true when betweenness was estimated from a
    sample of the network (see :func:`defus_graph.analysis.centrality.centralities`).
    """
    central = centralities(g)
    groups = communities(g)
    rows = []
    for node in organisation_nodes(g):
        d = g.nodes[node]
        c = central[node]
        rows.append(
            {
                "node": node,
                "Organisation": str(d.get("label", node)),
                "Kind": str(d.get("kind", "unknown")),
                "Country": str(d.get("country", "")),
                "Projects": g.degree(node),
                "Degree": c.degree,
                "Betweenness": c.betweenness,
                "Eigenvector": c.eigenvector,
                "Community": groups.get(node, 0) + 1,
            }
        )
    columns = [
        "node",
        "Organisation",
        "Kind",
        "Country",
        "Projects",
        "Degree",
        "Betweenness",
        "Eigenvector",
        "Community",
    ]
    frame = pd.DataFrame(rows, columns=columns)
    if not frame.empty:
        frame = frame.sort_values(
            ["Betweenness", "Projects", "Organisation"], ascending=[False, False, True]
        ).reset_index(drop=True)
    # Whether betweenness was estimated from a sample (large networks): the table says so.
    frame.attrs["estimated"] = any(c.estimated for c in central.values())
    return frame


def projects_frame(g: nx.Graph) -> pd.DataFrame:
    """Every project of ``g``: dates, programme, funding (and what that amount is), members."""
    rows = []
    for node in project_nodes(g):
        d = g.nodes[node]
        rows.append(
            {
                "node": node,
                "Project": str(d.get("label", node)),
                "Title": str(d.get("title", "")),
                "Dates": dates_text(str(d.get("start", "")), str(d.get("end", ""))),
                "Programme": str(d.get("programme", "")),
                "Funding": funding_text(
                    d.get("funding_eur"),
                    str(d.get("funding_scope", "")),
                    str(d.get("funding_share_of", "")),
                ),
                "Organisations": g.degree(node),
            }
        )
    columns = ["node", "Project", "Title", "Dates", "Programme", "Funding", "Organisations"]
    return pd.DataFrame(rows, columns=columns)


def funding_frame(g: nx.Graph) -> pd.DataFrame:
    """Funding by programme in long form: one row per programme and kind of amount.

    Whole-project totals and partners' shares are separate rows and must never
    be added together; programmes without any stated amount are left out.
    """
    rows = []
    for t in funding_totals(g, by="programme"):
        if t.projects_with_total:
            rows.append(
                {
                    "Programme": t.key,
                    "Amount": TOTALS,
                    "EUR": t.project_totals_eur,
                    "Projects": ", ".join(t.projects_with_total),
                }
            )
        if t.projects_with_share:
            rows.append(
                {
                    "Programme": t.key,
                    "Amount": SHARES,
                    "EUR": t.partner_shares_eur,
                    "Projects": ", ".join(t.projects_with_share),
                }
            )
    return pd.DataFrame(rows, columns=["Programme", "Amount", "EUR", "Projects"])


#: The most projects the timeline draws: one bar each, readable up to about this many.
TIMELINE_LIMIT = 200


def timeline_frame(g: nx.Graph, *, limit: int = TIMELINE_LIMIT) -> pd.DataFrame:
    """Dated projects with the first and last day their dates cover.

    At most ``limit`` of them: those with the most organisations (then the
    earliest). ``frame.attrs["dated"]`` holds how many projects have dates.
    """
    rows = []
    for node in project_nodes(g):
        d = g.nodes[node]
        start, end = str(d.get("start", "")), str(d.get("end", ""))
        if not start and not end:
            continue
        rows.append(
            {
                "Project": str(d.get("label", node)),
                "From": pd.Timestamp(date_bounds(start or end)[0]),
                "To": pd.Timestamp(date_bounds(end or start)[1]),
                "Dates": dates_text(start, end),
                "Programme": str(d.get("programme", "")) or "not stated",
                "Organisations": g.degree(node),
            }
        )
    columns = ["Project", "From", "To", "Dates", "Programme", "Organisations"]
    frame = pd.DataFrame(rows, columns=columns)
    if len(frame) > limit:
        frame = frame.sort_values(
            ["Organisations", "From", "Project"], ascending=[False, True, True], kind="stable"
        ).head(limit)
        frame = frame.sort_values(["From", "Project"], kind="stable").reset_index(drop=True)
    frame.attrs["dated"] = len(rows)
    return frame
