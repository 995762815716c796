"""Spreadsheets: CSV dialects, .xlsx workbooks, both layouts, and every broken file located."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from openpyxl import Workbook

from defus_graph.cli import main
from defus_graph.errors import DataError
from defus_graph.ingest import ingest
from defus_graph.model import Dataset
from defus_graph.sources.detect import detect_format, read_paths
from defus_graph.sources.sheets import csv_sheet, parse_date, parse_number
from defus_graph.sources.tables import facts_from_csv, facts_from_sheets, facts_from_xlsx
from defus_graph.store.tables import FILES, load_dataset

from .conftest import DATA

TABLES = Path(__file__).resolve().parent / "data" / "tables"
GERMAN = TABLES / "projekte_excel_de.csv"
BOM = TABLES / "partners_utf8_bom.csv"


def _xlsx(rows: list[list[object]], *, title: str = "Partner", extra: str | None = None) -> bytes:
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.title = title
    for row in rows:
        ws.append(row)
    if extra:
        notes = book.create_sheet(extra)
        notes.append(["Bemerkung"])
        notes.append(["nur für uns"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_a_german_excel_csv_is_read_with_a_note_on_its_encoding() -> None:
    (facts,) = facts_from_csv(GERMAN.read_bytes(), GERMAN.name)
    assert any("read as cp1252" in n and "line 1" in n for n in facts.notes)
    stadtraum = next(p for p in facts.projects if p.acronym == "STADTRAUM")
    assert stadtraum.title == "Sicherheit im öffentlichen Raum"
    assert (stadtraum.start, stadtraum.end) == ("2021-03-01", "2023-02-28")
    assert stadtraum.funding_eur == 1250000.50 and stadtraum.funding_scope == "total"
    assert stadtraum.programme == "Internal Security Fund"
    assert (stadtraum.source, stadtraum.line) == ("projekte_excel_de.csv", 2)
    nachbarn = next(p for p in facts.projects if p.acronym == "NACHBARN")
    assert (nachbarn.start, nachbarn.end, nachbarn.funding_eur) == ("2022-10", "2024", 86236.65)
    by_name = {m.name: m for m in facts.mentions}
    assert by_name["Düsseldorf"].role == "coordinator"
    assert by_name["Düsseldorf"].contribution_eur == 310000.0
    assert by_name["Stadt Köln"].country == "DE"
    assert by_name["Gemeente Rotterdam"].country == "NL"
    assert by_name["Violence Prevention Network"].role == "participant"
    # A blank line is skipped, yet lines stay physical: NACHBARN starts on line 7.
    assert by_name["Landeshauptstadt Düsseldorf"].line == 7
    # "1.250" in a file with decimal commas is one thousand two hundred and fifty.
    assert by_name["Mannheim"].contribution_eur == 1250.0


def test_a_utf8_bom_comma_csv() -> None:
    (facts,) = facts_from_csv(BOM.read_bytes(), BOM.name)
    assert facts.notes == [] or all("cp1252" not in n for n in facts.notes)
    (project,) = facts.projects
    assert project.acronym == "SAFE-SQUARES"  # the BOM did not hide the first column
    assert project.funding_eur == 630901.00
    assert [m.country for m in facts.mentions] == ["NL", "", "PT", "FR"]


def test_an_xlsx_sheet_keeps_its_sheet_rows_and_skips_other_sheets() -> None:
    data = _xlsx(
        [
            ["Projekt", "Organisation", "Land", "Rolle", "Beginn", "Förderung"],
            ["ALPHA", "Essen", "Deutschland", "Koordinator", dt.datetime(2021, 3, 1), 125000.5],
            [None, None, None, None, None, None],
            ["ALPHA", "Den Haag", "NL", "Partner", None, None],
        ],
        extra="Notizen",
    )
    (facts,) = facts_from_xlsx(data, "partner.xlsx")
    (project,) = facts.projects
    assert project.source == "partner.xlsx[Partner]"
    assert (project.start, project.funding_eur) == ("2021-03-01", 125000.5)
    assert [(m.name, m.line, m.role) for m in facts.mentions] == [
        ("Essen", 2, "coordinator"),
        ("Den Haag", 4, "partner"),
    ]
    assert any("partner.xlsx[Notizen]" in n and "not read" in n for n in facts.notes)


def test_formats_are_detected_from_content() -> None:
    assert detect_format("x.csv", GERMAN.read_bytes()) == "table"
    assert detect_format("noext", BOM.read_bytes()) == "table"
    assert detect_format("p.xlsx", _xlsx([["project", "organisation"], ["A", "B"]])) == "xlsx"
    assert detect_format("seite.txt", b"Projekte\n\nBRIDGE - Title\n") == "page"


def test_german_csv_into_the_bundled_data_shares_cities(
    data_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["ingest", str(GERMAN), "--out", str(data_copy)]) == 0
    assert "note: projekte_excel_de.csv is not UTF-8" in capsys.readouterr().err
    ds = load_dataset(data_copy)
    members = {pa.organisation for pa in ds.participations if pa.project == "STADTRAUM"}
    # Düsseldorf, Mannheim and VPN are the seed's nodes; Stadt Köln is new.
    assert {"Düsseldorf", "Stadt Köln", "Gemeente Rotterdam"} <= members
    assert len([o for o in ds.organisations if o.name == "Düsseldorf"]) == 1
    # A less certain name is not merged on a guess.
    assert "Landeshauptstadt Düsseldorf" in {o.name for o in ds.organisations}
    assert ds.organisation("Stadt Köln").kind == "city"  # "Stadt" makes it certain
    assert ds.organisation("Gemeente Rotterdam").kind == "city"


def test_aliases_resolve_names_from_a_sheet(data_copy: Path) -> None:
    assert main(["ingest", str(BOM), "--out", str(data_copy)]) == 0
    ds = load_dataset(data_copy)
    members = {pa.organisation for pa in ds.participations if pa.project == "SAFE-SQUARES"}
    assert {"Lisbon", "Efus", "City of Rotterdam"} <= members


def test_the_own_four_tables_ingest_to_the_same_data(tmp_path: Path) -> None:
    out = tmp_path / "copy"
    assert main(["ingest", *(str(DATA / name) for name in FILES), "--out", str(out)]) == 0
    a, b = load_dataset(DATA), load_dataset(out)
    assert a.projects == b.projects
    assert set(a.organisations) == set(b.organisations)
    assert set(a.participations) == set(b.participations)
    assert set(a.aliases) == set(b.aliases)
    # Ingesting them again changes nothing.
    before = {name: (out / name).read_bytes() for name in FILES}
    assert main(["ingest", *(str(DATA / name) for name in FILES), "--out", str(out)]) == 0
    assert {name: (out / name).read_bytes() for name in FILES} == before


def test_own_tables_in_one_workbook(tmp_path: Path) -> None:
    book = Workbook()
    first = True
    for name in FILES:
        ws = book.active if first else book.create_sheet()
        assert ws is not None
        first = False
        ws.title = name.removesuffix(".csv")
        text = (DATA / name).read_text(encoding="utf-8-sig")
        import csv

        for row in csv.reader(io.StringIO(text)):
            ws.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    result = ingest([("data.xlsx", buffer.getvalue())], Dataset())
    assert set(result.dataset.participations) == set(load_dataset(DATA).participations)


@pytest.mark.parametrize(
    ("file", "patterns"),
    [
        (
            "bad_values.csv",
            [
                r'bad_values.csv, line 2, column "Land": "Deutschlandd": is no country I know\. '
                r"Write a two-letter code",
                r'line 2, column "Förderung": "viel": is not an amount in euros',
                r'line 3, column "Rolle": "Sponsor": is no role I know\. Write coordinator',
                r'line 4, column "Beginn": "32.13.2021": has month 13',
                r'line 5, column "Projekt": "": is empty\. Every row needs',
            ],
        ),
        (
            "bad_columns.csv",
            [
                r'bad_columns.csv, line 1, column "project": column is missing '
                r"\(found: Name, Stadt, Land\)\. Name a column project, projekt",
                r'line 1, column "organisation": column is missing',
            ],
        ),
        ("bad_quotes.csv", [r"bad_quotes.csv, line 3: is not valid CSV here"]),
        (
            "bad_fields.csv",
            [r"bad_fields.csv, line 3: has 4 fields, the header has 3\. Put quotes around"],
        ),
        (
            "bad_conflict.csv",
            [
                r'bad_conflict.csv, line 3, column "title": "Safe streets": differs from '
                r'"Safer streets" on line 2 for project ALPHA'
            ],
        ),
    ],
)
def test_every_broken_file_is_located(file: str, patterns: list[str]) -> None:
    with pytest.raises(DataError) as caught:
        ingest(read_paths([TABLES / file]), Dataset())
    text = str(caught.value)
    for pattern in patterns:
        assert __import__("re").search(pattern, text), (pattern, text)
    assert len(caught.value.problems) == len(patterns)


@pytest.mark.parametrize(
    ("name", "data", "pattern"),
    [
        ("alt.xls", b"\xd0\xcf\x11\xe0" + b"\0" * 40, r"alt.xls: is an old Excel file"),
        ("u16.csv", "project\tpartner\n".encode("utf-16"), r"u16.csv: is UTF-16 text"),
        ("leer.csv", b"\n\n", r"leer.csv, line 1: is empty"),
        (
            "kaputt.xlsx",
            b"PK\x03\x04 not really a zip",
            r"kaputt.xlsx: cannot be opened as an Excel",
        ),
        ("bin.csv", b"project,organisation\n\x81\x8d\x8f", r"bin.csv, line 2: is neither UTF-8"),
        (
            "leer.xlsx",
            _xlsx([["Projekt", "Organisation"]]),
            r"leer.xlsx\[Partner\]: has a header but no rows",
        ),
        (
            "fremd.xlsx",
            _xlsx([["Name", "Ort"], ["a", "b"]]),
            r"fremd.xlsx\[Partner\], line 1: has no column for the project .*found: Name, Ort",
        ),
    ],
)
def test_files_that_are_no_spreadsheet_say_what_to_do(name: str, data: bytes, pattern: str) -> None:
    with pytest.raises(DataError, match=pattern):
        ingest([(name, data)], Dataset(), fmt=None if not name.endswith(".xls") else "table")


def test_a_broken_sheet_writes_nothing_and_no_traceback(
    data_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = {name: (data_copy / name).read_bytes() for name in FILES}
    status = main(["ingest", str(GERMAN), str(TABLES / "bad_values.csv"), "--out", str(data_copy)])
    assert status == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and "5 problems found" in err
    assert {name: (data_copy / name).read_bytes() for name in FILES} == before
    assert not (data_copy / ".previous").exists()


@pytest.mark.parametrize(
    ("text", "decimal", "value"),
    [
        ("630,901.00", ".", 630901.0),
        ("447.597,05", ",", 447597.05),
        ("447597,05", ".", 447597.05),
        ("1.250", ",", 1250.0),
        ("1.250", ".", 1.25),
        ("1,250", ",", 1.25),
        ("1 250 000", ",", 1250000.0),
        ("€ 86.236,65", ",", 86236.65),
    ],
)
def test_numbers_in_either_notation(text: str, decimal: str, value: float) -> None:
    assert parse_number(text, decimal=decimal) == value


@pytest.mark.parametrize("text", ["viel", "1,2,3.4.5", "=1+1", "", "1.2.3"])
def test_what_is_no_number(text: str) -> None:
    with pytest.raises(ValueError):
        parse_number(text)


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("2017", "2017"),
        ("2017-10", "2017-10"),
        ("Oktober 2017", "2017-10"),
        ("1.3.2021", "2021-03-01"),
    ],
)
def test_dates_as_people_write_them(text: str, iso: str) -> None:
    assert parse_date(text) == iso


# Every check of a participation sheet, each with its whole message: users read these.


@pytest.mark.parametrize(
    ("text", "messages"),
    [
        (
            "Projekt;Organisation;Beginn;Ende\nA;Essen;01.03.2021;01.02.2021\n",
            [
                'line 2, column "Ende": "01.02.2021": is before the start 2021-03-01. '
                "Swap the dates or correct one of them."
            ],
        ),
        (
            "Projekt;Organisation;Förderung;Förderumfang\nA;Essen;100;sonstwas\n"
            "B;Essen;100;Anteil\n",
            [
                'line 2, column "Förderumfang": "sonstwas": is no funding scope I know. '
                "Write total (the project's whole funding) or partner_share.",
                'line 3, column "Förderumfang": "Anteil": is a partner\'s share, but the sheet '
                "cannot say whose. Put each partner's amount in a contribution column instead.",
            ],
        ),
        (
            "Projekt;Organisation;Breitengrad;Längengrad\nA;Essen;95;-181\n",
            [
                'line 2, column "Breitengrad": "95": is not a latitude. '
                "Write degrees between -90 and 90, e.g. 51.2277.",
                'line 2, column "Längengrad": "-181": is not a longitude. '
                "Write degrees between -180 and 180, e.g. 51.2277.",
            ],
        ),
        (
            "Projekt;Organisation;Typ\nA;Essen;Kirche\n",
            [
                'line 2, column "Typ": "Kirche": is no kind of organisation I know. Use one of: '
                "city, region, ministry, public body, police, NGO, foundation, university, "
                "research institute, network, sports body, company, other."
            ],
        ),
        (
            "Projekt;Organisation;Förderung;Beitrag\nA;Essen;-5;wenig\n",
            [
                'line 2, column "Beitrag": "wenig": is not an amount in euros. '
                "Write digits, e.g. 630901,00 or 630.901,00 or 630901.00.",
                'line 2, column "Förderung": "-5": is not an amount in euros. '
                "Write digits, e.g. 630901,00 or 630.901,00 or 630901.00.",
            ],
        ),
        (
            "Projekt,Project,Organisation\nA,A,Essen\n",
            [
                'line 1, column "Project": means the same as the column "Projekt" (project). '
                "Keep one of the two columns, or rename the other."
            ],
        ),
    ],
)
def test_each_sheet_check_names_line_column_and_value(text: str, messages: list[str]) -> None:
    with pytest.raises(DataError) as caught:
        facts_from_csv(text.encode("utf-8"), "s.csv")
    assert [str(p) for p in caught.value.problems] == [f"s.csv, {m}" for m in messages]


def test_a_second_copy_of_an_own_table_is_refused() -> None:
    header = "alias,organisation,source,line,note\n"
    sheets = [
        csv_sheet((header + row).encode(), name)
        for name, row in [
            ("one.csv", "a,b,,,\n"),
            ("two.csv", "c,d,,,\n"),
        ]
    ]
    with pytest.raises(DataError) as caught:
        facts_from_sheets(sheets)
    assert [str(p) for p in caught.value.problems] == [
        "two.csv, line 1: is a second aliases.csv (the first is one.csv). "
        "Ingest the two sets of tables one after the other."
    ]
