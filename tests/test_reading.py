"""The reading report: what each file was read as, line by line, and what was left unread."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from defus_graph.cli import main
from defus_graph.ingest import Ingested, ingest
from defus_graph.model import Dataset, Project
from defus_graph.reading import FileReading, Member, ProjectReading, Reading, reading_report
from defus_graph.store.tables import FILES

from .conftest import SEED

TESTS = Path(__file__).resolve().parent / "data"


def _input(path: Path) -> list[tuple[str, bytes]]:
    return [(path.name, path.read_bytes())]


def test_the_seed_page_line_by_line(dataset: Dataset) -> None:
    reading = reading_report(_input(SEED), dataset)
    (page,) = reading.files
    assert page.reads_lines
    bridge = next(p for p in page.projects if p.project.acronym == "BRIDGE")
    assert (bridge.project.line, bridge.project.funding_line) == (44, 58)
    assert [(m.organisation, m.role, m.line) for m in bridge.members][:3] == [
        ("Efus", "coordinator", 46),
        ("Terrassa", "partner", 56),
        ("CD Val d'Oise", "partner", 56),
    ]
    pactesur = next(p for p in page.projects if p.project.acronym == "PACTESUR")
    assert [(m.name_as_written, m.organisation, m.line) for m in pactesur.members] == [
        ("Stadt Nizza", "Nice", 109),
        ("Efus", "Efus", 101),
    ]
    assert [str(u) for u in page.unread] == [
        "line 11 mentions Deutsch-Europäische Forum für Urbane Sicherheit e.V (DEFUS); not read "
        "as a participation (in SiBa, PUFII from other lines)",
        "line 15 mentions Düsseldorf; not read as a participation (in BRIDGE, LouD from other "
        "lines)",
        "line 41 mentions Essen; not read as a participation (in Solidify from other lines)",
        "line 107 mentions Efus; not read as a participation (in Solidify, BRIDGE, LouD, "
        "PREPARE, MATCH-SPORT, PACTESUR, Medi@4Sec, PRACTICIES, CCI, PROTECT from other lines)",
    ]


def test_the_report_merges_exactly_as_ingest(dataset: Dataset) -> None:
    inputs = _input(TESTS / "pages" / "sichere_staedte.txt")
    assert reading_report(inputs, dataset).ingested == ingest(inputs, dataset)


def test_a_new_page_names_a_known_city_it_does_not_read(dataset: Dataset) -> None:
    reading = reading_report(_input(TESTS / "pages" / "sichere_staedte.txt"), dataset)
    text = reading.text()
    assert "line 44 mentions Mannheim; not read as a participation" in text
    assert "SAFER – Safer Streets Alliance (line 16)" in text
    assert "    Lisboa → Lisbon, PT (line 29)" in text
    assert "  funding: Horizon 2020, €121,000.00, Efus's share (line 40)" in text
    assert "Nachtleben sicher gestalten (line 26)\n" in text


def test_a_sheet_shows_its_rows_but_no_unread_lines(dataset: Dataset) -> None:
    reading = reading_report(_input(TESTS / "tables" / "partners_utf8_bom.csv"), dataset)
    (sheet,) = reading.files
    assert not sheet.reads_lines and sheet.unread == ()
    members = [(m.organisation, m.line) for p in sheet.projects for m in p.members]
    assert ("Efus", 3) in members
    assert reading.as_dict()["files"][0]["unread"] is None
    assert "Lines read as nothing" not in reading.text()


def test_names_are_shown_as_text_not_as_terminal_codes() -> None:
    red = "Essen\x1b[31m"
    reading = Reading(
        (
            FileReading(
                "a.csv",
                (
                    ProjectReading(
                        Project(red, source="a.csv"), (Member(red, "partner", red, "a.csv", 2),)
                    ),
                ),
            ),
        ),
        Ingested(Dataset()),
    )
    text = reading.text()
    assert "\x1b" not in text
    assert "Essen\\x1b[31m (line 2)" in text


def test_dry_run_prints_the_report_and_writes_nothing(
    data_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = {name: (data_copy / name).read_bytes() for name in FILES}
    page = TESTS / "pages" / "weitere_projekte.txt"
    assert main(["ingest", str(page), "--out", str(data_copy), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "RESIST – Resilienz im Stadtteil (line 26)" in out
    assert "    DITSS → Dutch Institute for Technology, Safety and Security, NL (line 19)" in out
    assert "line 30 mentions Essen; not read as a participation" in out
    assert "Nothing written (--dry-run)." in out
    assert {name: (data_copy / name).read_bytes() for name in FILES} == before
    assert main(["ingest", str(page), "--out", str(data_copy), "--dry-run", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["written"] is False and report["projects"] == 15
    kompass = report["files"][0]["projects"][0]
    assert (kompass["acronym"], kompass["line"], kompass["start"]) == ("KOMPASS", 3, "2022-02")
    assert kompass["organisations"][-1] == {
        "organisation": "DEFUS",
        "role": "coordinator",
        "name_as_written": "DEFUS",
        "country": "DE",
        "file": "weitere_projekte.txt",
        "line": 1,
    }
    assert report["files"][0]["unread"][0]["line"] == 30
    assert {name: (data_copy / name).read_bytes() for name in FILES} == before


def test_a_missing_heading_exits_1_and_writes_nothing(
    data_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = (TESTS / "pages" / "sichere_staedte.txt").read_text(encoding="utf-8").splitlines()
    page = tmp_path / "ohne_ueberschrift.txt"
    page.write_text("\n".join(lines[:15] + lines[16:]) + "\n", encoding="utf-8")
    before = {name: (data_copy / name).read_bytes() for name in FILES}
    for extra in ([], ["--dry-run"]):
        assert main(["ingest", str(page), "--out", str(data_copy), *extra]) == 1
        err = capsys.readouterr().err
        assert (
            'ohne_ueberschrift.txt, line 17: "Partner: Bologna, Modena and Parma (Italy), '
            "Rotterdam (NL)\": a 'Partner:' line after the links that close project X 2 (line "
            "13): is a project heading missing above line 17?"
        ) in err
        assert "Traceback" not in err
    assert {name: (data_copy / name).read_bytes() for name in FILES} == before


def test_a_cordis_pair_names_the_file_each_organisation_comes_from() -> None:
    cordis = TESTS / "cordis"
    inputs = [(n, (cordis / n).read_bytes()) for n in ("project.csv", "organization.csv")]
    text = reading_report(inputs, Dataset()).text()
    assert "CCI – Cutting Crime Impact (line 4)\n" in text
    assert "  coordinator: UNIVERSITY OF SALFORD, GB (organization.csv, line 5)\n" in text
    assert "Lines read as nothing" not in text


def test_ingest_json_says_what_was_written(
    data_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = TESTS / "pages" / "weitere_projekte.txt"
    assert main(["ingest", str(page), "--out", str(data_copy), "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {
        "out": str(data_copy),
        "written": True,
        "projects": 15,
        "organisations": 56,
        "participations": 80,
        "aliases": 20,
    }
