"""The bipartite network written from a dataset's arrays is the one written from its graph.

``defus-graph export`` of the bipartite view without filters (GEXF, GraphML, CSV)
builds no networkx graph: the table the writers lay out comes from the arrays
(``BipartiteColumns``). Here, on generated datasets with hostile names, every
attribute left out or stated, organisations in no project, projects without
partners and places of every sort, the table, the node sizes and the files are
compared with the graph's route.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from defus_graph.cli import main
from defus_graph.draw.style import node_sizes
from defus_graph.export import ExportError, export_bytes
from defus_graph.export._table import Table, table_from_graph
from defus_graph.export.gephi_csv import csv_tables
from defus_graph.graph import bipartite
from defus_graph.graph.bipartite import BipartiteColumns, Participations
from defus_graph.model import Dataset, Member, Organisation, Participation, Project
from defus_graph.names.places import Place, place_organisations

ROOT = Path(__file__).resolve().parent.parent

#: Names a user's data may hold: markup, quotes, formula starts, characters XML cannot
#: hold (two names may become one once those are removed), a lone surrogate.
_names = st.text("aB; <&\"'=,ä\x00\x1b\ud800 -", min_size=1, max_size=5)
_texts = st.sampled_from(["", "x", "=SUM(1)", 'a, "b"\n', "é\x07"])
_dates = st.sampled_from(["", "2016", "2017", "2017-10", "2017-10-31", "2019-02", "2021"])
_money = st.sampled_from([None, 0.0, 1.5, 250000.0, float("nan"), 3])
_lines = st.sampled_from([0, 2, 70000])
_coordinates = st.sampled_from([(None, None), (50.9, 6.9), (48.1, None), (0.0, -0.0)])


@st.composite
def _project(draw: st.DrawFn, acronym: str) -> Project:
    return Project(
        acronym,
        title=draw(_texts),
        description=draw(_texts),
        start=draw(_dates),
        end=draw(_dates),
        programme=draw(st.sampled_from(["", "H2020", "ISF"])),
        funding_eur=draw(_money),
        funding_scope=draw(st.sampled_from(["", "total", "partner_share"])),
        funding_share_of=draw(_texts),
        section=draw(_texts),
        source=draw(st.sampled_from(["", "projects.csv"])),
        line=draw(_lines),
        external_id=draw(st.sampled_from(["", "cordis:1"])),
    )


@st.composite
def _organisation(draw: st.DrawFn, name: str) -> Organisation:
    lat, lon = draw(_coordinates)
    return Organisation(
        name,
        draw(st.sampled_from(["city", "NGO", "region", ""])),
        draw(st.sampled_from(["DE", "BE", ""])),
        source=draw(st.sampled_from(["", "organisations.csv"])),
        line=draw(_lines),
        city=draw(st.sampled_from(["", "Köln", "Gent", "Nowhere"])),
        pic=draw(st.sampled_from(["", "999"])),
        latitude=lat,
        longitude=lon,
    )


@st.composite
def _datasets(draw: st.DrawFn) -> Dataset:
    """Datasets as a checked folder holds them: organisations in no project, projects
    without partners, members, participations in any order with any attributes."""
    acronyms = draw(st.lists(_names, max_size=8, unique=True))
    names = draw(st.lists(_names, max_size=9, unique=True))
    pairs = draw(
        st.lists(st.tuples(st.sampled_from(acronyms), st.sampled_from(names)), unique=True)
        if acronyms and names
        else st.just([])
    )
    members = draw(st.lists(st.sampled_from([*names, ""]), max_size=3))
    participations = tuple(
        Participation(
            p,
            o,
            draw(st.sampled_from(["partner", "coordinator", ""])),
            source=draw(st.sampled_from(["", "participations.csv"])),
            line=draw(_lines),
            contribution_eur=draw(_money),
        )
        for p, o in pairs
    )
    return Dataset(
        projects=tuple(draw(_project(a)) for a in acronyms),
        organisations=tuple(draw(_organisation(n)) for n in names),
        participations=participations,
        members=tuple(Member(f"member {m}", m) for m in members),
    )


@st.composite
def _places(draw: st.DrawFn, ds: Dataset) -> list[Place] | None:
    """None (CSV: no coordinates added), the gazetteer's, or any place per organisation."""
    how = draw(st.sampled_from(["none", "gazetteer", "any"]))
    if how == "none":
        return None
    if how == "gazetteer":
        return place_organisations(ds.organisations)
    places = []
    for o in ds.organisations:
        lat, lon = draw(st.sampled_from([(None, None), (51.2, 4.4), (-3.5, 0.0)]))
        city = draw(st.sampled_from(["", "Gent"]))
        source = draw(st.sampled_from(["", "data", "not placed: no city"]))
        places.append(Place(o.name, o.kind, o.country, lat, lon, city, source))
    return places


