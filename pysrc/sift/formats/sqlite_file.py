"""Import every table of a SQLite database file into the workspace: columns, declared types, rows.

The foreign file is never attached to the workspace. It gets a connection of its own, opened
read-only and immutable, and is checked (`quick_check`) before anything is read. Each user
table becomes a new workspace table inside one savepoint: all or nothing.

Only data is copied: indexes, triggers, constraints and defaults stay behind, and a trigger
never fires because nothing is written to the foreign file. Views are skipped with a warning:
reading a hostile view (a recursive CTE without end) could run forever, and a view's SQL names
tables that may be renamed on import. Virtual tables (FTS, R*Tree) are copied as plain tables
and their shadow tables are left out; one whose module this SQLite lacks is skipped with a
warning. Imports: the standard library and sift modules.
"""

from __future__ import annotations

import io
import os
import re
import sqlite3
import tempfile
import time
import urllib.parse
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from typing import BinaryIO

from sift.errors import LoadError
from sift.formats.base import ByteStream, ImportReport, Progress
from sift.formats.text_input import read_head
from sift.messages import plural
from sift.names import quote_ident
from sift.savepoints import savepoint
from sift.sniff_bytes import SAMPLE_SIZE, describe_binary

__all__ = ["MAGIC", "MAX_FILE_BYTES", "import_sqlite"]

MAGIC = b"SQLite format 3\x00"
# The file is copied into the runtime's in-memory file system and its rows into the in-memory
# workspace, both inside a 4 GiB wasm heap; above this the browser tab would run out (issue 3).
MAX_FILE_BYTES = 1_500_000_000
BATCH_ROWS = 5000
COPY_CHUNK = 1 << 20
PROGRESS_OPS = 10_000  # SQLite VM steps between checks for Cancel while SQLite works
PROGRESS_SECONDS = 0.2  # ...and at most this often a progress call from those checks
_SAVEPOINT = "sift_sqlite_import"
_HEADER_SIZE = 100
# How sqlite3 (3.11 to 3.14) reports TEXT that is not UTF-8 when it decodes it itself.
_NOT_UTF8 = "Could not decode to UTF-8"
_WAL_MODE = 2  # header bytes 18 and 19 (read and write format versions) in WAL mode
# A declared type that can be written back as it is: words, then "(n)" or "(n, m)". Any other,
# or one with a word that would start a column constraint, is written as a quoted identifier,
# which SQLite stores without its quotes: "x); DROP ..." or "NOT NULL" stays a type name.
_PLAIN_TYPE = re.compile(
    r"[A-Za-z_]\w*( +[A-Za-z_]\w*)*( *\( *[+-]?\d+( *, *[+-]?\d+)? *\))?", re.ASCII
)
_CONSTRAINT_WORDS = frozenset(
    {"AS", "CHECK", "COLLATE", "CONSTRAINT", "DEFAULT", "GENERATED", "KEY", "NOT", "NULL"}
    | {"PRIMARY", "REFERENCES", "UNIQUE"}
)
_DAMAGED_HINT = (
    "Open the original again if you have it, or rescue the data with the sqlite3 tool's"
    " .recover command and open the result."
)


def import_sqlite(
    conn: sqlite3.Connection,
    allocate: Callable[[str], str],
    stream: ByteStream,
    *,
    source: str,
    progress: Progress | None = None,
    max_bytes: int = MAX_FILE_BYTES,
) -> list[ImportReport]:
    """Copy every table of the SQLite database in ``stream`` (named ``source``) into ``conn``.

    Each table becomes ``allocate(original name)`` with the same column names, declared types
    and rows. Raises LoadError for a file that is not SQLite, too big, damaged, encrypted or
    without tables; then no table is created. ``progress(rows, 0)`` runs every few thousand
    rows; an exception it raises (Cancel) rolls the whole import back.
    """
    try:
        with _local_file(stream, source, max_bytes) as local:
            watch = _Watch(progress)
            with closing(_connect_read_only(local.path, source)) as foreign:
                with _foreign_errors(source, watch, ""):
                    _prepare(foreign, conn, watch)
                    plan = _plan(foreign, conn, source)
                copier = _Copier(foreign, conn, source, watch)
                with savepoint(conn, _SAVEPOINT):
                    reports = [copier.copy(table, allocate(table.name)) for table in plan.tables]
    except OSError as exc:
        raise LoadError(
            f"Could not read {source}: {exc.strerror or exc}.",
            hint="Check that the file still exists and can be read, then open it again.",
            source=source,
        ) from exc
    reports[0].warnings[:0] = local.warnings + plan.warnings()
    return reports


