"""bench/explore_queries.py: both sides run the same queries, in the same order."""

from __future__ import annotations

import itertools

from bench.explore_data import COLUMNS
from bench.explore_queries import (
    FACET,
    FACET_FILTERED,
    FILTER,
    FIRST_PAGE,
    ROUND,
    SORT_NUMBER,
    SORT_TEXT,
    duckdb_plan,
    fragment,
    quote_ident,
    schedule,
)
from sift.fragment import parse_fragment
from sift.view_state import parse_view


def test_schedule_measures_the_first_sorts_once_then_repeats() -> None:
    steps = schedule(3)
    assert len(steps) == 3 * len(ROUND)
    rest = ["filter", "facet-filtered", "first-page", "facet"]
    assert [s.measure for s in steps[: len(ROUND)]] == [
        "sort-text-first",
        "sort-number-first",
        *rest,
    ]
    assert [s.measure for s in steps[len(ROUND) : 2 * len(ROUND)]] == [
        "sort-text",
        "sort-number",
        *rest,
    ]
    assert [s.query for s in steps] == list(ROUND) * 3


def test_one_round_has_no_repeated_sorts() -> None:
    assert {s.measure for s in schedule(1)} == {
        "sort-text-first",
        "sort-number-first",
        "filter",
        "facet-filtered",
        "first-page",
        "facet",
    }


def test_every_step_changes_the_fragment() -> None:
    # The UI acts on "hashchange": the same fragment twice in a row would never be shown.
    hashes = [fragment("t", s.query.params) for s in schedule(3)]
    assert all(a != b for a, b in itertools.pairwise(hashes))


def test_fragment_is_the_design_fragment_api() -> None:
    text = fragment("sales 2024", FILTER.params)
    assert text == "#table=sales%202024&amount__gt=500"
    assert parse_fragment(text) == [("table", "sales 2024"), ("amount__gt", "500")]


def test_fragments_read_back_as_the_intended_views() -> None:
    def view(params: tuple[tuple[str, str], ...]) -> dict[str, object]:
        return parse_view(parse_fragment(fragment("t", params)))

    assert view(SORT_TEXT.params)["sort"] == [{"column": "name", "desc": False}]
    assert view(SORT_NUMBER.params)["sort"] == [{"column": "amount", "desc": False}]
    assert view(FILTER.params)["filters"] == [{"column": "amount", "op": "gt", "value": "500"}]
    assert view(FACET.params)["facets"] == ["district"]
    both = view(FACET_FILTERED.params)
    assert (both["filters"], both["facets"]) == (view(FILTER.params)["filters"], ["district"])
    plain = view(FIRST_PAGE.params)
    assert (plain["table"], plain["sort"], plain["filters"]) == ("t", [], [])


def test_queried_columns_exist_in_the_generated_table() -> None:
    for column in ("name", "amount", "district"):
        assert column in COLUMNS


def test_duckdb_sql_matches_each_view() -> None:
    assert SORT_TEXT.sql == ('SELECT * FROM t ORDER BY "name" LIMIT 100',)
    assert SORT_NUMBER.sql == ('SELECT * FROM t ORDER BY "amount" LIMIT 100',)
    assert FILTER.sql == (
        'SELECT count(*) FROM t WHERE "amount" > 500',
        'SELECT * FROM t WHERE "amount" > 500 LIMIT 100',
    )
    assert FIRST_PAGE.sql == ("SELECT * FROM t LIMIT 100",)
    assert FACET.sql == (
        'SELECT "district", count(*) AS n FROM t GROUP BY "district" ORDER BY n DESC LIMIT 10',
    )
    assert FACET_FILTERED.sql == (
        'SELECT "district", count(*) AS n FROM t WHERE "amount" > 500 '
        'GROUP BY "district" ORDER BY n DESC LIMIT 10',
    )


def test_duckdb_plan_is_json_of_the_steps() -> None:
    plan = duckdb_plan(schedule(2))
    assert plan[0] == {"measure": "sort-text-first", "sql": list(SORT_TEXT.sql)}
    assert [step["measure"] for step in plan][5:] == [s.measure for s in schedule(2)][5:]


def test_quote_ident_doubles_quotes() -> None:
    assert quote_ident('a"b') == '"a""b"'
