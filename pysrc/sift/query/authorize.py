"""What user SQL may do, checked by SQLite's authorizer while the statements are prepared.

Always refused: ATTACH and DETACH, transaction statements (a run is one transaction already),
Sift's own objects (``sift_...``) other than reading query results, and pragmas that would
break the engine. ``readonly`` (SQL from a link or an embed) allows reading only. Without
consent, the user's Python functions are refused. Every write to a table is logged, so the
caller knows what changed. The callback never raises: a refusal is recorded and SQLite is told
SQLITE_DENY, which makes it fail the statement with "not authorized".
Imports: the standard library and sift.workspace.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field

from sift.workspace import INTERNAL_PREFIX, is_result_name

OK, DENY = sqlite3.SQLITE_OK, sqlite3.SQLITE_DENY
PROBE = "sift_result_probe"  # sift.query.results.PROBE (that module imports this one's users)
SCHEMA_TABLES = frozenset({"sqlite_master", "sqlite_temp_master", "sqlite_schema"})

# How a refused action is named in a message: code -> (words, which argument names the object).
_ACTIONS: dict[int, tuple[str, int]] = {
    sqlite3.SQLITE_INSERT: ("INSERT into {}", 1),
    sqlite3.SQLITE_UPDATE: ("UPDATE of {}", 1),
    sqlite3.SQLITE_DELETE: ("DELETE on {}", 1),
    sqlite3.SQLITE_CREATE_TABLE: ("CREATE TABLE {}", 1),
    sqlite3.SQLITE_CREATE_TEMP_TABLE: ("CREATE TEMP TABLE {}", 1),
    sqlite3.SQLITE_CREATE_INDEX: ("CREATE INDEX {}", 1),
    sqlite3.SQLITE_CREATE_TEMP_INDEX: ("CREATE INDEX {}", 1),
    sqlite3.SQLITE_CREATE_VIEW: ("CREATE VIEW {}", 1),
    sqlite3.SQLITE_CREATE_TEMP_VIEW: ("CREATE VIEW {}", 1),
    sqlite3.SQLITE_CREATE_TRIGGER: ("CREATE TRIGGER {}", 1),
    sqlite3.SQLITE_CREATE_TEMP_TRIGGER: ("CREATE TRIGGER {}", 1),
    sqlite3.SQLITE_CREATE_VTABLE: ("CREATE VIRTUAL TABLE {}", 1),
    sqlite3.SQLITE_DROP_TABLE: ("DROP TABLE {}", 1),
    sqlite3.SQLITE_DROP_TEMP_TABLE: ("DROP TABLE {}", 1),
    sqlite3.SQLITE_DROP_INDEX: ("DROP INDEX {}", 1),
    sqlite3.SQLITE_DROP_TEMP_INDEX: ("DROP INDEX {}", 1),
    sqlite3.SQLITE_DROP_VIEW: ("DROP VIEW {}", 1),
    sqlite3.SQLITE_DROP_TEMP_VIEW: ("DROP VIEW {}", 1),
    sqlite3.SQLITE_DROP_TRIGGER: ("DROP TRIGGER {}", 1),
    sqlite3.SQLITE_DROP_TEMP_TRIGGER: ("DROP TRIGGER {}", 1),
    sqlite3.SQLITE_DROP_VTABLE: ("DROP TABLE {}", 1),
    sqlite3.SQLITE_ALTER_TABLE: ("ALTER TABLE {}", 2),
    sqlite3.SQLITE_REINDEX: ("REINDEX {}", 1),
    sqlite3.SQLITE_ANALYZE: ("ANALYZE {}", 1),
    sqlite3.SQLITE_PRAGMA: ("PRAGMA {}", 1),
    sqlite3.SQLITE_ATTACH: ("ATTACH", 0),
    sqlite3.SQLITE_DETACH: ("DETACH", 0),
    sqlite3.SQLITE_TRANSACTION: ("{}", 1),
    sqlite3.SQLITE_SAVEPOINT: ("SAVEPOINT", 0),
}
# Tables whose writes the log records: code -> which argument names the table.
_WRITES: dict[int, int] = {
    sqlite3.SQLITE_INSERT: 1,
    sqlite3.SQLITE_UPDATE: 1,
    sqlite3.SQLITE_DELETE: 1,
    sqlite3.SQLITE_CREATE_TABLE: 1,
    sqlite3.SQLITE_DROP_TABLE: 1,
    sqlite3.SQLITE_ALTER_TABLE: 2,
    sqlite3.SQLITE_CREATE_INDEX: 2,
    sqlite3.SQLITE_DROP_INDEX: 2,
    sqlite3.SQLITE_CREATE_TRIGGER: 2,
    sqlite3.SQLITE_DROP_TRIGGER: 2,
}
ALWAYS_DENIED = frozenset(
    {
        sqlite3.SQLITE_ATTACH,
        sqlite3.SQLITE_DETACH,
        sqlite3.SQLITE_TRANSACTION,
        sqlite3.SQLITE_SAVEPOINT,
    }
)
READ_ONLY_ALLOWED = frozenset(
    {sqlite3.SQLITE_SELECT, sqlite3.SQLITE_READ, sqlite3.SQLITE_FUNCTION, sqlite3.SQLITE_RECURSIVE}
)
# Pragmas that only report (allowed in read-only SQL, with or without an argument).
READ_PRAGMAS = frozenset(
    {
        "table_info",
        "table_xinfo",
        "table_list",
        "index_list",
        "index_info",
        "index_xinfo",
        "foreign_key_list",
        "function_list",
        "collation_list",
        "pragma_list",
        "compile_options",
    }
)
# Pragmas no user SQL may set: they would corrupt the schema or stop Sift writing its tables.
ENGINE_PRAGMAS = frozenset(
    {
        "writable_schema",
        "schema_version",
        "query_only",
        "journal_mode",
        "locking_mode",
        "temp_store_directory",
        "data_store_directory",
        "hard_heap_limit",
        "soft_heap_limit",
        "mmap_size",
    }
)


@dataclass(frozen=True)
class Refusal:
    """Why the authorizer said no: ``reason`` is "readonly", "python", "attach",
    "transaction", "internal" or "pragma"; ``action`` names what was refused."""

    reason: str
    action: str
    name: str = ""


@dataclass
class Authorizer:
    """The callback for ``conn.set_authorizer``, with what it refused and what was written."""

    readonly: bool = False
    python_functions: frozenset[str] = frozenset()
    allow_python: bool = True
    result: str | None = None  # the result table Sift itself is creating now, if any
    refusals: list[Refusal] = field(default_factory=list)
    written: set[str] = field(default_factory=set)  # lower-case table names

    def __call__(
        self, code: int, arg1: str | None, arg2: str | None, db: str | None, source: str | None
    ) -> int:
        refusal = self.check(code, arg1, arg2, db)
        if refusal is not None:
            self.refusals.append(refusal)
            return DENY
        table = _argument(code, arg1, arg2, _WRITES)
        if table and db in ("main", None) and table.lower() not in SCHEMA_TABLES:
            self.written.add(table.lower())
        return OK

    def check(
        self, code: int, arg1: str | None, arg2: str | None, db: str | None
    ) -> Refusal | None:
        """None to allow the action, or why not."""
        if code == sqlite3.SQLITE_FUNCTION:
            return self._function(arg2 or "")
        if code in (sqlite3.SQLITE_SELECT, sqlite3.SQLITE_RECURSIVE):
            return None
        if code == sqlite3.SQLITE_READ:
            return self._read(arg1 or "")
        if self._creating_result(code, arg1):
            return None
        if code in (sqlite3.SQLITE_INSERT, sqlite3.SQLITE_UPDATE, sqlite3.SQLITE_DELETE) and (
            (arg1 or "").lower() in SCHEMA_TABLES
        ):
            return None  # SQLite's own bookkeeping for a CREATE/DROP/ALTER checked on its own
        if code in ALWAYS_DENIED:
            reason = (
                "attach"
                if code in (sqlite3.SQLITE_ATTACH, sqlite3.SQLITE_DETACH)
                else ("transaction")
            )
            return Refusal("readonly" if self.readonly else reason, describe(code, arg1, arg2))
        if code == sqlite3.SQLITE_PRAGMA:
            return self._pragma(code, arg1 or "", arg2)
        if self.readonly:
            return Refusal("readonly", describe(code, arg1, arg2))
        for touched in _objects(code, arg1, arg2):
            if touched.lower().startswith(INTERNAL_PREFIX):
                return Refusal("internal", describe(code, arg1, arg2), touched)
        return None

    def _function(self, name: str) -> Refusal | None:
        if not self.allow_python and name.lower() in self.python_functions:
            return Refusal("python", name, name)
        return None

    def _read(self, table: str) -> Refusal | None:
        if table.lower().startswith(INTERNAL_PREFIX) and not is_result_name(table):
            return Refusal("internal", f"reading {table}", table)
        return None

    def _creating_result(self, code: int, name: str | None) -> bool:
        """While Sift makes a result: the result table, and the temporary view that tells
        its columns' types (sift.query.results.declared_columns)."""
        if self.result is None or name is None:
            return False
        if name.lower() == PROBE:
            return code in (
                sqlite3.SQLITE_CREATE_TEMP_VIEW,
                sqlite3.SQLITE_DROP_TEMP_VIEW,
                sqlite3.SQLITE_DELETE,  # how SQLite's DROP VIEW asks
            )
        if name.lower() != self.result.lower():
            return False
        return code in (sqlite3.SQLITE_CREATE_TABLE, sqlite3.SQLITE_INSERT)

    def _pragma(self, code: int, name: str, value: str | None) -> Refusal | None:
        if self.readonly and name.lower() not in READ_PRAGMAS:
            return Refusal("readonly", describe(code, name, value))
        if name.lower() in ENGINE_PRAGMAS:
            return Refusal("pragma", describe(code, name, value), name)
        return None


