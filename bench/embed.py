#!/usr/bin/env python3
"""Embed benchmark (issue 7): a host page with 1 and with 3 Sift widgets, cold, in one invocation.

    python bench/embed.py [--runs 15] [--dist dist/] [--json results.json]

A host page on another site (`localhost`, served here with CORS) embeds Sift's widgets with
`<script src=".../embed.js" data-sift-src="data.csv">`; Sift (`127.0.0.1`) is a copy of the
built site served by serve.py. Each load runs in a new Chromium profile, the two pages
alternating, the order rotated each round. Prints the median time from the host's navigation
start to every widget rendered, the ratio 3 widgets / 1 widget against issue 7's target
(<= 1.2x), the engine's wasm memory, Chromium's memory and how often Pyodide was fetched.
It does not build: run `python build.py` first. Needs Playwright and a Chromium.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Final

ROOT: Final = Path(__file__).resolve().parent.parent
# Run as `python bench/embed.py`, only bench/ is on the path: add the root for serve.py, bench.
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from playwright.sync_api import Error as PlaywrightError  # noqa: E402
from playwright.sync_api import Frame, Page, sync_playwright  # noqa: E402

from bench import cli  # noqa: E402
from bench.browser import POLL_MS, Chromium, remaining_ms  # noqa: E402
from bench.browser_args import DEFAULT_DIST, add_chromium_argument, sift_build  # noqa: E402
from bench.cli import load_average, seconds, whole_number  # noqa: E402
from bench.embed_pages import (  # noqa: E402
    CASES,
    DATA_FILE,
    DEFAULT_ROWS,
    WORKER_FILE,
    Case,
    data_csv,
    host_page,
    schedule,
)
from bench.embed_stats import (  # noqa: E402
    CPU_KINDS,
    MAX_RATIO,
    Load,
    cpu_lines,
    descendants,
    failures_text,
    load_count_lines,
    memory_lines,
    parent_pid,
    process_type,
    progress_line,
    pss_bytes,
    report_rows,
    thread_cpu_ticks,
    thread_kind,
    unexpected_pyodide_loads,
)
from bench.host_site import serving as serving_host  # noqa: E402
from bench.pages import BENCH_DIR, BenchError, check_dist  # noqa: E402
from bench.stats import format_table  # noqa: E402
from serve import serving  # noqa: E402

WATCH_SCRIPT: Final = BENCH_DIR / "embed_watch.js"
WIDGET_PATH: Final = "/embed.html"
ENGINE_PATH: Final = "/embed-engine.html"
# In the engine frame: the shared engine's answer to `memory` (sift/ui/engine_host.py).
ENGINE_MEMORY_JS: Final = """async () => {
  const reply = JSON.parse(await window.siftSharedEngine.handle("memory", "{}"));
  return reply.ok ? reply.result.memory : null;
}"""
# The widget frame's record (embed_watch.js), and its alert when it failed.
WIDGET_STATE_JS: Final = """() => {
  const alert = document.querySelector("#alert:not([hidden])");
  return { record: window.__benchEmbed || null, alert: alert ? alert.textContent.trim() : "" };
}"""


def check_embed(dist: Path) -> Path:
    check_dist(dist)
    if not (dist / "embed.js").is_file() or not (dist / WORKER_FILE).is_file():
        raise BenchError(f"{dist} has no embed.js or {WORKER_FILE}: build a site with the embed")
    return dist


@dataclass(frozen=True)
class Served:
    host: str  # the host site's URL, ending in "/"
    sift: str  # Sift's, ending in "/"


@contextmanager
def served(dist: Path, rows: int) -> Iterator[Served]:
    with tempfile.TemporaryDirectory(prefix="sift-bench-embed-") as temp:
        sift_dir = check_embed(dist)
        host_dir = Path(temp) / "host"
        host_dir.mkdir()
        (host_dir / DATA_FILE).write_text(data_csv(rows), encoding="utf-8")
        with serving(sift_dir) as sift_url, serving_host(host_dir) as host_url:
            sift_url = sift_url if sift_url.endswith("/") else sift_url + "/"
            for case in CASES:
                page = host_page(sift_url + "embed.js", case)
                (host_dir / case.page).write_text(page, encoding="utf-8")
            yield Served(host_url, sift_url)


def cold_load(chromium: Chromium, round_: int, case: Case, url: str) -> Load:
    with chromium.fresh_context() as context:
        context.add_init_script(path=WATCH_SCRIPT)
        fetched: dict[str, int] = {"pyodide.asm.wasm": 0, "micropython.wasm": 0}

        def count(request: Any) -> None:
            name = str(request.url).split("?", 1)[0].rsplit("/", 1)[-1]
            if name in fetched:
                fetched[name] += 1

        context.on("request", count)
        page = context.new_page()
        try:
            cpu_before = _chromium_cpu()
            widget_ms, error = _render(page, case, url, chromium.timeout_s)
            cpu = None if error else _cpu_since(cpu_before)
            engine, pss = (None, None) if error else (_engine_memory(page), _chromium_pss())
        finally:
            page.close()
            context.remove_listener("request", count)
    done = None if error or None in widget_ms else max(ms for ms in widget_ms if ms is not None)
    return Load(
        round_,
        case.name,
        done,
        widget_ms,
        fetched["pyodide.asm.wasm"],
        fetched["micropython.wasm"],
        engine,
        pss,
        error,
        cpu,
    )


def _render(
    page: Page, case: Case, url: str, timeout_s: float
) -> tuple[tuple[float | None, ...], str | None]:
    """Load the host page; wait until every widget rendered or one failed. Each widget's time
    in ms since the host's navigation start (None: not rendered), and the error if any."""
    deadline = time.monotonic() + timeout_s
    expected = len(case.widgets)
    states: list[dict[str, Any]] = []
    try:
        page.goto(url + case.page, wait_until="commit", timeout=remaining_ms(deadline))
        while True:
            states = [_widget_state(frame) for frame in _widget_frames(page)]
            records = [state["record"] for state in states]
            if any(record and record.get("failed") for record in records):
                break
            if len(records) == expected and all(records):
                break
            if time.monotonic() > deadline:
                break
            page.wait_for_timeout(POLL_MS)
        origin = float(page.evaluate("() => performance.timeOrigin"))
    except PlaywrightError as exc:
        return (None,) * expected, f"browser error: {' '.join(exc.message.split())[:300]}"
    widget_ms = tuple(_ms(state["record"], origin, timeout_s * 1000) for state in states)
    widget_ms += (None,) * (expected - len(widget_ms))
    failed = [s["alert"] or "no detail" for s in states if (s["record"] or {}).get("failed")]
    if failed:
        return widget_ms, f"failed: {' '.join(failed[0].split())[:300]}"
    if None in widget_ms or len(states) != expected:
        shown = sum(ms is not None for ms in widget_ms)
        return widget_ms, (
            f"timed out after {timeout_s:g} s ({shown} of {expected} widgets rendered,"
            f" {len(states)} frames)"
        )
    return widget_ms, None