# Getting a file SQLite can open


@dataclass
class _Local:
    """The path SQLite opens (the user's own file or a temporary copy) and what to tell."""

    path: str
    warnings: list[str] = field(default_factory=list)


@contextmanager
def _local_file(stream: ByteStream, source: str, max_bytes: int) -> Iterator[_Local]:
    """A path to the database: the stream's own file when it has one, else a temporary copy."""
    path = _real_path(stream)
    if path is not None:
        with open(path, "rb") as file:
            head = read_head(file, SAMPLE_SIZE)
        _check_head(head, source)
        _check_size(os.path.getsize(path), max_bytes, source)
        yield _Local(path, _wal_warnings(path, head, source))
        return
    size = _remaining_size(stream)
    head = read_head(stream, SAMPLE_SIZE)
    _check_head(head, source)
    if size is not None:
        _check_size(size, max_bytes, source)  # before copying a byte more
    with tempfile.TemporaryDirectory(prefix="sift-sqlite-") as folder:
        path = os.path.join(folder, "foreign.sqlite")
        with open(path, "wb") as out:
            _copy_stream(head, stream, out, max_bytes, source)
        yield _Local(path)


def _real_path(stream: ByteStream) -> str | None:
    """The path of the regular file behind ``stream``, if it is a plain open file."""
    if not isinstance(stream, io.BufferedReader | io.FileIO):
        return None  # e.g. a GzipFile has a .name, but not of the bytes it reads
    name = getattr(stream, "name", None)
    if not isinstance(name, str):
        return None
    try:
        same = os.path.samestat(os.fstat(stream.fileno()), os.stat(name))
    except OSError:
        return None
    return name if same and os.path.isfile(name) else None


def _remaining_size(stream: ByteStream) -> int | None:
    """How many bytes are left in ``stream``, when it can tell without reading them."""
    if not isinstance(stream, io.IOBase):
        return None
    try:
        if not stream.seekable():
            return None
        here = stream.tell()
        end = stream.seek(0, io.SEEK_END)
        stream.seek(here)
    except (OSError, ValueError):
        return None
    return end - here


def _copy_stream(head: bytes, stream: ByteStream, out: BinaryIO, limit: int, source: str) -> None:
    out.write(head)
    written = len(head)
    while chunk := stream.read(COPY_CHUNK):
        written += len(chunk)
        if written > limit:
            raise _too_big(source, f"the file exceeds the {_size_text(limit)} in-browser limit")
        out.write(chunk)


def _check_head(head: bytes, source: str) -> None:
    """Refuse an empty file or one that does not start like a SQLite database."""
    if not head:
        raise LoadError(
            f"{source} is empty.",
            hint="Choose a SQLite database file that holds at least one table.",
            source=source,
        )
    if not head.startswith(MAGIC):
        looks = describe_binary(head) or "text"
        raise LoadError(
            f"{source} is not a SQLite database: it looks like {looks}.",
            hint="Sift opens SQLite 3 database files here. An encrypted database must be"
            " decrypted first; a CSV or JSON file needs its own extension.",
            source=source,
        )


def _check_size(size: int, limit: int, source: str) -> None:
    if size > limit:
        raise _too_big(
            source, f"the {_size_text(size)} file exceeds the {_size_text(limit)} in-browser limit"
        )


def _too_big(source: str, why: str) -> LoadError:
    return LoadError(
        f"{source} is too big to open here: {why}.",
        hint="Open a smaller database, or export the tables you need as CSV (for example with"
        " the sqlite3 tool) and open those.",
        source=source,
    )


def _size_text(size: int) -> str:
    """Bytes in decimal units, as file managers show them: "1.5 GB", "12.0 MB", "900 bytes"."""
    for unit, scale in (("GB", 10**9), ("MB", 10**6), ("KB", 10**3)):
        if size >= scale:
            return f"{size / scale:.1f} {unit}"
    return plural(size, "byte")


def _wal_warnings(path: str, head: bytes, source: str) -> list[str]:
    """Warn when committed changes may still sit in a -wal file, which is not read."""
    wal = path + "-wal"
    in_wal_mode = len(head) >= _HEADER_SIZE and head[18] == head[19] == _WAL_MODE
    if in_wal_mode and os.path.isfile(wal) and os.path.getsize(wal) > 0:
        return [
            f"{source} has a write-ahead log beside it ({os.path.basename(wal)}) that Sift does"
            " not read; the latest changes may be missing. Close the program that uses the"
            " database, then open it again."
        ]
    return []


