"""The chart panel (MicroPython): a chart of the current view instead of its table.

The "Chart" button in #query-tools (aria-pressed) switches between the table and
#chart-panel, which charts the view as it is (filters, search; a query's result too): the
engine's `chart` draws it (docs/chart-contract.md) and sift.ui.chart_svg builds its tree.
The first time a table is charted, `chart_defaults` picks the chart. The controls (type,
x, y, aggregate, colour, title) redraw after a short pause; the engine's note shows under the
chart, its errors in #chart-error (role=alert). "Show data" lists the aggregated points; the
SVG and PNG buttons download the picture.
Keyboard: the focus stops over the marks are one tab stop (a roving tabindex): the arrow keys,
Home and End move between them, and the focused value shows in a tooltip (hovering does too).
The link: `view=chart&chart=<spec>` follows the view's own pairs in the fragment (the view
controller's write_fragment is wrapped, so every view change keeps them); the app hands a
link's chart to `from_link`, applied with the link's view.
#chart-panel's data-sift-chart is "loading", "ready" or "error" (tests wait on it).
Imports: sift (cell_text, view_state) and sift.ui (alerts, chart_svg, dom).
"""

import asyncio

from sift import cell_text, view_state
from sift.ui import alerts, chart_svg
from sift.ui.dom import by_id, clear, element, page, page_address, rove

TYPE_LABELS = (
    ("bar", "Bar"),
    ("line", "Line"),
    ("area", "Area"),
    ("scatter", "Scatter"),
    ("histogram", "Histogram"),
)
AGG_LABELS = (
    ("count", "Count of rows"),
    ("sum", "Sum"),
    ("mean", "Mean"),
    ("min", "Minimum"),
    ("max", "Maximum"),
)
COUNT_ROWS = "(count the rows)"
NO_COLOUR = "(none)"
DRAW_LABEL = "Drawing the chart"
SELECT_PAUSE_S = 0.25  # a redraw waits this long after a change (arrow keys step a select)
TYPING_PAUSE_S = 0.6
NO_TABLE = "Open a table first: the chart shows its rows."
KEYS_HINT = (
    "Tab reaches the chart's values when it has few; the arrow keys move between them. "
    "Show data lists every point."
)
Y_KINDS = (cell_text.NUMBER, cell_text.BOOLEAN)
VIEW_ARGS = ("table", "filters", "q")


def chart_view(state):
    """The part of a view that changes a chart: table, filters, search (not the sort)."""
    spec = view_state.view_spec(state)
    return {key: spec[key] for key in VIEW_ARGS if key in spec}


def first_other(columns, taken):
    for column in columns:
        if column != taken:
            return column
    return None


def changed_spec(spec, field, value, numbers):
    """The spec after one control changed, with the others made to fit: a y picked while
    counting rows sums it; a sum without a y takes the first number column; a scatter has
    no aggregate and needs a y; a histogram counts rows."""
    spec = dict(spec)
    value = value or None
    old_type = spec.get("type")
    spec[field] = value
    if field == "y":
        if value and spec.get("agg") in (None, "count"):
            spec["agg"] = None if spec.get("type") == "scatter" else "sum"
        elif not value and spec.get("type") != "scatter":
            spec["agg"] = "count"
    elif field == "agg":
        if value == "count":
            spec["y"] = None
        elif not spec.get("y"):
            spec["y"] = first_other(numbers, spec.get("x"))
    elif field == "type":
        if value == "scatter":
            spec["agg"] = None
            if not spec.get("y"):
                spec["y"] = first_other(numbers, spec.get("x"))
        elif value == "histogram":
            spec["y"] = None
            spec["agg"] = "count"
        elif old_type in ("scatter", "histogram"):
            spec["agg"] = "sum" if spec.get("y") else "count"
    return spec


def same_chart(one, other):
    """Whether two specs draw the same chart (unset and None alike)."""
    if one is None or other is None:
        return False
    for key in ("type", "x", "y", "agg", "color", "title"):
        if (one.get(key) or None) != (other.get(key) or None):
            return False
    return True


def value_text(value):
    kind = cell_text.NUMBER if cell_text.is_number(value) else cell_text.TEXT
    return cell_text.full_text(value, kind)


def dark_theme():
    return bool(page.window.matchMedia("(prefers-color-scheme: dark)").matches)


