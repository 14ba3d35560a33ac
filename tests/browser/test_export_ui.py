"""The Export menu (issue 6): each format downloads the view as shown (sort, filters, search),
the file opens in Sift again with the same rows, the CSV options change the file, the
workspace file restores every table in a fresh browser, a query result exports, errors go to
the alert, and the menu works by keyboard with no serious axe violation."""

from __future__ import annotations

import csv
import io
import json
import re
import sqlite3
from datetime import datetime
from pathlib import Path
from typing import Any

import openpyxl
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import Watch, attach, open_app, open_files, wait_status
from tests.browser.explore_helpers import serious_axe_violations, wait_view, write_csv

SALES = (
    "name,amount,day,note\n"
    "ann,3,2024-01-05,=1+1\n"
    "bob,1,2024-02-10,plain\n"
    'cid,5,2024-03-15,"a, b"\n'
    "dee,2,2024-04-20,@sum\n"
)
# The view the tests export: amount > 1, largest first.
VIEW = "table=sales&sort=-amount&amount__gt=1"
HEADER = ["name", "amount", "day", "note"]
SHOWN = [
    ["cid", 5, "2024-03-15", "a, b"],
    ["ann", 3, "2024-01-05", "=1+1"],
    ["dee", 2, "2024-04-20", "@sum"],
]
SHOWN_CSV = (
    "name,amount,day,note\r\n"
    'cid,5,2024-03-15,"a, b"\r\n'
    "ann,3,2024-01-05,'=1+1\r\n"
    "dee,2,2024-04-20,'@sum\r\n"
)
# Calls the engine the way the UI does (tests read the workspace through it).
ENGINE = """async ([command, args]) => {
  const handle = document.querySelector('script[type=py][worker]').xworker.sync.handle;
  return JSON.parse(await handle(command, JSON.stringify(args)));
}"""


def engine(page: Page, command: str, args: dict[str, Any]) -> Any:
    reply: dict[str, Any] = page.evaluate(ENGINE, [command, args])
    assert reply["ok"], reply
    return reply["result"]


def table_names(page: Page) -> list[str]:
    return [str(table["name"]) for table in engine(page, "tables", {})]


def table_rows(page: Page, table: str) -> list[list[Any]]:
    rows: list[list[Any]] = engine(page, "view", {"table": table, "limit": 100})["rows"]
    return rows


def new_table(page: Page) -> str:
    """The one table beside sales (the file just opened again)."""
    others = [name for name in table_names(page) if name != "sales"]
    assert len(others) == 1, others
    return others[0]


def open_sales(
    page: Page,
    base_url: str,
    tmp_path: Path,
    view: str = VIEW,
    started: bool = False,
    rows: int = 3,
) -> None:
    """Load sales.csv, then show `view` (through the link, as a copied link would)."""
    if not started:
        open_app(page, base_url)
    open_files(page, write_csv(tmp_path, "sales.csv", SALES))
    wait_status(page, "Loaded sales.csv")
    wait_view(page)
    if view:
        page.evaluate("hash => { location.hash = hash; }", view)
        expect(page.get_by_role("grid", name="sales")).to_have_attribute(
            "aria-rowcount", str(rows + 1)
        )
        wait_view(page)


def export(page: Page, button: str, tmp_path: Path, options: tuple[str, ...] = ()) -> Path:
    """Open the menu, tick `options`, press `button`; the downloaded file, saved in tmp_path."""
    toggle = page.get_by_role("button", name="Export", exact=True)
    expect(toggle).to_be_enabled()
    toggle.click()
    for option in options:
        page.get_by_label(option).check()
    with page.expect_download() as info:
        page.get_by_role("button", name=button, exact=True).click()
    download = info.value
    target = tmp_path / "out" / download.suggested_filename
    target.parent.mkdir(parents=True, exist_ok=True)
    download.save_as(target)
    return target


def reopen(page: Page, path: Path) -> None:
    """Open an exported file in Sift again."""
    open_files(page, path)
    wait_status(page, "Loaded " + path.name)


def test_csv_downloads_the_view_exactly_and_opens_again(
    page: Page, base_url: str, tmp_path: Path
) -> None:
    open_sales(page, base_url, tmp_path)
    path = export(page, "Export CSV", tmp_path)
    assert path.name == "sales-filtered.csv"
    assert path.read_bytes() == SHOWN_CSV.encode()  # CRLF, quotes, formulas neutralized
    expect(page.get_by_role("status")).to_have_text("Exported 3 rows of sales to CSV.")
    expect(page.get_by_role("button", name="Export", exact=True)).to_be_focused()
    reopen(page, path)
    rows = table_rows(page, new_table(page))
    # The default CSV keeps the protecting quote: it is part of the data.
    assert rows == [[r[0], r[1], r[2], "'" + r[3] if r[3][0] in "=@" else r[3]] for r in SHOWN]


