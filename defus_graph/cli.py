"""The ``defus-graph`` command: look at the network, check data, ingest, export, serve.

Errors from the core become a plain message on stderr and exit status 1; no
traceback reaches the user. Every listing takes ``--json`` (UTF-8, one JSON
document on stdout).
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import gc
import logging
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from . import __version__, arguments
from ._bulk import paused_gc
from .cells import escape_controls
from .errors import DataError, DefusGraphError
from .model import KINDS, Dataset
from .sources import FORMATS
from .store.folders import default_data_dir, is_bundled, save_dir, user_data_dir
from .store.tables import (
    DATA_ENV,
    NO_TABLES,
    check_dataset,
    load_dataset,
    load_folder,
    load_with_key,
    save_dataset,
)

# The graph, its analysis and the exports pull in networkx, numpy and scipy:
# each command imports what it uses, so that --help and small commands start fast.
if TYPE_CHECKING:
    import networkx as nx

    from .graph.bipartite import BipartiteColumns, Participations, ProjectionLinks
    from .graph.views import Filters

__all__ = ["build_parser", "main", "run"]

log = logging.getLogger("defus_graph")


class UsageError(DefusGraphError):
    """Options that do not go together: reported as argparse reports its errors (status 2)."""


def _emit_json(value: object) -> None:
    from ._jsontext import indented_json

    text = indented_json(value) + "\n"
    sys.stdout.buffer.write(text.encode("utf-8"))
    sys.stdout.flush()


def _emit(text: str) -> None:
    sys.stdout.buffer.write((text + "\n").encode("utf-8"))
    sys.stdout.flush()


def _table(rows: list[list[str]], header: list[str]) -> str:
    widths = [max(len(str(c)) for c in col) for col in zip(header, *rows, strict=True)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    # The last cell is not padded: the line's trailing spaces are cut anyway, and
    # one long last cell (2,000 acronyms) would otherwise pad every line to its width.
    lines += [
        "  ".join([*(str(c).ljust(w) for c, w in zip(r[:-1], widths, strict=False)), str(r[-1])])
        for r in rows
    ]
    return "\n".join(line.rstrip() for line in lines)


def _money(amount: float | None, scope: str | None) -> str:
    if amount is None:
        return ""
    text = f"€{amount:,.2f}"
    return text + (" (partner's share)" if scope == "partner_share" else "")


def _load(args: argparse.Namespace) -> tuple[Dataset, nx.Graph]:
    from .graph.bipartite import graph_from_dataset

    ds = load_dataset(args.data, encoding=args.encoding)
    return ds, graph_from_dataset(ds)


def _load_arrays(args: argparse.Namespace) -> tuple[Dataset, Participations | nx.Graph]:
    """The dataset and its arrays: what the queries need, without a networkx graph.

    A dataset the arrays cannot stand for (see ``Participations.from_dataset``)
    gets its graph instead.
    """
    from .graph.bipartite import Participations, graph_from_dataset

    ds = load_dataset(args.data, encoding=args.encoding)
    arrays = Participations.from_dataset(ds)
    return ds, arrays if arrays is not None else graph_from_dataset(ds)


def cmd_projects(args: argparse.Namespace) -> int:
    from .analysis.records import ProjectTable, project_records, project_table

    # From the snapshot's columns; else the tables are read, checked and kept.
    table = project_table(args.data, encoding=args.encoding)
    if table is None:
        ds = load_dataset(args.data, encoding=args.encoding)
        table = ProjectTable.from_dataset(ds)
        if table is None:  # a dataset the graph repairs (no checked folder is one)
            return _project_records_out(args, project_records(ds))
    if args.json:
        _emit(table.json_text())
        return 0
    f = table.fields
    rows = [
        [
            acronym,
            f"{start or '?'}–{end or '?'}",
            programme or "",
            _money(eur, scope),
            lead or "",
            str(n),
        ]
        for acronym, start, end, programme, eur, scope, lead, n in zip(
            f["acronym"],
            f["start"],
            f["end"],
            f["programme"],
            f["funding_eur"],
            f["funding_scope"],
            table.coordinators(),
            table.member_counts(),
            strict=True,
        )
    ]
    _emit(_table(rows, _PROJECT_HEADER))
    return 0


_PROJECT_HEADER = ["project", "runs", "programme", "funding", "coordinator", "orgs"]


def _project_records_out(args: argparse.Namespace, records: list[dict[str, Any]]) -> int:
    """``projects`` from the records of :func:`~defus_graph.analysis.records.project_records`."""
    if args.json:
        _emit_json(records)
        return 0
    rows = [
        [
            r["acronym"],
            f"{r['start'] or '?'}–{r['end'] or '?'}",
            r["programme"] or "",
            _money(r["funding_eur"], r["funding_scope"]),
            r["coordinator"] or "",
            str(len(r["organisations"])),
        ]
        for r in records
    ]
    _emit(_table(rows, _PROJECT_HEADER))
    return 0


def cmd_orgs(args: argparse.Namespace) -> int:
    from .analysis.records import organisation_records

    ds, g = _load(args)
    records = [
        r
        for r in organisation_records(ds, g)
        if (args.kind is None or r["kind"] == args.kind)
        and (args.country is None or r["country"] == args.country)
    ]
    if args.json:
        _emit_json(records)
        return 0
    rows = [
        [r["name"], r["kind"] or "", r["country"] or "", ", ".join(r["projects"])] for r in records
    ]
    _emit(_table(rows, ["organisation", "kind", "country", "projects"]))
    return 0


def cmd_org(args: argparse.Namespace) -> int:
    from .analysis.records import kept_organisation_detail, organisation_detail

    # From the snapshot's columns; else (or for a name no organisation has, to say
    # which come closest) the tables are read, checked and kept.
    found = kept_organisation_detail(args.data, args.encoding, args.name)
    if found is None:
        ds, g = _load_arrays(args)
        record = organisation_detail(ds, g, args.name)
        titles = {p.acronym: p.title for p in ds.projects}
    else:
        record, titles = found
    if args.json:
        _emit_json(record)
        return 0
    lines = [
        record["name"],
        f"  kind: {record['kind'] or 'unknown'}",
        f"  country: {record['country'] or 'unknown'}",
    ]
    if record["aliases"]:
        lines.append(f"  also known as: {', '.join(record['aliases'])}")
    lines.append(f"  projects ({len(record['projects'])}):")
    for acronym in record["projects"]:
        lines.append(f"    {acronym} ({record['roles'][acronym]}): {titles[acronym]}")
    lines.append(f"  co-partners ({len(record['co_partners'])}):")
    for c in record["co_partners"]:
        lines.append(f"    {c['name']}: {', '.join(c['projects'])}")
    _emit("\n".join(lines))
    return 0


def cmd_shared(args: argparse.Namespace) -> int:
    from .analysis.queries import kept_shared_partners, shared_partners

    # From the snapshot's columns; else the tables are read, checked and kept.
    found = kept_shared_partners(args.data, args.encoding, min_projects=args.min, kind=args.kind)
    if found is None:
        _, g = _load_arrays(args)
        found = shared_partners(g, min_projects=args.min, kind=args.kind)
    records: list[dict[str, Any]] = [
        {"name": s.name, "kind": s.kind, "country": s.country or None, "projects": list(s.projects)}
        for s in found
    ]
    if args.json:
        _emit_json(records)
        return 0
    if not records:
        _emit(
            f"No organisation is in {args.min} or more projects"
            + (f" among kind {args.kind}." if args.kind else ".")
        )
        return 0
    rows = [
        [
            r["name"],
            r["kind"],
            r["country"] or "",
            str(len(r["projects"])),
            ", ".join(r["projects"]),
        ]
        for r in records
    ]
    _emit(_table(rows, ["organisation", "kind", "country", "n", "projects"]))
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    from .analysis.centrality import network_stats
    from .graph.bipartite import Participations, graph_from_dataset

    ds, key = load_with_key(args.data, encoding=args.encoding)
    arrays = Participations.from_dataset(ds)
    g = arrays if arrays is not None else graph_from_dataset(ds)
    # The sampled betweenness of a large network is kept with the snapshot of its tables.
    kept = (args.data, key) if key is not None else None
    stats = network_stats(g, kept=kept)
    if args.json:
        _emit_json(stats)
        return 0
    lines = [
        f"{k.replace('_', ' ')}: {v}"
        for k, v in stats.items()
        if k not in ("most_central", "betweenness_estimated")
    ]
    lines.append("most central organisations (betweenness):")
    most_central: list[dict[str, Any]] = stats["most_central"]  # type: ignore[assignment]
    for c in most_central:
        lines.append(
            f"  {c['name']}: {c['projects']} projects, betweenness "
            f"{c['betweenness']:.3f}, eigenvector {c['eigenvector']:.3f}"
        )
    if stats["betweenness_estimated"]:
        lines.append("(betweenness estimated from a sample of nodes)")
    _emit("\n".join(lines))
    return 0


def cmd_path(args: argparse.Namespace) -> int:
    from .analysis.queries import shortest_chain
    from .analysis.records import find_organisation
    from .graph.bipartite import is_project, node_label, org_id

    ds, g = _load(args)
    a, b = find_organisation(ds, args.a), find_organisation(ds, args.b)
    chain = shortest_chain(g, org_id(a), org_id(b))
    steps = [
        {"type": "project" if is_project(n) else "organisation", "name": node_label(n)}
        for n in chain or []
    ]
    if args.json:
        _emit_json({"from": a, "to": b, "connected": chain is not None, "chain": steps})
        return 0
    if chain is None:
        _emit(f"{a} and {b} are not linked by any chain of projects.")
        return 0
    _emit(" → ".join(f"[{s['name']}]" if s["type"] == "project" else s["name"] for s in steps))
    return 0


def _suggestion_target(ds: Dataset, name: str) -> str:
    """The node ``name`` means: an organisation by any of its names, else a project."""
    from .analysis.records import find_organisation, find_project
    from .errors import NotFoundError
    from .graph.bipartite import org_id, project_id

    try:
        return org_id(find_organisation(ds, name))
    except NotFoundError as no_org:
        try:
            return project_id(find_project(ds, name))
        except NotFoundError as no_project:
            closest = [*no_org.suggestions, *no_project.suggestions][:4]
            raise NotFoundError("organisation or project", name, closest) from None


def _suggestions_text(name: str, kind_of: str, among: str, found: Sequence[Any]) -> list[str]:
    """The suggestions for ``name`` as lines, each with its reason."""
    among = f" {among}" if among else ""
    partners = "members" if kind_of == "project" else "partners"
    if not found:
        return [
            f"No organisation{among} has worked with {name}'s {partners} without being one of them."
        ]
    lines = [
        f"Who to invite for {name} ({kind_of}): organisations{among} "
        f"that worked with its {partners} but not with it, strongest evidence first."
    ]
    for rank, s in enumerate(found, 1):
        facts = ", ".join(x for x in (s.kind, s.country) if x)
        lines += [f"{rank:2}. {s.name} ({facts}), score {s.score:.3f}", f"    {s.reason}"]
    return lines


def cmd_suggest(args: argparse.Namespace) -> int:
    from .analysis.suggest import SuggestionIndex, kept_suggestions
    from .graph.bipartite import is_project, node_label

    # The index is built from the snapshot's columns, else from the tables (read,
    # checked and kept): no networkx graph is needed.
    kept = kept_suggestions(args.data, args.encoding, args.name)
    if kept is None:
        ds = load_dataset(args.data, encoding=args.encoding)
        node = _suggestion_target(ds, args.name)
        index = SuggestionIndex.from_dataset(ds)
    else:
        index, node = kept
    name, kind_of = node_label(node), "project" if is_project(node) else "organisation"
    found = index.suggest(node, kind=args.kind, country=args.country, top=args.top)
    if args.json:
        _emit_json(
            {
                "for": name,
                "type": kind_of,
                "kind": args.kind,
                "country": args.country,
                "suggestions": [s.as_dict() for s in found],
            }
        )
        return 0
    among = " ".join(
        part
        for part in (
            f"of kind {args.kind}" if args.kind else "",
            f"in {args.country}" if args.country else "",
        )
        if part
    )
    # Names come from the data: never let one drive the terminal.
    _emit(
        "\n".join(escape_controls(line) for line in _suggestions_text(name, kind_of, among, found))
    )
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    directory = args.dir or args.data
    try:
        ds = load_dataset(directory, encoding=args.encoding)
    except DataError as err:
        if args.json:
            _emit_json({"valid": False, "problems": [p.as_dict() for p in err.problems]})
        else:
            print(str(err), file=sys.stderr)
        return 1
    summary = {
        "valid": True,
        "projects": len(ds.projects),
        "organisations": len(ds.organisations),
        "participations": len(ds.participations),
        "aliases": len(ds.aliases),
    }
    if ds.members:  # a folder without a member list reports as it always did
        summary["members"] = len(ds.members)
    if args.json:
        _emit_json({**summary, "problems": []})
    else:
        members = f", {len(ds.members)} members" if ds.members else ""
        _emit(
            f"{directory}: no problems ({summary['projects']} projects, "
            f"{summary['organisations']} organisations, {summary['participations']} "
            f"participations, {summary['aliases']} aliases{members})."
        )
    return 0


def _note(text: str) -> None:
    # A note may quote a name from an input: never let it drive the terminal.
    sys.stderr.buffer.write(f"note: {escape_controls(text)}\n".encode())
    sys.stderr.flush()


def _save_checked(ds: Dataset, out: Path, since: str) -> None:
    """Write ``ds`` to ``out`` only if it reads back without a problem and no one saved
    ``out`` since its tables were read (their state ``since``)."""
    save_dataset(ds, out, check=True, since=since)


def cmd_members(args: argparse.Namespace) -> int:
    if args.dry_run and args.add is None:
        raise UsageError("--dry-run goes with --add FILE (it reads a list without saving it).")
    if args.add is not None:
        return _read_member_list(args)
    from .analysis.membership import member_overview

    ds = load_dataset(args.data, encoding=args.encoding)
    overview = member_overview(ds, top=args.top)
    if args.json:
        _emit_json({"members": len(ds.members), **overview.as_dict()})
        return 0
    if not ds.members:
        _emit(f"{args.data} has no member list. Add one: defus-graph members --add FILE")
        return 0
    _emit(f"Members with projects ({len(overview.active)}):")
    for a in overview.active:
        _emit(escape_controls(f"  {a.organisation}: {', '.join(a.projects)}"))
    _emit(f"\nMembers without projects ({len(overview.idle)}):")
    for i in overview.idle:
        m = i.listed[0]
        where = f"{m.source}, line {m.line}"
        text = (
            f"  {i.organisation} (in no project; {where})"
            if i.organisation
            else f'  "{m.name}" (matched no organisation; {where})'
        )
        _emit(escape_controls(text))
    _emit(f"\nNon-members with the most projects with members (top {args.top}):")
    for c in overview.candidates:
        _emit(
            escape_controls(
                f"  {c.organisation}: {len(c.projects)} project(s) with members "
                f"({', '.join(c.projects)}), with {', '.join(c.members)}"
            )
        )
    return 0


def _read_member_list(args: argparse.Namespace) -> int:
    """Read a member list, match it to --data, report, and (unless --dry-run) save it."""
    from .names.members import match_members, with_members
    from .sources.detect import read_paths
    from .sources.members import member_list

    ((name, data),) = read_paths([args.add])
    encoding = (
        None if args.encoding.lower().replace("_", "-") in ("utf-8", "utf8") else args.encoding
    )
    loaded = load_folder(args.data)
    ds = loaded.dataset
    listed = member_list(data, name, encoding=encoding)
    report = match_members(listed.members, ds)
    merged = with_members(ds, report.members, name)
    # The bundled example is never written: the list goes to the user's data folder.
    target = save_dir(args.data)
    if args.dry_run:
        check_dataset(merged, target)  # the check a real run makes, in memory
    else:
        _save_checked(merged, target, loaded.state if target == args.data else NO_TABLES)
    written = not args.dry_run
    if args.json:
        _emit_json({"data": str(target), "written": written, **report.as_dict()})
        return 0
    for note in listed.notes:
        _note(note)
    for line in report.text().splitlines():
        _emit(escape_controls(line))
    done = "written to" if written else "nothing written (--dry-run); would be in"
    _emit(f"Member list {done} {target / 'members.csv'} ({len(merged.members)} members).")
    return 0


def cmd_ingest(args: argparse.Namespace) -> int:
    from .ingest import ingest_columns
    from .sources.archive import expand_archives
    from .sources.detect import read_paths

    out: Path = args.out
    existing, since = Dataset(), NO_TABLES
    if out.is_dir():
        loaded = load_folder(out, allow_missing=True)
        existing, since = loaded.dataset, loaded.state
    # utf-8, the global default, lets inputs be detected (UTF-8, else cp1252 with a note).
    encoding = (
        None if args.encoding.lower().replace("_", "-") in ("utf-8", "utf8") else args.encoding
    )
    # A CORDIS archive gives its project.csv and organization.csv, with a note of the rest.
    expanded = expand_archives(read_paths(args.files))
    for note in expanded.notes:
        _note(note)
    inputs = list(expanded.files)
    if args.dry_run:
        return _dry_run(args, inputs, existing, encoding)
    # The participations stay columns up to the file: no record per row.
    result = ingest_columns(inputs, existing, fmt=args.format, encoding=encoding)
    for note in result.notes:
        _note(note)
    merged, participations = result.dataset, result.participations
    # Check the result exactly as it will be read back before touching ``out``.
    save_dataset(merged, out, check=True, since=since, participations=participations)
    summary = {**_summary(merged), "participations": len(participations["project"])}
    if args.json:
        _emit_json({"out": str(out), "written": True, **summary})
        return 0
    _emit(f"{out}: {_summary_text(summary)}.")
    return 0


def _summary(ds: Dataset) -> dict[str, int]:
    return {
        "projects": len(ds.projects),
        "organisations": len(ds.organisations),
        "participations": len(ds.participations),
        "aliases": len(ds.aliases),
    }


def _summary_text(summary: dict[str, int]) -> str:
    return ", ".join(f"{n} {name}" for name, n in summary.items())


def _dry_run(
    args: argparse.Namespace,
    inputs: list[tuple[str, bytes]],
    existing: Dataset,
    encoding: str | None,
) -> int:
    """Read, resolve and merge as ingest does; print what was read; write nothing to --out."""
    from .reading import reading_report

    report = reading_report(inputs, existing, fmt=args.format, encoding=encoding)
    merged = report.ingested.dataset
    check_dataset(merged, args.out)  # the check a real run makes, in memory
    summary = _summary(merged)
    if args.json:
        _emit_json({"out": str(args.out), "written": False, **summary, **report.as_dict()})
        return 0
    for note in report.ingested.notes:
        _note(note)
    _emit(report.text())
    _emit(f"\nNothing written (--dry-run). {args.out} would hold {_summary_text(summary)}.")
    return 0


def cmd_duplicates(args: argparse.Namespace) -> int:
    from .names.duplicates import suggest_duplicates

    ds = load_dataset(args.data, encoding=args.encoding)
    found = suggest_duplicates(ds, min_score=args.min_score)
    if args.json:
        _emit_json([s.as_dict() for s in found])
        return 0
    if not found:
        _emit(f"No likely duplicates scored {args.min_score:g} or more.")
        return 0
    rows = [[f"{s.score:.2f}", s.keep, s.other, s.reason] for s in found]
    _emit(_table(rows, ["score", "keep", "merge into it", "why"]))
    _emit('\nNothing is merged until you say so: defus-graph merge "KEEP" "OTHER"')
    return 0


def cmd_merge(args: argparse.Namespace) -> int:
    from .analysis.records import find_organisation
    from .names.duplicates import merge_organisations, suggest_duplicates

    loaded = load_folder(args.data, encoding=args.encoding)
    ds = loaded.dataset
    keep, other = find_organisation(ds, args.keep), find_organisation(ds, args.other)
    suggested = next(
        (s for s in suggest_duplicates(ds, min_score=0.0) if {s.keep, s.other} == {keep, other}),
        None,
    )
    reason = (
        f"score {suggested.score:.2f}, {suggested.reason}"
        if suggested
        else "by hand, no suggestion"
    )
    merged = merge_organisations(ds, keep, other, reason=reason)
    count = sum(1 for pa in ds.participations if pa.organisation == other)
    if not args.yes:
        question = (
            f'Merge "{other}" ({count} participation{"s" if count != 1 else ""}) into "{keep}"? '
            f'"{other}" becomes an alias of "{keep}" ({reason}). [y/N] '
        )
        sys.stderr.write(question)
        sys.stderr.flush()
        try:
            answer = input()
        except EOFError:
            answer = ""
        if answer.strip().casefold() not in ("y", "yes", "j", "ja"):
            _emit("Nothing merged.")
            return 1
    # The bundled example is never written: the merge goes to the user's data folder.
    target = save_dir(args.data)
    # Saved against what was read; a user's folder saved to first must still have no tables.
    _save_checked(merged, target, loaded.state if target == args.data else NO_TABLES)
    if target == args.data:
        _emit(f'Merged "{other}" into "{keep}" in {target}; the previous tables are in .previous/.')
    else:
        _emit(
            f'Merged "{other}" into "{keep}" and saved to your data folder {target}: the example '
            "data bundled with defus-graph is never changed. Commands read your folder from now on."
        )
    return 0


def _backbone_of(g: nx.Graph, view: str, alpha: float) -> nx.Graph | ProjectionLinks:
    """The disparity backbone of the projection ``view`` of ``g`` (as columns where it can
    be: the writers lay those out directly), with a note of how many links it kept."""
    from .graph.views import backbone_columns

    kept, total = backbone_columns(g, view, alpha=alpha)
    _note_backbone(alpha, kept, total)
    return kept


def _note_backbone(alpha: float, kept: nx.Graph | ProjectionLinks, total: int) -> None:
    _note(
        f"backbone at {alpha:g}: kept {kept.number_of_edges():,} of "
        f"{total:,} links (all {kept.number_of_nodes():,} nodes stay)"
    )


def cmd_places(args: argparse.Namespace) -> int:
    from .store.snapshot import kept_places

    ds, key = load_with_key(args.data, encoding=args.encoding)
    places = kept_places(args.data, key, ds.organisations)
    if args.json:
        _emit_json([p.record() for p in places])
        return 0
    rows = [
        [
            p.organisation,
            f"{p.latitude:.5f}" if p.latitude is not None else "",
            f"{p.longitude:.5f}" if p.longitude is not None else "",
            p.city,
            p.source,
        ]
        for p in places
    ]
    _emit(_table(rows, ["organisation", "latitude", "longitude", "city", "source"]))
    unplaced = sum(1 for p in places if not p.placed)
    _emit(f"{len(places) - unplaced} of {len(places)} organisations placed; {unplaced} not placed.")
    return 0


def _export_png(
    args: argparse.Namespace,
    g: nx.Graph,
    shown: nx.Graph,
    filters: Filters,
    key: str | None,
    whole: nx.Graph | None = None,
) -> int:
    """Write the picture of ``shown`` the dashboard would draw: its layout, legend, caption.

    ``whole`` is the whole view when the caller has it (``shown`` itself, when the
    filters keep all of ``g``): a projection of a million links is then not built twice.
    """
    from .draw.layout import layout_positions
    from .draw.scene import About, files_dated, picture_title
    from .export._files import write_atomic
    from .export.png import png_bytes
    from .graph.views import ViewTooLarge
    from .store.tables import FILES

    # The dashboard's positions: the layout of the whole view, before any filter
    # (or of the filtered view, when the whole one is too large to build).
    try:
        positions = _whole_view_layout(args, g, key, whole)
    except ViewTooLarge:
        positions = layout_positions(shown)
    times = [(args.data / name).stat().st_mtime_ns for name in FILES if (args.data / name).exists()]
    name = "Bundled data" if is_bundled(args.data) else str(args.data)
    about = About(args.view, filters, name, files_dated(times), args.backbone)
    picture = png_bytes(shown, positions=positions, about=about, title=picture_title(args.view))
    path = write_atomic(args.output, picture)
    _emit(f"wrote {path} ({shown.number_of_nodes()} nodes, {shown.number_of_edges()} edges)")
    return 0


def _whole_view_layout(
    args: argparse.Namespace, g: nx.Graph, key: str | None, whole: nx.Graph | None
) -> dict[str, tuple[float, float]]:
    """The layout of the whole view of ``g`` (``whole``, when the caller has it), kept or
    laid out now. A projection not at hand is built as a graph only to be laid out: a
    kept layout needs its nodes alone. Raises ``ViewTooLarge`` as ``view_graph`` does."""
    from .draw.layout import kept_layout, layout_positions
    from .graph.bipartite import ProjectionLinks
    from .graph.views import view_columns

    if whole is not None:
        view = whole  # narrowed for the lambda
        return kept_layout(args.data, key, args.view, view, lambda: layout_positions(view))
    found = [view_columns(g, args.view)]
    nodes = found[0].nodes if isinstance(found[0], ProjectionLinks) else found[0]

    def lay_out() -> dict[str, tuple[float, float]]:
        # The columns are let go once the graph is built: the two are never both held
        # while the graph is laid out.
        return layout_positions(_as_graph(found.pop()))

    return kept_layout(args.data, key, args.view, nodes, lay_out)


def _check_export_options(args: argparse.Namespace) -> None:
    """Options that do not go together: a usage error before anything is read."""
    if args.format == "geojson" and (args.view != "bipartite" or args.backbone is not None):
        raise UsageError(
            "--view and --backbone do not apply to --format geojson: its points are places "
            "and its lines the projects their organisations share; leave them out."
        )
    if args.backbone is not None and args.view == "bipartite":
        raise UsageError(
            "--backbone applies to a network of organisations or of projects: "
            "add --view orgs or --view projects."
        )
    if args.from_year is not None and args.to_year is not None and args.from_year > args.to_year:
        raise UsageError(
            f"--from-year {args.from_year} is after --to-year {args.to_year}; "
            "give the earlier year first."
        )


def _export_filters_of(args: argparse.Namespace) -> Filters:
    from .graph.views import Filters

    years = None
    if args.from_year is not None or args.to_year is not None:
        years = (args.from_year or 1, args.to_year or 9999)
    return Filters(
        kinds=tuple(args.kind or ()),
        countries=tuple(args.country or ()),
        programmes=tuple(args.programme or ()),
        years=years,
        shared_only=args.shared_only,
    )


def _as_graph(shown: nx.Graph | ProjectionLinks) -> nx.Graph:
    from .graph.bipartite import ProjectionLinks

    return shown.graph() if isinstance(shown, ProjectionLinks) else shown


def _edge_count(g: nx.Graph) -> int:
    """``g.number_of_edges()`` counted in C: each link is listed at both ends, a loop once."""
    adj = g._adj
    loops = sum(1 for n, nbrs in adj.items() if n in nbrs)
    return (sum(map(len, adj.values())) + loops) // 2


def _say_written(
    written: Sequence[Path], asked: Path, g: nx.Graph | ProjectionLinks | BipartiteColumns
) -> None:
    """One line per file written; a note when the names differ from the one asked for."""
    import networkx

    edges = _edge_count(g) if type(g) is networkx.Graph else g.number_of_edges()
    for path in written:
        _emit(f"wrote {path} ({g.number_of_nodes()} nodes, {edges} edges)")
    if [Path(p) for p in written] != [asked]:
        names = " and ".join(str(p) for p in written)
        _note(
            f"-o {asked} wrote {names}: Gephi's spreadsheet import takes nodes and edges "
            f"as two tables (-o {asked.with_suffix('.zip')} writes both in one archive)"
        )


#: The export formats that hold the nodes' positions (the others are written without).
_POSITIONED = ("gexf", "html")
#: The export formats written by ``export.write_export``.
_WRITTEN = ("gexf", "graphml", "csv", "html")


def _export_from_arrays(args: argparse.Namespace, ds: Dataset, key: str | None) -> int | None:
    """A projection without filters, from the dataset's arrays: the organisation network
    written as from the bipartite graph, which is never built, and a projection too
    large refused before it is. ``None`` (nothing done) for a project network that
    fits, or a dataset the arrays cannot stand for: those take the graph's route."""
    from .graph.bipartite import Participations, organisation_graph
    from .graph.views import organisation_backbone, organisation_view, refuse_too_large
    from .names.places import with_coordinates
    from .store.snapshot import kept_places

    parts = Participations.from_dataset(ds)
    if parts is None:
        return None
    if args.view != "orgs":
        refuse_too_large(parts, args.view, backbone=args.backbone is not None)
        return None

    def nodes() -> nx.Graph:
        orgs = organisation_graph(ds)
        if args.format in ("gexf", "graphml"):
            with_coordinates(orgs, kept_places(args.data, key, ds.organisations))
        return orgs

    shown: nx.Graph | ProjectionLinks
    if args.backbone is not None:
        shown, total = organisation_backbone(parts, nodes, alpha=args.backbone)
        _note_backbone(args.backbone, shown, total)
    else:
        shown = organisation_view(parts, nodes)
    return _write_shown(args, ds, key, parts, shown)


