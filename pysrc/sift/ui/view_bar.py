"""The bar above the grid (MicroPython): search box, the filter sentence, the add-filter form.

The sentence ("Rows where city is Paris and age is over 30") comes from the engine's view
reply (each filter's `text`); each part has its own remove button. The operator menu is built
from the engine's `operators` registry, narrowed to the chosen column's type. A value the
engine cannot read comes back as a FilterError and is shown beside the form, never thrown.
Imports: sift.number_format, sift.operator_menu and sift.ui (alerts, dom).
"""

import asyncio

from sift.number_format import count_text, grouped
from sift.operator_menu import operators_for
from sift.ui import alerts
from sift.ui.dom import by_id, clear, element, page

SEARCH_DELAY_S = 0.4  # typing pauses this long before the search runs

CLOSE_MARK = "\u00d7"  # the multiplication sign, drawn as a small cross


def describe_error(error):
    """The inline text for a FilterError: what is wrong, then what to type."""
    text = error.get("message") or "This filter cannot be used."
    if error.get("hint"):
        text = text + " " + error["hint"]
    return text


def summary_count(view):
    """'12 of 250 rows' when the view narrows the table, else '250 rows'."""
    total = view.get("total_rows", 0)
    whole = view.get("table_rows", total)
    if total == whole:
        return count_text(whole, "row")
    return grouped(total) + " of " + count_text(whole, "row")


