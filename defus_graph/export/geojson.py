"""The partner network on a map: GeoJSON (RFC 7946) for QGIS, kepler.gl or geojson.io.

Written from the bipartite graph once :func:`defus_graph.names.places.with_coordinates`
has set ``latitude``/``longitude`` on its organisations:

- one ``Point`` per place: the organisations at exactly those coordinates
  (a city's organisations placed from the gazetteer share its point; one with
  its own coordinates in the data keeps them), with properties ``name`` (the
  place's name), ``organisations``, ``kinds``, ``countries`` and
  ``place_sources`` (one entry per organisation, in the same order),
  ``projects`` (the acronyms of all their projects), ``n_organisations`` and
  ``n_projects``;
- one ``LineString`` between two places whose organisations share projects,
  with ``from``, ``to``, ``weight`` (the number of shared projects) and
  ``projects``.

Coordinates are WGS 84 longitude, latitude (RFC 7946 section 3.1.1); there is
no ``crs`` member. Organisations without coordinates are left out (``defus-graph
places`` lists them with the reason). Names are text: JSON escapes what needs it.

Examples
--------
>>> import json
>>> from defus_graph.graph.bipartite import graph_from_dataset
>>> from defus_graph.model import Dataset, Organisation, Participation, Project
>>> ds = Dataset(projects=(Project("P"),),
...     organisations=(Organisation("A", "city", latitude=51.2, longitude=6.8),),
...     participations=(Participation("P", "A", "partner"),))
>>> doc = json.loads(geojson_bytes(graph_from_dataset(ds)))
>>> doc["features"][0]["geometry"]
{'type': 'Point', 'coordinates': [6.8, 51.2]}
"""

from __future__ import annotations

import json
from collections import defaultdict
from itertools import combinations
from pathlib import Path
from typing import Any

import networkx as nx

from ._files import write_atomic

__all__ = ["geojson_bytes", "geojson_document", "write_geojson"]

_Point = tuple[float, float]  # (longitude, latitude)


def _organisations_by_point(g: nx.Graph) -> dict[_Point, list[str]]:
    points: dict[_Point, list[str]] = defaultdict(list)
    for node, attrs in g.nodes(data=True):
        if attrs.get("bipartite") != 1:
            continue
        lat, lon = attrs.get("latitude"), attrs.get("longitude")
        if lat is None or lon is None:
            continue
        points[float(lon), float(lat)].append(node)
    return points


def _projects(g: nx.Graph, node: str) -> set[str]:
    nodes = g.nodes
    return {
        str(nodes[p].get("label", p)) for p in g.neighbors(node) if nodes[p].get("bipartite") == 0
    }


def geojson_document(g: nx.Graph) -> dict[str, Any]:
    """The places of ``g``'s organisations and the links between them, as a GeoJSON object.

    Parameters
    ----------
    g : a bipartite graph (:func:`defus_graph.graph.bipartite.graph_from_dataset`, or a
        filtered view of it) whose organisations carry ``latitude`` and
        ``longitude``.
    """
    nodes = g.nodes
    points = _organisations_by_point(g)
    label = {p: "" for p in points}
    features: list[dict[str, Any]] = []
    projects_at: dict[_Point, set[str]] = {}
    for point in sorted(points, key=lambda pt: (_name(g, points[pt]), pt)):
        orgs = sorted(points[point], key=lambda n: str(nodes[n].get("label", n)))
        projects = set().union(*(_projects(g, n) for n in orgs))
        projects_at[point] = projects
        label[point] = _name(g, orgs)
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [point[0], point[1]]},
                "properties": {
                    "name": label[point],
                    "organisations": [str(nodes[n].get("label", n)) for n in orgs],
                    "kinds": [str(nodes[n].get("kind", "")) for n in orgs],
                    "countries": [str(nodes[n].get("country", "")) for n in orgs],
                    "place_sources": [str(nodes[n].get("place_source", "")) for n in orgs],
                    "projects": sorted(projects),
                    "n_organisations": len(orgs),
                    "n_projects": len(projects),
                },
            }
        )
    # Pairs found through each project's places, not by comparing every two places.
    position = {point: i for i, point in enumerate(projects_at)}
    places_of: dict[str, set[_Point]] = defaultdict(set)
    for point, projects in projects_at.items():
        for project in projects:
            places_of[project].add(point)
    shared: dict[tuple[_Point, _Point], list[str]] = defaultdict(list)
    for project in sorted(places_of):
        here = sorted(places_of[project], key=position.__getitem__)
        for a, b in combinations(here, 2):
            shared[a, b].append(project)
    for a, b in sorted(shared, key=lambda ab: (position[ab[0]], position[ab[1]])):
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "LineString", "coordinates": [[a[0], a[1]], [b[0], b[1]]]},
                "properties": {
                    "from": label[a],
                    "to": label[b],
                    "weight": len(shared[a, b]),
                    "projects": shared[a, b],
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


def _name(g: nx.Graph, orgs: list[str]) -> str:
    """A place's name: the places its organisations were put at, else their names."""
    nodes = g.nodes
    names = sorted({str(nodes[n].get("place") or nodes[n].get("city") or "") for n in orgs} - {""})
    if not names:
        names = sorted(str(nodes[n].get("label", n)) for n in orgs)
    return " / ".join(names)


def geojson_bytes(g: nx.Graph) -> bytes:
    """:func:`geojson_document` of ``g`` as UTF-8 JSON."""
    text = json.dumps(
        geojson_document(g), ensure_ascii=False, allow_nan=False, separators=(",", ":")
    )
    return (text + "\n").encode("utf-8")


def write_geojson(g: nx.Graph, path: Path) -> Path:
    """Write :func:`geojson_bytes` of ``g`` to ``path`` atomically; returns the path."""
    return write_atomic(Path(path), geojson_bytes(g))
