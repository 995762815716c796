"""Shared fixtures: the real seed page and the bundled data."""

from __future__ import annotations

import shutil
from pathlib import Path

import networkx as nx
import pytest

from defus_graph.graph.bipartite import graph_from_dataset
from defus_graph.model import Dataset
from defus_graph.store.tables import load_dataset

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
SEED = Path(__file__).resolve().parent / "data" / "defus_projekte.txt"


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
