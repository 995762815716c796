"""A test renderer: random projects written as a DEFUS page, with what the page states.

The renderer knows nothing of the parser: it writes pages the way their authors
do (headings of every shape, fields in any order, partner lists with and without
country brackets, prose, link lines, sections) and writes down, line by line,
the facts a reader must find. :func:`pages` is a Hypothesis strategy of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from hypothesis import strategies as st

from defus_graph.names.countries import country_code

# --- vocabulary the renderer draws on ---------------------------------------------------------

UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
LOWER = "abcdefghijklmnopqrstuvwxyzäöüéß"
# Letters in random names; words that split a partner list ("and", "et", …) are avoided below.
SPLITTERS = {"and", "und", "et", "y", "e"}
RESERVED = {"projekt", "project", "projet", "projekte", "projects", "projets", "vorhaben"}

#: (as written, expected programme name)
PROGRAMMES = [
    ("EU Internal Security Fund", "Internal Security Fund"),
    ("EU Internal Security Fund – Police programme", "Internal Security Fund"),
    ("EU ERASMUS+ Programme", "Erasmus+"),
    ("EU Justice Programme", "Justice Programme"),
    ("EU Horizon 2020 Programme", "Horizon 2020"),
    ("Horizon Europe", "Horizon Europe"),
    ("URBACT", "URBACT"),
]
#: (as written, month number)
MONTHS = [
    ("Januar", 1), ("Jan.", 1), ("February", 2), ("März", 3), ("avril", 4), ("Mai", 5),
    ("June", 6), ("Juli", 7), ("August", 8), ("Sept.", 9), ("Oktober", 10), ("Okt.", 10),
    ("November", 11), ("Dezember", 12), ("décembre", 12),
]  # fmt: skip
#: (as written in brackets, ISO code)
COUNTRIES = [
    ("DE", "DE"), ("FR", "FR"), ("BE", "BE"), ("UK", "GB"), ("NL", "NL"), ("Spain", "ES"),
    ("Italy", "IT"), ("Deutschland", "DE"), ("Belgien", "BE"), ("Greece", "GR"),
]  # fmt: skip
LINKS = [
    "Weitere Informationen",
    "Weitere Informationen zum Projekt",
    "Mehr Informationen",
    "Website des Projekts",
    "Zur Projektseite",
    "Projekt Flyer",
    "Internetseite des Projekts",
    "Pressemitteilung zum Projektstart",
    "Infobroschüre",
    "Presseberichterstattung über das Projekt",
]
PROSE_WORDS = (
    "die Stadt arbeitet mit vielen Partnern an neuen Wegen der Prävention und Sicherheit im "
    "öffentlichen Raum zusammen Jugendliche Quartier Kommunen Austausch Polizei Verwaltung "
    "entwickeln gemeinsam Leitlinien für eine bessere Zukunft aller Bewohner"
).split()
NEUTRAL_SECTION_WORDS = ["Laufende", "Weitere", "Frühere", "Europäische", "Initiativen", "2024"]

HEADING_SHAPES = (
    "hyphen", "en", "em", "em_tight", "bracket", "projekt", "projekt_title", "bare", "alone",
)  # fmt: skip
FIELDS = ("Laufzeit", "Koordinator", "Partner", "Förderung")


@dataclass(frozen=True)
class Org:
    """An organisation as a field names it."""

    name: str
    country: tuple[str, str] | None = None  # (as written, ISO code)
    abbreviation: str = ""


@dataclass(frozen=True)
class PageProject:
    """One project as its author means it."""

    acronym: str
    title: str
    shape: str
    dates: tuple[str, str] | None  # ISO, as precise as written
    dates_as: str  # "laufzeit", "heading", "both", ""
    month_words: tuple[str, str]
    coordinator: Org | None
    partners: tuple[tuple[tuple[Org, ...], tuple[str, str] | None], ...]  # groups
    funding: tuple[tuple[str, str], tuple[str, float] | None, bool] | None
    order: tuple[str, ...]
    fields_apart: bool
    heading_blank: bool
    prose: tuple[str, ...]
    prose_between: str
    links: tuple[str, ...]
    links_blank: bool
    and_word: str


@dataclass(frozen=True)
class PageSection:
    """A section heading and its projects."""

    words: str
    role: str  # "coordinator", "participant" or ""
    org: str
    projects: tuple[PageProject, ...]


@dataclass
class Rendered:
    """A page and what it states, line by line."""

    text: str = ""
    projects: list[tuple[object, ...]] = field(default_factory=list)
    mentions: list[tuple[object, ...]] = field(default_factory=list)
    heading_lines: list[int] = field(default_factory=list)


# --- strategies -------------------------------------------------------------------------------


def _word(first: str, rest: str, min_size: int = 2, max_size: int = 9) -> st.SearchStrategy[str]:
    return st.builds(
        lambda a, b: a + b,
        st.sampled_from(first),
        st.text(rest, min_size=min_size - 1, max_size=max_size - 1),
    ).filter(lambda w: w.casefold() not in SPLITTERS | RESERVED)


NAME_WORD = _word(UPPER, LOWER + "-'", 3)
TITLE_WORD = st.one_of(
    _word(UPPER, LOWER, 2), _word(LOWER, LOWER, 2), st.sampled_from(["2.0", "&", "+"])
)
ACRONYM_TOKEN = st.one_of(
    _word(UPPER, UPPER + "0123456789", 1, 8),
    _word(UPPER, LOWER + UPPER + "@4+", 2, 9),
    st.text("0123456789", min_size=1, max_size=2),
    _word(UPPER, UPPER, 2, 4).map(lambda w: w + "-" + w[::-1]),
)  # fmt: skip


@st.composite
def acronyms(draw: st.DrawFn) -> str:
    tokens = draw(st.lists(ACRONYM_TOKEN, min_size=1, max_size=3))
    if tokens[0].isdigit():
        tokens = [draw(_word(UPPER, UPPER, 1, 3)), *tokens[:2]]
    return " ".join(tokens)


def _acronym_in_brackets(text: str) -> bool:
    upper = sum(ch.isupper() for ch in text)
    return (upper >= 2 or any(ch.isdigit() or ch in "@+&" for ch in text)) and not country_code(
        text
    )


@st.composite
def orgs(draw: st.DrawFn, *, country: bool | None = None, abbreviation: bool = False) -> Org:
    name = " ".join(draw(st.lists(NAME_WORD, min_size=1, max_size=4)))
    with_country = draw(st.booleans()) if country is None else country
    abbr = ""
    if abbreviation and not with_country and draw(st.booleans()):
        abbr = draw(_word(UPPER, UPPER, 4, 6).filter(lambda w: not country_code(w)))
    return Org(name, draw(st.sampled_from(COUNTRIES)) if with_country else None, abbr)


@st.composite
def amounts(draw: st.DrawFn) -> tuple[str, float]:
    cents = draw(st.integers(min_value=100, max_value=9_999_999_99))
    euros, rest = divmod(cents, 100)
    english = f"{euros:,}.{rest:02d}"
    german = english.replace(",", " ").replace(".", ",").replace(" ", ".")
    written = draw(st.sampled_from([f"€ {english}", f"€{english}", f"{german} €", f"€ {german}"]))
    return written, cents / 100


@st.composite
def projects(draw: st.DrawFn, *, section_org: str, section_role: str) -> PageProject:
    shape = draw(st.sampled_from(HEADING_SHAPES))
    title_words = draw(st.lists(TITLE_WORD, min_size=1, max_size=8))
    title = " ".join(title_words)
    acronym = draw(acronyms())
    if shape == "bracket":
        acronym = draw(acronyms().filter(_acronym_in_brackets))
    if shape == "projekt":
        acronym = " ".join(acronym.split()[:2])
    if shape == "alone":
        title = " ".join(w for w in title_words if w not in ("&", "+", "2.0")) or "Sicherheit"
        acronym = title
    if shape == "bare":  # "BRIDGE Building resilience": one word of capitals or digits
        acronym = draw(_word(UPPER, UPPER + "0123456789@", 2, 8))
    dates_as = draw(st.sampled_from(["laufzeit", "heading", "both", ""]))
    y1 = draw(st.integers(2000, 2030))
    y2 = y1 + draw(st.integers(0, 5))
    m1, m2 = draw(st.sampled_from(MONTHS)), draw(st.sampled_from(MONTHS))
    with_months = draw(st.booleans())
    dates: tuple[str, str] | None = None
    if dates_as in ("laufzeit", "both"):
        dates = (f"{y1}-{m1[1]:02d}", f"{y2}-{m2[1]:02d}") if with_months else (str(y1), str(y2))
    elif dates_as == "heading":
        dates = (str(y1), str(y2))
    month_words = (m1[0], m2[0]) if with_months else ("", "")
    fields = set(draw(st.lists(st.sampled_from(FIELDS), unique=True, max_size=4)))
    if dates_as in ("laufzeit", "both"):
        fields.add("Laufzeit")
    else:
        fields.discard("Laufzeit")
    if shape in ("alone", "bare") and not fields:
        fields.add("Partner")  # a title alone heads a project only above its fields
    coordinator = None
    if "Koordinator" in fields:
        if section_role == "coordinator":
            coordinator = Org(section_org)
        else:
            coordinator = draw(orgs(abbreviation=True))
    partners: list[tuple[tuple[Org, ...], tuple[str, str] | None]] = []
    if "Partner" in fields:
        for _ in range(draw(st.integers(1, 4))):
            names = draw(st.lists(orgs(country=False), min_size=1, max_size=3))
            partners.append((tuple(names), draw(st.sampled_from(COUNTRIES))))
        single = draw(st.lists(orgs(country=False, abbreviation=True), max_size=2))
        if single:
            partners.append((tuple(single), None))  # names without a country come last
    funding = None
    if "Förderung" in fields:
        programme = draw(st.sampled_from(PROGRAMMES))
        amount = draw(st.one_of(st.none(), amounts()))
        funding = (programme, amount, amount is not None and draw(st.booleans()))
    order = tuple(draw(st.permutations(sorted(fields))))
    prose = tuple(
        draw(
            st.lists(
                st.lists(st.sampled_from(PROSE_WORDS), min_size=12, max_size=20).map(
                    lambda ws: " ".join(ws).capitalize() + "."
                ),
                max_size=2,
            )
        )
    )
    if not fields and not prose:
        prose = (" ".join(PROSE_WORDS[:14]).capitalize() + ".",)
    between = draw(
        st.one_of(
            st.just(""),
            st.lists(st.sampled_from(PROSE_WORDS), min_size=12, max_size=16).map(
                lambda ws: " ".join(ws).capitalize() + "."
            ),
        )
    )
    return PageProject(
        acronym=acronym,
        title=title,
        shape=shape,
        dates=dates,
        dates_as=dates_as,
        month_words=month_words,
        coordinator=coordinator,
        partners=tuple(partners),
        funding=funding,
        order=order,
        fields_apart=draw(st.booleans()),
        heading_blank=draw(st.booleans()),
        prose=prose,
        # Text between fields only where none stands above them: text, fields, text,
        # fields is the shape of two projects, which the parser refuses.
        prose_between=between if len(order) >= 2 and not prose else "",
        links=tuple(draw(st.lists(st.sampled_from(LINKS), min_size=1, max_size=3))),
        links_blank=draw(st.booleans()),
        and_word=draw(st.sampled_from(["and", "und"])),
    )


@st.composite
def sections(draw: st.DrawFn) -> PageSection:
    kind = draw(st.sampled_from(["coordinator", "participant", "", "free"]))
    org = draw(st.sampled_from(["Efus", "DEFUS"]))
    if kind == "coordinator":
        words = f"Laufende EU-Projekte, die von {org} koordiniert werden:"
    elif kind == "participant":
        words = f"Laufende Projekte, an denen {org} beteiligt ist:"
    elif kind == "":
        words = draw(st.sampled_from(["Abgeschlossene Projekte", "Weitere Projekte:"]))
    else:
        free = st.lists(st.sampled_from(NEUTRAL_SECTION_WORDS), min_size=1, max_size=12)
        words = " ".join(draw(free)) + ":"
    role = kind if kind in ("coordinator", "participant") else ""
    found = draw(st.lists(projects(section_org=org, section_role=role), min_size=1, max_size=3))
    return PageSection(words, role, org, tuple(found))


@st.composite
def pages(draw: st.DrawFn) -> list[PageSection]:
    """Pages of one to three sections, every project's acronym and names unique on the page."""
    found = draw(st.lists(sections(), min_size=1, max_size=3))
    acronyms_seen = [p.acronym.casefold() for s in found for p in s.projects]
    names = [
        o.name.casefold()
        for s in found
        for p in s.projects
        for o in _orgs_of(p)
        if o.name not in ("Efus", "DEFUS")
    ]
    from hypothesis import assume

    assume(len(set(acronyms_seen)) == len(acronyms_seen))
    assume(len(set(names)) == len(names))
    assume(not set(names) & {"efus", "defus"})
    return found


