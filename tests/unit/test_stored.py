from __future__ import annotations

from sift.stored import (
    dump_index,
    empty_index,
    file_name,
    listing,
    parse_index,
    record,
    renamed,
    with_table,
    without_table,
)


def test_index_round_trip_and_edits() -> None:
    index = with_table(empty_index(), "b", record(3, ["x"], 100, "b.csv", "2026-11-21"))
    index = with_table(index, "a", record(1, ["y", "z"], 50, "a.csv", "2026-11-21"))
    parsed, problem = parse_index(dump_index(index))
    assert problem == ""
    assert [t["name"] for t in listing(parsed)] == ["a", "b"]
    assert listing(renamed(parsed, "a", "c"))[-1] == {
        "name": "c",
        "rows": 1,
        "columns": ["y", "z"],
        "bytes": 50,
        "source": "a.csv",
    }
    assert [t["name"] for t in listing(without_table(parsed, "a"))] == ["b"]


def test_missing_index_is_empty_without_complaint() -> None:
    assert parse_index(None) == (empty_index(), "")


def test_damaged_or_future_index_is_reported_and_reset() -> None:
    assert parse_index("{not json")[1] == "The list of saved tables was damaged and has been reset."
    assert parse_index('{"version": 1, "tables": []}')[0] == empty_index()
    index, problem = parse_index('{"version": 99, "tables": {}}')
    assert index == empty_index()
    assert "newer version of Sift" in problem


def test_file_name() -> None:
    assert file_name("cities_2") == "cities_2.sqlite"
