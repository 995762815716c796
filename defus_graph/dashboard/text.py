"""Showing data as text in Streamlit's markdown, never as markup.

``st.markdown`` interprets Markdown and Streamlit's own directives (``:red[…]``,
``$…$``), so any value from the data goes through :func:`md` first.
"""

from __future__ import annotations

import re

__all__ = ["md"]

# Characters Markdown, HTML entities or Streamlit directives could act on.
_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&=^])")
_SPACE = re.compile(r"\s+")


def md(value: object) -> str:
    r"""``value`` as Markdown that renders exactly its text, on one line.

    Every ASCII punctuation mark Markdown could act on is backslash-escaped
    (CommonMark shows an escaped mark literally); runs of white space,
    newlines included, become one space.

    Examples
    --------
    >>> print(md("<img src=x onerror=alert(1)>"))
    \<img src\=x onerror\=alert\(1\)\>
    >>> print(md("*Stadt*  :red[Nice]\n$x$"))
    \*Stadt\* \:red\[Nice\] \$x\$
    """
    text = _SPACE.sub(" ", str(value)).strip()
    return _SPECIAL.sub(r"\\\1", text)
