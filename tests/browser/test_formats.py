"""Every common data file opens in the browser: JSON, NDJSON, Excel, SQLite, several at once;
bad files of each kind get their message and the engine keeps working; types can change."""

from __future__ import annotations

import sqlite3
import zipfile
from pathlib import Path

import openpyxl
import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import DATA, open_app, open_files, wait_state, wait_status


def grid_headers(page: Page, table: str) -> list[str]:
    return page.get_by_role("grid", name=table).get_by_role("columnheader").all_inner_texts()


def make_xlsx(path: Path) -> Path:
    book = openpyxl.Workbook()
    sales = book.active
    assert sales is not None
    sales.title = "Sales"
    sales.append(["region", "amount", "day"])
    sales.append(["North", 12.5, "2024-01-02"])
    sales.append(["South", 7, "2024-01-03"])
    costs = book.create_sheet("Costs")
    costs.append(["item", "cost"])
    costs.append(["paper", 3])
    book.save(path)
    return path


def make_sqlite(path: Path) -> Path:
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE people (name TEXT, age INTEGER)")
        db.executemany("INSERT INTO people VALUES (?, ?)", [("Ada", 36), ("Alan", 41)])
        db.execute("CREATE TABLE pets (name TEXT)")
        db.execute("INSERT INTO pets VALUES ('Rex')")
    db.close()
    return path


def test_json_records_with_nested_objects(page: Page, base_url: str, tmp_path: Path) -> None:
    path = tmp_path / "people.json"
    path.write_text(
        '{"data": [{"name": "Ada", "address": {"city": "London"}, "tags": ["a", "b"]}]}'
    )
    open_app(page, base_url)
    open_files(page, path)
    assert wait_status(page, "Loaded").startswith("Loaded people.json: 1 row, 3 columns")
    assert grid_headers(page, "people") == ["name", "address.city", "tags"]
    expect(page.get_by_role("grid", name="people").get_by_role("gridcell").nth(2)).to_have_text(
        '["a","b"]'
    )


def test_ndjson_line_by_line(page: Page, base_url: str, tmp_path: Path) -> None:
    path = tmp_path / "events.ndjson"
    path.write_text('{"id": 1, "ok": true}\n\n{"id": 2, "ok": false}\n')
    open_app(page, base_url)
    open_files(page, path)
    assert wait_status(page, "Loaded").startswith("Loaded events.ndjson: 2 rows, 2 columns")
    cells = page.get_by_role("grid", name="events").get_by_role("gridcell")
    expect(cells).to_have_text(["1", "true", "2", "false"])


def test_excel_workbook_makes_a_table_per_sheet(page: Page, base_url: str, tmp_path: Path) -> None:
    open_app(page, base_url)
    open_files(page, make_xlsx(tmp_path / "book.xlsx"))
    assert wait_status(page, "Loaded") == (
        "Loaded book.xlsx: 2 tables: book_Sales (2 rows, 3 columns), book_Costs (1 row, 2 columns)"
    )
    assert grid_headers(page, "book_Sales") == ["region", "amount", "day"]
    expect(page.locator("#tables-list [data-action=open]")).to_have_text(
        ["book_Costs", "book_Sales"]
    )
    page.get_by_role("button", name="book_Costs", exact=True).click()
    expect(page.get_by_role("grid", name="book_Costs")).to_have_attribute("aria-rowcount", "2")


def test_sqlite_database_brings_every_table(page: Page, base_url: str, tmp_path: Path) -> None:
    open_app(page, base_url)
    open_files(page, make_sqlite(tmp_path / "zoo.sqlite"))
    assert wait_status(page, "Loaded") == (
        "Loaded zoo.sqlite: 2 tables: people (2 rows, 2 columns), pets (1 row, 1 column)"
    )
    expect(page.locator("#tables-list [data-action=open]")).to_have_text(["people", "pets"])


def test_several_files_at_once(page: Page, base_url: str, tmp_path: Path) -> None:
    open_app(page, base_url)
    json_file = tmp_path / "a.json"
    json_file.write_text('[{"x": 1}]')
    open_files(page, DATA / "cities.csv", json_file, make_sqlite(tmp_path / "z.db"))
    wait_status(page, "Loaded z.db")
    expect(page.locator("#tables-list [data-action=open]")).to_have_text(
        ["a", "cities", "people", "pets"]
    )


WIDE_CSV = (",".join(f"c{i}" for i in range(2001)) + "\n" + ",".join("1" * 2001) + "\n").encode()
BAD_FILES = [
    ("deep.json", b"[" * 5000 + b"]" * 5000, "nested deeper than 1,000 levels"),
    ("scalar.json", b"42", "not records"),
    ("broken.ndjson", b'{"a": 1}\n{"a": \n', "line 2 is not valid JSON"),
    ("legacy.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "save it as .xlsx"),
    ("damaged.sqlite", b"SQLite format 3\x00" + bytes(84) + b"\xff" * 4000, "damaged"),
    ("quote.csv", b'a,b\n1,"unterminated\n2,3\n', "unterminated quoted field starting at line 2"),
    ("wide.csv", WIDE_CSV, "allows at most 2,000"),
    ("photo.xlsx", b"\x89PNG\r\n\x1a\n" + bytes(300), "PNG image"),
]


@pytest.mark.parametrize(("name", "data", "message"), BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_bad_file_gets_its_message_and_the_engine_keeps_working(
    page: Page, base_url: str, tmp_path: Path, name: str, data: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    open_app(page, base_url)
    open_files(page, path)
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text(name)
    expect(alert).to_contain_text(message)
    open_files(page, DATA / "semicolon.csv")
    wait_status(page, "Loaded semicolon.csv")
    expect(page.locator("#tables-list [data-action=open]")).to_have_text(["semicolon"])


def test_zip_bomb_workbook_is_refused_quickly(page: Page, base_url: str, tmp_path: Path) -> None:
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as member:
            chunk = b" " * (1 << 20)
            for _ in range(300):
                member.write(chunk)
    open_app(page, base_url)
    open_files(page, path)
    expect(page.get_by_role("alert")).to_contain_text("zip bomb")


def test_change_a_column_type_and_keep_it(page: Page, base_url: str, tmp_path: Path) -> None:
    path = tmp_path / "codes.csv"
    path.write_text("code,label\n10,a\n20,b\nx,c\n")
    open_app(page, base_url)
    open_files(page, path)
    wait_status(page, "Loaded codes.csv")
    page.locator("#types-panel summary").click()
    select = page.get_by_label("code", exact=True)
    expect(select).to_have_value("TEXT")
    select.select_option("INTEGER")
    expect(page.get_by_role("status")).to_contain_text("Changed code in codes to INTEGER.")
    expect(page.get_by_role("status")).to_contain_text("1 value could not be converted")
    cells = page.get_by_role("grid", name="codes").get_by_role("gridcell")
    expect(cells.nth(4)).to_have_text("NULL")
    page.reload()
    wait_state(page)
    page.get_by_role("button", name="codes", exact=True).click()
    expect(page.get_by_label("code", exact=True)).to_have_value("INTEGER")
