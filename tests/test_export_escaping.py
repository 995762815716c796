"""Names are text, never markup: the writers' escaping is exactly the character table.

The escaping functions take shortcuts (a search before any work, a chain of
``str.replace`` rather than ``translate``, one check over a whole column); each
must give what the plain character-by-character table gives, on any text.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from defus_graph.export import _xml

_ATTR_TABLE = str.maketrans(
    {
        "&": "&amp;",
        "<": "&lt;",
        ">": "&gt;",
        '"': "&quot;",
        "\t": "&#9;",
        "\n": "&#10;",
        "\r": "&#13;",
    }
)
_TEXT_TABLE = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})

# Text rich in what must be escaped, and in what looks like an escape already.
awkward = st.lists(
    st.one_of(
        st.sampled_from([*"&<>\"'\t\n\r;#", "&amp;", "&#10;", "ü", "🙂", "\x85", "Genk"]),
        st.characters(),
    )
).map("".join)


@given(awkward)
def test_attr_and_text_are_the_character_tables(value: str) -> None:
    assert _xml.attr(value) == value.translate(_ATTR_TABLE)
    assert _xml.text(value) == value.translate(_TEXT_TABLE)


@given(st.lists(st.one_of(st.none(), awkward), max_size=8))
def test_columns_are_escaped_as_each_value(values: list[str | None]) -> None:
    assert _xml.attrs(values) == [None if v is None else v.translate(_ATTR_TABLE) for v in values]
    assert _xml.texts(values) == [None if v is None else v.translate(_TEXT_TABLE) for v in values]
