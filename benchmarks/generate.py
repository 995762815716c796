"""A seeded generator of CORDIS-like data, written as the project's own four CSV tables.

The shape follows Horizon 2020 as CORDIS publishes it: many single-beneficiary
projects (fellowships, ERC grants, SME instrument), consortia up to about 80,
organisation activity with a heavy tail (a few research organisations in
thousands of projects, most organisations in one), countries weighted like EU
participation, kinds, programmes, dates, funding split into contributions, and
a share of organisations with PICs and coordinates. The same size and seed
always give the same files.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from defus_graph.model import Alias, Dataset, Organisation, Participation, Project
from defus_graph.store import save_dataset

__all__ = ["SIZES", "Size", "generate_dataset", "write_dataset"]


@dataclass(frozen=True)
class Size:
    """Target counts of one benchmark size (the generated counts come close)."""

    name: str
    projects: int
    organisations: int
    participations: int


#: The benchmark sizes: the bundled seed's scale, CI's, Horizon 2020's and one million.
SIZES: dict[str, Size] = {
    s.name: s
    for s in (
        Size("seed", 25, 45, 120),
        Size("small", 400, 350, 2_300),
        Size("h2020", 35_000, 30_000, 200_000),
        Size("1m", 175_000, 150_000, 1_000_000),
    )
}

#: Largest consortium.
MAX_CONSORTIUM = 80

_COUNTRIES = {
    "DE": 13,
    "ES": 11,
    "IT": 10,
    "FR": 10,
    "GB": 10,
    "NL": 6,
    "BE": 5,
    "GR": 4,
    "PT": 3,
    "AT": 3,
    "SE": 3,
    "DK": 2,
    "FI": 2,
    "IE": 2,
    "PL": 2,
    "CH": 2,
    "NO": 2,
    "IL": 1,
    "CZ": 1,
    "SI": 1,
    "HU": 1,
    "US": 1,
    "TR": 1,
}
_CENTRES = {
    "DE": (51.2, 10.4),
    "ES": (40.4, -3.7),
    "IT": (42.5, 12.5),
    "FR": (46.6, 2.2),
    "GB": (52.5, -1.5),
    "NL": (52.1, 5.3),
    "BE": (50.6, 4.5),
    "GR": (38.5, 23.0),
    "PT": (39.5, -8.0),
    "AT": (47.6, 14.1),
    "SE": (60.1, 15.0),
    "DK": (56.0, 10.0),
    "FI": (62.0, 25.0),
    "IE": (53.2, -7.6),
    "PL": (52.0, 19.1),
    "CH": (46.8, 8.2),
    "NO": (60.5, 8.5),
    "IL": (31.5, 34.9),
    "CZ": (49.8, 15.5),
    "SI": (46.1, 14.8),
    "HU": (47.2, 19.5),
    "US": (39.8, -98.6),
    "TR": (39.0, 35.2),
}
_KINDS = {
    "company": 36,
    "university": 14,
    "research institute": 14,
    "public body": 9,
    "NGO": 7,
    "city": 5,
    "region": 2,
    "ministry": 1,
    "foundation": 3,
    "police": 1,
    "network": 2,
    "other": 6,
}
_WORDS = {
    "company": ("GmbH", "S.L.", "S.r.l.", "SAS", "Ltd", "B.V.", "AB"),
    "university": ("Universität", "Université", "Università", "University", "Universidad"),
    "research institute": ("Institut", "Instituto", "Centre", "Fraunhofer-Institut"),
    "public body": ("Agentur", "Agence", "Agency", "Autoridad"),
    "NGO": ("Verein", "Association", "Asociación", "e.V."),
    "city": ("Stadt", "Ville de", "Comune di", "City of", "Ayuntamiento de"),
    "region": ("Land", "Région", "Regione", "Region"),
    "ministry": ("Ministerium", "Ministère", "Ministry"),
    "foundation": ("Stiftung", "Fondation", "Foundation", "Fundación"),
    "police": ("Polizei", "Police", "Polizia", "Policía"),
    "network": ("Netzwerk", "Réseau", "Network"),
    "other": ("Gesellschaft", "Société", "Society"),
}
_SYLLABLES = tuple(
    "al ber co da el fa gro ha ik jo ka lü mé no or pa qui ro sa tö u ve wa xe yo zé".split()
)
_SINGLE_PROGRAMMES = ("Horizon 2020 – ERC", "Horizon 2020 – MSCA", "Horizon 2020 – SME Instrument")
_CONSORTIUM_PROGRAMMES = (
    "Horizon 2020 – Secure Societies",
    "Horizon 2020 – Health",
    "Horizon 2020 – Energy",
    "Horizon 2020 – Transport",
    "Horizon 2020 – ICT",
    "Horizon 2020 – Climate Action",
    "Horizon 2020 – Food Security",
    "Horizon 2020 – Research Infrastructures",
    "Horizon 2020 – MSCA",
    "Horizon 2020 – FET",
)

#: Share of single-beneficiary projects (CORDIS H2020: a little under half).
_SINGLE_SHARE = 0.44


def _pick(rng: np.random.Generator, weights: dict[str, int], n: int) -> list[str]:
    keys = list(weights)
    p = np.array([weights[k] for k in keys], dtype=float)
    return [keys[i] for i in rng.choice(len(keys), size=n, p=p / p.sum()).tolist()]


def _word(rng: np.random.Generator, n: int) -> list[str]:
    parts = rng.integers(0, len(_SYLLABLES), size=(n, 3))
    return ["".join(_SYLLABLES[j] for j in row) for row in parts.tolist()]


def _fit(make: object, target: int, low: float, high: float) -> npt.NDArray[np.int64]:
    """Bisect a shape parameter until ``make(parameter).sum()`` is closest to ``target``."""
    assert callable(make)
    best = make(low)
    for _ in range(60):
        mid = (low + high) / 2
        got = make(mid)
        if abs(int(got.sum()) - target) < abs(int(best.sum()) - target):
            best = got
        if got.sum() > target:
            low, high = (mid, high) if make(high).sum() < make(low).sum() else (low, mid)
        else:
            low, high = (low, mid) if make(high).sum() < make(low).sum() else (mid, high)
    result: npt.NDArray[np.int64] = best
    return result


def _activity(rng: np.random.Generator, size: Size) -> npt.NDArray[np.int64]:
    """How many projects each organisation is in: at least one, with a heavy (Pareto) tail."""
    u = rng.random(size.organisations)
    cap = max(3, int(2_500 * size.participations / 200_000))

    def counts(alpha: float) -> npt.NDArray[np.int64]:
        return np.minimum(cap, np.floor(u ** (-1.0 / alpha))).astype(np.int64)

    return _fit(counts, size.participations, 0.6, 8.0)


def _consortia(rng: np.random.Generator, size: Size) -> npt.NDArray[np.int64]:
    """Members per project: many single beneficiaries, a log-normal body up to 80."""
    single = rng.random(size.projects) < _SINGLE_SHARE
    body = rng.lognormal(mean=0.0, sigma=0.85, size=size.projects)

    def sizes(scale: float) -> npt.NDArray[np.int64]:
        consortium = np.minimum(MAX_CONSORTIUM, 2 + np.floor(scale * body))
        return np.where(single, 1, consortium).astype(np.int64)

    return _fit(sizes, size.participations, 0.0, 60.0)


def _dates(rng: np.random.Generator, n: int) -> tuple[list[str], list[str]]:
    """Start and end dates; a few given only to the month or year, a few missing."""
    day0 = dt.date(2014, 1, 1).toordinal()
    starts = rng.integers(0, 8 * 365, size=n)
    months = rng.choice([12, 18, 24, 30, 36, 42, 48, 60], size=n)
    precision = rng.random(n)
    start_text, end_text = [], []
    for s, m, q in zip(starts.tolist(), months.tolist(), precision.tolist(), strict=True):
        first = dt.date.fromordinal(day0 + s)
        last = dt.date.fromordinal(first.toordinal() + int(m * 30.4) - 1)
        if q < 0.01:
            start_text.append("")
            end_text.append("")
        elif q < 0.03:
            start_text.append(first.strftime("%Y"))
            end_text.append(last.strftime("%Y"))
        elif q < 0.06:
            start_text.append(first.strftime("%Y-%m"))
            end_text.append(last.strftime("%Y-%m"))
        else:
            start_text.append(first.isoformat())
            end_text.append(last.isoformat())
    return start_text, end_text


def generate_dataset(size: Size, *, seed: int = 2020) -> Dataset:
    """A CORDIS-like dataset of about ``size``; the same size and seed give the same data.

    Examples
    --------
    >>> ds = generate_dataset(SIZES["seed"])
    >>> len(ds.projects), len(ds.organisations)
    (25, 45)
    >>> generate_dataset(SIZES["seed"]) == ds
    True
    """
    rng = np.random.default_rng(seed)
    n_orgs, n_projects = size.organisations, size.projects
    # Organisations: the most active get the lowest ranks and are mostly research bodies.
    activity = np.sort(_activity(rng, size))[::-1]
    kinds = _pick(rng, _KINDS, n_orgs)
    top = max(1, n_orgs // 50)
    kinds[:top] = _pick(rng, {"university": 5, "research institute": 5, "company": 1}, top)
    countries = _pick(rng, _COUNTRIES, n_orgs)
    stems = _word(rng, n_orgs)
    word_index = rng.integers(0, 5, size=n_orgs).tolist()
    has_pic = rng.random(n_orgs) < 0.8
    has_geo = rng.random(n_orgs) < 0.4
    jitter = rng.normal(0.0, 1.5, size=(n_orgs, 2))
    # Nine-digit PICs, distinct: one per block of 600 numbers.
    pics = 900_000_000 + 600 * np.arange(n_orgs) + rng.integers(0, 600, size=n_orgs)
    organisations = []
    for i in range(n_orgs):
        words = _WORDS[kinds[i]]
        word = words[word_index[i] % len(words)]
        stem = stems[i].capitalize()
        name = f"{word} {stem} {i + 1}" if i % 2 else f"{stem} {word} {i + 1}"
        lat = lon = None
        if has_geo[i]:
            clat, clon = _CENTRES[countries[i]]
            lat = round(min(90.0, max(-90.0, clat + float(jitter[i, 0]))), 4)
            lon = round(min(180.0, max(-180.0, clon + float(jitter[i, 1]))), 4)
        organisations.append(
            Organisation(
                name=name,
                kind=kinds[i],
                country=countries[i],
                source="benchmark",
                city=f"{stem}burg" if i % 3 == 0 else "",
                pic=str(pics[i]) if has_pic[i] else "",
                latitude=lat,
                longitude=lon,
            )
        )
    # Projects, and which organisations fill their places.
    consortia = _consortia(rng, size)
    slots = np.repeat(np.arange(n_orgs), activity)
    rng.shuffle(slots)
    # Give the places in order; if there are fewer organisations' places than seats,
    # the rest are drawn by activity; a repeat within a project is dropped.
    seats = int(consortia.sum())
    if len(slots) < seats:
        extra = rng.choice(n_orgs, size=seats - len(slots), p=activity / activity.sum())
        slots = np.concatenate([slots, extra])
    slots = slots[:seats]
    starts, ends = _dates(rng, n_projects)
    acronyms = [f"{w.upper()}{i + 1}" for i, w in enumerate(_word(rng, n_projects))]
    funding = np.round(rng.lognormal(mean=14.0, sigma=0.9, size=n_projects), 2)
    programme_pick = rng.integers(0, 1000, size=n_projects).tolist()
    projects, participations = [], []
    offset = 0
    for j in range(n_projects):
        k = int(consortia[j])
        members = list(dict.fromkeys(slots[offset : offset + k].tolist()))
        offset += k
        programmes = _SINGLE_PROGRAMMES if k == 1 else _CONSORTIUM_PROGRAMMES
        total = float(funding[j]) * (1.0 if k == 1 else 1.0 + k / 4)
        projects.append(
            Project(
                acronym=acronyms[j],
                title=f"{acronyms[j].capitalize()}: research and innovation action {j + 1}",
                start=starts[j],
                end=ends[j],
                programme=programmes[programme_pick[j] % len(programmes)],
                funding_eur=round(total, 2),
                funding_scope="total",
                source="benchmark",
                external_id=f"cordis:{600_000 + j}",
            )
        )
        shares = rng.dirichlet(np.ones(len(members))) * total
        for position, (org, share) in enumerate(zip(members, shares.tolist(), strict=True)):
            role = "coordinator" if position == 0 else "partner"
            participations.append(
                Participation(
                    project=acronyms[j],
                    organisation=organisations[org].name,
                    role=role,
                    name_as_written=organisations[org].name.upper(),
                    source="benchmark",
                    contribution_eur=round(share, 2),
                )
            )
    aliases = tuple(
        Alias(f"ORG-{i + 1}", organisations[i].name, "benchmark", note="short name")
        for i in range(0, n_orgs, 40)
    )
    return Dataset(
        projects=tuple(projects),
        organisations=tuple(organisations),
        participations=tuple(participations),
        aliases=aliases,
    )


def write_dataset(size: Size, directory: Path, *, seed: int = 2020) -> Dataset:
    """Generate ``size`` and write it to ``directory`` (:func:`defus_graph.store.save_dataset`)."""
    ds = generate_dataset(size, seed=seed)
    save_dataset(ds, directory)
    return ds
