"""Helpers shared by the explore panel tests (filters, facets, profiles, search)."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Locator, Page, expect

from tests.browser.conftest import DATA, open_app, open_files, wait_status

CITIES = DATA / "cities.csv"


def open_table(page: Page, base_url: str, path: Path = CITIES) -> None:
    """Open the app, load one file and wait for its first page in the grid."""
    open_app(page, base_url)
    open_files(page, path)
    wait_status(page, "Loaded " + path.name)
    wait_view(page)


def wait_view(page: Page) -> None:
    expect(page.locator("#table-area")).to_have_attribute("data-sift-view", "ready")


def grid(page: Page, name: str = "cities") -> Locator:
    return page.get_by_role("grid", name=name)


def expect_rows(page: Page, count: int, name: str = "cities") -> None:
    """The view has `count` rows (aria-rowcount counts the header row too)."""
    expect(grid(page, name)).to_have_attribute("aria-rowcount", str(count + 1))


def add_filter(page: Page, column: str, op: str, value: str = "") -> None:
    page.locator("#filter-column").select_option(column)
    page.locator("#filter-op").select_option(op)
    if value:
        page.locator("#filter-value").fill(value)
    page.get_by_role("button", name="Add filter").click()


def write_csv(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def serious_axe_violations(page: Page) -> list[str]:
    """axe-core's serious and critical violations on the page as it is now."""
    from axe_playwright_python.sync_playwright import Axe  # type: ignore[import-untyped]

    results = Axe().run(page)
    found = []
    for violation in results.response["violations"]:
        if violation.get("impact") in ("serious", "critical"):
            targets = [" ".join(node["target"]) for node in violation["nodes"][:3]]
            found.append(violation["id"] + ": " + ", ".join(targets))
    return found
