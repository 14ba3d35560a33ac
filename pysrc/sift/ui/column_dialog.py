"""The "Add column" dialog (MicroPython): a name, a Python expression, a live preview.

A native <dialog> opened with showModal(): the page behind it is inert, Escape closes it and
focus goes back to the button that opened it. The expression is previewed on the table's
first rows (the engine's `column_preview`) as the user types, after a pause of
PREVIEW_DELAY_S; replies to older keystrokes are dropped. A syntax error shows under the
expression with a caret at its column; a row that fails shows its error in its own row.
"Add column" closes the dialog first (so the progress panel's Cancel can be reached) and
hands the work to `on_apply`; if the engine refuses it, the dialog opens again with the
error beside the field to fix, and nothing typed is lost.
Imports: sift.cell_text, sift.number_format and sift.ui (dom).
"""

import asyncio

from sift import cell_text
from sift.number_format import grouped
from sift.ui.dom import clear, element, page, rove

PREVIEW_DELAY_S = 0.4
PREVIEW_ROWS = 10
TRY_AGAIN = "Change it, or press Preview."
STOPPED = "Preview stopped. " + TRY_AGAIN
SLOW_S = 0.3  # a preview running this long says it is computing
STOP_AFTER_S = 1.5  # and this long, offers a Stop button
MAX_INPUT_COLUMNS = 4  # the preview shows at most this many input columns
EXAMPLES = ("amount * qty", "name.split()[0]", "date.fromisoformat(created).year")
DIALOG_ID = "add-column-dialog"


def is_identifier(name):
    if not name or not (name[0].isalpha() or name[0] == "_"):
        return False
    return all(is_name_char(char) for char in name)


def is_name_char(char):
    # MicroPython's str has no isalnum()
    return char.isalpha() or char.isdigit() or char == "_"


def reference(column):
    """How an expression names a column: bare when it is an identifier, else row["..."]."""
    if is_identifier(column):
        return column
    return "row[" + quoted(column) + "]"


def quoted(text):
    quote = "'" if '"' in text and "'" not in text else '"'
    return quote + text.replace("\\", "\\\\").replace(quote, "\\" + quote) + quote


def words(expression):
    """The identifiers of an expression and the texts of its string literals (roughly: enough
    to tell which columns it names, as `amount` or row["my column"])."""
    found = []
    index, size = 0, len(expression)
    while index < size:
        char = expression[index]
        if char in "\"'":
            end = expression.find(char, index + 1)
            end = size if end < 0 else end
            found.append(expression[index + 1 : end])
            index = end + 1
        elif char.isalpha() or char == "_":
            start = index
            while index < size and is_name_char(expression[index]):
                index += 1
            if start == 0 or expression[start - 1] != ".":  # not an attribute: x.name
                found.append(expression[start:index])
        else:
            index += 1
    return found


def shown_columns(expression, columns):
    """Indexes of the input columns a preview shows: those the expression names, else the
    first few."""
    named = words(expression)
    used = [index for index, name in enumerate(columns) if name in named]
    return (used or list(range(len(columns))))[:MAX_INPUT_COLUMNS]


def failure_line(result, total):
    """'2 of 10 rows failed; first: row 3: ZeroDivisionError: division by zero', or ''."""
    errors = result.get("errors") or 0
    if isinstance(errors, list):
        errors = len([entry for entry in errors if entry])
    first = result.get("first_error")
    if not errors and not first:
        return ""
    noun = " row failed" if total == 1 else " rows failed"
    line = grouped(errors) + " of " + grouped(total) + noun
    if first:
        line = line + "; first: row " + grouped(first["row"]) + ": " + first["message"]
    return line


def row_errors(result, total):
    """The error of each previewed row, or None: from the reply's per-row errors when it has
    them, else only the first failing row's."""
    given = result.get("row_errors")
    if isinstance(given, list):
        return [given[index] if index < len(given) else None for index in range(total)]
    errors = [None] * total
    first = result.get("first_error")
    if first and 1 <= first.get("row", 0) <= total:
        errors[first["row"] - 1] = first["message"]
    return errors


def value_kind(value):
    return cell_text.NUMBER if cell_text.is_number(value) else cell_text.TEXT


