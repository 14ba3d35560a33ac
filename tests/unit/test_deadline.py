"""Tests for sift.deadline: queries past their time limit stop with a QueryTimeout."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator

import pytest

from sift.deadline import QueryTimeout, within
from sift.jobs import Cancelled

ENDLESS = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n"


@pytest.fixture
def conn() -> Iterator[sqlite3.Connection]:
    conn = sqlite3.connect(":memory:")
    yield conn
    conn.close()


class Clock:
    """A clock that moves one second each time it is read."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        self.now += 1.0
        return self.now


def test_an_endless_query_is_stopped_with_a_sift_error(conn: sqlite3.Connection) -> None:
    with (
        pytest.raises(QueryTimeout) as caught,
        within(conn, 5, what="Counting the rows of t", clock=Clock()),
    ):
        conn.execute(ENDLESS).fetchone()
    error = caught.value
    assert error.kind == "timeout"
    assert error.message == "Counting the rows of t took longer than 5 seconds and was stopped."
    assert error.hint.startswith("Narrow it down")


def test_the_handler_is_removed_afterwards(conn: sqlite3.Connection) -> None:
    with within(conn, 5, clock=Clock()):
        assert conn.execute("SELECT 1").fetchone() == (1,)
    # the clock would have run out long ago: no handler may still be watching it
    assert conn.execute("SELECT count(*) FROM (SELECT 1 UNION ALL SELECT 2)").fetchone() == (2,)
    big = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200000)"
    assert conn.execute(f"{big} SELECT count(*) FROM n").fetchone() == (200000,)


def test_other_sqlite_errors_pass_through(conn: sqlite3.Connection) -> None:
    with pytest.raises(sqlite3.OperationalError, match="no such table"), within(conn, 30):
        conn.execute("SELECT * FROM missing")


def run_nested(conn: sqlite3.Connection, query_inside: bool, clock: Clock) -> None:
    with within(conn, 3, what="Outer", clock=clock):
        with within(conn, 1000, what="Inner", clock=clock):
            if query_inside:
                conn.execute(ENDLESS).fetchone()  # the outer time runs out in the inner block
        conn.execute(ENDLESS).fetchone()  # the outer handler is back after the inner block


@pytest.mark.parametrize("query_inside", [True, False])
def test_an_inner_block_keeps_the_outer_deadline(
    conn: sqlite3.Connection, query_inside: bool
) -> None:
    with pytest.raises(QueryTimeout) as caught:
        run_nested(conn, query_inside, Clock())
    assert caught.value.message == "Outer took longer than 3 seconds and was stopped."


class Poll:
    """A cancel hook that raises Cancelled from its ``after``-th call on."""

    def __init__(self, after: int) -> None:
        self.after = after
        self.calls = 0

    def __call__(self) -> None:
        self.calls += 1
        if self.calls >= self.after:
            raise Cancelled("The query was cancelled.", hint="Run it again.")


def test_poll_is_called_and_its_cancel_stops_the_query(conn: sqlite3.Connection) -> None:
    poll = Poll(after=3)
    with pytest.raises(Cancelled) as caught, within(conn, 1000, poll=poll):
        conn.execute(ENDLESS).fetchone()
    assert caught.value.kind == "cancelled"
    assert poll.calls == 3  # never called again once it has cancelled
    assert conn.execute("SELECT 1").fetchone() == (1,)  # the connection is still usable


def test_a_poll_that_never_cancels_leaves_the_deadline_in_charge(conn: sqlite3.Connection) -> None:
    poll = Poll(after=10**9)
    with pytest.raises(QueryTimeout), within(conn, 5, clock=Clock(), poll=poll):
        conn.execute(ENDLESS).fetchone()
    assert poll.calls >= 1


def test_a_cancel_stands_even_if_the_block_swallows_sqlites_error(
    conn: sqlite3.Connection,
) -> None:
    with (
        pytest.raises(Cancelled),
        within(conn, 1000, poll=Poll(after=1)),
        contextlib.suppress(sqlite3.OperationalError),
    ):
        conn.execute(ENDLESS).fetchone()


def test_any_error_from_poll_is_raised_after_sqlite_stops(conn: sqlite3.Connection) -> None:
    def broken() -> None:
        raise KeyError("poll")

    with pytest.raises(KeyError), within(conn, 1000, poll=broken):
        conn.execute(ENDLESS).fetchone()


def test_the_timeout_hint_can_be_given(conn: sqlite3.Connection) -> None:
    with pytest.raises(QueryTimeout) as caught, within(conn, 5, clock=Clock(), hint="Add a LIMIT."):
        conn.execute(ENDLESS).fetchone()
    assert caught.value.hint == "Add a LIMIT."


def test_one_second_is_said_in_the_singular() -> None:
    conn = sqlite3.connect(":memory:")
    ticks = iter([0.0, 5.0, 5.0, 5.0])
    with pytest.raises(QueryTimeout) as caught, within(conn, 1, clock=lambda: next(ticks, 5.0)):
        conn.execute(ENDLESS).fetchall()
    assert caught.value.message == "This query took longer than 1 second and was stopped."
