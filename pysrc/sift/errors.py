"""The one error shape of Sift: what happened, where, and what to try.

Domain code raises these; ``Session.handle`` turns them into JSON-able dicts for the UI.
Imports: the standard library only.
"""

from __future__ import annotations

from typing import Any, ClassVar


class SiftError(Exception):
    """An error the user can act on. ``message`` is a full sentence; ``hint`` says what to try."""

    kind: ClassVar[str] = "error"

    def __init__(
        self,
        message: str,
        *,
        hint: str,
        source: str | None = None,
        line: int | None = None,
        column: int | None = None,
        details: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.source = source
        self.line = line
        self.column = column
        self.details = details  # e.g. the offending text of a query, which the UI marks

    def to_dict(self) -> dict[str, Any]:
        """Return the error as plain JSON-able values, the shape every caller renders."""
        shape: dict[str, Any] = {
            "kind": self.kind,
            "message": self.message,
            "hint": self.hint,
            "source": self.source,
            "line": self.line,
            "column": self.column,
        }
        if self.details is not None:
            shape["details"] = self.details
        return shape

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r}, hint={self.hint!r})"


class LoadError(SiftError):
    """A file could not be loaded (empty, not text, too wide, malformed...)."""

    kind: ClassVar[str] = "load"
