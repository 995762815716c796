"""Entity resolution: find an organisation by any of its names.

Only exact matches after normalisation (case, accents, spacing, apostrophes)
resolve a name. Anything fuzzier is offered as a suggestion, never merged.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from ..model import Alias, Organisation
from .normal import name_keys, normalise

__all__ = ["Resolver"]


class Resolver:
    """Looks up canonical organisation names from names and aliases.

    Parameters
    ----------
    organisations : the known organisations.
    aliases : other names for them.

    Examples
    --------
    >>> r = Resolver([Organisation("Nice")], [Alias("Stadt Nizza", "Nice")])
    >>> r.resolve("stadt nizza"), r.resolve("Nizza")
    ('Nice', None)
    """

    def __init__(self, organisations: Iterable[Organisation], aliases: Iterable[Alias]) -> None:
        self._canonical: dict[str, str] = {}
        self._names: dict[str, str] = {}
        for org in organisations:
            self.add(org.name, org.name)
        for alias in aliases:
            self.add(alias.alias, alias.organisation)

    def add(self, name: str, canonical: str) -> None:
        """Teach the resolver that ``name`` means ``canonical``."""
        for key in name_keys(name):
            self._canonical.setdefault(key, canonical)
        self._names.setdefault(normalise(name), name)

    def resolve(self, name: str) -> str | None:
        """The canonical name ``name`` stands for, or ``None`` if it is unknown."""
        keys = name_keys(name)
        if len(keys) == 1:  # most names: the one key, nothing to sort
            return self._canonical.get(next(iter(keys)))
        for key in sorted(keys):
            if key in self._canonical:
                return self._canonical[key]
        return None

    def knows_every_form(self, name: str) -> bool:
        """Whether every normalised form of ``name`` is known, so that :meth:`resolve`
        gives the same answer for it whatever is added later."""
        return all(key in self._canonical for key in name_keys(name))

    def conflicts(self, name: str) -> set[str]:
        """Every canonical name ``name`` could stand for (more than one is ambiguous)."""
        return {self._canonical[key] for key in name_keys(name) if key in self._canonical}

    def suggest(self, name: str, *, limit: int = 3) -> list[str]:
        """Canonical names that look like ``name``, closest first, for "did you mean"."""
        close = difflib.get_close_matches(
            normalise(name), list(self._names), n=limit * 3, cutoff=0.6
        )
        found: list[str] = []
        for key in close:
            canonical = self._canonical[key]
            if canonical not in found:
                found.append(canonical)
        return found[:limit]
