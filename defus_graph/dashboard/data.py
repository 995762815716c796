"""Loading and caching: the data, its graph, the layouts and the current view.

A saved folder's network is keyed by the directory and the modification times
of its files, so editing a CSV is picked up on the next rerun while an unchanged
dataset is read, laid out and analysed only once per server. A session's own
data (uploads, merges; see :mod:`.own_data`) is keyed by a hash of its content.
Views, tables and files are keyed by the network's ``key``. Results of
``st.cache_resource`` are shared between sessions and are never mutated.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import networkx as nx
import pandas as pd
import streamlit as st

from ..export import export_bytes
from ..graph import graph_from_dataset
from ..layout import Positions, layout_positions
from ..model import Dataset
from ..store import FILES, load_dataset
from ..views import VIEWS, Filters, filter_graph, view_graph, year_span
from . import frames
from .own_data import folder_key
from .search import SearchIndex

__all__ = [
    "Network",
    "Tables",
    "View",
    "current_view",
    "export_file",
    "load_network",
    "network_of",
    "saved_key",
    "tables_for",
]

Stamp = tuple[tuple[str, int, int], ...]


@dataclass(frozen=True)
class Network:
    """A loaded dataset with everything the dashboard derives from it once.

    ``key`` identifies its content; ``stamp`` is the folder's state it was read
    from (empty for data held in a session).
    """

    dataset: Dataset
    graph: nx.Graph
    index: SearchIndex
    positions: dict[str, Positions]
    years: tuple[int, int] | None
    kinds: tuple[str, ...]
    countries: tuple[str, ...]
    programmes: tuple[str, ...]
    stamp: Stamp
    key: str


def _stamp(directory: Path) -> Stamp:
    """What identifies the data's current content: each file's size and modification time."""
    out = []
    for name in FILES:
        path = directory / name
        try:
            info = path.stat()
        except OSError:
            out.append((name, -1, -1))
        else:
            out.append((name, info.st_mtime_ns, info.st_size))
    return tuple(out)


def _derive(ds: Dataset, key: str, stamp: Stamp) -> Network:
    g = graph_from_dataset(ds)
    positions = {view: layout_positions(view_graph(g, view)) for view in VIEWS}
    return Network(
        dataset=ds,
        graph=g,
        index=SearchIndex(ds),
        positions=positions,
        years=year_span(g),
        kinds=tuple(sorted({o.kind or "unknown" for o in ds.organisations}, key=str.casefold)),
        countries=tuple(sorted({o.country for o in ds.organisations if o.country})),
        programmes=tuple(
            sorted({p.programme for p in ds.projects if p.programme}, key=str.casefold)
        ),
        stamp=stamp,
        key=key,
    )


@st.cache_resource(show_spinner="Reading the data…", max_entries=4)
def _network(directory: str, stamp: Stamp) -> Network:
    return _derive(load_dataset(Path(directory)), folder_key(directory, stamp), stamp)


@st.cache_resource(show_spinner="Drawing the data…", max_entries=8)
def _network_of(key: str, _ds: Dataset) -> Network:
    return _derive(_ds, key, ())


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


@dataclass(frozen=True)
class View:
    """The graph on screen: filtered, in the chosen view, with its positions.

    ``bipartite`` is the filtered bipartite graph that tables and charts describe.
    """

    graph: nx.Graph
    bipartite: nx.Graph
    positions: Positions


@st.cache_resource(max_entries=64)
def _view(key: str, filters: Filters, view: str, _net: Network) -> View:
    net = _net
    kept = filter_graph(net.graph, filters)
    shown = view_graph(kept, view)
    everywhere = net.positions[view]
    return View(shown, kept, {n: everywhere[n] for n in shown.nodes if n in everywhere})


def current_view(net: Network, filters: Filters, view: str) -> View:
    """The filtered view of ``net``, drawn at the positions of the whole network.

    Filtering never moves a node: positions come from the layout of the whole
    network in that view.
    """
    return _view(net.key, filters, view, net)


@dataclass(frozen=True)
class Tables:
    """The tables and chart data of a view."""

    shared: pd.DataFrame
    organisations: pd.DataFrame
    projects: pd.DataFrame
    funding: pd.DataFrame
    timeline: pd.DataFrame


@st.cache_data(max_entries=64)
def _tables(key: str, filters: Filters, _net: Network) -> Tables:
    g = _view(key, filters, VIEWS[0], _net).bipartite
    return Tables(
        shared=frames.shared_partners_frame(g),
        organisations=frames.organisations_frame(g),
        projects=frames.projects_frame(g),
        funding=frames.funding_frame(g),
        timeline=frames.timeline_frame(g),
    )


def tables_for(net: Network, filters: Filters) -> Tables:
    """Tables and chart data of the filtered bipartite graph (whatever view is drawn)."""
    return _tables(net.key, filters, net)


@st.cache_data(max_entries=64, show_spinner="Writing the file…")
def _export(key: str, filters: Filters, view: str, fmt: str, _net: Network) -> bytes:
    shown = _view(key, filters, view, _net)
    return export_bytes(shown.graph, fmt, positions=shown.positions)


def export_file(net: Network, filters: Filters, view: str, fmt: str) -> bytes:
    """The view on screen as a file in format ``fmt`` (see :mod:`defus_graph.export`)."""
    return _export(net.key, filters, view, fmt, net)
