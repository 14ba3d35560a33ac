"""One way to show every error (MicroPython): what happened, where, what to try."""

from sift.ui.dom import by_id, element


def where(error):
    """'line 4, column 2 of data.csv' style location, or '' when the error has none."""
    parts = []
    if error.get("line"):
        parts.append("line " + str(error["line"]))
    if error.get("column"):
        parts.append("column " + str(error["column"]))
    return ", ".join(parts)


def show_error(error):
    alert = by_id("alert")
    alert.textContent = error.get("message") or "Something went wrong."
    location = where(error)
    if location:
        alert.append(element("span", "Where: " + location, cls="hint"))
    if error.get("hint"):
        alert.append(element("span", error["hint"], cls="hint"))
    if error.get("details"):
        details = element("details")
        details.append(element("summary", "Details"))
        details.append(element("pre", error["details"]))
        alert.append(details)
    alert.hidden = False


def clear_error():
    alert = by_id("alert")
    alert.hidden = True
    alert.textContent = ""


def say(message):
    """Announce in the status line (a polite live region)."""
    by_id("status").textContent = message
