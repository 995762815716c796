"""The package's layers: data flows one way, so a module never imports from a layer above it.

The order is the README's Layout picture, lowest first. A module may import from its own
layer or any layer below, at the top of the file or inside a function alike.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import defus_graph

PACKAGE = Path(defus_graph.__file__).parent

#: Lowest first. A name is a module or a subpackage, relative to ``defus_graph``.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("", "model", "errors", "cells", "_bulk", "_jsontext", "resources"),
    ("names",),
    ("store",),
    ("sources",),
    ("ingest", "reading"),
    ("graph",),
    ("analysis",),
    ("draw",),
    ("export",),
    ("cli", "arguments", "__main__", "dashboard"),
)


def layer_of(module: str) -> int:
    """The layer of ``defus_graph.<module>`` (a dotted name below the package)."""
    parts = module.split(".")[1:]
    head = parts[0] if parts else ""
    for rank, names in enumerate(LAYERS):
        if head in names:
            return rank
    raise AssertionError(f"{module} is in no layer: add it to LAYERS and to the README")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(source: str, module: str, *, is_package: bool) -> set[str]:
    """Every ``defus_graph`` module that ``source`` imports, relative imports resolved."""
    found: set[str] = set()
    here = module.split(".") if is_package else module.split(".")[:-1]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.split(".")[0] == "defus_graph")
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = here[: len(here) - node.level + 1]
                target = ".".join([*base, *([node.module] if node.module else [])])
            else:
                target = node.module or ""
            if target.split(".")[0] != "defus_graph":
                continue
            if node.module is None:  # ``from . import state`` imports modules
                named = (f"{target}.{a.name}" for a in node.names)
                found.update(n for n in named if _is_module(n))
            found.add(target)
    return found


def _is_module(dotted: str) -> bool:
    path = PACKAGE.parent.joinpath(*dotted.split("."))
    return path.with_suffix(".py").exists() or (path / "__init__.py").exists()


def back_imports(source: str, module: str, *, is_package: bool = False) -> list[str]:
    """The imports of ``source`` that reach a layer above ``module``'s."""
    own = layer_of(module)
    return sorted(
        f"{module} imports {target}"
        for target in imported_modules(source, module, is_package=is_package)
        if layer_of(target) > own
    )


MODULES = sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: module_name(p))
def test_no_module_imports_from_a_layer_above(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    assert back_imports(source, module_name(path), is_package=path.name == "__init__.py") == []


def test_the_check_catches_a_back_import_at_the_top_and_inside_a_function() -> None:
    """The rule is not vacuous: the store reaching up into drawing is caught either way."""
    on_top = "from ..draw.layout import layout_positions\n"
    lazy = "def f():\n    from ..dashboard import state\n"
    assert back_imports(on_top, "defus_graph.store.tables") == [
        "defus_graph.store.tables imports defus_graph.draw.layout"
    ]
    assert back_imports(lazy, "defus_graph.store.tables") == [
        "defus_graph.store.tables imports defus_graph.dashboard"
    ]
    assert back_imports("from ..names.resolve import Resolver\n", "defus_graph.store.tables") == []


def test_every_subpackage_has_a_layer_and_the_readme_names_it() -> None:
    readme = (PACKAGE.parent / "README.md").read_text(encoding="utf-8")
    for path in sorted(PACKAGE.iterdir()):
        name = path.stem if path.suffix == ".py" else path.name
        package = path.is_dir() and (path / "__init__.py").exists()
        if package or path.suffix == ".py":
            layer_of("defus_graph" if name == "__init__" else f"defus_graph.{name}")
        if package:
            assert f"{name}/" in readme, f"the README's Layout does not show {name}/"


def test_the_readme_layout_names_every_module_of_the_core_layers() -> None:
    """The picture stays true: a new module in these layers is named there (export/ and
    dashboard/ are described as a whole)."""
    readme = (PACKAGE.parent / "README.md").read_text(encoding="utf-8")
    layout = readme[readme.index("## Layout") :].split("\n## ", 1)[0]
    described_whole = {"export", "dashboard"}
    missing = [
        str(path.relative_to(PACKAGE))
        for path in sorted(PACKAGE.rglob("*.py"))
        if not path.name.startswith("_")
        and path.parent.name not in described_whole
        and path.name not in layout
    ]
    assert missing == []
