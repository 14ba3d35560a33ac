"""Tests for sift.formats.sqlite_file: copying the tables of a SQLite database file."""

from __future__ import annotations

import io
import json
import os
import random
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import closing
from pathlib import Path

import pytest

from sift.errors import LoadError
from sift.formats import sqlite_file
from sift.formats.base import ImportReport
from sift.formats.sqlite_file import MAGIC, import_sqlite
from sift.names import quote_ident

CORPUS = Path(__file__).parent.parent / "corpus" / "sqlite"

Rows = list[tuple[object, ...]]


# Helpers


def make_db(path: Path, script: str) -> Path:
    """A database file at ``path`` made by running ``script``."""
    with closing(sqlite3.connect(path)) as db:
        db.executescript(script)
        db.commit()
    return path


def db_bytes(tmp_path: Path, script: str) -> bytes:
    return make_db(tmp_path / "made.db", script).read_bytes()


def allocator(*taken_names: str) -> Callable[[str], str]:
    """A stand-in for the workspace's allocate: the hint, made unique with _2, _3..."""
    taken = {name.lower() for name in taken_names}

    def allocate(hint: str) -> str:
        name, n = hint, 1
        while name.lower() in taken:
            n += 1
            name = f"{hint}_{n}"
        taken.add(name.lower())
        return name

    return allocate


@pytest.fixture
def conn() -> Iterator[sqlite3.Connection]:
    with closing(sqlite3.connect(":memory:", isolation_level=None)) as connection:
        yield connection


def tables_in(conn: sqlite3.Connection) -> list[str]:
    return [name for (name,) in conn.execute("SELECT name FROM sqlite_schema ORDER BY rowid")]


def rows_of(conn: sqlite3.Connection, table: str) -> Rows:
    return conn.execute(f"SELECT * FROM {quote_ident(table)} ORDER BY rowid").fetchall()


def load_bytes(
    conn: sqlite3.Connection, data: bytes, name: str = "data.sqlite", **options: object
) -> list[ImportReport]:
    return import_sqlite(conn, allocator(), io.BytesIO(data), source=name, **options)  # type: ignore[arg-type]


def load_error(
    conn: sqlite3.Connection, data: bytes, name: str = "data.sqlite", **options: object
) -> LoadError:
    before = tables_in(conn)
    with pytest.raises(LoadError) as caught:
        load_bytes(conn, data, name, **options)
    assert tables_in(conn) == before
    assert not conn.in_transaction
    return caught.value


# The corpus: each NAME.sql makes a database; NAME.expected.json holds the tables it gives.


def corpus_cases() -> list[str]:
    return sorted(path.stem for path in CORPUS.glob("*.sql"))


@pytest.mark.parametrize("case", corpus_cases())
def test_corpus(case: str, tmp_path: Path, conn: sqlite3.Connection) -> None:
    data = db_bytes(tmp_path, (CORPUS / f"{case}.sql").read_text(encoding="utf-8"))
    expected = json.loads((CORPUS / f"{case}.expected.json").read_text(encoding="utf-8"))
    reports = load_bytes(conn, data, f"{case}.sqlite")
    assert tables_in(conn) == [table["name"] for table in expected["tables"]]
    for report, table in zip(reports, expected["tables"], strict=True):
        info = conn.execute(
            "SELECT name, type FROM pragma_table_info(:table)", {"table": report.table}
        ).fetchall()
        assert report.table == table["name"]
        assert report.columns == table["columns"] == [name for name, _ in info]
        assert [kind for _, kind in info] == table["types"]
        assert [list(row) for row in rows_of(conn, report.table)] == table["rows"]
        assert report.rows == len(table["rows"])
        assert report.warnings == table.get("warnings", [])


def test_corpus_is_not_empty() -> None:
    assert len(corpus_cases()) >= 6


# What is copied


def test_allocate_gets_each_original_name_and_its_answer_is_used(
    tmp_path: Path, conn: sqlite3.Connection
) -> None:
    data = db_bytes(tmp_path, "CREATE TABLE b (x); CREATE TABLE a (y); INSERT INTO a VALUES (1);")
    asked: list[str] = []

    def allocate(hint: str) -> str:
        asked.append(hint)
        return f"imported_{hint}"

    reports = import_sqlite(conn, allocate, io.BytesIO(data), source="two.db")
    assert asked == ["b", "a"]  # the order the tables were created in
    assert [r.table for r in reports] == ["imported_b", "imported_a"]
    assert rows_of(conn, "imported_a") == [(1,)]


