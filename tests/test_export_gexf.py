"""GEXF 1.3: schema-valid, typed, dated, styled, and free of networkx.write_gexf's pitfalls."""

from __future__ import annotations

import io
import math
import re
from pathlib import Path

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from defus_graph.draw.layout import layout_positions
from defus_graph.draw.style import kind_colour, node_sizes
from defus_graph.export import gexf_bytes
from defus_graph.graph.bipartite import graph_from_dataset, org_id, project_id
from defus_graph.graph.views import Filters, filter_graph, view_graph
from defus_graph.model import Dataset, Organisation, Participation, Project
from tests.export_graphs import (
    AQUILA,
    CONTROL,
    DUSSELDORF,
    EFUS,
    EMOJI,
    GENK,
    XSS,
    assert_valid_gexf,
    bipartite,
    read_gexf,
    views,
)

NS = {"g": "http://gexf.net/1.3", "viz": "http://gexf.net/1.3/viz"}


def _doc(data: bytes) -> etree._Element:
    return etree.fromstring(data)


def _node(doc: etree._Element, node_id: str) -> etree._Element:
    (found,) = [n for n in doc.iterfind(".//g:node", NS) if n.get("id") == node_id]
    return found


# --- schema validity of everything the code can produce --------------------------------------


@pytest.mark.parametrize("view", ["bipartite", "orgs", "projects"])
def test_every_view_is_valid(view: str) -> None:
    assert_valid_gexf(gexf_bytes(views()[view]))


@pytest.mark.parametrize(
    "filters",
    [
        Filters(kinds=("city",)),
        Filters(countries=("DE",)),
        Filters(years=(2018, 2018)),
        Filters(shared_only=True),
        Filters(programmes=("nothing matches this",)),
    ],
)
@pytest.mark.parametrize("view", ["bipartite", "orgs", "projects"])
def test_filtered_views_are_valid(filters: Filters, view: str) -> None:
    g = view_graph(filter_graph(bipartite(), filters), view)
    assert_valid_gexf(gexf_bytes(g))


def test_empty_graph_is_valid() -> None:
    data = gexf_bytes(nx.Graph())
    assert_valid_gexf(data)
    assert read_gexf(data).number_of_nodes() == 0


def test_schema_rejects_what_it_should() -> None:
    """The validator is live: a graph element with a ``name`` attribute fails."""
    data = gexf_bytes(bipartite()).replace(
        b'<graph mode="dynamic"', b'<graph name="x" mode="dynamic"'
    )
    with pytest.raises(AssertionError):
        assert_valid_gexf(data)


def test_header() -> None:
    data = gexf_bytes(bipartite())
    assert data.startswith(
        b'<?xml version="1.0" encoding="UTF-8"?>\n<gexf xmlns="http://gexf.net/1.3"'
    )
    graph = _doc(data).find("g:graph", NS)
    assert graph is not None
    assert dict(graph.attrib) == {
        "mode": "dynamic",
        "timeformat": "date",
        "defaultedgetype": "undirected",
    }
    assert b"schemaLocation" not in data


# --- the networkx.write_gexf pitfalls ---------------------------------------------------------


def test_networkx_writer_really_has_these_pitfalls() -> None:
    """Why there is a writer of our own: networkx's fails on our graphs.

    networkx's ``write_gexf`` raises on a ``None`` attribute (and writes GEXF 1.2draft,
    not 1.3). When this test fails, networkx has fixed it: keep our writer (it writes 1.3,
    leaves out empty values and is schema-checked), and delete this test.
    """
    g = bipartite()
    g.nodes[project_id("GAMMA")]["programme"] = None
    with pytest.raises(TypeError):
        nx.write_gexf(g, io.BytesIO(), version="1.2draft")


def test_none_and_nan_are_left_out() -> None:
    g = bipartite()
    g.nodes[project_id("GAMMA")]["programme"] = None
    g.nodes[project_id("GAMMA")]["funding_eur"] = float("nan")
    g.edges[project_id("GAMMA"), org_id(GENK)]["role"] = ""
    data = gexf_bytes(g)
    assert_valid_gexf(data)
    assert b'"None"' not in data and b'"nan"' not in data and b'value=""' not in data
    back = read_gexf(data)
    assert "programme" not in back.nodes[project_id("GAMMA")]
    assert "funding_eur" not in back.nodes[project_id("GAMMA")]
    assert back.nodes[project_id("ALPHA")]["funding_eur"] == 630901.0