#: The export formats written from a table (``export._table``): those the bipartite
#: view without filters writes from the dataset's arrays.
_TABLED = ("gexf", "graphml", "csv")


def _bipartite_from_arrays(args: argparse.Namespace, ds: Dataset, key: str | None) -> int | None:
    """The bipartite view without filters, written from the dataset's arrays as from its
    graph, which is never built. ``None`` (nothing done) for a dataset the arrays
    cannot stand for: it takes the graph's route."""
    from .graph.bipartite import BipartiteColumns, Participations

    parts = Participations.from_dataset(ds)
    if parts is None:
        return None
    places = None
    if args.format in ("gexf", "graphml"):
        from .store.snapshot import kept_places

        places = kept_places(args.data, key, ds.organisations)
    shown = BipartiteColumns.of(parts, places)
    if shown is None:
        return None
    return _write_shown(args, ds, key, parts, shown)


def _write_shown(
    args: argparse.Namespace,
    ds: Dataset,
    key: str | None,
    parts: Participations,
    shown: nx.Graph | ProjectionLinks | BipartiteColumns,
) -> int:
    """Write a view built from the arrays, laid out as the whole network is, and say so."""
    from .export import write_export

    positions = _bipartite_layout(args, ds, key, parts) if args.format in _POSITIONED else None
    written = write_export(shown, args.format, args.output, positions=positions)
    _say_written(written, args.output, shown)
    return 0