def _orgs_of(p: PageProject) -> list[Org]:
    out = [p.coordinator] if p.coordinator else []
    for group, _ in p.partners:
        out.extend(group)
    return out


# --- writing ----------------------------------------------------------------------------------


def heading_line(p: PageProject) -> str:
    """The project's heading as its author writes it."""
    years = f" ({p.dates[0][:4]} - {p.dates[1][:4]})" if p.dates_as in ("heading", "both") else ""
    assert p.dates is not None or not years
    return {
        "hyphen": f"{p.acronym} - {p.title}",
        "en": f"{p.acronym} – {p.title}",
        "em": f"{p.acronym} — {p.title}",
        "em_tight": f"{p.acronym}—{p.title}",
        "bracket": f"{p.title} ({p.acronym})",
        "projekt": f"Projekt {p.acronym}",
        "projekt_title": f"Projekt {p.acronym} - {p.title}",
        "bare": f"{p.acronym} {p.title}",
        "alone": p.title,
    }[p.shape] + years


def expected_title(p: PageProject) -> str:
    return "" if p.shape == "projekt" else p.title


def _org_text(o: Org) -> str:
    if o.country:
        return f"{o.name} ({o.country[0]})"
    if o.abbreviation:
        return f"{o.name} ({o.abbreviation})"
    return o.name


