"""Tests for sift.charts.defaults through the chart_defaults command: one test per rule."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from sift.charts.commands import chart, chart_defaults
from sift.charts.defaults import is_identifier
from sift.session import Session


@pytest.fixture
def session() -> Iterator[Session]:
    with Session() as opened:
        yield opened


def table(session: Session, columns: str, rows: list[tuple[Any, ...]]) -> None:
    conn = session.workspace.conn
    conn.execute(f"CREATE TABLE t ({columns})")
    marks = ", ".join("?" for _ in rows[0])
    conn.executemany(f"INSERT INTO t VALUES ({marks})", rows)


def pick(session: Session, **view: Any) -> dict[str, Any]:
    found = chart_defaults(session, {"table": "t", **view})
    chart(session, {"table": "t", "chart": found["spec"], **view})  # the default draws
    return found


NAMES = [f"name {i}" for i in range(100)]  # many values: not a bar of counts


def test_a_date_and_a_number_make_a_line_of_the_sum_over_time(session: Session) -> None:
    table(session, "who TEXT, day DATE, amount REAL",
          [(NAMES[i], f"2024-01-{1 + i % 28:02d}", i / 2) for i in range(100)])  # fmt: skip
    found = pick(session)
    assert found["spec"] == {"type": "line", "x": "day", "y": "amount", "agg": "sum",
                             "color": None, "title": None}  # fmt: skip
    assert found["reason"] == "day holds dates: the sum of amount over time."


def test_a_date_alone_makes_a_line_of_counts(session: Session) -> None:
    table(session, "who TEXT, at DATETIME", [(n, "2024-01-01 10:00:00") for n in NAMES])
    spec = pick(session)["spec"]
    assert (spec["type"], spec["x"], spec["y"], spec["agg"]) == ("line", "at", None, "count")


def test_a_text_column_with_few_values_makes_a_bar_of_counts(session: Session) -> None:
    table(session, "who TEXT, city TEXT, size REAL",
          [(n, ["Oslo", "Rome"][i % 2], i) for i, n in enumerate(NAMES)])  # fmt: skip
    found = pick(session)
    assert (found["spec"]["type"], found["spec"]["x"]) == ("bar", "city")
    assert found["reason"] == "city has few values: the rows of each."


def test_two_numbers_make_a_scatter(session: Session) -> None:
    table(
        session,
        "who TEXT, width REAL, height INTEGER",
        [(n, i, i * 2) for i, n in enumerate(NAMES)],
    )
    spec = pick(session)["spec"]
    assert (spec["type"], spec["x"], spec["y"], spec["agg"]) == ("scatter", "width", "height", None)


def test_one_number_makes_a_histogram(session: Session) -> None:
    table(session, "who TEXT, width REAL", [(n, i) for i, n in enumerate(NAMES)])
    spec = pick(session)["spec"]
    assert (spec["type"], spec["x"]) == ("histogram", "width")


def test_identifiers_are_not_numbers_to_chart(session: Session) -> None:
    table(session, "id INTEGER, who TEXT, width REAL", [(i, n, i) for i, n in enumerate(NAMES)])
    assert pick(session)["spec"]["type"] == "histogram"


def test_text_with_many_values_makes_a_bar_of_its_top_values(session: Session) -> None:
    table(session, "who TEXT, code TEXT", [(n, n) for n in NAMES])
    found = pick(session)
    assert (found["spec"]["type"], found["spec"]["x"]) == ("bar", "who")


def test_undeclared_columns_are_read_from_their_values(session: Session) -> None:
    table(session, "a, b, c", [(NAMES[i], i, i * 1.5) for i in range(100)])
    spec = pick(session)["spec"]
    assert (spec["type"], spec["x"], spec["y"]) == ("scatter", "b", "c")


def test_a_filter_changes_the_choice(session: Session) -> None:
    table(session, "who TEXT, width REAL", [(n, i) for i, n in enumerate(NAMES)])
    filters = [{"column": "width", "op": "lt", "value": "5"}]
    assert pick(session, filters=filters)["spec"]["type"] == "bar"


def test_the_profiles_distinct_count_is_used_for_the_whole_table(session: Session) -> None:
    table(session, "who TEXT, width REAL", [(n, i) for i, n in enumerate(NAMES)])
    session.profile("t", "who")
    session.workspace.conn.execute("DELETE FROM t WHERE width > 3")  # the profile still answers
    assert chart_defaults(session, {"table": "t"})["spec"]["type"] == "histogram"


@pytest.mark.parametrize(
    ("name", "expected"),
    [("id", True), ("ID", True), ("user_id", True), ("userId", True), ("orderID", True),
     ("paid", False), ("width", False), ("idle", False), ("Id_card", False)],
)  # fmt: skip
def test_identifier_names(name: str, expected: bool) -> None:
    assert is_identifier(name) is expected
