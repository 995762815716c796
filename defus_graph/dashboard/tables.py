"""The tables, the charts and the downloads below the graph.

Tables show text literally (Streamlit's dataframe draws cells as text); a
selected row selects its node. Charts use altair, which Streamlit ships and
draws without any network access.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st

from .controls import table_callback
from .frames import SHARES, TOTALS

__all__ = [
    "DOWNLOADS",
    "PICTURE",
    "downloads",
    "funding_chart",
    "node_table",
    "organisations_caption",
    "timeline_chart",
]


def node_table(frame: pd.DataFrame, *, key: str, empty: str) -> None:
    """A table whose rows are nodes; selecting a row selects that node.

    ``frame``'s ``node`` column holds each row's node id; the browser gets every other column.
    """
    if frame.empty:
        st.info(empty)
        return
    # The node ids stay here, for the callback: sent along as a hidden column, they were
    # one cell in six more for the browser to take in (H2020's "Shared partners": 14,054
    # rows), which it worked through while a first click after a reload waited.
    st.dataframe(
        frame.drop(columns="node"),
        key=key,
        hide_index=True,
        width="stretch",
        on_select=table_callback(key, frame["node"].tolist()),
        selection_mode="single-row",
    )


def organisations_caption(frame: pd.DataFrame) -> None:
    """What the organisations table's metrics mean, and whether betweenness is an estimate."""
    text = (
        "Degree and betweenness compare an organisation with the busiest one; eigenvector "
        "centrality is high for those linked to well-linked partners. Select a row to select it."
    )
    if frame.attrs.get("estimated"):
        text += (
            " On a network this large, betweenness is estimated from shortest paths out of a "
            "sample of nodes (the same sample every time), so close values may swap places."
        )
    st.caption(text)


def _altair() -> Any:
    """altair, imported when a chart's tab first opens: it takes a quarter of a second
    that the first drawing of the page does not need."""
    import altair

    return altair


def funding_chart(frame: pd.DataFrame) -> None:
    """Funding by programme; whole-project totals and partners' shares as separate bars."""
    if frame.empty:
        st.info("No funding amount is stated for the projects shown.")
        return
    alt = _altair()
    chart = (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            x=alt.X("EUR:Q", title="Euros", axis=alt.Axis(format=",.0f")),
            y=alt.Y("Programme:N", title=None, sort="-x", axis=alt.Axis(labelLimit=260)),
            yOffset=alt.YOffset("Amount:N", sort=[TOTALS, SHARES]),
            color=alt.Color(
                "Amount:N",
                title="Amount",
                sort=[TOTALS, SHARES],
                scale=alt.Scale(domain=[TOTALS, SHARES], range=["#0072B2", "#E69F00"]),
            ),
            tooltip=[
                alt.Tooltip("Programme:N"),
                alt.Tooltip("Amount:N"),
                alt.Tooltip("EUR:Q", format=",.2f"),
                alt.Tooltip("Projects:N"),
            ],
        )
    )
    st.altair_chart(chart, width="stretch")
    st.caption(
        "A whole project's total and one partner's share are different things: "
        "they are shown apart and never added together. Projects without a stated "
        "amount are not counted."
    )


def timeline_chart(frame: pd.DataFrame) -> None:
    """Each dated project as a bar from its first to its last month."""
    if frame.empty:
        st.info("None of the projects shown has dates.")
        return
    alt = _altair()
    chart = (
        alt.Chart(frame)
        .mark_bar(cornerRadius=2)
        .encode(
            x=alt.X("From:T", title=None),
            x2="To:T",
            y=alt.Y("Project:N", title=None, sort=alt.EncodingSortField("From", order="ascending")),
            color=alt.Color("Programme:N"),
            tooltip=["Project:N", "Dates:N", "Programme:N", "Organisations:Q"],
        )
    )
    st.altair_chart(chart, width="stretch")
    note = "A date given only as a year covers the whole year."
    dated = int(frame.attrs.get("dated", len(frame)))
    if dated > len(frame):
        note = (
            f"The {len(frame):,} projects with the most organisations, of {dated:,} with "
            "dates; use the filters (programme, years) to see others. " + note
        )
    st.caption(note)


#: Download formats: (format for export_bytes, button label, file extension, MIME type).
DOWNLOADS: tuple[tuple[str, str, str, str], ...] = (
    ("gexf", "GEXF (Gephi)", "gexf", "application/xml"),
    ("graphml", "GraphML", "graphml", "application/xml"),
    ("csv", "CSV tables (zip)", "zip", "application/zip"),
    ("html", "Web page (HTML)", "html", "text/html"),
)

#: The picture's button: (label, file extension, MIME type).
PICTURE: tuple[str, str, str] = ("Picture (PNG)", "png", "image/png")


def downloads(
    file_bytes: Callable[[str], bytes],
    *,
    name: str,
    picture: Callable[[], bytes] | None = None,
) -> None:
    """Buttons to download the graph on screen, filters applied, in every format.

    ``file_bytes(fmt)`` gives the file's content for a format of :data:`DOWNLOADS`;
    ``picture()`` the PNG of the drawing (a last button, when given). Each runs
    only when its button is clicked (a large network's files take seconds).
    """
    buttons: list[tuple[str, Callable[[], bytes], str, str, str]] = [
        (fmt, functools.partial(file_bytes, fmt), label, ext, mime)
        for fmt, label, ext, mime in DOWNLOADS
    ]
    if picture is not None:
        buttons.append(("png", picture, *PICTURE))
    # A row that wraps, each button as wide as its label: equal columns cut labels short.
    with st.container(horizontal=True, wrap=True, key="downloads"):
        for fmt, data, label, ext, mime in buttons:
            st.download_button(
                label,
                data=data,
                file_name=f"{name}.{ext}",
                mime=mime,
                key=f"download_{fmt}",
                on_click="ignore",
                width="content",
            )
