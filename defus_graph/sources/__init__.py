"""Readers of input formats; each turns a file's text into facts with line numbers."""
