"""Bring your own data, as plain Python: uploads in, a preview or every problem out.

No streamlit here, so each step can be checked in a test:

1. :func:`preview_uploads` reads uploaded files with the core's
   :func:`~defus_graph.reading.reading_report` (ingest's reading and merging)
   and merges them, in memory, with the data on screen. It returns a
   :class:`Preview`: what the files add, the notes and the reading report
   (``defus-graph ingest --dry-run`` prints the same), or every problem found
   (file, line, column, value, what to do). Nothing is applied yet.
2. :func:`with_uploads` and :func:`with_merge` give the session's new
   :class:`SessionData`: the saved folder's data plus the uploads and the
   merges the user confirmed, in order. It lives in the user's session only;
   the folder changes only when the user saves.

Every state of the data has a ``key``: a hash of the folder's state and of the
content of each step, so caches are shared by identical content and never by
accident.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import PurePath

import pandas as pd

from ..analysis.records import dates_text
from ..errors import DataError, InputError
from ..model import Dataset, Organisation, Project
from ..names.duplicates import Suggestion, merge_organisations, suggest_duplicates
from ..reading import Reading, reading_report
from ..sources.archive import expand_archives

__all__ = [
    "ENCODINGS",
    "MAX_FILE_MB",
    "MAX_TOTAL_MB",
    "Duplicate",
    "Preview",
    "SessionData",
    "Upload",
    "data_label",
    "duplicates",
    "folder_key",
    "folder_name",
    "new_organisations_frame",
    "new_projects_frame",
    "preview_uploads",
    "problems_frame",
    "size_problems",
    "with_merge",
    "with_uploads",
]

#: Largest file accepted, in megabytes (also ``server.maxUploadSize`` in .streamlit/config.toml):
#: a whole programme's project.csv (Horizon 2020's, every abstract included, about 70 MB),
#: or its CORDIS archive, fits.
MAX_FILE_MB = 200
#: Largest total of the files uploaded at once, in megabytes.
MAX_TOTAL_MB = 300
_MB = 1024 * 1024

#: Text encodings offered for uploads: label -> the ``encoding`` given to ingest.
ENCODINGS: dict[str, str | None] = {
    "Detect (UTF-8, else Windows cp1252)": None,
    "UTF-8": "utf-8",
    "Windows (cp1252)": "cp1252",
}

# The core's hints name command-line options; on screen they name the controls.
_DASHBOARD_WORDS = (
    ("try --encoding cp1252 if Excel wrote it", 'choose "Windows (cp1252)" as the text encoding'),
    ("try --encoding cp1252", 'choose "Windows (cp1252)" as the text encoding'),
    ("Leave out --encoding to let me detect it", 'Choose "Detect" as the text encoding'),
)


def _hash(*parts: str) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode("utf-8", "surrogatepass"))
        h.update(b"\0")
    return h.hexdigest()


def folder_key(directory: str, stamp: object) -> str:
    """The key of a data folder's saved state (its path and its files' sizes and times)."""
    return _hash("folder", directory, repr(stamp))


@dataclass(frozen=True)
class Upload:
    """One uploaded file: its name as the user's computer gave it, and its bytes."""

    name: str
    data: bytes = field(repr=False)

    @property
    def digest(self) -> str:
        """The SHA-256 of the content."""
        return hashlib.sha256(self.data).hexdigest()


