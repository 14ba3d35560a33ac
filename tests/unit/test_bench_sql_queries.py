"""bench/sql_queries.py and sql_data.py: the queries every engine runs, and the tables."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable
from typing import Any

import pytest

from bench import explore_data, sql_data
from bench.sql_answers import CHECK_LIMIT, CHECK_ROWS
from bench.sql_queries import (
    ENGINES,
    QUERIES,
    UDF_BUILTIN,
    UDF_NAME,
    UDF_QUERY,
    UDF_SOURCE,
    Query,
    plan,
    variant_lines,
)

ROWS = 3000


def converted(cell: str, sqlite_type: str) -> object:
    """A CSV cell as Sift stores it: empty is NULL, true/false are 1/0 (as sql_engines.js)."""
    if cell == "":
        return None
    if sqlite_type == "BOOLEAN":
        return int(cell == "true")
    return cell


def loaded(lines: list[str], table: str, conn: sqlite3.Connection) -> None:
    columns = sql_data.SCHEMAS[table]
    assert lines[0].rstrip("\n").split(",") == [name for name, _, _ in columns]
    declared = ", ".join(f'"{name}" {lite}' for name, lite, _ in columns)
    conn.execute(f'CREATE TABLE "{table}" ({declared})')
    types = [lite for _, lite, _ in columns]
    rows = [
        [
            converted(cell, kind)
            for cell, kind in zip(line.rstrip("\n").split(","), types, strict=True)
        ]
        for line in lines[1:]
    ]
    conn.executemany(f'INSERT INTO "{table}" VALUES ({", ".join("?" * len(columns))})', rows)


@pytest.fixture(scope="module")
def conn() -> sqlite3.Connection:
    """Both tables in SQLite, typed as Sift types them."""
    db = sqlite3.connect(":memory:")
    loaded(list(explore_data.lines(ROWS, explore_data.DEFAULT_SEED)), sql_data.BIG, db)
    loaded(list(sql_data.district_lines()), sql_data.DISTRICTS_TABLE, db)
    return db


def test_ten_queries_with_unique_keys() -> None:
    keys = [q.key for q in (*QUERIES, UDF_QUERY, UDF_BUILTIN)]
    assert len(QUERIES) == 10
    assert len(set(keys)) == len(keys)


def test_every_query_runs_in_sqlite_and_returns_rows(conn: sqlite3.Connection) -> None:
    for query in QUERIES:
        rows = conn.execute(query.sql).fetchall()
        assert rows, query.key
        assert len(rows) <= CHECK_LIMIT, f"{query.key}: too many rows to compare as a set"


def test_the_issue_s_kinds_of_query_are_all_there() -> None:
    text = " ".join(q.sql for q in QUERIES)
    for needed in (
        "GROUP BY district,",  # two columns
        " JOIN districts ",
        " OVER (PARTITION BY ",
        "rank()",
        "ROWS UNBOUNDED PRECEDING",
        " LIKE '%",
        " LIMIT 10",
        "count(DISTINCT ",
        "substr(day, 1, 7)",
        " HAVING ",
        "WITH ",
    ):
        assert needed in text, needed


def final_clause(sql: str) -> str:
    """What follows the last closing parenthesis: the outermost query's tail."""
    return sql[sql.rfind(")") + 1 :]


def test_ordered_means_a_final_order_by() -> None:
    for query in QUERIES:
        one_row = re.match(r"(WITH .*\) )?SELECT count\(", query.sql) and " GROUP BY " not in (
            final_clause(query.sql)
        )
        has_order = " ORDER BY " in final_clause(query.sql)
        assert query.ordered == (has_order or bool(one_row)), query.key


def test_unordered_queries_answer_in_any_order_the_same_set(conn: sqlite3.Connection) -> None:
    # Reversing SQLite's scan order (a pragma for testing) changes nothing in the set.
    for query in (q for q in QUERIES if not q.ordered):
        forward = sorted(conn.execute(query.sql).fetchall(), key=repr)
        conn.execute("PRAGMA reverse_unordered_selects = ON")
        try:
            backward = sorted(conn.execute(query.sql).fetchall(), key=repr)
        finally:
            conn.execute("PRAGMA reverse_unordered_selects = OFF")
        assert forward == backward, query.key


