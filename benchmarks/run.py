"""Time defus-graph on CORDIS-sized data as a user runs it, against the plain networkx route.

Run from the repository root::

    python -m benchmarks.run --size h2020        # seed | small | h2020 | 1m

First, **the user's route** (:mod:`benchmarks.route`): every command as typed,
each a fresh process of the installed ``defus-graph``, from CORDIS's own
``project.csv`` and ``organization.csv`` (generated once into
``benchmarks/.data/<size>-<seed>-cordis/``), the dashboard's first drawing,
reload and click in Debian's Chromium, and the plain networkx script on the
same files. These are the figures for claims.

Then the **in-process stages**, for finding the bottleneck, not for claims.
It writes the generated tables once to ``benchmarks/.data/<size>-<seed>/``
(reused by later runs), then, in one process:

1. defus-graph's route, stage by stage: load and validate the four CSV
   tables, build the bipartite graph, lay it out, write the GEXF (these four
   are "tables → GEXF", in one process), the organisation projection (as
   a sparse weight matrix, and as a networkx graph with the shared project
   names and dates), the analysis (shared partners, centralities,
   communities), building the dashboard's :class:`~defus_graph.draw.focus.NetworkIndex`
   and answering clicks with it, and the same for its linked view of
   organisations;
2. the plain networkx route on the same files: the graph built row by row
   with ``add_node``/``add_edge``, ``bipartite.weighted_projected_graph`` onto
   the organisations, and ``nx.write_gexf``, and networkx's Louvain
   communities of our graph (their modularity beside ours);

and prints a markdown table with each ratio and the machine. It checks that
both routes give the same projection weights, and that the GEXF is valid
against the GEXF 1.3 schema (``tests/data/gexf-1.3``, with lxml); it exits
with status 1 on a mismatch or an invalid file, 2 when a stage or a command
fails. ``--no-route``, ``--no-dashboard``, ``--no-networkx`` and
``--no-stages`` leave parts out; what was not run or measured is printed.

Memory is the peak resident set size (RSS) of the process during each
stage: the kernel's high-water mark (``VmHWM``) is reset before the stage
through ``/proc/self/clear_refs`` and read after it. That includes everything
still held from earlier stages, as a real run would. Where the reset is not
allowed, the figure is the process's peak so far (``getrusage``).
"""

from __future__ import annotations

import argparse
import csv
import gc
import os
import platform
import re
import resource
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import networkx as nx
import numpy as np
import scipy.sparse as sp
from networkx.algorithms import bipartite

from benchmarks.generate import SIZES, write_dataset
from benchmarks.route import RouteError, route_table, run_route
from defus_graph.analysis import centrality, communities, queries
from defus_graph.analysis.compare import compare_periods, parse_period
from defus_graph.draw.focus import NetworkIndex
from defus_graph.draw.layout import layout_positions
from defus_graph.export import write_export
from defus_graph.graph.backbone import disparity_backbone
from defus_graph.graph.bipartite import (
    ORGANISATION,
    WeightMatrix,
    graph_from_dataset,
    org_id,
    organisation_projection,
    project_id,
    projection_matrix,
)
from defus_graph.graph.views import PROJECTION_LIMIT, projection_pairs, view_graph
from defus_graph.store.tables import load_dataset

__all__ = ["Result", "Stage", "main", "run"]

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = ROOT / "tests" / "data" / "gexf-1.3" / "gexf.rng"

#: Files larger than this are not schema-validated (lxml holds the whole tree).
VALIDATE_LIMIT_MB = 300

T = TypeVar("T")


@dataclass
class Stage:
    """One timed step: seconds and peak RSS in MiB during it."""

    name: str
    seconds: float
    peak_mib: float


@dataclass
class Result:
    """Everything one run measured."""

    size: str
    counts: dict[str, int] = field(default_factory=dict)
    ours: dict[str, Stage] = field(default_factory=dict)
    theirs: dict[str, Stage] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    weights_match: bool | None = None
    gexf_valid: bool | None = None
    memory_method: str = ""
    modularity: dict[str, float] = field(default_factory=dict)


