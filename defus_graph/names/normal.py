"""Name normalisation shared by entity resolution and country lookup."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = ["name_keys", "normalise"]

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "–": "-", "—": "-"})
_SPACE = re.compile(r"\s+")


# Pure functions of a name, called for every pair a duplicate search compares.
@lru_cache(maxsize=1 << 17)
def normalise(name: str) -> str:
    """The form two names share when they differ only in case, accents or spacing.

    Examples
    --------
    >>> normalise("  Düsseldorf ") == normalise("DUSSELDORF")
    True
    >>> normalise("Agir Contre l’Exclusion") == normalise("agir contre l'exclusion")
    True
    """
    text = name.translate(_APOSTROPHES)
    if not text.isascii():  # ASCII has no decomposition and no combining mark
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.replace("ß", "ss")
    return _SPACE.sub(" ", text).strip().casefold()


_GERMAN = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"})


@lru_cache(maxsize=1 << 17)
def name_keys(name: str) -> frozenset[str]:
    """Every normalised form a name may be typed in: accents dropped or spelled out.

    "Düsseldorf" is found as "Dusseldorf" and as "Duesseldorf".

    Examples
    --------
    >>> sorted(name_keys("Düsseldorf"))
    ['duesseldorf', 'dusseldorf']
    """
    return frozenset({normalise(name), normalise(name.translate(_GERMAN))})
