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
  :mod:`defus_graph.names.places`): those whose place has a name share one marker per
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
  country only; of more than :data:`MARKER_LIMIT` markers, the countries and
  the cities with most projects are drawn (and the selected one), and the
  drawing says how many it leaves out (the README gives the time of a click on
  Horizon 2020-size data).

Examples
--------
>>> x, y = project([52.0], [10.0])
>>> abs(float(x[0])), abs(float(y[0]))
(0.0, 0.0)
"""

from __future__ import annotations

import json
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

import networkx as nx
import numpy as np
import scipy.sparse as sp

from ..graph.bipartite import PROJECT
from ..names.normal import normalise
from ..names.places import Place
from .style import kind_colour, node_size

__all__ = [
    "BOX",
    "CITY_LIMIT",
    "KM_PER_UNIT",
    "LINK_LIMIT",
    "MARKER_LIMIT",
    "OUTLINE_SOURCE",
    "SEVERAL_KINDS",
    "MapDrawing",
    "MapIndex",
    "MapLink",
    "Marker",
    "city_index",
    "link_width",
    "map_drawing",
    "outline_rings",
    "project",
]

#: Kilometres per screen unit of the projected map.
KM_PER_UNIT = 2.0

#: The most city markers drawn before the map groups organisations by country.
CITY_LIMIT = 1500

#: The most links drawn (the strongest; the selected marker's are always drawn).
LINK_LIMIT = 600

#: The most markers drawn: beyond it, every country and the cities with most
#: projects (and the selected one), as the network draws a large view in part.
MARKER_LIMIT = 600

#: The colour of a marker whose organisations are of several kinds.
SEVERAL_KINDS = "#FFFFFF"

#: The box the outlines cover (west, south, east, north, degrees); the map opens on it.
BOX = (-30.0, 27.0, 50.0, 72.0)

#: Where the outlines come from, for a caption or a file's notes.
OUTLINE_SOURCE = (
    "Country outlines: Natural Earth 1:50m (public domain), via world-atlas 2.0.2 (ISC)"
)

_EARTH_KM = 6371.0088
_CENTRE = (math.radians(52.0), math.radians(10.0))
_OUTLINES = "europe-50m.json"


def project(
    latitudes: Sequence[float] | np.ndarray, longitudes: Sequence[float] | np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Screen positions (x east, y down, in units of :data:`KM_PER_UNIT` km) of points.

    Lambert azimuthal equal-area on a sphere, centred on 52° N, 10° E.

    Examples
    --------
    >>> x, y = project([52.0, 60.0], [20.0, 10.0])  # east, then north of the centre
    >>> round(float(x[0])), round(float(y[0])), round(float(x[1])), round(float(y[1]))
    (341, -24, 0, -444)
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
    text = resources.files("defus_graph.draw").joinpath(_OUTLINES).read_text(encoding="utf-8")
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
    ``cities_total`` is how many city markers the graph's organisations make;
    ``markers_total`` how many markers there are before :data:`MARKER_LIMIT`
    keeps the busiest (``marker_of`` also maps the organisations of those left out);
    ``unplaced`` are the places (with their reasons) of the organisations of
    the graph that have no coordinates; ``marker_of`` maps each placed
    organisation's node id to its marker's id.
    """

    markers: tuple[Marker, ...]
    links: tuple[MapLink, ...]
    level: str
    expanded: str | None
    links_total: int
    unplaced: tuple[Place, ...]
    marker_of: dict[str, str] = field(repr=False)
    _matrix: sp.csr_array = field(repr=False)  # markers by projects, 1 where one takes part
    _projects: tuple[str, ...] = field(repr=False)
    _rows: dict[str, int] = field(repr=False, default_factory=dict)
    cities_total: int = 0
    markers_total: int = 0

    def in_box(self) -> list[str]:
        """The ids of the markers inside :data:`BOX` (the rest are partners far from Europe)."""
        west, south, east, north = BOX
        return [
            m.id
            for m in self.markers
            if west <= m.longitude <= east and south <= m.latitude <= north
        ]

    def marker(self, marker_id: str) -> Marker | None:
        """The marker ``marker_id``, or None."""
        return next((m for m in self.markers if m.id == marker_id), None)

    def shared_projects(self, a: str, b: str, *, limit: int | None = None) -> list[str]:
        """The project node ids markers ``a`` and ``b`` share (the first ``limit``, by id)."""
        row = self._rows
        if a not in row or b not in row:
            return []
        m = self._matrix
        ra = m.indices[m.indptr[row[a]] : m.indptr[row[a] + 1]]
        rb = m.indices[m.indptr[row[b]] : m.indptr[row[b] + 1]]
        names = sorted(self._projects[j] for j in np.intersect1d(ra, rb, assume_unique=True))
        return names if limit is None else names[:limit]


