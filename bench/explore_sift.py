"""The explore benchmark's Sift side: what a user waits for, measured through the UI.

In a new, empty Chromium profile: open the generated CSV with "Open file" (as
bench/import_browser.py does), wait for the column profiles the UI computes after a load, then
change the view through the URL fragment, one query at a time, and time each change in the page
(bench/explore_watch.js): from setting location.hash to the UI marking the view ready
(`#table-area[data-sift-view=ready]`) or the facet's section ready. Last, scroll the grid
through 10,000 rows and take the longest main-thread task ("longtask" entries) meanwhile.
A query that fails or passes its time limit is a failed sample (None) with its reason; after a
timeout the remaining steps of that query are skipped, not waited for again. The UI marks a
failed view "ready" too, and rewrites the fragment to the view it shows: a step counts only if
the fragment then describes the view asked for (sift.view_state reads both).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from bench.browser import Chromium, remaining_ms
from bench.explore_queries import SCROLL_ROWS, Query, Step, fragment
from bench.import_browser import (
    ALERT_JS,
    END_STATUSES,
    MEMORY_AFTER_JS,
    SETTLED_JS,
    SIFT_STATE_JS,
    STARTED_JS,
    WATCH_JS,
)
from bench.import_browser import WATCH_SCRIPT as IMPORT_WATCH_SCRIPT
from bench.import_stats import loaded_rows
from bench.pages import BENCH_DIR
from sift.fragment import parse_fragment
from sift.view_state import parse_view

EXPLORE_WATCH_SCRIPT: Final = BENCH_DIR / "explore_watch.js"
POLL_MS: Final = 20  # page-side times do not depend on it; it only bounds the wait's overhead
SETTLE_S: Final = 30.0  # for the save to browser storage after a load
PAUSE_S: Final = 0.25  # between two changes of view: nobody clicks faster
SCROLL_SETTLE_MS: Final = 1000  # after the last row shows: late tasks still count
VIEW_PROBE: Final = {"selector": "#table-area[data-sift-view=ready]", "attribute": "data-sift-view"}
PROFILES_PROBES: Final = (
    {"selector": "#profiles[data-state=loading]", "attribute": "data-state"},
    {"selector": "#profiles[data-state=ready]", "attribute": "data-state"},
)
CHANGE_JS: Final = "([hash, probes]) => window.__benchExplore.change(hash, probes)"
ARM_JS: Final = "(probes) => window.__benchExplore.arm(probes)"
DONE_JS: Final = "() => window.__benchExplore.done()"
STARTED_PROFILES_JS: Final = "() => window.__benchExplore.pending.hits[0] !== null"
PENDING_JS: Final = "() => window.__benchExplore.pending"
GRID_JS: Final = """() => {
  const grid = document.querySelector("[role=grid]");
  return grid && {label: grid.getAttribute("aria-label"),
                  rows: Number(grid.getAttribute("aria-rowcount")) - 1};
}"""
SCROLL_JS: Final = "(args) => window.__benchExplore.scroll(args)"
SCROLLED_JS: Final = "() => window.__benchExplore.scrolled !== null"
SCROLL_RESULT_JS: Final = "() => window.__benchExplore.scrolled"
LONG_TASK_ERROR_JS: Final = "() => window.__benchExplore.longTaskError"
HASH_JS: Final = "() => location.hash"
VIEW_KEYS: Final = ("table", "sort", "filters", "q", "facets")


@dataclass
class SiftResult:
    """Samples per measure in ms (None: failed), and what describes the run."""

    samples: dict[str, list[float | None]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)  # one line per failed sample
    error: str | None = None  # the run could not go on (load failed, no grid)
    load_s: float | None = None
    table: str | None = None
    rows: int | None = None
    filter_rows: int | None = None  # the grid's rows after the filter, for the cross-check
    scroll: dict[str, Any] | None = None

    def add(self, measure: str, ms: float | None, problem: str = "") -> None:
        self.samples.setdefault(measure, []).append(ms)
        if problem:
            self.problems.append(f"{measure}: {problem}")


def probes_for(query: Query) -> list[dict[str, str]]:
    if query.wait == "facet":
        selector = f'#facets section[data-facet-column="{query.column}"][data-state=ready]'
        return [{"selector": selector, "attribute": "data-state"}]
    return [VIEW_PROBE]


def view_problem(asked: str, shown: str) -> str:
    """'' if fragment `shown` describes the same view as `asked`, else what differs."""
    wanted, got = parse_view(parse_fragment(asked)), parse_view(parse_fragment(shown))
    differ = [key for key in VIEW_KEYS if wanted.get(key) != got.get(key)]
    if not differ:
        return ""
    return f"asked for {asked}, the UI shows {shown or 'no fragment'} ({', '.join(differ)} differ)"


def run(
    chromium: Chromium,
    sift_url: str,
    csv_path: Path,
    steps: list[Step],
    scroll_s: float,
    step_timeout_s: float,
) -> SiftResult:
    """Load within chromium.timeout_s, then each query and the scroll within step_timeout_s."""
    result = SiftResult()
    with chromium.fresh_context() as context:
        page = context.new_page()
        page.add_init_script(path=IMPORT_WATCH_SCRIPT)
        page.add_init_script(path=EXPLORE_WATCH_SCRIPT)
        try:
            if _load(page, sift_url, csv_path, chromium.timeout_s, step_timeout_s, result):
                _run_steps(page, steps, step_timeout_s, result)
                _scroll(page, scroll_s, step_timeout_s, result)
        except PlaywrightError as exc:  # the page crashed or closed: keep what was measured
            result.error = f"browser error: {exc.message}"
    return result


def _load(
    page: Page, url: str, csv_path: Path, timeout_s: float, step_s: float, result: SiftResult
) -> bool:
    """Open the CSV and wait for its profiles; False (with result.error) if that failed."""
    deadline = time.monotonic() + timeout_s
    try:
        page.goto(url, wait_until="commit", timeout=remaining_ms(deadline))
        page.wait_for_function(STARTED_JS, polling=100, timeout=remaining_ms(deadline))
        if page.evaluate(SIFT_STATE_JS) != "ready":
            result.error = f"Sift did not start: {page.evaluate(ALERT_JS) or 'no detail'}"
            return False
        page.evaluate(ARM_JS, list(PROFILES_PROBES))
        page.get_by_label("Open file").set_input_files(csv_path, timeout=remaining_ms(deadline))
        page.wait_for_function(
            SETTLED_JS, arg=list(END_STATUSES), polling=100, timeout=remaining_ms(deadline)
        )
    except PlaywrightTimeoutError:
        result.error = f"loading the CSV timed out after {timeout_s:g} s"
        return False
    watch: dict[str, Any] = page.evaluate(WATCH_JS)
    loaded = next(s for s in watch["statuses"] if s["text"].startswith(END_STATUSES))
    if not loaded["text"].startswith("Loaded "):
        result.error = f"{loaded['text']} {page.evaluate(ALERT_JS)}".strip()
        return False
    result.rows = loaded_rows(loaded["text"])
    if watch["chosen"] is not None:
        result.load_s = (loaded["t"] - watch["chosen"]) / 1000
    _profiles(page, step_s, deadline, result)
    _settle(page, loaded["t"], deadline)
    grid = page.evaluate(GRID_JS)
    if not grid or not grid["label"]:
        result.error = "no [role=grid] with an aria-label after the load"
        return False
    result.table = str(grid["label"])
    return True


def _profiles(page: Page, start_s: float, deadline: float, result: SiftResult) -> None:
    """The UI profiles every column once the table is shown: time it from start to end."""
    try:  # a UI that never starts profiling is not waited for until the deadline
        timeout = min(start_s * 1000, remaining_ms(deadline))
        page.wait_for_function(STARTED_PROFILES_JS, polling=100, timeout=timeout)
    except PlaywrightTimeoutError:
        result.add("profiles", None, "#profiles never began (data-state=loading)")
        return
    try:
        page.wait_for_function(DONE_JS, polling=100, timeout=remaining_ms(deadline))
    except PlaywrightTimeoutError:
        result.add("profiles", None, "#profiles never became ready (data-state=ready)")
        return
    pending = page.evaluate(PENDING_JS)
    started, ready = pending["hits"]
    result.add("profiles", ready - started)


def _settle(page: Page, loaded_ms: float, deadline: float) -> None:
    """Wait for the save to browser storage (the tables panel refreshes after it), then idle."""
    try:
        timeout = min(SETTLE_S * 1000, remaining_ms(deadline))
        page.wait_for_function(MEMORY_AFTER_JS, arg=loaded_ms, polling=100, timeout=timeout)
    except PlaywrightTimeoutError:
        pass  # measured anyway: a user would not wait either
    time.sleep(PAUSE_S * 4)


def _run_steps(page: Page, steps: list[Step], timeout_s: float, result: SiftResult) -> None:
    assert result.table is not None
    given_up: set[str] = set()
    for step in steps:
        query = step.query
        if query.kind in given_up:
            result.add(step.measure, None)
            continue
        hash_text = fragment(result.table, query.params)
        t0 = page.evaluate(CHANGE_JS, [hash_text, probes_for(query)])
        try:
            page.wait_for_function(DONE_JS, polling=POLL_MS, timeout=timeout_s * 1000)
        except PlaywrightTimeoutError:
            alert = page.evaluate(ALERT_JS)
            detail = f" (alert: {alert})" if alert else ""
            result.add(step.measure, None, f"{hash_text} not shown in {timeout_s:g} s{detail}")
            given_up.add(query.kind)
            continue
        hits = page.evaluate(PENDING_JS)["hits"]
        problem = view_problem(hash_text, page.evaluate(HASH_JS))
        if problem:
            alert = page.evaluate(ALERT_JS)
            result.add(step.measure, None, problem + (f" (alert: {alert})" if alert else ""))
        else:
            result.add(step.measure, max(hits) - t0)
        if query.kind == "filter" and result.filter_rows is None:
            grid = page.evaluate(GRID_JS)
            result.filter_rows = int(grid["rows"]) if grid else None
        time.sleep(PAUSE_S)


def _scroll(page: Page, seconds: float, timeout_s: float, result: SiftResult) -> None:
    error = page.evaluate(LONG_TASK_ERROR_JS)
    if error:
        result.add("scroll", None, f"no longtask entries in this browser: {error}")
        return
    args = {"rows": SCROLL_ROWS, "seconds": seconds, "settleMs": SCROLL_SETTLE_MS}
    page.evaluate(SCROLL_JS, args)
    try:
        page.wait_for_function(SCROLLED_JS, polling=100, timeout=timeout_s * 1000)
    except PlaywrightTimeoutError:
        result.add("scroll", None, f"scrolling did not end in {timeout_s:g} s")
        return
    outcome: dict[str, Any] = page.evaluate(SCROLL_RESULT_JS)
    if "error" in outcome:
        result.add("scroll", None, " ".join(str(outcome["error"]).split())[:300])
        return
    scrolled = result.scroll = outcome["result"]
    result.add("scroll", max((task["duration"] for task in scrolled["tasks"]), default=0.0))
