"""Country codes (ISO 3166-1 alpha-2) and the country names sources write.

Kept in the package so that nothing is looked up on the network.
"""

from __future__ import annotations

import difflib

from ..errors import DefusGraphError
from .normal import normalise

__all__ = [
    "ISO_CODES",
    "OTHER_CODES",
    "closest_countries",
    "country_code",
    "country_filter",
    "country_label",
    "country_name",
    "is_country_code",
]

#: Every officially assigned ISO 3166-1 alpha-2 code.
ISO_CODES: frozenset[str] = frozenset(
    """AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO
    BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK
    DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR
    GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM
    KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP
    MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL
    PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST
    SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG
    VI VN VU WF WS YE YT ZA ZM ZW""".split()
)

#: Codes in use that ISO has not assigned: Kosovo's user-assigned ``XK``, which the EU
#: (CORDIS, Eurostat) and many others write. Kept as written.
OTHER_CODES: frozenset[str] = frozenset({"XK"})

#: Codes the EU writes instead of ISO ones (CORDIS, Eurostat).
_EU_CODES = {"UK": "GB", "EL": "GR"}

# Names in English, German, French and the country's own language, for the
# countries EU projects draw on. Matching ignores case and accents.
_NAMES: dict[str, tuple[str, ...]] = {
    "AT": ("Austria", "Österreich", "Autriche"),
    "BE": ("Belgium", "Belgien", "Belgique", "België"),
    "BG": ("Bulgaria", "Bulgarien", "Bulgarie"),
    "CH": ("Switzerland", "Schweiz", "Suisse", "Svizzera"),
    "CY": ("Cyprus", "Zypern", "Chypre"),
    "CZ": ("Czechia", "Czech Republic", "Tschechien", "Tchéquie"),
    "DE": ("Germany", "Deutschland", "Allemagne"),
    "DK": ("Denmark", "Dänemark", "Danemark", "Danmark"),
    "EE": ("Estonia", "Estland", "Estonie"),
    "ES": ("Spain", "Spanien", "Espagne", "España"),
    "FI": ("Finland", "Finnland", "Finlande", "Suomi"),
    "FR": ("France", "Frankreich"),
    "GB": (
        "United Kingdom",
        "Great Britain",
        "Großbritannien",
        "Vereinigtes Königreich",
        "Royaume-Uni",
        "England",
        "Scotland",
        "Wales",
    ),
    "GR": ("Greece", "Griechenland", "Grèce", "Hellas"),
    "HR": ("Croatia", "Kroatien", "Croatie", "Hrvatska"),
    "HU": ("Hungary", "Ungarn", "Hongrie", "Magyarország"),
    "IE": ("Ireland", "Irland", "Irlande"),
    "IS": ("Iceland", "Island", "Islande"),
    "IT": ("Italy", "Italien", "Italie", "Italia"),
    "XK": ("Kosovo",),
    "LT": ("Lithuania", "Litauen", "Lituanie"),
    "LU": ("Luxembourg", "Luxemburg"),
    "LV": ("Latvia", "Lettland", "Lettonie"),
    "MT": ("Malta", "Malte"),
    "NL": ("Netherlands", "The Netherlands", "Niederlande", "Pays-Bas", "Nederland"),
    "NO": ("Norway", "Norwegen", "Norvège", "Norge"),
    "PL": ("Poland", "Polen", "Pologne", "Polska"),
    "PT": ("Portugal",),
    "RO": ("Romania", "Rumänien", "Roumanie"),
    "RS": ("Serbia", "Serbien", "Serbie"),
    "SE": ("Sweden", "Schweden", "Suède", "Sverige"),
    "SI": ("Slovenia", "Slowenien", "Slovénie"),
    "SK": ("Slovakia", "Slowakei", "Slovaquie"),
    "TR": ("Turkey", "Türkei", "Turquie", "Türkiye"),
    "UA": ("Ukraine",),
    "US": ("United States", "USA", "Vereinigte Staaten", "États-Unis"),
}
_BY_NAME = {normalise(name): code for code, names in _NAMES.items() for name in names}


def is_country_code(code: str) -> bool:
    """Whether ``code`` is an assigned ISO 3166-1 alpha-2 code or Kosovo's ``XK`` (upper case)."""
    return code in ISO_CODES or code in OTHER_CODES


def country_code(text: str) -> str | None:
    """The ISO code a source means by ``text`` ("DE", "UK", "Spain", "Spanien"), or ``None``.

    Examples
    --------
    >>> country_code("Spain"), country_code("UK"), country_code("(DE)"), country_code("LPR")
    ('ES', 'GB', 'DE', None)
    >>> country_code("EL"), country_code("XK"), country_code("Kosovo")
    ('GR', 'XK', 'XK')
    """
    stripped = text.strip().strip("()").strip()
    upper = stripped.upper()
    if len(stripped) == 2 and stripped == upper:
        code = _EU_CODES.get(upper, upper)
        return code if is_country_code(code) else None
    return _BY_NAME.get(normalise(stripped))


def country_name(code: str) -> str:
    """The English name of the country ``code`` stands for, or ``code`` itself if none is kept.

    Examples
    --------
    >>> country_name("DE"), country_name("XK"), country_name("ZZ")
    ('Germany', 'Kosovo', 'ZZ')
    """
    names = _NAMES.get(code)
    return names[0] if names else code


def country_label(code: str) -> str:
    """How a filter shows the country ``code``: its name with the code, or the code alone.

    Examples
    --------
    >>> country_label("DE"), country_label("ZZ")
    ('Germany (DE)', 'ZZ')
    """
    name = country_name(code)
    return f"{name} ({code})" if name != code else code


def closest_countries(text: str, *, limit: int = 3) -> list[str]:
    """Countries written like ``text``, closest first, as ``"Germany (DE)"``: for "did you mean".

    Only names nearly as close as the closest count, so that a typo gets one answer.

    Examples
    --------
    >>> closest_countries("Germny"), closest_countries("Deutchland")
    (['Germany (DE)'], ['Germany (DE)'])
    >>> closest_countries("zzzzzz")
    []
    """
    key = normalise(text)
    scored = sorted(
        ((difflib.SequenceMatcher(None, key, name).ratio(), name) for name in _BY_NAME),
        reverse=True,
    )
    if not scored or scored[0][0] < 0.75:
        return []
    floor = max(0.75, scored[0][0] - 0.1)
    found: list[str] = []
    for ratio, name in scored:
        label = f"{country_name(_BY_NAME[name])} ({_BY_NAME[name]})"
        if ratio >= floor and label not in found:
            found.append(label)
    return found[:limit]


def country_filter(text: str) -> str:
    """The ISO code a user means by ``text``: a code in any case (``DE``, ``de``, ``UK``) or a
    name (``Germany``, ``Deutschland``), as a ``--country`` option or a filter takes it.

    Raises :class:`DefusGraphError` saying what was expected, with the closest names.

    Examples
    --------
    >>> country_filter("de"), country_filter("Germany"), country_filter("Spanien")
    ('DE', 'DE', 'ES')
    """
    stripped = text.strip()
    code = country_code(stripped.upper() if len(stripped) == 2 else stripped)
    if code is not None:
        return code
    close = closest_countries(stripped)
    guess = f" Did you mean {' or '.join(close)}?" if close else ""
    raise DefusGraphError(
        f'"{stripped}" is neither a country code nor a country name this tool knows.{guess} '
        "Give a two-letter ISO code such as DE, FR or NL, or a name such as Germany."
    )
