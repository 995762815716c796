"""The map's logic: the projection, the outlines, grouping organisations into markers, links."""

from __future__ import annotations

import json
import math
from importlib import resources
from itertools import combinations
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from defus_graph.draw.geo import (
    KM_PER_UNIT,
    SEVERAL_KINDS,
    city_index,
    link_width,
    map_drawing,
    outline_rings,
    project,
)
from defus_graph.draw.style import kind_colour
from defus_graph.graph.bipartite import graph_from_dataset
from defus_graph.model import Dataset, Organisation, Participation, Project
from defus_graph.names.places import place_organisations
from defus_graph.store.tables import load_dataset

ROOT = Path(__file__).resolve().parent.parent
R_KM = 6371.0088


def _angle(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """The angle between two points seen from the Earth's centre (haversine), radians."""
    p1, p2, dl = math.radians(lat1), math.radians(lat2), math.radians(lon2 - lon1)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * math.asin(math.sqrt(h))


@given(st.floats(27, 72), st.floats(-30, 50))
def test_projection_keeps_the_lambert_distance_from_the_centre(lat: float, lon: float) -> None:
    # Lambert azimuthal equal-area: a point at angle c from the centre lies 2R sin(c/2) from it.
    x, y = project([lat], [lon])
    expected = 2 * R_KM * math.sin(_angle(52.0, 10.0, lat, lon) / 2) / KM_PER_UNIT
    assert math.hypot(float(x[0]), float(y[0])) == pytest.approx(expected, rel=1e-9, abs=1e-6)


def test_projection_puts_north_up_and_east_right() -> None:
    x, y = project([48.86, 52.52, 41.9], [2.35, 13.40, 12.5])  # Paris, Berlin, Rome
    paris, berlin, rome = zip(x.tolist(), y.tolist(), strict=True)
    assert paris[0] < berlin[0] and rome[1] > berlin[1]  # y grows southwards (screen)
    # Paris to Berlin is 878 km; near the centre the projection barely stretches it.
    km = math.dist(paris, berlin) * KM_PER_UNIT
    assert km == pytest.approx(878, rel=0.01)


def test_projection_keeps_areas() -> None:
    # Two cells of one degree, at 40 and 65 degrees north: their projected areas
    # are in the ratio of their areas on the sphere (cos of the latitude).
    def area(lat: float, lon: float) -> float:
        xs, ys = project([lat, lat, lat + 0.1, lat + 0.1], [lon, lon + 0.1, lon + 0.1, lon])
        return 0.5 * abs(float(np.dot(xs, np.roll(ys, 1)) - np.dot(ys, np.roll(xs, 1))))

    ratio = area(65, 25) / area(40, -5)
    assert ratio == pytest.approx(
        math.cos(math.radians(65.05)) / math.cos(math.radians(40.05)), rel=1e-3
    )


def _inside(x: float, y: float, ring: np.ndarray) -> bool:
    """Ray casting: whether (x, y) is inside the closed ring."""
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, np.roll(ring, 1, axis=0), strict=True):
        if (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / (y2 - y1) + x1:
            inside = not inside
    return inside


def test_the_outlines_put_each_city_in_its_own_country() -> None:
    text = resources.files("defus_graph.draw").joinpath("europe-50m.json").read_text("utf-8")
    doc = json.loads(text)
    assert "Natural Earth" in doc["source"] and "public domain" in doc["source"]

    def rings_of(name: str) -> list[np.ndarray]:
        [country] = [c for c in doc["countries"] if c["name"] == name]
        out = []
        for flat in country["rings"]:
            pairs = np.asarray(flat, dtype=float).reshape(-1, 2) / 100
            x, y = project(pairs[:, 1], pairs[:, 0])
            out.append(np.column_stack([x, y]))
        return out

    for (lat, lon), country, neighbour in [
        ((51.22, 6.78), "Germany", "Netherlands"),  # Düsseldorf
        ((50.63, 5.57), "Belgium", "Germany"),  # Liège
        ((40.21, -8.43), "Portugal", "Spain"),  # Coimbra (Lisbon's estuary is water at 1:50m)
    ]:
        x, y = project([lat], [lon])
        assert any(_inside(float(x[0]), float(y[0]), r) for r in rings_of(country))
        assert not any(_inside(float(x[0]), float(y[0]), r) for r in rings_of(neighbour))
    # The projected rings the map paints are the same rings.
    assert sum(len(r) for r in outline_rings()) == sum(
        len(f) // 2 for c in doc["countries"] for f in c["rings"]
    )


def _dataset(orgs: list[Organisation], members: dict[str, list[str]]) -> Dataset:
    return Dataset(
        projects=tuple(Project(p) for p in members),
        organisations=tuple(orgs),
        participations=tuple(
            Participation(p, name, "partner") for p, names in members.items() for name in names
        ),
    )


def _drawing(orgs: list[Organisation], members: dict[str, list[str]], **kw: object):  # type: ignore[no-untyped-def]
    ds = _dataset(orgs, members)
    return map_drawing(graph_from_dataset(ds), place_organisations(orgs), **kw)  # type: ignore[arg-type]


def _org(name: str, kind: str, country: str, city: str, lat: float, lon: float) -> Organisation:
    return Organisation(name, kind, country, city=city, latitude=lat, longitude=lon)


def test_organisations_of_one_city_share_its_marker_and_its_projects_count_once() -> None:
    orgs = [
        _org("Uni", "university", "DE", "Köln", 50.93, 6.95),
        _org("Stadt Köln", "city", "DE", "Köln", 50.94, 6.96),
        _org("Lyon", "city", "FR", "Lyon", 45.76, 4.84),
    ]
    d = _drawing(orgs, {"P1": ["Uni", "Stadt Köln", "Lyon"], "P2": ["Uni", "Lyon"], "P3": ["Uni"]})
    koeln, lyon = d.markers
    assert koeln.label == "Köln" and koeln.organisations == ("org:Stadt Köln", "org:Uni")
    assert koeln.n_projects == 3 and lyon.n_projects == 2  # P1 once, though two of Köln's are in it
    assert (koeln.latitude, koeln.longitude) == pytest.approx((50.935, 6.955))  # the mean
    assert koeln.colour == SEVERAL_KINDS and lyon.colour == kind_colour("city")
    assert koeln.size > lyon.size
    [link] = d.links
    assert (link.a, link.b, link.weight) == (koeln.id, lyon.id, 2)  # P1 and P2, each once
    assert link.width == link_width(2, 2) == 8.0 > link_width(1, 2)


def test_a_city_name_in_two_countries_is_told_apart_and_found_by_that_name() -> None:
    orgs = [
        _org("Valence", "city", "FR", "Valence", 44.93, 4.89),
        _org("València", "city", "ES", "Valence", 39.47, -0.38),
        _org("Gent", "city", "BE", "Gent", 51.05, 3.72),
    ]
    members = {"P": ["Valence", "Gent"], "Q": ["València"]}
    labels = {m.label for m in _drawing(orgs, members).markers}
    assert labels == {"Valence (FR)", "Valence (ES)", "Gent"}
    ds = _dataset(orgs, members)
    # Only the French one in the graph: its label still says which Valence it is.
    only_p = map_drawing(
        graph_from_dataset(_dataset(orgs[::2], {"P": ["Valence", "Gent"]})),
        place_organisations(orgs),
    )
    assert {m.label for m in only_p.markers} == {"Valence (FR)", "Gent"}
    index = city_index(graph_from_dataset(ds), place_organisations(orgs))
    assert index["Valence (ES)"] == ("city:ES:valence", ("org:València",))


def test_unplaced_organisations_are_listed_with_their_reason_never_drawn() -> None:
    orgs = [_org("Gent", "city", "BE", "Gent", 51.05, 3.72), Organisation("Umbria", "region", "IT")]
    d = _drawing(orgs, {"P": ["Gent", "Umbria"]})
    assert [m.label for m in d.markers] == ["Gent"]
    assert [(p.organisation, p.source) for p in d.unplaced] == [
        ("Umbria", "not placed: region centroid unknown (no offline source)")
    ]


@st.composite
def _networks(draw: st.DrawFn) -> tuple[list[Organisation], dict[str, list[str]]]:
    cities = [
        ("DE", "A", 50.0, 8.0),
        ("DE", "B", 52.0, 13.0),
        ("FR", "C", 45.0, 5.0),
        ("IT", "D", 41.9, 12.5),
    ]
    n = draw(st.integers(1, 8))
    orgs = []
    for i in range(n):
        country, city, lat, lon = draw(st.sampled_from(cities))
        orgs.append(_org(f"O{i}", draw(st.sampled_from(["city", "NGO"])), country, city, lat, lon))
    members = {
        f"P{j}": sorted(
            set(draw(st.lists(st.sampled_from([o.name for o in orgs]), min_size=1, max_size=5)))
        )
        for j in range(draw(st.integers(1, 6)))
    }
    return orgs, members


@settings(max_examples=60, deadline=None)
@given(_networks(), st.sampled_from([None, 0]))
def test_markers_and_link_weights_match_a_count_by_hand(
    network: tuple[list[Organisation], dict[str, list[str]]], city_limit: int | None
) -> None:
    orgs, members = network
    kw = {} if city_limit is None else {"city_limit": city_limit, "expanded": "DE"}
    d = _drawing(orgs, members, **kw)
    key = {
        o.name: (
            f"city:{o.country}:{o.city.lower()}"
            if city_limit is None or o.country == "DE"
            else f"country:{o.country}"
        )
        for o in orgs
    }
    in_graph = {o.name for o in orgs}  # the graph holds every organisation, even one alone
    # Every organisation of the graph is in exactly one marker: its own.
    assert sorted(o for m in d.markers for o in m.organisations) == sorted(
        f"org:{n}" for n in in_graph
    )
    assert all(d.marker_of[f"org:{n}"] == key[n] for n in in_graph)
    projects_at: dict[str, set[str]] = {key[n]: set() for n in in_graph}
    for p, names in members.items():
        for n in names:
            projects_at.setdefault(key[n], set()).add(p)
    assert {m.id: m.n_projects for m in d.markers} == {k: len(v) for k, v in projects_at.items()}
    expected = {
        frozenset((a, b)): len(projects_at[a] & projects_at[b])
        for a, b in combinations(projects_at, 2)
        if projects_at[a] & projects_at[b]
    }
    assert {frozenset((k.a, k.b)): k.weight for k in d.links} == expected
    assert d.links_total == len(expected)


def test_only_the_strongest_links_are_drawn_but_all_of_the_selection() -> None:
    orgs = [_org(f"C{i}", "city", "DE", f"T{i}", 48 + i * 0.5, 7 + i * 0.5) for i in range(5)]
    # C0-C1 share three projects, C1-C2 two, every other pair one (project Z).
    members = {
        "X1": ["C0", "C1"],
        "X2": ["C0", "C1"],
        "X3": ["C0", "C1"],
        "Y1": ["C1", "C2"],
        "Y2": ["C1", "C2"],
        "Z": [o.name for o in orgs],
    }
    d = _drawing(orgs, members, link_limit=2)
    assert [(k.a, k.b, k.weight) for k in d.links] == [
        ("city:DE:t0", "city:DE:t1", 4),
        ("city:DE:t1", "city:DE:t2", 3),
    ]
    assert d.links_total == 10
    chosen = _drawing(orgs, members, link_limit=2, selected="org:C4")
    assert {k.a for k in chosen.links if k.b == "city:DE:t4"} == {
        "city:DE:t0",
        "city:DE:t1",
        "city:DE:t2",
        "city:DE:t3",
    }


def test_too_many_cities_become_countries_with_the_expanded_one_in_cities() -> None:
    ds = load_dataset(ROOT / "data")
    g = graph_from_dataset(ds)
    places = place_organisations(ds.organisations)
    d = map_drawing(g, places, city_limit=10, expanded="BE")
    assert d.level == "country" and d.cities_total == 31
    labels = {m.label for m in d.markers}
    assert {"DE", "FR", "ES", "Charleroi", "Liège", "Leuven"} <= labels and "BE" not in labels
    de = next(m for m in d.markers if m.id == "country:DE")
    assert len(de.organisations) == 5 and de.level == "country"


def test_on_the_bundled_data_dusseldorf_is_on_its_city_linked_to_leuven_by_two_projects() -> None:
    ds = load_dataset(ROOT / "data")
    d = map_drawing(graph_from_dataset(ds), place_organisations(ds.organisations))
    dus = next(m for m in d.markers if m.label == "Düsseldorf")
    assert (dus.latitude, dus.longitude) == pytest.approx((51.22, 6.78), abs=0.02)
    assert dus.organisations == ("org:Düsseldorf",) and dus.n_projects == 2
    weights = {(k.a, k.b): k.weight for k in d.links}
    assert weights[("city:BE:leuven", dus.id)] == 2
    assert len(d.markers) == 31 and len(d.unplaced) == 22


def test_beyond_the_marker_limit_the_busiest_cities_are_drawn_and_the_selected_one() -> None:
    orgs = [_org(f"C{i}", "city", "DE", f"T{i}", 48 + i * 0.5, 7 + i * 0.5) for i in range(5)]
    members = {"X1": ["C0", "C1"], "X2": ["C0", "C1"], "Y": ["C2", "C3"], "Z": ["C4"]}
    d = _drawing(orgs, members, marker_limit=2)
    assert [m.id for m in d.markers] == ["city:DE:t0", "city:DE:t1"]
    assert d.markers_total == 5 and d.marker_of["org:C4"] == "city:DE:t4"
    assert [(k.a, k.b, k.weight) for k in d.links] == [("city:DE:t0", "city:DE:t1", 2)]
    chosen = _drawing(orgs, members, marker_limit=2, selected="org:C3")
    assert [m.id for m in chosen.markers] == ["city:DE:t0", "city:DE:t1", "city:DE:t3"]