_ON_TABLE = frozenset(  # actions whose second argument is the table they act on
    {
        sqlite3.SQLITE_CREATE_INDEX,
        sqlite3.SQLITE_CREATE_TEMP_INDEX,
        sqlite3.SQLITE_CREATE_TRIGGER,
        sqlite3.SQLITE_CREATE_TEMP_TRIGGER,
        sqlite3.SQLITE_DROP_INDEX,
        sqlite3.SQLITE_DROP_TEMP_INDEX,
        sqlite3.SQLITE_DROP_TRIGGER,
        sqlite3.SQLITE_DROP_TEMP_TRIGGER,
    }
)


def _objects(code: int, arg1: str | None, arg2: str | None) -> list[str]:
    """The names of the objects an action touches."""
    position = _ACTIONS.get(code, ("", 0))[1]
    names = [arg1 if position == 1 else arg2 if position == 2 else None]
    if code in _ON_TABLE:
        names.append(arg2)
    return [name for name in names if name]


def _argument(code: int, arg1: str | None, arg2: str | None, table: dict[int, int]) -> str | None:
    position = table.get(code)
    return arg1 if position == 1 else arg2 if position == 2 else None


def describe(code: int, arg1: str | None, arg2: str | None) -> str:
    """'DELETE on t', 'DROP TABLE t', 'PRAGMA user_version', 'ATTACH'..."""
    words, position = _ACTIONS.get(code, ("this action", 0))
    subject = arg1 if position == 1 else arg2 if position == 2 else ""
    return words.format(subject or "").strip()