def test_ordered_queries_break_every_tie(conn: sqlite3.Connection) -> None:
    # A total ORDER BY gives the same rows in the same order whatever the scan order.
    for query in (q for q in QUERIES if q.ordered):
        forward = conn.execute(query.sql).fetchall()
        conn.execute("PRAGMA reverse_unordered_selects = ON")
        try:
            assert conn.execute(query.sql).fetchall() == forward, query.key
        finally:
            conn.execute("PRAGMA reverse_unordered_selects = OFF")


def test_like_patterns_cannot_meet_a_capital_letter(conn: sqlite3.Connection) -> None:
    # SQLite's LIKE ignores ASCII case, DuckDB's does not: the count must be the same either way.
    (like,) = (q for q in QUERIES if q.key == "like")
    conn.execute("PRAGMA case_sensitive_like = ON")
    try:
        sensitive = conn.execute(like.sql).fetchall()
    finally:
        conn.execute("PRAGMA case_sensitive_like = OFF")
    assert conn.execute(like.sql).fetchall() == sensitive
    assert sensitive[0][0] > 0


def test_python_udf_answers_like_the_built_in_expression(conn: sqlite3.Connection) -> None:
    names: dict[str, Any] = {}
    exec(UDF_SOURCE, names)
    band: Callable[[object], str] = names[UDF_NAME]
    conn.create_function(UDF_NAME, 1, band)
    python = conn.execute(UDF_QUERY.sql).fetchall()
    assert python == conn.execute(UDF_BUILTIN.sql).fetchall()
    assert [value for value, _ in python] == ["high", "low"]
    assert band(None) == "low"  # empty amounts: CASE's ELSE, not a TypeError


def test_plan_gives_each_engine_its_sql_and_the_rows_to_send_back() -> None:
    query = Query("q", "a query", "SELECT 1", ordered=False, variants=(("duckdb", "SELECT 2"),))
    assert plan([query], "sift") == [{"key": "q", "sql": "SELECT 1", "want": CHECK_LIMIT + 1}]
    assert plan([query], "duckdb")[0]["sql"] == "SELECT 2"
    ordered = Query("o", "ordered", "SELECT 1 ORDER BY 1", ordered=True)
    assert plan([ordered], "sqljs")[0]["want"] == CHECK_ROWS
    assert variant_lines([query, ordered]) == ["  q: DuckDB-WASM runs SELECT 2"]


def test_the_shipped_queries_are_the_same_text_everywhere() -> None:
    assert variant_lines(QUERIES) == []
    for engine in ENGINES:
        assert [step["sql"] for step in plan(QUERIES, engine)] == [q.sql for q in QUERIES]


def test_districts_table_has_one_row_per_district() -> None:
    lines = list(sql_data.district_lines())
    assert lines[0] == "district,city,quarter,region,population\n"
    rows = [line.rstrip("\n").split(",") for line in lines[1:]]
    assert [row[0] for row in rows] == list(explore_data.DISTRICTS)
    assert {row[3] for row in rows} == set(sql_data.REGIONS)
    assert all(1000 <= int(row[4]) < 201_000 for row in rows)
    assert sql_data.city_of("Paris North") == ("Paris", "North")
    assert sql_data.city_of("Paris") == ("Paris", "Centre")
    assert not any('"' in line for line in lines)


def test_schemas_name_the_generated_columns() -> None:
    assert tuple(name for name, _, _ in sql_data.SCHEMAS[sql_data.BIG]) == explore_data.COLUMNS
    assert sql_data.schema(sql_data.DISTRICTS_TABLE)[-1] == {
        "name": "population",
        "sqlite": "INTEGER",
        "duckdb": "BIGINT",
    }


def test_districts_file_is_cached(tmp_path: Any) -> None:
    path, made = sql_data.cached_districts(tmp_path)
    assert made
    assert path.name == sql_data.districts_file_name()
    assert path.read_text("utf-8") == "".join(sql_data.district_lines())
    assert sql_data.cached_districts(tmp_path) == (path, False)
