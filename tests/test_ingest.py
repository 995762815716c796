"""``defus-graph ingest``: the bundled data is what it makes, and merging is safe."""

from __future__ import annotations

import filecmp
from pathlib import Path

import pytest

from defus_graph.cli import main
from defus_graph.errors import DataError
from defus_graph.ingest import ingest, ingest_files
from defus_graph.model import Dataset
from defus_graph.sources.detect import read_paths
from defus_graph.store.tables import FILES, load_dataset

from .conftest import DATA, SEED


def test_reingesting_the_seed_reproduces_the_bundled_data(data_copy: Path) -> None:
    assert main(["ingest", str(SEED), "--out", str(data_copy)]) == 0
    for name in FILES:
        assert filecmp.cmp(DATA / name, data_copy / name, shallow=False), name


def test_from_the_hand_kept_tables_alone(data_copy: Path) -> None:
    """Projects and participations come from the page; only kinds, countries, aliases are kept."""
    (data_copy / "projects.csv").unlink()
    (data_copy / "participations.csv").unlink()
    assert main(["ingest", str(SEED), "--out", str(data_copy)]) == 0
    for name in FILES:
        assert filecmp.cmp(DATA / name, data_copy / name, shallow=False), name


def test_from_nothing_every_name_stays_as_written(tmp_path: Path) -> None:
    ds = ingest_files([SEED], Dataset())
    names = {o.name for o in ds.organisations}
    # Without the alias table nothing is merged on a guess: two names, two rows.
    assert {"Generalitat de Catalunya", "Generalitat of Catalonia", "Stadt Nizza"} <= names
    assert len(ds.projects) == 12
    assert len(ds.participations) == 68


def test_a_second_page_merges_and_shares_cities(data_copy: Path, tmp_path: Path) -> None:
    page = tmp_path / "weitere_projekte.txt"
    page.write_text(
        "Weitere Projekte, an denen Efus beteiligt ist:\n\n"
        "SAFE-CITY - Safer squares for all (2021 - 2023)\n\n"
        "Koordinator: Landeshauptstadt Stuttgart\n"
        "Partner: Duesseldorf (DE), Rotterdam and Den Haag (Netherlands)\n"
        "Förderung: EU Internal Security Fund, € 1.250.000,00\n",
        encoding="utf-8",
    )
    assert main(["ingest", str(page), "--out", str(data_copy)]) == 0
    ds = load_dataset(data_copy)
    members = {pa.organisation: pa.role for pa in ds.participations if pa.project == "SAFE-CITY"}
    assert members == {
        "Landeshauptstadt Stuttgart": "coordinator",
        "Düsseldorf": "partner",
        "Rotterdam": "partner",
        "The Hague": "partner",
        "Efus": "participant",
    }
    assert ds.project("SAFE-CITY").funding_eur == 1250000.00
    assert (ds.project("SAFE-CITY").start, ds.project("SAFE-CITY").end) == ("2021", "2023")
    # The seed's facts are untouched.
    assert len([p for p in ds.projects if p.source == "defus_projekte.txt"]) == 12


def test_a_conflicting_page_writes_nothing(
    data_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = tmp_path / "andere.txt"
    page.write_text(
        "BRIDGE - Another project with the same acronym\n\nPartner: Düsseldorf (FR)\n",
        encoding="utf-8",
    )
    before = {name: (data_copy / name).read_bytes() for name in FILES}
    assert main(["ingest", str(page), "--out", str(data_copy)]) == 1
    err = capsys.readouterr().err
    assert "andere.txt, line 1" in err and "already a project from defus_projekte.txt" in err
    assert "andere.txt, line 3" in err and "Düsseldorf is in DE" in err
    assert {name: (data_copy / name).read_bytes() for name in FILES} == before


def test_a_page_without_projects_is_an_error(tmp_path: Path) -> None:
    page = tmp_path / "leer.txt"
    page.write_text("Projekte\n\nNichts hier.\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"leer\.txt.*no project"):
        ingest_files([page], Dataset())


def test_a_cp1252_page_is_read_as_a_csv_file_is_and_says_so(tmp_path: Path) -> None:
    page = tmp_path / "excel.txt"
    page.write_bytes(
        "Projekte\n\nSiBa - Sicherheit in Bahnhofsvierteln für alle\n".encode("cp1252")
    )
    result = ingest(read_paths([page]), Dataset())
    assert result.dataset.projects[0].title == "Sicherheit in Bahnhofsvierteln für alle"
    assert any("read as cp1252" in n and "line 3" in n for n in result.notes)
    # An encoding the user names is honoured, never guessed past.
    with pytest.raises(DataError, match=r"line 3.*cannot be read as utf-8.*Leave out --encoding"):
        ingest_files([page], Dataset(), encoding="utf-8")
    ds = ingest_files([page], Dataset(), encoding="cp1252")
    assert ds.projects[0].title == "Sicherheit in Bahnhofsvierteln für alle"


def test_one_command_for_a_page_a_sheet_and_a_cordis_pair(
    data_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Every source resolves against the others: exact names join, nothing else does."""
    tests = Path(__file__).resolve().parent / "data"
    page = tmp_path / "weitere.txt"
    page.write_text(
        "Weitere Projekte, an denen Efus beteiligt ist:\n\n"
        "STREETS - Safer streets (2022 - 2024)\n\n"
        "Koordinator: University of Salford (UK)\n"
        "Partner: Düsseldorf (DE), Gemeente Rotterdam (NL)\n",
        encoding="utf-8",
    )
    files = [
        page,
        tests / "tables" / "projekte_excel_de.csv",
        tests / "cordis" / "organization.csv",
        tests / "cordis" / "project.csv",
    ]
    assert main(["ingest", *map(str, files), "--out", str(data_copy)]) == 0
    ds = load_dataset(data_copy)
    orgs = {o.name: o for o in ds.organisations}
    # Düsseldorf: the seed, the new page and the German sheet name it alike: one node.
    assert {pa.project for pa in ds.participations if pa.organisation == "Düsseldorf"} >= {
        "BRIDGE",
        "STREETS",
        "STADTRAUM",
    }
    # Gemeente Rotterdam: the page, the sheet and CORDIS (by PIC and by name) share one node,
    # which stays apart from the seed's "Rotterdam" until a person merges them.
    gemeente = {pa.project for pa in ds.participations if pa.organisation == "GEMEENTE ROTTERDAM"}
    assert {"STREETS", "STADTRAUM", "IcARUS", "CITYSEC (cordis:900001)"} <= gemeente | {
        pa.project for pa in ds.participations if pa.organisation == "Gemeente Rotterdam"
    }
    assert len([n for n in orgs if n.casefold() == "gemeente rotterdam"]) == 1
    assert "Rotterdam" in orgs
    # University of Salford: seed, page and CORDIS, one node carrying CORDIS's PIC.
    assert orgs["University of Salford"].pic == "999866104"
    assert "note: projekte_excel_de.csv is not UTF-8" in capsys.readouterr().err


def test_format_can_be_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sheet = tmp_path / "liste.txt"  # a sheet whose name says nothing
    sheet.write_text("Projekt;Organisation;Land\nALPHA;Essen;DE\n", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["ingest", str(sheet), "--format", "table", "--out", str(out)]) == 0
    assert load_dataset(out).participations[0].organisation == "Essen"
    assert main(["ingest", str(sheet), "--format", "xlsx", "--out", str(out)]) == 1
    assert "liste.txt: is not an Excel workbook (.xlsx)" in capsys.readouterr().err
