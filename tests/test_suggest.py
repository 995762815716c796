"""Who to invite: scores and reasons worked by hand, invariants, the CLI, the backtest."""

from __future__ import annotations

import json
import math
from dataclasses import replace
from pathlib import Path

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks.backtest import METHODS, Timeline, backtest, structured_dataset
from benchmarks.generate import SIZES, generate_dataset
from defus_graph.analysis.suggest import (
    SuggestionIndex,
    Via,
    partner_suggestions,
    reason_text,
)
from defus_graph.cli import main
from defus_graph.errors import DefusGraphError
from defus_graph.graph.bipartite import (
    graph_from_dataset,
    org_id,
    organisation_projection,
    project_id,
)
from defus_graph.model import Alias, Dataset, Organisation, Participation, Project, date_bounds
from defus_graph.names.countries import country_filter
from defus_graph.store.tables import load_dataset

ROOT = Path(__file__).resolve().parent.parent


def dataset(consortia: dict[str, str], kinds: dict[str, tuple[str, str]] | None = None) -> Dataset:
    """Projects named by the keys, each with the organisations named by the letters of its value."""
    names = sorted({o for members in consortia.values() for o in members})
    kinds = kinds or {}
    return Dataset(
        projects=tuple(Project(p) for p in consortia),
        organisations=tuple(Organisation(n, *kinds.get(n, ("city", "DE"))) for n in names),
        participations=tuple(
            Participation(p, o, "partner") for p, members in consortia.items() for o in members
        ),
    )


# P1 = {A, B, C}, P2 = {B, D}, P3 = {C, D, E}, P4 = {E, F}. Each organisation works with:
# A: B C (2); B: A C D (3); C: A B D E (4); D: B C E (3); E: C D F (3); F: E (1).
SMALL = dataset({"P1": "ABC", "P2": "BD", "P3": "CDE", "P4": "EF"})


def test_scores_order_and_reason_by_hand() -> None:
    found = partner_suggestions(graph_from_dataset(SMALL), org_id("A"))
    # D worked with B (1/3) and C (1/4); E only with C (1/4); F with neither.
    assert [(s.name, round(s.score, 6)) for s in found] == [
        ("D", round(1 / 3 + 1 / 4, 6)),
        ("E", 0.25),
    ]
    assert found[0].reason == "worked with 2 of A's partners: B (P2), C (P3)"
    assert [(v.name, v.projects, v.works_with) for v in found[0].via] == [
        ("B", ("P2",), 3),
        ("C", ("P3",), 4),
    ]


def test_adamic_adar_by_hand() -> None:
    found = partner_suggestions(graph_from_dataset(SMALL), org_id("A"), index="adamic_adar")
    assert [s.name for s in found] == ["D", "E"]
    assert found[0].score == pytest.approx(1 / math.log(3) + 1 / math.log(4))


def test_a_project_gets_partners_of_its_consortium() -> None:
    found = partner_suggestions(graph_from_dataset(SMALL), project_id("P2"))
    # C: via B (1/3) and D (1/3); A via B, E via D: 1/3 each, a tie broken by name.
    assert [(s.name, round(s.score, 6)) for s in found] == [
        ("C", round(2 / 3, 6)),
        ("A", round(1 / 3, 6)),
        ("E", round(1 / 3, 6)),
    ]
    assert found[0].reason == "worked with 2 members of the P2 consortium: B (P1), D (P3)"
    assert not {"B", "D"} & {s.name for s in found}


def test_ties_go_to_more_projects_together_then_the_name() -> None:
    # Z's only partner W worked with X in two projects and with Y in one.
    g = graph_from_dataset(dataset({"A": "ZW", "B": "WX", "C": "WX", "D": "WY"}))
    found = partner_suggestions(g, org_id("Z"))
    assert [s.name for s in found] == ["X", "Y"]
    assert found[0].reason == "worked with 1 of Z's partners: W (B, C)"


def test_the_partner_who_works_with_fewest_comes_first_and_long_lists_are_capped() -> None:
    # Z worked with P, Q, R, S, T; each of them worked with X; P with no one else.
    consortia = {"Z1": "ZPQRST", "X1": "PX", "X2": "QXa", "X3": "RXab", "X4": "SXabc"}
    consortia |= {"X5": "TXabcd", "X6": "TX", "X7": "TX", "X8": "TX"}
    g = graph_from_dataset(dataset(consortia))
    x = next(s for s in partner_suggestions(g, org_id("Z"), top=50) if s.name == "X")
    assert [v.name for v in x.via] == ["P", "Q", "R", "S", "T"]
    assert x.reason == ("worked with 5 of Z's partners: P (X1), Q (X2), R (X3) and 2 more")
    t = next(v for v in x.via if v.name == "T")
    assert t.projects == ("X5", "X6", "X7", "X8")


