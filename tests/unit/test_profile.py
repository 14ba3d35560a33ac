"""Tests for sift.profile (and sift.bins): column profiles, what odd columns get, the cache."""

from __future__ import annotations

import json
import math
import sqlite3
import statistics
from collections import Counter
from collections.abc import Iterator
from datetime import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sift.bins import date_edges, number_edges
from sift.errors import SiftError
from sift.profile import ProfileCache, profile_column


@pytest.fixture
def conn() -> Iterator[sqlite3.Connection]:
    connection = sqlite3.connect(":memory:", isolation_level=None)
    yield connection
    connection.close()


def table(conn: sqlite3.Connection, declared: str, values: list[object], name: str = "t") -> None:
    conn.execute(f'CREATE TABLE "{name}" (c {declared})')
    conn.executemany(f'INSERT INTO "{name}" VALUES (?)', [(v,) for v in values])


def profile(conn: sqlite3.Connection, declared: str, values: list[object]) -> dict[str, object]:
    table(conn, declared, values)
    result = profile_column(conn, "t", "c", declared)
    json.dumps(result, allow_nan=False)  # every profile is JSON as JavaScript reads it
    return result


def test_numbers_get_every_figure(conn: sqlite3.Connection) -> None:
    got = profile(conn, "INTEGER", [3, 1, 2, 2, None, 10])
    assert got["column"] == "c"
    assert got["type"] == "INTEGER"
    assert got["family"] == "number"
    assert (got["rows"], got["nulls"], got["null_pct"], got["distinct"]) == (6, 1, 100 / 6, 4)
    assert (got["min"], got["max"], got["median"]) == (1, 10, 2)
    assert got["mean"] == pytest.approx(3.6)
    assert got["stddev"] == pytest.approx(statistics.stdev([3, 1, 2, 2, 10]))  # sample, n - 1
    assert got["top"][:2] == [{"value": 2, "count": 2}, {"value": 1, "count": 1}]
    assert sum(got["histogram"]) == 5  # type: ignore[arg-type]
    assert got["histogram_of"] == "bins"


def test_even_count_median_is_the_mean_of_the_two_middle_values(conn: sqlite3.Connection) -> None:
    assert profile(conn, "REAL", [1.0, 2.0, 4.0, 8.0])["median"] == 3.0


def test_whole_number_bins_are_inclusive_and_do_not_overlap(conn: sqlite3.Connection) -> None:
    got = profile(conn, "INTEGER", list(range(100)))
    bins = got["bins"]
    assert isinstance(bins, list)
    assert [(b["low"], b["high"]) for b in bins[:2]] == [(0, 4), (5, 9)]
    assert bins[0]["filters"] == [{"op": "between", "value": "0,4"}]
    assert all(b["count"] == 5 for b in bins)


def test_real_bins_are_half_open_with_exact_filters(conn: sqlite3.Connection) -> None:
    got = profile(conn, "REAL", [0.0, 0.1, 0.2, 0.3, 0.30000000000000004, 0.95])
    bins = got["bins"]
    assert isinstance(bins, list)
    third = next(b for b in bins if b["low"] == 0.3)
    # 0.3 and 0.30000000000000004 (0.1 + 0.2) both fall in [0.3, 0.35)
    assert third["count"] == 2
    assert third["filters"] == [{"op": "gte", "value": "0.3"}, {"op": "lt", "value": "0.35"}]


def test_text_in_a_number_column_is_counted_not_summed(conn: sqlite3.Connection) -> None:
    got = profile(conn, "INTEGER", [1, 5, "n/a", b"\x00", None])
    assert (got["min"], got["max"], got["mean"], got["mismatched"]) == (1, 5, 3.0, 2)
    assert {"value": "n/a", "count": 1} in got["top"]  # type: ignore[operator]
    assert {"value": "x'00'", "count": 1} in got["top"]  # type: ignore[operator]


def test_infinities_are_min_and_max_but_not_in_mean_or_histogram(
    conn: sqlite3.Connection,
) -> None:
    got = profile(conn, "REAL", [float("-inf"), 1.0, 2.0, 3.0, float("inf")])
    assert (got["min"], got["max"], got["median"]) == ("-Infinity", "Infinity", 2.0)
    assert got["mean"] == 2.0
    assert sum(got["histogram"]) == 3  # type: ignore[arg-type]


def test_only_infinities_get_no_mean_and_no_histogram(conn: sqlite3.Connection) -> None:
    got = profile(conn, "REAL", [float("-inf"), float("inf")])
    assert (got["min"], got["max"], got["median"], got["mean"]) == (
        "-Infinity",
        "Infinity",
        None,  # -inf + inf is not a number
        None,
    )
    assert got["histogram"] == []


def test_integers_beyond_2_53_come_back_as_text(conn: sqlite3.Connection) -> None:
    big = 2**62 + 1
    got = profile(conn, "INTEGER", [big, big, -big])
    assert (got["min"], got["max"], got["median"]) == (str(-big), str(big), str(big))
    assert got["top"] == [{"value": str(big), "count": 2}, {"value": str(-big), "count": 1}]
    assert sum(got["histogram"]) == 3  # type: ignore[arg-type]


