"""A time limit for queries: a pathological view, facet or search never hangs the engine.

``within(conn, seconds)`` installs a SQLite progress handler for the block; once the time is
up the handler makes SQLite stop the statement, and the block raises QueryTimeout (a SiftError
saying what to try) instead of sqlite3's bare "interrupted". Blocks may nest: an inner block
never extends the outer deadline, and the outer handler is back when it ends. ``poll`` (the
session's Cancel hook, docs/query-contract.md) is called from the handler; when it raises
(sift.jobs.Cancelled), SQLite is stopped and the block raises that error instead.
Imports: the standard library and sift.errors.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import ClassVar

from sift.errors import SiftError

QUERY_SECONDS = 30.0
NARROW_HINT = "Narrow it down: add a filter, search for longer text, or sort by another column."
CHECK_EVERY = 20_000  # SQLite virtual-machine steps between checks: ~1 ms, costs nothing

# id(connection) -> the handlers of the blocks running on it, innermost last. SQLite has one
# progress handler per connection and Python cannot read it back, so the stack is kept here.
_ACTIVE: dict[int, list[Callable[[], int]]] = {}


class QueryTimeout(SiftError):
    """A query ran past its time limit and was stopped."""

    kind: ClassVar[str] = "timeout"


@contextmanager
def within(
    conn: sqlite3.Connection,
    seconds: float = QUERY_SECONDS,
    *,
    what: str = "This query",
    clock: Callable[[], float] = time.monotonic,
    poll: Callable[[], None] | None = None,
    hint: str = NARROW_HINT,
) -> Iterator[None]:
    """Run the block's SQLite work under a deadline ``seconds`` from now; ``poll`` may cancel."""
    end = clock() + seconds
    expired = False
    stopped: list[Exception] = []  # what ``poll`` raised: re-raised once SQLite has stopped
    stack = _ACTIVE.setdefault(id(conn), [])
    outer = stack[-1] if stack else None

    def check() -> int:
        nonlocal expired
        if stopped:
            return 1
        if poll is not None:
            try:
                poll()
            except Exception as error:  # an exception must never escape a SQLite callback
                stopped.append(error)
                return 1
        expired = clock() > end
        if not expired and outer is not None:
            return outer()  # the outer block's time may run out first
        return 1 if expired else 0  # non-zero: SQLite abandons the statement

    stack.append(check)
    conn.set_progress_handler(check, CHECK_EVERY)
    try:
        yield
        if stopped:  # the block swallowed SQLite's "interrupted": the cancel still stands
            raise stopped[0]
    except sqlite3.OperationalError as error:
        interrupted = "interrupt" in str(error).lower()
        if interrupted and stopped:
            raise stopped[0] from None
        if interrupted and expired:
            raise QueryTimeout(
                f"{what} took longer than {seconds:g} second{'' if seconds == 1 else 's'}"
                " and was stopped.",
                hint=hint,
            ) from None
        raise
    finally:
        stack.pop()
        conn.set_progress_handler(outer, CHECK_EVERY)
        if not stack:
            del _ACTIVE[id(conn)]
