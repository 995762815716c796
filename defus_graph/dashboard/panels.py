"""The side panel (a node's story), the data-error list and the empty state.

Every value from the data is passed through :func:`defus_graph.dashboard.text.md`
or shown in a dataframe, so names and descriptions appear literally.
"""

from __future__ import annotations

from collections.abc import Callable, Container
from pathlib import Path

import pandas as pd
import streamlit as st

from ..analysis.suggest import Suggestion
from ..draw.focus import FIRST_LINKS, LINK_LIMIT, FocusedView
from ..errors import DataError
from ..graph.bipartite import is_project
from ..graph.views import Filters
from .data import Network, View, load_network, suggestion_index
from .map import city_members
from .own_data import problems_frame
from .state import ALL_LINKS, Selection
from .story import OrganisationStory, ProjectStory, organisation_story, project_story, who_to_invite
from .text import md

__all__ = [
    "LISTED",
    "STORY_KEY",
    "all_links",
    "data_errors",
    "empty_state",
    "network_or_stop",
    "story_panel",
    "view_notices",
]

#: Key of the panel's container (CSS class ``st-key-story`` in the page).
STORY_KEY = "story"

#: How many projects or partners a story lists as text (and shared projects on a
#: partner's line). A longer list (a hub of a large network has thousands, which take
#: the browser seconds to lay out as text) shows these first, then every one of them
#: in a table, which draws only the rows in sight.
LISTED = 25


def data_errors(err: DataError, directory: str) -> None:
    """Every problem in the data as a table: file, line, column, value, problem, fix."""
    count = len(err.problems)
    st.error(
        f"The data in {md(directory)} cannot be used: "
        f"{count} problem{'s' if count != 1 else ''} found. "
        "Correct the files and reload this page; nothing else has been loaded."
    )
    st.dataframe(problems_frame(err.problems), hide_index=True, width="stretch")


def network_or_stop(directory: Path) -> Network:
    """The network of ``directory``; if its data is unusable, list the problems and stop."""
    try:
        return load_network(directory)
    except DataError as err:
        data_errors(err, str(directory))
        st.stop()


def empty_state(reset: object) -> None:
    """What the graph area says when the filters keep nothing."""
    st.info(
        "Nothing matches these filters: no project and no organisation is left. "
        "Widen the year range or clear some filters in the sidebar."
    )
    st.button("Clear all filters", on_click=reset, key="empty_reset")  # type: ignore[arg-type]


def all_links() -> bool:
    """Whether the user asked to draw more links (:func:`view_notices`' switch)."""
    return bool(st.session_state.get(ALL_LINKS, False))


def view_notices(shown: View, drawn: FocusedView) -> None:
    """Why the chosen view is not shown, and what part of a large network is drawn; a
    switch to draw more links when some among the nodes shown are left out."""
    if shown.problem:
        st.warning(md(shown.problem))
    if shown.backbone is not None:
        st.info(
            f"Backbone at significance {shown.backbone:g}: kept "
            f"{shown.links:,} of {shown.links_before:,} links; "
            "every node stays.",
            icon=":material/share:",
        )
    if drawn.notice:
        st.info(md(drawn.notice), icon=":material/filter_center_focus:")
    if drawn.links_left_out or all_links():
        # Off by default: each link drawn slows the drawing down, a click most of all.
        st.toggle(
            f"Draw more links (up to {LINK_LIMIT:,}; slower)",
            key=ALL_LINKS,
            help=f"At first the {FIRST_LINKS:,} strongest links among the nodes shown are "
            "drawn. Every link is in the downloads.",
        )


#: What a story leaves for later: its full tables, filled in once the drawing is sent.
Later = list[Callable[[], None]]


def _organisation(s: OrganisationStory, shown: bool, later: Later) -> None:
    st.subheader(md(s.name), anchor=False)
    facts = f"Organisation · kind: {md(s.kind)} · country: {md(s.country)}"
    if s.membership:
        facts += f" · {md(s.membership)}"
    st.markdown(facts)
    if s.aliases:
        st.markdown("Also known as: " + "; ".join(md(a) for a in s.aliases))
    if not shown:
        st.caption("Not drawn in the graph: the current filters or view hide it.")
    st.markdown(f"**Projects ({len(s.projects)})**")
    _listed(
        [
            f"- **{md(p.acronym)}**: {md(p.title) or '(no title)'}  \n"
            f"  {md(p.dates)} · {md(p.programme)} · funding {md(p.funding)} · "
            f"role: {md(p.role)}"
            + (f" · its own contribution: {md(p.contribution)}" if p.contribution else "")
            for p in s.projects[:LISTED]
        ],
        len(s.projects),
        "No projects.",
        later,
        table=lambda: pd.DataFrame(
            [
                (p.acronym, p.title, p.dates, p.programme, p.funding, p.role, p.contribution)
                for p in s.projects
            ],
            columns=["Project", "Title", "Dates", "Programme", "Funding", "Role", "Its own share"],
        ),
    )
    st.markdown(f"**Works with ({len(s.co_partners)})**")
    _listed(
        [
            f"- {md(name)}: {', '.join(md(p) for p in projects[:LISTED])}"
            + (f" and {len(projects) - LISTED:,} more" if len(projects) > LISTED else "")
            for name, projects in s.co_partners[:LISTED]
        ],
        len(s.co_partners),
        "No partners in the data.",
        later,
        cut=any(len(projects) > LISTED for _, projects in s.co_partners[:LISTED]),
        table=lambda: pd.DataFrame(
            [(name, len(projects), ", ".join(projects)) for name, projects in s.co_partners],
            columns=["Organisation", "Shared projects", "Projects"],
        ),
    )


