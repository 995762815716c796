"""CORDIS exports: the real format's quirks, and cities shared with the seed."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from defus_graph.cells import MAX_NAME_LENGTH, cell_problem
from defus_graph.cli import main
from defus_graph.errors import DataError
from defus_graph.ingest import ingest
from defus_graph.model import Dataset, Project
from defus_graph.sources import cordis as cordis_module
from defus_graph.sources.cordis import PROGRAMMES, facts_from_cordis
from defus_graph.sources.detect import detect_format, read_paths
from defus_graph.store.tables import FILES, load_dataset

CORDIS = Path(__file__).resolve().parent / "data" / "cordis"
PROJECT, ORGANIZATION = CORDIS / "project.csv", CORDIS / "organization.csv"


def _pair() -> tuple[tuple[str, bytes], tuple[str, bytes]]:
    return ("project.csv", PROJECT.read_bytes()), ("organization.csv", ORGANIZATION.read_bytes())


def test_projects_from_cordis() -> None:
    facts = facts_from_cordis(*_pair())
    by_id = {p.external_id: p for p in facts.projects}
    icarus = by_id["cordis:882749"]
    assert (icarus.acronym, icarus.programme) == ("IcARUS", "Horizon 2020")
    assert (icarus.start, icarus.end) == ("2020-09-01", "2024-08-31")
    assert (icarus.funding_eur, icarus.funding_scope) == (3999891.25, "total")
    # The objective of PRACTICIES spans two lines; CCI starts on physical line 4.
    assert by_id["cordis:787100"].line == 4
    assert by_id["cordis:740072"].description.endswith("A second line of the objective.")
    # Two CORDIS projects share an acronym: both get their id, and the user is told.
    assert by_id["cordis:900001"].acronym == "CITYSEC (cordis:900001)"
    assert by_id["cordis:900002"].acronym == "CITYSEC (cordis:900002)"
    assert any("share the acronym CITYSEC" in n for n in facts.notes)


def test_organisations_from_cordis() -> None:
    facts = facts_from_cordis(*_pair())
    m = {(x.project, x.name): x for x in facts.mentions}
    rotterdam = m[("IcARUS", "GEMEENTE ROTTERDAM")]
    assert (rotterdam.pic, rotterdam.country, rotterdam.kind) == ("999641195", "NL", "public body")
    assert (rotterdam.latitude, rotterdam.longitude) == (51.9225, 4.47917)
    assert rotterdam.contribution_eur == 250000.75  # point in ecContribution, comma in totalCost
    assert (rotterdam.role, rotterdam.source, rotterdam.line) == ("partner", "organization.csv", 8)
    stuttgart = m[("IcARUS", "LANDESHAUPTSTADT STUTTGART")]
    assert (stuttgart.latitude, stuttgart.longitude) == (None, None)  # empty geolocation
    assert m[("IcARUS", "KENTRO MELETON ASFALEIAS")].country == "GR"  # EL
    assert m[("IcARUS", "KENTRO MELETON ASFALEIAS")].role == "participant"  # associatedPartner
    assert m[("IcARUS", "CAMARA MUNICIPAL DE LISBOA")].role == "participant"  # thirdParty
    assert m[("IcARUS", "CAMARA MUNICIPAL DE LISBOA")].contribution_eur is None
    assert m[("PRACTICIES", "THE UNIVERSITY OF WARWICK")].country == "GB"  # UK
    assert m[("CCI", "UNIVERSITY OF SALFORD")].role == "coordinator"
    # The repeated header row is no organisation, and rows of other projects are left out.
    assert "organisationID" not in {x.pic for x in facts.mentions}
    assert "SOME OTHER BODY" not in {x.name for x in facts.mentions}
    assert any("1 repeated header row skipped" in n for n in facts.notes)
    assert any("1 row belongs to projects that are not in" in n for n in facts.notes)
    # PUB is a public body: CORDIS never makes anything a city.
    assert {x.kind for x in facts.mentions} <= {
        "public body",
        "company",
        "research institute",
        "university",
        "other",
    }


def test_the_pair_is_detected_in_any_order() -> None:
    assert detect_format("organization.csv", ORGANIZATION.read_bytes()) == "cordis"
    assert detect_format("project.csv", PROJECT.read_bytes()) == "cordis"
    a = ingest(read_paths([ORGANIZATION, PROJECT]), Dataset()).dataset
    b = ingest(read_paths([PROJECT, ORGANIZATION]), Dataset()).dataset
    assert a == b and len(a.projects) == 5


def test_the_seed_and_cordis_share_nodes_only_when_names_resolve(
    data_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["ingest", str(PROJECT), str(ORGANIZATION), "--out", str(data_copy)]) == 0
    err = capsys.readouterr().err
    ds = load_dataset(data_copy)
    names = {o.name for o in ds.organisations}
    # "UNIVERSITY OF SALFORD" is the seed's "University of Salford": one node, with the PIC.
    assert "UNIVERSITY OF SALFORD" not in names
    salford = ds.organisation("University of Salford")
    assert (salford.pic, salford.country, salford.kind) == ("999866104", "GB", "university")
    assert (salford.latitude, salford.longitude) == (53.4875, -2.2901)
    assert {pa.project for pa in ds.participations if pa.organisation == salford.name} == {
        "CCI",
        "CCI (cordis:787100)",
    }
    # "REGIONE EMILIA ROMAGNA" is the seed's region, and stays a region.
    assert ds.organisation("Regione Emilia Romagna").kind == "region"
    # "GEMEENTE ROTTERDAM" is not "Rotterdam" exactly: two nodes until the user merges them.
    assert {"Rotterdam", "GEMEENTE ROTTERDAM"} <= names
    assert ds.organisation("GEMEENTE ROTTERDAM").kind == "city"  # "Gemeente" says so, not PUB
    # A CORDIS project whose acronym the page already uses is kept apart, and the user told.
    assert ds.project("PRACTICIES").source == "defus_projekte.txt"
    assert ds.project("PRACTICIES (cordis:740072)").external_id == "cordis:740072"
    assert 'filed as "PRACTICIES (cordis:740072)"' in err
    # The same PIC in two projects is one organisation.
    efus_fr = [pa for pa in ds.participations if pa.organisation.startswith("FORUM EUROPEEN")]
    assert len(efus_fr) == 3 and len({pa.organisation for pa in efus_fr}) == 1
    # Re-ingesting the same export changes nothing.
    before = {name: (data_copy / name).read_bytes() for name in FILES}
    assert main(["ingest", str(ORGANIZATION), str(PROJECT), "--out", str(data_copy)]) == 0
    assert {name: (data_copy / name).read_bytes() for name in FILES} == before


def test_a_pic_finds_its_organisation_under_a_new_name(tmp_path: Path) -> None:
    ds = ingest(read_paths([PROJECT, ORGANIZATION]), Dataset()).dataset
    renamed = ORGANIZATION.read_bytes().replace(
        b'"999999001";"";"LANDESHAUPTSTADT STUTTGART"', b'"999999001";"";"STADT STUTTGART"'
    )
    assert renamed != ORGANIZATION.read_bytes()
    again = ingest([("project.csv", PROJECT.read_bytes()), ("organization.csv", renamed)], ds)
    names = {o.name for o in again.dataset.organisations}
    assert "STADT STUTTGART" not in names and "LANDESHAUPTSTADT STUTTGART" in names
    assert any(
        a.alias == "STADT STUTTGART" and a.organisation == "LANDESHAUPTSTADT STUTTGART"
        for a in again.dataset.aliases
    )


def test_the_xlsx_variant() -> None:
    import csv

    book = Workbook()
    for i, path in enumerate((PROJECT, ORGANIZATION)):
        ws = book.active if i == 0 else book.create_sheet()
        assert ws is not None
        ws.title = path.stem
        for row in csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig")), delimiter=";"):
            ws.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    data = buffer.getvalue()
    assert detect_format("cordis.xlsx", data) == "cordis"
    from_xlsx = ingest(
        [
            ("project.xlsx", _only_sheet(data, "organization")),
            ("organization.xlsx", _only_sheet(data, "project")),
        ],
        Dataset(),
    ).dataset
    from_csv = ingest(read_paths([PROJECT, ORGANIZATION]), Dataset()).dataset
    assert {(pa.project, pa.organisation, pa.role) for pa in from_xlsx.participations} == {
        (pa.project, pa.organisation, pa.role) for pa in from_csv.participations
    }


def _only_sheet(data: bytes, drop: str) -> bytes:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data))
    del book[drop]
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _broken(old: bytes, new: bytes) -> tuple[str, bytes]:
    data = ORGANIZATION.read_bytes()
    assert old in data
    return "organization.csv", data.replace(old, new, 1)


@pytest.mark.parametrize(
    ("org_file", "pattern"),
    [
        (
            _broken(b'"GEMEENTE ROTTERDAM";', b'"GEMEENTE";"ROTTERDAM";'),
            r"organization.csv, line 8: has 26 fields, the header has 25",
        ),
        (
            _broken(b'"2";"participant";"250000.75"', b'"2";"beneficiary";"250000.75"'),
            r'organization.csv, line 8, column "role": "beneficiary": is no CORDIS role',
        ),
        (
            _broken(b'"2";"participant";"250000.75"', b'"2";"participant";"lots"'),
            r'organization.csv, line 8, column "ecContribution": "lots": is not an amount',
        ),
        (
            _broken(b'"51.9225,4.47917";"";"";"2022', b'"519225,447917";"";"";"2022'),
            r'organization.csv, line 8, column "geolocation": "519225,447917": is not '
            r'"latitude,longitude"',
        ),
        (
            _broken(b'"organisationID"', b'"orgID"'),
            r"organization.csv, line 1: is not a CORDIS project or organization file",
        ),
    ],
)
def test_broken_cordis_files_are_located(org_file: tuple[str, bytes], pattern: str) -> None:
    with pytest.raises(DataError, match=pattern):
        ingest([("project.csv", PROJECT.read_bytes()), org_file], Dataset(), fmt="cordis")


def test_an_unknown_country_is_a_located_warning_and_the_row_is_read(
    data_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = ORGANIZATION.read_bytes().replace(b'"ROTTERDAM";"NL"', b'"ROTTERDAM";"XX"', 1)
    organization = data_copy / "organization.csv"
    organization.write_bytes(broken)
    assert main(["ingest", str(PROJECT), str(organization), "--out", str(data_copy)]) == 0
    err = capsys.readouterr().err
    assert (
        'note: organization.csv, line 8, column "country": "XX": is no country code I know; '
        "the organisation is read without a country." in err
    )
    ds = load_dataset(data_copy)
    rotterdam = [pa for pa in ds.participations if pa.source == "organization.csv" and pa.line == 8]
    assert [(pa.project, pa.organisation) for pa in rotterdam] == [("IcARUS", "GEMEENTE ROTTERDAM")]
    # Its other rows say NL; this one says nothing against them.
    assert ds.organisation("GEMEENTE ROTTERDAM").country == "NL"


def test_the_eu_country_codes_are_read() -> None:
    data = ORGANIZATION.read_bytes()
    for written, code in ((b"XK", "XK"), (b"EL", "GR"), (b"UK", "GB")):
        changed = data.replace(b'"ROTTERDAM";"NL"', b'"ROTTERDAM";"' + written + b'"', 1)
        facts = facts_from_cordis(
            ("project.csv", PROJECT.read_bytes()), ("organization.csv", changed)
        )
        (rotterdam,) = [m for m in facts.mentions if m.line == 8]
        assert rotterdam.country == code


def test_one_file_of_a_pair_is_not_enough(
    data_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = {name: (data_copy / name).read_bytes() for name in FILES}
    assert main(["ingest", str(ORGANIZATION), "--out", str(data_copy)]) == 1
    err = capsys.readouterr().err
    assert "organization.csv: is a CORDIS organization file without its project.csv" in err
    assert "Traceback" not in err
    assert {name: (data_copy / name).read_bytes() for name in FILES} == before


def test_the_benchmark_generator_writes_cordis_files_this_reader_reads(tmp_path: Path) -> None:
    from benchmarks.generate import SIZES, generate_dataset, write_cordis

    project, organization = write_cordis(SIZES["small"], tmp_path)
    raw = project.read_bytes()
    assert raw.startswith(b'\xef\xbb\xbf"id";"acronym";"status";"title";"startDate"')
    assert organization.read_bytes().startswith(b'\xef\xbb\xbf"projectID";"projectAcronym"')
    assert write_cordis(SIZES["small"], tmp_path / "again")[0].read_bytes() == raw  # seeded
    facts = facts_from_cordis(("project.csv", raw), ("organization.csv", organization.read_bytes()))
    ds = generate_dataset(SIZES["small"])
    assert [p.acronym for p in facts.projects] == [p.acronym for p in ds.projects]
    assert [(m.project, m.name) for m in facts.mentions] == [
        (pa.project, pa.organisation.upper()) for pa in ds.participations
    ]
    # The quirks: objectives over several lines, the EU's country codes, all five roles.
    assert any("\n" in p.description for p in facts.projects)
    assert facts.projects[-1].line > len(facts.projects) + 1
    text = organization.read_text(encoding="utf-8-sig")
    assert all(f'"{code}"' in text for code in ("EL", "UK", "XK"))
    assert {m.country for m in facts.mentions} >= {"GR", "GB", "XK"}
    assert {m.role for m in facts.mentions} == {"coordinator", "partner", "participant"}
    roles = ("coordinator", "participant", "partner", "thirdParty", "associatedPartner")
    assert all(f'"{role}"' in text for role in roles)


# --- bad cells and country codes, on generated rows -------------------------------------

_CONTROLS = ["\x00", "\x1b[31m", "\x07", "\x7f", "\u202e", "\x9b"]
_NAMES = st.one_of(
    st.text(alphabet=st.sampled_from(list("abcäöüß ÉÑ-.&'()")), min_size=1, max_size=40).filter(
        lambda t: t.strip() != ""
    ),
    st.sampled_from(["", "   "]),  # empty
    st.tuples(
        st.sampled_from(["Stadt Essen", "GEMEENTE ROTTERDAM"]), st.sampled_from(_CONTROLS)
    ).map("".join),
    st.sampled_from(["Stadt\nEssen", "Comune\tdi Roma"]),  # a name is one line
    st.integers(MAX_NAME_LENGTH + 1, 2 * MAX_NAME_LENGTH).map(
        lambda n: ("Essen ist schön. " * 40)[:n]
    ),  # a pasted paragraph
)
_COUNTRIES = st.sampled_from(["DE", "NL", "EL", "UK", "XK", "FR", "", "XX", "ZZ", "EU", "Q1"])
_KNOWN = {"DE": "DE", "NL": "NL", "EL": "GR", "UK": "GB", "XK": "XK", "FR": "FR", "": ""}


def _cordis_csv(header: list[str], rows: list[list[str]]) -> bytes:
    def quoted(cell: str) -> str:
        return '"' + cell.replace('"', '""') + '"'

    lines = [";".join(quoted(c) for c in row) for row in [header, *rows]]
    return ("\ufeff" + "\n".join(lines) + "\n").encode("utf-8")


@settings(max_examples=120, deadline=None)
@given(st.lists(st.tuples(_NAMES, _COUNTRIES), min_size=1, max_size=8))
def test_bad_names_are_located_and_unknown_countries_are_warnings(
    rows: list[tuple[str, str]],
) -> None:
    project = _cordis_csv(
        ["id", "acronym", "title", "frameworkProgramme", "ecMaxContribution"],
        [["1", "P", "A project", "H2020", "1000"]],
    )
    header = ["projectID", "organisationID", "name", "shortName", "role", "country"]
    organization = _cordis_csv(
        header,
        [["1", str(900 + i), name, "", "participant", c] for i, (name, c) in enumerate(rows)],
    )
    lines, line = [], 2
    for name, _ in rows:
        lines.append(line)
        line += 1 + name.count("\n")
    bad = {}
    for (name, _), at in zip(rows, lines, strict=True):
        wrong = "is empty." if not name.strip() else cell_problem(name.strip(), name=True)
        if wrong is not None:
            bad[at] = wrong
    try:
        facts = facts_from_cordis(("project.csv", project), ("organization.csv", organization))
    except DataError as err:
        assert bad, f"no bad cell, yet: {err}"
        found = {p.line: p for p in err.problems}
        assert set(found) == set(bad)  # every bad row, and nothing else (a country is no problem)
        for problem in err.problems:
            assert (problem.file, problem.column) == ("organization.csv", "name")
            text = str(problem)
            assert f"organization.csv, line {problem.line}, column " in text
            assert not any(c in text for c in ["\x00", "\x1b", "\x07", "\x7f", "\u202e", "\x9b"])
            assert len(text) < 400  # a pasted paragraph is shown by its start
        return
    assert not bad
    assert [m.line for m in facts.mentions] == lines
    for m, (_, written) in zip(facts.mentions, rows, strict=True):
        assert m.country == _KNOWN.get(written, "")
        warned = [n for n in facts.notes if f'line {m.line}, column "country"' in n]
        assert (written not in _KNOWN) == bool(warned)


@pytest.mark.parametrize(
    ("old", "new", "pattern"),
    [
        (
            b'"IcARUS"',
            b'"IcA\x1b[31mRUS"',
            r'project.csv, line 5, column "acronym": "IcA\\x1b\[31mRUS": holds the control',
        ),
        (
            b'"Innovative AppRoaches',
            b'"Innovative \x00AppRoaches',
            r'project.csv, line 5, column "title": ".*\\x00.*": holds the control character',
        ),
        (
            b'"IcARUS"',
            b'"' + b"IcARUS " * 60 + b'"',
            r'project.csv, line 5, column "acronym": "IcARUS IcARUS.*\u2026": is 419 characters '
            r"long; a name has at most 300",
        ),
    ],
)
def test_bad_project_cells_are_located(old: bytes, new: bytes, pattern: str) -> None:
    data = PROJECT.read_bytes()
    assert old in data
    with pytest.raises(DataError, match=pattern):
        facts_from_cordis(("project.csv", data.replace(old, new, 1)), _pair()[1])


def test_a_cordis_file_saved_as_cp1252_reads_the_same_with_a_note() -> None:
    text = ORGANIZATION.read_bytes().decode("utf-8-sig").replace("ROTTERDAM", "RÖTTERDAM")
    utf8 = facts_from_cordis(_pair()[0], ("organization.csv", text.encode("utf-8")))
    cp1252 = facts_from_cordis(_pair()[0], ("organization.csv", text.encode("cp1252")))
    assert cp1252.mentions == utf8.mentions
    assert "GEMEENTE RÖTTERDAM" in {m.name for m in cp1252.mentions}
    assert any("organization.csv is not UTF-8, so it was read as cp1252" in n for n in cp1252.notes)


_AMOUNTS = st.text(alphabet=st.sampled_from(list("0123456789.,- e")), max_size=9)


def _amount_read(text: str, decimal: str) -> float | ValueError | None:
    """The per-cell rule: a stripped amount read by sheets.parse_number ("" is none)."""
    from defus_graph.sources.sheets import parse_number

    text = text.strip()
    try:
        return parse_number(text, decimal=decimal) if text else None
    except ValueError as err:
        return err


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(_AMOUNTS, _AMOUNTS), min_size=1, max_size=8))
def test_amounts_read_a_column_at_a_time_are_those_read_cell_by_cell(
    amounts: list[tuple[str, str]],
) -> None:
    project = _cordis_csv(["id", "acronym", "frameworkProgramme"], [["1", "P", "H2020"]])
    header = ["projectID", "organisationID", "name", "role", "country"]
    organization = _cordis_csv(
        [*header, "ecContribution", "totalCost"],
        [
            ["1", str(900 + i), f"Org {i}", "participant", "DE", *pair]
            for i, pair in enumerate(amounts)
        ],
    )
    expected = [(_amount_read(ec, "."), _amount_read(total, ",")) for ec, total in amounts]
    bad = {
        (line, column)
        for line, read in enumerate(expected, start=2)
        for column, value in zip(("ecContribution", "totalCost"), read, strict=True)
        if isinstance(value, ValueError)
    }
    try:
        facts = facts_from_cordis(("project.csv", project), ("organization.csv", organization))
    except DataError as err:
        assert {(p.line, p.column) for p in err.problems} == bad
        return
    assert not bad
    assert [m.contribution_eur for m in facts.mentions] == [ec for ec, _ in expected]


def _without_line(path: Path, number: int) -> bytes:
    """The file's bytes without its line ``number`` (1-based)."""
    lines = path.read_bytes().split(b"\n")
    del lines[number - 1]
    return b"\n".join(lines)


