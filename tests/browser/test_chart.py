"""The chart panel (issue 6): the Chart button charts the current view; its controls, the
accessible picture and 'show data' table, filters, the link, exports, the keyboard, axe, and
a query's result."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.browser.conftest import open_app, wait_state
from tests.browser.explore_helpers import add_filter, open_table, serious_axe_violations, write_csv

ROWS = [
    ("2024-01-01", "fruit", 10),
    ("2024-01-01", "veg", 4),
    ("2024-01-02", "fruit", 7),
    ("2024-01-02", "bread", 3),
    ("2024-01-03", "veg", 9),
    ("2024-01-03", "bread", 2),
    ("2024-01-04", "fruit", 5),
    ("2024-01-05", "veg", 6),
    ("2024-01-06", "bread", 8),
    ("2024-01-06", "fruit", 1),
]
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def sales(tmp_path: Path) -> Path:
    lines = ["day,category,amount"] + [f"{d},{c},{a}" for d, c, a in ROWS]
    return write_csv(tmp_path, "sales.csv", "\n".join(lines) + "\n")


def sums(rows: list[tuple[str, str, int]] = ROWS) -> dict[str, int]:
    totals: dict[str, int] = defaultdict(int)
    for _day, category, amount in rows:
        totals[category] += amount
    return dict(totals)


def panel(page: Page) -> Locator:
    return page.locator("#chart-panel")


def wait_chart(page: Page) -> None:
    expect(panel(page)).to_have_attribute("data-sift-chart", "ready")


def open_chart(page: Page) -> None:
    button = page.get_by_role("button", name="Chart", exact=True)
    button.click()
    expect(button).to_have_attribute("aria-pressed", "true")
    wait_chart(page)


def picture(page: Page) -> Locator:
    return panel(page).locator("svg[role=img]")


def data_rows(page: Page) -> list[list[str]]:
    rows = panel(page).locator("#chart-table tbody tr")
    return [row.locator("td").all_text_contents() for row in rows.all()]


def choose(page: Page, label: str, value: str) -> None:
    panel(page).get_by_label(label, exact=True).select_option(value)


def bar_of_sums(page: Page) -> None:
    choose(page, "Chart type", "bar")
    choose(page, "X axis", "category")
    choose(page, "Y axis", "amount")
    choose(page, "Aggregate", "sum")
    wait_chart(page)
    expect(picture(page).locator("title").first).to_have_text("Sum of amount by category")


def test_defaults_then_a_bar_of_sums_by_category(page: Page, base_url: str, sales: Path) -> None:
    open_table(page, base_url, sales)
    open_chart(page)
    # chart_defaults: a date and a number column give a line of the sum over time.
    expect(panel(page).get_by_label("Chart type")).to_have_value("line")
    expect(panel(page).get_by_label("X axis")).to_have_value("day")
    expect(panel(page).locator("#chart-reason")).to_contain_text("day holds dates")
    expect(picture(page).locator("desc")).to_contain_text("Line chart")
    expect(page.locator("#table-area")).to_be_hidden()
    bar_of_sums(page)
    expect(panel(page).locator("#chart-reason")).to_be_hidden()  # it explained the default
    desc = picture(page).locator("desc")
    expect(desc).to_contain_text("Bar chart of the sum of amount by category")
    expect(desc).to_contain_text("3 categories")
    labelled = picture(page).get_attribute("aria-labelledby") or ""
    assert len(labelled.split()) == 2
    # Show data: every category with its sum, in the order of the bars (largest first).
    panel(page).get_by_text("Show data", exact=True).click()
    table = panel(page).locator("#chart-table")
    expect(table).to_be_visible()
    expect(table.locator("caption")).to_have_text("Sum of amount by category")
    expect(table.locator("th")).to_have_text(["category", "sum of amount"])
    expected = sorted(sums().items(), key=lambda item: -item[1])
    assert data_rows(page) == [[name, str(total)] for name, total in expected]
    # Back to the table, and the link says so.
    page.get_by_role("button", name="Chart", exact=True).click()
    expect(page.locator("#table-area")).to_be_visible()
    expect(panel(page)).to_be_hidden()
    page.wait_for_function("!location.hash.includes('view=chart')")


def test_filters_on_the_view_change_the_chart(page: Page, base_url: str, sales: Path) -> None:
    open_table(page, base_url, sales)
    open_chart(page)
    bar_of_sums(page)
    add_filter(page, "amount", "gte", "5")
    kept = [row for row in ROWS if row[2] >= 5]
    expected = sorted(sums(kept).items(), key=lambda item: -item[1])
    (high, most), (low, least) = expected[0], expected[-1]
    # The filtered view has as many categories as the whole table: wait on the sums.
    extremes = f"highest {high} ({most}), lowest {low} ({least})"
    expect(picture(page).locator("desc")).to_contain_text(extremes)
    wait_chart(page)
    cells = [text for name, total in expected for text in (name, str(total))]
    expect(panel(page).locator("#chart-table tbody td")).to_have_text(cells)
    page.wait_for_function("location.hash.includes('amount__gte=5')")
    assert "view=chart&chart=bar;x:category;y:amount;agg:sum" in page.evaluate("location.hash")


def test_a_link_opens_on_its_chart_after_a_reload(page: Page, base_url: str, sales: Path) -> None:
    open_table(page, base_url, sales)
    open_chart(page)
    bar_of_sums(page)
    page.wait_for_function("location.hash.includes('chart=bar;x:category')")
    link = page.evaluate("location.hash")
    assert link.startswith("#table=sales&view=chart&chart=bar;")
    page.wait_for_timeout(500)  # the table is saved once it is shown
    page.reload()
    wait_state(page)
    wait_chart(page)
    expect(panel(page)).to_be_visible()
    expect(page.get_by_role("button", name="Chart", exact=True)).to_have_attribute(
        "aria-pressed", "true"
    )
    expect(picture(page).locator("title").first).to_have_text("Sum of amount by category")
    expect(panel(page).get_by_label("Chart type")).to_have_value("bar")
    assert page.evaluate("location.hash") == link
    # A link with view=table (or none) shows the table.
    page.goto(base_url + "#table=sales&view=table")
    wait_state(page)
    expect(page.get_by_role("grid", name="sales")).to_be_visible()
    expect(panel(page)).to_be_hidden()


def test_a_chart_with_a_bad_column_says_why_and_the_app_keeps_working(
    page: Page, base_url: str, sales: Path
) -> None:
    open_table(page, base_url, sales)
    page.wait_for_timeout(500)  # saved
    page.goto(base_url + "#table=sales&view=chart&chart=bar;x:nowhere;colour:red")
    wait_state(page)
    expect(panel(page)).to_have_attribute("data-sift-chart", "error")
    error = panel(page).locator("#chart-error")
    expect(error).to_have_attribute("role", "alert")
    expect(error).to_contain_text("nowhere")
    expect(page.get_by_role("status")).to_contain_text("colour:red")
    choose(page, "X axis", "category")
    wait_chart(page)
    expect(error).to_be_hidden()
    expect(picture(page).locator("desc")).to_contain_text("Bar chart")


def test_downloads_svg_and_png(page: Page, base_url: str, sales: Path, tmp_path: Path) -> None:
    open_table(page, base_url, sales)
    open_chart(page)
    bar_of_sums(page)
    with page.expect_download() as svg_download:
        panel(page).get_by_role("button", name="Download SVG").click()
    download = svg_download.value
    assert download.suggested_filename == "sum-of-amount-by-category.svg"
    text = Path(download.path()).read_text(encoding="utf-8")
    assert text.startswith(("<svg", "<?xml"))
    assert "Sum of amount by category" in text
    with page.expect_download() as png_download:
        panel(page).get_by_role("button", name="Download PNG").click()
    download = png_download.value
    assert download.suggested_filename == "sum-of-amount-by-category.png"
    data = Path(download.path()).read_bytes()
    assert data[:8] == PNG_SIGNATURE
    assert len(data) > 1000


def test_keyboard_focus_on_a_mark_shows_its_value(page: Page, base_url: str, sales: Path) -> None:
    open_table(page, base_url, sales)
    open_chart(page)
    bar_of_sums(page)
    stops = panel(page).locator(".focus-mark")
    expect(stops).to_have_count(3)
    page.mouse.move(0, 0)  # away from the chart: hovering a mark shows its value too
    panel(page).get_by_label("Colour by").focus()
    # One tab stop for the chart's values, after the controls.
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    first = stops.nth(0)
    expect(first).to_be_focused()
    top = max(sums().items(), key=lambda item: item[1])
    expect(first).to_have_attribute("aria-label", f"category: {top[0]}, sum of amount: {top[1]}")
    tooltip = panel(page).locator(".chart-tooltip")
    expect(tooltip).to_be_visible()
    expect(tooltip).to_have_text(f"category: {top[0]}, sum of amount: {top[1]}")
    page.keyboard.press("ArrowRight")
    expect(stops.nth(1)).to_be_focused()
    expect(tooltip).to_contain_text("category: ")
    assert tooltip.inner_text() != f"category: {top[0]}, sum of amount: {top[1]}"
    page.keyboard.press("End")
    expect(stops.nth(2)).to_be_focused()
    page.keyboard.press("Tab")
    expect(stops.nth(2)).not_to_be_focused()
    expect(tooltip).to_be_hidden()
    # Hovering a bar shows its value the same way.
    stops.nth(1).hover()
    expect(tooltip).to_be_visible()
    expect(tooltip).to_have_text(stops.nth(1).get_attribute("aria-label") or "?")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_on_the_open_chart(page: Page, base_url: str, sales: Path, scheme: str) -> None:
    page.emulate_media(color_scheme=scheme)  # type: ignore[arg-type]
    open_table(page, base_url, sales)
    open_chart(page)
    bar_of_sums(page)
    panel(page).get_by_text("Show data", exact=True).click()
    panel(page).locator(".focus-mark").first.focus()
    assert serious_axe_violations(page) == []


def test_a_query_result_can_be_charted(page: Page, base_url: str, sales: Path) -> None:
    open_table(page, base_url, sales)
    page.get_by_role("button", name="SQL", exact=True).click()
    editor = page.get_by_role("combobox", name="SQL query")
    editor.fill("select category, sum(amount) as total from sales group by category")
    editor.press("Control+Enter")
    expect(page.get_by_role("grid", name="Query result")).to_have_attribute("aria-rowcount", "4")
    open_chart(page)
    expect(panel(page).get_by_label("Chart type")).to_have_value("bar")
    choose(page, "Y axis", "total")
    wait_chart(page)
    expect(picture(page).locator("title").first).to_have_text("Sum of total by category")
    got = {row[0]: row[1] for row in data_rows(page)}
    assert got == {name: str(total) for name, total in sums().items()}
    page.wait_for_function("location.hash.startsWith('#sql=select')")
    assert re.search(r"&view=chart&chart=bar;x:category;y:total", page.evaluate("location.hash"))


def test_the_chart_button_waits_for_a_table(page: Page, base_url: str) -> None:
    open_app(page, base_url)
    button = page.get_by_role("button", name="Chart", exact=True)
    expect(button).to_have_attribute("aria-disabled", "true")
    button.click(force=True)  # aria-disabled: still focusable, and it says why
    expect(panel(page)).to_be_hidden()
    expect(page.get_by_role("status")).to_have_text("Open a table first: the chart shows its rows.")


def test_a_scatter_of_many_rows_draws_a_sample_and_says_so(
    page: Page, base_url: str, tmp_path: Path
) -> None:
    # 8,000 rows gave a 1 MB reply that the UI's MicroPython heap could not hold: it never drew.
    lines = ["a,b"] + [f"{i * 37 % 1000},{i * 91 % 777}" for i in range(8000)]
    open_table(page, base_url, write_csv(tmp_path, "points.csv", "\n".join(lines) + "\n"))
    open_chart(page)
    expect(panel(page).get_by_label("Chart type", exact=True)).to_have_value("scatter")
    expect(picture(page)).to_be_visible()
    expect(page.locator("#chart-note")).to_have_text("A sample of 2,000 of 8,000 rows is shown.")
    assert picture(page).locator("circle").count() == 2000
