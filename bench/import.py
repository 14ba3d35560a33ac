#!/usr/bin/env python3
"""Import benchmark: one generated CSV imported by Sift and by three baselines, in one invocation.

    python bench/import.py [--rows 1000000] [--runs 1] [--dist dist/] [--json results.json]

The CSV (10 columns, ~100 MB for 1M rows) is generated once, seeded, into bench/results/ and
reused. Importers: Sift (the app in Chromium, "Open file" to "Loaded …"); a naive Pyodide
baseline (csv.reader + executemany, one transaction) and sql.js (npm), both in the same
Chromium; the native sqlite3 CLI's .import. Prints seconds, rows/s and peak memory of each, and
Sift's ratios against the targets: >= 1.5x the naive baseline's rows/s, >= 0.5x sql.js's, and a
peak wasm memory <= 3x the file size. It does not build: run `python build.py` first.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Final

ROOT: Final = Path(__file__).resolve().parent.parent
# Run as `python bench/import.py`, only bench/ is on the path: add the root for serve.py, bench.
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from bench import (  # noqa: E402
    cli,
    csvgen,
    import_browser,
    native,
)
from bench.browser import Chromium  # noqa: E402
from bench.browser_args import (  # noqa: E402
    DEFAULT_CACHE,
    DEFAULT_DIST,
    DEFAULT_MODULES,
    add_chromium_argument,
    sift_build,
)
from bench.cli import load_average, seconds, whole_number  # noqa: E402
from bench.import_browser import Origins  # noqa: E402
from bench.import_stats import (  # noqa: E402
    ImporterSummary,
    Measurement,
    Target,
    cancel_line,
    checked,
    failed,
    format_report,
    megabytes,
    summarize_importer,
    targets,
)
from bench.pages import BenchError, check_dist  # noqa: E402
from serve import serving  # noqa: E402

DEFAULT_SQLJS: Final = DEFAULT_MODULES / "sql.js" / "dist"
SQLJS_FILES: Final = ("sql-wasm.js", "sql-wasm.wasm")
# Targets from the import issue: Sift's rows/s over each baseline's, and its peak wasm memory.
MIN_SPEED_RATIO: Final = {"pyodide naive": 1.5, "sql.js": 0.5}
MAX_MEMORY_RATIO: Final = 3.0
CANCELS: Final = 3  # imports of the same CSV cancelled mid-way (issue 3: within half a second)


@dataclass(frozen=True)
class Importer:
    name: str
    memory_kind: str  # "wasm" or "RSS"
    run: Callable[[], Measurement]
    skipped: str | None = None  # set when it cannot run here (reported, not an error)


@dataclass(frozen=True)
class Record:
    run: int  # from 1
    importer: str
    measurement: Measurement


def rotated(items: list[Importer], shift: int) -> list[Importer]:
    """The importers in order, rotated by `shift`: slow drift on the machine spreads over all."""
    if not items:
        return []
    shift %= len(items)
    return items[shift:] + items[:shift]


def run_all(importers: list[Importer], runs: int, rows: int) -> list[Record]:
    records: list[Record] = []
    active = [importer for importer in importers if importer.skipped is None]
    for run in range(runs):
        for importer in rotated(active, run):
            measurement = checked(importer.run(), rows)
            records.append(Record(run + 1, importer.name, measurement))
            print(progress_line(records[-1], rows), file=sys.stderr, flush=True)
    return records


def progress_line(record: Record, rows: int) -> str:
    measured = record.measurement
    head = f"run {record.run}  {record.importer:<14}"
    if measured.error is not None or measured.seconds is None:
        return f"{head}failed: {measured.error}"
    peak = "n/a" if measured.peak_bytes is None else megabytes(measured.peak_bytes)
    text = f"{head}{measured.seconds:.2f} s  {rows / measured.seconds:,.0f} rows/s  peak {peak}"
    return f"{text}  ({measured.note})" if measured.note else text


def summaries(importers: list[Importer], records: list[Record], rows: int) -> list[ImporterSummary]:
    return [
        summarize_importer(
            importer.name,
            importer.memory_kind,
            [r.measurement for r in records if r.importer == importer.name],
            rows,
            importer.skipped,
        )
        for importer in importers
    ]


def failures_text(records: list[Record]) -> list[str]:
    return [
        f"  run {r.run} {r.importer}: {r.measurement.error}"
        for r in records
        if r.measurement.error is not None
    ]


def notes_text(records: list[Record]) -> list[str]:
    """One line per importer and note, with the runs it applies to."""
    runs: dict[tuple[str, str], list[str]] = {}
    for r in records:
        if r.measurement.note:
            runs.setdefault((r.importer, r.measurement.note), []).append(str(r.run))
    return [
        f"  {importer} (run {', '.join(numbers)}): {note}"
        for (importer, note), numbers in runs.items()
    ]


def build_importers(
    chromium: Chromium, origins: Origins, csv_path: Path, sqlite3: str | None
) -> list[Importer]:
    if sqlite3 is None:
        cli = Importer("sqlite3 CLI", "RSS", lambda: failed(native.MISSING), native.MISSING)
    else:
        cli = Importer(
            "sqlite3 CLI", "RSS", lambda: native.import_csv(sqlite3, csv_path, chromium.timeout_s)
        )
    return [
        Importer("sift", "wasm", lambda: import_browser.sift(chromium, origins, csv_path)),
        Importer(
            "pyodide naive",
            "wasm",
            lambda: import_browser.naive_pyodide(chromium, origins, csv_path),
        ),
        Importer("sql.js", "wasm", lambda: import_browser.sqljs(chromium, origins, csv_path)),
        cli,
    ]


def check_sqljs(folder: Path) -> Path:
    missing = [name for name in SQLJS_FILES if not (folder / name).is_file()]
    if missing:
        raise BenchError(
            f"{folder} lacks {', '.join(missing)}: run `npm ci` to install sql.js (devDependency)"
        )
    return folder.resolve()


def benchmark(args: argparse.Namespace) -> int:
    dist, sqljs_dir = check_dist(args.dist), check_sqljs(args.sqljs)
    executable = args.chromium if args.chromium.exists() else None
    print(f"Preparing the CSV ({args.rows:,} rows) in {args.cache}...", file=sys.stderr)
    csv_path, made = csvgen.cached(args.cache, args.rows, args.seed)
    sqlite3 = native.find_sqlite3()
    if sqlite3 is None:
        print(f"bench/import.py: {native.MISSING}: that row is skipped", file=sys.stderr)
    load_before = load_average()
    with ExitStack() as stack:
        origins = Origins(
            sift=stack.enter_context(serving(dist)),
            csv_folder=stack.enter_context(serving(csv_path.parent)),
            sqljs=stack.enter_context(serving(sqljs_dir)),
        )
        chromium = Chromium(stack.enter_context(sync_playwright()), executable, args.timeout)
        importers = build_importers(chromium, origins, csv_path, sqlite3)
        records = run_all(importers, args.runs, args.rows)
        print(f"Sift: cancelling {CANCELS} imports...", file=sys.stderr, flush=True)
        cancel_ms, cancel_problem = import_browser.sift_cancels(
            chromium, origins, csv_path, CANCELS
        )
    setup = {
        "file": str(csv_path),
        "file_bytes": csv_path.stat().st_size,
        "generated": made,
        "rows": args.rows,
        "columns": len(csvgen.COLUMNS),
        "seed": args.seed,
        "runs": args.runs,
        "sift_build": sift_build(dist),
        "chromium": chromium.version,
        "sqlite3": None if sqlite3 is None else native.version(sqlite3),
        "cpus": os.cpu_count(),
        "load_before": load_before,
        "load_after": load_average(),
        "cancel_ms": cancel_ms,
    }
    rows = summaries(importers, records, args.rows)
    ratios = targets(rows[0], rows[1:], setup["file_bytes"], MIN_SPEED_RATIO, MAX_MEMORY_RATIO)
    print(header(setup), format_report(rows, ratios, setup["file_bytes"]), sep="\n")
    print(cancel_line(cancel_ms, cancel_problem))
    failures, notes = failures_text(records), notes_text(records)
    if failures:
        print(f"{len(failures)} failed imports:", *failures, sep="\n")
    if notes:
        print("Notes:", *notes, sep="\n")
    if args.json is not None:
        write_json(args.json, setup, records, rows, ratios)
    return 1 if failures else 0


def header(setup: dict[str, Any]) -> str:
    source = "generated" if setup["generated"] else "cached"
    return "\n".join(
        (
            f"Import: {setup['rows']:,} rows x {setup['columns']} columns, "
            f"{megabytes(setup['file_bytes'])} CSV ({source}: {setup['file']}).",
            f"{setup['runs']} run(s) per importer, median shown; "
            "each browser import in a new profile.",
            f"Sift build {setup['sift_build']}, Chromium {setup['chromium']}, "
            f"sqlite3 CLI {setup['sqlite3'] or 'missing'}, {setup['cpus']} CPUs, "
            f"load average {setup['load_before']} before, {setup['load_after']} after.",
        )
    )


def write_json(
    path: Path,
    setup: dict[str, Any],
    records: list[Record],
    rows: list[ImporterSummary],
    ratios: list[Target],
) -> None:
    result = {
        **setup,
        "imports": [asdict(record) for record in records],
        "summary": [asdict(row) for row in rows],
        "targets": [{**asdict(target), "verdict": target.verdict} for target in ratios],
    }
    path.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="bench/import.py",
        description="Time a generated CSV's import by Sift, naive Pyodide, sql.js and sqlite3.",
    )
    parser.add_argument(
        "--rows", type=whole_number("rows"), default=1_000_000, help="CSV rows (default 1000000)"
    )
    parser.add_argument(
        "--runs", type=whole_number("runs"), default=1, help="imports per importer (default 1)"
    )
    parser.add_argument("--dist", type=Path, default=DEFAULT_DIST, help="built site (dist/)")
    parser.add_argument("--json", type=Path, help="also write the raw results to this file")
    parser.add_argument(
        "--cache", type=Path, default=DEFAULT_CACHE, help="folder for the CSV (bench/results/)"
    )
    parser.add_argument(
        "--seed", type=int, default=csvgen.DEFAULT_SEED, help="the CSV generator's seed"
    )
    parser.add_argument(
        "--sqljs", type=Path, default=DEFAULT_SQLJS, help="sql.js files (node_modules/sql.js/dist)"
    )
    add_chromium_argument(parser)
    parser.add_argument(
        "--timeout", type=seconds, default=600.0, help="time limit per import in s (default 600)"
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    return cli.run("bench/import.py", build_parser(), benchmark, argv)


if __name__ == "__main__":
    sys.exit(main())