def test_existing_workspace_tables_are_untouched(tmp_path: Path, conn: sqlite3.Connection) -> None:
    conn.execute("CREATE TABLE t (kept)")
    conn.execute("INSERT INTO t VALUES ('mine')")
    data = db_bytes(tmp_path, "CREATE TABLE t (a); INSERT INTO t VALUES (1);")
    reports = import_sqlite(conn, allocator("t"), io.BytesIO(data), source="t.db")
    assert reports[0].table == "t_2"
    assert rows_of(conn, "t") == [("mine",)]
    assert rows_of(conn, "t_2") == [(1,)]


def test_blobs_integers_and_floats_keep_their_storage_class(
    tmp_path: Path, conn: sqlite3.Connection
) -> None:
    path = make_db(tmp_path / "kinds.db", "CREATE TABLE t (v TEXT, w);")
    with closing(sqlite3.connect(path)) as db:
        db.executemany(
            "INSERT INTO t VALUES (:v, :w)",
            [
                {"v": b"\x00\xff", "w": 2**63 - 1},
                {"v": "a\x00b", "w": 1e308},
                {"v": None, "w": -0.5},
            ],
        )
        db.commit()
    load_bytes(conn, path.read_bytes())
    assert rows_of(conn, "t") == [(b"\x00\xff", 2**63 - 1), ("a\x00b", 1e308), (None, -0.5)]
    assert conn.execute("SELECT typeof(v) FROM t").fetchall() == [("blob",), ("text",), ("null",)]


def test_invalid_utf8_is_replaced_and_counted(tmp_path: Path, conn: sqlite3.Connection) -> None:
    data = db_bytes(
        tmp_path,
        "CREATE TABLE good (a TEXT); INSERT INTO good VALUES ('ok');"
        "CREATE TABLE bad (a TEXT, b TEXT);"
        "INSERT INTO bad VALUES (CAST(x'41ff42' AS TEXT), CAST(x'c3' AS TEXT)), ('fine', 'é');",
    )
    reports = load_bytes(conn, data, "bad.sqlite")
    assert rows_of(conn, "bad") == [("A\ufffdB", "\ufffd"), ("fine", "é")]
    assert reports[0].warnings == []
    assert reports[1].warnings == [
        '2 text values in table "bad" had bytes that are not valid UTF-8;'
        " they were replaced with \ufffd."
    ]


def test_invalid_utf8_late_in_a_big_table_is_copied_once(
    tmp_path: Path, conn: sqlite3.Connection
) -> None:
    # The fast path stops at the bad value; the table is copied again, replacing it.
    data = db_bytes(
        tmp_path,
        "CREATE TABLE t (i INTEGER, s TEXT);"
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 6000)"
        " INSERT INTO t SELECT i, 'row ' || i FROM n;"
        "INSERT INTO t VALUES (6001, CAST(x'ff' AS TEXT)); CREATE TABLE after (a TEXT);"
        "INSERT INTO after VALUES ('fine');",
    )
    calls: list[int] = []
    reports = load_bytes(conn, data, progress=lambda rows, read: calls.append(rows))
    assert [r.rows for r in reports] == [6001, 1]
    assert conn.execute("SELECT count(*), count(DISTINCT i), max(i) FROM t").fetchone() == (
        6001,
        6001,
        6001,
    )
    assert rows_of(conn, "t")[-1] == (6001, "\ufffd")
    assert calls[-2:] == [6001, 6002]
    assert [len(r.warnings) for r in reports] == [1, 0]


def test_a_2000_column_table_is_copied(tmp_path: Path, conn: sqlite3.Connection) -> None:
    columns = ", ".join(f"c{i} INT" for i in range(2000))
    values = ", ".join(str(i) for i in range(2000))
    data = db_bytes(tmp_path, f"CREATE TABLE wide ({columns}); INSERT INTO wide VALUES ({values});")
    reports = load_bytes(conn, data)
    assert len(reports[0].columns) == 2000
    assert rows_of(conn, "wide") == [tuple(range(2000))]


