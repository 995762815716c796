"""Helpers for driving the dashboard with Streamlit's AppTest."""

from __future__ import annotations

import pandas as pd
from streamlit.testing.v1 import AppTest

from defus_graph.dashboard import state

#: The tab each table is in: a tab's content is computed only while it is open.
TAB_OF = {
    state.SHARED_TABLE: "Shared partners",
    state.ORG_TABLE: "Organisations",
    state.PROJECT_TABLE: "Projects",
}


def frame(at: AppTest, key: str) -> pd.DataFrame:
    """The table ``key``, after opening its tab as a user would."""
    if at.session_state[state.TABLE_TABS] != TAB_OF[key]:
        at.session_state[state.TABLE_TABS] = TAB_OF[key]
        at.run()
        assert not at.exception, [e.value for e in at.exception]
    return next(d.value for d in at.dataframe if d.key == key)  # type: ignore[attr-defined]
