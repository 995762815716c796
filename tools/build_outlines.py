"""Build the bundled country outlines of Europe from the npm package ``world-atlas``.

The map view draws country outlines from Natural Earth's 1:50m Admin 0
countries (public domain), as the npm package ``world-atlas`` 2.0.2 (ISC
licence, Mike Bostock) carries them in TopoJSON. This script turns its
``countries-50m.json`` into the small file the package ships: each country's
rings clipped to the box around Europe the map shows, rounded to 0.01 degree
(about a kilometre; one screen pixel of the whole map is several), with points
closer than :data:`MIN_STEP` to the last one kept dropped. Run it only to
rebuild that file::

    npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    python tools/build_outlines.py package/countries-50m.json

It is not part of the package and never runs at run time.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

#: The box the map shows: west, south, east, north (degrees). Iceland to the
#: Caspian, the Canary Islands to the North Cape.
BOX = (-30.0, 27.0, 50.0, 72.0)

#: Points nearer than this (degrees, either axis) to the last kept one are dropped.
MIN_STEP = 0.04

TARGET = Path(__file__).resolve().parents[1] / "defus_graph" / "draw" / "europe-50m.json"

Ring = list[tuple[float, float]]


def decode_arcs(topology: dict[str, Any]) -> list[Ring]:
    """The topology's arcs in degrees (delta-decoded, transform applied)."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring_of(indices: list[int], arcs: list[Ring]) -> Ring:
    """A ring from arc indices (a negative index ``~i`` is arc ``i`` reversed)."""
    ring: Ring = []
    for i in indices:
        points = arcs[i] if i >= 0 else arcs[~i][::-1]
        ring.extend(points if not ring else points[1:])
    return ring


def _clip_edge(ring: Ring, inside: Any, cross: Any) -> Ring:
    out: Ring = []
    for i, current in enumerate(ring):
        previous = ring[i - 1]
        if inside(current):
            if not inside(previous):
                out.append(cross(previous, current))
            out.append(current)
        elif inside(previous):
            out.append(cross(previous, current))
    return out


def clip(ring: Ring, box: tuple[float, float, float, float] = BOX) -> Ring:
    """``ring`` clipped to ``box`` (Sutherland-Hodgman: a closed ring stays closed)."""
    west, south, east, north = box

    def at_x(x0: float) -> Any:
        def cross(a: tuple[float, float], b: tuple[float, float]) -> tuple[float, float]:
            t = (x0 - a[0]) / (b[0] - a[0])
            return x0, a[1] + t * (b[1] - a[1])

        return cross

    def at_y(y0: float) -> Any:
        def cross(a: tuple[float, float], b: tuple[float, float]) -> tuple[float, float]:
            t = (y0 - a[1]) / (b[1] - a[1])
            return a[0] + t * (b[0] - a[0]), y0

        return cross

    for inside, cross in (
        (lambda p: p[0] >= west, at_x(west)),
        (lambda p: p[0] <= east, at_x(east)),
        (lambda p: p[1] >= south, at_y(south)),
        (lambda p: p[1] <= north, at_y(north)),
    ):
        if not ring:
            break
        ring = _clip_edge(ring, inside, cross)
    return ring


def thinned(ring: Ring) -> list[int]:
    """The ring as flat hundredths of degrees, near repeats dropped; [] if too small."""
    kept: Ring = []
    for lon, lat in ring:
        if kept and abs(lon - kept[-1][0]) < MIN_STEP and abs(lat - kept[-1][1]) < MIN_STEP:
            continue
        kept.append((lon, lat))
    if len(kept) < 4:
        return []
    return [round(v * 100) for point in kept for v in point]


def countries(topology: dict[str, Any]) -> list[dict[str, Any]]:
    """Every country with a ring inside :data:`BOX`, by name."""
    arcs = decode_arcs(topology)
    out = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        polygons = geometry.get("arcs", [])
        if geometry["type"] == "Polygon":
            polygons = [polygons]
        rings = []
        for polygon in polygons:
            for indices in polygon:
                flat = thinned(clip(ring_of(indices, arcs)))
                if flat:
                    rings.append(flat)
        if rings:
            out.append({"name": geometry["properties"]["name"], "rings": rings})
    return sorted(out, key=lambda c: c["name"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("topojson", type=Path, help="world-atlas countries-50m.json")
    parser.add_argument("--out", type=Path, default=TARGET)
    args = parser.parse_args()
    topology = json.loads(args.topojson.read_text(encoding="utf-8"))
    document = {
        "source": "Natural Earth 1:50m Admin 0 countries (public domain), "
        "via the npm package world-atlas 2.0.2 (ISC licence), countries-50m.json",
        "built_by": "tools/build_outlines.py",
        "box": list(BOX),
        "units": "hundredths of a degree, longitude then latitude, rings flattened",
        "countries": countries(topology),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(document, separators=(",", ":")) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
