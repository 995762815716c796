"""Reading and checking data directories: every problem, located, with a fix."""

from __future__ import annotations

import csv
import dataclasses
import io
import string
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from defus_graph.cli import main
from defus_graph.errors import DataError
from defus_graph.model import Alias, Dataset, Organisation, Participation, Project
from defus_graph.store.tables import (
    FILES,
    PREVIOUS_DIR,
    load_dataset,
    save_dataset,
    validate_directory,
)

from .conftest import DATA


def _replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8-sig")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _line_of(path: Path, needle: str) -> int:
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    return next(i for i, line in enumerate(lines, start=1) if needle in line)


def test_the_bundled_data_is_valid(dataset: Dataset) -> None:
    assert len(dataset.projects) == 12


@pytest.mark.parametrize(
    ("file", "old", "new", "pattern"),
    [
        (
            "participations.csv",
            "BRIDGE,Genk",
            "BRIGDE,Genk",
            r'participations.csv, line {line}, column "project": "BRIGDE": is no known project',
        ),
        (
            "participations.csv",
            "LouD,Pella",
            "LouD,Pela",
            r'line {line}, column "organisation": "Pela": is no known organisation\. '
            r'Did you mean "Pella"\?',
        ),
        (
            "projects.csv",
            ",2017-10,2019-09,",
            ",2017-13,2019-09,",
            r'projects.csv, line {line}, column "start": "2017-13": has month 13',
        ),
        (
            "projects.csv",
            ",2017-10,2019-09,",
            ",2019-02-30,2019-09,",
            r'column "start": "2019-02-30": has day 30, but that month has 28 days',
        ),
        (
            "projects.csv",
            ",2017-10,2019-09,",
            ",Okt 2017,2019-09,",
            r'column "start": "Okt 2017": is not a date',
        ),
        (
            "projects.csv",
            ",2017-10,2019-09,",
            ",2019-10,2017-09,",
            r'column "end": "2017-09": is before the start 2019-10',
        ),
        (
            "organisations.csv",
            "Fryshuset,NGO,SE",
            "Fryshuset,NGO,SW",
            r'organisations.csv, line {line}, column "country": "SW": is no ISO 3166',
        ),
        (
            "organisations.csv",
            "Fryshuset,NGO,SE",
            "Fryshuset,charity,SE",
            r'column "kind": "charity": is not allowed here\. Use one of: city',
        ),
        (
            "organisations.csv",
            "Genk,city,BE",
            "Genk,city,BE,extra",
            r"line {line}: has 11 fields, the header has 10",
        ),
        (
            "projects.csv",
            "630901.00,total",
            "630.901,00,total",
            r"line {line}: has 18 fields, the header has 17\. Check for an unquoted comma",
        ),
        (
            "projects.csv",
            "433538.00,total",
            "lots,total",
            r'column "funding_eur": "lots": is not an amount in euros',
        ),
        (
            "participations.csv",
            "BRIDGE,Genk,partner",
            "BRIDGE,Genk,sponsor",
            r'column "role": "sponsor": is not allowed here',
        ),
    ],
)
def test_bad_values_are_located(
    data_copy: Path, file: str, old: str, new: str, pattern: str
) -> None:
    path = data_copy / file
    line = _line_of(path, old)
    _replace_in(path, old, new)
    with pytest.raises(DataError, match=pattern.format(line=line)):
        load_dataset(data_copy)


def test_duplicate_organisation_is_found_by_normalised_name(data_copy: Path) -> None:
    path = data_copy / "organisations.csv"
    with path.open("a", encoding="utf-8") as fh:
        fh.write("DUSSELDORF,city,DE,,,,,,,\n")
    last = len(path.read_text(encoding="utf-8-sig").splitlines())
    first = _line_of(path, "Düsseldorf,")
    with pytest.raises(
        DataError,
        match=rf'line {last}, column "name": "DUSSELDORF": '
        rf'duplicates "Düsseldorf" on line {first}',
    ):
        load_dataset(data_copy)


def test_an_alias_may_not_stand_for_two_organisations(data_copy: Path) -> None:
    with (data_copy / "aliases.csv").open("a", encoding="utf-8") as fh:
        fh.write("Reggio Emilia,Regione Emilia Romagna,curated,,\n")
    with pytest.raises(DataError, match=r'"Reggio Emilia": already stands for "Reggio Emilia"'):
        load_dataset(data_copy)


