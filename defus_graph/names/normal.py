"""Name normalisation shared by entity resolution and country lookup."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from functools import lru_cache

__all__ = ["name_keys", "normalise", "normalise_all", "prime_name_keys"]

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "–": "-", "—": "-"})
_SPACE = re.compile(r"\s+")
_APOSTROPHE_PAIRS = tuple((chr(k), v) for k, v in _APOSTROPHES.items())


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
    primed = _PRIMED_FORMS.pop(name, None)
    if primed is not None:
        return primed
    text = name.translate(_APOSTROPHES)
    if not text.isascii():  # ASCII has no decomposition and no combining mark
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.replace("ß", "ss")
    return _SPACE.sub(" ", text).strip().casefold()


#: Joins the names :func:`normalise_all` normalises as one text: no step below changes it,
#: none treats it as space, and NFKD reorders no combining mark across it (class 0).
_JOIN = "\x00"


def normalise_all(names: Sequence[str]) -> list[str]:
    """``[normalise(n) for n in names]``, each step run once over all the names joined.

    The gazetteer's 130,000 alternate names take a tenth of the time this way.
    Every step of :func:`normalise` works character by character (spaces are
    collapsed within runs, which never cross the joint), so joining changes nothing.

    Examples
    --------
    >>> normalise_all(["  Düsseldorf ", "Agir Contre l’Exclusion"])
    ['dusseldorf', "agir contre l'exclusion"]
    """
    if not names or any(_JOIN in n for n in names):  # the joint itself: one by one
        return [normalise(n) for n in names]
    text = _JOIN.join(names)
    for old, new in _APOSTROPHE_PAIRS:  # one replace each runs in C; translate would not
        text = text.replace(old, new)
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text)
        marks = [c for c in _distinct(text) if unicodedata.combining(c)]
        if marks:
            text = re.sub(f"[{re.escape(''.join(marks))}]", "", text)
    text = _SPACE.sub(" ", text.replace("ß", "ss")).casefold()
    return [part.strip() for part in text.split(_JOIN)]


def _distinct(text: str) -> list[str]:
    """The distinct characters of ``text``, counted in numpy over its code points."""
    import numpy as np  # here: every command imports this module, few need numpy

    points = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    return [chr(c) for c in np.flatnonzero(np.bincount(points)).tolist()]


_GERMAN = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"})


#: Keys and forms worked out ahead by :func:`prime_name_keys`, each given once to
#: :func:`name_keys` and :func:`normalise`.
_PRIMED: dict[str, frozenset[str]] = {}
_PRIMED_FORMS: dict[str, str] = {}


# Room for every organisation of a million participations (150,000 names): the save's
# check asks again for the keys of each name the merge asked for.
@lru_cache(maxsize=1 << 18)
def name_keys(name: str) -> frozenset[str]:
    """Every normalised form a name may be typed in: accents dropped or spelled out.

    "Düsseldorf" is found as "Dusseldorf" and as "Duesseldorf".

    Examples
    --------
    >>> sorted(name_keys("Düsseldorf"))
    ['duesseldorf', 'dusseldorf']
    """
    keys = _PRIMED.pop(name, None)
    if keys is not None:
        return keys
    return frozenset({normalise(name), normalise(name.translate(_GERMAN))})


def prime_name_keys(names: Iterable[str]) -> None:
    """Work out the :func:`name_keys` (and :func:`normalise`) of many names at once,
    before they are asked for.

    The keys are the same (:func:`normalise_all` is :func:`normalise` of each
    name), in half the time of asking for each name in turn: a CORDIS
    programme names 30,000 organisations. Only the latest batch is kept.
    """
    _PRIMED.clear()  # keys of an earlier batch no one asked for: kept no longer
    _PRIMED_FORMS.clear()
    todo = list(dict.fromkeys(names))
    plains = normalise_all(todo)
    # Only a name with an umlaut is spelled otherwise; the others' German form is the plain.
    spelled = _spelled_out(todo)
    germans = plains.copy()
    changed = [i for i, (n, other) in enumerate(zip(todo, spelled, strict=True)) if n != other]
    for i, german in zip(changed, normalise_all([spelled[i] for i in changed]), strict=True):
        germans[i] = german
    for name, plain, german in zip(todo, plains, germans, strict=True):
        _PRIMED[name] = frozenset({plain, german})
        _PRIMED_FORMS[name] = plain


def _spelled_out(names: list[str]) -> list[str]:
    """``[name.translate(_GERMAN) for name in names]``, replaced in C over all the names
    joined (translate with a table of longer texts runs a Python-level lookup per letter)."""
    if any(_JOIN in n for n in names):  # the joint itself: one by one
        return [name.translate(_GERMAN) for name in names]
    text = _JOIN.join(names)
    for code, spelled in _GERMAN.items():
        text = text.replace(chr(code), spelled)
    return text.split(_JOIN) if names else []
