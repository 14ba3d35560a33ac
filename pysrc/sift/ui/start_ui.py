"""Entry point of the main-thread UI (PyScript `type="mpy"`): the app (sift.ui.app), or a
widget when the page is embed.html (sift.ui.embed_app)."""

import js

if js.document.documentElement.hasAttribute("data-sift-embed"):
    from sift.ui.embed_app import EmbedApp

    EmbedApp().start()
else:
    from sift.ui.app import App

    App().start()
