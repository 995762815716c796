"""The user's route: each command as a user types it, a fresh process, on CORDIS's own files.

:func:`run_route` starts from ``project.csv`` and ``organization.csv`` in
CORDIS's format (written by :func:`benchmarks.generate.write_cordis`) and runs,
each in a new process of the installed ``defus-graph`` console script (the
``defus-graph`` beside ``sys.executable``, else ``python -m defus_graph``):

1. ``defus-graph ingest project.csv organization.csv --out D``;
2. ``defus-graph --data D stats``, first right after the ingest and then again
   (once whatever the first command caches exists);
3. ``org NAME`` for the organisation in the most projects, ``shared``,
   ``projects --json``;
4. ``export --format gexf -o network.gexf`` (bipartite), ``--view orgs`` and its
   disparity backbone (``--backbone 0.05``), ``suggest`` for the most active
   organisation and ``compare 2014-2017 2018-2021``;
5. the plain networkx script a user would write on the same two files
   (:data:`PLAIN_SCRIPT`: pandas reads them, ``nx.Graph.add_edges_from``,
   ``bipartite.weighted_projected_graph`` onto the organisations,
   ``nx.write_gexf``), in a process of its own;
6. the dashboard: ``defus-graph --data D serve`` on a free port of 127.0.0.1,
   driven by Debian's Chromium through Playwright: the first drawing with a
   cold server (from loading the page until the network is drawn), a reload
   (warm), and a click on an organisation until its story shows.

Seconds are wall-clock time of the process, from its start to its exit.
Memory is each process's peak resident set size as the kernel accounted it
when it ended (``ru_maxrss`` of ``os.wait4`` on that child, which includes the
processes it waited for). The command is started by a small launcher
(:data:`_LAUNCHER`), not by this process: the kernel counts the memory a child
had before its ``exec`` (a copy of its parent's) in its peak, so a command
started straight from a benchmark holding a large dataset would be charged
with the benchmark's memory. The launcher's own few MiB are the floor. For
the dashboard it is the Streamlit server's high-water mark (``VmHWM`` in
``/proc``) after each step, cumulative; Chromium's own memory is not counted.
"""

from __future__ import annotations

import csv
import importlib.util
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.generate import SIZES, write_cordis
from defus_graph.store.tables import DATA_ENV

__all__ = [
    "CLICKABLE_ORGANISATION",
    "PLAIN_SCRIPT",
    "TARGETS",
    "RouteError",
    "RouteResult",
    "Step",
    "cordis_files",
    "free_port",
    "route_table",
    "run_route",
    "serve_app",
    "wait_healthy",
]

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
#: The network is drawn: the component marks its root ready with at least one node.
DRAWN = '.dg-root[data-ready=true]:not([data-nodes="0"])'
STORY = ".st-key-story"

#: Issue 11's targets at Horizon 2020 scale, in seconds, by step; at 1 M participations
#: the same commands may take five times as long.
TARGETS: dict[str, float] = {
    "ingest": 4.0,
    "stats (first command)": 4.0,
    "stats (again)": 1.5,
    "org (most active)": 1.5,
    "shared": 1.5,
    "projects --json": 1.5,
    "export gexf (bipartite)": 4.0,
    "export gexf --view orgs": 6.0,
    "dashboard: first drawing, cold server": 5.0,
    "dashboard: reload (warm)": 1.5,
    "dashboard: click until the story shows": 1.0,
}
#: Issue 11's memory targets (MiB): 1.5 GB for every command, 4 GB at 1 M participations.
MEMORY_TARGET_MIB = 1.5e9 / 2**20
MEMORY_TARGET_1M_MIB = 4e9 / 2**20
#: Files to the organisation network GEXF: at least this many times faster than plain networkx.
SPEEDUP_TARGET = 15.0

#: What this benchmark never measures, said under every table.
ALWAYS_MISSING = (
    "Chromium's own time to start and its memory",
    "a cold disk cache (the files were just written, so the system reads them from memory)",
    "a first command without what ingest itself leaves behind (the first command runs "
    "right after ingest, as a user's would)",
    "commands other than those listed (orgs, path, validate, duplicates, merge)",
)

