"""Records made a row at a time without ``__init__`` (records_of_rows) are the records
``__init__`` makes, for every record type an ingest builds in bulk."""

from __future__ import annotations

from dataclasses import fields

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from defus_graph.model import Alias, Member, Organisation, Participation, Project
from defus_graph.sources.facts import Mention, records_of_rows

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
