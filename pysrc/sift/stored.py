"""The index of tables kept in browser storage: what the UI lists before the engine is ready.

The index is a small JSON document {"version": 1, "tables": {name: record}, "saving": {name:
{"source": ...}}}; each record says how big the table is and where it came from. A save first
lists its table under "saving" and holds the Web Lock `saving_lock(table)` until the table's
record replaces that entry, so a page closed mid-save leaves evidence: an entry whose lock
nobody holds. Reading is forgiving: a damaged or future index is reported and ignored rather
than crashing start-up. Imports: the standard library.
"""

from __future__ import annotations

import json
from typing import Any

INDEX_VERSION = 1
SUFFIX = ".sqlite"

Index = dict[str, Any]


SAVING_LOCK = "sift-saving-"


def empty_index() -> Index:
    return {"version": INDEX_VERSION, "tables": {}, "saving": {}}


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
    saving = data.get("saving")  # absent in indexes written before saves were tracked
    saving = dict(saving) if isinstance(saving, dict) else {}
    return {"version": INDEX_VERSION, "tables": dict(data["tables"]), "saving": saving}, ""


def dump_index(index: Index) -> str:
    return json.dumps(index, sort_keys=True)


def file_name(table: str) -> str:
    """Table names are already safe ([A-Za-z0-9_]), so the file is named after the table."""
    return table + SUFFIX


def record(rows: int, columns: list[str], size: int, source: str, saved: str) -> dict[str, Any]:
    return {"rows": rows, "columns": columns, "bytes": size, "source": source, "saved": saved}


def with_table(index: Index, table: str, entry: dict[str, Any]) -> Index:
    """The table's record (its save, if one was under way, is done)."""
    return {**without_saving(index, table), "tables": {**index["tables"], table: entry}}


def without_table(index: Index, table: str) -> Index:
    index = without_saving(index, table)
    return {**index, "tables": {k: v for k, v in index["tables"].items() if k != table}}


def with_saving(index: Index, table: str, source: str) -> Index:
    return {**index, "saving": {**index["saving"], table: {"source": source}}}


def without_saving(index: Index, table: str) -> Index:
    return {**index, "saving": {k: v for k, v in index["saving"].items() if k != table}}


def saving_lock(table: str) -> str:
    """The Web Lock a save holds: the browser frees it when its page or worker ends."""
    return SAVING_LOCK + table


def interrupted(index: Index, held_locks: list[str]) -> list[str]:
    """Tables whose save was under way when its page closed: listed, with no lock held."""
    held = set(held_locks)
    return sorted(name for name in index["saving"] if saving_lock(name) not in held)


def orphans(index: Index, files: list[str]) -> list[str]:
    """Table files the index does not know (left by a save or rename cut short)."""
    known = {file_name(name) for name in (*index["tables"], *index["saving"])}
    return sorted(f for f in files if f.endswith(SUFFIX) and f not in known)


def lost_sentence(table: str, source: str) -> str:
    what = f"{table} (from {source})" if source and source != table else table
    return (
        f"{what} was still being saved when Sift was closed or reloaded, so it was not kept:"
        " open it again."
    )


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