def test_virtual_table_of_a_missing_module_is_skipped(
    tmp_path: Path, conn: sqlite3.Connection
) -> None:
    path = make_db(tmp_path / "vt.db", "CREATE TABLE t (a); INSERT INTO t VALUES (1);")
    with closing(sqlite3.connect(path)) as db:
        db.execute("PRAGMA writable_schema = ON")
        db.execute(
            "INSERT INTO sqlite_schema VALUES ('table', 'elsewhere', 'elsewhere', 0,"
            " 'CREATE VIRTUAL TABLE elsewhere USING nope(a)')"
        )
        db.commit()
    reports = load_bytes(conn, path.read_bytes(), "vt.db")
    assert tables_in(conn) == ["t"]
    assert reports[0].warnings == [
        'Skipped 1 virtual table ("elsewhere") that SQLite cannot read here: no such module: nope.'
    ]


def test_triggers_do_not_fire_and_are_not_copied(tmp_path: Path, conn: sqlite3.Connection) -> None:
    data = db_bytes(
        tmp_path,
        "CREATE TABLE t (a); CREATE TABLE audit (what);"
        "CREATE TRIGGER t_ins AFTER INSERT ON t BEGIN INSERT INTO audit VALUES ('fired'); END;"
        "INSERT INTO t VALUES (1); DELETE FROM audit;",
    )
    load_bytes(conn, data)
    assert tables_in(conn) == ["t", "audit"]
    assert rows_of(conn, "audit") == []


# Where the file comes from


def test_a_plain_file_is_opened_in_place(
    tmp_path: Path, conn: sqlite3.Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "odd ?#% name"
    folder.mkdir()
    path = make_db(folder / "x?.db", "CREATE TABLE t (a); INSERT INTO t VALUES (1);")

    def no_copy(*args: object, **kwargs: object) -> None:
        raise AssertionError("a plain file must not be copied")

    monkeypatch.setattr(sqlite_file.tempfile, "TemporaryDirectory", no_copy)
    with open(path, "rb") as stream:
        load_bytes_reports = import_sqlite(conn, allocator(), stream, source="x?.db")
    assert load_bytes_reports[0].rows == 1
    assert sorted(os.listdir(folder)) == ["x?.db"]  # no -journal, -wal or -shm left behind


def test_a_stream_without_a_file_is_copied_and_the_copy_removed(
    tmp_path: Path, conn: sqlite3.Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sqlite_file.tempfile, "tempdir", str(tmp_path))
    data = db_bytes(tmp_path, "CREATE TABLE t (a); INSERT INTO t VALUES (1);")
    load_bytes(conn, data)
    assert sorted(os.listdir(tmp_path)) == ["made.db"]


def test_wal_database_without_its_wal_file_opens(tmp_path: Path, conn: sqlite3.Connection) -> None:
    path = make_db(tmp_path / "wal.db", "PRAGMA journal_mode = WAL; CREATE TABLE t (a);")
    with closing(sqlite3.connect(path)) as db:
        db.execute("INSERT INTO t VALUES (1)")
        db.commit()
    assert path.read_bytes()[18:20] == b"\x02\x02"  # still marked as WAL mode
    assert sorted(os.listdir(tmp_path)) == ["wal.db"]  # the last close checkpointed
    allocate = allocator()
    with open(path, "rb") as stream:
        reports = import_sqlite(conn, allocate, stream, source="wal.db")
    reports += import_sqlite(conn, allocate, io.BytesIO(path.read_bytes()), source="wal.db")
    assert [r.rows for r in reports] == [1, 1]
    assert [r.warnings for r in reports] == [[], []]
    assert sorted(os.listdir(tmp_path)) == ["wal.db"]


def test_changes_still_in_a_wal_file_are_warned_about(
    tmp_path: Path, conn: sqlite3.Connection
) -> None:
    path = make_db(tmp_path / "live.db", "PRAGMA journal_mode = WAL; CREATE TABLE t (a);")
    with closing(sqlite3.connect(path)) as writer:
        writer.execute("INSERT INTO t VALUES (1)")
        writer.commit()  # in live.db-wal until the writer closes
        with open(path, "rb") as stream:
            reports = import_sqlite(conn, allocator(), stream, source="live.db")
    assert reports[0].warnings == [
        "live.db has a write-ahead log beside it (live.db-wal) that Sift does not read; the"
        " latest changes may be missing. Close the program that uses the database, then open"
        " it again."
    ]


# Files that are refused


@pytest.mark.parametrize(
    ("data", "looks"),
    [
        (b"\x89PNG\r\n\x1a\n" + bytes(200), "a PNG image"),
        (b"name,age\nAda,36\n", "text"),
        (b"PK\x03\x04" + bytes(100), "a ZIP archive (for example an Excel .xlsx workbook)"),
        (bytes(range(256)) * 4, "binary data"),
    ],
)
def test_a_file_that_is_not_sqlite_is_refused(
    conn: sqlite3.Connection, data: bytes, looks: str
) -> None:
    error = load_error(conn, data, "x.sqlite")
    assert error.message == f"x.sqlite is not a SQLite database: it looks like {looks}."
    assert "encrypted database must be decrypted first" in error.hint
    assert error.source == "x.sqlite"


def test_an_empty_file_is_refused(conn: sqlite3.Connection) -> None:
    assert load_error(conn, b"", "e.db").message == "e.db is empty."


def test_a_database_without_tables_is_refused(tmp_path: Path, conn: sqlite3.Connection) -> None:
    error = load_error(conn, db_bytes(tmp_path, "PRAGMA user_version = 7;"), "none.db")
    assert error.message == "none.db has no tables: the database is empty."


def test_a_database_with_only_views_is_refused(tmp_path: Path, conn: sqlite3.Connection) -> None:
    error = load_error(conn, db_bytes(tmp_path, "CREATE VIEW v AS SELECT 1 AS one;"), "v.db")
    assert error.message == (
        'v.db has no table that Sift can copy. Skipped 1 view ("v"): Sift copies tables only.'
        " Run a view's SQL on the imported tables to see its rows."
    )


def test_a_damaged_file_is_refused_by_quick_check(tmp_path: Path, conn: sqlite3.Connection) -> None:
    data = bytearray(
        db_bytes(
            tmp_path,
            "PRAGMA page_size = 4096; CREATE TABLE t (a, b);"
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000)"
            " INSERT INTO t SELECT i, printf('%050d', i) FROM n;",
        )
    )
    data[2 * 4096 + 100 : 2 * 4096 + 200] = b"\xff" * 100  # cell pointers of page 3
    error = load_error(conn, bytes(data), "hurt.db")
    assert error.message.startswith("hurt.db is damaged (SQLite quick_check: On tree page 3 ")
    assert error.message.endswith("); Sift cannot open it.")
    assert ".recover" in error.hint


