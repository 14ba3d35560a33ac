"""bench/sql_stats.py and sql_results.py: summaries, ratios, the table and the last line."""

from __future__ import annotations

from bench.sql_answers import Answer
from bench.sql_results import EngineRun, failed_run, run_from
from bench.sql_stats import (
    Row,
    Summary,
    engine_share_line,
    format_row,
    format_table,
    header_lines,
    rows,
    slowest_line,
    summarize,
    udf_line,
)

LABELS = [("group-by", "group by"), ("window", "window")]


def test_first_run_apart_then_median_and_max_of_the_rest() -> None:
    assert summarize([900.0, 100.0, 300.0, 200.0]) == Summary(900.0, 200.0, 300.0, 4, 0)
    assert summarize([50.0]) == Summary(50.0, 50.0, 50.0, 1, 0)  # one round: the first counts
    assert summarize([]) == Summary(None, None, None, 0, 0)


def test_failed_runs_are_counted_not_dropped() -> None:
    assert summarize([None, 100.0, None]) == Summary(None, 100.0, 100.0, 3, 2)
    assert summarize([100.0, None]) == Summary(100.0, None, None, 2, 1)  # no warm run left


def table() -> list[Row]:
    return rows(
        LABELS,
        {
            "sift": {"group-by": [500.0, 300.0, 320.0], "window": [4000.0, 2000.0, 2100.0]},
            "sqljs": {"group-by": [150.0, 100.0, 90.0], "window": [1000.0, 800.0, 700.0]},
            "duckdb": {"group-by": [30.0, 10.0, 20.0], "window": [90.0, 50.0, 60.0]},
        },
    )


def test_ratios_are_sift_s_warm_median_over_the_reference_s() -> None:
    group_by, window = table()
    assert group_by.ratio("sqljs") == 310 / 95
    assert group_by.ratio("duckdb") == 310 / 15
    assert window.ratio("duckdb") == 2050 / 55


def test_no_ratio_without_sift_or_the_reference() -> None:
    (only,) = rows(LABELS[:1], {"sqljs": {"group-by": [1.0]}})
    assert only.ratio("sqljs") is None
    assert only.ratio("duckdb") is None


def test_table_lines() -> None:
    group_by, _ = table()
    engines = ("sift", "sqljs", "duckdb")
    assert header_lines(engines)[1].split() == [
        "query",
        *["first", "p50", "max"] * 3,
        "sql.js",
        "DuckDB-WASM",
    ]
    line = format_row(group_by, engines)
    assert line.split() == [
        "group",
        "by",
        *("500", "310", "320"),
        *("150", "95", "100"),
        *("30", "15", "20"),
        "3.3x",
        "21x",
    ]
    assert format_table(table(), engines).count("\n") == 3


def test_a_row_names_its_failures() -> None:
    (row,) = rows(LABELS[:1], {"sift": {"group-by": [None, 5.0, 6.0]}, "duckdb": {}})
    line = format_row(row, ("sift", "duckdb"))
    assert line.endswith("[Sift 1 of 3 failed]")
    assert "     -" in line  # the failed first run
    assert line.split()[-6] == "n/a"  # DuckDB has no samples: no ratio


def test_slowest_line_names_the_query_and_ratio_per_reference() -> None:
    assert slowest_line(table()) == (
        "Sift is slowest against sql.js on group-by (group by): 3.3x its time; "
        "against DuckDB-WASM on window (window): 37x its time."
    )
    assert "not known" in slowest_line(rows(LABELS, {"sift": {"window": [1.0]}}))


def test_udf_line() -> None:
    python, builtin = summarize([900.0, 800.0]), summarize([100.0, 200.0])
    assert udf_line(python, builtin, "agree: 2 rows, checksum 12345678") == (
        "Python UDF vs built-in SQL (Sift): UDF p50 800 ms, built-in p50 200 ms: "
        "the UDF takes 4.0x the built-in's time; answers agree: 2 rows, checksum 12345678."
    )


def test_run_from_page_json() -> None:
    run = run_from(
        "duckdb",
        {
            "version": "DuckDB v1.4.3 (eh bundle)",
            "loadMs": 1500,
            "rows": {"big": 20000, "districts": 200},
            "samples": [
                {"key": "like", "ms": 12.5},
                {"key": "like", "ms": None, "error": "Binder   Error:\n no such column"},
            ],
            "answers": {"like": {"count": 1, "columns": ["n"], "rows": [[42]]}},
        },
    )
    assert run.samples == {"like": [12.5, None]}
    assert run.problems == ["like: Binder Error: no such column"]
    assert run.answers == {"like": Answer(1, ("n",), ((42,),))}
    assert (run.load_s, run.rows["big"], run.name) == (1.5, 20000, "DuckDB-WASM")


def test_failed_run_keeps_one_line() -> None:
    run = failed_run("sqljs", "Error: boom\n    at line 3")
    assert run.error == "Error: boom at line 3"
    assert run.samples == {}
    assert EngineRun("sift").name == "Sift"


def test_engine_share_counts_only_the_calls_that_report_their_seconds() -> None:
    samples = {"like": [100.0, None, 100.0], "cte": [50.0]}
    assert engine_share_line(samples, {"like": [60.0, 90.0]}) == (
        "Of Sift's times, 75.0% is the engine's own (the `sql` reply's `seconds`): "
        "the rest is the worker call and its JSON."
    )
    assert "not known" in engine_share_line({}, {})


def test_cancel_line_judges_the_slowest_answer_against_half_a_second() -> None:
    from bench.sql_stats import cancel_line

    assert cancel_line([120.0, 80.0, 300.0]) == (
        "Cancel: a runaway query answered 120 ms (median of 3; max 300 ms) after the cancel call;"
        " target max <= 500 ms PASS."
    )
    assert cancel_line([120.0, 620.0]).endswith("MISS.")
    assert cancel_line([]) == "Cancel: not measured (the runaway query did not run)."
