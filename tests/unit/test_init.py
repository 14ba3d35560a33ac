"""Tests for the sift package itself: its version and its layering rule.

Only sift/ui/ may import the browser (pyscript, js, pyodide); every other module must import
under plain CPython. This walks the imports of each module to enforce that.
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

import sift

PACKAGE = Path(sift.__file__).parent
BROWSER_MODULES = {"pyscript", "js", "pyodide", "pyodide_js", "micropip"}
PURE_MODULES = sorted(
    path for path in PACKAGE.rglob("*.py") if "ui" not in path.relative_to(PACKAGE).parts
)


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_roots(path: Path) -> set[str]:
    roots = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def test_version() -> None:
    assert sift.__version__ == "0.1.0"
    assert sift.__doc__ is not None
    assert "sift/ui/" in sift.__doc__


@pytest.mark.parametrize("path", PURE_MODULES, ids=module_name)
def test_pure_modules_do_not_touch_the_browser(path: Path) -> None:
    assert not imported_roots(path) & BROWSER_MODULES
    importlib.import_module(module_name(path))


@pytest.mark.parametrize("path", PURE_MODULES, ids=module_name)
def test_every_module_opens_with_a_docstring(path: Path) -> None:
    assert ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
