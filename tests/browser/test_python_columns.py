"""Add column (issue 5): a Python expression previewed on the first rows as it is typed, then
stored as a new column of the table; failing rows and syntax errors answered in place, an
endless expression stopped by Cancel, the dialog usable from the keyboard and by axe."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Locator, Page, expect

from tests.browser.conftest import open_app, open_files, wait_status
from tests.browser.explore_helpers import grid, serious_axe_violations, wait_view, write_csv

SALES = (
    "name,amount,qty,created\n"
    "Ada Lovelace,10,3,2024-01-05\n"
    "Bob Stone,2.5,4,2024-02-10\n"
    "Cy Young,7,0,2023-12-31\n"
    "Di Prince,1,2,2024-03-01\n"
)


def open_sales(page: Page, base_url: str, folder: Path) -> None:
    open_app(page, base_url)
    open_files(page, write_csv(folder, "sales.csv", SALES))
    wait_status(page, "Loaded sales.csv")
    wait_view(page)


def add_column_button(page: Page) -> Locator:
    return page.locator("#query-tools").get_by_role("button", name="Add column")


def open_dialog(page: Page) -> Locator:
    add_column_button(page).click()
    dialog = page.get_by_role("dialog", name="Add a column")
    expect(dialog).to_be_visible()
    return dialog


def fill(dialog: Locator, name: str, expression: str) -> None:
    dialog.get_by_role("textbox", name="Name", exact=True).fill(name)
    dialog.get_by_role("textbox", name="Expression", exact=True).fill(expression)


def expect_preview(dialog: Locator, values: list[str]) -> None:
    """The preview's new column shows `values`, top to bottom (once the latest preview is in:
    an earlier one may still be on screen while typing goes on)."""
    expect(dialog.locator("table.preview tbody td.new-column")).to_have_text(values)


def expect_column(page: Page, name: str, values: list[str], table: str = "sales") -> None:
    """The grid's column `name` shows `values` in its first rows."""
    header = grid(page, table).locator(f'[role=columnheader][data-column="{name}"]')
    expect(header).to_have_count(1)
    column = header.get_attribute("aria-colindex")
    for index, value in enumerate(values):
        row = grid(page, table).locator(f'[role=row][aria-rowindex="{index + 2}"]')
        expect(row.locator(f'[role=gridcell][aria-colindex="{column}"]')).to_have_text(value)


def test_add_column_previews_then_adds_the_values(
    page: Page, base_url: str, tmp_path: Path
) -> None:
    open_sales(page, base_url, tmp_path)
    dialog = open_dialog(page)
    # The table's columns are offered as chips: a click inserts the name.
    dialog.get_by_role("textbox", name="Name", exact=True).fill("total")
    dialog.get_by_role("button", name="amount").click()
    expression = dialog.get_by_role("textbox", name="Expression", exact=True)
    expect(expression).to_have_value("amount")
    expression.press("End")
    expression.type(" *")
    dialog.get_by_role("button", name="qty").click()
    expect(expression).to_have_value("amount * qty")
    # The preview follows the typing: the inputs it uses and the new value, per row.
    expect(dialog.locator("table.preview thead")).to_contain_text("amount")
    expect(dialog.locator("table.preview thead")).to_contain_text("total")
    expect(dialog.locator("#column-preview-line")).to_have_text("All 4 rows computed.")
    expect_preview(dialog, ["30", "10", "0", "2"])
    dialog.get_by_role("button", name="Add column").click()
    expect(dialog).to_be_hidden()
    wait_status(page, "Added total to sales: 4 rows")
    wait_view(page)
    expect_column(page, "total", ["30", "10", "0", "2"])
    expect(add_column_button(page)).to_be_focused()


def test_failing_rows_are_counted_and_the_first_is_named(
    page: Page, base_url: str, tmp_path: Path
) -> None:
    open_sales(page, base_url, tmp_path)
    dialog = open_dialog(page)
    fill(dialog, "per_item", "amount / qty")
    line = dialog.locator("#column-preview-line")
    expect(line).to_have_text(
        "1 of 4 rows failed; first: row 3: ZeroDivisionError: division by zero"
    )
    # The failing row shows its error in place.
    expect_preview(
        dialog, ["3.33333333333333", "0.625", "ZeroDivisionError: division by zero", "0.5"]
    )
    dialog.get_by_role("button", name="Add column").click()
    status = wait_status(page, "Added per_item to sales: 4 rows")
    assert "row 3" in status
    assert "ZeroDivisionError: division by zero" in status
    wait_view(page)
    expect_column(page, "per_item", ["3.33333333333333", "0.625", "NULL", "0.5"])


