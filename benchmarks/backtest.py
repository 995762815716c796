"""Are the suggestions any good? Hide each organisation's latest project and look.

Run from the repository root::

    python -m benchmarks.backtest                       # bundled data, generated "small"
    python -m benchmarks.backtest --size h2020 --sample 2000 --timing

For every organisation with dated projects on at least two start dates, the
projects that started on its latest start date are hidden, and so is every
project that started on or after it: the suggester sees only the network as it
was before. It then lists 10 organisations to invite, exactly as ``defus-graph
suggest`` ranks them (:func:`defus_graph.analysis.suggest.scores_from_partner_rows` and
:func:`defus_graph.analysis.suggest.ranked`). The organisations it should have found are
the new partners of the hidden projects: not the organisation itself, not one
of its earlier partners, and present in the earlier network (someone who had
never taken part in a project cannot be found by any method; they are counted
and left out). An organisation with no earlier partner or no such new partner
is skipped.

Reported, over the organisations tested: the hit rate (how often at least one
hidden partner is in the top 10) and the recall (the share of the hidden
partners that are in the top 10, averaged over organisations), for resource
allocation, Adamic–Adar, a random choice (its expected value, computed exactly
rather than drawn) and the 10 most active organisations (most earlier
projects) not yet partners.

Data: the bundled data (undated projects are left out), the generator of
``benchmarks/generate.py`` as it is, and the same data rewired with structure.
The generator fills each project with organisations drawn at random by how
active they are, so its network has no structure beyond activity: there, no
method can beat "most active" by much, which is worth knowing. Real consortia
repeat partners from a field and a region; :func:`structured_dataset` keeps
every generated project, date, organisation and consortium size but draws each
project's members mostly from one of many groups.

``--timing`` times a suggestion for the most active organisation: in this
process (building the index from the graph, then the question), and as the
command a user types, ``defus-graph --data DIR suggest NAME``, in a fresh
process (which also reads the tables and builds the graph).
"""

from __future__ import annotations

import argparse
import math
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from benchmarks.generate import SIZES, generate_dataset
from defus_graph.analysis.suggest import INDICES, SuggestionIndex, ranked, scores_from_partner_rows
from defus_graph.graph.bipartite import graph_from_dataset, org_id
from defus_graph.model import Dataset, Participation, date_bounds
from defus_graph.store.tables import load_dataset, save_dataset

__all__ = [
    "METHODS",
    "Backtest",
    "Timeline",
    "backtest",
    "main",
    "structured_dataset",
]

ROOT = Path(__file__).resolve().parent.parent

#: The methods compared, in the order they are printed.
METHODS: tuple[str, ...] = (*INDICES, "random", "most_active")


@dataclass(frozen=True)
class Backtest:
    """The figures of one backtest.

    ``hit_rate[m]`` and ``recall[m]`` are in [0, 1] for each method of
    :data:`METHODS`; ``tested`` organisations were tested, ``skipped`` were
    not (fewer than two start dates, no earlier partner, or no new partner
    present before); ``hidden`` new partners were to be found in all, and
    ``unseen`` more were new to the network and could not be.
    """

    name: str
    k: int
    tested: int
    skipped: int
    hidden: int
    unseen: int
    hit_rate: dict[str, float]
    recall: dict[str, float]
    seconds: float


def _random_hit_chance(pool: int, targets: int, k: int) -> float:
    """The chance that ``k`` of ``pool`` drawn at random include one of ``targets``."""
    k = min(k, pool)
    if pool - targets < k:
        return 1.0
    return 1.0 - math.comb(pool - targets, k) / math.comb(pool, k)


