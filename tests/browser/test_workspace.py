"""The workspace is kept in browser storage: a reload shows the same tables without
re-importing; tables can be deleted; everything can be erased; two tabs share it safely."""

from __future__ import annotations

import json

from playwright.sync_api import BrowserContext, Page, Route, expect

from sift.ui.storage_names import FOLDER, INDEX_FILE
from tests.browser.conftest import (
    DATA,
    Watch,
    attach,
    open_app,
    open_files,
    wait_for_async,
    wait_state,
    wait_status,
)


def table_buttons(page: Page) -> list[str]:
    return page.locator("#tables-list [data-action=open]").all_inner_texts()


def load_cities(page: Page) -> None:
    open_files(page, DATA / "cities.csv")
    wait_status(page, "Loaded cities.csv")
    wait_stored(page, "cities")


def wait_stored(page: Page, table: str) -> None:
    """Saving follows the load shown on screen: a reload before it ends would lose the table."""
    wait_for_async(
        page,
        """async (table) => {
            try {
                const root = await navigator.storage.getDirectory();
                const folder = await root.getDirectoryHandle(FOLDER);
                const file = await (await folder.getFileHandle(INDEX)).getFile();
                return table in JSON.parse(await file.text()).tables;
            } catch { return false; }
        }""".replace("FOLDER", json.dumps(FOLDER)).replace("INDEX", json.dumps(INDEX_FILE)),
        arg=table,
    )


def test_reload_shows_the_same_tables_without_reimporting(page: Page, base_url: str) -> None:
    open_app(page, base_url)
    load_cities(page)
    expect(page.locator("#tables-list [data-action=open]")).to_have_text(["cities"])
    expect(page.locator("#storage-line")).to_contain_text("Stored in this browser:")
    page.reload()
    wait_state(page)
    expect(page.locator("#tables-list [data-action=open]")).to_have_text(["cities"])
    expect(page.locator("#tables-list .table-meta")).to_contain_text("250 rows · 4 columns")
    page.get_by_role("button", name="cities", exact=True).click()
    expect(page.get_by_role("status")).to_have_text("Showing cities: 250 rows, 4 columns.")
    grid = page.get_by_role("grid", name="cities")
    expect(grid).to_have_attribute("aria-rowcount", "251")
    expect(grid.get_by_role("columnheader")).to_have_text(
        ["city", "country", "population", "founded"]
    )


def test_stored_tables_are_listed_before_the_engine_is_ready(page: Page, base_url: str) -> None:
    open_app(page, base_url)
    load_cities(page)
    held: list[Route] = []
    page.route("**/pyodide.asm.wasm", lambda route: held.append(route))
    page.reload()
    expect(page.locator("#tables-list [data-action=open]")).to_have_text(["cities"])
    assert page.evaluate("document.documentElement.dataset.siftState") == "loading"
    for route in held:
        route.continue_()
    page.unroute("**/pyodide.asm.wasm")
    wait_state(page)


def test_delete_asks_first_and_is_kept_after_reload(page: Page, base_url: str) -> None:
    open_app(page, base_url)
    load_cities(page)
    open_files(page, DATA / "semicolon.csv")
    wait_status(page, "Loaded semicolon.csv")
    expect(page.locator("#tables-list [data-action=open]")).to_have_text(["cities", "semicolon"])
    page.get_by_role("button", name="Delete cities", exact=True).click()
    page.get_by_role("button", name="Keep cities").click()
    expect(page.locator("#tables-list [data-action=open]")).to_have_text(["cities", "semicolon"])
    page.get_by_role("button", name="Delete cities", exact=True).click()
    page.get_by_role("button", name="Delete cities for good").click()
    expect(page.locator("#tables-list [data-action=open]")).to_have_text(["semicolon"])
    expect(page.get_by_role("status")).to_have_text("Removed cities.")
    page.reload()
    wait_state(page)
    expect(page.locator("#tables-list [data-action=open]")).to_have_text(["semicolon"])


def test_erase_all_my_data(page: Page, base_url: str) -> None:
    open_app(page, base_url)
    load_cities(page)
    page.get_by_role("button", name="Erase all my data").click()
    page.get_by_role("button", name="Keep my data").click()
    expect(page.locator("#tables-list [data-action=open]")).to_have_count(1)
    page.get_by_role("button", name="Erase all my data").click()
    page.get_by_role("button", name="Erase everything").click()
    expect(page.get_by_role("status")).to_have_text(
        "All your data in Sift was erased from this browser."
    )
    expect(page.locator("#tables-panel")).to_be_hidden()
    expect(page.get_by_role("grid")).to_have_count(0)
    page.reload()
    wait_state(page)
    expect(page.locator("#tables-panel")).to_be_hidden()
    stored = page.evaluate(
        """async () => {
            const names = [];
            const walk = async (dir, prefix) => {
              for await (const [name, handle] of dir.entries()) {
                if (handle.kind === "directory") await walk(handle, prefix + name + "/");
                else names.push(prefix + name);
              }
            };
            await walk(await navigator.storage.getDirectory(), "");
            return names; }"""
    )
    assert stored == []  # no file of the user's data is left in the origin's storage


def test_two_tabs_share_the_workspace_without_losing_either_import(
    context: BrowserContext, page: Page, base_url: str, watch: Watch
) -> None:
    open_app(page, base_url)
    other = context.new_page()
    attach(other, watch)
    open_app(other, base_url)
    load_cities(page)
    # The other tab hears about it and lists it without a reload.
    expect(other.locator("#tables-list [data-action=open]")).to_have_text(["cities"])
    open_files(other, DATA / "cities.csv")
    wait_status(other, "Loaded cities.csv")
    expect(other.locator("#tables-list [data-action=open]")).to_have_text(["cities", "cities_2"])
    expect(page.locator("#tables-list [data-action=open]")).to_have_text(["cities", "cities_2"])
    page.reload()
    wait_state(page)
    expect(page.locator("#tables-list [data-action=open]")).to_have_text(["cities", "cities_2"])
    other.close()


def test_rename_a_table_and_keep_the_name(page: Page, base_url: str) -> None:
    open_app(page, base_url)
    load_cities(page)
    page.get_by_role("button", name="Rename cities").click()
    field = page.get_by_label("New name for cities")
    expect(field).to_be_focused()
    field.fill("Villes du monde")
    field.press("Enter")
    expect(page.get_by_role("status")).to_have_text(
        "Renamed cities to Villes_du_monde. Table names use letters, digits and _ only,"
        " and must be unique."
    )
    expect(page.locator("#tables-list [data-action=open]")).to_have_text(["Villes_du_monde"])
    expect(page.get_by_role("grid", name="Villes_du_monde")).to_have_attribute(
        "aria-rowcount", "251"
    )
    page.reload()
    wait_state(page)
    expect(page.locator("#tables-list [data-action=open]")).to_have_text(["Villes_du_monde"])
    page.get_by_role("button", name="Villes_du_monde", exact=True).click()
    expect(page.get_by_role("grid", name="Villes_du_monde")).to_have_attribute(
        "aria-rowcount", "251"
    )