def test_an_organization_file_without_its_header_line_is_refused_and_nothing_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "project.csv").write_bytes(PROJECT.read_bytes())
    (tmp_path / "organization.csv").write_bytes(_without_line(ORGANIZATION, 1))
    out = tmp_path / "D"
    files = [str(tmp_path / "project.csv"), str(tmp_path / "organization.csv")]
    status = main(["ingest", *files, "--out", str(out)])
    err = capsys.readouterr().err
    assert status == 1
    assert 'organization.csv, line 1, column "project": column is missing' in err
    assert "project.csv: is a CORDIS project file without its organization.csv" in err
    assert not out.exists()


def test_a_project_row_removed_leaves_its_participations_out_with_a_note(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def ingested(name: str, project_bytes: bytes) -> Dataset:
        (tmp_path / "project.csv").write_bytes(project_bytes)
        (tmp_path / "organization.csv").write_bytes(ORGANIZATION.read_bytes())
        folder = tmp_path / name
        files = [str(tmp_path / "project.csv"), str(tmp_path / "organization.csv")]
        assert main(["ingest", *files, "--out", str(folder)]) == 0
        return load_dataset(folder)

    whole = ingested("whole", PROJECT.read_bytes())
    capsys.readouterr()
    cut = ingested("cut", _without_line(PROJECT, 2))
    assert "belong to projects that are not in the project file passed with it; not read" in (
        capsys.readouterr().err
    )
    (gone,) = {p.acronym for p in whole.projects} - {p.acronym for p in cut.projects}
    assert gone not in {pa.project for pa in cut.participations}
    assert {(pa.project, pa.organisation) for pa in cut.participations} == {
        (pa.project, pa.organisation) for pa in whole.participations if pa.project != gone
    }


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 9), max_size=10), st.data())
def test_the_rows_read_are_picked_in_their_places(values: list[int], data: st.DataObject) -> None:
    # Every row read (the common case) is the column as it is; some rows, those rows.
    rows = sorted(data.draw(st.sets(st.integers(0, max(len(values) - 1, 0)))))
    rows = [i for i in rows if i < len(values)]
    picked = cordis_module._picker(rows, len(values))(values)
    assert picked == [values[i] for i in rows]
    assert picked is not values  # a column of its own, as before


