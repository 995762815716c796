"""The parser and ingest on the real seed page: every fact, and nothing more.

The page is parsed here, not read back from the committed tables: the dataset under test
starts from the curated names alone (the organisations' hand-kept facts and the curated
aliases), so every project and participation below comes from parsing the page. The last
test shows that the committed tables are exactly that.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from defus_graph.graph.bipartite import graph_from_dataset, org_id
from defus_graph.ingest import ingest
from defus_graph.model import Dataset
from defus_graph.store.tables import load_dataset
from tests.conftest import DATA, SEED

#: The page's name as the committed tables cite it.
PAGE = "defus_projekte.txt"

# What the page states, written out by hand from ../shared/seed/defus_projekte.txt.
EXPECTED_MEMBERS = {
    "SiBa": {"DEFUS"},
    "PUFII": {
        "Landespräventionsrat Niedersachsen",
        "Institut für angewandte Präventionsforschung des Deutschen Präventionstages",
        "DEFUS",
    },
    "Solidify": {"Efus", "Essen", "Mannheim", "Augsburg"},
    "BRIDGE": {
        "Efus",
        "Terrassa",
        "CD Val d'Oise",
        "Igoumenitsa",
        "Genk",
        "Reggio Emilia",
        "Leuven",
        "Umbria",
        "Generalitat de Catalunya",
        "Düsseldorf",
        "Rotterdam",
        "Stuttgart",
    },
    "LouD": {
        "Efus",
        "Leuven",
        "Rosny-sous-Bois",
        "Lille",
        "Montreuil",
        "L'Hospitalet de Llobregat",
        "Düsseldorf",
        "Pella",
        "Augsburg",
        "Valenciennes",
        "AVP",
        "Eurocircle",
        "Mondinsieme",
    },
    "PREPARE": {
        "Efus",
        "Malaga",
        "Generalitat de Catalunya",
        "Rotterdam",
        "The Hague",
        "Sarcelles",
        "Avignon",
        "Bagnolet",
        "Vilvoorde",
        "Violence Prevention Network",
        "Denkzeit",
        "Fryshuset",
        "European Forum for Restorative Justice",
        "Fondation Agir Contre l’Exclusion",
    },
    "MATCH-SPORT": {
        "Efus",
        "Liège",
        "Charleroi",
        "Ministerio da Administraçao Interna",
        "Maranello",
        "Nea Propontida",
        "Valence",
        "Lisbon",
        "UISP Regionale",
        "Regione Emilia Romagna",
        "Europäische Sport Akademie Brandenburg",
    },
    "PACTESUR": {"Nice", "Efus"},
    "Medi@4Sec": {"Université de Toulouse", "Efus"},
    "PRACTICIES": {"University of Warwick", "Efus"},
    "CCI": {"University of Salford", "Efus"},
    "PROTECT": {"Dutch Institute for Technology, Safety and Security", "Efus"},
}

EXPECTED_COORDINATOR = {
    "SiBa": None,
    "PUFII": None,
    "Solidify": "Efus",
    "BRIDGE": "Efus",
    "LouD": "Efus",
    "PREPARE": "Efus",
    "MATCH-SPORT": "Efus",
    "PACTESUR": "Nice",
    "Medi@4Sec": "Université de Toulouse",
    "PRACTICIES": "University of Warwick",
    "CCI": "University of Salford",
    "PROTECT": "Dutch Institute for Technology, Safety and Security",
}

# acronym: (start, end, programme, funding_eur, scope, share_of, funding line)
EXPECTED_FACTS = {
    "SiBa": ("2017", "2020", "", None, "", "", 0),
    "PUFII": ("", "", "", None, "", "", 0),
    "Solidify": ("2018", "2019", "", None, "", "", 0),
    "BRIDGE": ("", "", "Internal Security Fund", 630901.00, "total", "", 58),
    "LouD": ("", "", "Erasmus+", 433538.00, "total", "", 72),
    "PREPARE": ("2017-10", "2019-09", "Justice Programme", 447597.05, "total", "", 85),
    "MATCH-SPORT": ("2019-01", "2020-12", "Erasmus+", 399144.00, "total", "", 96),
    "PACTESUR": ("", "", "Internal Security Fund", None, "", "", 110),
    "Medi@4Sec": ("2017-05", "2020-04", "Horizon 2020", 121000.00, "partner_share", "Efus", 119),
    "PRACTICIES": ("2016-07", "2019-06", "Horizon 2020", 265155.00, "partner_share", "Efus", 128),
    "CCI": ("2018-10", "2021-09", "Horizon 2020", 230347.00, "partner_share", "Efus", 136),
    "PROTECT": (
        "2018-11",
        "2020-10",
        "Internal Security Fund",
        86236.65,
        "partner_share",
        "Efus",
        144,
    ),
}

SECTIONS = {
    "Aktuelle Projekte an denen DEFUS beteiligt ist": {"SiBa", "PUFII"},
    "Laufende EU-Projekte, die von Efus koordiniert werden": {
        "Solidify",
        "BRIDGE",
        "LouD",
        "PREPARE",
        "MATCH-SPORT",
    },
    "Laufende Projekte, an denen Efus beteiligt ist": {
        "PACTESUR",
        "Medi@4Sec",
        "PRACTICIES",
        "CCI",
        "PROTECT",
    },
}


@pytest.fixture(scope="module")
def committed() -> Dataset:
    return load_dataset(DATA)


@pytest.fixture(scope="module")
def dataset(committed: Dataset) -> Dataset:
    """The seed page through the parser, onto the curated names only."""
    curated = replace(
        committed,
        projects=(),
        participations=(),
        aliases=tuple(a for a in committed.aliases if a.source != PAGE),
    )
    assert not any(pa.source == PAGE for pa in curated.participations)
    return ingest([(PAGE, SEED.read_bytes())], curated).dataset


def test_the_committed_tables_are_what_the_parser_reads(
    dataset: Dataset, committed: Dataset
) -> None:
    assert dataset.projects == committed.projects
    assert dataset.participations == committed.participations
    assert dataset.aliases == committed.aliases
    assert dataset.organisations == committed.organisations


def _members(ds: Dataset, acronym: str) -> set[str]:
    return {pa.organisation for pa in ds.participations if pa.project == acronym}


def test_the_twelve_projects_in_page_order(dataset: Dataset) -> None:
    assert [p.acronym for p in dataset.projects] == list(EXPECTED_MEMBERS)


@pytest.mark.parametrize("acronym", list(EXPECTED_MEMBERS))
def test_every_partner_set_is_exactly_what_the_page_says(dataset: Dataset, acronym: str) -> None:
    assert _members(dataset, acronym) == EXPECTED_MEMBERS[acronym]


@pytest.mark.parametrize("acronym", list(EXPECTED_COORDINATOR))
def test_coordinators(dataset: Dataset, acronym: str) -> None:
    coordinators = [
        pa.organisation
        for pa in dataset.participations
        if pa.project == acronym and pa.role == "coordinator"
    ]
    expected = EXPECTED_COORDINATOR[acronym]
    assert coordinators == ([expected] if expected else [])


@pytest.mark.parametrize("acronym", list(EXPECTED_FACTS))
def test_dates_programme_and_funding(dataset: Dataset, acronym: str) -> None:
    p = dataset.project(acronym)
    start, end, programme, amount, scope, share_of, funding_line = EXPECTED_FACTS[acronym]
    assert (p.start, p.end, p.programme) == (start, end, programme)
    assert p.funding_eur == amount
    assert (p.funding_scope, p.funding_share_of, p.funding_line) == (scope, share_of, funding_line)


def test_sections(dataset: Dataset) -> None:
    for section, acronyms in SECTIONS.items():
        assert {p.acronym for p in dataset.projects if p.section == section} == acronyms


def test_titles_and_descriptions_trace_to_their_lines(dataset: Dataset, seed_text: str) -> None:
    lines = seed_text.splitlines()
    for p in dataset.projects:
        assert p.title in lines[p.line - 1], p.acronym
        if p.description:
            assert lines[p.description_line - 1] == p.description
        if p.dates_line:
            assert p.end[:4] in lines[p.dates_line - 1]
    assert dataset.project("CCI").title == "Cutting Crime Impact"
    assert dataset.project("SiBa").title == "Sicherheit in Bahnhofsvierteln"
    assert dataset.project("PREPARE").description == ""


def test_every_participation_is_written_on_its_line(dataset: Dataset, seed_text: str) -> None:
    lines = seed_text.splitlines()
    for pa in dataset.participations:
        assert pa.source == "defus_projekte.txt"
        assert pa.name_as_written in lines[pa.line - 1], pa


def test_a_meeting_place_or_an_interviewee_is_no_partner(dataset: Dataset) -> None:
    # "Pressemitteilung Projekttreffen in Düsseldorf" (line 15) is about SiBa.
    assert "Düsseldorf" not in _members(dataset, "SiBa")
    names = {o.name for o in dataset.organisations}
    assert not any("Haverkamp" in n or "WAZ" in n for n in names)


def test_entity_resolution_cases(dataset: Dataset) -> None:
    catalonia = [
        pa for pa in dataset.participations if pa.organisation == "Generalitat de Catalunya"
    ]
    assert {(pa.project, pa.name_as_written) for pa in catalonia} == {
        ("BRIDGE", "Generalitat de Catalunya"),
        ("PREPARE", "Generalitat of Catalonia"),
    }
    nice = dataset.organisation("Nice")
    assert (nice.kind, nice.country) == ("city", "FR")
    assert [pa.name_as_written for pa in dataset.participations if pa.organisation == "Nice"] == [
        "Stadt Nizza"
    ]
    assert dataset.organisation("Reggio Emilia").kind == "city"
    assert dataset.organisation("Regione Emilia Romagna").kind == "region"
    for city in ("Sarcelles", "Avignon", "Bagnolet"):
        org = dataset.organisation(city)
        assert (org.kind, org.country) == ("city", "FR")
        assert _members(dataset, "PREPARE") >= {city}


def test_countries_come_from_the_page(dataset: Dataset) -> None:
    expected = {
        "Terrassa": "ES",
        "Düsseldorf": "DE",
        "Fryshuset": "SE",
        "Rotterdam": "NL",
        "University of Warwick": "GB",
        "Essen": "DE",
        "Malaga": "ES",
        "Vilvoorde": "BE",
        "Lisbon": "PT",
    }
    assert {n: dataset.organisation(n).country for n in expected} == expected


def test_defus_and_efus_are_organisations(dataset: Dataset) -> None:
    assert dataset.organisation("DEFUS").kind == "network"
    assert dataset.organisation("Efus").kind == "network"
    efus_roles = {pa.project: pa.role for pa in dataset.participations if pa.organisation == "Efus"}
    assert efus_roles["PACTESUR"] == "participant"
    assert efus_roles["BRIDGE"] == "coordinator"


def test_abbreviations_on_the_page_become_aliases(dataset: Dataset) -> None:
    page_aliases = {
        (a.alias, a.organisation) for a in dataset.aliases if a.source == "defus_projekte.txt"
    }
    assert page_aliases == {
        ("LPR", "Landespräventionsrat Niedersachsen"),
        ("dpt-i", "Institut für angewandte Präventionsforschung des Deutschen Präventionstages"),
        ("DITSS", "Dutch Institute for Technology, Safety and Security"),
    }


def test_graph_has_the_page_participations(dataset: Dataset) -> None:
    graph = graph_from_dataset(dataset)
    assert graph.number_of_edges() == len(dataset.participations) == 68
    assert graph.edges["project:BRIDGE", org_id("Düsseldorf")]["role"] == "partner"