def _listed(
    lines: list[str],
    total: int,
    empty: str,
    later: Later,
    *,
    table: Callable[[], pd.DataFrame],
    cut: bool = False,
) -> None:
    """A list as Markdown ``lines`` (its first :data:`LISTED` items), and when it holds
    more (``total``) or a line was ``cut`` short, every item in full in a ``table``,
    put in its place by ``later`` (a hub's thousands of rows held the drawing up)."""
    st.markdown("\n".join(lines) or empty)
    if total > len(lines) or cut:
        st.caption(
            f"The first {len(lines)} of {total:,} are listed; all {total:,} are in the table."
            if total > len(lines)
            else "Every one of them in full is in the table."
        )
        slot = st.empty()

        def fill() -> None:
            slot.dataframe(table(), hide_index=True, width="stretch", height=300)

        later.append(fill)


def _project(s: ProjectStory, shown: bool, later: Later) -> None:
    st.subheader(md(s.acronym), anchor=False)
    if s.title:
        st.markdown(f"*{md(s.title)}*")
    if not shown:
        st.caption("Not drawn in the graph: the current filters or view hide it.")
    coordinators = ", ".join(md(c) for c in s.coordinators) or "not stated"
    lines = [
        f"- **Coordinator:** {coordinators}",
        f"- **Dates:** {md(s.dates)}",
        f"- **Programme:** {md(s.programme)}",
        f"- **Funding:** {md(s.funding)}",
    ]
    if s.funding_as_written:
        lines.append(f"- **Funding as written in the source:** {md(s.funding_as_written)}")
    st.markdown("\n".join(lines))
    partners = [(n, r) for n, r in s.members if r != "coordinator"]
    st.markdown(f"**Partners ({len(partners)})**")
    _listed(
        [f"- {md(n)} ({md(r)})" for n, r in partners[:LISTED]],
        len(partners),
        "None in the data.",
        later,
        table=lambda: pd.DataFrame(partners, columns=["Organisation", "Role"]),
    )
    if s.description:
        st.markdown("**Description**")
        st.markdown(md(s.description))


def _city(net: Network, label: str, drawn: Container[str], filters: Filters, later: Later) -> None:
    """The story of a city on the map: each of its organisations' own story."""
    found = city_members(net, label)
    if found is None:
        st.warning(f"No city called “{md(label)}” is on the map. Click one on the map instead.")
        return
    orgs = found[1]
    names = ", ".join(md(str(net.graph.nodes[o].get("label", o))) for o in orgs)
    st.caption(f"On the map: {md(label)}, {len(orgs)} organisation{'s' if len(orgs) != 1 else ''}")
    if len(orgs) > 1:
        st.subheader(md(label), anchor=False)
        st.markdown(f"**Organisations here ({len(orgs)})**: {names}")
    for org in orgs:
        _organisation(organisation_story(net.graph, net.dataset, org), org in drawn, later)
    if len(orgs) == 1:
        _invite(who_to_invite(suggestion_index(net), orgs[0], filters), filters)


def _invite(found: list[Suggestion], filters: Filters) -> None:
    st.markdown(f"**Who to invite ({len(found)})**")
    among = []
    if filters.kinds:
        among.append("kind " + ", ".join(md(k) for k in filters.kinds))
    if filters.countries:
        among.append("country " + ", ".join(md(c) for c in filters.countries))
    limited = f" Only {' and '.join(among)}, as chosen in the sidebar." if among else ""
    st.caption(
        "Organisations that have worked with its partners but not with it; a partner "
        "who works with few others counts more than one who works with everyone." + limited
    )
    st.markdown(
        "\n".join(
            f"- **{md(s.name)}** ({md(s.kind)}{', ' + md(s.country) if s.country else ''}): "
            f"{md(s.reason)}"
            for s in found
        )
        or "No one to suggest: no other organisation has worked with its partners"
        + (" among those chosen in the sidebar." if among else ".")
    )


def story_panel(
    net: Network, selection: Selection, drawn: Container[str], filters: Filters | None = None
) -> Callable[[], None]:
    """The story of the selected node, or how to select one; ``drawn`` holds the nodes shown.

    Returns what adds the story's full tables and "Who to invite" (with candidates of
    the kinds and countries ``filters`` keep; a city's story has it already): called
    once the drawing is sent, so that neither the story nor the drawing waits for them.
    """
    box = st.container(key=STORY_KEY)
    chosen = filters or Filters()
    later: Later = []

    def tables() -> None:
        with box:
            for fill in later:
                fill()

    with box:
        if selection.problem:
            st.warning(md(selection.problem) + " Pick a name from the search box instead.")
        if selection.city is not None:
            _city(net, selection.city, drawn, chosen, later)
            return tables
        node = selection.node
        if node is None or node not in net.graph:
            st.markdown(
                "**Click a node** in the graph (or a city on the map), search a name in the "
                "sidebar or pick a row "
                "in a table to see its projects and partners here."
            )
            return _nothing
        if is_project(node):
            _project(project_story(net.graph, net.dataset, node), node in drawn, later)
        else:
            _organisation(organisation_story(net.graph, net.dataset, node), node in drawn, later)

    def tables_and_invite() -> None:
        tables()
        with box:
            _invite(who_to_invite(suggestion_index(net), node, chosen), chosen)

    return tables_and_invite


def _nothing() -> None:
    """Nothing more to add under the story."""
