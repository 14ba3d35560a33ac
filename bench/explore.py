#!/usr/bin/env python3
"""Explore benchmark: sort, filter, facet, profile and scroll a 1M-row table, against DuckDB-WASM.

    python bench/explore.py [--rows 1000000] [--rounds 20] [--dist dist/] [--json results.json]

The CSV (8 columns, ~93 MB for 1M rows) is generated once, seeded, into bench/results/ and
reused. Sift (the app from dist/, in Chromium) opens it, profiles its columns, then shows each
query as a change of the URL fragment: a sort on a text and on a numeric column (the first
time, and repeated), a numeric filter, a facet on a 200-value column, the plain first page;
then its grid is scrolled through 10,000 rows. DuckDB-WASM (npm, served locally) runs the same
queries as SQL in the same Chromium. Prints p50/p95/max of each, Sift's ratio to DuckDB, and
PASS/MISS against the issue's targets: p95 <= 300 ms for the filter, the facet and a sort on an
indexed column; <= 1.5 s for a first sort on an unindexed column; no main-thread task over
50 ms while scrolling. It does not build: run `python build.py` first.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from contextlib import ExitStack
from dataclasses import asdict
from pathlib import Path
from typing import Any, Final

ROOT: Final = Path(__file__).resolve().parent.parent
# Run as `python bench/explore.py`, only bench/ is on the path: add the root for serve.py and
# bench, and pysrc/ for sift.view_state (how the UI reads a fragment).
for folder in (ROOT, ROOT / "pysrc"):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

from playwright.sync_api import sync_playwright  # noqa: E402

from bench import cli, explore_data, explore_duckdb, explore_sift  # noqa: E402
from bench.browser import Chromium  # noqa: E402
from bench.browser_args import add_data_arguments, sift_build  # noqa: E402
from bench.cli import load_average, seconds  # noqa: E402
from bench.explore_duckdb import DuckResult  # noqa: E402
from bench.explore_queries import ROUND, SCROLL_ROWS, schedule  # noqa: E402
from bench.explore_sift import SiftResult  # noqa: E402
from bench.explore_stats import Row, format_table, rows_check, scroll_line  # noqa: E402
from bench.explore_stats import rows as report_rows  # noqa: E402
from bench.import_stats import megabytes  # noqa: E402
from bench.pages import check_dist  # noqa: E402
from serve import serving  # noqa: E402

SIDES: Final = ("both", "sift", "duckdb")


def benchmark(args: argparse.Namespace) -> int:
    dist = check_dist(args.dist) if args.side != "duckdb" else None
    executable = args.chromium if args.chromium.exists() else None
    print(f"Preparing the CSV ({args.rows:,} rows) in {args.cache}...", file=sys.stderr)
    csv_path, made = explore_data.cached(args.cache, args.rows, args.seed)
    steps = schedule(args.rounds)
    load_before = load_average()
    sift, duck = SiftResult(), DuckResult()
    with ExitStack() as stack:
        page_dir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="sift-duckdb-")))
        if args.side != "sift":
            explore_duckdb.prepare_page(args.node_modules, page_dir)
        csv_folder = stack.enter_context(serving(csv_path.parent))
        chromium = Chromium(stack.enter_context(sync_playwright()), executable, args.timeout)
        if args.side != "sift":
            print("DuckDB-WASM: loading and querying...", file=sys.stderr, flush=True)
            page_url = stack.enter_context(serving(page_dir, csp_mode="none"))
            duck = explore_duckdb.run(chromium, page_url, csv_folder + csv_path.name, steps)
            print(f"DuckDB-WASM: {duck.error or 'done'}", file=sys.stderr, flush=True)
        if dist is not None:
            print("Sift: loading, profiling, querying, scrolling...", file=sys.stderr, flush=True)
            sift_url = stack.enter_context(serving(dist))
            sift = explore_sift.run(
                chromium, sift_url, csv_path, steps, args.scroll_seconds, args.step_timeout
            )
            print(f"Sift: {sift.error or 'done'}", file=sys.stderr, flush=True)
    setup = {
        "file": str(csv_path),
        "file_bytes": csv_path.stat().st_size,
        "generated": made,
        "rows": args.rows,
        "columns": len(explore_data.COLUMNS),
        "seed": args.seed,
        "rounds": args.rounds,
        "side": args.side,
        "sift_build": None if dist is None else sift_build(dist),
        "duckdb_npm": duckdb_npm_version(args.node_modules),
        "chromium": chromium.version,
        "cpus": os.cpu_count(),
        "load_before": load_before,
        "load_after": load_average(),
    }
    table = report_rows(sift.samples, duck.samples)
    print(header(setup, sift, duck), format_table(table), sep="\n")
    for line in footer(args, sift, duck):
        print(line)
    if args.json is not None:
        write_json(args.json, setup, sift, duck, table)
    failed = (
        sift.error
        or duck.error
        or sift.problems
        or any(None in samples for samples in duck.samples.values())
    )
    return 1 if failed else 0


def duckdb_npm_version(modules: Path) -> str:
    try:
        package = modules / "@duckdb" / "duckdb-wasm" / "package.json"
        return str(json.loads(package.read_text("utf-8"))["version"])
    except (OSError, ValueError, KeyError):
        return "unknown"


def header(setup: dict[str, Any], sift: SiftResult, duck: DuckResult) -> str:
    source = "generated" if setup["generated"] else "cached"
    sift_text = (
        "Sift not run" if setup["sift_build"] is None else f"Sift build {setup['sift_build']}"
    )
    if sift.load_s is not None:
        sift_text += f" (opened the CSV in {sift.load_s:.1f} s)"
    duck_text = f"DuckDB-WASM {duck.version} (npm {setup['duckdb_npm']}, {duck.bundle} bundle"
    duck_text += ")" if duck.load_s is None else f"; read_csv in {duck.load_s:.1f} s)"
    if setup["side"] == "sift":
        duck_text = "DuckDB-WASM not run"
    return "\n".join(
        (
            f"Explore: {setup['rows']:,} rows x {setup['columns']} columns, "
            f"{megabytes(setup['file_bytes'])} CSV ({source}: {setup['file']}).",
            f"{sift_text}; {duck_text}.",
            f"{setup['rounds']} round(s) of {len(ROUND)} queries, then profiles and a scroll; "
            "each side in a new Chromium profile; times taken in the page.",
            f"Chromium {setup['chromium']}, {setup['cpus']} CPUs, "
            f"load average {setup['load_before']} before, {setup['load_after']} after.",
            "",
        )
    )


def footer(args: argparse.Namespace, sift: SiftResult, duck: DuckResult) -> list[str]:
    lines = ["", rows_check(sift.filter_rows, duck.filter_count)]
    if sift.scroll is not None:
        lines.append(scroll_line(sift.scroll, SCROLL_ROWS))
    problems = [f"  Sift: {sift.error}"] if sift.error else []
    problems += [f"  Sift {problem}" for problem in sift.problems]
    problems += [f"  DuckDB: {duck.error}"] if duck.error else []
    if problems:
        lines += ["Failures:", *problems]
    return lines


def write_json(
    path: Path, setup: dict[str, Any], sift: SiftResult, duck: DuckResult, table: list[Row]
) -> None:
    result = {
        **setup,
        "sift": asdict(sift),
        "duckdb": asdict(duck),
        "summary": [{**asdict(row), "ratio": row.ratio, "verdict": row.verdict} for row in table],
    }
    path.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="bench/explore.py",
        description="Time sorts, filters, facets, profiles and scrolling in Sift and DuckDB-WASM.",
    )
    add_data_arguments(
        parser,
        rounds=20,
        rounds_help="times each query runs, for its p95 (default 20)",
        engines="@duckdb/duckdb-wasm",
    )
    parser.add_argument("--side", choices=SIDES, default="both", help="run one side only")
    parser.add_argument(
        "--scroll-seconds",
        type=seconds,
        default=5.0,
        help=f"how long scrolling through {SCROLL_ROWS:,} rows takes (default 5)",
    )
    parser.add_argument(
        "--timeout",
        type=seconds,
        default=900.0,
        help="time limit for loading the CSV (Sift), for DuckDB's whole run (default 900)",
    )
    parser.add_argument(
        "--step-timeout",
        type=seconds,
        default=60.0,
        help="time limit for one query in Sift (default 60)",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    return cli.run("bench/explore.py", build_parser(), benchmark, argv)


if __name__ == "__main__":
    sys.exit(main())
