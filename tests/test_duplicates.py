"""Likely duplicates are proposed with a score; merged only on confirmation, and recorded."""

from __future__ import annotations

import datetime as dt
import random
import string
from pathlib import Path

import pytest

from defus_graph.cli import main
from defus_graph.errors import DefusGraphError, NotFoundError
from defus_graph.ingest import ingest
from defus_graph.model import Alias, Dataset, Organisation, Participation, Project
from defus_graph.names.duplicates import merge_organisations, municipal_core, suggest_duplicates
from defus_graph.sources.detect import read_paths
from defus_graph.store.tables import FILES, PREVIOUS_DIR, load_dataset

CORDIS = Path(__file__).resolve().parent / "data" / "cordis"
TABLES = Path(__file__).resolve().parent / "data" / "tables"


def _pairs(ds: Dataset, min_score: float = 0.0) -> dict[frozenset[str], float]:
    return {
        frozenset({s.keep, s.other}): s.score for s in suggest_duplicates(ds, min_score=min_score)
    }


@pytest.mark.parametrize(
    ("name", "core"),
    [
        ("City of Malaga", "malaga"),
        ("Stadt Köln", "koln"),
        ("Ville de Lille", "lille"),
        ("Landeshauptstadt Düsseldorf", "dusseldorf"),
        ("Comune di Reggio Emilia", "reggio emilia"),
        ("GEMEENTE ROTTERDAM", "rotterdam"),
        ("Rotterdam", None),
        ("Regione Emilia Romagna", None),
    ],
)
def test_municipal_names(name: str, core: str | None) -> None:
    assert municipal_core(name) == core


def test_seed_with_cordis_suggests_the_shared_city_not_merges_it(dataset: Dataset) -> None:
    ds = ingest(read_paths([CORDIS / "project.csv", CORDIS / "organization.csv"]), dataset).dataset
    found = {(s.keep, s.other): s for s in suggest_duplicates(ds)}
    rotterdam = found[("Rotterdam", "GEMEENTE ROTTERDAM")]
    assert rotterdam.score >= 0.9 and "NL" in rotterdam.reason
    assert ("Stuttgart", "LANDESHAUPTSTADT STUTTGART") in found
    assert ("Reggio Emilia", "COMUNE DI REGGIO EMILIA") in found
    assert ("University of Warwick", "THE UNIVERSITY OF WARWICK") in found
    # Lisbon is found through its alias "Lisboa".
    assert ("Lisbon", "CAMARA MUNICIPAL DE LISBOA") in found


def test_a_city_and_its_region_are_never_suggested(dataset: Dataset) -> None:
    ds = ingest(read_paths([CORDIS / "project.csv", CORDIS / "organization.csv"]), dataset).dataset
    pairs = _pairs(ds)
    for city in ("Reggio Emilia", "COMUNE DI REGGIO EMILIA"):
        assert frozenset({city, "Regione Emilia Romagna"}) not in pairs
    # Even with names made to look alike and no kind stated by the data.
    alike = Dataset(
        organisations=(
            Organisation("Comune di Emilia", "public body", "IT"),
            Organisation("Regione Emilia", "public body", "IT"),
            Organisation("Emilia", "", "IT"),
            Organisation("Provincia Emilia", "region", "IT"),
        )
    )
    pairs = _pairs(alike)
    assert frozenset({"Comune di Emilia", "Emilia"}) in pairs
    for region in ("Regione Emilia", "Provincia Emilia"):
        assert frozenset({"Comune di Emilia", region}) not in pairs


def test_same_pic_under_two_names_is_certain() -> None:
    ds = Dataset(
        organisations=(
            Organisation("KEMEA", "research institute", "GR", pic="999999003"),
            Organisation("Kentro Meleton Asfaleias", "", "GR", pic="999999003"),
            Organisation("Other Body", "", "GR", pic="1"),
        )
    )
    (s,) = suggest_duplicates(ds)
    assert ({s.keep, s.other}, s.score) == ({"KEMEA", "Kentro Meleton Asfaleias"}, 1.0)
    assert "PIC 999999003" in s.reason


