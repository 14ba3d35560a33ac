#!/usr/bin/env python3
"""SQL benchmark: ten analytic queries on a 1M-row table in Sift, sql.js and DuckDB-WASM.

    python bench/sql.py [--rows 1000000] [--rounds 3] [--dist dist/] [--json results.json]

The big table is bench/explore.py's generated CSV (8 columns, ~93 MB for 1M rows, cached in
bench/results/), joined with a 200-row districts table. Each engine, in the same Chromium (a new
profile each), loads both CSV files and runs the queries of bench/sql_queries.py (group-bys, a
join, window functions, LIKE filters, top-N, distinct counts, a month grouping, HAVING, a CTE)
once per round: Sift (the app from dist/) through its engine worker's `sql` command, sql.js and
DuckDB-WASM (npm devDependencies) in their own pages. Then, in Sift, a Python UDF over every row
against the built-in SQL expression that computes the same. Prints each query's first, p50 and
max time per engine, Sift's ratios to sql.js and DuckDB, whether all engines gave the same
answers, and where Sift is slowest. It does not build: run `python build.py` first.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from collections.abc import Sequence
from contextlib import ExitStack
from dataclasses import asdict
from pathlib import Path
from typing import Any, Final

ROOT: Final = Path(__file__).resolve().parent.parent
# Run as `python bench/sql.py`, only bench/ is on the path: add the root for serve.py and bench.
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from bench import cli, explore_data, sql_data, sql_refs, sql_sift  # noqa: E402
from bench.browser import Chromium  # noqa: E402
from bench.browser_args import add_data_arguments, sift_build  # noqa: E402
from bench.cli import load_average, seconds  # noqa: E402
from bench.import_stats import megabytes  # noqa: E402
from bench.pages import check_dist  # noqa: E402
from bench.sql_answers import compare  # noqa: E402
from bench.sql_queries import (  # noqa: E402
    ENGINE_NAMES,
    ENGINES,
    QUERIES,
    UDF_BUILTIN,
    UDF_QUERY,
    Engine,
    variant_lines,
)
from bench.sql_results import EngineRun  # noqa: E402
from bench.sql_stats import (  # noqa: E402
    cancel_line,
    engine_share_line,
    format_table,
    rows,
    slowest_line,
    summarize,
    udf_line,
)
from serve import serving  # noqa: E402

ORDER: Final[tuple[Engine, ...]] = ("duckdb", "sqljs", "sift")  # the references first


def benchmark(args: argparse.Namespace) -> int:
    engines: tuple[Engine, ...] = args.engines
    dist = check_dist(args.dist) if "sift" in engines else None
    print(f"Preparing the CSV ({args.rows:,} rows) in {args.cache}...", file=sys.stderr)
    big, made = explore_data.cached(args.cache, args.rows, args.seed)
    districts, _ = sql_data.cached_districts(args.cache)
    load_before = load_average()
    runs: dict[Engine, EngineRun] = {}
    with ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="sift-sql-")))
        if set(engines) - {"sift"}:
            sql_refs.prepare_folder(args.node_modules, folder)
        csv_base = stack.enter_context(serving(args.cache.resolve()))
        tables = [(sql_data.BIG, csv_base + big.name)]
        tables.append((sql_data.DISTRICTS_TABLE, csv_base + districts.name))
        chromium = Chromium(stack.enter_context(sync_playwright()), args.executable, args.timeout)
        for engine in (e for e in ORDER if e in engines):
            print(f"{ENGINE_NAMES[engine]}: loading and querying...", file=sys.stderr, flush=True)
            if engine == "sift":
                assert dist is not None
                sift_url = stack.enter_context(serving(dist))
                runs[engine] = sql_sift.run(
                    chromium, sift_url, tables, QUERIES, args.rounds, args.step_timeout, True
                )
            else:
                base = stack.enter_context(serving(folder, csp_mode="none"))
                page_tables = [
                    {"name": name, "csvURL": url, "columns": sql_data.schema(name)}
                    for name, url in tables
                ]
                engine_args = sql_refs.engine_args(engine, base, page_tables, QUERIES, args.rounds)
                runs[engine] = sql_refs.run(chromium, engine, base, engine_args)
            print(f"{ENGINE_NAMES[engine]}: {runs[engine].error or 'done'}", file=sys.stderr)
    setup = {
        "file": str(big),
        "file_bytes": big.stat().st_size,
        "generated": made,
        "rows": args.rows,
        "seed": args.seed,
        "rounds": args.rounds,
        "engines": list(engines),
        "sift_build": None if dist is None else sift_build(dist),
        "npm": {name: npm_version(args.node_modules, name) for name in NPM_PACKAGES.values()},
        "chromium": chromium.version,
        "cpus": os.cpu_count(),
        "load_before": load_before,
        "load_after": load_average(),
    }
    lines, failed = report(setup, runs, engines)
    print("\n".join(lines))
    if args.json is not None:
        write_json(args.json, setup, runs)
    return 1 if failed else 0


NPM_PACKAGES: Final[dict[Engine, str]] = {"sqljs": "sql.js", "duckdb": "@duckdb/duckdb-wasm"}


def npm_version(modules: Path, package: str) -> str:
    try:
        found = json.loads((modules / package / "package.json").read_text("utf-8"))
        return str(found["version"])
    except (OSError, ValueError, KeyError):
        return "unknown"


def report(
    setup: dict[str, Any], runs: dict[Engine, EngineRun], engines: Sequence[Engine]
) -> tuple[list[str], bool]:
    """The report's lines, and whether anything failed or disagreed."""
    shown = [e for e in ENGINES if e in engines]
    table = rows(
        [(q.key, q.label) for q in QUERIES], {e: runs[e].samples for e in shown if e in runs}
    )
    lines = [*header(setup, runs, shown), format_table(table, shown), "", "Answers:"]
    failed = False
    for query in QUERIES:
        agreement = compare(
            {runs[e].name: runs[e].answers.get(query.key) for e in shown if e in runs},
            query.ordered,
        )
        failed |= not agreement.agree and len(shown) > 1
        lines.append(f"  {query.key:<11} {agreement.text}")
    lines += load_lines(setup, runs, shown)
    if "sift" in runs:
        sift = runs["sift"]
        udf = compare(
            {
                "UDF": sift.answers.get(UDF_QUERY.key),
                "built-in": sift.answers.get(UDF_BUILTIN.key),
            },
            ordered=True,
        )
        failed |= not udf.agree
        lines += [
            "",
            engine_share_line(sift.samples, sift.engine_ms),
            udf_line(
                summarize(sift.samples.get(UDF_QUERY.key, ())),
                summarize(sift.samples.get(UDF_BUILTIN.key, ())),
                udf.text,
            ),
            cancel_line(sift.cancel_ms),
        ]
    problems = [
        f"  {run.name}: {problem}"
        for run in runs.values()
        for problem in ([run.error] if run.error else []) + run.problems
    ]
    if problems:
        failed = True
        lines += ["", "Failures:", *problems]
    lines += ["", slowest_line(table)]
    return lines, failed


