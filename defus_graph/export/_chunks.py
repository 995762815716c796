"""A document made and written a few thousand rows at a time.

A writer gives its document as consecutive pieces of text: what comes before
the rows, the rows in chunks of :data:`CHUNK_ROWS` (:func:`row_chunks`), what
comes after. :func:`write_chunks` encodes and writes each piece as it comes
(:func:`~defus_graph.export._files.write_atomic`), so memory holds the table and
one chunk, never the whole document; :func:`joined` gives the whole document
when it is wanted as bytes (a download), from the same pieces.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

from .._bulk import paused_gc
from ._files import write_all_atomic

__all__ = ["CHUNK_ROWS", "joined", "lines", "row_chunks", "write_chunks", "write_documents"]

#: Nodes or edges per chunk of text: enough for the joins to dominate, little to hold.
CHUNK_ROWS = 5000


def row_chunks(n: int, make: Callable[[slice], str]) -> Iterator[str]:
    """``make(rows)`` for consecutive slices of :data:`CHUNK_ROWS` rows that cover ``n`` rows.

    Examples
    --------
    >>> list(row_chunks(12000, lambda rows: f"{rows.start}-{rows.stop} "))
    ['0-5000 ', '5000-10000 ', '10000-15000 ']
    """
    size = CHUNK_ROWS  # read at each call: a test may make chunks small
    for start in range(0, n, size):
        yield make(slice(start, start + size))


def lines(texts: list[str]) -> str:
    """The lines as one piece of text, each ending in a newline (``""`` for none).

    Examples
    --------
    >>> lines(["<a>", "</a>"]), lines([])
    ('<a>\\n</a>\\n', '')
    """
    return "\n".join(texts) + "\n" if texts else ""


def joined(chunks: Iterable[str]) -> bytes:
    """The whole document of ``chunks``, UTF-8."""
    # Chunks hold no reference cycles: the collector would only rescan them.
    with paused_gc():
        return "".join(chunks).encode("utf-8")


def write_chunks(path: Path, chunks: Iterable[str]) -> Path:
    """Write ``chunks`` to ``path`` (atomically, UTF-8), each as it is made; returns ``path``.

    Should making a chunk fail, ``path`` is left as it was and no temporary file
    remains (:func:`~defus_graph.export._files.write_atomic`).
    """
    return write_documents([(path, chunks)])[0]


def write_documents(documents: Sequence[tuple[Path, Iterable[str]]]) -> list[Path]:
    """Write each document's chunks to its path as :func:`write_chunks` does, and move
    them into place together (:func:`~defus_graph.export._files.write_all_atomic`):
    should making any chunk fail, every path is left as it was. Returns the paths."""
    with paused_gc():
        return write_all_atomic(
            [(path, (chunk.encode("utf-8") for chunk in chunks)) for path, chunks in documents]
        )
