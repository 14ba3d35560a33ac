"""The view in the URL fragment: every change rewrites it, and opening or reloading a link
restores the table, sort, filters and facets (DESIGN.md, "The URL fragment is a public API")."""

from __future__ import annotations

import csv
import re

from playwright.sync_api import BrowserContext, Locator, Page, expect

from tests.browser.conftest import (
    DATA,
    Watch,
    attach,
    open_app,
    open_files,
    wait_state,
    wait_status,
)

CITIES = DATA / "cities.csv"


def cities() -> list[dict[str, str]]:
    with CITIES.open(newline="") as handle:
        return list(csv.DictReader(handle))


def wait_view(page: Page) -> None:
    page.wait_for_function("document.getElementById('table-area').dataset.siftView === 'ready'")


def first_row(page: Page) -> list[str]:
    page.wait_for_function(
        "() => { const r = document.querySelector('[role=grid] tbody [aria-rowindex=\"2\"]');"
        " return r && !r.hasAttribute('aria-busy'); }"
    )
    return list(
        page.evaluate(
            "[...document.querySelector('[role=grid] tbody [aria-rowindex=\"2\"]').children]"
            ".map(c => c.textContent)"
        )
    )


def header(page: Page, name: str) -> Locator:
    return page.locator(f'[role=columnheader][data-column="{name}"]')


def test_every_change_updates_the_link_and_a_reload_restores_it(page: Page, base_url: str) -> None:
    page.goto(base_url + "#src=testdata/cities.csv")
    wait_state(page)
    wait_status(page, "Loaded cities.csv")
    wait_view(page)
    page.wait_for_function("location.hash === '#src=testdata/cities.csv&table=cities'")
    population = header(page, "population")
    population.locator(".header-sort").click()
    wait_view(page)
    population.locator(".header-sort").click()
    expect(population).to_have_attribute("aria-sort", "descending")
    page.wait_for_function(
        "location.hash === '#src=testdata/cities.csv&table=cities&sort=-population'"
    )
    history = page.evaluate("history.length")
    page.reload()
    wait_state(page)
    expect(header(page, "population")).to_have_attribute("aria-sort", "descending")
    wait_view(page)
    biggest = max(cities(), key=lambda row: int(row["population"]))
    assert first_row(page)[:3] == [
        biggest["city"],
        biggest["country"],
        f"{int(biggest['population']):,}",
    ]
    # The stored table was reused, not imported a second time.
    expect(page.get_by_role("status")).to_contain_text("already among your tables")
    expect(page.locator("#tables-list [data-action=open]")).to_have_text(["cities"])
    assert page.evaluate("history.length") == history  # replaceState: no history entries


def test_a_links_view_applies_to_its_first_source(page: Page, base_url: str) -> None:
    page.goto(
        base_url + "#src=testdata/cities.csv&src=testdata/semicolon.csv"
        "&sort=-population&country__exact=FR&facet=country"
    )
    wait_state(page)
    french = [row for row in cities() if row["country"] == "FR"]
    grid = page.get_by_role("grid", name="cities")
    expect(grid).to_have_attribute("aria-rowcount", str(len(french) + 1))
    expect(header(page, "population")).to_have_attribute("aria-sort", "descending")
    wait_view(page)
    biggest = max(french, key=lambda row: int(row["population"]))
    assert first_row(page)[0] == biggest["city"]
    page.wait_for_function(
        "location.hash === '#src=testdata/cities.csv&src=testdata/semicolon.csv&table=cities"
        "&sort=-population&facet=country&country__exact=FR'"
    )


def test_a_stored_table_opens_from_a_link_without_src(
    context: BrowserContext, page: Page, base_url: str
) -> None:
    open_app(page, base_url)
    open_files(page, CITIES)
    wait_status(page, "Loaded cities.csv")
    expect(page.locator("#tables-list [data-action=open]")).to_have_text(["cities"])
    page.wait_for_timeout(500)  # the table is saved once it is shown
    other = context.new_page()
    watch = Watch()
    attach(other, watch)
    other.goto(base_url + "#table=cities&sort=city")
    wait_state(other)
    expect(header(other, "city")).to_have_attribute("aria-sort", "ascending")
    wait_view(other)
    assert first_row(other)[0] == min(row["city"] for row in cities())
    other.close()
    assert watch.console_errors == []
    assert watch.page_errors == []


def test_unknown_and_later_parameters_are_reported(page: Page, base_url: str) -> None:
    page.goto(base_url + "#sql=select+1&view=chart&zoom=2&city__like=x")
    # sql= and view= are known: the query runs, the rest is reported after the result's line.
    expect(page.get_by_role("status")).to_have_text(
        re.compile(
            r"^1 row in [\d.]+ s\. This link has parameters Sift does not know yet, "
            r"ignored: zoom, city__like\.$"
        )
    )
