"""Loading and caching: the data, its graph, the layouts, the current view and what to draw.

A saved folder's network is keyed by the directory and the modification times
of its files, so editing a CSV is picked up on the next rerun while an unchanged
dataset is read, laid out and analysed only once per server. A session's own
data (uploads, merges; see :mod:`.own_data`) is keyed by a hash of its content.
Views, tables and files are keyed by the network's ``key``. Results of
``st.cache_resource`` are shared between sessions and never changed, with one
exception: a :class:`~defus_graph.draw.focus.NetworkIndex` keeps its overview once
it is first drawn (the same view whichever session asks first).

The heavy work is done once per network, filters and view: the filtered graph,
the layout of the whole network, and the :class:`~defus_graph.draw.focus.NetworkIndex`
that answers a click by walking only the clicked node's neighbourhood. A view
larger than :data:`~defus_graph.draw.focus.DRAW_LIMIT` nodes is drawn in part, with a
notice saying what is hidden; tables and downloads always cover all of it.
"""

from __future__ import annotations

import gc
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import networkx as nx
import pandas as pd
import streamlit as st

from ..analysis.suggest import SuggestionIndex
from ..draw.focus import FIRST_LINKS, LINK_LIMIT, FocusedView, NetworkIndex
from ..draw.layout import Positions, kept_layout, layout_positions
from ..draw.style import node_sizes
from ..export import export_bytes
from ..graph.backbone import backbone_graph
from ..graph.bipartite import graph_from_dataset
from ..graph.views import VIEWS, Filters, ViewTooLarge, filter_graph, view_graph, year_span
from ..model import Dataset
from ..store.tables import TABLES as DATA_TABLES
from ..store.tables import load_folder
from . import frames
from .own_data import folder_key
from .search import SearchIndex

__all__ = [
    "TABLES",
    "Network",
    "View",
    "current_view",
    "drawn_part",
    "export_file",
    "filtered_graph",
    "load_network",
    "network_of",
    "saved_key",
    "suggestion_index",
    "table_frame",
]

Stamp = tuple[tuple[str, int, int], ...]


@dataclass(frozen=True)
class Network:
    """A loaded dataset with everything the dashboard derives from it once.

    ``key`` identifies its content; ``stamp`` is the folder's state it was read
    from (empty for data held in a session). A saved folder's network also
    carries the ``folder`` and the ``content`` key of the tables it was read
    from, under which its layouts are kept beside the folder's snapshot, and
    the ``state`` of those tables, against which a save checks that no one
    saved the folder since.
    """

    dataset: Dataset
    graph: nx.Graph
    index: SearchIndex
    years: tuple[int, int] | None
    kinds: tuple[str, ...]
    countries: tuple[str, ...]
    programmes: tuple[str, ...]
    stamp: Stamp
    key: str
    folder: str = ""
    content: str = ""
    state: str = ""


def _stamp(directory: Path) -> Stamp:
    """What identifies the data's current content: each file's size and modification time."""
    out = []
    for name in DATA_TABLES:
        path = directory / name
        try:
            info = path.stat()
        except OSError:
            out.append((name, -1, -1))
        else:
            out.append((name, info.st_mtime_ns, info.st_size))
    return tuple(out)


def _derive(
    ds: Dataset, key: str, stamp: Stamp, folder: str = "", content: str = "", state: str = ""
) -> Network:
    g = graph_from_dataset(ds)
    return Network(
        dataset=ds,
        graph=g,
        index=SearchIndex(ds),
        years=year_span(g),
        kinds=tuple(sorted({o.kind or "unknown" for o in ds.organisations}, key=str.casefold)),
        countries=tuple(sorted({o.country for o in ds.organisations if o.country})),
        programmes=tuple(
            sorted({p.programme for p in ds.projects if p.programme}, key=str.casefold)
        ),
        stamp=stamp,
        key=key,
        folder=folder,
        content=content,
        state=state,
    )


def _kept(net: Network) -> Network:
    """``net``, moved with all else alive now out of the cyclic garbage collector's walks.

    A network lives as long as the server and holds millions of objects; each
    collection a click's new objects set off walked them all (a 1 M hub's story:
    1.4 s, 0.5 s frozen). Frozen objects are still freed by reference counting once
    unused; only a cycle among them would stay.
    """
    gc.collect()  # garbage left from building it would be frozen too
    gc.freeze()
    return net


def _released(_net: Network) -> None:
    """A network left the cache: hand everything frozen back to the collector.

    A networkx graph refers to itself through its views (a cycle), so a frozen
    network would never be freed; unfrozen, the next full collection frees it. The
    networks still cached are frozen again when the next one is read.
    """
    gc.unfreeze()


