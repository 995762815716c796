"""Archives as CORDIS publishes them: the two CSV files the network needs, taken out of a ZIP.

CORDIS offers each programme as one ZIP of CSV files (``cordis-h2020projects-csv.zip``:
``project.csv``, ``organization.csv`` and several others). :func:`expand_archives` replaces
each archive among the inputs by the ``project.csv`` and ``organization.csv`` it holds,
named ``ARCHIVE/MEMBER`` so that every fact still traces to its file, and notes the
members it left out.

Reading is robust, as far as the standard library allows: :mod:`zipfile` first; if the
archive's central directory (its table of contents, at the end) is damaged or
inconsistent, as in archives that ``unzip`` rejects while ``tar`` reads them, the
members are read one after the other from their local headers, as ``bsdtar`` does, each
checked against its CRC-32; a tar archive (``.tar``, ``.tar.gz``) is read with
:mod:`tarfile`. When none of these can read it, the problem says so, and why.

An ``.xlsx`` workbook is a ZIP too: it is left as it is, for the table reader.
"""

from __future__ import annotations

import bz2
import io
import logging
import struct
import tarfile
import zipfile
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath

from ..errors import DataError, InputError

__all__ = ["WANTED", "Expanded", "archive_members", "expand_archives", "is_archive"]

log = logging.getLogger(__name__)

#: The members taken from an archive, by file name (any folder, any case).
WANTED: tuple[str, ...] = ("project.csv", "organization.csv")

#: Largest member read, uncompressed: far above Horizon 2020's project.csv (about 70 MB),
#: far below what would exhaust the memory of a laptop.
MAX_MEMBER_BYTES = 2 << 30

_ZIP = b"PK\x03\x04"
_EMPTY_ZIP = b"PK\x05\x06"
_LOCAL = struct.Struct("<4sHHHHHIIIHH")  # a ZIP local file header, 30 bytes
_DESCRIPTOR = b"PK\x07\x08"
_HINT = (
    "Download it again from CORDIS; if it still fails, unpack it with another program "
    "and give project.csv and organization.csv instead."
)


@dataclass(frozen=True)
class Expanded:
    """The inputs with each archive replaced by its wanted members, and what to tell."""

    files: tuple[tuple[str, bytes], ...]
    notes: tuple[str, ...] = ()


class _Unreadable(Exception):
    """Why one route could not read an archive (joined into the user's message)."""


def _is_tar(name: str, data: bytes) -> bool:
    suffixes = "".join(PurePosixPath(name.lower()).suffixes[-2:])
    named = suffixes.endswith((".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tar.xz"))
    return named or data[257:262] == b"ustar"


def is_archive(name: str, data: bytes) -> bool:
    """Whether ``data`` is an archive to unpack: a ZIP that is not an Office document, or a tar.

    Examples
    --------
    >>> is_archive("a.csv", b"acronym;title\\n"), is_archive("a.zip", b"PK\\x05\\x06" + bytes(18))
    (False, True)
    """
    if data.startswith((_ZIP, _EMPTY_ZIP)):
        # A workbook (.xlsx, .docx) lists its parts in [Content_Types].xml.
        return b"[Content_Types].xml" not in data[:65536] and not _office_listing(data)
    return _is_tar(name, data)


def _office_listing(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return "[Content_Types].xml" in z.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False


def _wanted(member: str) -> bool:
    return PurePosixPath(member).name.lower() in WANTED


# --- the routes: zipfile, local headers, tarfile --------------------------------------------


def _by_zipfile(data: bytes) -> tuple[list[tuple[str, bytes]], list[str]]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            infos = [i for i in z.infolist() if not i.is_dir()]
            for i in infos:
                if _wanted(i.filename) and i.file_size > MAX_MEMBER_BYTES:
                    raise _Unreadable(f"{i.filename} would be {i.file_size:,} bytes unpacked")
            taken = [(i.filename, z.read(i)) for i in infos if _wanted(i.filename)]
            return taken, [i.filename for i in infos if not _wanted(i.filename)]
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, RuntimeError) as err:
        # RuntimeError: zipfile's word for an encrypted member.
        raise _Unreadable(f"zipfile: {err}") from None
    except (OSError, EOFError, ValueError, zlib.error) as err:
        raise _Unreadable(f"zipfile: {err}") from None