def test_lists_are_strings_not_spells() -> None:
    g = view_graph(bipartite(), "orgs")
    data = gexf_bytes(g)
    assert b"<spells" not in data
    back = read_gexf(data)
    edge = back.edges[org_id(AQUILA), org_id(DUSSELDORF)]
    assert edge["projects"] == "ALPHA"
    edge = back.edges[org_id(AQUILA), org_id(EFUS)]
    assert edge["projects"] == "DELTA"
    g2 = nx.Graph()
    g2.add_edge("org:A", "org:B", projects=["P1", "P2; odd", "P3"], weight=3)
    assert read_gexf(gexf_bytes(g2)).edges["org:A", "org:B"]["projects"] == "P1; P2; odd; P3"


def test_no_graph_name_and_no_long_timeformat() -> None:
    g = bipartite()
    g.graph["name"] = "should not be written"
    data = gexf_bytes(g)
    assert b"name=" not in data
    assert b'timeformat="date"' in data and b'timeformat="long"' not in data


def test_edge_attribute_called_type_stays_an_attribute() -> None:
    g = bipartite()
    g.edges[project_id("ALPHA"), org_id(GENK)]["type"] = "directed"
    data = gexf_bytes(g)
    assert_valid_gexf(data)
    for edge in _doc(data).iterfind(".//g:edge", NS):
        assert edge.get("type") is None
    back = read_gexf(data)  # would raise "Directed edge found in undirected graph"
    assert back.edges[project_id("ALPHA"), org_id(GENK)]["type_attr"] == "directed"


def test_control_characters_are_stripped() -> None:
    g = bipartite()
    g.nodes[project_id("BETA")]["title"] = "Be\x00ta\x0b \ufffe\ud800done\ttab"
    data = gexf_bytes(g)
    assert_valid_gexf(data)  # lxml refuses to parse control characters at all
    back = read_gexf(data)
    assert back.nodes[project_id("BETA")]["title"] == "Beta done\ttab"
    assert back.nodes["org:CtrlName"]["label"] == "CtrlName"
    assert CONTROL not in data.decode("utf-8")


def test_one_attributes_block_per_class() -> None:
    for g in views().values():
        doc = _doc(gexf_bytes(g))
        classes = [a.get("class") for a in doc.iterfind(".//g:attributes", NS)]
        assert sorted(classes) == sorted(set(classes))
        ids = [a.get("id") for a in doc.iterfind(".//g:attributes[@class='node']/g:attribute", NS)]
        assert len(ids) == len(set(ids))


def test_mixed_types_get_one_type() -> None:
    g = nx.Graph()
    g.add_node("a", score=1, flag=True, mixed=1)
    g.add_node("b", score=2.5, flag=False, mixed="x")
    doc = _doc(gexf_bytes(g))
    types = {a.get("title"): a.get("type") for a in doc.iterfind(".//g:attributes/g:attribute", NS)}
    assert types == {"score": "double", "flag": "boolean", "mixed": "string"}
    back = read_gexf(gexf_bytes(g))
    assert back.nodes["a"]["score"] == 1.0 and back.nodes["a"]["mixed"] == "1"
    assert back.nodes["b"]["flag"] is False


# --- round trip through networkx.read_gexf ----------------------------------------------------


def test_round_trip_bipartite() -> None:
    g = bipartite()
    back = read_gexf(gexf_bytes(g))
    assert set(back.nodes) == {
        n.replace("\x01", "").replace("\x1b", "").replace("\x7f", "") for n in g
    }
    assert back.number_of_edges() == g.number_of_edges()
    alpha = back.nodes[project_id("ALPHA")]
    assert alpha["label"] == "ALPHA"
    assert alpha["title"] == "Alpha & <b>Omega</b>"
    assert alpha["description"] == "Line one\nline two"
    assert alpha["kind"] == "project"
    assert alpha["programme"] == "Internal Security Fund"
    assert alpha["funding_eur"] == 630901.0 and isinstance(alpha["funding_eur"], float)
    assert alpha["funding_scope"] == "total"
    assert alpha["stated_start"] == "2017-10" and alpha["stated_end"] == "2019-09"
    assert alpha["source_document"] == "page.txt" and alpha["source_line"] == 3
    assert alpha["n_organisations"] == 3
    dus = back.nodes[org_id(DUSSELDORF)]
    assert dus["label"] == DUSSELDORF and dus["country"] == "DE" and dus["kind"] == "city"
    assert dus["n_projects"] == 2
    for name in (AQUILA, EFUS, EMOJI, XSS):
        assert back.nodes[org_id(name)]["label"] == name
    edge = back.edges[project_id("ALPHA"), org_id(DUSSELDORF)]
    assert edge["role"] == "coordinator"
    assert edge["source_document"] == "page.txt" and edge["source_line"] == 5


