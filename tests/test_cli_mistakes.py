"""Every command, given a wrong value, ends in a message and the right status: never a traceback.

The cases are generated from the parser itself: every option and positional of
every command, with wrong values chosen by the value's type (see
``defus_graph.arguments``), plus missing values, missing required arguments and
unknown options. A command added later is covered as soon as it is in the
parser; an argument of a type this file does not know fails
``test_every_argument_is_covered`` until its wrong values are written here.

Status 2 is argparse's: the command line itself is wrong (a value that can never
work, a folder where a file is to be written). Status 1 is a data problem: the
files named cannot be read or hold something wrong. Nothing is written either way.
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from defus_graph import arguments
from defus_graph.cli import build_parser, main

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
PAGE = ROOT / "tests" / "data" / "defus_projekte.txt"

# Placeholders, replaced in each case's own folder (see _concrete).
TMP = "{tmp}"
DATA_COPY = "{tmp}/data"
A_FILE = "{tmp}/a-file.txt"
A_FOLDER = "{tmp}/a-folder"
MISSING = "{tmp}/missing/thing"
UNDER_A_FILE = "{tmp}/a-file.txt/thing"
READ_ONLY = "{tmp}/read-only/thing"
GARBAGE = "{tmp}/garbage.bin"


@dataclass(frozen=True)
class Wrong:
    """A wrong value and the status it must end in."""

    value: str
    status: int
    why: str


_NUMBER_TEXT = [Wrong("x", 2, "not a number"), Wrong("", 2, "empty")]


def _count_wrongs(kind: Callable[[str], object]) -> list[Wrong]:
    minimum: int = kind.minimum  # type: ignore[attr-defined]
    return [
        Wrong(str(minimum - 1), 2, "below the minimum"),
        Wrong("-1", 2, "negative"),
        Wrong("1.5", 2, "not whole"),
        *_NUMBER_TEXT,
    ]


_PATH_KINDS: dict[object, list[Wrong]] = {
    arguments.output_file: [
        Wrong(A_FOLDER, 2, "a folder where a file is to be written"),
        Wrong(MISSING, 2, "in a folder that does not exist"),
        Wrong(UNDER_A_FILE, 2, "under a file"),
        Wrong(READ_ONLY, 2, "in a read-only folder"),
        Wrong("", 2, "empty"),
    ],
    arguments.output_dir: [
        Wrong(A_FILE, 2, "a file where a folder is to be written"),
        Wrong(UNDER_A_FILE, 2, "under a file"),
        Wrong(READ_ONLY, 2, "in a read-only folder"),
        Wrong("", 2, "empty"),
    ],
    arguments.input_file: [
        Wrong(MISSING, 1, "does not exist"),
        Wrong(A_FOLDER, 1, "a folder where a file is to be read"),
        Wrong(GARBAGE, 1, "not a format this tool reads"),
    ],
    arguments.input_dir: [
        Wrong(MISSING, 1, "does not exist"),
        Wrong(A_FILE, 1, "a file where a folder is to be read"),
        Wrong(A_FOLDER, 1, "an empty folder"),
    ],
}

#: Wrong values by the argument's type.
_BY_TYPE: dict[object, list[Wrong]] = {
    **_PATH_KINDS,
    arguments.year: [Wrong("0", 2, "no year"), Wrong("10000", 2, "too late"), *_NUMBER_TEXT],
    arguments.port: [Wrong("0", 2, "no port"), Wrong("65536", 2, "too high"), *_NUMBER_TEXT],
    arguments.fraction: [
        Wrong("-0.1", 2, "below 0"),
        Wrong("1.5", 2, "above 1"),
        Wrong("nan", 2, "not a number"),
        *_NUMBER_TEXT,
    ],
    arguments.alpha: [
        Wrong("0", 2, "zero"),
        Wrong("2", 2, "above 1"),
        Wrong("inf", 2, "infinite"),
        *_NUMBER_TEXT,
    ],
    arguments.encoding: [Wrong("klingon", 2, "no such encoding"), Wrong("", 2, "empty")],
    arguments.country: [
        Wrong("Atlantis", 2, "no such country"),
        Wrong("XX", 2, "no such code"),
        Wrong("", 2, "empty"),
    ],
    arguments.period: [
        Wrong("2017-2014", 2, "ends before it starts"),
        Wrong("soon", 2, "not a period"),
        Wrong("", 2, "empty"),
    ],
}

#: Text arguments (no type) by name: wrong values, or why none is wrong.
_TEXT: dict[str, list[Wrong] | str] = {
    name: [Wrong("Nowhere Institute of Nothing", 1, "no such organisation")]
    for name in ("name", "a", "b", "keep", "other")
}
_TEXT["programme"] = "a filter that matches nothing keeps nothing; not a mistake"
_TEXT["address"] = "serve's own (its listening is tested with serve)"

#: Valid values, to fill in every argument but the one a case gets wrong.
_VALID_BY_NAME = {
    "name": "Efus",
    "a": "Efus",
    "b": "Rotterdam",
    "keep": "Essen",
    "other": "Düsseldorf",
    "first": "2014-2017",
    "second": "2018-2021",
    "files": str(PAGE),
    "out": "{tmp}/new-data",
    "output": "{tmp}/network.gexf",
}

#: Commands that read --data (ingest writes --out; serve is not started here).
_NOT_READING_DATA = {"ingest", "serve"}


def _commands() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(sub.choices)


def _arguments(p: argparse.ArgumentParser) -> list[argparse.Action]:
    """The arguments that take a value (not --help, --json and other switches)."""
    return [
        a
        for a in p._actions
        if not isinstance(a, argparse._HelpAction | argparse._VersionAction)
        and a.nargs != 0
        and not isinstance(a, argparse._SubParsersAction)
    ]


def _needed(p: argparse.ArgumentParser) -> list[argparse.Action]:
    return [a for a in _arguments(p) if a.required or not a.option_strings]


def _valid_args(
    p: argparse.ArgumentParser, *, leave_out: argparse.Action | None = None
) -> list[str]:
    argv: list[str] = []
    for a in _needed(p):
        if a is leave_out or (a.nargs == "?" and not a.option_strings):
            continue
        first_choice = next(iter(a.choices)) if a.choices else None
        value = _VALID_BY_NAME.get(a.dest) or str(first_choice)
        argv += [*a.option_strings[-1:], value]
    return argv


def _wrongs(a: argparse.Action) -> list[Wrong] | str:
    if a.choices is not None:
        return [Wrong("nonsense", 2, "not one of the choices")]
    if a.type is not None and getattr(a.type, "minimum", None) is not None:
        return _count_wrongs(a.type)  # type: ignore[arg-type]
    if a.type in _BY_TYPE:
        return _BY_TYPE[a.type]
    if a.type is None:
        return _TEXT.get(a.dest, f"text argument {a.dest!r}: list its wrong values in _TEXT")
    return f"type {a.type!r} of {a.dest!r}: list its wrong values in _BY_TYPE"


@dataclass(frozen=True)
class Case:
    argv: tuple[str, ...]
    status: int
    #: What the message must quote (the wrong value), if anything.
    named: str | None = None


def _value_cases(command: str, p: argparse.ArgumentParser) -> Iterator[tuple[str, Case]]:
    for a in _arguments(p):
        wrongs = _wrongs(a)
        if isinstance(wrongs, str) or (command == "serve" and a.type in _PATH_KINDS):
            continue
        rest = _valid_args(p, leave_out=a)
        for w in wrongs:
            option = a.option_strings[-1:]
            argv = (command, *rest, *option, w.value) if option else (command, *rest, w.value)
            yield f"{command} {a.dest}: {w.why}", Case(argv, w.status, w.value)


def _structure_cases(command: str, p: argparse.ArgumentParser) -> Iterator[tuple[str, Case]]:
    rest = _valid_args(p)
    yield f"{command}: unknown option", Case((command, *rest, "--no-such-option"), 2)
    for a in _arguments(p):
        if a.option_strings:
            # The option last, its value missing.
            argv = (command, *_valid_args(p, leave_out=a), a.option_strings[-1])
            yield f"{command} {a.dest}: value missing", Case(argv, 2)
        if a in _needed(p) and a.nargs != "?":
            argv = (command, *_valid_args(p, leave_out=a))
            yield f"{command} {a.dest}: left out", Case(argv, 2)


def _global_cases(command: str, p: argparse.ArgumentParser) -> Iterator[tuple[str, Case]]:
    if command == "serve":
        return
    rest = _valid_args(p)
    for w in _BY_TYPE[arguments.encoding]:
        argv = ("--encoding", w.value, command, *rest)
        yield f"{command} --encoding: {w.why}", Case(argv, 2, w.value)
    if command not in _NOT_READING_DATA:
        for w in _PATH_KINDS[arguments.input_dir]:
            argv = ("--data", w.value, command, *rest)
            yield f"{command} --data: {w.why}", Case(argv, 1, w.value)


def _all_cases() -> list[tuple[str, Case]]:
    cases: list[tuple[str, Case]] = []
    for command, p in _commands().items():
        cases += [
            *_value_cases(command, p),
            *_structure_cases(command, p),
            *_global_cases(command, p),
        ]
    return cases


CASES = _all_cases()


def _folder(tmp: Path) -> None:
    """The paths the placeholders name, each case in its own folder."""
    # The tables only: a snapshot left in data/ by other runs would make cases differ.
    shutil.copytree(DATA, tmp / "data", ignore=shutil.ignore_patterns(".*"))
    (tmp / "a-file.txt").write_text("a file, not a folder\n", encoding="utf-8")
    (tmp / "a-folder").mkdir()
    (tmp / "read-only").mkdir()
    (tmp / "read-only").chmod(0o555)
    (tmp / "garbage.bin").write_bytes(bytes(range(256)) * 8)


def _tree(tmp: Path) -> dict[str, bytes]:
    """Every file under ``tmp`` but the data folder's snapshot (a cache of what was read,
    which reading may write; see defus_graph.store.snapshot)."""
    return {
        str(p.relative_to(tmp)): p.read_bytes()
        for p in tmp.rglob("*")
        if p.is_file() and ".cache" not in p.relative_to(tmp).parts
    }


def _run(argv: list[str]) -> int:
    try:
        return main(argv)
    except SystemExit as stop:  # argparse's errors
        return int(stop.code or 0)


@pytest.fixture
def no_dashboard(monkeypatch: pytest.MonkeyPatch) -> None:
    """Starting the dashboard is a test failure here, whatever starts it."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"serve started a process: {args}")

    monkeypatch.setattr(subprocess, "call", refuse)
    monkeypatch.setattr(subprocess, "Popen", refuse)
    monkeypatch.setattr(sys, "stdin", io.StringIO("y\n"))