def size_problems(
    uploads: Sequence[Upload], *, max_file_mb: int | None = None, max_total_mb: int | None = None
) -> list[InputError]:
    """A problem for each file over ``max_file_mb`` and one if all together exceed the total.

    The limits default to :data:`MAX_FILE_MB` and :data:`MAX_TOTAL_MB`.

    Examples
    --------
    >>> [p.message for p in size_problems([Upload("a.csv", b"x" * 3)], max_file_mb=0)]
    ['is 0.0 MB; files up to 0 MB can be added here.']
    """
    max_file_mb = MAX_FILE_MB if max_file_mb is None else max_file_mb
    max_total_mb = MAX_TOTAL_MB if max_total_mb is None else max_total_mb
    problems = []
    hint = (
        "Split the file, or add it on the command line, which has no limit: "
        "defus-graph ingest FILE --out DIR."
    )
    for u in uploads:
        if len(u.data) > max_file_mb * _MB:
            problems.append(
                InputError(
                    u.name,
                    None,
                    None,
                    None,
                    f"is {len(u.data) / _MB:.1f} MB; files up to {max_file_mb} MB "
                    "can be added here.",
                    hint,
                )
            )
    total = sum(len(u.data) for u in uploads)
    if not problems and total > max_total_mb * _MB:
        problems.append(
            InputError(
                ", ".join(u.name for u in uploads),
                None,
                None,
                None,
                f"are {total / _MB:.1f} MB together; up to {max_total_mb} MB can be added at once.",
                "Add them a few at a time.",
            )
        )
    return problems


def _for_screen(p: InputError) -> InputError:
    hint = p.hint
    for cli, screen in _DASHBOARD_WORDS:
        hint = hint.replace(cli, screen)
    return p if hint == p.hint else InputError(p.file, p.line, p.column, p.value, p.message, hint)


def _unique_names(uploads: Sequence[Upload]) -> list[str]:
    """Upload names, numbered when two files share one (``project.csv (2)``)."""
    counts: Counter[str] = Counter()
    out = []
    for u in uploads:
        counts[u.name] += 1
        out.append(u.name if counts[u.name] == 1 else f"{u.name} ({counts[u.name]})")
    return out


@dataclass(frozen=True)
class Preview:
    """What uploaded files would change, or why they cannot be added.

    ``dataset`` is the data on screen with the files merged in; it is ``None``
    when there are ``problems``, and then nothing may be applied.
    """

    files: tuple[str, ...]
    key: str
    dataset: Dataset | None
    notes: tuple[str, ...] = ()
    problems: tuple[InputError, ...] = ()
    new_projects: tuple[Project, ...] = ()
    new_organisations: tuple[Organisation, ...] = ()
    new_participations: int = 0
    known_in_new_projects: tuple[str, ...] = ()  # organisations already there, with more projects
    reading: Reading | None = None  # what each file was read as (see defus_graph.reading)

    @property
    def ok(self) -> bool:
        """Whether the files can be added."""
        return self.dataset is not None and not self.problems


def _no_progress(fraction: float, text: str) -> None:
    """Progress goes nowhere unless the screen asks for it."""


def preview_uploads(
    uploads: Sequence[Upload],
    current: Dataset,
    current_key: str,
    *,
    encoding: str | None = None,
    progress: Callable[[float, str], object] = _no_progress,
) -> Preview:
    """What ``uploads`` add to ``current`` (the data on screen), without applying anything.

    Parameters
    ----------
    uploads : the files, in the order they were chosen.
    current : the dataset on screen; it is not changed.
    current_key : its key (see :class:`SessionData`).
    encoding : None detects it (see :func:`defus_graph.sources.detect.read_inputs`).
    progress : called with the share done (0 to 1) and what is being done, as a
        large file takes a while: archives are unpacked (CORDIS ZIPs give their
        project.csv and organization.csv), then the files read and merged.

    Returns
    -------
    Preview
        With ``problems`` (and no dataset) if any file is too large, cannot be
        read, or contradicts the data; else what the files add.
    """
    names = _unique_names(uploads)
    steps = (f"{n}\0{u.digest}" for n, u in zip(names, uploads, strict=True))
    key = _hash(current_key, "upload", encoding or "", *steps)
    too_big = size_problems(uploads)
    if too_big:
        return Preview(tuple(names), key, None, problems=tuple(too_big))
    try:
        progress(0.0, "Unpacking archives…")
        expanded = expand_archives([(n, u.data) for n, u in zip(names, uploads, strict=True)])
        size = sum(len(data) for _, data in expanded.files) / _MB
        progress(0.1, f"Reading {', '.join(n for n, _ in expanded.files)} ({size:,.1f} MB)…")
        reading = reading_report(list(expanded.files), current, encoding=encoding)
        progress(1.0, "Read.")
    except DataError as err:
        return Preview(
            tuple(names), key, None, problems=tuple(_for_screen(p) for p in err.problems)
        )
    return _what_is_new(current, reading, tuple(names), key, expanded.notes)


