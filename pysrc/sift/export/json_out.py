"""JSON export: an array of objects (column name -> value), one object per line, UTF-8.

NULL is null; BOOLEAN columns hold true/false; numbers are written as SQLite holds them
(integers beyond 2**53 keep every digit, which JavaScript's JSON.parse rounds); infinite reals
are null (JSON has no infinity); blobs are ``0x`` and hex text. Imports: the standard library
and sift modules.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from sift.export.cell_sql import is_boolean, json_cell
from sift.export.rows import Row, ViewRows

WRITE_BUFFER = 1 << 20


def write_json(source: ViewRows, path: str) -> list[str]:
    """Write the view's rows to ``path`` as a JSON array; returns warnings (none)."""
    columns = source.columns
    encode = json.JSONEncoder(ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode
    shape = _row_shape([is_boolean(t) for t in source.types])
    first = True
    with open(path, "w", encoding="utf-8", newline="", buffering=WRITE_BUFFER) as out:
        out.write("[")
        with source.batches([json_cell(c) for c in columns]) as batches:
            for batch in batches:
                lines = [encode(dict(zip(columns, shape(row), strict=True))) for row in batch]
                out.write(("\n" if first else ",\n") + ",\n".join(lines))
                first = False
                source.pacer.step(len(batch), out.tell())
        out.write("\n]\n" if not first else "]\n")
    return []


def _row_shape(booleans: list[bool]) -> Callable[[Row], Row | list[Any]]:
    """How a row's values become JSON values: BOOLEAN columns' 1/0 as true/false."""
    positions = [i for i, flag in enumerate(booleans) if flag]
    if not positions:
        return _same

    def shape(row: Row) -> list[Any]:
        values = list(row)
        for i in positions:
            if values[i] in (0, 1) and isinstance(values[i], int):
                values[i] = bool(values[i])
        return values

    return shape


def _same(row: Row) -> Row:
    return row
