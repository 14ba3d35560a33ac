"""Tests for Excel export (sift.export.xlsx_out): typed cells, never formulas, dates, limits,
round trips."""

from __future__ import annotations

import dataclasses
import datetime
import io
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl  # type: ignore[import-untyped]
import pytest
import xlsxwriter  # type: ignore[import-untyped]
from openpyxl.utils.escape import unescape  # type: ignore[import-untyped]

from sift.errors import SiftError
from sift.export import commands
from sift.export.registry import EXPORT_FORMATS
from sift.export.xlsx_out import MAX_ROWS, check_rows, excel_date, sheet_name
from sift.names import quote_ident
from sift.session import Session
from tests.unit.export_helpers import export, load, reload, table


@pytest.fixture
def session() -> Iterator[Session]:
    with Session() as opened:
        yield opened


def make(session: Session, columns: str, rows: list[tuple[Any, ...]]) -> None:
    conn = session.workspace.conn
    conn.execute(f"CREATE TABLE t ({columns})")
    marks = ", ".join("?" * len(rows[0]))
    conn.executemany(f"INSERT INTO t VALUES ({marks})", rows)


def cells(path: Path) -> list[list[Any]]:
    """Every cell of the first sheet, as openpyxl reads it: (value, type, quote prefix)."""
    book = openpyxl.load_workbook(path)
    try:
        return [
            [(readable(c.value), c.data_type, bool(c.quotePrefix)) for c in row]
            for row in book.worksheets[0].iter_rows()
        ]
    finally:
        book.close()


def readable(value: object) -> object:
    """openpyxl leaves OOXML escapes (a CR is "_x000D_") in inline strings: undo them."""
    return unescape(value) if isinstance(value, str) else value


def sheet_xml(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        return archive.read("xl/worksheets/sheet1.xml").decode()


def test_cells_are_typed(session: Session, tmp_path: Path) -> None:
    make(
        session,
        "s TEXT, i INTEGER, r REAL, ok BOOLEAN, b BLOB",
        [("Zoë", 3, 0.1, 1, b"\x00\xff"), (None, -2, 1e16, 0, None), ("x", None, None, None, None)],
    )
    export(session, tmp_path / "t.xlsx", "xlsx")
    got = cells(tmp_path / "t.xlsx")
    assert got[0] == [(name, "s", True) for name in ("s", "i", "r", "ok", "b")]  # quote prefix
    assert [[(v, kind) for v, kind, _ in row] for row in got[1:]] == [
        [("Zoë", "s"), (3, "n"), (0.1, "n"), (True, "b"), ("0x00ff", "s")],
        [(None, "n"), (-2, "n"), (1e16, "n"), (False, "b"), (None, "n")],
        [("x", "s"), (None, "n"), (None, "n"), (None, "n"), (None, "n")],
    ]
    assert not any(prefixed for row in got[1:] for _, _, prefixed in row)


def test_header_is_bold_and_frozen(session: Session, tmp_path: Path) -> None:
    make(session, "a TEXT", [("x",)])
    export(session, tmp_path / "t.xlsx", "xlsx")
    book = openpyxl.load_workbook(tmp_path / "t.xlsx")
    sheet = book.worksheets[0]
    assert sheet.title == "t"
    assert sheet["A1"].font.b is True
    assert not sheet["A2"].font.b
    assert sheet.freeze_panes == "A2"
    book.close()


def test_numbers_excel_cannot_hold_exactly_are_text(session: Session, tmp_path: Path) -> None:
    make(session, "i INTEGER, r REAL", [(2**53, 1e999), (2**53 + 1, -1e999), (-(2**60), 2.5)])
    export(session, tmp_path / "t.xlsx", "xlsx")
    assert [row for row in cells(tmp_path / "t.xlsx")[1:]] == [
        [(2**53, "n", False), ("Infinity", "s", False)],
        [("9007199254740993", "s", False), ("-Infinity", "s", False)],
        [(str(-(2**60)), "s", False), (2.5, "n", False)],
    ]


FORMULAS = ["=1+1", "+1+1", "-1+1", "@SUM(A1)", "\t=1", "\r=1", "-5", '=HYPERLINK("x")']


@pytest.mark.parametrize("text", FORMULAS)
def test_text_that_starts_like_a_formula_is_text_with_a_quote_prefix(
    session: Session, tmp_path: Path, text: str
) -> None:
    # Excel's quote prefix is a style: the value is unchanged, and stays text when edited.
    make(session, "a TEXT", [(text,)])
    export(session, tmp_path / "t.xlsx", "xlsx")
    assert cells(tmp_path / "t.xlsx")[1] == [(text, "s", True)]
    assert "<f>" not in sheet_xml(tmp_path / "t.xlsx")


@pytest.mark.parametrize("text", FORMULAS)
def test_raw_text_is_still_text_never_a_formula(
    session: Session, tmp_path: Path, text: str
) -> None:
    make(session, "a TEXT", [(text,)])
    export(session, tmp_path / "t.xlsx", "xlsx", options={"raw": True})
    assert cells(tmp_path / "t.xlsx")[1] == [(text, "s", False)]
    assert "<f>" not in sheet_xml(tmp_path / "t.xlsx")


def test_text_that_looks_like_a_number_or_url_stays_text(session: Session, tmp_path: Path) -> None:
    make(session, "a TEXT", [("007",), ("1e5",), ("http://example.com",), ("TRUE",)])
    export(session, tmp_path / "t.xlsx", "xlsx")
    assert [row[0] for row in cells(tmp_path / "t.xlsx")[1:]] == [
        ("007", "s", False),
        ("1e5", "s", False),
        ("http://example.com", "s", False),
        ("TRUE", "s", False),
    ]
    assert "hyperlink" not in sheet_xml(tmp_path / "t.xlsx")


def test_dates_become_excel_dates(session: Session, tmp_path: Path) -> None:
    make(
        session,
        "d DATE, t DATETIME",
        [
            ("2024-01-02", "2024-01-02T03:04:05"),
            ("1899-12-31", "2024-01-02 03:04:05.123"),
            ("2023-02-30", "2024-01-02T03:04:05.123456"),
            ("soon", "2024-01-02T03:04:05+02:00"),
            ("1900-02-28", "2024-01-02T03:04"),
            ("1900-03-01", "9999-12-31T23:59:59"),
        ],
    )
    export(session, tmp_path / "t.xlsx", "xlsx")
    book = openpyxl.load_workbook(tmp_path / "t.xlsx")
    got = [[(c.value, c.number_format) for c in row] for row in book.worksheets[0].iter_rows(2)]
    book.close()
    dt = datetime.datetime
    assert got == [
        [(dt(2024, 1, 2), "yyyy-mm-dd"), (dt(2024, 1, 2, 3, 4, 5), "yyyy-mm-dd hh:mm:ss")],
        # before 1900 Excel has no dates: text; milliseconds get their own format
        [("1899-12-31", "General"), (dt(2024, 1, 2, 3, 4, 5, 123000), "yyyy-mm-dd hh:mm:ss.000")],
        # no such day; microseconds Excel cannot hold: text
        [("2023-02-30", "General"), ("2024-01-02T03:04:05.123456", "General")],
        [("soon", "General"), ("2024-01-02T03:04:05+02:00", "General")],  # time zone: text
        # before March 1900 (Excel's phantom 29 February 1900): text
        [("1900-02-28", "General"), (dt(2024, 1, 2, 3, 4), "yyyy-mm-dd hh:mm:ss")],
        [(dt(1900, 3, 1), "yyyy-mm-dd"), (dt(9999, 12, 31, 23, 59, 59), "yyyy-mm-dd hh:mm:ss")],
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-01-02", (datetime.datetime(2024, 1, 2), "date")),
        ("2024-01-02 03:04", (datetime.datetime(2024, 1, 2, 3, 4), "datetime")),
        ("20240102", None),  # fromisoformat would take it; a DATE column's text is ISO with -
        ("2024-W01-1", None),
        ("2024-01-02T03:04:05Z", None),
        ("٢٠٢٤-01-02", None),
    ],
)
def test_excel_date_shapes(text: str, expected: object) -> None:
    assert excel_date(text) == expected


