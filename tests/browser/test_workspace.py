"""The workspace is kept in browser storage: a reload shows the same tables without
re-importing; tables can be deleted; everything can be erased; two tabs share it safely."""

from __future__ import annotations

import json
from typing import Any

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


# The index and files a page closed mid-save leaves (storage_host.save, settle_saves), written
# from a page of the origin that is not the app (any page can use its storage and locks).
PLAIN_PAGE = "app.css"
WRITE_STORAGE = """async ({folder, files}) => {
    const root = await navigator.storage.getDirectory();
    const dir = await root.getDirectoryHandle(folder, {create: true});
    for (const [name, text] of Object.entries(files)) {
        const writable = await (await dir.getFileHandle(name, {create: true})).createWritable();
        await writable.write(text);
        await writable.close();
    }
}"""
READ_STORAGE = """async (folder) => {
    const dir = await (await navigator.storage.getDirectory()).getDirectoryHandle(folder);
    const files = {};
    for await (const [name, handle] of dir.entries()) files[name] = (await handle.getFile()).size;
    const index = JSON.parse(await (await (await dir.getFileHandle("INDEX")).getFile()).text());
    return {files, index};
}"""
# Hold a Web Lock in a page until window.release() is called; resolves once it is held.
HOLD_LOCK = """(name) => new Promise((held) => navigator.locks.request(name, () => {
    held();
    return new Promise((release) => { window.release = release; });
}))"""
LEAVE_IS_QUESTIONED = """() => {
    const leaving = new Event("beforeunload", {cancelable: true});
    window.dispatchEvent(leaving);
    return leaving.defaultPrevented;
}"""


def plain_page(context: BrowserContext, base_url: str) -> Page:
    """A page of the origin that is not the app (whose engine would tidy as a test writes).
    Not watched for console errors: Chromium asks it for a /favicon.ico the site lacks."""
    plain = context.new_page()
    plain.goto(base_url + PLAIN_PAGE)
    return plain


def read_storage(page: Page) -> dict[str, Any]:
    return dict(page.evaluate(READ_STORAGE.replace("INDEX", INDEX_FILE), FOLDER))


def write_storage(page: Page, files: dict[str, str]) -> None:
    page.evaluate(WRITE_STORAGE, {"folder": FOLDER, "files": files})


def index_text(tables: dict[str, Any], saving: dict[str, Any]) -> str:
    return json.dumps({"version": 1, "tables": tables, "saving": saving})


def test_a_save_cut_short_is_reported_and_its_leftovers_removed(
    context: BrowserContext, page: Page, base_url: str
) -> None:
    """A page closed before a table's file was written: the table is gone, and the user is
    told which one and what to do; a file no index entry names is removed."""
    saving = {"ghost": {"source": "ghost.csv"}}
    files = {INDEX_FILE: index_text({}, saving), "stray.sqlite": "left by a rename"}
    write_storage(plain_page(context, base_url), files)
    open_app(page, base_url)
    expect(page.locator("#alert")).to_contain_text(
        "ghost (from ghost.csv) was still being saved when Sift was closed or reloaded,"
        " so it was not kept: open it again."
    )
    stored = read_storage(page)
    assert stored["index"] == {"version": 1, "tables": {}, "saving": {}}
    assert sorted(stored["files"]) == [INDEX_FILE]
    expect(page.locator("#tables-panel")).to_be_hidden()


def test_a_save_cut_short_after_its_file_was_written_keeps_the_table(
    context: BrowserContext, page: Page, base_url: str
) -> None:
    """The file is whole (written atomically) but the index never got its record: the table
    comes back, with its figures, and nothing is said."""
    open_app(page, base_url)
    load_cities(page)
    index = read_storage(page)["index"]
    page.goto("about:blank")  # the app's engine is gone, as when a tab closes
    files = {INDEX_FILE: index_text({}, {"cities": {"source": "cities.csv"}})}
    write_storage(plain_page(context, base_url), files)
    open_app(page, base_url)
    expect(page.locator("#tables-list [data-action=open]")).to_have_text(["cities"])
    expect(page.locator("#tables-list .table-meta")).to_contain_text("250 rows · 4 columns")
    expect(page.locator("#alert")).to_be_hidden()
    wait_for_async(
        page,
        """async (folder) => {
            const dir = await (await navigator.storage.getDirectory()).getDirectoryHandle(folder);
            const text = await (await (await dir.getFileHandle(INDEX)).getFile()).text();
            return JSON.parse(text).tables.cities?.rows === 250;
        }""".replace("INDEX", json.dumps(INDEX_FILE)),
        FOLDER,
    )
    restored = read_storage(page)["index"]
    assert restored["saving"] == {}
    before, after = index["tables"]["cities"], restored["tables"]["cities"]
    assert {k: after[k] for k in ("rows", "columns", "bytes", "source")} == {
        k: before[k] for k in ("rows", "columns", "bytes", "source")
    }


def test_another_tabs_save_under_way_is_left_alone(
    context: BrowserContext, page: Page, base_url: str
) -> None:
    """A save whose lock another tab holds is under way, not cut short."""
    other = plain_page(context, base_url)
    other.evaluate(HOLD_LOCK, "sift-saving-ghost")
    saving = {"ghost": {"source": "ghost.csv"}}
    write_storage(other, {INDEX_FILE: index_text({}, saving), "ghost.sqlite": "being written"})
    open_app(page, base_url)
    open_files(page, DATA / "semicolon.csv")  # the import reads the index too
    wait_status(page, "Loaded semicolon.csv")
    wait_stored(page, "semicolon")
    stored = read_storage(page)
    assert stored["index"]["saving"] == saving
    assert "ghost.sqlite" in stored["files"]
    expect(page.locator("#alert")).to_be_hidden()
    other.close()


def test_leaving_while_a_table_is_being_saved_asks_first(
    context: BrowserContext, page: Page, base_url: str
) -> None:
    """The save waits for the index lock another tab holds; until it ends, closing or
    reloading the page asks first (beforeunload), and not after."""
    open_app(page, base_url)
    assert page.evaluate(LEAVE_IS_QUESTIONED) is False
    other = plain_page(context, base_url)
    other.evaluate(HOLD_LOCK, "sift-workspace-index")
    open_files(page, DATA / "cities.csv")
    wait_status(page, "Loaded cities.csv")  # shown at once; stored once the lock is free
    assert page.evaluate(LEAVE_IS_QUESTIONED) is True
    other.evaluate("window.release()")
    wait_stored(page, "cities")
    page.wait_for_function(LEAVE_IS_QUESTIONED.replace("return leaving", "return !leaving"))
    other.close()
