"""The files the package carries besides its code: the screen, the example data, the settings.

They are kept once, in the checkout: ``app.py`` (the dashboard's screen), ``data/`` (the
example tables) and ``.streamlit/config.toml`` (the dashboard's settings: offline, no usage
statistics, the upload limit, XSRF protection, no error details). A built package carries a
copy of them in the same layout in ``defus_graph/bundled/`` (see ``setup.py``); an editable
install reads them from the checkout. Both are real folders: Streamlit runs the screen from a
file and the data folder is read by path, so the package must be installed unpacked, which
pip always does.
"""

from __future__ import annotations

import functools
import tomllib
from importlib import resources
from pathlib import Path

from .errors import DefusGraphError

__all__ = ["bundle_root", "bundled_data_dir", "screen_script", "streamlit_settings"]


@functools.cache
def bundle_root() -> Path:
    """The folder holding ``app.py``, ``data/`` and ``.streamlit/``.

    ``defus_graph/bundled/`` in an installed package, else the checkout the package is in.
    """
    package = Path(str(resources.files("defus_graph")))
    for root in (package / "bundled", package.parent):
        if (root / "app.py").is_file() and (root / "data").is_dir():
            return root
    raise DefusGraphError(
        f"This defus-graph at {package} lacks its dashboard and example data "
        "(defus_graph/bundled/). Reinstall it: pip install --force-reinstall defus-graph."
    )


def screen_script() -> Path:
    """The dashboard's screen, the file ``streamlit run`` runs."""
    return bundle_root() / "app.py"


def bundled_data_dir() -> Path:
    """The example data that comes with defus-graph (never written to: see ``store``)."""
    return bundle_root() / "data"


def streamlit_settings() -> dict[str, str]:
    """The dashboard's Streamlit settings as ``section.option`` → the value as a flag takes it.

    Examples
    --------
    >>> settings = streamlit_settings()
    >>> settings["browser.gatherUsageStats"], settings["server.enableXsrfProtection"]
    ('false', 'true')
    """
    with (bundle_root() / ".streamlit" / "config.toml").open("rb") as fh:
        config = tomllib.load(fh)
    return {
        f"{section}.{option}": _flag_value(value)
        for section, options in config.items()
        for option, value in options.items()
    }


def _flag_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | str):
        return str(value)
    raise DefusGraphError(f"The dashboard's settings hold a value no flag can carry: {value!r}.")