def test_every_argument_is_covered() -> None:
    unknown = [
        w
        for command, p in _commands().items()
        for a in _arguments(p)
        if isinstance(w := _wrongs(a), str) and "list its wrong values" in w
    ]
    assert not unknown, unknown
    assert len(CASES) > 150


@pytest.mark.parametrize(("label", "case"), CASES, ids=[label for label, _ in CASES])
def test_a_wrong_argument_is_a_message_and_a_status(
    label: str,
    case: Case,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    no_dashboard: None,
) -> None:
    if READ_ONLY in case.argv and os.geteuid() == 0:
        pytest.skip("root writes in a read-only folder")
    _folder(tmp_path)
    before = _tree(tmp_path)
    argv = ["--data", str(tmp_path / "data"), *(a.replace(TMP, str(tmp_path)) for a in case.argv)]
    status = _run(argv)
    out, err = capsys.readouterr()
    assert status == case.status, err
    assert "Traceback" not in err
    assert out == ""
    if status == 2:
        assert "usage: defus-graph" in err and "error: " in err
    else:
        assert err.strip()
    if case.named:
        # The message quotes what was wrong (a file by its name at least), so the user
        # sees which value to change.
        named = case.named.replace(TMP, str(tmp_path))
        assert (Path(named).name if TMP in case.named else named) in err
    assert _tree(tmp_path) == before, "something was written"


