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
    ``viz:color`` (:func:`defus_graph.draw.style.kind_colour`), ``viz:size``
    (:func:`defus_graph.draw.style.node_sizes`), ``viz:position`` and
    ``viz:shape`` (``square`` for projects, ``disc`` for organisations);
    ``start``/``end`` (YYYY-MM-DD) where known, or, for an organisation or a
    projection link whose projects run in separate stretches of time, a
    ``<spells>`` element with one ``<spell start end>`` per stretch, in time
    order, after the ``<attvalues>`` (see :mod:`defus_graph.export._table`
    for the rules); edges with ``weight``
    where the graph has one. Lists (the shared projects on a projection edge)
    are written as one ``string`` joined with ``"; "``: every reader (Gephi,
    Gephi Lite, networkx) reads that the same way, which is not true of
    ``liststring``.
Positions
    Screen coordinates, y pointing down (as the dashboard draws them), are
    written with y flipped, because Gephi's y axis points up: the file opens
    on the dashboard's picture.
Streaming
    The document is made as a sequence of text chunks of a few thousand nodes
    or edges each, every chunk laid out column by column from the
    :class:`~defus_graph.export._table.Table`. :func:`write_gexf` writes the
    chunks as they come, so memory holds the graph, its table and one chunk,
    never the whole document; :func:`gexf_bytes` joins them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from itertools import compress, repeat
from operator import is_
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar, cast

import networkx as nx

from .._bulk import paused_gc
from ..draw.style import kind_colour, node_sizes
from . import _xml
from ._columns import Attributes, Column, Scalar, column_text, repeats
from ._files import write_atomic
from ._table import Interval, Table, Writable, table_from_graph

if TYPE_CHECKING:
    from ..draw.layout import Positions

__all__ = ["GEXF_NAMESPACE", "VIZ_NAMESPACE", "gexf_bytes", "write_gexf"]

GEXF_NAMESPACE = "http://gexf.net/1.3"
VIZ_NAMESPACE = "http://gexf.net/1.3/viz"

#: Nodes or edges per chunk of text: enough for the joins to dominate, little to hold.
CHUNK_ROWS = 5000

_ID_SAFE = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")
_SHAPES = ('<viz:shape value="disc"/>', '<viz:shape value="square"/>')
_K = TypeVar("_K", str, float | None)


def _attribute_ids(columns: list[Column]) -> list[str]:
    """The GEXF id of each column: its name when that is a plain identifier, else a number."""
    ids = []
    for i, column in enumerate(columns):
        plain = column.name and set(column.name) <= _ID_SAFE and not column.name[0].isdigit()
        ids.append(column.name if plain else f"attr{i}")
    return ids