def _projects_row_by_row(
    table: Any, problems: Any, notes: list[str]
) -> tuple[list[Project], dict[str, str]]:
    """The plain path: each project's fields made a row at a time (the reader made them so
    before it made them a column at a time)."""
    ids, acronyms_written = table.get("id"), table.get("acronym")
    lines = table.lines
    unique = cordis_module._first_rows_of_ids(table, problems, notes)
    counts = cordis_module._acronym_counts(table.name, [acronyms_written[i] for i in unique], notes)
    not_read = set(range(len(ids))) - set(unique)
    cordis_module._bad_text(table, cordis_module._PROJECT_TEXT, problems, 1, not_read)
    funding = cordis_module._numbers(table, "ecMaxContribution", ".", problems, 10, not_read)
    starts = cordis_module._dates(table, "startDate", problems, 11, not_read)
    ends = cordis_module._dates(table, "endDate", problems, 12, not_read)
    titles, frameworks = table.get("title"), table.get("frameworkProgramme")
    descriptions, funding_texts = table.get("objective"), table.get("ecMaxContribution")
    projects, acronyms = [], {}
    for i in unique:
        pid = ids[i]
        acronym = acronyms_written[i] or f"CORDIS {pid}"
        if counts[acronym.casefold()] > 1:
            acronym = f"{acronym} (cordis:{pid})"
        acronyms[pid] = acronym
        amount = funding[i]
        projects.append(
            Project(
                acronym,
                titles[i],
                descriptions[i],
                starts[i],
                ends[i],
                PROGRAMMES.get(frameworks[i].upper(), frameworks[i]),
                amount,
                "total" if amount is not None else "",
                "",
                "EU contribution (CORDIS ecMaxContribution): " + funding_texts[i]
                if amount is not None
                else "",
                "",
                table.name,
                lines[i],
                lines[i] if descriptions[i] else 0,
                lines[i] if starts[i] or ends[i] else 0,
                lines[i] if amount is not None else 0,
                f"cordis:{pid}",
            )
        )
    return projects, acronyms


