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


def loaded_tables_message(name: str, tables: list[tuple[str, int, int]]) -> str:
    """The status line after a load that made several tables (a workbook, a database):
    "Loaded book.xlsx: 2 tables: Sales (1,200 rows, 5 columns), Costs (3 rows, 2 columns)"."""
    if len(tables) == 1:
        return loaded_message(name, tables[0][1], tables[0][2])
    parts = [
        f"{table} ({plural(rows, 'row')}, {plural(columns, 'column')})"
        for table, rows, columns in tables
    ]
    return f"Loaded {name}: {plural(len(tables), 'table')}: " + ", ".join(parts)