def _bipartite_layout(
    args: argparse.Namespace, ds: Dataset, key: str | None, parts: Participations
) -> dict[str, tuple[float, float]]:
    """The whole bipartite network's layout (the one the dashboard and export keep),
    laid out from the arrays when none is kept."""
    from .draw.layout import kept_layout, layout_of_links
    from .graph.bipartite import org_id, participation_adjacency, project_id

    ids = [project_id(p.acronym) for p in ds.projects]
    ids += [org_id(o.name) for o in ds.organisations]
    return kept_layout(
        args.data,
        key,
        "bipartite",
        ids,
        lambda: layout_of_links(participation_adjacency(parts)),
    )


def cmd_export(args: argparse.Namespace) -> int:
    from .export import write_export
    from .graph.bipartite import graph_from_dataset
    from .graph.views import filter_graph, view_columns

    _check_export_options(args)
    filters = _export_filters_of(args)
    ds, key = load_with_key(args.data, encoding=args.encoding)
    # A view without filters starts from the arrays (a picture is drawn from the graph).
    if args.view != "bipartite" and args.format in _WRITTEN and filters.is_empty():
        done = _export_from_arrays(args, ds, key)
        if done is not None:
            return done
    if args.view == "bipartite" and args.format in _TABLED and filters.is_empty():
        done = _bipartite_from_arrays(args, ds, key)
        if done is not None:
            return done
    g = graph_from_dataset(ds)
    if args.format in ("gexf", "graphml", "geojson"):
        from .names.places import with_coordinates
        from .store.snapshot import kept_places

        with_coordinates(g, kept_places(args.data, key, ds.organisations))
    if args.format == "geojson":
        from .export.geojson import write_geojson

        # Places and the links between them come from the filtered bipartite graph.
        shown = filter_graph(g, filters)
        path = write_geojson(shown, args.output)
        placed = sum(
            1 for _, a in shown.nodes(data=True) if "latitude" in a and a.get("bipartite") == 1
        )
        _emit(f"wrote {path} ({placed} organisations placed; defus-graph places lists the others)")
        return 0
    # A projection comes as columns (ProjectionLinks) where it can: its million links
    # are then laid out for the file without becoming networkx edges.
    kept = filter_graph(g, filters)
    if args.backbone is not None:
        shown = _backbone_of(kept, args.view, args.backbone)
    else:
        shown = view_columns(kept, args.view)
    if args.format == "png":
        drawn = _as_graph(shown)
        whole = drawn if kept is g and args.backbone is None else None
        return _export_png(args, g, drawn, filters, key, whole)
    positions = None
    if args.format in _POSITIONED:
        from .draw.layout import kept_layout, layout_positions

        # The whole network's layout, whatever the filters keep: filtering moves no node.
        positions = kept_layout(args.data, key, "bipartite", g, lambda: layout_positions(g))
    written = write_export(shown, args.format, args.output, positions=positions)
    _say_written(written, args.output, shown)
    return 0


