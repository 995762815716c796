"""Writing a file so that a reader never sees half of it."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path

from ._columns import ExportError

__all__ = ["write_all_atomic", "write_atomic"]


def write_atomic(path: Path, data: bytes | Iterable[bytes]) -> Path:
    """Write ``data`` to a temporary file beside ``path``, then move it over ``path``.

    ``data`` is the whole content, or an iterable of chunks written one after
    the other as they come (a large document then never has to be held in
    memory). An existing file at ``path`` is replaced only once the new one is
    complete: if writing fails, or the iterable raises, the temporary file is
    removed and ``path`` is left as it was. Raises :class:`ExportError` if the
    folder does not exist.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = write_atomic(Path(folder) / "a.txt", (part for part in (b"one ", b"two")))
    ...     path.read_bytes()
    b'one two'
    """
    return write_all_atomic([(path, data)])[0]


def write_all_atomic(files: Sequence[tuple[Path, bytes | Iterable[bytes]]]) -> list[Path]:
    """Write several files as :func:`write_atomic` writes one, and move them into place
    together once every one is complete: a failure while any is written leaves all the
    paths as they were (two tables that belong together never end up one new, one old).
    Returns the paths."""
    temps: list[Path] = []
    try:
        for path, data in files:
            temps.append(_written_beside(Path(path), data))
        for temp, (path, _) in zip(temps, files, strict=True):
            os.replace(temp, path)
    except BaseException:
        for temp in temps:
            temp.unlink(missing_ok=True)
        raise
    return [Path(path) for path, _ in files]


def _written_beside(path: Path, data: bytes | Iterable[bytes]) -> Path:
    """``data`` in a new temporary file beside ``path`` (removed again if writing fails)."""
    folder = path.parent
    if not folder.is_dir():
        raise ExportError(f"cannot write {path}: the folder {folder} does not exist.")
    # mkstemp makes the file private (0600); give it the mode a plain new file would have.
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
    fd, temp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.chmod(temp, mode)
        with os.fdopen(fd, "wb") as handle:
            if isinstance(data, bytes | bytearray | memoryview):
                handle.write(data)
            else:
                for chunk in data:
                    handle.write(chunk)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return Path(temp)
