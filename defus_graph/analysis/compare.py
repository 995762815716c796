"""Two periods compared: who joined, who left, which partnerships began, lasted or ended.

A project belongs to a period when it runs at some time in it: its dates, widened
to whole years, overlap the period's years (the rule of the dashboard's year
filter, :func:`defus_graph.graph.views.project_years`; a project with only a start or
only an end runs in that year). A project with no dates at all is in neither
period, and the comparison lists it. An organisation is in a period when it
takes part in a project of that period; two organisations are linked in a period
when they share a project of that period. Centrality is degree centrality in
the organisation network of the period: the share of the period's other
organisations an organisation shares a project with (``partners / (n - 1)``,
as :func:`networkx.degree_centrality`).

Everything is computed on sparse matrices built from the tables, so two
periods of a Horizon 2020-sized dataset compare in seconds.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

import networkx as nx
import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from ..errors import DefusGraphError
from ..graph.bipartite import org_id
from ..graph.views import project_years
from ..model import Dataset, Project

__all__ = [
    "CentralityChange",
    "Period",
    "PeriodComparison",
    "PeriodError",
    "PeriodSummary",
    "compare_periods",
    "comparison_graph",
    "parse_period",
]

_PERIOD = re.compile(r"^\s*(\d{4})\s*(?:[-–—]\s*(\d{4})\s*)?$")


class PeriodError(DefusGraphError):
    """A period that cannot be read."""


@dataclass(frozen=True)
class Period:
    """The years ``first`` to ``last``, both included."""

    first: int
    last: int

    def __str__(self) -> str:
        return str(self.first) if self.first == self.last else f"{self.first}-{self.last}"

    def holds(self, project: Project) -> bool:
        """Whether ``project`` runs at some time in this period (never when undated)."""
        years = project_years({"start": project.start, "end": project.end})
        return years is not None and years[0] <= self.last and years[1] >= self.first


def parse_period(text: str) -> Period:
    """The period a user wrote: ``2014-2017`` (first and last year) or ``2019`` (one year).

    Raises :class:`PeriodError` saying what is wrong and how to write it.

    Examples
    --------
    >>> parse_period("2014-2017"), parse_period("2019")
    (Period(first=2014, last=2017), Period(first=2019, last=2019))
    >>> parse_period("2017-2014")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    defus_graph.analysis.compare.PeriodError: The period "2017-2014" ends before it starts; ...
    """
    match = _PERIOD.match(text)
    if not match:
        raise PeriodError(
            f'"{text}" is not a period; write the first and last year with a hyphen, '
            "such as 2014-2017, or one year, such as 2019."
        )
    first = int(match.group(1))
    last = int(match.group(2) or first)
    if last < first:
        raise PeriodError(
            f'The period "{text.strip()}" ends before it starts; write the earlier year '
            f"first, such as {last}-{first}."
        )
    return Period(first, last)


@dataclass(frozen=True)
class PeriodSummary:
    """What one period holds.

    ``funding_total_eur`` adds up the funding of projects whose stated amount is
    the whole project's; ``funding_shares_eur`` the amounts that are one
    partner's share (the two are never added together); a project's whole
    amount counts in every period it runs in, never pro rata.
    ``projects_without_funding`` states none.
    """

    period: Period
    projects: tuple[str, ...]
    organisations: int
    links: int
    funding_total_eur: float
    funding_shares_eur: float
    projects_without_funding: int

    def as_dict(self) -> dict[str, Any]:
        """The summary as a JSON-ready mapping."""
        return {
            "period": str(self.period),
            "projects": list(self.projects),
            "n_projects": len(self.projects),
            "organisations": self.organisations,
            "links": self.links,
            "funding_total_eur": self.funding_total_eur,
            "funding_partner_shares_eur": self.funding_shares_eur,
            "projects_without_funding": self.projects_without_funding,
        }


@dataclass(frozen=True)
class CentralityChange:
    """An organisation's degree centrality (and number of partners) in both periods."""

    name: str
    partners_first: int
    partners_second: int
    centrality_first: float
    centrality_second: float

    @property
    def change(self) -> float:
        """Centrality in the second period minus the first."""
        return self.centrality_second - self.centrality_first

    def as_dict(self) -> dict[str, Any]:
        """The change as a JSON-ready mapping."""
        return {
            "name": self.name,
            "partners_first": self.partners_first,
            "partners_second": self.partners_second,
            "centrality_first": self.centrality_first,
            "centrality_second": self.centrality_second,
            "change": self.change,
        }