def _listed(title: str, items: Sequence[str], top: int) -> list[str]:
    """A titled list of ``items`` with its count, cut at ``top`` items."""
    head = f"{title} ({len(items):,}):"
    if not items:
        return [f"{head} none"]
    more = len(items) - top
    tail = [f"  … and {more:,} more (--top or --json lists them)"] if more > 0 else []
    return [head, *(f"  {item}" for item in items[:top]), *tail]


def _compare_table(a: Any, b: Any) -> str:
    """The two periods' counts and funding side by side."""
    rows = [
        ["projects", f"{len(a.projects):,}", f"{len(b.projects):,}"],
        ["organisations", f"{a.organisations:,}", f"{b.organisations:,}"],
        ["links", f"{a.links:,}", f"{b.links:,}"],
        [
            "funding, project totals",
            _money(a.funding_total_eur, ""),
            _money(b.funding_total_eur, ""),
        ],
        [
            "funding, partners' shares",
            _money(a.funding_shares_eur, ""),
            _money(b.funding_shares_eur, ""),
        ],
        [
            "projects without funding",
            str(a.projects_without_funding),
            str(b.projects_without_funding),
        ],
    ]
    return _table(rows, ["", str(a.period), str(b.period)])


def _compare_text(c: Any, top: int) -> list[str]:
    """The comparison as lines of text, each list cut at ``top`` items."""
    a, b = c.first, c.second
    lines = [
        f"{a.period} compared with {b.period}: a project counts in a period when it runs "
        "at some time in it (a project running in both counts in both, with all its funding).",
        "",
        *_compare_table(a, b).splitlines(),
        "",
    ]
    if c.undated:
        more = len(c.undated) - top
        lines += [
            f"Projects with no dates are in neither period ({len(c.undated):,}): "
            + ", ".join(c.undated[:top])
            + (f" and {more:,} more" if more > 0 else ""),
            "",
        ]
    lines += _listed("Organisations that joined", c.joined, top)
    lines += _listed("Organisations that left", c.left, top)
    lines += _listed("Organisations in both periods", c.stayed, top)
    lines += _listed("Links gained", [f"{x} – {y}" for x, y in c.links_gained], top)
    lines += _listed("Links lost", [f"{x} – {y}" for x, y in c.links_lost], top)
    lines += _listed("Links in both periods", [f"{x} – {y}" for x, y in c.links_lasting], top)
    lines += _listed(
        "Largest changes in degree centrality (the share of the period's other "
        "organisations it shares a project with)",
        [
            f"{x.name}: {x.centrality_first:.3f} → {x.centrality_second:.3f} ({x.change:+.3f}); "
            f"partners {x.partners_first:,} → {x.partners_second:,}"
            for x in c.centrality
            if x.change
        ],
        top,
    )
    return lines