# Project rows as CORDIS writes them, and worse: ids repeated or empty, acronyms shared
# (case aside) or empty, hostile texts (quotes, CR/LF, a lone CR, a BOM, control
# characters), dates and amounts good and bad, programmes known and not.
def _mostly(good: list[str], bad: list[str]) -> st.SearchStrategy[str]:
    """One of ``good``, now and then one of ``bad`` (a problem the whole file is refused for)."""
    return st.sampled_from(good * 8 + bad)


_PROJECT_ROWS = st.lists(
    st.tuples(
        _mostly(["1", "2", "3", "4", "5", "1 "], [""]),
        _mostly(["P", "p", "Q", "R", "S", "", '"Q"', "Ä'B", "=1", " R "], ["a\rb"]),
        st.one_of(
            _mostly(["", "T", '"T"', "\ufeffT", "two\r\nlines", "lone\rCR", "a;b"], ["x\x1by"]),
            st.text(st.characters(exclude_categories=("Cc", "Cs")), max_size=5),
        ),
        _mostly(["", "2020-01-01", "2021-12-31"], ["soon"]),
        st.sampled_from(["", "2022-06-30", "2023-01-01"]),
        st.sampled_from(["H2020", "h2020", "FP7", "Other", ""]),
        _mostly(["", "1000", "12.5", "7"], ["x"]),
        st.sampled_from(["", "An objective", "two\nlines"]),
    ),
    min_size=1,
    max_size=8,
)


@settings(max_examples=300, deadline=None)
@given(_PROJECT_ROWS)
def test_projects_made_a_column_at_a_time_are_those_made_row_by_row(
    rows: list[tuple[str, ...]],
) -> None:
    header = ["id", "acronym", "title", "startDate", "endDate", "frameworkProgramme"]
    project = ("project.csv", _cordis_csv([*header, "ecMaxContribution", "objective"], rows))
    organization = (
        "organization.csv",
        _cordis_csv(
            ["projectID", "organisationID", "name", "role", "country"],
            [["1", "900", "Org", "participant", "DE"], ["4", "901", "Two", "coordinator", ""]],
        ),
    )

    def read() -> object:
        try:
            facts = facts_from_cordis(project, organization)
        except DataError as err:
            return [str(p) for p in err.problems]
        return facts.projects, list(facts.mentions), facts.notes

    fast = read()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(cordis_module, "_projects", _projects_row_by_row)
        plain = read()
    assert fast == plain
