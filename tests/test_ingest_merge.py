"""merge_facts settles a repeated mention once, and keeps each pair once a column at a time:
the same dataset, notes and problems as judging every mention afresh, one row at a time,
whatever the mentions."""

from __future__ import annotations

import logging
from dataclasses import fields, replace
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from defus_graph import ingest as ingest_module
from defus_graph.errors import DataError, InputError
from defus_graph.ingest import (
    PARTICIPATION_FIELDS,
    _Merger,
    _participation_records,
    merge_facts,
)
from defus_graph.model import Alias, Dataset, Organisation, Participation, Project
from defus_graph.names.resolve import Resolver
from defus_graph.sources.facts import Mention, SourceFacts, mention_columns

# Few names, PICs and places, so that mentions meet: the same organisation under
# another case or spelling (umlauts spelled out), a PIC under two names, conflicts.
_NAMES = st.sampled_from(
    # "Bäd" is found as "baed" while only "Baed" is known, and as "bad" once "Bad" is.
    ["Stadt Köln", "STADT KÖLN", "Stadt Koeln", "GEMEENTE ROTTERDAM", "Efus", "Bäd", "Baed", "Bad"]
)
_MENTIONS = st.builds(
    Mention,
    project=st.sampled_from(["A", "B", "C"]),
    name=_NAMES,
    role=st.sampled_from(["coordinator", "partner"]),
    line=st.integers(1, 50),
    name_as_written=_NAMES,
    country=st.sampled_from(["", "DE", "NL"]),
    abbreviation=st.sampled_from(["", "", "", "SK", "Efus"]),
    pic=st.sampled_from(["", "", "111", "222"]),
    kind=st.sampled_from(["", "city", "public body"]),
    city=st.sampled_from(["", "Köln"]),
    latitude=st.sampled_from([None, 50.9]),
    longitude=st.just(6.9),
    contribution_eur=st.sampled_from([None, 10.0]),
    source=st.sampled_from(["", "organization.csv"]),
)
_KNOWN = Dataset(
    organisations=(
        Organisation("Efus", kind="network", country="FR", source="page.txt", line=3),
        Organisation("Stadt Köln", country="DE", source="page.txt", line=4, pic="222"),
    ),
    aliases=(Alias("European Forum", "Efus", "page.txt", 5),),
)


def _outcome(facts: SourceFacts) -> object:
    try:
        merged = merge_facts(_KNOWN, facts)
    except DataError as err:
        return [str(p) for p in err.problems]
    return merged.dataset, merged.notes


# The same organisation's facts in several rows, as CORDIS repeats them in every project.
_REPEATED = st.lists(_MENTIONS, min_size=1, max_size=6).flatmap(
    lambda pool: st.lists(
        st.builds(
            lambda m, project, line: replace(m, project=project, line=line),
            st.sampled_from(pool),
            st.sampled_from(["A", "B", "C"]),
            st.integers(1, 50),
        ),
        max_size=25,
    )
)


def _three_projects_with(mentions: list[Mention]) -> SourceFacts:
    """A project file of projects A, B and C (lines 2-4) and ``mentions`` of them."""
    return SourceFacts(
        "project.csv",
        projects=[Project(p, source="project.csv", line=i) for i, p in enumerate("ABC", 2)],
        mentions=mentions,
    )


@settings(max_examples=400, deadline=None)
@given(_REPEATED)
def test_settling_repeated_mentions_changes_nothing(mentions: list[Mention]) -> None:
    facts = _three_projects_with(mentions)
    settled = _outcome(facts)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Resolver, "knows_every_form", lambda self, name: False)
        afresh = _outcome(facts)
    assert settled == afresh


