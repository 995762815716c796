"""The listing of projects column by column (records.ProjectTable) says what the
records say, to the byte: from a dataset, from the snapshot, and after an edit."""

from __future__ import annotations

import argparse
import json
import random
import shutil
from pathlib import Path

import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from defus_graph import cli
from defus_graph._jsontext import indented_json
from defus_graph.analysis.queries import kept_shared_partners, shared_partners
from defus_graph.analysis.records import (
    ProjectTable,
    kept_organisation_detail,
    organisation_detail,
    project_records,
    project_table,
)
from defus_graph.analysis.suggest import SuggestionIndex, kept_suggestions
from defus_graph.cli import main
from defus_graph.graph.bipartite import graph_from_dataset
from defus_graph.model import Dataset, Organisation, Participation, Project
from defus_graph.store import snapshot
from defus_graph.store.snapshot import CACHE_DIR
from defus_graph.store.tables import load_dataset, save_dataset

from .test_store import _replace_in, datasets


@pytest.fixture(autouse=True)
def _own_user_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Snapshots these tests cannot keep beside their data go to a cache of their own."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))


# Text that JSON must escape or may pass through: quotes, backslashes, control
# characters, line separators, accents, a dash beyond Latin-1, an emoji; and
# names equal once case is dropped, so that ties in the members' order show.
_AWKWARD = ['"', "\\", "\x00", "\x1b", "\n", "\t", "\u2028", "ä", "Ä", "é", "–", "😀", "'"]
_text = st.lists(st.sampled_from([*_AWKWARD, "a", "A", "b", " ", "%s", "{}"]), max_size=6).map(
    "".join
)
_ROLES = ["coordinator", "partner", "participant", "", "observer", "Coordinator", "\\"]


@st.composite
def _datasets(draw: st.DrawFn) -> Dataset:
    names = draw(st.lists(_text, max_size=8, unique=True))
    acronyms = draw(st.lists(_text, max_size=8, unique=True))
    pairs = [(a, n) for a in acronyms for n in names]
    chosen = draw(st.lists(st.sampled_from(pairs), unique=True)) if pairs else []
    random.Random(draw(st.integers(0, 99))).shuffle(chosen)
    projects = tuple(
        Project(
            a,
            title=draw(_text),
            description=draw(_text),
            start=draw(st.sampled_from(["", "2019", "2017-10"])),
            end=draw(st.sampled_from(["", "2021-12-31"])),
            programme=draw(_text),
            funding_eur=draw(st.none() | st.floats() | st.integers(0, 10**12).map(float)),
            funding_scope=draw(st.sampled_from(["", "total", "partner_share"])),
            funding_share_of=draw(_text),
            section=draw(_text),
            source=draw(_text),
            line=draw(st.integers(0, 3)),
        )
        for a in acronyms
    )
    return Dataset(
        projects=projects,
        organisations=tuple(Organisation(n) for n in names),
        participations=tuple(Participation(a, n, draw(st.sampled_from(_ROLES))) for a, n in chosen),
    )


@settings(max_examples=300, deadline=None)
@given(ds=_datasets())
def test_the_table_writes_what_the_graph_s_records_say(ds: Dataset) -> None:
    expected = project_records(ds, graph_from_dataset(ds))  # the reference route
    table = ProjectTable.from_dataset(ds)
    assert table is not None
    text = table.json_text()
    assert text == json.dumps(expected, ensure_ascii=False, indent=2) == indented_json(expected)
    assert table.coordinators() == [r["coordinator"] for r in expected]
    assert table.member_counts() == [len(r["organisations"]) for r in expected]


def test_a_dataset_the_graph_repairs_has_no_table() -> None:
    twice = Dataset(
        projects=(Project("A"),),
        organisations=(Organisation("Genk"),),
        participations=(Participation("A", "Genk", "partner"),) * 2,
    )
    assert ProjectTable.from_dataset(twice) is None


def _cli_out(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    assert main(list(argv)) == 0
    return capsys.readouterr().out


def _records_out(capsys: pytest.CaptureFixture[str], records: list[dict[str, object]]) -> str:
    """What ``projects`` printed from the records before the table (the reference)."""
    for as_json in (False, True):
        cli._project_records_out(argparse.Namespace(json=as_json), records)
    return capsys.readouterr().out


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(ds=datasets())
def test_the_listing_from_the_snapshot_is_the_records_listing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], ds: Dataset
) -> None:
    target = tmp_path / "rt"
    save_dataset(ds, target, check=True)  # keeps the snapshot
    table = project_table(target)
    assert table is not None
    expected = ProjectTable.from_dataset(ds)
    assert expected is not None and table.json_text() == expected.json_text()
    out = _cli_out(capsys, "--data", str(target), "projects")
    out += _cli_out(capsys, "--data", str(target), "projects", "--json")
    assert out == _records_out(capsys, project_records(ds))


