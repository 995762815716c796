"""The page parser on small pages written for the tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from defus_graph.errors import DataError
from defus_graph.names.vocabulary import parse_amount, programme_name
from defus_graph.sources.page import parse_page, read_heading


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


# --- heading shapes ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "acronym", "title", "years"),
    [
        ("BRIDGE - Building resilience", "BRIDGE", "Building resilience", ""),
        ("LouD – Local Young Leaders", "LouD", "Local Young Leaders", ""),
        ("X 2 — Zweites Projekt", "X 2", "Zweites Projekt", ""),
        ("MEDIA—Medien und Sicherheit", "MEDIA", "Medien und Sicherheit", ""),
        ("Medi@4Sec - The emerging role", "Medi@4Sec", "The emerging role", ""),
        ("CCI-Project – Cutting Crime Impact", "CCI", "Cutting Crime Impact", ""),
        ("Projekt Solidify - Räume – Evaluation", "Solidify", "Räume – Evaluation", ""),
        ("SiBa - Sicher im Viertel (2017 - 2020)", "SiBa", "Sicher im Viertel", "2017-2020"),
        ("Safer Streets Alliance (SAFER)", "SAFER", "Safer Streets Alliance", ""),
        ("Safer Streets (SAFER) (2019 – 2021)", "SAFER", "Safer Streets", "2019-2021"),
        ("Projekt KOMPASS", "KOMPASS", "", ""),
        ("BRIDGE Building resilience", "BRIDGE", "Building resilience", ""),
        ("Medi@4Sec Social media (2017 - 2020)", "Medi@4Sec", "Social media", "2017-2020"),
        ("Nachtleben sicher", "Nachtleben sicher", "Nachtleben sicher", ""),
        ("Sichere Orte (Pilotphase)", "Sichere Orte (Pilotphase)", "Sichere Orte (Pilotphase)", ""),
    ],
)  # fmt: skip
def test_heading_shapes(line: str, acronym: str, title: str, years: str) -> None:
    heading = read_heading(line)
    assert (heading.acronym, heading.title) == (acronym, title)
    assert "-".join(x for x in (heading.start, heading.end) if x) == years


def _one_project_page(heading: str) -> str:
    return f"{heading}\n\nKoordinator: Stadt Essen\nPartner: Gent (BE)\n\nWeitere Informationen\n"


@pytest.mark.parametrize(
    "heading",
    [
        "X 2 - Zweites Projekt",
        "X 2 – Zweites Projekt",
        "X 2 — Zweites Projekt",
        "Zweites Projekt (X 2)",
        "Projekt X 2",
        "X2 Zweites Projekt",
        "Zweites Projekt",
    ],
)
def test_every_heading_shape_owns_its_fields(heading: str) -> None:
    page = "Projekte, an denen Efus beteiligt ist:\n\nA1 - Erstes\n\nKoordinator: Lyon (FR)\n\n"
    page += "Weitere Informationen\n\n" + _one_project_page(heading)
    facts = parse_page(page, "t.txt")
    second = facts.projects[1].acronym
    assert second in ("X 2", "X2", "Zweites Projekt")
    assert [(m.project == second, m.name, m.role) for m in facts.mentions] == [
        (False, "Lyon", "coordinator"),
        (False, "Efus", "participant"),
        (True, "Stadt Essen", "coordinator"),
        (True, "Gent", "partner"),
        (True, "Efus", "participant"),
    ]


LINKS = [
    "Weitere Informationen",
    "Website des Projekts",
    "Zur Projektseite",
    "Projekt Flyer",
    "Internetseite des Projekts",
    "Pressemitteilung Projekttreffen in Düsseldorf",
    "Infobroschüre Solidify",
    "Presseberichterstattung über das Projekt, WAZ Essen, 14.2.2018",
]
NOTES = ["Hinweis - Alle Angaben ohne Gewähr.", "Wort - ein ganzer Satz mit Punkt."]


@pytest.mark.parametrize("line", LINKS + NOTES)
def test_link_lines_and_notes_are_never_projects(line: str) -> None:
    page = f"A1 - Erstes\n\nKoordinator: Lyon\n\n{line}\n\nB1 - Zweites\n\nPartner: Gent\n"
    facts = parse_page(page, "t.txt")
    assert [(m.project, m.name) for m in facts.mentions] == [("A1", "Lyon"), ("B1", "Gent")]


@pytest.mark.parametrize("line", LINKS)
def test_link_lines_close_a_project(line: str) -> None:
    page = f"A1 - Erstes\n\nKoordinator: Lyon (FR)\n\n{line}\n\nPartner: Gent (BE)\n"
    with pytest.raises(DataError, match=r"line 7: .*after the links that close project A1"):
        parse_page(page, "t.txt")


# --- never a silent merge ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("page", "message"),
    [
        (
            "A1 - Erstes\n\nKoordinator: Lyon (FR)\nPartner: Gent (BE)\n\nKoordinator: Efus\n",
            r"t\.txt, line 6: \"Koordinator: Efus\": a second 'Koordinator:' in project A1 "
            r"\(first at line 3\): is a project heading missing above line 6\?",
        ),
        (
            "A1 - Erstes\n\nLaufzeit: 2017 - 2018\n\nLaufzeit: Mai 2019 - Juni 2020\n",
            r"line 5: .*a second 'Laufzeit:' in project A1 \(first at line 3\)",
        ),
        (
            "A1 - Erstes\n\nFörderung: Erasmus+\nFörderung: EU Justice Programme\n",
            r"line 4: .*a second 'Förderung:' in project A1",
        ),
        (
            "A1 - Erstes\n\nPartner: Gent (BE)\nPartner: Lyon (FR)\n",
            r"line 4: .*a second 'Partner:' in project A1",
        ),
        (
            "A1 - Erstes (2015 - 2016)\n\nLaufzeit: Mai 2019 – Juni 2020\n",
            r"line 3: .*A1 runs 2019-05–2020-06 by Laufzeit \(line 3\) but 2015–2016 by the "
            r"heading's years \(line 1\)",
        ),
        (
            "A1 - Erstes\n\nKoordinator: Lyon (FR)\n\nWeitere Informationen\n\nPartner: Gent\n",
            r"line 7: .*'Partner:' line after the links that close project A1 \(line 5\): is a "
            r"project heading missing above line 7\?",
        ),
        (
            "Projekte\n\nPartner: Gent (BE)\n\nA1 - Erstes\n",
            r"line 3: .*'Partner:' line outside any project",
        ),
        (
            "Projekte:\n\nWeitere Informationen\n\nA1 - Erstes\n",
            r"line 3: .*a link line outside any project",
        ),
        (
            "Projekte, die von Efus koordiniert werden:\n\nA1 - Erstes\n\nKoordinator: Lyon\n",
            r"line 5: .*A1 is in the section on line 1, which says Efus coordinates it, but this "
            r"line names Lyon",
        ),
        ("A1 - Erstes\n\nPartner: Gent\x1b[31m (BE)\n", r"line 3: .*control character \\x1b"),
    ],
)
def test_a_line_that_could_belong_to_two_projects_is_a_located_problem(
    page: str, message: str
) -> None:
    with pytest.raises(DataError, match=message):
        parse_page(page, "t.txt")


def test_seed_without_any_one_heading_is_a_problem(seed_text: str) -> None:
    lines = seed_text.splitlines()
    headings = [p.line for p in parse_page(seed_text, "seed").projects]
    assert len(headings) == 12
    for number in headings:
        cut = "\n".join(lines[: number - 1] + lines[number:])
        with pytest.raises(DataError, match="is a project heading missing above line"):
            parse_page(cut, "seed")


def test_a_missing_heading_is_named_with_the_project_above() -> None:
    text = (PAGES / "sichere_staedte.txt").read_text(encoding="utf-8")
    lines = text.splitlines()
    assert lines[15] == "Safer Streets Alliance (SAFER)"
    with pytest.raises(DataError) as caught:
        parse_page("\n".join(lines[:15] + lines[16:]), "sichere_staedte.txt")
    assert [str(p).split(" Each project")[0] for p in caught.value.problems] == [
        'sichere_staedte.txt, line 17: "Partner: Bologna, Modena and Parma (Italy), Rotterdam '
        "(NL)\": a 'Partner:' line after the links that close project X 2 (line 13): is a "
        "project heading missing above line 17?",
        "sichere_staedte.txt, line 18: \"Laufzeit: Okt. 2020 – März 2023\": a 'Laufzeit:' line "
        "after the links that close project X 2 (line 13): is a project heading missing above "
        "line 18?",
        'sichere_staedte.txt, line 19: "Koordinator: Università di Bologna (IT)": a '
        "'Koordinator:' line after the links that close project X 2 (line 13): is a project "
        "heading missing above line 19?",
        'sichere_staedte.txt, line 20: "Förderung: EU Justice Programme, €2,400,000.00": a '
        "'Förderung:' line after the links that close project X 2 (line 13): is a project "
        "heading missing above line 20?",
    ]


# --- hand-made pages in the seed's format, read exactly --------------------------------------

PAGES = Path(__file__).resolve().parent / "data" / "pages"


def _reading(name: str) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    facts = parse_page((PAGES / name).read_text(encoding="utf-8"), name)
    projects = [
        (p.acronym, p.title, p.line, p.start, p.end, p.dates_line, p.programme, p.funding_eur,
         p.funding_scope, p.funding_share_of, p.funding_line, p.description_line)
        for p in facts.projects
    ]  # fmt: skip
    mentions = [(m.project, m.name, m.role, m.country, m.line) for m in facts.mentions]
    return projects, mentions


def test_sichere_staedte_is_read_exactly() -> None:
    projects, mentions = _reading("sichere_staedte.txt")
    assert projects == [
        ("X 2", "Zweites Stadtlabor", 5, "2019", "2021", 5, "Internal Security Fund", 98450.5,
         "total", "", 11, 7),
        ("SAFER", "Safer Streets Alliance", 16, "2020-10", "2023-03", 19, "Justice Programme",
         2400000.0, "total", "", 21, 0),
        ("Nachtleben sicher gestalten", "Nachtleben sicher gestalten", 26, "2021", "2022", 30,
         "", None, "", "", 0, 0),
        ("MEDIA", "Medien und Sicherheit", 37, "2018-01", "2019-12", 39, "Horizon 2020",
         121000.0, "partner_share", "Efus", 40, 0),
    ]  # fmt: skip
    assert mentions == [
        ("X 2", "Stadt Mannheim", "coordinator", "DE", 9),
        ("X 2", "Lyon", "partner", "FR", 10),
        ("X 2", "Gent", "partner", "BE", 10),
        ("X 2", "Malmö", "partner", "SE", 10),
        ("X 2", "Efus", "participant", "", 3),
        ("SAFER", "Bologna", "partner", "IT", 18),
        ("SAFER", "Modena", "partner", "IT", 18),
        ("SAFER", "Parma", "partner", "IT", 18),
        ("SAFER", "Rotterdam", "partner", "NL", 18),
        ("SAFER", "Università di Bologna", "coordinator", "IT", 20),
        ("SAFER", "Efus", "participant", "", 3),
        ("Nachtleben sicher gestalten", "Efus", "coordinator", "", 28),
        ("Nachtleben sicher gestalten", "Barcelona", "partner", "ES", 29),
        ("Nachtleben sicher gestalten", "Lisboa", "partner", "PT", 29),
        ("MEDIA", "University of Salford", "coordinator", "GB", 41),
        ("MEDIA", "Efus", "participant", "", 3),
    ]


def test_weitere_projekte_is_read_exactly() -> None:
    projects, mentions = _reading("weitere_projekte.txt")
    assert projects == [
        ("KOMPASS", "", 3, "2022-02", "2024-01", 8, "", None, "", "", 0, 5),
        ("Medi@4Sec 2", "Social media and security, second round", 15, "2022-05", "2025-04",
         17, "Horizon Europe", 1250000.0, "total", "", 20, 0),
        ("RESIST", "Resilienz im Stadtteil", 26, "2020", "2022", 26, "", None, "", "", 0, 28),
    ]  # fmt: skip
    assert mentions == [
        ("KOMPASS", "Stadt Augsburg", "partner", "", 7),
        ("KOMPASS", "Stadt Essen", "partner", "", 7),
        ("KOMPASS", "Landeshauptstadt Düsseldorf", "partner", "", 7),
        ("KOMPASS", "DEFUS", "coordinator", "", 1),
        ("Medi@4Sec 2", "Université de Toulouse", "coordinator", "FR", 18),
        ("Medi@4Sec 2", "DITSS", "partner", "NL", 19),
        ("Medi@4Sec 2", "Efus", "partner", "", 19),
        ("Medi@4Sec 2", "DEFUS", "participant", "", 13),
        ("RESIST", "Essen", "participant", "DE", 28),
        ("RESIST", "Mannheim", "participant", "DE", 28),
        ("RESIST", "Augsburg", "participant", "DE", 28),
        ("RESIST", "DEFUS", "participant", "", 13),
    ]


@pytest.mark.parametrize("name", ["sichere_staedte.txt", "weitere_projekte.txt"])
def test_hand_made_pages_without_any_one_heading_are_a_problem(name: str) -> None:
    text = (PAGES / name).read_text(encoding="utf-8")
    lines = text.splitlines()
    for p in parse_page(text, name).projects:
        with pytest.raises(DataError, match="is a project heading missing above line"):
            parse_page("\n".join(lines[: p.line - 1] + lines[p.line :]), name)


def test_a_heading_without_a_blank_line_above_is_named_in_the_hint() -> None:
    page = "A1 - Erstes\n\nKoordinator: Lyon\nWeitere Informationen\nB1 - Zweites\nPartner: Gent\n"
    with pytest.raises(DataError) as caught:
        parse_page(page, "t.txt")
    (problem,) = caught.value.problems
    assert (problem.line, problem.hint) == (
        6,
        'Line 5 ("B1 - Zweites") looks like a project heading: put a blank line above it.',
    )


@pytest.mark.parametrize("label", ["Koordinator", "Partner", "Förderung", "Laufzeit"])
def test_an_empty_field_is_a_problem(label: str) -> None:
    with pytest.raises(DataError, match=rf"line 3: .*'{label}:' is followed by nothing"):
        parse_page(f"A1 - Erstes\n\n{label}:\n", "t.txt")


def test_a_line_ending_in_a_colon_is_never_a_project() -> None:
    long_intro = " ".join(["Wort"] * 21) + ":"
    page = f"A1 - Erstes\n\nKoordinator: Lyon\n\n{long_intro}\n\nPartner: Gent\n"
    facts = parse_page(page, "t.txt")
    assert [(m.project, m.name) for m in facts.mentions] == [("A1", "Lyon"), ("A1", "Gent")]


@pytest.mark.parametrize(
    ("line", "is_section"),
    [
        ("Abgeschlossene Projekte", True),
        ("Abgeschlossene Projekte – Archiv", True),
        ("Weitere Vorhaben:", True),
        ("SAFE-CITY - Projekte für sichere Plätze", False),
    ],
)
def test_section_or_project(line: str, is_section: bool) -> None:
    facts = parse_page(f"A1 - Erstes\n\nKoordinator: Lyon\n\n{line}\n\nB1 - Zweites\n", "t.txt")
    acronyms = [p.acronym for p in facts.projects]
    sections = [p.section for p in facts.projects]
    if is_section:
        assert (acronyms, sections) == (["A1", "B1"], ["", line.rstrip(":")])
    else:
        assert acronyms == ["A1", "SAFE-CITY", "B1"]


def test_the_rest_of_a_wrapped_partner_list_is_not_dropped() -> None:
    page = "A1 - Erstes\n\nPartner: Lyon (FR), Gent (BE),\nMalmö (SE), Aarhus (DK)\n"
    with pytest.raises(DataError) as caught:
        parse_page(page, "t.txt")
    assert [(p.line, p.message) for p in caught.value.problems] == [
        (4, "a line with no label right under the 'Partner:' line 3: is it the rest of that line?")
    ]
    # A heading right under a field is caught as the heading it looks like.
    page = "A1 - Erstes\n\nKoordinator: Lyon\nB1 - Zweites\nKoordinator: Gent\n"
    with pytest.raises(DataError, match=r'Line 4 \("B1 - Zweites"\) looks like a project heading'):
        parse_page(page, "t.txt")


def test_a_title_over_no_fields_is_no_project_and_says_so() -> None:
    prose = "Die Stadt arbeitet mit vielen Partnern an neuen Wegen der Prävention zusammen."
    page = f"A1 - Erstes\n\nKoordinator: Lyon\n\nUnsere Arbeit\n\n{prose}\n"
    facts = parse_page(page, "t.txt")
    assert [p.acronym for p in facts.projects] == ["A1"]
    assert facts.notes == [
        't.txt, line 5: "Unsere Arbeit" stands like a title, but no Koordinator:, Partner:, '
        "Förderung: or Laufzeit: follows it, so it is read as no project."
    ]


_ALPHA_TEXT = (
    "Das Projekt untersucht die Sicherheit in Bahnhofsvierteln mehrerer europäischer Städte "
    "und entwickelt neue Ansätze."
)
_BETA_TEXT = (
    "Das Projekt stärkt die Zusammenarbeit von Kommunen und Polizei in der Prävention von "
    "Gewalt im öffentlichen Raum."
)
_TWO_PROJECTS = f"""Projekte

