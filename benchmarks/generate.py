"""A seeded generator of CORDIS-like data, written as the project's own four CSV tables
or as CORDIS's own ``project.csv`` and ``organization.csv``.

The shape follows Horizon 2020 as CORDIS publishes it: many single-beneficiary
projects (fellowships, ERC grants, SME instrument), consortia up to about 80,
organisation activity with a heavy tail (a few research organisations in
thousands of projects, most organisations in one), countries weighted like EU
participation, kinds, programmes, dates, funding split into contributions, and
a share of organisations with PICs and coordinates. The same size and seed
always give the same files.

:func:`write_cordis` writes the same data as a CORDIS export, with the
quirks a user's download has: ``;``-separated, every field quoted, UTF-8 with
a byte-order mark, CORDIS's columns in CORDIS's order, objectives spanning
several lines with quotes and semicolons in them, the EU's country codes
(``EL``, ``UK``, and ``XK`` for Kosovo), ``geolocation`` as ``"lat,lon"`` or
empty, CORDIS's five roles and a decimal comma in some ``totalCost`` cells.
From the command line::

    python -m benchmarks.generate --size h2020 --cordis OUTDIR
    python -m benchmarks.generate --size small --tables OUTDIR
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from defus_graph.model import Alias, Dataset, Organisation, Participation, Project
from defus_graph.store.tables import save_dataset

__all__ = [
    "CORDIS_ORGANIZATION_COLUMNS",
    "CORDIS_PROJECT_COLUMNS",
    "SIZES",
    "Size",
    "generate_dataset",
    "main",
    "write_cordis",
    "write_dataset",
]


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
    """Generate ``size`` and write it to ``directory``.

    See :func:`defus_graph.store.tables.save_dataset`.
    """
    ds = generate_dataset(size, seed=seed)
    save_dataset(ds, directory)
    return ds


#: CORDIS's ``project.csv`` columns, in CORDIS's order (Horizon 2020 and Horizon Europe).
CORDIS_PROJECT_COLUMNS = (
    "id",
    "acronym",
    "status",
    "title",
    "startDate",
    "endDate",
    "totalCost",
    "ecMaxContribution",
    "legalBasis",
    "topics",
    "ecSignatureDate",
    "frameworkProgramme",
    "masterCall",
    "subCall",
    "fundingScheme",
    "nature",
    "objective",
    "contentUpdateDate",
    "rcn",
    "grantDoi",
)

#: CORDIS's ``organization.csv`` columns, in CORDIS's order.
CORDIS_ORGANIZATION_COLUMNS = (
    "projectID",
    "projectAcronym",
    "organisationID",
    "vatNumber",
    "name",
    "shortName",
    "SME",
    "activityType",
    "street",
    "postCode",
    "city",
    "country",
    "nutsCode",
    "geolocation",
    "organizationURL",
    "contactForm",
    "contentUpdateDate",
    "rcn",
    "order",
    "role",
    "ecContribution",
    "netEcContribution",
    "totalCost",
    "endOfParticipation",
    "active",
)

#: Our kind -> CORDIS ``activityType``.
_ACTIVITY = {
    "company": "PRC",
    "university": "HES",
    "research institute": "REC",
    "public body": "PUB",
    "city": "PUB",
    "region": "PUB",
    "ministry": "PUB",
    "police": "PUB",
    "NGO": "OTH",
    "foundation": "OTH",
    "network": "OTH",
    "other": "OTH",
}
#: ISO code -> the code the EU writes.
_EU_COUNTRY = {"GB": "UK", "GR": "EL"}
#: CORDIS roles of members after the coordinator, with their shares.
_OTHER_ROLES = {"participant": 88, "thirdParty": 5, "partner": 4, "associatedPartner": 3}
#: Share of organisations CORDIS files under Kosovo (``XK``, no ISO code).
_KOSOVO_SHARE = 0.003
_SCHEMES = {
    "Horizon 2020 – ERC": ("ERC-STG", "H2020-EU.1.1.", "ERC-2018-STG"),
    "Horizon 2020 – MSCA": ("MSCA-IF-EF-ST", "H2020-EU.1.3.2.", "H2020-MSCA-IF-2018"),
    "Horizon 2020 – SME Instrument": ("SME-1", "H2020-EU.2.3.", "H2020-SMEInst-2018-2020-1"),
}


def _amount(value: float, decimal: str = ".") -> str:
    """An amount as CORDIS writes it: no thousands marks, no trailing zeros."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", decimal)


def _objective(j: int, acronym: str, title: str) -> str:
    """An objective; some span lines and hold quotes and semicolons, as CORDIS's do."""
    text = f"{title}. {acronym} studies how partners in Europe work together"
    if j % 7 == 0:
        text += '; it builds a "living lab" with cities; results are open'
    if j % 5 == 0:
        text += ".\nA second paragraph of the objective;\nand a third line"
    return text + "."