# The foreign connection


@dataclass
class _Watch:
    """Per-import state the foreign connection's callbacks share: rows copied, text values
    with invalid UTF-8, and the exception a progress call raised (Cancel) while SQLite ran."""

    progress: Progress | None
    rows: int = 0
    invalid_text: int = 0
    error: BaseException | None = None
    last_call: float = field(default_factory=time.monotonic)

    def decode(self, data: bytes) -> str:
        """The text factory: invalid UTF-8 becomes U+FFFD and is counted, never raised."""
        try:
            return data.decode()
        except UnicodeDecodeError:
            self.invalid_text += 1
            return data.decode(errors="replace")

    def tick(self) -> int:
        """SQLite's progress handler, so Cancel also works inside one long SQLite call."""
        now = time.monotonic()
        if self.progress is None or now - self.last_call < PROGRESS_SECONDS:
            return 0
        self.last_call = now
        try:
            self.progress(self.rows, 0)
        except BaseException as exc:  # an exception cannot cross SQLite: keep it, stop SQLite
            self.error = exc
            return 1
        return 0

    def report(self, rows: int) -> None:
        self.rows += rows
        self.last_call = time.monotonic()
        if self.progress is not None:
            self.progress(self.rows, 0)


def _connect_read_only(path: str, source: str) -> sqlite3.Connection:
    # immutable=1: no locks and no -wal/-shm files. Without it a WAL-mode database whose -wal
    # file is absent makes SQLite create -wal and -shm beside the user's file (measured), which
    # fails on a read-only file system such as a browser file mounted with WORKERFS.
    uri = f"file:{urllib.parse.quote(path)}?mode=ro&immutable=1"
    try:
        return sqlite3.connect(uri, uri=True, isolation_level=None)
    except sqlite3.Error as exc:
        raise _damaged(source, str(exc)) from exc


def _prepare(foreign: sqlite3.Connection, conn: sqlite3.Connection, watch: _Watch) -> None:
    """Lock the foreign connection down, then refuse a damaged file before reading it."""
    foreign.text_factory = watch.decode
    foreign.setlimit(sqlite3.SQLITE_LIMIT_ATTACHED, 0)
    # No value bigger than the workspace accepts: a hostile generated column cannot build one.
    foreign.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, conn.getlimit(sqlite3.SQLITE_LIMIT_LENGTH))
    for pragma in ("query_only = ON", "trusted_schema = OFF", "cell_size_check = ON"):
        foreign.execute(f"PRAGMA {pragma}")
    if watch.progress is not None:
        foreign.set_progress_handler(watch.tick, PROGRESS_OPS)
    problems = [str(text) for (text,) in foreign.execute("PRAGMA quick_check(1)")]
    if problems != ["ok"]:
        # The first problem, without the "*** in database main ***" line above it.
        lines = [line for text in problems for line in text.splitlines()]
        raise _QuickCheckFailed(next((x for x in lines if not x.startswith("***")), "failed"))


class _QuickCheckFailed(Exception):
    """quick_check found damage; _foreign_errors turns it into the user's message."""


class _InvalidUtf8(Exception):
    """sqlite3's own text decoding met invalid UTF-8: copy the table again, replacing it."""


# What to copy


@dataclass
class _Table:
    name: str
    columns: list[str]
    types: list[str]
    strict: bool


@dataclass
class _Plan:
    """The tables to copy, and what is skipped: views, and virtual tables with the reason."""

    tables: list[_Table] = field(default_factory=list)
    views: list[str] = field(default_factory=list)
    unreadable: dict[str, str] = field(default_factory=dict)

    def warnings(self) -> list[str]:
        warnings = []
        if self.views:
            warnings.append(
                f"Skipped {plural(len(self.views), 'view')} ({_names(self.views)}): Sift copies"
                " tables only. Run a view's SQL on the imported tables to see its rows."
            )
        if self.unreadable:
            names = list(self.unreadable)
            warnings.append(
                f"Skipped {plural(len(names), 'virtual table')} ({_names(names)}) that SQLite"
                f" cannot read here: {self.unreadable[names[0]]}."
            )
        return warnings