def test_csv_options_add_a_bom_and_keep_raw_values(
    page: Page, base_url: str, tmp_path: Path
) -> None:
    open_sales(page, base_url, tmp_path)
    bom = export(page, "Export CSV", tmp_path / "bom", ("Add a BOM (for Excel)",))
    assert bom.read_bytes() == b"\xef\xbb\xbf" + SHOWN_CSV.encode()
    raw = export(page, "Export CSV", tmp_path / "raw", ("Keep raw values (no formula protection)",))
    # The BOM box stays ticked (the menu keeps its options), so this file has both.
    text = raw.read_bytes().decode("utf-8-sig")
    assert text == SHOWN_CSV.replace("'=1+1", "=1+1").replace("'@sum", "@sum")
    assert raw.read_bytes().startswith(b"\xef\xbb\xbf")
    # The formula protection is explained next to its option.
    box = page.get_by_label("Keep raw values (no formula protection)")
    expect(box).to_have_accessible_description(re.compile("never run as a formula"))


def test_json_downloads_the_view_and_opens_again(page: Page, base_url: str, tmp_path: Path) -> None:
    open_sales(page, base_url, tmp_path)
    path = export(page, "Export JSON", tmp_path)
    assert path.name == "sales-filtered.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data == [dict(zip(HEADER, row, strict=True)) for row in SHOWN]
    expect(page.get_by_role("status")).to_have_text("Exported 3 rows of sales to JSON.")
    reopen(page, path)
    assert table_rows(page, new_table(page)) == SHOWN


def test_excel_downloads_typed_cells_and_opens_again(
    page: Page, base_url: str, tmp_path: Path
) -> None:
    open_sales(page, base_url, tmp_path)
    path = export(page, "Export Excel", tmp_path)
    assert path.name == "sales-filtered.xlsx"
    sheet = openpyxl.load_workbook(path).active
    assert sheet is not None
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert values[0] == HEADER
    day = [datetime.fromisoformat(row[2]) for row in SHOWN]
    assert values[1:] == [[r[0], r[1], d, r[3]] for r, d in zip(SHOWN, day, strict=True)]
    # Formula-like text is text with Excel's quote prefix, never a formula.
    assert sheet["D3"].data_type == "s"
    assert sheet["D3"].quotePrefix
    expect(page.get_by_role("status")).to_have_text("Exported 3 rows of sales to Excel.")
    reopen(page, path)
    assert table_rows(page, new_table(page)) == SHOWN


def test_sqlite_downloads_the_view_and_opens_again(
    page: Page, base_url: str, tmp_path: Path
) -> None:
    open_sales(page, base_url, tmp_path)
    path = export(page, "Export SQLite", tmp_path)
    assert path.name == "sales-filtered.sqlite"
    with sqlite3.connect(path) as db:
        rows = [list(row) for row in db.execute("SELECT * FROM sales")]
        columns = [row[1] for row in db.execute("PRAGMA table_info(sales)")]
    db.close()
    assert (columns, rows) == (HEADER, SHOWN)
    reopen(page, path)
    assert table_rows(page, new_table(page)) == SHOWN


def test_a_search_is_part_of_the_view(page: Page, base_url: str, tmp_path: Path) -> None:
    open_sales(page, base_url, tmp_path, "table=sales&q=ann", rows=1)
    path = export(page, "Export CSV", tmp_path)
    assert path.read_bytes() == b"name,amount,day,note\r\nann,3,2024-01-05,'=1+1\r\n"


def test_a_query_result_exports_as_csv(page: Page, base_url: str, tmp_path: Path) -> None:
    open_sales(page, base_url, tmp_path, "")
    page.get_by_role("button", name="SQL", exact=True).click()
    editor = page.get_by_role("combobox", name="SQL query")
    editor.fill("SELECT name, amount * 10 AS tenfold FROM sales WHERE amount < 3 ORDER BY name")
    editor.press("Control+Enter")
    expect(page.get_by_role("grid", name="Query result")).to_have_attribute("aria-rowcount", "3")
    path = export(page, "Export CSV", tmp_path)
    assert path.name == "query-result.csv"
    assert path.read_bytes() == b"name,tenfold\r\nbob,10\r\ndee,20\r\n"
    expect(page.get_by_role("status")).to_have_text("Exported 2 rows of the query result to CSV.")


def test_the_workspace_file_restores_every_table_in_a_fresh_browser(
    page: Page, base_url: str, tmp_path: Path, browser: Browser
) -> None:
    open_sales(page, base_url, tmp_path, "")
    open_files(page, write_csv(tmp_path, "towns.csv", "town,people\nLyon,522000\nNice,342000\n"))
    wait_status(page, "Loaded towns.csv")
    path = export(page, "Export workspace (SQLite)", tmp_path)
    assert path.name == "sift-workspace.sqlite"
    expect(page.get_by_role("status")).to_have_text("Exported 2 tables (6 rows) to SQLite.")
    fresh = browser.new_context(accept_downloads=True)
    try:
        other = fresh.new_page()
        watch = Watch()
        attach(other, watch)
        open_app(other, base_url)
        open_files(other, path)
        wait_status(other, "Loaded sift-workspace.sqlite")
        names = sorted(table_names(other))
        assert names == ["sales", "towns"]
        assert table_rows(other, "towns") == [["Lyon", 522000], ["Nice", 342000]]
        everything = list(csv.reader(io.StringIO(SALES)))[1:]
        assert [[str(v) for v in row] for row in table_rows(other, "sales")] == everything
        assert (watch.console_errors, watch.page_errors) == ([], [])
    finally:
        fresh.close()


