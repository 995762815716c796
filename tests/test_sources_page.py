"""The page parser on small pages written for the tests."""

from __future__ import annotations

import pytest

from defus_graph.errors import DataError
from defus_graph.sources.page import parse_page
from defus_graph.vocabulary import parse_amount, programme_name


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("630,901.00", 630901.0),
        ("447.597,05", 447597.05),
        ("1.250.000", 1250000.0),
        ("86 236,65", 86236.65),
        ("121,000.00", 121000.0),
        ("5000", 5000.0),
    ],
)
def test_amounts_in_english_and_german_notation(text: str, amount: float) -> None:
    assert parse_amount(text) == amount


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("EU Internal Security Fund", "Internal Security Fund"),
        ("EU Internal Security Fund – Police programme", "Internal Security Fund"),
        ("EU ERASMUS+ Programme", "Erasmus+"),
        ("EU Justice Programme", "Justice Programme"),
        ("EU Horizon 2020 Programme", "Horizon 2020"),
        ("Horizon Europe", "Horizon Europe"),
        ("Bundesministerium des Innern Programm", "Bundesministerium des Innern"),
    ],
)
def test_programme_names_are_normalised(text: str, name: str) -> None:
    assert programme_name(text) == name


PAGE = """Projekte

Laufende Projekte, an denen Efus beteiligt ist:

Projekt ALPHA - Erstes Projekt (2015 - 2016)

Dies ist ein Absatz - mit Gedankenstrich - der lang genug ist, um als Beschreibung zu gelten.

Koordinator: Stadt Köln
Partner: Lyon and Grenoble (France), Mechelen (BE), Hope Network (Malta)
Förderung: EU Justice Programme, 12.500,00 € (Efus-Anteil)

BETA-Project – Second project
Laufzeit: October 2020 – März 2022
Partner: Aarhus (DK)
"""


def test_a_small_page() -> None:
    facts = parse_page(PAGE, "test.txt")
    assert [p.acronym for p in facts.projects] == ["ALPHA", "BETA"]
    alpha, beta = facts.projects
    assert (alpha.title, alpha.start, alpha.end, alpha.dates_line) == (
        "Erstes Projekt",
        "2015",
        "2016",
        5,
    )
    assert alpha.description.startswith("Dies ist ein Absatz") and alpha.description_line == 7
    assert (alpha.programme, alpha.funding_eur, alpha.funding_scope, alpha.funding_share_of) == (
        "Justice Programme",
        12500.0,
        "partner_share",
        "Efus",
    )
    assert (beta.start, beta.end, beta.section) == (
        "2020-10",
        "2022-03",
        "Laufende Projekte, an denen Efus beteiligt ist",
    )
    alpha_members = [
        (m.name, m.role, m.country, m.line) for m in facts.mentions if m.project == "ALPHA"
    ]
    assert alpha_members == [
        ("Stadt Köln", "coordinator", "", 9),
        ("Lyon", "partner", "FR", 10),
        ("Grenoble", "partner", "FR", 10),
        ("Mechelen", "partner", "BE", 10),
        ("Hope Network", "partner", "MT", 10),
        ("Efus", "participant", "", 3),
    ]


def test_an_unknown_month_is_located() -> None:
    page = "X1 - Projekt\n\nLaufzeit: Brumaire 2017 – Mai 2018\n"
    with pytest.raises(DataError, match=r'test.txt, line 3: "Brumaire": is no month name'):
        parse_page(page, "test.txt")


def test_a_period_that_is_no_period_is_located() -> None:
    with pytest.raises(DataError, match=r"line 3: \"bald\": is no period I can read"):
        parse_page("X1 - Projekt\n\nLaufzeit: bald\n", "test.txt")
