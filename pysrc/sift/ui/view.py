"""The view controller (MicroPython): the current view, its rows from the engine, the link.

The state is a sift.view_state dict (table, sort, filters, q, facets). Every change (a
header click, a filter from the panels, a link) is a new *generation*: #table-area gets
data-sift-view="loading", the first block comes from the engine's `view` command, the grid
shows it, the fragment is rewritten with history.replaceState (no history entry and no
hashchange), the listeners get the reply, the status region says what changed, and
data-sift-view becomes "ready". Then rows come in blocks of BLOCK_ROWS, at most
MAX_IN_FLIGHT requests at once and only for blocks the grid shows *now* (rows scrolled past
are never asked for); replies of an older generation are dropped. At most CACHE_BLOCKS
blocks are kept, the least recently shown dropped first.

Hooks for the panels (sift.ui.panels): `listeners` are called with every new view reply;
`clear_listeners` with no argument when no table is shown any more; `error_listeners` with
the error of a failed view (one that returns True has shown it, e.g. inline, else it goes to
the alert); `filter_requests` with a column whose header menu asked to filter it.
Until the engine has a `view` command, `page` is used (no sort, filters or search).
"""

import js

from sift import view_state
from sift.number_format import count_text, grouped
from sift.ui import alerts, grid, row_detail
from sift.ui.dom import by_id, page, page_address

BLOCK_ROWS = 100
CACHE_BLOCKS = 40
MAX_IN_FLIGHT = 2
# The engine keeps a query's rows in a table of this name (docs/query-contract.md): never
# listed, never stored, and named "Query result" on screen.
RESULT_PREFIX = "sift_result_"
RESULT_LABEL = "Query result"


def is_result_table(name):
    return bool(name) and name.startswith(RESULT_PREFIX)


def display_name(table):
    return RESULT_LABEL if is_result_table(table) else table


def copy_state(state):
    return {
        "table": state.get("table"),
        "sort": [dict(entry) for entry in state.get("sort") or []],
        "filters": [dict(entry) for entry in state.get("filters") or []],
        "q": state.get("q") or "",
        "facets": list(state.get("facets") or []),
    }


def complete(result, state):
    """A `page` reply (or a load's first page) in the shape of a `view` reply."""
    if "table_rows" in result:
        return result
    full = dict(result)
    full["table_rows"] = result["total_rows"]
    full["sort"] = []
    full["filters"] = []
    full["description"] = ""
    full["search"] = "none"
    return full


def rows_text(result):
    """'250 rows', or '12 of 250 rows' when filters or a search leave fewer."""
    total, whole = result["total_rows"], result.get("table_rows", result["total_rows"])
    if total == whole:
        return count_text(total, "row")
    return grouped(total) + " of " + count_text(whole, "row")


def announcement(kind, state, result):
    """What the status region says once a view of this `kind` has its first rows."""
    table = display_name(result["table"])
    if kind == "open":
        rows = count_text(result["total_rows"], "row")
        columns = count_text(len(result["columns"]), "column")
        return "Showing " + table + ": " + rows + ", " + columns + "."
    if kind == "sort":
        return view_state.sort_sentence(state.get("sort") or [])
    if kind == "filter":
        return (result.get("description") or "All rows") + ": " + rows_text(result) + "."
    if kind == "link":
        text = "Showing " + table + ": " + rows_text(result) + "."
        if result.get("description"):
            text = text + " " + result["description"] + "."
        if state.get("sort"):
            text = text + " " + view_state.sort_sentence(state["sort"])
        return text
    return ""