def test_a_truncated_file_is_refused(tmp_path: Path, conn: sqlite3.Connection) -> None:
    data = db_bytes(tmp_path, "CREATE TABLE t (a); INSERT INTO t VALUES (randomblob(20000));")
    error = load_error(conn, data[:5000], "cut.db")
    assert error.message == (
        "cut.db is damaged (SQLite: database disk image is malformed); Sift cannot open it."
    )


def test_invalid_utf8_in_sqlites_error_message_is_replaced(
    tmp_path: Path, conn: sqlite3.Connection
) -> None:
    # sqlite3 decodes error messages strictly: this one would raise UnicodeDecodeError.
    path = make_db(tmp_path / "u.db", "CREATE TABLE t (a);")
    with closing(sqlite3.connect(path)) as db:
        db.execute("PRAGMA writable_schema = ON")
        db.execute(
            "INSERT INTO sqlite_schema VALUES"
            " ('table', CAST(x'41ff' AS TEXT), 'q', 0, 'CREATE TABLE q(')"
        )
        db.commit()
    error = load_error(conn, path.read_bytes(), "u.db")
    assert error.message == (
        "u.db is damaged (SQLite: malformed database schema (A\ufffd)); Sift cannot open it."
    )


def test_a_workspace_error_names_the_table(tmp_path: Path, conn: sqlite3.Connection) -> None:
    conn.execute("CREATE TABLE taken (a)")
    data = db_bytes(tmp_path, "CREATE TABLE taken (a);")
    with pytest.raises(LoadError) as caught:
        import_sqlite(conn, lambda hint: hint, io.BytesIO(data), source="t.db")
    assert caught.value.message == (
        'Could not copy table "taken" from t.db: table "taken" already exists.'
    )
    assert caught.value.hint.startswith("Open the file again;")


def test_an_encrypted_looking_file_is_refused(conn: sqlite3.Connection) -> None:
    data = MAGIC + random.Random(1).randbytes(8192)
    error = load_error(conn, data, "secret.db")
    assert error.message == (
        'secret.db cannot be opened: SQLite says "file is not a database".'
        " It may be encrypted or damaged."
    )
    assert error.hint.startswith("If it is encrypted, decrypt it")


