"""The picture downloads: the network or the map on screen as a PNG for reports.

Drawn on the server (:mod:`defus_graph.draw.picture`) from what the screen
draws: the same part of the view, positions, sizes and selection for the
network (:func:`picture_file`), the same payload and country outlines for the
map (:func:`map_picture_file`), with the sidebar's filters and the data's name
and date in its caption. The picture shows the drawing as the screen shows it
before any zoom or drag.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..draw.focus import FocusedView
from ..draw.geo import MapDrawing, outline_rings
from ..draw.scene import About, files_dated, picture_title
from ..export.png import drawn_png, payload_png
from ..graph.views import Filters
from ..store.folders import is_bundled
from .data import Network, View

__all__ = ["data_about", "map_picture_file", "picture_file"]


def data_about(net: Network) -> tuple[str, str]:
    """The data's name (as the banner names it) and its date: when its files last changed.

    Data added in this browser tab has no files yet: it is "not saved".
    """
    if not net.folder:
        return "data added in this browser tab", "not saved"
    name = "Bundled data" if is_bundled(Path(net.folder)) else net.folder
    return name, files_dated(mtime for _, mtime, _ in net.stamp)


def picture_file(
    net: Network, filters: Filters, shown: View, drawn: FocusedView, selected: str | None
) -> bytes:
    """The drawing on screen (``drawn`` of ``shown``) as a PNG, A4 landscape at 300 dpi.

    Runs when the download button is clicked, not on every rerun.
    """
    data, dated = data_about(net)
    about = About(shown.name, filters, data, dated, shown.backbone)
    return drawn_png(
        drawn,
        shown.graph,
        sizes=shown.sizes,
        selected=selected,
        about=about,
        title=picture_title(shown.name),
    )


def map_picture_file(
    net: Network, filters: Filters, drawing: MapDrawing, payload: Mapping[str, Any]
) -> bytes:
    """The map on screen (``payload`` of ``drawing``) as a PNG, A4 landscape at 300 dpi.

    The caption counts the markers, their organisations and links, and says
    what the map leaves out: links beyond the strongest, organisations without
    a place, cities grouped into countries.
    """
    data, dated = data_about(net)
    orgs = sum(len(m.organisations) for m in drawing.markers)
    counted = (
        f"{len(drawing.markers):,} markers holding {orgs:,} organisations, "
        f"{drawing.links_total:,} links"
    )
    notes = []
    if drawing.level == "country":
        where = f", with the cities of {drawing.expanded}" if drawing.expanded else ""
        notes.append(
            f"{drawing.cities_total:,} cities are too many to draw: the markers are "
            f"countries{where}."
        )
    if len(drawing.markers) < drawing.markers_total:
        notes.append(
            f"The {len(drawing.markers):,} markers with most projects of "
            f"{drawing.markers_total:,} are drawn."
        )
    if len(drawing.links) < drawing.links_total:
        notes.append(
            f"The {len(drawing.links):,} strongest of {drawing.links_total:,} links are drawn "
            "(and every link of the selection)."
        )
    if drawing.unplaced:
        notes.append(
            f"Not on the map: {len(drawing.unplaced):,} organisations without a known place "
            "(the dashboard lists them with the reason)."
        )
    chosen = drawing.marker(str(payload.get("selected") or ""))
    return payload_png(
        payload,
        about=About("map", filters, data, dated),
        counted=counted,
        rings=[ring.tolist() for ring in outline_rings()],
        notice=" ".join(notes),
        selected=chosen.label if chosen is not None else "",
        title=picture_title("map"),
    )
