"""Helpers for the in-Pyodide suite (standard library only: no pytest inside Pyodide)."""

from __future__ import annotations

from collections.abc import Callable


def raised(action: Callable[[], object]) -> Exception | None:
    """The exception ``action`` raises, or None."""
    try:
        action()
    except Exception as exc:
        return exc
    return None
