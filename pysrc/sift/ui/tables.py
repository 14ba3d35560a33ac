"""The "Your tables" panel (MicroPython): stored tables, storage use, and erase-all.

It can list what the browser stored before the engine is ready, straight from the index
that the engine's storage writes (see storage_host).
"""

import asyncio
import json

import js

from sift.ui import alerts
from sift.ui.dom import by_id, clear, element
from sift.ui.storage_names import CHANNEL, FOLDER, INDEX_FILE

# Reading the index right after a reload failed once in CI (the list stayed empty until the
# engine was ready): an empty answer is asked again a few times, until the engine's list comes.
STORED_READS = 4
STORED_RETRY_S = 0.5


async def stored_tables():
    """The index's tables, or [] when nothing is stored (or it cannot be read yet)."""
    try:
        root = await js.navigator.storage.getDirectory()
        folder = await root.getDirectoryHandle(FOLDER)
        handle = await folder.getFileHandle(INDEX_FILE)
        data = json.loads(await (await handle.getFile()).text())
        entries = data["tables"]
    except Exception:  # nothing stored yet, or storage unavailable: an empty list
        return []
    return [
        {
            "name": name,
            "rows": entries[name].get("rows", 0),
            "columns": entries[name].get("columns", []),
            "bytes": entries[name].get("bytes", 0),
            "source": entries[name].get("source") or "",
        }
        for name in sorted(entries, key=lambda name: name.lower())
    ]


