"""axe-core finds no serious or critical accessibility violation on the main views: the empty
start page, a loaded table (grid, header menu closed), an open header menu, and the row
detail. Light and dark colour schemes both, since the colours follow the system."""

from __future__ import annotations

from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from tests.browser.conftest import DATA, open_app, open_files, wait_status

BLOCKING = ("serious", "critical")


def blocking_violations(page: Page) -> list[str]:
    results: dict[str, Any] = Axe().run(page).response
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in results["violations"]
        if v["impact"] in BLOCKING
    ]


@pytest.fixture(params=["light", "dark"])
def scheme(request: pytest.FixtureRequest, page: Page) -> str:
    page.emulate_media(color_scheme=request.param)
    return str(request.param)


def test_start_page(page: Page, base_url: str, scheme: str) -> None:
    open_app(page, base_url)
    assert blocking_violations(page) == []


def test_loaded_table_menu_and_row_detail(page: Page, base_url: str, scheme: str) -> None:
    open_app(page, base_url)
    open_files(page, DATA / "cities.csv")
    wait_status(page, "Loaded cities.csv")
    page.wait_for_function("document.getElementById('table-area').dataset.siftView === 'ready'")
    page.wait_for_function("document.getElementById('profiles').dataset.state === 'ready'")
    assert blocking_violations(page) == []
    header = page.get_by_role("columnheader").first
    header.focus()
    page.keyboard.press("Alt+ArrowDown")
    expect(page.get_by_role("menu")).to_be_visible()
    assert blocking_violations(page) == []
    page.keyboard.press("Escape")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    expect(page.locator("#row-detail")).to_be_visible()
    assert blocking_violations(page) == []
