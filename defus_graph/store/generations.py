"""A data folder saved as one generation: every table replaced, or none.

What we chose, and why
----------------------
The tables stay where users know them (``projects.csv`` and the others, at the
top of the folder) and stay plain files: people open and save them in a
spreadsheet, which would replace a symbolic link by a file and knows nothing of
a ``current/`` folder. So a save cannot switch one pointer; instead it writes a
*journal* (a redo log), as databases do:

1. Under the folder's lock, finish any save that was interrupted (step 4) and
   remove the temporary files of saves that never got there (``.*.tmp``).
2. Refuse when the tables are no longer those the caller loaded (``since``):
   two people saving at once lose nothing, the second is told to reload.
3. Write every new table, and a copy of every table it replaces (for
   ``.previous/``), to hidden temporary files beside their targets.
4. Write the journal ``.saving.json`` listing those renames, in one rename:
   this is the moment the new generation exists. Then rename each file over its
   target and delete the journal.

A process killed before step 4 leaves the old tables untouched; one killed
during step 4 leaves a journal, and whoever next reads or saves the folder
completes the renames before reading anything. Readers hold the lock shared, so
they never see a folder halfway through step 4. A reader that cannot write the
folder (a read-only share) reads the tables the journal names instead. A table
edited by hand while no save runs is simply the folder's new content; one edited
after a save was interrupted and before it was completed is never overwritten
(the journal holds the digest of each table it replaces): the user is told how
to keep either version.

Rejected: one directory per generation behind a symbolic link or a pointer
file (users and spreadsheets would have to find the tables in a changing
folder, and Windows links need rights), and a manifest of digests written last
(it cannot tell a crash from a user's edit, which also changes the digests).

The lock is ``.lock`` in the folder (``flock``, released by the system when a
process dies, so a crash never leaves the folder locked; on Windows
``msvcrt.locking``, exclusive for readers too). A folder without one has never
been saved by this version; readers do not create it (they re-read if a save
created it meanwhile), so looking at a folder leaves no lock file in it.

Each file written keeps the permissions of the file it replaces (a table one
shares as 644 stays 644); a new file gets the umask's default, as any program's.
Its owner is whoever saved it, as with any program that replaces a file.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import secrets
import stat
import sys
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path, PurePosixPath

from ..errors import DataError, DefusGraphError, InputError

__all__ = [
    "JOURNAL",
    "LOCK",
    "PREVIOUS_DIR",
    "StaleDataError",
    "read_generation",
    "remove_leftovers",
    "tables_state",
    "temporary_beside",
    "write_generation",
]

log = logging.getLogger(__name__)

#: The journal of a save under way (or interrupted): the renames that make its generation.
JOURNAL = ".saving.json"
#: The file whose lock orders saves and reads of a folder.
LOCK = ".lock"
#: Where a save keeps the tables it replaced (one generation back).
PREVIOUS_DIR = ".previous"


class StaleDataError(DefusGraphError):
    """The tables changed since the caller loaded them; its save would undo that change."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        super().__init__(
            f"{directory}: the data changed since you opened it: reload. Someone or something "
            "saved these tables after you read them; nothing was saved, so their change is kept. "
            "Open the data again and redo your change."
        )


def tables_state(contents: Mapping[str, bytes | None]) -> str:
    """A digest naming exactly these tables' bytes (``None``: the table is missing).

    Examples
    --------
    >>> tables_state({"a.csv": b"x"}) == tables_state({"a.csv": b"x"})
    True
    >>> len({tables_state({"a.csv": b""}), tables_state({"a.csv": None})})
    2
    """
    digest = hashlib.sha256()
    for name, data in contents.items():
        # The length first, so that moving bytes from one file to the next changes the state.
        digest.update(f"{name}\0{-1 if data is None else len(data)}\0".encode())
        if data is not None:
            digest.update(data)
    return digest.hexdigest()


# --- the lock ------------------------------------------------------------------------------