def test_a_name_found_by_one_form_is_judged_again_once_its_other_form_is_known() -> None:
    # "Bäd" is "Baed" (by its PIC and the form "baed"); then "Bad" becomes an alias of
    # Stadt Köln, and "Bäd"'s first form, "bad", leads there: the user must hear of it.
    bad = Mention("A", "Bäd", "partner", 3, "Bäd", pic="111")
    mentions = [
        Mention("A", "Baed", "partner", 2, "Baed", pic="111"),
        bad,
        Mention("B", "Bad", "partner", 4, "Bad", pic="222"),
        replace(bad, project="B", line=5),
    ]
    facts = SourceFacts("project.csv", projects=[Project("A"), Project("B")], mentions=mentions)
    settled = _outcome(facts)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Resolver, "knows_every_form", lambda self, name: False)
        afresh = _outcome(facts)
    assert settled == afresh
    assert isinstance(settled, tuple)
    assert any("line 5" in note and "Bäd" in note for note in settled[1])


def _merged_one_row_at_a_time(
    parts: dict[str, list[Any]],
    facts: SourceFacts,
    replaced: frozenset[str],
    renamed: dict[str, str],
    merger: _Merger,
) -> dict[str, list[Any]]:
    """The plain path: one pass over the mentions, each resolved, checked and kept in turn
    (merge_facts before it resolved them all first and kept the pairs a column at a time),
    each participation a record (merge_facts holds them by field)."""
    records = map(Participation, *(parts[f] for f in PARTICIPATION_FIELDS))
    participations = [pa for pa in records if pa.source not in replaced]
    pairs: set[tuple[str, str]] = {(pa.project, pa.organisation) for pa in participations}
    settled: dict[tuple[object, ...], str] = {}
    mentions = facts.mentions
    c = mention_columns(mentions)
    sources = [source or facts.source for source in c["source"]]
    said = ("pic", "name", "abbreviation", "country", "kind", "note", "city")
    keys = zip(*(c[f] for f in (*said, "latitude", "longitude")), sources, strict=True)
    rows = zip(
        keys,
        *(c[f] for f in ("project", "role", "name_as_written", "line", "contribution_eur")),
        strict=True,
    )
    for i, (key, project, role, written, line, contribution) in enumerate(rows):
        source = key[-1]
        project = renamed.get(project, project)
        name = settled.get(key)
        if name is None:
            name, unchanged = merger.organisation_of(mentions[i], source)
            if unchanged:
                settled[key] = name
        if (project, name) in pairs:
            ingest_module.log.info("%s line %d: %s is already in %s", source, line, name, project)
            if contribution is not None:
                merger.notes.append(
                    f"{source}, line {line}: {name} is already in {project}; this row "
                    f"(contribution €{contribution:,.2f}) is not added a second time."
                )
            continue
        pairs.add((project, name))
        participations.append(
            Participation(project, name, role, written, source, line, contribution)
        )
    return {f: [getattr(pa, f) for pa in participations] for f in PARTICIPATION_FIELDS}


# A dataset with participations of its own, which a pair of the input may repeat.
_KNOWN_WITH_PARTS = replace(
    _KNOWN,
    projects=(Project("A", source="page.txt", line=2),),
    participations=(Participation("A", "Efus", "partner", "Efus", "page.txt", 6),),
)


def _outcome_logged(ds: Dataset, facts: SourceFacts, caplog: pytest.LogCaptureFixture) -> object:
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="defus_graph.ingest"):
        try:
            merged = merge_facts(ds, facts)
        except DataError as err:
            return [str(p) for p in err.problems], caplog.messages
        return merged.dataset, merged.notes, caplog.messages


