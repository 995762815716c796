"""Bad cells in spreadsheets: each a problem with file, line, column and value; no row dropped."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from defus_graph.cells import MAX_NAME_LENGTH
from defus_graph.cli import main
from defus_graph.errors import DataError
from defus_graph.sources.sheets import csv_sheet
from defus_graph.sources.tables import facts_from_csv, facts_from_sheets, facts_from_xlsx
from defus_graph.store.tables import FILES

from .conftest import DATA

# What the vocabulary's module docstring promises: no text holds these ...
CONTROLS = [chr(c) for c in [*range(0x20), 0x7F, *range(0x80, 0xA0)] if chr(c) not in "\t\n\r"]
CONTROLS += [chr(c) for c in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]]
# ... and no name holds these.
LINE_BREAKS = ["\t", "\n", "\u2028", "\u2029"]
RAW = re.compile("[" + "".join(re.escape(c) for c in CONTROLS + LINE_BREAKS + ["\r"]) + "]")


PARAGRAPH = "Die Stadt Essen ist schön. " * 200


def _messages(text: str, name: str = "s.csv") -> list[str]:
    with pytest.raises(DataError) as caught:
        facts_from_csv(text.encode("utf-8"), name)
    return [str(p) for p in caught.value.problems]


@pytest.mark.parametrize(
    ("text", "messages"),
    [
        (
            "Projekt;Organisation;Land\nA;;DE\nA;Essen;DE\n",
            [
                's.csv, line 2, column "Organisation": "": is empty. Every row needs an '
                "organisation; write the project's facts on one of its organisations' rows."
            ],
        ),
        (
            "Projekt;Organisation\n;Essen\n",
            [
                's.csv, line 2, column "Projekt": "": is empty. '
                "Every row needs the project's acronym."
            ],
        ),
        (
            "Projekt;Organisation\nA;Essen\x1b[31m\n",
            [
                's.csv, line 2, column "Organisation": "Essen\\x1b[31m": holds the control '
                "character \\x1b, which no text may hold. Delete it: it is invisible, often left "
                "over from copying out of another program."
            ],
        ),
        (
            "Projekt;Organisation;Beschreibung\nA\x00;Essen;gut\x07\n",
            [
                's.csv, line 2, column "Projekt": "A\\x00": holds the control character \\x00, '
                "which no text may hold. Delete it: it is invisible, often left over from copying "
                "out of another program.",
                's.csv, line 2, column "Beschreibung": "gut\\x07": holds the control character '
                "\\x07, which no text may hold. Delete it: it is invisible, often left over from "
                "copying out of another program.",
            ],
        ),
        (
            'Projekt;Organisation\nA;"Stadt\nEssen"\nB;Köln\n',
            [
                's.csv, line 2, column "Organisation": "Stadt\\nEssen": holds a line break or '
                "tab (\\n); a name is one line. Write the name on one line, without tabs."
            ],
        ),
        (
            f"Projekt;Organisation\nA;{PARAGRAPH}\n",
            [
                f's.csv, line 2, column "Organisation": "{PARAGRAPH[:80]}…": '
                f"is {len(PARAGRAPH.strip())} characters long; a name "
                "has at most 300. Is a paragraph pasted into this cell? Keep only the name here."
            ],
        ),
    ],
)
def test_each_bad_cell_is_located(text: str, messages: list[str]) -> None:
    assert _messages(text) == messages


def test_a_description_may_hold_line_breaks_and_be_long() -> None:
    long = "Ein Satz über das Projekt. " * 100
    text = f'Projekt;Organisation;Beschreibung\nA;Essen;"Erster Absatz.\nZweiter.\t{long}"\n'
    (facts,) = facts_from_csv(text.encode("utf-8"), "s.csv")
    assert facts.projects[0].description.startswith("Erster Absatz.\nZweiter.\t")


def test_a_control_character_at_the_edge_of_a_cell_is_found_too() -> None:
    # Python's str.strip() drops \x1c-\x1f and \x85 as if they were spaces.
    (message,) = _messages("Projekt;Organisation\nA;Essen\x1f\n")
    assert 'line 2, column "Organisation": "Essen\\x1f": holds the control character' in message
    first, second = _messages("Projekt;Organisation\nA;Essen\n\x1c;\x1d\n")
    assert 'line 3, column "Projekt": "\\x1c"' in first
    assert 'line 3, column "Organisation": "\\x1d"' in second


def test_a_cell_over_the_csv_field_limit_says_so() -> None:
    limit = csv.field_size_limit()
    text = 'Projekt;Organisation\nA;"Essen\nB;Köln\n' + "x" * limit
    assert _messages(text) == [
        f"s.csv, line 2: has a cell over {limit:,} characters, starting on this line. Is a "
        "quote missing (then the cell runs on to the end of the file), or is a whole text "
        "pasted into one cell? Close the quote, or shorten the text."
    ]


def test_bad_cells_in_a_workbook_name_the_sheet_row() -> None:
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.title = "Partner"
    for row in [["Projekt", "Organisation"], ["A", "Essen"], [None, None], ["A", "Köln\u202e"]]:
        ws.append(row)
    ws.append(["B", None])
    buffer = io.BytesIO()
    book.save(buffer)
    with pytest.raises(DataError) as caught:
        facts_from_xlsx(buffer.getvalue(), "p.xlsx")
    assert [(p.file, p.line, p.column, p.value) for p in caught.value.problems] == [
        ("p.xlsx[Partner]", 4, "Organisation", "Köln\u202e"),
        ("p.xlsx[Partner]", 5, "Organisation", ""),
    ]
    assert "\u202e" not in str(caught.value) and "Köln\\u202e" in str(caught.value)


@pytest.mark.parametrize(
    ("table", "cells", "column", "value", "message"),
    [
        ("participations.csv", {"project": "A", "role": "partner"}, "organisation", "", "empty"),
        ("participations.csv", {"organisation": "E", "role": "partner"}, "project", "", "empty"),
        ("organisations.csv", {"name": "Essen\x1b[0m"}, "name", "Essen\x1b[0m", "control"),
        ("projects.csv", {"acronym": "A", "title": "t" * 400}, "title", "t" * 80 + "…", "400"),
        ("aliases.csv", {"alias": "Stadt\nEssen", "organisation": "E"}, "alias", None, "break"),
    ],
)
def test_bad_cells_in_the_own_tables_given_as_input(
    table: str, cells: dict[str, str], column: str, value: str | None, message: str
) -> None:
    header = (DATA / table).read_text(encoding="utf-8-sig").splitlines()[0].split(",")
    buffer = io.StringIO()
    csv.writer(buffer).writerows([header, [cells.get(h, "") for h in header]])
    sheet = csv_sheet(buffer.getvalue().encode("utf-8"), table)
    with pytest.raises(DataError) as caught:
        facts_from_sheets([sheet])
    (problem,) = caught.value.problems
    assert (problem.file, problem.line, problem.column) == (table, 2, column)
    assert problem.value == (cells[column] if value is None else value)
    assert message in problem.message


def test_the_command_line_writes_nothing_and_prints_no_control_character(
    data_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sheet = tmp_path / "partner.csv"
    sheet.write_text("Projekt;Organisation\nNEU;Essen\x1b[2J\x1b[31m\nNEU;\n", encoding="utf-8")
    before = {name: (data_copy / name).read_bytes() for name in FILES}
    assert main(["ingest", str(sheet), "--out", str(data_copy)]) == 1
    err = capsys.readouterr().err
    assert "\x1b" not in err and "Traceback" not in err
    assert 'partner.csv, line 2, column "Organisation": "Essen\\x1b[2J\\x1b[31m"' in err
    assert 'partner.csv, line 3, column "Organisation": "": is empty.' in err
    assert {name: (data_copy / name).read_bytes() for name in FILES} == before


# Random sheets: every row is either read (its organisation with its line) or is a
# problem at its line; a row is never dropped, and no message prints a control raw.

_PLAIN = st.text(
    st.characters(categories=["L", "N"], include_characters=" .-'&äöüßé😀"), min_size=1
).map(lambda s: s.strip() or "x")
_CELL = st.one_of(
    _PLAIN,
    st.just(""),
    st.tuples(_PLAIN, st.sampled_from(CONTROLS + LINE_BREAKS), _PLAIN).map("".join),
    st.integers(MAX_NAME_LENGTH - 2, MAX_NAME_LENGTH + 3).map(
        lambda n: "ab" * (n // 2) + "c" * (n % 2)
    ),
)


def _quoted(cell: str) -> str:
    return '"' + cell.replace('"', '""') + '"'


_TEXT_CONTROL = re.compile("[" + "".join(re.escape(c) for c in CONTROLS) + "]")


def _expected_problem(project: str, organisation: str, city: str, description: str) -> bool:
    """Whether a row breaks the rules the vocabulary states (the oracle, written apart)."""
    names = (project, organisation, city)
    return (
        not project.strip()
        or not organisation.strip()
        or any(len(n) > MAX_NAME_LENGTH or RAW.search(n) for n in names)
        or bool(_TEXT_CONTROL.search(description))
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(_CELL, _CELL, _CELL, _CELL), min_size=1, max_size=6))
def test_random_cells_are_read_or_located_never_dropped(
    rows: list[tuple[str, str, str, str]],
) -> None:
    rows = [r for r in rows if any(c.strip() for c in r)]  # a blank line is no row
    if not rows:
        return
    lines: list[int] = []
    line = 2
    for row in rows:
        lines.append(line)
        line += sum(cell.count("\n") for cell in row) + 1
    text = "Projekt;Organisation;Stadt;Beschreibung\n" + "".join(
        ";".join(map(_quoted, row)) + "\n" for row in rows
    )
    bad = {at for at, row in zip(lines, rows, strict=True) if _expected_problem(*row)}
    try:
        (facts,) = facts_from_csv(text.encode("utf-8"), "r.csv")
    except DataError as err:
        # Rows of one project that describe it differently are a problem of their own.
        located = {p.line for p in err.problems if "differs from" not in p.message}
        assert located == bad
        assert all(p.line in lines and p.column for p in err.problems)
        assert not any(RAW.search(str(p)) for p in err.problems)
        return
    assert not bad
    assert [m.line for m in facts.mentions] == lines
    assert [m.name for m in facts.mentions] == [row[1].strip() for row in rows]


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(_CELL, _CELL, _CELL), min_size=1, max_size=6))
def test_random_cells_in_own_participations_are_read_or_located(
    rows: list[tuple[str, str, str]],
) -> None:
    rows = [r for r in rows if any(r)]
    if not rows:
        return
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["project", "organisation", "role", "name_as_written", "source", "line"])
    lines: list[int] = []
    line = 2
    for project, organisation, written in rows:
        writer.writerow([project, organisation, "partner", written, "", ""])
        lines.append(line)
        line += project.count("\n") + organisation.count("\n") + written.count("\n") + 1
    sheet = csv_sheet(buffer.getvalue().encode("utf-8"), "participations.csv")
    bad = {
        at
        for at, (project, organisation, written) in zip(lines, rows, strict=True)
        if _expected_problem(project, organisation, written, "")
    }
    try:
        (facts,) = facts_from_sheets([sheet])
    except DataError as err:
        assert {p.line for p in err.problems} == bad
        assert all(p.column for p in err.problems)
        assert not any(RAW.search(str(p)) for p in err.problems)
        return
    assert not bad
    assert [m.line for m in facts.mentions] == lines
