"""Placeholder: filled in by issue 6's work (docs/chart-contract.md)."""


def start(app, view):
    """Wire the chart panel to the app and its view controller."""
