"""Entry point of the main-thread UI (PyScript `type="mpy"`); see sift.ui.app."""

from sift.ui.app import App

App().start()
