"""bench/sql.py's report and options, sql_refs.py's page folder, sql_sift.py's error lines."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import pytest

from bench import sql, sql_refs
from bench.pages import BenchError
from bench.sql_answers import Answer
from bench.sql_queries import ENGINES, QUERIES, UDF_BUILTIN, UDF_QUERY, Engine
from bench.sql_results import EngineRun
from bench.sql_sift import error_text
from tests.unit.test_bench_explore_duckdb import fake_modules

SETUP: dict[str, Any] = {
    "file": "/tmp/big.csv",
    "file_bytes": 2_000_000,
    "generated": False,
    "rows": 100,
    "rounds": 2,
    "sift_build": "abc123",
    "npm": {"sql.js": "1.16.0", "@duckdb/duckdb-wasm": "1.32.0"},
    "chromium": "140",
    "cpus": 2,
    "load_before": "0.5",
    "load_after": "0.7",
}
ONE = Answer(1, ("n",), ((7,),))


def engine_run(engine: Engine, ms: float, answer: Answer = ONE) -> EngineRun:
    run = EngineRun(engine, version="v", load_s=1.0, rows={"big": 100, "districts": 200})
    for query in (*QUERIES, UDF_QUERY, UDF_BUILTIN):
        run.add(query.key, ms)
        run.add(query.key, ms / 2)
        run.answers[query.key] = answer
    return run


def test_engines_option() -> None:
    assert sql.engine_list("duckdb, sift") == ("sift", "duckdb")  # the report's order
    for bad in ("", "sqlite", "sift,,mysql"):
        with pytest.raises(argparse.ArgumentTypeError, match="sift, sqljs, duckdb"):
            sql.engine_list(bad)
    args = sql.build_parser().parse_args([])
    assert (args.rows, args.rounds, args.engines) == (1_000_000, 3, ENGINES)
    assert sql.build_parser().parse_args(["--rows", "20000"]).rows == 20_000


def test_help_works(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        sql.main(["--help"])
    assert exited.value.code == 0
    assert "--rows ROWS" in capsys.readouterr().out


def test_report_when_all_agree_ends_with_the_slowest_query() -> None:
    runs = {"sift": engine_run("sift", 40.0), "sqljs": engine_run("sqljs", 10.0)}
    runs["duckdb"] = engine_run("duckdb", 2.0)
    lines, failed = sql.report(SETUP, runs, ENGINES)
    assert not failed
    text = "\n".join(lines)
    assert "The same SQL text in every engine." in text
    assert text.count("agree: 1 row, checksum") == len(QUERIES) + 1  # and the UDF line
    assert "Python UDF vs built-in SQL (Sift)" in text
    assert "1.0x the built-in's time" in text
    assert lines[-1].startswith("Sift is slowest against sql.js on group-by")
    assert "Failures:" not in text


def test_report_fails_on_a_different_answer_a_failure_or_a_short_load() -> None:
    runs = {"sift": engine_run("sift", 40.0), "duckdb": engine_run("duckdb", 2.0)}
    runs["duckdb"].answers["like"] = Answer(1, ("n",), ((8,),))
    lines, failed = sql.report(SETUP, runs, ("sift", "duckdb"))
    assert failed
    assert any(line.startswith("  like        DIFFER: DuckDB-WASM") for line in lines)

    runs = {"sift": engine_run("sift", 40.0), "sqljs": engine_run("sqljs", 2.0)}
    runs["sqljs"].rows["big"] = 99
    runs["sift"].add("cte", None, "timeout: the query ran past 300 s")
    lines, failed = sql.report(SETUP, runs, ("sift", "sqljs"))
    assert failed
    assert "  Sift: cte: timeout: the query ran past 300 s" in lines
    assert any("sql.js loaded {'big': 99" in line for line in lines)


def test_report_of_a_sift_that_did_not_run() -> None:
    runs = {"sift": EngineRun("sift", error="the `sql` command failed")}
    runs["duckdb"] = engine_run("duckdb", 2.0)
    lines, failed = sql.report(SETUP, runs, ("sift", "duckdb"))
    assert failed
    assert "  Sift: the `sql` command failed" in lines
    assert "not compared: fewer than two answers (Sift: no answer)" in "\n".join(lines)


def test_prepare_folder_adds_sqljs_and_the_engines_script(tmp_path: Path) -> None:
    modules = fake_modules(tmp_path / "nm")
    for name in sql_refs.SQLJS_FILES:
        (modules / "sql.js" / "dist").mkdir(parents=True, exist_ok=True)
        (modules / "sql.js" / "dist" / name).write_text(name)
    folder = sql_refs.prepare_folder(modules, tmp_path / "page")
    assert (folder / "explore_duckdb.html").is_file()  # the DuckDB page and its import map
    assert (folder / "vendor" / "sqljs" / "sql-wasm.wasm").read_text() == "sql-wasm.wasm"
    script = (folder / sql_refs.ENGINES_SCRIPT).read_text("utf-8")
    assert "window.__sqlBench" in script
    args = sql_refs.engine_args("duckdb", "http://h/", [], QUERIES, 3)
    assert args["moduleURL"] == "http://h/vendor/duckdb/duckdb-browser.mjs"
    assert (folder / "vendor" / "duckdb" / "duckdb-browser.mjs").is_file()
    args = sql_refs.engine_args("sqljs", "http://h/", [], QUERIES, 3)
    assert args["wasmURL"] == "http://h/vendor/sqljs/sql-wasm.wasm"
    assert len(args["plan"]) == len(QUERIES)
    assert args["rounds"] == 3


def test_prepare_folder_without_sqljs_says_to_run_npm_ci(tmp_path: Path) -> None:
    with pytest.raises(BenchError, match=r"sql-wasm\.js.*npm ci"):
        sql_refs.prepare_folder(fake_modules(tmp_path / "nm"), tmp_path / "page")


def test_error_text_of_a_reply() -> None:
    reply = {"ok": False, "error": {"kind": "sql", "message": 'near "FORM": syntax error'}}
    assert error_text(reply) == 'sql: near "FORM": syntax error'
    assert error_text({"ok": False}) == "error: no message"
