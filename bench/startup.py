#!/usr/bin/env python3
"""Start-up benchmark: Sift against bare Pyodide, cold and warm, in one invocation.

    python bench/startup.py [--runs 5] [--dist dist/] [--json results.json]

Loads, alternating and with the order rotated each round: (a) the reference, bare Pyodide from
the unmodified npm files (stdlib without .pyc), to `runPython` done; (b) Sift to an interactive
shell (data-sift-ui=ready) and (c) to a ready engine (data-sift-state=ready), both from one load.
Each is loaded cold (a new profile) and warm (a primed profile). Prints medians, ranges and the
ratios to the reference at the same temperature, against the targets of the start-up issue.
It does not build: run `python build.py` first. Needs Playwright and a Chromium.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Final

ROOT: Final = Path(__file__).resolve().parent.parent
# Run as `python bench/startup.py`, only bench/ is on the path: add the root for serve.py, bench.
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

import serve  # noqa: E402
from bench import cli  # noqa: E402
from bench.browser import Chromium, Load  # noqa: E402
from bench.browser_args import (  # noqa: E402
    DEFAULT_DIST,
    DEFAULT_MODULES,
    add_chromium_argument,
)
from bench.cli import load_average, seconds, whole_number  # noqa: E402
from bench.pages import (  # noqa: E402
    REFERENCE,
    SIFT,
    PageSpec,
    check_dist,
    prepare_reference,
)
from bench.stats import Row, format_table, summarize  # noqa: E402
from serve import serving  # noqa: E402

DEFAULT_PYODIDE: Final = DEFAULT_MODULES / "pyodide"
# --ref-cache immutable: the reference as a CDN would serve it, so a warm load uses the HTTP cache
# and V8's wasm code cache. serve.py's `no-cache` without validators makes every warm reference
# load fetch (and compile) everything again, while Sift's service worker avoids the network.
REF_CACHE_HEADERS: Final = {"no-cache": "no-cache", "immutable": "max-age=31536000, immutable"}
TEMPERATURES: Final = ("cold", "warm")
PAGES: Final = (REFERENCE, SIFT)
# Targets from the start-up issue: the median's ratio to the reference at the same temperature.
TARGETS: Final[dict[tuple[str, str], float]] = {
    ("warm", "sift shell-interactive"): 0.15,
    ("warm", "sift engine-ready"): 0.5,
    ("cold", "sift engine-ready"): 0.6,
}


@dataclass(frozen=True)
class Record:
    round: int  # from 1
    temperature: str
    page: str
    load: Load


def schedule(runs: int) -> Iterator[tuple[int, str, PageSpec]]:
    """Every (temperature, page) once per round, the order rotated by one each round."""
    tasks = [(temperature, page) for temperature in TEMPERATURES for page in PAGES]
    for round_ in range(runs):
        shift = round_ % len(tasks)
        for temperature, page in tasks[shift:] + tasks[:shift]:
            yield round_, temperature, page


def run_rounds(
    chromium: Chromium, urls: dict[str, str], runs: int, progress: Callable[[Record], None]
) -> list[Record]:
    records: list[Record] = []
    with ExitStack() as stack:
        warm = {
            page.name: stack.enter_context(chromium.warm_profile(page, urls[page.name]))
            for page in PAGES
        }
        for round_, temperature, page in schedule(runs):
            if temperature == "cold":
                load = chromium.cold_load(page, urls[page.name])
            else:
                load = warm[page.name].load()
            records.append(Record(round_ + 1, temperature, page.name, load))
            progress(records[-1])
    return records


def report_rows(records: list[Record]) -> list[Row]:
    rows: list[Row] = []
    for temperature in TEMPERATURES:
        reference = None
        for page in PAGES:
            loads = [r.load for r in records if (r.temperature, r.page) == (temperature, page.name)]
            for milestone in page.milestones:
                summary = summarize([load.times.get(milestone.label) for load in loads])
                target = TARGETS.get((temperature, milestone.label))
                rows.append(Row(temperature, milestone.label, summary, reference, target))
            if page is REFERENCE:
                reference = rows[-1].summary
    return rows


def progress_line(record: Record) -> str:
    times = "  ".join(
        f"{label.split(' ', 1)[1]} {'failed' if ms is None else f'{ms:.0f} ms'}"
        for label, ms in record.load.times.items()
    )
    line = f"round {record.round}  {record.temperature}  {record.page:<4}  {times}"
    return line if record.load.error is None else f"{line}  ({record.load.error})"


def failures_text(records: list[Record]) -> list[str]:
    return [
        f"  round {r.round} {r.temperature} {r.page}: {r.load.error}"
        for r in records
        if r.load.error is not None
    ]


def write_json(path: Path, chromium: Chromium, records: list[Record], rows: list[Row]) -> None:
    result = {
        "chromium": chromium.version,
        "cpus": os.cpu_count(),
        "targets": {f"{t} {label}": r for (t, label), r in TARGETS.items()},
        "loads": [asdict(record) for record in records],
        "summary": [
            {
                "temperature": row.temperature,
                "label": row.label,
                **asdict(row.summary),
                "ratio": row.ratio,
                "max_ratio": row.max_ratio,
                "verdict": row.verdict,
            }
            for row in rows
        ],
    }
    path.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


@contextmanager
def served_pages(dist: Path, pyodide_dir: Path, ref_cache: str) -> Iterator[dict[str, str]]:
    """Sift's dist/ and a temporary reference folder, each on its own serve.py server."""
    with (
        tempfile.TemporaryDirectory(prefix="sift-bench-ref-") as ref_dir,
        serving(check_dist(dist)) as sift_url,
        serving_with_cache(
            prepare_reference(pyodide_dir, Path(ref_dir)), REF_CACHE_HEADERS[ref_cache]
        ) as ref_url,
    ):
        yield {SIFT.name: sift_url, REFERENCE.name: ref_url}


