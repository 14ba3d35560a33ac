"""Sentences shown to the user: pluralisation and status lines.

Kept in one place so the wording stays consistent. Imports: the standard library only.
"""

from __future__ import annotations


def plural(count: int, noun: str) -> str:
    """``count`` with thousands separators and ``noun``, plural unless the count is 1."""
    return f"{count:,} {noun}" + ("" if count == 1 else "s")


def loaded_message(name: str, rows: int, columns: int) -> str:
    """The status line after a load: "Loaded airports.csv: 3,376 rows, 7 columns"."""
    return f"Loaded {name}: {plural(rows, 'row')}, {plural(columns, 'column')}"
