"""The SQL panel's History and Saved queries (MicroPython), from the engine's `queries`.

History lists every run, newest first (what the engine keeps): its SQL (a button that puts it
back in the editor), whether it worked, its rows and time. Saved queries are named: save the
editor's text under a name, load one back, delete one. The engine worker stores both with the
workspace, so they come back after a reload.
"""

from sift.number_format import count_text
from sift.ui import alerts
from sift.ui.dom import clear, element

PREVIEW_CHARS = 160


def one_line(sql):
    """The SQL on one line, shortened for a list (the full text goes back to the editor)."""
    text = " ".join(sql.split())
    return text if len(text) <= PREVIEW_CHARS else text[: PREVIEW_CHARS - 1] + "…"


def seconds_text(seconds):
    """0.4213 -> '0.42 s' (MicroPython has no format specs)."""
    hundredths = round(float(seconds or 0) * 100)
    return str(hundredths // 100) + "." + str(hundredths % 100 // 10) + str(hundredths % 10) + " s"


def outcome(entry):
    """'OK · 12 rows · 0.01 s' or 'Error · near "FORM": syntax error'."""
    if not entry.get("ok"):
        return "Error · " + str(entry.get("message") or "")
    parts = ["OK"]
    if entry.get("rows") is not None:
        parts.append(count_text(int(entry["rows"]), "row"))
    if entry.get("seconds") is not None:
        parts.append(seconds_text(entry["seconds"]))
    return " · ".join(parts)


class QueryLists:
    """`on_pick(sql)` puts a query in the editor; `current()` is the editor's text."""

    def __init__(self, app, on_pick, current):
        self.app = app
        self.on_pick = on_pick
        self.current = current
        self.history = []
        self.saved = []
        self.node = self.build()

    def build(self):
        wrap = element("div", cls="query-lists")
        history = element(
            "section", cls="query-history", attrs={"aria-labelledby": "history-title"}
        )
        history.append(
            element("h3", "History", cls="query-list-title", attrs={"id": "history-title"})
        )
        self.history_list = element("ol", cls="history-list", attrs={"id": "query-history"})
        self.history_empty = element("p", "Queries you run are listed here.", cls="list-empty")
        history.append(self.history_list)
        history.append(self.history_empty)
        saved = element("section", cls="query-saved", attrs={"aria-labelledby": "saved-title"})
        saved.append(
            element("h3", "Saved queries", cls="query-list-title", attrs={"id": "saved-title"})
        )
        saved.append(self.save_form())
        self.saved_list = element("ul", cls="saved-list", attrs={"id": "saved-queries"})
        self.saved_empty = element("p", "No saved queries yet.", cls="list-empty")
        saved.append(self.saved_list)
        saved.append(self.saved_empty)
        wrap.append(history)
        wrap.append(saved)
        self.app.listen(self.history_list, "click", self.on_history_click)
        self.app.listen(self.saved_list, "click", self.on_saved_click)
        return wrap

    def save_form(self):
        form = element("form", cls="save-query-form", attrs={"novalidate": ""})
        label = element("label", "Name", attrs={"for": "save-query-name"})
        self.name_input = element(
            "input",
            attrs={
                "id": "save-query-name",
                "type": "text",
                "autocomplete": "off",
                "spellcheck": "false",
                "aria-describedby": "save-query-error",
            },
        )
        form.append(label)
        form.append(self.name_input)
        form.append(element("button", "Save query", cls="button small", attrs={"type": "submit"}))
        self.form_error = element("p", cls="field-error", attrs={"id": "save-query-error"})
        self.form_error.hidden = True
        form.append(self.form_error)
        self.app.listen(form, "submit", self.on_save)
        return form

    # Data from the engine.
    async def refresh(self):
        reply = await self.app.call("queries", {})
        if reply["ok"]:
            self.update(reply["result"])

    def update(self, result):
        self.history = result.get("history") or []
        self.saved = result.get("saved") or []
        self.render_history()
        self.render_saved()

    def render_history(self):
        clear(self.history_list)
        for index, entry in enumerate(self.history):
            item = element("li", cls="history-item" + ("" if entry.get("ok") else " failed"))
            item.append(
                element(
                    "button",
                    one_line(entry.get("sql") or ""),
                    cls="history-sql",
                    attrs={
                        "type": "button",
                        "data-index": index,
                        "title": "Put this query in the editor",
                    },
                )
            )
            item.append(element("span", outcome(entry), cls="history-meta"))
            self.history_list.append(item)
        self.history_empty.hidden = bool(self.history)

    def render_saved(self):
        clear(self.saved_list)
        for entry in self.saved:
            name = entry["name"]
            item = element("li", cls="saved-item")
            item.append(
                element(
                    "button",
                    name,
                    cls="saved-load",
                    attrs={"type": "button", "data-action": "load", "data-name": name},
                )
            )
            item.append(element("span", one_line(entry.get("sql") or ""), cls="saved-sql"))
            item.append(
                element(
                    "button",
                    "Delete",
                    cls="button small",
                    attrs={
                        "type": "button",
                        "data-action": "delete",
                        "data-name": name,
                        "aria-label": "Delete the saved query " + name,
                    },
                )
            )
            self.saved_list.append(item)
        self.saved_empty.hidden = bool(self.saved)

    # Events.
    def on_history_click(self, event):
        button = event.target.closest("button")
        if button is None:
            return
        index = int(button.getAttribute("data-index"))
        if 0 <= index < len(self.history):
            self.on_pick(self.history[index]["sql"])
            alerts.say("The query from the history is in the editor.")

    def on_saved_click(self, event):
        button = event.target.closest("button")
        if button is None:
            return
        name = button.getAttribute("data-name")
        if button.getAttribute("data-action") == "load":
            for entry in self.saved:
                if entry["name"] == name:
                    self.on_pick(entry["sql"])
                    alerts.say("The saved query " + name + " is in the editor.")
        else:
            self.app.spawn(
                self.change("delete_query", {"name": name}, "Deleted the saved query " + name + ".")
            )

    def on_save(self, event):
        event.preventDefault()
        name = self.name_input.value.strip()
        sql = self.current()
        problem = ""
        if not name:
            problem = "Give the query a name."
        elif not sql.strip():
            problem = "The editor is empty: write a query to save."
        self.show_problem(problem)
        if problem:
            self.name_input.focus()
            return
        self.app.spawn(
            self.change("save_query", {"name": name, "sql": sql}, "Saved the query " + name + ".")
        )

    def show_problem(self, problem):
        self.form_error.textContent = problem
        self.form_error.hidden = not problem
        if problem:
            self.name_input.setAttribute("aria-invalid", "true")
        else:
            self.name_input.removeAttribute("aria-invalid")

    async def change(self, command, args, message):
        reply = await self.app.call(command, args)
        if not reply["ok"]:
            self.show_problem(reply["error"].get("message") or "That did not work.")
            return
        if command == "save_query":
            self.name_input.value = ""
        self.update(reply["result"])
        alerts.say(message)
