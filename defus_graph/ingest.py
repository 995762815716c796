"""Merge what input files state into a dataset, resolving organisations across sources.

Every source (a DEFUS page, a spreadsheet, a CORDIS export) ends in the same
:class:`~defus_graph.sources.facts.SourceFacts`; :func:`merge_facts` alone
decides which organisation a mention stands for, in this order:

1. the PIC (the EU's Participant Identification Code): the same PIC is the
   same organisation, whatever the name;
2. the name or an alias, compared ignoring case, accents and spacing.

Anything less certain is never merged: a name nobody knows becomes a new
organisation, which :mod:`defus_graph.names.duplicates` may propose to merge with the
user's consent. Facts from a source replace that source's earlier facts, so
ingesting the same file twice changes nothing.
"""

from __future__ import annotations

import logging
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields, replace
from itertools import compress
from operator import attrgetter
from pathlib import Path
from typing import Any

from ._bulk import paused_gc
from .errors import DataError, InputError
from .model import Alias, Dataset, Organisation, Participation, Project
from .names.normal import prime_name_keys
from .names.resolve import Resolver
from .names.vocabulary import kind_from_name
from .sources.archive import expand_archives
from .sources.detect import read_inputs, read_paths
from .sources.facts import Mention, SourceFacts, mention_columns, record_of

__all__ = [
    "PARTICIPATION_FIELDS",
    "Ingested",
    "IngestedColumns",
    "ingest",
    "ingest_columns",
    "ingest_facts",
    "ingest_facts_columns",
    "ingest_files",
    "merge_facts",
    "merge_page",
]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Ingested:
    """A merged dataset and what the user should hear about how it was made."""

    dataset: Dataset
    notes: tuple[str, ...] = ()


#: The fields of a :class:`Participation`, in its order (its table's columns).
PARTICIPATION_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(Participation))

_Parts = dict[str, list[Any]]  # participations by field (PARTICIPATION_FIELDS), a list each


@dataclass(frozen=True)
class IngestedColumns:
    """A merged dataset with its participations held a field at a time, no record per row.

    What the ingest command saves (:func:`~defus_graph.store.tables.save_dataset`
    takes the columns as they are): a CORDIS programme has a million
    participations, and a record each would only be taken apart again to be
    written.

    Parameters
    ----------
    dataset : the projects, organisations, aliases and members; its
        ``participations`` are empty.
    participations : each field of the participations by name
        (:data:`PARTICIPATION_FIELDS`), one value per participation.
    notes : what the user should hear about how it was made.
    """

    dataset: Dataset
    participations: _Parts
    notes: tuple[str, ...] = ()

    @paused_gc()  # a record per participation, without cycles: nothing to collect
    def records(self) -> Ingested:
        """The same, its participations as records (:class:`Ingested`)."""
        d = self.dataset
        parts = _participation_records(*(self.participations[f] for f in PARTICIPATION_FIELDS))
        return Ingested(
            Dataset(
                projects=d.projects,
                organisations=d.organisations,
                participations=tuple(parts),
                aliases=d.aliases,
                members=d.members,
            ),
            self.notes,
        )


def _columns_of(participations: Sequence[Participation]) -> _Parts:
    """The fields of ``participations``, a column per field."""
    return {f: list(map(attrgetter(f), participations)) for f in PARTICIPATION_FIELDS}


_VAGUE_KINDS = ("", "other", "public body")


def _project_name(
    p: Project, taken: dict[str, Project], problems: list[InputError], notes: list[str]
) -> str | None:
    """The acronym ``p`` is filed under, or None when it clashes (a problem is added)."""
    other = taken.get(p.acronym)
    if other is None or other.source == p.source:
        return p.acronym
    if p.external_id and other.external_id != p.external_id:
        name = f"{p.acronym} ({p.external_id})"
        if name not in taken:
            notes.append(
                f'{p.source}, line {p.line}: project "{p.acronym}" ({p.external_id}) is filed '
                f'as "{name}", because {p.acronym} is already a project from {other.source}, '
                f"line {other.line}. If the two are the same project, keep one of them."
            )
            return name
    problems.append(
        InputError(
            p.source,
            p.line,
            None,
            p.acronym,
            f"is already a project from {other.source}, line {other.line}.",
            "Rename one of them, or remove it from the other source first.",
        )
    )
    return None


