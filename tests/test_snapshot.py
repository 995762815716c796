"""The checked snapshot of a data folder: only the first command pays, an edit is always seen."""

from __future__ import annotations

import os
import re
import shutil
import string
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from defus_graph.cli import main
from defus_graph.errors import DataError
from defus_graph.model import Dataset, Organisation, Participation, Project
from defus_graph.store import snapshot
from defus_graph.store import tables as store
from defus_graph.store.snapshot import CACHE_DIR
from defus_graph.store.tables import FILES, load_dataset, save_dataset
from defus_graph.store.tables import TABLES as TABLE_FILES

from .test_store import _append, _replace_in, datasets

TABLES = ("projects", "organisations", "participations", "aliases", "members")


@pytest.fixture(autouse=True)
def _own_user_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The per-user cache of these tests: a folder of their own."""
    cache = tmp_path / "user-cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    return cache / "defus-graph"


def _snapshot_files(directory: Path) -> list[Path]:
    return [directory / CACHE_DIR / f"{t}.parquet" for t in TABLES]


def _fresh(data_copy: Path) -> Path:
    """``data_copy`` without the snapshot it may have been copied with."""
    shutil.rmtree(data_copy / CACHE_DIR, ignore_errors=True)
    (data_copy / CACHE_DIR).mkdir()
    return data_copy


def _no_csv_reading(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make reading a table fail loudly: what loads now comes from the snapshot."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the tables were read again")

    monkeypatch.setattr(store, "dataset_from_columns", refuse)
    monkeypatch.setattr(store, "_reference_load", refuse)


def test_a_load_keeps_a_snapshot_that_the_next_load_uses(
    data_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = load_dataset(_fresh(data_copy))
    assert all(path.is_file() for path in _snapshot_files(data_copy))
    _no_csv_reading(monkeypatch)
    assert load_dataset(data_copy) == first


def test_an_edited_table_is_read_again_and_the_edit_seen(data_copy: Path) -> None:
    load_dataset(_fresh(data_copy))
    _replace_in(data_copy / "organisations.csv", "Fryshuset,NGO,SE", "Fryshuset,NGO,FI")
    assert load_dataset(data_copy).organisation("Fryshuset").country == "FI"


def test_a_bad_edit_gives_the_located_problem_not_the_old_data(data_copy: Path) -> None:
    load_dataset(_fresh(data_copy))
    path = data_copy / "participations.csv"
    line = _append(path, "BRIDGE,Augsburg,sponsor,,,,")
    with pytest.raises(DataError) as caught:
        load_dataset(data_copy)
    assert [str(p) for p in caught.value.problems] == [
        f'{path}, line {line}, column "role": "sponsor": is not allowed here. '
        "Use one of: coordinator, partner, participant."
    ]


def test_an_edit_that_keeps_the_size_and_time_is_still_seen(data_copy: Path) -> None:
    """The key is the content, not the file's size or modification time."""
    path = data_copy / "organisations.csv"
    load_dataset(_fresh(data_copy))
    info = path.stat()
    path.write_bytes(path.read_bytes().replace(b"Fryshuset,NGO,SE", b"Fryshuset,NGO,FI"))
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))
    assert path.stat().st_size == info.st_size
    assert load_dataset(data_copy).organisation("Fryshuset").country == "FI"


