"""Shared by the tests/unit/test_export_*.py modules: run the export commands on a Session,
and read a table back exactly as the workspace holds it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sift.export.commands import COMMANDS
from sift.names import quote_ident
from sift.session import Session, reply_for

Table = tuple[list[str], list[str], list[tuple[Any, ...]]]


def export(session: Session, path: Path, fmt: str, **args: Any) -> dict[str, Any]:
    """Run ``export`` on ``session`` (the table defaults to the first one)."""
    if "table" not in args:
        args["table"] = session.workspace.table_names()[0]
    result: dict[str, Any] = COMMANDS["export"].run(
        session, {"format": fmt, "path": str(path), **args}
    )
    assert json.loads(json.dumps(result, allow_nan=False)) == result  # JSON-able
    return result


def export_reply(session: Session, args: dict[str, Any]) -> dict[str, Any]:
    """``export`` as Session.handle will answer it once the session merges the command."""
    return reply_for(lambda: COMMANDS["export"].run(session, args))


def table(session: Session, name: str) -> Table:
    """Columns, declared types and rows (in stored order, values as SQLite holds them)."""
    conn = session.workspace.conn
    columns = session.workspace.columns(name)
    types = session.workspace.column_types(name)
    rows = conn.execute(f"SELECT * FROM {quote_ident(name)} ORDER BY rowid").fetchall()
    return columns, types, rows


def load(session: Session, name: str, data: bytes) -> str:
    """Load ``data`` as a file called ``name``; the first table's name."""
    return str(session.load(name, data)["table"])


def reload(path: Path, name: str | None = None) -> Table:
    """Load the exported file at ``path`` into a new session; its first table."""
    with Session() as fresh:
        return table(fresh, load(fresh, name or path.name, path.read_bytes()))


class CancelAfter:
    """A session.poll that raises Cancelled on its ``calls``-th call."""

    def __init__(self, calls: int) -> None:
        self.calls = calls
        self.seen = 0

    def __call__(self) -> None:
        from sift.jobs import Cancelled

        self.seen += 1
        if self.seen >= self.calls:
            raise Cancelled("Export was cancelled: nothing was written.", hint="Export again.")
