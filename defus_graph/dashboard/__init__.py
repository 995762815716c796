"""The Streamlit dashboard: the only part of defus_graph that imports streamlit.

``app.py`` at the repository's root lays out the screen from these pieces:

- :mod:`.data` loads and caches the data, the layouts, the current view and what to draw;
- :mod:`.controls` is the sidebar (search box, view switch, filters);
- :mod:`.component` is the clickable vis-network drawing;
- :mod:`.map` draws partner cities on a map of Europe with the same component;
- :mod:`.panels` tells a selected node's story, lists data errors, says when nothing is left;
- :mod:`.tables` holds the tables, the charts and the downloads;
- :mod:`.picture` makes the PNG the picture download gives;
- :mod:`.compare` is the Compare tab (two periods side by side);
- :mod:`.members` is the Members tab (shown when the data has a member list);
- :mod:`.upload` shows which data is shown and lets a user add files, merge
  duplicates and save, with :mod:`.own_data` doing the work;
- :mod:`.state` names every session-state key and keeps the selection in the URL.

:mod:`.search`, :mod:`.story`, :mod:`.frames`, :mod:`.own_data` and :mod:`.text` are plain Python.
:mod:`.launch` is the server ``defus-graph serve`` starts.

The names below are imported when first used: the server imports this package before it
starts, and reads the data while the rest is imported (see :mod:`.launch`).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..graph.views import Filters
    from .compare import compare_tab
    from .component import graph_payload, network_graph
    from .controls import (
        VIEW_LABELS,
        backbone_switch,
        filter_controls,
        on_graph_click,
        reset_filters,
        search_box,
    )
    from .data import Network, current_view, drawn_part, export_file, filtered_graph, table_frame
    from .map import map_switch, map_view
    from .members import has_members, members_tab
    from .panels import all_links, empty_state, network_or_stop, story_panel, view_notices
    from .picture import picture_file
    from .state import (
        GRAPH,
        ORG_TABLE,
        PROJECT_TABLE,
        SELECTION_FRAGMENT,
        SHARED_TABLE,
        TABLE_TABS,
        init_state,
        read_selection,
    )
    from .tables import downloads, funding_chart, node_table, organisations_caption, timeline_chart
    from .upload import data_banner, duplicates_panel, network_in_use, upload_panel

#: Where each name lives, relative to this package.
_WHERE = {
    "Filters": "..graph.views",
    "GRAPH": ".state",
    "Network": ".data",
    "ORG_TABLE": ".state",
    "PROJECT_TABLE": ".state",
    "SELECTION_FRAGMENT": ".state",
    "SHARED_TABLE": ".state",
    "TABLE_TABS": ".state",
    "VIEW_LABELS": ".controls",
    "all_links": ".panels",
    "backbone_switch": ".controls",
    "compare_tab": ".compare",
    "current_view": ".data",
    "data_banner": ".upload",
    "downloads": ".tables",
    "drawn_part": ".data",
    "duplicates_panel": ".upload",
    "empty_state": ".panels",
    "export_file": ".data",
    "filter_controls": ".controls",
    "filtered_graph": ".data",
    "funding_chart": ".tables",
    "graph_payload": ".component",
    "has_members": ".members",
    "init_state": ".state",
    "map_switch": ".map",
    "map_view": ".map",
    "members_tab": ".members",
    "network_graph": ".component",
    "network_in_use": ".upload",
    "network_or_stop": ".panels",
    "node_table": ".tables",
    "on_graph_click": ".controls",
    "organisations_caption": ".tables",
    "picture_file": ".picture",
    "read_selection": ".state",
    "reset_filters": ".controls",
    "search_box": ".controls",
    "story_panel": ".panels",
    "table_frame": ".data",
    "timeline_chart": ".tables",
    "upload_panel": ".upload",
    "view_notices": ".panels",
}


def __getattr__(name: str) -> Any:
    """``name`` from the module that defines it, imported on first use."""
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(_WHERE[name], __name__), name)
    globals()[name] = value
    return value


__all__ = [
    "GRAPH",
    "ORG_TABLE",
    "PROJECT_TABLE",
    "SELECTION_FRAGMENT",
    "SHARED_TABLE",
    "TABLE_TABS",
    "VIEW_LABELS",
    "Filters",
    "Network",
    "all_links",
    "backbone_switch",
    "compare_tab",
    "current_view",
    "data_banner",
    "downloads",
    "drawn_part",
    "duplicates_panel",
    "empty_state",
    "export_file",
    "filter_controls",
    "filtered_graph",
    "funding_chart",
    "graph_payload",
    "has_members",
    "init_state",
    "map_switch",
    "map_view",
    "members_tab",
    "network_graph",
    "network_in_use",
    "network_or_stop",
    "node_table",
    "on_graph_click",
    "organisations_caption",
    "picture_file",
    "read_selection",
    "reset_filters",
    "search_box",
    "story_panel",
    "table_frame",
    "timeline_chart",
    "upload_panel",
    "view_notices",
]
