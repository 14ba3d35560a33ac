"""The row detail panel (MicroPython): every value of one row, whole, beside the grid.

Enter on a row (or a double click) opens it and moves focus to its heading; Escape or the
Close button closes it and focus goes back to the grid's active cell. Values are shown the
way cells show them, uncut, with NULL marked apart from empty text.
"""

from sift import cell_text
from sift.number_format import grouped
from sift.ui.dom import by_id, clear, element


class RowDetail:
    def __init__(self, app, on_close):
        self.app = app
        self.on_close = on_close
        self.row = None
        self.panel = by_id("row-detail")
        app.listen(self.panel, "keydown", self.on_key)
        app.listen(self.panel, "click", self.on_click)

    def show(self, row, total, columns, kinds, values):
        self.row = row
        panel = self.panel
        clear(panel)
        title = "Row " + grouped(row + 1) + " of " + grouped(total)
        heading = element("h2", title, cls="panel-title", attrs={"tabindex": -1})
        heading.id = "row-detail-title"
        panel.setAttribute("aria-labelledby", "row-detail-title")
        panel.append(heading)
        panel.append(
            element(
                "button",
                "Close",
                cls="button small row-detail-close",
                attrs={"type": "button", "aria-label": "Close row details"},
            )
        )
        listing = element("dl", cls="row-detail-values")
        for index, name in enumerate(columns):
            value = values[index] if index < len(values) else None
            kind = kinds[index] if index < len(kinds) else cell_text.TEXT
            listing.append(element("dt", name))
            classes = []
            if value is None:
                classes.append("null")
            if kind == cell_text.NUMBER:
                classes.append("num")
            listing.append(element("dd", cell_text.full_text(value, kind), cls=" ".join(classes)))
        panel.append(listing)
        panel.hidden = False
        heading.focus()

    @property
    def is_open(self):
        return not self.panel.hidden

    def close(self, restore=True):
        if self.panel.hidden:
            return
        self.panel.hidden = True
        clear(self.panel)
        self.row = None
        if restore:
            self.on_close()

    def on_key(self, event):
        if event.key == "Escape":
            event.preventDefault()
            self.close()

    def on_click(self, event):
        if event.target.closest(".row-detail-close") is not None:
            self.close()
