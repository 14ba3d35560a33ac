"""Tests for sift.view and sift.sort_index: view specs compiled to SQL, pages, counts, sorting."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from typing import Any

import pytest

from sift import sort_index
from sift.deadline import QueryTimeout
from sift.errors import SiftError
from sift.filters import FilterError
from sift.formats.delimited import import_delimited
from sift.search import SearchIndexes
from sift.view import Views, ViewSpec
from sift.workspace import Workspace

PEOPLE = (
    b"name,city,age,active,note\n"
    b"Ann,Paris,30,true,x\n"
    b"Bob,Lyon,,false,\n"
    b"Cid,Paris,25,true,50%\n"
    b"Dee,Oslo,30,,y\n"
    b"Eve,Lyon,41,false,\n"
)


@pytest.fixture
def ws() -> Iterator[Workspace]:
    with Workspace() as opened:
        import_delimited(opened.conn, "people", io.BytesIO(PEOPLE), source="people.csv")
        yield opened


@pytest.fixture
def views() -> Views:
    return Views(SearchIndexes())


def view(views: Views, ws: Workspace, offset: int = 0, limit: int = 100, **spec: Any) -> Any:
    result = views.page(ws, ViewSpec.parse({"table": "people", **spec}), offset, limit)
    assert json.loads(json.dumps(result, allow_nan=False)) == result
    return result


def names(result: dict[str, Any]) -> list[str]:
    return [row[0] for row in result["rows"]]


def test_a_plain_view_is_the_table_in_load_order(ws: Workspace, views: Views) -> None:
    result = view(views, ws)
    assert result == {
        "table": "people",
        "columns": ["name", "city", "age", "active", "note"],
        "types": ["TEXT", "TEXT", "INTEGER", "BOOLEAN", "TEXT"],
        "kinds": ["text", "text", "number", "boolean", "text"],
        "rows": [
            ["Ann", "Paris", 30, True, "x"],
            ["Bob", "Lyon", None, False, None],
            ["Cid", "Paris", 25, True, "50%"],
            ["Dee", "Oslo", 30, None, "y"],
            ["Eve", "Lyon", 41, False, None],
        ],
        "offset": 0,
        "total_rows": 5,
        "table_rows": 5,
        "sort": [],
        "filters": [],
        "description": "",
        "q": "",
        "search": "none",
    }
    assert result["rows"] == ws.page("people").rows  # the same JSON conversion as page


def test_sorting_breaks_ties_by_load_order_and_puts_empty_values_first_ascending(
    ws: Workspace, views: Views
) -> None:
    up = view(views, ws, sort=[{"column": "AGE"}])
    assert names(up) == ["Bob", "Cid", "Ann", "Dee", "Eve"]
    assert up["sort"] == [{"column": "age", "desc": False}]
    down = view(views, ws, sort=[{"column": "age", "desc": True}])
    # descending is the exact reverse: ties in reverse load order, empty values last
    assert names(down) == ["Eve", "Dee", "Ann", "Cid", "Bob"]


def test_a_second_sort_key_orders_ties(ws: Workspace, views: Views) -> None:
    result = view(
        views,
        ws,
        sort=[{"column": "city"}, {"column": "name", "desc": True}, {"column": "City"}],
    )
    assert names(result) == ["Eve", "Bob", "Dee", "Cid", "Ann"]
    assert result["sort"] == [
        {"column": "city", "desc": False},
        {"column": "name", "desc": True},
    ]  # a repeated column adds nothing


def test_paging_a_sorted_view_is_stable(ws: Workspace, views: Views) -> None:
    pages = [names(view(views, ws, offset, 2, sort=[{"column": "city"}])) for offset in (0, 2, 4)]
    assert pages == [["Bob", "Eve"], ["Dee", "Ann"], ["Cid"]]


def test_filters_narrow_the_view_and_read_as_a_sentence(ws: Workspace, views: Views) -> None:
    result = view(
        views,
        ws,
        filters=[
            {"column": "city", "op": "exact", "value": "Paris"},
            {"column": "age", "op": "between", "value": "20,30"},
        ],
        sort=[{"column": "age"}],
    )
    assert names(result) == ["Cid", "Ann"]
    assert (result["total_rows"], result["table_rows"]) == (2, 5)
    assert result["filters"] == [
        {"column": "city", "op": "exact", "value": "Paris", "text": 'city is "Paris"'},
        {"column": "age", "op": "between", "value": "20,30", "text": "age is between 20 and 30"},
    ]
    assert result["description"] == 'Rows where city is "Paris" and age is between 20 and 30'


def test_an_invalid_filter_names_its_index(ws: Workspace, views: Views) -> None:
    filters = [
        {"column": "city", "op": "exact", "value": "Paris"},
        {"column": "age", "op": "gt", "value": "abc"},
    ]
    with pytest.raises(FilterError) as caught:
        view(views, ws, filters=filters)
    assert caught.value.column == 1
    assert caught.value.message == "Filter on age: 'abc' is not a number."


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ({"sort": [{"column": "nope"}]}, "Cannot sort people by 'nope': it has no such column."),
        ({"sort": "age"}, "A view's 'sort' must be a list of {column, desc}, not 'age'."),
        ({"sort": [{"desc": True}]}, "A view's 'sort' must be a list of {column, desc}"),
        ({"filters": {"column": "age"}}, "A view's 'filters' must be a list of"),
        ({"q": 5}, "A view's 'q' must be text, not 5."),
        ({"table": None}, "A view needs 'table' as text, not None."),
        ({"table": "missing"}, "There is no table named 'missing'."),
    ],
)
def test_bad_specs_are_explained(
    ws: Workspace, views: Views, spec: dict[str, Any], message: str
) -> None:
    with pytest.raises(SiftError) as caught:
        view(views, ws, **spec)
    assert caught.value.message.startswith(message)
    assert caught.value.hint


def count_statements(ws: Workspace) -> list[str]:
    seen: list[str] = []
    ws.conn.set_trace_callback(lambda sql: seen.append(sql) if "count(*)" in sql else None)
    return seen


def test_paging_does_not_recount(ws: Workspace, views: Views) -> None:
    counts = count_statements(ws)
    spec = {"filters": [{"column": "city", "op": "not", "value": "Oslo"}]}
    for offset in (0, 1, 2, 3):
        assert view(views, ws, offset, 1, **spec)["total_rows"] == 4
    assert len(counts) == 2  # the view once, the whole table once
    view(views, ws, 0, 1, filters=[{"column": "city", "op": "not", "value": "Lyon"}])
    assert len(counts) == 3  # another value is another count


def test_a_short_page_is_the_count(ws: Workspace, views: Views) -> None:
    counts = count_statements(ws)
    spec = {"filters": [{"column": "city", "op": "exact", "value": "Paris"}]}
    assert view(views, ws, **spec)["total_rows"] == 2
    assert view(views, ws, 1, 5, q="o")["total_rows"] == 3  # Bob, Dee, Eve: the last 2 shown
    assert view(views, ws, q="nobody")["total_rows"] == 0
    assert counts == ['SELECT count(*) FROM "people" WHERE 1']  # only the whole table's
    assert view(views, ws, 9, 5, q="a")["total_rows"] == 2  # past the end: counted
    assert len(counts) == 2


def test_a_changed_table_is_counted_again(ws: Workspace, views: Views) -> None:
    spec = {"filters": [{"column": "age", "op": "gte", "value": "30"}]}
    assert view(views, ws, **spec)["total_rows"] == 3
    ws.drop("people")
    import_delimited(ws.conn, "people", io.BytesIO(b"age\n31\n"), source="people.csv")
    assert view(views, ws, **spec)["total_rows"] == 1  # drop changed the version


def test_a_small_table_gets_its_sort_index_at_once_and_reuses_it(
    ws: Workspace, views: Views
) -> None:
    view(views, ws, sort=[{"column": "age", "desc": True}])
    view(views, ws, sort=[{"column": "age"}])
    indexes = ws.conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name"
    ).fetchall()
    assert indexes == [
        ("sift_idx_people_1", 'CREATE INDEX "sift_idx_people_1" ON "people" ("age")')
    ]
    view(views, ws, sort=[{"column": "city"}])
    assert sort_index.has_index(ws.conn, "people", "city")
    assert ws.table_names() == ["people"]


def big_table(ws: Workspace, rows: int) -> list[tuple[int, int | None]]:
    """(rowid, value) pairs: values with many ties and some empty ones."""
    data = [(i, None if i % 7 == 0 else (i * 37) % 50) for i in range(1, rows + 1)]
    ws.conn.execute("CREATE TABLE big (k INTEGER, v TEXT)")
    ws.conn.executemany("INSERT INTO big (rowid, k, v) VALUES (?, ?, 'x')", data)
    return data


def test_a_big_table_answers_the_top_of_a_sort_without_an_index_then_builds_one(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sort_index, "INDEX_AT_ONCE_ROWS", 100)
    monkeypatch.setattr(sort_index, "HEAD_ROWS", 50)
    data = big_table(ws, 500)
    expected = [r for r, _ in sorted(data, key=lambda p: (p[1] is not None, p[1] or 0, -p[0]))]
    expected.reverse()  # descending by k, ties by rowid descending, empty values last
    views = Views(SearchIndexes())

    def page(offset: int, limit: int) -> list[int]:
        spec = ViewSpec.parse({"table": "big", "sort": [{"column": "k", "desc": True}]})
        keys = [row[0] for row in views.page(ws, spec, offset, limit)["rows"]]
        return keys

    keyed = {r: k for r, k in data}
    assert page(0, 20) == [keyed[r] for r in expected[:20]]
    assert page(20, 30) == [keyed[r] for r in expected[20:50]]
    assert not sort_index.has_index(ws.conn, "big", "k")  # the head answered both
    counts = count_statements(ws)
    assert page(45, 10) == [keyed[r] for r in expected[45:55]]  # past the head: index it
    assert sort_index.has_index(ws.conn, "big", "k")
    assert page(490, 20) == [keyed[r] for r in expected[490:]]
    assert counts == []  # counts came from the cache all along


def test_the_head_of_a_filtered_sort_is_its_own(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sort_index, "INDEX_AT_ONCE_ROWS", 100)
    data = big_table(ws, 300)
    views = Views(SearchIndexes())
    for low in ("10", "40"):
        spec = {
            "table": "big",
            "sort": [{"column": "k"}],
            "filters": [{"column": "k", "op": "gte", "value": low}],
        }
        result = views.page(ws, ViewSpec.parse(spec), 0, 5)
        wanted = sorted((k, r) for r, k in data if k is not None and k >= int(low))[:5]
        assert [row[0] for row in result["rows"]] == [k for k, _ in wanted]
    assert not sort_index.has_index(ws.conn, "big", "k")


def test_index_names_stay_unique(ws: Workspace) -> None:
    assert sort_index.create_index(ws.conn, "people", "age") == "sift_idx_people_1"
    assert sort_index.create_index(ws.conn, "people", "name") == "sift_idx_people_2"
    ws.conn.execute("CREATE INDEX partial ON people (city) WHERE city IS NOT NULL")
    assert not sort_index.has_index(ws.conn, "people", "city")  # partial: cannot serve a sort


def test_rows_by_rowid_keeps_the_order_given(ws: Workspace) -> None:
    rows = sort_index.rows_by_rowid(ws.conn, "people", "rowid", [3, 1, 99, 2])
    assert [row[0] for row in rows] == ["Cid", "Ann", "Bob"]
    assert sort_index.rows_by_rowid(ws.conn, "people", "rowid", []) == []


def test_a_slow_view_is_stopped(ws: Workspace) -> None:
    ws.conn.execute("CREATE TABLE wide (n INTEGER)")
    ws.conn.executemany("INSERT INTO wide VALUES (?)", [(i,) for i in range(50_000)])
    views = Views(SearchIndexes(), seconds=0.0)
    spec = ViewSpec.parse({"table": "wide", "filters": [{"column": "n", "op": "gt", "value": "7"}]})
    with pytest.raises(QueryTimeout) as caught:
        views.page(ws, spec)
    assert caught.value.message.endswith("took longer than 0 seconds and was stopped.")


def test_columns_named_like_the_rowid_still_sort_stably(ws: Workspace, views: Views) -> None:
    ws.conn.execute('CREATE TABLE odd ("rowid" TEXT, "_rowid_" TEXT, n INTEGER)')
    ws.conn.executemany("INSERT INTO odd VALUES ('a', 'b', ?)", [(1,), (1,), (0,)])
    result = views.page(ws, ViewSpec.parse({"table": "odd", "sort": [{"column": "n"}]}))
    assert [row[2] for row in result["rows"]] == [0, 1, 1]
    assert result["columns"] == ["rowid", "_rowid_", "n"]
