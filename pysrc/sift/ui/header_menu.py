"""A column header's menu (MicroPython): sort, filter, facet and width, by mouse or keyboard.

The ARIA menu pattern: a `role=menu` list that takes focus when it opens; arrows, Home and
End move between items, Enter or Space chooses, Escape (or Tab, or a click elsewhere)
closes it and focus goes back to the header cell. The list lives beside the grid table, not
inside it (a grid may only hold rows). Chosen items go to `grid.menu_action(column, action)`.
"""

from sift.ui.dom import clear, element


def items(state):
    """(action, label) for a column whose sort is `state["sort"]` ("ascending", "descending"
    or "none") and whose facet is shown when `state["facet"]`."""
    entries = [("asc", "Sort ascending"), ("desc", "Sort descending")]
    if state.get("sort", "none") != "none":
        entries.append(("off", "Remove sort"))
    entries.append(("filter", "Filter\u2026"))
    entries.append(("facet", "Hide facet" if state.get("facet") else "Show facet"))
    entries.append(("wider", "Wider column"))
    entries.append(("narrower", "Narrower column"))
    return entries


class HeaderMenu:
    def __init__(self, app, grid):
        self.grid = grid
        self.node = element("ul", cls="header-menu-list", attrs={"role": "menu", "hidden": ""})
        self.nodes = []
        self.column = None
        self.anchor = None
        self.is_open = False
        app.listen(self.node, "keydown", self.on_key)
        app.listen(self.node, "click", self.on_click)
        app.listen(self.node, "focusout", self.on_focus_out)

    def open(self, column, name, anchor, state):
        self.column = column
        self.anchor = anchor
        clear(self.node)
        self.nodes = []
        for action, label in items(state):
            item = element(
                "li",
                label,
                cls="header-menu-item",
                attrs={"role": "menuitem", "tabindex": -1, "data-action": action},
            )
            self.node.append(item)
            self.nodes.append(item)
        self.node.setAttribute("aria-label", "Column " + name)
        box = anchor.getBoundingClientRect()
        self.node.style.left = str(int(box.left)) + "px"
        self.node.style.top = str(int(box.bottom)) + "px"
        self.node.hidden = False
        self.is_open = True
        anchor.setAttribute("aria-expanded", "true")
        self.nodes[0].focus()

    def close(self, restore=True):
        if not self.is_open:
            return
        self.is_open = False
        self.node.hidden = True
        self.anchor.removeAttribute("aria-expanded")
        if restore:
            self.grid.focus_active()

    def index_of(self, node):
        action = node.getAttribute("data-action")
        for index, item in enumerate(self.nodes):
            if item.getAttribute("data-action") == action:
                return index
        return 0

    def choose(self, item):
        action = item.getAttribute("data-action")
        column = self.column
        self.close()
        self.grid.menu_action(column, action)

    def on_key(self, event):
        key = event.key
        current = event.target.closest("[role=menuitem]")
        index = self.index_of(current) if current is not None else 0
        count = len(self.nodes)
        if key == "ArrowDown":
            self.nodes[(index + 1) % count].focus()
        elif key == "ArrowUp":
            self.nodes[(index - 1) % count].focus()
        elif key == "Home":
            self.nodes[0].focus()
        elif key == "End":
            self.nodes[count - 1].focus()
        elif key in ("Enter", " ") and current is not None:
            self.choose(current)
        elif key in ("Escape", "Tab"):
            self.close()
        else:
            return
        event.preventDefault()
        event.stopPropagation()

    def on_click(self, event):
        item = event.target.closest("[role=menuitem]")
        if item is not None:
            self.choose(item)

    def on_focus_out(self, event):
        """Focus left the menu (a click elsewhere): close without taking focus back."""
        inside = event.relatedTarget is not None and self.node.contains(event.relatedTarget)
        if not inside:
            self.close(False)