def link_width(weight: int, strongest: int) -> float:
    """A link's drawn width in pixels: 1 for one shared project, 8 for the strongest link.

    The width grows with the logarithm of the weight, relative to the strongest
    link drawn, so that a map of countries sharing thousands of projects stays
    as readable as one of cities sharing two.

    Examples
    --------
    >>> link_width(1, 4), link_width(2, 4), link_width(4, 4), link_width(1, 1)
    (1.0, 4.5, 8.0, 1.0)
    """
    if strongest <= 1 or weight <= 1:
        return 1.0
    return round(1.0 + 7.0 * math.log(weight) / math.log(strongest), 2)


def _binary(m: sp.csr_array) -> sp.csr_array:
    m = sp.csr_array(m)
    m.sum_duplicates()
    m.data[:] = 1
    return m


class MapIndex:
    """The placed organisations of a graph, ready to be grouped into markers many times.

    Built once per graph (a few tenths of a second for Horizon 2020's 30,000
    organisations); each :meth:`drawing` then groups them with sparse
    products, so a click that expands a country or selects a city is quick.

    Parameters
    ----------
    g : a (filtered) bipartite graph.
    places : :func:`defus_graph.names.places.place_organisations` of all the
        organisations of the data (more than ``g``'s is fine: a city name is told
        apart by its country when the data has it in several countries, and a
        city is labelled with the spelling most of the data's organisations
        there use, whatever ``g`` keeps).
    """

    def __init__(self, g: nx.Graph, places: Iterable[Place]) -> None:
        nodes, adj = g.nodes, g.adj
        every = list(places)
        spellings: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
        for p in every:
            if p.placed and p.city:
                spellings[p.country, normalise(p.city)][p.city] += 1
        countries_of: dict[str, set[str]] = defaultdict(set)
        for country, name in spellings:
            countries_of[name].add(country)
        self._city_label = {
            key: (
                f"{counts.most_common(1)[0][0]} ({key[0]})"
                if len(countries_of[key[1]]) > 1
                else counts.most_common(1)[0][0]
            )
            for key, counts in ((k, _ranked(c)) for k, c in spellings.items())
        }
        here = [p for p in every if f"org:{p.organisation}" in nodes]
        self.unplaced = tuple(p for p in here if not p.placed)
        placed = [p for p in here if p.placed]
        self.orgs = [f"org:{p.organisation}" for p in placed]
        self.names = [str(nodes[o].get("label", o)) for o in self.orgs]
        self.kinds = [str(nodes[o].get("kind") or "unknown") for o in self.orgs]
        self.countries = [p.country or "?" for p in placed]
        self.latitudes = np.array([p.latitude for p in placed], dtype=float)
        self.longitudes = np.array([p.longitude for p in placed], dtype=float)
        self.city_keys = [
            f"city:{p.country}:{normalise(p.city)}"
            if p.city
            else f"point:{p.latitude:.5f},{p.longitude:.5f}"
            for p in placed
        ]
        self._city_of = {
            f"city:{p.country}:{normalise(p.city)}": (p.country, normalise(p.city))
            for p in placed
            if p.city
        }
        projects: dict[str, int] = {}
        rows, cols = [], []
        for i, org in enumerate(self.orgs):
            for q in adj[org]:
                if nodes[q].get("bipartite") == PROJECT:
                    rows.append(i)
                    cols.append(projects.setdefault(q, len(projects)))
        self.projects = tuple(projects)
        self.incidence = _binary(
            sp.csr_array(
                (np.ones(len(rows), dtype=np.int32), (rows, cols)),
                shape=(len(self.orgs), len(projects)),
            )
        )

    def _label(self, key: str, members: Sequence[int]) -> str:
        if key.startswith("country:"):
            return key.split(":", 1)[1]
        if key in self._city_of:
            return self._city_label[self._city_of[key]]
        return " / ".join(sorted(self.names[i] for i in members))

    def keys(self, expanded: str | None = None, *, by_country: bool = False) -> list[str]:
        """Each placed organisation's marker id: its city's, or its country's."""
        if not by_country:
            return self.city_keys
        return [
            key if country == expanded else f"country:{country}"
            for key, country in zip(self.city_keys, self.countries, strict=True)
        ]

    def city_labels(self) -> dict[str, tuple[str, tuple[str, ...]]]:
        """Every city marker, at city level: label -> (marker id, organisation node ids)."""
        groups = self._members(self.city_keys)
        return {
            self._label(key, members): (key, tuple(self.orgs[i] for i in members))
            for key, members in groups.items()
        }

    def _members(self, keys: Sequence[str]) -> dict[str, list[int]]:
        """Marker id -> the organisations in it (indices), sorted by name; markers by id."""
        groups: dict[str, list[int]] = defaultdict(list)
        for i, key in enumerate(keys):
            groups[key].append(i)
        return {
            key: sorted(groups[key], key=lambda i: (self.names[i], i)) for key in sorted(groups)
        }

    def drawing(
        self,
        *,
        expanded: str | None = None,
        selected: str | None = None,
        city_limit: int = CITY_LIMIT,
        link_limit: int = LINK_LIMIT,
        marker_limit: int = MARKER_LIMIT,
    ) -> MapDrawing:
        """The markers and links: see :func:`map_drawing`."""
        level = "city"
        cities = len(set(self.city_keys))
        if cities > city_limit:
            level = "country"
        else:
            expanded = None
        groups = self._members(self.keys(expanded, by_country=level == "country"))
        ids = list(groups)
        owner = np.empty(len(self.orgs), dtype=np.int64)
        for row, members in enumerate(groups.values()):
            owner[members] = row
        pick = sp.csr_array(
            (np.ones(len(owner), dtype=np.int32), (owner, np.arange(len(owner)))),
            shape=(len(ids), len(self.orgs)),
        )
        matrix = _binary(pick @ self.incidence)
        counts = np.diff(matrix.indptr)
        top = int(counts.max(initial=0)) or 1
        marker_of = {self.orgs[i]: key for key, members in groups.items() for i in members}
        keep = marker_of.get(selected, selected) if selected else None
        rows = _busiest(ids, counts, keep, marker_limit)
        if len(rows) < len(ids):
            matrix, counts = _binary(matrix[rows]), counts[rows]
            ids = [ids[r] for r in rows]
        markers = tuple(
            self._marker(key, groups[key], int(n), top) for key, n in zip(ids, counts, strict=True)
        )
        links, total = _links(matrix, markers, keep, link_limit)
        return MapDrawing(
            markers,
            links,
            level,
            expanded,
            total,
            self.unplaced,
            marker_of,
            matrix,
            self.projects,
            {key: i for i, key in enumerate(ids)},
            cities,
            len(groups),
        )

    def _marker(self, key: str, members: list[int], n_projects: int, top: int) -> Marker:
        country_level = key.startswith("country:")
        average = np.median if country_level else np.mean
        lat = float(average(self.latitudes[members]))
        lon = float(average(self.longitudes[members]))
        x, y = project([lat], [lon])
        kinds = tuple(sorted({self.kinds[i] for i in members}))
        return Marker(
            id=key,
            label=self._label(key, members),
            level="country" if country_level else "city",
            country=self.countries[members[0]],
            latitude=lat,
            longitude=lon,
            x=round(float(x[0]), 2),
            y=round(float(y[0]), 2),
            organisations=tuple(self.orgs[i] for i in members),
            kinds=kinds,
            n_projects=n_projects,
            size=node_size(n_projects / top, smallest=4.0, largest=16.0),
            colour=kind_colour(kinds[0]) if len(kinds) == 1 else SEVERAL_KINDS,
        )