def cmd_compare(args: argparse.Namespace) -> int:
    from .analysis.compare import compare_periods

    ds = load_dataset(args.data, encoding=args.encoding)
    found = compare_periods(ds, args.first, args.second)
    if args.json:
        _emit_json(found.as_dict())
        return 0
    # Names come from the data: never let one drive the terminal.
    _emit("\n".join(escape_controls(line) for line in _compare_text(found, args.top)))
    return 0


def _serve_command(args: argparse.Namespace) -> list[str]:
    """``streamlit run`` on the packaged screen, with every one of the project's settings.

    The settings (offline, no usage statistics, upload limit, XSRF protection, no error
    details) go as flags: they hold whatever directory serve starts in and whatever
    Streamlit configuration the user has.
    """
    from .resources import screen_script, streamlit_settings

    settings = streamlit_settings() | {
        "server.port": str(args.port),
        "server.address": args.address,
    }
    flags = [f"--{option}={value}" for option, value in settings.items()]
    # Streamlit's own ``run``, with the data read while it starts (dashboard.launch).
    launch = "defus_graph.dashboard.launch"
    return [sys.executable, "-m", launch, "run", str(screen_script()), *flags]


def cmd_serve(args: argparse.Namespace) -> int:
    env = dict(os.environ)
    if is_bundled(args.data):
        # The default: the example until the first save, then the user's folder it went to.
        env.pop(DATA_ENV, None)
    else:
        env[DATA_ENV] = str(Path(args.data).resolve())
    return _run_forwarding(_serve_command(args), env)


