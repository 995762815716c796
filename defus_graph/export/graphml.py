"""GraphML with typed keys, for Gephi, igraph, networkx and yEd.

One ``<key>`` per attribute and domain, typed with ``attr.type`` (``boolean``,
``int``, ``long``, ``double``, ``string``), so ``networkx.read_graphml`` gives
back the same Python types. Lists are one string joined with ``"; "``. The
node's name is the ``label`` key (Gephi shows it as the label); a projection
edge's ``weight`` is a ``double`` key. GraphML has no timeline: the stated
dates are plain ``stated_start``/``stated_end`` strings.
"""

from __future__ import annotations

from collections import deque
from pathlib import Path

import numpy as np

from . import _xml
from ._columns import Attributes, Column, Order, Scalar, column_text, repeats
from ._files import write_atomic
from ._table import Writable, table_from_graph

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


def _cells(column: Column, values: list[Scalar | None], head: str) -> list[str]:
    """Each value's ``<data>`` element (``head``, the value, the end), ``""`` for none."""
    texts = column_text(column, values)
    if column.type == "string":
        texts = _xml.texts(texts)
    return ["" if t is None else f"{head}{t}</data>" for t in texts]


def _data(attributes: Attributes, ids: dict[str, str]) -> list[str]:
    """Each row's ``<data>`` elements, in the order the graph gives its attributes.

    Each column's cells are formatted by one comprehension (only text needs
    escaping); then the rows whose attributes come in the same order (most of a
    graph's nodes, or edges, share a few orders) join their cells together.
    """
    cells = []
    for column, values in zip(attributes.columns, attributes.values, strict=True):
        head = f'<data key="{ids[column.name]}">'
        if column.type != "double" and repeats(values):  # not doubles: 0.0 == -0.0
            distinct = list(dict.fromkeys(values))
            made = dict(zip(distinct, _cells(column, distinct, head), strict=True))
            cells.append(list(map(made.__getitem__, values)))
        else:
            cells.append(_cells(column, values, head))
    orders = attributes.orders
    number = {order: k for k, order in enumerate(dict.fromkeys(orders))}
    if len(number) == 1:  # every row in one order: nothing to gather or scatter
        (order,) = number
        return (
            list(map("".join, zip(*[cells[j] for j in order], strict=True)))
            if order
            else [""] * len(orders)
        )
    codes = np.fromiter(map(number.__getitem__, orders), np.int64, len(orders))
    out = [""] * len(orders)
    for order, k in number.items():
        if order:
            rows = Order(np.flatnonzero(codes == k).tolist())
            joined = map("".join, zip(*[rows(cells[j]) for j in order], strict=True))
            deque(map(out.__setitem__, rows.positions, joined), maxlen=0)
    return out


def graphml_bytes(g: Writable) -> bytes:
    """``g`` as a GraphML document, UTF-8.

    Examples
    --------
    >>> import io
    >>> import networkx as nx
    >>> g = nx.Graph()
    >>> g.add_edge("org:A", "org:B", weight=2, projects=["P1", "P2"])
    >>> back = nx.read_graphml(io.BytesIO(graphml_bytes(g)))
    >>> back.edges["org:A", "org:B"]["projects"], back.edges["org:A", "org:B"]["weight"]
    ('P1; P2', 2.0)
    """
    table = table_from_graph(g)
    nodes, edges = table.nodes, table.edges
    node_columns = [Column("label", "string"), *nodes.attributes.columns]
    edge_columns = list(edges.attributes.columns)
    if any(edges.labels):
        edge_columns.insert(0, Column("label", "string"))
    if any(w is not None for w in edges.weights):
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
    label_head = f'<data key="{node_ids["label"]}">'
    out += [
        f'    <node id="{id_}">{label_head}{label}</data>{data}</node>'
        for id_, label, data in zip(
            _xml.attrs(nodes.ids),
            _xml.texts(nodes.labels),
            _data(nodes.attributes, node_ids),
            strict=True,
        )
    ]
    weight_head = f'<data key="{edge_ids.get("weight")}">'
    label_head = f'<data key="{edge_ids.get("label")}">'
    weights = ["" if w is None else f"{weight_head}{w!r}</data>" for w in edges.weights]
    labels = [f"{label_head}{label}</data>" if label else "" for label in _xml.texts(edges.labels)]
    out += [
        f'    <edge id="e{i}" source="{source}" target="{target}">{weight}{label}{data}</edge>'
        for i, (source, target, weight, label, data) in enumerate(
            zip(
                _xml.attrs(edges.sources),
                _xml.attrs(edges.targets),
                weights,
                labels,
                _data(edges.attributes, edge_ids),
                strict=True,
            )
        )
    ]
    out += ["  </graph>", "</graphml>"]
    return ("\n".join(out) + "\n").encode("utf-8")


def write_graphml(g: Writable, path: Path) -> Path:
    """Write :func:`graphml_bytes` to ``path`` (atomically); returns ``path``."""
    return write_atomic(path, graphml_bytes(g))
