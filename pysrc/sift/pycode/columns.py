"""Computed columns: a Python expression previewed on a table's first rows, or stored as a new
column computed for every row.

A row whose expression fails gets NULL and is counted; the first failing row (1-based, in
rowid order) is reported with its message. Storing reads the table in rowid batches, calls
``session.poll()`` every few hundred rows (Cancel), keeps the values in a temporary table
until the column type is known from all of them, then adds the column and fills it, all in one
savepoint: a failure or Cancel leaves the table exactly as it was.
Imports: the standard library and sift modules.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sift.errors import SiftError
from sift.messages import plural
from sift.names import quote_ident
from sift.pycode.expressions import Expression, compile_expression
from sift.pycode.failures import describe, passes_through
from sift.pycode.functions import user_functions
from sift.pycode.values import SqlValue, column_type, shown, to_sql, to_sql_all
from sift.workspace import jsonable_rows, rowid_alias

if TYPE_CHECKING:
    from sift.session import Session

PREVIEW_ROWS = 10
MAX_PREVIEW_ROWS = 100
BATCH_ROWS = 2_000  # rows read from SQLite at a time
POLL_EVERY = 200  # rows evaluated between two session.poll() calls
VALUES_TABLE = "temp.sift_pycode_values"
SAVEPOINT = "sift_add_column"


@dataclass
class Tally:
    """What evaluating rows gave: the kinds of the values, and the rows that failed."""

    kinds: set[str] = field(default_factory=set)
    errors: int = 0
    first_error: dict[str, Any] | None = None

    def fail(self, row: int, message: str) -> None:
        self.errors += 1
        if self.first_error is None:
            self.first_error = {"row": row, "message": message}


def evaluate(
    expression: Expression,
    rows: Sequence[Sequence[object]],
    first_row: int,
    tally: Tally,
    messages: list[str | None] | None = None,
) -> list[SqlValue]:
    """The expression's value for each row (NULL where it fails); row numbers start at
    ``first_row``; ``messages`` gets each row's error or None. Cancel, deadlines and memory
    errors stop everything."""
    if messages is None:
        try:  # the usual case: no row fails
            return to_sql_all(expression.call_all(rows), tally.kinds)
        except BaseException as error:
            if passes_through(error):
                raise
    return _evaluate_each(expression, rows, first_row, tally, messages)


def _evaluate_each(
    expression: Expression,
    rows: Sequence[Sequence[object]],
    first_row: int,
    tally: Tally,
    messages: list[str | None] | None,
) -> list[SqlValue]:
    """Row by row, telling failures apart (rows before a failure may run twice)."""
    values: list[SqlValue] = []
    for number, row in enumerate(rows, start=first_row):
        message = None
        try:
            value, kind = to_sql(expression.call(row))
            tally.kinds.add(kind)
        except BaseException as error:
            if passes_through(error):
                raise
            value, message = None, describe(error, expression.suggestions)
            tally.fail(number, message)
        values.append(value)
        if messages is not None:
            messages.append(message)
    return values


def preview(
    session: Session, table: str, text: str, limit: object = PREVIEW_ROWS
) -> dict[str, Any]:
    """The expression over the first ``limit`` rows: values, the input columns and rows,
    each row's error (None if it worked), the count and the first one."""
    count = _preview_limit(limit)
    ws = session.workspace
    name = ws.resolve(table)
    columns = ws.columns(name)
    expression = compile_expression(text, columns, user_functions(session))
    alias = _rowid(ws.conn, name, columns)
    order = "" if alias is None else f" ORDER BY {alias}"
    selected = ", ".join(map(quote_ident, expression.inputs)) or "NULL"
    sql = f"SELECT {selected} FROM {quote_ident(name)}{order} LIMIT :limit"
    rows = [row if expression.inputs else () for row in ws.conn.execute(sql, {"limit": count})]
    tally, messages = Tally(), list[str | None]()
    values = evaluate(expression, rows, 1, tally, messages)  # messages: one per row
    declared = column_type(tally.kinds)
    types = dict(zip(columns, ws.column_types(name), strict=True))
    return {
        "table": name,
        "columns": list(expression.inputs),
        "rows": jsonable_rows(rows, [types[c] for c in expression.inputs]),
        "values": [shown(value, declared) for value in values],
        "type": declared,
        "errors": tally.errors,
        "row_errors": messages,
        "first_error": tally.first_error,
    }


def add_column(session: Session, table: str, column: str, text: str) -> dict[str, Any]:
    """Compute ``text`` for every row of ``table`` and store it as the new column ``column``."""
    ws = session.workspace
    name = ws.resolve(table)
    columns = ws.columns(name)
    new = _new_column_name(name, columns, column)
    expression = compile_expression(text, columns, user_functions(session))
    alias = _rowid(ws.conn, name, [*columns, new])
    if alias is None:
        raise SiftError(
            f"A column cannot be computed for {name}: its rows have no rowid to tell them apart.",
            hint="Copy it into a new table first, e.g. with SQL: create table t2 as select * "
            f"from {quote_ident(name)}.",
            source=name,
        )
    writer = _Writer(session, name, alias)
    ws.conn.execute(f"SAVEPOINT {SAVEPOINT}")
    try:
        rows, tally = writer.compute(expression)
        declared = column_type(tally.kinds)
        writer.store(new, declared)
    except BaseException:
        if ws.conn.in_transaction:
            ws.conn.execute(f"ROLLBACK TO {SAVEPOINT}")
            ws.conn.execute(f"RELEASE {SAVEPOINT}")
        raise
    ws.conn.execute(f"RELEASE {SAVEPOINT}")
    ws.changed(name)
    session.profiles.forget(name)
    return {
        "table": name,
        "column": new,
        "type": declared,
        "rows": rows,
        "errors": tally.errors,
        "first_error": tally.first_error,
        "message": added_message(name, new, rows, tally),
    }