@contextmanager
def serving_with_cache(directory: Path, cache_control: str) -> Iterator[str]:
    """serve.serving(), with its headers except Cache-Control."""
    server = serve.make_server(serve.ServeConfig(directory))
    server.common_headers = [
        (name, cache_control if name == "Cache-Control" else value)
        for name, value in server.common_headers
    ]
    thread = threading.Thread(
        target=server.serve_forever, args=(serve.POLL_SECONDS,), name="bench-ref", daemon=True
    )
    thread.start()
    try:
        yield serve.base_url(server)
    finally:
        serve.stop(server)


def benchmark(args: argparse.Namespace) -> int:
    executable = args.chromium if args.chromium is None or args.chromium.exists() else None
    load_before = load_average()
    with served_pages(args.dist, args.pyodide, args.ref_cache) as urls, sync_playwright() as pw:
        chromium = Chromium(pw, executable, args.timeout)
        print(f"Priming warm profiles, then {args.runs} rounds...", file=sys.stderr, flush=True)
        records = run_rounds(chromium, urls, args.runs, _print_progress)
    rows = report_rows(records)
    print(
        f"Start-up: {args.runs} cold + {args.runs} warm loads each, ms from navigation start.\n"
        f"ref = bare Pyodide {_pyodide_version(args.pyodide)} from the npm files, served with "
        f"Cache-Control: {REF_CACHE_HEADERS[args.ref_cache]}.\n"
        f"Chromium {chromium.version}, {os.cpu_count()} CPUs, "
        f"load average {load_before} before, {load_average()} after."
    )
    print(format_table(rows))
    failures = failures_text(records)
    if failures:
        print(f"{len(failures)} failed loads:", *failures, sep="\n")
    if args.json is not None:
        write_json(args.json, chromium, records, rows)
    return 1 if failures else 0


def _pyodide_version(pyodide_dir: Path) -> str:
    try:
        package = json.loads((pyodide_dir / "package.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return "(version unknown)"
    return str(package.get("version", "(version unknown)"))


def _print_progress(record: Record) -> None:
    print(progress_line(record), file=sys.stderr, flush=True)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="bench/startup.py",
        description="Time Sift's start-up against bare Pyodide, cold and warm, in Chromium.",
    )
    parser.add_argument(
        "--runs", type=whole_number("runs"), default=5, help="loads per scenario (default 5)"
    )
    parser.add_argument("--dist", type=Path, default=DEFAULT_DIST, help="built site (dist/)")
    parser.add_argument("--json", type=Path, help="also write the raw results to this file")
    parser.add_argument(
        "--pyodide", type=Path, default=DEFAULT_PYODIDE, help="npm Pyodide (node_modules/pyodide)"
    )
    add_chromium_argument(parser)
    parser.add_argument(
        "--ref-cache",
        choices=tuple(REF_CACHE_HEADERS),
        default="no-cache",
        help="Cache-Control for the reference: serve.py's no-cache (default) or immutable",
    )
    parser.add_argument(
        "--timeout", type=seconds, default=60.0, help="time limit per load in s (default 60)"
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    return cli.run("bench/startup.py", build_parser(), benchmark, argv)


if __name__ == "__main__":
    sys.exit(main())