def _widget_frames(page: Page) -> list[Frame]:
    return [frame for frame in page.frames if WIDGET_PATH in frame.url]


def _widget_state(frame: Frame) -> dict[str, Any]:
    try:
        state = frame.evaluate(WIDGET_STATE_JS)
    except PlaywrightError:  # the frame is still navigating or starting
        return {"record": None, "alert": ""}
    return state if isinstance(state, dict) else {"record": None, "alert": ""}


def _ms(record: Any, origin: float, limit_ms: float) -> float | None:
    """A widget's render time relative to the host's time origin; past the limit: None."""
    if not isinstance(record, dict) or not isinstance(record.get("at"), int | float):
        return None
    ms = float(record["at"]) - origin
    return ms if ms <= limit_ms else None


def _engine_memory(page: Page) -> int | None:
    """Bytes of the engine's wasm memory, as the engine tells its frame (a `memory` call)."""
    for frame in page.frames:
        if frame.url.split("#", 1)[0].endswith(ENGINE_PATH):
            try:
                value = frame.evaluate(ENGINE_MEMORY_JS)
            except PlaywrightError:
                return None
            return int(value) if isinstance(value, int | float) else None
    return None


def _chromium_pids() -> list[int]:
    """The processes of the one Chromium running (a cold load has a browser of its own): those
    this program started, except Playwright's driver. Empty where /proc cannot tell."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = parent_pid((entry / "stat").read_text(encoding="utf-8", errors="replace"))
            except OSError:
                continue
            if ppid is not None:
                parents[int(entry.name)] = ppid
    pids = []
    for pid in descendants(parents, os.getpid()):
        try:
            # Chromium's children rewrite their command line; their executable tells.
            if "chrom" in Path(os.readlink(f"/proc/{pid}/exe")).name:
                pids.append(pid)
        except OSError:
            continue
    return pids


def _chromium_pss() -> int | None:
    """Total PSS of Chromium's processes. None where /proc cannot tell."""
    total, found = 0, False
    for pid in _chromium_pids():
        try:
            pss = pss_bytes(Path(f"/proc/{pid}/smaps_rollup").read_text(encoding="utf-8"))
        except OSError:
            continue
        if pss is not None:
            total, found = total + pss, True
    return total if found else None


