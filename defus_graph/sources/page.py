"""Read a DEFUS "Projekte" page (German text) into projects and mentions.

The page is read by its structure, not by one page's spellings. Every
non-blank line is one of:

- a *field*: ``Koordinator:``, ``Partner:``, ``Förderung:`` or ``Laufzeit:``
  (also ``Koordinatorin:``, ``Koordination:``, ``Projektpartner:``,
  ``Finanzierung:``, ``Projektlaufzeit:``);
- a *link* line: "Weitere Informationen …", "Website des Projekts", "Zur
  Projektseite", "Projekt Flyer", "Pressemitteilung …", … (:data:`LINK_WORDS`);
- a *section* heading: after a blank line, a short line ending in ":" or one
  naming "Projekte" (or "Projects", "Projets", "Vorhaben");
- a *project heading*: after a blank line, a title line that is no sentence
  (see :func:`read_heading` for its shapes);
- *text*: anything else.

A project's lines are those from its heading to the next heading or section.
Only what the page states is read: a project meeting in a city or a person
interviewed does not make a partner. A line that could belong to two projects
is a problem, never a guess: a second ``Koordinator:``, ``Partner:``,
``Laufzeit:`` or ``Förderung:`` in one project, a field or a statement after
the links that close a project, a field or link outside any project, a line
with no label right under a field, and dates that disagree.

The parser does not decide which organisation a name stands for; it returns
:class:`Mention` objects (the name as written, its country if the page gives
one, the role and the line) for :mod:`defus_graph.ingest` to resolve.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..cells import cell_problem, shown_value
from ..errors import DataError, InputError, one_problem
from ..model import Project
from ..names.countries import country_code
from ..names.vocabulary import find_amount, month_number, programme_name
from .facts import Mention, SourceFacts

__all__ = [
    "LINK_WORDS",
    "Heading",
    "Mention",
    "PageFacts",
    "parse_page",
    "read_heading",
]


#: The page's facts are the shared kind every source produces.
PageFacts = SourceFacts

#: How a link line starts: such a line is never a project, nor a fact.
LINK_WORDS: tuple[str, ...] = (
    "Weitere Informationen",
    "Mehr Informationen",
    "Mehr Infos",
    "Informationen zu",
    "Informationen über",
    "Website",
    "Webseite",
    "Internetseite",
    "Homepage",
    "Zur Projektseite",
    "Zur Website",
    "Projektseite",
    "Projekt Flyer",
    "Projekt-Flyer",
    "Projektflyer",
    "Flyer",
    "Pressemitteilung",
    "Presseberichterstattung",
    "Pressebericht",
    "Presseartikel",
    "Infobroschüre",
    "Broschüre",
    "Interview",
    "Video",
    "Download",
    "More information",
    "Further information",
    "Project website",
)

_FIELD_LABELS = {
    "Koordinator": "Koordinator",
    "Koordinatorin": "Koordinator",
    "Koordination": "Koordinator",
    "Partner": "Partner",
    "Partnerinnen": "Partner",
    "Projektpartner": "Partner",
    "Förderung": "Förderung",
    "Finanzierung": "Förderung",
    "Laufzeit": "Laufzeit",
    "Projektlaufzeit": "Laufzeit",
}
_FIELD = re.compile(
    r"^(?P<label>" + "|".join(sorted(_FIELD_LABELS, key=len, reverse=True)) + r")\s*:\s*"
    r"(?P<value>.*)$"
)
# As pages write them: "FLYER - Title" is a project called FLYER.
_LINK = re.compile(r"^(?:" + "|".join(re.escape(w) for w in LINK_WORDS) + r")(?:\b|$)")
# "Zielgruppe: Jugendliche": a label of a few words; never a heading.
_LABELLED = re.compile(r"^[^\W\d_][\w.()/-]*(?:\s+[\w.()/-]+){0,2}\s*:\s*\S")
_SECTION_WORD = re.compile(r"\b(?:Projekte|Projects|Projets|Vorhaben)\b", re.IGNORECASE)
_SECTION_ROLE = [
    (re.compile(r"\bvon (?P<org>[\w@.\-]+) koordiniert\b"), "coordinator"),
    (re.compile(r"\bcoordinated by (?P<org>[\w@.\-]+)"), "coordinator"),
    (re.compile(r"\ban denen (?P<org>[\w@.\-]+) beteiligt\b"), "participant"),
    (re.compile(r"\bin which (?P<org>[\w@.\-]+) (?:takes part|participates)\b"), "participant"),
]
# A sentence ends in . ! ? (perhaps inside quotes or brackets), not in "e.V.".
_SENTENCE_END = re.compile(r"[.!?…][\"'”“»«)\]]*$")
_ABBREVIATION_END = re.compile(r"(?:\b\w\.){2,}$")
_HEADING_YEARS = re.compile(r"\s*\((?P<start>\d{4})\s*[-–—]\s*(?P<end>\d{4})\)\s*$")
_PROJECT_WORD = re.compile(r"^(?:Projekt|Project|Projet)\s+(?=\S)")
# Hyphen with spaces on both sides, en dash with a space on one side, em dash as it comes.
_SEPARATOR = re.compile(r"\s+-\s+|\s+–\s*|\s*–\s+|\s*—\s*")
_BRACKET_END = re.compile(r"^(?P<title>.*\S)\s*\((?P<inner>[^()]+)\)$")
_PROJECT_SUFFIX = re.compile(r"-Proje[ck]t$")
_MAX_HEADING_WORDS = 30
_MAX_HEADING_CHARS = 300
_MAX_ACRONYM_WORDS = 3
_MAX_ACRONYM_CHARS = 40

_RANGE = re.compile(
    r"^(?:(?P<m1>[^\W\d_]+\.?)\s+)?(?P<y1>\d{4})\s*[-–—]\s*(?:(?P<m2>[^\W\d_]+\.?)\s+)?"
    r"(?P<y2>\d{4})\b"
)
_DURATION = re.compile(r"Laufzeit von (?P<years>\d+) Jahren\b.*?\bEnde (?P<end>\d{4})")
_TAKE_PART = re.compile(r"\bAus (?P<country>[^\W\d_]+) nehmen an dem Projekt (?P<names>.+?) teil\b")
_JOINT = re.compile(r"\bist eine gemeinsame Initiative (?P<names>.+?)\.\s*$")
_SHARE = re.compile(r"\((?P<owner>[^()]+?)-Anteil\)")
_PAREN_END = re.compile(r"^(?P<name>.*?)\s*\((?P<inner>[^()]+)\)\s*$")
_AND = re.compile(r"\s+(?:and|und|et|y|e)\s+")

_MIN_PROSE_WORDS = 12
_MISSING_HEADING = (
    'Each project starts with its own heading line (e.g. "ACRONYM - Title") after a blank '
    "line: add the missing heading, or write the project's lines under its heading."
)


@dataclass(frozen=True)
class Heading:
    """What a project heading line states.

    ``shaped`` is true when the line's shape alone makes it a project's heading
    (an acronym and a separator, an acronym in brackets, "Projekt X"); a title
    alone heads a project only if its lines hold a field or a participation.
    """

    acronym: str
    title: str
    start: str = ""
    end: str = ""
    shaped: bool = False


def _is_sentence(line: str) -> bool:
    return bool(_SENTENCE_END.search(line)) and not _ABBREVIATION_END.search(line)


def _acronym_like(text: str) -> bool:
    words = text.split()
    return (
        0 < len(words) <= _MAX_ACRONYM_WORDS
        and len(text) <= _MAX_ACRONYM_CHARS
        and any(ch.isalnum() for ch in text)
        and not text.endswith((",", ";", ":"))
    )


def _acronym_in_brackets(text: str) -> bool:
    """ "SAFER", "X 2", "Medi@4Sec" yes; "Pilotphase", "Germany" no."""
    if not _acronym_like(text) or country_code(text):
        return False
    upper = sum(ch.isupper() for ch in text)
    return upper >= 2 or any(ch.isdigit() or ch in "@+&" for ch in text)


def _bare_acronym(word: str) -> bool:
    """ "BRIDGE", "LouD", "Medi@4Sec", "X2" yes; "Sichere", "2024" no."""
    return (
        len(word) >= 2
        and word[0].isalnum()
        and not word.isdigit()
        and (
            sum(ch.isupper() for ch in word) >= 2 or any(ch.isdigit() or ch in "@+&" for ch in word)
        )
    )


def read_heading(line: str) -> Heading:
    """The acronym, title and years a heading line states.

    Shapes, tried in this order after "(2017 - 2020)" at the end is taken as
    the years: "ACRONYM - Title" (hyphen with spaces, en dash, em dash; the
    acronym up to three words), "Title (ACRONYM)", "Projekt ACRONYM", "ACRONYM
    Title" (no separator: one word with two capitals, a digit, "@", "+" or "&");
    anything else is a title alone, which is also the project's name.
    "Projekt " before an acronym and "-Project" after it are dropped.

    Examples
    --------
    >>> read_heading("CCI-Project – Cutting Crime Impact")
    Heading(acronym='CCI', title='Cutting Crime Impact', start='', end='', shaped=True)
    >>> read_heading("Safer Streets Alliance (SAFER) (2019 - 2021)")
    Heading(acronym='SAFER', title='Safer Streets Alliance', start='2019', end='2021', shaped=True)
    >>> read_heading("X 2 — Zweites Projekt").acronym, read_heading("Projekt Solidify").acronym
    ('X 2', 'Solidify')
    >>> read_heading("BRIDGE Building resilience").title
    'Building resilience'
    >>> read_heading("Sichere Plätze für alle")
    Heading(acronym='Sichere Plätze für alle', title='Sichere Plätze für alle', start='', end='', shaped=False)
    """  # noqa: E501
    text = line.strip()
    start = end = ""
    years = _HEADING_YEARS.search(text)
    if years and years.start() > 0:
        start, end = years.group("start"), years.group("end")
        text = text[: years.start()].strip()
    prefix = _PROJECT_WORD.match(text)
    body = text[prefix.end() :] if prefix else text
    separator = _SEPARATOR.search(body)
    if separator and separator.start() > 0:
        left, right = body[: separator.start()].strip(), body[separator.end() :].strip()
        if right and _acronym_like(left):
            acronym = _PROJECT_SUFFIX.sub("", left) or left
            return Heading(acronym, right, start, end, shaped=True)
    bracket = _BRACKET_END.match(body)
    if bracket and _acronym_in_brackets(bracket.group("inner").strip()):
        return Heading(bracket.group("inner").strip(), bracket.group("title"), start, end, True)
    if prefix and _acronym_like(body) and len(body.split()) <= 2:
        return Heading(body, "", start, end, shaped=True)
    first, _, rest = body.partition(" ")
    if rest.strip() and _bare_acronym(first):
        # "BRIDGE Building resilience": no separator, so a title alone for deciding
        # whether it heads a project (see _Reader.heads_project).
        acronym = _PROJECT_SUFFIX.sub("", first) or first
        return Heading(acronym, rest.strip(), start, end, shaped=bool(start))
    return Heading(text, text, start, end, shaped=bool(start))


# --- line kinds -------------------------------------------------------------------------------

_BLANK, _FIELD_LINE, _LINK_LINE, _SECTION_LINE, _HEADING_LINE, _TEXT = range(6)


def _kind(line: str, after_blank: bool) -> int:
    if not line:
        return _BLANK
    if _FIELD.match(line):
        return _FIELD_LINE
    if _LINK.match(line):
        return _LINK_LINE
    if not after_blank or _is_sentence(line):
        return _TEXT
    words = len(line.split())
    if line.endswith(":"):  # a title never ends in a colon; a long one introduces prose
        return _SECTION_LINE if words <= 20 else _TEXT
    heading = None
    if (
        words <= _MAX_HEADING_WORDS
        and len(line) <= _MAX_HEADING_CHARS
        and not _LABELLED.match(line)
    ):
        heading = read_heading(line)
    # "Abgeschlossene Projekte – Archiv" is a section; "SAFE-CITY - Projekte für Plätze" is not.
    if (
        _SECTION_WORD.search(line)
        and words <= 12
        and (heading is None or not heading.shaped or _SECTION_WORD.search(heading.acronym))
    ):
        return _SECTION_LINE
    return _HEADING_LINE if heading is not None else _TEXT


def _looks_like_heading(line: str) -> bool:
    """A line shaped like a project heading, wherever it stands."""
    return (
        not _is_sentence(line)
        and len(line.split()) <= _MAX_HEADING_WORDS
        and not _LABELLED.match(line)
        and read_heading(line).shaped
    )


def _states_participation(line: str) -> bool:
    return bool(_TAKE_PART.search(line) or _JOINT.search(line) or _DURATION.search(line))


# --- names on a line --------------------------------------------------------------------------


def _split_names(text: str) -> list[str]:
    """ "A, B and C" -> ["A", "B", "C"]."""
    parts: list[str] = []
    for chunk in text.split(","):
        parts.extend(p for p in _AND.split(chunk))
    return [p.strip(" .;") for p in parts if p.strip(" .;")]


def _name_and_paren(text: str) -> tuple[str, str, str]:
    """ "University of Warwick (UK)" -> (name, country, abbreviation)."""
    match = _PAREN_END.match(text.strip())
    if not match:
        return text.strip(), "", ""
    inner = match.group("inner").strip()
    code = country_code(inner)
    if code:
        return match.group("name"), code, ""
    return match.group("name"), "", inner


def _partner_groups(text: str) -> list[tuple[str, str, str]]:
    """Split a Partner line into (name as written, name, country) triples.

    Handles both "Terrassa (ES), CD Val d'Oise (FR)" and "City of Malaga and
    Generalitat of Catalonia (Spain), Sarcelles, Avignon and Bagnolet (France)",
    where one country in brackets closes a group of names.
    """
    found: list[tuple[str, str, str]] = []
    pos = 0
    for match in re.finditer(r"\((?P<inner>[^()]+)\)", text):
        group = text[pos : match.start()]
        pos = match.end()
        inner = match.group("inner").strip()
        code = country_code(inner)
        group = re.sub(r"^[\s,.;]*(?:(?:and|und)\s+)?", "", group).strip()
        if code is None:
            # Not a country: an abbreviation belongs to the last name of the group.
            names = _split_names(group)
            found.extend((n, n, "") for n in names[:-1])
            if names:
                found.append((f"{names[-1]} ({inner})", names[-1], f"abbr:{inner}"))
            continue
        found.extend((n, n, code) for n in _split_names(group))
    rest = re.sub(r"^[\s,.;]*(?:(?:and|und)\s+)?", "", text[pos:]).strip(" ,.;")
    if rest:
        found.extend((n, n, "") for n in _split_names(rest))
    return found


# --- one project ------------------------------------------------------------------------------


class _Block:
    """The lines of one project while it is read."""

    def __init__(self, heading: Heading, line: int, section: str) -> None:
        self.acronym = heading.acronym
        self.title = heading.title
        self.line = line
        self.section = section
        self.heading_years = (heading.start, heading.end) if heading.start else None
        self.description = ""
        self.description_line = 0
        self.field_lines: dict[str, int] = {}
        self.links_line = 0
        self.text_before_fields = 0  # the first paragraph above the first field
        self.text_after_fields = 0  # the first paragraph below a field, after text above one
        self.dates: list[tuple[str, str, int, str]] = []  # start, end, line, how stated
        self.programme = ""
        self.funding_eur: float | None = None
        self.funding_scope = ""
        self.funding_share_of = ""
        self.funding_text = ""
        self.funding_line = 0
        self.mentions: list[Mention] = []

    def mention(
        self,
        written: str,
        role: str,
        line: int,
        *,
        country: str = "",
        name: str | None = None,
        abbreviation: str = "",
    ) -> None:
        self.mentions.append(
            Mention(
                self.acronym,
                name if name is not None else written,
                role,
                line,
                written,
                country,
                abbreviation,
            )
        )

    def project(self, source: str, start: str, end: str, dates_line: int) -> Project:
        return Project(
            acronym=self.acronym,
            title=self.title,
            description=self.description,
            start=start,
            end=end,
            programme=self.programme,
            funding_eur=self.funding_eur,
            funding_scope=self.funding_scope,
            funding_share_of=self.funding_share_of,
            funding_text=self.funding_text,
            section=self.section,
            source=source,
            line=self.line,
            description_line=self.description_line,
            dates_line=dates_line,
            funding_line=self.funding_line,
        )


def _month_date(month: str | None, year: str, source: str, line: int) -> str:
    if not month:
        return year
    number = month_number(month)
    if number is None:
        raise one_problem(
            source,
            "is no month name I know.",
            "Write the month in German, English or French, e.g. Oktober or Okt.",
            line=line,
            value=month,
        )
    return f"{year}-{number:02d}"


class _Reader:
    """Reads a page's lines in order, collecting projects, mentions and problems."""

    def __init__(self, text: str, source: str) -> None:
        self.source = source
        self.lines = [raw.strip() for raw in text.splitlines()]
        self.kinds: list[int] = []
        previous = _BLANK
        for line in self.lines:
            kind = _kind(line, previous == _BLANK)
            self.kinds.append(kind)
            previous = kind
        self.problems: list[InputError] = []
        self.section = ""
        self.section_role: tuple[str, str, int] | None = None
        self.block: _Block | None = None
        self.blocks: list[tuple[_Block, tuple[str, str, int] | None]] = []
        self.unspaced_heading = 0  # the last line shaped like a heading but with no blank above
        self.untaken: list[int] = []  # title lines that head no project

    def problem(self, number: int, message: str, hint: str = _MISSING_HEADING) -> None:
        value = shown_value(self.lines[number - 1])
        start = self.block.line if self.block else 0
        if hint is _MISSING_HEADING and start < self.unspaced_heading < number:
            found = self.unspaced_heading
            hint = (
                f'Line {found} ("{shown_value(self.lines[found - 1])}") looks like a project '
                "heading: put a blank line above it."
            )
        self.problems.append(InputError(self.source, number, None, value, message, hint))

    def heads_project(self, index: int) -> bool:
        """Whether the title line at ``index`` (0-based) heads a project of its own."""
        if read_heading(self.lines[index]).shaped:
            return True
        for j in range(index + 1, len(self.lines)):
            kind = self.kinds[j]
            if kind in (_SECTION_LINE, _HEADING_LINE):
                return False
            if kind == _FIELD_LINE or (kind == _TEXT and _states_participation(self.lines[j])):
                return True
        return False

    def read(self) -> None:
        for index, line in enumerate(self.lines):
            number = index + 1
            kind = self.kinds[index]
            if kind == _BLANK:
                continue
            found = cell_problem(line)
            if found:
                self.problem(number, *found)
                continue
            if kind == _SECTION_LINE:
                self.start_section(line, number)
            elif kind == _HEADING_LINE and self.heads_project(index):
                self.block = _Block(read_heading(line), number, self.section)
                self.blocks.append((self.block, self.section_role))
            elif kind == _HEADING_LINE and not _is_sentence(line) and len(line.split()) < 12:
                self.untaken.append(number)  # a title with no fields under it: say so
                self.read_text(line, number)
            elif kind == _FIELD_LINE:
                self.read_field(line, number)
            elif kind == _LINK_LINE:
                self.read_link(number)
            elif index and self.kinds[index - 1] == _FIELD_LINE and not _is_sentence(line):
                self.continued_field(line, number)
            else:
                if index and self.kinds[index - 1] != _BLANK and _looks_like_heading(line):
                    self.unspaced_heading = number
                self.read_text(line, number)

    def start_section(self, line: str, number: int) -> None:
        self.section = line.rstrip(":").strip()
        self.section_role = None
        for pattern, role in _SECTION_ROLE:
            found = pattern.search(self.section)
            if found:
                self.section_role = (found.group("org"), role, number)
        self.block = None

    def read_field(self, line: str, number: int) -> None:
        match = _FIELD.match(line)
        assert match is not None  # the line's kind says so
        label = _FIELD_LABELS[match.group("label")]
        block = self.block
        if block is None:
            self.problem(
                number,
                f"a '{label}:' line outside any project: is a project heading missing "
                f"above line {number}?",
            )
            return
        if block.links_line:
            self.problem(
                number,
                f"a '{label}:' line after the links that close project {block.acronym} "
                f"(line {block.links_line}): is a project heading missing above line {number}?",
            )
            return
        if block.text_after_fields:
            # Text, fields, text, fields: the shape of two projects, not of one.
            after, fields = block.text_after_fields, min(block.field_lines.values())
            self.problem(
                number,
                f"a '{label}:' line in project {block.acronym} after its text (line "
                f"{block.text_before_fields}), its fields (from line {fields}) "
                f"and more text (line {after}): is a project heading missing above line {after}?",
                _MISSING_HEADING + " If it is one project, put its text together above "
                "or between its fields, not both.",
            )
            return
        first = block.field_lines.get(label)
        if first is not None:
            self.problem(
                number,
                f"a second '{label}:' in project {block.acronym} (first at line {first}): "
                f"is a project heading missing above line {number}?",
            )
            return
        block.field_lines[label] = number
        if not match.group("value").strip():
            self.problem(
                number,
                f"'{label}:' is followed by nothing.",
                "Write what it states after the colon, or delete the line.",
            )
            return
        try:
            _read_field(block, label, match.group("value").strip(), number, self.source)
        except DataError as err:
            self.problems.extend(err.problems)

    def continued_field(self, line: str, number: int) -> None:
        """A line with no label right under a field: the field's rest, never silently dropped."""
        if _looks_like_heading(line):
            self.unspaced_heading = number
            self.read_text(line, number)
            return
        above = _FIELD.match(self.lines[number - 2])
        assert above is not None  # the kind of the line above says so
        self.problem(
            number,
            f"a line with no label right under the '{_FIELD_LABELS[above.group('label')]}:' "
            f"line {number - 1}: is it the rest of that line?",
            "Join it to the line above, or put a blank line between them if it is no part of it.",
        )

    def read_link(self, number: int) -> None:
        if self.block is None:
            self.problem(
                number,
                f"a link line outside any project: is a project heading missing above "
                f"line {number}?",
            )
        elif not self.block.links_line:
            self.block.links_line = number

    def read_text(self, line: str, number: int) -> None:
        block = self.block
        states = _states_participation(line)
        if block is None:
            if states:
                self.problem(
                    number,
                    f"a statement about a project outside any project: is a project heading "
                    f"missing above line {number}?",
                )
            return
        # A short note after the links is no one's; a description there is a project's.
        if block.links_line and (states or len(line.split()) >= _MIN_PROSE_WORDS):
            self.problem(
                number,
                f"text after the links that close project {block.acronym} (line "
                f"{block.links_line}): is a project heading missing above line {number}?",
            )
            return
        if len(line.split()) >= _MIN_PROSE_WORDS:
            if not block.field_lines:
                block.text_before_fields = block.text_before_fields or number
            elif block.text_before_fields and not block.text_after_fields:
                block.text_after_fields = number
        _read_prose(block, line, number)

    def facts(self) -> PageFacts:
        mentions: list[Mention] = []
        facts = PageFacts(self.source, mentions=mentions, lines=tuple(self.lines))
        facts.notes.extend(
            f'{self.source}, line {n}: "{shown_value(self.lines[n - 1])}" stands like a title, '
            "but no Koordinator:, Partner:, Förderung: or Laufzeit: follows it, so it is read "
            "as no project."
            for n in self.untaken
        )
        for block, implied in self.blocks:
            start, end, dates_line = self.dates(block)
            if implied and implied[0] not in {m.name for m in block.mentions}:
                other = [m for m in block.mentions if m.role == "coordinator"]
                if implied[1] == "coordinator" and other:
                    self.problem(
                        other[0].line,
                        f"project {block.acronym} is in the section on line {implied[2]}, "
                        f"which says {implied[0]} coordinates it, but this line names "
                        f"{other[0].name}.",
                        "Correct the line, or move the project under the right section.",
                    )
                else:
                    block.mention(implied[0], implied[1], implied[2])
            for m in block.mentions:
                for text in (m.name, m.name_as_written):
                    found = cell_problem(text, name=True)
                    if found:
                        self.problem(m.line, *found)
            facts.projects.append(block.project(self.source, start, end, dates_line))
            mentions.extend(block.mentions)
        return facts

    def dates(self, block: _Block) -> tuple[str, str, int]:
        """The dates of a project; a problem if two statements of them disagree."""
        stated = list(block.dates)
        if block.heading_years:
            stated.insert(0, (*block.heading_years, block.line, "the heading's years"))
        # The most precise statement wins: the Laufzeit field, then the heading, then prose.
        order = {"Laufzeit": 0, "the heading's years": 1}
        stated.sort(key=lambda s: order.get(s[3], 2))
        if not stated:
            return "", "", 0
        start, end, line, how = stated[0]
        for other_start, other_end, other_line, other_how in stated[1:]:
            if (other_start[:4], other_end[:4]) != (start[:4], end[:4]):
                self.problem(
                    max(line, other_line),
                    f"project {block.acronym} runs {start}–{end} by {how} (line {line}) but "
                    f"{other_start}–{other_end} by {other_how} (line {other_line}): is a "
                    f"project heading missing above line {max(line, other_line)}?",
                    "Correct one of the two, or add the missing heading.",
                )
        return start, end, line


