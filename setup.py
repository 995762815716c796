"""Build hook: the package carries the checkout's screen, example data and Streamlit settings.

``app.py``, ``data/*.csv`` and ``.streamlit/config.toml`` stay where the project keeps them (the
README's ``streamlit run app.py`` and ``ingest --out data`` work on them there: one truth). A
wheel copies them, in the same layout, into ``defus_graph/bundled/``, where
:mod:`defus_graph.resources` finds them once installed. An editable install needs no copy: the
package reads them from the checkout.
"""

from __future__ import annotations

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent


def bundled_files() -> list[str]:
    """The checkout's files the package carries, relative to the checkout."""
    names = ["app.py", ".streamlit/config.toml"]
    names += sorted(p.relative_to(HERE).as_posix() for p in (HERE / "data").glob("*.csv"))
    missing = [n for n in names if not (HERE / n).is_file()]
    if missing or len(names) < 3:
        # An sdist without them (see MANIFEST.in) would build a package that cannot start.
        raise SystemExit(f"defus-graph build: missing {', '.join(missing) or 'data/*.csv'}")
    return names


class BuildWithBundle(build_py):
    """``build_py`` that also copies :func:`bundled_files` into ``defus_graph/bundled/``."""

    def run(self) -> None:
        super().run()
        if self.editable_mode:
            return
        target = Path(self.build_lib) / "defus_graph" / "bundled"
        for name in bundled_files():
            self.mkpath(str((target / name).parent))
            self.copy_file(str(HERE / name), str(target / name))


setup(cmdclass={"build_py": BuildWithBundle})