def test_empty_table_gets_zero_counts_and_no_figures(conn: sqlite3.Connection) -> None:
    got = profile(conn, "REAL", [])
    assert (got["rows"], got["nulls"], got["null_pct"], got["distinct"]) == (0, 0, 0.0, 0)
    assert [got[k] for k in ("min", "max", "mean", "median", "stddev")] == [None] * 5
    assert (got["top"], got["histogram"]) == ([], [])


def test_all_null_column_is_100_percent_null(conn: sqlite3.Connection) -> None:
    got = profile(conn, "DATE", [None, None])
    assert (got["rows"], got["nulls"], got["null_pct"], got["distinct"]) == (2, 2, 100.0, 0)
    assert (got["min"], got["median"], got["top"], got["histogram"]) == (None, None, [], [])


def test_single_row_has_no_standard_deviation(conn: sqlite3.Connection) -> None:
    got = profile(conn, "REAL", [4.5])
    assert (got["min"], got["max"], got["mean"], got["median"], got["stddev"]) == (
        4.5,
        4.5,
        4.5,
        4.5,
        None,
    )
    assert got["histogram"] == [1]


def test_dates_get_min_max_median_and_weekly_bins(conn: sqlite3.Connection) -> None:
    got = profile(conn, "DATE", ["2024-01-15", "2024-03-02", "2024-03-31", "not a date", None])
    assert (got["min"], got["max"], got["median"], got["mean"]) == (
        "2024-01-15",
        "2024-03-31",
        "2024-03-02",
        None,
    )
    assert got["mismatched"] == 1
    bins = got["bins"]
    assert isinstance(bins, list)
    # 11 weeks fit in 20 bins: weeks from the first day, each an inclusive day range
    assert [(b["low"], b["high"], b["count"]) for b in bins][:2] == [
        ("2024-01-15", "2024-01-21", 1),
        ("2024-01-22", "2024-01-28", 0),
    ]
    assert [b["count"] for b in bins] == [1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1]
    assert bins[-1]["filters"] == [{"op": "between", "value": "2024-03-25,2024-03-31"}]


def test_datetimes_within_an_hour_get_half_open_minute_bins(conn: sqlite3.Connection) -> None:
    got = profile(conn, "DATETIME", ["2024-05-01T09:15:00", "2024-05-01T10:00:00"])
    bins = got["bins"]
    assert isinstance(bins, list)
    assert bins[0]["low"] == "2024-05-01T09:15:00"  # the column's own T separator
    assert bins[0]["filters"][1] == {"op": "lt", "value": "2024-05-01T09:20:00"}
    assert [b["count"] for b in bins] == [1] + [0] * 8 + [1]  # 5-minute bins, 10:00 last


def test_datetimes_over_days_get_whole_day_between_bins(conn: sqlite3.Connection) -> None:
    got = profile(conn, "DATETIME", ["2024-05-02 23:59:59", "2024-05-31 00:00:00"])
    bins = got["bins"]
    assert isinstance(bins, list)
    # 2-day bins; the filter's day range takes in every time of its last day
    assert (bins[0]["low"], bins[0]["high"], bins[0]["count"]) == ("2024-05-02", "2024-05-03", 1)
    assert bins[0]["filters"] == [{"op": "between", "value": "2024-05-02,2024-05-03"}]
    assert (bins[-1]["low"], bins[-1]["high"], bins[-1]["count"]) == (
        "2024-05-30",
        "2024-05-31",
        1,
    )


def test_booleans_get_false_true_counts_and_share_of_true(conn: sqlite3.Connection) -> None:
    got = profile(conn, "BOOLEAN", [1, 1, 0, None, 1])
    assert (got["histogram"], got["histogram_of"], got["mean"]) == ([1, 3], "booleans", 0.75)
    assert (got["min"], got["max"]) == (False, True)
    assert got["top"] == [{"value": True, "count": 3}, {"value": False, "count": 1}]


def test_text_gets_first_and_last_and_top_value_counts(conn: sqlite3.Connection) -> None:
    got = profile(conn, "TEXT", ["b", "a", "b", "c", None])
    assert (got["min"], got["max"], got["mean"], got["median"]) == ("a", "c", None, None)
    assert (got["histogram"], got["histogram_of"]) == ([2, 1, 1], "top")


def test_undeclared_column_is_numbers_only_if_every_value_is_one(
    conn: sqlite3.Connection,
) -> None:
    assert profile(conn, "", [1, 2.5])["family"] == "number"
    conn.execute("DROP TABLE t")
    mixed = profile(conn, "", [1, "x"])
    assert (mixed["family"], mixed["mismatched"], mixed["min"]) == ("text", 1, "x")


