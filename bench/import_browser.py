"""The import benchmark's in-browser importers: Sift itself, a naive Pyodide baseline, sql.js.

Each import runs in a new, empty Chromium profile (bench/browser.py's fresh_context), so none
inherits another's caches or memory. Times are taken inside the page:
- Sift (bench/import_watch.js): from the file input's "change" event to the status line's
  "Loaded …"; that includes everything the user waits for (read, parse, insert, keep the table
  in browser storage, show the first page). Peak memory: the engine's wasm memory size, which
  #storage-line's data-engine-memory shows once the tables panel refreshes after the load.
- naive Pyodide and sql.js (bench/import_runners.js, on a blank page): the import alone; loading
  the runtime and fetching the file are outside the clock.
An import that fails or passes its time limit comes back as a failed Measurement, never raises.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from bench.browser import Chromium, remaining_ms
from bench.import_stats import Measurement, failed, loaded_rows, megabytes
from bench.pages import BENCH_DIR

WATCH_SCRIPT: Final = BENCH_DIR / "import_watch.js"
RUNNERS_SCRIPT: Final = BENCH_DIR / "import_runners.js"
NAIVE_SOURCE: Final = BENCH_DIR / "naive_import.py"
# A made-up path: serve.py answers it with its plain 404 page, which serves as a blank page on
# that origin. It must be a real response: Chromium's Local Network Access checks treat a page
# fulfilled by Playwright (page.route) as public, and then refuse its fetches from another
# loopback port ("Permission was denied for this request to access the `loopback` address
# space"), while a page that came from 127.0.0.1 may fetch from any 127.0.0.1 port.
BLANK_PATH: Final = "__bench_blank.html"
POLL_MS: Final = 100
MEMORY_WAIT_S: Final = 30.0  # for the tables panel to refresh after a load

STARTED_JS: Final = "() => ['ready', 'failed'].includes(document.documentElement.dataset.siftState)"
SIFT_STATE_JS: Final = "() => document.documentElement.dataset.siftState"
# The status line says the load ended: "Loaded …", "Could not open …", or it was cancelled.
END_STATUSES: Final = ("Loaded ", "Could not open ", "Cancel")
SETTLED_JS: Final = """(ends) =>
  window.__benchImport.statuses.some((s) => ends.some((end) => s.text.startsWith(end)))"""
WATCH_JS: Final = "() => window.__benchImport"
ALERT_JS: Final = """() => {
  const alert = document.querySelector("[role=alert]:not([hidden])");
  return alert ? alert.textContent.trim() : "";
}"""
MEMORY_AFTER_JS: Final = "(t) => window.__benchImport.memory.some((m) => m.t >= t)"
MEMORY_NOW_JS: Final = """() => {
  const value = document.getElementById("storage-line")?.getAttribute("data-engine-memory");
  return value ? Number(value) : null;
}"""
# Cancel: clicked this long after the progress panel first shows a rate, then timed until the
# status line says the import was cancelled (a MutationObserver in the page).
CANCEL_AFTER_MS: Final = 1000
IMPORTING_JS: Final = (
    "() => document.getElementById('progress-text')?.textContent.includes('rows/s')"
)
CANCEL_JS: Final = """() => {
  const status = document.querySelector("[role=status]");
  window.__benchCancel = { clicked: null, said: null };
  new MutationObserver(() => {
    if (window.__benchCancel.said === null && status.textContent.includes("cancelled"))
      window.__benchCancel.said = performance.now();
  }).observe(status, { childList: true, characterData: true, subtree: true });
  const cancel = [...document.querySelectorAll("#progress button")].find(
    (button) => button.textContent.trim() === "Cancel");
  window.__benchCancel.clicked = performance.now();
  cancel.click();
}"""
CANCELLED_JS: Final = "() => window.__benchCancel.said !== null"
CANCEL_LAG_JS: Final = "() => window.__benchCancel.said - window.__benchCancel.clicked"
START_JS: Final = "([kind, args]) => window.__siftBench.start(kind, args)"
OUTCOME_JS: Final = "() => window.__benchOutcome !== undefined"


@dataclass(frozen=True)
class Origins:
    """Base URLs ending in "/": Sift's dist/, the CSV's folder, sql.js's dist/ folder."""

    sift: str
    csv_folder: str
    sqljs: str


def sift(chromium: Chromium, origins: Origins, csv_path: Path) -> Measurement:
    deadline = time.monotonic() + chromium.timeout_s
    with chromium.fresh_context() as context:
        page = context.new_page()
        page.add_init_script(path=WATCH_SCRIPT)
        try:
            return _sift_import(page, origins.sift, csv_path, deadline)
        except PlaywrightTimeoutError:
            last = _last_status(page)
            return failed(f"timed out after {chromium.timeout_s:g} s (status: {last!r})")
        except PlaywrightError as exc:
            return failed(f"browser error: {exc.message}")


def sift_cancels(
    chromium: Chromium, origins: Origins, csv_path: Path, count: int
) -> tuple[list[float], str | None]:
    """Ms from clicking Cancel in the middle of Sift's import to the status line saying it was
    cancelled, `count` times (each in a new profile); and what went wrong, if anything."""
    lags: list[float] = []
    for _ in range(count):
        deadline = time.monotonic() + chromium.timeout_s
        with chromium.fresh_context() as context:
            page = context.new_page()
            try:
                page.goto(origins.sift, wait_until="commit", timeout=remaining_ms(deadline))
                page.wait_for_function(STARTED_JS, polling=POLL_MS, timeout=remaining_ms(deadline))
                page.get_by_label("Open file").set_input_files(csv_path)
                page.wait_for_function(
                    IMPORTING_JS, polling=POLL_MS, timeout=remaining_ms(deadline)
                )
                page.wait_for_timeout(CANCEL_AFTER_MS)
                page.evaluate(CANCEL_JS)
                page.wait_for_function(
                    CANCELLED_JS, polling=POLL_MS, timeout=remaining_ms(deadline)
                )
                lags.append(float(page.evaluate(CANCEL_LAG_JS)))
            except PlaywrightError as exc:
                return lags, f"a cancel run failed: {' '.join(exc.message.split())[:200]}"
    return lags, None


