"""The index of tables kept in browser storage: what the UI lists before the engine is ready.

The index is a small JSON document {"version": 1, "tables": {name: record}}; each record says
how big the table is and where it came from. Reading is forgiving: a damaged or future index
is reported and ignored rather than crashing start-up. Imports: the standard library.
"""

from __future__ import annotations

import json
from typing import Any

INDEX_VERSION = 1
SUFFIX = ".sqlite"

Index = dict[str, Any]


def empty_index() -> Index:
    return {"version": INDEX_VERSION, "tables": {}}


def parse_index(text: str | None) -> tuple[Index, str]:
    """The index from stored text, and '' or a sentence saying why it was not usable."""
    if not text:
        return empty_index(), ""
    try:
        data = json.loads(text)
    except ValueError:
        return empty_index(), "The list of saved tables was damaged and has been reset."
    if not isinstance(data, dict) or not isinstance(data.get("tables"), dict):
        return empty_index(), "The list of saved tables was damaged and has been reset."
    if data.get("version") != INDEX_VERSION:
        return empty_index(), (
            "Your saved tables were written by a newer version of Sift; reload to get it."
        )
    return {"version": INDEX_VERSION, "tables": dict(data["tables"])}, ""


def dump_index(index: Index) -> str:
    return json.dumps(index, sort_keys=True)


def file_name(table: str) -> str:
    """Table names are already safe ([A-Za-z0-9_]), so the file is named after the table."""
    return table + SUFFIX


def record(rows: int, columns: list[str], size: int, source: str, saved: str) -> dict[str, Any]:
    return {"rows": rows, "columns": columns, "bytes": size, "source": source, "saved": saved}


def with_table(index: Index, table: str, entry: dict[str, Any]) -> Index:
    return {**index, "tables": {**index["tables"], table: entry}}


def without_table(index: Index, table: str) -> Index:
    return {**index, "tables": {k: v for k, v in index["tables"].items() if k != table}}


def renamed(index: Index, old: str, new: str) -> Index:
    tables = {(new if k == old else k): v for k, v in index["tables"].items()}
    return {**index, "tables": tables}


def listing(index: Index) -> list[dict[str, Any]]:
    """The tables as the UI lists them, in name order."""
    return [
        {
            "name": name,
            "rows": entry.get("rows", 0),
            "columns": entry.get("columns", []),
            "bytes": entry.get("bytes", 0),
            "source": entry.get("source", ""),
        }
        for name, entry in sorted(index["tables"].items())
    ]
