"""The server reads the data as it starts: the opening page then finds it in its caches."""

from __future__ import annotations

from pathlib import Path

import pytest

from defus_graph.dashboard import data, launch
from defus_graph.graph.views import VIEWS, Filters
from defus_graph.store.folders import DATA_ENV, default_data_dir


def test_the_opening_page_finds_what_the_server_prepared(
    data_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(DATA_ENV, str(data_copy))
    monkeypatch.setattr(launch.runtime, "exists", lambda: True)
    launch.prepare()

    def built_again(*args: object, **kwargs: object) -> None:
        raise AssertionError("the page built again what the server had prepared")

    # What the opening page asks for, with its default filters, view and switches.
    monkeypatch.setattr(data, "graph_from_dataset", built_again)
    monkeypatch.setattr(data, "NetworkIndex", built_again)
    net = data.load_network(default_data_dir())
    shown = data.current_view(net, Filters(), VIEWS[0])
    drawn = data.drawn_part(net, Filters(), shown, None)
    assert drawn.graph.number_of_nodes() == net.graph.number_of_nodes() > 0


def test_data_that_cannot_be_used_is_left_to_the_page(
    data_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (data_copy / "participations.csv").write_text("not,a,table\n", encoding="utf-8")
    monkeypatch.setenv(DATA_ENV, str(data_copy))
    monkeypatch.setattr(launch.runtime, "exists", lambda: True)
    launch.prepare()  # no exception: the page lists the problems


def test_without_a_runtime_nothing_is_read(
    data_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(DATA_ENV, str(data_copy))
    monkeypatch.setattr(launch.runtime, "exists", lambda: False)
    monkeypatch.setattr(launch, "RUNTIME_WAIT", 0.05)
    monkeypatch.setattr(data, "load_network", lambda *a: pytest.fail("read without a runtime"))
    launch.prepare()
