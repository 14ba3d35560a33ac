"""Column profiles: figures that match a small known table, sparklines in the headers and
cards, and the ready signal once every column is in."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import pytest
from playwright.sync_api import Page, expect

from tests.browser.explore_helpers import (
    add_filter,
    open_table,
    serious_axe_violations,
    write_csv,
)

# age: 20, 30, 40, 50 and one empty -> 20% empty, 4 distinct, mean 35, median 35.
PEOPLE = "name,age,city\nAnn,30,Paris\nBob,,Lyon\nCid,40,Paris\nDee,20,Nice\nEve,50,Paris\n"


def figure(page: Page, column: str, key: str):  # type: ignore[no-untyped-def]
    card = page.locator("#profiles [data-profile-column='" + column + "']")
    return card.locator("[data-figure='" + key + "'] dd")


def test_profiles_match_a_known_table(page: Page, base_url: str, tmp_path: Path) -> None:
    open_table(page, base_url, write_csv(tmp_path, "people.csv", PEOPLE))
    expect(page.locator("#profiles")).to_have_attribute("data-state", "ready")
    expect(page.locator("#profiles .profile-card")).to_have_count(3)
    expect(figure(page, "age", "null_pct")).to_have_text("20% (1)")
    expect(figure(page, "age", "distinct")).to_have_text("4")
    expect(figure(page, "age", "min")).to_have_text("20")
    expect(figure(page, "age", "max")).to_have_text("50")
    expect(figure(page, "age", "mean")).to_have_text("35")
    expect(figure(page, "age", "median")).to_have_text("35")
    expect(figure(page, "city", "null_pct")).to_have_text("0%")
    expect(figure(page, "city", "distinct")).to_have_text("3")
    expect(page.locator("[data-profile-column='city'] .profile-top")).to_contain_text("Paris (3)")


def test_sparklines_in_headers_and_words_in_cards(page: Page, base_url: str) -> None:
    open_table(page, base_url)
    expect(page.locator("#profiles")).to_have_attribute("data-state", "ready")
    expect(page.locator("#profiles .profile-card")).to_have_count(4)
    header_spark = page.locator("[role=columnheader] .header-spark svg.spark")
    expect(header_spark.first).to_be_visible()
    assert header_spark.first.get_attribute("aria-hidden") == "true"
    assert header_spark.first.locator("rect").count() > 1
    # The same distribution in words, for people who do not see the picture.
    words = page.locator("[data-profile-column='population'] .profile-words")
    expect(words).to_contain_text("Distribution from")
    card_spark = page.get_by_role("img", name="Distribution of population")
    expect(card_spark).to_be_visible()


def test_profile_card_opens_a_facet(page: Page, base_url: str) -> None:
    open_table(page, base_url)
    expect(page.locator("#profiles")).to_have_attribute("data-state", "ready")
    page.get_by_role("button", name="Show facet for country").click()
    expect(page.locator("#facets section[data-facet-column='country']")).to_have_attribute(
        "data-state", "ready"
    )


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_filled_panels_have_no_serious_axe_violations(
    page: Page, base_url: str, scheme: Literal["light", "dark"]
) -> None:
    page.emulate_media(color_scheme=scheme)
    page.goto(base_url + "#src=testdata/cities.csv&facet=country&facet=founded")
    expect(page.locator("#profiles")).to_have_attribute("data-state", "ready")
    expect(page.locator("#facets section[data-state=ready]")).to_have_count(2)
    add_filter(page, "population", "gt", "abc")  # the inline error is on screen too
    expect(page.locator("#filter-error")).to_be_visible()
    assert serious_axe_violations(page) == []