def _chromium_cpu() -> dict[tuple[int, int], tuple[str, float]]:
    """Each Chromium thread's (pid, tid) -> (CPU_KINDS name, CPU ms so far)."""
    ms_per_tick = 1000 / os.sysconf("SC_CLK_TCK")
    threads = {}
    for pid in _chromium_pids():
        try:
            kind_of = process_type(Path(f"/proc/{pid}/cmdline").read_bytes())
            tasks = list(Path(f"/proc/{pid}/task").iterdir())
        except OSError:
            continue
        for task in tasks:
            try:
                found = thread_cpu_ticks((task / "stat").read_text(errors="replace"))
            except OSError:  # the thread ended
                continue
            if found is not None:
                name, ticks = found
                kind = thread_kind(kind_of, task.name == str(pid), name)
                threads[(pid, int(task.name))] = (kind, ticks * ms_per_tick)
    return threads


def _cpu_since(
    before: dict[tuple[int, int], tuple[str, float]],
) -> dict[str, float] | None:
    """CPU ms per kind of thread since `before` (threads started since count in full)."""
    after = _chromium_cpu()
    if not after:
        return None
    spent = dict.fromkeys(CPU_KINDS, 0.0)
    for key, (kind, ms) in after.items():
        spent[kind] += ms - before.get(key, (kind, 0.0))[1]
    return spent


def run_rounds(
    chromium: Chromium, host_url: str, runs: int, progress: Callable[[Load], None]
) -> list[Load]:
    loads = []
    for round_, case in schedule(runs):
        loads.append(cold_load(chromium, round_, case, host_url))
        progress(loads[-1])
    return loads


def write_json(path: Path, chromium: Chromium, dist: Path, loads: list[Load]) -> None:
    rows = report_rows(loads)
    result = {
        "chromium": chromium.version,
        "sift_build": sift_build(dist),
        "cpus": os.cpu_count(),
        "target_ratio": MAX_RATIO,
        "loads": [asdict(load) for load in loads],
        "summary": [
            {
                "label": row.label,
                **asdict(row.summary),
                "ratio": row.ratio,
                "verdict": row.verdict,
            }
            for row in rows
        ],
    }
    path.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


def benchmark(args: argparse.Namespace) -> int:
    executable = args.chromium if args.chromium is None or args.chromium.exists() else None
    load_before = load_average()
    with served(args.dist, args.rows) as urls, sync_playwright() as pw:
        chromium = Chromium(pw, executable, args.timeout)
        print(f"{args.runs} rounds of 2 cold loads...", file=sys.stderr, flush=True)
        loads = run_rounds(chromium, urls.host, args.runs, _print_progress)
    print(
        f"Embed: {args.runs} cold loads each of a host page on {urls.host} embedding Sift's "
        f"widgets from {urls.sift}\n"
        f"(build {sift_build(args.dist)}; {args.rows} rows x 5 columns, one data file for every "
        "widget), ms from the host's navigation start to every widget rendered.\n"
        f"Chromium {chromium.version}, {os.cpu_count()} CPUs, "
        f"load average {load_before} before, {load_average()} after."
    )
    print(format_table(report_rows(loads)))
    print(*memory_lines(loads), sep="\n")
    print(*load_count_lines(loads), sep="\n")
    print(*cpu_lines(loads), sep="\n")
    failures = failures_text(loads)
    if failures:
        print(f"{len(failures)} failed loads:", *failures, sep="\n")
    extra = unexpected_pyodide_loads(loads)
    if extra:
        print(f"{len(extra)} loads did not fetch Pyodide exactly once (one engine per page).")
    if args.json is not None:
        write_json(args.json, chromium, args.dist, loads)
    return 1 if failures or extra else 0


def _print_progress(load: Load) -> None:
    print(progress_line(load), file=sys.stderr, flush=True)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="bench/embed.py",
        description="Time a host page with 1 and with 3 embedded Sift widgets, cold, in Chromium.",
    )
    parser.add_argument(
        "--runs", type=whole_number("runs"), default=15, help="loads per case (default 15)"
    )
    parser.add_argument("--dist", type=Path, default=DEFAULT_DIST, help="built site (dist/)")
    parser.add_argument("--json", type=Path, help="also write the raw results to this file")
    parser.add_argument(
        "--rows",
        type=whole_number("rows"),
        default=DEFAULT_ROWS,
        help=f"rows of the widgets' CSV (default {DEFAULT_ROWS})",
    )
    add_chromium_argument(parser)
    parser.add_argument(
        "--timeout", type=seconds, default=120.0, help="time limit per load in s (default 120)"
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    return cli.run("bench/embed.py", build_parser(), benchmark, argv)


if __name__ == "__main__":
    sys.exit(main())
