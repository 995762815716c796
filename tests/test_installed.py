"""defus-graph installed from its wheel works from any directory and never writes into itself."""

from __future__ import annotations

import json
from pathlib import Path

from lxml import etree

from .conftest import DATA, ROOT
from .installed import Installed

CARRIED = ["app.py", ".streamlit/config.toml", *(f"data/{p.name}" for p in DATA.glob("*.csv"))]


def _files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def _bundle(installed: Installed, cwd: Path) -> Path:
    code = "import defus_graph.resources as r; print(r.bundle_root())"
    return Path(installed.python(code, cwd))


def test_the_package_carries_the_checkouts_screen_data_and_settings(
    installed: Installed, tmp_path: Path
) -> None:
    bundle = _bundle(installed, tmp_path)
    assert bundle.parts[-2:] == ("defus_graph", "bundled")  # the installed copy, not the checkout
    assert {n: b for n, b in _files(bundle).items() if "__pycache__" not in n} == {
        name: (ROOT / name).read_bytes() for name in CARRIED
    }


def test_stats_and_export_from_another_directory(installed: Installed, tmp_path: Path) -> None:
    stats = installed.run("stats", "--json", cwd=tmp_path)
    assert stats.returncode == 0, stats.stderr
    assert json.loads(stats.stdout)["projects"] == 12
    export = installed.run("export", "--format", "gexf", "-o", "network.gexf", cwd=tmp_path)
    assert export.returncode == 0, export.stderr
    gexf = etree.parse(str(tmp_path / "network.gexf"))
    assert len(gexf.findall(".//{*}node")) == 12 + 53


def test_a_save_goes_to_the_users_folder_never_into_the_package(
    installed: Installed, tmp_path: Path
) -> None:
    bundle = _bundle(installed, tmp_path)
    before = _files(bundle)
    share = tmp_path / "share"
    merged = installed.run(
        "merge", "DEFUS", "Augsburg", "--yes", cwd=tmp_path, XDG_DATA_HOME=str(share)
    )
    assert merged.returncode == 0, merged.stderr
    assert str(share / "defus-graph") in merged.stdout
    assert (share / "defus-graph" / "organisations.csv").is_file()
    # The next command reads the user's folder; the package is as it was installed.
    stats = installed.run("stats", "--json", cwd=tmp_path, XDG_DATA_HOME=str(share))
    assert json.loads(stats.stdout)["organisations"] == 52
    assert _files(bundle) == before


def test_a_picture_from_another_directory_uses_the_font_the_wheel_carries(
    installed: Installed, tmp_path: Path
) -> None:
    from PIL import Image

    picture = installed.run("export", "--format", "png", "-o", "network.png", cwd=tmp_path)
    assert picture.returncode == 0, picture.stderr
    assert Image.open(tmp_path / "network.png").size == (3508, 2480)
    code = "import defus_graph.draw.picture as p; print(p.font(10).path)"
    assert Path(installed.python(code, tmp_path)).parts[-4:-1] == ("defus_graph", "draw", "fonts")
