"""GeoJSON, GEXF and GraphML carry the places ``defus-graph places`` lists."""

from __future__ import annotations

import json
import math
from collections import defaultdict
from itertools import combinations
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from defus_graph.cli import main
from defus_graph.export.geojson import geojson_bytes, geojson_document
from defus_graph.graph.bipartite import graph_from_dataset
from defus_graph.model import Dataset, Organisation, Participation, Project
from tests.export_graphs import assert_valid_gexf

from .conftest import DATA


def _position(value: Any) -> None:
    """RFC 7946 3.1.1: [longitude, latitude], numbers, in range; no third value here."""
    assert isinstance(value, list) and len(value) == 2, value
    lon, lat = value
    assert all(isinstance(v, int | float) and not isinstance(v, bool) for v in value)
    assert -180 <= lon <= 180 and -90 <= lat <= 90


def assert_rfc7946(doc: Any) -> None:
    """The structure RFC 7946 requires of a FeatureCollection of Points and LineStrings."""
    assert doc["type"] == "FeatureCollection" and isinstance(doc["features"], list)
    assert "crs" not in doc  # removed from GeoJSON by RFC 7946 (section 4)
    for f in doc["features"]:
        assert f["type"] == "Feature"
        assert isinstance(f["properties"], dict)
        geometry = f["geometry"]
        if geometry["type"] == "Point":
            _position(geometry["coordinates"])
        else:
            assert geometry["type"] == "LineString"
            assert len(geometry["coordinates"]) >= 2  # section 3.1.4
            for position in geometry["coordinates"]:
                _position(position)


def _cli_json(capsys: pytest.CaptureFixture[str], *args: str) -> Any:
    assert main(["--data", str(DATA), *args]) == 0
    return json.loads(capsys.readouterr().out)


