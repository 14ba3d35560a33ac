"""The facets panel (MicroPython): counts of a column's values over the current view.

One `section[data-facet-column]` per facet in the view state, `data-state="ready"` once
filled. Text-like columns list their top values as buttons ("Paris — 12") that add an
`exact` filter; numeric and date columns show a histogram whose bars add the filters that
select exactly that bar's rows (the engine's, usually `between`). A facet is counted again
when its rows change; a reply that arrives after a newer view started is dropped.
Imports: sift.number_format, sift.view_state, sift.ui (alerts, dom).
"""

from sift.number_format import count_text, figure, grouped
from sift.ui import alerts
from sift.ui.dom import by_id, clear, element
from sift.view_state import view_spec

FACET_LIMIT = 10

CLOSE_MARK = "\u00d7"  # the multiplication sign, drawn as a small cross


def value_text(value):
    """A facet value as the filter's text: booleans as true/false, others as written."""
    if value is True or value is False:
        return "true" if value else "false"
    return str(value)


def bin_label(entry):
    return figure(entry.get("low")) + " to " + figure(entry.get("high"))


class Facets:
    def __init__(self, app, controller):
        self.app = app
        self.controller = controller
        self.generation = 0  # bumps when the counted rows change; older replies are dropped
        self.key = None
        self.columns = []
        self.refocus = None  # the facet whose button had focus when it added a filter
        self.counted = {}  # column -> the view spec its section was counted for
        self.bins = {}  # column -> the bins of its histogram on screen
        self.announce = None  # a facet just asked for: say so when it is filled

    def start(self):
        self.app.listen(by_id("facet-list"), "click", self.on_click)
        self.app.listen(by_id("facet-form"), "submit", self.on_add)

    def update(self, view):
        by_id("facets").hidden = False
        if view.get("columns") != self.columns:
            self.columns = list(view.get("columns") or [])
            self.fill_menu()
        # The rows a facet counts: the view spec, and the table's types and size (which change
        # when its data does). A new key drops the replies still on their way.
        key = repr(view_spec(self.controller.state)) + repr(view.get("types"))
        key = key + str(view.get("table_rows"))
        if key != self.key:
            self.key = key
            self.generation += 1
        wanted = [c for c in self.controller.state.get("facets") or [] if c in self.columns]
        listing = by_id("facet-list")
        for section in list_of(listing.querySelectorAll("section[data-facet-column]")):
            if section.getAttribute("data-facet-column") not in wanted:
                self.counted.pop(section.getAttribute("data-facet-column"), None)
                section.remove()
        for column in wanted:
            if self.counted.get(column) == key:
                continue  # same rows as when it was counted (a facet was opened or closed)
            self.counted[column] = key
            section = self.section(column)
            section.setAttribute("data-state", "loading")
            section.setAttribute("aria-busy", "true")
            self.app.spawn(self.refresh(column, self.generation))

    def hide(self):
        by_id("facets").hidden = True
        clear(by_id("facet-list"))
        self.columns = []
        self.counted = {}
        self.key = None
        self.generation += 1

    def fill_menu(self):
        select = by_id("facet-column")
        chosen = select.value
        clear(select)
        for name in self.columns:
            select.append(element("option", name, attrs={"value": name}))
        if chosen in self.columns:
            select.value = chosen

    def section(self, column):
        """The column's section, made (with its heading and close button) if missing."""
        for node in list_of(by_id("facet-list").querySelectorAll("section[data-facet-column]")):
            if node.getAttribute("data-facet-column") == column:
                return node
        section = element("section", cls="facet", attrs={"data-facet-column": column})
        head = element("div", cls="facet-head")
        head.append(element("h3", column, cls="facet-title"))
        head.append(
            element(
                "button",
                CLOSE_MARK,
                cls="facet-close",
                attrs={
                    "type": "button",
                    "data-action": "close",
                    "data-column": column,
                    "aria-label": "Close the facet for " + column,
                    "title": "Close the facet for " + column,
                },
            )
        )
        section.append(head)
        section.append(element("div", "Counting…", cls="facet-body"))
        by_id("facet-list").append(section)
        return section

    async def refresh(self, column, generation):
        args = view_spec(self.controller.state)
        args["column"] = column
        args["limit"] = FACET_LIMIT
        reply = await self.app.call("facet", args)
        if generation != self.generation:
            return  # a newer view is on screen: its own refresh fills the section
        section = self.section(column)
        body = section.querySelector(".facet-body")
        clear(body)
        if not reply["ok"]:
            body.append(element("p", reply["error"].get("message", ""), cls="facet-error"))
        elif reply["result"].get("kind") == "histogram":
            self.bins[column] = reply["result"].get("bins") or []
            body.append(histogram(column, reply["result"]))
        else:
            body.append(values(column, reply["result"]))
        section.removeAttribute("aria-busy")
        section.setAttribute("data-state", "ready")
        if self.announce == column:
            self.announce = None
            alerts.say(ready_text(column, reply))
        if self.refocus == column:
            # The clicked button was replaced: keep keyboard users in the same facet.
            self.refocus = None
            first = section.querySelector(".facet-body button") or section.querySelector("button")
            first.focus()

    # Clicks: a value, a bar, or a close button (one listener for the whole list).
    def on_click(self, event):
        button = event.target.closest("button")
        if button is None:
            return
        action = button.getAttribute("data-action")
        column = button.getAttribute("data-column")
        if action == "close":
            self.controller.toggle_facet(column)
            alerts.say("Facet for " + column + " closed.")
            by_id("facet-column").focus()
            return
        if action in ("value", "null", "bin"):
            self.refocus = column
        if action == "value":
            self.controller.add_filter(column, "exact", button.getAttribute("data-value"))
        elif action == "null":
            self.controller.add_filter(column, "isnull", "")
        elif action == "bin":
            self.add_bin(column, int(button.getAttribute("data-bin")))

    def add_bin(self, column, index):
        """Filter to one bar's rows: the engine's own filters for the bin when it gives them
        (between for whole numbers and dates; gte and lt for reals, which have no inclusive
        high), else between its edges."""
        bins = self.bins.get(column) or []
        if index >= len(bins):
            return
        entry = bins[index]
        rules = entry.get("filters") or [
            {"op": "between", "value": value_text(entry["low"]) + "," + value_text(entry["high"])}
        ]
        if len(rules) == 1:
            self.controller.add_filter(column, rules[0]["op"], str(rules[0]["value"]))
            return
        # Several filters make one view change (separate add_filter calls would each start
        # from the state before the other).
        state = self.controller.state
        added = [{"column": column, "op": r["op"], "value": str(r["value"])} for r in rules]
        new_state = {
            "table": state.get("table"),
            "sort": [dict(e) for e in state.get("sort") or []],
            "filters": [dict(e) for e in state.get("filters") or []] + added,
            "q": state.get("q") or "",
            "facets": list(state.get("facets") or []),
        }
        self.controller.change(new_state, "filter")

    def on_add(self, event):
        event.preventDefault()
        column = by_id("facet-column").value
        if column:
            self.open(column)

    def open(self, column):
        """Show the facet for `column` (the form, or a profile card's button)."""
        if column in (self.controller.state.get("facets") or []):
            alerts.say("The facet for " + column + " is already shown.")
            return
        self.announce = column
        self.controller.toggle_facet(column)
        alerts.say("Counting the values of " + column + "…")


