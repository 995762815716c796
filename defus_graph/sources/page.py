"""Read a DEFUS "Projekte" page (German text) into projects and mentions.

The page lists projects under section headings. Each project starts with a
heading "ACRONYM - Title" and may carry lines such as ``Koordinator: Efus``,
``Partner: Terrassa (ES), …``, ``Förderung: EU Internal Security Fund,
€ 630,901.00`` and ``Laufzeit: Oktober 2017 – September 2019``, and prose
stating who takes part. Only what the page states is read: a project meeting
in a city or a person interviewed does not make a partner.

The parser does not decide which organisation a name stands for; it returns
:class:`Mention` objects (the name as written, its country if the page gives
one, the role and the line) for :mod:`defus_graph.ingest` to resolve.
"""

from __future__ import annotations

import re

from ..countries import country_code
from ..errors import DataError, InputError
from ..model import Project
from .facts import Mention, SourceFacts

__all__ = ["Mention", "PageFacts", "parse_page", "programme_name"]


#: The page's facts are the shared kind every source produces.
PageFacts = SourceFacts


_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("januar", "january", "janvier", "jänner"),
            ("februar", "february", "fevrier", "février"),
            ("märz", "maerz", "march", "mars"),
            ("april", "avril"),
            ("mai", "may"),
            ("juni", "june", "juin"),
            ("juli", "july", "juillet"),
            ("august", "aout", "août"),
            ("september", "septembre"),
            ("oktober", "october", "octobre"),
            ("november", "novembre"),
            ("dezember", "december", "decembre", "décembre"),
        ],
        start=1,
    )
    for name in names
}

_SECTION = re.compile(r"^(?P<text>[^:]{0,120}\bProjekte\b[^:]{0,120}?):?\s*$")
_SECTION_ROLE = [
    (re.compile(r"\bvon (?P<org>[\w@.\-]+) koordiniert\b"), "coordinator"),
    (re.compile(r"\ban denen (?P<org>[\w@.\-]+) beteiligt\b"), "participant"),
]
_HEADING = re.compile(
    r"^(?:Projekt\s+)?(?P<acronym>[^\s:]*[A-Za-z][^\s:]*)\s+[-–]\s+(?P<title>\S.*)$"
)
_HEADING_YEARS = re.compile(r"\s*\((?P<start>\d{4})\s*[-–]\s*(?P<end>\d{4})\)\s*$")
_LABEL = re.compile(r"^(?P<label>Koordinator|Partner|Förderung|Laufzeit)\s*:\s*(?P<value>.*)$")
_RANGE = re.compile(
    r"^(?:(?P<m1>[^\W\d_]+)\s+)?(?P<y1>\d{4})\s*[-–]\s*(?:(?P<m2>[^\W\d_]+)\s+)?(?P<y2>\d{4})\b"
)
_DURATION = re.compile(r"Laufzeit von (?P<years>\d+) Jahren\b.*?\bEnde (?P<end>\d{4})")
_TAKE_PART = re.compile(r"\bAus (?P<country>[^\W\d_]+) nehmen an dem Projekt (?P<names>.+?) teil\b")
_JOINT = re.compile(r"\bist eine gemeinsame Initiative (?P<names>.+?)\.\s*$")
_AMOUNT = re.compile(r"€\s*(?P<amount>\d[\d.,\s]*\d)|(?P<amount2>\d[\d.,\s]*\d)\s*(?:€|EUR\b)")
_SHARE = re.compile(r"\((?P<owner>[^()]+?)-Anteil\)")
_PAREN_END = re.compile(r"^(?P<name>.*?)\s*\((?P<inner>[^()]+)\)\s*$")
_AND = re.compile(r"\s+(?:and|und|et|y|e)\s+")

