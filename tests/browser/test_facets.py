"""Facets: a column's top values with counts (click filters to that value), a numeric or
date column's histogram (click a bar filters to its range), close, and keyboard use."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Locator, Page, expect

from tests.browser.explore_helpers import expect_rows, open_table, wait_view, write_csv


def show_facet(page: Page, column: str) -> None:
    page.locator("#facet-column").select_option(column)
    page.get_by_role("button", name="Show facet", exact=True).click()
    expect(facet(page, column)).to_have_attribute("data-state", "ready")


def facet(page: Page, column: str) -> Locator:
    return page.locator("#facets section[data-facet-column='" + column + "']")


def test_top_values_with_counts_and_click_filters(page: Page, base_url: str) -> None:
    open_table(page, base_url)
    show_facet(page, "country")
    expect(page.get_by_role("status")).to_have_text("Facet for country: the top 5 values.")
    values = facet(page, "country").locator("button.facet-value")
    expect(values.first).to_have_text("DE — 56")  # the most common value first
    expect(values.nth(1)).to_have_text("NL — 55")
    values.first.click()
    wait_view(page)
    expect_rows(page, 56)
    expect(page.locator("#view-summary")).to_contain_text("DE")
    # The facet is counted again over the filtered view: one value left.
    expect(facet(page, "country")).to_have_attribute("data-state", "ready")
    expect(facet(page, "country").locator("button.facet-value")).to_have_text(["DE — 56"])


def test_histogram_bar_adds_a_between_filter(page: Page, base_url: str) -> None:
    open_table(page, base_url)
    show_facet(page, "population")
    bars = facet(page, "population").locator("button.facet-bar")
    assert bars.count() > 1
    bin_count = bar_count(bars.first)
    assert 0 < bin_count < 250
    bars.first.click()
    wait_view(page)
    expect(page.locator("#view-summary .summary-part")).to_have_count(1)
    expect(page.locator("#view-summary")).to_contain_text("population")
    # Whole numbers get inclusive bins: the filter selects exactly the bar's rows.
    expect_rows(page, bin_count)


def bar_count(bar: Locator) -> int:
    """The row count a bar's accessible name ends with ('…: 12 rows')."""
    label = bar.get_attribute("aria-label") or ""
    match = re.search(r": ([\d,]+) rows?$", label)
    assert match, label
    return int(match.group(1).replace(",", ""))


def test_date_column_histogram_filters(page: Page, base_url: str) -> None:
    open_table(page, base_url)
    show_facet(page, "founded")
    bars = facet(page, "founded").locator("button.facet-bar")
    expect(bars.first).to_be_visible()
    wanted = bar_count(bars.nth(2))
    bars.nth(2).click()
    wait_view(page)
    expect_rows(page, wanted)
    expect(page.locator("#view-summary")).to_contain_text("founded")


def test_real_column_bar_adds_two_filters_at_once(
    page: Page, base_url: str, tmp_path: Path
) -> None:
    # Reals have no inclusive high: a bar is `gte low` and `lt high`, added in one change.
    lines = ["score"] + [str(index / 4) for index in range(40)]
    open_table(page, base_url, write_csv(tmp_path, "scores.csv", "\n".join(lines) + "\n"))
    show_facet(page, "score")
    bars = facet(page, "score").locator("button.facet-bar")
    wanted = bar_count(bars.first)
    assert 0 < wanted < 40
    bars.first.click()
    wait_view(page)
    expect_rows(page, wanted, "scores")
    expect(page.locator("#view-summary .summary-part")).to_have_count(2)


def test_close_a_facet(page: Page, base_url: str) -> None:
    open_table(page, base_url)
    show_facet(page, "country")
    page.get_by_role("button", name="Close the facet for country").click()
    expect(facet(page, "country")).to_have_count(0)
    expect(page.get_by_role("status")).to_have_text("Facet for country closed.")


def test_keyboard_only_facet(page: Page, base_url: str) -> None:
    open_table(page, base_url)
    page.locator("#facet-column").focus()
    page.keyboard.type("country")
    expect(page.locator("#facet-column")).to_have_value("country")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # the Show facet button
    expect(facet(page, "country")).to_have_attribute("data-state", "ready")
    page.keyboard.press("Tab")  # the close button comes first in the section
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "DE — 56"
    page.keyboard.press("Enter")
    wait_view(page)
    expect_rows(page, 56)
    # Focus stays inside the facet after it is redrawn.
    expect(facet(page, "country")).to_have_attribute("data-state", "ready")
    assert page.evaluate("document.activeElement.closest('section[data-facet-column]') !== null")
