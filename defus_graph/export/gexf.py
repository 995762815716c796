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
    or edges each (:mod:`~defus_graph.export._chunks`, shared with GraphML),
    every chunk laid out column by column from the
    :class:`~defus_graph.export._table.Table`. :func:`write_gexf` writes the
    chunks as they come, so memory holds the graph, its table and one chunk,
    never the whole document; :func:`gexf_bytes` joins them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from functools import partial
from itertools import chain, compress, repeat
from operator import is_, not_
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

import networkx as nx

from ..draw.style import kind_colour, node_sizes
from . import _xml
from ._chunks import joined, lines, row_chunks, write_chunks
from ._columns import Attributes, Column, Scalar, column_text, each_distinct_once
from ._table import Edges, Interval, Table, Writable, table_from_graph

if TYPE_CHECKING:
    from ..draw.layout import Positions

__all__ = ["GEXF_NAMESPACE", "VIZ_NAMESPACE", "gexf_bytes", "write_gexf"]

GEXF_NAMESPACE = "http://gexf.net/1.3"
VIZ_NAMESPACE = "http://gexf.net/1.3/viz"

_ID_SAFE = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")
_SHAPES = ('<viz:shape value="disc"/>', '<viz:shape value="square"/>')
_K = TypeVar("_K", str, float | None)
#: A slot of the lines laid side by side: each row's text, or one text for every row.
_Slot = list[str] | str


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
    out = [f'    <attributes class="{cls}">']
    for c, id_ in zip(columns, ids, strict=True):
        out.append(
            f'      <attribute id="{_xml.attr(id_)}" title="{_xml.attr(c.name)}" type="{c.type}"/>'
        )
    out.append("    </attributes>")
    return out


def _time(interval: Interval) -> str:
    """The ``start`` and ``end`` attributes of ``interval`` (each only when known)."""
    start, end = interval.start, interval.end
    if start is None:
        return "" if end is None else f' end="{end.isoformat()}"'
    if end is None:
        return f' start="{start.isoformat()}"'
    return f' start="{start.isoformat()}" end="{end.isoformat()}"'


def _spell(interval: Interval) -> str:
    return f"<spell{_time(interval)}/>"


