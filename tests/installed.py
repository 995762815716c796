"""defus-graph as pip installs it from a wheel, and ways to run it from another directory.

By default the wheel is built from a clean copy of the checkout and installed (without its
dependencies, which the tests' environment has) into a folder of its own that comes first on
``PYTHONPATH``. CI sets ``DEFUS_GRAPH_INSTALLED`` to the ``defus-graph`` command of a fresh
virtual environment the wheel was installed into with its dependencies, outside the checkout.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

from benchmarks.route import free_port, wait_healthy

ROOT = Path(__file__).resolve().parent.parent
#: Set by CI: the ``defus-graph`` command of a fresh virtual environment.
INSTALLED_ENV = "DEFUS_GRAPH_INSTALLED"

# What a build needs from the checkout; everything else (tests, benchmarks, caches, an old
# build/ whose stale modules setuptools would pack) stays out.
_SKIP = shutil.ignore_patterns(
    ".git", ".venv", "build", "dist", "*.egg-info", "tests", "benchmarks", "docs",
    ".cache", ".previous", "__pycache__", ".*_cache", ".hypothesis",
)  # fmt: skip


@dataclass(frozen=True)
class Installed:
    """An installed defus-graph: its ``defus-graph`` command and the environment it runs in."""

    command: Path
    env: dict[str, str]

    def run(self, *args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
        """``defus-graph ARGS`` in ``cwd``; its output as text."""
        return subprocess.run(
            [str(self.command), *args],
            cwd=cwd,
            env={**self.env, **env},
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=300,
        )

    def python(self, code: str, cwd: Path) -> str:
        """What ``code`` prints, run by the installed package's interpreter."""
        python = _interpreter(self.command)
        return subprocess.run(
            [python, "-c", code], cwd=cwd, env=self.env, capture_output=True, text=True, check=True
        ).stdout.strip()


def _interpreter(script: Path) -> str:
    first = script.read_text(encoding="utf-8").splitlines()[0]
    return first.removeprefix("#!").strip()


def install(workdir: Path) -> Installed:
    """The installed package CI names, else one built and installed under ``workdir``."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "DEFUS_GRAPH_DATA")}
    named = os.environ.get(INSTALLED_ENV)
    if named:
        return Installed(Path(named), env)
    source = workdir / "source"
    shutil.copytree(ROOT, source, ignore=_SKIP)
    wheels, target = workdir / "wheels", workdir / "site"
    pip = [sys.executable, "-m", "pip", "-q", "--disable-pip-version-check"]
    subprocess.run([*pip, "wheel", "--no-deps", "-w", str(wheels), str(source)], check=True)
    wheel = next(wheels.glob("defus_graph-*.whl"))
    subprocess.run([*pip, "install", "--no-deps", "--target", str(target), str(wheel)], check=True)
    # First on the path: the installed copy, not the checkout an editable install points to.
    return Installed(target / "bin" / "defus-graph", {**env, "PYTHONPATH": str(target)})


def children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (Linux: read from /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # ended meanwhile
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


@contextmanager
def serving(
    command: list[str], cwd: Path, env: dict[str, str]
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """``command`` (a ``serve``) started in ``cwd`` until healthy: its URL and its process.

    Whatever the test does, nothing it started outlives it.
    """
    port = free_port()
    log = (cwd / "serve.log").open("wb")
    proc = subprocess.Popen(
        [*command, "--port", str(port)], cwd=cwd, env=env, stdout=log, stderr=log
    )
    try:
        wait_healthy(f"http://127.0.0.1:{port}", proc, timeout=90)
        yield f"http://127.0.0.1:{port}", proc
    finally:
        for pid in children(proc.pid):
            _kill(pid)
        _kill(proc.pid)
        proc.wait(timeout=30)
        log.close()


def _kill(pid: int) -> None:
    with suppress(ProcessLookupError):  # already ended: what we wanted
        os.kill(pid, signal.SIGKILL)
