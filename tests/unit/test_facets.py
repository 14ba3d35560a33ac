"""Tests for sift.facets: values and histogram facets over a filtered view."""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sift.errors import SiftError
from sift.facets import facet
from sift.profile import ProfileCache


@pytest.fixture
def conn() -> Iterator[sqlite3.Connection]:
    connection = sqlite3.connect(":memory:", isolation_level=None)
    connection.execute(
        "CREATE TABLE people (name TEXT, city TEXT, age INTEGER, score REAL, born DATE,"
        " member BOOLEAN)"
    )
    rows = [
        ("a", "Paris", 20, 1.5, "2000-01-05", 1),
        ("b", "Paris", 35, 2.5, "1990-06-01", 0),
        ("c", "Oslo", 41, None, "1983-02-28", 1),
        ("d", None, 28, 0.25, None, None),
        ("e", "Lima", 64, 9.75, "1960-12-31", 1),
        ("f", "Oslo", 19, 3.0, "2005-07-14", 0),
    ]
    connection.executemany("INSERT INTO people VALUES (?, ?, ?, ?, ?, ?)", rows)
    yield connection
    connection.close()


def run(conn: sqlite3.Connection, column: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    result = facet(conn, "people", *args[:2], column, *args[2:], **kwargs)
    json.dumps(result, allow_nan=False)
    return result


def test_values_sorted_by_count_then_value_with_other_and_nulls(
    conn: sqlite3.Connection,
) -> None:
    got = run(conn, "city", "", {}, "values", 2)
    assert got["kind"] == "values"
    assert got["values"] == [{"value": "Oslo", "count": 2}, {"value": "Paris", "count": 2}]
    assert (got["other"], got["nulls"], got["rows"], got["distinct"]) == (1, 1, 6, 3)
    assert got["bins"] == []


def test_values_over_a_filtered_view_use_the_views_parameters(conn: sqlite3.Connection) -> None:
    got = run(conn, "city", "age < :f0", {"f0": 30}, "values", 10)
    assert got["values"] == [{"value": "Oslo", "count": 1}, {"value": "Paris", "count": 1}]
    assert (got["other"], got["nulls"], got["rows"]) == (0, 1, 3)


def test_a_view_with_no_rows_gives_empty_counts(conn: sqlite3.Connection) -> None:
    got = run(conn, "city", "age > :f0", {"f0": 100}, "values", 10)
    assert (got["values"], got["other"], got["nulls"], got["rows"]) == ([], 0, 0, 0)
    hist = run(conn, "age", "age > :f0", {"f0": 100}, "histogram", 10)
    assert (hist["bins"], hist["rows"]) == ([], 0)


def test_booleans_facet_as_true_and_false(conn: sqlite3.Connection) -> None:
    got = run(conn, "member", "", {})
    assert got["kind"] == "values"
    assert got["values"] == [{"value": True, "count": 3}, {"value": False, "count": 2}]


def test_numbers_default_to_a_histogram_whose_filters_select_each_bin(
    conn: sqlite3.Connection,
) -> None:
    got = run(conn, "age", "", {})
    assert got["kind"] == "histogram"
    assert got["values"] == []
    assert sum(b["count"] for b in got["bins"]) == 6
    first = got["bins"][0]
    assert (first["low"], first["high"]) == (15, 19)  # whole numbers: inclusive high
    assert first["filters"] == [{"column": "age", "op": "between", "value": "15,19"}]


def test_real_histogram_skips_nulls_and_counts_other_types(conn: sqlite3.Connection) -> None:
    conn.execute("INSERT INTO people (name, score) VALUES ('g', 'n/a'), ('h', 1e999)")
    got = run(conn, "score", "", {}, "histogram", 10)
    assert (got["nulls"], got["other"]) == (1, 2)  # 'n/a' and infinity are in no bin
    assert sum(b["count"] for b in got["bins"]) == 5
    assert got["bins"][0]["filters"][0]["op"] == "gte"


def test_date_histogram_by_whole_days_or_longer(conn: sqlite3.Connection) -> None:
    got = run(conn, "born", "", {})
    assert got["kind"] == "histogram"
    assert sum(b["count"] for b in got["bins"]) == 5
    assert got["bins"][0]["low"] == "1960-01-01"
    assert got["bins"][0]["filters"][0]["op"] == "between"


def test_unfiltered_values_come_from_a_cached_profile(conn: sqlite3.Connection) -> None:
    cache = ProfileCache()
    cache.profile(conn, "people", "city", "TEXT", 7)
    conn.execute("DELETE FROM people")  # the cache answers: this version is what it knew
    got = run(conn, "city", "", {}, "values", 2, cache=cache, version=7)
    assert got["values"][0] == {"value": "Oslo", "count": 2}
    fresh = run(conn, "city", "", {}, "values", 2, cache=cache, version=8)
    assert fresh["values"] == []


@pytest.mark.parametrize(
    ("column", "kind", "limit", "message"),
    [
        ("city", "pie", 10, "'values' or 'histogram'"),
        ("city", "histogram", 10, "holds text values"),
        ("member", "histogram", 10, "holds boolean values"),
        ("city", "values", 0, "from 1 to 1,000"),
        ("city", "values", True, "from 1 to 1,000"),
        ("nope", "values", 10, "no column named 'nope'"),
    ],
)
def test_bad_requests_are_sift_errors(
    conn: sqlite3.Connection, column: str, kind: str, limit: Any, message: str
) -> None:
    with pytest.raises(SiftError, match=message):
        facet(conn, "people", "", {}, column, kind, limit)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.one_of(st.none(), st.integers(-50, 50)), max_size=40),
    st.integers(-50, 50),
)
def test_facets_agree_with_python_counts(values: list[int | None], cut: int) -> None:
    with sqlite3.connect(":memory:") as connection:
        connection.execute("CREATE TABLE t (x INTEGER, label TEXT)")
        connection.executemany(
            "INSERT INTO t VALUES (?, ?)",
            [(v, None if v is None else f"v{abs(v) % 7}") for v in values],
        )
        got = facet(connection, "t", "x >= :f0", {"f0": cut}, "label", "values", 3)
        hist = facet(connection, "t", "x >= :f0", {"f0": cut}, "x", "histogram", 10)
    kept = [v for v in values if v is not None and v >= cut]
    labels = Counter(f"v{abs(v) % 7}" for v in kept)
    expected = sorted(labels.items(), key=lambda item: (-item[1], item[0]))[:3]
    assert [(v["value"], v["count"]) for v in got["values"]] == expected
    assert got["other"] == len(kept) - sum(n for _, n in expected)
    assert got["nulls"] == 0
    for item in hist["bins"]:
        assert item["count"] == sum(item["low"] <= v <= item["high"] for v in kept)
    assert sum(item["count"] for item in hist["bins"]) == len(kept)