class Timeline:
    """The dated part of a dataset as matrices, projects in order of their start.

    ``orgs`` are the organisations' names (sorted), ``start`` each dated
    project's first day (an ordinal, ascending), ``b[o, p]`` 1 when
    organisation ``o`` is in project ``p``, ``bt`` its transpose, and
    ``name_rank`` each organisation's place in alphabetical order.
    """

    def __init__(self, ds: Dataset) -> None:
        self.orgs = sorted(o.name for o in ds.organisations)
        at = {n: i for i, n in enumerate(self.orgs)}
        self.name_rank = np.empty(len(self.orgs), dtype=np.int64)
        by_name = sorted(range(len(self.orgs)), key=lambda i: self.orgs[i].casefold())
        self.name_rank[by_name] = np.arange(len(self.orgs))
        dated = sorted(
            (date_bounds(p.start)[0].toordinal(), p.acronym) for p in ds.projects if p.start
        )
        column = {acronym: j for j, (_, acronym) in enumerate(dated)}
        self.start = np.array([d for d, _ in dated], dtype=np.int64)
        pairs = {
            (at[a.organisation], column[a.project])
            for a in ds.participations
            if a.project in column
        }
        rows = np.array([i for i, _ in pairs], dtype=np.int64)
        cols = np.array([j for _, j in pairs], dtype=np.int64)
        ones = np.ones(len(pairs), dtype=np.int32)
        self.b = sp.csr_array((ones, (rows, cols)), shape=(len(self.orgs), len(dated)))
        self.b.sort_indices()
        self.bt = sp.csr_array(self.b.T.tocsr())
        self.bt.sort_indices()

    def suggested(
        self,
        partners: npt.NDArray[np.int64],
        cut: int,
        pool: npt.NDArray[np.bool_],
        *,
        index: str = "resource_allocation",
        k: int = 10,
    ) -> npt.NDArray[np.int64]:
        """The ``k`` organisations of ``pool`` suggested from the first ``cut`` projects.

        Ranked as ``defus-graph suggest`` ranks them, for an asker whose
        partners in that network are ``partners``.
        """
        # The partners' links in the earlier network, without each partner's own entry.
        links = sp.csr_array(self.b[partners][:, :cut] @ self.bt[:cut])
        coo = links.tocoo()
        keep = coo.col != partners[coo.row]
        links = sp.csr_array((coo.data[keep], (coo.row[keep], coo.col[keep])), shape=links.shape)
        degree = np.diff(links.indptr).astype(np.int64)
        score, count, together = scores_from_partner_rows(links, degree, index)
        return ranked(score, count, together, pool & (score > 0), self.name_rank)[:k]