class ViewController:
    def __init__(self, app):
        self.app = app
        self.area = by_id("table-area")
        self.state = view_state.empty_view()
        self.shown = None  # the last state whose rows were shown
        self.sources = []  # the link's src= values, kept in every fragment
        self.sql = ""  # the query whose result table is shown (the fragment's sql=)
        self.listeners = []
        self.clear_listeners = []
        self.error_listeners = []
        self.filter_requests = []
        self.reply = None
        self.held = None  # a loaded table's first page, waiting for its link's view (hold)
        self.generation = 0
        self.blocks = {}
        self.recent = []
        self.pending = []
        self.failed = []
        self.has_view_command = True
        self.grid = grid.Grid(app, self)
        self.detail = row_detail.RowDetail(app, self.grid.focus_active)

    # Rows for the grid.
    def row(self, index):
        block = self.blocks.get(index // BLOCK_ROWS)
        if block is None:
            return None
        offset = index % BLOCK_ROWS
        return block[offset] if offset < len(block) else None

    def want(self, start, end):
        """The grid shows rows start..end-1: ask for the blocks missing among them."""
        for block in range(start // BLOCK_ROWS, (max(end, start + 1) - 1) // BLOCK_ROWS + 1):
            if block in self.blocks:
                self.touch(block)
            elif block not in self.pending and block not in self.failed:
                if len(self.pending) >= MAX_IN_FLIGHT:
                    return
                self.pending.append(block)
                self.app.spawn(self.fetch_block(block, self.generation))

    async def fetch_block(self, block, generation):
        reply = await self.fetch(block * BLOCK_ROWS, BLOCK_ROWS)
        if generation != self.generation:
            return  # the view changed while this block was on its way
        if block in self.pending:
            self.pending.remove(block)
        if not reply["ok"]:
            self.failed.append(block)
            alerts.show_error(reply["error"])
            return
        self.store(block, reply["result"]["rows"])
        self.grid.paint()  # shows the rows if still in view, and asks for the next blocks

    async def fetch(self, offset, limit):
        if self.has_view_command:
            args = view_state.view_spec(self.state)
            args["offset"] = offset
            args["limit"] = limit
            reply = await self.app.call("view", args)
            if reply["ok"] or "no command" not in (reply["error"].get("message") or ""):
                return reply
            self.has_view_command = False
        args = {"table": self.state["table"], "offset": offset, "limit": limit}
        return await self.app.call("page", args)

    def store(self, block, rows):
        self.blocks[block] = rows
        self.touch(block)
        while len(self.recent) > CACHE_BLOCKS:
            self.blocks.pop(self.recent.pop(0), None)

    def touch(self, block):
        if self.recent and self.recent[-1] == block:
            return
        if block in self.recent:
            self.recent.remove(block)
        self.recent.append(block)

    # Changing the view.
    def begin(self, state):
        self.state = state
        self.generation += 1
        self.blocks = {}
        self.recent = []
        self.pending = []
        self.failed = []
        self.area.setAttribute("data-sift-view", "loading")
        return self.generation

    async def apply(self, state, kind, note=""):
        """Show `state`; once its first rows are in, say what changed (`kind`: open, sort,
        filter, link, or quiet), after `note` if there is one."""
        generation = self.begin(state)
        reply = await self.fetch(0, BLOCK_ROWS)
        if generation != self.generation:
            return
        if not reply["ok"]:
            self.fail(reply["error"])
            return
        self.present(reply["result"], kind, note)

    def change(self, state, kind):
        self.app.spawn(self.apply(state, kind))

    def present(self, result, kind, note=""):
        self.held = None
        result = complete(result, self.state)
        old = self.reply
        same_columns = (
            old is not None
            and self.grid.table is not None
            and old["table"] == result["table"]
            and old["columns"] == result["columns"]
            and old.get("types") == result.get("types")
        )
        if old is None or old["table"] != result["table"]:
            self.detail.close(False)
        self.state["table"] = result["table"]  # as the engine spells it
        self.reply = result
        self.shown = copy_state(self.state)
        self.store(result.get("offset", 0) // BLOCK_ROWS, result["rows"])
        if same_columns:
            self.grid.reset(result)
        else:
            self.grid.build(result, display_name(result["table"]))
        self.area.setAttribute("data-sift-view", "ready")
        self.write_fragment()
        self.notify()
        message = announcement(kind, self.state, result)
        if message:
            alerts.say(note + " " + message if note else message)

    def show_page(self, page):
        """A table just loaded: its first page came with the load, so no engine call."""
        self.begin(view_state.empty_view(page["table"]))
        self.present(page, "quiet")

    def hold(self, page):
        """A table just loaded whose link's view comes next: its first page is shown only
        if that view has the same rows (adopt) or cannot be shown (fail), so a widget never
        shows rows in an order or a filter its host did not ask for."""
        self.begin(view_state.empty_view(page["table"]))
        self.held = page

    def fail(self, error):
        """The view could not be shown: keep the last one (or the held page), and show why."""
        handled = False
        for listener in self.error_listeners:
            if listener(error):
                handled = True
        if self.shown is None and self.held is not None:
            self.show_page(self.held)
        elif self.shown is not None:
            self.state = copy_state(self.shown)
        if not handled:
            alerts.show_error(error)
        self.area.setAttribute("data-sift-view", "ready")
        self.write_fragment()

    def notify(self):
        for listener in self.listeners:
            listener(self.reply)

    def write_fragment(self):
        """The address bar holds the view, so a copied link reopens it."""
        location = page.window.location
        sql = self.sql if self.is_result() else ""
        fragment = view_state.view_fragment(self.state, self.sources, sql)
        if self.state.get("table") is None and not self.sources:
            fragment = ""
        if fragment != location.hash:
            page.window.history.replaceState(None, "", page_address(location) + fragment)

    def is_result(self):
        """Whether the view shows a query's result table."""
        return is_result_table(self.state.get("table"))

    def forget(self):
        """No table is shown any more (it was deleted, or everything was erased)."""
        self.generation += 1
        self.sql = ""
        self.state = view_state.empty_view()
        self.shown = None
        self.reply = None
        self.held = None
        self.blocks = {}
        self.recent = []
        self.detail.close(False)
        self.grid.forget()
        self.area.removeAttribute("data-sift-view")
        self.write_fragment()
        for listener in self.clear_listeners:
            listener()

    # Actions (from the grid, the header menu and the panels).
    async def open_table(self, table, kind="open"):
        await self.apply(view_state.empty_view(table), kind)

    async def reload(self, kind="quiet"):
        """The same view again (the table's data or types changed)."""
        await self.apply(copy_state(self.state), kind)

    async def adopt(self, state, note=""):
        """A link's view: only what differs from what is shown (or held) is fetched again."""
        held = self.held
        if held is not None and view_state.view_spec(state) == view_state.view_spec(
            view_state.empty_view(held["table"])
        ):
            self.begin(state)
            self.present(held, "quiet")
            return
        same_rows = self.reply is not None and view_state.view_spec(state) == view_state.view_spec(
            self.state
        )
        if not same_rows:
            await self.apply(state, "link", note)
            return
        self.state = state
        self.shown = copy_state(state)
        self.write_fragment()
        self.notify()

    def sort_clicked(self, column, add):
        state = copy_state(self.state)
        state["sort"] = view_state.next_sort(state["sort"], column, add)
        self.change(state, "sort")

    def menu_state(self, column):
        return {
            "sort": view_state.sort_direction(self.state.get("sort") or [], column),
            "facet": column in (self.state.get("facets") or []),
        }

    def menu_action(self, column, action):
        if action in ("asc", "desc", "off"):
            state = copy_state(self.state)
            state["sort"] = view_state.set_sort(state["sort"], column, action)
            self.change(state, "sort")
        elif action == "facet":
            self.toggle_facet(column)
        elif action == "filter":
            self.request_filter(column)

    def add_filter(self, column, op, value):
        state = copy_state(self.state)
        state["filters"].append({"column": column, "op": op, "value": str(value)})
        self.change(state, "filter")

    def remove_filter(self, index):
        state = copy_state(self.state)
        if 0 <= index < len(state["filters"]):
            state["filters"].pop(index)
            self.change(state, "filter")

    def set_q(self, text):
        state = copy_state(self.state)
        state["q"] = text
        self.change(state, "filter")

    def toggle_facet(self, column):
        """Facets do not change the rows: only the state, the link and the panels change."""
        facets = self.state.get("facets") or []
        if column in facets:
            self.state["facets"] = [name for name in facets if name != column]
        else:
            self.state["facets"] = list(facets)
            self.state["facets"].append(column)
        self.write_fragment()
        if self.reply is not None:
            self.notify()

    def request_filter(self, column):
        """The header menu's Filter…: the panels' filter form, set to this column."""
        for listener in self.filter_requests:
            listener(column)
        if self.filter_requests:
            return
        select = page.document.getElementById("filter-column")
        if select is None:
            return
        select.value = column
        select.dispatchEvent(js.Event.new("change"))
        field = page.document.getElementById("filter-value")
        (field or select).focus()

    def open_row(self, index):
        if 0 <= index < self.grid.total:
            self.app.spawn(self.show_row(index, self.generation))

    async def show_row(self, index, generation):
        values = self.row(index)
        if values is None:
            reply = await self.fetch(index, 1)
            if generation != self.generation or not reply["ok"]:
                return
            values = reply["result"]["rows"][0]
        reply = self.reply
        self.detail.show(index, reply["total_rows"], reply["columns"], self.grid.kinds, values)

    def close_detail(self):
        if self.detail.is_open:
            self.detail.close()
            return True
        return False
