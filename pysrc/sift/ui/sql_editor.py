"""The SQL editor (MicroPython): a textarea over a highlighted mirror, with completion.

The textarea does the editing (caret, selection, undo, IME, screen readers); its text is
transparent, and a `pre` behind it (aria-hidden) shows the same text as spans per token
kind (sift.sql_tokens), built with createElement and text only. Their scroll positions are
kept equal. An error's offending text is wrapped in a `mark` in the mirror until the next edit.

Completion follows the ARIA combobox pattern on the textarea: typing a word (table and column
names) or Ctrl+Space (keywords too) opens a listbox under the caret; arrows move
(aria-activedescendant), Enter or Tab accepts, Escape closes. Ctrl/Cmd+Enter runs the query.
Browser positions are UTF-16 code units; sql_tokens converts them to string indexes.
"""

import asyncio

import js

from sift import sql_tokens
from sift.ui.dom import element, page

PLAIN_KINDS = (sql_tokens.WHITESPACE, sql_tokens.IDENTIFIER, sql_tokens.PUNCTUATION)
LIST_ID = "sql-completions"
OPTION_ID = "sql-completion-"
MAX_OPTIONS = 12
# Scanning and highlighting cost MicroPython about 0.05 ms a character (tokenizing 7,600
# characters: 119 ms, on a loaded machine): a longer text shows plain while it is typed, and
# is highlighted (and its parameters found) once the typing pauses for PAUSE_S.
INSTANT_CHARS = 3000
PAUSE_S = 0.25
NOTES = {"table": "table", "keyword": "keyword", "result": "result column"}


