"""The virtual data grid (MicroPython): any number of rows, only the visible ones in the DOM.

#table-area scrolls. Inside it a <table role=grid>: a sticky header row, and a body as tall
as all the rows (scaled past MAX_BODY_PX, since Chromium caps an element's height near
33.5M px). A fixed pool of row elements is recycled: row r always lives in slot r % pool,
and a slot's cells get new textContent only when the row it shows changes. Every FFI call
costs microseconds, so a scroll event only schedules one paint per animation frame, and a
paint reads one number (scrollTop) and touches only the rows that moved in.

Keyboard: the ARIA grid pattern with a roving tabindex (exactly one cell has tabindex=0):
arrows, Home/End (row), Ctrl+Home/End (grid), Page Up/Down; on a header Enter or Space
sorts (Shift adds a sort) and Alt+ArrowDown, Shift+F10 or the menu key open its menu;
Enter on a row opens the row detail.

The grid gets rows and actions from `source` (the view controller): row(index), want(start,
end), sort_clicked(column, add), open_row(index), menu_action(column, action), and
`source.state["sort"]` for the header marks.
"""

import js
from pyscript.ffi import create_proxy

from sift import cell_text
from sift.ui.dom import clear, element, entered, page
from sift.ui.header_menu import HeaderMenu
from sift.view_state import sort_direction

ROW_HEIGHT_PX = 28  # the same as --row-height in app.css
OVERSCAN = 6  # rows kept beyond each edge, so a small scroll shows rows at once
MAX_BODY_PX = 15000000
HEADER_ROW = -1
WIDTH_STEP_PX = 40  # the menu's "Wider column" / "Narrower column"


def px(value):
    return str(int(value)) + "px"


class Slot:
    """One recycled row element and what it shows now (so unchanged cells are not touched)."""

    def __init__(self, node, count):
        self.node = node
        self.style = node.style
        self.cells = [node.children.item(index) for index in range(count)]
        # Each cell's Text node: changing its data relays out the text, where setting
        # textContent would replace the node and rebuild that part of the layout tree.
        self.text_nodes = [cell.firstChild for cell in self.cells]
        self.texts = [""] * count
        self.nulls = [False] * count
        self.row = -1
        self.y = None
        self.values = None
        self.hidden = True
        self.busy = False  # the row's values have not arrived: its cells are hidden