Pair = tuple[str, str]


@dataclass(frozen=True)
class PeriodComparison:
    """Two periods side by side; names sorted, pairs as ``(a, b)`` with ``a < b``.

    ``centrality`` holds every organisation of either period, largest change
    (up or down) first. ``undated`` are the projects in neither period for
    want of any date.
    """

    first: PeriodSummary
    second: PeriodSummary
    joined: tuple[str, ...]
    left: tuple[str, ...]
    stayed: tuple[str, ...]
    links_gained: tuple[Pair, ...]
    links_lost: tuple[Pair, ...]
    links_lasting: tuple[Pair, ...]
    centrality: tuple[CentralityChange, ...]
    undated: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        """The comparison as a JSON-ready mapping."""
        return {
            "first": self.first.as_dict(),
            "second": self.second.as_dict(),
            "joined": list(self.joined),
            "left": list(self.left),
            "stayed": list(self.stayed),
            "links_gained": [list(p) for p in self.links_gained],
            "links_lost": [list(p) for p in self.links_lost],
            "links_lasting": [list(p) for p in self.links_lasting],
            "centrality": "degree centrality in the organisation network of each period",
            "centrality_changes": [c.as_dict() for c in self.centrality],
            "undated_projects": list(self.undated),
        }


def _summary(
    ds: Dataset, period: Period, in_period: npt.NDArray[np.bool_], orgs: int, links: int
) -> PeriodSummary:
    projects = [p for p, inside in zip(ds.projects, in_period.tolist(), strict=True) if inside]
    return PeriodSummary(
        period=period,
        projects=tuple(sorted((p.acronym for p in projects), key=str.casefold)),
        organisations=orgs,
        links=links,
        funding_total_eur=round(
            math.fsum(
                p.funding_eur
                for p in projects
                if p.funding_eur is not None and p.funding_scope != "partner_share"
            ),
            2,
        ),
        funding_shares_eur=round(
            math.fsum(
                p.funding_eur
                for p in projects
                if p.funding_eur is not None and p.funding_scope == "partner_share"
            ),
            2,
        ),
        projects_without_funding=sum(1 for p in projects if p.funding_eur is None),
    )


def _pairs(b: sp.csr_array, n: int) -> npt.NDArray[np.int64]:
    """The linked organisation pairs of an incidence matrix, as sorted codes ``i * n + j``."""
    w = sp.coo_array(sp.triu(b @ b.T, k=1))
    return np.sort(w.row.astype(np.int64) * n + w.col.astype(np.int64))


def compare_periods(ds: Dataset, first: Period, second: Period) -> PeriodComparison:
    """Compare the network of projects running in ``first`` with that of ``second``.

    Examples
    --------
    >>> from defus_graph.model import Organisation, Participation
    >>> ds = Dataset(
    ...     projects=(Project("A", start="2015", end="2016"), Project("B", start="2019")),
    ...     organisations=(Organisation("Genk"), Organisation("Leuven"), Organisation("Gent")),
    ...     participations=(Participation("A", "Genk", "partner"),
    ...                     Participation("A", "Leuven", "partner"),
    ...                     Participation("B", "Leuven", "partner"),
    ...                     Participation("B", "Gent", "partner")))
    >>> c = compare_periods(ds, Period(2014, 2017), Period(2018, 2021))
    >>> c.joined, c.left, c.stayed, c.links_gained, c.links_lost
    (('Gent',), ('Genk',), ('Leuven',), (('Gent', 'Leuven'),), (('Genk', 'Leuven'),))
    """
    names, incidence = _incidence(ds)
    in_a, orgs_a, pairs_a = _period_part(ds, incidence, first)
    in_b, orgs_b, pairs_b = _period_part(ds, incidence, second)
    count_a, count_b = int(orgs_a.sum()), int(orgs_b.sum())
    pairs = _PairNames(names)
    return PeriodComparison(
        first=_summary(ds, first, in_a, count_a, len(pairs_a)),
        second=_summary(ds, second, in_b, count_b, len(pairs_b)),
        joined=pairs.named(orgs_b & ~orgs_a),
        left=pairs.named(orgs_a & ~orgs_b),
        stayed=pairs.named(orgs_a & orgs_b),
        links_gained=pairs.of(np.setdiff1d(pairs_b, pairs_a, assume_unique=True)),
        links_lost=pairs.of(np.setdiff1d(pairs_a, pairs_b, assume_unique=True)),
        links_lasting=pairs.of(np.intersect1d(pairs_a, pairs_b, assume_unique=True)),
        centrality=_centrality_changes(names, (orgs_a, pairs_a), (orgs_b, pairs_b)),
        undated=tuple(
            sorted((p.acronym for p in ds.projects if not p.start and not p.end), key=str.casefold)
        ),
    )