def _busiest(ids: Sequence[str], counts: np.ndarray, keep: str | None, limit: int) -> list[int]:
    """The rows to draw: every country, then the cities with most projects, and ``keep``."""
    if len(ids) <= limit:
        return list(range(len(ids)))
    countries = [r for r, key in enumerate(ids) if key.startswith("country:")]
    cities = [r for r, key in enumerate(ids) if not key.startswith("country:")]
    cities.sort(key=lambda r: (-int(counts[r]), ids[r]))
    chosen = set(countries) | set(cities[: max(limit - len(countries), 0)])
    chosen.update(r for r, key in enumerate(ids) if key == keep)
    return sorted(chosen)


def _ranked(counts: Counter[str]) -> Counter[str]:
    """``counts`` in a fixed order, so that a tie between spellings goes to the first by name."""
    return Counter(dict(sorted(counts.items())))


def _links(
    m: sp.csr_array, markers: Sequence[Marker], keep: str | None, limit: int
) -> tuple[tuple[MapLink, ...], int]:
    shared = sp.triu(m @ m.T, k=1).tocoo()
    weights = shared.data.astype(np.int64)
    order = np.lexsort((shared.col, shared.row, -weights))
    kept = [int(i) for i in order[:limit]]
    at = next((i for i, mk in enumerate(markers) if mk.id == keep), None) if keep else None
    if at is not None:
        rest = order[limit:]
        touching = rest[(shared.row[rest] == at) | (shared.col[rest] == at)]
        kept.extend(int(i) for i in touching)
    strongest = int(weights.max(initial=1))
    links = tuple(
        MapLink(
            markers[int(shared.row[i])].id,
            markers[int(shared.col[i])].id,
            int(weights[i]),
            link_width(int(weights[i]), strongest),
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
    marker_limit: int = MARKER_LIMIT,
) -> MapDrawing:
    """The map of the bipartite graph ``g``: its organisations' markers and the links between them.

    Parameters
    ----------
    g : the (filtered) bipartite graph; only its organisations are drawn.
    places : :func:`defus_graph.names.places.place_organisations` of (at least) its
        organisations.
    expanded : at country level, the country (ISO code) whose cities are drawn.
    selected : a marker id or organisation node id whose links are all drawn.
    city_limit, link_limit, marker_limit : see :data:`CITY_LIMIT`, :data:`LINK_LIMIT`,
        :data:`MARKER_LIMIT`.

    To draw one graph several times (other countries expanded, other
    selections), build its :class:`MapIndex` once and call its ``drawing``.

    Examples
    --------
    >>> from defus_graph.graph.bipartite import graph_from_dataset
    >>> from defus_graph.model import Dataset, Organisation, Participation, Project
    >>> from defus_graph.names.places import place_organisations
    >>> orgs = (Organisation("A", "city", "DE", latitude=51.2, longitude=6.8, city="X"),
    ...         Organisation("B", "NGO", "DE", latitude=51.2, longitude=6.8, city="X"),
    ...         Organisation("C", "city", "FR", latitude=48.9, longitude=2.4, city="Y"))
    >>> ds = Dataset(projects=(Project("P"),), organisations=orgs,
    ...     participations=tuple(Participation("P", o.name, "partner") for o in orgs))
    >>> d = map_drawing(graph_from_dataset(ds), place_organisations(orgs))
    >>> [(m.label, m.organisations, m.n_projects) for m in d.markers]
    [('X', ('org:A', 'org:B'), 1), ('Y', ('org:C',), 1)]
    >>> [(k.a, k.b, k.weight) for k in d.links]
    [('city:DE:x', 'city:FR:y', 1)]
    """
    return MapIndex(g, places).drawing(
        expanded=expanded,
        selected=selected,
        city_limit=city_limit,
        link_limit=link_limit,
        marker_limit=marker_limit,
    )


def city_index(g: nx.Graph, places: Iterable[Place]) -> dict[str, tuple[str, tuple[str, ...]]]:
    """Every city marker of ``g``'s organisations, at city level: label -> (id, organisations).

    The labels are the ones :func:`map_drawing` gives with the same ``places``,
    so a link to ``?city=<label>`` names the same city whatever the filters.
    """
    return MapIndex(g, places).city_labels()