@st.cache_resource(show_spinner="Reading the data…", max_entries=4, on_release=_released)
def _network(directory: str, stamp: Stamp) -> Network:
    loaded = load_folder(Path(directory))
    key = folder_key(directory, stamp)
    return _kept(_derive(loaded.dataset, key, stamp, directory, loaded.key or "", loaded.state))


@st.cache_resource(show_spinner="Drawing the data…", max_entries=8, on_release=_released)
def _network_of(key: str, _ds: Dataset) -> Network:
    return _kept(_derive(_ds, key, ()))


def load_network(directory: Path) -> Network:
    """The network of the data in ``directory``, read once per content.

    Raises
    ------
    DataError
        When the data cannot be used; nothing is cached then.
    """
    return _network(str(directory), _stamp(directory))


def saved_key(directory: Path) -> str:
    """The key the network of ``directory`` has as its files are now (nothing is read)."""
    return folder_key(str(directory), _stamp(directory))


def network_of(ds: Dataset, key: str) -> Network:
    """The network of a dataset held in memory, built once per ``key`` (a content hash)."""
    return _network_of(key, ds)


@st.cache_resource(show_spinner="Finding who to invite…", max_entries=4)
def _suggestion_index(key: str, _net: Network) -> SuggestionIndex:
    # From the tables, as ``defus-graph suggest`` builds it: the same index in half the time
    # of a walk over the graph, which the first click on a large network waited for. A saved
    # folder's is kept beside its snapshot: the next server reads it (1 M: 1.7 s -> 0.5 s).
    if _net.folder and _net.content:
        return SuggestionIndex.kept(_net.dataset, Path(_net.folder), _net.content)
    return SuggestionIndex.from_dataset(_net.dataset)


def suggestion_index(net: Network) -> SuggestionIndex:
    """What answers "who to invite" for ``net``, built once per network."""
    return _suggestion_index(net.key, net)


@dataclass(frozen=True)
class View:
    """The network on screen: what the filters keep, in the chosen view, and how to draw it.

    ``graph`` is everything the filters keep in the view shown (what downloads
    hold; tables and charts describe the filtered bipartite graph), reduced to
    its backbone at level ``backbone`` when one is asked for, in which case
    ``links_before`` is how many links the view had before; ``drawing``
    picks what the browser draws of ``graph`` (all of it up to
    :data:`~defus_graph.draw.focus.DRAW_LIMIT` nodes); ``sizes`` are the drawn sizes
    of its nodes, relative to all of ``graph``. ``name`` is the view shown,
    which is the bipartite one when the chosen projection is too large to build,
    and ``problem`` then says why. ``nodes`` and ``links`` count ``graph``'s, once
    (networkx counts links by walking the whole graph, on every rerun otherwise).
    """

    graph: nx.Graph
    drawing: NetworkIndex
    sizes: dict[str, float]
    name: str
    problem: str = ""
    backbone: float | None = None
    links_before: int = 0
    nodes: int = 0
    links: int = 0


@st.cache_resource(show_spinner="Filtering the network…", max_entries=16)
def _filtered(key: str, filters: Filters, _net: Network) -> nx.Graph:
    return filter_graph(_net.graph, filters)


def filtered_graph(net: Network, filters: Filters) -> nx.Graph:
    """The bipartite graph the filters keep, built once per network and filters (never mutate)."""
    return _filtered(net.key, filters, net)


@st.cache_resource(show_spinner="Building the linked view…", max_entries=8)
def _shown(key: str, filters: Filters, view: str, _net: Network) -> nx.Graph:
    return view_graph(_filtered(key, filters, _net), view)


@st.cache_resource(show_spinner="Laying out the network…", max_entries=8)
def _layout(key: str, view: str, _net: Network) -> Positions:
    return _kept_layout(_shown(key, Filters(), view, _net), view, _net)


def _kept_layout(g: nx.Graph, view: str, net: Network, name: str = "layout") -> Positions:
    """The layout of a view of a saved folder, kept beside its snapshot: laid out once
    (:func:`defus_graph.draw.layout.kept_layout`, which the exports share)."""
    return kept_layout(net.folder, net.content, view, g, lambda: layout_positions(g), name)


@st.cache_resource(show_spinner="Finding the backbone…", max_entries=8)
def _backbone(key: str, filters: Filters, view: str, alpha: float, _net: Network) -> nx.Graph:
    return backbone_graph(_shown(key, filters, view, _net), alpha=alpha)


