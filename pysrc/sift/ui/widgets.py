"""One MicroPython for every Sift widget of a host page, in the page's engine frame
(embed-engine.html, which embed.js makes hidden).

A widget frame (embed.html with the page's id) holds no interpreter: it finds the engine frame
by name and hands it its window (embed-client.js), and gets an EmbedApp working in its own
document (sift.ui.dom.page). Starting MicroPython and PyScript in each frame cost every widget
past the first about a second of CPU, on the one main thread Sift's frames share."""

import js
from pyscript.ffi import create_proxy

from sift.ui.dom import page
from sift.ui.embed_app import EmbedApp

apps = []  # the widgets' apps: each lives as long as the host page


def attach(window):
    """Start the UI of the widget frame whose window this is (called by its embed-client.js;
    an exception reaches it, and it says in the widget that Sift could not start)."""
    page.use(window, window.document)
    app = EmbedApp()
    apps.append(app)
    # A frame reloaded (a host moving its element does that) attaches again, as a new app; a
    # page kept in the back/forward cache (persisted) comes back with its frames as they were.
    app.listen(window, "pagehide", lambda event: None if event.persisted else leave(app))
    app.start()


def leave(app):
    """A widget frame's document is gone: stop its app's work and let it be collected."""
    for task in app.tasks:
        task.cancel()
    if app in apps:
        apps.remove(app)


def serve():
    js.siftServeWidgets(create_proxy(attach))
