"""``defus-graph serve``: the project's settings wherever it starts; it stops with its server."""

from __future__ import annotations

import os
import signal
import socket
import sys
import tomllib
from pathlib import Path

import pytest

from defus_graph.cli import _serve_command, build_parser

from .conftest import DATA, ROOT
from .installed import children, serving

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="reads processes from /proc")

SERVE = [sys.executable, "-m", "defus_graph", "--data", str(DATA), "serve"]


def _flag(value: object) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def test_serve_runs_the_screen_with_every_setting_of_the_project() -> None:
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    command = _serve_command(build_parser().parse_args(["serve", "--port", "8765"]))
    assert command[1:5] == ["-m", "defus_graph.dashboard.launch", "run", str(ROOT / "app.py")]
    for section, options in config.items():
        for option, value in options.items():
            assert f"--{section}.{option}={_flag(value)}" in command
    # What the issue names, spelled out: offline, no telemetry, upload limit, XSRF, no details.
    for flag in (
        "--browser.gatherUsageStats=false",
        "--server.enableXsrfProtection=true",
        "--client.showErrorDetails=none",
        "--server.port=8765",
        "--server.address=127.0.0.1",
    ):
        assert flag in command
    assert any(f.startswith("--server.maxUploadSize=") for f in command)


def _refused(url: str) -> bool:
    host, port = url.removeprefix("http://").split(":")
    with socket.socket() as s:
        return s.connect_ex((host, int(port))) != 0


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_stop_signal_stops_serve_and_its_server(tmp_path: Path, signum: int) -> None:
    """From another directory, as ``python -m defus_graph``: nothing is left running."""
    with serving(SERVE, tmp_path, dict(os.environ)) as (url, proc):
        servers = children(proc.pid)
        assert servers, "serve runs the dashboard's server as its child"
        proc.send_signal(signum)
        assert proc.wait(timeout=60) == 0  # the server stopped cleanly, and serve with it
        assert [pid for pid in servers if Path(f"/proc/{pid}").exists()] == []
        assert _refused(url)


def test_serve_ends_with_its_server_and_says_how(tmp_path: Path) -> None:
    """A server killed by a signal: serve ends too, with 128 + the signal, as a shell says."""
    with serving(SERVE, tmp_path, dict(os.environ)) as (_url, proc):
        (server,) = children(proc.pid)
        os.kill(server, signal.SIGKILL)
        assert proc.wait(timeout=60) == 128 + signal.SIGKILL
