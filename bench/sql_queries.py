"""What the SQL benchmark asks of each engine: ten analytic queries and a Python UDF pair.

Standard library only: the list is unit tested (tests/unit/test_bench_sql_queries.py) and every
engine runs it from here, so all three answer the same questions in the same order.

The SQL is written in the subset SQLite (Sift, sql.js) and DuckDB agree on, so each engine gets
the same text unless a query lists a per-engine variant (the report names any). What keeps the
answers equal, on this data:
- `day` is text (YYYY-MM-DD) in every engine: DuckDB reads it as VARCHAR, so `substr` works;
- no integer division (`/` truncates in SQLite, not in DuckDB);
- NULL order: every ORDER BY on `amount` (2 % empty) is DESC, where both put NULLs last, or
  NULLs are filtered out first;
- LIKE patterns only match lower-case text (SQLite's LIKE ignores ASCII case, DuckDB's does not):
  comments are lower case, and a name's capitals only start its words, which the patterns below
  cannot start with;
- every ORDER BY is total (ties broken by a unique column), so the first rows are the same rows.
A query without ORDER BY (`ordered=False`) is compared as a set of rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final, Literal

from bench.sql_answers import rows_wanted
from bench.sql_data import BIG, DISTRICTS_TABLE

Engine = Literal["sift", "sqljs", "duckdb"]

ENGINES: Final[tuple[Engine, ...]] = ("sift", "sqljs", "duckdb")
ENGINE_NAMES: Final[dict[Engine, str]] = {
    "sift": "Sift",
    "sqljs": "sql.js",
    "duckdb": "DuckDB-WASM",
}
REFERENCES: Final[tuple[Engine, ...]] = ("sqljs", "duckdb")


@dataclass(frozen=True)
class Query:
    key: str  # short and unique: the report's row and the JSON's key
    label: str
    sql: str
    ordered: bool  # whether the text ends in a total ORDER BY (else compared as a set)
    variants: tuple[tuple[Engine, str], ...] = ()  # (engine, its own SQL) where dialects differ

    def sql_for(self, engine: Engine) -> str:
        return dict(self.variants).get(engine, self.sql)


def _sql(*lines: str) -> str:
    return " ".join(lines)


QUERIES: Final = (
    Query(
        "group-by",
        "group by: count, sum, avg",
        _sql(
            "SELECT district, count(*) AS n, sum(amount) AS total, avg(quantity) AS mean_quantity",
            f"FROM {BIG} GROUP BY district ORDER BY district",
        ),
        ordered=True,
    ),
    Query(
        "group-by-2",
        "group by two columns (unordered)",
        _sql(
            "SELECT district, active, count(*) AS n, max(amount) AS top",
            f"FROM {BIG} GROUP BY district, active",
        ),
        ordered=False,
    ),
    Query(
        "join",
        "join districts + group by",
        _sql(
            "SELECT d.region, d.city, count(*) AS n, avg(b.amount) AS mean_amount,",
            "sum(b.quantity) AS quantity",
            f"FROM {BIG} AS b JOIN {DISTRICTS_TABLE} AS d ON d.district = b.district",
            "GROUP BY d.region, d.city ORDER BY d.region, d.city",
        ),
        ordered=True,
    ),
    Query(
        "window",
        "window: rank per district, running sum",
        _sql(
            "SELECT district, id, amount, rnk, running FROM (",
            "SELECT district, id, amount,",
            "rank() OVER (PARTITION BY district ORDER BY amount DESC) AS rnk,",
            "sum(amount) OVER (PARTITION BY district ORDER BY amount DESC, id",
            "ROWS UNBOUNDED PRECEDING) AS running",
            f"FROM {BIG} WHERE amount IS NOT NULL) AS ranked",
            "WHERE rnk <= 3 ORDER BY district, rnk, id",
        ),
        ordered=True,
    ),
    Query(
        "like",
        "LIKE '%x%' filters, count",
        _sql(
            f"SELECT count(*) AS n FROM {BIG}",
            "WHERE comment LIKE '%river%' AND name LIKE '%ab%'",
        ),
        ordered=True,  # one row
    ),
    Query(
        "top-n",
        "top 10 by amount (ORDER BY LIMIT)",
        f"SELECT id, name, district, amount FROM {BIG} ORDER BY amount DESC, id LIMIT 10",
        ordered=True,
    ),
    Query(
        "distinct",
        "distinct counts",
        _sql(
            "SELECT count(DISTINCT name) AS names, count(DISTINCT district) AS districts,",
            f"count(DISTINCT day) AS days FROM {BIG}",
        ),
        ordered=True,  # one row
    ),
    Query(
        "month",
        "group by month (substr of a date)",
        _sql(
            "SELECT substr(day, 1, 7) AS month, count(*) AS n, sum(quantity) AS quantity,",
            f"max(amount) AS top FROM {BIG} GROUP BY substr(day, 1, 7) ORDER BY month",
        ),
        ordered=True,
    ),
    Query(
        "having",
        "HAVING (unordered)",
        _sql(
            f"SELECT district, count(*) AS n, avg(amount) AS mean FROM {BIG}",
            "WHERE quantity > 250 GROUP BY district HAVING avg(amount) > 500",
        ),
        ordered=False,
    ),
    Query(
        "cte",
        "CTE + join: rows above district mean",
        _sql(
            f"WITH means AS (SELECT district, avg(amount) AS mean FROM {BIG} GROUP BY district)",
            f"SELECT count(*) AS n, sum(b.quantity) AS quantity FROM {BIG} AS b",
            "JOIN means AS m ON m.district = b.district WHERE b.amount > m.mean",
        ),
        ordered=True,  # one row
    ),
)

# A Python function over every row, against the built-in expression that computes the same.
UDF_NAME: Final = "band"
UDF_SOURCE: Final = (
    f"def {UDF_NAME}(x):\n    return 'high' if x is not None and x > 500 else 'low'\n"
)
UDF_QUERY: Final = Query(
    "udf-python",
    f"Python UDF {UDF_NAME}(amount)",
    f"SELECT {UDF_NAME}(amount) AS band, count(*) AS n FROM {BIG} GROUP BY 1 ORDER BY 1",
    ordered=True,
)
UDF_BUILTIN: Final = Query(
    "udf-builtin",
    "built-in CASE WHEN amount > 500",
    _sql(
        "SELECT CASE WHEN amount > 500 THEN 'high' ELSE 'low' END AS band, count(*) AS n",
        f"FROM {BIG} GROUP BY 1 ORDER BY 1",
    ),
    ordered=True,
)


def plan(queries: Sequence[Query], engine: Engine) -> list[dict[str, object]]:
    """The queries as an engine runs them (JSON): key, its SQL, and how many rows to send back
    for the answer check (the first rows of an ordered answer; all of an unordered one)."""
    return [
        {"key": q.key, "sql": q.sql_for(engine), "want": rows_wanted(q.ordered)} for q in queries
    ]


def variant_lines(queries: Sequence[Query]) -> list[str]:
    """One line per per-engine variant, for the report ("none" when the text is shared)."""
    return [
        f"  {query.key}: {ENGINE_NAMES[engine]} runs {sql}"
        for query in queries
        for engine, sql in query.variants
    ]
