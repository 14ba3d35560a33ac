"""Every sample in tests/corpus/delimited/ imports to the table (or error) written beside it.

``x.csv`` (any extension) has ``x.expected.json`` next to it, holding either
``{"tables": [{"columns": [...], "types": [...], "rows": [[...]]}], "warnings": [...]}``, with
optional ``encoding``, ``delimiter`` and ``header``, or ``{"error": {"message": "...", "line": N,
"column": N}}``. Values compare with their types: 1 is not 1.0 and neither is "1".
"""

from __future__ import annotations

import io
import json
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from sift.errors import LoadError
from sift.formats.delimited import import_delimited

CORPUS = Path(__file__).resolve().parents[1] / "corpus" / "delimited"
EXPECTED = ".expected.json"
REPORTED = ("encoding", "delimiter", "header")


def samples() -> list[Path]:
    return sorted(path for path in CORPUS.iterdir() if not path.name.endswith(EXPECTED))


def expected_for(path: Path) -> dict[str, Any]:
    expected = path.with_name(path.name.removesuffix(path.suffix) + EXPECTED)
    result: dict[str, Any] = json.loads(expected.read_text(encoding="utf-8"))
    return result


def typed(rows: list[list[Any]]) -> list[list[tuple[str, Any]]]:
    """Rows with each value's type beside it, so 1, 1.0 and True never compare equal."""
    return [[(type(value).__name__, value) for value in row] for row in rows]


def import_sample(path: Path) -> dict[str, Any]:
    """What importing the sample gives, in the shape of an expected file."""
    with closing(sqlite3.connect(":memory:", isolation_level=None)) as conn:
        try:
            report = import_delimited(conn, "t", io.BytesIO(path.read_bytes()), source=path.name)
        except LoadError as error:
            return {"error": {"message": error.message, "line": error.line, "column": error.column}}
        info = conn.execute("PRAGMA table_info(t)").fetchall()
        rows = [list(row) for row in conn.execute("SELECT * FROM t ORDER BY rowid")]
    table = {"columns": [c[1] for c in info], "types": [c[2] for c in info], "rows": rows}
    assert table["columns"] == report.columns
    assert table["types"] == report.types
    result = report.to_dict()
    return {"tables": [table], **{key: result[key] for key in (*REPORTED, "warnings")}}


def test_the_corpus_is_there() -> None:
    assert len(samples()) >= 15
    for path in samples():
        assert expected_for(path), path


@pytest.mark.parametrize("path", samples(), ids=lambda path: path.name)
def test_sample(path: Path) -> None:
    expected, actual = expected_for(path), import_sample(path)
    if "error" in expected:
        assert actual == expected
        return
    assert "error" not in actual, actual
    for key in (*REPORTED, "warnings"):
        if key in expected:
            assert actual[key] == expected[key], key
    (want,), (got,) = expected["tables"], actual["tables"]
    assert got["columns"] == want["columns"]
    assert got["types"] == want["types"]
    assert typed(got["rows"]) == typed(want["rows"])