@st.cache_resource(show_spinner="Preparing the view…", max_entries=16)
def _view(
    key: str, filters: Filters, view: str, _net: Network, backbone: float | None = None
) -> View:
    problem = ""
    try:
        shown = _shown(key, filters, view, _net)
    except ViewTooLarge as err:
        problem, view = f"This view cannot be shown: {err}", VIEWS[0]
        shown = _filtered(key, filters, _net)
    whole, laid_out = shown, view

    def positions() -> Positions:
        # Filtering never moves a node: positions come from the whole network's layout.
        # Read (or laid out) only when needed: a network drawn in part needs none to open.
        try:
            return _layout(key, laid_out, _net)
        except ViewTooLarge:
            return layout_positions(whole)  # only the filtered projection can be built

    links_before = shown.number_of_edges()
    if backbone is not None and view != VIEWS[0]:
        shown = _backbone(key, filters, view, backbone, _net)
    else:
        backbone = None
    # The overview of the whole (unfiltered) network is laid out once per data, not per server.
    opening = filters == Filters() and backbone is None
    drawing = NetworkIndex(
        shown,
        positions=positions,
        part_layout=(lambda part: _kept_layout(part, view, _net, "overview")) if opening else None,
    )
    return View(
        graph=shown,
        drawing=drawing,
        sizes=node_sizes(shown, links=drawing.links),
        name=view,
        problem=problem,
        backbone=backbone,
        links_before=links_before,
        nodes=shown.number_of_nodes(),
        links=shown.number_of_edges(),
    )


def current_view(
    net: Network, filters: Filters, view: str, *, backbone: float | None = None
) -> View:
    """The filtered view of ``net``, ready to draw; built once per network, filters and view.

    ``backbone`` (a significance level) keeps only the disparity backbone of a
    linked view (see :mod:`defus_graph.graph.backbone`); the bipartite view ignores it.
    """
    return _view(net.key, filters, view, net, backbone)


@st.cache_resource(max_entries=64)
def _drawn(
    key: str,
    filters: Filters,
    view: str,
    node: str | None,
    _of: View,
    backbone: float | None = None,
    links: int = FIRST_LINKS,
) -> FocusedView:
    return _of.drawing.view(node, links=links)


def drawn_part(
    net: Network, filters: Filters, shown: View, selected: str | None, *, all_links: bool = False
) -> FocusedView:
    """What the browser draws of ``shown``: all of it, or the part around ``selected``.

    At first the :data:`~defus_graph.draw.focus.FIRST_LINKS` strongest links among the
    nodes drawn; with ``all_links``, up to :data:`~defus_graph.draw.focus.LINK_LIMIT`.
    A selection that the view does not hold (filtered out, or a project in the
    organisations' view) is ignored.
    """
    node = selected if selected is not None and selected in shown.drawing.index else None
    links = LINK_LIMIT if all_links else FIRST_LINKS
    return _drawn(net.key, filters, shown.name, node, shown, shown.backbone, links)


#: The tables and chart data below the graph, by name.
TABLES: dict[str, Callable[[nx.Graph], pd.DataFrame]] = {
    "shared": frames.shared_partners_frame,
    "organisations": frames.organisations_frame,
    "projects": frames.projects_frame,
    "funding": frames.funding_frame,
    "timeline": frames.timeline_frame,
}


@st.cache_data(max_entries=64, show_spinner="Computing the table…")
def _table(key: str, filters: Filters, name: str, _net: Network) -> pd.DataFrame:
    return TABLES[name](_filtered(key, filters, _net))


def table_frame(net: Network, filters: Filters, name: str) -> pd.DataFrame:
    """The table ``name`` of :data:`TABLES` for the filtered bipartite graph, computed once."""
    return _table(net.key, filters, name, net)


@st.cache_data(max_entries=16, show_spinner=False)
def _export(
    key: str, filters: Filters, view: str, fmt: str, _net: Network, backbone: float | None = None
) -> bytes:
    shown = _view(key, filters, view, _net, backbone)
    return export_bytes(shown.graph, fmt, positions=shown.drawing.positions)


def export_file(
    net: Network, filters: Filters, view: str, fmt: str, *, backbone: float | None = None
) -> bytes:
    """The view on screen as a file in format ``fmt`` (see :mod:`defus_graph.export`).

    Every node and link the filters keep (a web page of a large view draws its
    overview, see :func:`defus_graph.export.html_bytes`). Runs when a download
    button is clicked, not on every rerun.
    """
    return _export(net.key, filters, view, fmt, net, backbone)
