"""``co_partners`` answers as its first, plain version did, ties and order included."""

from __future__ import annotations

from collections import defaultdict

import networkx as nx
from hypothesis import given, settings
from hypothesis import strategies as st

from defus_graph.analysis.queries import CoPartner, Involvement, co_partners, organisation_projects
from defus_graph.graph.bipartite import ORGANISATION, PROJECT

# Labels that differ only in case (or not at all), so that ties in every sort show.
_LABELS = ["Genk", "GENK", "genk", "Nice", "NICE", "Ålborg", "ålborg", "a", "A", "b"]


def _reference(g: nx.Graph, org: str) -> list[CoPartner]:
    """The first co_partners: labels looked up per pair, each partner's list sorted."""

    def label(node: str) -> str:
        return str(g.nodes[node].get("label", node))

    shared: defaultdict[str, list[str]] = defaultdict(list)
    for project in g[org]:
        for other in g[project]:
            if other != org:
                shared[other].append(label(project))
    return sorted(
        (CoPartner(o, label(o), tuple(sorted(ps))) for o, ps in shared.items()),
        key=lambda c: (-len(c.projects), c.name.casefold()),
    )


@st.composite
def _graphs(draw: st.DrawFn) -> nx.Graph:
    n_orgs = draw(st.integers(1, 9))
    n_projects = draw(st.integers(0, 8))
    g = nx.Graph()
    for i in range(n_orgs):
        label = draw(st.sampled_from(_LABELS))
        attrs = {"label": label} if draw(st.booleans()) or i == 0 else {}
        g.add_node(f"org:{label} {i}", bipartite=ORGANISATION, **attrs)
    orgs = list(g)
    for j in range(n_projects):
        g.add_node(f"project:P{j}", bipartite=PROJECT, label=draw(st.sampled_from(_LABELS)))
    edges = draw(
        st.lists(
            st.tuples(st.integers(0, n_projects - 1), st.integers(0, n_orgs - 1)),
            max_size=40,
        )
        if n_projects
        else st.just([])
    )
    for j, i in edges:  # in drawn order: the neighbours' order varies
        g.add_edge(orgs[i], f"project:P{j}", role=draw(st.sampled_from(["partner", ""])))
    return g


@settings(max_examples=300, deadline=None)
@given(_graphs(), st.data())
def test_co_partners_equal_the_plain_version(g: nx.Graph, data: st.DataObject) -> None:
    orgs = [n for n, d in g.nodes(data=True) if d["bipartite"] == ORGANISATION]
    org = data.draw(st.sampled_from(orgs))
    assert co_partners(g, org) == _reference(g, org)
    expected = sorted(  # the first organisation_projects
        (
            Involvement(p, str(g.nodes[p].get("label", p)), str(g.edges[org, p].get("role", "")))
            for p in g[org]
        ),
        key=lambda i: i.name.casefold(),
    )
    assert organisation_projects(g, org) == expected
