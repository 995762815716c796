"""The benchmark at a small size: every stage runs and both routes agree (timings are printed)."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest
import scipy.sparse as sp

from benchmarks import run as bench
from defus_graph.graph import WeightMatrix


def test_the_benchmark_runs_every_stage_and_agrees_with_networkx(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = bench.main(["--size", "small", "--data", str(tmp_path / "small")])
    out = capsys.readouterr().out
    print(out)  # the timings, for the CI log
    assert status == 0
    assert "Projection weights against networkx: identical." in out
    assert "GEXF 1.3 schema: valid." in out
    for stage in ("load and validate", "GEXF export", "centralities", "view: overview"):
        assert f"| {stage} |" in out


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
    assert bench.main(["--size", "seed", "--data", str(tmp_path / "seed")]) == 1


def test_a_broken_stage_fails_the_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(g: nx.Graph) -> None:
        raise RuntimeError("no communities today")

    monkeypatch.setattr(bench.analysis, "communities", broken)
    assert bench.main(["--size", "seed", "--data", str(tmp_path / "seed")]) == 2
