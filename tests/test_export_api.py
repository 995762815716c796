"""The export package's public functions: formats, bytes, atomic files, no stray imports."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import networkx as nx
import pytest

from defus_graph.export import (
    FORMATS,
    ExportError,
    export_bytes,
    gephi_csv_zip,
    gexf_bytes,
    graphml_bytes,
    html_bytes,
    write_export,
)
from defus_graph.export._files import write_atomic
from tests.export_graphs import bipartite


def test_formats() -> None:
    assert FORMATS == ("gexf", "graphml", "csv", "html")


@pytest.mark.parametrize("fmt", FORMATS)
def test_export_bytes_matches_the_writer(fmt: str) -> None:
    g = bipartite()
    expected = {
        "gexf": gexf_bytes,
        "graphml": graphml_bytes,
        "csv": gephi_csv_zip,
        "html": html_bytes,
    }[fmt](g)
    assert export_bytes(g, fmt) == expected


def test_positions_are_passed_on() -> None:
    g = bipartite()
    positions = {n: (1.5, 2.5) for n in g}
    assert b'<viz:position x="1.5" y="-2.5"' in export_bytes(g, "gexf", positions=positions)
    assert b'"x": 1.5' in export_bytes(g, "html", positions=positions)


def test_unknown_format() -> None:
    with pytest.raises(ValueError, match="choose one of gexf, graphml, csv, html"):
        export_bytes(nx.Graph(), "pdf")
    with pytest.raises(ValueError, match="unknown export format"):
        write_export(nx.Graph(), "xlsx", Path("x.xlsx"))


@pytest.mark.parametrize("fmt", ["gexf", "graphml", "html"])
def test_write_export_replaces_atomically(tmp_path: Path, fmt: str) -> None:
    target = tmp_path / f"network.{fmt}"
    target.write_bytes(b"old")
    written = write_export(bipartite(), fmt, target)
    assert written == [target]
    assert target.read_bytes() == export_bytes(bipartite(), fmt)
    assert [p.name for p in tmp_path.iterdir()] == [target.name]  # no temporary file left
    assert target.stat().st_mode & 0o777 != 0o600 or os.name != "posix"


def test_failed_write_keeps_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "network.gexf"
    target.write_bytes(b"old")

    def boom(src: object, dst: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError, match="disk full"):
        write_export(bipartite(), "gexf", target)
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["network.gexf"]


def test_chunks_are_written_in_order(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    assert write_atomic(target, (bytes([65 + i]) * 3 for i in range(4))) == target
    assert target.read_bytes() == b"AAABBBCCCDDD"


def test_a_failing_chunk_leaves_the_old_file(tmp_path: Path) -> None:
    """Half a document is never seen: not at the path, not as a stray temporary file."""
    target = tmp_path / "network.gexf"
    target.write_bytes(b"old")

    def chunks() -> Iterator[bytes]:
        yield b"<gexf>" * 1000
        raise ExportError("the graph changed under us")

    with pytest.raises(ExportError, match="changed"):
        write_atomic(target, chunks())
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["network.gexf"]


def test_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="does not exist"):
        write_export(bipartite(), "gexf", tmp_path / "nowhere" / "network.gexf")


def test_colliding_ids_are_refused() -> None:
    g = nx.Graph()
    g.add_nodes_from(["org:A\x01", "org:A"])
    with pytest.raises(ExportError, match="same id"):
        gexf_bytes(g)


def test_writers_need_neither_lxml_nor_streamlit() -> None:
    code = (
        "import sys; sys.modules['lxml'] = None; sys.modules['streamlit'] = None\n"
        "import networkx as nx\n"
        "from defus_graph.export import export_bytes, FORMATS\n"
        "g = nx.path_graph(['org:a', 'project:b'])\n"
        "print([len(export_bytes(g, f)) > 0 for f in FORMATS])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[True, True, True, True]"


def test_gexf_is_utf8() -> None:
    data = gexf_bytes(bipartite())
    assert "Düsseldorf" in data.decode("utf-8")
    assert io.BytesIO(data).read(5) == b"<?xml"


@pytest.mark.parametrize("view", ["bipartite", "orgs", "projects"])
def test_real_data_in_every_format(view: str) -> None:
    data_dir = Path(__file__).parent.parent / "data"
    if not (data_dir / "projects.csv").exists():
        pytest.skip("no data/projects.csv")
    import csv
    import zipfile

    from defus_graph.draw.layout import layout_positions
    from defus_graph.graph.bipartite import graph_from_dataset
    from defus_graph.graph.views import view_graph
    from defus_graph.store.tables import load_dataset
    from tests.export_graphs import assert_valid_gexf

    g = graph_from_dataset(load_dataset(data_dir))
    shown = view_graph(g, view)
    positions = layout_positions(g)
    assert_valid_gexf(export_bytes(shown, "gexf", positions=positions))
    back = nx.read_graphml(io.BytesIO(export_bytes(shown, "graphml")))
    assert (back.number_of_nodes(), back.number_of_edges()) == (
        shown.number_of_nodes(),
        shown.number_of_edges(),
    )
    with zipfile.ZipFile(io.BytesIO(export_bytes(shown, "csv"))) as archive:
        nodes = list(csv.DictReader(io.StringIO(archive.read("nodes.csv").decode("utf-8"))))
        edges = list(csv.DictReader(io.StringIO(archive.read("edges.csv").decode("utf-8"))))
    assert (len(nodes), len(edges)) == (shown.number_of_nodes(), shown.number_of_edges())
    page = export_bytes(shown, "html", positions=positions).decode("utf-8")
    assert "https://" not in page.split("<body>")[1]
