"""The progress panel of a running import (MicroPython): bar, figures and Cancel."""

from sift.ui.dom import by_id


def show(snapshot):
    """Show a Job snapshot from the engine: {label, percent, text, ...}."""
    by_id("progress-label").textContent = snapshot["label"]
    bar = by_id("progress-bar")
    if snapshot.get("percent") is None:
        bar.removeAttribute("value")  # an indeterminate bar
    else:
        bar.value = snapshot["percent"]
    by_id("progress-text").textContent = snapshot["text"]
    by_id("progress").hidden = False


def hide():
    by_id("progress").hidden = True
