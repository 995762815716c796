"""Which data folder is read and written: the bundled example is shown, never written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from defus_graph.cli import main
from defus_graph.dashboard import state
from defus_graph.dashboard.text import md
from defus_graph.resources import bundled_data_dir
from defus_graph.store import snapshot
from defus_graph.store.folders import default_data_dir, is_bundled, save_dir, user_data_dir
from defus_graph.store.tables import DATA_ENV, FILES, load_dataset
from tests.test_dashboard_upload import GERMAN, banner, choose, rerun, start

from .conftest import DATA


def contents(directory: Path) -> dict[str, bytes]:
    return {name: (directory / name).read_bytes() for name in FILES}


@pytest.fixture
def mine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The user's data folder, empty (it does not exist yet)."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "share"))
    return tmp_path / "share" / "defus-graph"


def test_the_bundled_example_is_the_checkouts_data() -> None:
    assert bundled_data_dir().resolve() == DATA.resolve()
    assert is_bundled(DATA) and not is_bundled(DATA.parent)


def test_without_a_saved_folder_the_example_is_read_and_saving_goes_to_the_users(
    mine: Path,
) -> None:
    assert user_data_dir() == mine
    assert is_bundled(default_data_dir())
    assert save_dir(default_data_dir()) == mine


def test_once_the_users_folder_holds_a_table_it_is_read(mine: Path) -> None:
    mine.mkdir(parents=True)
    (mine / "projects.csv").write_text("acronym\n", encoding="utf-8")
    # Even a folder a save left incomplete: its problems are shown, not the example instead.
    assert default_data_dir() == mine
    assert save_dir(mine) == mine


def test_a_named_folder_is_read_and_written_as_named(
    tmp_path: Path, mine: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(DATA_ENV, str(tmp_path / "elsewhere"))
    assert default_data_dir() == tmp_path / "elsewhere"
    assert save_dir(tmp_path / "elsewhere") == tmp_path / "elsewhere"


def test_the_examples_snapshot_is_kept_in_the_users_cache_only() -> None:
    assert [d.parent for d in snapshot.snapshot_dirs(DATA)] == [snapshot._user_cache()]


def test_a_merge_of_the_example_is_saved_in_the_users_folder(
    mine: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = contents(DATA)
    assert main(["merge", "DEFUS", "Augsburg", "--yes"]) == 0
    out = capsys.readouterr().out
    assert f"saved to your data folder {mine}" in out
    assert contents(DATA) == before  # the example is untouched
    assert "Augsburg" not in {o.name for o in load_dataset(mine).organisations}
    # From now on the commands read the user's folder.
    assert main(["stats", "--json"]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert stats["organisations"] == len(load_dataset(DATA).organisations) - 1


def test_the_dashboard_shows_the_example_and_saves_to_the_users_folder(mine: Path) -> None:
    before = contents(DATA)
    at = start()
    assert banner(at).startswith("Showing: **Bundled data**")
    # Says where a save would go: the folder by name, its path when asked (the popover).
    assert f"“{md(mine.name)}”" in banner(at) and md(str(mine)) not in banner(at)
    assert str(mine) in [c.value for c in at.get("popover")[0].code]
    at = choose(at, GERMAN)
    at.button(key="upload_apply").click()
    rerun(at)
    assert f"“{md(mine.name)}”" in at.button(key="save_ask").label
    at.button(key="save_ask").click()
    rerun(at)
    at.checkbox(key=state.SAVE_CONFIRM).check()
    rerun(at)
    at.button(key="save_now").click()
    rerun(at)
    assert any(f"Saved to {md(str(mine))}" in s.value for s in at.success)
    assert contents(DATA) == before
    assert {"STADTRAUM", "NACHBARN"} <= {p.acronym for p in load_dataset(mine).projects}
    assert banner(at).startswith("Showing: **Data in")  # now read from the user's folder
