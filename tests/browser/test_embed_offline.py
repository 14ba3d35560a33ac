"""An embedded widget works with Sift's server gone, once a visit has cached Sift's files.

The widget's frames are served by Sift's service worker (precached on the first visit) and
embed.js by the host page's HTTP cache (serve.py gives it a short freshness). The host page and
its data stay reachable here: caching those is the host's business. Chromium here blocks
third-party storage by default, and with it a service worker in another site's frame; this
test launches it with third-party data allowed, as most browsers' defaults still do
(partitioned). Where it is blocked, the widget still works online and says nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Frame, Page

import serve
from bench import host_site
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, READY_TIMEOUT_MS, wait_for_async

CSV = "city,country,pop\nParis,FR,2100000\nLyon,FR,520000\nBerlin,DE,3600000\n"
ALLOW_THIRD_PARTY_DATA = "--disable-features=TrackingProtection3pcd"
PRECACHED_FILES = 40  # the precache manifest lists more than this (build.py)


@pytest.fixture
def host(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """Another site's server: `localhost` while Sift is on 127.0.0.1."""
    with host_site.serving(tmp_path) as url:
        yield tmp_path, url


def widget(page: Page) -> Frame:
    """The widget's frame, once it shows its row count."""
    found: list[Frame] = []
    for _ in range(READY_TIMEOUT_MS // 250):
        found = [frame for frame in page.frames if "/embed.html" in frame.url]
        if found:
            break
        page.wait_for_timeout(250)
    assert found, "no widget frame"
    found[0].wait_for_function(
        "() => document.getElementById('embed-count').textContent !== ''",
        timeout=READY_TIMEOUT_MS,
    )
    return found[0]


def test_a_widget_renders_from_the_cache_once_sift_is_unreachable(
    site: Path, host: tuple[Path, str], browser: Browser, tmp_path_factory: pytest.TempPathFactory
) -> None:
    folder, host_url = host
    server, sift_url = serve.start_server(site)
    (folder / "data.csv").write_text(CSV)
    (folder / "page.html").write_text(
        "<!doctype html><html><body><p>An article.</p>"
        f'<script src="{sift_url}embed.js" data-sift-src="data.csv" data-sift-sort="-pop">'
        "</script></body></html>"
    )
    profile = tmp_path_factory.mktemp("profile")
    # Its own Chromium (the session's one Playwright starts it), with third-party data allowed.
    context = browser.browser_type.launch_persistent_context(
        str(profile), executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, ALLOW_THIRD_PARTY_DATA]
    )
    try:
        page = context.new_page()
        page.goto(host_url + "page.html")
        first = widget(page)
        assert first.locator("#embed-count").text_content() == "3 rows"
        wait_for_async(
            first,
            """async (least) => {
                const keys = await caches.keys();
                if (keys.length !== 1) return false;
                return (await (await caches.open(keys[0])).keys()).length > least;
            }""",
            arg=PRECACHED_FILES,
            timeout_ms=READY_TIMEOUT_MS,
        )
        serve.stop(server)  # Sift's origin is gone: connections are refused

        page.reload()
        again = widget(page)
        assert again.evaluate("document.documentElement.dataset.siftState") == "ready"
        assert again.locator("#embed-count").text_content() == "3 rows"
        first_cell = again.locator('[role=row][aria-rowindex="2"] [role=gridcell]').first
        assert first_cell.text_content() == "Berlin"  # sorted by pop, descending
    finally:
        context.close()
