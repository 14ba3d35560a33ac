"""bench/csvgen.py: the benchmark CSV is deterministic, well-formed and needs no quoting."""

from __future__ import annotations

import csv
import datetime
import io
from pathlib import Path

import pytest

from bench import csvgen

ROWS = 2000


@pytest.fixture(scope="module")
def text() -> str:
    return "".join(csvgen.lines(ROWS, seed=7))


@pytest.fixture(scope="module")
def table(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_same_seed_same_bytes_other_seed_other_bytes(text: str) -> None:
    assert "".join(csvgen.lines(ROWS, seed=7)) == text
    assert "".join(csvgen.lines(ROWS, seed=8)) != text


def test_header_then_one_line_per_row(text: str, table: list[list[str]]) -> None:
    assert table[0] == list(csvgen.COLUMNS)
    assert len(table) == ROWS + 1
    assert text.endswith("\n")
    assert "\r" not in text


def test_no_field_needs_quoting(text: str, table: list[list[str]]) -> None:
    # So splitting on "," and "\n" (the sql.js importer) reads what csv.reader reads.
    assert '"' not in text
    assert [line.split(",") for line in text.splitlines()] == table


def test_columns_hold_what_they_promise(table: list[list[str]]) -> None:
    columns = dict(zip(csvgen.COLUMNS, zip(*table[1:], strict=True), strict=True))
    assert columns["id"] == tuple(str(i) for i in range(1, ROWS + 1))
    assert all(value.isdigit() for value in columns["account"])
    assert all(value == "" or float(value) for value in columns["amount"])
    assert all(datetime.date.fromisoformat(value) for value in columns["day"])
    assert set(columns["active"]) == {"true", "false"}
    assert all(len(value) == 5 and value.isdigit() for value in columns["zip"])
    assert any(value.startswith("0") for value in columns["zip"])
    assert "" in columns["amount"]
    assert "" in columns["tag"]
    assert max(len(value) for value in columns["comment"]) > 30


def test_about_a_hundred_bytes_a_row(text: str) -> None:
    assert 90 <= len(text.encode()) / ROWS <= 120


def test_cached_writes_once_then_reuses(tmp_path: Path) -> None:
    path, made = csvgen.cached(tmp_path / "cache", 50, seed=1)
    assert made
    assert path.read_text(encoding="utf-8") == "".join(csvgen.lines(50, seed=1))
    path.write_text("kept", encoding="utf-8")
    assert csvgen.cached(tmp_path / "cache", 50, seed=1) == (path, False)
    assert path.read_text(encoding="utf-8") == "kept"
    other, made = csvgen.cached(tmp_path / "cache", 51, seed=1)
    assert made
    assert other != path
    assert not list((tmp_path / "cache").glob("*.partial"))
