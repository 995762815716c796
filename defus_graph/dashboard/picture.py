"""The picture download: the network on screen as a PNG for reports (draw.picture draws it).

Drawn on the server from what the screen draws (the same part of the view,
positions, sizes and selection), with the sidebar's filters and the data's
name and date in its caption. The picture shows the whole drawing, as the
screen shows it before any zoom or drag.
"""

from __future__ import annotations

from pathlib import Path

from ..draw.focus import FocusedView
from ..draw.scene import About, files_dated, picture_title
from ..export.png import drawn_png
from ..graph.views import Filters
from ..store.folders import is_bundled
from .data import Network, View

__all__ = ["data_about", "picture_file"]


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
