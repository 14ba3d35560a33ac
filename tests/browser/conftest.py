"""Browser tests: Playwright drives Debian's Chromium against the built site on 127.0.0.1.

The site is built once per run into a temporary folder (build.py --out) and served by
serve.py in-process. Every page fails its test on a console error, an uncaught page error or
a CSP violation, unless the test is marked `console_errors_expected` (it provokes one).
"""

from __future__ import annotations

import re
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Frame, Page, expect, sync_playwright

import build
import serve

DATA = Path(__file__).parent / "data"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
READY_TIMEOUT_MS = 90_000
ASYNC_POLL_MS = 100
# Record CSP violations from the first instant of every document.
CSP_RECORDER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) =>
  window.__cspViolations.push(e.violatedDirective + " " + e.blockedURI));
"""


def pytest_configure(config: pytest.Config) -> None:
    # The engine boots in a few seconds on 2 cores; assertions may span it.
    expect.set_options(timeout=30_000)
    config.addinivalue_line(
        "markers", "console_errors_expected: the test provokes console errors on purpose"
    )


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site")
    assert build.main(["--out", str(out), "--quiet"]) == 0
    shutil.copytree(DATA, out / "testdata")
    return out


@pytest.fixture(scope="session")
def base_url(site: Path) -> Iterator[str]:
    server, url = serve.start_server(site)
    yield url
    serve.stop(server)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@dataclass
class Watch:
    """What a page said that a test may need to assert on or that fails it."""

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context(accept_downloads=True)
    context.add_init_script(CSP_RECORDER)
    yield context
    context.close()


@pytest.fixture
def watch() -> Watch:
    return Watch()


@pytest.fixture
def page(context: BrowserContext, watch: Watch, request: pytest.FixtureRequest) -> Iterator[Page]:
    page = context.new_page()
    attach(page, watch)
    context.on("request", lambda r: watch.requests.append(r.url))
    yield page
    if request.node.get_closest_marker("console_errors_expected") is None:
        assert watch.console_errors == [], "console errors"
        assert watch.page_errors == [], "uncaught page errors"
        assert csp_violations(page) == [], "CSP violations"


def attach(page: Page, watch: Watch) -> None:
    def on_console(message: Any) -> None:
        if message.type == "error":
            watch.console_errors.append(message.text)

    def on_dialog(dialog: Any) -> None:
        watch.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("console", on_console)
    page.on("pageerror", lambda error: watch.page_errors.append(str(error)))
    page.on("dialog", on_dialog)


def csp_violations(page: Page) -> list[str]:
    if page.is_closed():
        return []
    try:
        return list(page.evaluate("window.__cspViolations || []"))
    except Exception:  # the page navigated away mid-check; nothing to read
        return []


def wait_state(page: Page | Frame, state: str = "ready") -> None:
    page.wait_for_function(
        "s => document.documentElement.dataset.siftState === s", arg=state, timeout=READY_TIMEOUT_MS
    )


def wait_for_async(
    target: Page | Frame, function: str, arg: Any = None, timeout_ms: float = 30_000
) -> Any:
    """Evaluate an async JS function until it resolves to something truthy, and return that.

    Not wait_for_function: it does not await its predicate, and a Promise is truthy, so an
    async predicate passes at once (the cause of a flaky reload-before-save test)."""
    deadline = time.monotonic() + timeout_ms / 1000
    while True:
        result = target.evaluate(function, arg)
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"not true within {timeout_ms:.0f} ms: {function}")
        target.wait_for_timeout(ASYNC_POLL_MS)


def open_app(page: Page, base_url: str, fragment: str = "") -> None:
    page.goto(base_url + ("#" + fragment if fragment else ""))
    wait_state(page)


def status_text(page: Page) -> str:
    return page.locator("[role=status]").inner_text()


def wait_status(page: Page, starts_with: str, timeout: float = 30_000) -> str:
    page.wait_for_function(
        "s => document.querySelector('[role=status]').textContent.startsWith(s)",
        arg=starts_with,
        timeout=timeout,
    )
    return status_text(page)


def open_files(page: Page, *paths: Path) -> None:
    page.get_by_label("Open file").set_input_files([str(p) for p in paths])


# PyScript chunks no page or widget should fetch: its plugins (excluded by web/config/mpy.json
# and index.html's <py-config>) and zip.js (the UI ships as a tar: buildtools.bytecode).
UNUSED_PYSCRIPT_CHUNK = re.compile(
    r"/runtime/pyscript/(py-editor|py-game|py-terminal|donkey|deprecations|zip)-"
)
