"""What a cell may hold, and how a value is shown in a message: one line, no controls."""

from __future__ import annotations

import re

__all__ = ["MAX_NAME_LENGTH", "UNPRINTABLE", "cell_problem", "escape_controls", "shown_value"]

# --- what a cell may hold -----------------------------------------------------------------

#: The most characters a name (acronym, organisation, city, alias, title) may have.
MAX_NAME_LENGTH = 300

_CONTROL = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069"
_LINE_BREAKS = "\t\n\r\u2028\u2029"
_CONTROL_CHARS = re.compile(f"[{_CONTROL}]")

#: Every character a message never prints raw: controls, overrides, line breaks and tabs.
#: A text without one needs no closer look for them (one search for a whole row).
UNPRINTABLE = re.compile(f"[{_CONTROL}{_LINE_BREAKS}]")
_NAME_CONTROL_CHARS = UNPRINTABLE
_SHOWN = 80


def _escape(match: re.Match[str]) -> str:
    return repr(match.group())[1:-1]


def escape_controls(text: str) -> str:
    """``text`` with every control, line break and override written as an escape.

    Safe to print: ``\\x1b[31m`` shows as those characters, not as red.

    Examples
    --------
    >>> print(escape_controls("Essen\\x1b[31m\\x00 und\\tKöln\\n"))
    Essen\\x1b[31m\\x00 und\\tKöln\\n
    """
    return _NAME_CONTROL_CHARS.sub(_escape, text)


def shown_value(text: str) -> str:
    """``text`` as a message may quote it: a long text cut to its start.

    Examples
    --------
    >>> len(shown_value("x" * 5000))
    81
    """
    return text if len(text) <= _SHOWN else text[:_SHOWN] + "…"


def cell_problem(text: str, *, name: bool = False) -> tuple[str, str] | None:
    """What is wrong with a cell's text, as ``(message, hint)``, or None.

    ``name`` is true for a cell that names something (one line, at most
    :data:`MAX_NAME_LENGTH` characters). An empty cell is the caller's to judge.

    Examples
    --------
    >>> cell_problem("Stadt Essen", name=True) is None
    True
    >>> cell_problem("Essen\\x1b[31m")[0]
    'holds the control character \\\\x1b, which no text may hold.'
    >>> cell_problem("Stadt\\nEssen", name=True)[0]
    'holds a line break or tab (\\\\n); a name is one line.'
    >>> cell_problem("x" * 301, name=True)[0]
    'is 301 characters long; a name has at most 300.'
    """
    found = _CONTROL_CHARS.search(text)
    if found:
        return (
            f"holds the control character {_escape(found)}, which no text may hold.",
            "Delete it: it is invisible, often left over from copying out of another program.",
        )
    if not name:
        return None
    found = _NAME_CONTROL_CHARS.search(text)
    if found:
        return (
            f"holds a line break or tab ({_escape(found)}); a name is one line.",
            "Write the name on one line, without tabs.",
        )
    if len(text) > MAX_NAME_LENGTH:
        return (
            f"is {len(text)} characters long; a name has at most {MAX_NAME_LENGTH}.",
            "Is a paragraph pasted into this cell? Keep only the name here.",
        )
    return None
