"""GEXF 1.3 for Gephi: typed attributes, colours, sizes, positions and a timeline.

Written by hand rather than with :func:`networkx.write_gexf`, which crashes on
``None``, reads lists as time spells, writes ``timeformat="long"`` and a
``<graph name>`` the schema forbids, turns an edge attribute ``type`` into the
edge direction, writes XML control characters raw and repeats the
``<attributes>`` block. The output is valid against the normative RELAX NG
grammar of GEXF 1.3 (``tests/data/gexf-1.3/``).

What the file holds
    ``<graph mode="dynamic" timeformat="date" defaultedgetype="undirected">``;
    at most one ``<attributes>`` block per class; every node with
    ``viz:color`` (:func:`defus_graph.style.kind_colour`), ``viz:size``
    (:func:`defus_graph.style.node_sizes`), ``viz:position`` and
    ``viz:shape`` (``square`` for projects, ``disc`` for organisations);
    ``start``/``end`` (YYYY-MM-DD) where known (see
    :mod:`defus_graph.export._table` for the rules); edges with ``weight``
    where the graph has one. Lists (the shared projects on a projection edge)
    are written as one ``string`` joined with ``"; "``: every reader (Gephi,
    Gephi Lite, networkx) reads that the same way, which is not true of
    ``liststring``.
Positions
    Screen coordinates, y pointing down (as the dashboard draws them), are
    written with y flipped, because Gephi's y axis points up: the file opens
    on the dashboard's picture.
"""

from __future__ import annotations

from pathlib import Path

import networkx as nx

from .._bulk import paused_gc
from ..layout import Positions, layout_positions
from ..style import kind_colour, node_sizes
from . import _xml
from ._files import write_atomic
from ._table import Column, Interval, Scalar, Table, format_value, table_from_graph

__all__ = ["GEXF_NAMESPACE", "VIZ_NAMESPACE", "gexf_bytes", "write_gexf"]

GEXF_NAMESPACE = "http://gexf.net/1.3"
VIZ_NAMESPACE = "http://gexf.net/1.3/viz"

_ID_SAFE = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")


def _attribute_ids(columns: list[Column]) -> dict[str, str]:
    """The GEXF id of each column: its name when that is a plain identifier, else a number."""
    ids = {}
    for i, column in enumerate(columns):
        plain = column.name and set(column.name) <= _ID_SAFE and not column.name[0].isdigit()
        ids[column.name] = column.name if plain else f"attr{i}"
    return ids


def _attributes_block(cls: str, columns: list[Column], ids: dict[str, str]) -> list[str]:
    if not columns:
        return []
    lines = [f'    <attributes class="{cls}">']
    for c in columns:
        lines.append(
            f'      <attribute id="{_xml.attr(ids[c.name])}" title="{_xml.attr(c.name)}" '
            f'type="{c.type}"/>'
        )
    lines.append("    </attributes>")
    return lines


def _time(interval: Interval) -> str:
    out = ""
    if interval.start is not None:
        out += f' start="{interval.start.isoformat()}"'
    if interval.end is not None:
        out += f' end="{interval.end.isoformat()}"'
    return out


def _attvalue_heads(columns: list[Column], ids: dict[str, str]) -> list[tuple[str, str]]:
    """Each column's name and the start of its ``<attvalue>``, worked out once per file."""
    return [(c.name, f'<attvalue for="{_xml.attr(ids[c.name])}" value="') for c in columns]


def _attvalues(values: dict[str, Scalar], heads: list[tuple[str, str]]) -> str:
    cells = [
        f'{head}{_xml.attr(format_value(values[name]))}"/>'
        for name, head in heads
        if name in values
    ]
    return f"<attvalues>{''.join(cells)}</attvalues>" if cells else ""


def _colour(hex_colour: str) -> str:
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return f'<viz:color r="{r}" g="{g}" b="{b}"/>'


def _document(
    table: Table, positions: Positions, sizes: dict[str, float], node_keys: dict[str, object]
) -> str:
    node_ids = _attribute_ids(table.node_columns)
    edge_ids = _attribute_ids(table.edge_columns)
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<gexf xmlns="{GEXF_NAMESPACE}" xmlns:viz="{VIZ_NAMESPACE}" version="1.3">',
        "  <meta>",
        "    <creator>defus-graph</creator>",
        "    <description>Partner network of DEFUS/Efus urban-security projects</description>",
        "  </meta>",
        '  <graph mode="dynamic" timeformat="date" defaultedgetype="undirected">',
    ]
    colours: dict[str, str] = {}
    node_heads = _attvalue_heads(table.node_columns, node_ids)
    edge_heads = _attvalue_heads(table.edge_columns, edge_ids)
    out += _attributes_block("node", table.node_columns, node_ids)
    out += _attributes_block("edge", table.edge_columns, edge_ids)
    out.append(f'    <nodes count="{len(table.nodes)}">')
    for row in table.nodes:
        key = node_keys[row.id]
        parts = [
            f'      <node id="{_xml.attr(row.id)}" label="{_xml.attr(row.label)}"'
            f"{_time(row.interval)}>",
            _attvalues(row.values, node_heads),
            colours.get(row.kind) or colours.setdefault(row.kind, _colour(kind_colour(row.kind))),
        ]
        position = positions.get(str(key))
        if position is not None:
            x, y = position
            parts.append(f'<viz:position x="{float(x)!r}" y="{-float(y)!r}" z="0.0"/>')
        size = sizes.get(str(key))
        if size is not None:
            parts.append(f'<viz:size value="{float(size)!r}"/>')
        parts.append(f'<viz:shape value="{"square" if row.is_project else "disc"}"/>')
        parts.append("</node>")
        out.append("".join(parts))
    out.append("    </nodes>")
    out.append(f'    <edges count="{len(table.edges)}">')
    for edge in table.edges:
        head = (
            f'      <edge id="{edge.id}" source="{_xml.attr(edge.source)}" '
            f'target="{_xml.attr(edge.target)}"'
        )
        if edge.label:
            head += f' label="{_xml.attr(edge.label)}"'
        if edge.weight is not None:
            head += f' weight="{edge.weight!r}"'
        head += _time(edge.interval)
        values = _attvalues(edge.values, edge_heads)
        out.append(f"{head}>{values}</edge>" if values else f"{head}/>")
    out.append("    </edges>")
    out.append("  </graph>")
    out.append("</gexf>")
    return "\n".join(out) + "\n"


def gexf_bytes(g: nx.Graph, *, positions: Positions | None = None) -> bytes:
    """``g`` as a GEXF 1.3 document, UTF-8.

    Parameters
    ----------
    g : the bipartite graph of :func:`defus_graph.graph.graph_from_dataset`, a
        filtered view of it, or one of its projections.
    positions : node id -> (x, y) in screen coordinates; default: the seeded
        :func:`defus_graph.layout.layout_positions` of ``g``. Nodes missing
        from it get no ``viz:position``.

    Examples
    --------
    >>> data = gexf_bytes(nx.Graph())
    >>> b'<graph mode="dynamic" timeformat="date" defaultedgetype="undirected">' in data
    True
    """
    table = table_from_graph(g)
    if positions is None:
        positions = layout_positions(g)
    keys: dict[str, object] = {text: node for node, text in table.ids.items()}
    with paused_gc():
        return _document(table, positions, node_sizes(g), keys).encode("utf-8")


def write_gexf(g: nx.Graph, path: Path, *, positions: Positions | None = None) -> Path:
    """Write :func:`gexf_bytes` to ``path`` (atomically); returns ``path``."""
    return write_atomic(path, gexf_bytes(g, positions=positions))
