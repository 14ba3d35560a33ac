"""Tests for sift.formats: the registry of importable formats and how one is chosen."""

from __future__ import annotations

import sqlite3

import pytest

from sift.formats import DEFAULT_FORMAT, FORMATS, format_for

SQLITE_HEAD = b"SQLite format 3\x00" + bytes(48)
ZIP_HEAD = b"PK\x03\x04" + bytes(60)


@pytest.mark.parametrize("filename", ["a.csv", "A.CSV", "b.tsv", "c.txt", "no_extension", "d.xyz"])
def test_text_files_are_delimited(filename: str) -> None:
    assert format_for(filename, b"a,b\n1,2\n").name == "delimited"


@pytest.mark.parametrize(
    ("filename", "expected"),
    [
        ("data.json", "json"),
        ("data.ndjson", "ndjson"),
        ("data.jsonl", "ndjson"),
        ("book.xlsx", "xlsx"),
        ("Book.XLSM", "xlsx"),
        ("db.sqlite", "sqlite"),
        ("db.sqlite3", "sqlite"),
        ("db.db", "sqlite"),
    ],
)
def test_extension_chooses_the_format(filename: str, expected: str) -> None:
    assert format_for(filename).name == expected


def test_first_bytes_win_over_a_misleading_name() -> None:
    assert format_for("actually_a_workbook.csv", ZIP_HEAD).name == "xlsx"
    assert format_for("actually_a_database.csv", SQLITE_HEAD).name == "sqlite"


def test_text_that_starts_like_json_is_json_when_the_name_says_nothing() -> None:
    assert format_for("pasted", b'[{"a": 1}]').name == "json"
    assert format_for("pasted.csv", b'[{"a": 1}]').name == "delimited"  # the name is explicit
    assert format_for("pasted", b"[id],name\n").name == "delimited"


def test_delimited_importer_makes_one_table_named_by_allocate() -> None:
    import io

    conn = sqlite3.connect(":memory:", isolation_level=None)
    reports = FORMATS["delimited"].importer(
        conn, lambda hint: "t_" + hint.split(".")[0], io.BytesIO(b"a,b\n1,2\n"), source="x.csv"
    )
    assert [report.table for report in reports] == ["t_x"]
    assert conn.execute("SELECT * FROM t_x").fetchall() == [(1, 2)]
    conn.close()


def test_registry_entries_are_consistent() -> None:
    assert DEFAULT_FORMAT in FORMATS
    for name, entry in FORMATS.items():
        assert entry.name == name
        assert entry.label
        assert all(extension.startswith(".") for extension in entry.extensions)


def test_registry_is_read_only() -> None:
    with pytest.raises(TypeError):
        FORMATS["x"] = FORMATS[DEFAULT_FORMAT]  # type: ignore[index]


def test_the_engine_starts_without_importing_openpyxl() -> None:
    """openpyxl costs about 0.3 s of engine start-up: it is imported when a workbook opens."""
    import subprocess
    import sys

    code = "import sys, sift.session; print('openpyxl' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd="pysrc"
    )
    assert result.stdout.strip() == "False"
