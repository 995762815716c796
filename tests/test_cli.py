"""The command line, read through its JSON as a script would."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from defus_graph.cli import main


def run_json(capsys: pytest.CaptureFixture[str], *args: str) -> Any:
    assert main([*args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_projects(capsys: pytest.CaptureFixture[str]) -> None:
    projects = {p["acronym"]: p for p in run_json(capsys, "projects")}
    assert len(projects) == 12
    medi = projects["Medi@4Sec"]
    assert (medi["start"], medi["end"], medi["programme"]) == ("2017-05", "2020-04", "Horizon 2020")
    assert (medi["funding_eur"], medi["funding_scope"]) == (121000.0, "partner_share")
    assert medi["coordinator"] == "Université de Toulouse"
    assert projects["BRIDGE"]["funding_scope"] == "total"
    assert projects["BRIDGE"]["start"] is None
    assert "Düsseldorf" in projects["LouD"]["organisations"]
    assert projects["SiBa"]["coordinator"] is None


def test_orgs(capsys: pytest.CaptureFixture[str]) -> None:
    orgs = {o["name"]: o for o in run_json(capsys, "orgs")}
    assert orgs["Augsburg"] == {
        **orgs["Augsburg"],
        "kind": "city",
        "country": "DE",
        "projects": ["LouD", "Solidify"],
    }
    cities = run_json(capsys, "orgs", "--kind", "city", "--country", "fr")
    assert {o["name"] for o in cities} >= {"Lille", "Nice", "Avignon"}
    assert all(o["country"] == "FR" and o["kind"] == "city" for o in cities)


@pytest.mark.parametrize("name", ["Duesseldorf", "düsseldorf", "DÜSSELDORF", " Dusseldorf "])
def test_org_by_any_spelling(capsys: pytest.CaptureFixture[str], name: str) -> None:
    org = run_json(capsys, "org", name)
    assert org["name"] == "Düsseldorf"
    assert org["projects"] == ["BRIDGE", "LouD"]
    leuven = next(c for c in org["co_partners"] if c["name"] == "Leuven")
    assert leuven == {"name": "Leuven", "shared_projects": 2, "projects": ["BRIDGE", "LouD"]}


def test_org_by_alias_shows_both_projects(capsys: pytest.CaptureFixture[str]) -> None:
    org = run_json(capsys, "org", "Generalitat of Catalonia")
    assert org["name"] == "Generalitat de Catalunya"
    assert org["projects"] == ["BRIDGE", "PREPARE"]
    assert run_json(capsys, "org", "Stadt Nizza")["projects"] == ["PACTESUR"]
    assert run_json(capsys, "org", "DITSS")["projects"] == ["PROTECT"]


def test_unknown_org_exits_non_zero_with_closest_matches(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["org", "Roterdam"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert 'No organisation named "Roterdam". Did you mean "Rotterdam"' in captured.err


def test_shared(capsys: pytest.CaptureFixture[str]) -> None:
    cities = run_json(capsys, "shared", "--kind", "city")
    assert {c["name"]: c["projects"] for c in cities} == {
        "Augsburg": ["LouD", "Solidify"],
        "Düsseldorf": ["BRIDGE", "LouD"],
        "Leuven": ["BRIDGE", "LouD"],
        "Rotterdam": ["BRIDGE", "PREPARE"],
    }
    assert [c["name"] for c in run_json(capsys, "shared", "--min", "3")] == ["Efus"]


def test_stats_and_path(capsys: pytest.CaptureFixture[str]) -> None:
    stats = run_json(capsys, "stats")
    assert stats["projects"] == 12 and stats["organisations"] == 53
    path = run_json(capsys, "path", "Augsburg", "Rotterdam")
    assert path["connected"] is True
    names = [s["name"] for s in path["chain"]]
    assert names[0] == "Augsburg" and names[-1] == "Rotterdam"
    assert [s["type"] for s in path["chain"]][1::2] == ["project"] * (len(names) // 2)
    assert run_json(capsys, "path", "DEFUS", "Efus")["connected"] is False


def test_the_installed_command_and_module_agree() -> None:
    """The ``defus-graph`` pip installed and ``python -m defus_graph`` are the same program,
    printing UTF-8 whatever the locale."""
    command = Path(sys.executable).with_name("defus-graph" + (".exe" if os.name == "nt" else ""))
    assert command.is_file(), f"no {command}: install the package first (pip install -e .)"
    # A bare environment (no PATH, an ASCII locale), with the tests' own user folders.
    env = {"PYTHONIOENCODING": "ascii", "PATH": ""}
    env |= {k: os.environ[k] for k in ("XDG_DATA_HOME", "XDG_CACHE_HOME") if k in os.environ}
    out, by_module = (
        subprocess.run(
            [*way, "shared", "--kind", "city", "--json"], capture_output=True, check=True, env=env
        ).stdout
        for way in ([str(command)], [sys.executable, "-m", "defus_graph"])
    )
    assert out == by_module
    assert "Düsseldorf" in json.loads(out.decode("utf-8"))[1]["name"]


@pytest.mark.parametrize(
    ("args", "status"),
    [
        (["orgs"], 0),  # a listing, block-buffered into a file
        (["projects", "--json"], 0),
        (["org", "Nobody of that name"], 1),  # an error: its message on stderr
        (["export", "--format", "png", "--backbone", "0.1", "-o", "never.png"], 2),  # usage
    ],
)
def test_the_command_ends_with_everything_written(
    tmp_path: Path, capfdbinary: pytest.CaptureFixture[bytes], args: list[str], status: int
) -> None:
    """The console command ends its process at once once it is done (``cli.run``): it
    writes exactly what ``main`` writes, to a file as to a pipe, with the same status."""
    assert main(args) == status
    expected = capfdbinary.readouterr()
    with (tmp_path / "out").open("wb") as out, (tmp_path / "err").open("wb") as err:
        code = subprocess.run(
            [sys.executable, "-m", "defus_graph", *args], stdout=out, stderr=err, check=False
        ).returncode
    assert code == status
    assert (tmp_path / "out").read_bytes() == expected.out
    assert (tmp_path / "err").read_bytes() == expected.err
    piped = subprocess.run(
        [sys.executable, "-m", "defus_graph", *args], capture_output=True, check=False
    )
    assert (piped.returncode, piped.stdout, piped.stderr) == (status, expected.out, expected.err)


def test_help_lists_every_command() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "defus_graph", "--help"], capture_output=True, text=True, check=True
    ).stdout
    for command in (
        "projects",
        "orgs",
        "org",
        "shared",
        "stats",
        "path",
        "validate",
        "ingest",
        "export",
        "serve",
        "suggest",
        "compare",
    ):
        assert command in out


def test_a_reader_that_goes_away_gets_no_traceback() -> None:
    """``defus-graph projects | head -1``: the pipe closes early; stop quietly."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "defus_graph", "projects"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # the reader is gone before a line is written
    err = proc.stderr.read().decode()
    assert proc.wait() == 141
    assert "Traceback" not in err and err == ""