def test_syntax_error_is_shown_with_its_column_and_the_text_is_kept(
    page: Page, base_url: str, tmp_path: Path
) -> None:
    open_sales(page, base_url, tmp_path)
    dialog = open_dialog(page)
    fill(dialog, "bad", "amount * (qty")
    error = dialog.locator("#column-expression-error")
    expect(error).to_contain_text("syntax error")
    expect(error).to_contain_text("column")
    expression = dialog.get_by_role("textbox", name="Expression", exact=True)
    expect(expression).to_have_attribute("aria-invalid", "true")
    expect(dialog.locator("table.preview")).to_have_count(0)
    # Adding anyway: the engine refuses, the dialog comes back with the text and the error.
    dialog.get_by_role("button", name="Add column").click()
    expect(dialog).to_be_visible()
    expect(error).to_contain_text("syntax error")
    expect(expression).to_have_value("amount * (qty")
    expect(page.get_by_role("alert")).to_be_hidden()  # inline, not the page-wide alert
    # Fixed, the error goes away.
    expression.fill("amount * qty")
    expect(error).to_be_hidden()
    expect(expression).not_to_have_attribute("aria-invalid", "true")


def test_name_is_required_and_must_be_new(page: Page, base_url: str, tmp_path: Path) -> None:
    open_sales(page, base_url, tmp_path)
    dialog = open_dialog(page)
    fill(dialog, "", "amount")
    dialog.get_by_role("button", name="Add column").click()
    expect(dialog.locator("#column-name-error")).to_have_text("Type a name for the new column.")
    fill(dialog, "qty", "amount")
    dialog.get_by_role("button", name="Add column").click()
    expect(dialog.locator("#column-name-error")).to_contain_text("already has a column qty")
    expect(dialog).to_be_visible()


def test_keyboard_only_dialog_escape_returns_focus(
    page: Page, base_url: str, tmp_path: Path
) -> None:
    open_sales(page, base_url, tmp_path)
    button = add_column_button(page)
    button.focus()
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog", name="Add a column")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("textbox", name="Name", exact=True)).to_be_focused()
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(button).to_be_focused()
    # Name, Tab, expression, Enter: added without the mouse.
    page.keyboard.press("Enter")
    expect(dialog).to_be_visible()
    page.keyboard.type("first")
    page.keyboard.press("Tab")
    expect(dialog.get_by_role("textbox", name="Expression", exact=True)).to_be_focused()
    page.keyboard.type("name.split()[0]")
    expect(dialog.locator("table.preview")).to_be_visible()
    page.keyboard.press("Enter")
    wait_status(page, "Added first to sales")
    wait_view(page)
    expect_column(page, "first", ["Ada", "Bob", "Cy", "Di"])


def test_column_chips_are_one_tab_stop_moved_with_arrows(
    page: Page, base_url: str, tmp_path: Path
) -> None:
    open_sales(page, base_url, tmp_path)
    dialog = open_dialog(page)
    expression = dialog.get_by_role("textbox", name="Expression", exact=True)
    expression.focus()
    page.keyboard.press("Tab")
    toolbar = dialog.get_by_role("toolbar", name="Insert a column")
    expect(toolbar.get_by_role("button", name="name", exact=True)).to_be_focused()
    page.keyboard.press("ArrowRight")
    expect(toolbar.get_by_role("button", name="amount", exact=True)).to_be_focused()
    page.keyboard.press("End")
    created = toolbar.get_by_role("button", name="created", exact=True)
    expect(created).to_be_focused()
    page.keyboard.press("Tab")  # out of the chips in one step
    expect(dialog.get_by_role("button", name="Preview", exact=True)).to_be_focused()
    page.keyboard.press("Shift+Tab")  # back to the chip last used
    expect(created).to_be_focused()
    page.keyboard.press("Enter")
    expect(expression).to_have_value("created")
    expect(expression).to_be_focused()


