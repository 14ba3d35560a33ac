"""One real data path: a CSV opened by the file input, a drop, or #src= reaches the grid."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.browser.conftest import (
    DATA,
    UNUSED_PYSCRIPT_CHUNK,
    open_app,
    open_files,
    wait_state,
    wait_status,
)

CITIES = DATA / "cities.csv"


def assert_cities_grid(page: Page) -> None:
    grid = page.get_by_role("grid", name="cities")
    expect(grid).to_have_attribute("aria-rowcount", "251")
    expect(grid).to_have_attribute("aria-colcount", "4")
    headers = grid.get_by_role("columnheader")
    expect(headers).to_have_text(["city", "country", "population", "founded"])
    # A virtual grid: only the rows in view (plus a few) are in the DOM.
    rows = grid.locator("tbody [role=row]:not([hidden])")
    expect(rows.first).to_have_attribute("aria-rowindex", "2")
    assert 5 <= rows.count() < 60
    expect(rows.first.get_by_role("gridcell").first).to_have_text("City 000")


def test_boot_shows_stages_then_ready(page: Page, base_url: str) -> None:
    page.goto(base_url)
    expect(page.locator("#boot-stages li")).to_have_count(3)
    wait_state(page)
    expect(page.locator('#boot-stages [data-stage="engine"]')).to_have_attribute("data-done", "")
    expect(page.get_by_role("status")).to_have_text(re.compile("Ready"))
    expect(page.get_by_role("alert")).to_be_hidden()


def test_boot_loads_no_pyscript_chunk_it_does_not_use(page: Page, base_url: str) -> None:
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(base_url)
    wait_state(page)
    assert any("/runtime/pyscript/core" in url for url in requested)
    assert [url for url in requested if UNUSED_PYSCRIPT_CHUNK.search(url)] == []
    expect(page.locator("py-config")).to_be_hidden()


def test_open_file_input_shows_first_100_rows(page: Page, base_url: str) -> None:
    open_app(page, base_url)
    open_files(page, CITIES)
    assert wait_status(page, "Loaded") == "Loaded cities.csv: 250 rows, 4 columns"
    assert_cities_grid(page)


def test_drop_a_file_on_the_page(page: Page, base_url: str) -> None:
    open_app(page, base_url)
    drop_file(page, "dropped.csv", "x,y\n1,2\n3,4\n")
    assert wait_status(page, "Loaded") == "Loaded dropped.csv: 2 rows, 2 columns"
    grid = page.get_by_role("grid", name="dropped")
    expect(grid).to_have_attribute("aria-rowcount", "3")


def test_src_fragment_loads_at_start(page: Page, base_url: str) -> None:
    page.goto(base_url + "#src=testdata/cities.csv")
    wait_state(page)
    wait_status(page, "Loaded")
    assert_cities_grid(page)


def test_repeated_src_and_unknown_parameter(page: Page, base_url: str) -> None:
    page.goto(base_url + "#src=testdata/semicolon.csv&zoom=3&src=testdata/cities.csv")
    wait_state(page)
    wait_status(page, "Loaded cities.csv")
    assert_cities_grid(page)


def test_unknown_fragment_parameter_is_reported(page: Page, base_url: str) -> None:
    page.goto(base_url + "#zoom=3")
    expect(page.get_by_role("status")).to_contain_text("zoom")


def test_url_field_opens_a_relative_url(page: Page, base_url: str) -> None:
    open_app(page, base_url)
    page.get_by_label("Open a file from a URL").fill(base_url + "testdata/semicolon.csv")
    page.get_by_role("button", name="Open URL").click()
    wait_status(page, "Loaded")
    expect(page.get_by_role("grid", name="semicolon").get_by_role("columnheader")).to_have_text(
        ["a", "b"]
    )


def test_file_chosen_before_engine_is_ready_is_queued(page: Page, base_url: str) -> None:
    # Hold back the engine's wasm so the file is certainly chosen first.
    held: list[object] = []
    page.route("**/pyodide.asm.wasm", lambda route: held.append(route))
    page.goto(base_url)
    page.wait_for_function("document.documentElement.dataset.siftUi === 'ready'")
    open_files(page, CITIES)
    expect(page.get_by_role("status")).to_contain_text("Will open cities.csv")
    assert page.evaluate("document.documentElement.dataset.siftState") == "loading"
    page.wait_for_function("() => true")  # let the queue settle before releasing
    for route in held:
        route.continue_()  # type: ignore[attr-defined]
    page.unroute("**/pyodide.asm.wasm")
    wait_state(page)
    wait_status(page, "Loaded cities.csv")
    assert_cities_grid(page)


def drop_file(page: Page, name: str, text: str) -> None:
    page.evaluate(
        """([name, text]) => {
            const data = new DataTransfer();
            data.items.add(new File([text], name, {type: "text/csv"}));
            document.body.dispatchEvent(new DragEvent("dragover", {dataTransfer: data, bubbles: true, cancelable: true}));
            document.body.dispatchEvent(new DragEvent("drop", {dataTransfer: data, bubbles: true, cancelable: true}));
        }""",
        [name, text],
    )


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_keyboard_reaches_the_open_controls(page: Page, base_url: str) -> None:
    open_app(page, base_url)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == "Open file"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "url-input"
    page.keyboard.type("testdata/semicolon.csv")
    page.keyboard.press("Enter")
    assert wait_status(page, "Loaded") == "Loaded semicolon.csv: 1 row, 2 columns"
    expect(page.locator("#tables-list [data-action=open]")).to_have_text(["semicolon"])
    # Onwards: the Open URL button, the tables panel, the search and filter bar, the SQL and
    # Python buttons, then the grid (one tab stop: a cell).
    visited = []
    for _ in range(40):
        page.keyboard.press("Tab")
        visited.append(
            page.evaluate(
                "document.activeElement.getAttribute('role') === 'columnheader'"
                " ? 'grid:' + document.activeElement.textContent"
                " : document.activeElement.id || document.activeElement.textContent"
            )
        )
        if visited[-1].startswith("grid:"):
            break
    assert visited[0] == "Open URL"
    assert "semicolon" in visited
    assert "sql-toggle" in visited
    assert visited[-1] == "grid:a", visited


def paste(page: Page, plain: str, html: str = "") -> None:
    page.evaluate(
        """([plain, html]) => {
            const data = new DataTransfer();
            data.setData("text/plain", plain);
            if (html) data.setData("text/html", html);
            document.body.dispatchEvent(new ClipboardEvent("paste", {clipboardData: data, bubbles: true, cancelable: true}));
        }""",
        [plain, html],
    )


def test_paste_cells_copied_from_a_spreadsheet(page: Page, base_url: str) -> None:
    open_app(page, base_url)
    paste(
        page,
        "city\tpeople\nLyon\t522969\nNice\t342669\n",
        html="<table><tr><td><img src=x onerror=\"window.__pwned='paste'\"></td></tr></table>",
    )
    assert wait_status(page, "Loaded") == "Loaded pasted.tsv: 2 rows, 2 columns"
    grid = page.get_by_role("grid", name="pasted")
    expect(grid.get_by_role("columnheader")).to_have_text(["city", "people"])
    assert page.evaluate("window.__pwned") is None


def test_paste_csv_text(page: Page, base_url: str) -> None:
    open_app(page, base_url)
    paste(page, "a,b\n1,2\n")
    assert wait_status(page, "Loaded") == "Loaded pasted.csv: 1 row, 2 columns"


def test_paste_into_the_url_field_stays_a_normal_paste(page: Page, base_url: str) -> None:
    open_app(page, base_url)
    page.get_by_label("Open a file from a URL").focus()
    page.evaluate(
        """() => {
            const data = new DataTransfer();
            data.setData("text/plain", "a,b\\n1,2\\n");
            document.activeElement.dispatchEvent(new ClipboardEvent("paste", {clipboardData: data, bubbles: true, cancelable: true}));
        }"""
    )
    page.wait_for_timeout(500)
    expect(page.get_by_role("status")).to_have_text("Ready. Open a file to explore it.")
