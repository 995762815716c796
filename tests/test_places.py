"""Placing organisations: data first, then the gazetteer on a city's name, then its city."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from defus_graph.model import KINDS, Organisation
from defus_graph.names.normal import normalise
from defus_graph.names.places import (
    NOT_PLACED,
    Gazetteer,
    GazetteerPlace,
    gazetteer,
    place_organisations,
)
from defus_graph.names.vocabulary import municipal_core


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine, Earth radius 6371 km)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371 * math.asin(math.sqrt(a))


def _one(o: Organisation, gaz: Gazetteer | None = None):  # type: ignore[no-untyped-def]
    [p] = place_organisations([o], gaz=gaz)
    return p


def test_dusseldorf_sits_on_dusseldorf(dataset) -> None:  # type: ignore[no-untyped-def]
    [p] = [p for p in place_organisations(dataset.organisations) if p.organisation == "Düsseldorf"]
    assert p.source.startswith("gazetteer: GeoNames ")
    assert _km(p.latitude, p.longitude, 51.22, 6.78) < 3


def test_names_in_other_languages_and_with_municipal_prefixes() -> None:
    nice = _one(Organisation("Stadt Nizza", "city", "FR"))
    assert nice.city == "Nice" and _km(nice.latitude, nice.longitude, 43.70, 7.27) < 5
    liege = _one(Organisation("Lüttich", "city", "BE"))
    assert liege.city == "Liège" and _km(liege.latitude, liege.longitude, 50.63, 5.57) < 5
    dus = _one(Organisation("Landeshauptstadt Düsseldorf", "city", "DE"))
    assert dus.city == "Düsseldorf" and _km(dus.latitude, dus.longitude, 51.22, 6.78) < 3


def test_the_country_must_match() -> None:
    # Nizza is Nice's name in German and Italian, but Nice is in France.
    p = _one(Organisation("Nizza", "city", "IT"))
    assert not p.placed and "not in the gazetteer" in p.source


def test_several_places_of_one_name_place_none_of_them() -> None:
    big = GazetteerPlace(1, "Essen", "DE", 51.46, 7.01)
    small = GazetteerPlace(2, "Essen", "DE", 52.72, 7.94)
    gaz = Gazetteer([(big, ["Essen"]), (small, ["Essen"])])
    p = _one(Organisation("Stadt Essen", "city", "DE"), gaz)
    assert not p.placed
    assert p.source.startswith(NOT_PLACED + "ambiguous: ")
    assert "GeoNames 1" in p.source and "GeoNames 2" in p.source


def test_unknown_names_regions_and_organisations_without_a_city_are_not_placed() -> None:
    cases = {
        Organisation("Gotham", "city", "DE"): "not in the gazetteer",
        Organisation("Umbria", "region", "IT"): "region centroid unknown (no offline source)",
        # A region is never put on its capital's point, even with a city.
        Organisation("Generalitat de Catalunya", "region", "ES", city="Barcelona"): "region",
        Organisation("Fryshuset", "NGO", "SE"): "gives no city",
        Organisation("Lille", "city", ""): "no country",
    }
    for org, reason in cases.items():
        p = _one(org)
        assert not p.placed and p.latitude is None and p.longitude is None
        assert p.source.startswith(NOT_PLACED) and reason in p.source, p.source


def test_the_data_comes_first_then_the_name_then_the_city() -> None:
    own = _one(Organisation("Düsseldorf", "city", "DE", latitude=1.5, longitude=2.5))
    assert (own.latitude, own.longitude, own.source) == (1.5, 2.5, "data")
    uni = _one(Organisation("University of Salford", "university", "GB", city="Salford"))
    assert uni.source == "city: Salford, GeoNames 2638671 Salford"
    assert _km(uni.latitude, uni.longitude, 53.49, -2.29) < 3


def test_the_bundled_organisations(dataset) -> None:  # type: ignore[no-untyped-def]
    places = {p.organisation: p for p in place_organisations(dataset.organisations)}
    cities = [o.name for o in dataset.organisations if o.kind == "city"]
    # Below the gazetteer's 15,000 inhabitants: two hand-kept from GeoNames' smaller list,
    # Pella (a municipality named after a village) and Nea Propontida (in no list) not placed.
    small = {"Nea Propontida", "Pella"}
    for name in cities:
        assert places[name].placed == (name not in small), places[name].source
    for name in small:
        assert "not in the gazetteer" in places[name].source
    for name in ("Igoumenitsa", "Maranello"):
        assert places[name].source == "data"
    assert _km(places["Maranello"].latitude, places["Maranello"].longitude, 44.53, 10.87) < 2
    for o in dataset.organisations:
        if o.kind == "region":
            assert not places[o.name].placed
    assert places["Nice"].city == "Nice" and places["Liège"].city == "Liège"
    assert places["University of Warwick"].city == "Coventry"
    assert places["Université de Toulouse"].city == "Toulouse"


_NICE = GazetteerPlace(2990440, "Nice", "FR", 43.70, 7.27)
_GAZ = Gazetteer([(_NICE, ["Nice", "Nizza"])])
_coord = st.floats(-89, 89, allow_nan=False)


@settings(max_examples=200, deadline=None)
@given(
    name=st.one_of(st.sampled_from(["Nice", "Stadt Nizza", "NIZZA"]), st.text(max_size=12)),
    kind=st.sampled_from(("", *KINDS)),
    country=st.sampled_from(["", "FR", "IT"]),
    city=st.sampled_from(["", "Nice", "Elsewhere"]),
    coords=st.one_of(st.none(), st.tuples(_coord, _coord)),
)
def test_the_order_of_sources_and_no_place_for_an_unknown_name(
    name: str, kind: str, country: str, city: str, coords: tuple[float, float] | None
) -> None:
    lat, lon = coords if coords else (None, None)
    o = Organisation(name, kind, country, city=city, latitude=lat, longitude=lon)
    p = _one(o, _GAZ)
    if coords:
        assert (p.latitude, p.longitude, p.source) == (lat, lon, "data")
        return
    names_nice = bool({normalise(name), municipal_core(name)} & {"nice", "nizza"})
    by_name = kind == "city" and country == "FR" and names_nice
    by_city = kind != "region" and country == "FR" and city == "Nice"
    if by_name:
        assert p.source == "gazetteer: GeoNames 2990440 Nice"
    elif by_city:
        assert p.source == "city: Nice, GeoNames 2990440 Nice"
    else:
        assert not p.placed and p.source.startswith(NOT_PLACED)
    if p.placed:
        assert (p.latitude, p.longitude) == (43.70, 7.27)


def test_the_gazetteer_is_read_only_when_a_name_must_be_looked_up() -> None:
    from defus_graph.names.places import _gazetteer_rows, _names_of

    _gazetteer_rows.cache_clear()
    _names_of.cache_clear()
    place_organisations(
        [
            Organisation("Fryshuset", "NGO", "SE"),
            Organisation("X", "city", "DE", latitude=1.0, longitude=2.0),
        ]
    )
    assert _gazetteer_rows.cache_info().currsize == 0
    place_organisations([Organisation("Genk", "city", "BE")])
    assert _gazetteer_rows.cache_info().currsize == 1


def test_half_a_coordinate_is_no_place_and_says_so() -> None:
    p = _one(Organisation("Lab", "NGO", "DE", latitude=51.0))
    assert not p.placed and "a latitude or a longitude, not both" in p.source


def test_placing_leaves_the_cycle_collector_as_it_found_it() -> None:
    import gc

    orgs = [Organisation("Stadt Nizza", "city", "FR"), Organisation("Gotham", "city", "DE")]
    was = gc.isenabled()
    try:
        for state in (True, False):
            (gc.enable if state else gc.disable)()
            gazetteer.cache_clear()  # the pause also wraps building the gazetteer
            places = place_organisations(orgs)
            assert gc.isenabled() is state
            assert [p.placed for p in places] == [True, False]
    finally:
        (gc.enable if was else gc.disable)()


# Names as the gazetteer holds them: any script, accents, ligatures, odd spaces and the
# apostrophes and dashes normalise rewrites, beside plain letters.
_NAME_CHARS = st.one_of(
    st.characters(codec="utf-8", exclude_characters="\x00"),
    st.sampled_from("’‘`´–—ßẞﬁ \t\u00a0\u2003̈́éÄöüσΣİ"),
)


@given(st.lists(st.text(_NAME_CHARS, max_size=12), max_size=30))
@settings(max_examples=300, deadline=None)
def test_normalising_names_together_is_normalising_each(names: list[str]) -> None:
    from defus_graph.names.normal import normalise_all

    assert normalise_all(names) == [normalise.__wrapped__(n) for n in names]


def test_normalising_a_name_holding_the_joint_still_normalises_it() -> None:
    from defus_graph.names.normal import normalise_all

    assert normalise_all(["a\x00 B", " Ü "]) == [normalise("a\x00 B"), "u"]


@given(st.lists(st.text(_NAME_CHARS, max_size=12), max_size=30), st.data())
@settings(max_examples=300, deadline=None)
def test_keys_worked_out_ahead_are_the_keys_of_each_name(
    names: list[str], data: st.DataObject
) -> None:
    from defus_graph.names import normal

    asked = data.draw(st.lists(st.sampled_from(names), max_size=10)) if names else []
    normal.prime_name_keys([])  # nothing worked out ahead: the reference forms, one by one
    forms = {n: normalise.__wrapped__(n) for n in names}
    keys = {
        n: frozenset({forms[n], normalise.__wrapped__(n.translate(normal._GERMAN))}) for n in names
    }
    normal.name_keys.cache_clear()
    normal.normalise.cache_clear()
    normal.prime_name_keys(names)
    for name in asked + names:
        assert normal.name_keys(name) == keys[name]
        assert normal.normalise(name) == forms[name]


@given(st.lists(st.text(st.one_of(_NAME_CHARS, st.sampled_from("äöüÄÖÜ\x00")), max_size=12)))
@settings(max_examples=300, deadline=None)
def test_names_spelled_out_together_are_each_spelled_out(names: list[str]) -> None:
    # Umlauts anywhere (first, last, doubled), beside the joint itself (one by one then).
    from defus_graph.names import normal

    assert normal._spelled_out(names) == [n.translate(normal._GERMAN) for n in names]


# Placing many organisations looks each name up once, in the part of the gazetteer they
# ask for: the places must be those the whole gazetteer of their countries gives.

_COUNTRIES = ("DE", "FR", "IT", "BE", "AT")


def _gazetteer_names() -> list[str]:
    from defus_graph.names.places import _gazetteer_rows

    rows = sorted(_gazetteer_rows().values(), key=lambda r: int(r["geonameid"]))
    names = [r["name"] for r in rows if r["countrycode"] in _COUNTRIES]
    # Alternate names too (other languages, umlauts), one in twenty.
    names += [a for r in rows[::20] if r["countrycode"] in _COUNTRIES for a in r["alternatenames"]]
    return names


_NAMES = _gazetteer_names()
_UMLAUTS = [n for n in _NAMES if any(c in n for c in "äöüÄÖÜ")]
_GERMAN = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"})
_SPELLED = (
    st.sampled_from(_NAMES)
    | st.sampled_from(["Frankfurt", "Essen", "Lüttich", "Nizza"])
    | st.sampled_from(_UMLAUTS).map(lambda n: n.translate(_GERMAN))
)
_TYPED = st.tuples(
    _SPELLED, st.sampled_from(["{}", "Stadt {}", "City of {}", "Ville de {}", "{} (unit)"])
).map(lambda t: t[1].format(t[0]))
_TYPED = _TYPED | _TYPED.map(str.upper) | st.text()
_ORGS = st.builds(
    Organisation,
    name=_TYPED,
    kind=st.sampled_from(["city", "university", "region", "company", ""]),
    country=st.sampled_from([*_COUNTRIES, "de", "XX", ""]),
    city=st.sampled_from(["", ""]) | _TYPED,
    latitude=st.none() | st.floats(-100, 100),
    longitude=st.none() | st.floats(-200, 200),
)


@given(st.lists(_ORGS, max_size=25))
@settings(max_examples=150, deadline=None)
def test_placing_many_is_placing_each_in_the_whole_gazetteer(orgs: list[Organisation]) -> None:
    whole = gazetteer(frozenset(o.country.upper() for o in orgs if o.country))
    assert place_organisations(orgs) == [_one(o, whole) for o in orgs]