ALPHA - Erstes Projekt

{_ALPHA_TEXT}

Koordinator: Efus

BETA - Zweites Projekt

{_BETA_TEXT}

Partner: Augsburg (DE), Lille (FR)
"""


def test_two_projects_without_links_read_apart() -> None:
    facts = parse_page(_TWO_PROJECTS, "p.txt")
    assert [p.acronym for p in facts.projects] == ["ALPHA", "BETA"]
    assert {(m.project, m.name) for m in facts.mentions} == {
        ("ALPHA", "Efus"),
        ("BETA", "Augsburg"),
        ("BETA", "Lille"),
    }


def test_text_fields_text_fields_without_a_heading_is_a_problem() -> None:
    """No link line closes ALPHA; its shape (text, field, text, field) shows BETA's heading gone."""
    page = _TWO_PROJECTS.replace("BETA - Zweites Projekt\n", "")
    with pytest.raises(DataError, match=r"line 12: .*project ALPHA.*heading missing above line 10"):
        parse_page(page, "p.txt")


def test_text_between_fields_alone_is_one_project() -> None:
    """The seed's own shape (BRIDGE): a field, the text, more fields."""
    page = "Projekte\n\nGAMMA - Drittes\n\nKoordinator: Efus\n\n" + (
        "Das Projekt stärkt die Zusammenarbeit von Kommunen und Polizei in der Prävention "
        "von Gewalt im öffentlichen Raum.\n\nPartner: Augsburg (DE)\n\nFörderung: Erasmus+\n"
    )
    facts = parse_page(page, "p.txt")
    assert [(m.name, m.role) for m in facts.mentions] == [
        ("Efus", "coordinator"),
        ("Augsburg", "partner"),
    ]
