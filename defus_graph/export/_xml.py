"""Escaping for the hand-written XML of the GEXF and GraphML writers.

Text reaching these functions is already cleaned of the characters XML 1.0
forbids (:func:`defus_graph.export._columns.clean_text`); they only escape.
"""

from __future__ import annotations

import re
from typing import TypeVar

__all__ = ["attr", "attrs", "text", "texts"]

#: Text, or text that may be missing.
_Text = TypeVar("_Text", str, str | None)

_ATTR_CHARS = '&<>"\t\n\r'
_ATTR_SPECIAL = re.compile(f"[{_ATTR_CHARS}]")
_TEXT_SPECIAL = re.compile("[&<>\r]")


def text(value: str) -> str:
    """``value`` escaped for element content (a carriage return survives parsing).

    Examples
    --------
    >>> text("a < b & c")
    'a &lt; b &amp; c'
    """
    if not _TEXT_SPECIAL.search(value):
        return value
    # A chain of replace calls (``&`` first) is several times quicker than translate.
    return (
        value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    )


def attr(value: str) -> str:
    """``value`` escaped for a double-quoted attribute; tabs and newlines survive parsing.

    Examples
    --------
    >>> attr('say "hi"\\n')
    'say &quot;hi&quot;&#10;'
    """
    if _ATTR_SPECIAL.search(value) is None:  # most values: nothing to escape
        return value
    return (
        value.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("\t", "&#9;")
        .replace("\n", "&#10;")
        .replace("\r", "&#13;")
    )


def attrs(values: list[_Text]) -> list[_Text]:
    """Each value escaped as :func:`attr` does (``None`` stays ``None``).

    One search over all of them first: usually nothing needs escaping, and
    then the values are returned as they are.

    Examples
    --------
    >>> attrs(["Genk", None, "a & b"])
    ['Genk', None, 'a &amp; b']
    """
    joined = "".join(filter(None, values))
    # One fast substring search per character (memchr) beats a regex over megabytes.
    if not any(c in joined for c in _ATTR_CHARS):
        return values
    return [None if v is None else attr(v) for v in values]


def texts(values: list[_Text]) -> list[_Text]:
    """Each value escaped as :func:`text` does (``None`` stays ``None``), with one
    search over all of them first, as :func:`attrs` does.

    Examples
    --------
    >>> texts(["Genk", None, "a < b"])
    ['Genk', None, 'a &lt; b']
    """
    joined = "".join(filter(None, values))
    if not any(c in joined for c in "&<>\r"):
        return values
    return [None if v is None else text(v) for v in values]