_PROGRAMMES = [
    (re.compile(r"internal security fund|\bisf\b", re.I), "Internal Security Fund"),
    (re.compile(r"erasmus\s*\+", re.I), "Erasmus+"),
    (re.compile(r"justice", re.I), "Justice Programme"),
    (re.compile(r"horizon\s*2020|\bh2020\b", re.I), "Horizon 2020"),
    (re.compile(r"horizon europe", re.I), "Horizon Europe"),
    (
        re.compile(r"rights,? equality and citizenship|\brec\b", re.I),
        "Rights, Equality and Citizenship",
    ),
    (
        re.compile(r"\bcerv\b|citizens, equality, rights and values", re.I),
        "Citizens, Equality, Rights and Values",
    ),
    (re.compile(r"urbact", re.I), "URBACT"),
    (re.compile(r"urban innovative actions|\buia\b", re.I), "Urban Innovative Actions"),
    (re.compile(r"interreg", re.I), "Interreg"),
]

_MIN_PROSE_WORDS = 12


def programme_name(text: str) -> str:
    """The one normalised name of a funding programme.

    Examples
    --------
    >>> programme_name("EU ERASMUS+ Programme")
    'Erasmus+'
    >>> programme_name("EU Internal Security Fund – Police programme")
    'Internal Security Fund'
    """
    for pattern, name in _PROGRAMMES:
        if pattern.search(text):
            return name
    cleaned = re.sub(r"^(?:EU|EU-)\s+", "", text.strip())
    return re.sub(r"\s+(?:programme|program|programm)$", "", cleaned, flags=re.I).strip()


def parse_amount(text: str) -> float:
    """Euros from "630,901.00", "447.597,05" or "86 236,65".

    Examples
    --------
    >>> parse_amount("630,901.00"), parse_amount("447.597,05"), parse_amount("1.000")
    (630901.0, 447597.05, 1000.0)
    """
    digits = re.sub(r"\s", "", text)
    last_sep = max(digits.rfind(","), digits.rfind("."))
    if last_sep >= 0 and len(digits) - last_sep - 1 in (1, 2):
        whole, frac = digits[:last_sep], digits[last_sep + 1 :]
    else:
        whole, frac = digits, ""
    whole = whole.replace(",", "").replace(".", "")
    return float(f"{whole}.{frac or '0'}")


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
    rest = text[pos:].strip(" ,.;")
    if rest:
        found.extend((n, n, "") for n in _split_names(rest))
    return found


class _Block:
    """The lines of one project while it is read."""

    def __init__(self, acronym: str, title: str, line: int, section: str) -> None:
        self.acronym = acronym
        self.title = title
        self.line = line
        self.section = section
        self.description = ""
        self.description_line = 0
        self.start = ""
        self.end = ""
        self.dates_line = 0
        self.programme = ""
        self.funding_eur: float | None = None
        self.funding_scope = ""
        self.funding_share_of = ""
        self.funding_text = ""
        self.funding_line = 0
        self.mentions: list[Mention] = []

    def set_dates(self, start: str, end: str, line: int) -> None:
        if not self.dates_line:
            self.start, self.end, self.dates_line = start, end, line

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

    def project(self, source: str) -> Project:
        return Project(
            acronym=self.acronym,
            title=self.title,
            description=self.description,
            start=self.start,
            end=self.end,
            programme=self.programme,
            funding_eur=self.funding_eur,
            funding_scope=self.funding_scope,
            funding_share_of=self.funding_share_of,
            funding_text=self.funding_text,
            section=self.section,
            source=source,
            line=self.line,
            description_line=self.description_line,
            dates_line=self.dates_line,
            funding_line=self.funding_line,
        )


def _month_date(month: str | None, year: str, source: str, line: int) -> str:
    if not month:
        return year
    number = _MONTHS.get(month.casefold())
    if number is None:
        raise DataError(
            [
                InputError(
                    source,
                    line,
                    None,
                    month,
                    "is no month name I know.",
                    "Write the month in German or English, e.g. Oktober.",
                )
            ]
        )
    return f"{year}-{number:02d}"


