"""Member lists: read with care, matched exactly, reported, kept as a fifth table."""

from __future__ import annotations

import csv
import io
import json
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from defus_graph.analysis.membership import member_overview
from defus_graph.cli import main
from defus_graph.errors import DataError
from defus_graph.graph.bipartite import graph_from_dataset, org_id
from defus_graph.graph.views import Filters, filter_graph
from defus_graph.model import Alias, Dataset, Member, Organisation, Participation, Project
from defus_graph.names.duplicates import merge_organisations
from defus_graph.names.members import match_members, with_members
from defus_graph.names.resolve import Resolver
from defus_graph.sources.members import member_list
from defus_graph.store.tables import FILES, load_dataset, save_dataset, validate_directory

from .conftest import DATA

LIST = (
    "Mitglied;Art;Land;Mitglied seit\n"
    "Augsburg;Stadt;Deutschland;2015\n"  # line 2: by name
    "city of rotterdam;;NL;03/2012\n"  # line 3: not a name or alias: unmatched
    "EFUS;Netzwerk;FR;01.01.1987\n"  # line 4: by name, another case
    "Nowhere Town;city;DE;\n"  # line 5: unmatched
)


def _add(data: Path, path: Path, *more: str) -> int:
    return main(["--data", str(data), "members", "--add", str(path), *more])


@pytest.fixture
def members_file(tmp_path: Path) -> Path:
    path = tmp_path / "mitglieder.csv"
    path.write_bytes(LIST.encode("cp1252"))  # as Excel saves it on German Windows
    return path


