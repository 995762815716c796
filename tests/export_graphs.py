"""Tiny graphs for the export tests, built from model objects (no files)."""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path
from typing import Any

import networkx as nx
from hypothesis import strategies as st
from lxml import etree

from defus_graph.graph.bipartite import (
    graph_from_dataset,
    organisation_projection,
    project_projection,
)
from defus_graph.model import Dataset, Organisation, Participation, Project

SCHEMA_PATH = Path(__file__).parent / "data" / "gexf-1.3" / "gexf.rng"

DUSSELDORF = "Düsseldorf"
AQUILA = "L'Aquila"
GENK = "Genk"
EFUS = 'Efus & Co <b>"bold"</b>'
EMOJI = "🙂 Freunde e.V."
CONTROL = "Ctrl\x01Na\x1bme\x7f"
FORMULA = "=cmd|' /C calc'!A0"
XSS = "<img src=x onerror=alert(1)>"


def dataset() -> Dataset:
    """Four projects with whole, partial and missing dates; hostile names."""
    return Dataset(
        projects=(
            Project(
                "ALPHA",
                title="Alpha & <b>Omega</b>",
                description="Line one\nline two",
                start="2017-10",
                end="2019-09",
                programme="Internal Security Fund",
                funding_eur=630901.0,
                funding_scope="total",
                source="page.txt",
                line=3,
            ),
            Project("BETA", title="Beta", start="2017", end="2020", source="page.txt", line=9),
            Project("GAMMA", title="Gamma, undated"),
            Project("DELTA", start="2018-02-15", end="2018-03"),
        ),
        organisations=(
            Organisation(DUSSELDORF, "city", "DE", source="page.txt", line=4),
            Organisation(AQUILA, "city", "IT"),
            Organisation(GENK, "city", "BE"),
            Organisation(EFUS, "NGO", "FR"),
            Organisation(EMOJI, "foundation", "DE"),
            Organisation(CONTROL),
            Organisation(FORMULA, "other"),
            Organisation(XSS, "NGO"),
        ),
        participations=(
            Participation("ALPHA", DUSSELDORF, "coordinator", source="page.txt", line=5),
            Participation("ALPHA", AQUILA, "partner"),
            Participation("ALPHA", GENK, "partner"),
            Participation("BETA", DUSSELDORF, "partner"),
            Participation("BETA", EFUS, "partner"),
            Participation("BETA", FORMULA, "participant"),
            Participation("GAMMA", GENK, "partner"),
            Participation("GAMMA", EMOJI, "partner"),
            Participation("GAMMA", CONTROL, "partner"),
            Participation("DELTA", AQUILA, "partner"),
            Participation("DELTA", EFUS, "partner"),
            Participation("DELTA", XSS, "partner"),
        ),
    )


def bipartite() -> nx.Graph:
    return graph_from_dataset(dataset())


def views() -> dict[str, nx.Graph]:
    g = bipartite()
    return {
        "bipartite": g,
        "orgs": organisation_projection(g),
        "projects": project_projection(g),
    }


@cache
def schema() -> etree.RelaxNG:
    return etree.RelaxNG(etree.parse(str(SCHEMA_PATH)))


def assert_valid_gexf(data: bytes) -> None:
    rng = schema()
    doc = etree.parse(io.BytesIO(data))
    assert rng.validate(doc), str(rng.error_log)


def read_gexf(data: bytes) -> nx.Graph:
    return nx.Graph(nx.read_gexf(io.BytesIO(data)))


# --- small graphs of every kind, for Hypothesis ---------------------------------------------

#: XML's and CSV's specials, what a spreadsheet runs, unicode and a control character.
_SPECIAL = st.text(alphabet=[*"aé<>&\"' ;=,+-@\t\n\r🙂", "\x01"], max_size=5)
_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**40), 2**40),
    st.sampled_from([0.0, -0.0, 1.5, 1e300, float("nan")]),
    _SPECIAL,
    st.lists(_SPECIAL, max_size=3),
)
#: Attribute names, some renamed on the way out (Type, line); drawn in any order.
_NODE_KEYS = ("title", "n", "Type", "line", "score")
_EDGE_KEYS = ("role", "projects", "n")


def _some(draw: st.DrawFn, keys: tuple[str, ...]) -> dict[str, Any]:
    """Some of ``keys`` in any order, each with any value."""
    order = draw(st.permutations(keys))[: draw(st.integers(0, len(keys)))]
    return {key: draw(_VALUES) for key in order}


@st.composite
def hostile_graphs(draw: st.DrawFn) -> nx.Graph:
    """Small graphs with XML specials and unicode in names, labels and values, whose
    nodes and edges give their attributes in several orders."""
    names = draw(
        st.lists(
            st.text(alphabet=[*"ab<&\"'é🙂 \n=,"], min_size=1, max_size=4), max_size=9, unique=True
        )
    )
    g = nx.Graph()
    for name in names:
        g.add_node(f"org:{name}", **_some(draw, _NODE_KEYS))
    nodes = list(g)
    if nodes:
        pairs = st.tuples(st.sampled_from(nodes), st.sampled_from(nodes))
        for a, b in draw(st.lists(pairs, max_size=14)):
            attributes = _some(draw, _EDGE_KEYS)
            if draw(st.booleans()):
                attributes["weight"] = draw(st.sampled_from([1, 2.5, -0.0]))
            if draw(st.booleans()):
                attributes["label"] = draw(_SPECIAL)
            g.add_edge(a, b, **attributes)
    return g