def test_fuzzy_needs_the_same_country() -> None:
    ds = Dataset(
        organisations=(
            Organisation("Violence Prevention Network", "NGO", "DE"),
            Organisation("Violence Prevention Netwerk", "NGO", "NL"),
            Organisation("Violence Prevention Netzwerk", "NGO", "DE"),
        )
    )
    pairs = _pairs(ds)
    assert (
        0.8
        <= pairs[frozenset({"Violence Prevention Network", "Violence Prevention Netzwerk"})]
        < 0.95
    )
    assert all("Violence Prevention Netwerk" not in p for p in pairs)
    assert suggest_duplicates(ds, min_score=0.95) == []


def _small() -> Dataset:
    return Dataset(
        projects=(
            Project("A"),
            Project("B"),
            Project(
                "C", funding_eur=1.0, funding_scope="partner_share", funding_share_of="Stadt X"
            ),
        ),
        organisations=(
            Organisation("X", "city", "DE"),
            Organisation("Stadt X", "public body", "DE", pic="123", latitude=50.0, longitude=7.0),
        ),
        participations=(
            Participation("A", "X", "partner"),
            Participation("B", "Stadt X", "coordinator", "STADT X", contribution_eur=5.0),
            Participation("C", "Stadt X", "partner"),
        ),
        aliases=(Alias("Stadtverwaltung X", "Stadt X", "curated"),),
    )


def test_merge_moves_everything_and_records_an_alias() -> None:
    merged = merge_organisations(
        _small(), "X", "Stadt X", reason="score 0.95", today=dt.date(2026, 1, 2)
    )
    assert [o.name for o in merged.organisations] == ["X"]
    x = merged.organisation("X")
    assert (x.kind, x.pic, x.latitude, x.longitude) == ("city", "123", 50.0, 7.0)
    assert {(pa.project, pa.organisation, pa.role) for pa in merged.participations} == {
        ("A", "X", "partner"),
        ("B", "X", "coordinator"),
        ("C", "X", "partner"),
    }
    assert merged.project("C").funding_share_of == "X"
    assert Alias("Stadt X", "X", "merge", 0, "merged on 2026-01-02: score 0.95") in merged.aliases
    assert Alias("Stadtverwaltung X", "X", "curated") in merged.aliases


def test_merge_refuses_one_organisation_twice_in_a_project() -> None:
    ds = _small()
    ds = Dataset(
        ds.projects,
        ds.organisations,
        (*ds.participations, Participation("A", "Stadt X", "partner")),
        ds.aliases,
    )
    with pytest.raises(
        DefusGraphError,
        match=r"both in A: merging would put one organisation twice.*Delete the row",
    ):
        merge_organisations(ds, "X", "Stadt X")


def test_merge_refuses_two_countries_and_unknown_names() -> None:
    ds = Dataset(
        organisations=(
            Organisation("Valence", "city", "FR"),
            Organisation("Valencia", "city", "ES"),
        )
    )
    with pytest.raises(DefusGraphError, match=r"in FR but .* in ES"):
        merge_organisations(ds, "Valence", "Valencia")
    with pytest.raises(
        NotFoundError, match=r'No organisation named "Valenze". Did you mean "Valence"'
    ):
        merge_organisations(ds, "Valenze", "Valencia")