#: What a user who knows networkx would write instead, on the same two CORDIS files.
PLAIN_SCRIPT = """\
import sys

import networkx as nx
import pandas as pd
from networkx.algorithms import bipartite

project_csv, organization_csv, out = sys.argv[1:4]
read = {"sep": ";", "dtype": str, "keep_default_na": False, "encoding": "utf-8-sig"}
projects = pd.read_csv(project_csv, **read)
orgs = pd.read_csv(organization_csv, **read)
g = nx.Graph()
g.add_nodes_from(
    ("p" + r.id, {"bipartite": 0, "label": r.acronym, "title": r.title})
    for r in projects.itertuples()
)
g.add_nodes_from(
    ("o" + r.organisationID, {"bipartite": 1, "label": r.name, "country": r.country})
    for r in orgs.itertuples()
)
g.add_edges_from(("p" + p, "o" + o) for p, o in zip(orgs.projectID, orgs.organisationID))
organisations = [n for n, side in g.nodes(data="bipartite") if side == 1]
network = bipartite.weighted_projected_graph(g, organisations)
nx.write_gexf(network, out)
"""


class RouteError(RuntimeError):
    """A command of the route failed: which one, and what it said."""


@dataclass(frozen=True)
class Step:
    """One command as typed: wall seconds and peak RSS (MiB) of its process."""

    name: str
    command: str
    seconds: float
    peak_mib: float | None
    #: What the command said when it declined the task, as designed (else ``None``).
    refused: str | None = None


@dataclass
class RouteResult:
    """Everything the route measured, and what it did not."""

    size: str
    steps: dict[str, Step] = field(default_factory=dict)
    plain: Step | None = None
    notes: list[str] = field(default_factory=list)
    not_measured: list[str] = field(default_factory=list)

    def speedup(self) -> float | None:
        """Files → organisation-network GEXF: plain networkx's seconds over ours."""
        ours = [self.steps.get("ingest"), self.steps.get("export gexf --view orgs")]
        if self.plain is None or None in ours or any(s and s.refused for s in ours):
            return None
        return self.plain.seconds / max(sum(s.seconds for s in ours if s), 1e-9)


def cordis_files(size: str, directory: Path, *, seed: int = 2020) -> tuple[Path, Path]:
    """CORDIS's ``project.csv`` and ``organization.csv`` of ``size`` in ``directory`` (reused)."""
    project, organization = directory / "project.csv", directory / "organization.csv"
    if project.is_file() and organization.is_file():
        return project, organization
    print(f"generating CORDIS files of {size} into {directory}", file=sys.stderr)
    return write_cordis(SIZES[size], directory, seed=seed)


def _defus_graph() -> list[str]:
    """The console script the user types, from the same environment as this interpreter."""
    script = Path(sys.executable).with_name("defus-graph")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "defus_graph"]


#: How a command says it declines a task too large for the machine (exit status 1): the
#: organisation network of a million participations, say. That is a result, not a failure.
REFUSAL = "more than can be built here"


#: Runs ``argv[3:]`` from a process of a few MiB, then writes its wall seconds,
#: ``ru_maxrss`` (KiB) and exit code to the file ``argv[1]``; kills it after
#: ``argv[2]`` seconds. Imports only what Python has loaded at start.
_LAUNCHER = """
import os, signal, sys, time
out, limit, argv = sys.argv[1], float(sys.argv[2]), sys.argv[3:]
start = time.perf_counter()
pid = os.posix_spawnp(argv[0], argv, os.environ)
signal.signal(signal.SIGALRM, lambda *_: os.kill(pid, signal.SIGKILL))
signal.setitimer(signal.ITIMER_REAL, limit)
_, status, usage = os.wait4(pid, 0)
seconds = time.perf_counter() - start
with open(out, "w") as fh:
    fh.write(f"{seconds} {usage.ru_maxrss} {os.waitstatus_to_exitcode(status)}")
"""


def _measure(argv: Sequence[str], *, cwd: Path, timeout: float) -> tuple[float, float, str | None]:
    """Run ``argv`` to its end: (wall seconds, peak RSS in MiB, its refusal or ``None``).

    Raises :class:`RouteError` when it fails other than by a :data:`REFUSAL`.
    """
    with tempfile.TemporaryDirectory() as tmp, tempfile.TemporaryFile() as err:
        report = Path(tmp) / "measured"
        launcher = [sys.executable, "-I", "-S", "-c", _LAUNCHER, str(report), str(timeout)]
        subprocess.run([*launcher, *argv], cwd=cwd, stdout=subprocess.DEVNULL, stderr=err)
        err.seek(0)
        stderr = err.read().decode("utf-8", "replace")
        if not report.exists():
            raise RouteError(f"{' '.join(argv)} could not be started: {stderr.strip()[-500:]}")
        text_seconds, text_kib, text_code = report.read_text().split()
    seconds, peak, code = float(text_seconds), int(text_kib) / 1024, int(text_code)
    if seconds >= timeout:
        raise RouteError(f"{' '.join(argv)} was stopped after {timeout:.0f} s")
    if code == 1 and REFUSAL in stderr:
        return seconds, peak, stderr.strip()
    if code != 0:
        raise RouteError(
            f"{' '.join(argv)} exited with {code} after {seconds:.1f} s: {stderr.strip()[-500:]}"
        )
    return seconds, peak, None


