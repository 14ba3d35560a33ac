"""Offline after one visit, and updates: a new build is offered, applied on request, and
the old build's cache is deleted."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page, expect

import build
import serve
from tests.browser.conftest import DATA, open_app, open_files, wait_state, wait_status

CONTROLLED = "navigator.serviceWorker.controller !== null"


def wait_offline_ready(page: Page) -> None:
    """The service worker has precached this build and controls the page."""
    page.wait_for_function(CONTROLLED, timeout=60_000)
    page.evaluate("navigator.serviceWorker.ready")


def cache_names(page: Page) -> list[str]:
    return list(page.evaluate("caches.keys()"))


def test_reload_offline_boots_and_opens_a_local_file(
    context: BrowserContext, page: Page, base_url: str
) -> None:
    open_app(page, base_url)
    wait_offline_ready(page)
    context.set_offline(True)
    try:
        page.reload()
        wait_state(page)
        open_files(page, DATA / "cities.csv")
        assert wait_status(page, "Loaded") == "Loaded cities.csv: 250 rows, 4 columns"
        expect(page.get_by_role("grid", name="cities")).to_have_attribute("aria-rowcount", "251")
    finally:
        context.set_offline(False)


def test_precache_lists_every_file_with_a_hash(site: Path, page: Page, base_url: str) -> None:
    open_app(page, base_url)
    wait_offline_ready(page)
    build_id = page.evaluate("document.documentElement.dataset.siftBuild")
    assert cache_names(page) == [f"sift-precache-{build_id}"]
    cached = page.evaluate(
        """async (name) => (await (await caches.open(name)).keys())
            .map((r) => new URL(r.url).pathname.slice(1)).sort()""",
        f"sift-precache-{build_id}",
    )
    shipped = sorted(
        p.relative_to(site).as_posix()
        for p in site.rglob("*")
        if p.is_file() and p.name != "sw.js" and "testdata" not in p.parts
    )
    assert cached == shipped


@pytest.fixture
def own_site(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """A site of its own, since this test rebuilds it while it is served."""
    assert build.main(["--out", str(tmp_path), "--quiet", "--label", "v1"]) == 0
    server, url = serve.start_server(tmp_path)
    yield tmp_path, url
    serve.stop(server)


def test_reload_with_a_waiting_update_keeps_the_old_build(
    page: Page, own_site: tuple[Path, str]
) -> None:
    folder, url = own_site
    open_app(page, url)
    wait_offline_ready(page)
    first = page.evaluate("document.documentElement.dataset.siftBuild")
    assert build.main(["--out", str(folder), "--quiet", "--label", "v3"]) == 0
    page.reload()  # navigation finds the new service worker, which waits
    wait_state(page)
    assert page.evaluate("document.documentElement.dataset.siftBuild") == first
    expect(page.get_by_role("button", name="Update available — reload")).to_be_visible(
        timeout=60_000
    )


def test_new_build_is_offered_and_applied(page: Page, own_site: tuple[Path, str]) -> None:
    folder, url = own_site
    open_app(page, url)
    wait_offline_ready(page)
    first = page.evaluate("document.documentElement.dataset.siftBuild")
    banner = page.get_by_role("button", name="Update available — reload")
    expect(banner).to_be_hidden()

    assert build.main(["--out", str(folder), "--quiet", "--label", "v2"]) == 0
    # The open page looks again when it is shown: no reload needed to be offered the update.
    page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")
    expect(banner).to_be_visible(timeout=60_000)
    assert page.evaluate("document.documentElement.dataset.siftBuild") == first  # no mixing

    banner.click()
    page.wait_for_function(
        "old => document.documentElement.dataset.siftBuild !== old", arg=first, timeout=60_000
    )
    wait_state(page)
    second = page.evaluate("document.documentElement.dataset.siftBuild")
    assert second != first
    wanted = [f"sift-precache-{second}"]
    deadline = time.monotonic() + 30
    while cache_names(page) != wanted and time.monotonic() < deadline:
        page.wait_for_timeout(200)
    assert cache_names(page) == wanted
