"""Gephi spreadsheet tables: headers, intervals as Gephi reads them, no formula injection."""

from __future__ import annotations

import csv
import io
import tempfile
import zipfile
from pathlib import Path

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from defus_graph.export import ExportError, gephi_csv_zip, write_export
from defus_graph.export.gephi_csv import csv_tables
from defus_graph.graph.bipartite import org_id, project_id
from tests.export_graphs import DUSSELDORF, EFUS, FORMULA, GENK, bipartite, hostile_graphs, views


def _rows(data: bytes) -> list[dict[str, str]]:
    assert not data.startswith(b"\xef\xbb\xbf")  # no BOM: Gephi would miss the Id column
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))


def _tables(g: nx.Graph) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    nodes, edges = csv_tables(g)
    return _rows(nodes), _rows(edges)


def test_headers() -> None:
    nodes, edges = csv_tables(bipartite())
    node_header = nodes.decode("utf-8").splitlines()[0].split(",")
    edge_header = edges.decode("utf-8").splitlines()[0].split(",")
    assert node_header[:3] == ["Id", "Label", "timeset"]
    assert "kind" in node_header and "funding_eur" in node_header
    assert edge_header[:7] == ["Source", "Target", "Type", "Id", "Label", "Weight", "timeset"]
    assert "role" in edge_header and "source_document" in edge_header
    assert "source" not in edge_header  # would clash with Source


def test_intervals_as_gephi_reads_them() -> None:
    nodes, edges = _tables(bipartite())
    by_id = {r["Id"]: r for r in nodes}
    assert by_id[project_id("ALPHA")]["timeset"] == "<[2017-10-01, 2019-09-30]>"
    assert by_id[project_id("DELTA")]["timeset"] == "<[2018-02-15, 2018-03-31]>"
    assert by_id[project_id("GAMMA")]["timeset"] == ""
    assert by_id[org_id(DUSSELDORF)]["timeset"] == "<[2017-01-01, 2020-12-31]>"
    assert by_id[org_id(GENK)]["timeset"] == ""
    edge = next(
        r for r in edges if (r["Source"], r["Target"]) == (project_id("ALPHA"), org_id(GENK))
    )
    assert edge["timeset"] == "<[2017-10-01, 2019-09-30]>"
    assert edge["Type"] == "Undirected" and edge["Weight"] == "1.0" and edge["Label"] == "partner"


def test_open_bounds_are_infinite() -> None:
    g = nx.Graph()
    g.add_node("project:A", bipartite=0, kind="project", start="2017")
    g.add_node("project:B", bipartite=0, kind="project", end="2019-02")
    by_id = {r["Id"]: r["timeset"] for r in _tables(g)[0]}
    assert by_id == {
        "project:A": "<[2017-01-01, Infinity]>",
        "project:B": "<[-Infinity, 2019-02-28]>",
    }


def test_projection_weights_and_labels() -> None:
    _, edges = _tables(views()["orgs"])
    edge = next(
        r for r in edges if {r["Source"], r["Target"]} == {org_id(DUSSELDORF), org_id(EFUS)}
    )
    assert edge["Weight"] == "1.0" and edge["projects"] == "BETA" and edge["Label"] == "BETA"
    assert edge["timeset"] == "<[2017-01-01, 2020-12-31]>"


def test_formula_injection() -> None:
    g = bipartite()
    g.nodes[org_id(GENK)].update(note="@SUM(1+1)", delta=-3, ratio=-2.5, code="-3")
    nodes, edges = _tables(g)
    by_label = {r["Label"]: r for r in nodes}
    assert FORMULA not in by_label
    assert by_label["'" + FORMULA]["Id"] == org_id(FORMULA)  # ids do not start with "="
    genk = by_label[GENK]
    assert genk["note"] == "'@SUM(1+1)"
    assert genk["code"] == "'-3"  # text column: protected
    assert genk["delta"] == "-3" and genk["ratio"] == "-2.5"  # numeric columns: untouched
    for r in nodes + edges:
        for value in r.values():
            assert not value.startswith(("=", "+", "@"))
            if value.startswith("-"):
                float(value)  # only numbers may start with a minus


def test_zip_holds_both_tables_deterministically() -> None:
    data = gephi_csv_zip(bipartite())
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert sorted(archive.namelist()) == ["edges.csv", "nodes.csv"]
        nodes = _rows(archive.read("nodes.csv"))
    assert len(nodes) == bipartite().number_of_nodes()
    assert gephi_csv_zip(bipartite()) == data


