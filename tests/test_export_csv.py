"""Gephi spreadsheet tables: headers, intervals as Gephi reads them, no formula injection."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import networkx as nx

from defus_graph.export import gephi_csv_zip, write_export
from defus_graph.export.gephi_csv import csv_tables
from defus_graph.graph.bipartite import org_id, project_id
from tests.export_graphs import DUSSELDORF, EFUS, FORMULA, GENK, bipartite, views


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
