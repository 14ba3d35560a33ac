"""bench/explore_data.py: the explore table is deterministic, well-formed and has the columns
the queries need (200 districts, a numeric amount, nearly unique names)."""

from __future__ import annotations

import csv
import datetime
import io
from collections import Counter
from pathlib import Path

import pytest

from bench import explore_data

ROWS = 5000


@pytest.fixture(scope="module")
def text() -> str:
    return "".join(explore_data.lines(ROWS, seed=7))


@pytest.fixture(scope="module")
def columns(text: str) -> dict[str, tuple[str, ...]]:
    table = list(csv.reader(io.StringIO(text)))
    assert table[0] == list(explore_data.COLUMNS)
    assert len(table) == ROWS + 1
    return dict(zip(explore_data.COLUMNS, zip(*table[1:], strict=True), strict=True))


def test_same_seed_same_bytes_other_seed_other_bytes(text: str) -> None:
    assert "".join(explore_data.lines(ROWS, seed=7)) == text
    assert "".join(explore_data.lines(ROWS, seed=8)) != text


def test_no_field_needs_quoting(text: str) -> None:
    # DuckDB's read_csv and Sift's importer must read the same cells.
    assert '"' not in text
    assert "\r" not in text
    assert all(line.count(",") == len(explore_data.COLUMNS) - 1 for line in text.splitlines())


def test_district_has_exactly_200_values_skewed(columns: dict[str, tuple[str, ...]]) -> None:
    counts = Counter(columns["district"])
    assert len(explore_data.DISTRICTS) == len(set(explore_data.DISTRICTS)) == 200
    assert set(counts) == set(explore_data.DISTRICTS)  # every one appears
    top, *_ = counts.most_common(1)
    assert top[1] > 20 * min(counts.values())  # a facet's top 10 means something


def test_amount_is_a_number_below_1000_or_empty(columns: dict[str, tuple[str, ...]]) -> None:
    amounts = columns["amount"]
    filled = [float(a) for a in amounts if a]
    assert all(0 <= a < 1000 for a in filled)
    assert 0.005 < amounts.count("") / ROWS < 0.04
    # The benchmark's filter (amount > 500) keeps about half: a real count, a real page.
    assert 0.4 < sum(a > 500 for a in filled) / ROWS < 0.6


def test_names_are_nearly_all_distinct(columns: dict[str, tuple[str, ...]]) -> None:
    assert len(set(columns["name"])) > 0.99 * ROWS
    assert all(name.replace(" ", "").isalpha() for name in columns["name"])


def test_other_columns_hold_what_they_promise(columns: dict[str, tuple[str, ...]]) -> None:
    assert columns["id"] == tuple(str(i) for i in range(1, ROWS + 1))
    assert all(1 <= int(q) <= 500 for q in columns["quantity"])
    assert all(datetime.date.fromisoformat(d) for d in columns["day"])
    assert set(columns["active"]) == {"true", "false"}
    assert all(3 <= len(c.split()) <= 9 for c in columns["comment"])


def test_cached_writes_once_then_reuses(tmp_path: Path) -> None:
    path, made = explore_data.cached(tmp_path, 50, seed=1)
    assert made
    assert path.name == explore_data.file_name(50, 1)
    assert path.read_text("utf-8") == "".join(explore_data.lines(50, seed=1))
    path.write_text("kept", encoding="utf-8")
    again, made_again = explore_data.cached(tmp_path, 50, seed=1)
    assert (again, made_again, again.read_text("utf-8")) == (path, False, "kept")
    assert not list(tmp_path.glob("*.partial"))
