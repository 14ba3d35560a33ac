"""The SQL panel (issue 5): run by keyboard, the result in the grid like any table, errors with
their place marked, the time limit, Cancel, parameters, completion, highlighting, and axe."""

from __future__ import annotations

import csv
import re

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.browser.conftest import DATA
from tests.browser.explore_helpers import (
    add_filter,
    open_table,
    serious_axe_violations,
    wait_view,
)

CITIES = DATA / "cities.csv"
RESULT = "Query result"
BOMB = "WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r) SELECT count(*) FROM r"
ROWS_LINE = re.compile(r"^[\d,]+ rows? in \d+\.\d+ s")


def cities() -> list[dict[str, str]]:
    with CITIES.open(newline="") as handle:
        return list(csv.DictReader(handle))


def open_sql(page: Page) -> Locator:
    """Open the SQL panel; the editor (a combobox named "SQL query") has the focus."""
    page.get_by_role("button", name="SQL", exact=True).click()
    editor = page.get_by_role("combobox", name="SQL query")
    expect(editor).to_be_focused()
    return editor


def run(page: Page, sql: str) -> None:
    """Type `sql` into the editor and run it with Ctrl+Enter."""
    editor = page.get_by_role("combobox", name="SQL query")
    editor.fill(sql)
    editor.press("Control+Enter")


def status(page: Page) -> Locator:
    return page.locator("#query-status")


def wait_rows_line(page: Page) -> str:
    expect(status(page)).to_have_text(ROWS_LINE)
    return status(page).inner_text()


def result_grid(page: Page) -> Locator:
    return page.get_by_role("grid", name=RESULT)


def expect_result_rows(page: Page, count: int) -> None:
    expect(result_grid(page)).to_have_attribute("aria-rowcount", str(count + 1))


def test_a_query_run_by_keyboard_shows_its_result_in_the_grid(page: Page, base_url: str) -> None:
    open_table(page, base_url)
    open_sql(page)
    run(page, "SELECT country, count(*) AS n FROM cities GROUP BY country ORDER BY n DESC")
    countries = {row["country"] for row in cities()}
    assert wait_rows_line(page).startswith(f"{len(countries)} rows in ")
    expect_result_rows(page, len(countries))
    expect(result_grid(page).get_by_role("columnheader")).to_have_count(2)
    expect(page.get_by_role("status")).to_contain_text(f"{len(countries)} rows in ")
    # The link holds the query, not the result table's passing name.
    page.wait_for_function("location.hash.startsWith('#sql=SELECT%20country')")
    assert "table=" not in page.evaluate("location.hash")
    # The editor's mirror shows the same text highlighted, as spans per token kind.
    mirror = page.locator(".sql-mirror")
    expect(mirror).to_have_attribute("aria-hidden", "true")
    expect(mirror.locator(".tok-keyword").first).to_have_text("SELECT")
    assert {"SELECT", "FROM", "GROUP", "BY", "ORDER", "DESC", "AS"} <= set(
        mirror.locator(".tok-keyword").all_inner_texts()
    )
    expect(mirror.locator(".tok-operator")).to_have_text(["*"])
    assert (
        mirror.inner_text().rstrip("\n")
        == page.get_by_role("combobox", name="SQL query").input_value()
    )


def test_the_result_sorts_and_filters_like_any_table(page: Page, base_url: str) -> None:
    open_table(page, base_url)
    open_sql(page)
    run(page, "SELECT city, country, population FROM cities WHERE population > 1000000")
    wait_rows_line(page)
    big = [row for row in cities() if int(row["population"]) > 1_000_000]
    expect_result_rows(page, len(big))
    header = result_grid(page).locator('[role=columnheader][data-column="population"]')
    header.locator(".header-sort").click()
    wait_view(page)
    header.locator(".header-sort").click()
    expect(header).to_have_attribute("aria-sort", "descending")
    page.wait_for_function("location.hash.includes('sort=-population')")
    first = result_grid(page).locator('tbody [aria-rowindex="2"] [role=gridcell]').first
    expect(first).to_have_text(max(big, key=lambda row: int(row["population"]))["city"])
    add_filter(page, "country", "exact", "FR")
    wait_view(page)
    expect_result_rows(page, len([row for row in big if row["country"] == "FR"]))
    assert "sql=" in page.evaluate("location.hash")
    assert "country__exact=FR" in page.evaluate("location.hash")


def test_a_syntax_error_shows_its_line_and_column_and_marks_the_text(
    page: Page, base_url: str
) -> None:
    open_table(page, base_url)
    open_sql(page)
    run(page, "SELECT city,\n  FROM cities")
    error = page.locator("#query-error")
    expect(error).to_be_visible()
    expect(error).to_have_attribute("role", "alert")
    expect(error).to_contain_text('near "FROM": syntax error')
    expect(error).to_contain_text("At line 2, column 3")
    expect(page.locator(".sql-mirror mark")).to_have_text("FROM")
    assert "Traceback" not in error.inner_text()
    # Editing removes the mark; the corrected query runs and the error goes.
    run(page, "SELECT city\nFROM cities")
    wait_rows_line(page)
    expect(error).to_be_hidden()
    expect(page.locator(".sql-mirror mark")).to_have_count(0)
    expect_result_rows(page, 250)


def test_an_unknown_column_error_marks_it(page: Page, base_url: str) -> None:
    open_table(page, base_url)
    open_sql(page)
    run(page, "SELECT city, nope FROM cities")
    expect(page.locator("#query-error")).to_contain_text("no such column: nope")
    expect(page.locator(".sql-mirror mark")).to_have_text("nope")