def test_a_table_wider_than_sqlite_allows_is_refused(
    tmp_path: Path, conn: sqlite3.Connection
) -> None:
    # A SQLite built with a larger SQLITE_MAX_COLUMN could write this; ours cannot read it.
    columns = ", ".join(f"c{i}" for i in range(2000))
    path = make_db(tmp_path / "w.db", f"CREATE TABLE t ({columns})")
    with closing(sqlite3.connect(path)) as db:
        db.execute("PRAGMA writable_schema = ON")
        db.execute(
            "UPDATE sqlite_schema SET sql = :sql WHERE name = 't'",
            {"sql": f"CREATE TABLE t ({columns}, c2000)"},
        )
        db.commit()
    error = load_error(conn, path.read_bytes(), "w.db")
    assert error.message == (
        "w.db has a table with more columns than this version of SQLite allows (at most 2,000):"
        " malformed database schema (t) - too many columns on t."
    )


def test_a_table_wider_than_the_workspace_allows_is_refused(
    tmp_path: Path, conn: sqlite3.Connection
) -> None:
    conn.setlimit(sqlite3.SQLITE_LIMIT_COLUMN, 5)  # sqlite_schema itself has 5
    error = load_error(conn, db_bytes(tmp_path, "CREATE TABLE t (a, b, c, d, e, f);"), "w.db")
    assert error.message == (
        'Table "t" in w.db has 6 columns; this version of SQLite allows at most 5.'
    )


def test_a_value_too_big_for_the_workspace_is_refused(
    tmp_path: Path, conn: sqlite3.Connection
) -> None:
    conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, 1000)
    data = db_bytes(
        tmp_path,
        "CREATE TABLE First (a); INSERT INTO First VALUES (1);"
        "CREATE TABLE Big (a); INSERT INTO Big VALUES (zeroblob(5000));",
    )
    error = load_error(conn, data, "big.db")  # also: table First was rolled back
    assert error.message == 'Table "Big" in big.db holds a value too large for one cell here.'


class FakeBigFile(io.RawIOBase):
    """A seekable stream that says it holds ``size`` bytes and counts what is read."""

    def __init__(self, size: int) -> None:
        self.size, self.position, self.bytes_read = size, 0, 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self.position

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        self.position = {io.SEEK_SET: 0, io.SEEK_CUR: self.position, io.SEEK_END: self.size}[
            whence
        ] + offset
        return self.position

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        count = min(len(buffer), self.size - self.position)
        page = (MAGIC + bytes(4096))[self.position : self.position + count]
        buffer[:count] = page.ljust(count, b"\0")
        self.position += count
        self.bytes_read += count
        return count


def test_a_file_over_the_size_limit_is_refused_before_copying(conn: sqlite3.Connection) -> None:
    with FakeBigFile(3_000_000_000) as stream:
        with pytest.raises(LoadError) as caught:
            import_sqlite(conn, allocator(), stream, source="huge.sqlite")
        assert stream.bytes_read <= 4096
    assert caught.value.message == (
        "huge.sqlite is too big to open here: the 3.0 GB file exceeds the 1.5 GB in-browser limit."
    )


def test_a_stream_of_unknown_size_is_cut_off_at_the_limit(
    tmp_path: Path, conn: sqlite3.Connection
) -> None:
    data = db_bytes(tmp_path, "CREATE TABLE t (a); INSERT INTO t VALUES (randomblob(50000));")

    class Unseekable:
        def __init__(self) -> None:
            self.inner = io.BytesIO(data)

        def read(self, size: int, /) -> bytes:
            return self.inner.read(size)

    with pytest.raises(LoadError) as caught:
        import_sqlite(conn, allocator(), Unseekable(), source="s.db", max_bytes=20_000)
    assert caught.value.message == (
        "s.db is too big to open here: the file exceeds the 20.0 KB in-browser limit."
    )
    assert tables_in(conn) == []


def test_a_read_error_becomes_a_load_error(conn: sqlite3.Connection) -> None:
    class Broken:
        def read(self, size: int, /) -> bytes:
            raise OSError(5, "Input/output error")

    with pytest.raises(LoadError) as caught:
        import_sqlite(conn, allocator(), Broken(), source="gone.db")
    assert caught.value.message == "Could not read gone.db: Input/output error."


# Progress and Cancel


class Cancelled(Exception):
    pass


