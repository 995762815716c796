"""The fast JSON writer is json.dumps(ensure_ascii=False, indent=2), to the byte."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from defus_graph._jsontext import indented_json

_KEYS = st.one_of(st.text(), st.integers(), st.none(), st.booleans())
_LEAVES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(),
)
_VALUES = st.recursive(
    _LEAVES,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.tuples(inner, inner),
        st.dictionaries(st.text(), inner, max_size=4),
        st.dictionaries(_KEYS, inner, max_size=3),
    ),
    max_leaves=20,
)


@settings(max_examples=500, deadline=None)
@given(_VALUES)
def test_the_text_is_json_dumps(value: object) -> None:
    assert indented_json(value) == json.dumps(value, ensure_ascii=False, indent=2)


def test_hostile_text_is_escaped_as_json_escapes_it() -> None:
    value = [{"name": "äöüß\"';<&\x00\x1f\u2028😀", "n": 1.5e300, "t": (True, None)}]
    assert indented_json(value) == json.dumps(value, ensure_ascii=False, indent=2)
