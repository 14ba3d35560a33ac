"""Python in Sift (MicroPython): "Add column" and the "Python functions" editor.

Both buttons go into #query-tools. "Add column" opens sift.ui.column_dialog for the table
shown (a query's result table cannot take a column: it is saved as a table first); the work
runs through `app.run_long` when the app has it (progress, Cancel, a stuck engine restarted),
then the view reloads so the new column shows. "Python functions" opens #python-panel: the
stored source (the engine's `functions`) in a textarea in which Tab indents, "Save functions"
registers every `def` as a SQL function, and errors show inline with their line and column,
the text left as typed. docs/query-contract.md has the commands.
Imports: sift.number_format and sift.ui (alerts, column_dialog, dom).
"""

import js

from sift.number_format import count_text
from sift.ui import alerts, column_dialog
from sift.ui.dom import by_id, clear, element, page

INDENT = "    "
RESULT_PREFIX = "sift_result_"  # a query's result table (docs/query-contract.md)
RESULT_LABEL = "the query result"
NO_TABLE = "Open a table first: a new column is computed from its rows."
KEYS_NOTE = (
    "Tab indents by four spaces and Shift+Tab removes them. To move on with the keyboard, "
    "press Escape, then Tab. Ctrl+Enter saves; Escape twice closes."
)
PLACEHOLDER = "def slugify(text):\n    return re.sub(r'\\W+', '-', text.lower()).strip('-')"
EXPLANATION_LEAD = "Each def becomes a SQL function: "
EXPLANATION_EXAMPLE = "select slugify(name) from t"


def is_result(table):
    return bool(table) and table.lower().startswith(RESULT_PREFIX)


def signature(entry):
    """{'name': 'slugify', 'params': ['text']} -> 'slugify(text)'."""
    return entry["name"] + "(" + ", ".join(entry.get("params") or []) + ")"


def line_start(text, position):
    """Where the line holding `position` starts."""
    return text.rfind("\n", 0, position) + 1


def offset_of(text, line, column):
    """The index in `text` of a 1-based line and column (clamped to the text)."""
    index = 0
    for _ in range(max(0, line - 1)):
        found = text.find("\n", index)
        if found < 0:
            return len(text)
        index = found + 1
    end = text.find("\n", index)
    end = len(text) if end < 0 else end
    return min(index + max(0, column - 1), end)


