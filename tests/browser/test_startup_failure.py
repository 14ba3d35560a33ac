"""Start-up failure is final and visible: data-sift-state="failed" and a message."""

from __future__ import annotations

import pytest
from playwright.sync_api import BrowserContext, Page, Route, expect

from tests.browser.conftest import wait_state


def abort(route: Route) -> None:
    route.abort()


def not_found(route: Route) -> None:
    route.fulfill(status=404, body="missing")


@pytest.mark.console_errors_expected  # the failed download is logged
@pytest.mark.parametrize(
    ("asset", "fault"),
    [
        ("pyodide.asm.wasm", abort),
        ("pyodide.asm.wasm", not_found),
        ("python_stdlib.zip", not_found),
        ("engine.zip", abort),
        ("micropython.wasm", abort),
    ],
)
def test_missing_runtime_file_fails_visibly(
    context: BrowserContext, page: Page, base_url: str, asset: str, fault: object
) -> None:
    # On the context, so the service worker's precache requests fail too, as on a real outage.
    context.route(f"**/{asset}", fault)  # type: ignore[arg-type]
    page.goto(base_url)
    wait_state(page, "failed")
    alert = page.get_by_role("alert")
    expect(alert).to_be_visible()
    expect(alert).to_contain_text("could not start")
    expect(alert).to_contain_text("reload the page")
    if asset != "micropython.wasm":  # the UI itself could not start: PyScript's message is shown
        expect(alert).to_contain_text(asset)
    expect(page.get_by_role("status")).to_have_text("Start-up failed.")