def numeric(values):
    """'num' when the non-NULL values are all numbers (the column is right-aligned), else ''."""
    present = [value for value in values if value is not None]
    return "num" if present and all(cell_text.is_number(v) for v in present) else ""


def caret_line(text, column):
    """The expression with a caret under `column` (1-based), for a syntax error."""
    column = max(1, min(column, len(text) + 1))
    return text + "\n" + " " * (column - 1) + "^"


class ColumnDialog:
    """`app` gives call, spawn, listen; `on_apply(table, name, expression)` runs the work."""

    def __init__(self, app, on_apply):
        self.app = app
        self.on_apply = on_apply
        self.table = None
        self.columns = []
        self.opener = None
        self.label = None
        self.asked = 0  # bumps on every change; an older preview reply is then dropped
        self.running = False  # a preview is on its way
        self.run_id = 0  # which preview loop is current (an engine restart abandons one)
        self.sent = 0  # previews sent to the engine, and the last one answered
        self.answered = 0
        self.again = False  # the expression changed while it was: preview again after it
        self.stopped = False  # the last Add of this text was stopped: no preview on opening
        self.node = None

    # Building (once, on first use).
    def build(self):
        dialog = element("dialog", cls="column-dialog", attrs={"aria-labelledby": "column-title"})
        dialog.id = DIALOG_ID
        form = element("form", cls="column-form", attrs={"novalidate": ""})
        form.append(element("h2", "Add a column", cls="panel-title", attrs={"id": "column-title"}))
        form.append(element("p", "", cls="column-table", attrs={"id": "column-table"}))
        form.append(self.field("column-name", "Name", "total", "column-name-error"))
        form.append(self.field("column-expression", "Expression", "amount * qty", ""))
        form.append(self.examples())
        form.append(element("div", cls="column-chips", attrs={"id": "column-chips"}))
        error = element("p", cls="inline-error", attrs={"id": "column-expression-error"})
        error.hidden = True
        form.append(error)
        form.append(self.preview_area())
        form.append(self.actions())
        dialog.append(form)
        page.document.body.append(dialog)
        listen = self.app.listen
        listen(form, "submit", self.on_submit)
        listen(dialog, "close", self.on_close)
        listen(self.by("column-expression"), "input", self.on_expression_input)
        listen(self.by("column-name"), "input", self.on_name_input)
        listen(self.by("column-chips"), "click", self.on_chip)
        listen(self.by("column-chips"), "keydown", self.on_chip_key)
        listen(self.by("column-preview-button"), "click", self.on_preview_click)
        listen(self.by("column-cancel"), "click", self.on_cancel_click)
        listen(self.by("column-preview-stop"), "click", self.on_stop_click)
        self.node = dialog

    def by(self, element_id):
        return page.document.getElementById(element_id)

    def field(self, field_id, label, placeholder, error_id):
        wrap = element("div", cls="column-field")
        wrap.append(element("label", label, attrs={"for": field_id}))
        attrs = {
            "type": "text",
            "autocomplete": "off",
            "spellcheck": "false",
            "autocapitalize": "off",
            "placeholder": placeholder,
        }
        if field_id == "column-expression":
            attrs["aria-describedby"] = "column-examples column-expression-error"
        else:
            attrs["aria-describedby"] = error_id
        node = element("input", attrs=attrs, cls="code" if field_id != "column-name" else None)
        node.id = field_id
        wrap.append(node)
        if error_id:
            error = element("p", cls="inline-error", attrs={"id": error_id})
            error.hidden = True
            wrap.append(error)
        return wrap

    def examples(self):
        note = element("p", cls="column-examples", attrs={"id": "column-examples"})
        note.append(element("span", "Python, computed for each row. For example: "))
        for index, example in enumerate(EXAMPLES):
            if index:
                note.append(element("span", ", "))
            note.append(element("code", example))
        note.append(
            element(
                "span",
                '. Columns are variables; a name with spaces is row["my column"]. '
                "math, re, datetime, date, json and statistics are ready to use.",
            )
        )
        return note

    def preview_area(self):
        area = element("section", cls="column-preview", attrs={"aria-labelledby": "preview-title"})
        area.append(element("h3", "Preview", cls="preview-title", attrs={"id": "preview-title"}))
        status = element("div", cls="preview-status")
        line = element("p", cls="preview-line", attrs={"id": "column-preview-line"})
        line.setAttribute("aria-live", "polite")
        status.append(line)
        attrs = {"type": "button", "id": "column-preview-stop"}
        stop = element("button", "Stop the preview", cls="button small", attrs=attrs)
        stop.hidden = True
        status.append(stop)
        area.append(status)
        area.append(element("div", cls="preview-table", attrs={"id": "column-preview-table"}))
        return area

    def actions(self):
        row = element("div", cls="column-actions")
        attrs = {"type": "button", "id": "column-preview-button"}
        row.append(element("button", "Preview", cls="button", attrs=attrs))
        row.append(element("button", "Add column", cls="button primary", attrs={"type": "submit"}))
        attrs = {"type": "button", "id": "column-cancel"}
        row.append(element("button", "Cancel", cls="button", attrs=attrs))
        return row

    # Opening and closing.
    def open(self, table, columns, opener, label=None):
        """Show the dialog for `table` (called `label` on screen), focus back to `opener`."""
        if self.node is None:
            self.build()
        if table != self.table:
            self.by("column-expression").value = ""
            self.by("column-name").value = ""
            self.clear_preview()
        self.table = table
        self.columns = list(columns)
        self.opener = opener
        self.label = label or table
        self.by("column-table").textContent = (
            "New column in " + self.label + ", computed in Python for each row."
        )
        self.fill_chips()
        self.show_name_error("")
        self.node.showModal()
        name = self.by("column-name")
        (name if not name.value else self.by("column-expression")).focus()
        if not self.by("column-expression").value.strip():
            return
        if self.stopped:
            # Previewing it again would hang the engine again: wait for an edit or Preview.
            self.stopped = False
            line = self.by("column-preview-line")
            line.textContent = "Not previewed: this expression was stopped. " + TRY_AGAIN
            clear(self.by("column-preview-table"))
        else:
            self.preview_soon(0)

    def reopen(self, error):
        """Back from a refused Add: the same text, and the engine's reason beside it."""
        self.open(self.table, self.columns, self.opener, self.label)
        if "name" in (error.get("message") or "").lower() and not error.get("line"):
            self.show_name_error(error.get("message") or "")
            self.by("column-name").focus()
        else:
            self.show_expression_error(error)
            self.by("column-expression").focus()

    def close(self):
        if self.node is not None and self.node.open:
            self.node.close()

    @property
    def is_open(self):
        return self.node is not None and self.node.open

    def on_close(self, event):
        self.asked += 1
        if self.opener is not None:
            self.opener.focus()

    def on_restart(self):
        """The engine was restarted (an app.restart_listeners hook): a preview sent to the old
        one may never answer, so stop waiting for it. Not sent again by itself: it may be
        the very expression that had to be stopped."""
        if not self.running:
            return
        self.run_id += 1
        self.running = False
        self.show_stop(False)
        if self.is_open:
            self.by("column-preview-line").textContent = STOPPED
            clear(self.by("column-preview-table"))

    def on_cancel_click(self, event):
        self.close()

    def fill_chips(self):
        chips = self.by("column-chips")
        clear(chips)
        label = element("span", "Insert a column:", cls="chips-label", attrs={"id": "chips-label"})
        chips.append(label)
        # One tab stop for all the chips, arrows between them (the ARIA toolbar pattern):
        # a wide table would otherwise put dozens of stops between the fields and the buttons.
        group = element("span", attrs={"role": "toolbar", "aria-labelledby": "chips-label"})
        for index, name in enumerate(self.columns):
            attrs = {"type": "button", "data-column": name, "title": "Insert " + reference(name)}
            attrs["tabindex"] = 0 if index == 0 else -1
            group.append(element("button", name, cls="chip", attrs=attrs))
        chips.append(group)

    def on_chip_key(self, event):
        nodes = self.by("column-chips").querySelectorAll("button[data-column]")
        chips = [nodes.item(index) for index in range(nodes.length)]
        current = event.target.closest("button[data-column]")
        if current is None or not chips:
            return
        # Compared by column name: JS proxies of one element need not compare equal.
        names = [chip.getAttribute("data-column") for chip in chips]
        name = current.getAttribute("data-column")
        position = names.index(name) if name in names else 0
        rove(event, chips, position, wrap=True)

    def on_chip(self, event):
        button = event.target.closest("button[data-column]")
        if button is None:
            return
        field = self.by("column-expression")
        text = reference(button.getAttribute("data-column"))
        start, end = field.selectionStart, field.selectionEnd
        value = field.value
        before = value[:start]
        if before and before[-1] not in " ([{,":
            text = " " + text
        field.value = before + text + value[end:]
        field.focus()
        caret = len(before) + len(text)
        field.setSelectionRange(caret, caret)
        self.preview_soon(0)

    # Preview.
    def on_expression_input(self, event):
        self.preview_soon(PREVIEW_DELAY_S)

    def on_name_input(self, event):
        self.show_name_error("")
        header = page.document.querySelector("#column-preview-table th.new-column")
        if header is not None:
            header.textContent = self.new_name()

    def on_preview_click(self, event):
        self.preview_soon(0)

    def preview_soon(self, delay):
        self.asked += 1
        self.app.spawn(self.preview_later(self.asked, delay))

    async def preview_later(self, asked, delay):
        if delay:
            await asyncio.sleep(delay)
        if asked != self.asked or not self.is_open:
            return
        if self.running:
            self.again = True  # one preview at a time: the running one goes again at its end
            return
        self.running = True
        self.run_id += 1
        run_id = self.run_id
        try:
            await self.preview_until_current()
        finally:
            if run_id == self.run_id:
                self.running = False
                self.show_stop(False)

    async def preview_until_current(self):
        """Preview the expression; again while it changed meanwhile (and asked for it)."""
        while self.is_open:
            self.again = False
            asked = self.asked
            expression = self.by("column-expression").value
            if not expression.strip():
                self.clear_preview()
                return
            self.sent += 1
            self.app.spawn(self.watch_slow(self.sent))
            reply = await self.fetch_preview(expression)
            self.answered = self.sent
            if asked == self.asked and self.is_open:
                self.show_reply(expression, reply)
            if not self.again:
                return

    async def fetch_preview(self, expression):
        """The engine's preview; through run_long when the app has it, so an expression that
        never ends can be stopped (the engine is then restarted)."""
        args = {"table": self.table, "expression": expression, "limit": PREVIEW_ROWS}
        run_long = getattr(self.app, "run_long", None)
        if run_long is None:
            return await self.app.call("column_preview", args)
        return await run_long("column_preview", args, "Computing the preview")

    def show_reply(self, expression, reply):
        if reply["ok"]:
            self.show_expression_error(None)
            self.show_preview(expression, reply["result"])
            return
        self.show_expression_error(reply["error"])
        if reply["error"].get("kind") in ("cancelled", "timeout"):
            line = STOPPED
        else:
            line = "No preview: fix the expression first."
        self.by("column-preview-line").textContent = line
        clear(self.by("column-preview-table"))

    async def watch_slow(self, sent):
        """A preview still on its way after SLOW_S says so; after STOP_AFTER_S, it offers to
        stop (an expression that never ends would otherwise hold the engine)."""
        await asyncio.sleep(SLOW_S)
        if self.waiting_for(sent):
            self.by("column-preview-line").textContent = "Computing the preview…"
        await asyncio.sleep(STOP_AFTER_S - SLOW_S)
        if self.waiting_for(sent):
            line = self.by("column-preview-line")
            line.textContent = "The preview is taking long: the expression may never finish."
            self.show_stop(True)

    def waiting_for(self, sent):
        return self.running and self.sent == sent and self.answered != sent and self.is_open

    def show_stop(self, shown):
        button = self.by("column-preview-stop")
        if button is not None:
            had_focus = page.document.activeElement.id == button.id
            button.hidden = not shown
            if had_focus and not shown:
                self.by("column-expression").focus()

    def on_stop_click(self, event):
        cancel = getattr(self.app, "cancel_long", None)
        if cancel is not None:
            cancel()

    def new_name(self):
        return self.by("column-name").value.strip() or "new column"

    def show_preview(self, expression, result):
        values = result.get("values") or []
        total = len(values)
        columns = result.get("columns") or []
        rows = result.get("rows") or []
        picked = shown_columns(expression, columns)
        errors = row_errors(result, total)
        line = failure_line(result, total)
        if total == 0:
            line = "The table has no rows to preview."
        elif not line:
            line = "All " + grouped(total) + " rows computed." if total > 1 else "1 row computed."
        self.by("column-preview-line").textContent = line
        table = element("table", cls="preview", attrs={"aria-labelledby": "preview-title"})
        head = element("tr")
        head.append(element("th", "Row", attrs={"scope": "col"}))
        for index in picked:
            cells = [row[index] for row in rows if index < len(row)]
            head.append(element("th", columns[index], cls=numeric(cells), attrs={"scope": "col"}))
        new_class = ("new-column " + numeric(values)).strip()
        head.append(element("th", self.new_name(), cls=new_class, attrs={"scope": "col"}))
        table.append(element("thead"))
        table.firstChild.append(head)
        body = element("tbody")
        for number in range(total):
            row = rows[number] if number < len(rows) else []
            body.append(self.preview_row(number, row, picked, values[number], errors[number]))
        table.append(body)
        holder = self.by("column-preview-table")
        clear(holder)
        holder.append(table)

    def preview_row(self, number, row, picked, value, error):
        tr = element("tr")
        tr.append(element("th", grouped(number + 1), attrs={"scope": "row"}))
        for index in picked:
            cell = row[index] if index < len(row) else None
            tr.append(self.value_cell(cell))
        if error:
            tr.append(element("td", error, cls="failed new-column", attrs={"title": error}))
        else:
            node = self.value_cell(value)
            node.classList.add("new-column")
            tr.append(node)
        return tr

    def value_cell(self, value):
        kind = value_kind(value)
        classes = []
        if value is None:
            classes.append("null")
        if kind == cell_text.NUMBER:
            classes.append("num")
        return element("td", cell_text.cell_text(value, kind), cls=" ".join(classes))

    def clear_preview(self):
        line = self.by("column-preview-line")
        if line is not None:
            line.textContent = "Type an expression to see it on the first rows."
            clear(self.by("column-preview-table"))
            self.show_expression_error(None)

    # Errors beside the fields.
    def show_expression_error(self, error):
        box = self.by("column-expression-error")
        field = self.by("column-expression")
        clear(box)
        if not error:
            box.hidden = True
            field.removeAttribute("aria-invalid")
            return
        box.append(element("span", error.get("message") or "This expression cannot be used."))
        if error.get("column") and error.get("kind") == "python":
            text = field.value.split("\n")[max(0, (error.get("line") or 1) - 1)]
            box.append(element("pre", caret_line(text, error["column"]), cls="caret"))
        if error.get("hint"):
            box.append(element("span", error["hint"], cls="hint"))
        box.hidden = False
        field.setAttribute("aria-invalid", "true")

    def show_name_error(self, message):
        box = self.by("column-name-error")
        field = self.by("column-name")
        if box is None:
            return
        box.textContent = message
        box.hidden = not message
        if message:
            field.setAttribute("aria-invalid", "true")
        else:
            field.removeAttribute("aria-invalid")

    # Add.
    def on_submit(self, event):
        event.preventDefault()
        name = self.by("column-name").value.strip()
        expression = self.by("column-expression").value
        if not name:
            self.show_name_error("Type a name for the new column.")
            self.by("column-name").focus()
            return
        if name.lower() in [column.lower() for column in self.columns]:
            self.show_name_error(self.label + " already has a column " + name + ".")
            self.by("column-name").focus()
            return
        if not expression.strip():
            message = "Type the Python expression that computes " + name + "."
            self.show_expression_error({"message": message})
            self.by("column-expression").focus()
            return
        self.close()
        self.app.spawn(self.on_apply(self.table, name, expression))

    def was_stopped(self):
        """The Add of the expression in the dialog was cancelled: keep it, but do not run it
        again on opening (it may loop forever)."""
        self.stopped = True

    def forget_text(self):
        """After a column was added: the next one starts empty."""
        if self.node is not None:
            self.by("column-name").value = ""
            self.by("column-expression").value = ""
            self.clear_preview()
