"""Your own data in the dashboard: upload, preview, problems, the session's data, merges, save.

The steps are plain functions in :mod:`defus_graph.dashboard.own_data`, tested
directly; AppTest then drives the screen: the uploader, the banner, the merge
that asks first, and the save that asks first. The data folder is always a
temporary copy, so nothing here can touch ``data/``.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from defus_graph.dashboard import own_data, state
from defus_graph.dashboard.own_data import (
    Preview,
    SessionData,
    Upload,
    duplicates,
    folder_key,
    new_organisations_frame,
    new_projects_frame,
    preview_uploads,
    problems_frame,
    size_problems,
    with_merge,
    with_uploads,
)
from defus_graph.errors import DefusGraphError
from defus_graph.model import Dataset, Organisation, Participation
from defus_graph.names.duplicates import MERGE_SOURCE
from defus_graph.store.tables import DATA_ENV, FILES, PREVIOUS_DIR, load_dataset, save_dataset
from tests.apptest import frame

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
TABLES = Path(__file__).resolve().parent / "data" / "tables"
CORDIS = Path(__file__).resolve().parent / "data" / "cordis"
GERMAN = "projekte_excel_de.csv"  # semicolons, cp1252, decimal commas; Düsseldorf in 2 projects
HOSTILE = "<img src=x onerror=alert(1)>"


def upload(name: str, folder: Path = TABLES) -> Upload:
    return Upload(name, (folder / name).read_bytes())


@pytest.fixture
def seed(dataset: Dataset) -> tuple[Dataset, str]:
    """The bundled data and a key for it."""
    return dataset, folder_key("data", ("seed",))


# --- plain functions --------------------------------------------------------------------------


def test_preview_of_a_german_excel_csv_says_what_it_adds(seed: tuple[Dataset, str]) -> None:
    ds, key = seed
    preview = preview_uploads([upload(GERMAN)], ds, key)
    assert preview.ok and not preview.problems
    assert [p.acronym for p in preview.new_projects] == ["STADTRAUM", "NACHBARN"]
    assert {o.name for o in preview.new_organisations} == {
        "Stadt Köln",
        "Gemeente Rotterdam",
        "Landeshauptstadt Düsseldorf",
    }
    assert preview.new_participations == 6
    assert "Düsseldorf" in preview.known_in_new_projects
    assert any("read as cp1252" in n for n in preview.notes)
    projects = new_projects_frame(preview).set_index("Project")
    assert projects.loc["STADTRAUM", "Title"] == "Sicherheit im öffentlichen Raum"
    assert projects.loc["STADTRAUM", "Organisations"] == 4
    assert projects.loc["STADTRAUM", "From"] == f"{GERMAN}, line 2"
    orgs = new_organisations_frame(preview).set_index("Organisation")
    assert orgs.loc["Stadt Köln", "Country"] == "DE"
    # The data on screen is untouched; the preview holds the merged data.
    assert "STADTRAUM" not in {p.acronym for p in ds.projects}
    assert preview.dataset is not None
    assert len(preview.dataset.projects) == len(ds.projects) + 2


def test_a_broken_file_gives_every_problem_and_no_data(seed: tuple[Dataset, str]) -> None:
    ds, key = seed
    preview = preview_uploads([upload("bad_values.csv")], ds, key)
    assert not preview.ok and preview.dataset is None
    frame = problems_frame(preview.problems)
    assert list(frame.columns) == ["File", "Line", "Column", "Value", "Problem", "What to do"]
    assert list(frame["Line"]) == ["2", "2", "3", "4", "5"]  # top to bottom
    row = frame[frame["Value"] == "Deutschlandd"].iloc[0]
    assert (row["File"], row["Line"], row["Column"]) == ("bad_values.csv", "2", "Land")
    assert row["Problem"] and row["What to do"]


def test_one_bad_file_among_good_ones_adds_nothing(seed: tuple[Dataset, str]) -> None:
    ds, key = seed
    preview = preview_uploads([upload(GERMAN), upload("bad_quotes.csv")], ds, key)
    assert not preview.ok and preview.dataset is None
    assert {p.file for p in preview.problems} == {"bad_quotes.csv"}
    with pytest.raises(ValueError):
        with_uploads(None, key, preview)


def test_files_over_the_limit_are_refused_before_reading(
    seed: tuple[Dataset, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    ds, key = seed
    monkeypatch.setattr(own_data, "MAX_FILE_MB", 0)
    preview = preview_uploads([upload(GERMAN)], ds, key)
    (problem,) = preview.problems
    assert problem.file == GERMAN
    assert "files up to 0 MB" in problem.message
    assert "defus-graph ingest" in problem.hint


def test_together_over_the_total_limit_is_one_problem() -> None:
    files = [Upload("a.csv", b"x" * 700_000), Upload("b.csv", b"y" * 700_000)]
    assert size_problems(files, max_file_mb=1, max_total_mb=2) == []
    (problem,) = size_problems(files, max_file_mb=1, max_total_mb=1)
    assert problem.file == "a.csv, b.csv"
    assert "together" in problem.message


def test_hints_name_the_dashboards_controls_not_command_line_options(
    seed: tuple[Dataset, str], seed_text: str
) -> None:
    ds, key = seed
    # The seed page again, as Windows would save it: its facts replace the same source's.
    page = Upload("defus_projekte.txt", seed_text.encode("cp1252"))
    (problem,) = preview_uploads([page], ds, key, encoding="utf-8").problems
    assert "--encoding" not in problem.hint
    assert 'Choose "Detect"' in problem.hint
    # Following the hint works (read as cp1252, and told so); the page adds nothing new.
    preview = preview_uploads([page], ds, key)
    assert preview.ok, preview.problems
    assert any("read as cp1252" in n for n in preview.notes)
    assert not preview.new_projects and not preview.new_organisations


def test_cordis_pair_is_read_together(seed: tuple[Dataset, str]) -> None:
    ds, key = seed
    preview = preview_uploads(
        [upload("project.csv", CORDIS), upload("organization.csv", CORDIS)], ds, key
    )
    assert preview.ok, preview.problems
    assert preview.new_projects and preview.new_organisations


def test_keys_follow_content_and_base(seed: tuple[Dataset, str]) -> None:
    ds, key = seed
    first = preview_uploads([upload(GERMAN)], ds, key)
    assert preview_uploads([upload(GERMAN)], ds, key).key == first.key
    assert preview_uploads([upload(GERMAN)], ds, key + "x").key != first.key
    changed = Upload(GERMAN, upload(GERMAN).data.replace(b"STADTRAUM", b"STADTPARK"))
    assert preview_uploads([changed], ds, key).key != first.key
    assert preview_uploads([upload(GERMAN)], ds, key, encoding="cp1252").key != first.key


def test_uploads_and_merges_add_up_in_the_session(seed: tuple[Dataset, str]) -> None:
    ds, base = seed
    first = with_uploads(None, base, preview_uploads([upload(GERMAN)], ds, base))
    assert first.base_key == base and first.files == (GERMAN,)
    second_preview = preview_uploads([upload("partners_utf8_bom.csv")], first.dataset, first.key)
    second = with_uploads(first, "ignored", second_preview)
    assert second.base_key == base
    assert second.files == (GERMAN, "partners_utf8_bom.csv")
    assert {"STADTRAUM", "SAFE-SQUARES"} <= {p.acronym for p in second.dataset.projects}
    merged = with_merge(
        second,
        second.dataset,
        second.key,
        keep="Düsseldorf",
        other="Landeshauptstadt Düsseldorf",
        reason="score 0.95",
        today=dt.date(2025, 1, 2),
    )
    assert merged.merges == (("Düsseldorf", "Landeshauptstadt Düsseldorf"),)
    assert merged.key not in {first.key, second.key}
    assert merged.describe("Bundled data") == (
        "Bundled data + 2 uploaded files + 1 merge (not saved)"
    )
    alias = next(a for a in merged.dataset.aliases if a.alias == "Landeshauptstadt Düsseldorf")
    assert (alias.organisation, alias.source) == ("Düsseldorf", MERGE_SOURCE)
    assert "2025-01-02" in alias.note and "score 0.95" in alias.note
    dus = {pa.project for pa in merged.dataset.participations if pa.organisation == "Düsseldorf"}
    assert {"BRIDGE", "LouD", "STADTRAUM", "NACHBARN"} <= dus


def test_a_refused_merge_changes_nothing(seed: tuple[Dataset, str]) -> None:
    ds, base = seed
    with pytest.raises(DefusGraphError, match="not merged"):
        with_merge(None, ds, base, keep="Düsseldorf", other="Rotterdam", reason="")


def test_duplicates_carry_what_a_person_needs_to_decide(seed: tuple[Dataset, str]) -> None:
    ds, base = seed
    session = with_uploads(None, base, preview_uploads([upload(GERMAN)], ds, base))
    found = {d.names: d for d in duplicates(session.dataset)}
    d = found[("Düsseldorf", "Landeshauptstadt Düsseldorf")]
    assert d.suggestion.score == 0.95
    assert d.keep_facts == "DE · city · 3 projects: BRIDGE, LouD, STADTRAUM"
    assert d.other_facts == "DE · city · 1 project: NACHBARN"
    assert ("Rotterdam", "Gemeente Rotterdam") in found


def test_hostile_names_stay_data(seed: tuple[Dataset, str]) -> None:
    ds, key = seed
    body = f"project,organisation,country\nALPHA,{HOSTILE},FR\nALPHA,=1+1,FR\n"
    preview = preview_uploads([Upload(f"{HOSTILE}.csv", body.encode())], ds, key)
    assert preview.ok, preview.problems
    orgs = new_organisations_frame(preview)
    assert {HOSTILE, "=1+1"} <= set(orgs["Organisation"])
    assert set(orgs["From"]) == {f"{HOSTILE}.csv, line 2", f"{HOSTILE}.csv, line 3"}


# --- the screen, through AppTest ----------------------------------------------------------------


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A writable copy of the bundled data, used by the app."""
    target = tmp_path / "data"
    shutil.copytree(ROOT / "data", target)
    monkeypatch.setenv(DATA_ENV, str(target))
    return target