@settings(
    max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(_REPEATED, st.booleans())
def test_pairs_kept_a_column_at_a_time_as_one_row_at_a_time(
    caplog: pytest.LogCaptureFixture, mentions: list[Mention], with_parts: bool
) -> None:
    # Repeated pairs (the same organisation twice in a project), with and without a
    # contribution, among notes of PICs and kept-apart names: the same dataset, the
    # same notes in the same order, the same problems and log lines as the plain path.
    facts = SourceFacts(
        "project.csv",
        projects=[Project(p, source="project.csv", line=i) for i, p in enumerate("BC", 2)],
        mentions=[
            replace(m, project="B") if m.project == "A" and not with_parts else m for m in mentions
        ],
    )
    ds = _KNOWN_WITH_PARTS if with_parts else _KNOWN
    fast = _outcome_logged(ds, facts, caplog)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(ingest_module, "_merged_participations", _merged_one_row_at_a_time)
        plain = _outcome_logged(ds, facts, caplog)
    assert fast == plain


_TEXTS = st.text(max_size=8)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            _TEXTS,
            _TEXTS,
            _TEXTS,
            _TEXTS,
            _TEXTS,
            st.integers(0, 10**12),
            st.none() | st.floats(allow_nan=False),
        ),
        max_size=20,
    )
)
def test_participation_records_are_the_records_init_makes(
    rows: list[tuple[str, str, str, str, str, int, float | None]],
) -> None:
    columns = [list(column) for column in zip(*rows, strict=True)] or [[]] * 7
    fast = _participation_records(*columns)
    plain = list(map(Participation, *columns))
    assert fast == plain
    assert [list(vars(r).items()) for r in fast] == [list(vars(r).items()) for r in plain]
    assert list(map(hash, fast)) == list(map(hash, plain))
    assert list(map(repr, fast)) == list(map(repr, plain))
    assert all(type(r) is Participation for r in fast)


def test_participation_records_know_every_field_and_no_post_init() -> None:
    # The fast records set these fields and nothing else: a new field, or a
    # __post_init__, must be taught to _participation_records first.
    assert [f.name for f in fields(Participation)] == [
        "project",
        "organisation",
        "role",
        "name_as_written",
        "source",
        "line",
        "contribution_eur",
    ]
    assert not hasattr(Participation, "__post_init__")
    assert not hasattr(Participation, "__slots__")


def _resolved_plainly(r: Resolver, name: str) -> str | None:
    """Resolver.resolve before its path for a name of one key: every key, sorted."""
    from defus_graph.names.normal import name_keys

    for key in sorted(name_keys(name)):
        if key in r._canonical:
            return r._canonical[key]
    return None


_SPELLINGS = st.text(alphabet="aouAOUäöüÄÖÜß e-'", max_size=6)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(_SPELLINGS, _SPELLINGS), max_size=8), st.lists(_SPELLINGS, max_size=8))
def test_a_name_resolves_as_by_every_key_in_order(
    known: list[tuple[str, str]], asked: list[str]
) -> None:
    # Names of one key (no umlaut) and of two ("Düsseldorf": dusseldorf, duesseldorf).
    r = Resolver([], [])
    for name, canonical in known:
        r.add(name, canonical)
    for name in [*asked, *(n for n, _ in known)]:
        assert r.resolve(name) == _resolved_plainly(r, name)


def _new_of_the_long_way(
    self: _Merger, m: Mention, source: str, known_notes: int, known_aliases: int
) -> tuple[str, bool]:
    """What organisation_of did with a new organisation before it had a route of its own:
    the country compared, the fields filled, the first line set, every form asked for."""
    name = self._new_organisation(m, source)
    org = self.orgs[name]
    unchanged = not m.abbreviation
    if m.country and org.country and m.country != org.country:
        unchanged = False
        self.problems.append(
            InputError(source, m.line, None, m.name_as_written, "country", "differs")
        )
    updates: dict[str, Any] = ingest_module._fill(org, m, self.by_pic)
    if name not in self.placed and org.source in ("", source):
        updates.update(source=source, line=m.line)
        self.placed.add(name)
    if updates:
        unchanged = False
        self.orgs[name] = replace(org, **updates)
    if m.abbreviation:
        self._add_abbreviation(m, name, source)
    return name, (
        unchanged
        and len(self.notes) == known_notes
        and len(self.aliases) == known_aliases
        and self.resolver.knows_every_form(m.name)
    )


@settings(max_examples=400, deadline=None)
@given(_REPEATED)
def test_a_new_organisation_is_told_as_the_long_way_tells_it(mentions: list[Mention]) -> None:
    # New names (some kept apart under a PIC, some with an abbreviation someone else
    # holds), repeated: the same dataset, notes and problems as the general route.
    facts = _three_projects_with(mentions)
    fast = _outcome(facts)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_Merger, "_new_of", _new_of_the_long_way)
        plain = _outcome(facts)
    assert fast == plain
