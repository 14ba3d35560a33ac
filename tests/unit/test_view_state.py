"""The view state <-> fragment rules (sift.view_state), under CPython; the module also runs in
MicroPython, which the browser tests exercise."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sift.chart_spec import chart_text, parse_chart, parse_view_mode
from sift.fragment import parse_fragment
from sift.view_state import (
    OPERATORS,
    chart_fragment,
    empty_view,
    filter_key,
    next_sort,
    parse_sql,
    parse_view,
    set_sort,
    sort_direction,
    sort_sentence,
    unknown_keys,
    view_fragment,
    view_spec,
)


def view(fragment: str) -> dict[str, Any]:
    return parse_view(parse_fragment(fragment))


def asc(column: str) -> dict[str, Any]:
    return {"column": column, "desc": False}


def desc(column: str) -> dict[str, Any]:
    return {"column": column, "desc": True}


def test_operators_are_the_contracts_names_in_order() -> None:
    assert OPERATORS == (
        "exact", "not", "contains", "startswith", "endswith", "gt", "gte", "lt", "lte",
        "between", "isnull", "notnull", "istrue", "isfalse",
    )  # fmt: skip


def test_parse_the_contracts_example() -> None:
    state = view(
        "#src=a.csv&table=people&sort=-age&sort=name&q=smith&facet=city"
        "&city__exact=Paris&age__between=20%2C30&note__isnull="
    )
    assert state == {
        "table": "people",
        "sort": [desc("age"), asc("name")],
        "filters": [
            {"column": "city", "op": "exact", "value": "Paris"},
            {"column": "age", "op": "between", "value": "20,30"},
            {"column": "note", "op": "isnull", "value": ""},
        ],
        "q": "smith",
        "facets": ["city"],
    }


def test_empty_fragment_is_the_empty_view() -> None:
    assert view("") == empty_view()
    assert view("#src=x.csv") == empty_view()


def test_first_table_and_q_win_blanks_skipped() -> None:
    assert view("table=&table=b&table=c")["table"] == "b"
    assert view("q=&q=one&q=two")["q"] == "one"


def test_sort_twice_on_a_column_keeps_its_first_place_blank_sorts_dropped() -> None:
    assert view("sort=a&sort=-b&sort=-a&sort=&sort=-")["sort"] == [asc("a"), desc("b")]


def test_facets_once_each_in_order() -> None:
    assert view("facet=b&facet=a&facet=b&facet=")["facets"] == ["b", "a"]


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("city__exact", ("city", "exact")),
        ("a__b__gt", ("a__b", "gt")),  # the last __ splits: column names may hold __
        ("__exact", None),  # no column
        ("city__like", None),  # not an operator
        ("city", None),
        ("city__", None),
        ("city__EXACT", None),  # operator names are lower case
    ],
)
def test_filter_key(key: str, expected: tuple[str, str] | None) -> None:
    assert filter_key(key) == expected


def test_unknown_keys_include_later_issues_and_bad_operators() -> None:
    pairs = parse_fragment(
        "src=a&table=t&sql=select&zoom=1&city__like=x&age__gt=3&zoom=2&view=chart&chart=bar"
    )
    assert unknown_keys(pairs) == ["zoom", "city__like"]


def test_chart_pairs_follow_the_views_fragment() -> None:
    base = view_fragment({**empty_view("sales"), "q": "x"}, [])
    spec = {"type": "bar", "x": "kind", "y": "amount", "agg": "sum", "color": None, "title": None}
    assert chart_fragment(base, "chart", spec) == (
        "#table=sales&q=x&view=chart&chart=bar;x:kind;y:amount;agg:sum"
    )
    assert chart_fragment(base, "chart", None) == "#table=sales&q=x&view=chart"
    assert chart_fragment(base, "table", spec) == base
    assert chart_fragment("", "chart", spec) == ""  # no table shown: nothing to chart


def test_a_chart_fragment_round_trips_with_awkward_names() -> None:
    spec = {"type": "line", "x": "day; & time", "y": "50% of €", "agg": "mean"}
    spec |= {"color": "a=b", "title": "Sales: 100%; so far"}
    text = chart_fragment(view_fragment(empty_view("t"), ["data.csv"]), "chart", spec)
    pairs = parse_fragment(text)
    assert parse_view(pairs) == empty_view("t")
    assert parse_view_mode(pairs) == "chart"
    parsed = parse_chart(chart_text(pairs) or "")
    assert parsed.pop("ignored") == []
    assert parsed == spec
    assert unknown_keys(pairs) == []


def test_view_mode_from_a_link() -> None:
    assert parse_view_mode(parse_fragment("table=t&view=chart")) == "chart"
    assert parse_view_mode(parse_fragment("table=t&view=table")) == "table"
    assert parse_view_mode(parse_fragment("table=t&view=pie")) == "table"  # unknown: the table
    assert parse_view_mode(parse_fragment("table=t")) == "table"


def test_the_first_non_blank_sql_wins() -> None:
    assert parse_sql(parse_fragment("sql=&sql=SELECT%201&sql=SELECT%202")) == "SELECT 1"
    assert parse_sql(parse_fragment("table=t")) == ""


def test_fragment_of_a_query_result_has_the_sql_and_no_table() -> None:
    state = {"table": "sift_result_3", "sort": [desc("n")], "filters": [], "q": "", "facets": []}
    text = "SELECT a, count(*) AS n FROM t WHERE b = 'x&y' GROUP BY a"
    fragment = view_fragment(state, ["data.csv"], text)
    assert fragment == (
        "#src=data.csv&sql=SELECT%20a,%20count%28%2A%29%20AS%20n%20FROM%20t%20WHERE%20b%20%3D%20"
        "%27x%26y%27%20GROUP%20BY%20a&sort=-n"
    )
    pairs = parse_fragment(fragment)
    assert parse_sql(pairs) == text
    assert parse_view(pairs)["table"] is None
    assert state["table"] == "sift_result_3"  # the state itself is left alone


def test_fragment_of_a_state_escapes_delimiters() -> None:
    state = {
        "table": "my table",
        "sort": [desc("age"), asc("a&b")],
        "filters": [{"column": "city", "op": "exact", "value": "Saint-Denis & co=1#x%"}],
        "q": "smith jones",
        "facets": ["country"],
    }
    fragment = view_fragment(state, ["https://x.org/d.csv?v=1&w=2"])
    assert fragment == (
        "#src=https://x.org/d.csv?v%3D1%26w%3D2&table=my%20table&sort=-age&sort=a%26b"
        "&q=smith%20jones&facet=country&city__exact=Saint-Denis%20%26%20co%3D1%23x%25"
    )
    assert view(fragment) == state


def test_fragment_of_the_empty_view_is_empty() -> None:
    assert view_fragment(empty_view(), []) == ""


names = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=8
).filter(lambda s: s.strip() == s and not s.startswith("-") and "__" not in s)


@given(
    table=names,
    sort=st.lists(st.tuples(names, st.booleans()), max_size=3, unique_by=lambda t: t[0]),
    filters=st.lists(st.tuples(names, st.sampled_from(OPERATORS), st.text(max_size=8)), max_size=3),
    q=st.text(max_size=8).filter(lambda s: s.strip() == s),
    facets=st.lists(names, max_size=3, unique=True),
)
def test_round_trip(
    table: str,
    sort: list[tuple[str, bool]],
    filters: list[tuple[str, str, str]],
    q: str,
    facets: list[str],
) -> None:
    state = {
        "table": table,
        "sort": [{"column": c, "desc": d} for c, d in sort],
        "filters": [{"column": c, "op": o, "value": v} for c, o, v in filters],
        "q": q,
        "facets": facets,
    }
    assert view(view_fragment(state, ["a.csv"])) == state


def test_view_spec_leaves_out_what_is_unset() -> None:
    assert view_spec(empty_view("t")) == {"table": "t"}
    state = view("table=t&sort=-a&q=x&b__gt=3")
    assert view_spec(state) == {
        "table": "t",
        "sort": [desc("a")],
        "filters": [{"column": "b", "op": "gt", "value": "3"}],
        "q": "x",
    }


def test_click_cycles_ascending_descending_off_and_replaces_other_sorts() -> None:
    sort = next_sort([], "a", add=False)
    assert sort == [asc("a")]
    sort = next_sort(sort, "a", add=False)
    assert sort == [desc("a")]
    assert next_sort(sort, "a", add=False) == []
    assert next_sort([asc("a"), asc("b")], "b", add=False) == [desc("b")]
    assert next_sort([asc("a")], "b", add=False) == [asc("b")]


def test_shift_click_adds_then_cycles_in_place() -> None:
    sort = next_sort([desc("a")], "b", add=True)
    assert sort == [desc("a"), asc("b")]
    assert next_sort(sort, "b", add=True) == [desc("a"), desc("b")]
    assert next_sort([desc("a"), desc("b")], "b", add=True) == [desc("a")]
    assert next_sort([desc("a"), asc("b")], "a", add=True) == [asc("b")]


def test_menu_sets_one_columns_direction_and_keeps_the_others() -> None:
    assert set_sort([asc("a"), asc("b")], "a", "desc") == [desc("a"), asc("b")]
    assert set_sort([asc("a")], "b", "asc") == [asc("a"), asc("b")]
    assert set_sort([asc("a"), asc("b")], "a", "off") == [asc("b")]
    assert set_sort([], "a", "off") == []


def test_sort_sentence_and_direction() -> None:
    assert sort_sentence([desc("age"), asc("name")]) == (
        "Sorted by age, descending, then by name, ascending."
    )
    assert sort_sentence([]) == "Sort removed: rows in table order."
    assert sort_direction([desc("age")], "age") == "descending"
    assert sort_direction([asc("age")], "age") == "ascending"
    assert sort_direction([asc("age")], "name") == "none"
