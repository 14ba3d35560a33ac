"""Placeholder: filled in by issue 6's work (docs/export-contract.md)."""


def start(app, view):
    """Wire the export controls to the app and its view controller."""
