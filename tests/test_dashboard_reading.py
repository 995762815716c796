"""The dashboard's preview of an added file shows the reading report, as text, never markup."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from defus_graph.dashboard.own_data import Upload, folder_key, preview_uploads
from defus_graph.model import Dataset
from defus_graph.store.tables import DATA_ENV
from tests.test_dashboard_upload import contents, rerun, start

ROOT = Path(__file__).resolve().parent.parent
PAGES = Path(__file__).resolve().parent / "data" / "pages"
HOSTILE = "<img src=x onerror=alert(1)> **fett** :red[rot]"


def test_the_preview_carries_the_reading_report(dataset: Dataset) -> None:
    page = PAGES / "sichere_staedte.txt"
    preview = preview_uploads([Upload(page.name, page.read_bytes())], dataset, folder_key("d", 1))
    assert preview.ok and preview.reading is not None
    assert preview.reading.ingested.dataset == preview.dataset
    text = preview.reading.text()
    assert "SAFER – Safer Streets Alliance (line 16)" in text
    assert "line 44 mentions Mannheim; not read as a participation" in text


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    target = tmp_path / "data"
    shutil.copytree(ROOT / "data", target)
    monkeypatch.setenv(DATA_ENV, str(target))
    return target


def test_the_upload_panel_shows_what_was_read_line_by_line(folder: Path, tmp_path: Path) -> None:
    page = (PAGES / "sichere_staedte.txt").read_text(encoding="utf-8")
    page = page.replace("Zweites Stadtlabor", HOSTILE)
    before = contents(folder)
    at = start()
    at.file_uploader[0].set_value([("seite.txt", page.encode("utf-8"), "text/plain")])
    rerun(at)
    (report,) = [c.value for c in at.code if c.value.startswith("seite.txt: 4 projects")]
    assert f"X 2 – {HOSTILE} (line 5)" in report  # the text itself, not rendered
    assert "    Malmö, SE (line 10)" in report
    assert report.endswith("line 44 mentions Mannheim; not read as a participation")
    warnings = [w.value for w in at.warning]
    assert any(w.startswith("1 line names a known organisation") for w in warnings), warnings
    assert contents(folder) == before
