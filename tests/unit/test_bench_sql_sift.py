"""bench/sql_sift.py's calls, answers and rounds, against a real Session in a fake page.

The page stands in for Chromium and the engine worker: `window.__siftSql.start(command, args)`
becomes `Session.handle(command, args)`, so the `sql`, `view` and `set_functions` replies are
the engine's own.
"""

from __future__ import annotations

import io
from typing import Any, cast

import pytest
from playwright.sync_api import Page

from bench import sql_sift
from bench.explore_data import DEFAULT_SEED, lines
from bench.sql_answers import CHECK_LIMIT, CHECK_ROWS
from bench.sql_data import BIG, DISTRICTS_TABLE, district_lines
from bench.sql_queries import QUERIES, UDF_BUILTIN, UDF_QUERY, Query
from bench.sql_results import EngineRun
from sift.session import Session

ROWS = 2500


class FakePage:
    """Answers sql_sift's page calls from a Session; `calls` records the commands."""

    def __init__(self, session: Session, answer: bool = True) -> None:
        self.session, self.answer = session, answer
        self.outcome: dict[str, Any] | None = None
        self.calls: list[str] = []

    def evaluate(self, script: str, arg: Any = None) -> Any:
        if script == sql_sift.START_JS:
            command, args = arg
            self.calls.append(command)
            reply = self.session.handle(command, args) if self.answer else None
            self.outcome = None if reply is None else {"ms": 12.5, "reply": reply}
            return None
        assert script == sql_sift.READ_JS
        return self.outcome

    def wait_for_function(self, script: str, polling: float, timeout: float) -> None:
        assert script == sql_sift.OUTCOME_JS
        if self.outcome is None:
            from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

            raise PlaywrightTimeoutError("timed out")


@pytest.fixture(scope="module")
def session() -> Session:
    made = Session()
    made.load(f"{BIG}.csv", io.BytesIO("".join(lines(ROWS, DEFAULT_SEED)).encode()))
    made.load(f"{DISTRICTS_TABLE}.csv", io.BytesIO("".join(district_lines()).encode()))
    return made


def page_of(fake: FakePage) -> Page:
    return cast(Page, fake)


def test_every_query_runs_in_sift_and_its_answer_is_read_back(session: Session) -> None:
    fake, run = FakePage(session), EngineRun("sift")
    for query in QUERIES:
        sql_sift.timed_query(page_of(fake), query, True, 30.0, run)
    assert run.problems == []
    assert run.samples == {q.key: [12.5] for q in QUERIES}
    assert set(run.engine_ms) == {q.key for q in QUERIES}
    top = run.answers["top-n"]
    assert (top.count, top.columns) == (10, ("id", "name", "district", "amount"))
    assert run.answers["group-by"].count > CHECK_ROWS
    assert len(run.answers["group-by"].rows) == CHECK_ROWS  # the first rows only
    assert run.answers["group-by-2"].complete  # unordered: every row, for the set comparison


def test_an_unordered_answer_is_read_past_one_page(session: Session) -> None:
    # 1,001 rows are wanted: two `view` pages; more than the limit means "too many".
    fake, run = FakePage(session), EngineRun("sift")
    query = Query("ids", "ids", f"SELECT id FROM {BIG} WHERE id <= 1200", ordered=False)
    sql_sift.timed_query(page_of(fake), query, True, 30.0, run)
    answer = run.answers["ids"]
    assert (answer.count, len(answer.rows)) == (1200, CHECK_LIMIT + 1)
    assert answer.rows[-1] == (CHECK_LIMIT + 1,)
    assert fake.calls == ["sql", "view", "view"]


def test_a_failing_query_is_a_failed_sample_with_the_engine_s_message(session: Session) -> None:
    fake, run = FakePage(session), EngineRun("sift")
    bad = Query("bad", "bad", "SELECT * FORM big", ordered=True)
    sql_sift.timed_query(page_of(fake), bad, True, 30.0, run)
    assert run.samples == {"bad": [None]}
    assert run.problems[0].startswith("bad: sql: ")
    assert "FORM" in run.problems[0]


def test_the_udf_and_the_built_in_agree_in_sift(session: Session) -> None:
    fake, run = FakePage(session), EngineRun("sift")
    sql_sift.udf_pair(page_of(fake), 2, 30.0, run)
    assert run.problems == []
    assert run.samples == {UDF_QUERY.key: [12.5, 12.5], UDF_BUILTIN.key: [12.5, 12.5]}
    assert run.answers[UDF_QUERY.key] == run.answers[UDF_BUILTIN.key]
    assert fake.calls[0] == "set_functions"


def test_version_reads_sqlite_s(session: Session) -> None:
    run = EngineRun("sift")
    sql_sift.sqlite_version(page_of(FakePage(session)), 30.0, run)
    assert run.error is None
    assert run.version.startswith("SQLite 3.")


def test_a_call_without_an_answer_stops_sift_s_side(session: Session) -> None:
    with pytest.raises(sql_sift.CallFailed, match="`sql` did not answer in 2 s"):
        sql_sift.call(page_of(FakePage(session, answer=False)), "sql", {"sql": "SELECT 1"}, 2.0)
