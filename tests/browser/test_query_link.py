"""`sql=` in the link (DESIGN.md): the query runs read-only once its sources are in, its result
shows with the link's sort and filters, a link that would change data is refused with the
table intact, and a link calling the user's Python functions asks first. Also the engine
restart when a Python function never returns."""

from __future__ import annotations

import json
import re
from urllib.parse import quote

from playwright.sync_api import Page, expect

from tests.browser.conftest import wait_state
from tests.browser.explore_helpers import open_table, wait_view
from tests.browser.test_query import (
    cities,
    expect_result_rows,
    open_sql,
    result_grid,
    run,
    status,
    wait_rows_line,
)
from tests.browser.test_workspace import wait_stored

BY_COUNTRY = "SELECT country, count(*) AS n FROM cities GROUP BY country"


def link(sql: str, extra: str = "") -> str:
    return "#src=testdata/cities.csv&sql=" + quote(sql, safe=",") + extra


def call_engine(page: Page, command: str, args: dict[str, object]) -> dict[str, object]:
    """Call the engine worker directly, as the UI does (sets up a state the test needs)."""
    reply = page.evaluate(
        """async ([command, args]) => JSON.parse(await document
            .querySelector('script[type=py][worker]').xworker.sync.handle(command, args))""",
        [command, json.dumps(args)],
    )
    assert isinstance(reply, dict)
    return reply


def set_functions(page: Page, source: str) -> None:
    reply = call_engine(page, "set_functions", {"source": source})
    assert reply["ok"], reply


def test_a_sql_link_runs_and_applies_its_sort_and_filters(page: Page, base_url: str) -> None:
    sql = "SELECT city, population FROM cities WHERE country = 'FR'"
    view = "&sort=-population&population__gt=1000000"
    page.goto(base_url + link(sql, view))
    wait_state(page)
    wait_rows_line(page)
    wait_view(page)
    kept = [r for r in cities() if r["country"] == "FR" and int(r["population"]) > 1_000_000]
    kept.sort(key=lambda row: -int(row["population"]))
    expect_result_rows(page, len(kept))
    header = result_grid(page).locator('[role=columnheader][data-column="population"]')
    expect(header).to_have_attribute("aria-sort", "descending")
    first = result_grid(page).locator('tbody [aria-rowindex="2"] [role=gridcell]')
    expect(first.first).to_have_text(kept[0]["city"])
    # The panel shows the query; the link keeps it (and its view) as it was.
    expect(page.locator("#query-panel")).to_be_visible()
    expect(page.get_by_role("combobox", name="SQL query")).to_have_value(sql)
    assert page.evaluate("location.hash") == link(sql, view)
    # Opening a stored table afterwards gives a normal table link again.
    page.locator("#tables-list [data-action=open]", has_text="cities").click()
    wait_view(page)
    page.wait_for_function("location.hash === '#src=testdata/cities.csv&table=cities'")


def test_a_link_whose_view_does_not_fit_the_result_shows_the_result(
    page: Page, base_url: str
) -> None:
    page.goto(base_url + link(BY_COUNTRY, "&nope__exact=1"))
    wait_state(page)
    wait_rows_line(page)
    expect(page.locator("#filter-error")).to_contain_text("nope")
    expect_result_rows(page, len({row["country"] for row in cities()}))


def test_a_link_that_would_change_data_is_refused_and_the_table_is_intact(
    page: Page, base_url: str
) -> None:
    page.goto(base_url + link("DELETE FROM cities"))
    wait_state(page)
    error = page.locator("#query-error")
    expect(error).to_be_visible()
    expect(error).to_contain_text(re.compile("read", re.I))
    expect(page.locator("#tables-list")).to_contain_text("250 rows")
    run(page, "SELECT count(*) AS n FROM cities")  # every row is still there
    wait_rows_line(page)
    expect(result_grid(page).locator('tbody [aria-rowindex="2"] [role=gridcell]')).to_have_text(
        ["250"]
    )


def test_a_link_calling_python_functions_asks_first(page: Page, base_url: str) -> None:
    open_table(page, base_url)
    set_functions(page, "def double(x):\n    return x * 2\n")
    sql = "SELECT city, double(population) AS twice FROM cities"
    page.evaluate("hash => { location.hash = hash; }", link(sql))
    consent = page.locator("#query-consent")
    expect(consent).to_be_visible()
    expect(consent).to_contain_text("This link's query calls your Python functions: double.")
    consent.get_by_role("button", name="Don't run").click()
    expect(consent).to_be_hidden()
    expect(status(page)).to_have_text("The linked query was not run.")
    expect(page.get_by_role("grid", name="Query result")).to_have_count(0)
    # A second link: this time the user agrees, and the result shows.
    page.evaluate("hash => { location.hash = hash; }", link(sql + " LIMIT 3"))
    expect(consent).to_be_visible()
    consent.get_by_role("button", name="Run", exact=True).click()
    wait_rows_line(page)
    expect_result_rows(page, 3)
    twice = int(cities()[0]["population"]) * 2
    cell = result_grid(page).locator('tbody [aria-rowindex="2"] [role=gridcell]').nth(1)
    expect(cell).to_have_text(f"{twice:,}")


def test_a_python_function_that_never_returns_restarts_the_engine(
    page: Page, base_url: str
) -> None:
    open_table(page, base_url)
    set_functions(page, "def spin(x):\n    while True:\n        pass\n")
    open_sql(page)
    run(page, "SELECT count(*) AS n FROM cities")
    wait_rows_line(page)
    run(page, "SELECT spin(1)")
    cancel = page.locator("#query-panel").get_by_role("button", name="Cancel", exact=True)
    expect(cancel).to_be_visible()
    page.wait_for_timeout(500)  # let the function start spinning
    cancel.click()
    expect(status(page)).to_contain_text(
        "did not stop when cancelled. Sift restarted the Python engine; your tables are intact.",
        timeout=90_000,
    )
    expect(page.locator('script[type=py][worker][name="engine-1"]')).to_have_count(1)
    expect(page.locator('script[type=py][worker][name="engine"]')).to_have_count(0)
    # The tables came back from storage, the result on screen went, the history stayed.
    expect(page.locator("#tables-list [data-action=open]")).to_have_text(["cities"])
    expect(page.get_by_role("grid", name="Query result")).to_have_count(0)
    expect(page.locator("#query-history li").first).to_contain_text("SELECT count(*) AS n")
    run(page, "SELECT count(*) AS n FROM cities")
    wait_rows_line(page)
    # A stuck function past the time limit: the engine is restarted again, and says so.
    page.get_by_label("Time limit").fill("1")
    run(page, "SELECT spin(2)")
    error = page.locator("#query-error")
    expect(error).to_contain_text(
        "went past its time limit (1 s) and did not stop. Sift restarted the Python engine",
        timeout=90_000,
    )
    expect(page.locator('script[type=py][worker][name="engine-2"]')).to_have_count(1)
    page.get_by_label("Time limit").fill("30")
    run(page, "SELECT count(*) AS n FROM cities")
    wait_rows_line(page)


def test_a_sql_link_without_sources_reads_the_stored_tables(page: Page, base_url: str) -> None:
    """A sql= link with no src runs once the engine is up and the stored tables are back."""
    open_table(page, base_url)
    wait_stored(page, "cities")
    page.goto(base_url + "#sql=" + quote("SELECT city FROM cities LIMIT 5", safe=""))
    page.reload()
    wait_state(page)
    wait_rows_line(page)
    expect_result_rows(page, 5)
