"""The words every reader shares: months, amounts, programmes, municipal names, kinds, cells.

Plain data and pure functions, so that the page, the spreadsheets, CORDIS and
the duplicate finder read "Okt. 2017", "€ 98.450,50" or "Gemeente Rotterdam"
the same way. Nothing here reads a file or knows a source's layout; it imports
only :mod:`.resolve_text` (as :mod:`.errors` and :mod:`.model`, it sits at the
bottom of the package).

What a cell may hold (:func:`cell_problem`)
-------------------------------------------
No text holds a control character (C0 ``\\x00``–``\\x1f`` but tab, line feed
and carriage return; DEL ``\\x7f``; C1 ``\\x80``–``\\x9f``) nor a bidirectional
override or isolate (U+202A–U+202E, U+2066–U+2069), which reorder what a
terminal shows. A *name* (a project's acronym, an organisation, a city, an
alias, a title) is one line: it holds no tab or line break either, and at most
:data:`MAX_NAME_LENGTH` characters. Longer text in a name cell is a pasted
paragraph, which shrinks the drawing to a dot.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .normal import normalise

__all__ = [
    "KIND_WORDS",
    "MONTHS",
    "MUNICIPAL_PREFIXES",
    "MUNICIPAL_SUFFIXES",
    "PROGRAMMES",
    "Amount",
    "find_amount",
    "kind_from_name",
    "month_number",
    "municipal_core",
    "parse_amount",
    "programme_name",
]

# --- months -------------------------------------------------------------------------------

#: Month names and abbreviations (German, English, French) as :func:`month_number`
#: compares them: accents dropped, case ignored, no final dot.
MONTHS: dict[str, int] = {
    normalise(word): number
    for number, words in enumerate(
        [
            ("januar", "jänner", "january", "janvier", "jan", "jän", "janv"),
            ("februar", "feber", "february", "février", "feb", "febr", "fév", "févr"),
            ("märz", "maerz", "march", "mars", "mär", "mrz", "mar"),
            ("april", "avril", "apr", "avr"),
            ("mai", "may"),
            ("juni", "june", "juin", "jun"),
            ("juli", "july", "juillet", "jul", "juil"),
            ("august", "août", "aug"),
            ("september", "septembre", "sep", "sept"),
            ("oktober", "october", "octobre", "okt", "oct"),
            ("november", "novembre", "nov"),
            ("dezember", "december", "décembre", "dez", "dec", "déc"),
        ],
        start=1,
    )
    for word in words
}


def month_number(word: str) -> int | None:
    """The month (1–12) a name or abbreviation stands for, or None.

    Examples
    --------
    >>> month_number("Okt."), month_number("SEPT"), month_number("févr."), month_number("Jan")
    (10, 9, 2, 1)
    >>> month_number("März"), month_number("Maerz"), month_number("décembre")
    (3, 3, 12)
    >>> month_number("Montag") is None
    True
    """
    return MONTHS.get(normalise(word).removesuffix("."))


# --- amounts ------------------------------------------------------------------------------

_CURRENCY = re.compile(r"€|\b(?:EUR|Euros?)\b", re.I)
_SPACES = re.compile(r"[\s\u00a0\u202f']")
_NUMBER = re.compile(r"^[+-]?[\d.,]+$")
_GROUPED = re.compile(r"\d{1,3}(?:[.,]\d{3})+")
_DASH_CENTS = re.compile(r"[.,]-{1,2}$")  # "1.000,-": German for no cents


def parse_amount(text: str, *, decimal: str | None = None) -> float:
    """A number as people write amounts: "€ 98.450,50", "€2,400,000.00", "EUR 5000".

    The one set of decimal rules every reader uses:

    - a currency sign or word (``€``, ``EUR``, ``Euro``), spaces (also
      non-breaking) and apostrophes (Swiss thousands) are ignored; "1.000,-"
      is a thousand;
    - when both "." and "," occur, the last is the decimal mark and the other
      must group thousands ("1.234,5" yes, "1.23,4" no);
    - one mark repeated groups thousands ("1.250.000");
    - a lone mark is decimal ("3749712,5"), unless it is followed by exactly
      three digits after at most three ("1.250"): then ``decimal`` decides.
      ``decimal`` is the file's decimal mark when the file tells (a German CSV
      file with ";" writes ","); None (a page, which states euros with cents)
      reads such a mark as grouping thousands.

    Raises ``ValueError`` for anything else, including a note after the
    number (see :func:`find_amount` for amounts inside text).

    Examples
    --------
    >>> parse_amount("€ 98.450,50"), parse_amount("€2,400,000.00"), parse_amount("86 236,65")
    (98450.5, 2400000.0, 86236.65)
    >>> parse_amount("1.000"), parse_amount("EUR 5000"), parse_amount("1.000,- €")
    (1000.0, 5000.0, 1000.0)
    >>> parse_amount("1.250", decimal=","), parse_amount("1.250", decimal=".")
    (1250.0, 1.25)
    >>> parse_amount("1,250", decimal=","), parse_amount("-9.14"), parse_amount("0,500")
    (1.25, -9.14, 0.5)
    >>> parse_amount("1.2.3")
    Traceback (most recent call last):
    ValueError: '1.2.3' is not a number
    """
    cleaned = _SPACES.sub("", _CURRENCY.sub("", text))
    cleaned = _DASH_CENTS.sub("", cleaned)
    if not _NUMBER.match(cleaned) or not any(ch.isdigit() for ch in cleaned):
        raise ValueError(f"{text!r} is not a number")
    sign = -1.0 if cleaned.startswith("-") else 1.0
    cleaned = cleaned.lstrip("+-")
    marks = [ch for ch in cleaned if ch in ".,"]
    mark = ""
    if "." in marks and "," in marks:
        mark = cleaned[max(cleaned.rfind("."), cleaned.rfind(","))]
        group = "," if mark == "." else "."
        whole_part = cleaned[: cleaned.rfind(mark)]
        if marks.count(mark) > 1 or not re.fullmatch(rf"\d{{1,3}}(?:\{group}\d{{3}})+", whole_part):
            raise ValueError(f"{text!r} is not a number")
    elif len(marks) > 1:
        if not _GROUPED.fullmatch(cleaned) or len(set(marks)) > 1:
            raise ValueError(f"{text!r} is not a number")
    elif marks:
        lone = marks[0]
        at = cleaned.index(lone)
        grouped = len(cleaned) - at - 1 == 3 and 1 <= at <= 3 and cleaned[0] != "0"
        mark = lone if not grouped or decimal == lone else ""
    whole, _, frac = cleaned.rpartition(mark) if mark else (cleaned, "", "")
    whole = whole.replace(".", "").replace(",", "")
    if mark and not re.fullmatch(r"\d*", frac):
        raise ValueError(f"{text!r} is not a number")
    return sign * float(f"{whole or '0'}.{frac or '0'}")


@dataclass(frozen=True)
class Amount:
    """An amount found in text: its value and where it stands (``text[start:end]``)."""

    value: float
    start: int
    end: int


_AMOUNT_IN_TEXT = re.compile(
    r"(?:€|\bEUR\b)\s*(?P<before>\d(?:[\d.,]|[ \u00a0\u202f](?=\d{3}\b))*\d)"
    r"|(?P<after>\d(?:[\d.,]|[ \u00a0\u202f](?=\d{3}\b))*\d)\s*(?:€|EUR\b|Euro\b)",
    re.I,
)


def find_amount(text: str) -> Amount | None:
    """The first amount in euros inside ``text`` (a sign or word before or after it).

    A note in brackets after it ("(Efus-Anteil)") is the caller's to read.

    Examples
    --------
    >>> find_amount("EU Internal Security Fund, €121,000.00 (Efus-Anteil)")
    Amount(value=121000.0, start=27, end=38)
    >>> find_amount("Erasmus+, 86 236,65 €").value, find_amount("EUR 5000 in total").value
    (86236.65, 5000.0)
    >>> find_amount("Erasmus+ 2014") is None
    True
    """
    for match in _AMOUNT_IN_TEXT.finditer(text):
        digits = match.group("before") or match.group("after")
        try:
            value = parse_amount(digits)
        except ValueError:
            continue
        return Amount(value, match.start(), match.end())
    return None


# --- programmes ---------------------------------------------------------------------------

#: Funding programmes: a pattern that recognises one however it is written, and its name.
PROGRAMMES: tuple[tuple[re.Pattern[str], str], ...] = (
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
)


def programme_name(text: str) -> str:
    """The one normalised name of a funding programme.

    A programme this vocabulary does not know keeps its name, without "EU" in
    front or "programme" behind.

    Examples
    --------
    >>> programme_name("EU ERASMUS+ Programme")
    'Erasmus+'
    >>> programme_name("EU Internal Security Fund – Police programme")
    'Internal Security Fund'
    >>> programme_name("Bundesministerium des Innern Programm")
    'Bundesministerium des Innern'
    """
    for pattern, name in PROGRAMMES:
        if pattern.search(text):
            return name
    cleaned = re.sub(r"^(?:EU|EU-)\s+", "", text.strip())
    return re.sub(r"\s+(?:programme|program|programm)$", "", cleaned, flags=re.I).strip()


# --- municipal names and kinds ------------------------------------------------------------

#: Words before a place's name that make the name its municipality's ("Stadt Köln").
MUNICIPAL_PREFIXES: tuple[str, ...] = (
    "Stadt",
    "Landeshauptstadt",
    "Hansestadt",
    "Freie und Hansestadt",
    "Stadtverwaltung",
    "City of",
    "Town of",
    "Municipality of",
    "Ville de",
    "Ville d'",
    "Commune de",
    "Mairie de",
    "Comune di",
    "Gemeente",
    "Municipio de",
    "Municipio do",
    "Município de",
    "Município do",
    "Câmara Municipal de",
    "Câmara Municipal do",
    "Ayuntamiento de",
    "Ajuntament de",
    "Concello de",
    "Gmina",
    "Miasto",
    "Dimos",
    "Kommune",
)

#: Words after a place's name that make the name its municipality's ("Malmö stad").
MUNICIPAL_SUFFIXES: tuple[str, ...] = (
    "City Council",
    "Council",
    "Municipality",
    "Kommune",
    "Kommun",
    "Stad",
)


def _alternatives(words: tuple[str, ...]) -> str:
    keys = sorted({normalise(w) for w in words}, key=len, reverse=True)
    return "|".join(re.escape(k) for k in keys)


_PREFIX = re.compile(rf"^(?:the\s+)?(?:{_alternatives(MUNICIPAL_PREFIXES)})(?:\s+|(?<='))")
_SUFFIX = re.compile(rf"\s+(?:{_alternatives(MUNICIPAL_SUFFIXES)})$")


@lru_cache(maxsize=1 << 17)
def municipal_core(name: str) -> str | None:
    """The place a municipal name stands for, normalised ("Stadt Köln" -> "koln"), else None.

    Examples
    --------
    >>> municipal_core("GEMEENTE ROTTERDAM"), municipal_core("City of Malaga")
    ('rotterdam', 'malaga')
    >>> municipal_core("Câmara Municipal de Lisboa"), municipal_core("Ville d'Ivry")
    ('lisboa', 'ivry')
    >>> municipal_core("Rotterdam") is None
    True
    """
    text = normalise(name)
    core = _SUFFIX.sub("", _PREFIX.sub("", text))
    return core if core != text and core else None


#: Words in a "kind" column and the kind each stands for (besides the kinds' own names).
KIND_WORDS: dict[str, str] = {
    "stadt": "city",
    "kommune": "city",
    "gemeinde": "city",
    "municipality": "city",
    "ville": "city",
    "region": "region",
    "land": "region",
    "bundesland": "region",
    "ministerium": "ministry",
    "behörde": "public body",
    "public authority": "public body",
    "polizei": "police",
    "ngo": "NGO",
    "verein": "NGO",
    "stiftung": "foundation",
    "universität": "university",
    "hochschule": "university",
    "forschungsinstitut": "research institute",
    "netzwerk": "network",
    "sportverband": "sports body",
    "unternehmen": "company",
    "firma": "company",
    "sonstige": "other",
}

# Only words that make the kind certain; anything else stays unknown.
_KIND_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\b(?:Universit(?:y|ät|é|à|at|eit)|Hochschule)\b", re.I), "university"),
    (
        re.compile(
            r"\b(?:Ministry|Ministerium|Minist[eé]rio|Ministerio|Ministère|Ministero)\b", re.I
        ),
        "ministry",
    ),
    (re.compile(r"^(?:Region|Regione|Región|Région)\b", re.I), "region"),
    (re.compile(r"\b(?:Foundation|Fondation|Stiftung|Fondazione|Fundación)\b", re.I), "foundation"),
)


def kind_from_name(name: str) -> str:
    """The kind a name makes certain ("City of X" is a city), else "".

    A name is a city's when it starts with one of :data:`MUNICIPAL_PREFIXES`.

    Examples
    --------
    >>> kind_from_name("University of Salford"), kind_from_name("Regione Emilia Romagna")
    ('university', 'region')
    >>> kind_from_name("Landeshauptstadt Düsseldorf"), kind_from_name("Gmina Miasto Gdańsk")
    ('city', 'city')
    >>> kind_from_name("Reggio Emilia"), kind_from_name("Stadtwerke München")
    ('', '')
    """
    if _PREFIX.match(normalise(name)):
        return "city"
    for pattern, kind in _KIND_PATTERNS:
        if pattern.search(name):
            return kind
    return ""
