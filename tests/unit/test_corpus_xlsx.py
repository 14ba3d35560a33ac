"""The .xlsx corpus: every workbook in tests/corpus/xlsx/ against the tables expected beside it.

Each ``name.xlsx`` has ``name.expected.json``: {"tables": [{"sheet", "columns", "types",
"rows", "warnings"}]}, one entry per table in sheet order. ``make_corpus.py`` there says how
each workbook was made.
"""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from sift.formats.xlsx import import_xlsx
from sift.names import quote_ident
from tests.unit.test_xlsx import Allocator

CORPUS = Path(__file__).resolve().parents[1] / "corpus" / "xlsx"
WORKBOOKS = sorted(CORPUS.glob("*.xlsx"))


def test_the_corpus_is_there() -> None:
    assert len(WORKBOOKS) >= 7
    for workbook in WORKBOOKS:
        assert workbook.with_name(workbook.stem + ".expected.json").exists(), workbook.name
        assert workbook.stat().st_size < 16 * 1024, "corpus files stay tiny"


def actual_tables(path: Path) -> list[dict[str, Any]]:
    with closing(sqlite3.connect(":memory:", isolation_level=None)) as conn:
        with path.open("rb") as stream:
            reports = import_xlsx(conn, Allocator(), stream, source=path.name)
        return [
            {
                "sheet": report.sheet,
                "columns": report.columns,
                "types": [
                    info[2]
                    for info in conn.execute(f"PRAGMA table_info({quote_ident(report.table)})")
                ],
                "rows": [
                    list(values)
                    for values in conn.execute(
                        f"SELECT * FROM {quote_ident(report.table)} ORDER BY rowid"
                    )
                ],
                "warnings": report.warnings,
            }
            for report in reports
        ]


@pytest.mark.parametrize("path", WORKBOOKS, ids=[path.name for path in WORKBOOKS])
def test_corpus_workbook(path: Path) -> None:
    expected = json.loads(path.with_name(path.stem + ".expected.json").read_text(encoding="utf-8"))
    assert actual_tables(path) == expected["tables"]