def test_dates_are_widened_to_whole_days() -> None:
    back = read_gexf(gexf_bytes(bipartite()))
    spans = {n: (d.get("start"), d.get("end")) for n, d in back.nodes(data=True)}
    assert spans[project_id("ALPHA")] == ("2017-10-01", "2019-09-30")
    assert spans[project_id("BETA")] == ("2017-01-01", "2020-12-31")
    assert spans[project_id("DELTA")] == ("2018-02-15", "2018-03-31")
    assert spans[project_id("GAMMA")] == (None, None)
    # an organisation spans its projects; one undated project leaves its span open
    assert spans[org_id(DUSSELDORF)] == ("2017-01-01", "2020-12-31")
    assert spans[org_id(AQUILA)] == ("2017-10-01", "2019-09-30")
    assert spans[org_id(GENK)] == (None, None)
    edge = back.edges[project_id("DELTA"), org_id(AQUILA)]
    assert (edge["start"], edge["end"]) == ("2018-02-15", "2018-03-31")
    edge = back.edges[project_id("GAMMA"), org_id(GENK)]
    assert "start" not in edge and "end" not in edge


def test_projection_edges_span_shared_projects() -> None:
    back = read_gexf(gexf_bytes(views()["orgs"]))
    edge = back.edges[org_id(AQUILA), org_id(DUSSELDORF)]
    assert (edge["start"], edge["end"]) == ("2017-10-01", "2019-09-30")
    assert edge["weight"] == 1.0
    edge = back.edges[org_id(DUSSELDORF), org_id(EFUS)]
    assert (edge["start"], edge["end"], edge["projects"]) == ("2017-01-01", "2020-12-31", "BETA")
    assert back.nodes[org_id(DUSSELDORF)]["start"] == "2017-01-01"
    assert back.nodes[org_id(DUSSELDORF)]["n_projects"] == 2
    assert "start" not in back.nodes[org_id(GENK)]
    # projects linked by shared organisations span both projects
    back = read_gexf(gexf_bytes(views()["projects"]))
    edge = back.edges[project_id("ALPHA"), project_id("DELTA")]
    assert (edge["start"], edge["end"]) == ("2017-10-01", "2019-09-30")
    assert edge["organisations"] == AQUILA
    edge = back.edges[project_id("ALPHA"), project_id("GAMMA")]
    assert "start" not in edge and "end" not in edge


def test_weights_on_projection() -> None:
    g = graph_from_dataset(
        Dataset(
            projects=(Project("P1"), Project("P2")),
            organisations=(Organisation("A"), Organisation("B")),
            participations=tuple(
                Participation(p, o, "partner") for p in ("P1", "P2") for o in ("A", "B")
            ),
        )
    )
    back = read_gexf(gexf_bytes(view_graph(g, "orgs")))
    assert back.edges["org:A", "org:B"]["weight"] == 2.0
    assert back.edges["org:A", "org:B"]["projects"] == "P1; P2"


# --- viz --------------------------------------------------------------------------------------


def test_viz_colour_size_shape_position() -> None:
    g = bipartite()
    positions = {n: (float(i) * 10.5, -float(i)) for i, n in enumerate(sorted(g))}
    back = read_gexf(gexf_bytes(g, positions=positions))
    sizes = node_sizes(g)
    for n, data in g.nodes(data=True):
        viz = back.nodes[n.replace("\x01", "").replace("\x1b", "").replace("\x7f", "")]["viz"]
        colour = kind_colour(data["kind"])
        assert (viz["color"]["r"], viz["color"]["g"], viz["color"]["b"]) == tuple(
            int(colour[i : i + 2], 16) for i in (1, 3, 5)
        )
        assert math.isclose(viz["size"], sizes[n])
        x, y = positions[n]
        assert (viz["position"]["x"], viz["position"]["y"]) == (x, -y)  # Gephi's y points up
    doc = _doc(gexf_bytes(g))
    assert _node(doc, project_id("ALPHA")).find("viz:shape", NS).get("value") == "square"
    assert _node(doc, org_id(GENK)).find("viz:shape", NS).get("value") == "disc"