@pytest.mark.parametrize("command", sorted(set(_commands()) - {"serve"}))
def test_the_valid_arguments_the_cases_start_from_work(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], no_dashboard: None
) -> None:
    """Each case gets one argument wrong: the rest alone must succeed."""
    _folder(tmp_path)
    p = _commands()[command]
    argv = [a.replace(TMP, str(tmp_path)) for a in _valid_args(p)]
    assert _run(["--data", str(tmp_path / "data"), command, *argv]) == 0, capsys.readouterr().err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["shared", "--min", "0"], "argument --min: must be 1 or more, not 0."),
        (["export", "--format", "gexf", "-o", "{tmp}"], "is a folder; give the name of a file"),
        (["ingest", "--out", "{tmp}/a-file.txt", str(PAGE)], "is a file; give a folder"),
    ],
)
def test_the_reported_cases_in_a_real_process(
    tmp_path: Path, args: list[str], message: str
) -> None:
    """The three mistakes that once ended in a traceback, run as a user types them."""
    _folder(tmp_path)
    done = subprocess.run(
        [sys.executable, "-m", "defus_graph", *(a.replace(TMP, str(tmp_path)) for a in args)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert message in done.stderr
    assert "Traceback" not in done.stderr
    assert done.stdout == ""


@pytest.mark.parametrize(
    "typed", ["DE", "de", "Germany", "GERMANY", "Deutschland", " deutschland "]
)
def test_orgs_takes_a_country_by_code_or_name(
    typed: str, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    assert main(["orgs", "--country", typed, "--json"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert {o["name"] for o in found} >= {"Augsburg", "Düsseldorf"}
    assert {o["country"] for o in found} == {"DE"}


def test_an_unknown_country_suggests_the_closest(capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(["orgs", "--country", "Deutchland"]) == 2
    assert "Did you mean Germany (DE)?" in capsys.readouterr().err


def test_export_keeps_the_organisations_of_a_country_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    by_name, by_code = tmp_path / "a.graphml", tmp_path / "b.graphml"
    assert (
        main(["export", "--format", "graphml", "--country", "Frankreich", "-o", str(by_name)]) == 0
    )
    assert main(["export", "--format", "graphml", "--country", "fr", "-o", str(by_code)]) == 0
    assert by_name.read_bytes() == by_code.read_bytes()
    assert b"Lille" in by_name.read_bytes() and b"Augsburg" not in by_name.read_bytes()


def test_export_says_where_it_wrote_each_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    asked = tmp_path / "x.csv"
    assert main(["export", "--format", "csv", "-o", str(asked)]) == 0
    out, err = capsys.readouterr()
    said = [line.split(" ")[1] for line in out.splitlines()]
    assert said == [str(tmp_path / "x.nodes.csv"), str(tmp_path / "x.edges.csv")]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.edges.csv", "x.nodes.csv"]
    assert f"-o {asked} wrote {said[0]} and {said[1]}" in err
