"""The SQL panel (MicroPython): write a query, run it, see its result in the grid.

The "SQL" button in #query-tools opens #query-panel: the editor (sift.ui.sql_editor), one
input per `:name` parameter, Run (Ctrl/Cmd+Enter) and Cancel, the time limit, the run's line
in #query-status, errors in #query-error (with the line, column and a mark on the offending
text), "Save result as table", and the History and Saved queries (sift.ui.query_history).

A query that returns rows leaves them in a result table the engine names; the view
controller shows it like any table (sort, filters, search, facets), labelled "Query result",
and the fragment holds `sql=` instead of `table=`. A link's `sql=` runs read-only and without
the user's Python functions; when it needs them, the panel asks first (DESIGN.md).
Every run goes through app.run_long, which shows the progress panel and restarts the
engine when it does not stop.
"""

from sift import sql_tokens, view_state
from sift.ui import alerts
from sift.ui.dom import by_id, clear, element
from sift.ui.query_history import QueryLists
from sift.ui.sql_editor import SqlEditor

DEFAULT_SECONDS = 30
RUN_LABEL = "The query"


def location(error):
    """'At line 2, column 5' or ''."""
    if not error.get("line"):
        return ""
    text = "At line " + str(error["line"])
    if error.get("column"):
        text = text + ", column " + str(error["column"])
    return text