def test_default_positions_are_the_seeded_layout() -> None:
    g = bipartite()
    expected = layout_positions(g)
    doc = _doc(gexf_bytes(g))
    pos = _node(doc, org_id(GENK)).find("viz:position", NS)
    assert (float(pos.get("x")), -float(pos.get("y"))) == expected[org_id(GENK)]
    assert gexf_bytes(g) == gexf_bytes(g)


def test_unknown_kind_gets_a_colour() -> None:
    doc = _doc(gexf_bytes(bipartite()))
    colour = _node(doc, "org:CtrlName").find("viz:color", NS)
    assert "#{:02X}{:02X}{:02X}".format(*(int(colour.get(c)) for c in "rgb")) == kind_colour(
        "unknown"
    )


# --- hostile names ----------------------------------------------------------------------------

_XML_OK = re.compile("[^\t\n\r\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
hostile = st.text(
    alphabet=st.sampled_from([*"aäöüßÉ\"';<>&/= \t\n\r\x00\x01\x1f\x7f\x85🙂€\u2028-+@", "\ud800"]),
    min_size=1,
    max_size=12,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(names=st.lists(hostile, min_size=1, max_size=5, unique_by=lambda s: _XML_OK.sub("", s)))
def test_hostile_names_round_trip(names: list[str]) -> None:
    ds = Dataset(
        projects=(Project("P&<1>", title=names[0], start="2019-02", end="2019"),),
        organisations=tuple(Organisation(n, "city", "DE") for n in names),
        participations=tuple(Participation("P&<1>", n, "partner") for n in names),
    )
    for g in (graph_from_dataset(ds), view_graph(graph_from_dataset(ds), "orgs")):
        data = gexf_bytes(g)
        assert_valid_gexf(data)
        back = read_gexf(data)
        assert set(back.nodes) == {_XML_OK.sub("", str(n)) for n in g}
        assert back.number_of_edges() == g.number_of_edges()
        for n in g:
            label = back.nodes[_XML_OK.sub("", str(n))]["label"]
            assert label == _XML_OK.sub("", g.nodes[n]["label"])


def test_real_data_exports_in_every_view() -> None:
    data_dir = Path(__file__).parent.parent / "data"
    if not (data_dir / "projects.csv").exists():
        pytest.skip("no data/projects.csv")
    from defus_graph.store.tables import load_dataset

    g = graph_from_dataset(load_dataset(data_dir))
    positions = layout_positions(g)
    for view in ("bipartite", "orgs", "projects"):
        shown = view_graph(g, view)
        data = gexf_bytes(shown, positions=positions)
        assert_valid_gexf(data)
        back = read_gexf(data)
        assert back.number_of_nodes() == shown.number_of_nodes()
        assert back.number_of_edges() == shown.number_of_edges()


# --- streaming --------------------------------------------------------------------------------


def test_streamed_file_is_gexf_bytes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Written chunk by chunk (here of 2 rows, so every boundary is crossed) = gexf_bytes."""
    from defus_graph.export import _chunks, gexf

    for name, g in views().items():
        positions = layout_positions(g)
        whole = gexf_bytes(g, positions=positions)
        monkeypatch.setattr(_chunks, "CHUNK_ROWS", 2)
        path = gexf.write_gexf(g, tmp_path / f"{name}.gexf", positions=positions)
        assert path.read_bytes() == whole
        assert gexf_bytes(g, positions=positions) == whole
        monkeypatch.undo()


def test_write_export_streams_gexf(tmp_path: Path) -> None:
    """The document is handed to the file as several chunks, not as one bytes object."""
    from defus_graph.export import _chunks, write_export

    seen: list[object] = []
    real = _chunks.write_all_atomic

    def spy(files: list[tuple[Path, object]]) -> list[Path]:
        seen.extend(data for _, data in files)
        return real(files)  # type: ignore[arg-type]

    g = view_graph(bipartite(), "orgs")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(_chunks, "write_all_atomic", spy)
        mp.setattr(_chunks, "CHUNK_ROWS", 3)
        write_export(g, "gexf", tmp_path / "orgs.gexf")
    assert len(seen) == 1 and not isinstance(seen[0], bytes)
    assert (tmp_path / "orgs.gexf").read_bytes() == gexf_bytes(g)


# --- attribute values of every type, column by column -----------------------------------------

_KEYS = ("a", "b", "funding_eur", "Type", "line")
_NAMES = {"Type": "Type_attr", "line": "source_line"}
_PLAIN = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**40), max_value=2**40),
    st.floats(),  # NaN and infinities included: they are missing
    st.text(alphabet=st.sampled_from([*"ab é<&\"'", "\t", "\n", "\r", "\x00", "\x1f"]), max_size=4),
)
_VALUE = st.one_of(_PLAIN, st.lists(_PLAIN, max_size=3), st.sets(st.integers(0, 9), max_size=3))


def _missing(value: object) -> bool:
    if value is None or value == "":
        return True
    if isinstance(value, float):
        return not math.isfinite(value)
    if isinstance(value, list | set):
        return all(_missing(v) for v in value)
    return False


def _expected_scalar(value: object) -> object:
    """What the module docstring of export._table says a present value becomes."""
    if isinstance(value, str):
        return _XML_OK.sub("", value)
    if isinstance(value, list):
        return "; ".join(
            _XML_OK.sub("", str(_expected_scalar(v))) for v in value if not _missing(v)
        )
    if isinstance(value, set):
        return "; ".join(sorted(str(v) for v in value))
    return value


def _expected_columns(rows: list[dict[str, object]]) -> dict[str, tuple[str, list[object]]]:
    """Row by row, the naive way: each column's type and its values (None where missing)."""
    present: dict[str, list[object]] = {}
    for i, row in enumerate(rows):
        for key, value in row.items():
            scalar = None if _missing(value) else _expected_scalar(value)
            if scalar is not None and scalar != "":
                present.setdefault(_NAMES.get(key, key), [None] * len(rows))[i] = scalar
    out = {}
    for name, values in present.items():
        kinds = {type(v) for v in values if v is not None}
        if name == "funding_eur" and kinds <= {int, float}:
            type_ = "double"
        elif kinds == {bool}:
            type_ = "boolean"
        elif kinds == {int}:
            small = all(-(2**31) <= v < 2**31 for v in values if isinstance(v, int))
            type_ = "integer" if small else "long"
        elif kinds <= {int, float}:
            type_ = "double"
        else:
            type_ = "string"
        if type_ == "double":
            values = [None if v is None else float(v) for v in values]  # type: ignore[arg-type]
        if type_ == "string":
            text = {True: "true", False: "false"}
            values = [
                v
                if v is None or isinstance(v, str)
                else text[v]
                if isinstance(v, bool)
                else repr(v)
                for v in values
            ]
        out[name] = (type_, values)
    return out


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=st.lists(
        st.dictionaries(st.sampled_from(_KEYS), _VALUE, max_size=len(_KEYS)), min_size=1, max_size=6
    )
)
def test_mixed_values_column_by_column(rows: list[dict[str, object]]) -> None:
    from defus_graph.export._table import table_from_graph

    g = nx.Graph()
    for i, row in enumerate(rows):
        g.add_node(f"n{i}", **row)
    g.add_edges_from((f"n{i}", f"n{i + 1}", row) for i, row in enumerate(rows[1:]))
    table = table_from_graph(g)  # nodes n0..n5 are already in id order
    expected = _expected_columns(rows)
    got = {
        c.name: (c.type, v)
        for c, v in zip(table.nodes.attributes.columns, table.nodes.attributes.values, strict=True)
    }
    assert got == expected
    for name, (_, values) in got.items():  # 1 == 1.0 == True, so the types too
        assert [type(v) for v in values] == [type(v) for v in expected[name][1]]

    data = gexf_bytes(g)
    assert_valid_gexf(data)
    back = read_gexf(data)
    for name, (_, values) in expected.items():
        for i, value in enumerate(values):
            assert back.nodes[f"n{i}"].get(name) == value
    edge_columns = _expected_columns(rows[1:])
    for name, (_, values) in edge_columns.items():
        for i, value in enumerate(values):
            assert back.edges[f"n{i}", f"n{i + 1}"].get(name) == value


@pytest.mark.parametrize("weight", [float("nan"), float("inf"), "3", None, -2])
def test_a_weight_that_is_not_a_count_still_gives_a_valid_file(weight: object) -> None:
    g = nx.Graph()
    g.add_node("org:A", bipartite=1, kind="city", label="A")
    g.add_node("org:B", bipartite=1, kind="city", label="B")
    g.add_node("org:C", bipartite=1, kind="city", label="C")
    g.add_edge("org:A", "org:B", weight=weight)
    g.add_edge("org:B", "org:C", weight=2)
    data = gexf_bytes(g)
    assert_valid_gexf(data)
    assert b'value="nan"' not in data and b'value="inf"' not in data
    # The odd link counts as one: B is the busiest, A the least busy.
    sizes = node_sizes(g)
    assert sizes["org:B"] == max(sizes.values()) and sizes["org:A"] == min(sizes.values())
