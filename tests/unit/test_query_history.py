"""Tests for sift.query.history: every run recorded, saved queries, dump and load."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest

from sift.query import history
from sift.session import Session


@pytest.fixture
def session() -> Iterator[Session]:
    with Session() as session:
        session.load("t.csv", b"a\n1\n2\n")
        yield session


def queries(session: Session, command: str = "queries", **args: Any) -> dict[str, Any]:
    reply = session.handle(command, args)
    assert reply["ok"], reply
    result: dict[str, Any] = reply["result"]
    return result


def test_every_run_is_recorded_newest_first(session: Session) -> None:
    session.handle("sql", {"sql": "SELECT * FROM t"})
    session.handle("sql", {"sql": "SELECT nope FROM t"})
    runs = queries(session)["history"]
    assert [r["sql"] for r in runs] == ["SELECT nope FROM t", "SELECT * FROM t"]
    failed, done = runs
    assert (failed["ok"], failed["rows"], failed["message"]) == (False, 0, "no such column: nope")
    assert (done["ok"], done["rows"]) == (True, 2)
    assert done["message"].startswith("2 rows in ")
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", done["at"])
    assert isinstance(done["seconds"], float)


def test_history_keeps_the_last_100(session: Session) -> None:
    for n in range(105):
        session.handle("sql", {"sql": f"SELECT {n}"})
    runs = queries(session)["history"]
    assert len(runs) == 100
    assert runs[0]["sql"] == "SELECT 104"
    assert runs[-1]["sql"] == "SELECT 5"


def test_saved_queries_replace_by_name_and_can_be_deleted(session: Session) -> None:
    queries(session, "save_query", name="Big", sql="SELECT 1")
    queries(session, "save_query", name="all", sql="SELECT * FROM t")
    listed = queries(session, "save_query", name="big", sql="SELECT 2")
    assert listed["saved"] == [
        {"name": "all", "sql": "SELECT * FROM t"},
        {"name": "big", "sql": "SELECT 2"},
    ]
    after = queries(session, "delete_query", name="ALL")
    assert after["saved"] == [{"name": "big", "sql": "SELECT 2"}]
    missing = session.handle("delete_query", {"name": "nothing"})
    assert not missing["ok"]
    assert missing["error"]["message"] == "There is no saved query named 'nothing'."
    blank = session.handle("save_query", {"name": "  ", "sql": "SELECT 1"})
    assert blank["error"]["message"] == "Give the query a name."


def test_dump_and_load_round_trip_through_json(session: Session) -> None:
    session.handle("sql", {"sql": "SELECT 1"})
    queries(session, "save_query", name="one", sql="SELECT 1")
    data = json.loads(json.dumps(history.dump(session)))
    with Session() as other:
        history.load(other, data)
        assert queries(other) == queries(session)


@pytest.mark.parametrize(
    "data",
    [
        None,
        "text",
        [],
        {},
        {"version": 99, "history": [], "saved": []},
        {"version": 1, "history": "x", "saved": {"a": 1}},
        {"version": 1, "history": [{"sql": 1}], "saved": [{"name": 2, "sql": "x"}]},
        {
            "version": 1,
            "history": [
                None,
                3,
                {"sql": "s", "at": "t", "ok": 1, "rows": 0, "seconds": 0, "message": ""},
            ],
            "saved": [{"name": " ", "sql": "x"}, "y"],
        },
    ],
)
def test_load_tolerates_garbage(session: Session, data: object) -> None:
    session.handle("sql", {"sql": "SELECT 1"})
    history.load(session, data)
    assert queries(session) == {"history": [], "saved": []}


def test_load_keeps_the_good_entries(session: Session) -> None:
    good = {
        "sql": "SELECT 1",
        "at": "2026-01-01T00:00:00Z",
        "ok": True,
        "rows": 1,
        "seconds": 0.01,
        "message": "1 row in 0.01 s",
    }
    history.load(
        session,
        {
            "version": 1,
            "history": [good, {"sql": "bad"}],
            "saved": [{"name": "x", "sql": "SELECT 2"}, {"name": 1}],
        },
    )
    assert queries(session) == {"history": [good], "saved": [{"name": "x", "sql": "SELECT 2"}]}
