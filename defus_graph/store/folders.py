"""Which data folder is read and which is written when nobody names one.

The rule, in order: the folder ``--data`` or ``$DEFUS_GRAPH_DATA`` names; else the user's own
data folder (:func:`user_data_dir`) once it holds a table; else the example data bundled with
defus-graph. The bundled example is never written: a save of what it shows goes to the user's
data folder, which from then on is the one read.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from ..resources import bundled_data_dir
from .tables import DATA_ENV, FILES

__all__ = ["default_data_dir", "is_bundled", "save_dir", "user_data_dir"]

_APP = "defus-graph"


def user_data_dir() -> Path:
    """The user's own data folder, where the platform keeps applications' data.

    ``%LOCALAPPDATA%\\defus-graph`` on Windows, ``~/Library/Application Support/defus-graph``
    on macOS, ``$XDG_DATA_HOME/defus-graph`` (``~/.local/share/defus-graph``) elsewhere:
    the folders platformdirs names, without a dependency for three lines.
    """
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = str(Path.home() / "Library" / "Application Support")
    else:
        xdg = os.environ.get("XDG_DATA_HOME", "")
        # The XDG rule: a relative path is to be ignored.
        base = xdg if os.path.isabs(xdg) else str(Path.home() / ".local" / "share")
    return Path(base) / _APP


def default_data_dir() -> Path:
    """The folder read when ``--data`` is not given (see the module's rule)."""
    named = os.environ.get(DATA_ENV)
    if named:
        return Path(named)
    mine = user_data_dir()
    # Any table, not all four: a folder a save left incomplete is shown with its problems,
    # never silently replaced by the example.
    if any((mine / name).exists() for name in FILES):
        return mine
    return bundled_data_dir()


def is_bundled(directory: Path) -> bool:
    """Whether ``directory`` is the example data bundled with defus-graph."""
    return Path(directory).resolve() == bundled_data_dir().resolve()


def save_dir(directory: Path) -> Path:
    """Where a save of the data read from ``directory`` goes: there, unless it is the example."""
    return user_data_dir() if is_bundled(directory) else Path(directory)
