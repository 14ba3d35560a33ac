"""Small DOM helpers for the UI (MicroPython). Data reaches the page only as text."""

import js

document = js.document


def by_id(element_id):
    """The element with this id; fail loudly, since a missing id is a bug in the shell."""
    node = document.getElementById(element_id)
    if node is None:
        raise LookupError("no element #" + element_id)
    return node


def element(tag, text=None, attrs=None, cls=None):
    """A new element whose text, if any, is set with textContent (never parsed as HTML)."""
    node = document.createElement(tag)
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
    item = document.querySelector('#boot-stages [data-stage="' + name + '"]')
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
