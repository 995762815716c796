"""The disparity backbone agrees with the filter computed link by link."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from defus_graph.backbone import backbone_graph, disparity_backbone, disparity_significance
from defus_graph.cli import main
from defus_graph.graph import organisation_projection, projection_matrix


def direct_backbone(g: nx.Graph, alpha: float) -> set[frozenset[str]]:
    """Serrano et al.'s rule written out for each link: kept if significant for either end,
    or if either end has only this link."""
    kept = set()
    for u, v, w in g.edges(data="weight"):
        significant = False
        for end in (u, v):
            k = g.degree(end)
            s = sum(d for _, _, d in g.edges(end, data="weight"))
            if k == 1 or (1 - w / s) ** (k - 1) < alpha:
                significant = True
        if significant:
            kept.add(frozenset((u, v)))
    return kept


@st.composite
def weighted_graphs(draw: st.DrawFn) -> nx.Graph:
    n = draw(st.integers(2, 9))
    pairs = [(i, j) for i in range(n) for j in range(i + 1, n)]
    chosen = draw(st.lists(st.sampled_from(pairs), unique=True, max_size=len(pairs)))
    g = nx.Graph()
    g.add_nodes_from(f"n{i}" for i in range(n))
    for i, j in chosen:
        g.add_edge(f"n{i}", f"n{j}", weight=draw(st.integers(1, 20)))
    return g


alphas = st.sampled_from([0.01, 0.05, 0.1, 0.2, 0.3, 0.5, 0.8, 1.0])


@settings(max_examples=200, deadline=None)
@given(weighted_graphs(), alphas)
def test_graph_backbone_agrees_with_the_direct_computation(g: nx.Graph, alpha: float) -> None:
    found = backbone_graph(g, alpha=alpha)
    assert {frozenset(e) for e in found.edges} == direct_backbone(g, alpha)
    assert set(found.nodes) == set(g.nodes)  # nodes are never removed
    for u, v in found.edges:
        assert found.edges[u, v]["weight"] == g.edges[u, v]["weight"]


@settings(max_examples=200, deadline=None)
@given(weighted_graphs(), alphas)
def test_matrix_backbone_agrees_with_the_direct_computation(g: nx.Graph, alpha: float) -> None:
    nodes = list(g)
    matrix = sp.csr_array(nx.to_scipy_sparse_array(g, nodelist=nodes, weight="weight"))
    kept = disparity_backbone(matrix, alpha=alpha)
    assert (kept != kept.T).nnz == 0  # symmetric
    upper = sp.coo_array(sp.triu(kept, k=1))
    found = {frozenset((nodes[i], nodes[j])) for i, j in zip(upper.row, upper.col, strict=True)}
    assert found == direct_backbone(g, alpha)
    for i, j, w in zip(upper.row, upper.col, upper.data, strict=True):
        assert w == g.edges[nodes[i], nodes[j]]["weight"]


def test_a_strong_tie_of_a_hub_is_kept_and_its_weak_ties_are_not() -> None:
    g = nx.Graph()
    g.add_edge("hub", "partner", weight=30)
    for i in range(10):
        g.add_edge("hub", f"weak{i}", weight=1)
        g.add_edge(f"weak{i}", f"weak{(i + 1) % 10}", weight=1)
    kept = backbone_graph(g, alpha=0.05)
    assert set(kept.edges) == {("hub", "partner")}


def test_the_only_link_of_a_node_is_kept() -> None:
    g = nx.Graph([("a", "b", {"weight": 1}), ("b", "c", {"weight": 50})])
    g.add_edge("b", "d", weight=50)
    # For b, a's link is insignificant, but a has no other link: it stays.
    assert ("a", "b") in backbone_graph(g, alpha=0.01).edges


def test_significance_is_the_smaller_of_the_ends() -> None:
    # b (k=2, s=4): link a-b has share 3/4 -> (1/4)^1; a has k=1 -> 0.
    matrix = sp.csr_array(np.array([[0, 3, 0], [3, 0, 1], [0, 1, 0]]))
    rows, cols, sig = disparity_significance(matrix)
    assert list(zip(rows.tolist(), cols.tolist(), strict=True)) == [(0, 1), (1, 2)]
    assert sig.tolist() == [0.0, 0.0]  # both a and c have one link
    matrix = sp.csr_array(
        np.array([[0, 3, 1, 0], [3, 0, 1, 0], [1, 1, 0, 1], [0, 0, 1, 0]], dtype=float)
    )
    _, _, sig = disparity_significance(matrix)
    # a-b: a has k=2, s=4, share 3/4 -> 0.25; b the same.
    assert sig[0] == pytest.approx(0.25)


@pytest.mark.parametrize("alpha", [0, -0.1, 1.5, float("nan")])
def test_a_level_outside_0_to_1_is_refused(alpha: float) -> None:
    with pytest.raises(ValueError, match="significance level"):
        backbone_graph(nx.Graph(), alpha=alpha)
    with pytest.raises(ValueError, match="significance level"):
        disparity_backbone(sp.csr_array((2, 2)), alpha=alpha)


def test_the_bundled_projection_gives_the_same_backbone_both_ways(graph: nx.Graph) -> None:
    g = graph
    proj = organisation_projection(g)
    wm = projection_matrix(g)
    kept = sp.coo_array(sp.triu(disparity_backbone(wm.weights, alpha=0.3), k=1))
    by_matrix = {
        frozenset((wm.nodes[i], wm.nodes[j])) for i, j in zip(kept.row, kept.col, strict=True)
    }
    by_graph = {frozenset(e) for e in backbone_graph(proj, alpha=0.3).edges}
    assert by_matrix == by_graph == direct_backbone(proj, 0.3)
    assert 0 < len(by_graph) < proj.number_of_edges()


def test_export_backbone_writes_the_kept_links(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], graph: nx.Graph
) -> None:
    out = tmp_path / "orgs.graphml"
    assert main(["export", "--format", "graphml", "--view", "orgs", "--backbone", "0.3",
                 "-o", str(out)]) == 0  # fmt: skip
    written = nx.read_graphml(out)
    expected = backbone_graph(organisation_projection(graph), alpha=0.3)
    assert {frozenset(e) for e in written.edges} == {frozenset(e) for e in expected.edges}
    assert written.number_of_nodes() == expected.number_of_nodes()
    err = capsys.readouterr().err
    assert f"kept {expected.number_of_edges()} of " in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--view", "bipartite", "--backbone", "0.05"], "--view orgs"),
        (["--view", "orgs", "--backbone", "0"], "above 0 and at most 1"),
        (["--view", "projects", "--backbone", "2"], "above 0 and at most 1"),
    ],
)
def test_export_backbone_refuses_what_it_cannot_do(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    out = tmp_path / "x.gexf"
    assert main(["export", "--format", "gexf", *args, "-o", str(out)]) == 1
    assert message in capsys.readouterr().err
    assert not out.exists()
