"""What to draw of a large network: a focused view the browser can handle.

A browser drawing library (vis-network) freezes long before 60,000 nodes.
Above :data:`DRAW_LIMIT` nodes, :meth:`NetworkIndex.view` returns a focused
view instead of the whole graph: the selected node's neighbourhood to depth
two, capped at the limit and keeping the strongest links, or, with nothing
selected, the most central organisations and the projects that link them;
with a plain-language notice of what is hidden and how to see the rest. At
most :data:`LINK_LIMIT` links are drawn, whatever the number of nodes.

The heavy work (positions, ranking, the sparse adjacency) happens once, in
:class:`NetworkIndex`; a click only walks the selected node's neighbourhood.

How the dashboard calls it
--------------------------
:mod:`defus_graph.dashboard.data` builds one index per network, filters and
view, with the whole network's layout, and shares it across reruns and
sessions (``st.cache_resource``; an index only ever adds its overview, built
on first use)::

    index = NetworkIndex(shown, positions=layout_positions(whole_view))
    view = index.view(selected)   # selected: node id or None
    # draw view.graph at view.positions with physics off; show view.notice if it is not "".

``view.graph`` is a copy of part of the graph with all its attributes;
``view.positions`` has a position for each of its nodes.

Examples
--------
>>> import networkx as nx
>>> g = nx.Graph()
>>> g.add_nodes_from(["project:A", "project:B"], bipartite=0)
>>> g.add_nodes_from(["org:Genk", "org:Leuven"], bipartite=1)
>>> g.add_edges_from([("project:A", "org:Genk"), ("project:B", "org:Genk"),
...                   ("project:B", "org:Leuven")])
>>> index = NetworkIndex(g)
>>> view = index.view("org:Leuven", limit=3)
>>> sorted(view.graph.nodes)
['org:Genk', 'org:Leuven', 'project:B']
>>> print(view.notice)  # doctest: +NORMALIZE_WHITESPACE
Showing 3 of 4 nodes: the neighbourhood of Leuven (its 1 project and its 1 partner,
strongest links first). Search for another organisation or use the filters to see others.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import networkx as nx
import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from ..graph.bipartite import ORGANISATION, PROJECT, adjacency
from .layout import Positions, layout_positions

__all__ = ["DRAW_LIMIT", "FIRST_LINKS", "LINK_LIMIT", "FocusedView", "NetworkIndex"]

#: The most nodes handed to the browser at once.
DRAW_LIMIT = 1500

#: The most links handed to the browser at once: vis-network redraws every
#: link on each zoom or drag, and slows to a crawl well before 20,000.
LINK_LIMIT = 8000

#: The links the dashboard draws at first (the strongest, as for :data:`LINK_LIMIT`):
#: taking each link in costs the browser about as much as the rest of a click, so
#: more, up to :data:`LINK_LIMIT`, are drawn only when asked for.
FIRST_LINKS = 2000

#: Share of the overview's nodes given to the most central organisations.
_OVERVIEW_ORGANISATIONS = 0.1

#: Radius of the first and second ring of a neighbourhood view, in layout units.
_RING = 400.0


@dataclass(frozen=True)
class FocusedView:
    """What to draw: a subgraph, where its nodes go, and what is left out.

    graph : the nodes and edges to draw, with the full graph's attributes.
    positions : node id -> (x, y) for every node of ``graph``; draw with physics off.
    notice : plain-language note of what is hidden and how to see it; ``""``
        when the whole network is shown.
    selected : the node the view is centred on, or ``None``.
    total_nodes : the number of nodes in the whole network.
    links_among : the number of links among the nodes of ``graph``, drawn or not.
    """

    graph: nx.Graph
    positions: Positions
    notice: str
    selected: str | None
    total_nodes: int
    links_among: int = 0

    @property
    def is_partial(self) -> bool:
        """Whether some of the network is hidden."""
        return bool(self.graph.number_of_nodes() < self.total_nodes)

    @property
    def links_left_out(self) -> bool:
        """Whether some links among the nodes drawn are not drawn."""
        return self.links_among > int(self.graph.number_of_edges())


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}" if count == 1 else f"{count:,} {word}s"


class NetworkIndex:
    """Everything a click needs, computed once from a bipartite graph.

    Parameters
    ----------
    g : the bipartite graph of :func:`defus_graph.graph.bipartite.graph_from_dataset`,
        or a filtered view of it. It must not change while the index is used.
    positions : node id -> (x, y) for the whole network, or a function that
        returns them; default :func:`defus_graph.draw.layout.layout_positions`
        (seconds at Horizon 2020 scale). Either is asked for only when first
        needed: a network drawn in part needs no layout of the whole.
    scores : node id -> centrality, used to rank organisations in the
        overview and to break ties; default the number of projects (degree).
        Pass e.g. the betweenness of :func:`defus_graph.analysis.centrality.centralities`
        if it is already computed.
    limit : the most nodes a view holds (default :data:`DRAW_LIMIT`).
    link_limit : the most links a view holds (default :data:`LINK_LIMIT`);
        :meth:`view` may be asked for fewer.
    part_layout : what lays out the overview of a network drawn in part
        (default :func:`~defus_graph.draw.layout.layout_positions`); the dashboard's
        keeps it beside the data's snapshot.

    Building it costs about a second at Horizon 2020 scale (plus the layout, when
    a view draws the whole network or :attr:`positions` is read); :meth:`view`
    then answers in milliseconds to a few tenths of a second.
    """

    def __init__(
        self,
        g: nx.Graph,
        *,
        positions: Positions | Callable[[], Positions] | None = None,
        scores: Mapping[str, float] | None = None,
        limit: int = DRAW_LIMIT,
        link_limit: int = LINK_LIMIT,
        part_layout: Callable[[nx.Graph], Positions] | None = None,
    ) -> None:
        if limit < 1 or link_limit < 1:
            raise ValueError("limit and link_limit must be at least 1")
        self.graph = g
        self.limit = limit
        self.link_limit = link_limit
        links = adjacency(g, weighted=True)
        #: The weighted links, for whatever else needs them (e.g. the drawn sizes).
        self.links = links
        self.nodes: list[str] = links.nodes
        self.index: dict[str, int] = links.index
        self._keys = {str(n): n for n in g.nodes}
        # Each node's place in ``g``: a part keeps it, so its links keep their direction.
        self._place = {name: i for i, name in enumerate(self._keys)}
        n = len(self.nodes)
        adj = links.links
        self.adjacency: sp.csr_array = adj
        # A link's weight (shared projects on a projection; 1 on the bipartite graph).
        assert links.weights is not None
        self.weights: sp.csr_array = links.weights
        self.degree: npt.NDArray[np.int64] = np.diff(adj.indptr).astype(np.int64)
        self.side: npt.NDArray[np.int64] = np.array(
            [_side(g.nodes[self._keys[name]].get("bipartite")) for name in self.nodes],
            dtype=np.int64,
        )
        if scores is None:
            self.score = self.degree.astype(np.float64)
        else:
            self.score = np.array([float(scores.get(name, 0.0)) for name in self.nodes])
        # Rank of every node: highest score first, then most links, then id.
        order = np.lexsort((np.arange(n), -self.degree, -self.score))
        self.rank: npt.NDArray[np.int64] = np.empty(n, dtype=np.int64)
        self.rank[order] = np.arange(n)
        self._positions: Positions | None = None
        self._lay_out: Callable[[], Positions] = lambda: layout_positions(g) if n else {}
        if callable(positions):
            self._lay_out = positions
        elif positions is not None:
            self._positions = positions
        self._lock = threading.Lock()  # an index is shared by every session
        self.two_sided = bool(
            (self.side == ORGANISATION).any() and (self.side != ORGANISATION).any()
        )
        self._overview: dict[int, FocusedView] = {}  # by the most links drawn
        self._overview_places: Positions | None = None
        self._lay_out_part = part_layout or layout_positions

    def __len__(self) -> int:
        return len(self.nodes)

    @property
    def positions(self) -> Positions:
        """Node id -> (x, y) for the whole network, laid out (or read) on first use."""
        if self._positions is None:
            with self._lock:
                if self._positions is None:
                    self._positions = self._lay_out()
        return self._positions

    def _neighbours(self, i: int) -> npt.NDArray[np.int32]:
        adj = self.adjacency
        found: npt.NDArray[np.int32] = adj.indices[adj.indptr[i] : adj.indptr[i + 1]]
        return found

    def _label(self, i: int) -> str:
        key = self._keys[self.nodes[i]]
        return str(self.graph.nodes[key].get("label", self.nodes[i].split(":", 1)[-1]))

    def view(
        self, selected: str | None = None, *, limit: int | None = None, links: int | None = None
    ) -> FocusedView:
        """The part of the network to draw, centred on ``selected`` (a node id) if given.

        The whole network when it has at most ``limit`` nodes (default: the
        index's limit). Otherwise, with a node selected, its neighbourhood to
        depth two: its projects (or organisations), ranked by how strongly
        they link it to the rest, each with its members, the strongest first,
        until the limit; positions are then rings around it. With nothing
        selected, the most central organisations and the projects linking
        them (on a projection: the most central nodes), laid out on their own.
        At most ``links`` links are drawn (default: the index's :attr:`link_limit`): those
        of the selected node first, then each node's strongest, then the
        strongest of the rest. Raises ``KeyError`` for a node that is not in
        the network.
        """
        cap = self.limit if limit is None else limit
        most = self.link_limit if links is None else links
        if cap < 1 or most < 1:
            raise ValueError("limit and links must be at least 1")
        if selected is not None and selected not in self.index:
            raise KeyError(f"{selected!r} is not in the network")
        total = len(self.nodes)
        if total <= cap:
            centre = None if selected is None else self.index[selected]
            graph, among = self._subgraph(list(range(total)), centre, most)
            positions = {n: self.positions[n] for n in self.nodes if n in self.positions}
            notice = ""
            if among > graph.number_of_edges():
                notice = (
                    f"Showing all {total:,} nodes and the {graph.number_of_edges():,} strongest "
                    f"of their {among:,} links. Download the GEXF file to see every link in "
                    "Gephi."
                )
            return FocusedView(graph, positions, notice, selected, total, among)
        if selected is None:
            if cap == self.limit:
                if most not in self._overview:
                    self._overview[most] = self._overview_view(cap, most)
                return self._overview[most]
            return self._overview_view(cap, most)
        return self._neighbourhood_view(self.index[selected], cap, most)

    def _subgraph(self, kept: list[int], centre: int | None, most: int) -> tuple[nx.Graph, int]:
        """The nodes ``kept`` (a copy, with all attributes) and at most ``most`` of the
        links among them; also how many links there are among them in all."""
        at = np.asarray(kept, dtype=np.int64)
        among = sp.triu(self.adjacency[at][:, at], k=1).tocoo()  # each link once
        rows, cols = among.row.astype(np.int64), among.col.astype(np.int64)
        total = len(rows)
        if total > most:
            weight = np.asarray(self.weights[at[rows], at[cols]], dtype=np.float64).ravel()
            local = None if centre is None else kept.index(centre)
            chosen = np.sort(self._strongest_links(at, rows, cols, weight, local)[:most])
            rows, cols = rows[chosen], cols[chosen]
        g = self.graph
        keys = [self._keys[self.nodes[i]] for i in kept]
        out = nx.Graph()
        # In the order of ``g`` (copying each node's attributes), so that a link
        # is reported from the same end as in ``g`` (the project, for a member).
        out.add_nodes_from((k, g.nodes[k]) for k in sorted(keys, key=lambda k: self._place[str(k)]))
        out.add_edges_from(
            (keys[a], keys[b], g.adj[keys[a]][keys[b]])
            for a, b in zip(rows.tolist(), cols.tolist(), strict=True)
        )
        if self.two_sided and len(kept) < len(self.nodes):
            # Tooltips say how many projects (members) a node has in the whole
            # network, not in the part drawn.
            for i, key in zip(kept, keys, strict=True):
                attr = "n_projects" if self.side[i] == ORGANISATION else "n_organisations"
                out.nodes[key].setdefault(attr, int(self.degree[i]))
        return out, total

    def _strongest_links(
        self,
        at: npt.NDArray[np.int64],
        rows: npt.NDArray[np.int64],
        cols: npt.NDArray[np.int64],
        weight: npt.NDArray[np.float64],
        centre: int | None,
    ) -> npt.NDArray[np.int64]:
        """Which of the links (``rows[k]``–``cols[k]``, local to ``at``) to draw.

        The selected node's links first, then each node's strongest link (so
        that no node drawn is left without one), then the strongest of the
        rest; ties go to the links between the more central nodes.
        """
        if centre is None:
            touches = np.zeros(len(rows), dtype=bool)
        else:
            touches = (rows == centre) | (cols == centre)
        ties = self.rank[at[rows]] + self.rank[at[cols]]
        order = np.lexsort((ties, -weight, ~touches))
        # Each node's first link in that order is its strongest.
        ends = np.column_stack((rows[order], cols[order])).ravel()  # link k's ends: 2k, 2k+1
        _, first = np.unique(ends, return_index=True)
        best = np.zeros(len(order), dtype=bool)
        best[first // 2] = True
        group = np.where(touches[order], 0, np.where(best, 1, 2))
        ranked: npt.NDArray[np.int64] = order[np.lexsort((np.arange(len(order)), group))]
        return ranked

    def _members(self, ring: npt.NDArray[np.int64], centre: int) -> npt.NDArray[np.int64]:
        """The neighbours of each node of ``ring`` but ``centre``, concatenated (with repeats)."""
        adj = self.adjacency
        if len(ring) == 0:
            return np.zeros(0, dtype=np.int64)
        starts, ends = adj.indptr[ring], adj.indptr[ring + 1]
        lengths = ends - starts
        # All positions starts[k] .. ends[k] - 1 at once, without a Python loop.
        offsets = np.repeat(starts - np.cumsum(np.r_[0, lengths[:-1]]), lengths)
        found: npt.NDArray[np.int64] = adj.indices[np.arange(int(lengths.sum())) + offsets]
        kept: npt.NDArray[np.int64] = found[found != centre].astype(np.int64)
        return kept

    def _neighbourhood_view(self, centre: int, cap: int, most: int) -> FocusedView:
        first = self._neighbours(centre).astype(np.int64)
        # The strength of a second-ring node's tie to the centre is its number of
        # links to the first ring (shared projects, or shared partners).
        strength = np.bincount(self._members(first, centre), minlength=len(self.nodes))
        strength[first] = 0  # on a projection, a partner is not also a partner's partner
        partners = np.flatnonzero(strength)
        # First-ring nodes ranked by the total strength of the ties they carry.
        adj = self.adjacency
        carried = adj[first] @ strength if len(first) else np.zeros(0)
        first = first[np.lexsort((self.rank[first], -carried))]
        budget = cap - 1
        # A third of the room for the first ring, more if the second ring is small.
        n_first = min(len(first), max(budget // 3, budget - len(partners)))
        ring1 = first[:n_first]
        # Second ring: the strongest ties reached through the kept first ring.
        reached = np.unique(self._members(ring1, centre))
        reached = reached[strength[reached] > 0]
        reached = reached[np.lexsort((self.rank[reached], -strength[reached]))]
        ring2_nodes = reached[: budget - n_first].tolist()
        # Each second-ring node is drawn beside one of its first-ring neighbours:
        # the one with the fewest so far, so that the ring fills all the way round
        # (the strongest partners are in nearly every project).
        position_in_ring1 = {p: k for k, p in enumerate(ring1.tolist())}
        load = dict.fromkeys(position_in_ring1, 0)
        ring2: dict[int, int] = {}
        for o in ring2_nodes:
            linked = [q for q in self._neighbours(o).tolist() if q in position_in_ring1]
            parent = min(linked, key=lambda q: (load[q], position_in_ring1[q]))
            load[parent] += 1
            ring2[o] = parent
        kept_first = ring1.tolist()
        kept = [centre, *kept_first, *ring2]
        graph, among = self._subgraph(kept, centre, most)
        positions = self._rings(centre, kept_first, ring2)
        notice = self._neighbourhood_notice(
            centre, len(kept), (n_first, len(first)), (len(ring2), len(partners))
        )
        notice += self._links_notice(graph, among)
        return FocusedView(graph, positions, notice, self.nodes[centre], len(self.nodes), among)

    def _rings(self, centre: int, ring1: list[int], ring2: dict[int, int]) -> Positions:
        """The centre at (0, 0), the first ring around it, the second beyond each parent."""
        nodes = self.nodes
        positions: dict[str, tuple[float, float]] = {nodes[centre]: (0.0, 0.0)}
        r1 = max(_RING, _RING * len(ring1) / (2 * math.pi) / 3)
        angle_of: dict[int, float] = {}
        for k, p in enumerate(ring1):
            angle = 2 * math.pi * k / max(1, len(ring1))
            angle_of[p] = angle
            positions[nodes[p]] = (round(r1 * math.cos(angle), 2), round(r1 * math.sin(angle), 2))
        children: dict[int, list[int]] = {}
        for o, p in ring2.items():
            children.setdefault(p, []).append(o)
        spread = 2 * math.pi / max(1, len(ring1))
        for p, kids in children.items():
            for k, o in enumerate(kids):
                # Fan the children out over the parent's share of the circle, on
                # a few staggered rings so that they do not overlap.
                angle = angle_of[p] + spread * ((k + 0.5) / len(kids) - 0.5) * 0.9
                r2 = r1 + _RING * (1 + (k % 4) * 0.35)
                positions[nodes[o]] = (
                    round(r2 * math.cos(angle), 2),
                    round(r2 * math.sin(angle), 2),
                )
        return positions

    def _neighbourhood_notice(
        self, centre: int, shown: int, first: tuple[int, int], second: tuple[int, int]
    ) -> str:
        """The notice; ``first`` and ``second`` are (kept, total) of each ring."""
        (kept_first, n_first), (kept_second, n_second) = first, second
        is_org = self.side[centre] == ORGANISATION
        if self.two_sided:
            first_part = _part(kept_first, n_first, "project" if is_org else "member", "its")
            second_word = "partner" if is_org else "linked project"
            second_part = _part(kept_second, n_second, second_word, "its")
        else:
            word = "partner" if is_org else "linked project"
            first_part = _part(kept_first, n_first, word, "its")
            second_part = _part(kept_second, n_second, word, "their other")
        return (
            f"Showing {shown:,} of {len(self.nodes):,} nodes: the neighbourhood of "
            f"{self._label(centre)} ({first_part} and {second_part}, strongest links first). "
            "Search for another organisation or use the filters to see others."
        )

    def _links_notice(self, graph: nx.Graph, links: int) -> str:
        """What the notice adds when links among the nodes shown are left out too."""
        drawn = graph.number_of_edges()
        if links <= drawn:
            return ""
        return (
            f" Of the {links:,} links among them, the {drawn:,} strongest are drawn; "
            "download the GEXF file to see every link in Gephi."
        )

    def _overview_view(self, cap: int, most: int) -> FocusedView:
        if self.two_sided:
            kept, notice = self._overview_of_both_sides(cap)
        else:
            kept = np.argsort(self.rank)[:cap].tolist()
            word = "organisation" if self.side[kept[0]] == ORGANISATION else "project"
            notice = (
                f"Showing {len(kept):,} of {len(self.nodes):,} nodes: the "
                f"{_plural(len(kept), word)} with the most links. Click one or search for a "
                "name to see its neighbourhood, or use the filters to see others."
            )
        # Only the links among what is shown: a project's other members stay hidden.
        graph, among = self._subgraph(kept, None, most)
        # Laid out on its own: in the whole network's layout the most central
        # nodes sit in one dense knot. Computed once per index.
        positions = self._overview_positions(kept)
        notice += self._links_notice(graph, among)
        return FocusedView(graph, positions, notice, None, len(self.nodes), among)

    def _overview_positions(self, kept: list[int]) -> Positions:
        """The overview's nodes laid out with the most links a view draws (:attr:`link_limit`),
        so that they stay in place whichever number of links is drawn; once per index."""
        if self._overview_places is None:
            graph, _ = self._subgraph(kept, None, self.link_limit)
            self._overview_places = self._lay_out_part(graph)
        return self._overview_places

    def _overview_of_both_sides(self, cap: int) -> tuple[list[int], str]:
        """The most central organisations and the projects that bring most of them together."""
        orgs = np.flatnonzero(self.side == ORGANISATION)
        orgs = orgs[np.argsort(self.rank[orgs], kind="stable")]
        n_top = max(1, min(len(orgs), int(cap * _OVERVIEW_ORGANISATIONS)))
        top = orgs[:n_top]
        # Projects ranked by how many of the top organisations they bring together.
        adj = self.adjacency
        linked = sp.csr_array(adj[top]).sum(axis=0)
        candidates = np.flatnonzero((linked > 0) & (self.side != ORGANISATION))
        candidates = candidates[np.lexsort((self.rank[candidates], -linked[candidates]))]
        projects = candidates[: max(0, cap - n_top)]
        kept = [*top.tolist(), *projects.tolist()]
        n_orgs, n_projects = len(orgs), int((self.side != ORGANISATION).sum())
        notice = (
            f"Showing {len(kept):,} of {len(self.nodes):,} nodes: the {n_top:,} most central of "
            f"{_plural(n_orgs, 'organisation')} and {len(projects):,} of "
            f"{_plural(n_projects, 'project')}, those linking most of them. "
            "Click an organisation or search for one to see its neighbourhood, "
            "or use the filters to see others."
        )
        return kept, notice


def _part(kept: int, total: int, word: str, whose: str) -> str:
    """ "its 3 projects", or "2 of its 3 projects" when some are left out."""
    if kept == total:
        return f"{whose} {_plural(total, word)}"
    return f"{kept:,} of {whose} {_plural(total, word)}"


def _side(value: object) -> int:
    return ORGANISATION if value == ORGANISATION else PROJECT
