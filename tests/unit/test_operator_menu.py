"""sift.operator_menu: the operator menu per column type, in step with sift.filters."""

from __future__ import annotations

import pytest

from sift import filters
from sift.operator_menu import operators_for

DECLARED_TYPES = [
    "",
    "TEXT",
    "text",
    "VARCHAR(20)",
    "NCHAR",
    "CLOB",
    "BLOB",
    "INTEGER",
    "BIGINT",
    "int",
    "REAL",
    "DOUBLE PRECISION",
    "FLOAT",
    "NUMERIC",
    "DECIMAL(10,2)",
    "MONEY",
    "BOOLEAN",
    "bool",
    "DATE",
    "DATETIME",
    "timestamp",
    " Date ",
    "POINT",  # an unknown name has NUMERIC affinity
]


def names(declared: str) -> list[str]:
    """The menu for a column of this declared type: the kind comes from the engine, as in
    every view reply's `kinds`."""
    kind = filters.column_kind(declared)
    return [str(entry["name"]) for entry in operators_for(filters.registry(), kind)]


@pytest.mark.parametrize("declared", DECLARED_TYPES)
def test_every_declared_type_gets_a_menu_with_exact_and_isnull(declared: str) -> None:
    offered = names(declared)
    assert "isnull" in offered
    assert "exact" in offered


def test_number_column_gets_comparisons_not_text_operators() -> None:
    offered = names("INTEGER")
    assert offered[:2] == ["exact", "not"]
    assert "between" in offered
    assert "contains" not in offered  # text only
    assert "istrue" not in offered  # boolean only


def test_text_column_gets_text_operators_not_comparisons() -> None:
    offered = names("VARCHAR(8)")
    assert "contains" in offered
    assert "gt" not in offered


def test_boolean_and_date_columns() -> None:
    assert "istrue" in names("BOOLEAN")
    assert "contains" not in names("BOOLEAN")
    assert "between" in names("DATE")


def test_entries_without_kinds_are_never_offered() -> None:
    registry: list[dict[str, object]] = [{"name": "a", "kinds": ["text"]}, {"name": "c"}]
    assert [e["name"] for e in operators_for(registry, "text")] == ["a"]
    assert operators_for(registry, "number") == []
