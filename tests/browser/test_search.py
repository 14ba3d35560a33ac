"""Full-text search: substring matches from the search box, the index built in the background
with progress on first search of a big table, searching while it builds, clearing."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

from tests.browser.conftest import wait_status
from tests.browser.explore_helpers import expect_rows, open_table, wait_view, write_csv

PEOPLE = "name,city\nAnn,Paris\nBob,Lyon\nCid,Paris\nDee,Nice\nEve,Marseille\n"
BIG_ROWS = 120_000
NEEDLES = 7  # rows whose note holds "needle-in-hay"

# Record whether the index progress was ever shown, however briefly.
WATCH_PROGRESS = """() => {
  window.__searchProgress = [];
  const box = document.getElementById("search-progress");
  new MutationObserver(() => {
    if (!box.hidden) window.__searchProgress.push(box.textContent.trim());
  }).observe(box, {attributes: true, childList: true, subtree: true, characterData: true});
}"""


def search(page: Page, text: str) -> None:
    page.get_by_label("Search rows").fill(text)
    page.get_by_label("Search rows").press("Enter")


def big_csv(folder: Path) -> Path:
    lines = ["id,note,kind"]
    needles = {1 + i * (BIG_ROWS // NEEDLES) for i in range(NEEDLES)}
    for index in range(BIG_ROWS):
        note = "needle-in-hay" if index in needles else "hay bale " + str(index % 977)
        lines.append(str(index) + "," + note + ",k" + str(index % 13))
    return write_csv(folder, "big.csv", "\n".join(lines) + "\n")


def test_search_finds_substrings(page: Page, base_url: str, tmp_path: Path) -> None:
    open_table(page, base_url, write_csv(tmp_path, "people.csv", PEOPLE))
    search(page, "ari")  # inside "Paris"
    wait_view(page)
    expect_rows(page, 2, "people")
    expect(page.locator("#view-summary")).to_contain_text("“ari”")
    expect(page.get_by_role("status")).to_contain_text("2 of 5 rows")
    # Remove the search from the sentence: all rows again.
    page.get_by_role("button", name="Remove the search for ari").click()
    wait_view(page)
    expect_rows(page, 5, "people")
    expect(page.get_by_label("Search rows")).to_have_value("")


def test_search_as_you_type(page: Page, base_url: str, tmp_path: Path) -> None:
    open_table(page, base_url, write_csv(tmp_path, "people.csv", PEOPLE))
    page.get_by_label("Search rows").press_sequentially("Nic", delay=30)
    expect_rows(page, 1, "people")


def test_index_progress_appears_and_completes(page: Page, base_url: str, tmp_path: Path) -> None:
    open_table(page, base_url, big_csv(tmp_path))
    page.evaluate(WATCH_PROGRESS)
    search(page, "needle-in")
    # Searching works before the index is done (a scan), with the same answer.
    wait_view(page)
    expect_rows(page, NEEDLES, "big")
    wait_status(page, "Search index for big is ready.")
    expect(page.locator("#search-progress")).to_be_hidden()
    seen = page.evaluate("window.__searchProgress")
    assert seen, "the progress never showed"
    assert seen[0].startswith("Indexing for search:")
    # Searching again uses the finished index and finds the same rows.
    search(page, "eedle-in-h")
    wait_view(page)
    expect_rows(page, NEEDLES, "big")
