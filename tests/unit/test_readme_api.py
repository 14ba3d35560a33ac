"""The README documents the whole URL fragment API: a new operator or view key without a line
in its tables fails here (DESIGN.md: the fragment is a public API)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sift.chart_spec import CHART_KEY, VIEW_KEY
from sift.filters import OPERATORS as REGISTRY
from sift.view_state import OPERATORS, SOURCE_KEY, SQL_KEY, VIEW_KEYS

README = Path(__file__).resolve().parents[2] / "README.md"


def fragment_section() -> str:
    text = README.read_text(encoding="utf-8")
    match = re.search(r"^## Links: the URL fragment API$(.*?)^## ", text, re.M | re.S)
    assert match, "README has no '## Links: the URL fragment API' section"
    return match.group(1)


@pytest.mark.parametrize("op", list(OPERATORS))
def test_every_operator_is_documented(op: str) -> None:
    assert f"`{op}`" in fragment_section()


@pytest.mark.parametrize("key", [SOURCE_KEY, SQL_KEY, VIEW_KEY, CHART_KEY, *VIEW_KEYS])
def test_every_view_key_is_documented(key: str) -> None:
    assert f"`{key}=" in fragment_section()


def test_the_registry_and_the_fragment_know_the_same_operators() -> None:
    assert tuple(REGISTRY) == OPERATORS
