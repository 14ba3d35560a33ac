"""What the explore benchmark asks, of Sift (URL fragments) and of DuckDB (SQL), in what order.

Standard library only: the plan is unit tested (tests/unit/test_bench_explore_queries.py), and
both sides run it from here, so they answer the same questions in the same order.

Each query is one change of view a user makes. Sift gets it as a new URL fragment (DESIGN.md's
fragment API), timed until the UI shows the result (`#table-area[data-sift-view=ready]`, or the
facet's section ready); DuckDB-WASM gets the SQL that computes the same answer, timed around
`await conn.query(...)`. A round runs every query once; the first round's sorts are the "first"
sorts (Sift builds the column's index then), later rounds' are the repeated ones.
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final, Literal

from bench.explore_data import COLUMNS

Wait = Literal["view", "facet"]

DUCKDB_TABLE: Final = "t"
PAGE_ROWS: Final = 100  # a first page, as the grid asks for
FACET_VALUES: Final = 10
TEXT_SORT_COLUMN: Final = "name"
NUMBER_SORT_COLUMN: Final = "amount"
FILTER_COLUMN: Final = "amount"
FILTER_OPERATOR: Final = "gt"
FILTER_VALUE: Final = "500"
FACET_COLUMN: Final = "district"
SCROLL_ROWS: Final = 10_000


def quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


@dataclass(frozen=True)
class Query:
    kind: str  # what it is: "sort-text", "filter"; measures add "-first" for a first sort
    label: str
    params: tuple[tuple[str, str], ...]  # fragment pairs after `table=`
    wait: Wait
    sql: tuple[str, ...]  # DuckDB statements, timed together as one sample
    column: str = ""  # the facet's column, for its section in #facets


def _page(where: str = "", order: str = "") -> str:
    text = f"SELECT * FROM {DUCKDB_TABLE}"
    if where:
        text += f" WHERE {where}"
    if order:
        text += f" ORDER BY {quote_ident(order)}"
    return f"{text} LIMIT {PAGE_ROWS}"


_FILTER_WHERE: Final = f"{quote_ident(FILTER_COLUMN)} > {FILTER_VALUE}"

SORT_TEXT: Final = Query(
    "sort-text",
    f"sort text column ({TEXT_SORT_COLUMN})",
    (("sort", TEXT_SORT_COLUMN),),
    "view",
    (_page(order=TEXT_SORT_COLUMN),),
)
SORT_NUMBER: Final = Query(
    "sort-number",
    f"sort numeric column ({NUMBER_SORT_COLUMN})",
    (("sort", NUMBER_SORT_COLUMN),),
    "view",
    (_page(order=NUMBER_SORT_COLUMN),),
)
FILTER: Final = Query(
    "filter",
    f"filter {FILTER_COLUMN} > {FILTER_VALUE}",
    ((f"{FILTER_COLUMN}__{FILTER_OPERATOR}", FILTER_VALUE),),
    "view",
    # The view shows its row count and its first page: DuckDB counts and pages too.
    (f"SELECT count(*) FROM {DUCKDB_TABLE} WHERE {_FILTER_WHERE}", _page(where=_FILTER_WHERE)),
)
FIRST_PAGE: Final = Query("first-page", "first page (no sort or filter)", (), "view", (_page(),))


def _facet_sql(where: str = "") -> str:
    column = quote_ident(FACET_COLUMN)
    text = f"SELECT {column}, count(*) AS n FROM {DUCKDB_TABLE}"
    if where:
        text += f" WHERE {where}"
    return f"{text} GROUP BY {column} ORDER BY n DESC LIMIT {FACET_VALUES}"


# Over the whole table, Sift may answer a facet from the column's profile (computed after the
# load); over a filtered view it must count: both are measured.
FACET: Final = Query(
    "facet",
    f"facet {FACET_COLUMN} (200 values)",
    (("facet", FACET_COLUMN),),
    "facet",
    (_facet_sql(),),
    column=FACET_COLUMN,
)
FACET_FILTERED: Final = Query(
    "facet-filtered",
    f"facet {FACET_COLUMN}, filtered view",
    (*FILTER.params, ("facet", FACET_COLUMN)),
    "facet",
    (_facet_sql(_FILTER_WHERE),),
    column=FACET_COLUMN,
)
# The order within a round: every step changes the fragment from the one before it (a facet
# step only adds a facet to the view before it), so the UI always has something to do.
ROUND: Final = (SORT_TEXT, SORT_NUMBER, FILTER, FACET_FILTERED, FIRST_PAGE, FACET)
FIRST_KINDS: Final = frozenset({SORT_TEXT.kind, SORT_NUMBER.kind})


@dataclass(frozen=True)
class Step:
    measure: str  # the report row it is a sample of: "sort-text-first", "sort-text", "filter"
    query: Query


def schedule(rounds: int) -> list[Step]:
    """Every query once per round; the first round's sorts are measured as first sorts."""
    steps: list[Step] = []
    for number in range(rounds):
        for query in ROUND:
            first = number == 0 and query.kind in FIRST_KINDS
            steps.append(Step(query.kind + "-first" if first else query.kind, query))
    return steps


def fragment(table: str, params: Sequence[tuple[str, str]]) -> str:
    """`#table=<table>&k=v...`, each part percent-encoded as DESIGN.md's fragment API says."""
    pairs = [("table", table), *params]
    return "#" + "&".join(f"{_encode(key)}={_encode(value)}" for key, value in pairs)


def _encode(text: str) -> str:
    return urllib.parse.quote(text, safe="")


def duckdb_plan(steps: Sequence[Step]) -> list[dict[str, object]]:
    """The steps as the DuckDB page runs them (JSON): each a measure and its statements."""
    return [{"measure": step.measure, "sql": list(step.query.sql)} for step in steps]


PROFILE_COLUMNS: Final = COLUMNS