#: The signals that ask serve to stop: passed on to the server, so that it stops too.
_STOP_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)
)


def _run_forwarding(command: list[str], env: dict[str, str]) -> int:
    """Run ``command`` until it ends, passing on every stop signal; its exit status.

    A server killed by a signal gives 128 + its number, as a shell reports it.
    """
    child: subprocess.Popen[bytes] | None = None
    early: list[int] = []  # a signal that came before the child existed

    def forward(signum: int, _frame: object) -> None:
        if child is None:
            early.append(signum)
        else:
            child.send_signal(signum)

    previous = {signum: signal.signal(signum, forward) for signum in _STOP_SIGNALS}
    try:
        # Its own process group: a Ctrl-C in the terminal reaches it once, through serve.
        group = {"process_group": 0} if os.name == "posix" else {}
        child = subprocess.Popen(command, env=env, **group)  # type: ignore[call-overload]
        for signum in early:
            child.send_signal(signum)
        status = child.wait()
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    return 128 - status if status < 0 else status


# The parser: one small builder per command, called in the order --help lists them.
# A new command is a cmd_ function, a builder and one line in _COMMANDS.
_KIND_HELP = "only organisations of this kind"


def _listing(sub: Any, name: str, help_text: str, description: str = "") -> argparse.ArgumentParser:
    """A command that lists something, with ``--json``."""
    p: argparse.ArgumentParser = sub.add_parser(
        name, help=help_text, description=description or help_text
    )
    p.add_argument("--json", action="store_true", help="print one JSON document")
    return p


def _add_projects(sub: Any) -> None:
    p = _listing(sub, "projects", "list projects with dates, programme, funding and partners")
    p.set_defaults(func=cmd_projects)


def _add_orgs(sub: Any) -> None:
    p = _listing(sub, "orgs", "list organisations with kind, country and projects")
    p.add_argument("--kind", choices=KINDS, help=_KIND_HELP)
    p.add_argument(
        "--country",
        type=arguments.country,
        metavar="COUNTRY",
        help="only this country: a code or a name in any case (DE, de, Germany, Deutschland)",
    )
    p.set_defaults(func=cmd_orgs)


def _add_org(sub: Any) -> None:
    p = _listing(sub, "org", "one organisation, found by any of its names, with co-partners")
    p.add_argument("name", help="name or alias; case and accents do not matter")
    p.set_defaults(func=cmd_org)


def _add_shared(sub: Any) -> None:
    p = _listing(sub, "shared", "organisations in several projects (shared partners)")
    p.add_argument(
        "--min",
        type=arguments.at_least(1),
        default=2,
        metavar="N",
        help="in at least N projects (default 2)",
    )
    p.add_argument("--kind", choices=KINDS, help=_KIND_HELP)
    p.set_defaults(func=cmd_shared)