def merge_facts(ds: Dataset, facts: SourceFacts) -> Ingested:
    """``ds`` with the facts of one input, replacing what that input said before.

    Organisations are found by PIC first, then by name or alias (ignoring case,
    accents and spacing); a mention found by neither becomes a new organisation.
    What a mention adds to a known organisation (country, kind, city, PIC,
    coordinates) only fills what is empty: nothing known is overwritten.

    Raises
    ------
    DataError
        If the input contradicts the dataset: a project acronym another source
        already defines, a country that differs from the one known, or a name
        that already stands for someone else.
    """
    return _merge(ds, _columns_of(ds.participations), facts).records()


@paused_gc()  # records without cycles: the collector would only rescan them
def _merge(ds: Dataset, parts: _Parts, facts: SourceFacts) -> IngestedColumns:
    """:func:`merge_facts` of a dataset whose participations are ``parts`` (by field);
    those of ``ds`` are not read."""
    replaced = facts.replaced_sources()
    problems: list[InputError] = []
    notes: list[str] = list(facts.notes)
    projects, renamed = _merged_projects(ds, facts, replaced, problems, notes)
    merger = _Merger(ds, replaced, problems, notes)
    participations = _merged_participations(parts, facts, replaced, renamed, merger)
    orgs, aliases = merger.orgs, merger.aliases
    _merge_aliases(facts, orgs, merger.resolver, aliases, problems)
    if problems:
        raise DataError(problems)
    return IngestedColumns(
        Dataset(
            projects=tuple(projects),
            organisations=tuple(sorted(orgs.values(), key=lambda o: o.name.casefold())),
            aliases=tuple(
                sorted(aliases, key=lambda a: (a.organisation.casefold(), a.alias.casefold()))
            ),
            members=ds.members,  # a member list is no input of ingest: kept as it is
        ),
        participations,
        tuple(notes),
    )


def _merged_projects(
    ds: Dataset,
    facts: SourceFacts,
    replaced: frozenset[str],
    problems: list[InputError],
    notes: list[str],
) -> tuple[list[Project], dict[str, str]]:
    """The projects after this input, and the acronym each of its projects is filed under."""
    kept = [p for p in ds.projects if p.source not in replaced]
    taken = {p.acronym: p for p in kept}
    renamed: dict[str, str] = {}
    for p in facts.projects:
        name = _project_name(p, taken, problems, notes)
        if name is None:
            continue
        renamed[p.acronym] = name
        taken[name] = p if name == p.acronym else replace(p, acronym=name)
    return list(taken.values()), renamed


def _merged_participations(
    parts: _Parts,
    facts: SourceFacts,
    replaced: frozenset[str],
    renamed: dict[str, str],
    merger: _Merger,
) -> _Parts:
    """The participations after this input (by field, as ``parts``), each mention
    resolved to its organisation.

    Two passes over the mentions, each in the order of the rows: the first finds each
    mention's organisation (:meth:`_Merger.organisation_of`), the second keeps each
    (project, organisation) pair once. The notes of both come out as one pass
    over the rows would write them (:func:`_with_notes_of_rows`).
    """
    staying = [source not in replaced for source in parts["source"]]
    if not all(staying):
        parts = {f: list(compress(v, staying)) for f, v in parts.items()}
    c = mention_columns(facts.mentions)  # read a field at a time: no record per row needed
    sources = [source or facts.source for source in c["source"]]
    start = len(merger.notes)
    names, marks = _organisations_of(facts.mentions, c, sources, merger)
    projects: list[str] = [renamed.get(p, p) for p in c["project"]]
    pairs = list(zip(projects, names, strict=True))
    kept = set(zip(parts["project"], parts["organisation"], strict=True))
    fields = (c["role"], c["name_as_written"], sources, c["line"], c["contribution_eur"])
    if len(set(pairs)) == len(pairs) and kept.isdisjoint(pairs):  # no pair twice: all kept
        return _joined(parts, (projects, names, *fields))
    keep: list[bool] = []
    repeated: list[tuple[int, str]] = []  # (row, note) of each pair already taken
    for i, (pair, source, line, contribution) in enumerate(
        zip(pairs, sources, c["line"], c["contribution_eur"], strict=True)
    ):
        keep.append(pair not in kept)
        if keep[-1]:
            kept.add(pair)
            continue
        project, name = pair
        log.info("%s line %d: %s is already in %s", source, line, name, project)
        if contribution is not None:
            repeated.append(
                (
                    i,
                    f"{source}, line {line}: {name} is already in {project}; this row "
                    f"(contribution €{contribution:,.2f}) is not added a second time.",
                )
            )
    columns = (projects, names, *fields)
    merger.notes[start:] = _with_notes_of_rows(merger.notes[start:], marks, repeated)
    return _joined(parts, [compress(v, keep) for v in columns])


