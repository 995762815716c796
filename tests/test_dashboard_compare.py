"""The backbone switch and the Compare tab, through Streamlit's AppTest."""

from __future__ import annotations

import re
from pathlib import Path

import networkx as nx
from streamlit.testing.v1 import AppTest

from defus_graph.backbone import backbone_graph
from defus_graph.dashboard import state
from defus_graph.graph import organisation_projection

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")


def run() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_backbone_switch_only_in_linked_views_and_says_what_it_kept(graph: nx.Graph) -> None:
    at = run()
    assert not [t for t in at.toggle if t.key == state.BACKBONE]  # bipartite: no switch
    at.radio(key=state.VIEW).set_value("orgs").run()
    at.toggle(key=state.BACKBONE).set_value(True).run()
    assert not at.exception, [e.value for e in at.exception]
    at.select_slider(key=state.BACKBONE_LEVEL).set_value(0.2).run()
    proj = organisation_projection(graph)
    kept = backbone_graph(proj, alpha=0.2).number_of_edges()
    notes = [i.value for i in at.info if "Backbone" in i.value]
    assert notes == [
        f"Backbone at significance 0.2: kept {kept:,} of {proj.number_of_edges():,} links; "
        "every node stays."
    ]
    assert kept < proj.number_of_edges()
    caption = at.caption[0].value
    assert re.search(rf"{proj.number_of_nodes():,} nodes, {kept:,} links", caption)
