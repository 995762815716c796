"""GraphML: typed keys, one per attribute and domain, read back by networkx with the same values."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from defus_graph.export import ExportError, graphml_bytes, write_export
from defus_graph.graph.bipartite import org_id, project_id
from defus_graph.model import Dataset, Organisation, Participation, Project
from tests.export_graphs import (
    AQUILA,
    DUSSELDORF,
    EFUS,
    EMOJI,
    XSS,
    bipartite,
    hostile_graphs,
    views,
)

NS = {"gm": "http://graphml.graphdrawing.org/xmlns"}
_STRIP = str.maketrans("", "", "\x01\x1b\x7f")


def _read(data: bytes) -> nx.Graph:
    return nx.read_graphml(io.BytesIO(data))


@pytest.mark.parametrize("view", ["bipartite", "orgs", "projects"])
def test_one_typed_key_per_attribute_and_domain(view: str) -> None:
    doc = etree.fromstring(graphml_bytes(views()[view]))
    keys = [(k.get("for"), k.get("attr.name")) for k in doc.iterfind("gm:key", NS)]
    assert keys and len(keys) == len(set(keys))
    for k in doc.iterfind("gm:key", NS):
        assert k.get("attr.type") in {"boolean", "int", "long", "double", "string"}


def test_round_trip_bipartite() -> None:
    g = bipartite()
    back = _read(graphml_bytes(g))
    assert set(back.nodes) == {n.translate(_STRIP) for n in g}
    assert {frozenset(e) for e in back.edges} == {
        frozenset(n.translate(_STRIP) for n in e) for e in g.edges
    }
    alpha = back.nodes[project_id("ALPHA")]
    assert alpha["funding_eur"] == 630901.0 and isinstance(alpha["funding_eur"], float)
    assert alpha["title"] == "Alpha & <b>Omega</b>"
    assert alpha["description"] == "Line one\nline two"
    assert alpha["stated_start"] == "2017-10" and alpha["stated_end"] == "2019-09"
    assert alpha["source_line"] == 3 and isinstance(alpha["source_line"], int)
    assert alpha["label"] == "ALPHA"
    assert "programme" not in back.nodes[project_id("GAMMA")]
    for name in (DUSSELDORF, AQUILA, EFUS, EMOJI, XSS):
        assert back.nodes[org_id(name)]["label"] == name
    assert back.edges[project_id("ALPHA"), org_id(DUSSELDORF)]["role"] == "coordinator"


def test_projection_weights_and_lists() -> None:
    back = _read(graphml_bytes(views()["orgs"]))
    edge = back.edges[org_id(AQUILA), org_id(DUSSELDORF)]
    assert edge["weight"] == 1.0 and edge["projects"] == "ALPHA"
    assert edge["stated_start"] == "2017-10"
    assert back.nodes[org_id(DUSSELDORF)]["n_projects"] == 2


def test_none_nan_and_carriage_return() -> None:
    g = nx.Graph()
    g.add_node("a", note=None, score=float("nan"), text="one\r\ntwo", flag=True)
    back = _read(graphml_bytes(g))
    assert back.nodes["a"] == {"label": "a", "text": "one\r\ntwo", "flag": True}


def test_empty_graph() -> None:
    assert _read(graphml_bytes(nx.Graph())).number_of_nodes() == 0


@settings(max_examples=40, deadline=None)
@given(
    names=st.lists(
        st.text(alphabet=[*"aäß\"'<>&;= \t\n🙂", "\x00", "\x1f"], min_size=1, max_size=8).map(
            lambda s: "x" + s
        ),
        min_size=1,
        max_size=4,
        unique_by=lambda s: s.replace("\x00", "").replace("\x1f", ""),
    )
)
def test_hostile_names_round_trip(names: list[str]) -> None:
    ds = Dataset(
        projects=(Project("P", title=names[0]),),
        organisations=tuple(Organisation(n, "NGO") for n in names),
        participations=tuple(Participation("P", n, "partner") for n in names),
    )
    from defus_graph.graph.bipartite import graph_from_dataset

    g = graph_from_dataset(ds)
    back = _read(graphml_bytes(g))
    clean = {n: n.replace("\x00", "").replace("\x1f", "") for n in g}
    assert set(back.nodes) == set(clean.values())
    for n in g:
        assert back.nodes[clean[n]]["label"] == clean[n].split(":", 1)[1]
    assert back.nodes["project:P"]["title"] == clean["org:" + names[0]].split(":", 1)[1]


# --- streaming --------------------------------------------------------------------------------


@settings(max_examples=80, deadline=None)
@given(hostile_graphs(), st.integers(1, 4))
def test_streamed_document_is_the_whole_one(g: nx.Graph, size: int) -> None:
    """Written in chunks of a few rows (every boundary crossed) = the document made whole."""
    from defus_graph.export import _chunks
    from defus_graph.export.graphml import write_graphml

    whole = graphml_bytes(g)  # nodes and edges each in one chunk
    etree.fromstring(whole)
    with pytest.MonkeyPatch.context() as mp, tempfile.TemporaryDirectory() as folder:
        mp.setattr(_chunks, "CHUNK_ROWS", size)
        path = write_graphml(g, Path(folder) / "g.graphml")
        assert path.read_bytes() == whole
        assert graphml_bytes(g) == whole


def test_write_export_streams_graphml(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The document is handed to the file as several chunks, not as one bytes object."""
    from defus_graph.export import _chunks

    seen: list[object] = []
    real = _chunks.write_all_atomic

    def spy(files: list[tuple[Path, object]]) -> list[Path]:
        seen.extend(data for _, data in files)
        return real(files)  # type: ignore[arg-type]

    g = views()["orgs"]
    monkeypatch.setattr(_chunks, "write_all_atomic", spy)
    monkeypatch.setattr(_chunks, "CHUNK_ROWS", 3)
    write_export(g, "graphml", tmp_path / "orgs.graphml")
    assert len(seen) == 1 and not isinstance(seen[0], bytes)
    monkeypatch.undo()
    assert (tmp_path / "orgs.graphml").read_bytes() == graphml_bytes(g)


@pytest.mark.parametrize("existing", [True, False])
def test_a_failure_while_chunks_are_made_leaves_no_half_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, existing: bool
) -> None:
    """Chunks already written, then one fails: the old file stays as it was (or no file
    appears), and no temporary file remains."""
    from defus_graph.export import _chunks, graphml

    target = tmp_path / "orgs.graphml"
    if existing:
        target.write_bytes(b"old")
    real = graphml._Writer.edges
    made: list[slice] = []

    def fails_second(self: Any, rows: slice) -> str:
        if made:
            raise ExportError("the graph changed under us")
        made.append(rows)
        return str(real(self, rows))

    monkeypatch.setattr(_chunks, "CHUNK_ROWS", 2)
    monkeypatch.setattr(graphml._Writer, "edges", fails_second)
    with pytest.raises(ExportError, match="changed"):
        write_export(views()["orgs"], "graphml", target)
    assert made == [slice(0, 2)]  # the head, the nodes and a chunk of edges went out first
    assert [p.name for p in tmp_path.iterdir()] == (["orgs.graphml"] if existing else [])
    if existing:
        assert target.read_bytes() == b"old"