def test_add_column_is_disabled_with_a_reason_without_a_table(page: Page, base_url: str) -> None:
    open_app(page, base_url)
    button = add_column_button(page)
    expect(button).to_have_attribute("aria-disabled", "true")
    expect(button).to_have_accessible_description(re.compile("Open a table first"))
    button.focus()  # still focusable, so its reason can be heard and read
    page.keyboard.press("Enter")
    expect(page.get_by_role("dialog")).to_have_count(0)
    expect(page.get_by_role("status")).to_contain_text("Open a table first")


def test_endless_expression_is_stopped_by_cancel_and_the_table_is_intact(
    page: Page, base_url: str, tmp_path: Path
) -> None:
    open_sales(page, base_url, tmp_path)
    dialog = open_dialog(page)
    dialog.get_by_role("textbox", name="Name", exact=True).fill("forever")
    # Typed in one go and added before any preview: the preview would hang the same way.
    expression = dialog.get_by_role("textbox", name="Expression", exact=True)
    expression.evaluate("(node, text) => { node.value = text }", "[x for x in iter(int, 1)]")
    dialog.get_by_role("button", name="Add column").click()
    progress = page.locator("#progress")
    expect(progress).to_be_visible()
    progress.get_by_role("button", name="Cancel").click()
    expect(progress).to_be_hidden(timeout=60_000)
    wait_view(page)
    expect(grid(page, "sales").get_by_role("columnheader")).to_have_count(4)
    expect(grid(page, "sales").locator('[data-column="forever"]')).to_have_count(0)
    expect_column(page, "amount", ["10", "2.5", "7", "1"])
    # The engine answers again: a column can be added after the restart.
    dialog = open_dialog(page)
    fill(dialog, "total", "amount * qty")
    expect_preview(dialog, ["30", "10", "0", "2"])


def test_a_query_result_takes_a_column_too(page: Page, base_url: str, tmp_path: Path) -> None:
    open_sales(page, base_url, tmp_path)
    page.locator("#query-tools").get_by_role("button", name="SQL", exact=True).click()
    editor = page.get_by_role("combobox", name="SQL query")
    editor.fill("select name, amount from sales where amount > 2 order by amount")
    editor.press("Control+Enter")
    expect(grid(page, "Query result")).to_have_attribute("aria-rowcount", "4")
    wait_view(page)
    dialog = open_dialog(page)
    expect(dialog).to_contain_text("New column in the query result")
    fill(dialog, "double", "amount * 2")
    expect_preview(dialog, ["5", "14", "20"])
    dialog.get_by_role("button", name="Add column").click()
    wait_status(page, "Added double to the query result: 3 rows")
    wait_view(page)
    expect_column(page, "double", ["5", "14", "20"], table="Query result")


def test_endless_preview_can_be_stopped_from_the_dialog(
    page: Page, base_url: str, tmp_path: Path
) -> None:
    open_sales(page, base_url, tmp_path)
    dialog = open_dialog(page)
    fill(dialog, "forever", "[x for x in iter(int, 1)]")
    stop = dialog.get_by_role("button", name="Stop the preview")
    expect(stop).to_be_visible()
    expect(dialog.locator("#column-preview-line")).to_contain_text("may never finish")
    stop.click()
    expect(dialog.locator("#column-expression-error")).to_contain_text("restarted")
    expect(dialog.locator("#column-preview-line")).to_have_text(
        "Preview stopped. Change it, or press Preview."
    )
    expect(stop).to_be_hidden()
    # The restarted engine previews the next expression.
    dialog.get_by_role("textbox", name="Expression", exact=True).fill("amount * qty")
    expect_preview(dialog, ["30", "10", "0", "2"])
    dialog.get_by_role("button", name="Cancel").click()
    expect(dialog).to_be_hidden()
    expect_column(page, "amount", ["10", "2.5", "7", "1"])


def test_open_dialog_has_no_serious_axe_violation(
    page: Page, base_url: str, tmp_path: Path
) -> None:
    open_sales(page, base_url, tmp_path)
    dialog = open_dialog(page)
    fill(dialog, "per_item", "amount / qty")
    expect(dialog.locator("table.preview")).to_be_visible()
    assert serious_axe_violations(page) == []
    fill(dialog, "bad", "amount *")
    expect(dialog.locator("#column-expression-error")).to_be_visible()
    assert serious_axe_violations(page) == []
    page.emulate_media(color_scheme="dark")  # the colours follow the system
    assert serious_axe_violations(page) == []
