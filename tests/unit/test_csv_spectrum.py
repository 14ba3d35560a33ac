"""The csv-spectrum cases (npm package csv-spectrum, a devDependency): each csvs/x.csv imports to
the records in json/x.json.

The JSON holds every value as a string, so stored values are compared as text: an INTEGER 1 as
"1" and NULL as "" (Sift stores empty cells as NULL).
"""

from __future__ import annotations

import io
import json
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from sift.formats.delimited import import_delimited

SPECTRUM = Path(__file__).resolve().parents[2] / "node_modules" / "csv-spectrum"

if not (SPECTRUM / "csvs").is_dir():
    pytest.skip(
        f"csv-spectrum is not installed ({SPECTRUM} is missing): run `npm ci`",
        allow_module_level=True,
    )

# csv-spectrum 2.0.0's own mistakes: location_coordinates.json holds one object rather than an
# array, and a phone number that differs from the one in its CSV.
ERRATA: dict[str, dict[str, str]] = {
    "location_coordinates": {"Contact Phone Number": "2095257564"},
}


def cases() -> list[str]:
    return sorted(path.stem for path in (SPECTRUM / "csvs").glob("*.csv"))


def expected_records(name: str) -> list[dict[str, str]]:
    loaded: Any = json.loads((SPECTRUM / "json" / f"{name}.json").read_text(encoding="utf-8"))
    records: list[dict[str, str]] = loaded if isinstance(loaded, list) else [loaded]
    return [{**record, **ERRATA.get(name, {})} for record in records]


def as_text(value: object) -> str:
    return "" if value is None else str(value)


def test_the_cases_are_there() -> None:
    assert len(cases()) >= 12


@pytest.mark.parametrize("name", cases())
def test_case(name: str) -> None:
    data = (SPECTRUM / "csvs" / f"{name}.csv").read_bytes()
    with closing(sqlite3.connect(":memory:", isolation_level=None)) as conn:
        report = import_delimited(conn, "t", io.BytesIO(data), source=f"{name}.csv")
        rows = conn.execute("SELECT * FROM t ORDER BY rowid").fetchall()
    records = [dict(zip(report.columns, map(as_text, row), strict=True)) for row in rows]
    assert report.header is True
    assert records == expected_records(name)
    assert report.warnings == []