def _joined(parts: _Parts, columns: Sequence[Iterable[Any]]) -> _Parts:
    """``parts`` followed by the participations of ``columns`` (in the fields' order)."""
    return {
        f: [*parts[f], *values] for f, values in zip(PARTICIPATION_FIELDS, columns, strict=True)
    }


def _organisations_of(
    mentions: Sequence[Mention],
    c: dict[str, Sequence[Any]],
    sources: list[str],
    merger: _Merger,
) -> tuple[list[str], list[tuple[int, int]]]:
    """The organisation of each mention, in the order of the rows, and where the notes
    made on the way were made: ``(row, notes made up to and with that row)``."""
    notes = merger.notes
    start = len(notes)
    # A mention that changed nothing (a known organisation, nothing to fill) changes
    # nothing when repeated either: CORDIS repeats each organisation in every project.
    settled: dict[tuple[object, ...], str] = {}
    # Everything a mention says of its organisation: the same again finds the same.
    said = (
        "pic",
        "name",
        "abbreviation",
        "country",
        "kind",
        "note",
        "city",
        "latitude",
        "longitude",
    )
    # Every name and abbreviation is looked up (and most become organisations).
    prime_name_keys([*c["name"], *c["abbreviation"]])
    names: list[str] = []
    marks: list[tuple[int, int]] = []
    for i, key in enumerate(zip(*(c[f] for f in said), sources, strict=True)):
        name = settled.get(key)
        if name is None:
            made = len(notes)
            name, unchanged = merger.organisation_of(mentions[i], key[-1])
            if unchanged:
                settled[key] = name
            if len(notes) != made:
                marks.append((i, len(notes) - start))
        names.append(name)
    return names, marks


def _with_notes_of_rows(
    made: list[str], marks: list[tuple[int, int]], repeated: list[tuple[int, str]]
) -> list[str]:
    """The notes ``made`` while finding organisations (``marks``: ``(row, notes made up
    to and with it)``) and the ``repeated`` ``(row, note)``, in the order of the rows;
    a row's own notes come before its repeat's."""
    out: list[str] = []
    taken = 0
    rows = [row for row, _ in marks]
    for row, note in repeated:
        at = bisect_right(rows, row)
        upto = marks[at - 1][1] if at else 0
        out.extend(made[taken:upto])
        taken = max(taken, upto)
        out.append(note)
    out.extend(made[taken:])
    return out


def _participation_records(*columns: Iterable[Any]) -> list[Participation]:
    """``list(map(Participation, *columns))``, in a third of the time: a CORDIS
    programme has hundreds of thousands.

    Each record is made as the dataclass's ``__init__`` makes it (its fields
    set in their order, nothing else: it has no ``__post_init__``), without a
    call of ``__init__`` and its seven ``object.__setattr__`` per record.
    """
    new = object.__new__
    out: list[Participation] = []
    add = out.append
    for values in zip(*columns, strict=True):
        record = new(Participation)
        fields = record.__dict__
        (
            fields["project"],
            fields["organisation"],
            fields["role"],
            fields["name_as_written"],
            fields["source"],
            fields["line"],
            fields["contribution_eur"],
        ) = values
        add(record)
    return out