def size_text(size):
    """8200 -> '8.2 KB' in integer arithmetic (MicroPython floats print long)."""
    for unit, scale in (("GB", 10**9), ("MB", 10**6), ("KB", 10**3)):
        if size >= scale:
            tenths = (size * 10 + scale // 2) // scale
            text = str(tenths // 10) + ("." + str(tenths % 10) if tenths % 10 else "")
            return text + " " + unit
    return str(size) + " bytes"


def grouped(number):
    """1234567 -> '1,234,567' (MicroPython's format() has no ',' option)."""
    digits = str(number)
    groups = []
    while len(digits) > 3:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    groups.insert(0, digits)
    return ",".join(groups)


def count_text(count, noun):
    return grouped(count) + " " + (noun if count == 1 else noun + "s")


def render(tables, current=None, confirming=None, renaming=None):
    """Fill #tables-list; actions are data-action buttons handled by the app's listener."""
    panel = by_id("tables-panel")
    listing = by_id("tables-list")
    clear(listing)
    for table in tables:
        name = table["name"]
        if name == renaming:
            listing.append(rename_form(name))
        else:
            listing.append(item(table, name == current, name == confirming))
    panel.hidden = not tables


def rename_form(name):
    row = element("li", cls="table-item")
    form = element("form", cls="rename-form", attrs={"data-table": name})
    form.append(
        element(
            "input",
            attrs={
                "type": "text",
                "value": name,
                "aria-label": "New name for " + name,
                "class": "rename-input",
                "autocomplete": "off",
                "spellcheck": "false",
            },
        )
    )
    form.append(element("button", "Save", cls="button small", attrs={"type": "submit"}))
    form.append(button("Cancel", "rename-no", name, "Keep the name " + name))
    row.append(form)
    return row


def item(table, is_current, confirming):
    name = table["name"]
    row = element("li", cls="table-item")
    opener = element(
        "button",
        name,
        cls="table-open",
        attrs={"type": "button", "data-action": "open", "data-table": name},
    )
    if is_current:
        opener.setAttribute("aria-current", "true")
    row.append(opener)
    meta = count_text(table["rows"], "row") + " · " + count_text(len(table["columns"]), "column")
    if table.get("bytes"):
        meta = meta + " · " + size_text(table["bytes"])
    row.append(element("span", meta, cls="table-meta"))
    if confirming:
        row.append(element("span", "Delete " + name + "?", cls="table-confirm"))
        row.append(button("Delete", "delete-yes", name, "Delete " + name + " for good"))
        row.append(button("Keep", "delete-no", name, "Keep " + name))
    else:
        row.append(button("Rename", "rename", name, "Rename " + name))
        row.append(button("Delete", "delete", name, "Delete " + name))
    return row


def button(text, action, name, label):
    return element(
        "button",
        text,
        cls="button small",
        attrs={"type": "button", "data-action": action, "data-table": name, "aria-label": label},
    )


def show_usage(usage, persisted, memory):
    line = "Stored in this browser: " + size_text(usage["usage"])
    if usage.get("quota"):
        line = line + " of " + size_text(usage["quota"]) + " available"
    line = line + (
        ". Kept until you erase it."
        if persisted
        else ". The browser may clear it if space runs low."
    )
    line = line + " The engine uses " + size_text(memory) + " of memory."
    node = by_id("storage-line")
    node.textContent = line
    node.setAttribute("data-engine-memory", str(memory))  # read by bench/import.py


class Panel:
    """The panel's behaviour: open, delete (with a confirmation), erase all, refresh.
    `app` gives `call`, `spawn`, `listen`, `show_table` and `forget_current`."""

    def __init__(self, app):
        self.app = app
        self.tables = []
        self.current = None
        self.confirming = None
        self.renaming = None
        self.channel = js.BroadcastChannel.new(CHANNEL)

    def start(self):
        self.app.listen(by_id("tables-list"), "click", self.on_click)
        self.app.listen(by_id("tables-list"), "submit", self.on_rename_submit)
        self.app.listen(by_id("erase-all"), "click", self.on_erase_all)
        self.app.listen(by_id("erase-yes"), "click", self.on_erase_yes)
        self.app.listen(by_id("erase-no"), "click", self.on_erase_no)
        self.app.listen(self.channel, "message", self.on_other_tab)
        self.app.spawn(self.show_stored())

    async def show_stored(self):
        """Before the engine is ready: what this browser has kept, from the index alone."""
        for _ in range(STORED_READS):
            if self.tables:
                return  # the engine's list came first
            tables = await stored_tables()
            if tables and not self.tables:
                self.tables = tables
                self.redraw()
                return
            await asyncio.sleep(STORED_RETRY_S)

    async def refresh(self):
        reply = await self.app.call("workspace", {})
        if not reply["ok"]:
            alerts.show_error(reply["error"])
            return
        result = reply["result"]
        self.tables = result["tables"]
        self.redraw()
        show_usage(result["usage"], await js.navigator.storage.persisted(), result["memory"])
        if result["problems"]:
            alerts.show_error(
                {
                    "message": " ".join(result["problems"]),
                    "hint": "Open those files again to get them back.",
                }
            )

    def redraw(self):
        render(self.tables, self.current, self.confirming, self.renaming)

    def changed(self):
        """This tab changed the stored tables: tell the other tabs, and refresh."""
        self.channel.postMessage("changed")
        self.app.spawn(self.refresh())

    async def keep_storage(self):
        """Ask the browser to keep the data (granted or not, the app works the same)."""
        if not await js.navigator.storage.persisted():
            await js.navigator.storage.persist()

    def on_other_tab(self, event):
        if self.app.engine is not None:
            self.app.spawn(self.refresh())

    def on_click(self, event):
        target = event.target
        action = target.getAttribute("data-action")
        name = target.getAttribute("data-table")
        if action == "open":
            self.app.queue({"kind": "show", "name": name})
        elif action == "delete":
            self.confirming = name
            self.redraw()
            by_id("tables-list").querySelector('[data-action="delete-no"]').focus()
        elif action == "delete-no":
            self.confirming = None
            self.redraw()
        elif action == "delete-yes":
            self.confirming = None
            self.app.spawn(self.delete(name))
        elif action == "rename":
            self.renaming = name
            self.redraw()
            field = by_id("tables-list").querySelector(".rename-input")
            field.focus()
            field.select()
        elif action == "rename-no":
            self.renaming = None
            self.redraw()

    def on_rename_submit(self, event):
        event.preventDefault()
        form = event.target
        old = form.getAttribute("data-table")
        new = form.querySelector(".rename-input").value
        self.renaming = None
        self.app.spawn(self.rename(old, new))

    async def rename(self, old, new):
        reply = await self.app.call("rename", {"table": old, "name": new})
        if not reply["ok"]:
            self.redraw()
            alerts.show_error(reply["error"])
            return
        result = reply["result"]
        if self.current == old:
            self.current = result["table"]
            await self.app.show(result["table"])
        alerts.say(result["message"])
        self.changed()

    async def delete(self, name):
        reply = await self.app.call("drop", {"table": name})
        if not reply["ok"]:
            alerts.show_error(reply["error"])
            return
        if self.current == name:
            self.app.forget_current()
        alerts.say(reply["result"]["message"])
        self.changed()

    def on_erase_all(self, event):
        by_id("erase-confirm").hidden = False
        by_id("erase-no").focus()

    def on_erase_no(self, event):
        by_id("erase-confirm").hidden = True

    def on_erase_yes(self, event):
        by_id("erase-confirm").hidden = True
        self.app.spawn(self.erase())

    async def erase(self):
        reply = await self.app.call("erase", {})
        if not reply["ok"]:
            alerts.show_error(reply["error"])
            return
        self.app.forget_current()
        alerts.say(reply["result"]["message"])
        self.changed()
