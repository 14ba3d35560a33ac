"""Issue 7, embedding (docs/embed-contract.md): one script tag puts a live table or chart of a
data file on any web page. The host page here is on a second origin (`http://localhost:<port>`,
another site than Sift's `http://127.0.0.1:<port>`), served by a small server of this file that
sends `Access-Control-Allow-Origin: *` with every file except those under `nocors/`.

Each widget is an iframe inside a closed shadow root: the tests reach it through Playwright's
frame list (`page.frames`), never through the host's DOM."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe  # type: ignore[import-untyped]
from playwright.sync_api import BrowserContext, ConsoleMessage, Frame, Page, expect

from bench import host_site
from bench.host_site import NO_CORS
from tests.browser.conftest import (
    READY_TIMEOUT_MS,
    UNUSED_PYSCRIPT_CHUNK,
    Watch,
    attach,
    wait_state,
)

# Four cities: sorted by -pop Berlin comes first, by city Amsterdam, in file order Paris.
CITIES_CSV = (
    "city,country,pop\nParis,FR,2100000\nLyon,FR,520000\nBerlin,DE,3600000\nAmsterdam,NL,900000\n"
)
RED = "rgb(255, 0, 0)"
# The host page's own realm (top frame only): uncaught errors and rejected promises.
HOST_ERRORS = """
if (window.top === window) {
  window.__hostErrors = [];
  addEventListener("error", (e) => window.__hostErrors.push("error: " + e.message));
  addEventListener("unhandledrejection", (e) => window.__hostErrors.push("rejection: " + e.reason));
}
"""
# In a widget frame: the city of the first row its grid showed, and the grid's aria-rowcount
# then. In the engine frame: when its MicroPython began serving widgets (siftServeWidgets).
FIRST_SHOWN = """
if (location.pathname.endsWith("/embed.html")) {
  new MutationObserver((records, observer) => {
    const cell = document.querySelector("[role=grid] [role=row]:not([hidden]) [role=gridcell]");
    if (cell === null || !cell.textContent.trim()) return;
    const rows = document.querySelector("[role=grid]").getAttribute("aria-rowcount");
    window.__firstShown = { city: cell.textContent.trim(), rows };
    observer.disconnect();
  }).observe(document, { childList: true, subtree: true, characterData: true, attributes: true });
}
if (location.pathname.endsWith("/embed-engine.html")) {
  let serve = null;
  Object.defineProperty(window, "siftServeWidgets", {
    configurable: true,
    set(value) { serve = value; },
    get() {
      return (attach) => {
        window.__servingAt = window.__servingAt || performance.timeOrigin + performance.now();
        return serve(attach);
      };
    },
  });
}
"""
# A host paragraph's styles that no layout change can alter (widths would, with a scrollbar).
HOST_STYLE_KEYS = (
    "color",
    "background-color",
    "font-family",
    "font-size",
    "font-weight",
    "line-height",
    "margin-top",
    "display",
    "visibility",
    "letter-spacing",
    "text-align",
)
# Recorded by an inline host script before embed.js runs: what the host had without Sift.
RECORD_HOST = """<script>
document.documentElement.dataset.before = JSON.stringify({
  keys: Object.keys(window),
  sheets: document.styleSheets.length,
  styles: document.querySelectorAll("style, link").length,
  paragraph: KEYS.map((k) => getComputedStyle(document.getElementById("host-text")).getPropertyValue(k)),
});
</script>""".replace("KEYS", repr(list(HOST_STYLE_KEYS)))
HOST_NOW = """() => ({
  keys: Object.keys(window),
  sheets: document.styleSheets.length,
  styles: document.querySelectorAll("style, link").length,
  paragraph: KEYS.map((k) => getComputedStyle(document.getElementById("host-text")).getPropertyValue(k)),
})""".replace("KEYS", repr(list(HOST_STYLE_KEYS)))


class Host:
    """Another site's pages: `page(name, body)` writes one and returns its URL."""

    def __init__(self, folder: Path, url: str, sift: str) -> None:
        self.folder, self.url, self.sift = folder, url, sift
        self.embed_js = sift + "embed.js"

    def page(self, name: str, body: str, head: str = "") -> str:
        html = (
            '<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>Host</title>'
            f"{head}</head>\n<body>\n{body}\n</body></html>\n"
        )
        (self.folder / name).write_text(html, encoding="utf-8")
        return self.url + name

    def script(self, **attributes: str) -> str:
        """`<script src=embed.js data-sift-…>`: keyword `sort` is `data-sift-sort`."""
        pairs = "".join(f' data-sift-{key}="{value}"' for key, value in attributes.items())
        return f'<script src="{self.embed_js}"{pairs}></script>'