def test_a_member_list_round_trips_through_the_data_folder_with_a_report(
    data_copy: Path, members_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = {name: (data_copy / name).read_bytes() for name in FILES}
    assert _add(data_copy, members_file, "--json") == 0
    report = json.loads(capsys.readouterr().out)
    assert report["written"] is True
    assert [(m["name"], m["organisation"], m["line"]) for m in report["matched"]] == [
        ("Augsburg", "Augsburg", 2),
        ("EFUS", "Efus", 4),
    ]
    assert [(u["name"], u["line"]) for u in report["unmatched"]] == [
        ("city of rotterdam", 3),
        ("Nowhere Town", 5),
    ]
    # The four tables are untouched: no organisation was made of an unmatched name.
    assert {name: (data_copy / name).read_bytes() for name in FILES} == before
    ds = load_dataset(data_copy)
    assert ds.members == (
        Member("Augsburg", "Augsburg", "city", "DE", "2015", "mitglieder.csv", 2),
        Member("city of rotterdam", "", "", "NL", "2012-03", "mitglieder.csv", 3),
        Member("EFUS", "Efus", "network", "FR", "1987-01-01", "mitglieder.csv", 4),
        Member("Nowhere Town", "", "city", "DE", "", "mitglieder.csv", 5),
    )
    # The snapshot carries them: a second load (from Parquet) gives the same.
    assert load_dataset(data_copy) == ds
    assert validate_directory(data_copy) == []
    assert main(["validate", str(data_copy), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["members"] == 4


def test_the_report_in_words_names_each_unmatched_line(
    data_copy: Path, members_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _add(data_copy, members_file) == 0
    out = capsys.readouterr().out
    assert "4 members read: 2 matched an organisation exactly, 2 matched none." in out
    assert 'mitglieder.csv, line 3: "city of rotterdam".' in out
    assert 'mitglieder.csv, line 5: "Nowhere Town".' in out
    assert "kept as members without projects" in out


def test_an_alias_matches_and_the_report_says_by_which(tmp_path: Path) -> None:
    ds = Dataset(
        organisations=(Organisation("Düsseldorf", "city", "DE"),),
        aliases=(Alias("Landeshauptstadt Düsseldorf", "Düsseldorf"),),
    )
    listed = member_list(b"Name\nlandeshauptstadt dusseldorf\nDusseldorff\n", "m.csv").members
    report = match_members(listed, ds)
    assert [m.organisation for m in report.members] == ["Düsseldorf", ""]
    assert report.matched[0][1] == 'alias "Landeshauptstadt Düsseldorf"'
    # A near miss is offered, never taken.
    assert report.unmatched[0][1] == ("Düsseldorf",)


def test_disagreements_and_repeats_are_reported_not_merged() -> None:
    ds = Dataset(organisations=(Organisation("Genk", "city", "BE"),))
    listed = member_list(b"name,country,kind\nGenk,NL,city\nGENK,,\n", "m.csv").members
    report = match_members(listed, ds)
    assert len(report.members) == 2  # both lines kept
    assert any("line 2" in n and "country NL" in n and "network BE" in n for n in report.notes)
    assert any("line 3" in n and 'as is "Genk" on line 2' in n for n in report.notes)


def test_a_dry_run_reports_and_writes_nothing(
    data_copy: Path, members_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _add(data_copy, members_file, "--dry-run", "--json") == 0
    assert json.loads(capsys.readouterr().out)["written"] is False
    assert not (data_copy / "members.csv").exists()


def test_adding_a_list_again_replaces_its_lines_only(
    data_copy: Path, members_file: Path, tmp_path: Path
) -> None:
    other = tmp_path / "more.csv"
    other.write_text("Name\nLeuven\n", encoding="utf-8")
    assert _add(data_copy, members_file) == 0
    assert _add(data_copy, other) == 0
    members_file.write_text("Name\nGenk\n", encoding="utf-8")
    assert _add(data_copy, members_file) == 0
    assert [(m.name, m.source) for m in load_dataset(data_copy).members] == [
        ("Leuven", "more.csv"),
        ("Genk", "mitglieder.csv"),
    ]


def test_an_xlsx_member_list_keeps_its_sheet_and_row(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Mitglieder"
    sheet.append(["Organisation", "Member since"])
    sheet.append(["Augsburg", 2015])
    sheet.append([None, None])
    sheet.append(["Efus", "März 2001"])
    buffer = io.BytesIO()
    book.save(buffer)
    found = member_list(buffer.getvalue(), "m.xlsx").members
    assert [(m.name, m.since, m.source, m.line) for m in found] == [
        ("Augsburg", "2015", "m.xlsx[Mitglieder]", 2),
        ("Efus", "2001-03", "m.xlsx[Mitglieder]", 4),
    ]


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("Name;Art\nAugsburg;Schloss\n", r'line 2, column "Art".*"Schloss".*no kind'),
        ("Name;Land\nAugsburg;Atlantis\n", r'line 2, column "Land".*"Atlantis".*no country'),
        ("Name;seit\nAugsburg;13/2015\n", r'line 2, column "seit".*"13/2015".*no date'),
        ("Name;Land\n;DE\n", r'line 2, column "Name".*is empty'),
        ("Name\nAug\x07sburg\n", r"line 2.*control character"),
        ("Projekt;Land\nX;DE\n", r"line 1.*name.*column is missing"),
        ("Name;Mitglied\nA;B\n", r'line 1, column "Mitglied".*means the same'),
        ("Name\n", r"lists no member"),
    ],
)
def test_a_bad_cell_is_located_and_nothing_is_written(
    text: str, where: str, data_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(DataError, match=where):
        member_list(text.encode(), "m.csv")
    path = tmp_path / "m.csv"
    path.write_text(text, encoding="utf-8")
    assert _add(data_copy, path) == 1
    assert "Traceback" not in capsys.readouterr().err
    assert not (data_copy / "members.csv").exists()


def test_every_problem_is_told_at_once() -> None:
    with pytest.raises(DataError) as err:
        member_list(b"Name;Land\nA;Atlantis\n;DE\nB;Mars\n", "m.csv")
    assert [p.line for p in err.value.problems] == [2, 3, 4]


@pytest.mark.parametrize(
    ("row", "where"),
    [
        ("Genk,Nowhere,,,,m.csv,2", r'line 2, column "organisation".*"Nowhere".*no known'),
        ("Genk,Genk,castle,,,m.csv,2", r'line 2, column "kind".*"castle"'),
        ("Genk,Genk,,UK,,m.csv,2", r'line 2, column "country".*"UK"'),
        ("Genk,Genk,,,2015-13,m.csv,2", r'line 2, column "since".*"2015-13"'),
        (",Genk,,,,m.csv,2", r'line 2, column "name".*is empty'),
    ],
)
def test_members_csv_edited_by_hand_is_checked_on_load(
    row: str, where: str, data_copy: Path
) -> None:
    (data_copy / "members.csv").write_text(
        "name,organisation,kind,country,since,source,line\n" + row + "\n", encoding="utf-8"
    )
    with pytest.raises(DataError, match=where):
        load_dataset(data_copy)


def test_without_a_member_list_nothing_changes(data_copy: Path, tmp_path: Path) -> None:
    ds = load_dataset(data_copy)
    assert ds.members == ()
    assert "member" not in {k for _, d in graph_from_dataset(ds).nodes(data=True) for k in d}
    save_dataset(ds, tmp_path / "out", check=True)
    written = {p.name for p in (tmp_path / "out").iterdir() if p.is_file()}
    assert written - {".lock"} == set(FILES)  # no members.csv
    for name in FILES:
        assert (tmp_path / "out" / name).read_bytes() == (DATA / name).read_bytes()


def test_a_member_list_emptied_is_written_empty_not_left_behind(data_copy: Path) -> None:
    ds = load_dataset(data_copy)
    save_dataset(replace(ds, members=(Member("Genk", "Genk"),)), data_copy, check=True)
    assert load_dataset(data_copy).members
    save_dataset(ds, data_copy, check=True)
    assert load_dataset(data_copy).members == ()


def test_ingest_and_merge_keep_the_members(data_copy: Path, tmp_path: Path) -> None:
    ds = load_dataset(data_copy)
    with_list = replace(ds, members=(Member("Stadt Genk", "Genk", line=2),))
    save_dataset(with_list, data_copy, check=True)
    seed = Path(__file__).parent / "data" / "defus_projekte.txt"
    assert main(["ingest", str(seed), "--out", str(data_copy)]) == 0
    assert load_dataset(data_copy).members == with_list.members
    genk_projects = {pa.project for pa in ds.participations if pa.organisation == "Genk"}
    other = next(
        o.name
        for o in ds.organisations
        if o.country in ("BE", "")
        and o.name != "Genk"
        and not genk_projects
        & {pa.project for pa in ds.participations if pa.organisation == o.name}
    )
    merged = merge_organisations(load_dataset(data_copy), other, "Genk")
    assert merged.members == (Member("Stadt Genk", other, line=2),)


def _small() -> Dataset:
    return Dataset(
        projects=(Project("P"), Project("Q")),
        organisations=tuple(Organisation(n, "city") for n in "ABCD"),
        participations=(
            Participation("P", "A", "partner"),
            Participation("P", "B", "partner"),
            Participation("Q", "B", "partner"),
            Participation("Q", "C", "partner"),
        ),
        members=(Member("A", "A", line=2), Member("D", "D", line=3), Member("X", line=4)),
    )


def test_the_overview_lists_members_idle_members_and_whom_to_invite() -> None:
    o = member_overview(_small())
    assert [(a.organisation, a.projects) for a in o.active] == [("A", ("P",))]
    assert [(i.organisation, i.listed[0].name) for i in o.idle] == [("D", "D"), ("", "X")]
    assert [(c.organisation, c.projects, c.members) for c in o.candidates] == [
        ("B", ("P",), ("A",))
    ]


def test_members_are_marked_in_the_graph_and_filtered(capsys: pytest.CaptureFixture[str]) -> None:
    g = graph_from_dataset(_small())
    assert g.nodes[org_id("A")]["member"] is True and g.nodes[org_id("B")]["member"] is False
    assert "member" not in g.nodes["project:P"]
    kept = filter_graph(g, Filters(members_only=True))
    assert sorted(kept) == ["org:A", "project:P"]


def test_members_cli_lists_the_three_lists(
    data_copy: Path, members_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--data", str(data_copy), "members", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["members"] == 0
    assert _add(data_copy, members_file) == 0
    capsys.readouterr()
    assert main(["--data", str(data_copy), "members", "--json", "--top", "3"]) == 0
    out = json.loads(capsys.readouterr().out)
    active = {a["organisation"]: a for a in out["members_with_projects"]}
    assert set(active) == {"Augsburg", "Efus"}
    assert active["Augsburg"]["projects"] == ["LouD", "Solidify"]
    assert active["Augsburg"]["listed"] == [
        {"name": "Augsburg", "source": "mitglieder.csv", "line": 2}
    ]
    idle = out["members_without_projects"]
    assert [(i["organisation"], i["listed"][0]["line"]) for i in idle] == [(None, 3), (None, 5)]
    invite = out["non_members_with_members"]
    assert len(invite) == 3
    assert not {c["organisation"] for c in invite} & {"Augsburg", "Efus"}
    counts = [c["projects_with_members"] for c in invite]
    assert counts == sorted(counts, reverse=True)


# Property: whatever names a list holds, each line is kept once with its line,
# matched exactly when the resolver knows the name, and nothing else changes.

_ORGS = ("Düsseldorf", "Genk", "Université de Toulouse", "'s-Hertogenbosch")
_ALIASES = (Alias("Stadt Düsseldorf", "Düsseldorf"), Alias("UT", "Université de Toulouse"))
_HOSTILE = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=20
).filter(lambda t: t.strip() == t)
_VARIANT = st.sampled_from([*_ORGS, *(a.alias for a in _ALIASES)]).flatmap(
    lambda n: st.sampled_from([n, n.upper(), n.lower(), f"  {n} "])
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(names=st.lists(st.one_of(_VARIANT, _HOSTILE), min_size=1, max_size=12))
def test_any_member_list_is_kept_line_by_line_and_matched_exactly(
    names: list[str], tmp_path_factory: pytest.TempPathFactory
) -> None:
    ds = Dataset(organisations=tuple(Organisation(n) for n in _ORGS), aliases=_ALIASES)
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=";", lineterminator="\n").writerows([["Name", "Land"]])
    csv.writer(buffer, delimiter=";", lineterminator="\n").writerows([[n, ""] for n in names])
    listed = member_list(buffer.getvalue().encode(), "m.csv").members
    assert [(m.name, m.line) for m in listed] == [(n.strip(), i) for i, n in enumerate(names, 2)]
    report = match_members(listed, ds)
    resolver = Resolver(ds.organisations, ds.aliases)
    assert [m.organisation for m in report.members] == [
        resolver.resolve(n) or "" for n in (m.name for m in listed)
    ]
    assert len(report.matched) + len(report.unmatched) == len(names)
    merged = with_members(ds, report.members, "m.csv")
    assert merged.organisations == ds.organisations and merged.aliases == ds.aliases
    folder = tmp_path_factory.mktemp("members")
    save_dataset(merged, folder, check=True)
    assert load_dataset(folder).members == report.members
    o = member_overview(merged)
    assert sum(len(i.listed) for i in o.idle) == len(names)  # no projects: all idle
    shutil.rmtree(folder)


@settings(max_examples=80, deadline=None)
@given(
    pairs=st.sets(st.tuples(st.sampled_from("PQRS"), st.sampled_from("ABCDEFG")), max_size=20),
    listed=st.lists(st.sampled_from([*"ABCDEFG", ""]), max_size=8),
)
def test_every_member_is_listed_once_and_no_member_is_to_be_invited(
    pairs: set[tuple[str, str]], listed: list[str]
) -> None:
    from defus_graph.analysis.membership import overview_of_pairs

    members = [Member(f"name {i}", org, line=i) for i, org in enumerate(listed, 2)]
    o = overview_of_pairs(sorted(pairs), members, top=100)
    shown = [m for a in o.active for m in a.listed] + [m for i in o.idle for m in i.listed]
    assert sorted(shown, key=lambda m: m.line) == members
    in_projects = {org for _, org in pairs}
    assert {a.organisation for a in o.active} == set(listed) & in_projects - {""}
    member_orgs = set(listed) - {""}
    expected = {
        org
        for p, org in pairs
        if org not in member_orgs and any((p, m) in pairs for m in member_orgs)
    }
    assert {c.organisation for c in o.candidates} == expected
    for c in o.candidates:
        assert all((p, c.organisation) in pairs for p in c.projects)
        assert all(any((p, m) in pairs for p in c.projects) for m in c.members)


def test_a_member_list_given_to_ingest_is_refused_with_the_way_in(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "mitglieder.csv"
    path.write_text("Mitglied;Land\nAugsburg;DE\n", encoding="utf-8")
    assert main(["ingest", str(path), "--out", str(tmp_path / "out")]) == 1
    assert "defus-graph members --add FILE" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("args", "status", "says"),
    [
        (["members", "--dry-run"], 2, "--dry-run goes with --add"),
        (["members", "--top", "0"], 2, "--top"),
        (["members", "--add", "no-such-list.csv"], 1, "no-such-list.csv: cannot be read"),
    ],
)
def test_mistakes_get_a_message_and_their_status(
    args: list[str],
    status: int,
    says: str,
    data_copy: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as exit_:
        raise SystemExit(main(["--data", str(data_copy), *args]))
    assert exit_.value.code == status  # 2: the arguments, 1: the data
    err = capsys.readouterr().err
    assert says in err and "Traceback" not in err
    assert not (data_copy / "members.csv").exists()
