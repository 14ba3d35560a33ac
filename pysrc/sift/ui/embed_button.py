"""The app's "Embed" button (MicroPython): the script tag that shows the current view on
another page (docs/embed-contract.md; the tag is sift.embed_attributes.snippet).

The view is what the address bar's fragment says (the view controller and the chart panel
keep it current), so the tag carries the same source, sort, filters, search, query and chart.
An embed fetches its data again on the host's page, so only data opened from a URL can be
embedded: for a local file or a paste the dialog says so and offers no code.
Imports: sift.embed_attributes, sift.fragment and sift.ui (alerts, dom).
"""

import js

from sift import embed_attributes, fragment
from sift.ui import alerts
from sift.ui.dom import by_id, element, page

TITLE = "Embed this view"
HINT = (
    "Paste this tag into any web page, where the widget should appear. The page loads the data "
    "from its address; the server that hosts the data must allow other sites to read it (CORS)."
)
NO_URL = (
    "This table was opened from a file on this computer, so another page cannot load it. "
    "Put the file on a web server and open it with Open URL, then embed it."
)
NO_TABLE = "Open a table first: Embed shows the view on screen."


def embed_pairs(hash_text, page_url):
    """The fragment's pairs with each `src` made absolute (a host page resolves it otherwise)."""
    pairs = []
    for key, value in fragment.parse_fragment(hash_text):
        if key == "src" and js.URL.canParse(value, page_url):
            value = js.URL.new(value, page_url).href
        pairs.append((key, value))
    return pairs


class EmbedButton:
    def __init__(self, app, view):
        self.app = app
        self.view = view
        self.button = element("button", "Embed", attrs={"type": "button"}, cls="button small")
        self.button.setAttribute("aria-haspopup", "dialog")
        self.dialog = element("dialog", cls="embed-dialog")
        self.dialog.setAttribute("aria-labelledby", "embed-title")
        self.dialog.append(element("h2", TITLE, attrs={"id": "embed-title"}))
        self.note = element("p", cls="embed-note")
        self.code = element("textarea", cls="embed-code")
        for name, value in (("aria-label", "Embed code"), ("readonly", ""), ("rows", "4")):
            self.code.setAttribute(name, value)
        self.copy = element("button", "Copy", attrs={"type": "button"}, cls="button small")
        self.close = element("button", "Close", attrs={"type": "button"}, cls="button small")
        actions = element("div", cls="embed-actions")
        actions.append(self.copy)
        actions.append(self.close)
        self.dialog.append(self.note)
        self.dialog.append(self.code)
        self.dialog.append(actions)
        app.listen(self.button, "click", self.on_open)
        app.listen(self.copy, "click", self.on_copy)
        app.listen(self.close, "click", self.on_close)

    def on_open(self, event):
        location = page.window.location
        pairs = embed_pairs(location.hash, location.href)
        if self.view.state.get("table") is None:
            self.show(NO_TABLE, "")
        elif not any(key == "src" for key, _value in pairs):
            self.show(NO_URL, "")
        else:
            script = js.URL.new("embed.js", location.href).href
            self.show(HINT, embed_attributes.snippet(script, pairs))
        self.dialog.showModal()
        (self.code if self.code.value else self.close).focus()

    def show(self, note, code):
        self.note.textContent = note
        self.code.value = code
        self.code.hidden = not code
        self.copy.hidden = not code
        if code:
            self.code.select()

    def on_copy(self, event):
        self.app.spawn(self.copy_code())

    async def copy_code(self):
        try:
            await page.window.navigator.clipboard.writeText(self.code.value)
        except Exception:  # no clipboard permission: the text is selected for Ctrl+C
            self.code.select()
            alerts.say("Select the code and copy it with Ctrl+C (or Cmd+C).")
            return
        alerts.say("Embed code copied.")

    def on_close(self, event):
        self.dialog.close()
        self.button.focus()


def start(app, view):
    embed = EmbedButton(app, view)
    tools = by_id("query-tools")
    tools.append(embed.button)
    page.document.body.append(embed.dialog)
    return embed