def _zip64_sizes(extra: bytes, csize: int, usize: int) -> tuple[int, int]:
    """Sizes from the ZIP64 extra field, where the header holds 0xFFFFFFFF."""
    at = 0
    while at + 4 <= len(extra):
        tag, size = struct.unpack_from("<HH", extra, at)
        if tag == 1:
            fields = list(struct.unpack_from(f"<{size // 8}Q", extra, at + 4))
            if usize == 0xFFFFFFFF and fields:
                usize = fields.pop(0)
            if csize == 0xFFFFFFFF and fields:
                csize = fields.pop(0)
            break
        at += 4 + size
    return csize, usize


def _engine(method: int, name: str) -> zlib._Decompress | bz2.BZ2Decompressor:
    if method == 8:
        return zlib.decompressobj(-15)
    if method == 12:
        return bz2.BZ2Decompressor()
    raise _Unreadable(f"{name} is compressed with method {method}, which this tool cannot read")


def _stream(method: int, data: memoryview, name: str) -> tuple[bytes, int]:
    """Decompress one member's data that runs to its own end; returns it and its length."""
    engine = _engine(method, name)
    try:
        out = engine.decompress(data, MAX_MEMBER_BYTES + 1)
    except (zlib.error, OSError, EOFError) as err:
        raise _Unreadable(f"{name} is damaged ({err})") from None
    if len(out) > MAX_MEMBER_BYTES:
        raise _Unreadable(f"{name} would be more than {MAX_MEMBER_BYTES:,} bytes unpacked")
    if not engine.eof:
        raise _Unreadable(f"{name} is cut short: the archive ends inside it")
    return out, len(data) - len(engine.unused_data)


def _member_at(data: bytes, pos: int, wanted: bool = True) -> tuple[str, bytes, int]:
    """The member whose local header is at ``pos``: its name, content and where it ends.

    A member not ``wanted`` whose size the header states is skipped unread."""
    if pos + _LOCAL.size > len(data):
        raise _Unreadable("the archive ends inside a file header")
    _, _, flags, method, _, _, crc, csize, usize, nlen, xlen = _LOCAL.unpack_from(data, pos)
    start = pos + _LOCAL.size + nlen + xlen
    name = _local_name(data, pos)
    if flags & 0x1:
        raise _Unreadable(f"{name} is encrypted")
    csize, usize = _zip64_sizes(data[start - xlen : start], csize, usize)
    view = memoryview(data)
    if flags & 0x8 and method != 0:  # sizes follow the data: the stream tells where it ends
        content, used = _stream(method, view[start:], name)
        end = start + used
        at = end + 4 if data[end : end + 4] == _DESCRIPTOR else end
        crc = struct.unpack_from("<I", data, at)[0] if at + 4 <= len(data) else crc
    elif flags & 0x8:  # stored, sizes after the data: up to the descriptor's signature
        end = data.find(_DESCRIPTOR, start)
        if end < 0:
            raise _Unreadable(f"{name} is cut short: the archive ends inside it")
        content = data[start:end]
        crc = struct.unpack_from("<I", data, end + 4)[0]
    else:
        end = start + csize
        if end > len(data):
            raise _Unreadable(f"{name} is cut short: the archive ends inside it")
        if not wanted:
            return name, b"", end
        content = data[start:end] if method == 0 else _stream(method, view[start:end], name)[0]
    if zlib.crc32(content) != crc:
        raise _Unreadable(f"{name} is damaged: its content does not match its checksum")
    return name, content, end


def _local_name(data: bytes, pos: int) -> str:
    if pos + _LOCAL.size > len(data):
        return ""
    flags, nlen = _LOCAL.unpack_from(data, pos)[2], _LOCAL.unpack_from(data, pos)[9]
    raw = data[pos + _LOCAL.size : pos + _LOCAL.size + nlen]
    return raw.decode("utf-8" if flags & 0x800 else "cp437", "replace")