def test_text_longer_than_excel_holds_is_cut_with_a_warning(
    session: Session, tmp_path: Path
) -> None:
    make(session, "a TEXT, b BLOB", [("x" * 40_000, b"\x01" * 20_000), ("short", None)])
    result = export(session, tmp_path / "t.xlsx", "xlsx")
    assert result["warnings"] == [
        "2 cells held more than Excel's 32,767 characters and were cut to fit."
    ]
    assert [len(v) for (v, _, _) in cells(tmp_path / "t.xlsx")[1]] == [32_767, 32_767]


def test_more_rows_than_a_sheet_holds_are_refused_before_writing() -> None:
    check_rows(MAX_ROWS)
    with pytest.raises(SiftError) as caught:
        check_rows(MAX_ROWS + 1)
    assert caught.value.message == (
        "This view has 1,048,576 rows; an Excel sheet holds at most 1,048,575 below its header."
    )
    assert caught.value.hint == "Filter the view to fewer rows, or export it as CSV or SQLite."


def test_the_command_checks_the_view_count_first(
    session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    small = dataclasses.replace(EXPORT_FORMATS["xlsx"], max_rows=2)
    monkeypatch.setattr(commands, "EXPORT_FORMATS", {**EXPORT_FORMATS, "xlsx": small})
    monkeypatch.setattr(commands, "check_rows", lambda rows: _refuse_above(rows, 2))
    load(session, "p.csv", b"a\n1\n2\n3\n")
    with pytest.raises(SiftError, match="3 rows"):
        export(session, tmp_path / "t.xlsx", "xlsx")
    assert not (tmp_path / "t.xlsx").exists()
    assert list(tmp_path.iterdir()) == []
    filtered = export(
        session, tmp_path / "t.xlsx", "xlsx", filters=[{"column": "a", "op": "lt", "value": "3"}]
    )
    assert filtered["rows"] == 2


def _refuse_above(rows: int, limit: int) -> None:
    if rows > limit:
        raise SiftError(f"{rows} rows", hint="fewer")


def test_a_long_table_name_makes_a_valid_sheet_name(session: Session, tmp_path: Path) -> None:
    name = "a_very_long_table_name_for_a_sheet_of_excel"
    session.workspace.conn.execute(f"CREATE TABLE {name} (x INTEGER)")
    session.workspace.conn.execute(f"INSERT INTO {name} VALUES (1)")
    export(session, tmp_path / "t.xlsx", "xlsx", table=name)
    book = openpyxl.load_workbook(tmp_path / "t.xlsx")
    assert book.sheetnames == [name[:31]]
    book.close()


# Round trips


def workbook() -> bytes:
    """A workbook as a person might have made it: text, numbers, booleans, dates."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("sales")
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    stamp = book.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
    for column, name in enumerate(["name", "n", "x", "ok", "day", "at", "note"]):
        sheet.write_string(0, column, name)
    dt = datetime.datetime
    rows = [
        ("Zoë", 1, 1.5, True, dt(2024, 1, 2), dt(2024, 1, 2, 3, 4, 5), "=1+1"),
        ("a,b", -7, 0.1, False, dt(1999, 12, 31), dt(2000, 2, 29, 23, 59, 59), "日本"),
        (None, None, None, None, None, None, None),
        ("x", 9, 1e16, True, dt(2000, 2, 29), dt(2024, 1, 2), "-5"),
    ]
    for number, row in enumerate(rows, start=1):
        for column, value in enumerate(row):
            if isinstance(value, datetime.datetime):
                sheet.write_datetime(number, column, value, day if column == 4 else stamp)
            elif isinstance(value, str):
                sheet.write_string(number, column, value)
            elif value is not None:
                sheet.write(number, column, value)
    book.close()
    return buffer.getvalue()


def test_round_trip_gives_the_same_table(session: Session, tmp_path: Path) -> None:
    first = table(session, load(session, "sales.xlsx", workbook()))
    assert first[1] == ["TEXT", "INTEGER", "REAL", "BOOLEAN", "DATE", "DATETIME", "TEXT"]
    export(session, tmp_path / "sales.xlsx", "xlsx")
    assert reload(tmp_path / "sales.xlsx") == first


def test_round_trip_raw_gives_the_same_table(session: Session, tmp_path: Path) -> None:
    first = table(session, load(session, "sales.xlsx", workbook()))
    export(session, tmp_path / "sales.xlsx", "xlsx", options={"raw": True})
    assert reload(tmp_path / "sales.xlsx") == first


def test_round_trip_from_csv_writes_datetimes_with_a_space(
    session: Session, tmp_path: Path
) -> None:
    # An ISO datetime with "T" becomes an Excel date; Sift reads it back as "YYYY-MM-DD HH:MM:SS".
    columns, types, rows = table(
        session, load(session, "d.csv", b"day,at,n\n2024-01-02,2024-01-02T03:04:05,1\n")
    )
    export(session, tmp_path / "d.xlsx", "xlsx")
    assert reload(tmp_path / "d.xlsx") == (
        columns,
        types,
        [("2024-01-02", "2024-01-02 03:04:05", 1)],
    )
    assert rows == [("2024-01-02", "2024-01-02T03:04:05", 1)]


def test_round_trip_skips_rows_with_every_cell_empty(session: Session, tmp_path: Path) -> None:
    # A sheet has no empty rows: Sift's importer skips blank rows (and says so).
    columns, types, rows = table(session, load(session, "b.csv", b"a,b\n1,x\n,\n2,y\n"))
    assert rows == [(1, "x"), (None, None), (2, "y")]
    export(session, tmp_path / "b.xlsx", "xlsx")
    assert reload(tmp_path / "b.xlsx") == (columns, types, [(1, "x"), (2, "y")])


@pytest.mark.parametrize(
    ("table", "sheet"),
    [
        ("sales", "sales"),
        ("a/b:c*d?e[f]g\\h", "a_b_c_d_e_f_g_h"),
        ("'quoted'", "quoted"),
        ("'", "Sheet1"),
        ("History", "History_"),
        ("x" * 40, "x" * 31),
        ("😀" * 20, "😀" * 15),  # 31 UTF-16 units at most: 15 of these take 30
    ],
)
def test_sheet_names_are_ones_excel_accepts(
    session: Session, tmp_path: Path, table: str, sheet: str
) -> None:
    assert sheet_name(table) == sheet
    session.workspace.conn.execute(f"CREATE TABLE {quote_ident(table)} (x INTEGER)")
    session.workspace.conn.execute(f"INSERT INTO {quote_ident(table)} VALUES (1)")
    result = export(session, tmp_path / "t.xlsx", "xlsx", table=table)
    book = openpyxl.load_workbook(tmp_path / "t.xlsx")
    assert book.sheetnames == [sheet]
    book.close()
    assert "/" not in result["name"]
