"""The values the ``defus-graph`` command takes, each checked as the command line is read.

Every function here is an ``argparse`` type: it turns the text typed into the
value a command uses, or raises :class:`argparse.ArgumentTypeError` with a
sentence that says what was expected, so that a wrong value ends in argparse's
usage message and exit status 2 before anything is read or written. What
depends on the files' content (a data folder's tables, an input file's format)
is checked by the command and ends in status 1.

Paths are checked for their kind (a folder where a file is to be written is a
mistake in the command line); each path type says its role in its name, and
the tests generate wrong values from that role.
"""

from __future__ import annotations

import argparse
import codecs
import math
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import DefusGraphError
from .names.countries import country_filter

if TYPE_CHECKING:
    from .analysis.compare import Period

__all__ = [
    "alpha",
    "at_least",
    "country",
    "encoding",
    "fraction",
    "input_dir",
    "input_file",
    "output_dir",
    "output_file",
    "period",
    "port",
    "year",
]


def _integer(text: str) -> int:
    try:
        return int(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f'"{text}" is not a whole number.') from None


def _number(text: str) -> float:
    try:
        value = float(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f'"{text}" is not a number.') from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f'"{text}" is not a finite number.')
    return value


def at_least(minimum: int) -> Callable[[str], int]:
    """A whole number of ``minimum`` or more (counts such as ``--min`` and ``--top``).

    Examples
    --------
    >>> at_least(1)("3")
    3
    >>> at_least(1)("0")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: must be 1 or more, not 0.
    """

    def whole_number(text: str) -> int:
        value = _integer(text)
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be {minimum} or more, not {value}.")
        return value

    whole_number.minimum = minimum  # type: ignore[attr-defined]
    return whole_number


def year(text: str) -> int:
    """A calendar year from 1 to 9999, as written in project dates."""
    value = _integer(text)
    if not 1 <= value <= 9999:
        raise argparse.ArgumentTypeError(f"is a year from 1 to 9999, not {value}.")
    return value


def port(text: str) -> int:
    """A TCP port from 1 to 65535."""
    value = _integer(text)
    if not 1 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"is a port from 1 to 65535, such as 8501, not {value}.")
    return value


def fraction(text: str) -> float:
    """A number from 0 to 1 (a score threshold)."""
    value = _number(text)
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError(f"is a number from 0 to 1, such as 0.5, not {text}.")
    return value


def alpha(text: str) -> float:
    """A significance level above 0 and at most 1, such as 0.05."""
    value = _number(text)
    if not 0 < value <= 1:
        raise argparse.ArgumentTypeError(
            f"is a significance level above 0 and at most 1, such as 0.05, not {text}."
        )
    return value


def encoding(text: str) -> str:
    """The name of a text encoding Python knows (``utf-8``, ``cp1252``, ``latin-1``)."""
    try:
        codecs.lookup(text)
    except LookupError:
        raise argparse.ArgumentTypeError(
            f'"{text}" is no text encoding this tool knows; use utf-8, or cp1252 for files '
            "saved by Excel on Windows."
        ) from None
    return text


def country(text: str) -> str:
    """A country as a code or a name, in any case (``DE``, ``de``, ``Germany``,
    ``Deutschland``); the ISO code is returned."""
    try:
        return country_filter(text)
    except DefusGraphError as err:
        raise argparse.ArgumentTypeError(str(err)) from None


def period(text: str) -> Period:
    """A period of years, ``2014-2017``, or one year, ``2019``."""
    # compare pulls in networkx and scipy: imported only when a period is read.
    from .analysis.compare import parse_period

    try:
        return parse_period(text)
    except DefusGraphError as err:
        raise argparse.ArgumentTypeError(str(err)) from None


def input_file(text: str) -> Path:
    """A file to read. Whether it exists and what it holds is the command's to say
    (a data problem, status 1), for every file at once."""
    return Path(text)


def input_dir(text: str) -> Path:
    """A data folder to read; the command says what is wrong with it, as for
    :func:`input_file`."""
    return Path(text)


def _writable_folder(folder: Path, path: Path) -> None:
    if not folder.exists():
        raise argparse.ArgumentTypeError(
            f"cannot write {path}: the folder {folder} does not exist."
        )
    if not folder.is_dir():
        raise argparse.ArgumentTypeError(f"cannot write {path}: {folder} is a file, not a folder.")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise argparse.ArgumentTypeError(f"cannot write {path}: the folder {folder} is read-only.")


def output_file(text: str) -> Path:
    """A file to write: not a folder, in a folder that exists and can be written."""
    path = Path(text)
    if not text.strip():
        raise argparse.ArgumentTypeError("is empty; give the name of the file to write.")
    if path.is_dir():
        raise argparse.ArgumentTypeError(
            f"{path} is a folder; give the name of a file to write in it, such as "
            f"{path / 'network.gexf'}."
        )
    _writable_folder(path.parent, path)
    return path


def output_dir(text: str) -> Path:
    """A data folder to write: an existing folder, or a new one in a folder that exists."""
    path = Path(text)
    if not text.strip():
        raise argparse.ArgumentTypeError("is empty; give the name of the data folder to write.")
    if path.exists() and not path.is_dir():
        raise argparse.ArgumentTypeError(
            f"{path} is a file; give a folder, new or holding a data folder's tables."
        )
    # A new folder is made with its missing parents: the nearest existing one must do.
    nearest = path.absolute()
    while not nearest.exists() and nearest != nearest.parent:
        nearest = nearest.parent
    _writable_folder(nearest, path)
    return path