def test_an_export_that_fails_says_why_in_the_alert_and_the_app_goes_on(
    page: Page, base_url: str, tmp_path: Path
) -> None:
    open_sales(page, base_url, tmp_path)
    engine(page, "drop", {"table": "sales"})  # gone behind the UI's back
    page.get_by_role("button", name="Export", exact=True).click()
    page.get_by_role("button", name="Export CSV", exact=True).click()
    alert = page.get_by_role("alert").first
    expect(alert).to_contain_text("sales")
    expect(page.get_by_role("status")).to_have_text("Nothing was exported.")
    open_files(page, write_csv(tmp_path, "towns.csv", "town,people\nLyon,522000\n"))
    wait_status(page, "Loaded towns.csv")
    path = export(page, "Export JSON", tmp_path)
    assert json.loads(path.read_text(encoding="utf-8")) == [{"town": "Lyon", "people": 522000}]


def test_the_menu_works_by_keyboard(page: Page, base_url: str, tmp_path: Path) -> None:
    open_app(page, base_url)
    toggle = page.get_by_role("button", name="Export", exact=True)
    expect(toggle).to_be_disabled()  # nothing shown yet, nothing to export
    open_sales(page, base_url, tmp_path, started=True)
    expect(toggle).to_be_enabled()
    toggle.focus()
    page.keyboard.press("Enter")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_role("button", name="Export CSV")).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(page.get_by_role("button", name="Export JSON")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Export Excel")).to_be_focused()
    page.keyboard.press("End")
    expect(page.get_by_role("button", name="Export workspace (SQLite)")).to_be_focused()
    page.keyboard.press("ArrowDown")  # wraps round
    expect(page.get_by_role("button", name="Export CSV")).to_be_focused()
    page.keyboard.press("ArrowUp")
    expect(page.get_by_role("button", name="Export workspace (SQLite)")).to_be_focused()
    page.keyboard.press("ArrowUp")  # the options are on the way
    expect(page.get_by_label("Keep raw values (no formula protection)")).to_be_focused()
    page.keyboard.press("Home")
    page.keyboard.press("Shift+Tab")  # back to the Export button: the menu stays open
    expect(toggle).to_be_focused()
    expect(page.locator("#export-menu")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.locator("#export-menu")).to_be_hidden()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(toggle).to_be_focused()
    # Enter on a format exports from the keyboard too.
    page.keyboard.press("Enter")
    with page.expect_download() as info:
        page.keyboard.press("Enter")
    assert info.value.suggested_filename == "sales-filtered.csv"


def test_no_serious_axe_violation_with_the_menu_open(
    page: Page, base_url: str, tmp_path: Path
) -> None:
    open_sales(page, base_url, tmp_path)
    page.get_by_role("button", name="Export", exact=True).click()
    expect(page.locator("#export-menu")).to_be_visible()
    assert serious_axe_violations(page) == []
    page.emulate_media(color_scheme="dark")
    assert serious_axe_violations(page) == []


def test_a_long_export_shows_progress_and_cancel_leaves_no_download(
    page: Page, base_url: str, tmp_path: Path
) -> None:
    open_sales(page, base_url, tmp_path, "")
    big = (
        "CREATE TABLE big AS WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r "
        "WHERE i < 200000) SELECT i, 'row ' || i AS label FROM r"
    )
    engine(page, "sql", {"sql": big, "seconds": 60})
    page.evaluate("hash => { location.hash = hash; }", "table=big")
    expect(page.get_by_role("grid", name="big")).to_have_attribute("aria-rowcount", "200001")
    downloads: list[str] = []
    page.on("download", lambda download: downloads.append(download.suggested_filename))
    page.get_by_role("button", name="Export", exact=True).click()
    page.get_by_role("button", name="Export CSV", exact=True).click()
    panel = page.locator("#progress")
    expect(panel).to_be_visible()
    expect(page.locator("#progress-label")).to_contain_text("Exporting")
    panel.get_by_role("button", name="Cancel").click()
    expect(page.get_by_role("status")).to_contain_text("nothing was exported")
    expect(panel).to_be_hidden()
    assert downloads == []
    page.evaluate("hash => { location.hash = hash; }", VIEW)
    expect(page.get_by_role("grid", name="sales")).to_have_attribute("aria-rowcount", "4")
    path = export(page, "Export CSV", tmp_path)  # the next export works
    assert path.read_bytes() == SHOWN_CSV.encode()
