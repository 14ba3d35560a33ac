"""Per-column SQL expressions that turn stored values into what an export file holds.

They run inside SQLite, cell by cell, while the rows stream: far faster than a Python call
per cell. Only text that starts like a formula reaches Python (``sift_export_neutral``).
Blobs become ``0x`` and lower-case hex in every text format; infinite reals (SQLite stores no
NaN) become ``Infinity`` / ``-Infinity`` in CSV, as the grid shows them, and null in JSON.
Imports: the standard library and sift modules.
"""

from __future__ import annotations

import sqlite3

from sift.export.neutral import TRIGGERS, neutralize
from sift.names import quote_ident

NEUTRAL_FUNCTION = "sift_export_neutral"
_TRIGGER_CODES = ", ".join(str(ord(c)) for c in sorted(TRIGGERS))
INFINITY = "9e999"  # SQLite reads an out-of-range literal as infinity


def register(conn: sqlite3.Connection) -> None:
    """Make ``sift_export_neutral`` available on ``conn``."""
    conn.create_function(NEUTRAL_FUNCTION, 1, neutralize, deterministic=True)


def is_boolean(declared: str) -> bool:
    return declared.strip().upper() == "BOOLEAN"


def blob_hex(value: str) -> str:
    return f"'0x' || lower(hex({value}))"


def csv_cell(column: str, declared: str, *, raw: bool) -> str:
    """The cell as CSV writes it: text (neutralized unless ``raw``), or a number."""
    value = quote_ident(column)
    text = value if raw else _neutral_text(value)
    cell = (
        f"CASE typeof({value}) WHEN 'text' THEN {text} WHEN 'blob' THEN {blob_hex(value)}"
        f" WHEN 'real' THEN CASE {value} WHEN {INFINITY} THEN 'Infinity'"
        f" WHEN -{INFINITY} THEN '-Infinity' ELSE {value} END ELSE {value} END"
    )
    if is_boolean(declared):
        return f"CASE {value} WHEN 1 THEN 'true' WHEN 0 THEN 'false' ELSE {cell} END"
    return cell


def _neutral_text(value: str) -> str:
    return (
        f"CASE WHEN unicode({value}) IN ({_TRIGGER_CODES})"
        f" THEN {NEUTRAL_FUNCTION}({value}) ELSE {value} END"
    )


def json_cell(column: str) -> str:
    """The value as JSON holds it: blobs as hex text, infinite reals as null."""
    value = quote_ident(column)
    return (
        f"CASE typeof({value}) WHEN 'blob' THEN {blob_hex(value)}"
        f" WHEN 'real' THEN CASE WHEN abs({value}) = {INFINITY} THEN NULL ELSE {value} END"
        f" ELSE {value} END"
    )


def hex_blobs(column: str) -> str:
    """The value, with a blob as hex text (for .xlsx, whose cells hold no bytes)."""
    value = quote_ident(column)
    return f"CASE typeof({value}) WHEN 'blob' THEN {blob_hex(value)} ELSE {value} END"