def _plan(foreign: sqlite3.Connection, conn: sqlite3.Connection, source: str) -> _Plan:
    """What to copy, in the order the tables were created. Raises LoadError if nothing."""
    kinds = {
        row[1]: (row[2], bool(row[5]))
        for row in foreign.execute("PRAGMA main.table_list")
        if row[0] == "main"
    }
    order = [name for (name,) in foreign.execute("SELECT name FROM main.sqlite_schema")]
    plan = _Plan()
    for name in dict.fromkeys(order):  # in schema order, each name once
        kind, strict = kinds.get(name, ("", False))
        if kind == "view":
            plan.views.append(name)
        elif kind in ("table", "virtual") and not name.lower().startswith("sqlite_"):
            table = _describe(foreign, name, strict, virtual=kind == "virtual")
            if isinstance(table, str):
                plan.unreadable[name] = table
            else:
                _check_width(conn, table, source)
                plan.tables.append(table)
    if not plan.tables:
        raise _no_tables(source, plan)
    return plan


def _describe(
    foreign: sqlite3.Connection, name: str, strict: bool, *, virtual: bool
) -> _Table | str:
    """The table's visible columns (generated ones included), or why a virtual table cannot
    be read (its module is missing here, or its data is damaged)."""
    sql = "SELECT name, type, hidden FROM pragma_table_xinfo(:name, 'main')"
    try:
        info = foreign.execute(sql, {"name": name}).fetchall()
    except sqlite3.OperationalError as exc:
        if virtual:
            return str(exc)
        raise
    # hidden: 0 ordinary, 1 hidden column of a virtual table, 2 and 3 generated columns
    visible = [(column, kind) for column, kind, hidden in info if hidden != 1]
    if not visible:
        return "it has no visible columns"
    return _Table(name, [c for c, _ in visible], [k for _, k in visible], strict and not virtual)


def _check_width(conn: sqlite3.Connection, table: _Table, source: str) -> None:
    limit = conn.getlimit(sqlite3.SQLITE_LIMIT_COLUMN)
    if len(table.columns) > limit:
        raise LoadError(
            f'Table "{table.name}" in {source} has {len(table.columns):,} columns;'
            f" this version of SQLite allows at most {limit:,}.",
            hint="Make a copy of the database without the columns you do not need, then open it.",
            source=source,
        )


def _no_tables(source: str, plan: _Plan) -> LoadError:
    if plan.views or plan.unreadable:
        return LoadError(
            f"{source} has no table that Sift can copy. " + " ".join(plan.warnings()),
            hint="Save the data you need as a table (CREATE TABLE ... AS SELECT), then open"
            " the file again.",
            source=source,
        )
    return LoadError(
        f"{source} has no tables: the database is empty.",
        hint="Choose a SQLite database that holds at least one table.",
        source=source,
    )


def _names(names: list[str]) -> str:
    shown = ", ".join(f'"{name}"' for name in names[:5])
    return shown + (f" and {len(names) - 5:,} more" if len(names) > 5 else "")


# Copying


@dataclass
class _Copier:
    """Copies tables from the foreign connection into the workspace, one batch at a time."""

    foreign: sqlite3.Connection
    conn: sqlite3.Connection
    source: str
    watch: _Watch

    def copy(self, table: _Table, new_name: str) -> ImportReport:
        """Create ``new_name`` like ``table`` and copy its rows."""
        where = f'table "{table.name}"'
        with _workspace_errors(self.source, where):
            self.conn.execute(_create_sql(new_name, table))
        invalid_before, rows_before = self.watch.invalid_text, self.watch.rows
        try:
            # sqlite3's own decoding is about twice as fast as a Python text factory...
            rows = self._rows(table, new_name, where, str)
        except _InvalidUtf8:
            # ...so only a table with invalid UTF-8 is copied again, with the one that replaces.
            self.watch.rows = rows_before
            with _workspace_errors(self.source, where):
                self.conn.execute(f"DELETE FROM {quote_ident(new_name)}")
            rows = self._rows(table, new_name, where, self.watch.decode)
        invalid = self.watch.invalid_text - invalid_before
        return ImportReport(new_name, rows, list(table.columns), _text_warnings(invalid, where))

    def _rows(
        self, table: _Table, new_name: str, where: str, text_factory: Callable[[bytes], str]
    ) -> int:
        select = f"SELECT {_column_list(table.columns)} FROM main.{quote_ident(table.name)}"
        # Positional "?" rather than named parameters: rows arrive as tuples, and a dict per
        # row would only cost time. Values are bound, never interpolated.
        marks = ", ".join("?" * len(table.columns))
        insert = f"INSERT INTO {quote_ident(new_name)} VALUES ({marks})"
        self.foreign.text_factory = text_factory
        rows = 0
        with closing(self.foreign.cursor()) as cursor:
            with _foreign_errors(self.source, self.watch, where):
                cursor.execute(select)
            while True:
                with _foreign_errors(self.source, self.watch, where):
                    batch = cursor.fetchmany(BATCH_ROWS)
                if not batch:
                    return rows
                with _workspace_errors(self.source, where):
                    self.conn.executemany(insert, batch)
                rows += len(batch)
                self.watch.report(len(batch))


