from __future__ import annotations

from sift.stored import (
    dump_index,
    empty_index,
    file_name,
    interrupted,
    listing,
    lost_sentence,
    orphans,
    parse_index,
    record,
    renamed,
    saving_lock,
    with_saving,
    with_table,
    without_saving,
    without_table,
)

CITIES = record(3, ["city"], 100, "cities.csv", "2026-11-22")


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


def test_an_index_from_before_saves_were_tracked_has_none_under_way() -> None:
    index, problem = parse_index('{"version": 1, "tables": {}}')
    assert (index, problem) == (empty_index(), "")
    assert parse_index('{"version": 1, "tables": {}, "saving": []}')[0] == empty_index()


def test_a_save_is_listed_until_its_record_replaces_it() -> None:
    index = with_saving(empty_index(), "cities", "cities.csv")
    parsed, _problem = parse_index(dump_index(index))
    assert parsed["saving"] == {"cities": {"source": "cities.csv"}}
    assert listing(parsed) == []  # the UI lists only saved tables
    done = with_table(parsed, "cities", CITIES)
    assert done["saving"] == {}
    assert [t["name"] for t in listing(done)] == ["cities"]
    assert without_saving(parsed, "cities") == empty_index()
    assert without_table(parsed, "cities") == empty_index()


def test_a_save_is_interrupted_when_nobody_holds_its_lock() -> None:
    index = with_saving(with_saving(empty_index(), "a", "a.csv"), "b", "b.csv")
    assert saving_lock("a") != saving_lock("b")
    assert interrupted(index, []) == ["a", "b"]
    assert interrupted(index, [saving_lock("b"), "sift-workspace-index"]) == ["a"]
    assert interrupted(with_table(index, "a", CITIES), [saving_lock("b")]) == []


def test_orphans_are_table_files_the_index_does_not_know() -> None:
    index = with_saving(with_table(empty_index(), "cities", CITIES), "towns", "towns.csv")
    files = ["index.json", "notes.json", "cities.sqlite", "towns.sqlite", "old.sqlite"]
    assert orphans(index, files) == ["old.sqlite"]
    assert orphans(empty_index(), ["index.json"]) == []


def test_a_lost_save_names_the_table_and_its_source() -> None:
    assert lost_sentence("cities", "cities.csv") == (
        "cities (from cities.csv) was still being saved when Sift was closed or reloaded,"
        " so it was not kept: open it again."
    )
    assert lost_sentence("q", "q").startswith("q was still being saved")