def test_every_problem_is_reported_at_once(data_copy: Path) -> None:
    _replace_in(data_copy / "participations.csv", "BRIDGE,Genk", "BRIGDE,Genk")
    _replace_in(data_copy / "organisations.csv", "Fryshuset,NGO,SE", "Fryshuset,NGO,XX")
    _replace_in(data_copy / "projects.csv", ",2017-10,2019-09,", ",2017-13,2019-09,")
    problems = validate_directory(data_copy)
    # The cross-table check waits for the tables to be readable, so two of three now.
    assert {p.column for p in problems} == {"country", "start"}
    _replace_in(data_copy / "organisations.csv", "Fryshuset,NGO,XX", "Fryshuset,NGO,SE")
    _replace_in(data_copy / "projects.csv", ",2017-13,2019-09,", ",2017-10,2019-09,")
    assert [p.value for p in validate_directory(data_copy)] == ["BRIGDE"]


def test_a_file_excel_saved_as_cp1252_gets_a_hint(data_copy: Path) -> None:
    path = data_copy / "organisations.csv"
    text = path.read_text(encoding="utf-8-sig")
    path.write_bytes(text.encode("cp1252", errors="replace"))
    with pytest.raises(
        DataError,
        match=r"organisations.csv, line \d+: cannot be read as utf-8 "
        r"\(byte \d+\)\. .*--encoding cp1252",
    ):
        load_dataset(data_copy)


def test_missing_file_and_column(data_copy: Path) -> None:
    (data_copy / "aliases.csv").unlink()
    _replace_in(data_copy / "organisations.csv", "name,kind,country", "name,type,country")
    messages = [str(p) for p in validate_directory(data_copy)]
    assert any(
        "aliases.csv: is missing. Create it with the header: alias,organisation" in m
        for m in messages
    )
    assert any('organisations.csv, line 1, column "kind": column is missing' in m for m in messages)
    assert any(
        'organisations.csv, line 1, column "type": is no known column' in m for m in messages
    )