def test_a_column_named_n_or_v_does_not_confuse_the_grouping(conn: sqlite3.Connection) -> None:
    conn.execute("CREATE TABLE t (n INTEGER, v TEXT)")
    conn.executemany("INSERT INTO t VALUES (?, ?)", [(1, "a"), (1, "a"), (2, "b")])
    assert profile_column(conn, "t", "n", "INTEGER")["top"][0] == {"value": 1, "count": 2}
    assert profile_column(conn, "t", "V", "TEXT")["column"] == "v"


def test_unknown_table_or_column_is_a_sift_error(conn: sqlite3.Connection) -> None:
    table(conn, "TEXT", ["a"])
    with pytest.raises(SiftError, match="no table named 'nope'"):
        profile_column(conn, "nope", "c", "TEXT")
    with pytest.raises(SiftError, match="no column named 'd'") as caught:
        profile_column(conn, "t", "d", "TEXT")
    assert "c" in caught.value.hint


def test_profile_leaves_no_temporary_table(conn: sqlite3.Connection) -> None:
    table(conn, "REAL", [1.0, 2.0])
    profile_column(conn, "t", "c", "REAL")
    assert conn.execute("SELECT name FROM sqlite_temp_master").fetchall() == []


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.none(),
            st.integers(-(10**6), 10**6),
            st.floats(-1e9, 1e9, allow_nan=False, allow_infinity=False),
        ),
        max_size=60,
    )
)
def test_figures_agree_with_python_statistics(values: list[float | None]) -> None:
    with sqlite3.connect(":memory:") as connection:
        table(connection, "REAL", list(values))
        got = profile_column(connection, "t", "c", "REAL")
    numbers = [float(v) for v in values if v is not None]
    assert got["rows"] == len(values)
    assert got["nulls"] == len(values) - len(numbers)
    assert got["distinct"] == len(set(numbers))
    if not numbers:
        assert got["mean"] is None
        return
    assert (got["min"], got["max"]) == (min(numbers), max(numbers))
    assert got["median"] == statistics.median(numbers)
    assert got["mean"] == pytest.approx(statistics.fmean(numbers), rel=1e-9, abs=1e-6)
    if len(numbers) > 1:
        assert got["stddev"] == pytest.approx(statistics.stdev(numbers), rel=1e-6, abs=1e-6)
    assert sum(got["histogram"]) == len(numbers)
    for item in got["bins"]:  # each bin counts exactly what its filters select
        inside = [v for v in numbers if item["low"] <= v < item["high"]]
        assert item["count"] == len(inside)
    top = Counter(numbers).most_common()
    assert [t["count"] for t in got["top"]] == [n for _, n in top[:10]]


@given(st.floats(-1e12, 1e12, allow_nan=False), st.floats(0, 1e12, allow_nan=False), st.booleans())
def test_number_edges_cover_the_range_in_at_most_21_bins(
    low: float, width: float, whole: bool
) -> None:
    if whole:
        low, width = float(int(low)), float(int(width))
    edges = number_edges(low, low + width, whole=whole)
    assert edges.values[0] <= low < edges.values[-1]
    assert edges.values[-2] <= low + width < edges.values[-1]
    assert 2 <= len(edges.values) <= 22
    assert edges.values == sorted(set(edges.values))


def test_date_edges_pick_the_finest_unit_in_20_bins_and_refuse_beyond_9999() -> None:
    day = date_edges(datetime(2024, 1, 1), datetime(2024, 1, 10), with_time=False)
    assert day is not None
    assert (day.unit, day.values[:2]) == ("day", ["2024-01-01", "2024-01-02"])
    years = date_edges(datetime(1900, 1, 1), datetime(2024, 1, 1), with_time=False)
    assert years is not None
    assert (years.unit, years.values[0]) == ("year", "1900-01-01")
    assert date_edges(datetime(9990, 1, 1), datetime(9999, 12, 31), with_time=False) is None


def test_cache_keeps_profiles_per_version_and_forgets_a_table(conn: sqlite3.Connection) -> None:
    table(conn, "INTEGER", [1, 2, 2])
    cache = ProfileCache()
    first = cache.profile(conn, "t", "c", "INTEGER", 1)
    conn.execute("INSERT INTO t VALUES (9)")
    assert cache.profile(conn, "T", "C", "INTEGER", 1) == first  # same version: cached
    assert cache.profile(conn, "t", "c", "INTEGER", 2)["rows"] == 4  # new version: recomputed
    assert len(cache) == 1  # the old version was dropped
    counts = cache.counts("t", "c", 2)
    assert counts is not None
    assert (counts.rows, counts.values[0]) == (4, (2, 2))
    cache.forget("T")
    assert (cache.get("t", "c", 2), len(cache)) == (None, 0)
    returned = cache.profile(conn, "t", "c", "INTEGER", 3)
    returned["top"].clear()  # a caller's change does not reach the cache
    assert cache.get("t", "c", 3)["top"] != []  # type: ignore[index]


def test_infinite_edges_are_not_a_crash() -> None:
    edges = number_edges(-1.7e308, 1.7e308, whole=False)
    assert edges.values[0] == -math.inf
    assert edges.values[-1] == math.inf