def _sift_import(page: Page, url: str, csv_path: Path, deadline: float) -> Measurement:
    page.goto(url, wait_until="commit", timeout=remaining_ms(deadline))
    page.wait_for_function(STARTED_JS, polling=POLL_MS, timeout=remaining_ms(deadline))
    if page.evaluate(SIFT_STATE_JS) != "ready":
        return failed(f"Sift did not start: {page.evaluate(ALERT_JS) or 'no detail'}")
    wall_start = time.perf_counter()
    # A local path: Chromium reads the file itself, Playwright copies nothing.
    page.get_by_label("Open file").set_input_files(csv_path, timeout=remaining_ms(deadline))
    page.wait_for_function(
        SETTLED_JS, arg=list(END_STATUSES), polling=POLL_MS, timeout=remaining_ms(deadline)
    )
    wall_s = time.perf_counter() - wall_start
    watch: dict[str, Any] = page.evaluate(WATCH_JS)
    ends = [s for s in watch["statuses"] if s["text"].startswith(END_STATUSES)]
    loaded = ends[0]
    if not loaded["text"].startswith("Loaded "):
        return failed(f"{loaded['text']} {page.evaluate(ALERT_JS)}".strip())
    seconds, note = _in_page_seconds(watch, loaded["t"], wall_s)
    peak, memory_note = _peak_memory(page, loaded["t"], deadline)
    note = "; ".join(n for n in (note, memory_note) if n)
    return Measurement(seconds, loaded_rows(loaded["text"]), peak, note=note)


def _in_page_seconds(watch: dict[str, Any], loaded_ms: float, wall_s: float) -> tuple[float, str]:
    """From the file's "change" event (else the "Opening …" status) to "Loaded …"."""
    start = watch["chosen"]
    if start is None:
        opening = [s["t"] for s in watch["statuses"] if s["text"].startswith("Opening ")]
        start = opening[0] if opening else None
    if start is None:
        return wall_s, "wall clock: the page recorded no start"
    return (loaded_ms - start) / 1000, ""


def _peak_memory(page: Page, loaded_ms: float, deadline: float) -> tuple[int | None, str]:
    """The engine's memory once the tables panel has refreshed after the load."""
    timeout = min(MEMORY_WAIT_S * 1000, remaining_ms(deadline))
    try:
        page.wait_for_function(MEMORY_AFTER_JS, arg=loaded_ms, polling=POLL_MS, timeout=timeout)
    except PlaywrightTimeoutError:
        now = page.evaluate(MEMORY_NOW_JS)
        return (None if now is None else int(now)), "memory: the panel did not refresh in time"
    records: list[dict[str, float]] = page.evaluate(WATCH_JS)["memory"]
    return int(max(m["bytes"] for m in records if m["t"] >= loaded_ms)), ""


def _last_status(page: Page) -> str:
    try:
        statuses = page.evaluate(WATCH_JS)["statuses"]
    except PlaywrightError:
        return "unknown"
    return str(statuses[-1]["text"]) if statuses else "none"


def naive_pyodide(chromium: Chromium, origins: Origins, csv_path: Path) -> Measurement:
    args = {
        "indexURL": origins.sift + "runtime/pyodide/",
        "csvURL": origins.csv_folder + csv_path.name,
        "source": NAIVE_SOURCE.read_text(encoding="utf-8"),
    }
    return _blank_page_import(chromium, origins.sift, "naive", args)


def sqljs(chromium: Chromium, origins: Origins, csv_path: Path) -> Measurement:
    args = {
        "scriptURL": origins.sqljs + "sql-wasm.js",
        "wasmURL": origins.sqljs + "sql-wasm.wasm",
        "csvURL": origins.csv_folder + csv_path.name,
    }
    return _blank_page_import(chromium, origins.sqljs, "sqljs", args)


def _blank_page_import(
    chromium: Chromium, origin: str, kind: str, args: dict[str, str]
) -> Measurement:
    """Run one of import_runners.js's importers on a blank page of `origin`."""
    deadline = time.monotonic() + chromium.timeout_s
    with chromium.fresh_context() as context:
        page = context.new_page()
        page.add_init_script(path=RUNNERS_SCRIPT)
        try:
            page.goto(origin + BLANK_PATH, timeout=remaining_ms(deadline))  # a 404 page
            page.evaluate(START_JS, [kind, args])
            page.wait_for_function(OUTCOME_JS, polling=POLL_MS, timeout=remaining_ms(deadline))
            outcome: dict[str, Any] = page.evaluate("() => window.__benchOutcome")
        except PlaywrightTimeoutError:
            return failed(f"timed out after {chromium.timeout_s:g} s")
        except PlaywrightError as exc:
            return failed(f"browser error: {exc.message}")
    if "error" in outcome:
        return failed(" ".join(str(outcome["error"]).split())[:300])
    result = outcome["result"]
    peak, outside = result.get("peakBytes"), result.get("outsideBytes")
    notes = [] if peak is not None else ["peak memory not reachable"]
    if outside is not None:
        notes.append(f"plus {megabytes(int(outside))} of database file outside wasm memory")
    return Measurement(
        float(result["seconds"]),
        int(result["rows"]),
        None if peak is None else int(peak),
        note="; ".join(notes),
    )
