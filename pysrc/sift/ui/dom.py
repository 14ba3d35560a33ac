"""Small DOM helpers for the UI (MicroPython). Data reaches the page only as text."""

import js


class Page:
    """The window and document the UI is working in. In the app and a widget opened by itself
    it is the interpreter's own; on a host page one MicroPython serves every widget (the
    engine frame, sift.ui.widgets), and this is the widget whose code runs. The UI reads
    `page.window` and `page.document`, never `js.window` or `js.document`; every way into its
    code (an event listener, a task, an animation frame) goes through `entered` or `Entered`,
    which put back the page that was current when it was made."""

    def __init__(self, window):
        self.window = window
        self.document = window.document

    def use(self, window, document):
        self.window = window
        self.document = document


page = Page(js.window)


def entered(callback):
    """`callback`, to be called from JavaScript, made to run in the current page."""
    window, document = page.window, page.document

    def call(*args):
        page.use(window, document)
        return callback(*args)

    return call


class Entered:
    """A coroutine run as a task in the page current when it was made: the page is put back
    each time the task resumes, since other pages' code runs while it waits."""

    def __init__(self, coroutine):
        self.coroutine = coroutine
        self.window = page.window
        self.document = page.document

    def send(self, value):
        page.use(self.window, self.document)
        return self.coroutine.send(value)

    def throw(self, *args):
        page.use(self.window, self.document)
        return self.coroutine.throw(*args)

    def close(self):
        return self.coroutine.close()


def by_id(element_id):
    """The element with this id; fail loudly, since a missing id is a bug in the shell."""
    node = page.document.getElementById(element_id)
    if node is None:
        raise LookupError("no element #" + element_id)
    return node


def element(tag, text=None, attrs=None, cls=None):
    """A new element whose text, if any, is set with textContent (never parsed as HTML)."""
    node = page.document.createElement(tag)
    if text is not None:
        node.textContent = text
    if cls:
        node.className = cls
    if attrs:
        for name in attrs:
            node.setAttribute(name, str(attrs[name]))
    return node


def page_address(location):
    """The page's address without its fragment, for history.replaceState: not pathname +
    search, which a path starting with // would turn into another host's address."""
    return location.href.split("#", 1)[0]


def clear(node):
    while node.firstChild:
        node.removeChild(node.firstChild)


def set_stage(name, state):
    """Mark a start-up stage as active or done (shown in #boot-stages)."""
    item = page.document.querySelector('#boot-stages [data-stage="' + name + '"]')
    if item is None:
        return
    item.removeAttribute("data-active")
    item.removeAttribute("data-done")
    item.setAttribute("data-" + state, "")


FORWARD_KEYS = ("ArrowRight", "ArrowDown")
BACKWARD_KEYS = ("ArrowLeft", "ArrowUp")


def rove(event, stops, current, wrap=False):
    """Move a roving tabindex (one tab stop for a group) from `stops[current]` as the arrow
    keys, Home and End ask; `wrap` goes round at the ends. False for any other key."""
    count = len(stops)
    key = event.key
    if key == "Home":
        index = 0
    elif key == "End":
        index = count - 1
    elif key in FORWARD_KEYS or key in BACKWARD_KEYS:
        index = current + (1 if key in FORWARD_KEYS else -1)
        index = index % count if wrap else min(max(index, 0), count - 1)
    else:
        return False
    event.preventDefault()
    for stop in stops:
        stop.setAttribute("tabindex", "-1")
    stops[index].setAttribute("tabindex", "0")
    stops[index].focus()
    return True