def backtest(
    ds: Dataset, *, name: str = "", k: int = 10, sample: int | None = None, seed: int = 0
) -> Backtest:
    """Hide each organisation's latest project and see whether its new partners are suggested.

    ``sample`` tests that many organisations, drawn with ``seed`` from those
    with two or more start dates (all of them when ``None``).
    """
    started = time.perf_counter()
    tl = Timeline(ds)
    orgs, start, b, bt, name_rank = tl.orgs, tl.start, tl.b, tl.bt, tl.name_rank

    candidates = [
        i
        for i in range(len(orgs))
        if len(np.unique(start[b.indices[b.indptr[i] : b.indptr[i + 1]]])) >= 2
    ]
    if sample is not None and sample < len(candidates):
        rng = np.random.default_rng(seed)
        candidates = sorted(rng.choice(candidates, size=sample, replace=False).tolist())
    skipped = len(orgs) - len(candidates)

    hits = {m: 0.0 for m in METHODS}
    recall = {m: 0.0 for m in METHODS}
    tested = hidden_total = unseen_total = 0
    # Most-active baseline: activity before each cutoff, swept in time order.
    activity = np.zeros(len(orgs), dtype=np.int64)
    swept = 0
    by_cutoff = sorted(
        candidates, key=lambda i: int(start[b.indices[b.indptr[i] : b.indptr[i + 1]]].max())
    )
    for u in by_cutoff:
        own = b.indices[b.indptr[u] : b.indptr[u + 1]]
        t = int(start[own].max())
        cut = int(np.searchsorted(start, t, side="left"))  # projects before t: columns [0, cut)
        while swept < cut:
            activity[bt.indices[bt.indptr[swept] : bt.indptr[swept + 1]]] += 1
            swept += 1
        earlier, latest = own[own < cut], own[start[own] == t]
        partners = np.setdiff1d(_members(bt, earlier), [u])
        seen = activity > 0
        new = np.setdiff1d(np.setdiff1d(_members(bt, latest), [u]), partners)
        targets = new[seen[new]]
        if len(partners) == 0 or len(targets) == 0:
            skipped += 1
            continue
        tested += 1
        hidden_total += len(targets)
        unseen_total += len(new) - len(targets)
        pool = seen.copy()
        pool[partners] = False
        pool[u] = False
        is_target = np.zeros(len(orgs), dtype=bool)
        is_target[targets] = True
        for index in INDICES:
            top = tl.suggested(partners, cut, pool, index=index, k=k)
            found = int(is_target[top].sum())
            hits[index] += found > 0
            recall[index] += found / len(targets)
        busiest = ranked(
            activity.astype(np.float64), np.zeros_like(activity), activity, pool, name_rank
        )[:k]
        found = int(is_target[busiest].sum())
        hits["most_active"] += found > 0
        recall["most_active"] += found / len(targets)
        size = int(pool.sum())
        hits["random"] += _random_hit_chance(size, len(targets), k)
        recall["random"] += min(k, size) / size
    n = max(tested, 1)
    return Backtest(
        name=name,
        k=k,
        tested=tested,
        skipped=skipped,
        hidden=hidden_total,
        unseen=unseen_total,
        hit_rate={m: hits[m] / n for m in METHODS},
        recall={m: recall[m] / n for m in METHODS},
        seconds=time.perf_counter() - started,
    )


