"""Column profiles (MicroPython): a card of figures per column and a sparkline per header.

When a table is shown (or its columns, types or row count change) the profiles are asked
column by column with the engine's `profile` command, so a sort or a filter never waits long
behind them; the engine caches them per table version. `#profiles[data-state=ready]` once
every column is in. Each grid header's `span.header-spark` gets a decorative sparkline; the
card says the same distribution in words.
Imports: sift.number_format and sift.ui (dom, sparkline).
"""

from sift.number_format import count_text, figure, grouped, percent
from sift.ui import sparkline
from sift.ui.dom import by_id, clear, element

# (key in the profile, label on the card); min and max read as written for dates and text.
FIGURES = (
    ("null_pct", "Empty"),
    ("distinct", "Distinct"),
    ("min", "Min"),
    ("max", "Max"),
    ("mean", "Mean"),
    ("median", "Median"),
    ("stddev", "Std dev"),
)
TOP_SHOWN = 3


def null_share(profile):
    """Null % as text, from the counts (exact), with the count: '12.5% (3)', or '0%'."""
    rows = profile.get("rows") or 0
    nulls = profile.get("nulls") or 0
    if not rows:
        return "—"
    if not nulls:
        return "0%"
    return percent(nulls * 100.0 / rows) + " (" + grouped(nulls) + ")"


def figure_text(profile, key):
    if key == "null_pct":
        return null_share(profile)
    return figure(profile.get(key))


def top_text(profile):
    """'Top: Paris (3), Lyon (2), Nice (1)' or '' when there is nothing to say."""
    top = profile.get("top") or []
    parts = [figure(entry["value"]) + " (" + grouped(entry["count"]) + ")" for entry in top]
    if not parts:
        return ""
    return "Top: " + ", ".join(parts[:TOP_SHOWN])


def spark_sentence(profile):
    """The histogram in words; what its bars count depends on the column's family."""
    counts = profile.get("histogram") or []
    if not counts or not sum(counts):
        return ""
    shape = profile.get("histogram_of")
    if shape == "top":
        values = ", ".join(grouped(count) for count in counts)
        return "Rows of the " + str(len(counts)) + " most common values: " + values + "."
    if shape == "booleans" and len(counts) == 2:
        return (
            "false: "
            + count_text(counts[0], "row")
            + "; true: "
            + count_text(counts[1], "row")
            + "."
        )
    bins = profile.get("bins") or []
    low = bins[0].get("low") if bins else profile.get("min")
    high = bins[-1].get("high") if bins else profile.get("max")
    return sparkline.sentence(counts, figure(low), figure(high))


class Profiles:
    """`open_facet(column)` shows a column's facet (the facets panel's `open`)."""

    def __init__(self, app, controller, open_facet):
        self.app = app
        self.controller = controller
        self.open_facet = open_facet
        self.key = None  # what the current profiles describe: table, columns, types, rows
        self.generation = 0
        self.columns = []
        self.profiles = {}  # column -> profile, for the current key

    def start(self):
        self.app.listen(by_id("profile-cards"), "click", self.on_click)

    def update(self, view):
        key = (
            view.get("table"),
            "\n".join(view.get("columns") or []),
            "\n".join(str(t) for t in view.get("types") or []),
            view.get("table_rows"),
        )
        if key != self.key:
            self.key = key
            self.begin(view)
        self.app.spawn(self.decorate_headers())

    def hide(self):
        self.generation += 1
        self.key = None
        self.profiles = {}
        panel = by_id("profiles")
        panel.hidden = True
        panel.removeAttribute("data-state")
        clear(by_id("profile-cards"))

    def begin(self, view):
        self.generation += 1
        self.columns = list(view.get("columns") or [])
        types = list(view.get("types") or [])
        self.profiles = {}
        panel = by_id("profiles")
        panel.hidden = False
        panel.setAttribute("data-state", "loading")
        cards = by_id("profile-cards")
        clear(cards)
        for index, column in enumerate(self.columns):
            kind = types[index] if index < len(types) else ""
            cards.append(empty_card(column, kind))
        self.app.spawn(self.run(self.generation, view.get("table"), list(self.columns)))

    async def run(self, generation, table, columns):
        progress = by_id("profiles-progress")
        for done, column in enumerate(columns):
            if generation != self.generation:
                return
            progress.textContent = "Profiling columns: " + str(done) + " of " + str(len(columns))
            reply = await self.app.call("profile", {"table": table, "column": column})
            if generation != self.generation:
                return  # another table (or version) is on screen now
            card = self.card(column)
            if not reply["ok"]:
                fill_failed(card, reply["error"])
                continue
            profile = reply["result"]
            self.profiles[column] = profile
            fill_card(card, profile)
            self.spark_header(column)
        progress.textContent = count_text(len(columns), "column") + " profiled."
        # Not announced: the status region keeps what the person did last (profiles come
        # on their own, and a message here would replace "Loaded …" moments after it).
        by_id("profiles").setAttribute("data-state", "ready")

    def card(self, column):
        cards = by_id("profile-cards").querySelectorAll("[data-profile-column]")
        for index in range(cards.length):
            if cards.item(index).getAttribute("data-profile-column") == column:
                return cards.item(index)
        return None

    # Header sparklines: the grid redraws its headers, so they are filled after every view.
    async def decorate_headers(self):
        for column in self.columns:
            self.spark_header(column)

    def spark_header(self, column):
        profile = self.profiles.get(column)
        if profile is None or not profile.get("histogram"):
            return
        header = header_for(column, self.columns)
        if header is None:
            return
        holder = header.querySelector(".header-spark")
        if holder is None or holder.querySelector("svg") is not None:
            return
        holder.append(sparkline.spark(profile["histogram"]))
        holder.setAttribute("data-spark", "ready")

    def on_click(self, event):
        button = event.target.closest("button[data-action=facet]")
        if button is not None:
            self.open_facet(button.getAttribute("data-column"))