class Grid:
    def __init__(self, app, source):
        self.app = app
        self.source = source
        self.area = page.document.getElementById("table-area")
        self.table = None
        self.menu = HeaderMenu(app, self)
        self.no_scroll = js.Object.new()
        self.no_scroll.preventScroll = True
        self.frame_callback = create_proxy(entered(self.paint))  # one proxy for every frame
        self.defer_hidden = False  # build no grid while the area is hidden (a chart widget)
        self.pending = None  # the (view, label) of the build deferred while hidden
        self.reset_fields()
        app.listen(self.area, "scroll", self.on_scroll)
        app.listen(page.window, "resize", self.on_resize)

    def reset_fields(self):
        self.columns = []
        self.kinds = []
        self.widths = []
        self.total = 0
        self.slots = []
        self.header_cells = []
        self.active = [HEADER_ROW, 0]
        self.tabstop = None
        self.frame = False
        self.ratio = 1.0
        self.view_height = ROW_HEIGHT_PX
        self.page_rows = 1
        self.resizing = None

    # Building.
    def build(self, view, label):
        """A new grid for a view with new columns (a table opened, or its columns changed)."""
        if self.defer_hidden and self.area.hidden:
            self.pending = (view, label)  # built when the area shows (on_resize)
            return
        self.pending = None
        self.menu.close(False)
        clear(self.area)
        self.reset_fields()
        self.columns = list(view["columns"])
        rows = view.get("rows") or []
        self.kinds = cell_text.column_kinds(view.get("types") or [], rows, len(self.columns))
        self.widths = [self.start_width(index, rows) for index in range(len(self.columns))]
        table = element("table", cls="grid", attrs={"role": "grid", "aria-label": label})
        head = element("thead", attrs={"role": "rowgroup"})
        head.append(self.header_row())
        self.body = element("tbody", attrs={"role": "rowgroup"})
        table.append(head)
        table.append(self.body)
        self.table = table
        self.head = head
        table.setAttribute("aria-colcount", str(len(self.columns)))
        self.apply_widths()
        for name, handler in (
            ("keydown", self.on_key),
            ("focusin", self.on_focus),
            ("click", self.on_click),
            ("dblclick", self.on_double_click),
            ("pointerdown", self.on_pointer_down),
            ("pointermove", self.on_pointer_move),
            ("pointerup", self.on_pointer_up),
        ):
            self.app.listen(table, name, handler)
        self.area.append(table)
        self.area.append(self.menu.node)
        self.reset(view)

    def start_width(self, index, rows):
        kind = self.kinds[index]
        texts = [cell_text.cell_text(row[index], kind) for row in rows[: cell_text.SAMPLE_ROWS]]
        return cell_text.column_width(self.columns[index], texts)

    def header_row(self):
        row = element("div", cls="grid-head", attrs={"role": "row", "aria-rowindex": 1})
        for index, name in enumerate(self.columns):
            numeric = self.kinds[index] == cell_text.NUMBER
            cell = element(
                "div",
                cls="grid-col num" if numeric else "grid-col",
                attrs={
                    "role": "columnheader",
                    "aria-colindex": index + 1,
                    "tabindex": -1,
                    "data-column": name,
                },
            )
            cell.append(element("button", name, cls="header-sort", attrs={"tabindex": -1}))
            cell.append(element("span", cls="header-spark", attrs={"aria-hidden": "true"}))
            cell.append(
                element(
                    "button",
                    cls="header-menu",
                    attrs={"tabindex": -1, "aria-haspopup": "menu", "aria-label": "Column menu"},
                )
            )
            cell.append(element("span", cls="col-resize", attrs={"aria-hidden": "true"}))
            row.append(cell)
            self.header_cells.append(cell)
        return row

    def make_slots(self):
        """Enough recycled rows for the tallest the window can be; one template, cloned."""
        wanted = page.window.innerHeight // ROW_HEIGHT_PX + 2 * OVERSCAN + 2
        wanted = min(wanted, self.total)
        if len(self.slots) >= wanted:
            return
        # Rows and cells are divs with roles: Chromium restyles table rows and cells about
        # ten times slower than divs (measured: 860 vs 96 ms for 300 frames of 43 rows).
        template = element("div", cls="grid-row", attrs={"role": "row", "hidden": ""})
        for index in range(len(self.columns)):
            numeric = self.kinds[index] == cell_text.NUMBER
            template.append(
                element(
                    "div",
                    cls="grid-cell num" if numeric else "grid-cell",
                    attrs={"role": "gridcell", "aria-colindex": index + 1, "tabindex": -1},
                )
            )
            template.lastChild.append(page.document.createTextNode(""))
        # The pool grows (a taller window): every row moves to slot r % new size.
        for slot in self.slots:
            slot.row = -1
        while len(self.slots) < wanted:
            node = template.cloneNode(True)
            self.body.append(node)
            self.slots.append(Slot(node, len(self.columns)))

    def reset(self, view):
        """A new view of the same columns (sort, filter, search): new rows from the top."""
        self.total = view["total_rows"]
        self.table.setAttribute("aria-rowcount", str(self.total + 1))
        self.mark_sort()
        for slot in self.slots:
            slot.row = -1
            slot.values = None
        self.area.scrollTop = 0
        if self.active[0] >= self.total:
            self.active = [HEADER_ROW, self.active[1]]
        self.measure()
        self.make_slots()
        self.paint()

    def mark_sort(self):
        sort = self.source.state.get("sort") or []
        for index, cell in enumerate(self.header_cells):
            direction = sort_direction(sort, self.columns[index])
            if direction == "none":
                cell.removeAttribute("aria-sort")
            else:
                cell.setAttribute("aria-sort", direction)
            position = 0
            for place, entry in enumerate(sort):
                if entry["column"] == self.columns[index]:
                    position = place + 1
            # The order of a multi-column sort, shown beside the arrow (CSS reads it).
            cell.setAttribute("data-sort-order", str(position) if len(sort) > 1 else "")

    def measure(self):
        """Sizes that change only with the window or the row count."""
        if self.table is None:
            return
        content = self.total * ROW_HEIGHT_PX
        body = min(content, MAX_BODY_PX)
        self.body.style.height = px(body)
        area_height = self.area.clientHeight
        self.view_height = max(ROW_HEIGHT_PX, area_height - self.head.offsetHeight)
        self.page_rows = max(1, self.view_height // ROW_HEIGHT_PX)
        span = body - self.view_height
        if content > MAX_BODY_PX and span > 0:
            self.ratio = (content - self.view_height) / span
        else:
            self.ratio = 1.0

    def apply_widths(self):
        template = " ".join(px(width) for width in self.widths)
        self.table.style.setProperty("--grid-columns", template)
        self.table.style.width = px(sum(self.widths))

    def set_width(self, index, width):
        self.widths[index] = max(cell_text.MIN_WIDTH_PX // 2, int(width))
        self.apply_widths()

    # Painting.
    def on_scroll(self, event):
        if not self.frame and self.table is not None:
            self.frame = True
            page.window.requestAnimationFrame(self.frame_callback)

    def on_resize(self, event):
        if self.pending is not None and not self.area.hidden:
            self.build(*self.pending)
        elif self.table is not None:
            self.measure()
            self.make_slots()
            self.paint()

    def window(self):
        """(first row in view, rows' offset): the scrollbar maps onto the whole table."""
        top = self.area.scrollTop
        virtual = top * self.ratio
        return int(virtual // ROW_HEIGHT_PX), int(virtual - top)

    def paint(self, timestamp=None):
        self.frame = False
        if self.table is None or not self.slots:
            return
        first, shift = self.window()
        count = len(self.slots)
        start = max(0, first - OVERSCAN)
        end = min(self.total, first + self.page_rows + OVERSCAN + 1, start + count)
        for row in range(start, end):
            self.place(self.slots[row % count], row, row * ROW_HEIGHT_PX - shift)
        for slot in self.slots:
            if not slot.hidden and not start <= slot.row < end:
                slot.node.hidden = True
                slot.hidden = True
        self.first_row = first
        self.place_tabstop()
        self.source.want(start, end)

    def place(self, slot, row, y):
        if slot.row != row:
            slot.row = row
            slot.values = None
            slot.node.setAttribute("aria-rowindex", str(row + 2))
        if slot.hidden:
            slot.node.hidden = False
            slot.hidden = False
        if slot.y != y:
            slot.style.transform = "translateY(" + str(y) + "px)"
            slot.y = y
        values = self.source.row(row)
        if values is None:
            # Not here yet: hide the old row's text (CSS) with one call, not one per cell.
            if not slot.busy:
                slot.node.setAttribute("aria-busy", "true")
                slot.busy = True
            return
        if values is not slot.values:
            self.fill(slot, values)
            slot.values = values
        if slot.busy:
            slot.node.removeAttribute("aria-busy")
            slot.busy = False

    def fill(self, slot, values):
        texts, nulls, cells, nodes = slot.texts, slot.nulls, slot.cells, slot.text_nodes
        for index in range(len(cells)):
            value = values[index]
            text = cell_text.cell_text(value, self.kinds[index])
            if text != texts[index]:
                nodes[index].data = text
                texts[index] = text
            null = value is None
            if null != nulls[index]:
                cells[index].classList.toggle("null", null)
                nulls[index] = null

    def refresh_rows(self, start, end):
        """Rows from start to end just arrived: paint if any of them is in the pool."""
        for slot in self.slots:
            if not slot.hidden and start <= slot.row < end:
                self.paint()
                return

    # Focus: the roving tabindex.
    def target(self):
        row, column = self.active
        if row != HEADER_ROW and self.slots:
            slot = self.slots[row % len(self.slots)]
            if slot.row == row and not slot.hidden:
                return slot.cells[column]
        return self.header_cells[column] if self.header_cells else None

    def place_tabstop(self):
        target = self.target()
        if target is self.tabstop or target is None:
            return
        if self.tabstop is not None:
            self.tabstop.setAttribute("tabindex", "-1")
        target.setAttribute("tabindex", "0")
        self.tabstop = target

    def focus_active(self):
        self.place_tabstop()
        if self.tabstop is not None:
            self.tabstop.focus(self.no_scroll)

    def move(self, row, column):
        row = max(HEADER_ROW, min(self.total - 1, row))
        column = max(0, min(len(self.columns) - 1, column))
        self.active = [row, column]
        if row != HEADER_ROW:
            self.scroll_to_row(row)
        self.scroll_to_column(column)
        self.paint()
        self.focus_active()

    def scroll_to_row(self, row):
        top = self.area.scrollTop
        virtual = top * self.ratio
        y = row * ROW_HEIGHT_PX
        if y < virtual:
            wanted = int(y / self.ratio)
        elif y + ROW_HEIGHT_PX > virtual + self.view_height:
            wanted = int((y + ROW_HEIGHT_PX - self.view_height) / self.ratio + 0.999)
        else:
            return
        self.area.scrollTop = wanted

    def scroll_to_column(self, column):
        left = sum(self.widths[:column])
        right = left + self.widths[column]
        scroll = self.area.scrollLeft
        width = self.area.clientWidth
        if left < scroll:
            self.area.scrollLeft = left
        elif right > scroll + width:
            self.area.scrollLeft = right - width

    # Events.
    def on_key(self, event):
        if self.menu.is_open:
            return
        key = event.key
        row, column = self.active
        control = event.ctrlKey or event.metaKey
        if (
            (key == "ArrowDown" and event.altKey)
            or key == "ContextMenu"
            or (key == "F10" and event.shiftKey)
        ):
            self.open_menu(column)
        elif key == "ArrowDown":
            self.move(row + 1, column)
        elif key == "ArrowUp":
            self.move(row - 1, column)
        elif key == "ArrowRight":
            self.move(row, column + 1)
        elif key == "ArrowLeft":
            self.move(row, column - 1)
        elif key == "Home":
            self.move(0 if control else row, 0)
        elif key == "End":
            self.move(self.total - 1 if control else row, len(self.columns) - 1)
        elif key == "PageDown":
            self.move(max(row, 0) + self.page_rows, column)
        elif key == "PageUp":
            self.move(max(row - self.page_rows, 0), column)
        elif key in ("Enter", " ") and row == HEADER_ROW:
            self.source.sort_clicked(self.columns[column], event.shiftKey)
        elif key == "Enter":
            self.source.open_row(row)
        elif key == "Escape" and self.source.close_detail():
            pass
        else:
            return
        event.preventDefault()

    def on_focus(self, event):
        """Focus moved to a cell (a click, or our own move): it becomes the active cell, and
        shows its whole value if the cell holds a cut one."""
        cell = event.target.closest(".grid-col, .grid-cell")
        if cell is None:
            return
        if event.target.tagName == "BUTTON":
            # A click focused a header's button: keys belong to the cell (the grid pattern),
            # and Enter on a focused button would also click it.
            cell.focus(self.no_scroll)
            return
        column = int(cell.getAttribute("aria-colindex")) - 1
        row = int(cell.parentElement.getAttribute("aria-rowindex")) - 2
        self.active = [row, column]
        self.place_tabstop()
        if row == HEADER_ROW or not self.slots:
            return
        slot = self.slots[row % len(self.slots)]
        values = self.source.row(row)
        if slot.row == row and values is not None:
            whole = cell_text.full_text(values[column], self.kinds[column])
            if whole != slot.texts[column]:
                slot.text_nodes[column].data = whole
                slot.texts[column] = whole

    def on_click(self, event):
        target = event.target
        header = target.closest(".grid-col")
        if header is None:
            return
        column = int(header.getAttribute("aria-colindex")) - 1
        if target.closest(".header-menu") is not None:
            self.active = [HEADER_ROW, column]
            self.open_menu(column)
        elif target.closest(".header-sort") is not None:
            self.source.sort_clicked(self.columns[column], event.shiftKey)

    def on_double_click(self, event):
        row = event.target.closest(".grid-row")
        if row is not None:
            self.source.open_row(int(row.getAttribute("aria-rowindex")) - 2)

    def open_menu(self, column):
        self.active = [HEADER_ROW, column]
        self.place_tabstop()
        name = self.columns[column]
        self.menu.open(column, name, self.header_cells[column], self.source.menu_state(name))

    def menu_action(self, column, action):
        """A header menu item was chosen; width changes stay here, the rest go to the view."""
        if action == "wider":
            self.set_width(column, self.widths[column] + WIDTH_STEP_PX)
        elif action == "narrower":
            self.set_width(column, self.widths[column] - WIDTH_STEP_PX)
        else:
            self.source.menu_action(self.columns[column], action)

    # Column resizing with the mouse (the menu offers the same by keyboard).
    def on_pointer_down(self, event):
        handle = event.target.closest(".col-resize")
        if handle is None:
            return
        header = handle.closest(".grid-col")
        column = int(header.getAttribute("aria-colindex")) - 1
        self.resizing = (column, event.clientX, self.widths[column])
        handle.setPointerCapture(event.pointerId)
        event.preventDefault()

    def on_pointer_move(self, event):
        if self.resizing is not None:
            column, start, width = self.resizing
            self.set_width(column, width + event.clientX - start)

    def on_pointer_up(self, event):
        self.resizing = None

    def forget(self):
        self.menu.close(False)
        clear(self.area)
        self.table = None
        self.pending = None
        self.reset_fields()
