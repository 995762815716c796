"""Readers of input formats; each turns a file's text into facts with line numbers."""

__all__ = ["FORMATS"]

#: The input formats ``--format`` can name. Here, not beside the readers: the command
#: line needs the names for every command, and the readers only for ingest.
FORMATS: tuple[str, ...] = ("page", "table", "xlsx", "cordis")