def _partner_text(p: PageProject) -> str:
    parts = []
    for group, country in p.partners:
        names = [_org_text(o) for o in group]
        text = (
            names[0] if len(names) == 1 else ", ".join(names[:-1]) + f" {p.and_word} " + names[-1]
        )
        parts.append(text + (f" ({country[0]})" if country else ""))
    return ", ".join(parts)


def _laufzeit_text(p: PageProject) -> str:
    assert p.dates is not None
    (m1, m2), (d1, d2) = p.month_words, p.dates
    start = f"{m1} {d1[:4]}" if m1 else d1[:4]
    end = f"{m2} {d2[:4]}" if m2 else d2[:4]
    return f"{start} – {end}"


def render(page: list[PageSection]) -> Rendered:
    """The page's text, and the facts it states with their lines."""
    out = Rendered()
    lines: list[str] = ["Projekte", "", " ".join(PROSE_WORDS[:13]).capitalize() + ".", ""]

    def add(line: str) -> int:
        lines.append(line)
        return len(lines)

    for section in page:
        lines.append("")
        section_line = add(section.words)
        lines.append("")
        for p in section.projects:
            lines.append("")
            head = add(heading_line(p))
            out.heading_lines.append(head)
            if p.heading_blank or p.prose:
                lines.append("")
            mentions: list[tuple[object, ...]] = []
            description = (p.prose[0], len(lines) + 1) if p.prose else None
            for sentence in p.prose:
                add(sentence)
                lines.append("")
            dates_line = head if p.dates_as == "heading" else 0
            funding = ("", None, "", "", 0)
            for i, name in enumerate(p.order):
                if i == 1 and p.prose_between:
                    lines.append("")
                    at = add(p.prose_between)
                    if description is None:
                        description = (p.prose_between, at)
                    lines.append("")
                elif i and p.fields_apart:
                    lines.append("")
                if name == "Laufzeit":
                    dates_line = add(f"Laufzeit: {_laufzeit_text(p)}")
                elif name == "Koordinator":
                    assert p.coordinator is not None
                    at = add(f"Koordinator: {_org_text(p.coordinator)}")
                    c = p.coordinator
                    mentions.append(
                        (p.acronym, c.name, "coordinator", c.country[1] if c.country else "",
                         c.abbreviation, at)
                    )  # fmt: skip
                elif name == "Partner":
                    at = add(f"Partner: {_partner_text(p)}")
                    for group, country in p.partners:
                        for o in group:
                            mentions.append(
                                (p.acronym, o.name, "partner", country[1] if country else "",
                                 o.abbreviation, at)
                            )  # fmt: skip
                else:
                    assert p.funding is not None
                    (written, programme), amount, share = p.funding
                    text = written + (f", {amount[0]}" if amount else "")
                    text += " (Efus-Anteil)" if share else ""
                    at = add(f"Förderung: {text}")
                    scope = ("partner_share" if share else "total") if amount else ""
                    funding = (
                        programme,
                        amount[1] if amount else None,
                        scope,
                        "Efus" if share else "",
                        at,
                    )
            if p.links_blank:
                lines.append("")
            for link in p.links:
                add(link)
            named = {m[1] for m in mentions}
            if section.role and section.org not in named:
                mentions.append((p.acronym, section.org, section.role, "", "", section_line))
            start, end = p.dates or ("", "")
            out.projects.append(
                (p.acronym, expected_title(p), head, start, end, dates_line, *funding,
                 section.words.rstrip(":"), description[0] if description else "",
                 description[1] if description else 0)
            )  # fmt: skip
            out.mentions.extend(mentions)
    out.text = "\n".join(lines) + "\n"
    return out
