"""What every source states, in one shape: projects and mentions with provenance.

Each reader (:mod:`.page`, :mod:`.tables`, :mod:`.cordis`) ends in a
:class:`SourceFacts`; :func:`defus_graph.ingest.merge_facts` alone decides which
organisation a mention stands for. A reader never merges two names.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..model import Alias, Project

__all__ = ["Mention", "SourceFacts"]


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


@dataclass
class SourceFacts:
    """What one input (a page, a sheet, a CORDIS pair) states.

    Parameters
    ----------
    source : the name facts are filed under; re-reading the same input replaces them.
    projects : the projects, in the input's order.
    mentions : who takes part in which project.
    aliases : other names the input gives for organisations.
    notes : things the user should hear about (a guessed encoding, skipped rows).
    replaces : every source name whose earlier facts this input replaces;
        ``{source}`` when left empty.
    lines : the input's text, line by line, for a source read line by line (a
        page), so that a reading report can show the lines read as nothing.
    """

    source: str
    projects: list[Project] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    aliases: list[Alias] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    replaces: frozenset[str] = frozenset()
    lines: tuple[str, ...] = ()

    def replaced_sources(self) -> frozenset[str]:
        """The source names whose earlier facts give way to these."""
        return self.replaces or frozenset({self.source})