def _add_stats(sub: Any) -> None:
    p = _listing(sub, "stats", "counts, components, density and the most central organisations")
    p.set_defaults(func=cmd_stats)


def _add_path(sub: Any) -> None:
    p = _listing(sub, "path", "the shortest chain of projects linking two organisations")
    p.add_argument("a", help="first organisation")
    p.add_argument("b", help="second organisation")
    p.set_defaults(func=cmd_path)


def _add_suggest(sub: Any) -> None:
    p = _listing(
        sub,
        "suggest",
        "who to invite: organisations that worked with the partners of NAME",
        "Organisations that are not yet partners of NAME (an organisation, or a project's "
        "consortium) but have worked with its partners, ranked so that a partner who works "
        "with few others counts more than one who works with everyone; each with the "
        "partners and projects that make the case. A name that is both an organisation's "
        "and a project's means the organisation.",
    )
    p.add_argument("name", help="organisation (any of its names) or project acronym")
    p.add_argument("--kind", choices=KINDS, help=_KIND_HELP)
    p.add_argument(
        "--country",
        type=arguments.country,
        metavar="COUNTRY",
        help="only this country: a code or a name in any case (DE, de, Germany, Deutschland)",
    )
    p.add_argument(
        "--top",
        type=arguments.at_least(1),
        default=10,
        metavar="N",
        help="how many to list (default 10)",
    )
    p.set_defaults(func=cmd_suggest)


def _add_compare(sub: Any) -> None:
    p = _listing(
        sub,
        "compare",
        "two periods compared: who joined, who left, links gained and lost",
        "Compare the network of the projects running in period FROM with that of TO: "
        "organisations that joined, left or stayed, links gained and lost, the largest "
        "changes in degree centrality, projects and funding per period. A project counts "
        "in a period when it runs at some time in it; projects with no dates are in neither.",
    )
    p.add_argument(
        "first",
        type=arguments.period,
        metavar="FROM",
        help="first period, such as 2014-2017 (or one year)",
    )
    p.add_argument(
        "second", type=arguments.period, metavar="TO", help="second period, such as 2018-2021"
    )
    p.add_argument(
        "--top",
        type=arguments.at_least(1),
        default=20,
        metavar="N",
        help="list at most N of each (default 20)",
    )
    p.set_defaults(func=cmd_compare)


def _add_validate(sub: Any) -> None:
    p = _listing(sub, "validate", "check a data directory and list every problem at once")
    p.add_argument(
        "dir", nargs="?", type=arguments.input_dir, help="directory to check (default: --data)"
    )
    p.set_defaults(func=cmd_validate)


def _add_ingest(sub: Any) -> None:
    p = sub.add_parser(
        "ingest",
        help="read project pages, spreadsheets and CORDIS exports into a data directory",
        description="Read DEFUS project pages, spreadsheets (CSV or .xlsx: one row per "
        "organisation and project, or this tool's own four tables) and CORDIS exports "
        "(project.csv with organization.csv, or the ZIP archive CORDIS publishes them in) "
        "and merge what they state into the tables "
        "in --out (created if missing). Organisations are joined by PIC, then by name "
        "or alias ignoring case and accents; nothing less certain is merged (see "
        "'duplicates'). Re-reading a file replaces what it said before; nothing is "
        "written if any problem is found.",
    )
    p.add_argument(
        "files",
        nargs="+",
        type=arguments.input_file,
        metavar="FILE",
        help="pages (.txt), spreadsheets (.csv, .xlsx), CORDIS project and organization "
        "files or their .zip archive",
    )
    p.add_argument(
        "--out", type=arguments.output_dir, required=True, metavar="DIR", help="data directory"
    )
    p.add_argument(
        "--format",
        choices=FORMATS,
        help="read every FILE in this format (default: detect each from its content)",
    )
    p.add_argument(
        "--dry-run",
        action="store_true",
        help="read, resolve and merge as usual, but write nothing: print what each file "
        "was read as (per project its heading line, dates, coordinator, partners with the "
        "line each came from, funding) and the page lines that name a known organisation "
        "or city but were read as nothing",
    )
    p.add_argument("--json", action="store_true", help="print one JSON document")
    p.set_defaults(func=cmd_ingest)


def _add_duplicates(sub: Any) -> None:
    p = _listing(
        sub, "duplicates", "organisations that are likely one, with a score and the reason"
    )
    p.add_argument(
        "--min-score",
        type=arguments.fraction,
        default=0.5,
        metavar="S",
        help="only suggestions scored at least S, from 0 to 1 (default 0.5)",
    )
    p.set_defaults(func=cmd_duplicates)


def _add_merge(sub: Any) -> None:
    p = sub.add_parser(
        "merge",
        help="merge one organisation into another, after you confirm",
        description="Merge OTHER into KEEP in --data: OTHER's participations move to KEEP "
        "and OTHER is recorded as an alias of KEEP (source 'merge', with the date). "
        "Asks first unless --yes; the tables replaced are kept in DIR/.previous/.",
    )
    p.add_argument("keep", help="the organisation to keep (any of its names)")
    p.add_argument("other", help="the organisation merged into it (any of its names)")
    p.add_argument("--yes", action="store_true", help="do not ask")
    p.set_defaults(func=cmd_merge)


def _export_filters(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--kind",
        action="append",
        choices=KINDS,
        help="keep organisations of this kind (repeatable)",
    )
    p.add_argument(
        "--country",
        action="append",
        type=arguments.country,
        metavar="COUNTRY",
        help="keep organisations of this country, a code or a name (repeatable)",
    )
    p.add_argument(
        "--programme",
        action="append",
        metavar="NAME",
        help="keep projects of this programme (repeatable)",
    )
    p.add_argument(
        "--from-year",
        type=arguments.year,
        metavar="YEAR",
        help="keep projects running in or after YEAR",
    )
    p.add_argument(
        "--to-year",
        type=arguments.year,
        metavar="YEAR",
        help="keep projects running in or before YEAR",
    )
    p.add_argument(
        "--shared-only", action="store_true", help="keep only organisations in two or more projects"
    )


def _add_members(sub: Any) -> None:
    help_text = "members with their projects, members with none, and non-members to invite"
    p = _listing(
        sub,
        "members",
        help_text,
        help_text.capitalize() + " (the non-members with the most projects with members). "
        "With --add FILE, read a member list (CSV or .xlsx: a name column, optionally kind, "
        "country, member since) into --data: each name is matched to an organisation by its "
        "name or an alias (case and accents ignored), nothing less certain; names that match "
        "none are kept as members without projects and listed, never made organisations. "
        "Adding a file again replaces what it listed before.",
    )
    p.add_argument(
        "--add", type=arguments.input_file, metavar="FILE", help="read this member list into --data"
    )
    p.add_argument(
        "--dry-run", action="store_true", help="with --add: match and report, write nothing"
    )
    p.add_argument(
        "--top",
        type=arguments.at_least(1),
        default=10,
        metavar="N",
        help="non-members to list (default 10)",
    )
    p.set_defaults(func=cmd_members)


