"""GraphML with typed keys, for Gephi, igraph, networkx and yEd.

One ``<key>`` per attribute and domain, typed with ``attr.type`` (``boolean``,
``int``, ``long``, ``double``, ``string``), so ``networkx.read_graphml`` gives
back the same Python types. Lists are one string joined with ``"; "``. The
node's name is the ``label`` key (Gephi shows it as the label); a projection
edge's ``weight`` is a ``double`` key. GraphML has no timeline: the stated
dates are plain ``stated_start``/``stated_end`` strings.
"""

from __future__ import annotations

from pathlib import Path

import networkx as nx

from . import _xml
from ._files import write_atomic
from ._table import Column, Scalar, format_value, table_from_graph

__all__ = ["GRAPHML_NAMESPACE", "graphml_bytes", "write_graphml"]

GRAPHML_NAMESPACE = "http://graphml.graphdrawing.org/xmlns"

_TYPES = {"boolean": "boolean", "integer": "int", "long": "long", "double": "double"}


def _keys(domain: str, columns: list[Column], first: int) -> tuple[list[str], dict[str, str]]:
    lines, ids = [], {}
    for i, column in enumerate(columns, start=first):
        ids[column.name] = f"d{i}"
        lines.append(
            f'  <key id="d{i}" for="{domain}" attr.name="{_xml.attr(column.name)}" '
            f'attr.type="{_TYPES.get(column.type, "string")}"/>'
        )
    return lines, ids


def _data(values: dict[str, Scalar], ids: dict[str, str]) -> str:
    return "".join(
        f'<data key="{ids[name]}">{_xml.text(format_value(value))}</data>'
        for name, value in values.items()
        if name in ids
    )


def graphml_bytes(g: nx.Graph) -> bytes:
    """``g`` as a GraphML document, UTF-8.

    Examples
    --------
    >>> import io
    >>> g = nx.Graph()
    >>> g.add_edge("org:A", "org:B", weight=2, projects=["P1", "P2"])
    >>> back = nx.read_graphml(io.BytesIO(graphml_bytes(g)))
    >>> back.edges["org:A", "org:B"]["projects"], back.edges["org:A", "org:B"]["weight"]
    ('P1; P2', 2.0)
    """
    table = table_from_graph(g)
    node_columns = [Column("label", "string"), *table.node_columns]
    edge_columns = list(table.edge_columns)
    if any(e.label for e in table.edges):
        edge_columns.insert(0, Column("label", "string"))
    if any(e.weight is not None for e in table.edges):
        edge_columns.insert(0, Column("weight", "double"))
    node_keys, node_ids = _keys("node", node_columns, 0)
    edge_keys, edge_ids = _keys("edge", edge_columns, len(node_columns))
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<graphml xmlns="{GRAPHML_NAMESPACE}">',
        *node_keys,
        *edge_keys,
        '  <graph id="G" edgedefault="undirected">',
    ]
    for row in table.nodes:
        values: dict[str, Scalar] = {"label": row.label, **row.values}
        out.append(f'    <node id="{_xml.attr(row.id)}">{_data(values, node_ids)}</node>')
    for edge in table.edges:
        evalues: dict[str, Scalar] = {}
        if edge.weight is not None:
            evalues["weight"] = edge.weight
        if edge.label:
            evalues["label"] = edge.label
        evalues.update(edge.values)
        out.append(
            f'    <edge id="e{edge.id}" source="{_xml.attr(edge.source)}" '
            f'target="{_xml.attr(edge.target)}">{_data(evalues, edge_ids)}</edge>'
        )
    out += ["  </graph>", "</graphml>"]
    return ("\n".join(out) + "\n").encode("utf-8")


def write_graphml(g: nx.Graph, path: Path) -> Path:
    """Write :func:`graphml_bytes` to ``path`` (atomically); returns ``path``."""
    return write_atomic(path, graphml_bytes(g))
