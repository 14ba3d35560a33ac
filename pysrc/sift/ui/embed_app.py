"""A widget on someone else's page (embed.html in a frame made by embed.js; MicroPython).

It is the app with less on screen (embed.css): the grid or chart of the data file its host
names, with search, filters and sort, a row count and "Open in Sift". What differs:
- its settings come from the script tag's attributes (sift.embed_attributes), turned into the
  app's own fragment before anything reads it; problems are shown inside the widget;
- every widget on a host page is served by one MicroPython and calls one engine, both in the
  page's engine frame (sift.ui.widgets); embed.html opened by itself runs its own of each;
- nothing is stored: a widget's data is the host's file, fetched each time, and the visitor's
  own Sift tables (another storage partition anyway) are never listed;
- files dropped or pasted on a widget are not opened (it shows its host's data only).
"""

import js

from sift import chart_spec, embed_attributes, fragment, view_state
from sift.ui import alerts, tables
from sift.ui.app import App
from sift.ui.dom import by_id, page, page_address
from sift.ui.view import rows_text

SHARED_ENGINE = "siftSharedEngine"  # set by embed-engine.js in the host page's engine frame
NOTHING_TO_SHOW = "Nothing to show: see the message above."
ATTRIBUTES_HINT = "Fix the widget's attributes on the host page (Sift's README, Embed)."
SQL_HINT = "Fix the widget's data-sift-sql attribute on the host page."


class NoTables(tables.Panel):
    """A widget lists no tables and keeps none: its tables are its own sources', loaded."""

    def start(self):
        return

    async def refresh(self):
        return

    def changed(self):
        return


class EmbedApp(App):
    def __init__(self):
        super().__init__()
        location = page.window.location
        pairs = fragment.parse_fragment(location.hash)
        link, self.settings, self.problems = embed_attributes.from_attributes(pairs)
        text = "&".join(
            fragment.percent_encode(key) + "=" + fragment.percent_encode(value)
            for key, value in link
        )
        page.window.history.replaceState(
            None, "", page_address(location) + ("#" + text if text else "")
        )
        self.panel = NoTables(self)
        self.shared = False
        self.starting_message = "Starting the Python engine…"
        self.ready_message = ""  # a widget's status speaks of its data only
        # Rows once, in the order its host asked for (and one grid build less on the main
        # thread the page's widgets share).
        self.hold_for_link = True

    def start(self):
        theme = self.settings["theme"]
        if theme != "auto":
            page.document.documentElement.setAttribute("data-sift-theme", theme)
        self.listen(by_id("open-in-sift"), "click", self.on_open_in_sift)
        super().start()
        self.show_problems()

    def show_problems(self):
        """The attributes' problems, in the alert unless a worse error holds it."""
        if self.problems and by_id("alert").hidden:
            alerts.show_error({"message": " ".join(self.problems), "hint": ATTRIBUTES_HINT})

    async def open(self, job):
        await super().open(job)  # clears the alert first: say the problems again
        self.show_problems()

    def query_failed(self, error):
        """A widget shows no SQL panel: its query's error goes in its alert, with the place."""
        from sift.ui.query_panel import location

        where = location(error)
        alerts.show_error(
            {
                "message": (error.get("message") or "The query failed.")
                + (" (" + where + ")" if where else ""),
                "hint": SQL_HINT,
            }
        )

    async def start_explore(self):
        await super().start_explore()
        self.view.listeners.append(self.on_count)

    def start_panels(self):
        """Search and filters (no profiles), and the SQL and chart panels only for a widget
        that shows a query or a chart: the page's widgets share one main thread, and modules
        no widget uses are never compiled (MicroPython)."""
        from sift.ui import panels

        panels.start(self, self.view, profiled=False)
        pairs = fragment.parse_fragment(page.window.location.hash)
        if view_state.parse_sql(pairs):
            from sift.ui import query_panel

            self.query = query_panel.start(self, self.view)
        if chart_spec.parse_view_mode(pairs) == "chart":
            from sift.ui import chart_panel

            self.chart = chart_panel.start(self, self.view)
            # The chart hides the table (chart_panel.set_mode): hidden from the start, the
            # grid is built only if the visitor shows it, and the chart is asked for sooner.
            by_id("table-area").hidden = True
            self.view.grid.defer_hidden = True

    def queue_fragment(self):
        super().queue_fragment()
        if not self.jobs:  # no source, or one refused (a bad URL): the alert says why
            alerts.say(NOTHING_TO_SHOW)

    async def find_engine(self):
        # `js` is the interpreter's own global: the engine frame's when it serves the widgets.
        if js.Reflect.has(js.window, SHARED_ENGINE):
            self.shared = True
            # A stuck command cannot restart an engine other widgets share.
            self.restart_note = "Reload the page to start the engine again."
            return js.Reflect.get(js.window, SHARED_ENGINE)
        return await self.start_worker("engine")

    async def restart_engine(self, label):
        if not self.shared:
            await super().restart_engine(label)

    async def reuse_stored(self, job):
        return False

    async def save(self, tables, source, message):
        """A widget keeps nothing: its host's file is read again next time."""

    def on_count(self, reply):
        by_id("embed-count").textContent = rows_text(reply)

    def on_open_in_sift(self, event):
        """The full app on the same view (the fragment is the view: sift.view_state)."""
        location = page.window.location
        event.currentTarget.href = js.URL.new("index.html" + location.hash, location.href).href

    # A widget opens its host's data only.
    def on_drag_over(self, event):
        event.preventDefault()

    def on_drop(self, event):
        event.preventDefault()

    def on_paste(self, event):
        return
