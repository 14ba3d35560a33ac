"""Security baseline: no request leaves the origin, no CSP violation, and hostile text in
file names, headers and cells shows literally and never runs."""

from __future__ import annotations

import csv
import io

from playwright.sync_api import Page, expect

from tests.browser.conftest import DATA, Watch, csp_violations, open_app, wait_status

# Our own corpus: each payload sets window.__pwned (or opens a dialog) if it ever runs.
PAYLOADS = [
    "<script>window.__pwned='script'</script>",
    "<img src=x onerror=\"window.__pwned='img'\">",
    "<svg onload=\"window.__pwned='svg'\"><script>window.__pwned='svg2'</script></svg>",
    '<script type="py">import js; js.window.__pwned = "py"</script>',
    '<script type="mpy">import js; js.window.__pwned = "mpy"</script>',
    "<py-script>import js; js.window.__pwned = 'py-script'</py-script>",
    "javascript:window.__pwned='url'",
    "<a href=\"javascript:window.__pwned='href'\">click me</a>",
    "<iframe srcdoc=\"<script>parent.__pwned='srcdoc'</script>\"></iframe>",
    "<math><mtext><table><mglyph><style><img src=x onerror=\"window.__pwned='mxss'\">",
    '"><svg><foreignObject><body onload="window.__pwned=\'fo\'"></foreignObject></svg>',
    "<details open ontoggle=\"window.__pwned='toggle'\">",
    "<object data=\"data:text/html,<script>alert('object')</script>\"></object>",
    "<img src=x onerror=alert('dialog')>",
    "<style>*{display:none!important}</style>",
    "&lt;b&gt;entity&lt;/b&gt; &#106;avascript:alert(1)",
]
HOSTILE_NAME = "<img src=x onerror=alert('name')>.csv"


def hostile_csv() -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["id", *PAYLOADS[:4]])
    for index, payload in enumerate(PAYLOADS):
        writer.writerow([index, payload, payload, payload, payload])
    return out.getvalue().encode()


def assert_nothing_ran(page: Page, watch: Watch) -> None:
    page.wait_for_timeout(500)  # give any injected handler its chance
    assert page.evaluate("window.__pwned") is None
    assert watch.dialogs == []
    assert csp_violations(page) == []
    # Every place that shows user data; Sift's own sparklines are the only SVG allowed.
    area = page.locator("#table-area, #alert, #status, #view-bar, #facets, #profiles, #row-detail")
    for tag in ("script", "img", "iframe", "object", "style", "py-script", "a", "details"):
        expect(area.locator(tag)).to_have_count(0)
    expect(area.locator("svg:not(svg.spark)")).to_have_count(0)
    expect(area.locator("svg.spark *:not(line, rect)")).to_have_count(0)


def test_hostile_name_header_and_cells_show_literally(
    page: Page, base_url: str, watch: Watch
) -> None:
    open_app(page, base_url)
    page.get_by_label("Open file").set_input_files(
        files=[{"name": HOSTILE_NAME, "mimeType": "text/csv", "buffer": hostile_csv()}]
    )
    assert wait_status(page, "Loaded").startswith(f"Loaded {HOSTILE_NAME}: {len(PAYLOADS)} rows")
    grid = page.get_by_role("grid")
    expect(grid.get_by_role("columnheader")).to_have_text(["id", *PAYLOADS[:4]])
    rows = grid.locator("tbody [role=row]")
    for index, payload in enumerate(PAYLOADS):
        expect(rows.nth(index).get_by_role("gridcell").nth(1)).to_have_text(payload)
    assert_nothing_ran(page, watch)


def test_hostile_name_in_an_error_shows_literally(page: Page, base_url: str, watch: Watch) -> None:
    open_app(page, base_url)
    page.get_by_label("Open file").set_input_files(
        files=[{"name": HOSTILE_NAME, "mimeType": "text/csv", "buffer": b""}]
    )
    expect(page.get_by_role("alert")).to_contain_text(HOSTILE_NAME)
    assert_nothing_ran(page, watch)


def test_every_request_during_boot_and_import_is_same_origin(
    page: Page, base_url: str, watch: Watch
) -> None:
    open_app(page, base_url)
    page.get_by_label("Open file").set_input_files(str(DATA / "cities.csv"))
    wait_status(page, "Loaded cities.csv")
    page.goto(base_url + "#src=testdata/semicolon.csv")
    wait_status(page, "Loaded semicolon.csv")
    assert watch.requests, "no request was recorded"
    foreign = [
        url
        for url in watch.requests
        if not url.startswith((base_url, "blob:" + base_url[:-1], "data:"))
    ]
    assert foreign == []


def test_csp_header_is_sent_and_not_violated(page: Page, base_url: str) -> None:
    response = page.goto(base_url)
    assert response is not None
    policy = response.headers["content-security-policy"]
    for directive in ("default-src 'self'", "object-src 'none'", "base-uri 'none'"):
        assert directive in policy
    open_app(page, base_url)
    page.get_by_label("Open file").set_input_files(str(DATA / "cities.csv"))
    wait_status(page, "Loaded cities.csv")
    assert csp_violations(page) == []
