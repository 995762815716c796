"""The bipartite view's :class:`~defus_graph.export._table.Table` from the dataset's arrays.

What :func:`~defus_graph.export._table.table_from_graph` makes of the graph a
:class:`~defus_graph.graph.bipartite.BipartiteColumns` stands for, without the graph:
each attribute column is read from the records once (one ``attrgetter`` over all
of them), each row's keys, in the order the graph's dict would hold them, are
found from which columns it has a value in, and the rules of
:mod:`~defus_graph.export._table` (ids, labels, time, counts, types) then run on
those columns as they run on a graph's.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import repeat
from operator import attrgetter, is_not
from typing import Any

import numpy as np
import numpy.typing as npt

from ..graph.bipartite import (
    LINK_SLOTS,
    ORGANISATION,
    ORGANISATION_SLOTS,
    PROJECT,
    PROJECT_SLOTS,
    BipartiteColumns,
    Participations,
    org_id,
    project_id,
)
from ._columns import Order, RawColumns
from ._table import (
    Table,
    _edges_of,
    _GraphEdges,
    _ids,
    _Intervals,
    _Neighbours,
    _take,
    laid_nodes,
)

__all__ = ["table_of_columns"]


def _stated(values: Sequence[Any], when: str) -> list[Any]:
    """A column as the graph's dicts hold it: ``None`` where the key is left out."""
    if when == "n":
        return list(values)
    return [v or None for v in values]


def _present(column: Sequence[Any]) -> npt.NDArray[np.bool_]:
    """Where ``column`` (as :func:`_stated` gives it) has a value."""
    return np.fromiter(map(is_not, column, repeat(None)), bool, len(column))


def _raw(
    n: int, fixed: dict[str, list[Any]], slots: list[tuple[str, list[Any], npt.NDArray[np.bool_]]]
) -> RawColumns:
    """The :func:`~defus_graph.export._columns.raw_columns` of ``n`` dicts that hold the keys
    ``fixed`` first, then, in order, each slot's key where its mask says so.

    A key may fill two slots (a place's latitude comes where the organisation states
    one, else after its other keys); a row has it in one of them at most.
    """
    codes = np.zeros(n, dtype=np.int64)
    for bit, (_, _, has) in enumerate(slots):
        codes |= has.astype(np.int64) << bit
    distinct, first = np.unique(codes, return_index=True)
    shape_of = {
        code: (*fixed, *(key for bit, (key, _, _) in enumerate(slots) if code >> bit & 1))
        for code in distinct.tolist()
    }
    shapes = list(map(shape_of.__getitem__, codes.tolist()))
    # Keys in the order raw_columns meets them: shape by shape, as the rows first show them.
    met = distinct[np.argsort(first)].tolist()
    order = dict.fromkeys(key for code in met for key in shape_of[code])
    values = {key: column for key, column, _ in slots}
    values.update(fixed)
    return RawColumns({key: values[key] for key in order}, shapes)


def _project_raw(parts: Participations) -> RawColumns:
    """Every project, as the graph holds it."""
    projects = parts.projects
    n = len(projects)
    fixed: dict[str, list[Any]] = {
        "bipartite": [PROJECT] * n,
        "kind": ["project"] * n,
        "label": list(map(attrgetter("acronym"), projects)),
    }
    slots = []
    for key, when in PROJECT_SLOTS:
        column = _stated(list(map(attrgetter(key), projects)), when)
        slots.append((key, column, _present(column)))
    return _raw(n, fixed, slots)


def _organisation_raw(b: BipartiteColumns, kept: list[int]) -> RawColumns:
    """The organisations ``kept`` (by their place in the dataset), as the graph holds
    them: with ``member`` when there is a member list, and the places' keys after."""
    ds = b.parts.dataset
    orgs = Order(kept)(ds.organisations) if kept else []
    n = len(orgs)
    fixed: dict[str, list[Any]] = {
        "bipartite": [ORGANISATION] * n,
        "kind": [o.kind or "unknown" for o in orgs],
        "label": list(map(attrgetter("name"), orgs)),
    }
    columns = {
        key: _stated(list(map(attrgetter(key), orgs)), when) for key, when in ORGANISATION_SLOTS
    }
    has = {key: _present(column) for key, column in columns.items()}
    slots = [(key, columns[key], has[key]) for key, _ in ORGANISATION_SLOTS]
    if ds.members:  # graph.bipartite._mark_members
        named = {m.organisation for m in ds.members if m.organisation}
        member = [o.name in named for o in orgs]
        slots.append(("member", member, np.ones(n, dtype=bool)))
    if b.places is not None:
        slots += _place_slots(Order(kept)(b.places) if kept else [], columns, has)
    return _raw(n, fixed, slots)


