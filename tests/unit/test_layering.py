"""The two-layer rule (STYLE.md §1): only sift/ui/ may touch the browser.

Every module under pysrc/sift/ outside sift/ui/ must import under CPython, and must not import
pyscript, js, pyodide, pyodide_js or micropython, nor sift.ui (which does), in any form:
`import x`, `import x.y`, `from x import y`, relative imports, or a literal dynamic import.
"""

from __future__ import annotations

import ast
import importlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

PYSRC = Path(__file__).resolve().parents[2] / "pysrc"
PACKAGE_DIR = PYSRC / "sift"
UI_PACKAGE = "sift.ui"
BROWSER_MODULES = frozenset({"pyscript", "js", "pyodide", "pyodide_js", "micropython"})
DYNAMIC_IMPORTERS = frozenset({"import_module", "__import__"})


@dataclass(frozen=True)
class Breach:
    path: str
    line: int
    imported: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: imports {self.imported}"


def is_ui(module: str) -> bool:
    return module == UI_PACKAGE or module.startswith(UI_PACKAGE + ".")


def is_forbidden(module: str) -> bool:
    return module.split(".", 1)[0] in BROWSER_MODULES or is_ui(module)


def module_name(path: Path) -> str:
    parts = path.relative_to(PYSRC).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def pure_module_files() -> list[Path]:
    """Every .py under pysrc/sift/ except sift/ui/, whatever exists today."""
    return sorted(p for p in PACKAGE_DIR.rglob("*.py") if not is_ui(module_name(p)))


def absolute_base(node: ast.ImportFrom, module: str, is_package: bool) -> str:
    """The module a `from ... import` reads from, with relative levels resolved."""
    if node.level == 0:
        return node.module or ""
    package = module.split(".") if is_package else module.split(".")[:-1]
    parts = package[: max(len(package) - (node.level - 1), 0)]
    return ".".join([*parts, node.module] if node.module else parts)


def dynamic_import(node: ast.Call) -> str | None:
    """`importlib.import_module("js")` or `__import__("js")` with a literal name."""
    func = node.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
    if name not in DYNAMIC_IMPORTERS or not node.args:
        return None
    first = node.args[0]
    return first.value if isinstance(first, ast.Constant) and isinstance(first.value, str) else None


def imported_modules(node: ast.AST, module: str, is_package: bool) -> Iterator[str]:
    """Every module name one node imports; `from sift import ui` yields sift and sift.ui."""
    if isinstance(node, ast.Import):
        yield from (alias.name for alias in node.names)
    elif isinstance(node, ast.ImportFrom):
        base = absolute_base(node, module, is_package)
        yield base
        yield from (f"{base}.{alias.name}" for alias in node.names if alias.name != "*")
    elif isinstance(node, ast.Call) and (name := dynamic_import(node)) is not None:
        yield name


def find_breaches(source: str, path: str, module: str, is_package: bool = False) -> list[Breach]:
    """The browser-only imports in one module's source, one per offending statement."""
    breaches = []
    for node in ast.walk(ast.parse(source, path)):
        forbidden = [m for m in imported_modules(node, module, is_package) if is_forbidden(m)]
        if forbidden:
            breaches.append(Breach(path, getattr(node, "lineno", 0), forbidden[0]))
    return sorted(breaches, key=lambda b: b.line)


def breaches_in(path: Path) -> list[Breach]:
    relative = path.relative_to(PYSRC.parent).as_posix()
    source = path.read_text(encoding="utf-8")
    return find_breaches(source, relative, module_name(path), path.name == "__init__.py")


# --- the rule, on the real package --------------------------------------------------------


def test_the_package_is_where_the_checker_looks() -> None:
    assert PACKAGE_DIR.is_dir(), PACKAGE_DIR


def test_pure_modules_do_not_import_browser_modules() -> None:
    breaches = [str(b) for path in pure_module_files() for b in breaches_in(path)]
    assert not breaches, "only sift/ui/ may import the browser:\n" + "\n".join(breaches)


def test_pure_modules_import_under_cpython() -> None:
    failures = []
    for path in pure_module_files():
        name = module_name(path)
        try:
            importlib.import_module(name)
        except Exception as exc:  # any failure is the finding; report them all at once
            failures.append(f"{name}: {type(exc).__name__}: {exc}")
    assert not failures, "modules outside sift/ui/ must import under CPython:\n" + "\n".join(
        failures
    )


# --- the checker can fail -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "module", "imported"),
    [
        ("import js", "sift.core", "js"),
        ("import js.console", "sift.core", "js.console"),
        ("import os, pyodide.ffi as ffi", "sift.core", "pyodide.ffi"),
        ("from pyodide.ffi import create_proxy", "sift.core", "pyodide.ffi"),
        ("from pyscript import document", "sift.core", "pyscript"),
        ("import pyodide_js", "sift.core", "pyodide_js"),
        ("import micropython", "sift.core", "micropython"),
        ("def f():\n    import js", "sift.core", "js"),
        ("try:\n    import js\nexcept ImportError:\n    js = None", "sift.core", "js"),
        ("from sift.ui import dom", "sift.core", "sift.ui"),
        ("from sift import ui", "sift.core", "sift.ui"),
        ("from .ui import dom", "sift.session", "sift.ui"),
        ("from ..ui.dom import element", "sift.formats.base", "sift.ui.dom"),
        ("import importlib\nimportlib.import_module('js')", "sift.core", "js"),
        ("__import__('pyscript')", "sift.core", "pyscript"),
    ],
)
def test_checker_flags_browser_imports(source: str, module: str, imported: str) -> None:
    breaches = find_breaches(source, "pysrc/sift/core.py", module)
    assert [b.imported for b in breaches] == [imported]


def test_relative_import_from_a_package_init() -> None:
    breaches = find_breaches("from . import ui", "pysrc/sift/__init__.py", "sift", True)
    assert [b.imported for b in breaches] == ["sift.ui"]


@pytest.mark.parametrize(
    "source",
    [
        "import json",
        "import jsonschema",
        "from sift.uix import a",
        "import sift.ui_helpers",
        "from . import names",
        "from typing import TYPE_CHECKING",
        "importlib.import_module(name)",
    ],
)
def test_checker_allows_other_imports(source: str) -> None:
    assert find_breaches(source, "pysrc/sift/session.py", "sift.session") == []


def test_breach_names_file_and_line() -> None:
    [breach] = find_breaches("x = 1\n\nimport js\n", "pysrc/sift/core.py", "sift.core")
    assert str(breach) == "pysrc/sift/core.py:3: imports js"


def test_ui_modules_are_not_checked() -> None:
    names = {module_name(path) for path in pure_module_files()}
    assert not any(is_ui(name) for name in names)