def parse_page(text: str, source: str) -> PageFacts:
    """Read the projects and the organisations taking part from a page's text.

    ``source`` names the page in provenance columns and messages.

    Raises
    ------
    DataError
        With every line that cannot be read for certain (see the module's
        description), or for a page in which no project can be found.
    """
    reader = _Reader(text, source)
    reader.read()
    facts = reader.facts()
    if reader.problems:
        raise DataError(sorted(reader.problems, key=lambda p: p.line or 0))
    if not facts.projects:
        raise one_problem(
            source,
            "holds no project I can read.",
            'A project starts with a line such as "BRIDGE - Title" after a blank line.',
        )
    return facts


def _read_field(block: _Block, label: str, value: str, number: int, source: str) -> None:
    if label == "Koordinator":
        name, country, abbreviation = _name_and_paren(value)
        block.mention(
            value, "coordinator", number, country=country, name=name, abbreviation=abbreviation
        )
    elif label == "Partner":
        for written, name, extra in _partner_groups(value):
            abbreviation = extra[5:] if extra.startswith("abbr:") else ""
            country = "" if abbreviation else extra
            block.mention(
                written, "partner", number, country=country, name=name, abbreviation=abbreviation
            )
    elif label == "Förderung":
        _read_funding(block, value, number)
    else:
        found = _RANGE.match(value)
        if not found:
            raise one_problem(
                source,
                "is no period I can read.",
                'Write it as "Oktober 2017 – September 2019".',
                line=number,
                value=value,
            )
        start = _month_date(found.group("m1"), found.group("y1"), source, number)
        end = _month_date(found.group("m2"), found.group("y2"), source, number)
        block.dates.append((start, end, number, "Laufzeit"))


