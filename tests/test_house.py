"""Rules of the house that a reviewer should not have to check by hand."""

from __future__ import annotations

import doctest
import importlib
import pkgutil
import re
from pathlib import Path

import pytest

import defus_graph

PACKAGE = Path(defus_graph.__file__).parent
MODULES = sorted(
    m.name
    for m in pkgutil.walk_packages([str(PACKAGE)], "defus_graph.")
    if m.name != "defus_graph.__main__"
)


def test_only_the_dashboard_imports_streamlit() -> None:
    pattern = re.compile(r"^\s*(import streamlit|from streamlit)", re.M)
    leaks = [
        p
        for p in PACKAGE.rglob("*.py")
        if "dashboard" not in p.parts and pattern.search(p.read_text(encoding="utf-8"))
    ]
    assert leaks == []


@pytest.mark.parametrize("name", [m for m in MODULES if ".dashboard" not in m])
def test_docstring_examples_run(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
