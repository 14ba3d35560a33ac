"""Tests for sift.search: the chunked FTS5 trigram index and the search condition, which must
give the same rows whether the index is missing, partial or ready."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import pytest

from sift.search import NONE, PARTIAL, READY, SearchIndexes, text_columns
from sift.workspace import Workspace, search_index_name

WORDS = ["Paris", "Lyon", "Zürich", "50%", "a_b", 'say "hi"', "ÉCOLE", "école", "x"]


@pytest.fixture
def ws() -> Iterator[Workspace]:
    with Workspace() as opened:
        opened.conn.execute("CREATE TABLE t (id INTEGER, label TEXT, other TEXT, num INTEGER)")
        opened.conn.executemany(
            "INSERT INTO t VALUES (?, ?, ?, ?)",
            [
                (n, f"{WORDS[n % len(WORDS)]} {n}", WORDS[(n * 5) % len(WORDS)], n % 3)
                for n in range(1, 301)
            ],
        )
        yield opened


class Steps:
    """A clock that moves one second per read: each build step does exactly one chunk."""

    def __init__(self) -> None:
        self.now = itertools.count()

    def __call__(self) -> float:
        return float(next(self.now))


def matches(ws: Workspace, searches: SearchIndexes, q: str) -> list[int]:
    where, params = searches.condition(ws, "t", q)
    sql = f"SELECT id FROM t WHERE {where or '1'} ORDER BY rowid"
    return [n for (n,) in ws.conn.execute(sql, params)]


def build(ws: Workspace, searches: SearchIndexes) -> list[dict[str, object]]:
    steps = []
    while not steps or not steps[-1]["done"]:
        steps.append(searches.build_step(ws, "T", chunk_rows=100))
    return steps


QUERIES = ["paris", "PARIS 1", "ly", "50%", "a_b", "_", "%", '"hi"', "zür", "école", "1 2 3", "no"]


def test_the_index_is_built_in_chunks_with_progress(ws: Workspace) -> None:
    searches = SearchIndexes(clock=Steps())
    assert searches.state(ws, "t") == NONE
    steps = build(ws, searches)
    assert steps == [
        {"table": "t", "done": False, "rows_done": 100, "rows_total": 300},
        {"table": "t", "done": False, "rows_done": 200, "rows_total": 300},
        {"table": "t", "done": False, "rows_done": 300, "rows_total": 300},
        {"table": "t", "done": True, "rows_done": 300, "rows_total": 300},
    ]
    assert searches.state(ws, "t") == READY
    assert searches.build_step(ws, "t")["done"] is True  # nothing more to do


def test_a_search_gives_the_same_rows_before_during_and_after_the_build(ws: Workspace) -> None:
    searches = SearchIndexes(clock=Steps())
    before = {q: matches(ws, searches, q) for q in QUERIES}
    searches.build_step(ws, "t", chunk_rows=100)
    assert searches.state(ws, "t") == PARTIAL
    assert {q: matches(ws, searches, q) for q in QUERIES} == before
    build(ws, searches)
    where, _ = searches.condition(ws, "t", "paris")
    assert "MATCH" in where  # the index is used now...
    assert {q: matches(ws, searches, q) for q in QUERIES} == before  # ...with the same answers


def ascii_lower(text: str) -> str:
    return "".join(c.lower() if c.isascii() else c for c in text)


def expected(q: str) -> list[int]:
    """What a search must find, worked out in Python: every word in some text column, ASCII
    letters in any case, other characters as typed."""
    found = []
    for n in range(1, 301):
        texts = [ascii_lower(f"{WORDS[n % len(WORDS)]} {n}"), ascii_lower(WORDS[(n * 5) % 9])]
        if all(any(ascii_lower(term) in text for text in texts) for term in q.split()):
            found.append(n)
    return found


@pytest.mark.parametrize(
    "q",
    [
        *QUERIES,
        "PARIS 10",
        "cole",
        "ÉCOLE",
        "say hi 2",  # words match separately, never as a phrase
        "Zürich 1" + "0" * 20,  # more trigrams than are looked up: LIKE still checks them all
        "Zürich 10",
        "nothing like it",
        "  ",
    ],
)
def test_what_a_search_finds(ws: Workspace, q: str) -> None:
    searches = SearchIndexes()
    build(ws, searches)
    assert matches(ws, searches, q) == expected(q)


def test_the_expectations_are_not_vacuous() -> None:
    assert expected("PARIS 10") == [108]
    assert len(expected("%")) == 67
    assert expected("") == list(range(1, 301))
    assert expected("école") != expected("ÉCOLE")


def test_numbers_are_not_searched() -> None:
    assert text_columns(["a", "b", "c", "d"], ["TEXT", "INTEGER", "VARCHAR(3)", ""]) == (
        "a",
        "c",
        "d",
    )


def test_a_changed_table_starts_a_new_index(ws: Workspace) -> None:
    searches = SearchIndexes()
    build(ws, searches)
    ws.set_column_type("t", "num", "TEXT")  # a new text column: the old index is stale
    assert searches.state(ws, "t") == NONE
    assert not ws.conn.execute(
        "SELECT 1 FROM sqlite_master WHERE name = :n", {"n": search_index_name("t")}
    ).fetchone()
    assert matches(ws, searches, "2") == [n for n in range(1, 301) if "2" in str(n) or n % 3 == 2]
    assert build(ws, searches)[-1] == {
        "table": "t",
        "done": True,
        "rows_done": 300,
        "rows_total": 300,
    }
    assert matches(ws, searches, "2") == [n for n in range(1, 301) if "2" in str(n) or n % 3 == 2]


def test_tables_without_text_or_rowid(ws: Workspace) -> None:
    ws.conn.execute("CREATE TABLE nums (n INTEGER)")
    ws.conn.execute("INSERT INTO nums VALUES (1), (2)")
    ws.conn.execute('CREATE TABLE odd ("rowid" TEXT, "_rowid_" TEXT, "oid" TEXT)')
    ws.conn.execute("INSERT INTO odd VALUES ('abc', 'x', 'y')")
    searches = SearchIndexes()
    assert searches.build_step(ws, "nums") == {
        "table": "nums",
        "done": True,
        "rows_done": 2,
        "rows_total": 2,
    }
    where, params = searches.condition(ws, "nums", "1")
    assert ws.conn.execute(f"SELECT count(*) FROM nums WHERE {where}", params).fetchone() == (0,)
    assert searches.build_step(ws, "odd")["done"] is True  # no rowid to key an index on
    where, params = searches.condition(ws, "odd", "abc")
    assert ws.conn.execute(f"SELECT count(*) FROM odd WHERE {where}", params).fetchone() == (1,)


def test_the_index_is_hidden_and_goes_with_its_table(ws: Workspace) -> None:
    searches = SearchIndexes()
    build(ws, searches)
    assert ws.table_names() == ["t"]
    ws.rename("t", "u")
    assert searches.state(ws, "u") == NONE
    ws.drop("u")
    leftover = ws.conn.execute("SELECT name FROM sqlite_master").fetchall()
    assert leftover == []


def test_chunks_are_sized_from_the_measured_speed(ws: Workspace) -> None:
    searches = SearchIndexes(clock=Steps())  # every chunk seems to take a second
    assert searches.build_step(ws, "t", chunk_rows=50)["rows_done"] == 50
    # 50 rows a second and 0.25 s a step: the smallest chunk, 200 rows
    assert searches.build_step(ws, "t")["rows_done"] == 250
    fast = SearchIndexes(clock=lambda: 0.0)  # no time passes: chunks grow to the largest
    assert fast.build_step(ws, "t") == {
        "table": "t",
        "done": True,
        "rows_done": 300,
        "rows_total": 300,
    }
