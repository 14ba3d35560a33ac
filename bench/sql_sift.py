"""The SQL benchmark's Sift side: the app from dist/, driven through its engine worker.

In a new, empty Chromium profile, Sift starts as a user's tab does; then bench/sql_sift.js calls
the engine worker's `handle` as the UI does (docs/query-contract.md): `load_url` for each CSV
(the worker fetches it from the benchmark's CSV server and imports it as "Open URL" would;
nothing else runs meanwhile, so no profiling or saving competes with the queries), then `sql`
{sql, seconds} for each query, once per round. The time is taken in the page around the call:
the worker's message round trip and the JSON both ways are part of it, and so is the `sql`
command's own work beyond running the query: it stores every result in a result table
(`sift_result_<n>`), which the other engines do not do. After a query's first run, outside the
clock, `view` reads the result table's row count and first rows for the answer check.
The Python UDF pair: `set_functions` registers the function, then the UDF query and the
built-in expression alternate, once per round each.
"""

from __future__ import annotations

import time
from typing import Any, Final

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from bench.browser import Chromium, remaining_ms
from bench.import_browser import ALERT_JS, SIFT_STATE_JS, STARTED_JS
from bench.pages import BENCH_DIR
from bench.sql_answers import Answer, answer_from, rows_wanted
from bench.sql_queries import UDF_BUILTIN, UDF_QUERY, UDF_SOURCE, Query
from bench.sql_results import EngineRun

SCRIPT: Final = BENCH_DIR / "sql_sift.js"
POLL_MS: Final = 50  # page-side times do not depend on it; it only bounds the wait's overhead
SETTLE_S: Final = 1.0  # after start-up: the UI's own first calls (the tables panel) are done
PAGE_LIMIT: Final = 1000  # the most rows `view` returns at once (sift.workspace.MAX_PAGE_SIZE)
START_JS: Final = "([command, args]) => window.__siftSql.start(command, args)"
OUTCOME_JS: Final = "() => window.__siftSqlOutcome !== undefined"
READ_JS: Final = "() => window.__siftSqlOutcome"
VERSION_SQL: Final = "SELECT sqlite_version() AS version"
# Cancel: a query that never ends by itself, cancelled this long after it starts, this often.
RUNAWAY_SQL: Final = (
    "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c"
)
CANCEL_AFTER_MS: Final = 1500
CANCELS: Final = 3
CANCEL_JS: Final = "(ms) => window.__siftSql.cancelAfter(ms)"
CANCEL_LAG_JS: Final = "() => window.__siftSqlOutcome.at - window.__siftCancelSentAt"


class CallFailed(Exception):
    """An engine call that did not answer (in time, or at all): Sift's side stops there."""


def call(page: Page, command: str, args: dict[str, Any], timeout_s: float) -> tuple[float, Any]:
    """The page-side ms of one engine call, and its reply ({ok, result} or {ok, error})."""
    page.evaluate(START_JS, [command, args])
    try:
        page.wait_for_function(OUTCOME_JS, polling=POLL_MS, timeout=max(1.0, timeout_s * 1000))
    except PlaywrightTimeoutError as exc:
        raise CallFailed(f"`{command}` did not answer in {timeout_s:g} s") from exc
    outcome: dict[str, Any] = page.evaluate(READ_JS)
    if "error" in outcome:
        raise CallFailed(f"`{command}` failed in the page: {outcome['error']}")
    return float(outcome["ms"]), outcome["reply"]


def error_text(reply: dict[str, Any]) -> str:
    """An error reply as one line: "sql: near "FORM": syntax error"."""
    error = reply.get("error") or {}
    return f"{error.get('kind', 'error')}: {error.get('message', 'no message')}"


def run(
    chromium: Chromium,
    sift_url: str,
    tables: list[tuple[str, str]],
    queries: tuple[Query, ...],
    rounds: int,
    step_timeout_s: float,
    udf: bool,
) -> EngineRun:
    """Load `tables` ((name, CSV URL) pairs), then run the queries; never raises."""
    result = EngineRun("sift")
    with chromium.fresh_context() as context:
        page = context.new_page()
        page.add_init_script(path=SCRIPT)
        try:
            if _start(page, sift_url, chromium.timeout_s, result) and _load(
                page, tables, chromium.timeout_s, result
            ):
                sqlite_version(page, step_timeout_s, result)
                if result.error is None:
                    _rounds(page, queries, rounds, step_timeout_s, result)
                    if udf:
                        udf_pair(page, rounds, step_timeout_s, result)
                    cancel_lags(page, step_timeout_s, result)
        except CallFailed as exc:
            result.error = str(exc)
        except PlaywrightError as exc:  # the page crashed or closed: keep what was measured
            result.error = f"browser error: {exc.message}"
    return result


