"""The Export menu (MicroPython): download the current view, or the whole workspace.

An "Export" disclosure button in #query-tools opens a small popover: "Export CSV", "Export
JSON", "Export Excel", "Export SQLite" (DESIGN.md: the format is in each accessible name),
the CSV and Excel options, and "Export workspace (SQLite)". The button is usable while a
table or a query result is shown (the view controller's listeners say so).

Each export sends the view controller's spec (table, sort, filters, q) to the engine's
`export` through app.run_long (progress panel, Cancel); the engine worker answers with a
`blob:` URL, which an `<a download>` clicked from Python turns into a download, and
`release` frees afterwards. docs/export-contract.md has the commands and the formats.
Keyboard: Enter or Space opens (focus goes to the first format), the arrow keys, Home and End
move between the menu's controls, Tab moves on as usual, Escape closes and focuses the button.
Imports: sift.view_state and sift.ui (alerts, dom).
"""

import asyncio

from sift import view_state
from sift.ui import alerts
from sift.ui.dom import by_id, element, page

# (format, the word in the control's name, the options it takes): docs/export-contract.md
FORMATS = (
    ("csv", "CSV", ("bom", "raw")),
    ("json", "JSON", ()),
    ("xlsx", "Excel", ("raw",)),
    ("sqlite", "SQLite", ()),
)
WORDS = {entry[0]: entry[1] for entry in FORMATS}
OPTIONS = {entry[0]: entry[2] for entry in FORMATS}
RESULT_PREFIX = "sift_result_"  # a query's result table (docs/query-contract.md)
NO_TABLE = "Open a table first: Export saves the rows shown."
BOM_LABEL = "Add a BOM (for Excel)"
BOM_NOTE = "CSV only: helps Excel on Windows read accents and other non-English letters."
RAW_LABEL = "Keep raw values (no formula protection)"
RAW_NOTE = (
    "CSV and Excel: text starting with = + - @ gets a leading ' so it is never run as a formula."
)
WORKSPACE_LABEL = "Export workspace (SQLite)"
WORKSPACE_NOTE = "Every table in one file: open it in Sift to get them all back."
# Chromium starts reading a download's blob: URL after the click returns, so the worker's
# Blob is freed a little later rather than at once (FileSaver.js waits for the same reason).
RELEASE_AFTER_S = 10


def is_result(table):
    return bool(table) and table.startswith(RESULT_PREFIX)


def shown_name(table):
    return "the query result" if is_result(table) else table


def export_args(state, fmt, choices):
    """The `export` command's args: the view's spec, the format and the options it takes."""
    args = view_state.view_spec(state)
    args["format"] = fmt
    takes = OPTIONS[fmt]
    if takes:
        args["options"] = {option: bool(choices.get(option)) for option in takes}
    return args


def scope_text(state):
    """What an export holds: 'The rows of sales as shown: filtered, sorted.'"""
    parts = []
    if state.get("filters") or state.get("q"):
        parts.append("filtered")
    if state.get("sort"):
        parts.append("sorted")
    text = "The rows of " + shown_name(state.get("table")) + " as shown"
    return text + (": " + ", ".join(parts) + "." if parts else ".")


def download(url, name):
    """Save a `blob:` URL as a file named `name`: a temporary `<a download>`, clicked."""
    link = element("a", attrs={"href": url, "download": name})
    link.hidden = True
    page.document.body.append(link)
    link.click()
    link.remove()


