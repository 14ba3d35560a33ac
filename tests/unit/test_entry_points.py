"""The worker entry point exports names it really binds (a lint fix once removed one)."""

from __future__ import annotations

import ast
from pathlib import Path

UI = Path(__file__).resolve().parents[2] / "pysrc" / "sift" / "ui"


def bound_and_exported(source: str) -> tuple[set[str], list[str]]:
    tree = ast.parse(source)
    bound: set[str] = set()
    exported: list[str] = []
    for node in tree.body:
        if isinstance(node, ast.ImportFrom | ast.Import):
            bound |= {alias.asname or alias.name for alias in node.names}
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            bound.add(node.name)
        elif isinstance(node, ast.Assign) and ast.unparse(node.targets[0]) == "__export__":
            exported = list(ast.literal_eval(node.value))
    return bound, exported


def test_engine_exports_are_bound() -> None:
    bound, exported = bound_and_exported((UI / "start_engine.py").read_text())
    assert exported == ["handle"]
    assert set(exported) <= bound


def test_checker_catches_a_missing_export() -> None:
    bound, exported = bound_and_exported('__export__ = ["handle"]\n')
    assert not set(exported) <= bound
