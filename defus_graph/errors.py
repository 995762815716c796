"""Errors for bad input: each says where, what was found and what to do.

The core raises these; the command line and the dashboard turn them into plain
messages at the edge, so no traceback ever reaches a user.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .cells import escape_controls

__all__ = ["DataError", "DefusGraphError", "InputError", "NotFoundError", "one_problem"]


class DefusGraphError(Exception):
    """Base class of every error this package raises on purpose."""


@dataclass(frozen=True)
class InputError:
    """One problem in one input file, located as precisely as the file allows.

    Parameters
    ----------
    file : the file's path as the user named it.
    line : 1-based physical line number, or ``None`` for a problem of the whole file.
    column : the column's header name (tables) or ``None``.
    value : the offending value as found, or ``None``.
    message : what is wrong.
    hint : what to do about it.

    Its text never holds a control character, line break or bidirectional
    override raw (they are written as escapes such as ``\\x1b``), so printing
    it cannot recolour or rearrange a terminal.

    Examples
    --------
    >>> print(InputError("a.csv", 2, "Organisation", "Essen\\x1b[31m", "holds ...", ""))
    a.csv, line 2, column "Organisation": "Essen\\x1b[31m": holds ...
    """

    file: str
    line: int | None
    column: str | None
    value: str | None
    message: str
    hint: str = ""

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f", line {self.line}"
        if self.column is not None:
            where += f', column "{self.column}"'
        text = f"{where}: "
        if self.value is not None:
            text += f'"{self.value}": '
        text += self.message
        if self.hint:
            text += f" {self.hint}"
        return escape_controls(text)

    def as_dict(self) -> dict[str, object]:
        """The problem as a JSON-ready mapping."""
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "value": self.value,
            "message": self.message,
            "hint": self.hint,
        }


class DataError(DefusGraphError):
    """Input that cannot be used as it is; carries every problem found at once."""

    def __init__(self, problems: Iterable[InputError]) -> None:
        self.problems: tuple[InputError, ...] = tuple(problems)
        count = len(self.problems)
        head = f"{count} problem{'s' if count != 1 else ''} found:"
        super().__init__("\n".join([head, *(f"- {p}" for p in self.problems)]))


def one_problem(
    file: str,
    message: str,
    hint: str = "",
    *,
    line: int | None = None,
    column: str | None = None,
    value: str | None = None,
) -> DataError:
    """One located problem, ready to raise.

    Examples
    --------
    >>> print(one_problem("a.csv", "is empty.", "Save it again.", line=3))
    1 problem found:
    - a.csv, line 3: is empty. Save it again.
    """
    return DataError([InputError(file, line, column, value, message, hint)])


class NotFoundError(DefusGraphError):
    """A name the user asked for is not in the data; carries the closest matches."""

    def __init__(self, what: str, name: str, suggestions: Iterable[str] = ()) -> None:
        self.name = name
        self.suggestions: tuple[str, ...] = tuple(suggestions)
        text = f'No {what} named "{escape_controls(name)}".'
        if self.suggestions:
            text += " Did you mean " + ", ".join(f'"{s}"' for s in self.suggestions) + "?"
        super().__init__(text)
