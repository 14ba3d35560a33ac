"""Every sample in tests/corpus/json/ imports to the table (or error) written beside it.

``x.json`` (or ``x.ndjson``, ``x.jsonl``) has ``x.expected.json`` next to it, holding either
``{"tables": [{"columns": [...], "types": [...], "rows": [[...]]}], "warnings": [...]}``
(``warnings`` optional) or ``{"error": {"message": "...", "line": N, "column": N}}``.
"""

from __future__ import annotations

import io
import json
import math
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from sift.errors import LoadError
from sift.formats.json_records import import_json, import_ndjson

CORPUS = Path(__file__).resolve().parents[1] / "corpus" / "json"
EXPECTED = ".expected.json"
IMPORTERS = {".json": import_json, ".ndjson": import_ndjson, ".jsonl": import_ndjson}


def samples() -> list[Path]:
    return sorted(
        path
        for path in CORPUS.iterdir()
        if path.suffix in IMPORTERS and not path.name.endswith(EXPECTED)
    )


def expected_for(path: Path) -> dict[str, Any]:
    expected = path.with_name(path.name.removesuffix(path.suffix) + EXPECTED)
    result: dict[str, Any] = json.loads(expected.read_text(encoding="utf-8"))
    return result


def same(left: Any, right: Any) -> bool:
    """Equal, with float NaN equal to itself (JSON cannot hold NaN, but be exact anyway)."""
    if isinstance(left, float) and isinstance(right, float):
        return left == right or (math.isnan(left) and math.isnan(right))
    return bool(left == right) and type(left) is type(right)


def import_sample(path: Path) -> dict[str, Any]:
    """What importing the sample gives, in the shape of an expected file."""
    with closing(sqlite3.connect(":memory:", isolation_level=None)) as conn:
        try:
            reports = IMPORTERS[path.suffix](
                conn, lambda hint: "t", io.BytesIO(path.read_bytes()), source=path.name
            )
        except LoadError as error:
            return {"error": {"message": error.message, "line": error.line, "column": error.column}}
        tables = []
        for report in reports:
            info = conn.execute(f'PRAGMA table_info("{report.table}")').fetchall()
            rows = conn.execute(f'SELECT * FROM "{report.table}" ORDER BY rowid').fetchall()
            tables.append(
                {
                    "columns": report.columns,
                    "types": [column[2] for column in info],
                    "rows": [list(row) for row in rows],
                }
            )
        return {"tables": tables, "warnings": [w for r in reports for w in r.warnings]}


def test_the_corpus_has_at_least_ten_samples_each_with_an_expected_file() -> None:
    found = samples()
    assert len(found) >= 10
    for path in found:
        assert expected_for(path)


@pytest.mark.parametrize("path", samples(), ids=lambda path: path.name)
def test_sample_imports_as_expected(path: Path) -> None:
    expected = expected_for(path)
    actual = import_sample(path)
    if "error" in expected:
        assert actual.get("error") == {"line": None, "column": None, **expected["error"]}
        return
    assert "error" not in actual, actual
    assert len(actual["tables"]) == len(expected["tables"])
    for got, want in zip(actual["tables"], expected["tables"], strict=True):
        assert got["columns"] == want["columns"]
        assert got["types"] == want["types"]
        assert len(got["rows"]) == len(want["rows"])
        for got_row, want_row in zip(got["rows"], want["rows"], strict=True):
            assert len(got_row) == len(want_row)
            assert all(same(a, b) for a, b in zip(got_row, want_row, strict=True)), (
                got_row,
                want_row,
            )
    if "warnings" in expected:
        assert actual["warnings"] == expected["warnings"]