def _lock_fd(fd: int, *, exclusive: bool) -> None:
    if sys.platform == "win32":  # pragma: no cover - no shared locks there: exclusive for both
        import msvcrt

        msvcrt.locking(fd, msvcrt.LK_LOCK, 1)
        return
    import fcntl

    fcntl.flock(fd, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)


#: How a folder was held: under its lock, without (it has no lock file), or without (denied).
_LOCKED, _NO_LOCK_FILE, _DENIED = "locked", "no lock file", "denied"


def _open_lock(directory: Path, *, create: bool) -> int:
    """The lock file, opened for reading (enough to lock it); created if asked and missing.

    A new lock file can be opened by whoever can list the folder (its mode is
    the folder's without the execute bits), so readers who may not write still
    take turns with the saves.
    """
    path = directory / LOCK
    try:
        return os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        if not create:
            raise
    try:
        fd = os.open(path, os.O_RDONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except FileExistsError:  # another save created it meanwhile
        return os.open(path, os.O_RDONLY)
    mode = stat.S_IMODE(os.stat(directory).st_mode) & 0o666
    os.chmod(fd if os.chmod in os.supports_fd else path, mode)
    return fd


@contextlib.contextmanager
def _locked(directory: Path, *, exclusive: bool) -> Iterator[str]:
    """Hold the folder's lock; a reader goes on without it when there is none or it may not.

    Yields how the folder is held. Closing the file releases the lock, as does
    the end of the process.
    """
    try:
        fd = _open_lock(directory, create=exclusive)
    except (FileNotFoundError, PermissionError) as err:
        if exclusive:
            raise
        yield _NO_LOCK_FILE if isinstance(err, FileNotFoundError) else _DENIED
        return
    try:
        _lock_fd(fd, exclusive=exclusive)
        yield _LOCKED
    finally:
        os.close(fd)


# --- files written beside their targets ----------------------------------------------------


def temporary_beside(target: Path, *, like: Path | None = None) -> Path:
    """A new, empty hidden file beside ``target``, with the permissions ``target`` has.

    Named ``.NAME.RANDOM.tmp`` (what :func:`remove_leftovers` removes). The
    permissions are those of ``like`` if given; when that file does not exist,
    the umask's default, as for a file any other program creates (``tempfile``
    would make it private to the user).
    """
    path = target.with_name(f".{target.name}.{secrets.token_hex(6)}.tmp")
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    try:
        with contextlib.suppress(FileNotFoundError):
            mode = stat.S_IMODE(os.stat(target if like is None else like).st_mode)
            os.chmod(fd if os.chmod in os.supports_fd else path, mode)
    finally:
        os.close(fd)
    return path


def _staged(target: Path, data: bytes, *, like: Path | None = None) -> Path:
    """``data`` in a new temporary file beside ``target``, on the disk before it returns."""
    path = temporary_beside(target, like=like)
    try:
        with path.open("r+b") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return path


def _sync_directory(directory: Path) -> None:
    """Put the directory's renames on the disk (POSIX; Windows has no such call)."""
    if sys.platform == "win32":  # pragma: no cover
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def remove_leftovers(folder: Path) -> list[Path]:
    """Remove the temporary files (``.*.tmp``) that interrupted writes left in ``folder``.

    Only under the folder's lock, or where no one else writes: a file being
    written now looks the same.
    """
    removed = []
    for path in folder.glob(".*.tmp"):
        if path.is_file():
            path.unlink(missing_ok=True)
            removed.append(path)
    if removed:
        log.info(
            "removed %d temporary files left by an interrupted save in %s", len(removed), folder
        )
    return removed


# --- the journal ---------------------------------------------------------------------------

_Renames = list[tuple[str, str]]


def _digest(path: Path) -> str | None:
    """The SHA-256 of a file's bytes; ``None`` when it does not exist."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except FileNotFoundError:
        return None


def _journal_renames(directory: Path, names: Iterable[str]) -> _Renames | None:
    """The renames of an interrupted save's journal, checked; ``None`` when there is none.

    Each one must move a hidden temporary file onto a table of ``names``, in the
    folder or in ``.previous/``: a journal in a shared folder never moves
    anything else. A table edited since the save was interrupted (its bytes
    are no longer those the save replaced) is not overwritten: that is an error
    saying how to choose.
    """
    path = directory / JOURNAL
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    allowed = set(names)
    try:
        journal = json.loads(text)
        renames = [(str(s), str(t)) for s, t in journal["renames"]]
        replaces = {str(k): v for k, v in journal.get("replaces", {}).items()}
    except (ValueError, KeyError, TypeError, AttributeError) as err:
        raise _bad_journal(path, f"it cannot be read ({err})") from err
    for source, target in renames:
        s, t = PurePosixPath(source), PurePosixPath(target)
        if (
            s.parent != t.parent
            or str(t.parent) not in (".", PREVIOUS_DIR)
            or t.name not in allowed
            or not (s.name.startswith(f".{t.name}.") and s.name.endswith(".tmp"))
        ):
            raise _bad_journal(path, f"it names {source} -> {target}")
    _refuse_edited(directory, renames, replaces)
    return renames


def _refuse_edited(directory: Path, renames: _Renames, replaces: Mapping[str, object]) -> None:
    """Raise if a table still to be replaced was edited after the save was interrupted."""
    edited = [
        (source, target)
        for source, target in renames
        if target in replaces
        and (directory / source).is_file()
        and (directory / target).exists()
        and _digest(directory / target) != replaces[target]
    ]
    if edited:
        raise DataError(
            InputError(
                str(directory / target),
                None,
                None,
                None,
                "changed after a save into this folder was interrupted (edited by hand?), so "
                "the save cannot be finished without undoing that change.",
                f"To keep the tables as they are now, delete {directory / JOURNAL}. To finish "
                f"the save instead, delete {target}: the save's version ({directory / source}) "
                "then takes its place.",
            )
            for source, target in edited
        )


def _bad_journal(path: Path, why: str) -> DataError:
    return DataError(
        [
            InputError(
                str(path),
                None,
                None,
                None,
                f"is the journal of an interrupted save, but not one this program wrote: {why}.",
                f"Check that the tables are as you want them, then delete {path}.",
            )
        ]
    )


def _roll_forward(directory: Path, renames: _Renames) -> None:
    """Complete the renames of a journal (those done already are skipped), then drop it."""
    for source, target in renames:
        # A source already renamed (or never written) is skipped: the step is done.
        with contextlib.suppress(FileNotFoundError):
            os.replace(directory / source, directory / target)
    _sync_directory(directory)
    (directory / JOURNAL).unlink(missing_ok=True)
    _sync_directory(directory)


def _write_journal(directory: Path, renames: _Renames, replaces: Mapping[str, str | None]) -> None:
    """Write the journal in one rename: from then on, the new generation is the folder's.

    ``replaces`` holds the digest of each table the save replaces (``None``:
    it had none), so that completing it never overwrites a later edit.
    """
    data = json.dumps({"renames": renames, "replaces": replaces}, indent=1).encode("utf-8")
    staged = _staged(directory / JOURNAL, data)
    os.replace(staged, directory / JOURNAL)
    _sync_directory(directory)


def _finish_interrupted(
    directory: Path, names: Iterable[str], also_clean: Iterable[Path] = ()
) -> None:
    """Complete a save that was interrupted after its journal; remove every leftover."""
    renames = _journal_renames(directory, names)
    if renames is not None:
        log.info("completing a save into %s that was interrupted", directory)
        _roll_forward(directory, renames)
    for folder in (directory, directory / PREVIOUS_DIR, *also_clean):
        remove_leftovers(folder)


# --- reading and writing a generation ------------------------------------------------------


def _read(
    directory: Path, names: Iterable[str], overlay: Mapping[str, str]
) -> dict[str, bytes | None]:
    contents: dict[str, bytes | None] = {}
    for name in names:
        try:
            contents[name] = (directory / overlay.get(name, name)).read_bytes()
        except FileNotFoundError:
            contents[name] = None
    return contents


def read_generation(directory: Path, names: Iterable[str]) -> dict[str, bytes | None]:
    """The bytes of each table (``None``: missing), all of one generation.

    A save that was interrupted after its journal is completed first; when the
    folder cannot be written, the tables it was saving are read in its stead.
    """
    names = list(names)
    while True:
        with _locked(directory, exclusive=False) as held:
            if not (directory / JOURNAL).exists():
                contents = _read(directory, names, {})
                # Without a lock file, the read holds only if no save began meanwhile
                # (each creates the lock file before it touches a table): else read again.
                if held != _NO_LOCK_FILE or not (directory / LOCK).exists():
                    return contents
                continue
        return _read_interrupted(directory, names)


def _read_interrupted(directory: Path, names: list[str]) -> dict[str, bytes | None]:
    try:
        with _locked(directory, exclusive=True):
            _finish_interrupted(directory, names)
            return _read(directory, names, {})
    except OSError as err:
        log.info(
            "cannot complete the interrupted save in %s (%s): reading its tables", directory, err
        )
    renames = _journal_renames(directory, names) or []
    overlay = {t: s for s, t in renames if "/" not in t and (directory / s).is_file()}
    return _read(directory, names, overlay)


def write_generation(
    directory: Path,
    contents: Mapping[str, bytes],
    *,
    since: str | None = None,
    names: Iterable[str] | None = None,
    also_clean: Iterable[Path] = (),
) -> str:
    """Replace the tables of ``directory`` by ``contents``, all at once; their new state.

    ``names`` are all the folder's tables (default: those of ``contents``);
    the ones replaced are kept in ``.previous/``. With ``since`` (the
    :func:`tables_state` of the tables as the caller read them), the save is
    refused when they changed since. Temporary files that interrupted writes
    left are removed from the folder, ``.previous/`` and the folders
    ``also_clean`` (where others write only under this folder's lock, or
    can bear to lose a file being written).

    Raises
    ------
    StaleDataError
        The tables are no longer those of ``since``; nothing was written.
    OSError
        The folder cannot be written; nothing was changed.
    """
    all_names = list(contents if names is None else names)
    directory.mkdir(parents=True, exist_ok=True)
    with _locked(directory, exclusive=True):
        _finish_interrupted(directory, all_names, also_clean)
        current = _read(directory, all_names, {})
        if since is not None and tables_state(current) != since:
            raise StaleDataError(directory)
        renames = _stage_all(directory, contents, current)
        try:
            replaces = {
                name: None if data is None else hashlib.sha256(data).hexdigest()
                for name, data in current.items()
            }
            _write_journal(directory, renames, replaces)
        except BaseException:
            for source, _ in renames:
                (directory / source).unlink(missing_ok=True)
            raise
        try:
            _roll_forward(directory, renames)
        except (KeyboardInterrupt, SystemExit):
            _roll_forward(directory, renames)  # a few renames: finish them, then stop
            raise
    return tables_state({name: contents.get(name, current[name]) for name in all_names})


def _stage_all(
    directory: Path, contents: Mapping[str, bytes], current: Mapping[str, bytes | None]
) -> _Renames:
    """Every file of the new generation beside its target: the renames that make it."""
    previous = directory / PREVIOUS_DIR
    renames: _Renames = []
    try:
        replaced = {name: data for name, data in current.items() if data is not None}
        if replaced:
            previous.mkdir(exist_ok=True)
        for name, data in replaced.items():
            staged = _staged(previous / name, data, like=directory / name)
            renames.append((f"{PREVIOUS_DIR}/{staged.name}", f"{PREVIOUS_DIR}/{name}"))
        for name, data in contents.items():
            staged = _staged(directory / name, data)
            renames.append((staged.name, name))
    except BaseException:
        for source, _ in renames:
            (directory / source).unlink(missing_ok=True)
        raise
    return renames
