"""Profiles and facets inside Pyodide (SQLite 3.39: no median(); window functions, FILTER
clauses and ALTER TABLE ... RENAME on temporary tables must work there).

Plain functions with bare asserts and only the standard library plus sift, so the runner in
this folder can call them in the browser; host pytest collects them too.
"""

from __future__ import annotations

import json
import sqlite3
import statistics
from collections import Counter
from contextlib import closing

from sift.facets import facet
from sift.profile import ProfileCache, profile_column


def _people(conn: sqlite3.Connection) -> None:
    conn.execute("CREATE TABLE p (city TEXT, age INTEGER, score REAL, born DATE, ok BOOLEAN)")
    conn.executemany(
        "INSERT INTO p VALUES (?, ?, ?, ?, ?)",
        [
            (f"c{i % 7}", i % 90, i / 8, f"{1950 + i % 60}-0{1 + i % 9}-1{i % 10}", i % 2)
            for i in range(500)
        ]
        + [(None, None, None, None, None), ("x", 10**17, float("inf"), "soon", 3)],
    )


def test_profiles_of_every_family_are_json_and_exact() -> None:
    with closing(sqlite3.connect(":memory:", isolation_level=None)) as conn:
        _people(conn)
        ages = [i % 90 for i in range(500)] + [10**17]
        age = profile_column(conn, "p", "age", "INTEGER")
        assert age["median"] == statistics.median(ages)
        assert age["max"] == str(10**17)  # beyond 2**53: text
        assert abs(age["stddev"] - statistics.stdev(ages)) <= 1e-6 * statistics.stdev(ages)
        score = profile_column(conn, "p", "score", "REAL")
        assert score["max"] == "Infinity"
        assert score["mean"] == statistics.fmean(i / 8 for i in range(500))
        born = profile_column(conn, "p", "born", "DATE")
        assert (born["min"], born["mismatched"]) == ("1950-01-10", 1)
        ok = profile_column(conn, "p", "ok", "BOOLEAN")
        assert (ok["histogram"], ok["mismatched"]) == ([250, 250], 1)
        city = profile_column(conn, "p", "city", "TEXT")
        assert (city["distinct"], city["nulls"], city["top"][0]["count"]) == (8, 1, 72)
        for result in (age, score, born, ok, city):
            json.dumps(result, allow_nan=False)
        assert conn.execute("SELECT count(*) FROM sqlite_temp_master").fetchone() == (0,)


def test_facets_over_a_filter_and_from_the_cache() -> None:
    with closing(sqlite3.connect(":memory:", isolation_level=None)) as conn:
        _people(conn)
        values = facet(conn, "p", "age < :f0", {"f0": 45}, "city", "values", 3)
        kept = Counter(f"c{i % 7}" for i in range(500) if i % 90 < 45)
        expected = sorted(kept.items(), key=lambda item: (-item[1], item[0]))[:3]
        assert [(v["value"], v["count"]) for v in values["values"]] == expected
        assert values["other"] == sum(kept.values()) - sum(n for _, n in expected)
        assert (values["nulls"], values["rows"]) == (0, sum(kept.values()))
        hist = facet(conn, "p", "", {}, "score", None, 10)
        assert hist["kind"] == "histogram"
        assert sum(b["count"] for b in hist["bins"]) == 500
        cache = ProfileCache()
        cache.profile(conn, "p", "city", "TEXT", 1)
        cached = facet(conn, "p", "", {}, "city", "values", 5, cache=cache, version=1)
        assert cached == facet(conn, "p", "", {}, "city", "values", 5)