def test_cli_validate_exits_non_zero_with_every_problem(
    data_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _replace_in(data_copy / "organisations.csv", "Fryshuset,NGO,SE", "Fryshuset,NGO,XX")
    _replace_in(data_copy / "projects.csv", ",2017-10,2019-09,", ",2019-10,2017-09,")
    assert main(["validate", str(data_copy)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("2 problems found:")
    assert '"XX": is no ISO 3166 country code' in err
    assert "Use two capital letters" in err
    assert main(["validate", str(data_copy), "--json"]) == 1
    out = capsys.readouterr().out
    assert '"valid": false' in out and '"column": "end"' in out


def test_no_command_half_loads_bad_data(
    data_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _replace_in(data_copy / "participations.csv", "BRIDGE,Genk", "BRIGDE,Genk")
    assert main(["--data", str(data_copy), "projects", "--json"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert '"BRIGDE": is no known project' in captured.err


# Round trip: what the project saves, it reads back unchanged.

# Cells a spreadsheet would execute, with and without apostrophes in front.
_formula = st.tuples(st.sampled_from(["", "'", "''"]), st.sampled_from("=+-@")).map("".join)
_text = st.tuples(
    st.sampled_from(["", ""]) | _formula,
    st.text(
        alphabet=st.characters(
            blacklist_categories=("Cs", "Cc", "Zl", "Zp"), blacklist_characters="\ufeff"
        ),
        max_size=30,
    ),
).map(lambda parts: (parts[0] + parts[1]).strip())
_name = (
    st.tuples(
        st.sampled_from(["", ""]) | _formula,
        st.text(alphabet=string.ascii_letters + "äöüßéè'&<>\"; -,=+@", min_size=1, max_size=20),
    )
    .map(lambda parts: (parts[0] + parts[1]).strip())
    .filter(bool)
)


@st.composite
def datasets(draw: st.DrawFn) -> Dataset:
    names = draw(st.lists(_name, min_size=1, max_size=6, unique_by=lambda n: n.casefold()))
    from defus_graph.names.normal import name_keys

    seen: set[str] = set()
    orgs = []
    for n in names:
        if name_keys(n) & seen:
            continue
        seen |= name_keys(n)
        orgs.append(
            Organisation(
                n,
                draw(st.sampled_from(["", "city", "NGO"])),
                draw(st.sampled_from(["", "DE", "FR"])),
                "x.txt",
                draw(st.integers(0, 500)),
                draw(_text),
            )
        )
    acronyms = draw(
        st.lists(
            st.text(string.ascii_uppercase, min_size=1, max_size=6),
            min_size=1,
            max_size=4,
            unique=True,
        )
    )
    projects = []
    for a in acronyms:
        amount = draw(st.none() | st.integers(0, 10**9).map(lambda c: c / 100))
        projects.append(
            Project(
                a,
                draw(_text),
                draw(_text),
                "2017-10",
                "2019",
                draw(_text),
                amount,
                "" if amount is None else "total",
                "",
                draw(_text),
                draw(_text),
                "p.txt",
                draw(st.integers(0, 999)),
            )
        )
    pairs = draw(
        st.lists(
            st.tuples(st.sampled_from(acronyms), st.sampled_from([o.name for o in orgs])),
            unique=True,
        )
    )
    parts = tuple(
        Participation(p, o, draw(st.sampled_from(["partner", "coordinator"])), o, "p.txt", 3)
        for p, o in pairs
    )
    return Dataset(
        tuple(projects),
        tuple(orgs),
        parts,
        (Alias("Another name 1", orgs[0].name, "curated", 0, draw(_text)),),
    )


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(ds=datasets())
def test_saving_then_loading_gives_back_the_same_data(tmp_path: Path, ds: Dataset) -> None:
    target = tmp_path / "rt"
    save_dataset(ds, target)
    assert load_dataset(target) == ds


def test_tables_from_before_the_cordis_columns_still_load(data_copy: Path) -> None:
    """Columns added later (pic, coordinates, contributions) may be absent."""
    for name, keep in (("organisations.csv", 6), ("participations.csv", 6)):
        path = data_copy / name
        rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
        assert len(rows[0]) > keep
        with path.open("w", encoding="utf-8", newline="") as fh:
            csv.writer(fh).writerows(row[:keep] for row in rows)
    bundled = load_dataset(DATA)
    # The hand-kept cities (University of Salford -> Salford) and coordinates (Maranello)
    # are in later columns too.
    without_cities = tuple(
        dataclasses.replace(o, city="", latitude=None, longitude=None)
        for o in bundled.organisations
    )
    assert load_dataset(data_copy) == dataclasses.replace(bundled, organisations=without_cities)


def test_coordinates_and_contributions_round_trip(tmp_path: Path) -> None:
    ds = Dataset(
        projects=(Project("SAFE", external_id="cordis:101021866"),),
        organisations=(
            Organisation(
                "Düsseldorf",
                "city",
                "DE",
                pic="999999999",
                city="Düsseldorf",
                latitude=51.2277411,
                longitude=6.7734556,
            ),
        ),
        participations=(Participation("SAFE", "Düsseldorf", "partner", contribution_eur=125000.5),),
    )
    save_dataset(ds, tmp_path)
    assert load_dataset(tmp_path) == ds


def test_a_latitude_out_of_range_is_located(data_copy: Path) -> None:
    _replace_in(
        data_copy / "organisations.csv",
        "Genk,city,BE,defus_projekte.txt,56,,,,,",
        "Genk,city,BE,defus_projekte.txt,56,,,,95.1,5.5",
    )
    with pytest.raises(DataError, match=r'column "latitude": "95.1": is not a latitude'):
        load_dataset(data_copy)


def test_no_cell_is_written_as_a_formula(tmp_path: Path) -> None:
    hostile = '=HYPERLINK("http://x","click")'
    ds = Dataset(
        projects=(Project("+SUM", title="@cmd", description="-2+3"),),
        organisations=(Organisation(hostile, "city", "DE"), Organisation("'=already")),
        participations=(Participation("+SUM", hostile, "partner", name_as_written="=1+1"),),
        aliases=(Alias("-minus", hostile),),
    )
    save_dataset(ds, tmp_path)
    for name in ("projects.csv", "organisations.csv", "participations.csv", "aliases.csv"):
        rows = list(csv.reader(io.StringIO((tmp_path / name).read_text(encoding="utf-8-sig"))))
        cells = [c for row in rows[1:] for c in row]
        assert all(not c or c[0] not in "=+-@" for c in cells), (name, cells)
    assert load_dataset(tmp_path) == ds


def test_negative_coordinates_stay_numbers(tmp_path: Path) -> None:
    ds = Dataset(organisations=(Organisation("Lisbon", latitude=38.7, longitude=-9.14),))
    save_dataset(ds, tmp_path)
    assert ",38.7,-9.14" in (tmp_path / "organisations.csv").read_text(encoding="utf-8-sig")
    assert load_dataset(tmp_path) == ds


def test_a_save_keeps_the_previous_version(data_copy: Path) -> None:
    before = {name: (data_copy / name).read_bytes() for name in FILES}
    ds = load_dataset(data_copy)
    smaller = Dataset(ds.projects, ds.organisations, ds.participations, ds.aliases[:-1])
    save_dataset(smaller, data_copy)
    assert load_dataset(data_copy) == smaller
    assert {name: (data_copy / PREVIOUS_DIR / name).read_bytes() for name in FILES} == before
    assert load_dataset(data_copy / PREVIOUS_DIR) == ds
    assert not [p for p in data_copy.rglob("*.tmp")]


# Every check of the readers, each with its whole message: users read these.


def _append(path: Path, row: str) -> int:
    """Append ``row`` to a table; the physical line it stands on."""
    with path.open("a", encoding="utf-8") as fh:
        fh.write(row + "\n")
    return len(path.read_text(encoding="utf-8-sig").splitlines())


@pytest.mark.parametrize(
    ("file", "row", "message"),
    [
        (
            "projects.csv",
            ",Title,,,,,,,,,,,,,,,",
            'line {line}, column "acronym": "": is empty. Every project needs an acronym.',
        ),
        (
            "projects.csv",
            "X,,,,,,,total,,,,,,,,,",
            'line {line}, column "funding_scope": "total": is set but there is no amount. '
            "Fill in funding_eur or clear funding_scope.",
        ),
        (
            "projects.csv",
            "X,,,,,,100.00,partner_share,,,,,,,,,",
            'line {line}, column "funding_share_of": "": is empty, but the amount is one '
            "partner's share. Name the organisation whose share it is.",
        ),
        (
            "projects.csv",
            "X,,,,,,100.00,,,,,,,,,,",
            'line {line}, column "funding_scope": "": is empty. Use one of: total, partner_share.',
        ),
        (
            "projects.csv",
            "X,,,,,,,,,,,,7,9,x,,",
            'line {line}, column "dates_line": "x": is not a line number. '
            "Write a whole number, or leave it empty.",
        ),
        (
            "organisations.csv",
            ",city,DE,,,,,,,",
            'line {line}, column "name": "": is empty. Every organisation needs a name.',
        ),
        (
            "organisations.csv",
            "Nowhere,city,DE,,,,,,12,-200",
            'line {line}, column "longitude": "-200": is not a longitude. '
            "Write degrees between -180 and 180, e.g. 6.7735.",
        ),
        (
            "participations.csv",
            "BRIDGE,Augsburg,,,,,",
            'line {line}, column "role": "": is empty. '
            "Use one of: coordinator, partner, participant.",
        ),
        (
            "participations.csv",
            "BRIDGE,Augsburg,partner,,,,-5",
            'line {line}, column "contribution_eur": "-5": is not an amount in euros. '
            "Write digits with a decimal point, e.g. 630901.00.",
        ),
        (
            "aliases.csv",
            ",Augsburg,curated,,",
            'line {line}, column "alias": "": is empty. Write the other name, or delete the row.',
        ),
        (
            "aliases.csv",
            "Augsburg Stadt,Augsburg,curated,²,",
            'line {line}, column "line": "²": is not a line number. '
            "Write a whole number, or leave it empty.",
        ),
        (
            "aliases.csv",
            "Augsburg Stadt,Augsburg,curated,L3,",
            'line {line}, column "line": "L3": is not a line number. '
            "Write a whole number, or leave it empty.",
        ),
        (
            "projects.csv",
            "SiBa,Again,,,,,,,,,,,,,,,",
            'line {line}, column "acronym": "SiBa": is already the project on line 2. '
            "Merge the two rows or give one another acronym.",
        ),
        (
            "participations.csv",
            "SiBa,DEFUS,partner,,,,",
            'line {line}, column "organisation": "DEFUS": is already in SiBa on line 2. '
            "Keep one row per organisation and project.",
        ),
    ],
)
def test_each_row_check_names_line_column_and_value(
    data_copy: Path, file: str, row: str, message: str
) -> None:
    path = data_copy / file
    line = _append(path, row)
    problems = [str(p) for p in validate_directory(data_copy)]
    assert problems == [f"{path}, " + message.format(line=line)]


def test_an_empty_table_says_what_its_first_line_must_be(data_copy: Path) -> None:
    path = data_copy / "aliases.csv"
    path.write_text("", encoding="utf-8")
    assert [str(p) for p in validate_directory(data_copy)] == [
        f"{path}, line 1: is empty. Its first line must be: alias,organisation,source,line,note"
    ]


def test_csv_the_reader_cannot_parse_is_located(data_copy: Path) -> None:
    # A cell longer than the csv module's field limit is the error it raises here.
    path = data_copy / "aliases.csv"
    line = _append(path, "a," + "y" * 200_000 + ",curated,,")
    problem = "is not valid CSV here: field larger than field limit (131072)."
    assert [str(p) for p in validate_directory(data_copy)] == [
        f"{path}, line {line}: {problem} Check the quotes on this line."
    ]
    path.write_text("x" * 200_000 + "\n", encoding="utf-8")
    assert [str(p) for p in validate_directory(data_copy)] == [
        f"{path}, line 1: is not CSV: field larger than field limit (131072)."
    ]


def test_an_unknown_encoding_is_named(data_copy: Path) -> None:
    problems = validate_directory(data_copy, encoding="nope")
    assert [str(p) for p in problems] == [
        f'{data_copy / name}: "nope": is no known text encoding. Use utf-8 or cp1252.'
        for name in FILES
    ]


def test_a_path_that_is_no_directory_is_named(tmp_path: Path) -> None:
    with pytest.raises(DataError) as caught:
        load_dataset(tmp_path / "nowhere")
    assert [str(p) for p in caught.value.problems] == [
        f"{tmp_path / 'nowhere'}: is not a directory. "
        "Name the folder that holds projects.csv and the others."
    ]


# What no cell may hold, and what a participation cannot do without.


@pytest.mark.parametrize(
    ("file", "row", "message"),
    [
        (
            "organisations.csv",
            "Nowhere\x1b[31m,city,DE,,,,,,,",
            'line {line}, column "name": "Nowhere\\x1b[31m": holds the control character '
            "\\x1b, which no text may hold. Delete it: it is invisible, often left over from "
            "copying out of another program.",
        ),
        (
            "aliases.csv",
            "Augsburg Stadt,Augsburg,curated,,a\x00note",
            'line {line}, column "note": "a\\x00note": holds the control character \\x00, '
            "which no text may hold. Delete it: it is invisible, often left over from "
            "copying out of another program.",
        ),
        (
            "organisations.csv",
            "Nowhere,city,DE,,,,Essen\tMitte,,,",
            'line {line}, column "city": "Essen\\tMitte": holds a line break or tab (\\t); '
            "a name is one line. Write the name on one line, without tabs.",
        ),
        (
            "organisations.csv",
            "N" + "o" * 300 + ",city,DE,,,,,,,",
            'line {line}, column "name": "N' + "o" * 79 + '…": is 301 characters long; '
            "a name has at most 300. Is a paragraph pasted into this cell? Keep only the "
            "name here.",
        ),
        (
            "participations.csv",
            ",Augsburg,partner,,,,",
            'line {line}, column "project": "": is empty. '
            "Name the project (its acronym), or delete the row.",
        ),
        (
            "participations.csv",
            "BRIDGE,,partner,,,,",
            'line {line}, column "organisation": "": is empty. '
            "Name the organisation, or delete the row.",
        ),
    ],
)
def test_bad_cells_are_located(data_copy: Path, file: str, row: str, message: str) -> None:
    path = data_copy / file
    line = _append(path, row)
    problems = [str(p) for p in validate_directory(data_copy)]
    assert problems == [f"{path}, " + message.format(line=line)]


def test_a_line_break_in_a_description_is_text_and_lines_stay_physical(data_copy: Path) -> None:
    path = data_copy / "projects.csv"
    _append(path, 'NEW,A title,"first line\nsecond line",,,,,,,,,,,,,,')
    line = _append(path, "NEWER,,,2017-13,,,,,,,,,,,,,")
    problems = [str(p) for p in validate_directory(data_copy)]
    assert problems == [
        f'{path}, line {line}, column "start": "2017-13": has month 13, which does not exist. '
        "Write a date such as 2017, 2017-10 or 2017-10-01."
    ]
    _replace_in(path, "NEWER,,,2017-13,", "NEWER,,,2017-12,")
    assert load_dataset(data_copy).project("NEW").description == "first line\nsecond line"


# The tables are written a column at a time; the bytes are those csv.writer writes.


@settings(max_examples=200, deadline=None)
@given(
    rows=st.lists(
        st.lists(
            st.text(alphabet=st.sampled_from(list(" ,\"'\n\r\t;=aä\x00\u2028")), max_size=6),
            min_size=5,
            max_size=5,
        ),
        max_size=6,
    )
)
def test_tables_are_written_as_csv_writer_writes_them(rows: list[list[str]]) -> None:
    import csv
    import io

    from defus_graph.store import tables as store

    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(store._columns(Alias))
    writer.writerows(rows)
    cells = [list(column) for column in zip(*rows, strict=True)] if rows else [[]] * 5
    expected = ("\ufeff" + buffer.getvalue()).encode("utf-8")
    assert store._table_bytes(cells, "aliases.csv") == expected


def test_a_cell_holding_the_column_writer_s_own_ending_is_written_as_csv_writer_writes_it() -> None:
    import csv
    import io

    from defus_graph.store import tables as store

    rows = [["a,\x00\nb", "x", "", "", ""], ['"q",\x00', "y", "", "", "z"]]
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(store._columns(Alias))
    writer.writerows(rows)
    cells = [list(column) for column in zip(*rows, strict=True)]
    assert store._table_bytes(cells, "aliases.csv") == ("\ufeff" + buffer.getvalue()).encode()


# Cells drawn to hit the column-wise rules: controls, breaks, overrides, quotes,
# commas, formula signs and apostrophes, among plain and non-ASCII text.
_EDGY_CELLS = st.lists(
    st.text(
        st.sampled_from("aé '=+-@\",\n\r\t\x00\x1b\x7f\x85\u2028\u202e\u2067\u00a0")
        | st.characters(),
        max_size=8,
    ),
    max_size=6,
)


@settings(max_examples=300, deadline=None)
@given(_EDGY_CELLS, st.booleans())
def test_a_column_is_clean_exactly_when_each_cell_is(cells: list[str], name: bool) -> None:
    """The column-wise check (one printable scan, then one regex) says what the
    per-cell rule says of every cell."""
    from defus_graph.cells import cell_problem
    from defus_graph.store.tables import _column_is_clean

    expected = all(cell_problem(c, name=name) is None for c in cells)
    assert _column_is_clean(cells, name) == expected


@settings(max_examples=300, deadline=None)
@given(_EDGY_CELLS)
@example(["a", "-1"])
@example(["a", "x,y", '"'])
def test_a_column_is_written_as_csv_writer_writes_each_cell(cells: list[str]) -> None:
    """Cells escaped and quoted a column at a time (substring searches) are those
    escape_cell and csv.writer make of each cell."""
    from defus_graph.store.tables import _column_cells, _csv_line, _written_column, escape_cell

    escaped = _column_cells(list(cells), "title")
    assert escaped == [escape_cell(c) for c in cells]
    assert _written_column(escaped) == [_csv_line([c, "a"])[:-3] for c in escaped]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.floats(allow_nan=False) | st.none(), max_size=5),
    st.lists(st.integers(min_value=0, max_value=10**12), max_size=5),
    st.sampled_from(["funding_eur", "latitude"]),
)
def test_number_columns_are_written_as_each_cell_is(
    floats: list[float | None], ints: list[int], column: str
) -> None:
    """Number cells written a column at a time are those _cell writes of each value."""
    from defus_graph.store.tables import _cell, _column_cells

    assert _column_cells(list(floats), column) == [_cell(v, column) for v in floats]
    assert _column_cells(list(ints), "line") == [_cell(v, "line") for v in ints]


def _numbers_of_each_distinct(values: list[str], column: str) -> list[float | None] | None:
    """The plain path: each distinct cell read and judged once (before _numbers_of read
    every cell in C and judged the range in numpy)."""
    from defus_graph.store.tables import NUMBER_RANGES

    low, high, _ = NUMBER_RANGES[column]
    numbers: dict[str, float | None] = {"": None}
    for value in set(values):
        if value:
            try:
                number = float(value)
            except ValueError:
                return None
            if not low <= number <= high:
                return None
            numbers[value] = number
    return [numbers[v] for v in values]


_NUMBER_CELLS = st.one_of(
    st.floats(-200, 1e12).map("{:.2f}".format),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.sampled_from(["", "", "x", "1,5", " 1 ", "1_0", "nan", "inf", "-inf", "1e400", "-0.0"]),
)


@settings(max_examples=500, deadline=None)
@given(
    st.lists(_NUMBER_CELLS, max_size=12),
    st.sampled_from(["funding_eur", "contribution_eur", "latitude", "longitude"]),
)
def test_numbers_read_in_c_are_those_read_one_distinct_cell_at_a_time(
    values: list[str], column: str
) -> None:
    from defus_graph.store import tables

    fast = tables._numbers_of(values, column)
    plain = _numbers_of_each_distinct(values, column)
    assert fast == plain
    assert fast is None or [type(n) for n in fast] == [type(n) for n in plain or []]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from(list("\x00'=+-@a ,")), max_size=4), max_size=8))
def test_a_text_column_is_escaped_as_each_cell_would_be(values: list[str]) -> None:
    # The whole column searched once for a cell that may need escaping (behind the NUL
    # joining the cells, even where a cell holds a NUL itself): each cell as escape_cell.
    from defus_graph.store import tables

    assert tables._column_cells(values, "title") == [tables.escape_cell(v) for v in values]


def _crosses_ok_name_by_name(tables: dict[str, dict[str, list[str]]]) -> bool:
    """The plain path: each organisation's keys checked against those before it in turn
    (before _crosses_ok compared the count of all keys with the count of distinct ones)."""
    from defus_graph.names.normal import name_keys

    projects, organisations = tables["projects.csv"], tables["organisations.csv"]
    participations, aliases = tables["participations.csv"], tables["aliases.csv"]
    acronyms = set(projects["acronym"])
    if len(acronyms) != len(projects["acronym"]):
        return False
    owner: dict[str, str] = {}
    for name in organisations["name"]:
        keys = name_keys(name)
        if any(k in owner for k in keys):
            return False
        owner.update(dict.fromkeys(keys, name))
    orgs = set(organisations["name"])
    for alias, organisation in zip(aliases["alias"], aliases["organisation"], strict=True):
        keys = name_keys(alias)
        if organisation not in orgs or any(
            owner.get(k, organisation) != organisation for k in keys
        ):
            return False
        for k in keys:
            owner.setdefault(k, organisation)
    pairs = set(zip(participations["project"], participations["organisation"], strict=True))
    return (
        len(pairs) == len(participations["project"])
        and set(participations["project"]) <= acronyms
        and set(participations["organisation"]) <= orgs
        and set(projects["funding_share_of"]) - {""} <= orgs
        and set(tables["members.csv"]["organisation"]) - {""} <= orgs
    )


_ORG_NAMES = st.sampled_from(["Köln", "Koeln", "KÖLN", "Koln", "Efus", "efus ", "Bad", "Bäd", "X"])


@settings(max_examples=500, deadline=None)
@given(
    st.lists(_ORG_NAMES, max_size=5),
    st.lists(st.tuples(_ORG_NAMES, _ORG_NAMES), max_size=3),
    st.lists(st.tuples(st.sampled_from("AB"), _ORG_NAMES), max_size=3),
)
def test_names_kept_apart_are_told_as_one_name_at_a_time_tells_them(
    names: list[str], aliases: list[tuple[str, str]], parts: list[tuple[str, str]]
) -> None:
    from defus_graph.store import tables as store_tables

    tables = {
        "projects.csv": {"acronym": ["A", "B"], "funding_share_of": ["", ""]},
        "organisations.csv": {"name": names},
        "participations.csv": {
            "project": [p for p, _ in parts],
            "organisation": [o for _, o in parts],
        },
        "aliases.csv": {"alias": [a for a, _ in aliases], "organisation": [o for _, o in aliases]},
        "members.csv": {"organisation": []},
    }
    assert store_tables._crosses_ok(tables) == _crosses_ok_name_by_name(tables)
