"""The query commands' array route gives the graph route's answers, to the byte."""

from __future__ import annotations

import json
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from defus_graph.analysis import centrality
from defus_graph.analysis.centrality import network_stats
from defus_graph.analysis.queries import shared_partners
from defus_graph.analysis.records import find_organisation, organisation_detail, project_records
from defus_graph.errors import NotFoundError
from defus_graph.graph.bipartite import Participations, graph_from_dataset
from defus_graph.model import Alias, Dataset, Organisation, Participation, Project
from defus_graph.names.resolve import Resolver

# Names that collide once case and accents are dropped, so that ties in every sort show.
_NAMES = [
    "Genk",
    "GENK",
    "genk ",
    "Düsseldorf",
    "Duesseldorf",
    "Nice",
    "NICE",
    "Ålborg",
    "a`b",
    "a'b",
]
_ROLES = ["coordinator", "partner", "participant", "", "observer"]


def _dataset(seed: int, n_projects: int, n_orgs: int, per_project: int) -> Dataset:
    rng = random.Random(seed)
    orgs = [f"{rng.choice(_NAMES)} {i % 7}" for i in range(n_orgs)]
    orgs = list(dict.fromkeys(orgs)) + [f"Org {i}" for i in range(n_orgs)]
    projects = [f"{rng.choice(['p', 'P', 'Ä'])}{i % 50}-{i}" for i in range(n_projects)]
    participations = []
    for p in projects:
        for o in rng.sample(orgs, min(len(orgs), rng.randint(1, per_project))):
            participations.append(Participation(p, o, rng.choice(_ROLES)))
    rng.shuffle(participations)
    return Dataset(
        projects=tuple(Project(p, title=f"T {p}") for p in projects),
        organisations=tuple(
            Organisation(o, kind=rng.choice(["city", "", "ngo"]), country=rng.choice(["", "BE"]))
            for o in orgs
        ),
        participations=tuple(participations),
        aliases=(Alias("Stadt Genk", orgs[0]), Alias("Gênk 1", orgs[-1])),
    )


def _dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2)


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10_000), st.integers(1, 40), st.integers(1, 30), st.integers(1, 8))
def test_queries_match_the_graph(seed: int, n_projects: int, n_orgs: int, per: int) -> None:
    ds = _dataset(seed, n_projects, n_orgs, per)
    g = graph_from_dataset(ds)
    arrays = Participations.from_dataset(ds)
    assert arrays is not None
    assert _dumps(project_records(ds, arrays)) == _dumps(project_records(ds, g))
    for min_projects in (1, 2):
        for kind in (None, "city", "unknown"):
            assert shared_partners(arrays, min_projects=min_projects, kind=kind) == (
                shared_partners(g, min_projects=min_projects, kind=kind)
            )
    for o in ds.organisations[:5]:
        assert _dumps(organisation_detail(ds, arrays, o.name)) == _dumps(
            organisation_detail(ds, g, o.name)
        )
    assert _dumps(network_stats(arrays)) == _dumps(network_stats(g))


def test_large_network_stats_match_the_graph(monkeypatch: pytest.MonkeyPatch) -> None:
    # Above the exact limit the arrays take their own (sampled, sparse) route.
    monkeypatch.setattr(centrality, "BETWEENNESS_EXACT_LIMIT", 50)
    ds = _dataset(7, 120, 60, 6)
    arrays = Participations.from_dataset(ds)
    assert arrays is not None and arrays.n_nodes > 50
    stats = network_stats(arrays)
    assert stats["betweenness_estimated"] is True
    assert _dumps(stats) == _dumps(network_stats(graph_from_dataset(ds)))


def test_a_dataset_the_graph_repairs_takes_no_arrays() -> None:
    twice = Dataset(
        projects=(Project("A"),),
        organisations=(Organisation("Genk"),),
        participations=(Participation("A", "Genk", "partner"),) * 2,
    )
    unknown = Dataset(projects=(Project("A"),), participations=(Participation("A", "X", "p"),))
    assert Participations.from_dataset(twice) is None
    assert Participations.from_dataset(unknown) is None


_TEXT = st.text(
    st.sampled_from(list("aAäÄßsSe `'´’\t\u00a0\u00a8\u1e9eOoöÖ-–")), min_size=1, max_size=6
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_TEXT, min_size=1, max_size=8, unique=True), st.lists(_TEXT, max_size=3), _TEXT)
def test_finding_an_organisation_is_the_resolvers_answer(
    names: list[str], aliases: list[str], query: str
) -> None:
    ds = Dataset(
        organisations=tuple(Organisation(n) for n in names),
        aliases=tuple(Alias(a, names[i % len(names)]) for i, a in enumerate(aliases)),
    )
    expected = Resolver(ds.organisations, ds.aliases).resolve(query)
    if expected is None:
        with pytest.raises(NotFoundError):
            find_organisation(ds, query)
    else:
        assert find_organisation(ds, query) == expected