def _what_is_new(
    current: Dataset, reading: Reading, names: tuple[str, ...], key: str, notes: Sequence[str]
) -> Preview:
    """The preview of a reading that succeeded: what it adds to ``current``."""
    result = reading.ingested
    ds = result.dataset
    old_projects = {p.acronym for p in current.projects}
    old_orgs = {o.name for o in current.organisations}
    old_pairs = {(pa.project, pa.organisation) for pa in current.participations}
    new_pairs = [pa for pa in ds.participations if (pa.project, pa.organisation) not in old_pairs]
    return Preview(
        files=names,
        key=key,
        dataset=ds,
        notes=(*notes, *result.notes),
        new_projects=tuple(p for p in ds.projects if p.acronym not in old_projects),
        new_organisations=tuple(o for o in ds.organisations if o.name not in old_orgs),
        new_participations=len(new_pairs),
        known_in_new_projects=tuple(
            sorted(
                {pa.organisation for pa in new_pairs if pa.organisation in old_orgs},
                key=str.casefold,
            )
        ),
        reading=reading,
    )


def problems_frame(problems: Iterable[InputError]) -> pd.DataFrame:
    """Problems as a table: file, line, column, value, what is wrong, what to do.

    Each file's problems are listed from its first line to its last, files in
    the order they first appear, so a file can be corrected from top to bottom.
    """
    problems = list(problems)
    files = {p.file: i for i, p in reversed(list(enumerate(problems)))}
    problems.sort(key=lambda p: (files[p.file], p.line or 0))
    columns = ["File", "Line", "Column", "Value", "Problem", "What to do"]
    return pd.DataFrame(
        [
            {
                "File": p.file,
                "Line": "" if p.line is None else str(p.line),
                "Column": p.column or "",
                "Value": "" if p.value is None else p.value,
                "Problem": p.message,
                "What to do": p.hint,
            }
            for p in problems
        ],
        columns=columns,
    )


def new_projects_frame(preview: Preview) -> pd.DataFrame:
    """The projects the files add, with their dates, programme and number of organisations."""
    ds = preview.dataset
    members = Counter(pa.project for pa in ds.participations) if ds else Counter()
    return pd.DataFrame(
        [
            {
                "Project": p.acronym,
                "Title": p.title,
                "Dates": dates_text(p.start, p.end),
                "Programme": p.programme,
                "Organisations": members[p.acronym],
                "From": f"{p.source}, line {p.line}" if p.line else p.source,
            }
            for p in preview.new_projects
        ],
        columns=["Project", "Title", "Dates", "Programme", "Organisations", "From"],
    )


def new_organisations_frame(preview: Preview) -> pd.DataFrame:
    """The organisations the files add: kind, country, city, and where each comes from."""
    return pd.DataFrame(
        [
            {
                "Organisation": o.name,
                "Kind": o.kind,
                "Country": o.country,
                "City": o.city,
                "From": f"{o.source}, line {o.line}" if o.line else o.source,
            }
            for o in preview.new_organisations
        ],
        columns=["Organisation", "Kind", "Country", "City", "From"],
    )


@dataclass(frozen=True)
class SessionData:
    """The data one session explores instead of the saved folder, until it saves or goes back.

    It is the folder's data as it was when the first step was taken
    (``base_key``), then each upload and confirmed merge in order.
    """

    dataset: Dataset
    key: str
    base_key: str
    files: tuple[str, ...] = ()
    merges: tuple[tuple[str, str], ...] = ()  # (kept, merged into it)

    def describe(self, folder: str) -> str:
        """What is shown, e.g. "Bundled data + 2 uploaded files + 1 merge (not saved)".

        Examples
        --------
        >>> SessionData(Dataset(), "k", "b", ("a.csv",)).describe("Bundled data")
        'Bundled data + 1 uploaded file (not saved)'
        """
        parts = [folder]
        if self.files:
            n = len(self.files)
            parts.append(f"{n} uploaded file{'s' if n != 1 else ''}")
        if self.merges:
            n = len(self.merges)
            parts.append(f"{n} merge{'s' if n != 1 else ''}")
        return " + ".join(parts) + " (not saved)"


