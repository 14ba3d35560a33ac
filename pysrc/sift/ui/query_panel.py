"""Placeholder: filled in by issue 5's work (docs/query-contract.md)."""


def start(app, view):
    """Wire the panel to the app and its view controller."""
