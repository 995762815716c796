"""The benchmark at a small size: the user's route as processes, every stage, both routes agree.

The timings are printed for the CI log, never asserted. The dashboard is timed in Chromium when
``/usr/bin/chromium`` is there (always in CI), else skipped with ``--no-dashboard``.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import networkx as nx
import pytest
import scipy.sparse as sp

from benchmarks import route
from benchmarks import run as bench
from defus_graph.graph.bipartite import WeightMatrix

COMMANDS = (
    "ingest",
    "stats (first command)",
    "stats (again)",
    "org (most active)",
    "shared",
    "projects --json",
    "export gexf (bipartite)",
    "export gexf --view orgs",
)
DASHBOARD = (
    "dashboard: serve until it answers",
    "dashboard: first drawing, cold server",
    "dashboard: reload (warm)",
    "dashboard: click until the story shows",
)


def _row(out: str, step: str) -> tuple[float, float]:
    """Seconds and peak MiB of ``step`` in the route's table."""
    found = re.search(rf"^\| {re.escape(step)} \| `[^`]+` \| ([\d.]+) \| ([\d,]+) \|", out, re.M)
    assert found, f"no row for {step!r}"
    return float(found.group(1)), float(found.group(2).replace(",", ""))


def test_the_benchmark_runs_the_users_route_first_then_every_stage(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dashboard = route.CHROMIUM.exists()
    argv = ["--size", "small", "--data", str(tmp_path / "small")]
    argv += ["--cordis", str(tmp_path / "cordis")]
    status = bench.main(argv if dashboard else [*argv, "--no-dashboard"])
    out, err = capsys.readouterr()
    print(out, err)  # the timings, for the CI log, and why a run failed
    assert status == 0
    assert (tmp_path / "cordis" / "organization.csv").is_file()  # CORDIS's own files
    assert out.index("The user's route") < out.index("In-process stages")
    for step in (*COMMANDS, "plain networkx script", *(DASHBOARD if dashboard else ())):
        seconds, peak = _row(out, step)
        assert seconds > 0 and peak > 20  # a Python process holds more than 20 MiB
    assert "`defus-graph ingest project.csv organization.csv --out D`" in out
    assert "Files → organisation-network GEXF: ingest + export --view orgs" in out
    assert re.search(r"Organisation links in the GEXF: ours ([\d,]+), plain networkx \1 ", out)
    assert "Not measured: " in out
    assert "Projection weights against networkx: identical." in out
    assert "GEXF 1.3 schema: valid." in out
    assert "networkx's Louvain on the same graph" in out
    for stage in ("load and validate", "GEXF export", "centralities", "view: overview"):
        assert f"| {stage} |" in out


def test_each_process_is_measured_on_its_own(tmp_path: Path) -> None:
    big = [sys.executable, "-c", "b = bytearray(300 * 2**20); b[::4096] = b'x' * len(b[::4096])"]
    small = [sys.executable, "-c", "pass"]
    # This process holds more than either child: a child started straight from it
    # would be charged with that memory (the kernel counts a child's pre-exec copy).
    ballast = bytearray(400 * 2**20)
    ballast[::4096] = b"x" * len(ballast[::4096])
    _, peak_big, _ = route._measure(big, cwd=tmp_path, timeout=60)
    _, peak_small, _ = route._measure(small, cwd=tmp_path, timeout=60)
    del ballast
    assert peak_big > 300 > 100 > peak_small  # each its own, not ours nor the largest so far


def test_a_failing_command_fails_the_run_and_says_which(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    failing = [sys.executable, "-c", "import sys; print('no such data', file=sys.stderr); exit(3)"]
    monkeypatch.setattr(route, "_defus_graph", lambda: failing)
    argv = ["--size", "seed", "--cordis", str(tmp_path / "cordis"), "--no-stages"]
    assert bench.main(argv) == 2
    err = capsys.readouterr().err
    assert "exited with 3" in err and "no such data" in err and "ingest" in err


def test_a_projection_that_differs_from_networkx_fails_the_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = bench.projection_matrix

    def off_by_one(g: nx.Graph) -> WeightMatrix:
        right = real(g)
        wrong = sp.csr_array(right.weights, copy=True)
        wrong.data[0] += 1
        return WeightMatrix(right.nodes, wrong)

    monkeypatch.setattr(bench, "projection_matrix", off_by_one)
    argv = ["--size", "seed", "--data", str(tmp_path / "seed"), "--no-route"]
    assert bench.main(argv) == 1


def test_a_broken_stage_fails_the_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(g: nx.Graph) -> None:
        raise RuntimeError("no communities today")

    monkeypatch.setattr(bench.communities, "communities", broken)
    argv = ["--size", "seed", "--data", str(tmp_path / "seed"), "--no-route"]
    assert bench.main(argv) == 2


def test_a_command_that_declines_as_designed_is_a_result_not_a_failure(tmp_path: Path) -> None:
    says = "import sys; print('defus-graph: {}; filter first', file=sys.stderr); exit(1)"
    declined = [sys.executable, "-c", says.format(route.REFUSAL)]
    _, _, refused = route._measure(declined, cwd=tmp_path, timeout=60)
    assert refused is not None and "filter first" in refused
    with pytest.raises(route.RouteError, match=r"exited with 1.*something else"):
        route._measure(
            [sys.executable, "-c", says.format("something else")], cwd=tmp_path, timeout=60
        )
    result = route.RouteResult("1m", plain=route.Step("plain", "python plain.py", 9.0, 99.0))
    result.steps["ingest"] = route.Step("ingest", "defus-graph ingest", 1.0, 50.0)
    view = route.Step("export gexf --view orgs", "defus-graph export", 2.0, 60.0, refused)
    result.steps[view.name] = view
    table = route.route_table(result)
    assert "| 2.00 | 60 | declined |" in table
    assert "Files → organisation-network GEXF" not in table  # no ratio without the file