def test_a_partner_with_many_projects_together_lists_three_and_says_how_many_more() -> None:
    via = Via("org:Efus", "Efus", ("A", "B", "C", "D", "E"), 49, 1 / 49)
    assert reason_text("Genk", False, [via]) == (
        "worked with 1 of Genk's partners: Efus (A, B, C and 2 more)"
    )


def test_kind_country_and_top_filter_the_candidates_not_the_evidence() -> None:
    kinds = {"D": ("university", "FR"), "E": ("city", "NL"), "B": ("police", "BE")}
    g = graph_from_dataset(dataset({"P1": "ABC", "P2": "BD", "P3": "CDE", "P4": "EF"}, kinds))
    assert [s.name for s in partner_suggestions(g, org_id("A"), kind="city")] == ["E"]
    assert [s.name for s in partner_suggestions(g, org_id("A"), country="FR")] == ["D"]
    assert partner_suggestions(g, org_id("A"), country="FR", kind="city") == []
    assert [s.name for s in partner_suggestions(g, org_id("A"), top=1)] == ["D"]


def test_no_partners_no_suggestions() -> None:
    g = graph_from_dataset(dataset({"P1": "A", "P2": "BC"}))
    assert partner_suggestions(g, org_id("A")) == []


@pytest.mark.parametrize(
    ("typed", "code"),
    [("DE", "DE"), ("de", "DE"), ("UK", "GB"), ("Germany", "DE"), ("Spanien", "ES")],
)
def test_country_filter_reads_codes_and_names(typed: str, code: str) -> None:
    assert country_filter(typed) == code


@pytest.mark.parametrize("typed", ["Germny", "XX", "Atlantis"])
def test_country_filter_says_what_it_expected(typed: str) -> None:
    with pytest.raises(DefusGraphError, match=r"two-letter ISO code such as DE.*Germany"):
        country_filter(typed)


@st.composite
def bipartite_datasets(draw: st.DrawFn) -> Dataset:
    n_orgs = draw(st.integers(2, 12))
    n_projects = draw(st.integers(1, 8))
    names = [f"Org {i}" for i in range(n_orgs)]
    consortia = {
        f"P{j}": draw(st.sets(st.sampled_from(names), min_size=1, max_size=n_orgs))
        for j in range(n_projects)
    }
    ds = Dataset(
        projects=tuple(Project(p) for p in consortia),
        organisations=tuple(Organisation(n) for n in names),
        participations=tuple(
            Participation(p, o, "partner") for p, members in consortia.items() for o in members
        ),
    )
    # Aliases the store would refuse: another organisation's name, in another case. Each
    # alias names one organisation only (an alias of two has no answer to check against).
    written = draw(st.lists(st.sampled_from(names), max_size=3, unique=True))
    aliases = [Alias(w.upper(), draw(st.sampled_from(names))) for w in written]
    return replace(ds, aliases=tuple(aliases))


@settings(max_examples=150, deadline=None)
@given(bipartite_datasets())
def test_never_self_partner_or_alias_and_scores_match_networkx(ds: Dataset) -> None:
    g, aliases = graph_from_dataset(ds), list(ds.aliases)
    index = SuggestionIndex(g, aliases)
    from_tables = SuggestionIndex.from_dataset(ds)
    projection = organisation_projection(g, with_names=False)
    for node in g:
        own = {node, *projection[node]} if node.startswith("org:") else set(g[node])
        own_names = {n[4:] for n in own if n.startswith("org:")}
        # Names that are an alias of one of them, or have one of their names as an alias.
        aliased = {a.alias.casefold() for a in aliases if a.organisation in own_names}
        lower = {n.casefold() for n in own_names}
        aliased |= {a.organisation.casefold() for a in aliases if a.alias.casefold() in lower}
        found = index.suggest(node, top=100)
        assert from_tables.suggest(node, top=100) == found
        for s in found:
            assert s.node not in own
            assert s.name.casefold() not in aliased
            assert s.via and all(v.node in own for v in s.via)
            assert all(set(v.projects) for v in s.via)
        if node.startswith("org:"):
            expected = dict(
                (
                    (v, score)
                    for _, v, score in nx.resource_allocation_index(
                        projection, [(node, c) for c in projection if c not in own]
                    )
                )
            )
            for s in found:
                assert s.score == pytest.approx(expected[s.node])
            reachable = {c for c, score in expected.items() if score > 0}
            named = {c for c in reachable if c[4:].casefold() not in aliased}
            assert {s.node for s in found} == named
        scores = [round(s.score, 9) for s in found]
        assert scores == sorted(scores, reverse=True)


# The bundled data: Augsburg is in LouD and Solidify.