@pytest.fixture(scope="module")
def host(base_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Host]:
    """A second origin on 127.0.0.1, reached as `localhost` (a cross-site host for Sift)."""
    assert "127.0.0.1" in base_url
    folder = tmp_path_factory.mktemp("host")
    (folder / "data.csv").write_text(CITIES_CSV, encoding="utf-8")
    (folder / "favicon.ico").write_bytes(b"")  # browsers ask for it: no 404 in the console
    (folder / NO_CORS).mkdir()
    shutil.copy(folder / "data.csv", folder / NO_CORS / "data.csv")
    with host_site.serving(folder) as url:
        yield Host(folder, url, base_url)


@pytest.fixture
def console(page: Page) -> list[ConsoleMessage]:
    """Every console message of the page (all its frames), and the host realm's error log."""
    page.add_init_script(HOST_ERRORS)
    messages: list[ConsoleMessage] = []
    page.on("console", lambda message: messages.append(message))
    return messages


def host_realm_problems(page: Page, host: Host, messages: list[ConsoleMessage]) -> list[str]:
    """Errors of the host page itself: its uncaught errors, and console errors from its own
    document or from embed.js (errors from Sift's frames or failed fetches do not count)."""
    own = {page.url, host.embed_js}
    logged = [m.text for m in messages if m.type == "error" and m.location.get("url", "") in own]
    return logged + list(page.evaluate("window.__hostErrors"))