class SqlEditor:
    """`on_run()` is called on Ctrl/Cmd+Enter, `on_change(text)` after every edit, and
    `schema_source()` gives completion its names: ({table: [column]}, [result column])."""

    def __init__(self, app, on_run, on_change, schema_source):
        self.app = app
        self.on_run = on_run
        self.on_change = on_change
        self.schema_source = schema_source
        self.mark = None  # (start, end) of an error's offending text
        self.edits = 0  # counts edits, so a delayed paint knows whether it is still current
        self.options = []  # the open listbox's candidates
        self.active = 0
        self.replace_from = 0  # the listbox's candidates replace text from here to the caret
        self.nearest = js.Object.new()  # scrollIntoView's options: scroll only if needed
        self.nearest.block = "nearest"
        self.node = self.build()
        self.paint()

    def build(self):
        wrap = element("div", cls="sql-editor")
        wrap.append(element("label", "SQL query", cls="sql-label", attrs={"for": "sql-input"}))
        box = element("div", cls="sql-box")
        self.mirror = element("pre", cls="sql-mirror", attrs={"aria-hidden": "true"})
        self.input = element(
            "textarea",
            cls="sql-input",
            attrs={
                "id": "sql-input",
                "rows": "6",
                "wrap": "off",
                "spellcheck": "false",
                "autocomplete": "off",
                "autocapitalize": "off",
                "role": "combobox",
                "aria-autocomplete": "list",
                "aria-expanded": "false",
                "aria-controls": LIST_ID,
                "aria-describedby": "sql-keys",
                "placeholder": "SELECT * FROM …",
            },
        )
        self.list = element(
            "ul",
            cls="sql-completions",
            attrs={"id": LIST_ID, "role": "listbox", "aria-label": "Suggestions"},
        )
        self.list.hidden = True
        box.append(self.mirror)
        box.append(self.input)
        box.append(self.list)
        wrap.append(box)
        keys = "Ctrl+Enter (⌘+Enter) runs the query; Ctrl+Space suggests names and keywords."
        wrap.append(element("p", keys, cls="sql-keys", attrs={"id": "sql-keys"}))
        self.app.listen(self.input, "input", self.on_input)
        self.app.listen(self.input, "keydown", self.on_key)
        self.app.listen(self.input, "scroll", self.on_scroll)
        self.app.listen(self.input, "blur", self.on_blur)
        self.app.listen(self.list, "mousedown", self.on_list_pointer)
        self.app.listen(self.list, "click", self.on_list_click)
        return wrap

    # The text.
    def text(self):
        return self.input.value

    def set_text(self, text):
        """Replace the whole text (a history entry, a saved query, a link)."""
        self.input.value = text
        self.mark = None
        self.close()
        self.edits += 1
        self.paint()
        self.on_change(text)

    def focus(self):
        self.input.focus()

    def set_mark(self, start, end):
        """Mark the text from `start` to `end` (string indexes) until the next edit."""
        self.mark = (start, end) if end > start else None
        self.paint()

    def paint(self):
        """Rebuild the mirror: one span per token that is not plain text, the mark around
        the error's text, and a final newline so an empty last line keeps its height."""
        text = self.text()
        pieces = page.document.createDocumentFragment()
        if len(text) > sql_tokens.HIGHLIGHT_LIMIT:
            pieces.append(text)
        else:
            start, end = self.mark or (0, 0)
            self.paint_pieces(sql_tokens.marked_pieces(text, start, end), pieces)
        pieces.append("\n")
        self.mirror.replaceChildren(pieces)
        self.plain(False)
        self.on_scroll(None)

    def paint_pieces(self, marked_pieces, pieces):
        """Plain runs become one text node each (fewer calls into the DOM)."""
        mark = None
        plain = ""
        target = pieces
        for kind, piece, marked in marked_pieces:
            wanted = pieces
            if marked:
                if mark is None:
                    if plain:
                        target.append(plain)
                        plain = ""
                    mark = element("mark", cls="sql-error-mark")
                    pieces.append(mark)
                wanted = mark
            if wanted is not target:
                if plain:
                    target.append(plain)
                    plain = ""
                target = wanted
            if kind in PLAIN_KINDS:
                plain = plain + piece
                continue
            if plain:
                target.append(plain)
                plain = ""
            target.append(element("span", piece, cls="tok-" + kind))
        if plain:
            target.append(plain)

    def edited(self):
        """After an edit: paint and tell `on_change` now when the text is short; else show
        it plain and do both once the typing pauses. True when done now."""
        self.edits += 1
        self.mark = None
        text = self.text()
        if len(text) <= INSTANT_CHARS:
            self.paint()
            self.on_change(text)
            return True
        self.plain(True)
        self.app.spawn(self.paint_later(self.edits))
        return False

    async def paint_later(self, edits):
        await asyncio.sleep(PAUSE_S)
        if edits == self.edits:
            self.paint()
            self.on_change(self.text())

    def plain(self, on):
        """Plain mode: the textarea shows its own text and the mirror is blank."""
        if on:
            self.node.classList.add("sql-plain")
        else:
            self.node.classList.remove("sql-plain")

    # Events.
    def on_input(self, event):
        if not self.edited():
            self.close()  # a long text: suggestions only on Ctrl+Space
            return
        typed = str(event.inputType or "")
        inserted = typed.startswith("insert") and typed != "insertLineBreak"
        if inserted or (self.is_open() and typed.startswith("delete")):
            self.suggest(False)
        else:
            self.close()

    def on_scroll(self, event):
        self.mirror.scrollTop = self.input.scrollTop
        self.mirror.scrollLeft = self.input.scrollLeft

    def on_blur(self, event):
        self.close()

    def on_key(self, event):
        key = event.key
        command = event.ctrlKey or event.metaKey
        if self.is_open() and self.on_list_key(event, key, command):
            event.preventDefault()
            event.stopPropagation()
            return
        if command and key == "Enter":
            event.preventDefault()
            self.close()
            self.on_run()
        elif event.ctrlKey and (key == " " or event.code == "Space"):
            event.preventDefault()
            self.suggest(True)

    def on_list_key(self, event, key, command):
        """Keys for the open listbox; True when handled."""
        if key == "ArrowDown":
            self.move(1)
        elif key == "ArrowUp":
            self.move(-1)
        elif key in ("Enter", "Tab") and not command and not event.shiftKey:
            self.accept(self.active)
        elif key == "Escape":
            self.close()
        else:
            return False
        return True

    def on_list_pointer(self, event):
        event.preventDefault()  # keep the focus (and the caret) in the textarea

    def on_list_click(self, event):
        option = event.target.closest("[role=option]")
        if option is not None:
            self.accept(int(option.getAttribute("data-index")))

    # Completion.
    def caret(self):
        """The caret as an index into the text."""
        return sql_tokens.from_utf16(self.text(), self.input.selectionStart)

    def suggest(self, explicit):
        """Show what completes the word at the caret. Typing offers table and column names
        once a letter is typed; Ctrl+Space (`explicit`) offers everything, keywords too."""
        text = self.text()
        if self.input.selectionStart != self.input.selectionEnd:
            self.close()
            return
        caret = self.caret()
        schema, extra = self.schema_source()
        start, found = sql_tokens.completions(text, caret, schema, MAX_OPTIONS, extra, explicit)
        if not found or (not explicit and caret == start):
            self.close()
            return
        self.replace_from = start
        self.options = found
        self.active = 0
        self.render(text, start)

    def render(self, text, start):
        self.list.replaceChildren()
        for index, (insert, kind, note) in enumerate(self.options):
            option = element(
                "li",
                cls="sql-option",
                attrs={
                    "role": "option",
                    "id": OPTION_ID + str(index),
                    "data-index": index,
                    "aria-selected": "true" if index == self.active else "false",
                },
            )
            option.append(element("span", insert, cls="sql-option-text"))
            label = NOTES.get(note, "column of " + note) if kind != "table" else "table"
            option.append(element("span", label, cls="sql-option-note"))
            self.list.append(option)
        self.place(text, start)
        self.list.hidden = False
        self.input.setAttribute("aria-expanded", "true")
        self.input.setAttribute("aria-activedescendant", OPTION_ID + str(self.active))

    def place(self, text, start):
        """Put the listbox under the line of the word being completed (the font is
        monospaced: `ch` and `lh` units give the position without measuring)."""
        before = text[:start]
        line = before.count("\n")
        column = len(before) - (before.rfind("\n") + 1)
        style = self.list.style
        style.top = (
            "calc(" + str(line + 1) + "lh + var(--sql-pad) - " + str(self.input.scrollTop) + "px)"
        )
        style.left = (
            "calc(" + str(column) + "ch + var(--sql-pad) - " + str(self.input.scrollLeft) + "px)"
        )

    def move(self, step):
        count = len(self.options)
        old = self.list.children.item(self.active)
        self.active = (self.active + step) % count
        new = self.list.children.item(self.active)
        old.setAttribute("aria-selected", "false")
        new.setAttribute("aria-selected", "true")
        new.scrollIntoView(self.nearest)
        self.input.setAttribute("aria-activedescendant", OPTION_ID + str(self.active))

    def accept(self, index):
        if not 0 <= index < len(self.options):
            return
        insert = self.options[index][0]
        text = self.text()
        start = sql_tokens.utf16_length(text[: self.replace_from])
        self.close()
        self.input.setRangeText(insert, start, self.input.selectionStart, "end")
        self.edited()

    def is_open(self):
        return not self.list.hidden

    def close(self):
        if self.list.hidden:
            return
        self.list.hidden = True
        self.list.replaceChildren()
        self.options = []
        self.input.setAttribute("aria-expanded", "false")
        self.input.removeAttribute("aria-activedescendant")
