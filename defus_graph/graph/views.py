"""The part of the network a user looks at: filters and the choice of view.

One function serves the dashboard, its downloads and ``defus-graph export``, so
a file always shows what the screen showed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from itertools import chain, islice

import networkx as nx
import numpy as np

from ..errors import DefusGraphError
from ..model import date_bounds
from .bipartite import (
    ORGANISATION,
    PROJECT,
    Participations,
    ProjectionLinks,
    incidence_links,
    incidence_links_of,
    incidence_weights,
    organisation_incidence,
    organisation_projection,
    project_projection,
    projection_links,
    projection_links_of,
    projection_matrix,
)

# graph.backbone (scipy.sparse, a tenth of a second to import) is imported by the
# functions that find a backbone, not by every command that filters a view.

__all__ = [
    "BACKBONE_PAIR_LIMIT",
    "PROJECTION_LIMIT",
    "VIEWS",
    "VIEW_LABELS",
    "Filters",
    "ViewTooLarge",
    "backbone_columns",
    "backbone_view",
    "filter_graph",
    "organisation_backbone",
    "organisation_view",
    "project_years",
    "projection_pairs",
    "refuse_too_large",
    "view_columns",
    "view_graph",
    "year_span",
]

#: The three ways to look at the network.
VIEWS: tuple[str, ...] = ("bipartite", "orgs", "projects")

#: What each view is called on screen and in pictures.
VIEW_LABELS: dict[str, str] = {
    "bipartite": "Projects and organisations",
    "orgs": "Organisations linked by shared projects",
    "projects": "Projects linked by shared organisations",
}


#: The most links a projection may have before it is refused. Each link holds
#: the names and dates of what the pair shares (about 1 KB in memory), so this
#: is a few GB; Horizon 2020's organisation network (1.3 million pairs at most)
#: fits, its project network (45 million) does not.
PROJECTION_LIMIT = 3_000_000

#: The most links a projection may have, at most, for its backbone to be found
#: on its sparse weights (about 30 bytes a link while they are filtered): a
#: million participations' organisation network (6.6 million) fits, its project
#: network (900 million) does not.
BACKBONE_PAIR_LIMIT = 10 * PROJECTION_LIMIT


class ViewTooLarge(DefusGraphError):
    """A projection with more links than :data:`PROJECTION_LIMIT`."""


@dataclass(frozen=True)
class Filters:
    """What to keep. Empty tuples and ``None`` keep everything.

    kinds : organisation kinds to keep (projects are always kept by kind).
    countries : ISO codes of organisations to keep.
    programmes : programmes of projects to keep.
    years : keep projects running at some time in [first, last]; projects with no
        dates are kept only when no year range is set.
    shared_only : keep only organisations in two or more (kept) projects.
    members_only : keep only organisations on the member list (node attribute
        ``member``), and the projects they are in.
    """

    kinds: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    programmes: tuple[str, ...] = ()
    years: tuple[int, int] | None = None
    shared_only: bool = False
    members_only: bool = False

    def is_empty(self) -> bool:
        """Whether these filters keep everything."""
        return self == Filters()


def project_years(data: dict[str, object]) -> tuple[int, int] | None:
    """The first and last year a project node runs, or ``None`` if undated."""
    start, end = data.get("start"), data.get("end")
    if not start and not end:
        return None
    first = date_bounds(str(start or end))[0].year
    last = date_bounds(str(end or start))[1].year
    return first, last


def year_span(g: nx.Graph) -> tuple[int, int] | None:
    """The earliest and latest year any project of ``g`` runs, or ``None``."""
    spans = [
        s
        for _, d in g.nodes(data=True)
        if d.get("bipartite") == PROJECT
        for s in [project_years(d)]
        if s
    ]
    if not spans:
        return None
    return min(s[0] for s in spans), max(s[1] for s in spans)


def filter_graph(g: nx.Graph, filters: Filters) -> nx.Graph:
    """The bipartite subgraph that ``filters`` keep, without organisations left alone.

    Projects are filtered first (programme, years), then organisations (kind,
    country), then, if asked, organisations in fewer than two kept projects.
    Projects that lose all their organisations to a filter stay visible only if
    no organisation filter is set.

    When the filters keep everything and no organisation is alone, that is
    ``g`` itself, not a copy: never mutate the result.
    """
    if filters.is_empty() and _keeps_everything(g):
        return g
    projects = []
    for n, d in g.nodes(data=True):
        if d.get("bipartite") != PROJECT:
            continue
        if filters.programmes and d.get("programme") not in filters.programmes:
            continue
        if filters.years is not None:
            span = project_years(d)
            if span is None or span[1] < filters.years[0] or span[0] > filters.years[1]:
                continue
        projects.append(n)
    kept_projects = set(projects)
    orgs = []
    for n, d in g.nodes(data=True):
        if d.get("bipartite") != ORGANISATION:
            continue
        if filters.kinds and d.get("kind") not in filters.kinds:
            continue
        if filters.countries and d.get("country") not in filters.countries:
            continue
        if filters.members_only and not d.get("member"):
            continue
        in_kept = sum(1 for p in g[n] if p in kept_projects)
        if in_kept == 0 or (filters.shared_only and in_kept < 2):
            continue
        orgs.append(n)
    org_filter = bool(
        filters.kinds or filters.countries or filters.shared_only or filters.members_only
    )
    if org_filter:
        org_set = set(orgs)
        projects = [p for p in projects if any(o in org_set for o in g[p])]
    # Built in the order of ``g`` (an induced subgraph iterates in set order,
    # which changes with Python's hash seed), so the same data and filters give
    # the same graph, and the same files, every time.
    keep = {*projects, *orgs}
    kept = nx.Graph()
    kept.graph.update(g.graph)
    kept.add_nodes_from((n, d) for n, d in g.nodes(data=True) if n in keep)
    kept.add_edges_from((u, v, d) for u, v, d in g.edges(data=True) if u in keep and v in keep)
    return kept


def _keeps_everything(g: nx.Graph) -> bool:
    """Whether empty filters keep all of ``g``, in its order: a copy would equal it.

    They drop organisations in no project; and the copy lists each node's links
    in the order the edges come up, which is ``g``'s own when every link joins a
    project to an organisation and projects come first.
    """
    sides = [side for _, side in g.nodes(data="bipartite")]
    first_org = sides.index(ORGANISATION) if ORGANISATION in sides else len(sides)
    if sides[:first_org] != [PROJECT] * first_org or sides[first_org:] != [ORGANISATION] * (
        len(sides) - first_org
    ):
        return False
    rank = {n: i for i, n in enumerate(g)}.__getitem__
    adj = g._adj  # the plain dicts: this walks every link, in C
    orgs = [adj[n] for n in islice(g, first_org, None)]
    counts = np.fromiter(map(len, orgs), dtype=np.int64, count=len(orgs))
    if not counts.all():
        return False
    ranks = np.fromiter(
        map(rank, chain.from_iterable(orgs)), dtype=np.int64, count=int(counts.sum())
    )
    # Only links to projects, and in the copy each organisation's come in the projects'
    # order: ranks rise within each organisation (a drop is allowed only where the next begins).
    if len(ranks) and ranks.max() >= first_org:
        return False
    drops = np.flatnonzero(ranks[1:] < ranks[:-1]) + 1
    if not np.isin(drops, np.cumsum(counts)[:-1]).all():
        return False
    # With no link between organisations, every neighbour entry being one of theirs (each
    # link is listed at both ends) says none joins two projects either, nor loops.
    return bool(sum(map(len, adj.values())) == 2 * len(ranks))


def projection_pairs(g: nx.Graph, view: str) -> int:
    """At most how many links the projection ``view`` of ``g`` has (0 for "bipartite").

    Every project links each pair of its organisations (every organisation each
    pair of its projects); pairs met twice count twice, so this is an upper
    bound, found without building anything.
    """
    if view == "bipartite":
        return 0
    through = PROJECT if view == "orgs" else ORGANISATION
    degrees = (len(g[n]) for n, side in g.nodes(data="bipartite") if side == through)
    return sum(d * (d - 1) // 2 for d in degrees)


def view_graph(g: nx.Graph, view: str, *, limit: int | None = None) -> nx.Graph:
    """The bipartite graph itself, or its organisation or project projection.

    Raises :class:`ViewTooLarge` when the projection could have more than
    ``limit`` links (default :data:`PROJECTION_LIMIT`), before any memory is
    spent on it.
    """
    return _as_graph(view_columns(g, view, limit=limit))


def view_columns(g: nx.Graph, view: str, *, limit: int | None = None) -> nx.Graph | ProjectionLinks:
    """:func:`view_graph`, with a projection given as columns (:class:`ProjectionLinks`)
    rather than a graph where it can be: what the file writers lay out directly.

    A graph that is not cleanly bipartite gets its projection as a graph.
    """
    limit = PROJECTION_LIMIT if limit is None else limit
    if view not in VIEWS:
        raise ValueError(f"unknown view {view!r}; choose one of {', '.join(VIEWS)}")
    if view == "bipartite":
        return g
    pairs = projection_pairs(g, view)
    if pairs > limit:
        raise _too_large(g, view, f"could have up to {pairs:,} links", limit)
    found = projection_links(g, keep=ORGANISATION if view == "orgs" else PROJECT)
    if found is not None:
        return found
    return organisation_projection(g) if view == "orgs" else project_projection(g)


def _as_graph(found: nx.Graph | ProjectionLinks) -> nx.Graph:
    return found.graph() if isinstance(found, ProjectionLinks) else found


def _too_large(g: nx.Graph, view: str, links: str, limit: int) -> ViewTooLarge:
    side = ORGANISATION if view == "orgs" else PROJECT
    count = sum(1 for _, s in g.nodes(data="bipartite") if s == side)
    return _too_many(count, view, links, limit)


def _too_many(count: int, view: str, links: str, limit: int) -> ViewTooLarge:
    word = "organisation" if view == "orgs" else "project"
    return ViewTooLarge(
        f"the {word} network of these {count:,} {word}s {links}, "
        f"more than can be built here ({limit:,}). Filter the data first (programmes, "
        "years, kinds or countries), or use the view of projects and organisations "
        "(bipartite)."
    )


def backbone_view(
    g: nx.Graph, view: str, *, alpha: float, limit: int | None = None
) -> tuple[nx.Graph, int]:
    """The disparity backbone of the projection ``view`` of ``g``, and how many links
    the whole projection has.

    The same graph as ``backbone_graph(view_graph(g, view), alpha=alpha)``, but
    the backbone is found on the sparse weights (:func:`projection_matrix`) and
    only its links are built, so :class:`ViewTooLarge` (more than ``limit``
    links) applies to the links kept, not to the whole projection; the whole
    projection's bound must stay within :data:`BACKBONE_PAIR_LIMIT`. A graph
    that is not cleanly bipartite takes the route of the whole projection.
    """
    kept, total = backbone_columns(g, view, alpha=alpha, limit=limit)
    return _as_graph(kept), total


def backbone_columns(
    g: nx.Graph, view: str, *, alpha: float, limit: int | None = None
) -> tuple[nx.Graph | ProjectionLinks, int]:
    """:func:`backbone_view`, with the backbone given as columns where it can be
    (as :func:`view_columns` gives a view)."""
    limit = PROJECTION_LIMIT if limit is None else limit
    if view not in VIEWS[1:]:
        raise ValueError(f"a backbone needs the view orgs or projects, not {view!r}")
    keep = ORGANISATION if view == "orgs" else PROJECT
    pairs = projection_pairs(g, view)
    if pairs > BACKBONE_PAIR_LIMIT:
        raise _too_large(g, view, f"could have up to {pairs:,} links", BACKBONE_PAIR_LIMIT)
    from .backbone import backbone_graph, disparity_backbone

    try:
        weights = projection_matrix(g, keep=keep).weights
    except ValueError:  # not cleanly bipartite: build it whole, pair by pair, then filter
        whole = view_graph(g, view, limit=limit)
        return backbone_graph(whole, alpha=alpha), whole.number_of_edges()
    kept = disparity_backbone(weights, alpha=alpha)
    links, total = kept.nnz // 2, weights.nnz // 2
    if links > limit:
        raise _too_large(g, view, f"keeps {links:,} of {total:,} links in its backbone", limit)
    return projection_links_of(g, kept, keep=keep), total


def refuse_too_large(
    parts: Participations, view: str, *, backbone: bool = False, limit: int | None = None
) -> None:
    """Raise :class:`ViewTooLarge`, in :func:`view_columns`'s words (or, for a backbone,
    :func:`backbone_columns`'s), when the projection ``view`` of the graph of a
    dataset's arrays, without filters, could be too large: found from the arrays alone,
    before any graph is built."""
    limit = PROJECTION_LIMIT if limit is None else limit
    if backbone:
        limit = BACKBONE_PAIR_LIMIT
    # Every project stays without filters; an organisation only if it is in one.
    if view == "orgs":
        through, n = parts.project, len(parts.projects)
        kept = int(np.count_nonzero(np.bincount(parts.organisation)))
    else:
        through, kept, n = parts.organisation, len(parts.projects), len(parts.organisations)
    sizes = np.bincount(through, minlength=n).astype(np.int64)
    pairs = int((sizes * (sizes - 1) // 2).sum())
    if pairs > limit:
        raise _too_many(kept, view, f"could have up to {pairs:,} links", limit)


def organisation_view(
    parts: Participations, nodes: Callable[[], nx.Graph], *, limit: int | None = None
) -> ProjectionLinks:
    """``view_columns(filter_graph(g, Filters()), "orgs")`` for the graph ``g`` of a
    dataset's arrays, from the arrays, without ``g``.

    ``nodes`` gives the organisation nodes with the attributes they have in ``g``
    (``bipartite.organisation_graph``, and places where ``g`` has them); it is
    called only once the view is known to fit (:class:`ViewTooLarge` as
    :func:`view_columns` raises it, with the same words), so a refusal comes
    before any work on them.
    """
    refuse_too_large(parts, "orgs", limit=limit)
    return incidence_links(organisation_incidence(parts, nodes()), keep=ORGANISATION)


def organisation_backbone(
    parts: Participations,
    nodes: Callable[[], nx.Graph],
    *,
    alpha: float,
    limit: int | None = None,
) -> tuple[ProjectionLinks, int]:
    """``backbone_columns(filter_graph(g, Filters()), "orgs", alpha=alpha)`` from the
    arrays, as :func:`organisation_view` gives the view."""
    limit = PROJECTION_LIMIT if limit is None else limit
    refuse_too_large(parts, "orgs", backbone=True)
    from .backbone import disparity_backbone

    inc = organisation_incidence(parts, nodes())
    weights = incidence_weights(inc)
    kept = disparity_backbone(weights, alpha=alpha)
    links, total = kept.nnz // 2, weights.nnz // 2
    if links > limit:
        words = f"keeps {links:,} of {total:,} links in its backbone"
        raise _too_many(len(inc.kept), "orgs", words, limit)
    return incidence_links_of(inc, kept, keep=ORGANISATION), total