def _times(
    intervals: Sequence[Interval], memo: dict[int, str], make: Callable[[Interval], str] = _time
) -> list[str]:
    """``make`` of each interval: its ``start``/``end`` attributes, by default.

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
                text = memo[id(interval)] = make(interval)
            out[k] = text
    return cast(list[str], out)


def _times_or_spells(
    intervals: Sequence[Interval],
    spells: Sequence[tuple[Interval, ...]],
    memo: dict[int, str],
    spell_memo: dict[int, str],
) -> tuple[list[str], list[str]]:
    """Each row's ``start``/``end`` attributes and its ``<spells>`` element (``""`` for
    none): one of the two is ``""``. ``spell_memo`` maps a spell's ``id`` to its
    ``<spell>`` element, as ``memo`` does its attributes (:func:`_times`)."""
    times = _times(intervals, memo)
    elements = [""] * len(times)
    at = list(compress(range(len(spells)), spells))  # the few rows with spells
    if not at:
        return times, elements
    chosen = [spells[k] for k in at]
    texts = _times(list(chain.from_iterable(chosen)), spell_memo, _spell)
    end = 0
    for k, row in zip(at, chosen, strict=True):
        start, end = end, end + len(row)
        elements[k] = f"<spells>{''.join(texts[start:end])}</spells>"
        times[k] = ""
    return times, elements


def _attvalues(attributes: Attributes, ids: list[str], rows: slice) -> list[str]:
    """Each row's ``<attvalues>`` element (``""`` when it has no value), for ``rows``.

    Column by column: a column's cells are formatted by one comprehension, and only
    text needs escaping; a column without a value in these rows (a project's, among
    organisations) is passed over; then each row joins its cells.
    """
    cells = []
    for column, values, id_ in zip(attributes.columns, attributes.values, ids, strict=True):
        chunk = values[rows]
        if chunk.count(None) == len(chunk):
            continue
        head = f'<attvalue for="{_xml.attr(id_)}" value="'
        cells.append(["" if t is None else f'{head}{t}"/>' for t in _cell_texts(column, chunk)])
    if not cells:
        return [""] * len(range(*rows.indices(len(attributes.orders))))
    inners = map("".join, zip(*cells, strict=True))
    return [f"<attvalues>{inner}</attvalues>" if inner else "" for inner in inners]


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
        self.spell_times: dict[int, str] = {}
        self.group_tails: dict[int, str] = {}

    def head(self) -> str:
        """Everything up to the first node: meta, attribute declarations, ``<nodes>``."""
        nodes, edges = self.table.nodes, self.table.edges
        return lines(
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
        return lines(
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
        return lines(["    </nodes>", f'    <edges count="{len(self.table.edges)}">'])

    def edges(self, rows: slice) -> str:
        """The ``<edge>`` lines of ``rows``.

        Laid side by side rather than formatted line by line: each line is a fixed
        sequence of pieces (constants, or texts shared by many edges: a weight, a
        time, an attribute's name), so the pieces of every line go into one list,
        slot by slot, and are joined once (:func:`_interleaved`); no text is made
        per edge but its id. Edges in groups (:attr:`Edges.groups`) end their lines
        with one text per group.
        """
        edges = self.table.edges
        start, stop, _ = rows.indices(len(edges))
        if start >= stop:
            return ""
        n = stop - start
        newlines = [_EDGE_NEXT] * n
        newlines[-1] = "\n"
        if edges.groups is None:
            tail = self._tail_slots(edges, rows, n)
        else:
            tail = [self._grouped_tails(edges.groups[rows].tolist(), start, n)]
        slots: list[_Slot] = [
            list(map(str, range(start, stop))),
            _SOURCE,
            _xml.attrs(edges.sources[rows]),
            _TARGET,
            _xml.attrs(edges.targets[rows]),
            *tail,
            newlines,
        ]
        return _interleaved(_EDGE_HEAD, slots, n)

    def _tail_slots(self, edges: Edges, rows: slice, n: int) -> list[_Slot]:
        """The slots of the ``n`` lines of ``rows`` after their edges' targets: label,
        weight, time, values, spells and the element's end."""
        times, spells = self._times_or_spells(edges.intervals[rows], edges.spells[rows])
        cells, bare = _cell_slots(edges.attributes, self.edge_ids, rows, n)
        opens, tails = _ends(n, bool(cells), bare, spells)
        labels = _label_slots(edges.labels[rows])
        return [*labels, _weights(edges.weights[rows]), times, opens, *cells, tails]

    def _grouped_tails(self, groups: list[int], start: int, n: int) -> list[str]:
        """What follows the target on each of the ``n`` lines from edge ``start`` on, of
        ``groups``: made once per group (kept for the next chunks), and for each edge in
        none."""
        made = self.group_tails
        tails: list[str | None] = list(map(made.get, groups))
        if None not in tails:
            return cast(list[str], tails)
        missing = list(compress(range(n), map(is_, tails, repeat(None))))
        firsts: dict[int, int] = {}  # each new group's first edge here
        picked = [k for k in missing if groups[k] < 0 or firsts.setdefault(groups[k], k) == k]
        some = self.table.edges.take([start + k for k in picked])
        slots = self._tail_slots(some, slice(0, len(picked)), len(picked))
        columns = [repeat(s, len(picked)) if isinstance(s, str) else s for s in slots]
        for k, text in zip(picked, map("".join, zip(*columns, strict=True)), strict=True):
            tails[k] = text
            if groups[k] >= 0:
                made[groups[k]] = text
        for k in missing:
            if tails[k] is None:  # a later edge of a group first met here
                tails[k] = made[groups[k]]
        return cast(list[str], tails)


_EDGE_HEAD = '      <edge id="'
_EDGE_NEXT = '\n      <edge id="'
_SOURCE = '" source="'
_TARGET = '" target="'


def _interleaved(first: str, slots: list[_Slot], n: int) -> str:
    """``first``, then row after row each slot's text (``n`` rows): ``first +
    "".join(chain(*zip(*slots)))`` with each text slot read as ``[text] * n``.

    Every row's pieces are put side by side in one list, a slot at a time (one
    slice assignment each, in C), and joined once: no text is made per row. Text
    slots next to each other are one slot (their texts joined once).
    """
    merged: list[_Slot] = []
    for slot in slots:
        if isinstance(slot, str) and merged and isinstance(merged[-1], str):
            merged[-1] += slot
        else:
            merged.append(slot)
    k = len(merged)
    pieces = [first] * (n * k + 1)
    for j, texts in enumerate(merged):
        # A list of other than n texts raises ValueError here.
        pieces[1 + j :: k] = [texts] * n if isinstance(texts, str) else texts
    return "".join(pieces)


def _absent(values: list[Any]) -> list[int]:
    """Where ``values`` holds ``None``."""
    return list(compress(range(len(values)), map(is_, values, repeat(None))))


def _label_slots(labels: list[str]) -> tuple[_Slot, list[str], _Slot]:
    """What follows an edge's target, in three slots: the end of the target and the start
    of the ``label`` attribute, the label escaped, the attribute's end (only the target's
    end for an edge without a label)."""
    if "" not in labels:
        return '" label="', _xml.attrs(labels), '"'
    n = len(labels)
    opens, closes = ['" label="'] * n, ['"'] * n
    for k in compress(range(n), map(not_, labels)):
        opens[k], closes[k] = '"', ""
    return opens, _xml.attrs(labels), closes


def _cell_texts(column: Column, values: list[Scalar | None]) -> list[str | None]:
    """Each value's text as an ``<attvalue>`` holds it (``None`` where it has none), in a
    list of its own (:func:`~defus_graph.export._columns.each_distinct_once`)."""
    return each_distinct_once(column, values, partial(_escaped_texts, column))


def _escaped_texts(column: Column, values: Sequence[Scalar | None]) -> list[str | None]:
    texts = column_text(column, values)
    return _xml.attrs(texts) if column.type == "string" else texts  # numbers need no escaping


def _cell_slots(
    attributes: Attributes, ids: list[str], rows: slice, n: int
) -> tuple[list[_Slot], list[int]]:
    """The ``<attvalue>`` elements of the ``n`` rows ``rows``, three slots per column (the
    element's start, the value, its end: all ``""`` where a row has no value in the
    column), columns without a value in these rows left out; and the rows without a
    value in any column that is not left out."""
    slots: list[_Slot] = []
    bare: set[int] | None = None
    for column, values, id_ in zip(attributes.columns, attributes.values, ids, strict=True):
        chunk = values[rows]
        absent = _absent(chunk) if None in chunk else []
        if len(absent) == n:
            continue
        texts = _cell_texts(column, chunk)
        head = f'<attvalue for="{_xml.attr(id_)}" value="'
        if not absent:
            slots += [head, cast(list[str], texts), '"/>']
            bare = set()
            continue
        heads, ends = [head] * n, ['"/>'] * n
        for k in absent:
            heads[k] = ends[k] = texts[k] = ""
        slots += [heads, cast(list[str], texts), ends]
        bare = set(absent) if bare is None else bare.intersection(absent)
    return slots, sorted(bare or ())


def _ends(n: int, valued: bool, bare: list[int], spells: list[str]) -> tuple[_Slot, list[str]]:
    """The last slots of ``n`` edges' lines: what opens their values, and what follows
    them (their ``<spells>`` and the end of the element), given whether any column has
    values (``valued``), the rows without any (``bare``) and each row's ``<spells>``."""
    opens: _Slot
    if not valued:
        opens, tails = "", ["/>"] * n
    elif not bare:
        opens, tails = "><attvalues>", ["</attvalues></edge>"] * n
    else:
        opens, tails = ["><attvalues>"] * n, ["</attvalues></edge>"] * n
        for k in bare:
            opens[k], tails[k] = "", "/>"
    for k in compress(range(n), spells):  # the few rows with spells
        if tails[k] == "/>":
            tails[k] = f">{spells[k]}</edge>"
        else:
            tails[k] = f"</attvalues>{spells[k]}</edge>"
    return opens, tails


def _document_chunks(table: Table, positions: Positions, sizes: dict[str, float]) -> Iterator[str]:
    """The GEXF document of ``table`` as consecutive pieces of text.

    ``positions`` and ``sizes`` are keyed by ``str`` of the graph's nodes
    (:func:`defus_graph.draw.style.node_sizes`); a node missing from either gets
    no ``viz:position`` or ``viz:size``.
    """
    writer = _Writer(table, positions, sizes)
    yield writer.head()
    yield from row_chunks(len(table.nodes), writer.nodes)
    yield writer.middle()
    yield from row_chunks(len(table.edges), writer.edges)
    yield lines(["    </edges>", "  </graph>", "</gexf>"])


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
    return joined(_prepared(g, positions))


def write_gexf(g: Writable, path: Path, *, positions: Positions | None = None) -> Path:
    """Write the document of :func:`gexf_bytes` to ``path`` (atomically), chunk by chunk.

    Returns ``path``. Memory holds one chunk of the document at a time, not
    all of it.
    """
    return write_chunks(path, _prepared(g, positions))
