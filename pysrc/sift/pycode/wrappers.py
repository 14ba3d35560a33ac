"""A user's Python function as SQLite calls it: values converted, Cancel let in, errors kept.

SQLite turns any exception raised inside a function into a bare "user-defined function raised
exception", so the wrapper first stores what happened in ``session.python_error`` (a
PythonError naming the function, its error and the line of the user's source; or the
Cancelled / QueryTimeout raised by ``session.poll``) for sift.query to raise instead.
The wrapper holds the session weakly: SQLite keeps it as long as the connection lives.
Imports: the standard library and sift.errors, sift.pycode.
"""

from __future__ import annotations

import time
import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING

from sift.errors import SiftError
from sift.pycode.failures import FUNCTIONS_FILE, PythonError, describe, user_position
from sift.pycode.values import SqlValue, to_sql

if TYPE_CHECKING:
    from sift.session import Session

POLL_CALLS = 1_000  # calls between two session.poll() ...
POLL_SECONDS = 0.05  # ... or this long, whichever comes first: Cancel answers within 0.5 s
FIX_HINT = (
    "Fix the function in the Python functions editor (e.g. return None for values it cannot "
    "handle), or leave it out of the query."
)


def sql_function(
    session: Session, name: str, function: Callable[..., object]
) -> Callable[..., SqlValue]:
    """``function`` for ``conn.create_function``: SQLite values in, SQLite values out."""
    owner = weakref.ref(session)
    calls = 0
    polled = time.monotonic()

    def call(*args: SqlValue) -> SqlValue:
        nonlocal calls, polled
        calls += 1
        try:
            if calls >= POLL_CALLS or time.monotonic() - polled >= POLL_SECONDS:
                calls, polled = 0, time.monotonic()
                _poll(owner)
            return to_sql(function(*args))[0]
        except BaseException as error:
            _keep(owner, failure(name, error))
            raise

    return call


def removed_function(session: Session, name: str) -> Callable[..., SqlValue]:
    """What a function the user deleted becomes: SQLite cannot unregister a function, so
    calling it fails with a sentence saying so."""
    owner = weakref.ref(session)

    def call(*args: SqlValue) -> SqlValue:
        error = PythonError(
            f"{name}() is no longer one of your Python functions.",
            hint="Define it again in the Python functions editor, or leave it out of the query.",
            source=name,
        )
        _keep(owner, error)
        raise error

    return call


def failure(name: str, error: BaseException) -> SiftError:
    """The error a query calling ``name`` fails with: Cancel and deadlines as they are."""
    if isinstance(error, SiftError):
        return error
    line, column = user_position(error.__traceback__, FUNCTIONS_FILE)
    where = "" if line is None else f" (line {line} of your functions)"
    return PythonError(
        f"{name}(...) raised {describe(error)}{where}",
        hint=FIX_HINT,
        source=name,
        line=line,
        column=column,
    )


def _poll(owner: weakref.ref[Session]) -> None:
    session = owner()
    if session is not None:
        session.poll()


def _keep(owner: weakref.ref[Session], error: SiftError) -> None:
    session = owner()
    if session is not None:
        session.python_error = error
