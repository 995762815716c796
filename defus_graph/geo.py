"""The network on a map of Europe: projected places, grouped markers, weighted links, outlines.

Pure functions, no drawing library: the dashboard's map view
(:mod:`defus_graph.dashboard.map`) and any picture of it take what
:func:`map_drawing` returns.

- **Projection.** Lambert azimuthal equal-area centred on 52° N, 10° E (the
  centre of ETRS89-LAEA, EPSG:3035, which Eurostat uses for maps of Europe),
  on a sphere of radius 6371 km; areas keep their proportions, so no country
  looks bigger than it is. :func:`project` gives screen units of
  :data:`KM_PER_UNIT` km, x to the east and y *down*, as vis-network expects.
- **Outlines.** Natural Earth 1:50m country outlines (public domain) from the
  npm package ``world-atlas`` 2.0.2 (ISC), clipped to the box around Europe and
  thinned by ``tools/build_outlines.py`` into ``draw/europe-50m.json`` (160 KB),
  read from the installed package, never from the network.
- **Markers.** Organisations are grouped by place (see
  :mod:`defus_graph.places`): those whose place has a name share one marker per
  city and country ("Düsseldorf", DE); one placed only by its own coordinates,
  without a city, gets a marker at its point. A marker sits at the mean of its
  organisations' points, is sized by the number of distinct projects they take
  part in (area-proportional, in screen pixels: zooming in pulls neighbouring
  cities apart rather than growing them) and coloured by their kind (one colour per kind,
  :data:`SEVERAL_KINDS` for a marker holding several kinds).
- **Links.** Two markers are linked when their organisations share projects;
  the weight is the number of projects shared, counted once per project
  however many organisations of each take part (a sparse product of the
  marker-by-project matrix, so Horizon 2020's 30,000 projects take well under a
  second). Only the :data:`LINK_LIMIT` strongest links are drawn, with every
  link of the selected marker; the drawing says how many it leaves out.
- **Aggregation.** More than :data:`CITY_LIMIT` city markers are too many to
  read or to draw quickly: the map then shows one marker per country (at the
  median of its organisations' points) and the cities of one ``expanded``
  country only.

Examples
--------
>>> x, y = project([52.0], [10.0])
>>> abs(float(x[0])), abs(float(y[0]))
(0.0, 0.0)
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

import networkx as nx
import numpy as np
import scipy.sparse as sp

from .graph import PROJECT
from .places import Place
from .resolve_text import normalise
from .style import kind_colour, node_size

__all__ = [
    "CITY_LIMIT",
    "KM_PER_UNIT",
    "LINK_LIMIT",
    "OUTLINE_SOURCE",
    "SEVERAL_KINDS",
    "MapDrawing",
    "MapLink",
    "Marker",
    "city_index",
    "link_width",
    "map_drawing",
    "outline_rings",
    "project",
    "shared_projects",
]

#: Kilometres per screen unit of the projected map.
KM_PER_UNIT = 2.0

#: The most city markers drawn before the map groups organisations by country.
CITY_LIMIT = 1500

#: The most links drawn (the strongest; the selected marker's are always drawn).
LINK_LIMIT = 1500

#: The colour of a marker whose organisations are of several kinds.
SEVERAL_KINDS = "#FFFFFF"

#: Where the outlines come from, for a caption or a file's notes.
OUTLINE_SOURCE = (
    "Country outlines: Natural Earth 1:50m (public domain), via world-atlas 2.0.2 (ISC)"
)

_EARTH_KM = 6371.0088
_CENTRE = (math.radians(52.0), math.radians(10.0))
_OUTLINES = "draw/europe-50m.json"


def project(
    latitudes: Sequence[float] | np.ndarray, longitudes: Sequence[float] | np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Screen positions (x east, y down, in units of :data:`KM_PER_UNIT` km) of points.

    Lambert azimuthal equal-area on a sphere, centred on 52° N, 10° E.

    Examples
    --------
    >>> x, y = project([52.0, 60.0], [20.0, 10.0])  # east, then north of the centre
    >>> round(float(x[0])), round(float(y[0])), round(float(x[1])), round(float(y[1]))
    (171, -12, 0, -222)
    """
    lat = np.radians(np.asarray(latitudes, dtype=float))
    lon = np.radians(np.asarray(longitudes, dtype=float))
    lat0, lon0 = _CENTRE
    dlon = lon - lon0
    cos_c = np.sin(lat0) * np.sin(lat) + np.cos(lat0) * np.cos(lat) * np.cos(dlon)
    # The antipode has no image; nothing on a map of Europe comes near it.
    k = np.sqrt(2.0 / np.maximum(1.0 + cos_c, 1e-12))
    x = k * np.cos(lat) * np.sin(dlon)
    north = k * (np.cos(lat0) * np.sin(lat) - np.sin(lat0) * np.cos(lat) * np.cos(dlon))
    scale = _EARTH_KM / KM_PER_UNIT
    return x * scale, -north * scale


