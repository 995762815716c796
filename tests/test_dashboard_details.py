"""The dashboard's small things through AppTest: suggestions on a typo, a banner without paths."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from defus_graph.cli import main
from defus_graph.dashboard import state
from defus_graph.store.tables import DATA_ENV

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")


def run() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The bundled data copied to a folder deep in a server's tree."""
    target = tmp_path / "srv" / "efus-internal" / "partners 2024"
    shutil.copytree(ROOT / "data", target)
    monkeypatch.setenv(DATA_ENV, str(target))
    return target


def _picks(at: AppTest) -> list[str]:
    return [str(b.label) for b in at.button if str(b.key).startswith("pick_")]


def _cli_suggestions(name: str, data: Path, capsys: pytest.CaptureFixture[str]) -> str:
    assert main(["--data", str(data), "suggest", name]) == 1
    return capsys.readouterr().err


@pytest.mark.parametrize(
    ("typed", "meant"),
    [("Roterdam", "Rotterdam"), ("Dusseldorff", "Düsseldorf"), ("BRIGDE", "BRIDGE")],
)
def test_a_typo_offers_the_closest_names_as_the_cli_does(
    folder: Path, typed: str, meant: str, capsys: pytest.CaptureFixture[str]
) -> None:
    at = run()
    at.text_input(key=state.SEARCH).set_value(typed).run()
    assert any("Did you mean" in c.value for c in at.caption)
    picks = _picks(at)
    assert picks[0] == meant
    said = _cli_suggestions(typed, folder, capsys)
    assert "Did you mean " + ", ".join(f'"{p}"' for p in picks) + "?" in said
    next(b for b in at.button if b.label == meant).click().run()
    assert meant in (at.query_params.get("org", ""), at.query_params.get("project", ""))


def test_nothing_close_says_so(folder: Path) -> None:
    at = run()
    at.text_input(key=state.SEARCH).set_value("zzzzqqqq").run()
    assert any("nor anything close" in c.value for c in at.caption)
    assert _picks(at) == []


def _shown_text(at: AppTest) -> list[str]:
    """Every text on screen outside the "Full path" popover's code."""
    texts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    texts += [w.value for w in at.warning] + [str(b.label) for b in at.button]
    return [str(t) for t in texts]


def test_banner_names_the_folder_and_shows_the_path_only_when_asked(folder: Path) -> None:
    at = run()
    shown = _shown_text(at)
    assert any(t.startswith("Showing: **Data in the folder “partners 2024”**") for t in shown)
    assert not [t for t in shown if "efus-internal" in t]
    popovers = at.get("popover")
    assert len(popovers) == 1
    assert popovers[0].proto.popover.label == "Full path"
    assert [c.value for c in popovers[0].code] == [str(folder)]
