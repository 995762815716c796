"""The shared vocabulary, and that every reader reads amounts, dates and names by it."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from defus_graph.cells import MAX_NAME_LENGTH, cell_problem, escape_controls
from defus_graph.errors import InputError, NotFoundError
from defus_graph.names.vocabulary import (
    MUNICIPAL_PREFIXES,
    find_amount,
    kind_from_name,
    month_number,
    municipal_core,
    parse_amount,
    programme_name,
)
from defus_graph.sources.sheets import parse_date, parse_number
from defus_graph.sources.tables import facts_from_csv

# (as written, the file's decimal mark, euros). The decimal mark is what a CSV
# file's separator says: ";" files write a decimal comma, "," files a point.
AMOUNTS = [
    ("€ 98.450,50", ",", 98450.5),
    ("€2,400,000.00", ".", 2400000.0),
    ("€2,400,000.00", ",", 2400000.0),
    ("86 236,65", ",", 86236.65),
    ("1.000", ",", 1000.0),
    ("1.250", ".", 1.25),
    ("1,250", ",", 1.25),
    ("EUR 5000", ".", 5000.0),
    ("5000 EUR", ",", 5000.0),
    ("1.234.567,89", ",", 1234567.89),
    ("1,234,567.89", ".", 1234567.89),
    ("1.000,- €", ",", 1000.0),
    ("3749712,5", ".", 3749712.5),
    ("12\u00a0000", ",", 12000.0),
    ("1'250'000", ".", 1250000.0),
]


@pytest.mark.parametrize(("text", "decimal", "value"), AMOUNTS)
def test_an_amount_reads_the_same_in_a_sheet_and_in_the_vocabulary(
    text: str, decimal: str, value: float
) -> None:
    assert parse_amount(text, decimal=decimal) == value
    assert parse_number(text, decimal=decimal) == value
    sep = ";" if decimal == "," else ","
    csv = f'Projekt{sep}Organisation{sep}Förderung\nA{sep}Essen{sep}"{text}"\n'
    (facts,) = facts_from_csv(csv.encode("utf-8"), "s.csv")
    assert facts.projects[0].funding_eur == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("EU Internal Security Fund, € 630,901.00", 630901.0),
        ("EU Justice Programme, €121,000.00 (Efus-Anteil)", 121000.0),
        ("Erasmus+, 447.597,05 €", 447597.05),
        ("Erasmus+, 86 236,65 EUR", 86236.65),
        ("Horizon 2020, EUR 2.400.000", 2400000.0),
        ("Horizon 2020, 1.000 Euro", 1000.0),
    ],
)
def test_an_amount_in_a_line_of_text(text: str, value: float) -> None:
    found = find_amount(text)
    assert found is not None and found.value == value
    # The span is the amount and its currency, nothing of the programme or the note.
    assert parse_amount(text[found.start : found.end]) == value


@pytest.mark.parametrize(
    "text", ["viel", "1,2,3.4.5", "=1+1", "", "1.2.3", "1.23,4", "€", "121,000.00 (Efus-Anteil)"]
)
def test_what_is_no_amount(text: str) -> None:
    with pytest.raises(ValueError):
        parse_amount(text)


@given(
    st.integers(min_value=0, max_value=10**9),
    st.integers(min_value=0, max_value=99),
    st.sampled_from([(".", ","), (",", ".")]),
    st.sampled_from(["", "€ ", "EUR "]),
)
def test_amounts_written_with_thousands_marks_and_cents_read_back(
    euros: int, cents: int, marks: tuple[str, str], currency: str
) -> None:
    group, decimal = marks
    whole = f"{euros:,}".replace(",", group)
    text = f"{currency}{whole}{decimal}{cents:02d}"
    assert parse_amount(text) == pytest.approx(euros + cents / 100)
    assert parse_amount(text, decimal=decimal) == pytest.approx(euros + cents / 100)


@pytest.mark.parametrize(
    ("word", "month"),
    [
        ("Oktober", 10),
        ("Okt.", 10),
        ("October", 10),
        ("octobre", 10),
        ("Sept.", 9),
        ("Sep", 9),
        ("septembre", 9),
        ("Jan", 1),
        ("Jänner", 1),
        ("janv.", 1),
        ("févr.", 2),
        ("fevrier", 2),
        ("Februar", 2),
        ("März", 3),
        ("Maerz", 3),
        ("Mrz.", 3),
        ("mars", 3),
        ("Mai", 5),
        ("May", 5),
        ("juin", 6),
        ("juil.", 7),
        ("août", 8),
        ("Aug.", 8),
        ("Dez.", 12),
        ("décembre", 12),
    ],
)
def test_a_month_reads_the_same_in_a_sheet_and_in_the_vocabulary(word: str, month: int) -> None:
    assert month_number(word) == month
    assert parse_date(f"{word} 2017") == f"2017-{month:02d}"
    csv = f"Projekt;Organisation;Beginn\nA;Essen;{word} 2017\n"
    (facts,) = facts_from_csv(csv.encode("utf-8"), "s.csv")
    assert facts.projects[0].start == f"2017-{month:02d}"


@pytest.mark.parametrize("word", ["Montag", "Okto", "Herbst"])
def test_what_is_no_month(word: str) -> None:
    assert month_number(word) is None
    with pytest.raises(ValueError, match="no month name"):
        parse_date(f"{word} 2017")


def test_a_programme_in_a_sheet_gets_the_one_name() -> None:
    csv = "Projekt;Organisation;Programm\nA;Essen;EU ERASMUS+ Programme\n"
    (facts,) = facts_from_csv(csv.encode("utf-8"), "s.csv")
    assert facts.projects[0].programme == programme_name("Erasmus +") == "Erasmus+"


@pytest.mark.parametrize("prefix", MUNICIPAL_PREFIXES)
def test_every_municipal_prefix_makes_a_city_and_names_its_place(prefix: str) -> None:
    name = f"{prefix}Ivry" if prefix.endswith("'") else f"{prefix} Ivry"
    assert municipal_core(name) == "ivry"
    assert kind_from_name(name) == "city"


@pytest.mark.parametrize(
    "name", ["Rotterdam", "Stadtwerke München", "Gemeenschap X", "Citymanagement Essen"]
)
def test_a_name_without_a_municipal_prefix_is_no_city(name: str) -> None:
    assert kind_from_name(name) == ""


@pytest.mark.parametrize(
    ("text", "name", "found"),
    [
        ("Stadt Essen", True, None),
        ("Beschreibung\nmit Absatz\tund Tab", False, None),
        ("Essen\x00", False, "control character \\x00"),
        ("\x1b[31mEssen", False, "control character \\x1b"),
        ("Essen\x85", False, "control character \\x85"),
        ("Essen\x7f", False, "control character \\x7f"),
        ("Essen\u202e", False, "control character \\u202e"),
        ("Stadt\nEssen", True, "line break or tab (\\n)"),
        ("Stadt\tEssen", True, "line break or tab (\\t)"),
        ("Stadt\u2028Essen", True, "line break or tab (\\u2028)"),
        ("x" * MAX_NAME_LENGTH, True, None),
        ("x" * (MAX_NAME_LENGTH + 1), True, "301 characters long"),
        ("x" * 5000, False, None),
        ("Ünïcödé ßtraße 😀 👩‍👩‍👧", True, None),
    ],
)
def test_what_a_cell_may_hold(text: str, name: bool, found: str | None) -> None:
    problem = cell_problem(text, name=name)
    if found is None:
        assert problem is None
    else:
        assert problem is not None and found in problem[0]


@given(st.text())
def test_an_input_error_never_prints_a_control_character(value: str) -> None:
    text = str(InputError(value, 3, value, value, f'differs from "{value}".', value))
    assert not any(cell_problem(ch, name=True) for ch in text)
    assert escape_controls(value) in text


def test_an_input_error_is_unchanged_when_nothing_needs_escaping() -> None:
    problem = InputError("s.csv", 2, "Ort", 'Köln "Süd" \\ 😀', "is wrong.", "Fix it.")
    assert str(problem) == 's.csv, line 2, column "Ort": "Köln "Süd" \\ 😀": is wrong. Fix it.'


def test_a_name_not_found_is_printed_escaped() -> None:
    assert "\x1b" not in str(NotFoundError("organisation", "Essen\x1b[2J"))
    assert "\\x1b[2J" in str(NotFoundError("organisation", "Essen\x1b[2J"))
