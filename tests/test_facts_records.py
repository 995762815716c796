"""Records made a row at a time without ``__init__`` (records_of_rows) are the records
``__init__`` makes, for every record type an ingest builds in bulk."""

from __future__ import annotations

from dataclasses import fields

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from defus_graph.model import Alias, Member, Organisation, Participation, Project
from defus_graph.sources.facts import Mention, MentionColumns, record_of, records_of_rows

_TYPES = [Project, Organisation, Participation, Alias, Member, Mention]


@settings(max_examples=60, deadline=None)
@given(st.data())
@pytest.mark.parametrize("record_type", _TYPES, ids=lambda t: t.__name__)
def test_records_of_rows_are_the_records_init_makes(record_type: type, data: st.DataObject) -> None:
    made = data.draw(st.lists(st.builds(record_type), max_size=5))
    rows = [tuple(getattr(r, f.name) for f in fields(record_type)) for r in made]
    fast = records_of_rows(record_type, rows)
    assert fast == made
    assert [list(vars(r).items()) for r in fast] == [list(vars(r).items()) for r in made]
    assert list(map(repr, fast)) == list(map(repr, made))
    assert list(map(hash, fast)) == list(map(hash, made))
    assert all(type(r) is record_type for r in fast)


def test_a_row_without_every_field_is_refused() -> None:
    with pytest.raises(ValueError):
        records_of_rows(Alias, [("EFUS", "Efus")])


@settings(max_examples=60, deadline=None)
@given(st.data())
@pytest.mark.parametrize("record_type", _TYPES, ids=lambda t: t.__name__)
def test_record_of_is_the_record_init_makes(record_type: type, data: st.DataObject) -> None:
    made = data.draw(st.builds(record_type))
    fast = record_of(record_type, [getattr(made, f.name) for f in fields(record_type)])
    assert fast == made
    assert list(vars(fast).items()) == list(vars(made).items())
    assert (repr(fast), hash(fast), type(fast)) == (repr(made), hash(made), record_type)


def test_a_new_organisation_is_the_organisation_its_mention_says() -> None:
    # merge_facts makes each new organisation by position: the order of its fields.
    from defus_graph.ingest import ingest_facts
    from defus_graph.model import Dataset
    from defus_graph.sources.facts import SourceFacts

    m = Mention(
        "A",
        "Stadt Köln",
        "partner",
        7,
        "Stadt Köln",
        "DE",
        "",
        "999",
        "company",
        "Köln",
        50.9,
        6.9,
        10.0,
        "org.csv",
        "a note",
    )
    facts = SourceFacts("p.csv", projects=[Project("A", source="p.csv", line=2)], mentions=[m])
    (org,) = ingest_facts([facts], Dataset()).dataset.organisations
    assert org == Organisation(
        name="Stadt Köln",
        kind="company",
        country="DE",
        source="org.csv",
        line=7,
        note="a note",
        city="Köln",
        pic="999",
        latitude=50.9,
        longitude=6.9,
    )


@settings(max_examples=60, deadline=None)
@given(st.lists(st.builds(Mention), max_size=5), st.data())
def test_mention_columns_give_each_mention_as_it_was(
    mentions: list[Mention], data: st.DataObject
) -> None:
    columns = MentionColumns(
        {f.name: [getattr(m, f.name) for m in mentions] for f in fields(Mention)}
    )
    for i in range(-len(mentions), len(mentions)):
        assert columns[i] == mentions[i]
        assert list(vars(columns[i]).items()) == list(vars(mentions[i]).items())
    with pytest.raises(IndexError):
        columns[len(mentions)]