def _most_active(data: Path) -> str:
    """The organisation in the most participations of the ingested tables."""
    with open(data / "participations.csv", encoding="utf-8-sig", newline="") as fh:
        counts = Counter(row["organisation"] for row in csv.DictReader(fh))
    return min(counts, key=lambda name: (-counts[name], name))


#: Stands for the most active organisation, known only once the ingest has run.
_BUSIEST = "<the organisation in the most projects>"


def _commands(
    project: Path, organization: Path, data: Path, work: Path
) -> list[tuple[str, list[str]]]:
    d = ["--data", str(data)]
    orgs = [*d, "export", "--format", "gexf", "--view", "orgs"]
    return [
        ("ingest", ["ingest", str(project), str(organization), "--out", str(data)]),
        ("stats (first command)", [*d, "stats"]),
        ("stats (again)", [*d, "stats"]),
        ("org (most active)", [*d, "org", _BUSIEST]),
        ("shared", [*d, "shared"]),
        ("projects --json", [*d, "projects", "--json"]),
        (
            "export gexf (bipartite)",
            [*d, "export", "--format", "gexf", "-o", str(work / "network.gexf")],
        ),
        (
            "export gexf --view orgs",
            [*orgs, "-o", str(work / "orgs.gexf")],
        ),
        (
            "export gexf --view orgs --backbone 0.05",
            [*orgs, "--backbone", "0.05", "-o", str(work / "backbone.gexf")],
        ),
        ("suggest (most active)", [*d, "suggest", _BUSIEST]),
        ("compare 2014-2017 2018-2021", [*d, "compare", "2014-2017", "2018-2021"]),
    ]


def _shown(argv: Sequence[str], data: Path, work: Path, cordis: Path) -> str:
    """The command as a user would type it in the CORDIS folder (paths shortened)."""
    text = " ".join(f'"{a}"' if " " in a else a for a in argv)
    for path, short in ((data, "D"), (work, "."), (cordis, ".")):
        text = text.replace(f"{path}/", "" if short == "." else f"{short}/")
        text = text.replace(str(path), short)
    return f"defus-graph {text}"


def run_route(
    size: str,
    cordis: Path,
    *,
    seed: int = 2020,
    dashboard: bool = True,
    networkx_script: bool = True,
    timeout: float = 3600,
    work: Path | None = None,
) -> RouteResult:
    """Every command of the user's route on CORDIS files of ``size``; see the module docstring."""
    result = RouteResult(size)
    project, organization = cordis_files(size, cordis, seed=seed)
    tool = _defus_graph()
    with tempfile.TemporaryDirectory(dir=work) as tmp:
        folder = Path(tmp)
        data = folder / "D"
        for name, args in _commands(project, organization, data, folder):
            if _BUSIEST in args:
                args = [_most_active(data) if a == _BUSIEST else a for a in args]
            seconds, peak, refused = _measure([*tool, *args], cwd=cordis, timeout=timeout)
            shown = _shown(args, data, folder, cordis)
            result.steps[name] = Step(name, shown, seconds, peak, refused)
            print(f"  {name:<40} {seconds:8.2f} s {peak:8.0f} MiB", file=sys.stderr)
            if refused:
                result.notes.append(f"`{shown}` declined, as designed: {refused}")
        if networkx_script:
            script = folder / "plain_networkx.py"
            script.write_text(PLAIN_SCRIPT, encoding="utf-8")
            argv = [sys.executable, str(script), str(project), str(organization)]
            seconds, peak, _ = _measure(
                [*argv, str(folder / "plain.gexf")], cwd=cordis, timeout=timeout
            )
            result.plain = Step(
                "plain networkx script",
                "python plain_networkx.py project.csv organization.csv plain.gexf",
                seconds,
                peak,
            )
            print(
                f"  {'plain networkx script':<40} {seconds:8.2f} s {peak:8.0f} MiB", file=sys.stderr
            )
            if (folder / "orgs.gexf").is_file():
                _compare_links(folder / "orgs.gexf", result, folder / "plain.gexf")
        else:
            result.not_measured.append("the plain networkx script (--no-networkx)")
        if dashboard:
            _run_dashboard(tool, data, result, timeout=min(timeout, 600))
        else:
            result.not_measured.append("the dashboard in Chromium (--no-dashboard)")
    return result