class ViewBar:
    """`app` gives call, spawn, listen; `controller` the view state and its actions."""

    def __init__(self, app, controller):
        self.app = app
        self.controller = controller
        self.operators = []
        self.columns = []
        self.kinds = []
        self.table = None
        self.pending = None  # the filter index just added from the form, awaiting its reply
        self.wanted = None  # a filter to show in the form once the operators are known
        self.search_task = 0  # bumps on every keystroke; an older timer then does nothing

    def start(self):
        listen = self.app.listen
        listen(by_id("search-form"), "submit", self.on_search_submit)
        listen(by_id("search-input"), "input", self.on_search_input)
        listen(by_id("filter-form"), "submit", self.on_filter_submit)
        listen(by_id("filter-column"), "change", self.on_column_change)
        listen(by_id("filter-op"), "change", self.on_op_change)
        listen(by_id("view-summary"), "click", self.on_summary_click)

    async def load_operators(self):
        reply = await self.app.call("operators", {})
        if not reply["ok"]:
            alerts.show_error(reply["error"])
            return
        self.operators = reply["result"]
        self.fill_operators()
        if self.wanted is not None:
            self.select_filter(self.wanted)  # a bad filter arrived before the menu could show it

    # The view reply (a controller listener).
    def update(self, view):
        by_id("view-bar").hidden = False
        kinds = list(view.get("kinds") or [])
        if kinds != self.kinds:
            self.kinds = kinds
            if view.get("columns") == self.columns:
                self.fill_operators()
        if view.get("table") != self.table or view.get("columns") != self.columns:
            self.table = view.get("table")
            self.columns = list(view.get("columns") or [])
            self.fill_columns()
            if self.wanted is not None and self.wanted["column"] in self.columns:
                self.select_filter(self.wanted)
            elif self.wanted is not None and self.operators:
                self.wanted = None  # it was for another table
        self.render_summary(view)
        self.show_pending_ok(view)
        field = by_id("search-input")
        if page.document.activeElement.id != "search-input":  # never rewrite what is being typed
            field.value = self.controller.state.get("q") or ""

    def hide(self):
        by_id("view-bar").hidden = True
        self.table = None

    def render_summary(self, view):
        summary = by_id("view-summary")
        clear(summary)
        filters = view.get("filters") or []
        q = self.controller.state.get("q") or ""
        if not filters and not q:
            summary.append(element("span", "All rows", cls="summary-lead"))
        else:
            summary.append(element("span", "Rows", cls="summary-lead"))
        if q:
            summary.append(element("span", " containing ", cls="summary-joiner"))
            summary.append(part("“" + q + "”", "Remove the search for " + q, {"data-q": "1"}))
        for index, entry in enumerate(filters):
            joiner = " where " if index == 0 else " and "
            summary.append(element("span", joiner, cls="summary-joiner"))
            text = entry.get("text") or (entry["column"] + " " + entry["op"])
            summary.append(part(text, "Remove filter: " + text, {"data-filter": index}))
        summary.append(element("span", " · " + summary_count(view), cls="summary-count"))

    # The add-filter form.
    def fill_columns(self):
        select = by_id("filter-column")
        chosen = select.value
        clear(select)
        for name in self.columns:
            select.append(element("option", name, attrs={"value": name}))
        if chosen in self.columns:
            select.value = chosen
        self.fill_operators()

    def column_kind(self, column):
        for index, name in enumerate(self.columns):
            if name == column and index < len(self.kinds):
                return self.kinds[index]
        return "text"

    def fill_operators(self):
        select = by_id("filter-op")
        chosen = select.value
        clear(select)
        names = []
        for operator in operators_for(
            self.operators, self.column_kind(by_id("filter-column").value)
        ):
            names.append(operator["name"])
            label = operator.get("label") or operator["name"]
            select.append(element("option", label, attrs={"value": operator["name"]}))
        if chosen in names:
            select.value = chosen
        self.on_op_change(None)

    def arity(self, name):
        for operator in self.operators:
            if operator["name"] == name:
                return operator.get("arity", 1)
        return 1

    def on_column_change(self, event):
        self.clear_error()
        self.fill_operators()

    def on_op_change(self, event):
        op = by_id("filter-op").value
        needs_value = self.arity(op) > 0
        by_id("filter-value-label").hidden = not needs_value
        by_id("filter-value").disabled = not needs_value
        by_id("filter-value-hint").textContent = (
            "Type low,high for example 10,20" if op == "between" else ""
        )

    def on_filter_submit(self, event):
        event.preventDefault()
        column = by_id("filter-column").value
        op = by_id("filter-op").value
        value = by_id("filter-value").value
        if not column or not op:
            self.show_error({"message": "Choose a column and a condition first."})
            return
        if self.arity(op) > 0 and not value.strip():
            self.show_error({"message": "Type a value to filter " + column + " by."})
            return
        if self.arity(op) == 0:
            value = ""
        self.clear_error()
        self.pending = len(self.controller.state.get("filters") or [])
        self.controller.add_filter(column, op, value)

    def show_pending_ok(self, view):
        """The filter just added was accepted: empty the value box for the next one."""
        if self.pending is not None and self.pending < len(view.get("filters") or []):
            self.pending = None
            by_id("filter-value").value = ""
            self.clear_error()

    # Errors.
    def filter_error(self, error):
        """A FilterError from a view call (a controller error listener): True when it was
        shown inline. The controller then goes back to the last view shown, so the bad filter
        leaves the view and the table keeps working; its value stays in the box to fix."""
        if error.get("kind") != "filter":
            return False
        index = error.get("column")
        filters = self.controller.state.get("filters") or []
        if not isinstance(index, int) or index < 0 or index >= len(filters):
            return False
        bad = filters[index]
        if index != self.pending:
            # A filter from a link or an earlier state: bring it into the form to fix.
            self.select_filter(bad)
        self.pending = None
        self.show_error(error)
        alerts.say("Filter not applied: " + describe_error(error))
        if self.controller.shown is None:
            # Nothing was shown yet (a link with a bad filter): show the rest without it.
            self.controller.remove_filter(index)
        return True

    def focus_column(self, column):
        """The header menu's Filter…: the form, set to this column (a filter_requests hook)."""
        if column in self.columns:
            by_id("filter-column").value = column
            self.clear_error()
            self.fill_operators()
        target = by_id("filter-value")
        (target if not target.disabled else by_id("filter-op")).focus()

    def select_filter(self, entry):
        # Until both the operators and the columns are known, keep it to show later.
        known = self.operators and entry["column"] in self.columns
        self.wanted = None if known else entry
        if entry["column"] in self.columns:
            by_id("filter-column").value = entry["column"]
            self.fill_operators()
        by_id("filter-op").value = entry["op"]
        self.on_op_change(None)
        by_id("filter-value").value = entry.get("value", "")

    def show_error(self, error):
        box = by_id("filter-error")
        box.textContent = describe_error(error)
        box.hidden = False
        by_id("filter-value").setAttribute("aria-invalid", "true")
        target = by_id("filter-value")
        (target if not target.disabled else by_id("filter-op")).focus()

    def clear_error(self):
        box = by_id("filter-error")
        box.hidden = True
        box.textContent = ""
        by_id("filter-value").removeAttribute("aria-invalid")

    # The sentence's remove buttons.
    def on_summary_click(self, event):
        button = event.target.closest("button")
        if button is None:
            return
        if button.hasAttribute("data-q"):
            by_id("search-input").value = ""
            self.controller.set_q("")
        elif button.hasAttribute("data-filter"):
            index = int(button.getAttribute("data-filter"))
            self.controller.remove_filter(index)
            by_id("search-input").focus()  # the button is gone; keep focus in the bar

    # Search.
    def on_search_submit(self, event):
        event.preventDefault()
        self.search_task += 1
        self.search_now()

    def on_search_input(self, event):
        self.search_task += 1
        self.app.spawn(self.search_later(self.search_task))

    async def search_later(self, task):
        await asyncio.sleep(SEARCH_DELAY_S)
        if task == self.search_task:
            self.search_now()

    def search_now(self):
        text = by_id("search-input").value.strip()
        if text != (self.controller.state.get("q") or ""):
            self.controller.set_q(text)


def part(text, label, attrs):
    """One removable part of the sentence: its text, then a small remove button."""
    node = element("span", cls="summary-part")
    node.append(element("span", text, cls="summary-text"))
    button_attrs = {"type": "button", "aria-label": label, "title": label}
    for name in attrs:
        button_attrs[name] = attrs[name]
    node.append(element("button", CLOSE_MARK, cls="summary-remove", attrs=button_attrs))
    return node