def contents(directory: Path) -> dict[str, bytes]:
    return {name: (directory / name).read_bytes() for name in FILES}


def start() -> AppTest:
    """The app, with the duplicates panel open (it looks for duplicates only then)."""
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state[state.DUPLICATES_PANEL] = True
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def rerun(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def choose(at: AppTest, *names: str, folder: Path = TABLES) -> AppTest:
    files = [(n, (folder / n).read_bytes(), "text/csv") for n in names]
    at.file_uploader[0].set_value(files)
    return rerun(at)


def story_of(at: AppTest, org: str) -> str:
    at.query_params["org"] = org
    rerun(at)
    panel = next(c for c in at.get("flex_container") if getattr(c, "key", None) == "story")
    return "\n".join(m.value for m in panel.get("subheader") + panel.get("markdown"))


def banner(at: AppTest) -> str:
    shown = [w.value for w in at.warning if w.value.startswith("Showing")]
    shown += [m.value for m in at.markdown if m.value.startswith("Showing")]
    assert len(shown) == 1, shown
    return str(shown[0])


def test_upload_preview_then_explore_in_every_view(folder: Path) -> None:
    before = contents(folder)
    at = start()
    assert banner(at).startswith("Showing: **Data in")
    at = choose(at, GERMAN)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics == {"New projects": "2", "New organisations": "3", "New participations": "6"}
    assert any("read as cp1252" in i.value for i in at.info)
    # Only a preview so far: the data shown has not changed.
    assert "STADTRAUM" not in set(frame(at, state.PROJECT_TABLE)["Project"])
    at.button(key="upload_apply").click()
    rerun(at)
    assert "1 uploaded file \\(not saved\\)" in banner(at)
    assert {"STADTRAUM", "NACHBARN"} <= set(frame(at, state.PROJECT_TABLE)["Project"])
    assert "Stadt Köln" in set(frame(at, state.ORG_TABLE)["Organisation"])
    assert at.slider(key=state.YEARS).value == (2016, 2024)  # the new projects' years too
    text = story_of(at, "Düsseldorf")
    assert "**STADTRAUM**" in text and "Projects (3)" in text
    # The uploader is empty again, and the folder is as it was.
    assert not at.file_uploader[0].value
    assert contents(folder) == before


def test_a_broken_file_shows_its_problems_and_keeps_the_data_shown(folder: Path) -> None:
    at = choose(start(), GERMAN)
    at.button(key="upload_apply").click()
    rerun(at)
    at = choose(at, "bad_values.csv")
    assert "5 problems found in bad\\_values\\.csv: nothing was added" in at.error[0].value
    problems = next(d.value for d in at.dataframe if "What to do" in d.value.columns)
    assert "32.13.2021" in set(problems["Value"])
    assert problems.set_index("Value").loc["32.13.2021", "Line"] == "4"
    assert not [b for b in at.button if b.key == "upload_apply"]
    assert "1 uploaded file" in banner(at)
    assert "STADTRAUM" in set(frame(at, state.PROJECT_TABLE)["Project"])


def test_back_to_the_saved_data_forgets_the_uploads(folder: Path) -> None:
    at = choose(start(), GERMAN)
    at.button(key="upload_apply").click()
    rerun(at)
    at.button(key="back_to_saved").click()
    rerun(at)
    assert banner(at).startswith("Showing: **Data in")
    assert any("Back to the saved data" in s.value for s in at.success)  # said once
    assert "STADTRAUM" not in set(frame(at, state.PROJECT_TABLE)["Project"])
    assert at.slider(key=state.YEARS).value == (2016, 2021)


def test_discard_forgets_the_chosen_files(folder: Path) -> None:
    at = choose(start(), GERMAN)
    at.button(key="upload_discard").click()
    rerun(at)
    assert not at.metric
    assert banner(at).startswith("Showing: **Data in")


def merge_buttons(at: AppTest) -> list[str]:
    return [str(b.key) for b in at.button if str(b.key).startswith("merge_ask_")]


def dusseldorf_pair(at: AppTest) -> str:
    """The key of the Merge… button of the Düsseldorf suggestion."""
    for c in at.get("flex_container"):
        key = str(getattr(c, "key", ""))
        if key.startswith("dup_") and any(
            "Landeshauptstadt Düsseldorf" in m.value for m in c.get("markdown")
        ):
            return "merge_ask_" + key.removeprefix("dup_")
    raise AssertionError("no suggestion for Düsseldorf")


def test_merge_asks_first_and_can_be_cancelled(folder: Path) -> None:
    at = choose(start(), GERMAN)
    at.button(key="upload_apply").click()
    rerun(at)
    assert len(merge_buttons(at)) == 2  # Düsseldorf and Rotterdam
    at.button(key=dusseldorf_pair(at)).click()
    rerun(at)
    assert at.radio(key=state.MERGE_KEEP).value == "Düsseldorf"
    assert "Landeshauptstadt Düsseldorf" in set(frame(at, state.ORG_TABLE)["Organisation"])
    at.button(key="merge_no").click()
    rerun(at)
    assert not [b for b in at.button if b.key == "merge_yes"]
    assert "Landeshauptstadt Düsseldorf" in set(frame(at, state.ORG_TABLE)["Organisation"])
    assert "merge" not in banner(at).rsplit("“data”", 1)[1]  # the folder by name, not path


def test_merge_on_confirmation_keeps_the_chosen_name(folder: Path) -> None:
    at = choose(start(), GERMAN)
    at.button(key="upload_apply").click()
    rerun(at)
    at.button(key=dusseldorf_pair(at)).click()
    rerun(at)
    at.radio(key=state.MERGE_KEEP).set_value("Landeshauptstadt Düsseldorf")
    rerun(at)
    yes = at.button(key="merge_yes")
    assert yes.label == "Yes, merge Düsseldorf into Landeshauptstadt Düsseldorf"
    yes.click()
    rerun(at)
    assert "1 uploaded file \\+ 1 merge \\(not saved\\)" in banner(at)
    orgs = set(frame(at, state.ORG_TABLE)["Organisation"])
    assert "Landeshauptstadt Düsseldorf" in orgs and "Düsseldorf" not in orgs
    text = story_of(at, "Düsseldorf")  # the old name still finds it
    assert text.startswith("Landeshauptstadt Düsseldorf")
    assert "Projects (4)" in text and "Also known as:" in text
    assert len(merge_buttons(at)) == 1  # only Rotterdam is left


def test_a_merge_the_core_refuses_is_explained(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ds = load_dataset(ROOT / "data")
    ds = replace(
        ds,
        organisations=(*ds.organisations, Organisation("Stadt Augsburg", "city", "DE")),
        participations=(*ds.participations, Participation("LouD", "Stadt Augsburg", "partner")),
    )
    save_dataset(ds, tmp_path / "data")
    monkeypatch.setenv(DATA_ENV, str(tmp_path / "data"))
    at = start()
    (ask,) = merge_buttons(at)
    at.button(key=ask).click()
    rerun(at)
    at.button(key="merge_yes").click()
    rerun(at)
    assert "Not merged" in at.error[0].value and "LouD" in at.error[0].value
    assert banner(at).startswith("Showing: **Data in")  # nothing changed


def test_save_asks_then_writes_the_folder_and_keeps_the_previous(folder: Path) -> None:
    before = contents(folder)
    at = choose(start(), GERMAN)
    at.button(key="upload_apply").click()
    rerun(at)
    at.button(key="save_ask").click()
    rerun(at)
    assert at.button(key="save_now").disabled
    assert contents(folder) == before
    at.checkbox(key=state.SAVE_CONFIRM).check()
    rerun(at)
    at.button(key="save_now").click()
    rerun(at)
    assert any("Saved to" in s.value for s in at.success)
    assert banner(at).startswith("Showing: **Data in")  # read back from the folder
    saved = load_dataset(folder)
    assert {"STADTRAUM", "NACHBARN"} <= {p.acronym for p in saved.projects}
    assert {name: (folder / PREVIOUS_DIR / name).read_bytes() for name in FILES} == before
    assert "STADTRAUM" in set(frame(at, state.PROJECT_TABLE)["Project"])


def test_save_is_refused_when_the_folder_changed_meanwhile(folder: Path) -> None:
    at = choose(start(), GERMAN)
    at.button(key="upload_apply").click()
    rerun(at)
    path = folder / "aliases.csv"
    with path.open("a", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerow(["Köln", "Essen", "", "", ""])
    os.utime(path, ns=(1, 1))
    changed = contents(folder)
    rerun(at)
    assert at.button(key="save_ask").disabled
    assert "changed since you started" in at.error[0].value
    assert contents(folder) == changed


def test_a_known_duplicate_in_the_saved_data_is_listed_and_merged_in_the_session(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ds = load_dataset(ROOT / "data")
    ds = replace(
        ds,
        organisations=(*ds.organisations, Organisation("GEMEENTE ROTTERDAM", "public body", "NL")),
        participations=(*ds.participations, Participation("LouD", "GEMEENTE ROTTERDAM", "partner")),
    )
    save_dataset(ds, tmp_path / "data")
    before = contents(tmp_path / "data")
    monkeypatch.setenv(DATA_ENV, str(tmp_path / "data"))
    at = start()
    (ask,) = merge_buttons(at)
    at.button(key=ask).click()
    rerun(at)
    assert at.button(key="merge_yes").label == "Yes, merge GEMEENTE ROTTERDAM into Rotterdam"
    at.button(key="merge_yes").click()
    rerun(at)
    assert banner(at).endswith("+ 1 merge \\(not saved\\): 12 projects, 53 organisations.")
    assert "Projects (3)" in story_of(at, "Gemeente Rotterdam")
    assert contents(tmp_path / "data") == before


def test_duplicates_are_looked_for_only_when_their_panel_is_open(folder: Path) -> None:
    at = choose(start(), GERMAN)
    at.button(key="upload_apply").click()
    rerun(at)
    assert merge_buttons(at)
    at.session_state[state.DUPLICATES_PANEL] = False
    rerun(at)
    assert not merge_buttons(at)


def test_session_data_describes_itself() -> None:
    assert SessionData(Dataset(), "k", "b").describe("Bundled data") == "Bundled data (not saved)"
    empty = Preview(("a.csv",), "k", None)
    assert not empty.ok


def test_save_is_refused_when_someone_saved_unseen_meanwhile(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another user's save that the files' times do not show (same second, same size, or
    between the check and the write) is refused under the folder's lock all the same."""
    from defus_graph.dashboard import data

    stamp = data._stamp(folder)
    monkeypatch.setattr(data, "_stamp", lambda directory: stamp)
    at = choose(start(), GERMAN)
    at.button(key="upload_apply").click()
    rerun(at)
    at.button(key="save_ask").click()
    rerun(at)
    at.checkbox(key=state.SAVE_CONFIRM).check()
    rerun(at)
    theirs = load_dataset(folder)
    theirs = replace(theirs, aliases=theirs.aliases[:-1])
    save_dataset(theirs, folder)  # the other user's save
    saved = contents(folder)
    at.button(key="save_now").click()
    rerun(at)
    shown = at.error[0].value.replace("\\", "")  # as the page shows it, without md's escapes
    assert "Not saved: the data changed since you opened it: reload" in shown
    assert contents(folder) == saved
    assert load_dataset(folder) == theirs
