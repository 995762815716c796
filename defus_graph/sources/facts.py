"""What every source states, in one shape: projects and mentions with provenance.

Each reader (:mod:`.page`, :mod:`.tables`, :mod:`.cordis`) ends in a
:class:`SourceFacts`; :func:`defus_graph.ingest.merge_facts` alone decides which
organisation a mention stands for. A reader never merges two names.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import MISSING, dataclass, field, fields
from operator import attrgetter
from typing import Any, TypeVar, overload

from ..model import Alias, Project

__all__ = [
    "MENTION_FIELDS",
    "Mention",
    "MentionColumns",
    "SourceFacts",
    "mention_columns",
    "record_of",
    "records_of_rows",
]


@dataclass(frozen=True)
class Mention:
    """One organisation named as taking part in one project.

    ``line`` is where the source states it; ``source`` names the file when it is
    not the facts' own (a CORDIS ``organization.csv`` beside its ``project.csv``).
    The optional facts (``pic``, ``kind``, ``city``, coordinates, the EU
    contribution, a ``note`` on the organisation) fill only what the
    organisation does not know yet.
    """

    project: str
    name: str
    role: str
    line: int
    name_as_written: str
    country: str = ""
    abbreviation: str = ""
    pic: str = ""
    kind: str = ""
    city: str = ""
    latitude: float | None = None
    longitude: float | None = None
    contribution_eur: float | None = None
    source: str = ""
    note: str = ""


#: The fields of a :class:`Mention`, in its order.
MENTION_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(Mention))


class MentionColumns(Sequence[Mention]):
    """Mentions held a field at a time, each :class:`Mention` made only when asked for.

    A large export (CORDIS: 200,000 rows) states its mentions column by column;
    :func:`defus_graph.ingest.merge_facts` reads them so, without a record per row.

    Parameters
    ----------
    columns : each field's values, one per mention; a field left out holds its
        default everywhere.

    Examples
    --------
    >>> ms = MentionColumns({"project": ["A"], "name": ["Rotterdam"], "role": ["partner"],
    ...                      "line": [2], "name_as_written": ["Rotterdam"]})
    >>> ms[0] == Mention("A", "Rotterdam", "partner", 2, "Rotterdam")
    True
    """

    def __init__(self, columns: Mapping[str, Sequence[Any]]) -> None:
        size = len(columns["project"])
        self.columns: dict[str, Sequence[Any]] = {}
        for f in fields(Mention):
            values = columns.get(f.name)
            if values is None:
                values = [f.default] * size if f.default is not MISSING else None
            if values is None or len(values) != size:
                raise ValueError(f"column {f.name!r} must hold {size} values")
            self.columns[f.name] = values

    def __len__(self) -> int:
        return len(self.columns["project"])

    @overload
    def __getitem__(self, index: int) -> Mention: ...

    @overload
    def __getitem__(self, index: slice) -> list[Mention]: ...

    def __getitem__(self, index: int | slice) -> Mention | list[Mention]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        return record_of(Mention, [values[index] for values in self.columns.values()])

    def __iter__(self) -> Iterator[Mention]:
        return map(Mention, *self.columns.values())

    def __eq__(self, other: object) -> bool:
        """Equal to the same mentions, held by columns or in a list, as a list is."""
        if isinstance(other, MentionColumns):
            return {k: list(v) for k, v in self.columns.items()} == {
                k: list(v) for k, v in other.columns.items()
            }
        if isinstance(other, list):
            return list(self) == other
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # mutable columns, as a list's


def mention_columns(mentions: Sequence[Mention]) -> dict[str, Sequence[Any]]:
    """Each field of ``mentions``, a column per field (:data:`MENTION_FIELDS`)."""
    if isinstance(mentions, MentionColumns):
        return mentions.columns
    return {name: list(map(attrgetter(name), mentions)) for name in MENTION_FIELDS}


_R = TypeVar("_R")


def records_of_rows(record_type: type[_R], rows: Iterable[Sequence[Any]]) -> list[_R]:
    """``[record_type(*row) for row in rows]``, each row holding every field in order.

    For the frozen records of :mod:`defus_graph.model` (no ``__post_init__``):
    each record holds its fields as ``__init__`` sets them, set at once rather
    than by an ``object.__setattr__`` per field, which costs half the time of
    reading a CORDIS project file.

    Examples
    --------
    >>> records_of_rows(Alias, [("EFUS", "Efus", "page.txt", 3, "")])
    [Alias(alias='EFUS', organisation='Efus', source='page.txt', line=3, note='')]
    """
    names = _settable_fields(record_type)  # type: ignore[arg-type]  # a class is hashable
    if names is None:
        return [record_type(*row) for row in rows]
    new = object.__new__
    out: list[_R] = []
    add = out.append
    for row in rows:
        record = new(record_type)
        record.__dict__.update(zip(names, row, strict=True))
        add(record)
    return out


def record_of(record_type: type[_R], values: Sequence[Any]) -> _R:
    """``record_type(*values)``, made as :func:`records_of_rows` makes each record: a
    merge makes one per organisation, of which a programme has a hundred thousand.

    Examples
    --------
    >>> record_of(Alias, ("EFUS", "Efus", "page.txt", 3, ""))
    Alias(alias='EFUS', organisation='Efus', source='page.txt', line=3, note='')
    """
    names = _settable_fields(record_type)  # type: ignore[arg-type]  # a class is hashable
    if names is None:
        return record_type(*values)
    record = object.__new__(record_type)
    record.__dict__.update(zip(names, values, strict=True))
    return record


@functools.cache
def _settable_fields(record_type: type) -> tuple[str, ...] | None:
    """The fields of a record type its records may be given at once, or None (a
    ``__post_init__`` or ``__slots__``: only ``__init__`` makes its records)."""
    if hasattr(record_type, "__post_init__") or hasattr(record_type, "__slots__"):
        return None
    return tuple(f.name for f in fields(record_type))


@dataclass
class SourceFacts:
    """What one input (a page, a sheet, a CORDIS pair) states.

    Parameters
    ----------
    source : the name facts are filed under; re-reading the same input replaces them.
    projects : the projects, in the input's order.
    mentions : who takes part in which project (a list, or :class:`MentionColumns`).
    aliases : other names the input gives for organisations.
    notes : things the user should hear about (a guessed encoding, skipped rows).
    replaces : every source name whose earlier facts this input replaces;
        ``{source}`` when left empty.
    lines : the input's text, line by line, for a source read line by line (a
        page), so that a reading report can show the lines read as nothing.
    """

    source: str
    projects: list[Project] = field(default_factory=list)
    mentions: Sequence[Mention] = field(default_factory=list)
    aliases: list[Alias] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    replaces: frozenset[str] = frozenset()
    lines: tuple[str, ...] = ()

    def replaced_sources(self) -> frozenset[str]:
        """The source names whose earlier facts give way to these."""
        return self.replaces or frozenset({self.source})