def ready_text(column, reply):
    """What the status region says when a facet someone asked for is filled."""
    if not reply["ok"]:
        return "The facet for " + column + " could not be counted."
    result = reply["result"]
    if result.get("kind") == "histogram":
        bars = len(result.get("bins") or [])
        return "Facet for " + column + ": a histogram of " + count_text(bars, "bar") + "."
    shown = len(result.get("values") or [])
    return "Facet for " + column + ": the top " + count_text(shown, "value") + "."


def values(column, result):
    """The top values as a list of buttons, then what is left over and the NULLs."""
    box = element("div", cls="facet-values")
    listing = element("ul", cls="facet-items", attrs={"aria-label": "Top values of " + column})
    for entry in result.get("values") or []:
        item = element("li")
        text = value_text(entry["value"])
        label = text + " — " + grouped(entry["count"])
        item.append(
            element(
                "button",
                label,
                cls="facet-value",
                attrs={
                    "type": "button",
                    "data-action": "value",
                    "data-column": column,
                    "data-value": text,
                    "aria-label": "Filter " + column + " to " + label + " rows",
                },
            )
        )
        listing.append(item)
    if result.get("nulls"):
        item = element("li")
        label = "NULL — " + grouped(result["nulls"])
        item.append(
            element(
                "button",
                label,
                cls="facet-value null",
                attrs={
                    "type": "button",
                    "data-action": "null",
                    "data-column": column,
                    "aria-label": "Filter " + column + " to empty values, " + label + " rows",
                },
            )
        )
        listing.append(item)
    box.append(listing)
    if not result.get("values") and not result.get("nulls"):
        box.append(element("p", "No rows in this view.", cls="facet-note"))
    if result.get("other"):
        box.append(element("p", count_text(result["other"], "other row"), cls="facet-note"))
    return box


def histogram(column, result):
    """Bars for the bins: each a button that filters to its range. Heights are set through
    the CSSOM (allowed by the CSP), never a style attribute."""
    bins = result.get("bins") or []
    box = element("div", cls="facet-histogram")
    bars = element("ul", cls="facet-bars", attrs={"aria-label": "Histogram of " + column})
    top = max([entry["count"] for entry in bins] or [0])
    for index, entry in enumerate(bins):
        label = bin_label(entry) + ": " + count_text(entry["count"], "row")
        item = element("li")
        button = element(
            "button",
            cls="facet-bar",
            attrs={
                "type": "button",
                "data-action": "bin",
                "data-column": column,
                "data-bin": index,
                "aria-label": "Filter " + column + " from " + label,
                "title": label,
            },
        )
        fill = element("span", cls="facet-bar-fill")
        share = 0 if top <= 0 else (entry["count"] * 100 + top - 1) // top
        fill.style.height = str(share) + "%"
        button.append(fill)
        item.append(button)
        bars.append(item)
    box.append(bars)
    if bins:
        scale = element("p", cls="facet-scale")
        scale.append(element("span", figure(bins[0].get("low"))))
        scale.append(element("span", figure(bins[-1].get("high"))))
        box.append(scale)
    else:
        box.append(element("p", "No values in this view.", cls="facet-note"))
    if result.get("nulls"):
        box.append(element("p", count_text(result["nulls"], "empty value"), cls="facet-note"))
    return box


def list_of(nodes):
    """A NodeList as a Python list (a static snapshot, safe to change the DOM while looping)."""
    return [nodes.item(index) for index in range(nodes.length)]