def test_progress_is_reported_every_batch(
    tmp_path: Path, conn: sqlite3.Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sqlite_file, "PROGRESS_SECONDS", 3600.0)  # none from inside SQLite
    data = db_bytes(
        tmp_path,
        "CREATE TABLE a (i); CREATE TABLE b (i);"
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 12000)"
        " INSERT INTO a SELECT i FROM n; INSERT INTO b VALUES (1);",
    )
    calls: list[tuple[int, int]] = []
    load_bytes(conn, data, progress=lambda rows, read: calls.append((rows, read)))
    assert calls == [(5000, 0), (10000, 0), (12000, 0), (12001, 0)]


def test_cancel_between_batches_rolls_everything_back(
    tmp_path: Path, conn: sqlite3.Connection
) -> None:
    data = db_bytes(
        tmp_path,
        "CREATE TABLE a (i); INSERT INTO a VALUES (1); CREATE TABLE b (i);"
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 12000)"
        " INSERT INTO b SELECT i FROM n;",
    )

    def progress(rows: int, read: int) -> None:
        if rows > 5000:
            raise Cancelled

    with pytest.raises(Cancelled):
        load_bytes(conn, data, progress=progress)
    assert tables_in(conn) == []
    assert not conn.in_transaction


def test_cancel_inside_a_long_sqlite_call_stops_it(
    tmp_path: Path, conn: sqlite3.Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sqlite_file, "PROGRESS_SECONDS", 0.0)
    monkeypatch.setattr(sqlite_file, "PROGRESS_OPS", 1)
    data = db_bytes(tmp_path, "CREATE TABLE t (a); INSERT INTO t VALUES (1);")
    calls: list[int] = []

    def progress(rows: int, read: int) -> None:
        calls.append(rows)
        raise Cancelled  # from SQLite's progress handler, during quick_check

    with pytest.raises(Cancelled):
        load_bytes(conn, data, progress=progress)
    assert calls == [0]
    assert tables_in(conn) == []


def test_a_savepoint_inside_the_callers_transaction(
    tmp_path: Path, conn: sqlite3.Connection
) -> None:
    conn.execute("BEGIN")
    conn.execute("CREATE TABLE earlier (a)")
    with pytest.raises(LoadError):
        load_bytes(conn, b"not sqlite")
    load_bytes(conn, db_bytes(tmp_path, "CREATE TABLE t (a);"))
    conn.execute("COMMIT")
    assert tables_in(conn) == ["earlier", "t"]


# Fuzzing (RELIABILITY C1, 1,000 mutants per run): each imports cleanly or is refused with a
# LoadError, in well under 2 s.

FUZZ_SCRIPT = """
CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT, score REAL, photo BLOB);
CREATE INDEX people_name ON people (name);
CREATE TABLE tags (person INTEGER, tag TEXT) ;
CREATE VIRTUAL TABLE notes USING fts5(body);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200)
INSERT INTO people SELECT i, 'name ' || i, i / 3.0, randomblob(i % 7) FROM n;
INSERT INTO tags SELECT id, 'tag' || (id % 5) FROM people;
INSERT INTO notes SELECT 'note about ' || name FROM people;
CREATE VIEW v AS SELECT name FROM people;
"""


def mutate(data: bytes, rng: random.Random) -> bytes:
    mutant = bytearray(data)
    if rng.random() < 0.1:
        return bytes(mutant[: rng.randrange(len(mutant))])
    for _ in range(rng.randint(1, 8)):
        position = rng.randrange(len(mutant))
        mutant[position] = rng.choice([0, 0xFF, rng.randrange(256), mutant[position] ^ 0x80])
    return bytes(mutant)


def test_byte_mutated_databases_import_or_fail_cleanly(tmp_path: Path) -> None:
    data = db_bytes(tmp_path, "PRAGMA page_size = 1024;" + FUZZ_SCRIPT)
    rng = random.Random(20240603)
    outcomes = {"imported": 0, "refused": 0}
    for _ in range(1000):
        mutant = mutate(data, rng)
        started = time.monotonic()
        with closing(sqlite3.connect(":memory:", isolation_level=None)) as conn:
            try:
                load_bytes(conn, mutant, "m.db")
                outcomes["imported"] += 1
            except LoadError:
                assert tables_in(conn) == []
                outcomes["refused"] += 1
        assert time.monotonic() - started < 10  # a hang guard, not a speed figure
    assert outcomes["imported"] > 0
    assert outcomes["refused"] > 0