def header(
    setup: dict[str, Any], runs: dict[Engine, EngineRun], engines: Sequence[Engine]
) -> list[str]:
    source = "generated" if setup["generated"] else "cached"
    described = []
    for engine in engines:
        run = runs.get(engine)
        text = ENGINE_NAMES[engine]
        if engine == "sift":
            text += f" build {setup['sift_build']}"
        else:
            text += f" (npm {setup['npm'][NPM_PACKAGES[engine]]})"
        if run is not None:
            text += f": {run.version}"
            if run.load_s is not None:
                text += f", loaded in {run.load_s:.1f} s"
        described.append(text)
    variants = variant_lines(QUERIES)
    return [
        f"SQL: {setup['rows']:,} rows x {len(explore_data.COLUMNS)} columns "
        f"({megabytes(setup['file_bytes'])} CSV, {source}: {setup['file']}) "
        f"and a {len(explore_data.DISTRICTS)}-row districts table.",
        "; ".join(described) + ".",
        f"{setup['rounds']} round(s) of {len(QUERIES)} queries, each engine in a new Chromium "
        "profile; times taken in the page: first run, then p50 and max of the later rounds.",
        "Sift's time is its engine worker's `sql` call from the page, which also stores every "
        "result in a result table; sql.js and DuckDB only return theirs to JavaScript.",
        "The same SQL text in every engine."
        if not variants
        else "The same SQL text in every engine, except:",
        *variants,
        f"Chromium {setup['chromium']}, {setup['cpus']} CPUs, "
        f"load average {setup['load_before']} before, {setup['load_after']} after.",
        "",
    ]


def load_lines(
    setup: dict[str, Any], runs: dict[Engine, EngineRun], engines: Sequence[Engine]
) -> list[str]:
    """The rows each engine loaded: a short load is a failure, named."""
    expected = {sql_data.BIG: setup["rows"], sql_data.DISTRICTS_TABLE: len(explore_data.DISTRICTS)}
    lines = []
    for engine in engines:
        run = runs.get(engine)
        if run is None or (run.error and not run.rows):
            continue
        if run.rows != expected:
            lines.append(f"  {run.name} loaded {run.rows}, expected {expected}")
            run.problems.append(f"loaded {run.rows}, expected {expected}")
    return lines


def write_json(path: Path, setup: dict[str, Any], runs: dict[Engine, EngineRun]) -> None:
    result = {**setup, "runs": {engine: asdict(run) for engine, run in runs.items()}}
    path.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


def engine_list(text: str) -> tuple[Engine, ...]:
    """An argparse type: engines, comma-separated ("sift,duckdb"), in the report's order."""
    names = {name.strip() for name in text.split(",") if name.strip()}
    unknown = sorted(names - set(ENGINES))
    if unknown or not names:
        raise argparse.ArgumentTypeError(
            f"{text!r}: name engines from {', '.join(ENGINES)}, comma-separated"
        )
    return tuple(e for e in ENGINES if e in names)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="bench/sql.py",
        description="Time ten analytic SQL queries and a Python UDF in Sift, sql.js, DuckDB-WASM.",
    )
    add_data_arguments(
        parser,
        rounds=3,
        rounds_help="runs of each query: the first, then p50/max of the rest (default 3)",
        engines="sql.js and @duckdb/duckdb-wasm",
    )
    parser.add_argument(
        "--engines",
        type=engine_list,
        default=ENGINES,
        help="which engines run, comma-separated (default sift,sqljs,duckdb)",
    )
    parser.add_argument(
        "--timeout",
        type=seconds,
        default=1800.0,
        help="time limit per engine: start and load (Sift), the whole run (others); default 1800",
    )
    parser.add_argument(
        "--step-timeout",
        type=seconds,
        default=300.0,
        help="time limit for one query in Sift, its `sql` deadline (default 300)",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()

    def run(args: argparse.Namespace) -> int:
        args.executable = args.chromium if args.chromium.exists() else None
        return benchmark(args)

    return cli.run("bench/sql.py", parser, run, argv)


if __name__ == "__main__":
    sys.exit(main())
