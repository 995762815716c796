"""The "who to invite" index kept beside a snapshot answers as the one built from the tables."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from defus_graph.analysis.suggest import SuggestionIndex
from defus_graph.store import snapshot
from defus_graph.store.tables import load_folder

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def _own_user_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))


def _same(found: SuggestionIndex, expected: SuggestionIndex) -> None:
    assert (found.shared != expected.shared).nnz == 0
    assert (found.members != expected.members).nnz == 0
    assert found.degree.tolist() == expected.degree.tolist()
    for node in expected.nodes:
        assert found.suggest(node, top=50) == expected.suggest(node, top=50)


def test_kept_index_is_the_built_one_and_is_read_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    loaded = load_folder(data)
    assert loaded.key
    expected = SuggestionIndex.from_dataset(loaded.dataset)
    _same(SuggestionIndex.kept(loaded.dataset, data, loaded.key), expected)  # worked out, kept
    built = []
    monkeypatch.setattr(
        SuggestionIndex, "from_arrays", classmethod(lambda *a, **k: built.append(1))
    )
    _same(SuggestionIndex.kept(loaded.dataset, data, loaded.key), expected)  # read back
    assert not built


@pytest.mark.parametrize("damage", ["other key", "negative count", "out of range"])
def test_a_damaged_or_foreign_kept_index_is_worked_out_again(tmp_path: Path, damage: str) -> None:
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    loaded = load_folder(data)
    assert loaded.key
    ds, key = loaded.dataset, loaded.key
    expected = SuggestionIndex.from_dataset(ds)
    n = len(expected.nodes)
    row, column = expected.shared.nonzero()
    counts = {"row": row, "column": column, "count": expected.shared.data.copy()}
    if damage == "negative count":
        counts["count"][0] = -1
    if damage == "out of range":
        counts["column"] = counts["column"] + n
    written = "another key" if damage == "other key" else key
    snapshot.write_integers(data, "suggest-shared", written, counts)
    rows, cols = expected.members.nonzero()
    snapshot.write_integers(data, "suggest-links", key, {"project": rows, "organisation": cols})
    _same(SuggestionIndex.kept(ds, data, key), expected)
