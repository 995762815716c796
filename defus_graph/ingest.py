"""Merge what input files state into a dataset, resolving organisations by name.

Only exact matches after normalisation (and the alias table) join two names;
a name nobody knows becomes a new organisation, to be merged later with the
user's consent. Facts from a source replace that source's earlier facts, so
ingesting the same page twice changes nothing.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from .errors import DataError, InputError
from .model import Alias, Dataset, Organisation, Participation
from .resolve import Resolver
from .sources.page import PageFacts, parse_page

__all__ = ["ingest_files", "kind_from_name", "merge_page", "read_text"]

log = logging.getLogger(__name__)

# Only words that make the kind certain; anything else stays unknown.
_KIND_WORDS = [
    (re.compile(r"^(?:Stadt|City of|Ville de|Comune di|Gemeente|Municipality of)\b", re.I), "city"),
    (re.compile(r"\b(?:Universit(?:y|ät|é|à|at|eit)|Hochschule)\b", re.I), "university"),
    (
        re.compile(
            r"\b(?:Ministry|Ministerium|Minist[eé]rio|Ministerio|Ministère|Ministero)\b", re.I
        ),
        "ministry",
    ),
    (re.compile(r"^(?:Region|Regione|Región|Région)\b", re.I), "region"),
    (re.compile(r"\b(?:Foundation|Fondation|Stiftung|Fondazione|Fundación)\b", re.I), "foundation"),
]


def kind_from_name(name: str) -> str:
    """The kind a name makes certain ("City of X" is a city), else "".

    Examples
    --------
    >>> kind_from_name("University of Salford"), kind_from_name("Regione Emilia Romagna")
    ('university', 'region')
    >>> kind_from_name("Reggio Emilia")
    ''
    """
    for pattern, kind in _KIND_WORDS:
        if pattern.search(name):
            return kind
    return ""


def read_text(path: Path, *, encoding: str = "utf-8") -> str:
    """A text file's content, or a :class:`DataError` that says how to fix it."""
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise DataError(
            [
                InputError(
                    str(path),
                    None,
                    None,
                    None,
                    f"cannot be read: {err.strerror}.",
                    "Check the path and the file's permissions.",
                )
            ]
        ) from err
    try:
        return raw.decode(encoding).removeprefix("\ufeff")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise DataError(
            [
                InputError(
                    str(path),
                    line,
                    None,
                    None,
                    f"cannot be read as {encoding} (byte {err.start}).",
                    "Save it as UTF-8, or try --encoding cp1252.",
                )
            ]
        ) from err


def merge_page(ds: Dataset, facts: PageFacts) -> Dataset:
    """``ds`` with the facts of one page, replacing what that page said before.

    Raises :class:`DataError` if the page contradicts the dataset: a project
    acronym another source already defines, a country that differs from the
    one known, or an abbreviation that already stands for someone else.
    """
    source = facts.source
    problems: list[InputError] = []
    projects = [p for p in ds.projects if p.source != source]
    taken = {p.acronym: p for p in projects}
    for p in facts.projects:
        if p.acronym in taken:
            other = taken[p.acronym]
            problems.append(
                InputError(
                    source,
                    p.line,
                    None,
                    p.acronym,
                    f"is already a project from {other.source}, line {other.line}.",
                    "Rename one of them, or remove it from the other source first.",
                )
            )
    projects.extend(facts.projects)

    orgs: dict[str, Organisation] = {o.name: o for o in ds.organisations}
    aliases = [a for a in ds.aliases if a.source != source]
    resolver = Resolver(orgs.values(), aliases)
    participations = [pa for pa in ds.participations if pa.source != source]
    placed: set[str] = set()
    pairs: set[tuple[str, str]] = set()
    for m in facts.mentions:
        name = resolver.resolve(m.name) or (
            resolver.resolve(m.abbreviation) if m.abbreviation else None
        )
        if name is None:
            name = m.name
            orgs[name] = Organisation(
                name=name, kind=kind_from_name(name), country=m.country, source=source, line=m.line
            )
            resolver.add(name, name)
            placed.add(name)
        org = orgs[name]
        if m.country and org.country and m.country != org.country:
            problems.append(
                InputError(
                    source,
                    m.line,
                    None,
                    m.name_as_written,
                    f"is given the country {m.country}, but {org.name} is in {org.country}.",
                    "Correct the country, or if these are two organisations, rename one.",
                )
            )
        updates: dict[str, object] = {}
        if m.country and not org.country:
            updates["country"] = m.country
        if name not in placed and org.source in ("", source):
            updates.update(source=source, line=m.line)
            placed.add(name)
        if updates:
            orgs[name] = replace(org, **updates)
        if m.abbreviation:
            known = resolver.resolve(m.abbreviation)
            if known is None:
                aliases.append(
                    Alias(m.abbreviation, name, source, m.line, "abbreviation given on the page")
                )
                resolver.add(m.abbreviation, name)
            elif known != name:
                problems.append(
                    InputError(
                        source,
                        m.line,
                        None,
                        m.abbreviation,
                        f'already stands for "{known}", not "{name}".',
                        "Check aliases.csv.",
                    )
                )
        if (m.project, name) in pairs:
            log.info("%s line %d: %s is already in %s", source, m.line, name, m.project)
            continue
        pairs.add((m.project, name))
        participations.append(
            Participation(m.project, name, m.role, m.name_as_written, source, m.line)
        )
    if problems:
        raise DataError(problems)
    return Dataset(
        projects=tuple(projects),
        organisations=tuple(sorted(orgs.values(), key=lambda o: o.name.casefold())),
        participations=tuple(participations),
        aliases=tuple(
            sorted(aliases, key=lambda a: (a.organisation.casefold(), a.alias.casefold()))
        ),
    )


def ingest_files(paths: Sequence[Path], ds: Dataset, *, encoding: str = "utf-8") -> Dataset:
    """``ds`` with the facts of every page in ``paths``, merged in order."""
    problems: list[InputError] = []
    pages: list[PageFacts] = []
    for path in paths:
        try:
            pages.append(parse_page(read_text(path, encoding=encoding), path.name))
        except DataError as err:
            problems.extend(err.problems)
    if problems:
        raise DataError(problems)
    for facts in pages:
        ds = merge_page(ds, facts)
    return ds
