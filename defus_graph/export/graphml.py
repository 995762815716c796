"""GraphML with typed keys, for Gephi, igraph, networkx and yEd.

One ``<key>`` per attribute and domain, typed with ``attr.type`` (``boolean``,
``int``, ``long``, ``double``, ``string``), so ``networkx.read_graphml`` gives
back the same Python types. Lists are one string joined with ``"; "``. The
node's name is the ``label`` key (Gephi shows it as the label); a projection
edge's ``weight`` is a ``double`` key. GraphML has no timeline: the stated
dates are plain ``stated_start``/``stated_end`` strings.

The document is made a few thousand nodes or edges at a time
(:mod:`~defus_graph.export._chunks`): :func:`write_graphml` writes each chunk as
it comes, so a network of a million links never has to be held as one text.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import numpy as np

from . import _xml
from ._chunks import joined, lines, row_chunks, write_chunks
from ._columns import Attributes, Column, Order, Scalar, column_text, each_distinct_once
from ._table import Table, Writable, table_from_graph

__all__ = ["GRAPHML_NAMESPACE", "graphml_bytes", "write_graphml"]

GRAPHML_NAMESPACE = "http://graphml.graphdrawing.org/xmlns"

_TYPES = {"boolean": "boolean", "integer": "int", "long": "long", "double": "double"}


def _keys(domain: str, columns: list[Column], first: int) -> tuple[list[str], dict[str, str]]:
    out, ids = [], {}
    for i, column in enumerate(columns, start=first):
        ids[column.name] = f"d{i}"
        out.append(
            f'  <key id="d{i}" for="{domain}" attr.name="{_xml.attr(column.name)}" '
            f'attr.type="{_TYPES.get(column.type, "string")}"/>'
        )
    return out, ids


def _cells(column: Column, values: list[Scalar | None], head: str) -> list[str]:
    """Each value's ``<data>`` element (``head``, the value, the end), ``""`` for none."""
    texts = column_text(column, values)
    if column.type == "string":
        texts = _xml.texts(texts)
    return ["" if t is None else f"{head}{t}</data>" for t in texts]


def _data(attributes: Attributes, ids: dict[str, str], rows: slice) -> list[str]:
    """Each row's ``<data>`` elements, in the order the graph gives its attributes, for ``rows``.

    Each column's cells are formatted by one comprehension (only text needs
    escaping); then the rows whose attributes come in the same order (most of a
    graph's nodes, or edges, share a few orders) join their cells together.
    """
    cells = []
    for column, values in zip(attributes.columns, attributes.values, strict=True):
        head = f'<data key="{ids[column.name]}">'
        chunk = values[rows]
        cells.append(each_distinct_once(column, chunk, partial(_cells, column, head=head)))
    orders = attributes.orders[rows]
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
            at = Order(np.flatnonzero(codes == k).tolist())
            texts = map("".join, zip(*[at(cells[j]) for j in order], strict=True))
            deque(map(out.__setitem__, at.positions, texts), maxlen=0)
    return out


class _Writer:
    """The keys of one document, worked out once, and its lines chunk by chunk."""

    def __init__(self, table: Table) -> None:
        self.table = table
        nodes, edges = table.nodes, table.edges
        node_columns = [Column("label", "string"), *nodes.attributes.columns]
        edge_columns = list(edges.attributes.columns)
        if any(edges.labels):
            edge_columns.insert(0, Column("label", "string"))
        if any(w is not None for w in edges.weights):
            edge_columns.insert(0, Column("weight", "double"))
        self.node_keys, self.node_ids = _keys("node", node_columns, 0)
        self.edge_keys, self.edge_ids = _keys("edge", edge_columns, len(node_columns))

    def head(self) -> str:
        """Everything up to the first node: the keys and ``<graph>``."""
        return lines(
            [
                '<?xml version="1.0" encoding="UTF-8"?>',
                f'<graphml xmlns="{GRAPHML_NAMESPACE}">',
                *self.node_keys,
                *self.edge_keys,
                '  <graph id="G" edgedefault="undirected">',
            ]
        )

    def nodes(self, rows: slice) -> str:
        """The ``<node>`` lines of ``rows``."""
        nodes = self.table.nodes
        label_head = f'<data key="{self.node_ids["label"]}">'
        return "".join(
            [
                f'    <node id="{id_}">{label_head}{label}</data>{data}</node>\n'
                for id_, label, data in zip(
                    _xml.attrs(nodes.ids[rows]),
                    _xml.texts(nodes.labels[rows]),
                    _data(nodes.attributes, self.node_ids, rows),
                    strict=True,
                )
            ]
        )

    def edges(self, rows: slice) -> str:
        """The ``<edge>`` lines of ``rows``."""
        edges = self.table.edges
        weight_head = f'<data key="{self.edge_ids.get("weight")}">'
        label_head = f'<data key="{self.edge_ids.get("label")}">'
        weights = ["" if w is None else f"{weight_head}{w!r}</data>" for w in edges.weights[rows]]
        labels = [
            f"{label_head}{label}</data>" if label else ""
            for label in _xml.texts(edges.labels[rows])
        ]
        return "".join(
            [
                f'    <edge id="e{i}" source="{source}" target="{target}">'
                f"{weight}{label}{data}</edge>\n"
                for i, source, target, weight, label, data in zip(
                    range(*rows.indices(len(edges))),
                    _xml.attrs(edges.sources[rows]),
                    _xml.attrs(edges.targets[rows]),
                    weights,
                    labels,
                    _data(edges.attributes, self.edge_ids, rows),
                    strict=True,
                )
            ]
        )


def _document_chunks(table: Table) -> Iterator[str]:
    """The GraphML document of ``table`` as consecutive pieces of text."""
    writer = _Writer(table)
    yield writer.head()
    yield from row_chunks(len(table.nodes), writer.nodes)
    yield from row_chunks(len(table.edges), writer.edges)
    yield lines(["  </graph>", "</graphml>"])


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
    return joined(_document_chunks(table_from_graph(g)))


def write_graphml(g: Writable, path: Path) -> Path:
    """Write the document of :func:`graphml_bytes` to ``path`` (atomically), chunk by chunk.

    Returns ``path``. The table is made first (an id that cannot be written is refused
    before the file is touched); memory then holds one chunk of the document at a
    time, not all of it.
    """
    return write_chunks(path, _document_chunks(table_from_graph(g)))
