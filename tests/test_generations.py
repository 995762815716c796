"""A data folder saved as one generation: all tables or none, permissions kept, no leftovers,
and a save refused when someone saved since the data was loaded.

Crashes are real: a child process saves and is killed (``os._exit``) at a chosen
rename or write, and the parent reads what the folder holds afterwards.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from defus_graph.cli import main
from defus_graph.errors import DataError
from defus_graph.model import Dataset
from defus_graph.store import generations
from defus_graph.store.generations import JOURNAL, LOCK
from defus_graph.store.tables import (
    FILES,
    PREVIOUS_DIR,
    TABLES,
    StaleDataError,
    load_dataset,
    load_folder,
    save_dataset,
)

ROOT = Path(__file__).resolve().parent.parent


def _smaller(ds: Dataset) -> Dataset:
    """``ds`` without its last organisation: three tables change (and one must not alone)."""
    gone = ds.organisations[-1].name
    return Dataset(
        ds.projects,
        ds.organisations[:-1],
        tuple(pa for pa in ds.participations if pa.organisation != gone),
        tuple(a for a in ds.aliases if a.organisation != gone),
    )


def _leftovers(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob(".*") if p.name.endswith(".tmp") or p.name == JOURNAL)


@pytest.fixture
def umask() -> Iterator[None]:
    old = os.umask(0o022)
    yield
    os.umask(old)


# --- permissions ----------------------------------------------------------------------------


def test_a_save_keeps_each_table_s_permissions(data_copy: Path, umask: None) -> None:
    os.umask(0o077)  # a private umask must not make shared tables private
    modes = dict(zip(FILES, (0o644, 0o640, 0o664, 0o600), strict=True))
    for name, mode in modes.items():
        (data_copy / name).chmod(mode)
    ds = load_dataset(data_copy)
    save_dataset(_smaller(ds), data_copy)
    assert {name: (data_copy / name).stat().st_mode & 0o777 for name in FILES} == modes
    previous = data_copy / PREVIOUS_DIR
    assert {name: (previous / name).stat().st_mode & 0o777 for name in FILES} == modes


def test_new_tables_and_their_snapshot_get_the_umask_s_default(
    tmp_path: Path, dataset: Dataset, umask: None
) -> None:
    save_dataset(dataset, tmp_path / "new", check=True)
    written = [*(tmp_path / "new").glob("*.csv"), *(tmp_path / "new" / ".cache").glob("*")]
    assert len(written) == len(FILES) + len(TABLES)  # the snapshot keeps members too
    assert {p.name: p.stat().st_mode & 0o777 for p in written} == dict.fromkeys(
        (p.name for p in written), 0o644
    )


def test_the_lock_opens_to_whoever_can_list_the_folder(data_copy: Path, umask: None) -> None:
    os.umask(0o077)
    data_copy.chmod(0o750)
    save_dataset(load_dataset(data_copy), data_copy)
    assert (data_copy / LOCK).stat().st_mode & 0o777 == 0o640


def test_a_reader_that_may_not_open_the_lock_still_reads(
    data_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    save_dataset(load_dataset(data_copy), data_copy)  # the folder has a lock file now

    def denied(directory: Path, *, create: bool) -> int:
        raise PermissionError(13, "Permission denied", str(directory / LOCK))

    monkeypatch.setattr(generations, "_open_lock", denied)
    assert load_dataset(data_copy) == load_dataset(ROOT / "data")


# --- leftovers ------------------------------------------------------------------------------


def test_the_next_save_removes_what_interrupted_saves_left(data_copy: Path) -> None:
    ds = load_dataset(data_copy)
    (data_copy / PREVIOUS_DIR).mkdir(exist_ok=True)
    (data_copy / ".cache").mkdir(exist_ok=True)
    left = [
        data_copy / ".projects.csv.k3j2h1.tmp",
        data_copy / PREVIOUS_DIR / ".aliases.csv.x1.tmp",
        data_copy / ".cache" / ".projects.parquet.abc.tmp",
    ]
    kept = [data_copy / "notes.tmp", data_copy / ".my-settings", data_copy / "report.csv"]
    for path in left + kept:
        path.write_bytes(b"x" * 1000)
    save_dataset(ds, data_copy)
    assert [p for p in left if p.exists()] == []
    assert all(p.exists() for p in kept)


def test_a_save_stopped_while_writing_leaves_nothing_and_the_old_tables(
    data_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = {name: (data_copy / name).read_bytes() for name in FILES}
    ds = load_dataset(data_copy)
    calls = []

    def interrupted(fd: int) -> None:
        calls.append(fd)
        if len(calls) == 3:
            raise KeyboardInterrupt

    monkeypatch.setattr(generations.os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        save_dataset(_smaller(ds), data_copy)
    assert {name: (data_copy / name).read_bytes() for name in FILES} == before
    assert _leftovers(data_copy) == []


# --- killed halfway -------------------------------------------------------------------------

# Loads the folder, then saves it without its last organisation, dying (os._exit: no
# cleanup at all, as with SIGKILL or a power cut) at the given call of os.replace or os.fsync.
_KILLED_SAVE = textwrap.dedent(
    """
    import os, sys
    from pathlib import Path
    from defus_graph.model import Dataset
    from defus_graph.store.tables import load_dataset, save_dataset

    folder, call, when = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    ds = load_dataset(folder)
    gone = ds.organisations[-1].name
    smaller = Dataset(
        ds.projects,
        ds.organisations[:-1],
        tuple(pa for pa in ds.participations if pa.organisation != gone),
        tuple(a for a in ds.aliases if a.organisation != gone),
    )
    real = getattr(os, call)
    count = 0

    def dying(*args):
        global count
        count += 1
        if count == when:
            os._exit(9)
        return real(*args)

    setattr(os, call, dying)
    save_dataset(smaller, folder)
    """
)


def _killed_save(folder: Path, call: str, when: int) -> int:
    return subprocess.run(
        [sys.executable, "-c", _KILLED_SAVE, str(folder), call, str(when)],
        cwd=ROOT,
        timeout=120,
        check=False,
    ).returncode


# One save renames 9 files (the journal, 4 copies into .previous/, 4 tables): die at each.
@pytest.mark.parametrize("when", range(1, 10))
def test_a_save_killed_at_any_rename_leaves_one_generation(data_copy: Path, when: int) -> None:
    old = load_dataset(data_copy)
    new = _smaller(old)
    assert _killed_save(data_copy, "replace", when) == 9
    after = load_dataset(data_copy)
    assert after in (old, new)
    # Once the journal is written (the first rename), the new tables are the folder's.
    assert after == (new if when > 1 else old)
    assert not (data_copy / JOURNAL).exists()
    assert load_dataset(data_copy) == after  # and the snapshot taken agrees
    save_dataset(after, data_copy)
    assert _leftovers(data_copy) == []


def test_a_save_killed_while_writing_keeps_the_old_tables(data_copy: Path) -> None:
    old = load_dataset(data_copy)
    before = {name: (data_copy / name).read_bytes() for name in FILES}
    assert _killed_save(data_copy, "fsync", 3) == 9
    assert {name: (data_copy / name).read_bytes() for name in FILES} == before
    assert _leftovers(data_copy)  # a killed process cleans nothing…
    save_dataset(old, data_copy)
    assert _leftovers(data_copy) == []  # …the next save does


def test_a_reader_that_cannot_write_reads_the_interrupted_generation(
    data_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    new = _smaller(load_dataset(data_copy))
    assert _killed_save(data_copy, "replace", 8) == 9  # journal written, two tables renamed
    real = generations._locked

    def read_only(directory: Path, *, exclusive: bool):  # type: ignore[no-untyped-def]
        if exclusive:
            raise PermissionError(13, "Permission denied", str(directory / LOCK))
        return real(directory, exclusive=False)

    monkeypatch.setattr(generations, "_locked", read_only)
    assert load_dataset(data_copy) == new
    assert (data_copy / JOURNAL).exists()  # nothing written by the reader


def test_a_journal_that_moves_other_files_is_refused(data_copy: Path) -> None:
    (data_copy / "secret.txt").write_text("mine")
    (data_copy / JOURNAL).write_text('{"renames": [["secret.txt", "projects.csv"]]}')
    with pytest.raises(DataError, match=r"journal of an interrupted save, but not one"):
        load_dataset(data_copy)
    assert (data_copy / "secret.txt").read_text() == "mine"


def test_an_edit_after_an_interrupted_save_is_not_overwritten(data_copy: Path) -> None:
    old = load_dataset(data_copy)
    assert _killed_save(data_copy, "replace", 7) == 9  # journal, .previous/, one table renamed
    edited = data_copy / "aliases.csv"  # not renamed yet: the old table, edited by hand
    edited.write_bytes(edited.read_bytes() + b"Augsburg city,Augsburg,by hand,,\n")
    mine = edited.read_bytes()
    with pytest.raises(DataError, match=r"aliases.csv: changed after a save .* interrupted"):
        load_dataset(data_copy)
    with pytest.raises(DataError, match=r"To keep the tables as they are now, delete"):
        save_dataset(old, data_copy)
    assert edited.read_bytes() == mine
    (data_copy / JOURNAL).unlink()  # the user keeps the tables as they are
    assert "Augsburg city" in {a.alias for a in load_dataset(data_copy).aliases}


# --- two people saving ----------------------------------------------------------------------


def test_a_save_is_refused_when_someone_saved_since_the_load(data_copy: Path) -> None:
    mine, theirs = load_folder(data_copy), load_folder(data_copy)
    smaller = _smaller(theirs.dataset)
    save_dataset(smaller, data_copy, since=theirs.state)
    saved = {name: (data_copy / name).read_bytes() for name in FILES}
    with pytest.raises(StaleDataError, match=r"the data changed since you opened it: reload"):
        save_dataset(mine.dataset, data_copy, since=mine.state)
    assert {name: (data_copy / name).read_bytes() for name in FILES} == saved
    assert load_dataset(data_copy) == smaller


def test_a_save_is_refused_after_an_edit_in_a_spreadsheet(data_copy: Path) -> None:
    mine = load_folder(data_copy)
    with (data_copy / "aliases.csv").open("a", encoding="utf-8") as fh:
        fh.write("Augsburg city,Augsburg,by hand,,\n")
    with pytest.raises(StaleDataError):
        save_dataset(mine.dataset, data_copy, since=mine.state)
    assert "Augsburg city" in (data_copy / "aliases.csv").read_text(encoding="utf-8")


def test_two_sessions_of_one_dashboard_saving_at_once_lose_nothing(data_copy: Path) -> None:
    """Streamlit runs each session in a thread of one process: they take turns too."""
    import threading

    loaded = load_folder(data_copy)
    ds = loaded.dataset
    versions = [_smaller(ds), Dataset(ds.projects, ds.organisations, ds.participations, ())]
    barrier = threading.Barrier(2)
    outcome: dict[int, str] = {}

    def save(i: int) -> None:
        barrier.wait()
        try:
            save_dataset(versions[i], data_copy, since=loaded.state)
            outcome[i] = "saved"
        except StaleDataError:
            outcome[i] = "refused"

    threads = [threading.Thread(target=save, args=(i,)) for i in (0, 1)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(outcome.values()) == ["refused", "saved"]
    winner = next(i for i, o in outcome.items() if o == "saved")
    assert load_dataset(data_copy) == versions[winner]


def _merging(folder: Path, keep: str, other: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "defus_graph", "--data", str(folder), "merge", keep, other],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
    )


def _asked(proc: subprocess.Popen[bytes]) -> None:
    """Wait until ``proc`` asks its question (it has loaded the data by then)."""
    assert proc.stderr is not None
    seen = b""
    while b"[y/N]" not in seen:
        chunk = proc.stderr.read1(1000)
        assert chunk, seen
        seen += chunk


def test_two_merges_at_once_lose_nothing(data_copy: Path) -> None:
    first = _merging(data_copy, "Augsburg", "Stuttgart")
    second = _merging(data_copy, "Charleroi", "Genk")
    _asked(first)
    _asked(second)  # both have read the same tables
    results = [p.communicate(b"y\n", timeout=120) for p in (first, second)]
    codes = [first.returncode, second.returncode]
    assert sorted(codes) == [0, 1], results
    loser = results[codes.index(1)][1].decode()
    assert "the data changed since you opened it: reload" in loser
    assert "Traceback" not in loser
    names = {o.name for o in load_dataset(data_copy).organisations}
    merged = [other not in names for other in ("Stuttgart", "Genk")]
    assert merged == [codes[0] == 0, codes[1] == 0]  # the winner's merge, whole


def test_ingest_refuses_a_folder_saved_while_it_read(
    data_copy: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from defus_graph import ingest as ingest_module

    real = ingest_module.ingest_columns
    smaller = _smaller(load_dataset(data_copy))

    def someone_saves_meanwhile(*args, **kwargs):  # type: ignore[no-untyped-def]
        save_dataset(smaller, data_copy)
        return real(*args, **kwargs)

    monkeypatch.setattr(ingest_module, "ingest_columns", someone_saves_meanwhile)
    seed = ROOT / "tests" / "data" / "defus_projekte.txt"
    assert main(["ingest", str(seed), "--out", str(data_copy)]) == 1
    assert "the data changed since you opened it: reload" in capsys.readouterr().err
    assert load_dataset(data_copy) == smaller


# --- an interrupted ingest ------------------------------------------------------------------

# ingest into an existing folder, sent SIGTERM (as `kill` or a closing terminal does)
# while it writes the third file of its save.
_TERMINATED_INGEST = textwrap.dedent(
    """
    import os, signal, sys
    from defus_graph.store import generations
    from defus_graph.cli import main

    real, count = os.fsync, 0

    def fsync(fd):
        global count
        count += 1
        if count == 3:
            os.kill(os.getpid(), signal.SIGTERM)
        return real(fd)

    generations.os.fsync = fsync
    sys.exit(main(sys.argv[1:]))
    """
)


def test_an_ingest_ended_by_sigterm_leaves_nothing(data_copy: Path) -> None:
    before = {name: (data_copy / name).read_bytes() for name in FILES}
    seed = ROOT / "tests" / "data" / "defus_projekte.txt"
    args = ["ingest", str(seed), "--out", str(data_copy)]
    done = subprocess.run(
        [sys.executable, "-c", _TERMINATED_INGEST, *args],
        cwd=ROOT,
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 128 + signal.SIGTERM, done.stderr
    assert b"Traceback" not in done.stderr
    assert {name: (data_copy / name).read_bytes() for name in FILES} == before
    assert _leftovers(data_copy) == []


def test_a_first_save_to_the_users_folder_refuses_tables_saved_there_meanwhile(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The example is shown while the user's folder has no tables; a merge of it goes there,
    but not over tables another process saved there while the question was asked."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "share"))
    monkeypatch.delenv("DEFUS_GRAPH_DATA", raising=False)
    mine = tmp_path / "share" / "defus-graph"
    theirs = _smaller(load_dataset(ROOT / "data"))

    def someone_saves_first() -> str:
        save_dataset(theirs, mine)
        return "y"

    monkeypatch.setattr("builtins.input", someone_saves_first)
    assert main(["merge", "DEFUS", "Augsburg"]) == 1
    assert "the data changed since you opened it: reload" in capsys.readouterr().err
    assert load_dataset(mine) == theirs
