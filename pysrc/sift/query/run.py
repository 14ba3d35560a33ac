"""Running the user's SQL: one or more statements, as one transaction, under one deadline.

Each statement is prepared under the authorizer (sift.query.authorize) and run inside a
savepoint, so an error, a timeout or a Cancel leaves the workspace as it was. The last
statement's rows become a result table (sift.query.results): a SELECT, VALUES or WITH is
wrapped in CREATE TABLE ... AS (checked first with EXPLAIN, which prepares it without running
it); anything else that returns rows (a PRAGMA, RETURNING) is fetched and inserted. SQL from
a link (``readonly``) has every statement prepared under EXPLAIN before any runs.
Imports: the standard library and sift modules.
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sift.deadline import QUERY_SECONDS, within
from sift.errors import SiftError
from sift.messages import plural
from sift.names import quote_ident
from sift.query.authorize import Authorizer, Refusal
from sift.query.failures import (
    PYTHON_FAILED,
    SqlError,
    consent_error,
    refusal_error,
    sql_error,
)
from sift.query.params import Bound, bind, parse_params
from sift.query.results import (
    declared_columns,
    keep,
    new_result_name,
    store_rows,
    type_computed_columns,
)
from sift.query.statements import ROW_STATEMENTS, Statement, split
from sift.savepoints import savepoint

if TYPE_CHECKING:
    from sift.session import Session

MAX_SECONDS = 3600.0
READ_VERBS = ROW_STATEMENTS | {"explain", "pragma"}  # what read-only SQL may start with
TIMEOUT_HINT = (
    "Narrow it down: add a WHERE clause or a LIMIT, or join on a condition; or raise the time"
    " limit."
)


@dataclass(frozen=True)
class Request:
    """The ``sql`` command's arguments, checked."""

    sql: str
    params: dict[str, Any] = field(default_factory=dict)
    readonly: bool = False
    seconds: float = QUERY_SECONDS
    allow_python: bool = True

    @classmethod
    def parse(cls, sql: str, args: dict[str, Any]) -> Request:
        seconds = args.get("seconds", QUERY_SECONDS)
        if (
            isinstance(seconds, bool)
            or not isinstance(seconds, int | float)
            or not (0 < seconds <= MAX_SECONDS)
        ):
            raise SiftError(
                f"The time limit must be a number of seconds from 0 to {MAX_SECONDS:g},"
                f" not {seconds!r}.",
                hint="Set the time limit to 30 seconds, for example.",
            )
        flags = {key: args.get(key, default) for key, default in _FLAGS.items()}
        for key, value in flags.items():
            if not isinstance(value, bool):
                raise SiftError(
                    f"The SQL option {key!r} must be true or false, not {value!r}.",
                    hint="This is a bug in the page that sent it; reload the page.",
                )
        return cls(sql, parse_params(args.get("params")), seconds=float(seconds), **flags)


_FLAGS = {"readonly": False, "allow_python": True}


@dataclass
class Outcome:
    table: str | None = None
    changes: int = 0


def run_sql(session: Session, request: Request) -> dict[str, Any]:
    """Run ``request`` and return the ``sql`` reply (docs/query-contract.md)."""
    started = time.monotonic()
    session.python_error = None
    statements = split(request.sql)
    if not statements:
        raise SqlError("There is no SQL to run.", hint="Type a query, e.g. SELECT * FROM t.")
    bound = [bind(s, request.params, request.sql) for s in statements]
    _check_consent(session, request, statements)
    ws = session.workspace
    before = set(ws.table_names())
    auth = Authorizer(
        readonly=request.readonly,
        python_functions=frozenset(name.lower() for name in session.python_functions),
        allow_python=request.allow_python,
    )
    runner = Runner(session, auth, statements, bound)
    try:
        with (
            within(ws.conn, request.seconds, poll=session.poll, hint=TIMEOUT_HINT),
            savepoint(ws.conn, "sift_sql"),
        ):
            outcome = runner.run()
            if outcome.table is not None:
                type_computed_columns(ws.conn, outcome.table)
            changed, dropped = _tidy(session, before, auth.written)
    except sqlite3.Error as error:
        raise _translate(session, error, auth, request.sql, runner.current) from None
    if outcome.table is not None:
        keep(session, outcome.table)  # after the run: a failed run leaves the results alone
    for name in changed + dropped:
        ws.changed(name)
        session.profiles.forget(name)
    return _reply(session, outcome, statements, changed, dropped, time.monotonic() - started)


def _check_consent(session: Session, request: Request, statements: list[Statement]) -> None:
    """Without consent, SQL that calls the user's Python functions is refused before it runs
    (the authorizer refuses calls this scan cannot see, such as from a view)."""
    if request.allow_python:
        return
    ours = {name.lower() for name in session.python_functions}
    called = sorted({name for s in statements for name in s.called() if name in ours})
    if called:
        raise consent_error(called)


