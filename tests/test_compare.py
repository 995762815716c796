"""Two periods compared: pinned by hand on the bundled data, checked against the filters,
and against the spells Gephi's timeline reads from the dynamic GEXF."""

from __future__ import annotations

import datetime as dt
import json
import string
import xml.etree.ElementTree as ET
from itertools import combinations
from pathlib import Path

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from defus_graph.analysis.compare import (
    Period,
    PeriodError,
    compare_periods,
    comparison_graph,
    parse_period,
)
from defus_graph.cli import main
from defus_graph.export import write_export
from defus_graph.graph.bipartite import graph_from_dataset, org_id, organisation_projection
from defus_graph.graph.views import Filters, filter_graph
from defus_graph.model import Dataset, Organisation, Participation, Project

#: Read by hand from data/projects.csv and data/participations.csv: MATCH-SPORT (2019-01 to
#: 2020-12) is the only project starting in 2019 or later, and these take part in nothing else.
ONLY_FROM_2019 = (
    "Charleroi",
    "Europäische Sport Akademie Brandenburg",
    "Lisbon",
    "Liège",
    "Maranello",
    "Ministerio da Administraçao Interna",
    "Nea Propontida",
    "Regione Emilia Romagna",
    "UISP Regionale",
    "Valence",
)
UNDATED = ("BRIDGE", "LouD", "PACTESUR", "PUFII")


def test_organisations_only_in_projects_started_from_2019_joined(dataset: Dataset) -> None:
    c = compare_periods(dataset, Period(2014, 2018), Period(2019, 2021))
    assert c.joined == ONLY_FROM_2019
    assert c.left == ()  # every project running up to 2018 still runs in 2019
    assert c.first.projects == ("CCI", "Medi@4Sec", "PRACTICIES", "PREPARE", "PROTECT",
                                "SiBa", "Solidify")  # fmt: skip
    assert c.second.projects == tuple(sorted((*c.first.projects, "MATCH-SPORT"), key=str.casefold))
    assert c.undated == UNDATED
    # Links gained: the pairs within MATCH-SPORT's consortium (Efus is in the first period too).
    match_sport = sorted((*ONLY_FROM_2019, "Efus"))
    assert set(c.links_gained) == set(combinations(match_sport, 2))
    assert c.links_lost == ()
    # Funding: MATCH-SPORT's €399,144.00 (a project total) is what the second period adds.
    assert c.second.funding_total_eur - c.first.funding_total_eur == pytest.approx(399144.00)
    assert c.first.funding_shares_eur == c.second.funding_shares_eur == pytest.approx(
        121000.00 + 265155.00 + 230347.00 + 86236.65
    )  # fmt: skip


def test_who_left_after_2019(dataset: Dataset) -> None:
    c = compare_periods(dataset, Period(2014, 2019), Period(2020, 2021))
    # Solidify (2018-2019), PREPARE (2017-10 to 2019-09), PRACTICIES (2016-07 to 2019-06) ended.
    # Augsburg is also in LouD, which has no dates, so it is in neither period through LouD.
    assert c.left == (
        "Augsburg", "Avignon", "Bagnolet", "Denkzeit", "Essen",
        "European Forum for Restorative Justice", "Fondation Agir Contre l’Exclusion",
        "Fryshuset", "Generalitat de Catalunya", "Malaga", "Mannheim", "Rotterdam",
        "Sarcelles", "The Hague", "University of Warwick", "Vilvoorde",
        "Violence Prevention Network",
    )  # fmt: skip
    assert c.joined == ()
    assert ("Efus", "University of Salford") in c.links_lasting
    assert ("Avignon", "Efus") in c.links_lost
    efus = next(x for x in c.centrality if x.name == "Efus")
    # Efus works with everyone of both periods but DEFUS, alone in SiBa (2017-2020):
    # 30 of the 31 others up to 2019, 13 of the 14 others after.
    assert (efus.partners_first, efus.partners_second) == (30, 13)
    assert (efus.centrality_first, efus.centrality_second) == (30 / 31, 13 / 14)
    # The largest changes come first; Avignon drops from 13 partners of 31 to none.
    avignon = next(x for x in c.centrality if x.name == "Avignon")
    assert avignon.change == pytest.approx(-13 / 31)
    assert abs(c.centrality[0].change) == max(abs(x.change) for x in c.centrality)


