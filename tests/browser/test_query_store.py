"""What the SQL panel keeps: a result saved as a table, the history and the saved queries all
survive a reload (the engine worker stores them with the workspace)."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.browser.conftest import wait_state
from tests.browser.explore_helpers import open_table, wait_view
from tests.browser.test_query import cities, open_sql, run, status, wait_rows_line
from tests.browser.test_workspace import table_buttons, wait_stored


def test_a_result_saved_as_a_table_is_listed_and_kept(page: Page, base_url: str) -> None:
    open_table(page, base_url)
    open_sql(page)
    run(page, "SELECT city, population FROM cities WHERE population > 2000000")
    wait_rows_line(page)
    save = page.get_by_role("button", name="Save result as table")
    save.click()
    name = page.get_by_label("Table name")
    expect(name).to_be_focused()
    name.fill("big cities")
    name.press("Enter")
    big = [row for row in cities() if int(row["population"]) > 2_000_000]
    expect(page.locator("#tables-list [data-action=open]")).to_have_text(["big_cities", "cities"])
    expect(page.locator("#tables-list")).to_contain_text(f"{len(big)} rows")
    expect(status(page)).to_contain_text("big_cities")
    wait_stored(page, "big_cities")
    page.reload()
    wait_state(page)
    expect(page.locator("#tables-list [data-action=open]")).to_have_text(["big_cities", "cities"])
    page.locator("#tables-list [data-action=open]", has_text="big_cities").click()
    wait_view(page)
    expect(page.get_by_role("grid", name="big_cities")).to_have_attribute(
        "aria-rowcount", str(len(big) + 1)
    )
    assert table_buttons(page) == ["big_cities", "cities"]


def test_saving_a_result_without_a_name_is_refused(page: Page, base_url: str) -> None:
    open_table(page, base_url)
    open_sql(page)
    run(page, "SELECT 1 AS one")
    wait_rows_line(page)
    page.get_by_role("button", name="Save result as table").click()
    page.get_by_label("Table name").fill("  ")
    page.get_by_role("button", name="Save table").click()
    expect(page.locator("#query-error")).to_contain_text("Give the new table a name.")
    expect(page.locator("#tables-list [data-action=open]")).to_have_text(["cities"])


def test_history_and_saved_queries_survive_a_reload(page: Page, base_url: str) -> None:
    open_table(page, base_url)
    editor = open_sql(page)
    run(page, "SELECT count(*) AS n FROM cities")
    wait_rows_line(page)
    run(page, "SELECT * FORM cities")
    expect(page.locator("#query-error")).to_be_visible()
    history = page.locator("#query-history li")
    expect(history).to_have_count(2)
    expect(history.nth(0)).to_contain_text("SELECT * FORM cities")
    expect(history.nth(0)).to_contain_text('Error · near "FORM": syntax error')
    expect(history.nth(1)).to_contain_text("OK · 1 row")
    # Save the editor's query under a name; an empty name is refused first.
    editor.fill("SELECT city FROM cities WHERE country = 'NL'")
    saved_name = page.get_by_label("Name", exact=True)
    page.get_by_role("button", name="Save query").click()
    expect(page.locator("#save-query-error")).to_have_text("Give the query a name.")
    saved_name.fill("Dutch cities")
    saved_name.press("Enter")
    saved = page.locator("#saved-queries li")
    expect(saved).to_have_count(1)
    expect(saved.first).to_contain_text("Dutch cities")
    # Back without the fragment: a reload would run its sql= again (and add to the history).
    page.goto(base_url)
    wait_state(page)
    editor = open_sql(page)
    expect(page.locator("#query-history li")).to_have_count(2)
    expect(page.locator("#saved-queries li")).to_have_count(1)
    # A history entry goes back to the editor; so does a saved query.
    page.locator("#query-history li").nth(1).get_by_role("button").click()
    expect(editor).to_have_value("SELECT count(*) AS n FROM cities")
    page.get_by_role("button", name="Dutch cities", exact=True).click()
    expect(editor).to_have_value("SELECT city FROM cities WHERE country = 'NL'")
    editor.press("Control+Enter")
    wait_rows_line(page)
    expect(page.locator("#query-history li")).to_have_count(3)
    page.get_by_role("button", name="Delete the saved query Dutch cities").click()
    expect(page.locator("#saved-queries li")).to_have_count(0)
    page.goto(base_url)
    wait_state(page)
    open_sql(page)
    expect(page.locator("#query-history li")).to_have_count(3)
    expect(page.locator("#saved-queries li")).to_have_count(0)
