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


def test_a_network_that_leaves_the_cache_lets_what_was_frozen_be_freed() -> None:
    """Loading a network freezes what is alive (the collector then skips it on every
    click); once the network leaves the cache, everything frozen with it goes back to
    the collector, so a cycle among it is freed (a long-running server whose data is
    edited or uploaded again and again would otherwise keep every old network)."""
    import gc
    import weakref

    from defus_graph.store.tables import load_dataset

    class Cyclic:
        me: object

    ds = load_dataset(default_data_dir())
    held = Cyclic()
    held.me = held
    gone = weakref.ref(held)
    try:
        net = data._network_of("frozen with a cycle", ds)
        assert gc.get_freeze_count() > 0
        del held, net
        gc.collect()
        assert gone() is not None  # frozen: the collector does not see it
        data._network_of.clear()
        gc.collect()
        assert gone() is None
        assert gc.get_freeze_count() == 0
    finally:
        gc.unfreeze()