_names = st.text(string.ascii_letters + "äü' -", min_size=1, max_size=6)
_years = st.integers(2010, 2024)


@st.composite
def dated_datasets(draw: st.DrawFn) -> Dataset:
    acronyms = draw(st.lists(_names, min_size=1, max_size=8, unique=True))
    orgs = draw(st.lists(_names, min_size=1, max_size=10, unique=True))
    projects = []
    for a in acronyms:
        dated = draw(st.sampled_from(["both", "start", "end", "none"]))
        first = draw(_years)
        last = first + draw(st.integers(0, 4))
        projects.append(
            Project(
                a,
                start=str(first) if dated in ("both", "start") else "",
                end=f"{last}-0{draw(st.integers(1, 9))}" if dated in ("both", "end") else "",
            )
        )
    pairs = draw(st.lists(st.tuples(st.sampled_from(acronyms), st.sampled_from(orgs)), unique=True))
    return Dataset(
        projects=tuple(projects),
        organisations=tuple(Organisation(o) for o in orgs),
        participations=tuple(Participation(p, o, "partner") for p, o in pairs),
    )


@st.composite
def periods(draw: st.DrawFn) -> Period:
    first = draw(_years)
    return Period(first, first + draw(st.integers(0, 5)))


@settings(max_examples=150, deadline=None)
@given(dated_datasets(), periods(), periods())
def test_compare_agrees_with_the_dashboards_year_filter(ds: Dataset, a: Period, b: Period) -> None:
    g = graph_from_dataset(ds)

    def period_network(p: Period) -> tuple[set[str], set[frozenset[str]]]:
        kept = filter_graph(g, Filters(years=(p.first, p.last)))
        proj = organisation_projection(kept)
        return {kept.nodes[n]["label"] for n in proj}, {
            frozenset(kept.nodes[n]["label"] for n in e) for e in proj.edges
        }

    orgs_a, links_a = period_network(a)
    orgs_b, links_b = period_network(b)
    c = compare_periods(ds, a, b)
    assert set(c.joined) == orgs_b - orgs_a
    assert set(c.left) == orgs_a - orgs_b
    assert set(c.stayed) == orgs_a & orgs_b
    assert {frozenset(p) for p in c.links_gained} == links_b - links_a
    assert {frozenset(p) for p in c.links_lost} == links_a - links_b
    assert {frozenset(p) for p in c.links_lasting} == links_a & links_b
    assert (c.first.organisations, c.second.organisations) == (len(orgs_a), len(orgs_b))
    proj_b = organisation_projection(filter_graph(g, Filters(years=(b.first, b.last))))
    centrality = nx.degree_centrality(proj_b) if len(proj_b) > 1 else {}
    for x in c.centrality:
        assert x.centrality_second == pytest.approx(centrality.get(org_id(x.name), 0.0))
    graph = comparison_graph(c)
    assert graph.number_of_nodes() == len(orgs_a | orgs_b)
    assert graph.number_of_edges() == len(links_a | links_b)


def _spells(path: Path) -> tuple[dict[str, tuple[str, str]], list[tuple[str, str, str, str]]]:
    """Node spells by id, and (source, target, start, end) of edges, from a GEXF file."""
    ns = {"g": "http://gexf.net/1.3"}
    root = ET.parse(path).getroot()
    nodes = {
        n.get("id", ""): (n.get("start", ""), n.get("end", ""))
        for n in root.iterfind(".//g:node", ns)
    }
    edges = [
        (e.get("source", ""), e.get("target", ""), e.get("start", ""), e.get("end", ""))
        for e in root.iterfind(".//g:edge", ns)
    ]
    return nodes, edges


