"""merge_facts settles a repeated mention once: the same dataset, notes and problems as
judging every mention afresh, whatever the mentions."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from defus_graph.errors import DataError
from defus_graph.ingest import merge_facts
from defus_graph.model import Alias, Dataset, Organisation, Project
from defus_graph.names.resolve import Resolver
from defus_graph.sources.facts import Mention, SourceFacts

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


@settings(max_examples=400, deadline=None)
@given(_REPEATED)
def test_settling_repeated_mentions_changes_nothing(mentions: list[Mention]) -> None:
    facts = SourceFacts(
        "project.csv",
        projects=[Project(p, source="project.csv", line=i) for i, p in enumerate("ABC", 2)],
        mentions=mentions,
    )
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
