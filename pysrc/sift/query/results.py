"""Query results: the rows of a query's last statement, kept in a table ``sift_result_<n>``.

The three newest results are kept; older ones are dropped. Result tables are never listed
(Workspace.table_names) nor stored, but views, facets, profiles and search read them, and
``save_result`` copies one into a user table. Imports: the standard library and sift modules.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from itertools import islice
from typing import TYPE_CHECKING, Any

from sift.errors import SiftError
from sift.messages import plural
from sift.names import quote_ident, table_name, unique_column_names
from sift.query.state import state_of
from sift.query.statements import Statement
from sift.savepoints import savepoint
from sift.workspace import RESULT_PREFIX, is_result_name, rowid_alias

if TYPE_CHECKING:
    from sift.session import Session

KEPT_RESULTS = 3
INSERT_BATCH = 1000
PROBE = "sift_result_probe"  # a temporary view that tells a query's columns and their types


def new_result_name(session: Session) -> str:
    """A result table name not used in the workspace (any kind of object, any letter case)."""
    state = state_of(session)
    conn = session.workspace.conn
    while True:
        name = f"{RESULT_PREFIX}{state.next_result}"
        taken = conn.execute(
            "SELECT 1 FROM sqlite_master WHERE name = :name COLLATE NOCASE", {"name": name}
        ).fetchone()
        if taken is None:
            return name
        state.next_result += 1


def keep(session: Session, name: str) -> None:
    """Record ``name`` as the newest result and drop the results beyond the newest three."""
    state = state_of(session)
    state.results.append(name)
    state.next_result += 1
    session.workspace.changed(name)
    while len(state.results) > KEPT_RESULTS:
        forget(session, state.results.pop(0))


def forget(session: Session, name: str) -> None:
    ws = session.workspace
    ws.drop_search_index(name)
    ws.conn.execute(f"DROP TABLE IF EXISTS {quote_ident(name)}")
    ws.changed(name)
    session.profiles.forget(name)


def declared_columns(conn: sqlite3.Connection, statement: Statement) -> list[str] | None:
    """Column definitions for ``statement``'s result: a column that is a table's column keeps
    its declared type (DATE, BOOLEAN...), which CREATE TABLE ... AS would turn into NUM;
    computed columns get none. None when the statement cannot be a view.

    Read from ``PRAGMA table_info`` of a temporary view of the statement, its parameters
    replaced by NULL (a view cannot hold parameters; types do not depend on them). Nothing runs.
    """
    text = statement.text
    for token in reversed(statement.parameters()):
        text = text[: token.start] + "NULL" + text[token.end :]
    try:
        conn.execute(f"CREATE TEMP VIEW {PROBE} AS {text}")
    except sqlite3.Error:
        return None
    try:
        found = conn.execute(f"PRAGMA temp.table_info({PROBE})").fetchall()
    finally:
        conn.execute(f"DROP VIEW temp.{PROBE}")
    return [f"{quote_ident(str(row[1]))} {row[2]}".rstrip() for row in found]


def type_computed_columns(conn: sqlite3.Connection, name: str) -> None:
    """Give the computed columns of result ``name`` (count(*), a sum...), which have no declared
    type, the type their values have: INTEGER, or NUMERIC for integers and reals mixed. Else
    filters and facets would read them as text (``n > 45`` compared as text). The table is
    copied once, in its order, only when some column gets a type."""
    table = quote_ident(name)
    info = conn.execute(f"PRAGMA main.table_info({table})").fetchall()
    untyped = [str(row[1]) for row in info if not row[2]]
    if not untyped:
        return
    seen = ", ".join(f"group_concat(DISTINCT typeof({quote_ident(c)}))" for c in untyped)
    found = conn.execute(f"SELECT {seen} FROM {table}").fetchone()
    types = {c: value_type(kinds) for c, kinds in zip(untyped, found, strict=True)}
    if not any(types.values()):
        return
    columns = [str(row[1]) for row in info]
    definitions = ", ".join(
        f"{quote_ident(str(row[1]))} {types.get(str(row[1])) or row[2]}".rstrip() for row in info
    )
    alias = rowid_alias(columns)
    order = "" if alias is None else f" ORDER BY {alias}"
    typed = quote_ident(name + "_typed")
    conn.execute(f"CREATE TABLE {typed} ({definitions})")
    conn.execute(f"INSERT INTO {typed} SELECT * FROM {table}{order}")
    conn.execute(f"DROP TABLE {table}")
    conn.execute(f"ALTER TABLE {typed} RENAME TO {table}")


def value_type(kinds: str | None) -> str:
    """The declared type for a column whose values are of ``kinds`` ("integer,null,real")."""
    found = set((kinds or "").split(",")) - {"null", ""}
    if found == {"integer"}:
        return "INTEGER"
    if found == {"integer", "real"} or found == {"real"}:
        return "NUMERIC"  # keeps 3 an integer and 2.5 a real
    return ""


def store_rows(
    conn: sqlite3.Connection, name: str, columns: list[str], rows: Iterator[tuple[Any, ...]]
) -> None:
    """Create ``name`` with ``columns`` (no declared types) and insert ``rows`` into it."""
    names = unique_column_names(columns)
    definitions = ", ".join(quote_ident(column) for column in names)
    conn.execute(f"CREATE TABLE {quote_ident(name)} ({definitions})")
    marks = ", ".join("?" for _ in names)
    insert = f"INSERT INTO {quote_ident(name)} VALUES ({marks})"
    while batch := list(islice(rows, INSERT_BATCH)):
        conn.executemany(insert, batch)


def save_result(session: Session, table: str, name: str) -> dict[str, Any]:
    """Copy the result ``table`` into a new user table named after ``name`` (made safe)."""
    from sift.session import user_table_name  # sift.session imports this package's commands

    ws = session.workspace
    if not is_result_name(table) or table.lower() not in [r.lower() for r in _results(session)]:
        raise SiftError(
            f"There is no query result named {table!r}.",
            hint=f"Sift keeps the results of the last {KEPT_RESULTS} queries; run it again.",
            source=table,
        )
    source = ws.resolve(table)
    if not name.strip():
        raise SiftError("Give the new table a name.", hint="For example: big_orders.")
    taken = ws.table_names()
    new = user_table_name(table_name(name.strip(), taken), taken)
    columns, types = ws.columns(source), ws.column_types(source)
    definitions = ", ".join(
        f"{quote_ident(c)} {t}".rstrip() for c, t in zip(columns, types, strict=True)
    )
    alias = rowid_alias(columns)
    order = "" if alias is None else f" ORDER BY {alias}"
    with savepoint(ws.conn, "sift_save_result"):
        ws.conn.execute(f"CREATE TABLE {quote_ident(new)} ({definitions})")
        ws.conn.execute(
            f"INSERT INTO {quote_ident(new)} SELECT * FROM {quote_ident(source)}{order}"
        )
    ws.changed(new)
    session.profiles.forget(new)
    rows = ws.count(new)
    return {
        "table": new,
        "rows": rows,
        "message": f"Saved the result as {new} ({plural(rows, 'row')}).",
    }


def _results(session: Session) -> list[str]:
    return state_of(session).results