def test_write_paths(tmp_path: Path) -> None:
    g = bipartite()
    written = write_export(g, "csv", tmp_path / "network.zip")
    assert written == [tmp_path / "network.zip"]
    assert zipfile.is_zipfile(written[0])
    written = write_export(g, "csv", tmp_path / "network.csv")
    assert written == [tmp_path / "network.nodes.csv", tmp_path / "network.edges.csv"]
    written = write_export(g, "csv", tmp_path / "plain")
    assert [p.name for p in written] == ["plain.nodes.csv", "plain.edges.csv"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "network.edges.csv",
        "network.nodes.csv",
        "network.zip",
        "plain.edges.csv",
        "plain.nodes.csv",
    ]


def test_empty_graph() -> None:
    nodes, edges = _tables(nx.Graph())
    assert nodes == [] and edges == []


# --- streaming --------------------------------------------------------------------------------


def _whole_zip(nodes: bytes, edges: bytes) -> bytes:
    """Both tables zipped whole, with ``writestr``, as the writer did before it streamed."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in (("nodes.csv", nodes), ("edges.csv", edges)):
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return buffer.getvalue()


@settings(max_examples=60, deadline=None)
@given(hostile_graphs(), st.integers(1, 4))
def test_streamed_tables_are_the_whole_ones(g: nx.Graph, size: int) -> None:
    """Tables made a few rows at a time (every boundary crossed), as files or zipped,
    are the tables made whole, zipped whole."""
    from defus_graph.export import _chunks

    nodes, edges = csv_tables(g)  # each table in one chunk
    zipped = _whole_zip(nodes, edges)
    with pytest.MonkeyPatch.context() as mp, tempfile.TemporaryDirectory() as folder:
        mp.setattr(_chunks, "CHUNK_ROWS", size)
        assert gephi_csv_zip(g) == zipped
        assert csv_tables(g) == (nodes, edges)
        written = write_export(g, "csv", Path(folder) / "g.csv")
        assert [p.read_bytes() for p in written] == [nodes, edges]
        (archive,) = write_export(g, "csv", Path(folder) / "g.zip")
        assert archive.read_bytes() == zipped


def test_a_table_that_needs_zip64_is_zipped_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    """A table large enough for writestr to mark it zip64 is zipped as writestr zips it
    (here "large" is made small by lowering the limit)."""
    g = views()["orgs"]
    nodes, edges = csv_tables(g)
    plain = _whole_zip(nodes, edges)
    monkeypatch.setattr(zipfile, "ZIP64_LIMIT", len(edges) // 2)
    marked = _whole_zip(nodes, edges)
    assert marked != plain  # the limit changes the bytes
    assert gephi_csv_zip(g) == marked


@pytest.mark.parametrize("name", ["orgs.csv", "orgs.zip"])
def test_a_failure_while_tables_are_made_leaves_the_old_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    """Rows already made, then a chunk fails: every file stays as it was, none is added."""
    from defus_graph.export import _chunks, gephi_csv

    before = {n: n.encode() for n in ("orgs.zip", "orgs.nodes.csv", "orgs.edges.csv")}
    for old, data in before.items():
        (tmp_path / old).write_bytes(data)
    real = gephi_csv._edge_columns
    made: list[slice] = []

    def fails_second(edges: object, rows: slice) -> object:
        if made:
            raise ExportError("the graph changed under us")
        made.append(rows)
        return real(edges, rows)  # type: ignore[arg-type]

    monkeypatch.setattr(_chunks, "CHUNK_ROWS", 2)
    monkeypatch.setattr(gephi_csv, "_edge_columns", fails_second)
    with pytest.raises(ExportError, match="changed"):
        write_export(views()["orgs"], "csv", tmp_path / name)
    assert made == [slice(0, 2)]
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


def test_a_failure_writing_the_second_table_leaves_both_as_they_were(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Both tables made, the disk full while the second is written: the pair that was
    there stays whole (never a new edges table beside an old nodes table)."""
    import os

    from defus_graph.export import _files

    before = {n: n.encode() for n in ("orgs.nodes.csv", "orgs.edges.csv")}
    for old, data in before.items():
        (tmp_path / old).write_bytes(data)
    synced: list[int] = []
    real = os.fsync

    def full_on_second(fd: int) -> None:
        if synced:
            raise OSError(28, "No space left on device")
        synced.append(fd)
        real(fd)

    monkeypatch.setattr(_files.os, "fsync", full_on_second)
    with pytest.raises(OSError, match="No space"):
        write_export(views()["orgs"], "csv", tmp_path / "orgs.csv")
    assert synced, "the first table was written"
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before