def _place_slots(
    places: Sequence[Any], columns: dict[str, list[Any]], has: dict[str, npt.NDArray[np.bool_]]
) -> list[tuple[str, list[Any], npt.NDArray[np.bool_]]]:
    """What ``names.places.with_coordinates`` adds (one place per row): a placed row's
    coordinates replace those stated (in their slots), or come after the other keys;
    then the place's name, where it has one, and always where the place comes from."""
    placed = np.fromiter(map(attrgetter("placed"), places), bool, len(places))
    for key in ("latitude", "longitude"):
        given = list(map(attrgetter(key), places))
        column = columns[key]
        for k in np.flatnonzero(placed).tolist():
            column[k] = given[k]
    cities = _stated(list(map(attrgetter("city"), places)), "")
    return [
        ("latitude", columns["latitude"], placed & ~has["latitude"]),
        ("longitude", columns["longitude"], placed & ~has["longitude"]),
        (
            "place",
            [c if p else None for c, p in zip(cities, placed.tolist(), strict=True)],
            placed & _present(cities),
        ),
        ("place_source", list(map(attrgetter("source"), places)), np.ones(len(places), bool)),
    ]


def _concatenated(first: RawColumns, second: RawColumns) -> RawColumns:
    """The rows of ``first`` then those of ``second``, as one :class:`RawColumns`."""
    n, m = len(first.shapes), len(second.shapes)
    columns = {}
    for key in dict.fromkeys([*first.columns, *second.columns]):
        head, tail = first.columns.get(key), second.columns.get(key)
        columns[key] = [*(repeat(None, n) if head is None else head), *(tail or repeat(None, m))]
    return RawColumns(columns, first.shapes + second.shapes)


def _link_raw(parts: Participations, at: npt.NDArray[np.int64]) -> RawColumns:
    """The links' attributes, the links in the order ``at``.

    Each column is read in the records' own order (reading them in another order
    costs more, on a large dataset, than putting the finished columns in it).
    """
    links = parts.dataset.participations
    order = Order(at.tolist()) if len(at) else None
    slots = []
    for key, when in LINK_SLOTS:
        read = parts.roles if key == "role" else list(map(attrgetter(key), links))
        column = _stated(order(read) if order is not None else [], when)
        slots.append((key, column, _present(column)))
    return _raw(len(at), {}, slots)


def table_of_columns(b: BipartiteColumns) -> Table:
    """``table_from_graph(b.graph())``, made from the arrays of ``b``."""
    parts = b.parts
    n_projects = len(parts.projects)
    counts = b.organisation_counts()
    kept = np.flatnonzero(counts > 0)
    kept_list = kept.tolist()
    keys = [project_id(p.acronym) for p in parts.projects]
    keys += [org_id(parts.organisations[i].name) for i in kept_list]
    ids = _ids(keys)
    by_id = Order(sorted(range(len(keys)), key=list(ids.values()).__getitem__))
    rank = np.empty(len(keys), dtype=np.int64)
    rank[by_id.positions] = np.arange(len(keys), dtype=np.int64)
    # Each link's rows: the project's, and its organisation's among the kept ones.
    row = np.full(len(parts.organisations), -1, dtype=np.int64)
    row[kept] = np.arange(n_projects, n_projects + len(kept), dtype=np.int64)
    firsts, seconds = parts.project, row[parts.organisation]
    at = np.argsort(rank[firsts] * max(len(keys), 1) + rank[seconds], kind="stable")
    found = _GraphEdges(_take(keys, firsts[at]), _take(keys, seconds[at]), [], True)
    degrees = np.concatenate([np.bincount(firsts, minlength=n_projects), counts[kept]])
    near = _Neighbours(
        degrees.astype(np.int64),
        bipartite=True,
        pairs=lambda: (np.concatenate([firsts, seconds]), np.concatenate([seconds, firsts])),
    )
    raw = _concatenated(_project_raw(parts), _organisation_raw(b, kept_list))
    sides = [PROJECT] * n_projects + [ORGANISATION] * len(kept_list)
    interval = _Intervals()
    # Every node has a kind: the graph's dicts are never asked for them.
    nodes, projects = laid_nodes(
        keys, sides, raw, (ids, by_id), interval, near, lambda: list(b.graph()._node.values())
    )
    return Table(nodes, _edges_of(_link_raw(parts, at), found, ids, {}, projects, interval))
