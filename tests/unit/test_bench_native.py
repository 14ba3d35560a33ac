"""bench/native.py's pure parts: the sqlite3 command line and what is read from its output."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import native

TIME_REPORT = """\tCommand being timed: "sqlite3 :memory: ..."
\tUser time (seconds): 2.91
\tMaximum resident set size (kbytes): 124728
\tAverage resident set size (kbytes): 0
"""


def test_command_imports_then_counts() -> None:
    assert native.command("sqlite3", Path("/data/x y.csv")) == [
        "sqlite3",
        ":memory:",
        "-bail",
        "-cmd",
        ".mode csv",
        ".import '/data/x y.csv' t",
        "SELECT count(*) FROM t;",
    ]


def test_max_rss_bytes() -> None:
    assert native.max_rss_bytes(TIME_REPORT) == 124728 * 1024
    assert native.max_rss_bytes("no report") is None


@pytest.mark.parametrize(
    ("output", "expected"), [("1000000\n", 1000000), ("x\n42\n\n", 42), ("", None), ("n/a", None)]
)
def test_last_int(output: str, expected: int | None) -> None:
    assert native.last_int(output) == expected


def test_a_path_with_a_single_quote_is_refused() -> None:
    result = native.import_csv("sqlite3", Path("/data/it's.csv"), 5.0)
    assert result.error is not None
    assert "'" in result.error