@cache
def outline_rings() -> tuple[np.ndarray, ...]:
    """Every country ring of the bundled outlines, projected: arrays of shape (n, 2).

    Each ring is closed (its last point joins its first); fill them for land
    and stroke them for borders.
    """
    text = resources.files("defus_graph").joinpath(_OUTLINES).read_text(encoding="utf-8")
    rings = []
    for country in json.loads(text)["countries"]:
        for flat in country["rings"]:
            pairs = np.asarray(flat, dtype=float).reshape(-1, 2) / 100.0
            x, y = project(pairs[:, 1], pairs[:, 0])
            rings.append(np.round(np.column_stack([x, y]), 1))
    return tuple(rings)


@dataclass(frozen=True)
class Marker:
    """One marker: a city (or a point) holding organisations, or a whole country.

    ``id`` is ``"city:<country>:<name>"``, ``"point:<lat>,<lon>"`` or
    ``"country:<code>"``; ``label`` is unique within a drawing (a city's name,
    with its country when two countries have a city of that name);
    ``organisations`` are node ids (``org:<name>``) sorted by name; ``x``, ``y``
    are :func:`project`'s units; ``size`` is a radius in screen pixels, the same
    at every zoom (4 to 16, by area, relative to the busiest marker).
    """

    id: str
    label: str
    level: str
    country: str
    latitude: float
    longitude: float
    x: float
    y: float
    organisations: tuple[str, ...]
    kinds: tuple[str, ...]
    n_projects: int
    size: float
    colour: str


@dataclass(frozen=True)
class MapLink:
    """Two markers whose organisations share ``weight`` projects (``a`` < ``b`` by index)."""

    a: str
    b: str
    weight: int
    width: float


@dataclass(frozen=True)
class MapDrawing:
    """What the map draws: markers, links, and what it leaves out.

    ``level`` is ``"city"`` or ``"country"`` (countries, with the cities of
    ``expanded``); ``links_total`` counts every link before :data:`LINK_LIMIT`;
    ``unplaced`` are the places (with their reasons) of the organisations of
    the graph that have no coordinates.
    """

    markers: tuple[Marker, ...]
    links: tuple[MapLink, ...]
    level: str
    expanded: str | None
    links_total: int
    unplaced: tuple[Place, ...]
    marker_of: dict[str, str] = field(repr=False)
    projects_of: dict[str, tuple[str, ...]] = field(repr=False)

    def marker(self, marker_id: str) -> Marker | None:
        """The marker ``marker_id``, or None."""
        return next((m for m in self.markers if m.id == marker_id), None)


def link_width(weight: int) -> float:
    """A link's drawn width: 1 for one shared project, growing with the log of more.

    Examples
    --------
    >>> link_width(1), link_width(4)
    (1.0, 5.0)
    """
    return round(1.0 + 2.0 * math.log2(max(weight, 1)), 2)


def _city_key(p: Place) -> str:
    if p.city:
        return f"city:{p.country}:{p.city}"
    return f"point:{p.latitude:.5f},{p.longitude:.5f}"


@dataclass
class _Group:
    key: str
    country: str
    city: str
    orgs: list[str]
    points: list[tuple[float, float]]