def data_label(directory: str, *, bundled: bool) -> str:
    """How the saved data is named on screen: by its folder's name, not the server's path.

    Examples
    --------
    >>> data_label("/srv/defus/2024 partners/", bundled=False), data_label("x", bundled=True)
    ('Data in the folder “2024 partners”', 'Bundled data')
    """
    if bundled:
        return "Bundled data"
    return f"Data in the folder “{folder_name(directory)}”"


def folder_name(directory: str) -> str:
    """The last part of a folder's path: what a person calls the folder."""
    return PurePath(directory).name or str(directory)


def with_uploads(session: SessionData | None, base_key: str, preview: Preview) -> SessionData:
    """The session's data once the previewed files are added.

    ``session`` is the session's data before (None: the saved folder's, whose
    key is ``base_key``).

    Raises
    ------
    ValueError
        If the preview has problems: there is nothing to add then.
    """
    if preview.dataset is None or preview.problems:
        raise ValueError("a preview with problems cannot be applied")
    return SessionData(
        dataset=preview.dataset,
        key=preview.key,
        base_key=session.base_key if session else base_key,
        files=(session.files if session else ()) + preview.files,
        merges=session.merges if session else (),
    )


def with_merge(
    session: SessionData | None,
    current: Dataset,
    current_key: str,
    *,
    keep: str,
    other: str,
    reason: str,
    today: dt.date | None = None,
) -> SessionData:
    """The session's data with ``other`` merged into ``keep`` (recorded as an alias).

    ``current`` is the data on screen and ``current_key`` its key; when
    ``session`` is None they are the saved folder's.

    Raises
    ------
    DefusGraphError
        When the core refuses the merge (see
        :func:`defus_graph.names.duplicates.merge_organisations`); nothing changes.
    """
    day = today or dt.date.today()
    merged = merge_organisations(current, keep, other, reason=reason, today=day)
    return SessionData(
        dataset=merged,
        key=_hash(current_key, "merge", keep, other, reason, day.isoformat()),
        base_key=session.base_key if session else current_key,
        files=session.files if session else (),
        merges=(session.merges if session else ()) + ((keep, other),),
    )


@dataclass(frozen=True)
class Duplicate:
    """A suggested duplicate with what a person needs to decide: each one's facts."""

    suggestion: Suggestion
    keep_facts: str
    other_facts: str

    @property
    def names(self) -> tuple[str, str]:
        """The two names, the suggested one to keep first."""
        return self.suggestion.keep, self.suggestion.other


def _facts(ds: Dataset, name: str, projects: dict[str, list[str]]) -> str:
    o = ds.organisation(name)
    mine = projects.get(name, [])
    listed = ", ".join(mine[:6]) + (f" and {len(mine) - 6} more" if len(mine) > 6 else "")
    return (
        f"{o.country or 'country not stated'} · {o.kind or 'kind not stated'} · "
        f"{len(mine)} project{'s' if len(mine) != 1 else ''}" + (f": {listed}" if mine else "")
    )


def duplicates(ds: Dataset, *, min_score: float = 0.5) -> list[Duplicate]:
    """The likely duplicates of ``ds``, best first, each with both organisations' facts."""
    projects: dict[str, list[str]] = {}
    for pa in ds.participations:
        projects.setdefault(pa.organisation, []).append(pa.project)
    return [
        Duplicate(s, _facts(ds, s.keep, projects), _facts(ds, s.other, projects))
        for s in suggest_duplicates(ds, min_score=min_score)
    ]