class _Merger:
    """The organisations while one input's mentions are merged, and what each mention adds."""

    def __init__(
        self,
        ds: Dataset,
        replaced: frozenset[str],
        problems: list[InputError],
        notes: list[str],
    ) -> None:
        self.orgs: dict[str, Organisation] = {o.name: o for o in ds.organisations}
        self.by_pic: dict[str, str] = {o.pic: o.name for o in self.orgs.values() if o.pic}
        self.aliases = [a for a in ds.aliases if a.source not in replaced]
        self.resolver = Resolver(self.orgs.values(), self.aliases)
        self.placed: set[str] = set()
        self.problems = problems
        self.notes = notes

    def organisation_of(self, m: Mention, source: str) -> tuple[str, bool]:
        """The organisation ``m`` stands for (found, filled in or new), and whether
        ``m`` changed nothing, so that the same mention again would find the same
        organisation and change nothing either."""
        orgs, by_pic, resolver, notes = self.orgs, self.by_pic, self.resolver, self.notes
        known_notes, known_aliases = len(notes), len(self.aliases)
        name = _resolve(m, source, orgs, by_pic, resolver, self.aliases, notes)
        # A new organisation holds all the mention says: the same mention again finds it
        # and changes nothing, unless it was kept apart (its note, checked below, says so).
        unchanged = not m.abbreviation
        if name is None:
            return self._new_of(m, source, known_notes, known_aliases)
        org = orgs[name]
        if m.country and org.country and m.country != org.country:
            unchanged = False
            self.problems.append(
                InputError(
                    source,
                    m.line,
                    None,
                    m.name_as_written,
                    f"is given the country {m.country}, but {org.name} is in {org.country}.",
                    "Correct the country, or if these are two organisations, rename one.",
                )
            )
        updates: dict[str, Any] = _fill(org, m, by_pic)
        if name not in self.placed and org.source in ("", source):
            updates.update(source=source, line=m.line)
            self.placed.add(name)
        if updates:
            unchanged = False
            orgs[name] = replace(org, **updates)
            if orgs[name].pic:
                by_pic.setdefault(orgs[name].pic, name)
        if m.abbreviation:
            self._add_abbreviation(m, name, source)
        # The same answer later needs every form of the name known now (a form added
        # later could lead elsewhere), and nothing said about this mention.
        return name, (
            unchanged
            and len(notes) == known_notes
            and len(self.aliases) == known_aliases
            and resolver.knows_every_form(m.name)
        )

    def _new_of(
        self, m: Mention, source: str, known_notes: int, known_aliases: int
    ) -> tuple[str, bool]:
        """:meth:`organisation_of` for a mention nobody knows (``known_notes`` and
        ``known_aliases``: how many there were before it), told without what cannot
        happen to the organisation it makes: a country of its own to differ, a field
        to fill, a first line to set; and each form of its name is known now, unless
        it was kept apart under another name, which a note says (a million
        participations make 150,000 organisations)."""
        name = self._new_organisation(m, source)
        if m.abbreviation:
            self._add_abbreviation(m, name, source)
            return name, False
        return name, len(self.notes) == known_notes and len(self.aliases) == known_aliases

    def _new_organisation(self, m: Mention, source: str) -> str:
        """A new organisation for a mention nobody knows; kept apart if its name is taken."""
        name = m.name
        clash = self.resolver.resolve(m.name)  # only when another PIC holds the name
        if clash is not None:
            name = f"{m.name} (PIC {m.pic})"
            self.notes.append(
                f'{source}, line {m.line}: "{m.name}" has PIC {m.pic}, but that name is '
                f'already {clash} with PIC {self.orgs[clash].pic}; kept apart as "{name}".'
            )
        kind = m.kind
        if kind in _VAGUE_KINDS:
            kind = kind_from_name(name) or kind
        # Organisation(name, kind, ...) in half the time: a programme has a hundred thousand.
        self.orgs[name] = record_of(
            Organisation,
            (name, kind, m.country, source, m.line, m.note, m.city, m.pic, m.latitude, m.longitude),
        )
        self.resolver.add(name, name)
        if m.pic:
            self.by_pic[m.pic] = name
        self.placed.add(name)
        return name

    def _add_abbreviation(self, m: Mention, name: str, source: str) -> None:
        """The mention's abbreviation as an alias of ``name``, unless it is someone else's."""
        known = self.resolver.resolve(m.abbreviation)
        if known is None:
            self.aliases.append(
                Alias(m.abbreviation, name, source, m.line, "abbreviation given on the page")
            )
            self.resolver.add(m.abbreviation, name)
        elif known != name:
            self.problems.append(
                InputError(
                    source,
                    m.line,
                    None,
                    m.abbreviation,
                    f'already stands for "{known}", not "{name}".',
                    "Check aliases.csv.",
                )
            )


def _resolve(
    m: Mention,
    source: str,
    orgs: dict[str, Organisation],
    by_pic: dict[str, str],
    resolver: Resolver,
    aliases: list[Alias],
    notes: list[str],
) -> str | None:
    """The organisation a mention stands for: by PIC, else by name or abbreviation."""
    if m.pic and m.pic in by_pic:
        name = by_pic[m.pic]
        by_name = resolver.resolve(m.name)
        if by_name is None:
            aliases.append(Alias(m.name, name, source, m.line, f"same PIC {m.pic}"))
            resolver.add(m.name, name)
        elif by_name != name:
            notes.append(
                f'{source}, line {m.line}: "{m.name}" is {name} by its PIC {m.pic}, though '
                f"the name is also {by_name}'s; check the two."
            )
        return name
    found = resolver.resolve(m.name) or (
        resolver.resolve(m.abbreviation) if m.abbreviation else None
    )
    if found is not None and m.pic and orgs[found].pic and orgs[found].pic != m.pic:
        return None  # the same name under another PIC: kept apart by the caller
    return found