def _hwm_kib() -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        match = re.search(r"VmHWM:\s+(\d+)", status.read())
    return int(match.group(1)) if match else 0


def _reset_peak() -> bool:
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as refs:
            refs.write("5")
    except OSError:
        return False
    return True


def _maxrss_kib() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


class _Timer:
    def __init__(self, result: Result) -> None:
        self.result = result
        self.per_stage = _reset_peak()
        result.memory_method = (
            "peak RSS during each stage (VmHWM, reset before it)"
            if self.per_stage
            else "process peak RSS so far (getrusage maxrss)"
        )

    def __call__(self, table: dict[str, Stage], name: str, fn: Callable[[], T]) -> T:
        if self.per_stage:
            _reset_peak()
        start = time.perf_counter()
        try:
            value = fn()
        except Exception as err:
            raise StageError(name, err) from err
        seconds = time.perf_counter() - start
        peak = _hwm_kib() if self.per_stage else _maxrss_kib()
        table[name] = Stage(name, seconds, peak / 1024)
        print(f"  {name:<34} {seconds:8.2f} s {peak / 1024:8.0f} MiB", file=sys.stderr)
        return value


class StageError(RuntimeError):
    """A stage raised: which one, and why."""

    def __init__(self, stage: str, err: Exception) -> None:
        super().__init__(f"stage {stage!r} failed: {type(err).__name__}: {err}")
        self.stage = stage


def _networkx_graph(directory: Path) -> nx.Graph:
    """The graph a user would build from the CSV files, row by row, without None values."""
    g = nx.Graph()

    def rows(name: str) -> list[dict[str, str]]:
        with open(directory / name, encoding="utf-8-sig", newline="") as fh:
            return list(csv.DictReader(fh))

    for row in rows("projects.csv"):
        attrs = {k: v for k, v in row.items() if v}
        g.add_node(project_id(row["acronym"]), bipartite=0, **attrs)
    for row in rows("organisations.csv"):
        attrs = {k: v for k, v in row.items() if v}
        g.add_node(org_id(row["name"]), bipartite=1, **attrs)
    for row in rows("participations.csv"):
        attrs = {k: v for k, v in row.items() if v and k not in ("project", "organisation")}
        g.add_edge(project_id(row["project"]), org_id(row["organisation"]), **attrs)
    return g


def _same_weights(ours: WeightMatrix, theirs: nx.Graph) -> bool:
    """Whether networkx's projection has exactly our edges and weights."""
    index = {n: i for i, n in enumerate(ours.nodes)}
    if set(theirs.nodes) != set(index):
        return False
    edges = list(theirs.edges(data="weight"))
    rows = np.array([index[u] for u, _, _ in edges], dtype=np.int64)
    cols = np.array([index[v] for _, v, _ in edges], dtype=np.int64)
    data = np.array([w for _, _, w in edges], dtype=np.int64)
    n = len(ours.nodes)
    other = sp.coo_array((np.r_[data, data], (np.r_[rows, cols], np.r_[cols, rows])), shape=(n, n))
    difference = sp.csr_array(other) - sp.csr_array(ours.weights, dtype=np.int64)
    difference.eliminate_zeros()
    return bool(difference.nnz == 0)


def _validate(path: Path, result: Result) -> None:
    try:
        from lxml import etree
    except ImportError:
        result.notes.append("GEXF not schema-validated: lxml is not installed.")
        return
    size_mb = path.stat().st_size / 1e6
    if size_mb > VALIDATE_LIMIT_MB:
        result.notes.append(
            f"GEXF ({size_mb:.0f} MB) not schema-validated: above {VALIDATE_LIMIT_MB} MB, "
            "lxml would need several GB."
        )
        return
    schema = etree.RelaxNG(etree.parse(str(SCHEMA)))
    result.gexf_valid = bool(schema.validate(etree.parse(str(path))))
    if not result.gexf_valid:
        result.notes.append(f"GEXF INVALID: {schema.error_log.last_error}")