class QueryPanel:
    def __init__(self, app, view):
        self.app = app
        self.view = view
        self.panel = by_id("query-panel")
        self.running = False
        self.result_table = None
        self.param_names = []
        self.param_values = {}
        self.consent_args = None  # the link run waiting for the user's consent
        self.consent_state = None

    # Building.
    def start(self):
        tools = by_id("query-tools")
        self.toggle = element(
            "button",
            "SQL",
            cls="button",
            attrs={
                "type": "button",
                "id": "sql-toggle",
                "aria-expanded": "false",
                "aria-controls": "query-panel",
            },
        )
        tools.prepend(self.toggle)
        tools.hidden = False
        self.panel.append(element("h2", "Run SQL", cls="panel-title", attrs={"id": "query-title"}))
        self.editor = SqlEditor(self.app, self.on_run_key, self.on_text, self.completion_schema)
        self.panel.append(self.editor.node)
        self.panel.append(self.build_params())
        self.panel.append(self.build_actions())
        self.panel.append(self.build_save_form())
        self.panel.append(self.build_messages())
        self.lists = QueryLists(self.app, self.editor.set_text, self.editor.text)
        self.panel.append(self.lists.node)
        self.app.listen(self.toggle, "click", self.on_toggle)
        self.app.listen(self.panel, "keydown", self.on_panel_key)
        self.app.restart_listeners.append(self.on_restart)
        self.view.listeners.append(self.on_view)
        self.view.clear_listeners.append(self.on_view_cleared)
        self.app.spawn(self.lists.refresh())  # waits for the engine

    def build_params(self):
        self.params = element("fieldset", cls="query-params", attrs={"id": "query-params"})
        self.params.append(element("legend", "Parameters"))
        self.params.hidden = True
        return self.params

    def build_actions(self):
        row = element("div", cls="query-actions")
        self.run_button = element(
            "button",
            "Run",
            cls="button primary",
            attrs={"type": "button", "id": "query-run", "aria-keyshortcuts": "Control+Enter"},
        )
        self.cancel_button = element(
            "button", "Cancel", cls="button", attrs={"type": "button", "id": "query-cancel"}
        )
        self.cancel_button.hidden = True
        row.append(self.run_button)
        row.append(self.cancel_button)
        limit = element("span", cls="query-limit")
        limit.append(element("label", "Time limit", attrs={"for": "query-seconds"}))
        self.seconds = element(
            "input",
            cls="query-seconds",
            attrs={
                "id": "query-seconds",
                "type": "number",
                "min": "1",
                "step": "1",
                "value": DEFAULT_SECONDS,
                "inputmode": "numeric",
                "aria-describedby": "query-seconds-unit",
            },
        )
        limit.append(self.seconds)
        limit.append(element("span", "seconds", attrs={"id": "query-seconds-unit"}))
        row.append(limit)
        self.save_button = element(
            "button",
            "Save result as table",
            cls="button",
            attrs={"type": "button", "id": "query-save-result"},
        )
        self.save_button.hidden = True
        row.append(self.save_button)
        self.app.listen(self.run_button, "click", self.on_run_click)
        self.app.listen(self.cancel_button, "click", self.on_cancel)
        self.app.listen(self.save_button, "click", self.on_save_click)
        return row

    def build_save_form(self):
        self.save_form = element("form", cls="save-result-form", attrs={"novalidate": ""})
        self.save_form.append(element("label", "Table name", attrs={"for": "save-result-name"}))
        self.save_name = element(
            "input",
            attrs={
                "id": "save-result-name",
                "type": "text",
                "autocomplete": "off",
                "spellcheck": "false",
            },
        )
        self.save_form.append(self.save_name)
        self.save_form.append(
            element("button", "Save table", cls="button small primary", attrs={"type": "submit"})
        )
        no = element("button", "Cancel", cls="button small", attrs={"type": "button"})
        self.save_form.append(no)
        self.save_form.hidden = True
        self.app.listen(self.save_form, "submit", self.on_save_submit)
        self.app.listen(no, "click", self.on_save_cancel)
        return self.save_form

    def build_messages(self):
        wrap = element("div", cls="query-messages")
        self.status = element("p", cls="query-status", attrs={"id": "query-status"})
        self.error = element("div", cls="query-error", attrs={"id": "query-error", "role": "alert"})
        self.error.hidden = True
        self.consent = element(
            "div",
            cls="query-consent",
            attrs={"id": "query-consent", "role": "group", "aria-labelledby": "query-consent-text"},
        )
        self.consent_text = element("p", attrs={"id": "query-consent-text"})
        self.consent.append(self.consent_text)
        yes = element(
            "button",
            "Run",
            cls="button small primary",
            attrs={"type": "button", "data-consent": "yes"},
        )
        no = element(
            "button",
            "Don't run",
            cls="button small",
            attrs={"type": "button", "data-consent": "no"},
        )
        self.consent.append(yes)
        self.consent.append(no)
        self.consent.hidden = True
        self.app.listen(self.consent, "click", self.on_consent)
        wrap.append(self.status)
        wrap.append(self.error)
        wrap.append(self.consent)
        return wrap

    # Opening and closing.
    def is_open(self):
        return not self.panel.hidden

    def open(self, focus=True):
        self.panel.hidden = False
        self.toggle.setAttribute("aria-expanded", "true")
        if focus:
            self.editor.focus()

    def close(self):
        self.panel.hidden = True
        self.toggle.setAttribute("aria-expanded", "false")
        self.editor.close()

    def on_toggle(self, event):
        if self.is_open():
            self.close()
            self.toggle.focus()
        else:
            self.open()

    # The editor's text and its parameters.
    def completion_schema(self):
        """({table: [column]}, the result's columns) for completion, from the tables panel."""
        schema = {}
        for table in self.app.panel.tables:
            schema[table["name"]] = list(table.get("columns") or [])
        extra = []
        reply = self.view.reply
        if reply is not None and self.view.is_result():
            extra = list(reply["columns"])
        return schema, extra

    def on_text(self, text):
        names = sql_tokens.parameters(text)
        if names != self.param_names:
            self.remember_params()
            self.param_names = names
            self.render_params()

    def remember_params(self):
        fields = self.params.querySelectorAll("input[data-param]")
        for index in range(fields.length):
            field = fields.item(index)
            self.param_values[field.getAttribute("data-param")] = field.value

    def render_params(self):
        old = self.params.querySelectorAll(".query-param")
        for index in range(old.length):
            old.item(index).remove()
        for name in self.param_names:
            label = element("label", cls="query-param")
            label.append(element("span", name, cls="query-param-name"))
            field = element(
                "input",
                attrs={
                    "type": "text",
                    "data-param": name,
                    "autocomplete": "off",
                    "spellcheck": "false",
                },
            )
            field.value = self.param_values.get(name, "")
            label.append(field)
            self.params.append(label)
        self.params.hidden = not self.param_names

    def param_args(self):
        self.remember_params()
        return {name: self.param_values.get(name, "") for name in self.param_names}

    # Running.
    def on_run_key(self):
        self.app.spawn(self.run())

    def on_run_click(self, event):
        self.app.spawn(self.run())

    def on_panel_key(self, event):
        """Ctrl/Cmd+Enter runs from a parameter or the time limit too (the editor has its own)."""
        if (
            event.key == "Enter"
            and (event.ctrlKey or event.metaKey)
            and event.target.id != "sql-input"
        ):
            event.preventDefault()
            self.app.spawn(self.run())

    def on_cancel(self, event):
        self.app.cancel_long()

    def time_limit(self):
        """The time limit in whole seconds, or None (and the reason shown) when it is not one."""
        text = str(self.seconds.value).strip()
        if text.isdigit() and int(text) >= 1:
            self.seconds.removeAttribute("aria-invalid")
            return int(text)
        self.seconds.setAttribute("aria-invalid", "true")
        self.show_error(
            {
                "message": "The time limit must be a whole number of seconds, 1 or more.",
                "hint": "For example 30.",
            }
        )
        self.seconds.focus()
        return None

    async def run(self, readonly=False, allow_python=True, state=None):
        """Run the editor's text; `state` is a link's view to apply to the result."""
        if self.running:
            return
        sql = self.editor.text()
        if not sql.strip():
            self.show_error(
                {
                    "message": "Write a query first.",
                    "hint": "For example: SELECT * FROM my_table LIMIT 10",
                }
            )
            self.editor.focus()
            return
        seconds = self.time_limit()
        if seconds is None:
            return
        args = {
            "sql": sql,
            "params": self.param_args(),
            "seconds": seconds,
            "readonly": readonly,
            "allow_python": allow_python,
        }
        await self.execute(args, state)

    async def execute(self, args, state):
        self.set_running(True)
        self.clear_messages()
        self.status.textContent = "Running…"
        try:
            reply = await self.app.run_long("sql", args, RUN_LABEL, args["seconds"])
        finally:
            self.set_running(False)
        await self.show_reply(reply, args, state)
        await self.lists.refresh()

    def set_running(self, running):
        self.running = running
        self.run_button.hidden = running
        self.cancel_button.hidden = not running
        if running:
            self.panel.setAttribute("aria-busy", "true")
        else:
            self.panel.removeAttribute("aria-busy")

    async def show_reply(self, reply, args, state):
        if not reply["ok"]:
            self.show_failure(reply["error"], args, state)
            return
        result = reply["result"]
        message = result.get("message") or "Done."
        self.status.textContent = message
        if result.get("kind") == "rows":
            await self.show_rows(result, args["sql"], state, message)
        else:
            self.status.textContent = message
            alerts.say(message)
            await self.tables_changed(result)

    async def show_rows(self, result, sql, state, message):
        table = result["table"]
        shown = view_state.empty_view(table) if state is None else dict(state)
        shown["table"] = table
        self.view.sql = sql
        self.result_table = table
        await self.view.apply(shown, "quiet")
        if self.view.state.get("table") != table:
            # The link's sort or filters do not fit the result (the view bar says why):
            # show the result as it is rather than the table shown before.
            await self.view.apply(view_state.empty_view(table), "quiet")
        self.save_button.hidden = False
        if state is not None and self.app.unknown_note:
            message = message + ". " + self.app.unknown_note  # a link's: still worth saying
        alerts.say(message)
        if result.get("changed_tables") or result.get("dropped_tables"):
            await self.tables_changed(result)

    async def tables_changed(self, result):
        """The SQL created, changed or dropped tables: the tables panel and the view follow."""
        changed = result.get("changed_tables") or []
        dropped = result.get("dropped_tables") or []
        if not changed and not dropped:
            return
        current = self.view.state.get("table")
        if current in dropped:
            self.app.forget_current()
        elif current in changed:
            await self.view.reload()
        self.app.panel.changed()

    def show_failure(self, error, args, state):
        kind = error.get("kind")
        if kind == "consent":
            self.ask_consent(error, args, state)
        elif kind == "cancelled":
            self.status.textContent = error.get("message") or "Cancelled."
            alerts.say(self.status.textContent)
        else:
            self.status.textContent = ""
            self.show_error(error, args["sql"])
            alerts.say("The query failed.")
            self.app.query_failed(error)

    def show_error(self, error, sql=None):
        """The error in #query-error: what happened, where, what to try; the offending text
        marked in the editor. Never a traceback: `details` is only used for the mark."""
        clear(self.error)
        self.error.append(
            element("p", error.get("message") or "The query failed.", cls="query-error-message")
        )
        where = location(error)
        if where:
            self.error.append(element("p", where, cls="query-error-where"))
        if error.get("hint"):
            self.error.append(element("p", error["hint"], cls="hint"))
        self.error.hidden = False
        if sql is not None and sql == self.editor.text():
            start, end = sql_tokens.error_span(
                sql, error.get("line"), error.get("column"), error.get("details")
            )
            self.editor.set_mark(start, end)

    def clear_messages(self):
        self.error.hidden = True
        clear(self.error)
        self.consent.hidden = True
        self.status.textContent = ""
        self.editor.set_mark(0, 0)

    # A link's query.
    async def run_link(self, sql, state):
        """`sql=` from the fragment: read-only, no Python without asking."""
        self.open(False)
        self.editor.set_text(sql)
        await self.app.restore_stored()  # the query may read stored tables
        await self.run(readonly=True, allow_python=False, state=state)

    def ask_consent(self, error, args, state):
        names = error.get("details") or ""
        self.consent_text.textContent = (
            "This link's query calls your Python functions: " + names + ". Run them?"
        )
        self.consent_args = args
        self.consent_state = state
        self.consent.hidden = False
        self.status.textContent = "Waiting for your answer."
        alerts.say(self.consent_text.textContent)
        self.consent.querySelector("[data-consent=no]").focus()

    def on_consent(self, event):
        answer = event.target.getAttribute("data-consent")
        if not answer or self.consent_args is None:
            return
        args = dict(self.consent_args)
        state = self.consent_state
        self.consent_args = None
        self.consent.hidden = True
        if answer == "yes":
            args["allow_python"] = True
            self.app.spawn(self.execute(args, state))
        else:
            self.status.textContent = "The linked query was not run."
            alerts.say(self.status.textContent)
            self.editor.focus()

    # Saving the result.
    def on_save_click(self, event):
        self.save_form.hidden = False
        if not self.save_name.value:
            self.save_name.value = "query_result"
        self.save_name.focus()
        self.save_name.select()

    def on_save_cancel(self, event):
        self.save_form.hidden = True
        self.save_button.focus()

    def on_save_submit(self, event):
        event.preventDefault()
        name = self.save_name.value.strip()
        if not name:
            self.show_error(
                {"message": "Give the new table a name.", "hint": "For example: big_cities"}
            )
            self.save_name.focus()
            return
        self.app.spawn(self.save_result(name))

    async def save_result(self, name):
        if self.result_table is None:
            return
        args = {"table": self.result_table, "name": name}
        reply = await self.app.run_long("save_result", args, "Saving the result")
        if not reply["ok"]:
            self.show_error(reply["error"])
            return
        result = reply["result"]
        self.save_form.hidden = True
        self.error.hidden = True
        message = result.get("message") or ("Saved the result as " + result["table"] + ".")
        self.status.textContent = message
        alerts.say(message)
        await self.app.save([result["table"]], "SQL", message)
        self.save_button.focus()

    # The view and the engine.
    def on_view(self, reply):
        """The save button belongs to the result on screen."""
        showing = self.view.is_result() and reply["table"] == self.result_table
        self.save_button.hidden = not showing
        if not showing:
            self.save_form.hidden = True

    def on_view_cleared(self):
        self.save_button.hidden = True
        self.save_form.hidden = True

    def on_restart(self):
        """A new engine has no results; the history and saved queries come back."""
        self.result_table = None
        self.save_button.hidden = True
        self.save_form.hidden = True
        self.app.spawn(self.lists.refresh())


def start(app, view):
    """Wire the panel to the app and its view controller; called once at start-up."""
    panel = QueryPanel(app, view)
    panel.start()
    return panel
