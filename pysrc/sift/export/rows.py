"""A view's rows, in the view's order, in batches: what every export writer reads.

One SELECT with the view's WHERE and ORDER BY streams through a cursor, ``BATCH_ROWS`` at a
time, so a big table is never held in memory. The SELECT list is the writer's: each column
as an SQL expression, so per-cell conversions (a blob as hex, a quote before a formula) run
inside SQLite. Between batches the Pacer calls ``session.poll()`` (Cancel: see
docs/query-contract.md) and the progress callback; while SQLite works alone (sorting before
the first row), sift.deadline.within's progress handler calls ``poll()`` too, with no time
limit. Imports: the standard library and sift modules.
"""

from __future__ import annotations

import math
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass
from typing import Any

from sift.deadline import within
from sift.names import quote_ident
from sift.view import CompiledView

Row = tuple[Any, ...]
# progress(rows written so far, bytes written so far), between batches; it may raise to cancel.
Progress = Callable[[int, int], None]
BATCH_ROWS = 2000


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
        # No time limit (the user can Cancel); within() lets poll() in while SQLite sorts.
        running = within(self.conn, math.inf, what=f"Exporting {view.table}", poll=self.pacer.poll)
        with running, closing(self.conn.cursor()) as cursor:
            yield _fetch(cursor, sql, view.params, size)


def _fetch(
    cursor: sqlite3.Cursor, sql: str, params: dict[str, Any], size: int
) -> Iterator[list[Row]]:
    cursor.execute(sql, params)
    while batch := cursor.fetchmany(size):
        yield batch