def test_cli_lists_and_merges_only_on_confirmation(
    data_copy: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert (
        main(
            [
                "ingest",
                str(CORDIS / "project.csv"),
                str(CORDIS / "organization.csv"),
                str(TABLES / "projekte_excel_de.csv"),
                "--out",
                str(data_copy),
            ]
        )
        == 0
    )
    capsys.readouterr()
    assert main(["--data", str(data_copy), "duplicates", "--json", "--min-score", "0.9"]) == 0
    import json

    listed = json.loads(capsys.readouterr().out)
    assert {"keep": "Rotterdam", "other": "GEMEENTE ROTTERDAM", "score": 0.95}.items() <= next(
        s for s in listed if s["other"] == "GEMEENTE ROTTERDAM"
    ).items()
    assert all(s["score"] >= 0.9 for s in listed)

    before = {name: (data_copy / name).read_bytes() for name in FILES}
    monkeypatch.setattr("builtins.input", lambda: "n")
    assert main(["--data", str(data_copy), "merge", "Rotterdam", "gemeente rotterdam"]) == 1
    assert "Nothing merged." in capsys.readouterr().out
    assert {name: (data_copy / name).read_bytes() for name in FILES} == before

    monkeypatch.setattr("builtins.input", lambda: "j")
    assert main(["--data", str(data_copy), "merge", "Rotterdam", "gemeente rotterdam"]) == 0
    ds = load_dataset(data_copy)
    assert "GEMEENTE ROTTERDAM" not in {o.name for o in ds.organisations}
    (alias,) = [a for a in ds.aliases if a.alias == "GEMEENTE ROTTERDAM"]
    assert (alias.organisation, alias.source) == ("Rotterdam", "merge")
    assert "score 0.95" in alias.note and dt.date.today().isoformat() in alias.note
    assert {name: (data_copy / PREVIOUS_DIR / name).read_bytes() for name in FILES} == before
    # The merge survives a new ingest of every source: the PIC and the alias find Rotterdam.
    after = {name: (data_copy / name).read_bytes() for name in FILES}
    assert (
        main(
            [
                "ingest",
                str(CORDIS / "project.csv"),
                str(CORDIS / "organization.csv"),
                str(TABLES / "projekte_excel_de.csv"),
                "--out",
                str(data_copy),
            ]
        )
        == 0
    )
    assert {name: (data_copy / name).read_bytes() for name in FILES} == after


def test_cli_merge_with_yes_and_a_refusal(
    data_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["ingest", str(TABLES / "partners_utf8_bom.csv"), "--out", str(data_copy)]) == 0
    assert main(["--data", str(data_copy), "merge", "Rotterdam", "City of Rotterdam", "--yes"]) == 0
    assert "City of Rotterdam" not in {o.name for o in load_dataset(data_copy).organisations}
    capsys.readouterr()
    # Rotterdam and The Hague share PREPARE: a merge is refused with what to do.
    before = {name: (data_copy / name).read_bytes() for name in FILES}
    assert main(["--data", str(data_copy), "merge", "Rotterdam", "The Hague", "--yes"]) == 1
    err = capsys.readouterr().err
    assert "both in PREPARE" in err and "participations.csv" in err and "Traceback" not in err
    assert {name: (data_copy / name).read_bytes() for name in FILES} == before


def test_large_countries_are_blocked_but_still_find_the_likely_pairs() -> None:
    """Above EXHAUSTIVE_LIMIT only names sharing a word start are compared."""
    from defus_graph.names.duplicates import EXHAUSTIVE_LIMIT

    rng = random.Random(7)
    filler = tuple(
        Organisation("Stichting " + "".join(rng.choices(string.ascii_lowercase, k=12)), "NGO", "NL")
        for _ in range(EXHAUSTIVE_LIMIT + 50)
    )
    ds = Dataset(
        organisations=(
            Organisation("Rotterdam", "city", "NL"),
            Organisation("GEMEENTE ROTTERDAM", "public body", "NL"),
            Organisation("Technische Universiteit Delft", "university", "NL"),
            Organisation("Technische Universiteit Delf", "university", "NL"),
            *filler,
        )
    )
    pairs = {(s.keep, s.other) for s in suggest_duplicates(ds, min_score=0.8)}
    assert ("Rotterdam", "GEMEENTE ROTTERDAM") in pairs
    assert ("Technische Universiteit Delf", "Technische Universiteit Delft") in pairs or (
        "Technische Universiteit Delft",
        "Technische Universiteit Delf",
    ) in pairs
    assert not any("Stichting" in a and "Stichting" in b for a, b in pairs)