def _read_prose(block: _Block, line: str, number: int) -> None:
    duration = _DURATION.search(line)
    if duration:
        end = int(duration.group("end"))
        start = str(end - int(duration.group("years")) + 1)
        block.dates.append((start, str(end), number, "the text"))
    take_part = _TAKE_PART.search(line)
    if take_part:
        code = country_code(take_part.group("country")) or ""
        for name in _split_names(take_part.group("names")):
            block.mention(name, "participant", number, country=code)
    joint = _JOINT.search(line)
    if joint:
        names = re.sub(r"^(?:des|der|von)\s+", "", joint.group("names").strip())
        for part in re.split(r",\s*(?:des|der|von)\s+|\s+und\s+(?:des|der|von)\s+", names):
            name, country, abbreviation = _name_and_paren(part)
            block.mention(
                part.strip(),
                "partner",
                number,
                country=country,
                name=name,
                abbreviation=abbreviation,
            )
    if not block.description_line and len(line.split()) >= _MIN_PROSE_WORDS:
        block.description, block.description_line = line, number


def _read_funding(block: _Block, value: str, number: int) -> None:
    block.funding_text, block.funding_line = value, number
    amount = find_amount(value)
    programme_text = value[: amount.start] if amount else value
    programme_text = _SHARE.sub("", programme_text).strip(" ,;")
    block.programme = programme_name(programme_text)
    if amount:
        block.funding_eur = amount.value
        share = _SHARE.search(value)
        if share:
            block.funding_scope = "partner_share"
            block.funding_share_of = share.group("owner").strip()
        else:
            block.funding_scope = "total"
