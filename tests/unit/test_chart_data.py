"""Tests for sift.charts.data and sift.charts.aggregate: every figure a chart shows is the
aggregate Python computes from the same rows, over the view's filters; bad specs are
SiftErrors that say what to choose instead."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from statistics import fmean
from typing import Any

import pytest

from sift.charts import aggregate
from sift.charts.commands import chart
from sift.errors import SiftError
from sift.session import Session

COLUMNS = ("district", "kind", "amount", "price", "day", "at", "ok")
Row = tuple[Any, ...]


def sales_rows() -> list[Row]:
    """200 regular rows, then one row of NULLs and one with values of the wrong type."""
    rows: list[Row] = []
    for i in range(200):
        rows.append(
            (
                f"d{i % 7}",
                "ABC"[i % 3],
                i % 50 + 1,
                (i % 13) * 1.5,
                (date(2024, 1, 1) + timedelta(days=2 * i)).isoformat(),
                (datetime(2024, 3, 1) + timedelta(minutes=17 * i)).isoformat(" "),
                i % 2,
            )
        )
    rows.append((None, "A", None, None, None, None, None))
    rows.append(("d1", "B", "n/a", float("inf"), "soon", "later", 1))
    return rows


def make_session(rows: list[Row] | None = None) -> Session:
    session = Session()
    session.workspace.conn.execute(
        "CREATE TABLE sales (district TEXT, kind TEXT, amount INTEGER, price REAL, day DATE,"
        " at DATETIME, ok BOOLEAN)"
    )
    session.workspace.conn.executemany(
        "INSERT INTO sales VALUES (?, ?, ?, ?, ?, ?, ?)", sales_rows() if rows is None else rows
    )
    return session


@pytest.fixture
def session() -> Iterator[Session]:
    with make_session() as opened:
        yield opened


def draw(session: Session, **args: Any) -> dict[str, Any]:
    spec = args.pop("spec")
    result = chart(session, {"table": "sales", "chart": spec, "file": True, **args})
    json.dumps(result, allow_nan=False)
    return result


def column(name: str) -> int:
    return COLUMNS.index(name)


def numbers(rows: list[Row], name: str) -> list[tuple[Row, float]]:
    at = column(name)
    return [
        (row, row[at])
        for row in rows
        if isinstance(row[at], int | float) and abs(row[at]) != float("inf")
    ]


def by(rows: list[Row], key: str, value: str) -> dict[Any, list[float]]:
    groups: dict[Any, list[float]] = defaultdict(list)
    for row in rows:
        groups[row[column(key)]]  # every key is a group, numbers or not
    for row, number in numbers(rows, value):
        groups[row[column(key)]].append(number)
    return groups


# --- bar -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("agg", "reduce"),
    [("sum", sum), ("mean", fmean), ("min", min), ("max", max)],
)
def test_bar_aggregates_each_group_like_python(session: Session, agg: str, reduce: Any) -> None:
    result = draw(session, spec={"type": "bar", "x": "district", "y": "amount", "agg": agg})
    expected = {
        ("(empty)" if k is None else k): reduce(v)
        for k, v in by(sales_rows(), "district", "amount").items()
        if v
    }
    rows = result["data"]["rows"]
    shown = {row[0] if row[0] is not None else "(empty)": row[1] for row in rows if row[1]}
    assert shown == pytest.approx(expected)
    assert rows[-1] == [None, None]  # a group without numbers has no value, and comes last
    values = [row[1] for row in rows[:-1]]
    assert values == sorted(values, reverse=True)  # categories by value, largest first


def test_bar_of_counts_counts_every_row_and_names_empty_values(session: Session) -> None:
    result = draw(session, spec={"type": "bar", "x": "district"})
    counts = Counter(row[0] for row in sales_rows())
    assert {row[0]: row[1] for row in result["data"]["rows"]} == dict(counts)
    assert result["data"]["columns"] == ["district", "number of rows"]
    assert result["spec"] == {
        "type": "bar", "x": "district", "y": None, "agg": "count", "color": None, "title": None,
    }  # fmt: skip


def test_bar_keeps_the_top_categories_and_folds_the_rest_into_other(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(aggregate, "TOP_CATEGORIES", 3)
    result = draw(session, spec={"type": "bar", "x": "district", "y": "amount"})
    sums = {k: sum(v) for k, v in by(sales_rows(), "district", "amount").items()}
    top = sorted(sums.items(), key=lambda item: -item[1])[:3]
    rows = result["data"]["rows"]
    assert [tuple(row) for row in rows[:3]] == top
    assert rows[3] == ["Other", sum(sums.values()) - sum(v for _, v in top)]
    assert "the top 3 of 8 districts (the other 5 as Other)" in result["desc"]


def test_bar_of_ordered_values_keeps_their_order(session: Session) -> None:
    result = draw(session, spec={"type": "bar", "x": "ok"})
    assert [row[0] for row in result["data"]["rows"]] == [None, False, True]  # as the grid
    svg = json.dumps(result["svg"])
    assert '"(empty)"' in svg
    assert '"false"' in svg
    assert '"true"' in svg


def test_bar_filters_and_search_of_the_view_apply(session: Session) -> None:
    spec = {"type": "bar", "x": "kind", "y": "amount"}
    filters = [{"column": "district", "op": "exact", "value": "d2"}]
    result = draw(session, spec=spec, filters=filters, sort=[{"column": "nope"}])
    expected = by([r for r in sales_rows() if r[0] == "d2"], "kind", "amount")
    assert {row[0]: row[1] for row in result["data"]["rows"]} == {
        k: sum(v) for k, v in expected.items()
    }
    assert result["rows"] == sum(1 for r in sales_rows() if r[0] == "d2")


def test_bar_by_colour_stacks_counts_and_groups_means(session: Session) -> None:
    stacked = draw(session, spec={"type": "bar", "x": "district", "color": "kind"})
    pairs = Counter((r[0], r[1]) for r in sales_rows())
    assert {(r[0], r[1]): r[2] for r in stacked["data"]["rows"]} == dict(pairs)
    assert stacked["data"]["columns"] == ["district", "kind", "number of rows"]
    assert "highest total" in stacked["desc"]
    grouped = draw(
        session,
        spec={"type": "bar", "x": "district", "y": "amount", "agg": "mean", "color": "kind"},
    )
    assert "highest total" not in grouped["desc"]


def test_colours_beyond_the_top_series_are_other(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(aggregate, "TOP_SERIES", 2)
    result = draw(session, spec={"type": "bar", "x": "kind", "color": "district"})
    labels = {row[1] for row in result["data"]["rows"]}
    assert "Other" in labels
    assert len(labels) == 3
    assert sum(row[2] for row in result["data"]["rows"]) == len(sales_rows())


def test_counts_from_a_profile_match_the_sql(session: Session) -> None:
    spec = {"type": "bar", "x": "district"}
    by_sql = draw(session, spec=spec)
    session.profile("sales", "district")
    session.workspace.conn.execute("DELETE FROM sales")  # the cached counts answer now
    assert draw(session, spec=spec)["data"] == by_sql["data"]


# --- line and area ---------------------------------------------------------------------------


def test_line_over_dates_sums_by_month(session: Session) -> None:
    result = draw(session, spec={"type": "line", "x": "day", "y": "amount"})
    months: dict[str, float] = defaultdict(float)
    for row, amount in numbers(sales_rows(), "amount"):
        if row[4]:
            months[row[4][:7]] += amount
    assert {row[0]: row[1] for row in result["data"]["rows"]} == dict(months)
    assert result["spec"]["agg"] == "sum"
    assert "by month of day" in result["desc"]
    assert result["note"] == "2 rows have no usable day and are left out."


def test_a_date_range_from_a_profile_matches_the_sql(session: Session) -> None:
    spec = {"type": "line", "x": "day", "color": "kind"}
    by_sql = draw(session, spec=spec)
    session.profile("sales", "day")
    assert draw(session, spec=spec) == by_sql


@pytest.mark.parametrize(
    ("days", "unit", "length"),
    [(30, "day", 10), (1000, "month", 7), (6000, "year", 4)],
)
def test_line_buckets_follow_the_range(days: int, unit: str, length: int) -> None:
    rows = [("a", "A", 1, 1.0, (date(2000, 1, 1) + timedelta(days=d)).isoformat(), None, 0)
            for d in range(0, days, max(1, days // 40))]  # fmt: skip
    with make_session(rows) as session:
        result = draw(session, spec={"type": "area", "x": "day"})
    assert ("by day:" if unit == "day" else f"by {unit} of day") in result["desc"]
    assert {len(row[0]) for row in result["data"]["rows"]} == {length}
    assert sum(row[1] for row in result["data"]["rows"]) == len(rows)


def test_line_over_date_times_within_days_is_hourly(session: Session) -> None:
    result = draw(session, spec={"type": "line", "x": "at", "color": "kind"})
    assert "by hour of at" in result["desc"]
    assert result["data"]["rows"][0][:2] == ["2024-03-01 00:00", "A"]


def test_line_over_many_numbers_is_binned(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(aggregate, "MAX_GROUPS", 10)
    monkeypatch.setattr(aggregate, "LINE_BINS", 5)
    result = draw(session, spec={"type": "line", "x": "amount"})
    assert "by amount (in bins of 10)" in result["desc"]
    assert [row[0] for row in result["data"]["rows"]] == [0, 10, 20, 30, 40, 50]
    assert sum(row[1] for row in result["data"]["rows"]) == 200


def test_line_needs_dates_or_numbers(session: Session) -> None:
    with pytest.raises(SiftError, match="needs dates or numbers on x") as caught:
        draw(session, spec={"type": "line", "x": "district"})
    assert "bar chart of district" in caught.value.hint


# --- histogram -------------------------------------------------------------------------------


def test_histogram_counts_each_bin_like_python(session: Session) -> None:
    result = draw(session, spec={"type": "histogram", "x": "price"})
    prices = [p for _, p in numbers(sales_rows(), "price")]
    rows = result["data"]["rows"]
    assert result["data"]["columns"] == ["price from", "price to", "rows"]
    for low, high, count in rows:
        assert count == sum(1 for p in prices if low <= p < high)
    assert sum(row[2] for row in rows) == len(prices)
    assert result["spec"]["agg"] == "count"
    assert result["spec"]["y"] is None


def test_histogram_of_dates_by_colour(session: Session) -> None:
    result = draw(session, spec={"type": "histogram", "x": "day", "color": "kind"})
    assert sum(row[3] for row in result["data"]["rows"]) == 200
    assert result["data"]["rows"][0][:2] == ["2024-01-01", "2024-01-31"]


def test_histogram_needs_numbers_or_dates(session: Session) -> None:
    with pytest.raises(SiftError, match="A histogram needs numbers or dates"):
        draw(session, spec={"type": "histogram", "x": "kind"})


# --- scatter ---------------------------------------------------------------------------------


def test_scatter_shows_every_row_with_both_values(session: Session) -> None:
    result = draw(session, spec={"type": "scatter", "x": "price", "y": "amount"})
    assert len(result["data"]["rows"]) == 200
    assert result["note"] == "2 rows lack a number in price or amount and are left out."


def test_a_big_scatter_is_a_deterministic_spread_sample(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(aggregate, "SAMPLE_SIZE", 20)
    spec = {"type": "scatter", "x": "day", "y": "amount"}
    first, again = draw(session, spec=spec), draw(session, spec=spec)
    assert first["data"] == again["data"]
    assert len(first["data"]["rows"]) == 20
    assert first["note"].startswith("A sample of 20 of 200 rows is shown.")
    days = sorted(row[0] for row in first["data"]["rows"])
    assert days[0] < "2024-02-15"
    assert days[-1] > "2024-12-01"
    assert "20 of 200 rows (a sample)" in first["desc"]


# --- errors and empty views ------------------------------------------------------------------


def test_an_unknown_column_names_the_columns_to_choose(session: Session) -> None:
    with pytest.raises(SiftError, match="has no column named 'town'") as caught:
        draw(session, spec={"type": "bar", "x": "town"})
    assert "district" in caught.value.hint


def test_a_numeric_aggregate_of_text_says_what_to_choose(session: Session) -> None:
    with pytest.raises(SiftError, match="The sum needs numbers, but kind holds text") as caught:
        draw(session, spec={"type": "bar", "x": "district", "y": "kind", "agg": "sum"})
    assert caught.value.hint == "Choose a number column as y, or count the rows by district."


@pytest.mark.parametrize("kind", ["bar", "line", "area", "histogram", "scatter"])
def test_a_view_without_rows_is_an_empty_chart(session: Session, kind: str) -> None:
    filters = [{"column": "district", "op": "exact", "value": "nowhere"}]
    spec = {"type": kind, "x": "day" if kind != "bar" else "district", "y": "amount"}
    result = draw(session, spec=spec, filters=filters)
    assert result["desc"].endswith(": there are no rows to show.")
    assert result["data"]["rows"] == []
    assert "No rows to show." in result["svg_text"]


# --- names and sizes -------------------------------------------------------------------------

HOSTILE = ["k", "n", 'we"ird name', "s", "ck"]  # the SQL's own aliases, a quote, a space


@pytest.mark.parametrize(
    "spec",
    [
        {"type": "bar", "x": "k", "y": "n", "agg": "mean"},
        {"type": "bar", "x": "k", "y": "s", "color": "ck"},
        {"type": "line", "x": "n", "y": "s", "color": "k"},
        {"type": "histogram", "x": "s", "color": 'we"ird name'},
        {"type": "scatter", "x": "n", "y": "s", "color": "k"},
    ],
)
def test_columns_named_like_the_sqls_aliases_are_read_as_columns(spec: dict[str, Any]) -> None:
    rows = [(f"k{i % 3}", i % 10, f"w{i % 2}", i * 0.5, f"c{i % 4}") for i in range(60)]
    with Session() as session:
        conn = session.workspace.conn
        conn.execute('CREATE TABLE t (k TEXT, n INTEGER, "we""ird name" TEXT, s REAL, ck TEXT)')
        conn.executemany("INSERT INTO t VALUES (?, ?, ?, ?, ?)", rows)
        result = chart(session, {"table": "t", "chart": spec})
    if spec["type"] == "bar" and spec.get("agg") == "mean":
        means = {k: fmean(r[1] for r in rows if r[0] == k) for k in ("k0", "k1", "k2")}
        assert dict(map(tuple, result["data"]["rows"])) == pytest.approx(means)
    else:
        assert result["data"]["rows"]
        total = sum(r[-1] for r in result["data"]["rows"]) if spec["type"] == "histogram" else 0
        assert total in (0, 60)


def test_python_holds_groups_never_the_views_rows(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every query a chart runs returns a few rows per group; only a scatter returns rows,
    at most SAMPLE_SIZE of them."""
    from sift.charts.data import Source

    conn = session.workspace.conn
    conn.execute("INSERT INTO sales SELECT * FROM sales")  # 404 rows
    conn.execute("INSERT INTO sales SELECT * FROM sales")  # 808 rows
    fetched: list[int] = []
    run = Source.run

    def counting(self: Source, sql: str, more: Any = None) -> list[tuple[Any, ...]]:
        found = run(self, sql, more)
        fetched.append(len(found))
        return found

    monkeypatch.setattr(Source, "run", counting)
    monkeypatch.setattr(aggregate, "SAMPLE_SIZE", 50)
    for spec in (
        {"type": "bar", "x": "district", "y": "amount"},
        {"type": "bar", "x": "price", "color": "kind"},
        {"type": "area", "x": "day", "color": "district"},
        {"type": "histogram", "x": "price", "color": "kind"},
    ):
        draw(session, spec=spec)
    assert fetched
    assert max(fetched) <= 100
    fetched.clear()
    draw(session, spec={"type": "scatter", "x": "price", "y": "amount"})
    assert max(fetched) == 50