def _write_csv(path: Path, header: Sequence[str], rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh, delimiter=";", quoting=csv.QUOTE_ALL, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def write_cordis(size: Size, directory: Path, *, seed: int = 2020) -> tuple[Path, Path]:
    """Write :func:`generate_dataset`'s data as CORDIS's ``project.csv`` and ``organization.csv``.

    Returns the two paths. The organisations are those of the dataset, named
    as CORDIS names them (upper case), every one with a PIC; projects get the
    ids of their ``external_id``. The same size and seed give the same bytes.
    """
    ds = generate_dataset(size, seed=seed)
    # A generator of its own, so that the dataset's draws stay as they are.
    rng = np.random.default_rng([seed, 1])
    directory.mkdir(parents=True, exist_ok=True)
    orgs = ds.organisations
    n_orgs = len(orgs)
    index = {o.name: i for i, o in enumerate(orgs)}
    kosovo = rng.random(n_orgs) < _KOSOVO_SHARE
    sme = rng.random(n_orgs) < 0.3
    vat = rng.random(n_orgs) < 0.6
    no_activity = rng.random(n_orgs) < 0.002
    street_no = rng.integers(1, 200, size=n_orgs).tolist()
    postcode = rng.integers(1000, 99999, size=n_orgs).tolist()
    org_cells: list[tuple[str, ...]] = []
    for i, o in enumerate(orgs):
        country = "XK" if kosovo[i] else _EU_COUNTRY.get(o.country, o.country)
        pic = o.pic or str(995_000_000 + i)
        stem = o.name.split()[0]
        geo = "" if o.latitude is None else f"{o.latitude},{o.longitude}"
        org_cells.append(
            (
                pic,
                f"{country}{pic}" if vat[i] else "",
                o.name.upper(),
                stem.upper()[:10] if i % 3 == 0 else "",
                "true" if sme[i] and o.kind == "company" else "false",
                "" if no_activity[i] else _ACTIVITY[o.kind],
                f"{stem}strasse {street_no[i]}",
                str(postcode[i]),
                o.city.upper(),
                country,
                f"{country}{i % 9 + 1}{i % 7 + 1}" if country != "XK" else "",
                geo,
                f"http://www.{stem.lower()}.example" if i % 4 == 0 else "",
                pic,
            )
        )
    ids = {p.acronym: p.external_id.removeprefix("cordis:") for p in ds.projects}
    update = "2022-07-28 17:14:29"
    project_rows: list[list[str]] = []
    for j, p in enumerate(ds.projects):
        pid = ids[p.acronym]
        scheme, legal, call = _SCHEMES.get(
            p.programme, ("RIA", "H2020-EU.3.7.", "H2020-SU-SEC-2018-2019-2020")
        )
        funding = p.funding_eur or 0.0
        project_rows.append(
            [
                pid,
                p.acronym,
                "CLOSED" if p.end and p.end < "2023" else "SIGNED",
                p.title,
                p.start,
                p.end,
                _amount(funding * 1.1, "," if j % 3 == 0 else "."),
                _amount(funding),
                legal,
                f"{call.removesuffix('-2018-2019-2020')}-TOPIC-{j % 40:02d}",
                p.start,
                "H2020",
                call,
                call,
                scheme,
                "",
                _objective(j, p.acronym, p.title),
                update,
                str(200_000 + j),
                f"10.3030/{pid}",
            ]
        )
    roles = list(_OTHER_ROLES)
    weights = np.array([_OTHER_ROLES[r] for r in roles], dtype=float)
    drawn = rng.choice(len(roles), size=len(ds.participations), p=weights / weights.sum())
    decimal_comma = rng.random(len(ds.participations)) < 0.3
    org_rows: list[list[str]] = []
    order = 0
    previous = ""
    for k, part in enumerate(ds.participations):
        order = order + 1 if part.project == previous else 1
        previous = part.project
        cells = org_cells[index[part.organisation]]
        role = "coordinator" if part.role == "coordinator" else roles[drawn[k]]
        paid = role in ("coordinator", "participant")
        share = part.contribution_eur or 0.0
        contribution = _amount(share) if paid else ""
        org_rows.append(
            [
                ids[part.project],
                part.project,
                *cells[:13],
                f"https://ec.europa.eu/info/funding-tenders/opportunities/portal/screen/"
                f"contact-form/PROJECT/{cells[13]}",
                update,
                str(300_000 + k),
                str(order),
                role,
                contribution,
                contribution,
                _amount(share * 1.25, "," if decimal_comma[k] else "."),
                "false",
                "true",
            ]
        )
    project_path = directory / "project.csv"
    organization_path = directory / "organization.csv"
    _write_csv(project_path, CORDIS_PROJECT_COLUMNS, project_rows)
    _write_csv(organization_path, CORDIS_ORGANIZATION_COLUMNS, org_rows)
    return project_path, organization_path


def main(argv: Sequence[str] | None = None) -> None:
    """``python -m benchmarks.generate --size h2020 --cordis OUTDIR`` (or ``--tables OUTDIR``)."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.generate", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--size", choices=list(SIZES), default="small")
    parser.add_argument("--seed", type=int, default=2020)
    parser.add_argument(
        "--cordis", type=Path, help="write CORDIS's project.csv and organization.csv here"
    )
    parser.add_argument("--tables", type=Path, help="write the project's four tables here")
    args = parser.parse_args(argv)
    if args.cordis is None and args.tables is None:
        parser.error("give --cordis OUTDIR or --tables OUTDIR (or both)")
    size = SIZES[args.size]
    if args.cordis is not None:
        for path in write_cordis(size, args.cordis, seed=args.seed):
            print(path)
    if args.tables is not None:
        write_dataset(size, args.tables, seed=args.seed)
        print(args.tables)


if __name__ == "__main__":
    main()