def _add_export(sub: Any) -> None:
    p = sub.add_parser(
        "export",
        help="write the network for Gephi or as a web page",
        description="Write the network, filtered, in a format Gephi or a browser opens. "
        "Says on stdout each file it wrote.",
    )
    p.add_argument(
        "--format",
        required=True,
        choices=("gexf", "graphml", "csv", "html", "geojson", "png"),
        help="gexf (Gephi, with timeline and layout), graphml, csv (Gephi's "
        "spreadsheet import: OUT.zip, or OUT.nodes.csv + OUT.edges.csv), "
        "html (a standalone page), geojson (cities and the links between them "
        "for QGIS or kepler.gl; without --view and --backbone), png (the dashboard's "
        "drawing for reports: A4 landscape at 300 dpi, with legend and the filters)",
    )
    p.add_argument(
        "--view",
        default="bipartite",
        choices=("bipartite", "orgs", "projects"),
        help="projects and organisations (default), organisations linked by "
        "shared projects, or projects linked by shared organisations",
    )
    _export_filters(p)
    p.add_argument(
        "--backbone",
        type=arguments.alpha,
        metavar="ALPHA",
        help="with --view orgs or projects: keep only the links that are strong for at least "
        "one of their ends (disparity filter at significance ALPHA, such as 0.05)",
    )
    p.add_argument(
        "-o",
        "--output",
        type=arguments.output_file,
        required=True,
        metavar="PATH",
        help="file to write",
    )
    p.set_defaults(func=cmd_export)


def _add_places(sub: Any) -> None:
    p = _listing(
        sub,
        "places",
        "where each organisation is, and where that comes from",
        "Each organisation's latitude, longitude and city, with the source: 'data' (its own "
        "coordinates), 'gazetteer: GeoNames ID NAME' (a city's name matched exactly, in its "
        "country, on GeoNames cities of 15,000 inhabitants or more, offline), 'city: CITY, "
        "GeoNames ID NAME' (its city column), or 'not placed: REASON'. Ambiguous names and "
        "regions (whose centroid no offline source gives) are never guessed.",
    )
    p.set_defaults(func=cmd_places)


def _add_serve(sub: Any) -> None:
    p = sub.add_parser(
        "serve",
        help="open the dashboard on --data",
        description="Run the dashboard on the data directory, with the project's settings "
        "(this machine only, no usage statistics) from any directory; Ctrl-C or SIGTERM stops "
        "it and its server.",
    )
    p.add_argument("--port", type=arguments.port, default=8501, help="port (default 8501)")
    p.add_argument(
        "--address",
        default="127.0.0.1",
        help="address to listen on (default 127.0.0.1, this machine only)",
    )
    p.set_defaults(func=cmd_serve)


_COMMANDS: tuple[Callable[[Any], None], ...] = (
    _add_projects,
    _add_orgs,
    _add_org,
    _add_shared,
    _add_stats,
    _add_path,
    _add_suggest,
    _add_compare,
    _add_validate,
    _add_ingest,
    _add_duplicates,
    _add_merge,
    _add_members,
    _add_export,
    _add_places,
    _add_serve,
)


def _global_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--data",
        type=arguments.input_dir,
        default=default_data_dir(),
        metavar="DIR",
        help=f"data directory (default: ${DATA_ENV}, else your data folder {user_data_dir()} "
        "once something is saved there, else the example data bundled with defus-graph)",
    )
    parser.add_argument(
        "--encoding",
        type=arguments.encoding,
        default="utf-8",
        help="text encoding of input files (default utf-8; cp1252 for "
        "files saved by Excel on German Windows)",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log what is done")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``defus-graph``, every command and option described."""
    parser = argparse.ArgumentParser(
        prog="defus-graph",
        description="Explore who works with whom in DEFUS/Efus urban security projects.",
        epilog="Examples: defus-graph shared --kind city | defus-graph org Düsseldorf | "
        "defus-graph export --format gexf -o network.gexf",
    )
    _global_options(parser)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for add_command in _COMMANDS:
        add_command(sub)
    return parser


@contextlib.contextmanager
def _sigterm_as_exit() -> Iterator[None]:
    """SIGTERM ends a command as Ctrl-C would: what it was writing is removed on the way out.

    Python's default dies on the spot, leaving a save's temporary files behind.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _exit_on_signal)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _exit_on_signal(signum: int, frame: object) -> NoReturn:
    raise SystemExit(128 + signum)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING, format="%(levelname)s: %(message)s"
    )
    try:
        # A command is one short process that builds and drops millions of acyclic
        # objects: the cycle collector would only rescan them (a tenth to a fifth of
        # a command's time at H2020 scale); reference counting frees them, and peak
        # memory stays about the same. Switched back on when the command returns.
        with _sigterm_as_exit(), paused_gc():
            status: int = args.func(args)
    except UsageError as err:
        print(f"defus-graph {args.command}: error: {err}", file=sys.stderr)
        return 2
    except DefusGraphError as err:
        print(f"defus-graph: {err}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        # The reader went away (`defus-graph projects | head`): stop quietly, as cat does.
        # Python's own flush at exit would fail again, so stdout points nowhere from here.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141  # 128 + SIGPIPE, what a shell reports for a pipe closed early
    except OSError as err:
        # What the system refused (a full disk, a folder made read-only meanwhile): its own
        # words, with the path, never a traceback.
        where = f"{err.filename}: " if err.filename else ""
        print(f"defus-graph: {where}{err.strerror or err}", file=sys.stderr)
        return 1
    return status


def run() -> NoReturn:
    """The ``defus-graph`` command (and ``python -m defus_graph``): :func:`main`, then exit.

    A command builds millions of objects that all die with the process. Once its
    output is written and flushed, the process ends at once (``os._exit``) rather
    than free them one by one and have the collector scan the survivors when
    :func:`main` switches it back on: seconds at CORDIS scale. Only here, never in
    :func:`main`, which tests and other programs call and which must return.
    Whatever does not end normally (an exception, a usage error, a thread still
    running, output that cannot be flushed) takes Python's usual way out.
    """
    gc.disable()  # main's paused_gc then leaves it off: nothing to scan on the way out
    status = main()
    if threading.active_count() > 1:
        raise SystemExit(status)  # Python waits for them; so do we
    atexit._run_exitfuncs()  # what Python runs at exit (logging's last flush, finalizers)
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):  # a closed pipe or stream: Python reports it as before
        raise SystemExit(status) from None
    os._exit(status)


if __name__ == "__main__":
    run()
