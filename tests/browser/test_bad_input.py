"""Bad input gets a role=alert message naming the file or URL and saying what to try;
the app keeps working and the next file loads."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import DATA, open_app, open_files, wait_status

PNG_HEADER = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4


def assert_alert(page: Page, *parts: str) -> None:
    alert = page.get_by_role("alert")
    expect(alert).to_be_visible()
    for part in parts:
        expect(alert).to_contain_text(part)


def assert_next_file_loads(page: Page) -> None:
    open_files(page, DATA / "cities.csv")
    wait_status(page, "Loaded cities.csv")
    expect(page.get_by_role("alert")).to_be_hidden()
    expect(page.get_by_role("grid", name="cities")).to_have_attribute("aria-rowcount", "251")


def test_binary_file_renamed_csv(page: Page, base_url: str, tmp_path: Path) -> None:
    fake = tmp_path / "photo.csv"
    fake.write_bytes(PNG_HEADER)
    open_app(page, base_url)
    open_files(page, fake)
    assert_alert(page, "photo.csv", "PNG image", "CSV")
    expect(page.get_by_role("status")).to_have_text("Could not open photo.csv.")
    assert_next_file_loads(page)


def test_empty_file(page: Page, base_url: str, tmp_path: Path) -> None:
    empty = tmp_path / "nothing.csv"
    empty.write_bytes(b"")
    open_app(page, base_url)
    open_files(page, empty)
    assert_alert(page, "nothing.csv", "empty", "header row")
    assert_next_file_loads(page)


@pytest.mark.console_errors_expected  # Chromium logs the refused connection
def test_unreachable_src_url(page: Page, base_url: str) -> None:
    url = "http://127.0.0.1:9/missing.csv"  # the discard port: nothing listens there
    page.goto(base_url + "#src=" + url)
    assert_alert(page, url, "unreachable", "Open file")
    assert_next_file_loads(page)


@pytest.mark.console_errors_expected  # Chromium logs the 404
def test_src_url_not_found(page: Page, base_url: str) -> None:
    page.goto(base_url + "#src=testdata/no-such-file.csv")
    assert_alert(page, "no-such-file.csv", "HTTP 404")
    assert_next_file_loads(page)


@pytest.fixture
def no_cors_server(tmp_path: Path) -> Iterator[str]:
    """Another origin that serves a CSV without Access-Control-Allow-Origin."""
    (tmp_path / "private.csv").write_text("a,b\n1,2\n")
    handler = partial(QuietHandler, directory=str(tmp_path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.mark.console_errors_expected  # Chromium logs the CORS refusal
def test_url_blocked_by_cors(page: Page, base_url: str, no_cors_server: str) -> None:
    url = no_cors_server + "private.csv"
    open_app(page, base_url)
    page.get_by_label("Open a file from a URL").fill(url)
    page.get_by_role("button", name="Open URL").click()
    assert_alert(page, url, "CORS", "download the file")
    assert_next_file_loads(page)


def test_empty_url_field_explains(page: Page, base_url: str) -> None:
    open_app(page, base_url)
    page.get_by_role("button", name="Open URL").click()
    assert_alert(page, "URL")
    assert_next_file_loads(page)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("javascript:alert(1)", "http and https URLs only"),
        ("file:///etc/passwd", "http and https URLs only"),
        ("http://[::1", "not a valid URL"),
    ],
)
def test_bad_url_is_refused_before_any_request(
    page: Page, base_url: str, text: str, message: str
) -> None:
    open_app(page, base_url)
    page.get_by_label("Open a file from a URL").fill(text)
    page.get_by_role("button", name="Open URL").click()
    assert_alert(page, text, message)
    assert_next_file_loads(page)