def _members(bt: sp.csr_array, projects: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    if len(projects) == 0:
        return np.zeros(0, dtype=np.int64)
    return np.unique(bt[projects].indices).astype(np.int64)


def structured_dataset(
    ds: Dataset, *, seed: int = 7, group_size: int = 40, loyalty: float = 0.8
) -> Dataset:
    """``ds`` with each project's members redrawn, mostly from one group of organisations.

    Organisations fall into groups of about ``group_size``; each project is
    given a group, and each of its seats goes, with probability ``loyalty``,
    to an organisation of that group, otherwise to any; either way drawn by
    how many projects the organisation had in ``ds``. Projects, dates,
    organisations and consortium sizes stay; a repeat within a project is dropped.
    """
    rng = np.random.default_rng(seed)
    names = [o.name for o in ds.organisations]
    at = {n: i for i, n in enumerate(names)}
    activity = np.bincount([at[a.organisation] for a in ds.participations], minlength=len(names))
    weight = activity.astype(np.float64) + 0.1
    groups = max(1, len(names) // group_size)
    group_of = rng.integers(0, groups, size=len(names))
    members_of = [np.flatnonzero(group_of == g_) for g_ in range(groups)]
    sizes: dict[str, int] = {}
    for a in ds.participations:
        sizes[a.project] = sizes.get(a.project, 0) + 1
    everyone = weight / weight.sum()
    participations: list[Participation] = []
    for p in ds.projects:
        seats = sizes.get(p.acronym, 0)
        if not seats:
            continue
        group = members_of[int(rng.integers(0, groups))]
        if len(group) == 0:
            group = np.arange(len(names))
        local = weight[group] / weight[group].sum()
        loyal = rng.random(seats) < loyalty
        chosen = np.where(
            loyal,
            group[rng.choice(len(group), size=seats, p=local)],
            rng.choice(len(names), size=seats, p=everyone),
        )
        for position, org in enumerate(dict.fromkeys(chosen.tolist())):
            participations.append(
                Participation(
                    p.acronym,
                    names[org],
                    "coordinator" if position == 0 else "partner",
                    source="benchmark",
                )
            )
    return replace(ds, participations=tuple(participations))


def _row(result: Backtest) -> str:
    figures = " | ".join(
        f"{result.hit_rate[m]:.3f} / {result.recall[m]:.3f}" if result.tested else "n/a"
        for m in METHODS
    )
    return (
        f"| {result.name} | {result.tested:,} | {result.hidden:,} | {figures} | "
        f"{result.seconds:.1f} s |"
    )


def table(results: Sequence[Backtest]) -> str:
    """The figures as a markdown table: hit rate / recall at k for each method."""
    k = results[0].k if results else 10
    heads = {
        "resource_allocation": "resource allocation",
        "adamic_adar": "Adamic–Adar",
        "random": "random",
        "most_active": "most active",
    }
    lines = [
        f"Hit rate / recall@{k} (hidden partners among the {k} suggested):",
        "",
        "| data | organisations tested | hidden partners | "
        + " | ".join(heads[m] for m in METHODS)
        + " | time |",
        "|---|---:|---:|" + "---:|" * len(METHODS) + "---:|",
        *(_row(r) for r in results),
    ]
    return "\n".join(lines)


def timing(ds: Dataset, directory: Path) -> str:
    """How long a suggestion for the most active organisation takes, in-process and as a command."""
    if not (directory / "projects.csv").exists():
        save_dataset(ds, directory)
    g = graph_from_dataset(ds)
    busiest = max(ds.organisations, key=lambda o: len(g[org_id(o.name)])).name
    started = time.perf_counter()
    from_tables = SuggestionIndex.from_dataset(ds)
    indexed = time.perf_counter()
    from_tables.suggest(org_id(busiest))
    asked = time.perf_counter()
    SuggestionIndex(g, ds.aliases).suggest(org_id(busiest))
    from_graph = time.perf_counter()
    command = [sys.executable, "-m", "defus_graph", "--data", str(directory), "suggest", busiest]
    fresh = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    done = time.perf_counter()
    return "\n".join(
        [
            f"Suggestion for the most active organisation ({len(g[org_id(busiest)]):,} projects):",
            f"- in-process, from the tables: index {indexed - started:.2f} s + question "
            f"{asked - indexed:.2f} s = {asked - started:.2f} s",
            f"- in-process, from the graph (the dashboard's route): {from_graph - asked:.2f} s",
            f"- fresh process, `defus-graph --data DIR suggest NAME` (reads the tables too): "
            f"{done - fresh:.2f} s",
        ]
    )


def main(argv: Sequence[str] | None = None) -> int:
    """The command: ``python -m benchmarks.backtest``; returns the exit status."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.backtest", description=__doc__)
    parser.add_argument("--size", choices=sorted(SIZES), default="small")
    parser.add_argument("--seed", type=int, default=2020)
    parser.add_argument("--sample", type=int, metavar="N", help="test N organisations per dataset")
    parser.add_argument("--timing", action="store_true", help="time a suggestion (see above)")
    parser.add_argument("--data", type=Path, help="where the generated tables go for --timing")
    args = parser.parse_args(argv)
    generated = generate_dataset(SIZES[args.size], seed=args.seed)
    results = [
        backtest(load_dataset(ROOT / "data"), name="bundled data"),
        backtest(generated, name=f"generated {args.size}", sample=args.sample),
        backtest(
            structured_dataset(generated),
            name=f"generated {args.size}, structured",
            sample=args.sample,
        ),
    ]
    print(table(results))
    for r in results:
        print(
            f"{r.name}: {r.tested} tested, {r.skipped} skipped, "
            f"{r.unseen} new partners had no earlier project and cannot be found."
        )
    if args.timing:
        directory = args.data or ROOT / "benchmarks" / ".data" / f"{args.size}-{args.seed}"
        print()
        print(timing(generated, directory))
    return 0


if __name__ == "__main__":
    sys.exit(main())