def _click_targets(g: nx.Graph) -> list[str | None]:
    """Nothing selected, the busiest organisation, and one of median activity."""
    orgs = sorted(
        (n for n, side in g.nodes(data="bipartite") if side == ORGANISATION),
        key=lambda n: (-g.degree(n), n),
    )
    if not orgs:
        return [None]
    return [None, orgs[0], orgs[len(orgs) // 2]]


def _partition(groups: dict[str, int]) -> list[set[str]]:
    by_label: dict[int, set[str]] = {}
    for node, label in groups.items():
        by_label.setdefault(label, set()).add(node)
    return list(by_label.values())


def _our_route(
    data: Path, out: Path, timer: _Timer, result: Result
) -> tuple[WeightMatrix, nx.Graph]:
    """defus-graph's stages; returns the projection weights and the graph for the comparison."""
    ours = result.ours
    ds = timer(ours, "load and validate", lambda: load_dataset(data))
    g = timer(ours, "build graph", lambda: graph_from_dataset(ds))
    positions = timer(ours, "layout", lambda: layout_positions(g))
    gexf_path = out / "ours.gexf"
    timer(ours, "GEXF export", lambda: write_export(g, "gexf", gexf_path, positions=positions))
    result.counts.update(
        projects=len(ds.projects),
        organisations=len(ds.organisations),
        participations=len(ds.participations),
        nodes=g.number_of_nodes(),
        edges=g.number_of_edges(),
        gexf_bytes=gexf_path.stat().st_size,
    )
    weights = timer(ours, "projection (weights, B·Bᵀ)", lambda: projection_matrix(g))
    edges = timer(
        ours, "projection (graph with names)", lambda: organisation_projection(g).number_of_edges()
    )
    result.counts["projection_edges"] = edges
    gc.collect()
    timer(ours, "shared partners", lambda: queries.shared_partners(g))
    central = timer(ours, "centralities", lambda: centrality.centralities(g))
    if any(c.estimated for c in central.values()):
        k = centrality.betweenness_sample_size(g)
        result.notes.append(f"Betweenness is estimated from a seeded sample of {k} sources.")
    backbone = timer(
        ours,
        "backbone (disparity filter, α 0.05)",
        lambda: disparity_backbone(weights.weights, alpha=0.05),
    )
    result.counts["backbone_edges"] = backbone.nnz // 2
    first, second = parse_period("2014-2017"), parse_period("2018-2021")
    timer(ours, "compare 2014-2017 with 2018-2021", lambda: compare_periods(ds, first, second))
    groups = timer(ours, "communities", lambda: communities.communities(g))
    result.modularity["ours"] = communities.modularity(g, groups)
    result.modularity["ours, by networkx"] = nx.community.modularity(g, _partition(groups))
    result.counts["communities"] = len(set(groups.values()))
    scores = {n: c.betweenness for n, c in central.items()}
    index = timer(
        ours, "dashboard index (once)", lambda: NetworkIndex(g, positions=positions, scores=scores)
    )
    for target in _click_targets(g):
        label = "overview" if target is None else f"click on a {g.degree(target)}-project org"
        view = timer(ours, f"view: {label}", lambda t=target: index.view(t))  # type: ignore[misc]
        if view.graph.number_of_nodes() > index.limit:
            raise StageError(f"view: {label}", ValueError("the view is larger than the limit"))
    pairs = projection_pairs(g, "orgs")
    if pairs > PROJECTION_LIMIT:
        result.notes.append(
            f"The dashboard refuses the organisation network here (up to {pairs:,} links, "
            f"limit {PROJECTION_LIMIT:,}) and asks to filter first."
        )
    else:
        _time_linked_view(g, timer, result)
    timer(ours, "schema check (not in route)", lambda: _validate(gexf_path, result))
    return weights, g


def _time_linked_view(g: nx.Graph, timer: _Timer, result: Result) -> None:
    """The dashboard's linked view of organisations: built once, then a click in it."""
    ours = result.ours
    linked = timer(ours, "organisation network view (once)", lambda: _linked_view(g, "orgs"))
    busiest = _click_targets(g)[1:2]
    for target in busiest:
        label = f"view: click on a {g.degree(target)}-project org there"
        view = timer(ours, label, lambda t=target, i=linked: i.view(t))  # type: ignore[misc]
        if view.graph.number_of_nodes() > linked.limit:
            raise StageError(label, ValueError("the view is larger than the limit"))
    del linked
    gc.collect()


def _linked_view(g: nx.Graph, view: str) -> NetworkIndex:
    """What the dashboard builds once when a linked view is chosen."""
    shown = view_graph(g, view)
    return NetworkIndex(shown, positions=layout_positions(shown))


def _networkx_route(
    data: Path, out: Path, timer: _Timer, result: Result, weights: WeightMatrix, g: nx.Graph
) -> None:
    """The plain route a user would write, from the same files."""
    theirs = result.theirs
    h = timer(theirs, "build graph", lambda: _networkx_graph(data))
    orgs = [n for n, side in h.nodes(data="bipartite") if side == 1]
    reference = timer(theirs, "projection", lambda: bipartite.weighted_projected_graph(h, orgs))
    result.weights_match = _same_weights(weights, reference)
    del reference
    gc.collect()
    timer(theirs, "GEXF export", lambda: nx.write_gexf(h, out / "networkx.gexf"))
    h.clear()  # networkx's copy of the data is no longer needed
    gc.collect()
    louvain = timer(
        theirs,
        "communities (Louvain)",
        lambda: nx.community.louvain_communities(g, seed=communities.COMMUNITY_SEED),
    )
    result.modularity["networkx Louvain"] = nx.community.modularity(g, louvain)
    result.counts["networkx_communities"] = len(louvain)


def run(
    size: str,
    data: Path,
    *,
    seed: int = 2020,
    networkx_route: bool = True,
    work: Path | None = None,
) -> Result:
    """Generate (if needed) and benchmark ``size``; see the module docstring."""
    result = Result(size)
    timer = _Timer(result)
    if not (data / "participations.csv").is_file():
        print(f"generating {size} into {data}", file=sys.stderr)
        write_dataset(SIZES[size], data, seed=seed)
    with tempfile.TemporaryDirectory(dir=work) as tmp:
        weights, g = _our_route(data, Path(tmp), timer, result)
        gc.collect()
        if networkx_route:
            _networkx_route(data, Path(tmp), timer, result, weights, g)
    return result


def _machine() -> str:
    model = "unknown CPU"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            found = re.search(r"model name\s*:\s*(.+)", info.read())
            model = found.group(1).strip() if found else model
    except OSError:
        pass
    ram = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"{os.cpu_count()} cores ({model}), {ram:.0f} GiB RAM, "
        f"Python {platform.python_version()}, {platform.system()} {platform.release()}"
    )


_ROUTE = ("load and validate", "build graph", "layout", "GEXF export")
_PAIRS = {
    "build graph": ("load and validate", "build graph"),
    "projection (weights, B·Bᵀ)": "projection",
    "projection (graph with names)": "projection",
    "GEXF export": "GEXF export",
    "communities": "communities (Louvain)",
}


def table(result: Result) -> str:
    """The run as a markdown table, with the machine and the checks."""
    c = result.counts
    lines = [
        f"**In-process stages** ({result.size}; one process, from the four tables already "
        "ingested): for finding the bottleneck, not what a user waits for.",
        "",
        f"{c.get('projects', 0):,} projects, "
        f"{c.get('organisations', 0):,} organisations, "
        f"{c.get('participations', 0):,} participations; "
        f"{c.get('projection_edges', 0):,} organisation–organisation links "
        f"({c.get('backbone_edges', 0):,} in the backbone at α 0.05); "
        f"GEXF {c.get('gexf_bytes', 0) / 1e6:.1f} MB.",
        "",
        "| stage | defus-graph (s) | peak RSS (MiB) | networkx (s) | speed-up |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for name, stage in result.ours.items():
        theirs_s = ""
        ratio = ""
        pair = _PAIRS.get(name)
        if pair and result.theirs:
            other = result.theirs.get(pair if isinstance(pair, str) else "build graph")
            mine = (
                sum(result.ours[p].seconds for p in pair)
                if isinstance(pair, tuple)
                else stage.seconds
            )
            if other is not None:
                theirs_s = f"{other.seconds:.2f}"
                speed = other.seconds / max(mine, 1e-9)
                ratio = f"{speed:.0f}×" if speed >= 10 else f"{speed:.1f}×"
                if isinstance(pair, tuple):
                    theirs_s += " (load + build)"
        lines.append(
            f"| {name} | {stage.seconds:.2f} | {stage.peak_mib:,.0f} | {theirs_s} | {ratio} |"
        )
    route = sum(result.ours[s].seconds for s in _ROUTE if s in result.ours)
    route_peak = max((result.ours[s].peak_mib for s in _ROUTE if s in result.ours), default=0)
    lines.append(
        f"| **tables → GEXF** (first four, in one process) | **{route:.2f}** | "
        f"{route_peak:,.0f} | | |"
    )
    lines += ["", f"Machine: {_machine()}.", f"Memory: {result.memory_method}."]
    if result.weights_match is not None:
        verdict = "identical" if result.weights_match else "DIFFERENT"
        lines.append(f"Projection weights against networkx: {verdict}.")
    if result.gexf_valid is not None:
        lines.append(f"GEXF 1.3 schema: {'valid' if result.gexf_valid else 'INVALID'}.")
    if "ours" in result.modularity:
        m = result.modularity
        line = (
            f"Communities (igraph's Leiden): {c.get('communities', 0):,}, modularity "
            f"{m['ours']:.4f} (networkx's modularity of the same partition: "
            f"{m['ours, by networkx']:.4f})"
        )
        if "networkx Louvain" in m:
            line += (
                f"; networkx's Louvain on the same graph: {c.get('networkx_communities', 0):,}, "
                f"modularity {m['networkx Louvain']:.4f}"
            )
        lines.append(line + ".")
    lines += result.notes
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """The command: ``python -m benchmarks.run --size SIZE``; returns the exit status."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__)
    parser.add_argument("--size", choices=sorted(SIZES), default="small")
    parser.add_argument("--seed", type=int, default=2020)
    parser.add_argument("--data", type=Path, help="where the generated tables go (reused)")
    parser.add_argument("--cordis", type=Path, help="where the generated CORDIS files go (reused)")
    parser.add_argument(
        "--no-networkx", action="store_true", help="skip the plain networkx route and script"
    )
    parser.add_argument(
        "--no-route", action="store_true", help="skip the user's route (commands as processes)"
    )
    parser.add_argument(
        "--no-dashboard", action="store_true", help="skip the dashboard in Chromium"
    )
    parser.add_argument("--no-stages", action="store_true", help="skip the in-process stages")
    args = parser.parse_args(argv)
    base = ROOT / "benchmarks" / ".data"
    data = args.data or base / f"{args.size}-{args.seed}"
    cordis = args.cordis or base / f"{args.size}-{args.seed}-cordis"
    skipped = []
    if args.no_route:
        skipped.append("the user's route (--no-route)")
    else:
        try:
            route = run_route(
                args.size,
                cordis,
                seed=args.seed,
                dashboard=not args.no_dashboard,
                networkx_script=not args.no_networkx,
            )
        except RouteError as err:
            print(f"benchmark: {err}", file=sys.stderr)
            return 2
        print(route_table(route) + f"\nMachine: {_machine()}.\n")
    if args.no_stages:
        skipped.append("the in-process stages (--no-stages)")
        result = None
    else:
        try:
            result = run(args.size, data, seed=args.seed, networkx_route=not args.no_networkx)
        except StageError as err:
            print(f"benchmark: {err}", file=sys.stderr)
            return 2
        print(table(result))
    if skipped:
        print("\nNot run: " + "; ".join(skipped) + ".")
    if result is not None and (result.weights_match is False or result.gexf_valid is False):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