def _edge_count(path: Path) -> int:
    """How many ``<edge`` elements a GEXF file holds, read in chunks (no XML tree)."""
    count, tail = 0, b""
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 22):
            block = tail + chunk
            count += block.count(b"<edge ")
            tail = block[-5:]
    return count


def _compare_links(ours: Path, result: RouteResult, plain: Path) -> None:
    """Say whether our organisation network has as many links as plain networkx's."""
    mine, theirs = _edge_count(ours), _edge_count(plain)
    verdict = "the same number" if mine == theirs else "DIFFERENT numbers"
    result.notes.append(
        f"Organisation links in the GEXF: ours {mine:,}, plain networkx {theirs:,} ({verdict})."
    )


# --- The dashboard in a real Chromium -----------------------------------------------------


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_healthy(url: str, proc: subprocess.Popen[bytes], timeout: float = 60) -> None:
    """Return once the Streamlit server at ``url`` answers its health check.

    Raises :class:`RouteError` when ``proc`` exits first or ``timeout`` seconds pass.
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RouteError(f"defus-graph serve exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise RouteError(f"the dashboard did not answer at {url} within {timeout:.0f} s")


def serve_app(data: Path, timeout: float = 120) -> tuple[subprocess.Popen[bytes], str]:
    """This checkout's ``streamlit run app.py`` on ``data``, on a free port of 127.0.0.1,
    returned once it answers: the server the browser tests and the map scripts drive."""
    port = free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "app.py",
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
        ],
        cwd=ROOT,
        env={**os.environ, DATA_ENV: str(data)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, proc, timeout)
    except RouteError:
        proc.terminate()
        proc.wait()
        raise
    return proc, url


def _tree_hwm_mib(pid: int) -> float | None:
    """The largest ``VmHWM`` of ``pid`` and its children (``serve`` runs streamlit in a child)."""
    peaks: list[int] = []
    todo = [pid]
    while todo:
        current = todo.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text(encoding="ascii")
            children = Path(f"/proc/{current}/task/{current}/children").read_text(encoding="ascii")
        except OSError:
            continue
        if found := re.search(r"VmHWM:\s+(\d+)", status):
            peaks.append(int(found.group(1)))
        todo += [int(c) for c in children.split()]
    return max(peaks) / 1024 if peaks else None


#: The organisation drawn with the most links that the pointer hits on its own.
CLICKABLE_ORGANISATION = """() => {
    const g = window.defusGraph, net = g.network;
    const orgs = net.body.data.nodes.getIds().filter(id => String(id).startsWith("org:"));
    orgs.sort((a, b) => net.getConnectedEdges(b).length - net.getConnectedEdges(a).length);
    for (const id of orgs) {
        net.focus(id, {scale: 4, animation: false});
        const p = g.positionOf(id);
        const rect = net.body.container.getBoundingClientRect();
        if (net.getNodeAt({x: p.x - rect.left, y: p.y - rect.top}) === id) {
            return {id: id, x: p.x, y: p.y};
        }
    }
    return null;
}"""


def _run_dashboard(tool: list[str], data: Path, result: RouteResult, *, timeout: float) -> None:
    """Cold server, first drawing, reload, click: timed in Debian's Chromium."""
    if importlib.util.find_spec("playwright") is None:
        result.not_measured.append("the dashboard: the playwright package is not installed")
        return
    if not CHROMIUM.exists():
        result.not_measured.append(f"the dashboard: {CHROMIUM} is missing")
        return
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    argv = [*tool, "--data", str(data), "serve", "--port", str(port)]
    shown = f"defus-graph --data D serve --port {port}"
    start = time.perf_counter()
    # A session of its own, so that the server and the streamlit child it starts stop together.
    server = subprocess.Popen(
        argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    try:
        wait_healthy(url, server, timeout)
        up = time.perf_counter() - start
        _record(result, "dashboard: serve until it answers", shown, up, server.pid)
        # A thread of its own: Playwright's sync API refuses to run where an event loop
        # already runs (as in a test session that drives Chromium itself).
        with ThreadPoolExecutor(max_workers=1) as pool:
            pool.submit(_drive_chromium, url, result, server.pid, timeout).result()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def _drive_chromium(url: str, result: RouteResult, pid: int, timeout: float) -> None:
    from playwright.sync_api import Error as BrowserError
    from playwright.sync_api import sync_playwright

    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
            )
            try:
                page = browser.new_page(viewport={"width": 1500, "height": 1000})
                _browse(page, url, result, pid, timeout)
            finally:
                browser.close()
    except BrowserError as err:  # a timeout too: the page never got there
        raise RouteError(f"the dashboard in Chromium: {err}") from err


