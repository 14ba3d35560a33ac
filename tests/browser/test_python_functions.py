"""The Python functions editor (issue 5): each def becomes a SQL function, usable in queries and
in computed columns; errors inline with their line and column and nothing typed lost; Tab
indents, Escape then Tab leaves, Escape twice closes; the functions survive a reload."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Locator, Page, expect

from tests.browser.conftest import open_app, open_files, wait_state, wait_status
from tests.browser.explore_helpers import serious_axe_violations, wait_view, write_csv

PEOPLE = "name,city\nAda Lovelace,London\nGrace  Hopper!,New York\n"
SLUGIFY = "def slugify(text):\nreturn re.sub(r'\\W+', '-', text.lower()).strip('-')\n"
STORED_SLUGIFY = "def slugify(text):\n    return re.sub(r'\\W+', '-', text.lower()).strip('-')\n"


def open_people(page: Page, base_url: str, folder: Path) -> None:
    open_app(page, base_url)
    open_files(page, write_csv(folder, "people.csv", PEOPLE))
    wait_status(page, "Loaded people.csv")
    wait_view(page)


def functions_button(page: Page) -> Locator:
    return page.locator("#query-tools").get_by_role("button", name="Python functions")


def open_editor(page: Page) -> Locator:
    functions_button(page).click()
    editor = page.get_by_role("textbox", name="Python functions")
    expect(editor).to_be_focused()
    return editor


def type_slugify(page: Page, editor: Locator) -> None:
    """Type the function as a person would: Tab indents the body by four spaces."""
    editor.press("Control+a")
    editor.press("Delete")
    lines = SLUGIFY.split("\n")
    page.keyboard.type(lines[0] + "\n")
    page.keyboard.press("Tab")
    page.keyboard.type(lines[1] + "\n")
    expect(editor).to_have_value(STORED_SLUGIFY)


def save(page: Page) -> None:
    page.locator("#python-panel").get_by_role("button", name="Save functions").click()


def sql_values(page: Page, sql: str) -> list[str]:
    """Run `sql` in the SQL panel; the first column of its result, top to bottom."""
    page.locator("#query-tools").get_by_role("button", name="SQL", exact=True).click()
    editor = page.get_by_role("combobox", name="SQL query")
    editor.fill(sql)
    editor.press("Control+Enter")
    result = page.get_by_role("grid", name="Query result")
    expect(result).to_be_visible()
    wait_view(page)
    rows = int(result.get_attribute("aria-rowcount") or "1") - 1
    cells = []
    for index in range(rows):
        row = result.locator(f'[role=row][aria-rowindex="{index + 2}"]')
        cell = row.locator('[role=gridcell][aria-colindex="1"]')
        expect(cell).not_to_have_text("")
        cells.append(cell.inner_text())
    return cells


def test_a_saved_function_works_in_sql_and_in_a_new_column(
    page: Page, base_url: str, tmp_path: Path
) -> None:
    open_people(page, base_url, tmp_path)
    editor = open_editor(page)
    panel = page.locator("#python-panel")
    expect(panel).to_contain_text("Each def becomes a SQL function: select slugify(name) from t")
    type_slugify(page, editor)
    expect(panel.get_by_text("Changes not saved yet.")).to_be_visible()
    save(page)
    expect(panel.locator("#python-functions-list")).to_have_text("slugify(text)")
    expect(panel.get_by_text("Changes not saved yet.")).to_be_hidden()
    expect(page.get_by_role("status")).to_have_text("Saved 1 Python function: slugify(text).")
    expect(functions_button(page)).to_have_attribute("aria-expanded", "true")
    # In SQL.
    values = sql_values(page, "select slugify(name) as slug from people order by name")
    assert values == ["ada-lovelace", "grace-hopper"]
    # And in an expression of a new column, on the table.
    page.locator("#tables-list").get_by_role("button", name="people", exact=True).click()
    wait_view(page)
    page.locator("#query-tools").get_by_role("button", name="Add column").click()
    dialog = page.get_by_role("dialog", name="Add a column")
    dialog.get_by_role("textbox", name="Name", exact=True).fill("slug")
    dialog.get_by_role("textbox", name="Expression", exact=True).fill("slugify(city)")
    cells = dialog.locator("table.preview tbody td.new-column")
    expect(cells).to_have_text(["london", "new-york"])


def test_bad_functions_show_line_and_column_and_keep_the_text(
    page: Page, base_url: str, tmp_path: Path
) -> None:
    open_people(page, base_url, tmp_path)
    editor = open_editor(page)
    source = "def fine(x):\n    return x\n\ndef broken(x:\n    return x\n"
    editor.fill(source)
    save(page)
    error = page.locator("#python-panel [role=alert]")
    expect(error).to_contain_text("syntax error")
    expect(error).to_contain_text("line 4")
    expect(error).to_contain_text("column")
    expect(editor).to_have_value(source)  # nothing lost
    expect(editor).to_have_attribute("aria-invalid", "true")
    expect(editor).to_be_focused()  # the caret waits at the error
    # Nothing was registered: the list still says so.
    expect(page.locator("#python-functions-list")).to_have_text("None yet.")
    # Fixed, it saves; a function that raises inside SQL fails the query, naming itself.
    editor.fill("def boom(x):\n    return 1 / 0\n")
    save(page)
    expect(error).to_be_hidden()
    expect(page.locator("#python-functions-list")).to_have_text("boom(x)")
    page.locator("#query-tools").get_by_role("button", name="SQL", exact=True).click()
    query = page.get_by_role("combobox", name="SQL query")
    query.fill("select boom(1)")
    query.press("Control+Enter")
    expect(page.locator("#query-error")).to_contain_text("boom")
    expect(page.locator("#query-error")).to_contain_text("ZeroDivisionError")


def test_keyboard_tab_indents_escape_then_tab_leaves_escape_twice_closes(
    page: Page, base_url: str, tmp_path: Path
) -> None:
    open_people(page, base_url, tmp_path)
    editor = open_editor(page)
    expect(page.locator("#python-panel")).to_contain_text("press Escape, then Tab")
    page.keyboard.press("Tab")
    page.keyboard.type("y")
    expect(editor).to_have_value("    y")
    expect(editor).to_be_focused()
    page.keyboard.press("Shift+Tab")  # removes the line's indent, up to four spaces
    expect(editor).to_have_value("y")
    page.keyboard.press("Tab")
    expect(editor).to_have_value("y    ")
    page.keyboard.press("Escape")
    page.keyboard.press("Tab")
    expect(editor).not_to_be_focused()
    expect(editor).to_have_value("y    ")
    editor.focus()
    page.keyboard.press("Escape")
    page.keyboard.press("Escape")
    expect(page.locator("#python-panel")).to_be_hidden()
    expect(functions_button(page)).to_be_focused()
    expect(functions_button(page)).to_have_attribute("aria-expanded", "false")


def test_functions_survive_a_reload(page: Page, base_url: str, tmp_path: Path) -> None:
    open_people(page, base_url, tmp_path)
    editor = open_editor(page)
    type_slugify(page, editor)
    save(page)
    expect(page.get_by_role("status")).to_have_text("Saved 1 Python function: slugify(text).")
    page.reload()
    wait_state(page)
    editor = open_editor(page)
    expect(editor).to_have_value(STORED_SLUGIFY)
    expect(page.locator("#python-functions-list")).to_have_text("slugify(text)")
    page.locator("#tables-list").get_by_role("button", name="people", exact=True).click()
    wait_view(page)
    assert sql_values(page, "select slugify(city) from people order by city") == [
        "london",
        "new-york",
    ]


def test_functions_panel_has_no_serious_axe_violation(
    page: Page, base_url: str, tmp_path: Path
) -> None:
    open_people(page, base_url, tmp_path)
    editor = open_editor(page)
    editor.fill("def broken(:\n")
    save(page)
    expect(page.locator("#python-panel [role=alert]")).to_be_visible()
    assert serious_axe_violations(page) == []
    page.emulate_media(color_scheme="dark")  # the colours follow the system
    assert serious_axe_violations(page) == []