def _create_sql(name: str, table: _Table) -> str:
    definitions = ", ".join(
        f"{quote_ident(column)} {_type_sql(kind)}".rstrip()
        for column, kind in zip(table.columns, table.types, strict=True)
    )
    return f"CREATE TABLE {quote_ident(name)} ({definitions}){' STRICT' if table.strict else ''}"


def _type_sql(declared: str) -> str:
    words = set(re.findall(r"\w+", declared.upper(), re.ASCII))
    if not declared or (_PLAIN_TYPE.fullmatch(declared) and not words & _CONSTRAINT_WORDS):
        return declared
    return quote_ident(declared)


def _column_list(columns: list[str]) -> str:
    return ", ".join(quote_ident(column) for column in columns)


def _text_warnings(invalid: int, where: str) -> list[str]:
    if not invalid:
        return []
    return [
        f"{plural(invalid, 'text value')} in {where} had bytes that are not valid UTF-8;"
        " they were replaced with \ufffd."
    ]


# Errors


@contextmanager
def _foreign_errors(source: str, watch: _Watch, where: str) -> Iterator[None]:
    """Turn an error of the foreign database into a LoadError (or the Cancel that caused it)."""
    try:
        yield
    except _QuickCheckFailed as exc:
        raise _damaged(source, f"SQLite quick_check: {exc}") from None
    except sqlite3.Error as exc:
        if watch.error is not None:
            raise watch.error from None
        if str(exc).startswith(_NOT_UTF8):
            raise _InvalidUtf8 from exc
        raise _foreign_error(exc, source, where) from exc
    except UnicodeDecodeError as exc:
        # sqlite3 decodes SQLite's error message strictly, and a damaged schema can put invalid
        # UTF-8 into it (RELIABILITY C2: 5 in 1,000 mutants did): decode it leniently here.
        message = bytes(exc.object).decode(errors="replace")
        raise _damaged(source, f"SQLite: {message}") from exc


def _foreign_error(exc: sqlite3.Error, source: str, where: str) -> LoadError:
    code = (getattr(exc, "sqlite_errorcode", None) or 0) & 0xFF
    if code == sqlite3.SQLITE_NOTADB:
        return LoadError(
            f'{source} cannot be opened: SQLite says "{exc}". It may be encrypted or damaged.',
            hint="If it is encrypted, decrypt it with the program that made it and open the"
            " decrypted copy. " + _DAMAGED_HINT,
            source=source,
        )
    if code == sqlite3.SQLITE_TOOBIG:
        return _value_too_big(source, where)
    if "too many columns" in str(exc):
        return LoadError(
            f"{source} has a table with more columns than this version of SQLite allows"
            f" (at most 2,000): {exc}.",
            hint="Make a copy of the database without the columns you do not need, then open it.",
            source=source,
        )
    return _damaged(source, f"SQLite, reading {where}: {exc}" if where else f"SQLite: {exc}")


def _damaged(source: str, detail: str) -> LoadError:
    return LoadError(
        f"{source} is damaged ({detail}); Sift cannot open it.",
        hint=_DAMAGED_HINT,
        source=source,
    )


def _value_too_big(source: str, where: str) -> LoadError:
    return LoadError(
        f"{_capitalized(where or 'a table')} in {source} holds a value too large for one"
        " cell here.",
        hint="Shorten or remove that value with the sqlite3 tool, then open the file again.",
        source=source,
    )


def _capitalized(text: str) -> str:
    return text[:1].upper() + text[1:]  # str.capitalize() would lowercase a table's name


@contextmanager
def _workspace_errors(source: str, where: str) -> Iterator[None]:
    """Turn an error while writing into the workspace into a LoadError."""
    try:
        yield
    except sqlite3.Error as exc:
        code = (getattr(exc, "sqlite_errorcode", None) or 0) & 0xFF
        if code == sqlite3.SQLITE_TOOBIG:
            raise _value_too_big(source, where) from exc
        full = code in (sqlite3.SQLITE_FULL, sqlite3.SQLITE_NOMEM)
        raise LoadError(
            f"Could not copy {where} from {source}: {exc}.",
            hint="Delete tables you no longer need to free memory, then open the file again."
            if full
            else "Open the file again; if this keeps happening, report it with this message.",
            source=source,
        ) from exc