def test_a_runaway_query_stops_at_its_time_limit(page: Page, base_url: str) -> None:
    open_table(page, base_url)
    open_sql(page)
    limit = page.get_by_label("Time limit")
    expect(limit).to_have_value("30")
    limit.fill("1")
    run(page, BOMB)
    error = page.locator("#query-error")
    expect(error).to_be_visible(timeout=60_000)
    expect(error).to_contain_text(re.compile(r"longer than 1 second|time limit \(1 s\)"))
    expect(page.locator("#query-panel").get_by_role("button", name="Run")).to_be_visible()
    run(page, "SELECT count(*) AS n FROM cities")
    assert wait_rows_line(page).startswith("1 row in ")


def test_a_bad_time_limit_is_refused_before_running(page: Page, base_url: str) -> None:
    open_table(page, base_url)
    open_sql(page)
    page.get_by_label("Time limit").fill("0")
    run(page, "SELECT 1")
    expect(page.locator("#query-error")).to_contain_text("The time limit must be a whole number")
    expect(page.get_by_label("Time limit")).to_have_attribute("aria-invalid", "true")
    expect(status(page)).to_have_text("")


def test_cancel_stops_a_long_query_and_the_app_keeps_working(page: Page, base_url: str) -> None:
    open_table(page, base_url)
    open_sql(page)
    page.get_by_label("Time limit").fill("120")
    run(page, BOMB)
    panel = page.locator("#query-panel")
    cancel = panel.get_by_role("button", name="Cancel", exact=True)
    expect(cancel).to_be_visible()
    expect(page.locator("#progress")).to_be_visible()  # run_long's panel, with its own Cancel
    cancel.click()
    # Cancelled by the engine, or (when it did not answer in time) by a restart.
    expect(status(page)).to_contain_text(re.compile("cancelled|did not stop when cancelled"))
    expect(cancel).to_be_hidden()
    expect(page.locator("#progress")).to_be_hidden()
    run(page, "SELECT count(*) AS n FROM cities")
    assert wait_rows_line(page).startswith("1 row in ")
    expect(page.locator("#tables-list [data-action=open]")).to_have_text(["cities"])


def test_named_parameters_get_an_input_each(page: Page, base_url: str) -> None:
    open_table(page, base_url)
    editor = open_sql(page)
    params = page.locator("#query-params")
    expect(params).to_be_hidden()
    editor.fill("SELECT * FROM cities WHERE country = :country AND population > :min")
    expect(params.get_by_role("textbox")).to_have_count(2)
    params.get_by_label("country", exact=True).fill("FR")
    params.get_by_label("min", exact=True).fill("1000000")
    params.get_by_label("min", exact=True).press("Control+Enter")  # runs from a parameter too
    wait_rows_line(page)
    expected = [r for r in cities() if r["country"] == "FR" and int(r["population"]) > 1_000_000]
    expect_result_rows(page, len(expected))
    # A parameter that leaves the text loses its input; its value comes back with it.
    editor.fill("SELECT * FROM cities WHERE country = :country")
    expect(params.get_by_role("textbox")).to_have_count(1)
    editor.fill("SELECT * FROM cities WHERE country = :country AND population > :min")
    expect(params.get_by_label("min", exact=True)).to_have_value("1000000")
    # `:name` inside a string or a comment is not a parameter.
    editor.fill("SELECT ':x' AS a -- :y")
    expect(params).to_be_hidden()


def test_completion_offers_a_column_name_by_keyboard(page: Page, base_url: str) -> None:
    open_table(page, base_url)
    editor = open_sql(page)
    editor.press_sequentially("SELECT popu")
    listbox = page.get_by_role("listbox", name="Suggestions")
    expect(listbox).to_be_visible()
    expect(editor).to_have_attribute("aria-expanded", "true")
    option = listbox.get_by_role("option").first
    expect(option).to_contain_text("population")
    expect(editor).to_have_attribute("aria-activedescendant", option.get_attribute("id") or "")
    editor.press("Enter")
    expect(editor).to_have_value("SELECT population")
    expect(listbox).to_be_hidden()
    expect(editor).to_have_attribute("aria-expanded", "false")
    # After FROM, Ctrl+Space offers the table; arrows move, Tab accepts.
    editor.press_sequentially(" FROM ")
    editor.press("Control+Space")
    expect(listbox.get_by_role("option").first).to_contain_text("cities")
    editor.press("ArrowDown")
    editor.press("ArrowUp")
    editor.press("Tab")
    expect(editor).to_have_value("SELECT population FROM cities")
    # Escape closes without changing the text.
    editor.press_sequentially(" WHERE co")
    expect(listbox).to_be_visible()
    editor.press("Escape")
    expect(listbox).to_be_hidden()
    expect(editor).to_have_value("SELECT population FROM cities WHERE co")


def test_completion_offers_nothing_inside_a_string(page: Page, base_url: str) -> None:
    open_table(page, base_url)
    editor = open_sql(page)
    editor.press_sequentially("SELECT 'popu")
    editor.press("Control+Space")
    expect(page.get_by_role("listbox", name="Suggestions")).to_be_hidden()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_open_panel_has_no_serious_axe_violation(
    page: Page, base_url: str, scheme: str
) -> None:
    page.emulate_media(color_scheme=scheme)
    open_table(page, base_url)
    editor = open_sql(page)
    editor.fill("SELECT city FROM cities WHERE country = :country")
    page.locator("#query-params").get_by_label("country", exact=True).fill("NL")
    editor.press("Control+Enter")
    wait_rows_line(page)
    wait_view(page)
    assert serious_axe_violations(page) == []
    run(page, "SELECT * FORM cities")
    expect(page.locator(".sql-mirror mark")).to_have_count(1)
    assert serious_axe_violations(page) == []
    editor.press_sequentially(" ci")
    expect(page.get_by_role("listbox", name="Suggestions")).to_be_visible()
    assert serious_axe_violations(page) == []