def test_the_bundled_geojson_has_the_coordinates_of_places(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    places = {p["organisation"]: p for p in _cli_json(capsys, "places", "--json")}
    out = tmp_path / "map.geojson"
    assert main(["--data", str(DATA), "export", "--format", "geojson", "-o", str(out)]) == 0
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert_rfc7946(doc)
    points = [f for f in doc["features"] if f["geometry"]["type"] == "Point"]
    on_map = {}
    for f in points:
        for org in f["properties"]["organisations"]:
            on_map[org] = f["geometry"]["coordinates"]
    placed = {name: [p["longitude"], p["latitude"]] for name, p in places.items() if p["latitude"]}
    assert on_map == placed
    [dus] = [f for f in points if f["properties"]["name"] == "Düsseldorf"]
    lon, lat = dus["geometry"]["coordinates"]
    assert abs(lat - 51.22) < 0.03 and abs(lon - 6.78) < 0.03  # longitude first
    assert {"BRIDGE", "LouD"} <= set(dus["properties"]["projects"])


def test_cities_are_linked_by_the_projects_they_share(tmp_path: Path) -> None:
    out = tmp_path / "map.geojson"
    assert main(["--data", str(DATA), "export", "--format", "geojson", "-o", str(out)]) == 0
    doc = json.loads(out.read_text(encoding="utf-8"))
    projects = {
        f["properties"]["name"]: set(f["properties"]["projects"])
        for f in doc["features"]
        if f["geometry"]["type"] == "Point"
    }
    lines = {
        frozenset((f["properties"]["from"], f["properties"]["to"])): f["properties"]
        for f in doc["features"]
        if f["geometry"]["type"] == "LineString"
    }
    expected = {
        frozenset((a, b)): projects[a] & projects[b]
        for a, b in combinations(projects, 2)
        if projects[a] & projects[b]
    }
    assert {k: set(v["projects"]) for k, v in lines.items()} == expected
    assert all(v["weight"] == len(v["projects"]) for v in lines.values())
    pair = frozenset(("Düsseldorf", "Stuttgart"))
    assert "BRIDGE" in lines[pair]["projects"]


def test_places_lists_every_organisation_and_counts_the_unplaced(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["--data", str(DATA), "places"]) == 0
    out = capsys.readouterr().out
    assert "31 of 53 organisations placed; 22 not placed." in out
    assert "region centroid unknown (no offline source)" in out
    assert "city: Salford, GeoNames 2638671 Salford" in out


def test_a_missing_folder_is_an_error_and_nothing_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "nowhere" / "map.geojson"
    # A file to write in a folder that does not exist is a mistake in the command line.
    with pytest.raises(SystemExit) as stop:
        main(["--data", str(DATA), "export", "--format", "geojson", "-o", str(out)])
    assert stop.value.code == 2
    assert "does not exist" in capsys.readouterr().err
    assert not out.parent.exists()


def test_gexf_and_graphml_carry_latitude_and_longitude(tmp_path: Path) -> None:
    gexf, graphml = tmp_path / "n.gexf", tmp_path / "n.graphml"
    for fmt, path in (("gexf", gexf), ("graphml", graphml)):
        assert main(["--data", str(DATA), "export", "--format", fmt, "-o", str(path)]) == 0
    data = gexf.read_bytes()
    assert_valid_gexf(data)
    assert b'<attribute id="latitude" title="latitude" type="double"/>' in data
    for g in (nx.read_gexf(gexf), nx.read_graphml(graphml)):
        dus = g.nodes["org:Düsseldorf"]
        assert abs(float(dus["latitude"]) - 51.22) < 0.03
        assert abs(float(dus["longitude"]) - 6.78) < 0.03
        assert dus["place_source"].startswith("gazetteer: GeoNames ")
        assert "latitude" not in g.nodes["org:Umbria"]
        assert g.nodes["org:Umbria"]["place_source"].startswith("not placed: ")
    assert 'attr.name="latitude" attr.type="double"' in graphml.read_text(encoding="utf-8")


_names = st.text(min_size=1, max_size=8).filter(lambda s: s.strip() == s and s.strip())
_hostile = st.one_of(_names, st.sampled_from(["äöüß\"';<&", "🙂 e.V.", "<b>x</b>"]))
_coord = st.sampled_from([(51.2, 6.8), (48.8, 9.2), (43.7, 7.27), None])


@settings(max_examples=60, deadline=None)
@given(
    orgs=st.dictionaries(_hostile, _coord, min_size=1, max_size=6),
    links=st.lists(st.tuples(st.integers(0, 3), st.integers(0, 5)), max_size=15),
)
def test_random_networks_put_each_organisation_on_its_point(
    orgs: dict[str, tuple[float, float] | None], links: list[tuple[int, int]]
) -> None:
    names = sorted(orgs)
    parts = {(f"P{p}", names[o % len(names)]) for p, o in links}
    ds = Dataset(
        projects=tuple(Project(f"P{i}") for i in range(4)),
        organisations=tuple(
            Organisation(n, "city", latitude=c[0] if c else None, longitude=c[1] if c else None)
            for n, c in orgs.items()
        ),
        participations=tuple(Participation(p, o, "partner") for p, o in sorted(parts)),
    )
    doc = json.loads(geojson_bytes(graph_from_dataset(ds)))
    assert doc == geojson_document(graph_from_dataset(ds))
    assert_rfc7946(doc)
    where = {
        org: tuple(f["geometry"]["coordinates"])
        for f in doc["features"]
        if f["geometry"]["type"] == "Point"
        for org in f["properties"]["organisations"]
    }
    assert where == {n: (c[1], c[0]) for n, c in orgs.items() if c}
    # Each pair of points is linked once, weighted by the projects their organisations share.
    at: dict[tuple[float, float], set[str]] = defaultdict(set)
    for p, o in parts:
        if orgs[o]:
            at[orgs[o][1], orgs[o][0]].add(p)
    weights = {
        frozenset(map(tuple, f["geometry"]["coordinates"])): f["properties"]["weight"]
        for f in doc["features"]
        if f["geometry"]["type"] == "LineString"
    }
    expected = {
        frozenset((a, b)): len(at[a] & at[b])
        for a, b in combinations(sorted(at), 2)
        if at[a] & at[b]
    }
    assert weights == expected
    assert not any(math.isnan(v) for pt in where.values() for v in pt)


@pytest.mark.parametrize("option", [["--view", "orgs"], ["--backbone", "0.05"]])
def test_views_and_backbones_are_refused_for_geojson(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], option: list[str]
) -> None:
    out = tmp_path / "map.geojson"
    args = ["--data", str(DATA), "export", "--format", "geojson", *option, "-o", str(out)]
    assert main(args) == 2  # options that do not go together: a usage error
    assert "do not apply to --format geojson" in capsys.readouterr().err
    assert not out.exists()