def _overlaps(start: str, end: str, p: Period) -> bool:
    return dt.date.fromisoformat(start).year <= p.last and dt.date.fromisoformat(end).year >= (
        p.first
    )


@pytest.mark.parametrize(
    ("a", "b"), [(Period(2014, 2017), Period(2018, 2021)), (Period(2014, 2019), Period(2020, 2021))]
)
def test_gephis_timeline_tells_the_same_story(
    dataset: Dataset, graph: nx.Graph, tmp_path: Path, a: Period, b: Period
) -> None:
    """Projects and organisations are in a period on the dynamic GEXF's timeline exactly when
    compare says so; the undated (no spell, so always shown in Gephi) are in neither."""
    (path,) = write_export(graph, "gexf", tmp_path / "net.gexf")
    nodes, edges = _spells(path)
    c = compare_periods(dataset, a, b)
    for summary, orgs in ((c.first, {*c.stayed, *c.left}), (c.second, {*c.stayed, *c.joined})):
        p = summary.period
        on_timeline = {
            n.split(":", 1)[1]
            for n, (start, end) in nodes.items()
            if n.startswith("project:") and start and end and _overlaps(start, end, p)
        }
        assert on_timeline == set(summary.projects)
        # An organisation is there when one of its (dated) participations is.
        active = {t.split(":", 1)[1] for _, t, s, e in edges if s and e and _overlaps(s, e, p)}
        assert active == orgs
        # Its node's spell covers every period it is in (or is open: some project undated).
        for name in orgs:
            start, end = nodes[org_id(name)]
            assert not (start and end) or _overlaps(start, end, p)
    undated = {
        n.split(":", 1)[1] for n, s in nodes.items() if n.startswith("project:") and s == ("", "")
    }
    assert undated == set(c.undated)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2017-2014", "ends before it starts"),
        ("2014-17", "is not a period"),
        ("last year", "is not a period"),
        ("", "is not a period"),
    ],
)
def test_malformed_periods_are_refused(text: str, message: str) -> None:
    with pytest.raises(PeriodError, match=message):
        parse_period(text)


@pytest.mark.parametrize("text", ["2014-2017", "2014 - 2017", "2014–2017"])
def test_periods_as_users_write_them(text: str) -> None:
    assert parse_period(text) == Period(2014, 2017)
    assert parse_period("2019") == Period(2019, 2019)


