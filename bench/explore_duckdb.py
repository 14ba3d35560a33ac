"""The explore benchmark's reference: the same queries in DuckDB-WASM, in the same Chromium.

The page (bench/explore_duckdb.html + .js) and the npm files it loads are copied into one
folder (serve.py serves nothing that resolves outside its directory) and served from their own
serve.py server on 127.0.0.1, without the Content-Security-Policy: the page's import map, which
resolves duckdb-browser.mjs's `import "apache-arrow"`, is an inline script. No cross-origin
isolation (serve.py sends no COEP header), so DuckDB's `selectBundle` picks the "eh" (wasm
exceptions) bundle in Chromium, else "mvp"; never "coi", which needs SharedArrayBuffer.
The CSV comes from the benchmark's CSV server; fetching it is outside every clock.
"""

from __future__ import annotations

import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from bench.browser import Chromium, remaining_ms
from bench.explore_queries import Step, duckdb_plan
from bench.pages import BENCH_DIR, BenchError

PAGE_FILES: Final = ("explore_duckdb.html", "explore_duckdb.js")
# What the page loads from node_modules, by package: destination folder -> files under it.
DUCKDB_FILES: Final = (
    "duckdb-browser.mjs",
    "duckdb-browser-eh.worker.js",
    "duckdb-eh.wasm",
    "duckdb-browser-mvp.worker.js",
    "duckdb-mvp.wasm",
)
TSLIB_FILES: Final = ("tslib.es6.mjs",)
POLL_MS: Final = 100
READY_JS: Final = "() => document.documentElement.dataset.duckState === 'ready'"
START_JS: Final = "(args) => window.__duckBench.start(args)"
OUTCOME_JS: Final = "() => window.__duckOutcome !== undefined"


@dataclass
class DuckResult:
    """The reference run: samples per measure in ms, and what describes the run."""

    samples: dict[str, list[float | None]] = field(default_factory=dict)
    error: str | None = None
    bundle: str = "unknown"
    version: str = "unknown"
    load_s: float | None = None
    rows: int | None = None
    filter_count: int | None = None


def prepare_page(modules: Path, target: Path) -> Path:
    """Fill `target` with the page and the npm files it loads; returns `target`."""
    duckdb = modules / "@duckdb" / "duckdb-wasm" / "dist"
    wanted = [duckdb / name for name in DUCKDB_FILES]
    wanted += [modules / "tslib" / name for name in TSLIB_FILES]
    wanted += [modules / "apache-arrow" / "Arrow.dom.mjs", modules / "flatbuffers" / "mjs"]
    missing = [str(path) for path in wanted if not path.exists()]
    if missing:
        raise BenchError(
            f"missing {', '.join(missing)}: run `npm ci` to install @duckdb/duckdb-wasm "
            "(a devDependency)"
        )
    vendor = target / "vendor"
    for name in DUCKDB_FILES:
        _copy(duckdb / name, vendor / "duckdb" / name)
    for name in TSLIB_FILES:
        _copy(modules / "tslib" / name, vendor / "tslib" / name)
    # Arrow's browser entry imports its other ES modules by relative path: copy them all.
    arrow = modules / "apache-arrow"
    for path in arrow.rglob("*.mjs"):
        _copy(path, vendor / "apache-arrow" / path.relative_to(arrow))
    flatbuffers = modules / "flatbuffers" / "mjs"
    for path in flatbuffers.rglob("*.js"):
        _copy(path, vendor / "flatbuffers" / "mjs" / path.relative_to(flatbuffers))
    for name in PAGE_FILES:
        _copy(BENCH_DIR / name, target / name)
    return target


def _copy(source: Path, destination: Path) -> None:
    destination.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, destination)


def run(chromium: Chromium, page_url: str, csv_url: str, steps: list[Step]) -> DuckResult:
    """Load the CSV into DuckDB-WASM and run the steps, in a new, empty profile."""
    deadline = time.monotonic() + chromium.timeout_s
    with chromium.fresh_context() as context:
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        try:
            page.goto(page_url + PAGE_FILES[0], timeout=remaining_ms(deadline))
            page.wait_for_function(READY_JS, polling=POLL_MS, timeout=remaining_ms(deadline))
            page.evaluate(START_JS, {"csvURL": csv_url, "plan": duckdb_plan(steps)})
            page.wait_for_function(OUTCOME_JS, polling=POLL_MS, timeout=remaining_ms(deadline))
            outcome: dict[str, Any] = page.evaluate("() => window.__duckOutcome")
        except PlaywrightTimeoutError:
            detail = f" ({'; '.join(errors)})" if errors else ""
            return DuckResult(error=f"timed out after {chromium.timeout_s:g} s{detail}")
        except PlaywrightError as exc:
            return DuckResult(error=f"browser error: {exc.message}")
    if "error" in outcome:
        return DuckResult(error=" ".join(str(outcome["error"]).split())[:300])
    return result_from(outcome["result"])


def result_from(result: dict[str, Any]) -> DuckResult:
    """The page's result (JSON) as a DuckResult: samples grouped by measure, in order."""
    samples: dict[str, list[float | None]] = {}
    for sample in result["samples"]:
        samples.setdefault(str(sample["measure"]), []).append(float(sample["ms"]))
    count = result.get("filterCount")
    return DuckResult(
        samples=samples,
        bundle=str(result["bundle"]),
        version=str(result["version"]),
        load_s=float(result["loadMs"]) / 1000,
        rows=int(result["rows"]),
        filter_count=None if count is None else int(count),
    )