def test_an_edit_is_listed_and_a_snapshot_in_part_is_not_taken(
    data_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _cli_out(capsys, "--data", str(data_copy), "projects", "--json")
    assert project_table(data_copy) is not None  # the first command kept the snapshot
    _replace_in(data_copy / "participations.csv", "BRIDGE,Genk,partner", "BRIDGE,Genk,participant")
    assert project_table(data_copy) is None  # stale: the tables are read again
    after = _cli_out(capsys, "--data", str(data_copy), "projects", "--json")
    assert after != before and '"Genk": "participant"' in after
    assert after == indented_json(project_records(load_dataset(data_copy))) + "\n"
    assert project_table(data_copy) is not None  # kept again
    (data_copy / CACHE_DIR / "members.parquet").unlink()
    assert project_table(data_copy) is None


def test_a_column_in_several_chunks_keeps_each_row_s_text() -> None:
    chunks = [
        pa.array(["b", "a", "b"]).dictionary_encode(),
        pa.array(["c", "b"]).dictionary_encode(),
    ]
    coded = snapshot._coded(pa.chunked_array(chunks))
    assert [coded.texts[i] for i in coded.codes] == ["b", "a", "b", "c", "b"]


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(ds=datasets(), min_projects=st.integers(1, 3), kind=st.sampled_from([None, "city", "NGO"]))
def test_shared_partners_from_the_snapshot_are_the_graph_s(
    tmp_path: Path, ds: Dataset, min_projects: int, kind: str | None
) -> None:
    target = tmp_path / "rt"
    save_dataset(ds, target, check=True)  # keeps the snapshot
    expected = shared_partners(graph_from_dataset(ds), min_projects=min_projects, kind=kind)
    found = kept_shared_partners(target, min_projects=min_projects, kind=kind)
    assert found == expected


def test_shared_partners_of_an_edited_folder_are_read_again(data_copy: Path) -> None:
    shutil.rmtree(data_copy / CACHE_DIR, ignore_errors=True)  # as copied from the repository
    assert kept_shared_partners(data_copy) is None  # no snapshot yet
    load_dataset(data_copy)
    assert kept_shared_partners(data_copy) == shared_partners(
        graph_from_dataset(load_dataset(data_copy))
    )
    _replace_in(data_copy / "participations.csv", "BRIDGE,Genk,partner", "BRIDGE,Genk,participant")
    assert kept_shared_partners(data_copy) is None


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(ds=datasets(), which=st.integers(0, 10))
def test_an_organisation_from_the_snapshot_is_the_graph_s(
    tmp_path: Path, ds: Dataset, which: int
) -> None:
    target = tmp_path / "rt"
    save_dataset(ds, target, check=True)  # keeps the snapshot
    g = graph_from_dataset(ds)
    # By its name in other letters, and by an alias.
    for name in (ds.organisations[which % len(ds.organisations)].name.upper(), "another NAME 1"):
        found = kept_organisation_detail(target, "utf-8", name)
        assert found is not None
        record, titles = found
        assert record == organisation_detail(ds, g, name)
        assert titles == {a: ds.project(a).title for a in record["projects"]}
    assert kept_organisation_detail(target, "utf-8", "no such organisation") is None


def test_org_by_a_name_no_one_has_names_the_closest(
    data_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    load_dataset(data_copy)  # the snapshot is kept
    assert main(["--data", str(data_copy), "org", "Augsburgg"]) == 1
    assert 'Did you mean "Augsburg"' in capsys.readouterr().err


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(ds=datasets(), which=st.integers(0, 10))
def test_suggestions_from_the_snapshot_are_the_dataset_s(
    tmp_path: Path, ds: Dataset, which: int
) -> None:
    target = tmp_path / "rt"
    save_dataset(ds, target, check=True)  # keeps the snapshot
    reference = SuggestionIndex.from_dataset(ds)
    names = (
        ds.organisations[which % len(ds.organisations)].name.lower(),
        "another NAME 1",
        ds.projects[which % len(ds.projects)].acronym.lower(),
    )
    for name in names:
        kept = kept_suggestions(target, "utf-8", name)
        assert kept is not None
        index, node = kept
        assert node == cli._suggestion_target(ds, name)
        for kind in (None, "city"):
            assert index.suggest(node, kind=kind) == reference.suggest(node, kind=kind)
    assert kept_suggestions(target, "utf-8", "no such name 0") is None