def test_cli_compare_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["compare", "2014-2018", "2019-2021", "--json"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert found["joined"] == list(ONLY_FROM_2019)
    assert found["undated_projects"] == list(UNDATED)
    assert found["first"]["period"] == "2014-2018"
    assert found["second"]["n_projects"] == 8
    assert "degree centrality" in found["centrality"]


def test_cli_compare_text_says_what_counts(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["compare", "2014-2018", "2019-2021", "--top", "3"]) == 0
    out = capsys.readouterr().out
    assert "runs at some time in it" in out
    assert (
        "Projects with no dates are in neither period (4): BRIDGE, LouD, PACTESUR and 1 more" in out
    )
    assert "Organisations that joined (10):\n  Charleroi\n" in out
    assert "… and 7 more" in out
    assert "Organisations that left (0): none" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["2018-2014", "2019"], "ends before it starts"),
        (["2014-2018", "soon"], '"soon" is not a period'),
        (["2014", "2019", "--top", "0"], "--top: must be 1 or more"),
    ],
)
def test_cli_compare_refuses_bad_periods(
    capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    # A period that cannot be read is a mistake in the command line: argparse's status 2.
    with pytest.raises(SystemExit) as stop:
        main(["compare", *args])
    assert stop.value.code == 2
    captured = capsys.readouterr()
    assert message in captured.err
    assert "Traceback" not in captured.err
    assert captured.out == ""


def test_a_name_with_controls_never_reaches_the_terminal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A data folder whose name holds an escape sequence is refused, and the problem is escaped."""
    from defus_graph.store.tables import save_dataset

    ds = Dataset(
        projects=(Project("A", start="2019", end="2020"),),
        organisations=(Organisation("Essen\x1b[31m"), Organisation("Köln")),
        participations=(Participation("A", "Essen\x1b[31m", "partner"),
                        Participation("A", "Köln", "partner")),
    )  # fmt: skip
    save_dataset(ds, tmp_path, check=False)
    assert main(["--data", str(tmp_path), "compare", "2014", "2019"]) == 1
    captured = capsys.readouterr()
    assert "\x1b" not in captured.out + captured.err
    assert "organisations.csv, line 2" in captured.err
    assert "Essen\\x1b[31m" in captured.err


def _gaps() -> Dataset:
    """Organisations whose projects leave years between them."""
    return Dataset(
        projects=(
            Project("OLD", start="2014", end="2015-06"),
            Project("MID", start="2017-03", end="2017-12"),
            Project("NEW", start="2020-01", end="2021"),
        ),
        organisations=tuple(Organisation(o, "city") for o in ("Genk", "Liège", "Gent")),
        participations=(
            Participation("OLD", "Genk", "partner"),
            Participation("NEW", "Genk", "partner"),
            Participation("OLD", "Liège", "partner"),
            Participation("MID", "Liège", "partner"),
            Participation("NEW", "Liège", "partner"),
            Participation("MID", "Gent", "partner"),
        ),
    )


def _org_timelines(path: Path) -> dict[str, list[tuple[str, str]]]:
    """Each organisation node's intervals in a GEXF file: its spells, else start and end."""
    ns = {"g": "http://gexf.net/1.3"}
    out = {}
    for n in ET.parse(path).getroot().iterfind(".//g:node", ns):
        if n.get("id", "").startswith("org:"):
            spells = n.findall("g:spells/g:spell", ns)
            out[n.get("id", "")[4:]] = [
                (s.get("start", ""), s.get("end", "")) for s in spells or [n]
            ]
    return out


@pytest.mark.parametrize("bundled", [True, False])
@pytest.mark.parametrize(
    ("a", "b"), [(Period(2014, 2017), Period(2018, 2021)), (Period(2016, 2019), Period(2020, 2021))]
)
@pytest.mark.parametrize("view", ["bipartite", "orgs"])
def test_organisation_spells_are_compares_presence(
    dataset: Dataset, tmp_path: Path, bundled: bool, a: Period, b: Period, view: str
) -> None:
    """Gephi shows an organisation in a period exactly when compare counts it there, except
    one with an undated project, which Gephi shows always (its spell is open)."""
    ds = dataset if bundled else _gaps()
    graph = graph_from_dataset(ds)
    if view == "orgs":
        graph = organisation_projection(graph)
    (path,) = write_export(graph, "gexf", tmp_path / "net.gexf")
    timelines = _org_timelines(path)
    dated = {p.acronym for p in ds.projects if p.start and p.end}
    always = {x.organisation for x in ds.participations if x.project not in dated}
    c = compare_periods(ds, a, b)
    for summary, orgs in ((c.first, {*c.stayed, *c.left}), (c.second, {*c.stayed, *c.joined})):
        p = summary.period
        shown = {
            name
            for name, spells in timelines.items()
            if any(not (s and e) or _overlaps(s, e, p) for s, e in spells)
        }
        assert shown - always == orgs - always
        assert all(timelines[name] == [("", "")] for name in always)
    if not bundled:  # the gaps are there: Genk is gone in 2016-2019, Liège has three spells
        assert len(timelines["Genk"]) == 2
        assert len(timelines["Liège"]) == 3
