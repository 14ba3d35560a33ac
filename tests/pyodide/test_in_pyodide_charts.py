"""Charts inside Pyodide (SQLite 3.39): the window functions, FILTER clauses and grouped
CASE expressions of sift.charts.aggregate, and the SVG text, on each chart type.

Plain functions with bare asserts and only the standard library plus sift, so the runner in
this folder can call them in the browser; host pytest collects them too.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections import Counter

from sift.charts.commands import chart, chart_defaults
from sift.session import Session


def _session() -> Session:
    session = Session()
    conn = session.workspace.conn
    conn.execute("CREATE TABLE s (city TEXT, kind TEXT, amount INTEGER, day DATE, score REAL)")
    conn.executemany(
        "INSERT INTO s VALUES (?, ?, ?, ?, ?)",
        [
            (f"c{i % 40}", "AB"[i % 2], i % 9, f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}", i / 7)
            for i in range(600)
        ]
        + [(None, None, None, None, None), ("x", "A", "n/a", "soon", float("inf"))],
    )
    return session


def test_every_chart_type_draws_inside_pyodide() -> None:
    with _session() as session:
        specs = [
            {"type": "bar", "x": "city", "y": "amount", "agg": "mean"},
            {"type": "bar", "x": "city", "color": "kind"},
            {"type": "line", "x": "day", "y": "amount"},
            {"type": "area", "x": "day", "color": "kind"},
            {"type": "histogram", "x": "score", "color": "kind"},
            {"type": "scatter", "x": "score", "y": "amount"},
        ]
        for spec in specs:
            result = chart(session, {"table": "s", "chart": spec, "file": True})
            json.dumps(result, allow_nan=False)
            root = ET.fromstring(result["svg_text"].split("\n", 1)[1])
            image = root.find("{http://www.w3.org/2000/svg}svg")
            assert image is not None
            assert image.get("role") == "img"
            assert image.findtext("{http://www.w3.org/2000/svg}desc") == result["desc"]
            assert result["data"]["rows"]


def test_bar_counts_and_other_match_python_inside_pyodide() -> None:
    with _session() as session:
        result = chart(session, {"table": "s", "chart": {"type": "bar", "x": "city"}})
        rows = result["data"]["rows"]
        counts = Counter(f"c{i % 40}" for i in range(600))
        assert len(rows) == 31
        assert rows[-1][0] == "Other"
        assert sum(row[1] for row in rows) == 602
        assert all(counts.get(row[0], 1) == row[1] for row in rows[:-1] if row[0] != "x")


def test_defaults_inside_pyodide() -> None:
    with _session() as session:
        found = chart_defaults(session, {"table": "s"})
        assert found["spec"]["type"] == "line"
        assert found["spec"]["x"] == "day"
