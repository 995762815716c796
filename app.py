"""The DEFUS partner-network dashboard. Start it with ``streamlit run app.py``.

The data comes from ``$DEFUS_GRAPH_DATA`` or the bundled ``data/`` folder, plus
any files a user adds in this browser tab (saved to the folder only on request).
This file only lays out the screen; the pieces live in ``defus_graph.dashboard``.
"""

from __future__ import annotations

import streamlit as st

from defus_graph import dashboard as ui
from defus_graph.store.folders import default_data_dir

st.set_page_config(page_title="DEFUS partner network", layout="wide")
st.title("Who works with whom in DEFUS and Efus projects", anchor=False)

# The data: read once per content; unusable data is listed, not loaded.
# This session may show the saved data with files it added and merges it made.
directory = default_data_dir()
saved = ui.network_or_stop(directory)
net = ui.network_in_use(saved)
ui.init_state(net.years)

# Which data is shown; add your own files, merge duplicates, save.
ui.data_banner(directory, saved, net)
ui.upload_panel(saved, net)  # "Add your own data": choose files, see a preview, add them
ui.duplicates_panel(net)  # "Possible duplicates": each merged only when confirmed

# Sidebar: find a name, choose the view and the filters.
with st.sidebar:
    ui.search_box(net.index)
    on_map = ui.map_switch()  # partner cities on a map of Europe instead of the network
    filters, view = ui.filter_controls(net)
    backbone = ui.backbone_switch(view)  # linked views: only the significant links


@st.fragment(key=ui.SELECTION_FRAGMENT)
def network_and_story(
    net: ui.Network, filters: ui.Filters, view: str, backbone: float | None, on_map: bool
) -> None:
    """The graph (or the map) beside the story of the selected node (or city).

    A fragment: a click in the drawing reruns only this part of the page, not the
    sidebar, the banners and the tables, which do not depend on the selection.
    """
    selection = ui.read_selection(net.index)
    # The network is built only when it is shown: the map needs no layout.
    shown = None if on_map else ui.current_view(net, filters, view, backbone=backbone)
    drawn = (
        None
        if shown is None
        else ui.drawn_part(net, filters, shown, selection.node, all_links=ui.all_links())
    )
    graph_column, story_column = st.columns([3, 2], gap="medium")
    # The story first: it shows while the drawing is prepared and sent (a click's waits overlap).
    with story_column:
        on_screen = ui.filtered_graph(net, filters) if shown is None else shown.graph
        finish_story = ui.story_panel(net, selection, on_screen, filters)
    with graph_column:
        if shown is None or drawn is None:
            ui.map_view(net, filters, selection)  # click a city; the unplaced are listed under it
        elif shown.nodes:
            ui.view_notices(shown, drawn)
            ui.network_graph(
                ui.graph_payload(
                    drawn.graph, drawn.positions, selected=selection.node, sizes=shown.sizes
                ),
                key=ui.GRAPH,
                on_click=ui.on_graph_click,
            )
            st.caption(
                f"{ui.VIEW_LABELS[shown.name]}: {shown.nodes:,} nodes, {shown.links:,} links. "
                "Click a node to see its story; scroll to zoom, drag to move."
            )
            st.markdown("**Download what is shown** (filters applied)")
            ui.downloads(
                lambda fmt: ui.export_file(net, filters, view, fmt, backbone=backbone),
                name=f"defus-network-{shown.name}",
                picture=lambda: ui.picture_file(net, filters, shown, drawn, selection.node),
            )
        else:
            ui.empty_state(lambda: ui.reset_filters(net, rerun=True))
    finish_story()  # its full tables and "Who to invite", once the drawing is sent


network_and_story(net, filters, view, backbone, on_map)

# Tables and charts of the projects and organisations shown, each computed when its tab opens.
tab_names = ["Shared partners", "Organisations", "Projects", "Funding by programme", "Timeline"]
tab_names += ["Compare", *(["Members"] if ui.has_members(net) else [])]  # with a member list
tabs = st.tabs(tab_names, key=ui.TABLE_TABS, on_change="rerun")
shared_tab, orgs_tab, projects_tab, funding_tab, timeline_tab, compare_tab = tabs[:6]
with shared_tab:
    if shared_tab.open:
        ui.node_table(
            ui.table_frame(net, filters, "shared"),
            key=ui.SHARED_TABLE,
            empty="No organisation takes part in two projects shown.",
        )
with orgs_tab:
    if orgs_tab.open:
        organisations = ui.table_frame(net, filters, "organisations")
        ui.organisations_caption(organisations)
        ui.node_table(organisations, key=ui.ORG_TABLE, empty="No organisation is shown.")
with projects_tab:
    if projects_tab.open:
        ui.node_table(
            ui.table_frame(net, filters, "projects"),
            key=ui.PROJECT_TABLE,
            empty="No project is shown.",
        )
with funding_tab:
    if funding_tab.open:
        ui.funding_chart(ui.table_frame(net, filters, "funding"))
with timeline_tab:
    if timeline_tab.open:
        ui.timeline_chart(ui.table_frame(net, filters, "timeline"))
with compare_tab:
    if compare_tab.open:
        ui.compare_tab(net)  # two periods: who joined, who left, links gained and lost
if ui.has_members(net):
    with tabs[6]:
        if tabs[6].open:
            ui.members_tab(net, filters)  # members, members without projects, whom to invite