def widgets(page: Page, count: int) -> list[Frame]:
    """The page's widget frames, top to bottom (they load once the engine frame has)."""
    frames: list[Frame] = []
    for _ in range(READY_TIMEOUT_MS // 250):
        frames = [f for f in page.frames if "/embed.html" in f.url]
        if len(frames) >= count:
            break
        page.wait_for_timeout(250)
    assert len(frames) == count, [f.url for f in page.frames]
    return sorted(frames, key=lambda f: top_of(f))


def top_of(frame: Frame) -> float:
    box = frame.frame_element().bounding_box()
    assert box is not None, "a widget's frame is not displayed"
    return box["y"]


def wait_ready(frame: Frame) -> None:
    frame.wait_for_function(
        "document.documentElement.dataset.siftState === 'ready'", timeout=READY_TIMEOUT_MS
    )


def expect_count(frame: Frame, text: str) -> None:
    expect(frame.locator("#embed-count")).to_have_text(text, timeout=READY_TIMEOUT_MS)


def first_row(frame: Frame) -> list[str]:
    row = frame.locator('[role=grid] tbody [role=row][aria-rowindex="2"]')
    expect(row).not_to_have_attribute("aria-busy", re.compile(".*"))
    return [text.strip() for text in row.get_by_role("gridcell").all_inner_texts()]


def expect_first_city(frame: Frame, city: str) -> None:
    cell = frame.locator('[role=grid] tbody [role=row][aria-rowindex="2"] [role=gridcell]')
    expect(cell.first).to_have_text(city)


def header(frame: Frame | Page, column: str) -> Any:
    return frame.locator(f'[role=columnheader][data-column="{column}"]')


def expect_alert(frame: Frame, pattern: str) -> None:
    alert = frame.locator("#alert")
    expect(alert).to_be_visible(timeout=READY_TIMEOUT_MS)
    expect(alert).to_have_attribute("role", "alert")
    expect(alert).to_contain_text(re.compile(pattern, re.I))


def expect_sorted_table(frame: Frame) -> None:
    """The cities table sorted by population, descending: Berlin first, 4 rows."""
    wait_ready(frame)
    expect_count(frame, "4 rows")
    expect(frame.get_by_role("grid", name="data")).to_be_visible()
    expect(header(frame, "pop")).to_have_attribute("aria-sort", "descending")
    expect_first_city(frame, "Berlin")


def test_one_script_tag_shows_a_sorted_table_to_sort_and_search(
    page: Page, host: Host, console: list[ConsoleMessage]
) -> None:
    """A host writes one script tag with a relative data-sift-src: the visitor sees the table,
    sorted as the tag says, with its row count; a header click sorts and a search filters."""
    page.goto(host.page("one.html", "<h1>Cities</h1>\n" + host.script(src="data.csv", sort="-pop")))
    (widget,) = widgets(page, 1)
    expect_sorted_table(widget)
    assert first_row(widget) == ["Berlin", "DE", "3,600,000"]
    header(widget, "city").locator(".header-sort").click()
    expect(header(widget, "city")).to_have_attribute("aria-sort", "ascending")
    expect_first_city(widget, "Amsterdam")
    assert header(widget, "pop").get_attribute("aria-sort") is None
    search = widget.get_by_label("Search rows")
    search.fill("Lyon")
    search.press("Enter")
    expect_count(widget, "1 of 4 rows")
    expect_first_city(widget, "Lyon")
    assert host_realm_problems(page, host, console) == []


def test_three_widgets_on_a_page_share_one_engine(
    page: Page, host: Host, watch: Watch, console: list[ConsoleMessage]
) -> None:
    """A page with a table, a chart and a filtered table starts Python once: one engine frame,
    one download of Pyodide, and all three widgets show their view."""
    body = "\n<p>between</p>\n".join(
        [
            host.script(src="data.csv", sort="-pop"),
            host.script(src="data.csv", view="chart", chart="bar;x:country;y:pop;agg:sum"),
            host.script(src="data.csv", filter="country__exact=FR"),
        ]
    )
    page.goto(host.page("three.html", body))
    table, chart, filtered = widgets(page, 3)
    expect_sorted_table(table)
    wait_ready(chart)
    svg = chart.locator("#chart-panel svg[role=img]")
    expect(svg).to_be_visible(timeout=READY_TIMEOUT_MS)
    expect(svg.locator(":scope > title")).to_have_count(1)
    assert svg.locator(":scope > title").text_content()
    # A chart widget builds no table (it has no way to show one: "Open in Sift" does).
    expect(chart.locator("[role=grid]")).to_have_count(0)
    expect_count(chart, "4 rows")
    wait_ready(filtered)
    expect_count(filtered, "2 of 4 rows")
    expect(filtered.get_by_role("grid", name="data")).to_be_visible()
    engines = [f for f in page.frames if "/embed-engine.html" in f.url]
    assert len(engines) == 1
    assert len([url for url in watch.requests if url.endswith("/pyodide.asm.wasm")]) == 1
    # One MicroPython runs the three widgets' interfaces (sift.ui.widgets).
    assert len([url for url in watch.requests if url.endswith("/micropython.wasm")]) == 1
    # A widget's start fetches nothing it does not use: none of PyScript's plugins, no zip.js.
    assert any(url.endswith("/runtime/pyscript/core.js") for url in watch.requests)
    assert [url for url in watch.requests if UNUSED_PYSCRIPT_CHUNK.search(url)] == []
    assert host_realm_problems(page, host, console) == []


def test_a_sift_view_element_works_like_the_script_tag(
    page: Page, host: Host, console: list[ConsoleMessage]
) -> None:
    """Once embed.js is on the page, `<sift-view src=… sort=…>` shows the same widget."""
    body = f'<script src="{host.embed_js}"></script>\n<sift-view src="data.csv" sort="-pop"></sift-view>'
    page.goto(host.page("element.html", body))
    (widget,) = widgets(page, 1)
    expect_sorted_table(widget)
    header(widget, "pop").locator(".header-sort").click()
    expect(header(widget, "pop")).not_to_have_attribute("aria-sort", "descending")
    expect_first_city(widget, "Paris")  # the third click removes the sort: file order
    assert host_realm_problems(page, host, console) == []


def test_hostile_host_css_cannot_hide_the_widget_and_the_widget_leaves_the_host_alone(
    page: Page, host: Host, console: list[ConsoleMessage]
) -> None:
    """A host's CSS that hides tables and frames and paints everything red does not reach the
    widget; the widget adds no stylesheet, no style and no global name to the host."""
    hostile = "<style>* { color: red !important } table { display: none } iframe { display: none }</style>"
    body = "\n".join(
        [
            '<p id="host-text">Host text</p>',
            RECORD_HOST,
            host.script(src="data.csv", sort="-pop"),
        ]
    )
    page.goto(host.page("hostile.html", body, head=hostile))
    (widget,) = widgets(page, 1)
    box = widget.frame_element().bounding_box()
    assert box is not None
    assert box["width"] > 0
    assert box["height"] > 0
    expect_sorted_table(widget)
    cell = widget.locator('[role=grid] tbody [role=row][aria-rowindex="2"] [role=gridcell]').first
    expect(cell).to_be_visible()
    assert cell.evaluate("c => getComputedStyle(c).color") != RED
    assert page.evaluate("getComputedStyle(document.getElementById('host-text')).color") == RED
    before = page.evaluate("JSON.parse(document.documentElement.dataset.before)")
    now = page.evaluate(HOST_NOW)
    assert set(now["keys"]) - set(before["keys"]) == set()
    assert now["sheets"] == before["sheets"]
    assert now["styles"] == before["styles"]
    assert now["paragraph"] == before["paragraph"]
    assert page.evaluate("typeof customElements.get('sift-view')") == "function"
    assert host_realm_problems(page, host, console) == []


BAD_ATTRIBUTES = [
    pytest.param({"sort": "-pop"}, "data-sift-src", None, id="no-src"),
    pytest.param({"src": "http://[bad"}, "address|URL", None, id="bad-url"),
    # An unknown view falls back to the table; the message stays once the table is in.
    pytest.param({"src": "data.csv", "view": "graph"}, "graph", "4 rows", id="unknown-view"),
    pytest.param(
        {"src": "data.csv", "colour": "red"}, "data-sift-colour", "4 rows", id="unknown-attribute"
    ),
    pytest.param({"src": "data.csv", "sql": "SELEC broken"}, "syntax error", None, id="broken-sql"),
    # The view cannot be shown: the loaded table is, in file order, under the message.
    pytest.param(
        {"src": "data.csv", "sort": "nosuch"}, "no such column", "4 rows", id="unknown-sort"
    ),
    pytest.param(
        {"src": "missing.csv"},
        "404|not found",
        None,
        id="missing-file",
        marks=pytest.mark.console_errors_expected,
    ),
    pytest.param(
        {"src": NO_CORS + "data.csv"},
        "CORS|Access-Control-Allow-Origin",
        None,
        id="no-cors",
        marks=pytest.mark.console_errors_expected,
    ),
]


@pytest.mark.parametrize(("attributes", "message", "count"), BAD_ATTRIBUTES)
def test_a_bad_attribute_is_explained_inside_its_widget_only(
    page: Page,
    host: Host,
    console: list[ConsoleMessage],
    attributes: dict[str, str],
    message: str,
    count: str | None,
) -> None:
    """A widget whose tag is wrong says what is wrong inside its own frame (role=alert); the
    host page's text and another widget on the same page are untouched. (The missing file and
    the file without CORS make the browser log the failed fetch in Sift's frame; the host
    page's own realm stays quiet.)"""
    body = "\n".join(
        [
            host.script(**attributes),
            '<p id="host-text">Host text</p>',
            host.script(src="data.csv", sort="-pop"),
        ]
    )
    page.goto(host.page("bad.html", body))
    bad, good = widgets(page, 2)
    expect_sorted_table(good)
    expect(good.locator("#alert")).to_be_hidden()
    if count is not None:
        expect_count(bad, count)
    expect_alert(bad, message)
    expect(page.locator("#host-text")).to_have_text("Host text")
    assert host_realm_problems(page, host, console) == []


def test_open_in_sift_shows_the_same_view_in_the_app(
    page: Page, host: Host, context: BrowserContext, watch: Watch
) -> None:
    """ "Open in Sift" opens the full app in a new tab on the widget's table, sorted the same."""
    page.goto(host.page("open.html", host.script(src="data.csv", sort="-pop")))
    (widget,) = widgets(page, 1)
    expect_sorted_table(widget)
    with context.expect_page() as opened:
        widget.get_by_role("link", name="Open in Sift").click()
    app = opened.value
    attach(app, watch)
    wait_state(app)
    fragment = app.evaluate("decodeURIComponent(location.hash)")
    assert "src=" + host.url + "data.csv" in fragment
    assert "sort=-pop" in fragment
    assert app.url.startswith(host.sift + "index.html#")
    grid = app.get_by_role("grid", name="data")
    expect(grid).to_be_visible(timeout=READY_TIMEOUT_MS)
    expect(app.locator('[role=columnheader][data-column="pop"]')).to_have_attribute(
        "aria-sort", "descending"
    )
    first = grid.locator('tbody [role=row][aria-rowindex="2"] [role=gridcell]').first
    expect(first).to_have_text("Berlin")


def test_theme_and_height_attributes(page: Page, host: Host, console: list[ConsoleMessage]) -> None:
    """data-sift-theme="dark" gives a dark widget and "light" a light one, whatever the system;
    data-sift-height="300" makes the widget 300 pixels tall."""
    body = "\n".join(
        [
            host.script(src="data.csv", theme="dark", height="300"),
            host.script(src="data.csv", theme="light"),
        ]
    )
    page.goto(host.page("themes.html", body))
    dark, light = widgets(page, 2)
    wait_ready(dark)
    wait_ready(light)
    background = "getComputedStyle(document.body).backgroundColor"
    assert dark.evaluate(background) == "rgb(13, 17, 23)"
    assert light.evaluate(background) == "rgb(255, 255, 255)"
    box = dark.frame_element().bounding_box()
    assert box is not None
    assert box["height"] == 300
    other = light.frame_element().bounding_box()
    assert other is not None
    assert other["height"] == 420
    assert host_realm_problems(page, host, console) == []


def test_a_widget_is_accessible_and_reached_by_tab(
    page: Page, host: Host, console: list[ConsoleMessage]
) -> None:
    """axe-core finds no serious or critical problem inside a widget, and Tab from the host
    page's last link moves into the widget."""
    body = '<a id="before" href="#top">Host link</a>\n' + host.script(src="data.csv", sort="-pop")
    page.goto(host.page("a11y.html", body))
    (widget,) = widgets(page, 1)
    expect_sorted_table(widget)
    results: dict[str, Any] = Axe().run(widget).response
    blocking = [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
        for v in results["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert blocking == []
    page.locator("#before").focus()
    page.keyboard.press("Tab")
    widget.wait_for_function("document.hasFocus() && document.activeElement !== document.body")
    # The search field (the widget's first control) or the grid has the focus.
    search = widget.get_by_label("Search rows").element_handle()
    grid = widget.get_by_role("grid", name="data").element_handle()
    assert widget.evaluate(
        "([search, grid]) => document.activeElement === search"
        " || grid.contains(document.activeElement)",
        [search, grid],
    )
    assert host_realm_problems(page, host, console) == []


def test_a_host_with_a_strict_csp_needs_only_sifts_origin_in_script_and_frame_src(
    page: Page, host: Host, console: list[ConsoleMessage]
) -> None:
    """The README's promise: a host whose policy allows Sift's origin in script-src and
    frame-src (no inline script or style, no eval) shows the widget."""
    sift = host.sift.rstrip("/")
    policy = (
        f"default-src 'self'; script-src 'self' {sift}; frame-src {sift}; style-src 'self'; "
        "object-src 'none'; base-uri 'none'"
    )
    head = f'<meta http-equiv="Content-Security-Policy" content="{policy}">'
    page.goto(host.page("csp.html", host.script(src="data.csv", sort="-pop"), head=head))
    (widget,) = widgets(page, 1)
    expect_sorted_table(widget)
    assert page.evaluate("window.__cspViolations || []") == []
    assert host_realm_problems(page, host, console) == []


def test_sql_that_would_change_data_is_refused_inside_the_widget(
    page: Page, host: Host, console: list[ConsoleMessage]
) -> None:
    """data-sift-sql runs read-only: DROP TABLE is refused with a message in the widget."""
    page.goto(host.page("drop.html", host.script(src="data.csv", sql="DROP TABLE data")))
    (widget,) = widgets(page, 1)
    expect_alert(widget, "read")
    assert host_realm_problems(page, host, console) == []


def test_the_apps_embed_code_shows_the_same_view_on_a_host_page(
    page: Page, host: Host, base_url: str, context: BrowserContext, watch: Watch
) -> None:
    """The app's Embed button gives a script tag; pasted in a host page, it shows the same
    table sorted the same way."""
    page.goto(base_url + "#src=" + host.url + "data.csv&sort=-pop")
    wait_state(page)
    expect(page.get_by_role("grid", name="data")).to_be_visible(timeout=READY_TIMEOUT_MS)
    # The link's sort applies after the first page shows; Embed writes the view on screen.
    expect(header(page, "pop")).to_have_attribute("aria-sort", "descending")
    page.get_by_role("button", name="Embed", exact=True).click()
    dialog = page.get_by_role("dialog", name="Embed this view")
    expect(dialog).to_be_visible()
    code = dialog.get_by_role("textbox", name="Embed code").input_value()
    assert code.startswith("<script ")
    assert "data-sift-src=" in code
    assert 'data-sift-sort="-pop"' in code
    visitor = context.new_page()
    attach(visitor, watch)
    visitor.goto(host.page("pasted.html", "<h1>Pasted</h1>\n" + code))
    (widget,) = widgets(visitor, 1)
    expect_sorted_table(widget)


def test_widgets_sharing_one_interpreter_are_driven_apart(
    page: Page, host: Host, console: list[ConsoleMessage]
) -> None:
    """One MicroPython runs every widget of a page (sift.ui.widgets): a search in one widget,
    then a sort in the other, change only the widget they were made in (its rows, its count,
    its own frame's address)."""
    body = host.script(src="data.csv", sort="-pop") + "\n" + host.script(src="data.csv")
    page.goto(host.page("two.html", body))
    first, second = widgets(page, 2)
    expect_sorted_table(first)
    wait_ready(second)
    expect_count(second, "4 rows")
    search = first.get_by_label("Search rows")
    search.fill("Lyon")
    search.press("Enter")
    expect_count(first, "1 of 4 rows")
    header(second, "city").locator(".header-sort").click()
    expect(header(second, "city")).to_have_attribute("aria-sort", "ascending")
    expect_first_city(second, "Amsterdam")
    expect_count(second, "4 rows")
    expect_first_city(first, "Lyon")
    assert header(first, "city").get_attribute("aria-sort") is None
    first_hash, second_hash = (frame.evaluate("location.hash") for frame in (first, second))
    assert "q=Lyon" in first_hash
    assert "sort=city" not in first_hash
    assert "sort=city" in second_hash
    assert "q=" not in second_hash
    assert host_realm_problems(page, host, console) == []


def test_embed_html_opened_by_itself_runs_its_own_engine(
    page: Page, host: Host, base_url: str, watch: Watch
) -> None:
    """Without a host page's id in its fragment, embed.html starts PyScript, MicroPython and an
    engine of its own (embed-client.js), and shows its data as a widget does."""
    page.goto(base_url + "embed.html#src=" + host.url + "data.csv&sort=-pop")
    expect_sorted_table(page.main_frame)
    assert any(url.endswith("/micropython.wasm") for url in watch.requests)
    assert any(url.endswith("/pyodide.asm.wasm") for url in watch.requests)
    assert [f.url for f in page.frames if "/embed-engine.html" in f.url] == []


@pytest.mark.console_errors_expected
def test_a_widget_without_its_engine_frame_says_so(page: Page, host: Host) -> None:
    """A widget frame whose page id names no engine frame (made by hand, not by embed.js)
    fails with a message inside it, instead of waiting for ever."""
    frame = (
        f'<iframe src="{host.sift}embed.html#engine=abcdef1234567890&amp;src=data.csv"></iframe>'
    )
    page.goto(host.page("no-engine.html", frame))
    (widget,) = widgets(page, 1)
    wait_state(widget, "failed")
    expect_alert(widget, "Sift could not start: this widget's engine frame cannot be found")


@pytest.mark.console_errors_expected
def test_an_engine_frame_that_cannot_start_is_explained_in_every_widget(
    page: Page, host: Host
) -> None:
    """The page's one MicroPython cannot start (its UI archive is missing): each widget says
    Sift could not start, with PyScript's reason."""
    page.route("**/app/ui.tar", lambda route: route.fulfill(status=404, body="gone"))
    body = host.script(src="data.csv") + "\n" + host.script(src="data.csv", view="chart")
    page.goto(host.page("broken.html", body))
    for widget in widgets(page, 2):
        wait_state(widget, "failed")
        expect_alert(widget, "Sift could not start")


def test_a_widget_shows_its_first_rows_as_its_host_asked_and_loads_once_the_engine_serves(
    page: Page, host: Host
) -> None:
    """A widget's first rows are sorted and filtered as its tag says: the file's own first
    page, which the load brings, is never shown before them. And widget frames load only once
    the engine frame's MicroPython serves them: loading them while the engine's worker starts
    slowed that start down (bench/embed.py); a message that looks like the engine frame's but
    comes from elsewhere does not load them sooner."""
    page.add_init_script(FIRST_SHOWN)
    body = "\n".join(
        [
            host.script(src="data.csv", sort="-pop"),
            host.script(src="data.csv", filter="country__exact=FR", sort="city"),
            # Not the engine frame's word (RELIABILITY J3): ignored.
            '<script>postMessage({ siftEngine: "serving" }, "*");</script>',
        ]
    )
    page.goto(host.page("first-rows.html", body))
    by_pop, french = widgets(page, 2)
    expect_sorted_table(by_pop)
    expect_count(french, "2 of 4 rows")
    expect_first_city(french, "Lyon")
    assert by_pop.evaluate("window.__firstShown") == {"city": "Berlin", "rows": "5"}
    assert french.evaluate("window.__firstShown") == {"city": "Lyon", "rows": "3"}
    (engine,) = [frame for frame in page.frames if "/embed-engine.html#" in frame.url]
    serving = engine.evaluate("window.__servingAt")
    assert isinstance(serving, (int, float))  # a whole number of ms arrives as an int
    for widget in (by_pop, french):
        assert widget.evaluate("performance.timeOrigin") >= serving


@pytest.mark.console_errors_expected
def test_widgets_load_when_the_engine_frame_never_says_it_serves(page: Page, host: Host) -> None:
    """An engine frame that fails before it can say so (its script is missing) holds the
    widgets back only a few seconds: they load, and say that Sift could not start."""
    page.route("**/embed-engine.js", lambda route: route.fulfill(status=404, body="gone"))
    page.goto(host.page("silent.html", host.script(src="data.csv")))
    (widget,) = widgets(page, 1)
    wait_state(widget, "failed")
    expect_alert(widget, "Sift could not start")


def test_a_reloaded_widget_frame_shows_its_view_again_from_the_shared_engine(
    page: Page, host: Host, watch: Watch, console: list[ConsoleMessage]
) -> None:
    """A widget frame that reloads (the browser's "Reload frame", or a host moving its element)
    is a new document with its view in its fragment: it attaches to the page's engine frame
    again (no second Pyodide), and the other widget keeps working."""
    body = host.script(src="data.csv", sort="-pop") + "\n" + host.script(src="data.csv")
    page.goto(host.page("reload.html", body))
    first, second = widgets(page, 2)
    expect_sorted_table(first)
    wait_ready(second)
    first.evaluate("window.__before = true; location.reload()")
    first.wait_for_function(
        "!window.__before && document.documentElement.dataset.siftState === 'ready'",
        timeout=READY_TIMEOUT_MS,
    )
    expect_sorted_table(first)
    search = second.get_by_label("Search rows")
    search.fill("Lyon")
    search.press("Enter")
    expect_count(second, "1 of 4 rows")
    expect_count(first, "4 rows")
    assert len([url for url in watch.requests if url.endswith("/pyodide.asm.wasm")]) == 1
    assert len([url for url in watch.requests if url.endswith("/micropython.wasm")]) == 1
    assert host_realm_problems(page, host, console) == []