def parse_page(text: str, source: str) -> PageFacts:
    """Read the projects and the organisations taking part from a page's text.

    ``source`` names the page in provenance columns and messages. Raises
    :class:`DataError` for a page in which no project can be found.
    """
    facts = PageFacts(source)
    section = ""
    section_role: tuple[str, str, int] | None = None
    block: _Block | None = None
    blocks: list[tuple[_Block, tuple[str, str, int] | None]] = []
    lines = text.splitlines()
    problems: list[InputError] = []
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line:
            continue
        previous_blank = number == 1 or not lines[number - 2].strip()
        heading = _HEADING.match(line) if previous_blank else None
        if heading and not _LABEL.match(line):
            title = heading.group("title").strip()
            acronym = re.sub(r"-Proje[ck]t$", "", heading.group("acronym"))
            block = _Block(acronym, title, number, section)
            years = _HEADING_YEARS.search(title)
            if years:
                block.title = title[: years.start()].strip()
                block.set_dates(years.group("start"), years.group("end"), number)
            blocks.append((block, section_role))
            continue
        sec = _SECTION.match(line)
        if sec and previous_blank and len(line.split()) <= 12:
            section = sec.group("text").strip()
            section_role = None
            for pattern, role in _SECTION_ROLE:
                found = pattern.search(section)
                if found:
                    section_role = (found.group("org"), role, number)
            block = None
            continue
        if block is None:
            continue
        try:
            _read_line(block, line, number, source)
        except DataError as err:
            problems.extend(err.problems)
    if problems:
        raise DataError(problems)
    if not blocks:
        raise DataError(
            [
                InputError(
                    source,
                    None,
                    None,
                    None,
                    "holds no project I can read.",
                    'A project starts with a line such as "BRIDGE - Title".',
                )
            ]
        )
    for b, implied in blocks:
        named = {m.name for m in b.mentions}
        if implied and implied[0] not in named:
            b.mention(implied[0], implied[1], implied[2])
        facts.projects.append(b.project(source))
        facts.mentions.extend(b.mentions)
    return facts


def _read_line(block: _Block, line: str, number: int, source: str) -> None:
    label = _LABEL.match(line)
    if label:
        value = label.group("value").strip()
        kind = label.group("label")
        if kind == "Koordinator":
            name, country, abbreviation = _name_and_paren(value)
            block.mention(
                value, "coordinator", number, country=country, name=name, abbreviation=abbreviation
            )
        elif kind == "Partner":
            for written, name, extra in _partner_groups(value):
                abbreviation = extra[5:] if extra.startswith("abbr:") else ""
                country = "" if abbreviation else extra
                block.mention(
                    written,
                    "partner",
                    number,
                    country=country,
                    name=name,
                    abbreviation=abbreviation,
                )
        elif kind == "Förderung":
            _read_funding(block, value, number)
        elif kind == "Laufzeit":
            found = _RANGE.match(value)
            if not found:
                raise DataError(
                    [
                        InputError(
                            source,
                            number,
                            None,
                            value,
                            "is no period I can read.",
                            'Write it as "Oktober 2017 – September 2019".',
                        )
                    ]
                )
            block.set_dates(
                _month_date(found.group("m1"), found.group("y1"), source, number),
                _month_date(found.group("m2"), found.group("y2"), source, number),
                number,
            )
        return
    duration = _DURATION.search(line)
    if duration:
        end = int(duration.group("end"))
        block.set_dates(str(end - int(duration.group("years")) + 1), str(end), number)
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
    amount = _AMOUNT.search(value)
    programme_text = value[: amount.start()] if amount else value
    programme_text = _SHARE.sub("", programme_text).strip(" ,;")
    block.programme = programme_name(programme_text)
    if amount:
        block.funding_eur = parse_amount(amount.group("amount") or amount.group("amount2"))
        share = _SHARE.search(value)
        if share:
            block.funding_scope = "partner_share"
            block.funding_share_of = share.group("owner").strip()
        else:
            block.funding_scope = "total"
