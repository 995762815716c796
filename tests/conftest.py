"""Shared fixtures: the real seed page and the bundled data."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import networkx as nx
import pytest

from defus_graph.graph.bipartite import graph_from_dataset
from defus_graph.model import Dataset
from defus_graph.store.tables import DATA_ENV, load_dataset

from .installed import Installed, install

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
SEED = Path(__file__).resolve().parent / "data" / "defus_projekte.txt"


@pytest.fixture(autouse=True, scope="session")
def _no_user_folders(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The tests' own user data and cache folders: a developer's data never changes a result,
    and no test writes into their home (folders.user_data_dir, snapshot's user cache)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv(DATA_ENV, raising=False)
        mp.setenv("XDG_DATA_HOME", str(tmp_path_factory.mktemp("user-data")))
        mp.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("user-cache")))
        yield


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def dataset() -> Dataset:
    return load_dataset(DATA)


@pytest.fixture(scope="session")
def graph(dataset: Dataset) -> nx.Graph:
    return graph_from_dataset(dataset)


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of the bundled data directory."""
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target


@pytest.fixture(scope="session")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    """defus-graph installed from its wheel (see tests/installed.py)."""
    return install(tmp_path_factory.mktemp("installed"))