class ExportMenu:
    def __init__(self, app, view):
        self.app = app
        self.view = view
        self.table = None
        self.running = False

    # Building.
    def start(self):
        tools = by_id("query-tools")
        self.wrap = element("div", cls="export-wrap")
        self.toggle = element(
            "button",
            "Export",
            cls="button",
            attrs={
                "type": "button",
                "id": "export-toggle",
                "aria-expanded": "false",
                "aria-controls": "export-menu",
                "aria-describedby": "export-reason",
            },
        )
        self.reason = element(
            "span", NO_TABLE, cls="visually-hidden", attrs={"id": "export-reason"}
        )
        self.menu = element(
            "div",
            cls="export-menu",
            attrs={"id": "export-menu", "role": "group", "aria-labelledby": "export-toggle"},
        )
        self.menu.hidden = True
        self.build_menu()
        self.wrap.append(self.toggle)
        self.wrap.append(self.reason)
        self.wrap.append(self.menu)
        tools.append(self.wrap)
        tools.hidden = False
        self.set_table(None)
        self.app.listen(self.toggle, "click", self.on_toggle)
        self.app.listen(self.wrap, "keydown", self.on_key)
        self.app.listen(self.menu, "click", self.on_menu_click)
        self.app.listen(self.wrap, "focusout", self.on_focus_out)
        self.app.listen(page.document, "click", self.on_page_click)
        self.view.listeners.append(self.on_view)
        self.view.clear_listeners.append(self.on_clear)

    def build_menu(self):
        self.scope = element("p", cls="export-scope", attrs={"id": "export-scope"})
        self.menu.append(self.scope)
        formats = element("div", cls="export-formats")
        for name, word, _takes in FORMATS:
            formats.append(
                element(
                    "button",
                    "Export " + word,
                    cls="button small",
                    attrs={
                        "type": "button",
                        "data-export": name,
                        "aria-describedby": "export-scope",
                    },
                )
            )
        self.menu.append(formats)
        options = element("fieldset", cls="export-options")
        options.append(element("legend", "Options"))
        self.bom = self.checkbox(options, "export-bom", BOM_LABEL, BOM_NOTE)
        self.raw = self.checkbox(options, "export-raw", RAW_LABEL, RAW_NOTE)
        self.menu.append(options)
        whole = element("div", cls="export-workspace")
        whole.append(
            element(
                "button",
                WORKSPACE_LABEL,
                cls="button small",
                attrs={
                    "type": "button",
                    "data-export": "workspace",
                    "aria-describedby": "export-workspace-note",
                },
            )
        )
        whole.append(
            element("p", WORKSPACE_NOTE, cls="export-note", attrs={"id": "export-workspace-note"})
        )
        self.menu.append(whole)

    def checkbox(self, parent, node_id, label, note):
        row = element("div", cls="export-option")
        box = element(
            "input",
            attrs={"type": "checkbox", "id": node_id, "aria-describedby": node_id + "-note"},
        )
        row.append(box)
        row.append(element("label", label, attrs={"for": node_id}))
        row.append(element("p", note, cls="export-note", attrs={"id": node_id + "-note"}))
        parent.append(row)
        return box

    # The view shown (view controller listeners).
    def on_view(self, reply):
        self.set_table(reply["table"])
        self.scope.textContent = scope_text(self.view.state)

    def on_clear(self):
        self.set_table(None)
        self.close(False)

    def set_table(self, table):
        self.table = table
        if table is None:
            self.toggle.setAttribute("aria-disabled", "true")
            self.reason.textContent = NO_TABLE
        else:
            self.toggle.removeAttribute("aria-disabled")
            self.reason.textContent = ""

    # Opening and closing.
    def is_open(self):
        return not self.menu.hidden

    def open(self):
        self.scope.textContent = scope_text(self.view.state)
        self.menu.hidden = False
        self.toggle.setAttribute("aria-expanded", "true")
        self.controls()[0].focus()

    def close(self, refocus=True):
        if not self.is_open():
            return
        self.menu.hidden = True
        self.toggle.setAttribute("aria-expanded", "false")
        if refocus:
            self.toggle.focus()

    def on_toggle(self, event):
        if self.is_open():
            self.close()
        elif self.table is None:
            alerts.say(NO_TABLE)
        else:
            self.open()

    def on_page_click(self, event):
        if self.is_open() and not self.wrap.contains(event.target):
            self.close(False)

    def on_focus_out(self, event):
        """Tab past the menu's last control (or Shift+Tab before the button) closes it."""
        going = event.relatedTarget
        if self.is_open() and going is not None and not self.wrap.contains(going):
            self.close(False)

    # Keyboard.
    def controls(self):
        found = self.menu.querySelectorAll("button, input")
        return [found.item(index) for index in range(found.length)]

    def on_key(self, event):
        key = event.key
        if key == "Escape" and self.is_open():
            event.preventDefault()
            self.close()
            return
        if key not in ("ArrowDown", "ArrowUp", "Home", "End") or not self.menu.contains(
            event.target
        ):
            return
        event.preventDefault()
        items = self.controls()
        at = 0
        for index in range(len(items)):
            if items[index].isSameNode(page.document.activeElement):
                at = index
        if key == "Home":
            at = 0
        elif key == "End":
            at = len(items) - 1
        elif key == "ArrowDown":
            at = (at + 1) % len(items)
        else:
            at = (at - 1) % len(items)
        items[at].focus()

    # Exporting.
    def on_menu_click(self, event):
        button = event.target.closest("button[data-export]")
        if button is None:
            return
        what = button.getAttribute("data-export")
        if self.running:
            alerts.say("An export is already running: wait for it, or cancel it.")
            return
        self.close()
        if what == "workspace":
            self.app.spawn(self.export_workspace())
        else:
            self.app.spawn(self.export_view(what))

    async def export_view(self, fmt):
        state = view_state.view_spec(self.view.state)
        if not state.get("table"):
            alerts.say(NO_TABLE)
            return
        choices = {"bom": self.bom.checked, "raw": self.raw.checked}
        args = export_args(self.view.state, fmt, choices)
        word = WORDS[fmt]
        label = "Exporting " + shown_name(state["table"]) + " to " + word
        await self.run("export", args, label)

    async def export_workspace(self):
        await self.run("export_workspace", {}, "Exporting the workspace")

    async def run(self, command, args, label):
        self.running = True
        self.toggle.setAttribute("aria-busy", "true")
        alerts.clear_error()
        alerts.say(label + "…")
        try:
            reply = await self.app.run_long(command, args, label)
        finally:
            self.running = False
            self.toggle.removeAttribute("aria-busy")
        if not reply["ok"]:
            self.failed(reply["error"])
            return
        result = reply["result"]
        download(result["url"], result["name"])
        message = result.get("message") or ("Exported " + result["name"] + ".")
        if result.get("warnings"):
            message = message + " " + " ".join(result["warnings"])
        alerts.say(message)
        self.app.spawn(self.release(result["url"]))

    def failed(self, error):
        if error.get("kind") == "cancelled":
            alerts.say(error.get("message") or "Export cancelled: nothing was exported.")
            return
        alerts.show_error(error)
        alerts.say("Nothing was exported.")

    async def release(self, url):
        await asyncio.sleep(RELEASE_AFTER_S)
        await self.app.call("release", {"url": url})


def start(app, view):
    """Wire the export controls to the app and its view controller; called once at start-up."""
    menu = ExportMenu(app, view)
    menu.start()
    return menu