class PythonPanel:
    def __init__(self, app, view):
        self.app = app
        self.view = view
        self.table = None
        self.columns = []
        self.dialog = column_dialog.ColumnDialog(app, self.add_column)
        self.add_button = None
        self.functions_button = None
        self.editor = None
        self.dirty = False  # the editor holds text not saved yet: never overwritten
        self.leaving = False  # Escape was pressed in the editor: the next Tab moves on

    def start(self):
        tools = by_id("query-tools")
        attrs = {"type": "button", "aria-haspopup": "dialog", "aria-describedby": "add-reason"}
        self.add_button = element("button", "Add column", cls="button", attrs=attrs)
        self.add_button.id = "add-column"
        reason = element("span", NO_TABLE, cls="visually-hidden", attrs={"id": "add-reason"})
        attrs = {"type": "button", "aria-expanded": "false", "aria-controls": "python-panel"}
        self.functions_button = element("button", "Python functions", cls="button", attrs=attrs)
        self.functions_button.id = "python-functions"
        tools.append(self.add_button)
        tools.append(reason)
        tools.append(self.functions_button)
        tools.hidden = False
        self.set_table(None, [])
        self.app.listen(self.add_button, "click", self.on_add_click)
        self.app.listen(self.functions_button, "click", self.on_functions_click)
        self.view.listeners.append(self.on_view)
        self.view.clear_listeners.append(self.on_clear)
        restart_listeners = getattr(self.app, "restart_listeners", None)
        if restart_listeners is not None:
            restart_listeners.append(self.dialog.on_restart)

    # The table shown (view controller listeners).
    def on_view(self, reply):
        self.set_table(reply["table"], reply.get("columns") or [])

    def on_clear(self):
        self.set_table(None, [])
        self.dialog.close()

    def set_table(self, table, columns):
        self.table = table
        self.columns = list(columns)
        reason = self.unavailable()
        if reason:
            self.add_button.setAttribute("aria-disabled", "true")
        else:
            self.add_button.removeAttribute("aria-disabled")
        by_id("add-reason").textContent = reason
        self.add_button.title = reason or (
            "Add a column computed in Python to " + self.label(table)
        )

    def unavailable(self):
        return NO_TABLE if self.table is None else ""

    def label(self, table):
        """How the status and the dialog name a table: a query's result is not sift_result_3."""
        return RESULT_LABEL if is_result(table) else table

    # Add column.
    def on_add_click(self, event):
        reason = self.unavailable()
        if reason:
            alerts.say(reason)
            return
        self.dialog.open(self.table, self.columns, self.add_button, self.label(self.table))

    async def add_column(self, table, name, expression):
        """Compute the column (cancellable), then show it; a refusal reopens the dialog."""
        alerts.clear_error()
        args = {"table": table, "name": name, "expression": expression}
        label = "Adding " + name + " to " + self.label(table)
        alerts.say(label + "…")
        run_long = getattr(self.app, "run_long", None)
        if run_long is not None:
            reply = await run_long("add_column", args, label)
        else:
            reply = await self.app.call("add_column", args)
        if reply["ok"]:
            await self.added(table, name, reply["result"])
            return
        error = reply["error"]
        if error.get("kind") in ("cancelled", "timeout"):
            # A cancelled column leaves the table as it was; a restarted engine has already
            # shown the table again (app.after_restart).
            alerts.say(error.get("message") or "Cancelled: no column was added.")
            self.dialog.was_stopped()
            if not error.get("restarted"):
                await self.refresh_view()
            return
        alerts.say("Could not add " + name + ".")
        if self.table == table:
            self.dialog.reopen(error)
        else:
            alerts.show_error(error)

    async def added(self, table, name, result):
        self.dialog.forget_text()
        if self.view.state.get("table") == result.get("table", table):
            await self.view.reload()
        message = result.get("message") or ("Added " + name + ".")
        if is_result(table):
            message = message.replace(result.get("table", table), RESULT_LABEL)
        alerts.say(message)
        if not is_result(table):
            self.app.panel.changed()

    async def refresh_view(self):
        if self.view.state.get("table") is not None:
            await self.view.reload()

    # The functions editor.
    def on_functions_click(self, event):
        if not by_id("python-panel").hidden:
            self.close_functions()
            return
        if self.app.engine is None:
            alerts.say("The Python engine is still starting; try again in a moment.")
            return
        self.open_functions()

    def open_functions(self):
        panel = by_id("python-panel")
        if self.editor is None:
            self.build_functions(panel)
        panel.hidden = False
        self.functions_button.setAttribute("aria-expanded", "true")
        self.editor.focus()
        self.app.spawn(self.load_functions())

    def close_functions(self):
        by_id("python-panel").hidden = True
        self.functions_button.setAttribute("aria-expanded", "false")
        self.functions_button.focus()

    def build_functions(self, panel):
        head = element("div", cls="python-head")
        head.append(element("h2", "Python functions", cls="panel-title", attrs={"id": "py-title"}))
        attrs = {"type": "button", "title": "Close the functions editor (Escape)"}
        head.append(element("button", "Close", cls="button small python-close", attrs=attrs))
        panel.append(head)
        explain = element("p", EXPLANATION_LEAD, cls="python-explain", attrs={"id": "py-explain"})
        explain.append(element("code", EXPLANATION_EXAMPLE))
        panel.append(explain)
        attrs = {
            "aria-label": "Python functions",
            "aria-describedby": "py-explain py-keys python-functions-error",
            "spellcheck": "false",
            "autocapitalize": "off",
            "autocomplete": "off",
            "wrap": "off",
            "rows": "12",
            "placeholder": PLACEHOLDER,
        }
        self.editor = element("textarea", cls="code python-source", attrs=attrs)
        self.editor.id = "python-source"
        panel.append(self.editor)
        panel.append(element("p", KEYS_NOTE, cls="python-keys", attrs={"id": "py-keys"}))
        error = element("div", cls="inline-error", attrs={"id": "python-functions-error"})
        error.setAttribute("role", "alert")
        error.hidden = True
        panel.append(error)
        actions = element("div", cls="python-actions")
        attrs = {"type": "button", "id": "python-save"}
        actions.append(element("button", "Save functions", cls="button primary", attrs=attrs))
        unsaved = element("span", "Changes not saved yet.", cls="python-unsaved")
        unsaved.id = "python-unsaved"
        unsaved.hidden = True
        actions.append(unsaved)
        panel.append(actions)
        panel.append(element("h3", "Registered functions", cls="python-list-title"))
        listing = element("ul", cls="python-list", attrs={"id": "python-functions-list"})
        panel.append(listing)
        listen = self.app.listen
        listen(self.editor, "keydown", self.on_editor_key)
        listen(self.editor, "input", self.on_editor_input)
        listen(panel, "keydown", self.on_panel_key)
        listen(panel, "click", self.on_panel_click)

    async def load_functions(self):
        reply = await self.app.call("functions", {})
        if not reply["ok"]:
            self.show_functions_error(reply["error"])
            return
        result = reply["result"]
        if not self.dirty:
            self.editor.value = result.get("source") or ""
        self.show_list(result.get("functions") or [])
        if result.get("problem"):  # the stored functions could not be registered at start
            self.show_functions_error({"message": result["problem"]})

    def show_list(self, functions):
        listing = by_id("python-functions-list")
        clear(listing)
        if not functions:
            listing.append(element("li", "None yet.", cls="python-none"))
        for entry in functions:
            item = element("li")
            item.append(element("code", signature(entry)))
            listing.append(item)

    async def save_functions(self):
        source = self.editor.value
        alerts.say("Saving your Python functions…")
        reply = await self.app.call("set_functions", {"source": source})
        if not reply["ok"]:
            self.show_functions_error(reply["error"])
            alerts.say("Your functions were not saved; the editor says why.")
            return
        self.show_functions_error(None)
        self.set_dirty(self.editor.value != source)  # typed on while it was saving
        functions = reply["result"].get("functions") or []
        self.show_list(functions)
        if functions:
            names = ", ".join([signature(entry) for entry in functions])
            message = "Saved " + count_text(len(functions), "Python function") + ": " + names + "."
        else:
            message = "Saved: no Python functions are defined now."
        alerts.say(message)

    def show_functions_error(self, error):
        box = by_id("python-functions-error")
        clear(box)
        if not error:
            box.hidden = True
            self.editor.removeAttribute("aria-invalid")
            return
        box.append(element("span", error.get("message") or "Your functions cannot be used."))
        line = error.get("line")
        lines = self.editor.value.split("\n")
        if line and error.get("column") and 1 <= line <= len(lines):
            mark = column_dialog.caret_line(lines[line - 1], error["column"])
            box.append(element("pre", mark, cls="caret"))
        elif error.get("details"):
            box.append(element("pre", error["details"], cls="caret"))
        if error.get("hint"):
            box.append(element("span", error["hint"], cls="hint"))
        box.hidden = False
        self.editor.setAttribute("aria-invalid", "true")
        if error.get("line"):
            # Put the caret where the error is, so fixing it starts there.
            text = self.editor.value
            place = offset_of(text, error["line"], error.get("column") or 1)
            self.editor.focus()
            self.editor.setSelectionRange(place, place)

    # Keys and clicks in the editor panel.
    def on_editor_input(self, event):
        self.set_dirty(True)

    def set_dirty(self, dirty):
        self.dirty = dirty
        by_id("python-unsaved").hidden = not dirty

    def on_editor_key(self, event):
        key = event.key
        if key == "Escape":
            if self.leaving:
                return  # a second Escape: the panel's handler closes it
            self.leaving = True
            event.stopPropagation()
            alerts.say("Press Tab to move on from the editor, or Escape again to close it.")
            return
        if key == "Tab" and not self.leaving and not event.ctrlKey and not event.altKey:
            event.preventDefault()
            if event.shiftKey:
                self.dedent()
            else:
                insert(self.editor, INDENT)
            return
        if key == "Enter" and (event.ctrlKey or event.metaKey):
            event.preventDefault()
            self.app.spawn(self.save_functions())
            return
        if key not in ("Shift", "Control", "Alt", "Meta"):
            self.leaving = False

    def dedent(self):
        field = self.editor
        text = field.value
        start = line_start(text, field.selectionStart)
        spaces = 0
        while spaces < len(INDENT) and text[start + spaces : start + spaces + 1] == " ":
            spaces += 1
        if spaces:
            caret = field.selectionStart
            field.setSelectionRange(start, start + spaces)
            insert(field, "")
            caret = max(start, caret - spaces)
            field.setSelectionRange(caret, caret)

    def on_panel_key(self, event):
        if event.key == "Escape":
            event.preventDefault()
            self.leaving = False
            self.close_functions()

    def on_panel_click(self, event):
        target = event.target
        if target.closest(".python-close") is not None:
            self.close_functions()
        elif target.closest("#python-save") is not None:
            self.app.spawn(self.save_functions())


def insert(field, text):
    """Replace the selection with `text` as typing would (so Undo undoes it)."""
    field.focus()
    done = page.document.execCommand("insertText", False, text) if text else False
    if not text:
        done = page.document.execCommand("delete", False, None)
    if not done:
        start = field.selectionStart
        field.setRangeText(text, start, field.selectionEnd, "end")
        field.dispatchEvent(js.Event.new("input"))


def start(app, view):
    """Wire the buttons and panels to the app and its view controller (called once)."""
    panel = PythonPanel(app, view)
    panel.start()
    return panel