def _groups(
    g: nx.Graph, places: Iterable[Place], expanded: str | None, by_country: bool
) -> dict[str, _Group]:
    nodes = g.nodes
    groups: dict[str, _Group] = {}
    for p in places:
        node = f"org:{p.organisation}"
        if not p.placed or node not in nodes or p.latitude is None or p.longitude is None:
            continue
        country = p.country or "?"
        if by_country and country != expanded:
            key, city = f"country:{country}", ""
        else:
            key, city = _city_key(p), p.city
        group = groups.setdefault(key, _Group(key, country, city, [], []))
        group.orgs.append(node)
        group.points.append((p.latitude, p.longitude))
    return groups


def _ambiguous(places: Sequence[Place]) -> frozenset[str]:
    """City names (normalised) that name places in more than one country."""
    countries: dict[str, set[str]] = {}
    for p in places:
        if p.placed and p.city:
            countries.setdefault(normalise(p.city), set()).add(p.country)
    return frozenset(name for name, found in countries.items() if len(found) > 1)


def _label(group: _Group, g: nx.Graph, ambiguous: frozenset[str]) -> str:
    """A marker's label: its country, its city (with the country when the name is in several),
    or the names of the organisations at its point."""
    if group.key.startswith("country:"):
        return group.country
    if group.city:
        return (
            f"{group.city} ({group.country})" if normalise(group.city) in ambiguous else group.city
        )
    nodes = g.nodes
    return " / ".join(sorted(str(nodes[n].get("label", n)) for n in group.orgs))


def _incidence(g: nx.Graph, groups: Sequence[_Group]) -> tuple[sp.csr_array, list[str]]:
    """Markers by projects: 1 where some organisation of the marker takes part."""
    projects: dict[str, int] = {}
    rows, cols = [], []
    adj, nodes = g.adj, g.nodes
    for i, group in enumerate(groups):
        for org in group.orgs:
            for p in adj[org]:
                if nodes[p].get("bipartite") == PROJECT:
                    rows.append(i)
                    cols.append(projects.setdefault(p, len(projects)))
    m = sp.csr_array(
        (np.ones(len(rows), dtype=np.int32), (rows, cols)), shape=(len(groups), len(projects))
    )
    m.sum_duplicates()
    m.data[:] = 1
    return m, list(projects)


def _marker(group: _Group, label: str, n_projects: int, top: int, g: nx.Graph) -> Marker:
    nodes = g.nodes
    orgs = tuple(sorted(group.orgs, key=lambda n: str(nodes[n].get("label", n))))
    kinds = tuple(sorted({str(nodes[n].get("kind") or "unknown") for n in orgs}))
    lats, lons = zip(*group.points, strict=True)
    country_level = group.key.startswith("country:")
    lat = float(np.median(lats) if country_level else np.mean(lats))
    lon = float(np.median(lons) if country_level else np.mean(lons))
    x, y = project([lat], [lon])
    return Marker(
        id=group.key,
        label=label,
        level="country" if country_level else "city",
        country=group.country,
        latitude=lat,
        longitude=lon,
        x=round(float(x[0]), 2),
        y=round(float(y[0]), 2),
        organisations=orgs,
        kinds=kinds,
        n_projects=n_projects,
        size=node_size(n_projects / top, smallest=4.0, largest=16.0),
        colour=kind_colour(kinds[0]) if len(kinds) == 1 else SEVERAL_KINDS,
    )


def _links(
    m: sp.csr_array, markers: Sequence[Marker], keep: str | None, limit: int
) -> tuple[tuple[MapLink, ...], int]:
    shared = sp.triu(m @ m.T, k=1).tocoo()
    weights = shared.data.astype(np.int64)
    order = np.lexsort((shared.col, shared.row, -weights))
    kept = [int(i) for i in order[:limit]]
    if keep is not None:
        at = next((i for i, mk in enumerate(markers) if mk.id == keep), None)
        if at is not None:
            chosen = set(kept)
            kept.extend(
                i
                for i in order[limit:]
                if (shared.row[i] == at or shared.col[i] == at) and i not in chosen
            )
    links = tuple(
        MapLink(
            markers[int(shared.row[i])].id,
            markers[int(shared.col[i])].id,
            int(weights[i]),
            link_width(int(weights[i])),
        )
        for i in kept
    )
    return links, len(weights)