def _by_local_headers(data: bytes) -> tuple[list[tuple[str, bytes]], list[str]]:
    """Every member read in order from its local header, as a streaming reader does."""
    taken: list[tuple[str, bytes]] = []
    others: list[str] = []
    pos = data.find(_ZIP)
    while pos >= 0:
        name, content, end = _member_at(data, pos, _wanted(_local_name(data, pos)))
        if not name.endswith("/"):
            if _wanted(name):
                taken.append((name, content))
            else:
                others.append(name)
        pos = data.find(_ZIP, end)
    return taken, others


def _by_tarfile(data: bytes) -> tuple[list[tuple[str, bytes]], list[str]]:
    try:
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:*") as tar:
            taken: list[tuple[str, bytes]] = []
            others: list[str] = []
            for m in tar:
                if not m.isfile():
                    continue
                if not _wanted(m.name):
                    others.append(m.name)
                    continue
                if m.size > MAX_MEMBER_BYTES:
                    raise _Unreadable(f"{m.name} would be {m.size:,} bytes unpacked")
                handle = tar.extractfile(m)
                taken.append((m.name, handle.read() if handle else b""))
            return taken, others
    except (tarfile.TarError, OSError, EOFError, zlib.error) as err:
        raise _Unreadable(f"tarfile: {err}") from None


def archive_members(name: str, data: bytes) -> tuple[list[tuple[str, bytes]], list[str], str]:
    """The wanted members of the archive ``data``, the other members' names, and the route
    that read it (``""`` for zipfile, else a sentence for a note).

    Raises
    ------
    DataError
        When no route can read it, with each route's reason.
    """
    reasons: list[str] = []
    if data.startswith((_ZIP, _EMPTY_ZIP)):
        try:
            taken, others = _by_zipfile(data)
            return taken, others, ""
        except _Unreadable as err:
            reasons.append(str(err))
        try:
            taken, others = _by_local_headers(data)
            if taken or others:
                how = f"read file by file, as its table of contents cannot be used ({reasons[0]})"
                return taken, others, how
            reasons.append("no file found in it")
        except _Unreadable as err:
            reasons.append(str(err))
    else:
        try:
            taken, others = _by_tarfile(data)
            return taken, others, ""
        except _Unreadable as err:
            reasons.append(str(err))
    raise DataError(
        [InputError(name, None, None, None, f"cannot be read: {'; '.join(reasons)}.", _HINT)]
    )


def _unpacked(name: str, data: bytes) -> tuple[list[tuple[str, bytes]], list[str]]:
    taken, others, how = archive_members(name, data)
    if not taken:
        held = ", ".join(others[:8]) + (f" and {len(others) - 8} more" if len(others) > 8 else "")
        raise DataError(
            [
                InputError(
                    name,
                    None,
                    None,
                    None,
                    f"holds no project.csv or organization.csv ({held or 'no files'}).",
                    "Give the CORDIS archive of a programme's projects (such as "
                    "cordis-h2020projects-csv.zip), or its CSV files.",
                )
            ]
        )
    notes = [f"{name}: {how}." if how else ""]
    read = " and ".join(m for m, _ in taken)
    notes.append(
        f"{name}: read {read}"
        + (f"; left out {', '.join(others)} (not needed for the network)." if others else ".")
    )
    return [(f"{name}/{m}", content) for m, content in taken], [n for n in notes if n]


def expand_archives(inputs: Sequence[tuple[str, bytes]]) -> Expanded:
    """``inputs`` with each archive replaced by its ``project.csv`` and ``organization.csv``.

    Other inputs pass as they are. Raises :class:`DataError` with every archive that
    cannot be read or holds neither file.

    Examples
    --------
    >>> expand_archives([("a.csv", b"x;y\\n")]).files
    (('a.csv', b'x;y\\n'),)
    """
    files: list[tuple[str, bytes]] = []
    notes: list[str] = []
    problems: list[InputError] = []
    for name, data in inputs:
        if not is_archive(name, data):
            files.append((name, data))
            continue
        try:
            taken, told = _unpacked(name, data)
        except DataError as err:
            problems.extend(err.problems)
            continue
        files.extend(taken)
        notes.extend(told)
        log.info("%s: %d files taken out", name, len(taken))
    if problems:
        raise DataError(problems)
    return Expanded(tuple(files), tuple(notes))
