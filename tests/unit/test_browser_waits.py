"""No browser test or benchmark gives Playwright's wait_for_function an async predicate.

wait_for_function does not await what its predicate returns: a Promise is truthy, so an
async predicate passes at once and the wait waits for nothing. (wait_stored did that: a test
reloaded before the table was saved, and failed one run in ten.) Use
tests.browser.conftest.wait_for_async instead.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCANNED = ("tests", "bench")


def async_waits(source: str) -> list[int]:
    """Lines where wait_for_function is called with a literal async function."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        if node.func.attr != "wait_for_function" or not node.args:
            continue
        predicate = literal_text(node.args[0])
        if predicate is not None and predicate.lstrip().startswith("async"):
            lines.append(node.lineno)
    return lines


def literal_text(node: ast.expr) -> str | None:
    """A string literal's text, also through .replace(...) and other method calls on it."""
    while isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        node = node.func.value
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ('page.wait_for_function("async () => true")', [1]),
        ('frame.wait_for_function(\n  """\n  async (x) => x"""\n)', [1]),
        ('page.wait_for_function("async () => FOLDER".replace("FOLDER", "x"))', [1]),
        ('page.wait_for_function("() => document.title")', []),
        ("page.wait_for_function(PREDICATE)", []),
        ('page.evaluate("async () => true")', []),
    ],
)
def test_async_waits_finds_literal_async_predicates(source: str, expected: list[int]) -> None:
    assert async_waits(source) == expected


def test_no_wait_for_function_is_given_an_async_predicate() -> None:
    found = [
        f"{path.relative_to(ROOT)}:{line}"
        for folder in SCANNED
        for path in sorted((ROOT / folder).rglob("*.py"))
        for line in async_waits(path.read_text(encoding="utf-8"))
    ]
    assert found == [], "use wait_for_async: wait_for_function does not await a Promise"
