"""The ingest command's route, its participations held by field from the merge to the file
(ingest_columns, save_dataset(participations=...)), writes what the route of records
writes, and what it writes loads with the full, row-by-row load path as it was kept."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from defus_graph.cells import escape_controls
from defus_graph.cli import main
from defus_graph.errors import DataError
from defus_graph.ingest import PARTICIPATION_FIELDS, ingest
from defus_graph.model import Dataset, Participation
from defus_graph.sources.archive import expand_archives
from defus_graph.sources.detect import read_paths
from defus_graph.store import tables as store
from defus_graph.store.snapshot import key_of_tables, read_snapshot
from defus_graph.store.tables import TABLES, save_dataset

from .test_store import datasets

# Cells as hostile as a CORDIS export may hold them: quotes, separators, line breaks
# (CR and LF), a byte-order mark, control characters; plain ones with spaces around,
# formula signs and apostrophes (which a save escapes).
_HOSTILE = st.text(
    alphabet=st.sampled_from([*"abAB äß", '"', ";", ",", "\n", "\r", "=", "+", "-", "@", "'"])
    | st.sampled_from(["\ufeff", "\x1b", "\u2028", "\t"]),
    max_size=10,
)
_PLAIN = st.text(alphabet="abAB äß'=-@+\";,", max_size=8)
_NAMES = st.sampled_from(["Stadt Essen", "Gemeente Rotterdam", "Efus", "=SUM(A1)", " Essen "])


def _quoted(cell: str) -> str:
    return '"' + cell.replace('"', '""') + '"'


def _csv(header: list[str], rows: list[list[str]], end: str, bom: bool) -> bytes:
    lines = [";".join(map(_quoted, row)) for row in [header, *rows]]
    return (("\ufeff" if bom else "") + end.join(lines) + end).encode("utf-8")


@st.composite
def _cordis(draw: st.DrawFn) -> tuple[bytes, bytes]:
    """A CORDIS project.csv and organization.csv; in half of them, hostile cells and
    values CORDIS would not write."""
    hostile = draw(st.booleans())
    cell = st.one_of(_PLAIN, _HOSTILE) if hostile else _PLAIN

    def value(good: list[str], bad: list[str]) -> str:
        return draw(st.sampled_from(good + bad if hostile else good))

    ids = draw(st.lists(st.integers(1, 9).map(str), min_size=1, max_size=4))
    projects = [
        [
            pid,
            draw(st.one_of(st.sampled_from(["SAFE", "safe", "=CITY", "P" + pid]), cell)),
            draw(cell),
            "H2020",
            value(["", "1000", "12.5"], ["x"]),
            draw(cell),
        ]
        for pid in ids
    ]
    orgs = [
        [
            draw(st.sampled_from(ids)),
            value(["", "900", "901", "902"], []),
            draw(st.one_of(_NAMES, cell)),
            draw(st.sampled_from(["", "EFUS"]) | cell),
            value(["participant", "coordinator", "thirdParty"], ["chief"]),
            value(["DE", "NL", "EL", "", "ZZ"], []),
            value(["", "51.5,7.1"], ["oops"]),
            value(["", "99.5", "1234.56"], ["1,5", "x"]),
            draw(cell),
        ]
        for _ in range(draw(st.integers(0, 8)))
    ]
    end, bom = draw(st.sampled_from(["\n", "\r\n"])), draw(st.booleans())
    project = _csv(
        ["id", "acronym", "title", "frameworkProgramme", "ecMaxContribution", "objective"],
        projects,
        end,
        bom,
    )
    org_header = ["projectID", "organisationID", "name", "shortName", "role", "country"]
    organization = _csv([*org_header, "geolocation", "ecContribution", "city"], orgs, end, bom)
    return project, organization


_SEED = Path(__file__).parent / "data" / "defus_projekte.txt"


def _tables(folder: Path) -> dict[str, bytes]:
    return {name: (folder / name).read_bytes() for name in TABLES if (folder / name).is_file()}


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(files=_cordis(), existing=st.booleans())
def test_the_command_s_columns_write_what_records_write_and_load_alike(
    tmp_path_factory: pytest.TempPathFactory,
    capsys: pytest.CaptureFixture[str],
    files: tuple[bytes, bytes],
    existing: bool,
) -> None:
    tmp = tmp_path_factory.mktemp("cordis")
    (tmp / "project.csv").write_bytes(files[0])
    (tmp / "organization.csv").write_bytes(files[1])
    out, plain = tmp / "out", tmp / "plain"
    if existing:  # into a folder with tables of its own, which the ingest keeps
        for folder in (out, plain):
            assert main(["ingest", str(_SEED), "--out", str(folder)]) == 0
    start = store.load_dataset(plain) if existing else Dataset()
    paths = [tmp / "project.csv", tmp / "organization.csv"]
    inputs = list(expand_archives(read_paths(paths)).files)  # as the command reads them
    capsys.readouterr()
    code = main(["ingest", *map(str, paths), "--out", str(out)])
    said = capsys.readouterr()
    try:
        records = ingest(inputs, start)
    except DataError as err:
        event("refused on reading")
        assert code == 1
        assert all(str(p) in said.err for p in err.problems)
        return
    try:
        save_dataset(records.dataset, plain, check=True)
    except DataError as err:
        event("refused on saving")
        assert code == 1
        assert all(str(p) in said.err for p in err.problems)
        assert _tables(out) == _tables(plain)  # neither wrote anything
        return
    event("written into a folder with tables" if existing else "written")
    assert code == 0
    # Byte for byte what the route of records writes, and the same notes.
    assert _tables(out) == _tables(plain)
    assert said.err == "".join(f"note: {escape_controls(n)}\n" for n in records.notes)
    # The full load path (row by row) reads what the command checked and kept.
    contents = {name: (out / name).read_bytes() for name in TABLES if (out / name).is_file()}
    from_tables = store._reference_load(out, contents, "utf-8", False)
    key = key_of_tables({n: contents.get(n) for n in TABLES}, "utf-8")
    assert key is not None
    assert read_snapshot(out, key) == from_tables == records.dataset


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(ds=datasets(), check=st.booleans())
def test_a_save_of_participations_by_field_is_the_save_of_their_records(
    tmp_path_factory: pytest.TempPathFactory, ds: Dataset, check: bool
) -> None:
    tmp = tmp_path_factory.mktemp("save")
    columns = {f: [getattr(pa, f) for pa in ds.participations] for f in PARTICIPATION_FIELDS}
    save_dataset(ds, tmp / "records", check=check)
    save_dataset(
        replace(ds, participations=()), tmp / "columns", check=check, participations=columns
    )
    assert _tables(tmp / "columns") == _tables(tmp / "records")
    contents = _tables(tmp / "columns")
    assert store._reference_load(tmp / "columns", contents, "utf-8", False) == ds
    if check:
        key = key_of_tables({n: contents.get(n) for n in TABLES}, "utf-8")
        assert key is not None and read_snapshot(tmp / "columns", key) == ds


def test_participations_given_both_ways_are_refused(tmp_path: Path) -> None:
    ds = Dataset(participations=(Participation("A", "Efus", "partner"),))
    with pytest.raises(ValueError):
        save_dataset(ds, tmp_path, participations={f: [] for f in PARTICIPATION_FIELDS})
    assert not any(tmp_path.iterdir())


def test_the_command_makes_no_record_per_participation(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # From the CORDIS reader's columns through the merge, the file, its check and the
    # snapshot: the participations stay columns (a million records cost seconds).
    from defus_graph import ingest as ingest_module

    def no_records(*args: object, **kwargs: object) -> None:
        raise AssertionError("a record per participation")

    monkeypatch.setattr(ingest_module, "_participation_records", no_records)
    monkeypatch.setattr(Participation, "__init__", no_records)
    cordis = Path(__file__).parent / "data" / "cordis"
    out = tmp_path / "out"
    args = ["ingest", str(cordis / "project.csv"), str(cordis / "organization.csv")]
    assert main([*args, "--out", str(out)]) == 0
    monkeypatch.undo()
    assert store.load_dataset(out).participations  # what it wrote loads, as records