def _start(page: Page, url: str, timeout_s: float, result: EngineRun) -> bool:
    deadline = time.monotonic() + timeout_s
    try:
        page.goto(url, wait_until="commit", timeout=remaining_ms(deadline))
        page.wait_for_function(STARTED_JS, polling=100, timeout=remaining_ms(deadline))
    except PlaywrightTimeoutError:
        result.error = f"Sift did not start in {timeout_s:g} s"
        return False
    if page.evaluate(SIFT_STATE_JS) != "ready":
        result.error = f"Sift did not start: {page.evaluate(ALERT_JS) or 'no detail'}"
        return False
    time.sleep(SETTLE_S)
    return True


def _load(page: Page, tables: list[tuple[str, str]], timeout_s: float, result: EngineRun) -> bool:
    """Import each CSV through the worker; the table must get the name and the rows expected."""
    total_ms = 0.0
    for name, url in tables:
        ms, reply = call(page, "load_url", {"url": url, "name": f"{name}.csv"}, timeout_s)
        if not reply["ok"]:
            result.error = f"loading {name}: {error_text(reply)}"
            return False
        loaded = reply["result"]
        if loaded["table"] != name:
            result.error = f"{name}.csv became table {loaded['table']!r}, not {name!r}"
            return False
        result.rows[name] = int(loaded["rows"])
        total_ms += ms
    result.load_s = total_ms / 1000
    return True


def sqlite_version(page: Page, timeout_s: float, result: EngineRun) -> None:
    """The SQLite version, and a first `sql` call: a Sift without the command stops here."""
    _, reply = call(page, "sql", {"sql": VERSION_SQL, "seconds": timeout_s}, timeout_s + 30)
    if not reply["ok"]:
        result.error = f"the `sql` command failed on {VERSION_SQL!r}: {error_text(reply)}"
        return
    answer = _answer(page, reply["result"], 1, timeout_s)
    result.version = f"SQLite {answer.rows[0][0]}" if answer.rows else "unknown"


def _rounds(
    page: Page, queries: tuple[Query, ...], rounds: int, timeout_s: float, result: EngineRun
) -> None:
    for number in range(rounds):
        for query in queries:
            timed_query(page, query, number == 0, timeout_s, result)


def udf_pair(page: Page, rounds: int, timeout_s: float, result: EngineRun) -> None:
    _, reply = call(page, "set_functions", {"source": UDF_SOURCE}, timeout_s)
    if not reply["ok"]:
        for query in (UDF_QUERY, UDF_BUILTIN):
            result.add(query.key, None, f"set_functions failed: {error_text(reply)}")
        return
    for number in range(rounds):
        for query in (UDF_QUERY, UDF_BUILTIN):
            timed_query(page, query, number == 0, timeout_s, result)


def cancel_lags(page: Page, timeout_s: float, result: EngineRun) -> None:
    """How long after the UI's "cancel" call a runaway query's reply comes (the UI shows it
    then): the engine lets the call in from SQLite's progress handler."""
    for _ in range(CANCELS):
        page.evaluate(CANCEL_JS, CANCEL_AFTER_MS)
        _, reply = call(page, "sql", {"sql": RUNAWAY_SQL, "seconds": timeout_s}, timeout_s + 30)
        kind = (reply.get("error") or {}).get("kind")
        if reply["ok"] or kind != "cancelled":
            result.problems.append(f"cancel: the runaway query ended with {error_text(reply)}")
            return
        result.cancel_ms.append(float(page.evaluate(CANCEL_LAG_JS)))


def timed_query(page: Page, query: Query, first: bool, timeout_s: float, result: EngineRun) -> None:
    """One timed `sql` call; after a first run, the answer (untimed)."""
    args = {"sql": query.sql_for("sift"), "seconds": timeout_s}
    # The engine stops the query at its deadline; the call gets a little longer to say so.
    ms, reply = call(page, "sql", args, timeout_s + 30)
    if not reply["ok"]:
        result.add(query.key, None, error_text(reply))
        return
    result.add(query.key, ms)
    seconds = reply["result"].get("seconds")
    if isinstance(seconds, int | float):
        result.engine_ms.setdefault(query.key, []).append(float(seconds) * 1000)
    if first:
        result.answers[query.key] = _answer(
            page, reply["result"], rows_wanted(query.ordered), timeout_s
        )


def _answer(page: Page, reply: dict[str, Any], want: int, timeout_s: float) -> Answer:
    """The result table's row count, columns and first `want` rows, read with `view`."""
    if reply.get("kind") != "rows" or not reply.get("table"):
        raise CallFailed(f"`sql` returned no result table: {reply!r:.300}")
    rows: list[list[Any]] = []
    columns: list[str] = []
    count = 0
    while True:
        limit = min(PAGE_LIMIT, want - len(rows))
        args = {"table": reply["table"], "offset": len(rows), "limit": limit}
        _, page_reply = call(page, "view", args, timeout_s)
        if not page_reply["ok"]:
            raise CallFailed(f"`view` of {reply['table']} failed: {error_text(page_reply)}")
        shown = page_reply["result"]
        columns, count = shown["columns"], int(shown["total_rows"])
        rows += shown["rows"]
        if not shown["rows"] or len(rows) >= min(want, count):
            break
    return answer_from({"count": count, "columns": columns, "rows": rows[:want]})