def _table(shown: object) -> Table | str:
    """The table of ``shown``, or the message refusing it (ids equal once cleaned)."""
    try:
        return table_from_graph(shown)  # type: ignore[arg-type]
    except ExportError as err:
        return str(err)


def _files(shown: object, positions: dict[str, tuple[float, float]]) -> list[bytes] | str:
    try:
        return [
            export_bytes(shown, "gexf", positions=positions),  # type: ignore[arg-type]
            export_bytes(shown, "graphml"),  # type: ignore[arg-type]
            export_bytes(shown, "csv"),  # type: ignore[arg-type]
            *csv_tables(shown),  # type: ignore[arg-type]
        ]
    except ExportError as err:
        return str(err)


def _shown_and_graph(data: st.DataObject) -> tuple[BipartiteColumns, nx.Graph]:
    """A generated dataset's bipartite view from the arrays, and the graph it stands for."""
    ds = data.draw(_datasets())
    parts = Participations.from_dataset(ds)
    assert parts is not None
    shown = BipartiteColumns.of(parts, data.draw(_places(ds)))
    assert shown is not None
    return shown, shown.graph()


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_the_table_from_the_arrays_is_the_graph_s(data: st.DataObject) -> None:
    shown, g = _shown_and_graph(data)
    assert (shown.number_of_nodes(), shown.number_of_edges()) == (len(g), len(g.edges))
    assert _table(shown) == _table(g)
    assert node_sizes(shown) == node_sizes(g)


@settings(max_examples=100, deadline=None)
@given(data=st.data())
def test_the_files_from_the_arrays_are_the_graph_s(data: st.DataObject) -> None:
    shown, g = _shown_and_graph(data)
    positions = {n: (float(i), 0.5 * i) for i, n in enumerate(g)}
    assert _files(shown, positions) == _files(g, positions)


def test_places_not_one_per_organisation_in_order_are_left_to_the_graph() -> None:
    orgs = (Organisation("A", "city"), Organisation("B", "city"))
    ds = Dataset(organisations=orgs)
    parts = Participations.from_dataset(ds)
    assert parts is not None
    places = place_organisations(orgs)
    assert BipartiteColumns.of(parts, places) is not None
    assert BipartiteColumns.of(parts, places[::-1]) is None
    assert BipartiteColumns.of(parts, places[:1]) is None


@pytest.mark.parametrize(
    ("fmt", "names"),
    [
        ("gexf", ["network.gexf"]),
        ("graphml", ["network.graphml"]),
        ("csv", ["network.nodes.csv", "network.edges.csv"]),
        ("csv", ["network.zip"]),
    ],
)
def test_export_writes_the_graph_s_files_without_building_the_graph(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    fmt: str,
    names: list[str],
) -> None:
    asked = names[0] if names[0].endswith(".zip") else f"network.{fmt}"

    def export(out: Path) -> str:
        # A folder of its own: each route lays the network out (nothing kept by the other).
        data = out / "data"
        shutil.copytree(ROOT / "data", data, ignore=shutil.ignore_patterns(".cache"))
        assert main(["--data", str(data), "export", "--format", fmt, "-o", str(out / asked)]) == 0
        return capsys.readouterr().out.replace(str(out), "OUT")

    with monkeypatch.context() as patch:  # the arrays cannot stand for the data: the graph
        patch.setattr(Participations, "from_dataset", classmethod(lambda cls, ds: None))
        said_by_graph = export(tmp_path / "graph")

    def no_graph(ds: Dataset) -> nx.Graph:
        raise AssertionError("the bipartite graph was built")

    with monkeypatch.context() as patch:
        patch.setattr(bipartite, "graph_from_dataset", no_graph)
        said_by_arrays = export(tmp_path / "arrays")
    assert said_by_arrays == said_by_graph
    for name in names:
        assert (tmp_path / "arrays" / name).read_bytes() == (tmp_path / "graph" / name).read_bytes()