def _fill(org: Organisation, m: Mention, by_pic: dict[str, str]) -> dict[str, Any]:
    """What a mention adds to a known organisation: empty fields only."""
    updates: dict[str, Any] = {}
    if m.country and not org.country:
        updates["country"] = m.country
    if m.kind and not org.kind:
        updates["kind"] = m.kind
    if m.note and not org.note:
        updates["note"] = m.note
    if m.city and not org.city:
        updates["city"] = m.city
    if m.pic and not org.pic and m.pic not in by_pic:
        updates["pic"] = m.pic
    if m.latitude is not None and org.latitude is None and org.longitude is None:
        updates.update(latitude=m.latitude, longitude=m.longitude)
    return updates


def _merge_aliases(
    facts: SourceFacts,
    orgs: dict[str, Organisation],
    resolver: Resolver,
    aliases: list[Alias],
    problems: list[InputError],
) -> None:
    for a in facts.aliases:
        target: str | None = a.organisation
        if target not in orgs:
            target = resolver.resolve(a.organisation)
        if target is None:
            problems.append(
                InputError(
                    a.source,
                    a.line or None,
                    "organisation",
                    a.organisation,
                    "is no known organisation.",
                    "Add it to the organisations, or remove this alias.",
                )
            )
            continue
        known = resolver.resolve(a.alias)
        if known is None or (
            known == target and a.alias != target and all(x.alias != a.alias for x in aliases)
        ):
            aliases.append(replace(a, organisation=target))
            resolver.add(a.alias, target)
        elif known != target:
            problems.append(
                InputError(
                    a.source,
                    a.line or None,
                    "alias",
                    a.alias,
                    f'already stands for "{known}", not "{target}".',
                    "A name may stand for one organisation only.",
                )
            )


def merge_page(ds: Dataset, facts: SourceFacts) -> Dataset:
    """``ds`` with the facts of one page (see :func:`merge_facts`)."""
    return merge_facts(ds, facts).dataset


def ingest(
    inputs: Sequence[tuple[str, bytes]],
    ds: Dataset,
    *,
    fmt: str | None = None,
    encoding: str | None = None,
) -> Ingested:
    """``ds`` with the facts of every input merged in order, and the notes to show.

    This is the one way in for the command line and the dashboard: inputs are
    ``(name, content)`` pairs (files read with :func:`read_paths`, or uploads).

    Raises
    ------
    DataError
        With every problem found in reading and merging; ``ds`` is untouched.
    """
    return ingest_columns(inputs, ds, fmt=fmt, encoding=encoding).records()


def ingest_columns(
    inputs: Sequence[tuple[str, bytes]],
    ds: Dataset,
    *,
    fmt: str | None = None,
    encoding: str | None = None,
) -> IngestedColumns:
    """:func:`ingest`, its participations held by field (:class:`IngestedColumns`).

    Raises
    ------
    DataError
        With every problem found in reading and merging; ``ds`` is untouched.
    """
    return ingest_facts_columns(read_inputs(inputs, fmt=fmt, encoding=encoding), ds)


def ingest_facts(found: Sequence[SourceFacts], ds: Dataset) -> Ingested:
    """``ds`` with the facts of every input (:func:`read_inputs`) merged in order.

    Raises
    ------
    DataError
        With every problem found in merging; ``ds`` is untouched.
    """
    return ingest_facts_columns(found, ds).records()


def ingest_facts_columns(found: Sequence[SourceFacts], ds: Dataset) -> IngestedColumns:
    """:func:`ingest_facts`, its participations held by field (:class:`IngestedColumns`).

    Raises
    ------
    DataError
        With every problem found in merging; ``ds`` is untouched.
    """
    problems: list[InputError] = []
    notes: list[str] = []
    merged = IngestedColumns(ds, _columns_of(ds.participations))
    for facts in found:
        try:
            step = _merge(merged.dataset, merged.participations, facts)
        except DataError as err:
            problems.extend(err.problems)
            continue
        merged = step
        notes.extend(step.notes)
    if problems:
        raise DataError(problems)
    return replace(merged, notes=tuple(notes))


def ingest_files(
    paths: Sequence[Path],
    ds: Dataset,
    *,
    encoding: str | None = None,
    fmt: str | None = None,
) -> Dataset:
    """``ds`` with the facts of every file in ``paths``, merged in order; a CORDIS archive
    gives its project.csv and organization.csv (see :mod:`defus_graph.sources.archive`)."""
    inputs = list(expand_archives(read_paths(paths)).files)
    return ingest(inputs, ds, fmt=fmt, encoding=encoding).dataset
