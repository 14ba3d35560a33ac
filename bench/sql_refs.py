"""The SQL benchmark's references: sql.js and DuckDB-WASM, in the same Chromium as Sift.

One folder holds everything both load: bench/explore_duckdb.py's DuckDB page and npm files
(its page brings the import map that resolves DuckDB's `import "apache-arrow"`), sql.js's two
files, and bench/sql_engines.js. It is served by its own serve.py server on 127.0.0.1 without
a Content-Security-Policy (the import map is an inline script). Each engine runs in a new,
empty Chromium profile: DuckDB on the explore page, sql.js on a blank page of the same origin
(serve.py's 404 page, as bench/import_browser.py does). sql_engines.js is then imported into
the page and runs the whole plan there; the CSV files come from the benchmark's CSV server.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path
from typing import Any, Final

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from bench import explore_duckdb
from bench.browser import Chromium, remaining_ms
from bench.import_browser import BLANK_PATH
from bench.pages import BENCH_DIR, BenchError
from bench.sql_queries import Engine, Query, plan
from bench.sql_results import EngineRun, failed_run, run_from

SQLJS_FILES: Final = ("sql-wasm.js", "sql-wasm.wasm")
ENGINES_SCRIPT: Final = "sql_engines.js"
POLL_MS: Final = 200
DUCK_READY_JS: Final = "() => document.documentElement.dataset.duckState === 'ready'"
IMPORT_JS: Final = "async (url) => { await import(url); }"
START_JS: Final = "([kind, args]) => { window.__sqlBench.start(kind, args); }"  # not awaited
OUTCOME_JS: Final = "() => window.__sqlOutcome !== undefined"


def prepare_folder(modules: Path, target: Path) -> Path:
    """Fill `target` with the DuckDB page, sql.js and the engines script; returns `target`."""
    explore_duckdb.prepare_page(modules, target)
    sqljs = modules / "sql.js" / "dist"
    missing = [str(sqljs / name) for name in SQLJS_FILES if not (sqljs / name).is_file()]
    if missing:
        raise BenchError(f"missing {', '.join(missing)}: run `npm ci` to install sql.js")
    (target / "vendor" / "sqljs").mkdir(parents=True, exist_ok=True)
    for name in SQLJS_FILES:
        shutil.copyfile(sqljs / name, target / "vendor" / "sqljs" / name)
    shutil.copyfile(BENCH_DIR / ENGINES_SCRIPT, target / ENGINES_SCRIPT)
    return target


def engine_args(
    engine: Engine,
    base: str,
    tables: list[dict[str, Any]],
    queries: tuple[Query, ...],
    rounds: int,
) -> dict[str, Any]:
    """What sql_engines.js's runner needs: where its files are, the tables, the plan."""
    args: dict[str, Any] = {"tables": tables, "plan": plan(queries, engine), "rounds": rounds}
    if engine == "sqljs":
        args["scriptURL"] = base + "vendor/sqljs/sql-wasm.js"
        args["wasmURL"] = base + "vendor/sqljs/sql-wasm.wasm"
    else:
        args["moduleURL"] = base + "vendor/duckdb/duckdb-browser.mjs"
    return args


def page_path(engine: Engine) -> str:
    return explore_duckdb.PAGE_FILES[0] if engine == "duckdb" else BLANK_PATH


def run(chromium: Chromium, engine: Engine, base: str, args: dict[str, Any]) -> EngineRun:
    """Load the tables into `engine` and run the plan, in a new profile, within the timeout."""
    deadline = time.monotonic() + chromium.timeout_s
    with chromium.fresh_context() as context:
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        try:
            page.goto(base + page_path(engine), timeout=remaining_ms(deadline))
            if engine == "duckdb":  # its import map and modules are in place
                page.wait_for_function(
                    DUCK_READY_JS, polling=POLL_MS, timeout=remaining_ms(deadline)
                )
            page.evaluate(IMPORT_JS, base + ENGINES_SCRIPT)
            page.evaluate(START_JS, [engine, args])
            page.wait_for_function(OUTCOME_JS, polling=POLL_MS, timeout=remaining_ms(deadline))
            outcome: dict[str, Any] = page.evaluate("() => window.__sqlOutcome")
        except PlaywrightTimeoutError:
            detail = f" ({'; '.join(errors)})" if errors else ""
            return failed_run(engine, f"timed out after {chromium.timeout_s:g} s{detail}")
        except PlaywrightError as exc:
            return failed_run(engine, f"browser error: {exc.message}")
    if "error" in outcome:
        return failed_run(engine, str(outcome["error"]))
    return run_from(engine, outcome["result"])
