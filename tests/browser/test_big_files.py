"""Big files: progress while importing, Cancel that stops quickly and keeps nothing, and
files too big for the browser refused before any work starts."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import open_app, open_files, wait_status


@pytest.fixture(scope="module")
def big_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """About 40 MB: long enough to import that progress shows and Cancel has work to stop."""
    path = tmp_path_factory.mktemp("big") / "big.csv"
    row = "{0},name {0},{1},2024-01-{2:02d},{3}\n"
    with path.open("w") as out:
        out.write("id,name,amount,day,note\n")
        out.writelines(
            row.format(i, i * 0.25, i % 28 + 1, "some longer text " * 2) for i in range(700_000)
        )
    return path


def test_progress_then_cancel_stops_quickly_and_keeps_nothing(
    page: Page, base_url: str, big_csv: Path
) -> None:
    open_app(page, base_url)
    open_files(page, big_csv)
    panel = page.locator("#progress")
    expect(panel).to_be_visible(timeout=30_000)
    expect(panel.get_by_role("progressbar")).to_be_visible()
    page.wait_for_function(
        "document.getElementById('progress-text').textContent.includes('rows/s')"
    )
    assert page.locator("#progress-text").inner_text().endswith(" left")
    # How fast Cancel stops is bench/import.py's figure; here, that it stops at all.
    page.get_by_role("button", name="Cancel").click()
    expect(panel).to_be_hidden(timeout=30_000)
    expect(page.get_by_role("status")).to_have_text(
        "Importing big.csv was cancelled: nothing was imported."
    )
    expect(page.get_by_role("alert")).to_be_hidden()
    # Nothing was kept: the same name is free again for the next import.
    small = big_csv.with_name("small") / "big.csv"
    small.parent.mkdir(exist_ok=True)
    small.write_text("a\n1\n")
    open_files(page, small)
    wait_status(page, "Loaded big.csv")
    expect(page.get_by_role("grid", name="big")).to_have_attribute("aria-rowcount", "2")


def test_file_too_big_for_the_browser_is_refused_at_once(
    page: Page, base_url: str, tmp_path: Path
) -> None:
    huge = tmp_path / "huge.csv"
    with huge.open("wb") as out:
        out.truncate(1_500_000_000)  # sparse: no disk space, no real read
    open_app(page, base_url)
    # "At once" means no import ever starts: the progress panel never shows.
    page.evaluate(
        """() => {
            const panel = document.getElementById('progress');
            window.progressShown = false;
            new MutationObserver(() => {
                if (!panel.hidden) window.progressShown = true;
            }).observe(panel, {attributes: true});
        }"""
    )
    open_files(page, huge)
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text(
        "huge.csv is 1.5 GB; Sift in the browser can open files up to 1 GB."
    )
    expect(alert).to_contain_text("split the file")
    assert page.evaluate("window.progressShown") is False
    expect(page.locator("#progress")).to_be_hidden()