def header_for(column, columns):
    """The grid's header cell for a column: by data-column if the grid sets it, else by
    position (aria-colindex is 1-based)."""
    headers = by_id("table-area").querySelectorAll("[role=columnheader]")
    for index in range(headers.length):
        header = headers.item(index)
        if header.getAttribute("data-column") == column:
            return header
    if column not in columns:
        return None
    wanted = str(columns.index(column) + 1)
    for index in range(headers.length):
        header = headers.item(index)
        if header.getAttribute("aria-colindex") == wanted:
            return header
    return None


def empty_card(column, kind):
    card = element(
        "article",
        cls="profile-card",
        attrs={"data-profile-column": column, "aria-busy": "true"},
    )
    title = element("h3", column, cls="profile-name")
    title.append(element("span", str(kind).lower(), cls="profile-type"))
    card.append(title)
    card.append(element("p", "Profiling…", cls="profile-note"))
    return card


def fill_card(card, profile):
    column = profile.get("column") or card.getAttribute("data-profile-column")
    while card.childNodes.length > 1:  # keep the heading
        card.removeChild(card.lastChild)
    figures = element("dl", cls="profile-figures")
    for key, label in FIGURES:
        pair = element("div", cls="profile-figure", attrs={"data-figure": key})
        pair.append(element("dt", label))
        pair.append(element("dd", figure_text(profile, key)))
        figures.append(pair)
    if profile.get("mismatched"):
        # Values of another type (text in a number column): left out of the figures above.
        pair = element("div", cls="profile-figure", attrs={"data-figure": "mismatched"})
        pair.append(element("dt", "Other type"))
        pair.append(element("dd", grouped(profile["mismatched"])))
        figures.append(pair)
    card.append(figures)
    top = top_text(profile)
    if top:
        card.append(element("p", top, cls="profile-top"))
    words = spark_sentence(profile)
    if words:
        shape = element("div", cls="profile-spark")
        shape.append(sparkline.spark(profile["histogram"], "Distribution of " + column))
        shape.append(element("p", words, cls="profile-words"))
        card.append(shape)
    card.append(
        element(
            "button",
            "Show facet",
            cls="button small",
            attrs={
                "type": "button",
                "data-action": "facet",
                "data-column": column,
                "aria-label": "Show facet for " + column,
            },
        )
    )
    card.removeAttribute("aria-busy")
    card.setAttribute("data-state", "ready")


def fill_failed(card, error):
    note = card.querySelector(".profile-note")
    if note is not None:
        note.textContent = "No profile: " + (error.get("message") or "it could not be computed.")
    card.removeAttribute("aria-busy")
    card.setAttribute("data-state", "failed")