def map_drawing(
    g: nx.Graph,
    places: Iterable[Place],
    *,
    expanded: str | None = None,
    selected: str | None = None,
    city_limit: int = CITY_LIMIT,
    link_limit: int = LINK_LIMIT,
) -> MapDrawing:
    """The map of the bipartite graph ``g``: its organisations' markers and the links between them.

    Parameters
    ----------
    g : the (filtered) bipartite graph; only its organisations are drawn.
    places : :func:`defus_graph.places.place_organisations` of (at least) its
        organisations.
    expanded : at country level, the country (ISO code) whose cities are drawn.
    selected : a marker id or organisation node id whose links are all drawn.
    city_limit, link_limit : see :data:`CITY_LIMIT`, :data:`LINK_LIMIT`.

    Examples
    --------
    >>> from defus_graph.graph import graph_from_dataset
    >>> from defus_graph.model import Dataset, Organisation, Participation, Project
    >>> from defus_graph.places import place_organisations
    >>> orgs = (Organisation("A", "city", "DE", latitude=51.2, longitude=6.8, city="X"),
    ...         Organisation("B", "NGO", "DE", latitude=51.2, longitude=6.8, city="X"),
    ...         Organisation("C", "city", "FR", latitude=48.9, longitude=2.4, city="Y"))
    >>> ds = Dataset(projects=(Project("P"),), organisations=orgs,
    ...     participations=tuple(Participation("P", o.name, "partner") for o in orgs))
    >>> d = map_drawing(graph_from_dataset(ds), place_organisations(orgs))
    >>> [(m.label, m.organisations, m.n_projects) for m in d.markers]
    [('X', ('org:A', 'org:B'), 1), ('Y', ('org:C',), 1)]
    >>> [(k.a, k.b, k.weight) for k in d.links]
    [('city:DE:X', 'city:FR:Y', 1)]
    """
    every = list(places)
    ambiguous = _ambiguous(every)
    places = [p for p in every if f"org:{p.organisation}" in g]
    unplaced = tuple(p for p in places if not p.placed)
    groups = _groups(g, places, None, by_country=False)
    level = "city"
    if len(groups) > city_limit:
        groups = _groups(g, places, expanded, by_country=True)
        level = "country"
    else:
        expanded = None
    ordered = sorted(groups.values(), key=lambda grp: grp.key)
    labels = [_label(grp, g, ambiguous) for grp in ordered]
    m, projects = _incidence(g, ordered)
    counts = np.asarray(m.sum(axis=1)).ravel().astype(int).tolist()
    top = max(counts, default=0) or 1
    markers = tuple(
        _marker(grp, label, n, top, g)
        for grp, label, n in zip(ordered, labels, counts, strict=True)
    )
    marker_of = {org: mk.id for mk in markers for org in mk.organisations}
    keep = marker_of.get(selected, selected) if selected else None
    links, total = _links(m, markers, keep, link_limit)
    projects_of = {
        mk.id: tuple(projects[j] for j in m.indices[m.indptr[i] : m.indptr[i + 1]])
        for i, mk in enumerate(markers)
    }
    return MapDrawing(markers, links, level, expanded, total, unplaced, marker_of, projects_of)


def city_index(g: nx.Graph, places: Iterable[Place]) -> dict[str, tuple[str, tuple[str, ...]]]:
    """Every city marker of ``g``'s organisations, at city level: label -> (id, organisations).

    The labels are the ones :func:`map_drawing` gives the same ``places`` (the
    country is added to a city name found in several countries among them), so a
    link to ``?city=<label>`` names the same city whatever the filters.
    """
    every = list(places)
    ambiguous = _ambiguous(every)
    groups = _groups(g, (p for p in every if f"org:{p.organisation}" in g), None, by_country=False)
    nodes = g.nodes
    out = {}
    for group in sorted(groups.values(), key=lambda grp: grp.key):
        orgs = tuple(sorted(group.orgs, key=lambda n: str(nodes[n].get("label", n))))
        out[_label(group, g, ambiguous)] = (group.key, orgs)
    return out


def shared_projects(drawing: MapDrawing, a: str, b: str) -> list[str]:
    """The project node ids markers ``a`` and ``b`` share."""
    return sorted(set(drawing.projects_of.get(a, ())) & set(drawing.projects_of.get(b, ())))
