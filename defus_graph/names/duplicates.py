"""Likely duplicate organisations, proposed with a score; merged only when the user says so.

Ingest joins two names only when they are certainly one organisation (the same
PIC, the same name or alias ignoring case and accents). What is merely likely
is listed here for a person to decide:

==================================================  =====  ==========================
what                                                score  example
==================================================  =====  ==========================
the same PIC under two names                        1.00   CORDIS renamed a partner
a city under its administration's name, same        0.95   "Gemeente Rotterdam" and
country                                                    "Rotterdam"
names alike, same country (difflib ratio ≥ 0.8)     ≤0.90  "The University of Warwick"
==================================================  =====  ==========================

Municipal names are told by the prefixes and suffixes of
:mod:`defus_graph.names.vocabulary` (:func:`municipal_core`, re-exported here).

Two organisations of different known kinds are never proposed: a city and its
region ("Reggio Emilia", "Regione Emilia Romagna") stay apart whatever their
names. A kind is known from the data, or from a name that makes it certain
("Comune di …" is a city, "Regione …" a region); CORDIS's "public body" and
"other" say too little to keep two apart.

Names are compared with :mod:`difflib` from the standard library. Up to
``EXHAUSTIVE_LIMIT`` organisations of one country every pair is compared. Larger
groups (CORDIS-sized data: thousands per country) are blocked first: only two
organisations whose names share the first four letters of some word are
compared, and a word start shared by more than ``BLOCK_LIMIT`` names ("univ",
"inst") does not pair anyone on its own. Pairs that share no word start at all
are then not proposed.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import combinations

from ..errors import DefusGraphError, NotFoundError
from ..model import Alias, Dataset, Organisation
from .normal import name_keys, normalise
from .resolve import Resolver
from .vocabulary import kind_from_name, municipal_core

__all__ = [
    "BLOCK_LIMIT",
    "EXHAUSTIVE_LIMIT",
    "MERGE_SOURCE",
    "Suggestion",
    "merge_organisations",
    "municipal_core",
    "suggest_duplicates",
]

#: The ``source`` of the alias a merge records.
MERGE_SOURCE = "merge"

_VAGUE = frozenset({"", "other", "public body"})
_FUZZY_CUTOFF = 0.8

#: Countries with at most this many organisations have every pair compared.
EXHAUSTIVE_LIMIT = 400

#: A word start shared by more names than this is too common to pair them.
BLOCK_LIMIT = 200

_WORD = re.compile(r"[^\W_]{3,}")

_NOISE = re.compile(r"^the\s+|[.,;:()\"']|\s+(?:e\.?\s?v|gmbh|ltd|sl|sa|bv|asbl|vzw|onlus)\.?$")


@dataclass(frozen=True)
class Suggestion:
    """Two organisations that may be one: ``other`` would be merged into ``keep``."""

    keep: str
    other: str
    score: float
    reason: str

    def as_dict(self) -> dict[str, object]:
        """The suggestion as a JSON-ready mapping."""
        return {"keep": self.keep, "other": self.other, "score": self.score, "reason": self.reason}


def _kind(org: Organisation) -> str:
    if org.kind not in _VAGUE:
        return org.kind
    return kind_from_name(org.name) or org.kind


def _compatible(a: Organisation, b: Organisation) -> bool:
    ka, kb = _kind(a), _kind(b)
    return ka in _VAGUE or kb in _VAGUE or ka == kb


@lru_cache(maxsize=1 << 17)
def _plain(name: str) -> str:
    return _NOISE.sub("", normalise(name)).strip()


def _order(
    a: Organisation, b: Organisation, counts: Counter[str]
) -> tuple[Organisation, Organisation]:
    """Which to keep: a name not in capitals, a known kind, more projects, a shorter name."""

    def rank(o: Organisation) -> tuple[bool, bool, int, int]:
        return (not o.name.isupper(), o.kind not in _VAGUE, counts[o.name], -len(o.name))

    return (a, b) if rank(a) >= rank(b) else (b, a)


def _names(org: Organisation, aliases: dict[str, list[str]]) -> list[str]:
    return [org.name, *aliases.get(org.name, [])]


def _pair_score(
    a: Organisation, b: Organisation, aliases: dict[str, list[str]]
) -> tuple[float, str] | None:
    names_a, names_b = _names(a, aliases), _names(b, aliases)
    country = a.country
    cores_a = {k for n in names_a for k in name_keys(municipal_core(n) or n)}
    cores_b = {k for n in names_b for k in name_keys(municipal_core(n) or n)}
    municipal = any(municipal_core(n) for n in names_a + names_b)
    if municipal and cores_a & cores_b:
        return 0.95, f"one place under a municipal name, both in {country}"
    best = 0.0
    for x in names_a:
        for y in names_b:
            px, py = _plain(x), _plain(y)
            matcher = difflib.SequenceMatcher(None, px, py)
            if matcher.real_quick_ratio() < _FUZZY_CUTOFF or matcher.quick_ratio() < _FUZZY_CUTOFF:
                continue
            best = max(best, matcher.ratio())
    if best >= _FUZZY_CUTOFF:
        return round(0.9 * best, 2), f"names alike ({best:.0%} the same letters), both in {country}"
    return None


def _block_keys(org: Organisation, aliases: dict[str, list[str]]) -> set[str]:
    keys: set[str] = set()
    for name in _names(org, aliases):
        core = municipal_core(name) or name
        keys.update(word[:4] for word in _WORD.findall(_plain(core)))
    return keys


def _candidate_pairs(
    group: list[Organisation], aliases: dict[str, list[str]]
) -> Iterator[tuple[Organisation, Organisation]]:
    """Every pair of a small group; in a large one, pairs sharing a word start."""
    if len(group) <= EXHAUSTIVE_LIMIT:
        yield from combinations(group, 2)
        return
    blocks: dict[str, list[int]] = defaultdict(list)
    for i, org in enumerate(group):
        for key in _block_keys(org, aliases):
            blocks[key].append(i)
    seen: set[tuple[int, int]] = set()
    for members in blocks.values():
        if len(members) > BLOCK_LIMIT:
            continue
        for i, j in combinations(members, 2):
            if (i, j) not in seen:
                seen.add((i, j))
                yield group[i], group[j]


def suggest_duplicates(ds: Dataset, *, min_score: float = 0.5) -> list[Suggestion]:
    """Pairs of organisations that are likely one, best first.

    Parameters
    ----------
    ds : the dataset.
    min_score : leave out suggestions scored lower (0 to 1).

    Examples
    --------
    >>> ds = Dataset(organisations=(
    ...     Organisation("Rotterdam", "city", "NL"),
    ...     Organisation("GEMEENTE ROTTERDAM", "public body", "NL"),
    ...     Organisation("Reggio Emilia", "city", "IT"),
    ...     Organisation("Regione Emilia Romagna", "region", "IT"),
    ... ))
    >>> [(s.keep, s.other, s.score) for s in suggest_duplicates(ds)]
    [('Rotterdam', 'GEMEENTE ROTTERDAM', 0.95)]
    """
    counts = Counter(pa.organisation for pa in ds.participations)
    aliases: dict[str, list[str]] = defaultdict(list)
    for alias in ds.aliases:
        aliases[alias.organisation].append(alias.alias)
    found: dict[frozenset[str], Suggestion] = {}

    def add(a: Organisation, b: Organisation, score: float, reason: str) -> None:
        if score < min_score:
            return
        keep, other = _order(a, b, counts)
        key = frozenset({a.name, b.name})
        if key not in found or found[key].score < score:
            found[key] = Suggestion(keep.name, other.name, score, reason)

    by_pic: dict[str, list[Organisation]] = defaultdict(list)
    for o in ds.organisations:
        if o.pic:
            by_pic[o.pic].append(o)
    for pic, same in by_pic.items():
        for a, b in combinations(same, 2):
            add(a, b, 1.0, f"the same PIC {pic}")
    by_country: dict[str, list[Organisation]] = defaultdict(list)
    for o in ds.organisations:
        if o.country:
            by_country[o.country].append(o)
    for group in by_country.values():
        for a, b in _candidate_pairs(group, aliases):
            if not _compatible(a, b) or (a.pic and b.pic and a.pic != b.pic):
                continue
            scored = _pair_score(a, b, aliases)
            if scored:
                add(a, b, *scored)
    return sorted(found.values(), key=lambda s: (-s.score, s.keep.casefold(), s.other.casefold()))


def merge_organisations(
    ds: Dataset,
    keep: str,
    other: str,
    *,
    reason: str = "",
    today: dt.date | None = None,
) -> Dataset:
    """``ds`` with ``other`` merged into ``keep``: its participations, aliases and facts.

    ``other`` becomes an alias of ``keep`` (source ``"merge"``, a note with the
    date and ``reason``); what ``keep`` does not know (PIC, city, coordinates,
    country, kind, note) it takes from ``other``.

    Raises
    ------
    NotFoundError
        If either is no organisation's canonical name.
    DefusGraphError
        If the two are one already, are in different countries, or share a
        project (the merge would put one organisation in it twice).
    """
    a, b = _mergeable(ds, keep, other)
    filled = replace(
        a,
        kind=a.kind
        if a.kind not in _VAGUE
        else (b.kind if b.kind not in _VAGUE else a.kind or b.kind),
        country=a.country or b.country,
        note=a.note or b.note,
        city=a.city or b.city,
        pic=a.pic or b.pic,
        latitude=a.latitude if a.latitude is not None else b.latitude,
        longitude=a.longitude if a.latitude is not None else b.longitude,  # as a pair
    )
    day = (today or dt.date.today()).isoformat()
    note = f"merged on {day}" + (f": {reason}" if reason else "")
    if b.pic and a.pic and a.pic != b.pic:
        note += f" (its PIC was {b.pic})"
    aliases = [replace(x, organisation=keep) if x.organisation == other else x for x in ds.aliases]
    aliases.append(Alias(other, keep, MERGE_SOURCE, 0, note))
    return Dataset(
        projects=tuple(
            replace(p, funding_share_of=keep) if p.funding_share_of == other else p
            for p in ds.projects
        ),
        organisations=tuple(
            filled if o.name == keep else o for o in ds.organisations if o.name != other
        ),
        participations=tuple(
            replace(pa, organisation=keep) if pa.organisation == other else pa
            for pa in ds.participations
        ),
        aliases=tuple(
            sorted(aliases, key=lambda x: (x.organisation.casefold(), x.alias.casefold()))
        ),
    )


def _mergeable(ds: Dataset, keep: str, other: str) -> tuple[Organisation, Organisation]:
    """The two organisations, or why they cannot be merged (see :func:`merge_organisations`)."""
    orgs = {o.name: o for o in ds.organisations}
    resolver = Resolver(ds.organisations, ())
    for name in (keep, other):
        if name not in orgs:
            raise NotFoundError("organisation", name, resolver.suggest(name))
    if keep == other:
        raise DefusGraphError(f'"{keep}" and "{other}" are the same organisation already.')
    a, b = orgs[keep], orgs[other]
    if a.country and b.country and a.country != b.country:
        raise DefusGraphError(
            f'"{keep}" is in {a.country} but "{other}" in {b.country}: not merged. If they are '
            "one organisation, correct the country in organisations.csv first."
        )
    projects_a = {pa.project for pa in ds.participations if pa.organisation == keep}
    shared = sorted(
        {pa.project for pa in ds.participations if pa.organisation == other} & projects_a
    )
    if shared:
        raise DefusGraphError(
            f'"{keep}" and "{other}" are both in {", ".join(shared)}: merging would put one '
            f"organisation twice in {'that project' if len(shared) == 1 else 'those projects'}. "
            f'Delete the row of "{other}" in {", ".join(shared)} from participations.csv '
            "(keep the row whose role is right), then merge again."
        )
    return a, b