def _record(result: RouteResult, name: str, shown: str, seconds: float, pid: int) -> None:
    result.steps[name] = Step(name, shown, seconds, _tree_hwm_mib(pid))
    print(f"  {name:<40} {seconds:8.2f} s", file=sys.stderr)


def _browse(page: Any, url: str, result: RouteResult, pid: int, timeout: float) -> None:
    wait_ms = timeout * 1000
    start = time.perf_counter()
    page.goto(url, timeout=wait_ms)
    page.wait_for_selector(DRAWN, timeout=wait_ms)
    _record(
        result,
        "dashboard: first drawing, cold server",
        "open the page",
        time.perf_counter() - start,
        pid,
    )
    start = time.perf_counter()
    page.reload(timeout=wait_ms)
    page.wait_for_selector(DRAWN, timeout=wait_ms)
    _record(result, "dashboard: reload (warm)", "reload the page", time.perf_counter() - start, pid)
    where = page.evaluate(CLICKABLE_ORGANISATION)
    if where is None:
        result.not_measured.append("the dashboard's click: no organisation could be hit alone")
        return
    name = str(where["id"]).split(":", 1)[1]
    start = time.perf_counter()
    page.mouse.click(where["x"], where["y"])
    page.wait_for_selector(f'.dg-root[data-selected="{where["id"]}"]', timeout=wait_ms)
    page.locator(STORY).get_by_text(name, exact=False).first.wait_for(timeout=wait_ms)
    _record(
        result,
        "dashboard: click until the story shows",
        f"click {name}",
        time.perf_counter() - start,
        pid,
    )


def route_table(result: RouteResult) -> str:
    """The user's route as a markdown table: command, seconds, peak MiB, target."""
    # The targets are for Horizon 2020 scale (five times as long at 1 M participations).
    factor = {"h2020": 1.0, "1m": 5.0}.get(result.size)
    lines = [
        f"**The user's route** ({result.size}; each command a fresh process, "
        "from CORDIS's project.csv and organization.csv)",
        "",
        "| step | command | seconds | peak MiB | target (s) |"
        if factor is not None
        else "| step | command | seconds | peak MiB | target (s, at H2020 scale) |",
        "| --- | --- | ---: | ---: | ---: |",
    ]
    for name, step in result.steps.items():
        target = TARGETS.get(name)
        mark = ""
        if step.refused:
            mark = "declined"
        elif target is not None and factor is not None:
            mark = f"≤ {target * factor:g}" + ("" if step.seconds <= target * factor else " ✗")
        peak = "" if step.peak_mib is None else f"{step.peak_mib:,.0f}"
        lines.append(f"| {name} | `{step.command}` | {step.seconds:.2f} | {peak} | {mark} |")
    if result.plain is not None:
        p = result.plain
        lines.append(
            f"| plain networkx script | `{p.command}` | {p.seconds:.2f} | {p.peak_mib:,.0f} | |"
        )
    lines.append("")
    speedup = result.speedup()
    if speedup is not None and result.plain is not None:
        ours = result.steps["ingest"].seconds + result.steps["export gexf --view orgs"].seconds
        verdict = (
            ""
            if speedup >= SPEEDUP_TARGET or factor is None
            else f" (target ≥ {SPEEDUP_TARGET:g}× ✗)"
        )
        lines.append(
            f"Files → organisation-network GEXF: ingest + export --view orgs {ours:.2f} s, "
            f"plain networkx {result.plain.seconds:.2f} s: **{speedup:.1f}×**{verdict}."
        )
    if "dashboard: first drawing, cold server" in result.steps:
        cold = (
            result.steps["dashboard: serve until it answers"].seconds
            + result.steps["dashboard: first drawing, cold server"].seconds
        )
        lines.append(f"From typing serve to the first drawing: {cold:.2f} s.")
    memory_target = MEMORY_TARGET_1M_MIB if result.size == "1m" else MEMORY_TARGET_MIB
    over = [
        n for n, s in result.steps.items() if s.peak_mib is not None and s.peak_mib > memory_target
    ]
    if over and factor is not None:
        lines.append(f"Above the memory target ({memory_target:,.0f} MiB): {', '.join(over)}.")
    lines += [
        "Seconds: wall time of each process from start to exit (the dashboard: from opening "
        "the page, reloading or clicking until the drawing or the story shows).",
        "Peak MiB: ru_maxrss of each child process (os.wait4); for the dashboard, the "
        "server's VmHWM after the step (cumulative; Chromium not counted).",
        *result.notes,
    ]
    missing = [*result.not_measured, *ALWAYS_MISSING]
    lines.append("Not measured: " + "; ".join(missing) + ".")
    return "\n".join(lines)