def _attributes_block(cls: str, columns: list[Column], ids: list[str]) -> list[str]:
    if not columns:
        return []
    lines = [f'    <attributes class="{cls}">']
    for c, id_ in zip(columns, ids, strict=True):
        lines.append(
            f'      <attribute id="{_xml.attr(id_)}" title="{_xml.attr(c.name)}" type="{c.type}"/>'
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


def _times(intervals: Sequence[Interval], memo: dict[int, str]) -> list[str]:
    """The ``start``/``end`` attributes of each interval.

    Rows share interval objects (every edge of a project has the project's),
    so each object is formatted once; ``memo`` maps ``id(interval)`` to its
    text, which is safe because the table keeps every interval alive.
    """
    out: list[str | None] = list(map(memo.get, map(id, intervals)))
    if None in out:  # intervals met for the first time
        for k in list(compress(range(len(out)), map(is_, out, repeat(None)))):
            interval = intervals[k]
            text = memo.get(id(interval))  # met earlier in these rows
            if text is None:
                text = memo[id(interval)] = _time(interval)
            out[k] = text
    return cast(list[str], out)


def _spells(spells: tuple[Interval, ...], memo: dict[Interval, str]) -> str:
    """The ``<spells>`` element of some intervals (``""`` for none).

    Spells are made afresh for each row, so ``memo`` maps an interval's value
    (not its ``id``, as in :func:`_times`) to its text.
    """
    if not spells:
        return ""
    texts = []
    for spell in spells:
        text = memo.get(spell)
        if text is None:
            text = memo[spell] = _time(spell)
        texts.append(f"<spell{text}/>")
    return f"<spells>{''.join(texts)}</spells>"


def _times_or_spells(
    intervals: Sequence[Interval],
    spells: Sequence[tuple[Interval, ...]],
    memo: dict[int, str],
    spell_memo: dict[Interval, str],
) -> tuple[list[str], list[str]]:
    """Each row's ``start``/``end`` attributes and its ``<spells>`` element: one of the
    two is ``""``."""
    times = _times(intervals, memo)
    elements = [""] * len(times)
    for k in compress(range(len(spells)), spells):  # the few rows with spells
        elements[k] = _spells(spells[k], spell_memo)
        times[k] = ""
    return times, elements


def _attvalue_cells(column: Column, values: list[Scalar | None], head: str) -> list[str]:
    """Each value's ``<attvalue>`` (``head``, the value, the end), ``""`` where it has none."""
    texts = column_text(column, values)
    if column.type == "string":  # numbers and booleans never need escaping
        texts = _xml.attrs(texts)
    return ["" if t is None else f'{head}{t}"/>' for t in texts]


def _attvalues(
    attributes: Attributes,
    ids: list[str],
    rows: slice,
    around: tuple[str, str, str] = ("<attvalues>", "</attvalues>", ""),
) -> list[str]:
    """Each row's ``<attvalues>`` element (``""`` when it has no value), for ``rows``.

    ``around`` is what comes before and after the element, and what stands for a
    row without one (an edge's line ends with either). Column by column: a column's
    cells are formatted by one comprehension, and only text needs escaping; a column
    without a value in these rows (a project's, among organisations) is passed over;
    then each row joins its cells.
    """
    before, after, empty = around
    cells = []
    for column, values, id_ in zip(attributes.columns, attributes.values, ids, strict=True):
        chunk = values[rows]
        if chunk.count(None) == len(chunk):
            continue
        head = f'<attvalue for="{_xml.attr(id_)}" value="'
        if column.type != "double" and repeats(chunk):  # kinds, roles, dates, countries
            # Each distinct value made once (not doubles: 0.0 == -0.0, and they differ).
            distinct = list(dict.fromkeys(chunk))
            made = dict(zip(distinct, _attvalue_cells(column, distinct, head), strict=True))
            cells.append(list(map(made.__getitem__, chunk)))
        else:
            cells.append(_attvalue_cells(column, chunk, head))
    if not cells:
        return [empty] * len(range(*rows.indices(len(attributes.orders))))
    joined = map("".join, zip(*cells, strict=True))
    return [f"{before}{inner}{after}" if inner else empty for inner in joined]


def _label(label: str) -> str:
    return f' label="{_xml.attr(label)}"' if label else ""


def _weights(weights: list[float | None]) -> list[str]:
    """Each edge's ``weight`` attribute (``""`` for none); a projection's few distinct
    counts are each written once (but not 0.0, equal to -0.0 and written otherwise)."""
    distinct = set(weights)
    if len(distinct) * 4 <= len(weights) and 0.0 not in distinct:
        made = {w: "" if w is None else f' weight="{w!r}"' for w in distinct}
        return list(map(made.__getitem__, weights))
    return ["" if w is None else f' weight="{w!r}"' for w in weights]


def _colour(hex_colour: str) -> str:
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return f'<viz:color r="{r}" g="{g}" b="{b}"/>'


def _position(position: tuple[float, float] | None) -> str:
    if position is None:
        return ""
    x, y = position
    return f'<viz:position x="{float(x)!r}" y="{-float(y)!r}" z="0.0"/>'


def _size(size: float | None) -> str:
    return "" if size is None else f'<viz:size value="{float(size)!r}"/>'


def _colour_of(kind: str) -> str:
    return _colour(kind_colour(kind))


def _each_once(make: Callable[[_K], str], values: list[_K], made: dict[_K, str]) -> list[str]:
    """``[make(v) for v in values]``, ``make`` called once per distinct value (kept in
    ``made`` for the next rows): kinds and sizes repeat a few values over many nodes."""
    for value in dict.fromkeys(values).keys() - made.keys():
        made[value] = make(value)
    return list(map(made.__getitem__, values))


def _lines(lines: list[str]) -> str:
    """The lines as one piece of text, each ending in a newline."""
    return "\n".join(lines) + "\n" if lines else ""


class _Writer:
    """The pieces of one document that every chunk needs, worked out once."""

    def __init__(self, table: Table, positions: Positions, sizes: dict[str, float]) -> None:
        self.table = table
        self.positions = positions
        self.sizes = sizes
        self.node_ids = _attribute_ids(table.nodes.attributes.columns)
        self.edge_ids = _attribute_ids(table.edges.attributes.columns)
        self.colours: dict[str, str] = {}
        self.size_texts: dict[float | None, str] = {}
        self.times: dict[int, str] = {}
        self.spell_times: dict[Interval, str] = {}

    def head(self) -> str:
        """Everything up to the first node: meta, attribute declarations, ``<nodes>``."""
        nodes, edges = self.table.nodes, self.table.edges
        return _lines(
            [
                '<?xml version="1.0" encoding="UTF-8"?>',
                f'<gexf xmlns="{GEXF_NAMESPACE}" xmlns:viz="{VIZ_NAMESPACE}" version="1.3">',
                "  <meta>",
                "    <creator>defus-graph</creator>",
                "    <description>Partner network of DEFUS/Efus urban-security projects"
                "</description>",
                "  </meta>",
                '  <graph mode="dynamic" timeformat="date" defaultedgetype="undirected">',
                *_attributes_block("node", nodes.attributes.columns, self.node_ids),
                *_attributes_block("edge", edges.attributes.columns, self.edge_ids),
                f'    <nodes count="{len(nodes)}">',
            ]
        )

    def _times_or_spells(
        self, intervals: Sequence[Interval], spells: Sequence[tuple[Interval, ...]]
    ) -> tuple[list[str], list[str]]:
        return _times_or_spells(intervals, spells, self.times, self.spell_times)

    def nodes(self, rows: slice) -> str:
        """The ``<node>`` lines of ``rows``."""
        nodes = self.table.nodes
        keys = [str(key) for key in nodes.keys[rows]]
        times, spells = self._times_or_spells(nodes.intervals[rows], nodes.spells[rows])
        return _lines(
            [
                f'      <node id="{id_}" label="{label}"{time}>'
                f"{values}{spell}{colour}{position}{size}{shape}</node>"
                for id_, label, time, values, spell, colour, position, size, shape in zip(
                    _xml.attrs(nodes.ids[rows]),
                    _xml.attrs(nodes.labels[rows]),
                    times,
                    _attvalues(nodes.attributes, self.node_ids, rows),
                    spells,
                    _each_once(_colour_of, nodes.kinds[rows], self.colours),
                    [_position(self.positions.get(key)) for key in keys],
                    _each_once(_size, list(map(self.sizes.get, keys)), self.size_texts),
                    [_SHAPES[p] for p in nodes.is_project[rows]],
                    strict=True,
                )
            ]
        )

    def middle(self) -> str:
        """Between the last node and the first edge."""
        return _lines(["    </nodes>", f'    <edges count="{len(self.table.edges)}">'])

    def edges(self, rows: slice) -> str:
        """The ``<edge>`` lines of ``rows``."""
        edges = self.table.edges
        labels = edges.labels[rows]
        if repeats(labels):  # a bipartite edge's role
            made = {label: _label(label) for label in set(labels)}
            labels = list(map(made.__getitem__, labels))
        else:
            labels = [f' label="{label}"' if label else "" for label in _xml.attrs(labels)]
        times, spells = self._times_or_spells(edges.intervals[rows], edges.spells[rows])
        # Each line's end is made with its values (one string less per edge); the few
        # with spells get them after the values.
        ends = _attvalues(
            edges.attributes, self.edge_ids, rows, ("><attvalues>", "</attvalues></edge>", "/>")
        )
        for k in compress(range(len(spells)), spells):
            end = ends[k]
            ends[k] = f">{spells[k]}</edge>" if end == "/>" else f"{end[:-7]}{spells[k]}</edge>"
        return "".join(
            [
                f'      <edge id="{i}" source="{source}" target="{target}"{label}{weight}{time}'
                f"{end}\n"
                for i, source, target, label, weight, time, end in zip(
                    range(*rows.indices(len(edges))),
                    _xml.attrs(edges.sources[rows]),
                    _xml.attrs(edges.targets[rows]),
                    labels,
                    _weights(edges.weights[rows]),
                    times,
                    ends,
                    strict=True,
                )
            ]
        )


def _document_chunks(table: Table, positions: Positions, sizes: dict[str, float]) -> Iterator[str]:
    """The GEXF document of ``table`` as consecutive pieces of text.

    ``positions`` and ``sizes`` are keyed by ``str`` of the graph's nodes
    (:func:`defus_graph.draw.style.node_sizes`); a node missing from either gets
    no ``viz:position`` or ``viz:size``.
    """
    writer = _Writer(table, positions, sizes)
    yield writer.head()
    for start in range(0, len(table.nodes), CHUNK_ROWS):
        yield writer.nodes(slice(start, start + CHUNK_ROWS))
    yield writer.middle()
    for start in range(0, len(table.edges), CHUNK_ROWS):
        yield writer.edges(slice(start, start + CHUNK_ROWS))
    yield _lines(["    </edges>", "  </graph>", "</gexf>"])


def _prepared(g: Writable, positions: Positions | None) -> Iterator[str]:
    """The chunks of ``g``'s document; the table is built before the first chunk is asked for."""
    table = table_from_graph(g)
    if positions is None:
        from ..draw.layout import layout_positions

        positions = layout_positions(g if isinstance(g, nx.Graph) else g.graph())
    return _document_chunks(table, positions, node_sizes(g))


def gexf_bytes(g: Writable, *, positions: Positions | None = None) -> bytes:
    """``g`` as a GEXF 1.3 document, UTF-8.

    Parameters
    ----------
    g : the bipartite graph of :func:`defus_graph.graph.bipartite.graph_from_dataset`, a
        filtered view of it, or one of its projections (as a graph, or as columns:
        :class:`~defus_graph.graph.bipartite.ProjectionLinks`); the bipartite graph
        may come as the dataset's arrays
        (:class:`~defus_graph.graph.bipartite.BipartiteColumns`).
    positions : node id -> (x, y) in screen coordinates; default: the seeded
        :func:`defus_graph.draw.layout.layout_positions` of ``g``. Nodes missing
        from it get no ``viz:position``.

    Examples
    --------
    >>> data = gexf_bytes(nx.Graph())
    >>> b'<graph mode="dynamic" timeformat="date" defaultedgetype="undirected">' in data
    True
    """
    chunks = _prepared(g, positions)
    with paused_gc():
        return "".join(chunks).encode("utf-8")


def write_gexf(g: Writable, path: Path, *, positions: Positions | None = None) -> Path:
    """Write the document of :func:`gexf_bytes` to ``path`` (atomically), chunk by chunk.

    Returns ``path``. Memory holds one chunk of the document at a time, not
    all of it.
    """
    chunks = _prepared(g, positions)
    with paused_gc():
        return write_atomic(path, (chunk.encode("utf-8") for chunk in chunks))