class Runner:
    """Runs the statements of one request on the workspace connection."""

    def __init__(
        self, session: Session, auth: Authorizer, statements: list[Statement], bound: list[Bound]
    ) -> None:
        self.session = session
        self.conn = session.workspace.conn
        self.auth = auth
        self.statements = statements
        self.bound = bound
        self.current: Statement | None = None

    def run(self) -> Outcome:
        self.conn.set_authorizer(self.auth)
        try:
            if self.auth.readonly:
                self._precheck()
            outcome = self._run_all()
        finally:
            self.conn.set_authorizer(None)
        return outcome

    def _precheck(self) -> None:
        """Prepare every statement under EXPLAIN: a refused one fails before anything runs."""
        for statement, values in zip(self.statements, self.bound, strict=True):
            self.current = statement
            prefix = "" if statement.verb == "explain" else "EXPLAIN "
            self.conn.execute(prefix + statement.text, values).close()
            if statement.verb not in READ_VERBS:  # e.g. VACUUM, whose ATTACH comes when it runs
                raise refusal_error([Refusal("readonly", statement.verb.upper())])

    def _run_all(self) -> Outcome:
        changes_before = self.conn.total_changes
        last = len(self.statements) - 1
        for index, (statement, values) in enumerate(zip(self.statements, self.bound, strict=True)):
            self.current = statement
            if index == last and statement.verb in ROW_STATEMENTS:
                changes = self.conn.total_changes - changes_before
                table = self._into_result(statement, values)
                if table is not None:
                    return Outcome(table, changes)
            cursor = self.conn.execute(statement.text, values)
            if index == last and cursor.description is not None:
                columns = [str(column[0]) for column in cursor.description]
                rows = cursor.fetchall()
                changes = self.conn.total_changes - changes_before
                return Outcome(self._store(columns, rows), changes)
            for _ in cursor:  # a statement's work is done once all its rows are read
                pass
        return Outcome(None, self.conn.total_changes - changes_before)

    def _into_result(self, statement: Statement, values: Bound) -> str | None:
        """The statement's rows in a new result table (CREATE TABLE with the columns' declared
        types, then INSERT; or CREATE TABLE ... AS), or None when the statement cannot be
        wrapped so (it then runs as it is, which reports its own error if it has one)."""
        name = new_result_name(self.session)
        wrapped = f"CREATE TABLE main.{quote_ident(name)} AS {statement.text}"
        self.auth.result = name
        try:
            try:
                self.conn.execute("EXPLAIN " + wrapped, values).close()
            except sqlite3.Error:
                if self.auth.refusals:
                    raise
                return None
            columns = declared_columns(self.conn, statement)
            if columns is None:
                self.conn.execute(wrapped, values)
            else:
                target = f"main.{quote_ident(name)}"
                self.conn.execute(f"CREATE TABLE {target} ({', '.join(columns)})")
                self.conn.execute(f"INSERT INTO {target} {statement.text}", values)
        finally:
            self.auth.result = None
        return name

    def _store(self, columns: list[str], rows: list[tuple[Any, ...]]) -> str:
        name = new_result_name(self.session)
        self.auth.result = name
        try:
            store_rows(self.conn, name, columns, iter(rows))
        finally:
            self.auth.result = None
        return name


def _tidy(session: Session, before: set[str], written: set[str]) -> tuple[list[str], list[str]]:
    """The user tables the SQL created or changed, and those it dropped (or renamed away);
    the search indexes of dropped tables go, and sort indexes of tables new under a name."""
    ws = session.workspace
    after = ws.table_names()
    changed = [name for name in after if name.lower() in written or name not in before]
    dropped = sorted(before - set(after))
    for name in dropped:
        ws.drop_search_index(name)
    for name in after:
        if name not in before:
            ws.drop_sort_indexes(name)
    return changed, dropped


def _translate(
    session: Session,
    error: sqlite3.Error,
    auth: Authorizer,
    sql: str,
    statement: Statement | None,
) -> SiftError:
    if auth.refusals:
        return refusal_error(auth.refusals)
    if PYTHON_FAILED in str(error) and session.python_error is not None:
        return session.python_error
    return sql_error(error, sql, statement)


def _reply(
    session: Session,
    outcome: Outcome,
    statements: list[Statement],
    changed: list[str],
    dropped: list[str],
    seconds: float,
) -> dict[str, Any]:
    ws = session.workspace
    took = f"{seconds:.2f} s"
    if outcome.table is not None:
        rows = ws.count(outcome.table)
        kind, columns, message = (
            "rows",
            ws.columns(outcome.table),
            f"{plural(rows, 'row')} in {took}",
        )
    else:
        rows, kind, columns = 0, "changes", []
        changes = outcome.changes
        message = f"Changed {plural(changes, 'row')} in {took}" if changes else f"Done in {took}"
    return {
        "kind": kind,
        "table": outcome.table,
        "columns": columns,
        "rows": rows,
        "changes": outcome.changes,
        "seconds": round(seconds, 3),
        "statements": len(statements),
        "changed_tables": changed,
        "dropped_tables": dropped,
        "message": message,
    }