class _Writer:
    """Computes a table's rows into the values table, then moves them into the new column."""

    def __init__(self, session: Session, table: str, alias: str) -> None:
        self.session, self.conn = session, session.workspace.conn
        self.name, self.table, self.alias = table, quote_ident(table), alias
        self.ranges: list[tuple[int, int]] = []  # rowid ranges of batches with values

    def compute(self, expression: Expression) -> tuple[int, Tally]:
        self.conn.execute(f"DROP TABLE IF EXISTS {VALUES_TABLE}")
        self.conn.execute(f"CREATE TABLE {VALUES_TABLE} (id INTEGER PRIMARY KEY, value)")
        selected = ", ".join([self.alias, *map(quote_ident, expression.inputs)])
        tally, done, after = Tally(), 0, None
        while batch := self._batch(selected, after):
            values: list[SqlValue] = []
            for start in range(0, len(batch), POLL_EVERY):
                self.session.poll()
                rows = [row[1:] for row in batch[start : start + POLL_EVERY]]
                values.extend(evaluate(expression, rows, done + start + 1, tally))
            kept = [(row[0], v) for row, v in zip(batch, values, strict=True) if v is not None]
            if kept:
                self.conn.executemany(f"INSERT INTO {VALUES_TABLE} VALUES (?, ?)", kept)
                self.ranges.append((batch[0][0], batch[-1][0]))
            done, after = done + len(batch), batch[-1][0]
        return done, tally

    def _batch(self, selected: str, after: int | None) -> list[Any]:
        where = "" if after is None else f" WHERE {self.alias} > :after"
        sql = f"SELECT {selected} FROM {self.table}{where} ORDER BY {self.alias} LIMIT :rows"
        return self.conn.execute(sql, {"after": after, "rows": BATCH_ROWS}).fetchall()

    def store(self, column: str, declared: str) -> None:
        quoted = quote_ident(column)
        try:
            self.conn.execute(f"ALTER TABLE {self.table} ADD COLUMN {quoted} {declared}")
        except sqlite3.OperationalError as error:  # e.g. "too many columns on t"
            raise SiftError(
                f"The column {column} cannot be added: {error}.",
                hint="Make a narrower copy of the table with SQL and add the column there.",
                source=self.name,
            ) from None
        value = f"(SELECT value FROM {VALUES_TABLE} AS v WHERE v.id = {self.table}.{self.alias})"
        sql = f"UPDATE {self.table} SET {quoted} = {value} WHERE {self.alias} BETWEEN :lo AND :hi"
        for low, high in self.ranges:
            self.session.poll()
            self.conn.execute(sql, {"lo": low, "hi": high})
        self.conn.execute(f"DROP TABLE {VALUES_TABLE}")


def added_message(table: str, column: str, rows: int, tally: Tally) -> str:
    """ "Added total to sales: 1,000 rows." and, if any failed, which and why."""
    message = f"Added {column} to {table}: {plural(rows, 'row')}."
    if tally.first_error is not None:
        verb = "is" if tally.errors == 1 else "are"
        message += (
            f" {plural(tally.errors, 'row')} failed and {verb} empty; the first is row "
            f"{tally.first_error['row']:,}: {tally.first_error['message']}"
        )
    return message


def _new_column_name(table: str, columns: Sequence[str], name: object) -> str:
    if not isinstance(name, str) or not name.strip():
        raise SiftError("Give the new column a name.", hint="For example: total.", source=table)
    new = name.strip()
    if "\x00" in new:
        raise SiftError(
            "A column name cannot contain a NUL character.", hint="Type the name again."
        )
    existing = {c.lower(): c for c in columns}
    if new.lower() in existing:
        raise SiftError(
            f"{table} already has a column named {existing[new.lower()]}.",
            hint="Choose another name (letter case does not make names different).",
            source=table,
        )
    return new


def _rowid(conn: sqlite3.Connection, table: str, columns: Sequence[str]) -> str | None:
    """A name of the rowid that no column shadows, or None (WITHOUT ROWID, or all shadowed)."""
    alias = rowid_alias(columns)
    if alias is None:
        return None
    try:
        conn.execute(f"SELECT {alias} FROM {quote_ident(table)} LIMIT 0")
    except sqlite3.OperationalError:  # "no such column": a WITHOUT ROWID table
        return None
    return alias


def _preview_limit(limit: object) -> int:
    if isinstance(limit, int) and not isinstance(limit, bool) and 1 <= limit <= MAX_PREVIEW_ROWS:
        return limit
    raise SiftError(
        f"A preview shows 1 to {MAX_PREVIEW_ROWS} rows, not {limit!r}.",
        hint=f"Ask for {PREVIEW_ROWS} rows.",
    )
