"""Finding a node from what a person types: any name, alias or acronym, accents optional.

Plain Python (no streamlit), so the search box, the URL (``?org=…``) and tests
share one behaviour.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from ..graph.bipartite import org_id, project_id
from ..model import Dataset
from ..names.normal import name_keys, normalise
from ..names.resolve import Resolver

__all__ = ["SearchIndex"]


@dataclass(frozen=True)
class _Entry:
    node: str
    label: str
    text: str  # every name it is known by, normalised, joined for substring search


class SearchIndex:
    """Every organisation and project of a dataset, findable by any of their names.

    Examples
    --------
    >>> from defus_graph.model import Alias, Organisation, Project
    >>> ds = Dataset(projects=(Project("LouD", "Local Young Leaders"),),
    ...              organisations=(Organisation("Düsseldorf"),),
    ...              aliases=(Alias("Landeshauptstadt Düsseldorf", "Düsseldorf"),))
    >>> idx = SearchIndex(ds)
    >>> idx.find("dusseldorf"), idx.find("landeshauptstadt"), idx.find("loud")
    (['org:Düsseldorf'], ['org:Düsseldorf'], ['project:LouD'])
    """

    def __init__(self, ds: Dataset) -> None:
        # Built on the first look-up, not with the network: the first drawing needs none.
        self._ds = ds
        self._built = False
        self._lock = threading.Lock()  # the index is shared by every session
        self._resolver: Resolver
        self._projects: Resolver
        self._labels: dict[str, str] = {}
        self._entries: list[_Entry] = []
        self._exact: tuple[frozenset[str], frozenset[str]] | None = None

    def _build(self) -> None:
        if self._built:
            return
        with self._lock:
            if not self._built:
                self._fill()

    def _fill(self) -> None:
        ds = self._ds
        self._resolver = Resolver(ds.organisations, ds.aliases)
        self._projects = Resolver((), ())
        names: dict[str, list[str]] = {}
        labels: dict[str, str] = {}
        for p in ds.projects:
            node = project_id(p.acronym)
            labels[node] = p.acronym
            names[node] = [p.acronym, p.title]
            self._projects.add(p.acronym, p.acronym)
        for o in ds.organisations:
            node = org_id(o.name)
            labels[node] = o.name
            names[node] = [o.name]
        for a in ds.aliases:
            names.setdefault(org_id(a.organisation), []).append(a.alias)
        self._labels = labels
        self._entries = [
            _Entry(
                node,
                labels.get(node, node),
                " | ".join(k for n in ns if n for k in sorted(name_keys(n))),
            )
            for node, ns in names.items()
        ]
        self._built = True

    def _exact_names(self) -> tuple[frozenset[str], frozenset[str]]:
        """The organisations' names and the projects' acronyms exactly as written.

        Enough to answer a click's URL, which holds the exact name, without
        building the whole index (seconds at Horizon 2020 scale). A name stands
        for one organisation only (the tables are checked for it), so an exact
        name resolves to itself.
        """
        if self._exact is None:
            self._exact = (
                frozenset(o.name for o in self._ds.organisations),
                frozenset(p.acronym for p in self._ds.projects),
            )
        return self._exact

    def label(self, node: str) -> str:
        """The name or acronym a node is shown by."""
        self._build()
        return self._labels.get(node, node)

    def organisation(self, name: str) -> str | None:
        """The canonical name of the organisation ``name`` stands for (alias, any accents)."""
        if name in self._exact_names()[0]:
            return name
        self._build()
        return self._resolver.resolve(name)

    def project(self, acronym: str) -> str | None:
        """The acronym of the project ``acronym`` names, ignoring case and accents."""
        if acronym in self._exact_names()[1]:
            return acronym
        self._build()
        return self._projects.resolve(acronym)

    def exact(self, text: str) -> str | None:
        """The node ``text`` names exactly (an organisation's name or alias, an acronym)."""
        org = self.organisation(text)
        if org is not None:
            return org_id(org)
        project = self.project(text)
        return project_id(project) if project is not None else None

    def find(self, text: str, *, limit: int = 10) -> list[str]:
        """Nodes matching ``text``: an exact name, else names starting with it, then containing it.

        Matching ignores case and accents ("Dusseldorf", "Duesseldorf") and
        looks at names, aliases, acronyms and project titles.
        """
        if not normalise(text):
            return []
        exact = self.exact(text)
        if exact is not None:
            return [exact]
        keys = name_keys(text)
        self._build()
        starts: list[_Entry] = []
        contains: list[_Entry] = []
        for entry in self._entries:
            parts = entry.text.split(" | ")
            if any(p.startswith(k) for p in parts for k in keys):
                starts.append(entry)
            elif any(k in entry.text for k in keys):
                contains.append(entry)
        ranked = sorted(starts, key=_order) + sorted(contains, key=_order)
        return [e.node for e in ranked[:limit]]

    def closest(self, text: str, *, limit: int = 4) -> list[str]:
        """Nodes whose name looks like ``text`` (a typo away), closest first, for "did you mean".

        The same suggestions as the command line's: organisations' names and
        other names, then projects' acronyms (:meth:`Resolver.suggest`).

        Examples
        --------
        >>> from defus_graph.model import Organisation, Project
        >>> ds = Dataset(projects=(Project("BRIDGE", "Building resilience"),),
        ...              organisations=(Organisation("Rotterdam"), Organisation("Amsterdam")))
        >>> SearchIndex(ds).closest("Roterdam"), SearchIndex(ds).closest("BRIGDE")
        (['org:Rotterdam', 'org:Amsterdam'], ['project:BRIDGE'])
        """
        if not normalise(text):
            return []
        self._build()
        orgs = [org_id(name) for name in self._resolver.suggest(text)]
        projects = [project_id(a) for a in self._projects.suggest(text)]
        return [*orgs, *projects][:limit]


def _order(entry: _Entry) -> tuple[str, str]:
    return entry.label.casefold(), entry.node