def _incidence(ds: Dataset) -> tuple[list[str], sp.csr_array]:
    """The organisations' names (sorted) and their organisation × project incidence."""
    names = sorted(o.name for o in ds.organisations)
    org_index = {name: i for i, name in enumerate(names)}
    project_index = {p.acronym: j for j, p in enumerate(ds.projects)}
    count = len(ds.participations)
    rows = np.fromiter((org_index[a.organisation] for a in ds.participations), np.int64, count)
    cols = np.fromiter((project_index[a.project] for a in ds.participations), np.int64, count)
    shape = (len(names), len(ds.projects))
    incidence = sp.csr_array((np.ones(count, dtype=np.int32), (rows, cols)), shape=shape)
    incidence.data[:] = 1  # one organisation named twice in a project still takes part once
    return names, incidence


def _period_part(
    ds: Dataset, incidence: sp.csr_array, period: Period
) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.bool_], npt.NDArray[np.int64]]:
    """Which projects run in ``period``, which organisations take part, and their pairs."""
    inside = np.fromiter((period.holds(p) for p in ds.projects), bool, len(ds.projects))
    b = sp.csr_array(incidence[:, np.flatnonzero(inside)])
    present = np.diff(b.indptr) > 0
    return inside, present, _pairs(b, incidence.shape[0])


class _PairNames:
    """Organisations and pair codes (``i * n + j``) back to names."""

    def __init__(self, names: list[str]) -> None:
        self.names = names
        self.n = max(len(names), 1)

    def named(self, mask: npt.NDArray[np.bool_]) -> tuple[str, ...]:
        return tuple(self.names[i] for i in np.flatnonzero(mask).tolist())

    def of(self, codes: npt.NDArray[np.int64]) -> tuple[Pair, ...]:
        firsts, seconds = (codes // self.n).tolist(), (codes % self.n).tolist()
        return tuple((self.names[i], self.names[j]) for i, j in zip(firsts, seconds, strict=True))


def _centrality_changes(
    names: list[str],
    first: tuple[npt.NDArray[np.bool_], npt.NDArray[np.int64]],
    second: tuple[npt.NDArray[np.bool_], npt.NDArray[np.int64]],
) -> tuple[CentralityChange, ...]:
    """Each organisation present in either period, by how much its degree centrality changed.

    ``first`` and ``second`` are each period's organisations present and pair codes.
    """
    n = len(names)

    def degrees(codes: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
        ends = np.r_[codes // max(n, 1), codes % max(n, 1)]
        return np.bincount(ends, minlength=n).astype(np.int64)

    (orgs_a, pairs_a), (orgs_b, pairs_b) = first, second
    deg_a, deg_b = degrees(pairs_a), degrees(pairs_b)
    count_a, count_b = int(orgs_a.sum()), int(orgs_b.sum())
    cent_a = deg_a / (count_a - 1) if count_a > 1 else np.zeros(n)
    cent_b = deg_b / (count_b - 1) if count_b > 1 else np.zeros(n)
    either = np.flatnonzero(orgs_a | orgs_b).tolist()
    changes = (
        CentralityChange(names[i], int(deg_a[i]), int(deg_b[i]), float(cent_a[i]), float(cent_b[i]))
        for i in either
    )
    return tuple(sorted(changes, key=lambda c: (-abs(c.change), c.name)))


def comparison_graph(c: PeriodComparison) -> nx.Graph:
    """The organisations of either period and their links, each with its ``status``.

    Nodes (``org:Name``, ``label``) are "joined", "left" or "stayed"; links are
    "gained", "lost" or "lasting".
    """
    g = nx.Graph()
    for status, group in (("stayed", c.stayed), ("joined", c.joined), ("left", c.left)):
        g.add_nodes_from((org_id(name), {"label": name, "status": status}) for name in group)
    for status, pairs in (
        ("lasting", c.links_lasting),
        ("gained", c.links_gained),
        ("lost", c.links_lost),
    ):
        g.add_edges_from((org_id(a), org_id(b), {"status": status}) for a, b in pairs)
    return g