class ChartPanel:
    def __init__(self, app, view):
        self.app = app
        self.view = view
        self.panel = by_id("chart-panel")
        self.mode = "table"
        self.specs = {}  # table -> the spec charted (the completed spec once drawn)
        self.reasons = {}  # table -> (chart_defaults' spec, its reason)
        self.wanted = None  # a link's {"mode", "spec"}, applied with its view
        self.columns = []
        self.kinds = []
        self.generation = 0
        self.drawn = None  # the chart_view and spec of the chart shown
        self.result = None  # the engine's last chart reply
        self.theme = "light"
        self.focus_stops = []
        self.quiet = False  # a link's first chart: the view's announcement stands

    # Building.
    def start(self):
        tools = by_id("query-tools")
        self.toggle = element(
            "button",
            "Chart",
            cls="button",
            attrs={
                "type": "button",
                "id": "chart-toggle",
                "aria-pressed": "false",
                "aria-controls": "chart-panel",
                "aria-describedby": "chart-reason-off",
                "aria-disabled": "true",
            },
        )
        tools.append(self.toggle)
        self.off_reason = element(
            "span", NO_TABLE, cls="visually-hidden", attrs={"id": "chart-reason-off"}
        )
        tools.append(self.off_reason)
        tools.hidden = False
        self.panel.setAttribute("aria-labelledby", "chart-heading")
        self.panel.removeAttribute("aria-label")
        self.panel.append(element("h2", "Chart", cls="panel-title", attrs={"id": "chart-heading"}))
        self.panel.append(self.build_controls())
        self.reason = element("p", cls="chart-reason", attrs={"id": "chart-reason"})
        self.panel.append(self.reason)
        self.error = element("div", cls="chart-error", attrs={"id": "chart-error", "role": "alert"})
        self.error.hidden = True
        self.panel.append(self.error)
        self.figure = element("div", cls="chart-figure", attrs={"id": "chart-figure"})
        self.panel.append(self.figure)
        self.tooltip = element("div", cls="chart-tooltip", attrs={"aria-hidden": "true"})
        self.tooltip.hidden = True
        self.note = element("p", cls="chart-note", attrs={"id": "chart-note"})
        self.note.hidden = True
        self.panel.append(self.note)
        self.panel.append(element("p", KEYS_HINT, cls="chart-keys", attrs={"id": "chart-keys"}))
        self.panel.append(self.build_actions())
        self.panel.append(self.build_data())
        self.app.listen(self.toggle, "click", self.on_toggle)
        self.app.listen(self.figure, "focusin", self.on_focus_in)
        self.app.listen(self.figure, "focusout", self.on_focus_out)
        self.app.listen(self.figure, "pointerover", self.on_pointer_over)
        self.app.listen(self.figure, "pointerleave", self.on_pointer_leave)
        self.app.listen(self.figure, "keydown", self.on_figure_key)
        self.app.restart_listeners.append(self.on_restart)
        self.view.listeners.append(self.on_view)
        self.view.clear_listeners.append(self.on_clear)
        self.wrap_fragment()

    def build_controls(self):
        form = element("form", cls="chart-controls", attrs={"novalidate": ""})
        self.type_select = self.add_select(form, "chart-type", "Chart type")
        for value, label in TYPE_LABELS:
            self.type_select.append(element("option", label, attrs={"value": value}))
        self.x_select = self.add_select(form, "chart-x", "X axis")
        self.y_select = self.add_select(form, "chart-y", "Y axis")
        self.agg_select = self.add_select(form, "chart-agg", "Aggregate")
        for value, label in AGG_LABELS:
            self.agg_select.append(element("option", label, attrs={"value": value}))
        self.color_select = self.add_select(form, "chart-color", "Colour by")
        field = element("span", cls="chart-field")
        field.append(element("label", "Title", attrs={"for": "chart-title"}))
        self.title_input = element(
            "input",
            attrs={
                "id": "chart-title",
                "type": "text",
                "autocomplete": "off",
                "placeholder": "Automatic",
            },
        )
        field.append(self.title_input)
        form.append(field)
        self.app.listen(form, "submit", self.on_submit)
        self.app.listen(self.title_input, "input", self.on_title)
        return form

    def add_select(self, form, select_id, label):
        field = element("span", cls="chart-field")
        field.append(element("label", label, attrs={"for": select_id}))
        select = element("select", attrs={"id": select_id, "data-field": select_id[6:]})
        field.append(select)
        form.append(field)
        self.app.listen(select, "change", self.on_select)
        return select

    def build_actions(self):
        row = element("div", cls="chart-actions")
        self.svg_button = element(
            "button",
            "Download SVG",
            cls="button small",
            attrs={"type": "button", "id": "chart-svg"},
        )
        self.png_button = element(
            "button",
            "Download PNG",
            cls="button small",
            attrs={"type": "button", "id": "chart-png"},
        )
        row.append(self.svg_button)
        row.append(self.png_button)
        self.app.listen(self.svg_button, "click", self.on_svg)
        self.app.listen(self.png_button, "click", self.on_png)
        return row

    def build_data(self):
        self.data = element("details", cls="chart-data", attrs={"id": "chart-data"})
        self.data.append(element("summary", "Show data"))
        self.table = element("table", cls="chart-table", attrs={"id": "chart-table"})
        self.data.append(self.table)
        self.data_note = element("p", cls="chart-data-note")
        self.data_note.hidden = True
        self.data.append(self.data_note)
        return self.data

    # The link.
    def wrap_fragment(self):
        """Every fragment the view controller writes gets the chart's pairs after it."""
        write_view = self.view.write_fragment

        def write():
            write_view()
            self.write_fragment()

        self.view.write_fragment = write

    def write_fragment(self):
        """The view's fragment as the view controller writes it, then the chart's pairs."""
        view = self.view
        table = view.state.get("table")
        sql = view.sql if view.is_result() else ""
        text = view_state.view_fragment(view.state, view.sources, sql)
        if table is None and not view.sources:
            text = ""
        spec = self.specs.get(table) if table else None
        text = view_state.chart_fragment(text, self.mode, spec)
        location = page.window.location
        if text != location.hash:
            page.window.history.replaceState(None, "", page_address(location) + text)

    def from_link(self, mode, spec):
        """A link's chart (the app parsed it): applied with the link's view, or at once to
        the view shown when the link names no other."""
        self.wanted = {"mode": mode, "spec": spec}
        if self.view.reply is not None and mode != self.mode and mode == "table":
            self.wanted = None
            self.set_mode("table")

    # Modes.
    def set_mode(self, mode):
        self.mode = mode
        charting = mode == "chart"
        self.panel.hidden = not charting
        self.toggle.setAttribute("aria-pressed", "true" if charting else "false")
        by_id("table-area").hidden = charting
        if not charting:
            self.generation += 1  # a redraw on its way is not wanted any more
            self.hide_tooltip()
            self.view.grid.on_resize(None)  # the grid measured itself while hidden
        self.view.write_fragment()

    def on_toggle(self, event):
        if self.toggle.getAttribute("aria-disabled") == "true":
            alerts.say(NO_TABLE)
            return
        if self.mode == "chart":
            self.set_mode("table")
            alerts.say("Showing the table.")
            return
        self.set_mode("chart")
        self.schedule(0)

    # The view.
    def on_view(self, reply):
        self.columns = list(reply["columns"])
        rows = reply.get("rows") or []
        self.kinds = cell_text.column_kinds(reply.get("types") or [], rows, len(self.columns))
        self.toggle.removeAttribute("aria-disabled")
        self.off_reason.textContent = ""
        wanted = self.wanted
        if wanted is not None:
            self.wanted = None
            spec = wanted["spec"]
            if spec is not None and spec.get("type"):
                self.specs[reply["table"]] = spec
            if wanted["mode"] != self.mode:
                self.set_mode(wanted["mode"])
            self.quiet = self.mode == "chart"
        if self.mode == "chart" and self.drawn != self.wanted_chart():
            self.schedule(0)
        else:
            self.write_fragment()

    def on_clear(self):
        self.toggle.setAttribute("aria-disabled", "true")
        self.off_reason.textContent = NO_TABLE
        if self.mode == "chart":
            self.set_mode("table")
        self.drawn = None

    def on_restart(self):
        self.drawn = None
        if self.mode == "chart" and self.view.reply is not None:
            self.schedule(0)

    def wanted_chart(self):
        table = self.view.state.get("table")
        return [chart_view(self.view.state), self.specs.get(table)]

    def numbers(self):
        kinds = self.kinds
        found = []
        for index, name in enumerate(self.columns):
            if index < len(kinds) and kinds[index] in Y_KINDS:
                found.append(name)
        return found

    # Controls.
    def on_submit(self, event):
        event.preventDefault()
        self.schedule(0)

    def on_select(self, event):
        table = self.view.state.get("table")
        spec = self.specs.get(table)
        if spec is None:
            return
        field = event.target.getAttribute("data-field")
        self.specs[table] = changed_spec(spec, field, event.target.value, self.numbers())
        self.fill_controls(self.specs[table])
        self.schedule(SELECT_PAUSE_S)

    def on_title(self, event):
        table = self.view.state.get("table")
        spec = self.specs.get(table)
        if spec is None:
            return
        spec = dict(spec)
        spec["title"] = self.title_input.value.strip() or None
        self.specs[table] = spec
        self.schedule(TYPING_PAUSE_S)

    def fill_controls(self, spec):
        self.type_select.value = spec.get("type") or "bar"
        self.set_options(self.x_select, self.columns, spec.get("x"), None)
        self.set_options(self.y_select, self.numbers(), spec.get("y"), COUNT_ROWS)
        self.set_options(self.color_select, self.columns, spec.get("color"), NO_COLOUR)
        kind = spec.get("type")
        self.agg_select.value = spec.get("agg") or ("count" if not spec.get("y") else "sum")
        self.agg_select.disabled = kind in ("scatter", "histogram")
        self.y_select.disabled = kind == "histogram"
        active = page.document.activeElement
        if active is None or active.id != "chart-title":
            self.title_input.value = spec.get("title") or ""

    def set_options(self, select, columns, chosen, empty):
        names = list(columns)
        if chosen and chosen not in names:
            names.append(chosen)  # a link's column, shown as chosen (the engine judges it)
        clear(select)
        if empty is not None:
            select.append(element("option", empty, attrs={"value": ""}))
        for name in names:
            select.append(element("option", name, attrs={"value": name}))
        select.value = chosen or ""

    # Drawing.
    def schedule(self, pause):
        self.generation += 1
        self.panel.setAttribute("data-sift-chart", "loading")
        self.app.spawn(self.draw_later(self.generation, pause))

    async def draw_later(self, generation, pause):
        if pause:
            await asyncio.sleep(pause)
        if generation == self.generation:
            await self.draw(generation)

    async def draw(self, generation):
        table = self.view.state.get("table")
        if not table:
            return
        args = chart_view(self.view.state)
        if self.specs.get(table) is None:
            reply = await self.app.call("chart_defaults", args)
            if generation != self.generation:
                return
            if not reply["ok"]:
                self.show_error(reply["error"])
                return
            self.specs[table] = reply["result"]["spec"]
            self.reasons[table] = (reply["result"]["spec"], reply["result"].get("reason") or "")
        spec = self.specs[table]
        self.fill_controls(spec)
        wanted = [dict(args), spec]
        self.theme = "dark" if dark_theme() else "light"
        args["chart"] = spec
        args["theme"] = self.theme
        self.figure.setAttribute("aria-busy", "true")
        reply = await self.app.run_long("chart", args, DRAW_LABEL)
        if generation != self.generation:
            return
        self.figure.removeAttribute("aria-busy")
        if not reply["ok"]:
            self.drawn = wanted
            self.write_fragment()
            self.show_error(reply["error"])
            return
        result = reply["result"]
        self.specs[table] = result["spec"]
        self.drawn = [wanted[0], result["spec"]]
        default, reason = self.reasons.get(table, (None, ""))
        self.show(result, reason if same_chart(default, result["spec"]) else "")
        self.write_fragment()

    def show(self, result, reason):
        self.result = result
        self.error.hidden = True
        clear(self.error)
        self.fill_controls(result["spec"])
        self.reason.textContent = reason
        self.reason.hidden = not reason
        self.hide_tooltip()
        clear(self.figure)
        self.figure.append(chart_svg.build(result["svg"]))
        self.figure.append(self.tooltip)
        self.set_focus_stops()
        note = result.get("note") or ""
        self.note.textContent = note
        self.note.hidden = not note
        self.fill_data(result)
        self.set_exports(True)
        self.panel.setAttribute("data-sift-chart", "ready")
        if self.quiet:
            self.quiet = False
        else:
            alerts.say("Chart: " + result["title"] + "." + (" " + note if note else ""))

    def show_error(self, error):
        self.figure.removeAttribute("aria-busy")
        if error.get("kind") == "cancelled":
            alerts.say(error.get("message") or "Cancelled.")
        clear(self.error)
        self.error.append(
            element("p", error.get("message") or "The chart failed.", cls="chart-error-message")
        )
        if error.get("hint"):
            self.error.append(element("p", error["hint"], cls="hint"))
        self.error.hidden = False
        self.result = None
        clear(self.figure)
        self.note.hidden = True
        clear(self.table)
        self.data_note.hidden = True
        self.set_exports(False)
        self.panel.setAttribute("data-sift-chart", "error")
        if self.quiet:  # a link's chart: the link's own line stays (the error is above)
            self.quiet = False
        else:
            alerts.say("The chart could not be drawn.")

    def set_exports(self, usable):
        for button in (self.svg_button, self.png_button):
            button.disabled = not usable

    def fill_data(self, result):
        """The 'show data' table: the aggregated points, captioned by the chart's title."""
        data = result["data"]
        clear(self.table)
        self.table.append(element("caption", result["title"]))
        head = element("thead")
        row = element("tr")
        for name in data["columns"]:
            row.append(element("th", name, attrs={"scope": "col"}))
        head.append(row)
        self.table.append(head)
        body = element("tbody")
        for values in data["rows"]:
            row = element("tr")
            for value in values:
                cls = "num" if cell_text.is_number(value) else None
                row.append(element("td", value_text(value), cls=cls))
            body.append(row)
        self.table.append(body)
        if data.get("truncated"):
            shown = str(len(data["rows"]))
            self.data_note.textContent = "Only the first " + shown + " points are listed."
        self.data_note.hidden = not data.get("truncated")

    # Focus stops and the tooltip.
    def set_focus_stops(self):
        """One tab stop for all the focus stops: the first, then the one last focused."""
        found = self.figure.querySelectorAll(".focus-mark")
        self.focus_stops = [found.item(index) for index in range(found.length)]
        for index, stop in enumerate(self.focus_stops):
            stop.setAttribute("tabindex", "0" if index == 0 else "-1")
            stop.setAttribute("data-stop", str(index))

    def on_figure_key(self, event):
        # JS proxies of one element are not equal in MicroPython: compare data-stop.
        place = event.target.getAttribute("data-stop")
        if not place:
            return
        rove(event, self.focus_stops, int(place))

    def on_focus_in(self, event):
        if event.target.classList.contains("focus-mark"):
            self.show_tooltip(event.target)

    def on_focus_out(self, event):
        self.hide_tooltip()

    def on_pointer_over(self, event):
        active = page.document.activeElement
        if active is not None and active.classList.contains("focus-mark"):
            return  # the focused value keeps the tooltip
        mark = event.target.closest(".mark, .focus-mark")
        if mark is not None:
            self.show_tooltip(mark)
        elif not self.figure.contains(page.document.activeElement):
            self.hide_tooltip()

    def on_pointer_leave(self, event):
        if not self.figure.contains(page.document.activeElement):
            self.hide_tooltip()

    def show_tooltip(self, mark):
        words = mark.getAttribute("aria-label")
        if not words:
            title = mark.querySelector("title")
            words = title.textContent if title is not None else ""
        if not words:
            return
        self.tooltip.textContent = words
        box = mark.getBoundingClientRect()
        frame = self.figure.getBoundingClientRect()
        self.tooltip.style.left = str(int(box.left - frame.left + box.width / 2)) + "px"
        self.tooltip.style.top = str(int(box.top - frame.top)) + "px"
        self.tooltip.hidden = False

    def hide_tooltip(self):
        self.tooltip.hidden = True

    # Exports.
    def file_stem(self):
        result = self.result or {}
        table = result.get("table") or ""
        if table.startswith("sift_result_"):
            table = "query-result"
        return chart_svg.file_stem(result.get("title"), table)

    def on_svg(self, event):
        self.app.spawn(self.export("svg"))

    def on_png(self, event):
        self.app.spawn(self.export("png"))

    async def export(self, kind):
        if self.result is None:
            return
        text = await self.export_text()
        if text is None:
            return
        name = self.file_stem() + "." + kind
        if kind == "svg":
            chart_svg.save_svg(text, name, self.app)
        else:
            try:
                blob = await chart_svg.png_blob(text, self.result["width"], self.result["height"])
            except Exception as error:  # the browser could not draw the picture
                self.show_export_error(str(error))
                return
            chart_svg.save(blob, name, self.app)
        alerts.say("Downloaded " + name + ".")

    async def export_text(self):
        """The SVG file's text, in the page's theme now."""
        theme = "dark" if dark_theme() else "light"
        args = chart_view(self.view.state)
        args["chart"] = self.result["spec"]
        args["theme"] = theme
        args["file"] = True  # asked for only now: it would double every drawing's reply
        reply = await self.app.call("chart", args)
        if not reply["ok"]:
            self.show_error(reply["error"])
            return None
        return reply["result"]["svg_text"]

    def show_export_error(self, detail):
        alerts.show_error(
            {
                "message": "The PNG could not be made: " + detail,
                "hint": "Download the SVG instead; it opens in any browser.",
            }
        )


def start(app, view):
    """Wire the chart panel to the app and its view controller; called once at start-up."""
    panel = ChartPanel(app, view)
    panel.start()
    return panel
