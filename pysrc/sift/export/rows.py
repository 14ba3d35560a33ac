"""A view's rows, in the view's order, in batches: what every export writer reads.

One SELECT with the view's WHERE and ORDER BY streams through a cursor, ``BATCH_ROWS`` at a
time, so a big table is never held in memory. The SELECT list is the writer's: each column
as an SQL expression, so per-cell conversions (a blob as hex, a quote before a formula) run
inside SQLite. Between batches the Pacer calls ``session.poll()`` (Cancel, docs/query-contract.md)
and the progress callback; while SQLite works alone (sorting before the first row), its
progress handler calls ``poll()`` too. Imports: the standard library and sift modules.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from typing import Any

from sift.names import quote_ident
from sift.view import CompiledView

Row = tuple[Any, ...]
# progress(rows written so far, bytes written so far), between batches; it may raise to cancel.
Progress = Callable[[int, int], None]
BATCH_ROWS = 2000
HANDLER_OPS = 10_000  # SQLite VM steps between checks for Cancel while SQLite sorts
POLL_SECONDS = 0.05  # ...and at most this often a poll() from those checks


@dataclass
class Pacer:
    """Counts the rows written and lets Cancel in between batches."""

    poll: Callable[[], None]
    progress: Progress | None = None
    rows: int = 0

    def step(self, rows: int, written_bytes: int) -> None:
        """``rows`` more rows are written, ``written_bytes`` in all: poll and report."""
        self.rows += rows
        self.poll()
        if self.progress is not None:
            self.progress(self.rows, written_bytes)


@dataclass(frozen=True)
class ViewRows:
    """The rows of one compiled view on ``conn``."""

    conn: sqlite3.Connection
    view: CompiledView
    pacer: Pacer

    @property
    def columns(self) -> list[str]:
        return self.view.columns

    @property
    def types(self) -> list[str]:
        return self.view.types

    @contextmanager
    def batches(
        self, select: Sequence[str] | None = None, size: int = BATCH_ROWS
    ) -> Iterator[Iterator[list[Row]]]:
        """Lists of up to ``size`` rows; each column is ``select[i]`` (default: its value)."""
        view = self.view
        expressions = select if select is not None else [quote_ident(c) for c in view.columns]
        sql = (
            f"SELECT {', '.join(expressions)} FROM {quote_ident(view.table)}"
            f" WHERE {view.where}{view.order_by()}"
        )
        with polling(self.conn, self.pacer.poll), closing(self.conn.cursor()) as cursor:
            yield _fetch(cursor, sql, view.params, size)


def _fetch(
    cursor: sqlite3.Cursor, sql: str, params: dict[str, Any], size: int
) -> Iterator[list[Row]]:
    cursor.execute(sql, params)
    while batch := cursor.fetchmany(size):
        yield batch


@dataclass
class _Watch:
    """SQLite's progress handler: poll() now and then; keep what it raises for later."""

    poll: Callable[[], None]
    error: BaseException | None = None
    last: float = field(default_factory=time.monotonic)

    def __call__(self) -> int:
        now = time.monotonic()
        if now - self.last < POLL_SECONDS:
            return 0
        self.last = now
        try:
            self.poll()
        except BaseException as exc:  # an exception cannot cross SQLite: keep it, stop SQLite
            self.error = exc
            return 1
        return 0


@contextmanager
def polling(conn: sqlite3.Connection, poll: Callable[[], None]) -> Iterator[None]:
    """Let ``poll`` (and so Cancel) in while SQLite works on ``conn`` inside the block."""
    watch = _Watch(poll)
    conn.set_progress_handler(watch, HANDLER_OPS)
    try:
        yield
    except sqlite3.OperationalError:
        if watch.error is not None:
            raise watch.error from None
        raise
    finally:
        conn.set_progress_handler(None, HANDLER_OPS)
