"""Spells: an organisation, or a projection link, is on Gephi's timeline only while one of
its projects runs (``<spells>`` in the GEXF, several intervals in the CSV ``timeset``)."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from itertools import pairwise

import networkx as nx
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from defus_graph.export import export_bytes, gexf_bytes
from defus_graph.export._table import Interval, merged_intervals
from defus_graph.graph.bipartite import graph_from_dataset, org_id, organisation_projection
from defus_graph.model import Dataset, Organisation, Participation, Project
from tests.export_graphs import assert_valid_gexf, read_gexf

NS = {"g": "http://gexf.net/1.3"}
_FIRST = dt.date(2010, 1, 1).toordinal()


def _days(i: Interval) -> set[int]:
    assert i.start is not None and i.end is not None
    return set(range(i.start.toordinal(), i.end.toordinal() + 1))


_intervals = st.lists(
    st.tuples(st.integers(0, 400), st.integers(0, 60)).map(
        lambda t: Interval(
            dt.date.fromordinal(_FIRST + t[0]), dt.date.fromordinal(_FIRST + t[0] + t[1])
        )
    ),
    min_size=1,
    max_size=12,
)


@settings(max_examples=300, deadline=None)
@given(intervals=_intervals)
def test_merged_intervals_are_disjoint_sorted_and_cover_exactly_the_union(
    intervals: list[Interval],
) -> None:
    merged = merged_intervals(intervals)
    union = set().union(*map(_days, intervals))
    assert set().union(*map(_days, merged)) == union
    for a, b in pairwise(merged):
        assert a.end is not None and b.start is not None
        assert b.start > a.end + dt.timedelta(days=1)  # a gap of a whole day at least
    # Every merged interval starts and ends where some project does.
    assert {m.start for m in merged} <= {i.start for i in intervals}
    assert {m.end for m in merged} <= {i.end for i in intervals}


def test_open_bounds_reach_everything_before_or_after() -> None:
    d = dt.date
    merged = merged_intervals(
        [
            Interval(d(2014, 1, 1), d(2014, 12, 31)),
            Interval(None, d(2012, 12, 31)),
            Interval(d(2019, 1, 1), None),
            Interval(d(2020, 1, 1), d(2020, 12, 31)),
        ]
    )
    assert merged == (
        Interval(None, d(2012, 12, 31)),
        Interval(d(2014, 1, 1), d(2014, 12, 31)),
        Interval(d(2019, 1, 1), None),
    )
    assert merged_intervals([Interval(d(2014, 1, 1), d(2014, 1, 31)), Interval()]) == (Interval(),)


_years = st.integers(2010, 2024)


@st.composite
def _datasets(draw: st.DrawFn) -> Dataset:
    n = draw(st.integers(1, 6))
    projects = []
    for i in range(n):
        start = draw(_years)
        end = start + draw(st.integers(0, 3))
        months = draw(st.booleans())
        projects.append(
            Project(
                f"P{i}",
                start=f"{start}-0{draw(st.integers(1, 9))}" if months else str(start),
                end=str(end),
            )
        )
    orgs = ["Genk", "Düsseldorf", "L'Aquila <&>"]
    pairs = draw(
        st.lists(
            st.tuples(st.sampled_from(range(n)), st.sampled_from(orgs)), min_size=1, unique=True
        )
    )
    return Dataset(
        projects=tuple(projects),
        organisations=tuple(Organisation(o, "city") for o in orgs),
        participations=tuple(Participation(f"P{p}", o, "partner") for p, o in pairs),
    )


def _timeline(element: etree._Element) -> list[tuple[str, str]]:
    """A node's or edge's intervals as written: its spells, else its start and end."""
    spells = element.findall("g:spells/g:spell", NS)
    if spells:
        return [(s.get("start", ""), s.get("end", "")) for s in spells]
    return [(element.get("start", ""), element.get("end", ""))]


def _expected(projects: list[Project]) -> list[tuple[str, str]]:
    from defus_graph.model import date_bounds

    merged = merged_intervals(
        [Interval(date_bounds(p.start)[0], date_bounds(p.end)[1]) for p in projects]
    )
    return [(str(m.start), str(m.end)) for m in merged]


@settings(max_examples=60, deadline=None)
@given(ds=_datasets())
def test_organisations_and_links_are_on_the_timeline_while_a_project_runs(ds: Dataset) -> None:
    by_name = {p.acronym: p for p in ds.projects}
    projects_of: dict[str, list[Project]] = {}
    for part in ds.participations:
        projects_of.setdefault(part.organisation, []).append(by_name[part.project])
    g = graph_from_dataset(ds)
    proj = organisation_projection(g)
    for graph in (g, proj):
        data = gexf_bytes(graph)
        assert_valid_gexf(data)
        doc = etree.fromstring(data)
        nodes = {n.get("id"): n for n in doc.iterfind("g:graph/g:nodes/g:node", NS)}
        for name, mine in projects_of.items():
            node = nodes[org_id(name)]
            timeline = _timeline(node)
            assert timeline == _expected(mine)
            # One interval: the start and end attributes, as before spells existed.
            assert (len(timeline) == 1) == (node.find("g:spells", NS) is None)
        back = read_gexf(data)  # networkx reads spells back as (start, end) pairs
        for name, mine in projects_of.items():
            expected = _expected(mine)
            got = back.nodes[org_id(name)]
            if len(expected) > 1:
                assert got["spells"] == expected
                assert "start" not in got and "end" not in got
            else:
                assert (got.get("start"), got.get("end")) == expected[0]
    # A link of the organisation network: while one of the projects its ends share runs.
    doc = etree.fromstring(gexf_bytes(proj))
    for edge in doc.iterfind("g:graph/g:edges/g:edge", NS):
        a, b = edge.get("source", "")[4:], edge.get("target", "")[4:]
        shared = [p for p in projects_of[a] if p in projects_of[b]]
        assert _timeline(edge) == _expected(shared)


def _gap_graph() -> nx.Graph:
    ds = Dataset(
        projects=(
            Project("OLD", start="2014", end="2015-06"),
            Project("NEW", start="2019-01", end="2020"),
        ),
        organisations=(Organisation("Genk", "city"), Organisation("Liège", "city")),
        participations=tuple(
            Participation(p, o, "partner") for p in ("OLD", "NEW") for o in ("Genk", "Liège")
        ),
    )
    return graph_from_dataset(ds)


def test_spells_in_the_gexf_as_the_schema_has_them() -> None:
    g = _gap_graph()
    for graph in (g, organisation_projection(g)):
        data = gexf_bytes(graph)
        assert_valid_gexf(data)
        text = data.decode()
        assert '<node id="org:Genk" label="Genk">' in text  # no start or end beside spells
        assert (
            '<spells><spell start="2014-01-01" end="2015-06-30"/>'
            '<spell start="2019-01-01" end="2020-12-31"/></spells>'
        ) in text
    (edge,) = etree.fromstring(gexf_bytes(organisation_projection(g))).iterfind(".//g:edge", NS)
    assert edge.get("start") is None and edge.get("end") is None
    assert _timeline(edge) == [("2014-01-01", "2015-06-30"), ("2019-01-01", "2020-12-31")]


def test_csv_timeset_has_one_interval_per_spell() -> None:
    g = _gap_graph()
    with zipfile.ZipFile(io.BytesIO(export_bytes(organisation_projection(g), "csv"))) as z:
        names = z.namelist()
        tables = {n: z.read(n).decode() for n in names}
    both = "<[2014-01-01, 2015-06-30]; [2019-01-01, 2020-12-31]>"
    assert all(both in text for text in tables.values()), tables