@pytest.mark.parametrize(
    "damage",
    [
        lambda p: p.write_bytes(b"not parquet at all"),
        lambda p: p.write_bytes(p.read_bytes()[: len(p.read_bytes()) // 2]),
        lambda p: p.unlink(),
    ],
    ids=["garbage", "truncated", "missing"],
)
def test_a_damaged_snapshot_is_ignored_and_rebuilt(data_copy: Path, damage: object) -> None:
    expected = load_dataset(_fresh(data_copy))
    target = data_copy / CACHE_DIR / "participations.parquet"
    damage(target)  # type: ignore[operator]
    assert load_dataset(data_copy) == expected
    assert pq.ParquetFile(target).read().num_rows == len(expected.participations)


def test_a_foreign_snapshot_with_the_right_key_is_ignored(
    data_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file that is not exactly what this version writes is never taken for data."""
    expected = load_dataset(_fresh(data_copy))
    target = data_copy / CACHE_DIR / "aliases.parquet"
    kept = pq.ParquetFile(target).read()
    # Same key, one column of another type: a file someone else wrote.
    as_text = pa.array([str(v) for v in kept.column("line").to_pylist()])
    foreign = kept.set_column(3, "line", as_text)
    pq.write_table(foreign.replace_schema_metadata(kept.schema.metadata), target)
    assert load_dataset(data_copy) == expected
    assert pq.ParquetFile(target).read().schema.field("line").type == pa.int64()


@pytest.mark.parametrize("column", ["organisation", "role", "line"])
def test_a_foreign_participations_snapshot_is_ignored(data_copy: Path, column: str) -> None:
    """The shared text columns, read as dictionaries, are checked as strictly as the rest."""
    expected = load_dataset(_fresh(data_copy))
    target = data_copy / CACHE_DIR / "participations.parquet"
    kept = pq.ParquetFile(target).read()
    where = kept.schema.get_field_index(column)
    if column == "line":  # numbers written as text
        changed = pa.array([str(v) for v in kept.column(column).to_pylist()])
    else:  # text written as a dictionary of its own, or as numbers
        values = kept.column(column).to_pylist()
        changed = (
            pa.array(values).dictionary_encode()
            if column == "role"
            else pa.array(range(len(values)), pa.int64())
        )
    foreign = kept.set_column(where, column, changed)
    pq.write_table(foreign.replace_schema_metadata(kept.schema.metadata), target)
    assert load_dataset(data_copy) == expected
    assert pq.ParquetFile(target).read().schema.equals(kept.schema)


def _contents(directory: Path) -> dict[str, bytes | None]:
    """Every table's bytes, ``None`` for one the folder does not have (members.csv)."""
    return {
        name: (directory / name).read_bytes() if (directory / name).exists() else None
        for name in TABLE_FILES
    }


def test_a_snapshot_is_parquet_and_says_whose_content_it_holds(data_copy: Path) -> None:
    load_dataset(_fresh(data_copy))
    key = snapshot.content_key(_contents(data_copy), "utf-8").encode()
    for path in _snapshot_files(data_copy):
        raw = path.read_bytes()
        assert raw[:4] == b"PAR1" and raw[-4:] == b"PAR1"
        assert pq.ParquetFile(path).schema_arrow.metadata[b"defus-graph-content-key"] == key


def test_a_folder_that_cannot_hold_the_snapshot_uses_the_user_cache(
    data_copy: Path, _own_user_cache: Path
) -> None:
    _fresh(data_copy)
    (data_copy / CACHE_DIR).rmdir()
    (data_copy / CACHE_DIR).write_text("a file where the cache folder would be")
    first = load_dataset(data_copy)
    kept = snapshot.snapshot_dirs(data_copy)[1]
    assert kept.parent == _own_user_cache
    assert sorted(p.name for p in kept.iterdir()) == sorted(f"{t}.parquet" for t in TABLES)
    assert load_dataset(data_copy) == first


def test_no_command_fails_when_no_snapshot_can_be_written(
    data_copy: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _fresh(data_copy)
    (data_copy / CACHE_DIR).rmdir()
    (data_copy / CACHE_DIR).write_text("in the way")
    blocker = data_copy.parent / "no-cache"
    blocker.write_text("in the way too")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    assert main(["--data", str(data_copy), "validate"]) == 0
    assert "no problems" in capsys.readouterr().out


def test_saving_with_check_keeps_the_snapshot_of_what_it_wrote(
    tmp_path: Path, dataset: Dataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    save_dataset(dataset, tmp_path, check=True)
    _no_csv_reading(monkeypatch)
    assert load_dataset(tmp_path) == dataset


def test_saving_with_check_writes_nothing_when_a_table_has_a_problem(tmp_path: Path) -> None:
    ds = Dataset(
        projects=(Project("SAFE"),),
        organisations=(Organisation("Essen\x1b[31m"),),
        participations=(Participation("SAFE", "Essen\x1b[31m", "partner"),),
    )
    target = tmp_path / "out"
    with pytest.raises(DataError) as caught:
        save_dataset(ds, target, check=True)
    assert not target.exists()
    assert [str(p) for p in caught.value.problems] == [
        f'{target / "organisations.csv"}, line 2, column "name": "Essen\\x1b[31m": '
        "holds the control character \\x1b, which no text may hold. Delete it: it is "
        "invisible, often left over from copying out of another program.",
        f'{target / "participations.csv"}, line 2, column "organisation": "Essen\\x1b[31m": '
        "holds the control character \\x1b, which no text may hold. Delete it: it is "
        "invisible, often left over from copying out of another program.",
    ]


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(ds=datasets())
def test_the_snapshot_and_the_tables_give_the_same_dataset(tmp_path: Path, ds: Dataset) -> None:
    target = tmp_path / "rt"
    save_dataset(ds, target, check=True)
    from_snapshot = load_dataset(target)
    contents = {name: (target / name).read_bytes() for name in FILES}
    from_tables = store._reference_load(target, dict(contents), "utf-8", False)
    assert from_snapshot == from_tables == ds


# The column-wise reader never accepts what the row-by-row reader refuses, and
# reads what it accepts alike.

_cells = st.text(
    alphabet=st.sampled_from(list(string.ascii_letters[:6] + " ,\"'=\n\r\t;äß\x1b\u2028")),
    max_size=8,
)


#: Columns of free text, where a cell is wrong only for what it holds, not for what it means.
_FREE = {
    "projects.csv": ["title", "description", "programme", "funding_text", "section", "source"],
    "organisations.csv": ["city", "note", "source", "pic"],
    "participations.csv": ["name_as_written", "source"],
    "aliases.csv": ["note", "source"],
}


@st.composite
def _table_texts(draw: st.DrawFn) -> dict[str, bytes]:
    """The bundled tables with a few free-text cells made hostile, written as CSV."""
    import csv
    import io

    from .conftest import DATA

    contents = {}
    for name in FILES:
        rows = list(csv.reader(io.StringIO((DATA / name).read_text(encoding="utf-8-sig"))))
        for _ in range(draw(st.integers(0, 2))):
            r = draw(st.integers(1, len(rows) - 1))
            c = rows[0].index(draw(st.sampled_from(_FREE[name])))
            rows[r][c] = draw(_cells)
        if draw(st.booleans()):
            rows.insert(draw(st.integers(1, len(rows))), [""] * len(rows[0]))
        buffer = io.StringIO(newline="")
        csv.writer(buffer, lineterminator=draw(st.sampled_from(["\n", "\r\n"]))).writerows(rows)
        text = buffer.getvalue()
        if draw(st.booleans()):
            text = text.replace("\n\n", "\n\n\n", 1)
        contents[name] = ("\ufeff" + text).encode("utf-8")
    return contents


def _bundled_with_cell(name: str, row: int, column: str, cell: str) -> dict[str, bytes]:
    """The bundled tables, one cell replaced, written by ``csv.writer`` with ``"\\n"`` line ends."""
    import csv
    import io

    from .conftest import DATA

    contents = {n: (DATA / n).read_bytes() for n in FILES}
    rows = list(csv.reader(io.StringIO(contents[name].decode("utf-8-sig"))))
    rows[row][rows[0].index(column)] = cell
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    contents[name] = ("\ufeff" + buffer.getvalue()).encode("utf-8")
    return contents


@settings(max_examples=150, deadline=None)
@given(contents=_table_texts())
# A note of a carriage return and a space, which csv.writer leaves unquoted.
@example(contents=_bundled_with_cell("aliases.csv", 1, "note", "\r "))
def test_the_column_wise_reader_agrees_with_the_reference(contents: dict[str, bytes]) -> None:
    fast = store.dataset_from_columns(contents, "utf-8")
    try:
        reference = store._reference_load(Path("d"), dict(contents), "utf-8", False)
    except DataError:
        assert fast is None
    else:
        # It never reads a table otherwise than the reference does. It leaves to the
        # reference only what it cannot be sure of: a carriage return alone, which
        # csv.writer leaves unquoted under a "\n" line end (a line end to both readers,
        # and then a row of the wrong width to pyarrow).
        if fast is None:
            assert any(re.search(rb"\r(?!\n)", raw) for raw in contents.values())
        else:
            assert fast == reference


@st.composite
def _hostile_datasets(draw: st.DrawFn) -> Dataset:
    """Random datasets with hostile free text and amounts that do not keep their cents."""
    import dataclasses

    ds = draw(datasets())
    projects = tuple(
        dataclasses.replace(
            p,
            description=draw(_cells),
            section=draw(_cells),
            funding_eur=draw(st.none() | st.floats(0, 1e9)),
        )
        for p in ds.projects
    )
    projects = tuple(
        dataclasses.replace(p, funding_scope="" if p.funding_eur is None else "total")
        for p in projects
    )
    organisations = tuple(
        dataclasses.replace(o, note=draw(_cells), latitude=draw(st.none() | st.floats(-99, 99)))
        for o in ds.organisations
    )
    return dataclasses.replace(ds, projects=projects, organisations=organisations)


@settings(max_examples=150, deadline=None)
@given(ds=_hostile_datasets())
def test_the_save_s_check_reads_the_cells_as_a_load_reads_the_bytes(ds: Dataset) -> None:
    # The save checks the cells it writes without parsing them again; what it
    # accepts, and the records it keeps as the snapshot, are what a load reads.
    cells = store._cells_of(ds)
    contents = store._tables_bytes(cells)
    read_back = store._read_back(cells, contents)
    from_bytes = store.dataset_from_columns(contents, "utf-8")
    if read_back is None:
        assert from_bytes is None or any("\r" in "".join(c) for t in cells.values() for c in t)
    else:
        assert store._dataset_of(read_back) == from_bytes


# The dashboard reads a saved folder through the snapshot and keeps its layouts beside it.


def test_the_key_of_a_load_names_the_bytes_it_read(data_copy: Path) -> None:
    ds, key = store.load_with_key(_fresh(data_copy))
    assert key == snapshot.content_key(_contents(data_copy), "utf-8")
    assert ds == load_dataset(data_copy)


def test_the_dashboard_lays_a_saved_folder_out_once(
    data_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from defus_graph.dashboard import data
    from defus_graph.draw.layout import layout_positions
    from defus_graph.graph.views import view_graph

    def network() -> data.Network:
        ds, content = store.load_with_key(data_copy)
        return data._derive(ds, "k", (), str(data_copy), content or "")

    net = network()
    for view in ("bipartite", "orgs"):
        shown = view_graph(net.graph, view)
        fresh = layout_positions(shown)
        assert data._kept_layout(shown, view, net) == fresh
        assert (data_copy / CACHE_DIR / f"layout-{view}.parquet").is_file()

    def refuse(g: object) -> None:
        raise AssertionError("laid out again")

    monkeypatch.setattr(data, "layout_positions", refuse)
    again = network()
    kept = data._kept_layout(again.graph, "bipartite", again)
    assert list(kept.items()) == list(layout_positions(again.graph).items())

    # An edit changes the content key: the layout is not taken for the new data.
    _replace_in(data_copy / "organisations.csv", "Fryshuset,NGO,SE", "Fryshuset,NGO,FI")
    edited = network()
    with pytest.raises(AssertionError, match="laid out again"):
        data._kept_layout(edited.graph, "bipartite", edited)


def test_a_session_s_own_data_is_laid_out_without_keeping_anything(
    tmp_path: Path, dataset: Dataset
) -> None:
    from defus_graph.dashboard import data

    net = data._derive(dataset, "k", ())
    assert data._kept_layout(net.graph, "bipartite", net)
    assert not list(tmp_path.rglob("*.parquet"))


def test_checking_a_dataset_writes_nothing(tmp_path: Path, dataset: Dataset) -> None:
    target = tmp_path / "out"
    assert store.check_dataset(dataset, target) == dataset
    bad = Dataset(organisations=(Organisation("x" * 301),))
    with pytest.raises(DataError, match=r'organisations.csv, line 2, column "name": .* is 301'):
        store.check_dataset(bad, target)
    assert not target.exists()


def test_an_edit_to_the_code_makes_every_snapshot_stale(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A new check (a new version, a local edit) must never trust tables checked without it."""
    from defus_graph.store import snapshot

    package = tmp_path / "defus_graph"
    (package / "sources").mkdir(parents=True)
    (package / "store").mkdir()
    (package / "store" / "snapshot.py").write_text("")
    check = package / "sources" / "checks.py"
    check.write_text("LIMIT = 300\n")
    monkeypatch.setattr(snapshot, "__file__", str(package / "store" / "snapshot.py"))
    tables = {"organisations.csv": b"name\nGenk\n"}
    keys = []
    for text in ("LIMIT = 300\n", "LIMIT = 200\n", "LIMIT = 300\n"):
        check.write_text(text)
        snapshot._checking_code.cache_clear()
        keys.append(snapshot.content_key(tables, "utf-8"))
    snapshot._checking_code.cache_clear()
    assert keys[0] != keys[1] and keys[0] == keys[2]


def _stats_json(data: Path, capsys: pytest.CaptureFixture[str]) -> str:
    assert main(["--data", str(data), "stats", "--json"]) == 0
    return capsys.readouterr().out


@pytest.mark.parametrize(
    ("kept_as", "computes"),
    [("betweenness-sampled", "_betweenness_of"), ("eigenvector-organisations", "_eigenvector_of")],
)
def test_a_large_network_s_centralities_are_kept_and_an_edit_computes_them_again(
    data_copy: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    kept_as: str,
    computes: str,
) -> None:
    """``stats`` keeps a large network's sampled betweenness and eigenvector beside the
    snapshot: the next run prints the same figures without computing them, a kept
    file that is not exactly ours is computed again, and so is one after an edit."""
    from defus_graph.analysis import centrality

    monkeypatch.setattr(centrality, "BETWEENNESS_EXACT_LIMIT", 10)  # the example as large
    computed = []
    compute = getattr(centrality, computes)
    monkeypatch.setattr(
        centrality, computes, lambda *a, **k: computed.append(1) or compute(*a, **k)
    )
    first = _stats_json(_fresh(data_copy), capsys)
    assert computed == [1] and '"betweenness_estimated": true' in first
    kept = data_copy / CACHE_DIR / f"{kept_as}.parquet"
    assert pq.ParquetFile(kept).schema_arrow.names == ["value"]  # numbers, nothing to run
    assert _stats_json(data_copy, capsys) == first
    assert computed == [1]
    kept.write_bytes(kept.read_bytes()[:40])  # damaged
    assert _stats_json(data_copy, capsys) == first
    assert computed == [1, 1]
    pq.write_table(pq.ParquetFile(kept).read().slice(1), kept)  # one short, the right key
    assert _stats_json(data_copy, capsys) == first
    assert computed == [1, 1, 1]
    # An edit to a table: a new key, so the figures are computed again, from the edit.
    _append(data_copy / "participations.csv", "SiBa,Efus,partner,Efus,by hand,99,")
    assert _stats_json(data_copy, capsys) != first
    assert computed == [1, 1, 1, 1]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.text()),
    st.lists(st.integers(min_value=-(2**63), max_value=2**63 - 1)),
    st.lists(st.none() | st.floats(allow_nan=False)),
)
@example(["é\x00x", "", "ü"], [], [None])
@example(["aé", "b"], [0], [1.5, None])
def test_snapshot_arrays_built_from_buffers_equal_arrows_own(
    texts: list[str], ints: list[int], floats: list[float | None]
) -> None:
    """A snapshot's columns, built from buffers (no pandas), hold what pa.array makes
    of the same values: any text (non-ASCII, empty, NUL), any int64, floats and gaps."""
    for values, arrow_type in ((texts, pa.string()), (ints, pa.int64()), (floats, pa.float64())):
        built = snapshot._BUILDERS[arrow_type](values)
        built.validate(full=True)
        assert built.equals(pa.array(values, arrow_type))
        assert built.to_pylist() == values


def test_text_scalar_is_the_text() -> None:
    assert snapshot.text_scalar('"\r\n').as_py() == '"\r\n'
    assert snapshot.text_scalar("").as_py() == ""
