"""The errors of user SQL, and SQLite's exceptions turned into them.

Every ``sqlite3.Error`` from user SQL becomes a SqlError carrying SQLite's own message and,
where it can be found, the line, column and text of the offending place; a refusal by the
authorizer becomes the matching sentence. Never a traceback.
Imports: the standard library and sift modules.
"""

from __future__ import annotations

import sqlite3
from typing import ClassVar

from sift.errors import SiftError
from sift.query.authorize import Refusal
from sift.query.locate import line_column, locate
from sift.query.statements import Statement

SQL_HINT = "Check the marked place in your SQL and run it again."
TOO_BIG_HINT = (
    "One value would be larger than Sift allows (100 MB). Build smaller values, or fewer at once."
)
PYTHON_FAILED = "user-defined function raised exception"


class SqlError(SiftError):
    """User SQL failed: SQLite's message, and where."""

    kind: ClassVar[str] = "sql"


class ReadOnlyError(SiftError):
    """SQL from a link or an embed tried to change data."""

    kind: ClassVar[str] = "readonly"


class ConsentNeeded(SiftError):
    """The SQL calls the user's Python functions and the user has not allowed it yet."""

    kind: ClassVar[str] = "consent"


def sql_error(error: sqlite3.Error, sql: str, statement: Statement | None) -> SqlError:
    """``error`` (raised while ``statement`` of ``sql`` ran) as a SqlError with its place."""
    message = str(error) or type(error).__name__
    hint = TOO_BIG_HINT if "too big" in message else SQL_HINT
    if statement is None:
        return SqlError(message, hint=hint)
    place = locate(message, sql, statement)
    if place is not None:
        return SqlError(
            message, hint=hint, line=place.line, column=place.column, details=place.text
        )
    line, column = line_column(sql, statement.start + statement.tokens[0].start)
    return SqlError(message, hint=hint, line=line, column=column)


def refusal_error(refusals: list[Refusal]) -> SiftError:
    """The first refusal of the authorizer as the error the user reads."""
    python = sorted({r.name for r in refusals if r.reason == "python"})
    if python:
        return consent_error(python)
    first = refusals[0]
    if first.reason == "readonly":
        return ReadOnlyError(
            f"This link's SQL would change your data ({first.action});"
            " SQL from a link can only read.",
            hint="Copy the SQL into the SQL panel and run it there if you mean to change data.",
        )
    return SqlError(_SENTENCES[first.reason].format(first.action), hint=_HINTS[first.reason])


def consent_error(names: list[str]) -> ConsentNeeded:
    shown = ", ".join(names)
    noun = "function" if len(names) == 1 else "functions"
    return ConsentNeeded(
        f"This SQL calls your Python {noun} {shown}. Allow Python to run for it?",
        hint="Run it again with Python allowed, or remove the calls.",
        details=shown,
    )


_SENTENCES = {
    "attach": "SQL in Sift cannot use other database files ({}).",
    "transaction": "Sift runs all your statements as one transaction, so it cannot run {}.",
    "internal": "Sift's own tables cannot be used from SQL ({}).",
    "pragma": "SQL in Sift cannot change {}: Sift relies on it.",
}
_HINTS = {
    "attach": "Open the other database as a file instead: each of its tables becomes a table.",
    "transaction": "Leave out BEGIN, COMMIT, ROLLBACK and SAVEPOINT: if any statement fails, "
    "none of the changes are kept.",
    "internal": "Query your own tables; query results (sift_result_1, ...) can be read.",
    "pragma": "Leave this pragma out.",
}