def test_augsburg_is_offered_who_its_partners_worked_with_and_none_of_them() -> None:
    ds = load_dataset(ROOT / "data")
    g = graph_from_dataset(ds)
    found = partner_suggestions(g, org_id("Augsburg"), aliases=ds.aliases, top=1000)
    names = [s.name for s in found]
    partners = {n[4:] for p in g[org_id("Augsburg")] for n in g[p]}
    assert "Düsseldorf" in partners and "Efus" in partners
    assert not set(names) & partners
    # Rotterdam and the Generalitat worked with three of its partners, with Efus twice.
    assert names[:2] == ["Generalitat de Catalunya", "Rotterdam"]
    assert found[1].reason == (
        "worked with 3 of Augsburg's partners: Düsseldorf (BRIDGE), Leuven (BRIDGE), "
        "Efus (BRIDGE, PREPARE)"
    )
    for s in found:
        assert all(set(v.projects) <= {g.nodes[p]["label"] for p in g[s.node]} for v in s.via)


def run_json(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, object]:
    assert main(["suggest", *args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)  # type: ignore[no-any-return]


def test_cli_json_shape(capsys: pytest.CaptureFixture[str]) -> None:
    out = run_json(capsys, "augsburg", "--top", "3")
    assert (out["for"], out["type"], out["kind"], out["country"]) == (
        "Augsburg",
        "organisation",
        None,
        None,
    )
    suggestions = out["suggestions"]
    assert isinstance(suggestions, list) and len(suggestions) == 3
    first = suggestions[0]
    assert set(first) == {"name", "kind", "country", "score", "shared_partners", "reason", "via"}
    assert first["name"] == "Generalitat de Catalunya"
    assert first["via"][0] == {"name": "Düsseldorf", "projects": ["BRIDGE"], "works_with": 21}


def test_cli_filters_by_country_name_and_kind(capsys: pytest.CaptureFixture[str]) -> None:
    out = run_json(capsys, "BRIDGE", "--country", "France", "--kind", "city")
    assert (out["type"], out["country"], out["kind"]) == ("project", "FR", "city")
    found = out["suggestions"]
    assert isinstance(found, list) and found
    assert all(s["country"] == "FR" and s["kind"] == "city" for s in found)
    assert "Lille" in {s["name"] for s in found}


def test_cli_text_lists_the_reasons(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["suggest", "Augsburg", "--top", "2"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Who to invite for Augsburg (organisation)")
    assert " 2. Rotterdam (city, NL), score 0.116" in out
    assert "worked with 3 of Augsburg's partners: Düsseldorf (BRIDGE)" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["Roterdam"], 'No organisation or project named "Roterdam". Did you mean "Rotterdam"'),
        (["brige"], 'Did you mean "Liège", "BRIDGE"?'),
    ],
)
def test_cli_errors_exit_1_with_a_message(
    capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    assert main(["suggest", *args]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert message in captured.err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["Augsburg", "--country", "Germny"],
            '"Germny" is neither a country code nor a country name this tool knows. '
            "Did you mean Germany (DE)?",
        ),
        (["Augsburg", "--top", "0"], "argument --top: must be 1 or more, not 0."),
    ],
)
def test_cli_argument_errors_exit_2_with_a_message(
    capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["suggest", *args])
    assert stop.value.code == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert message in captured.err


# The backtest, at CI size: it runs, its figures are shares, and structure is found.


def test_backtest_figures_are_shares_and_beat_random_on_a_structured_network() -> None:
    generated = generate_dataset(SIZES["small"], seed=2020)
    for data in (generated, structured_dataset(generated, seed=7)):
        result = backtest(data, k=10)
        assert result.tested > 50
        for m in METHODS:
            assert 0.0 <= result.hit_rate[m] <= 1.0
            assert 0.0 <= result.recall[m] <= 1.0
    assert result.recall["resource_allocation"] > 2 * result.recall["random"]
    assert result.hit_rate["resource_allocation"] > result.hit_rate["most_active"]


def test_the_backtest_ranks_exactly_as_suggest_does_on_the_earlier_network() -> None:
    ds = generate_dataset(SIZES["small"], seed=2020)
    tl = Timeline(ds)
    checked = 0
    for u, name in enumerate(tl.orgs):
        own = tl.b.indices[tl.b.indptr[u] : tl.b.indptr[u + 1]]
        if len(set(tl.start[own].tolist())) < 2:
            continue
        t = int(tl.start[own].max())
        cut = int(np.searchsorted(tl.start, t))
        earlier = {
            p.acronym for p in ds.projects if p.start and date_bounds(p.start)[0].toordinal() < t
        }
        before = replace(
            ds,
            projects=tuple(p for p in ds.projects if p.acronym in earlier),
            participations=tuple(a for a in ds.participations if a.project in earlier),
        )
        expected = [s.name for s in SuggestionIndex.from_dataset(before).suggest(org_id(name))]
        members = tl.bt[own[own < cut]].indices
        partners = np.setdiff1d(members, [u]).astype(np.int64)
        if len(partners) == 0:
            continue
        pool = np.diff(tl.b[:, :cut].tocsr().indptr) > 0
        pool[partners] = False
        pool[u] = False
        assert [tl.orgs[i] for i in tl.suggested(partners, cut, pool).tolist()] == expected
        checked += 1
        if checked == 25:
            break
    assert checked == 25
