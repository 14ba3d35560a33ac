"""Tests for sift.formats.delimited: streaming CSV/TSV import into SQLite."""

from __future__ import annotations

import csv
import io
import sqlite3
from collections.abc import Iterator
from contextlib import closing

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sift.errors import LoadError
from sift.formats import delimited
from sift.formats.delimited import ImportReport, import_delimited
from sift.names import quote_ident


def load(
    data: bytes, name: str = "data.csv", **options: object
) -> tuple[ImportReport, list[tuple[object, ...]]]:
    with closing(sqlite3.connect(":memory:", isolation_level=None)) as conn:
        report = import_delimited(conn, "t", io.BytesIO(data), source=name, **options)  # type: ignore[arg-type]
        rows = conn.execute('SELECT * FROM "t" ORDER BY rowid').fetchall()
    return report, rows


def load_error(data: bytes, name: str = "data.csv") -> LoadError:
    with closing(sqlite3.connect(":memory:", isolation_level=None)) as conn:
        with pytest.raises(LoadError) as caught:
            import_delimited(conn, "t", io.BytesIO(data), source=name)
        assert conn.execute("SELECT count(*) FROM sqlite_master").fetchone() == (0,)
    return caught.value


@pytest.fixture
def conn() -> Iterator[sqlite3.Connection]:
    with closing(sqlite3.connect(":memory:", isolation_level=None)) as connection:
        yield connection


class CountingStream:
    """A non-seekable binary stream that records the size of every read."""

    def __init__(self, data: bytes, max_chunk: int | None = None) -> None:
        self._inner = io.BytesIO(data)
        self._max_chunk = max_chunk
        self.sizes: list[int] = []

    def read(self, size: int = -1, /) -> bytes:
        self.sizes.append(size)
        if self._max_chunk is not None:
            size = min(size, self._max_chunk)
        return self._inner.read(size)


# Delimiters and quoting


HEADER, ADA, ALAN = ["name", "city", "n"], ["Ada", "London", "1"], ["Alan", "Wilmslow", "2"]


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_each_delimiter_is_detected(delimiter: str) -> None:
    text = "\n".join(delimiter.join(row) for row in [HEADER, ADA, ALAN]) + "\n"
    report, rows = load(text.encode())
    assert report.delimiter == delimiter
    assert report.columns == ["name", "city", "n"]
    assert rows == [("Ada", "London", "1"), ("Alan", "Wilmslow", "2")]
    assert report.warnings == []


def test_semicolon_file_with_decimal_commas() -> None:
    report, rows = load(b"item;price\napple;1,50\npear;2,25\n")
    assert report.delimiter == ";"
    assert rows == [("apple", "1,50"), ("pear", "2,25")]


def test_one_column_file_stays_one_column() -> None:
    report, rows = load(b"word\nalpha\nbeta\n")
    assert report.columns == ["word"]
    assert rows == [("alpha",), ("beta",)]


def test_tsv_extension_prefers_tab_for_one_column_files() -> None:
    report, _ = load(b"word\nalpha\n", name="words.tsv")
    assert report.delimiter == "\t"


def test_quoted_fields_keep_delimiters_quotes_and_newlines() -> None:
    data = b'id,text\n1,"a, b"\n2,"line one\nline two"\n3,"say ""hi"""\n4,"x\r\ny"\n'
    report, rows = load(data)
    assert report.delimiter == ","
    assert rows == [("1", "a, b"), ("2", "line one\nline two"), ("3", 'say "hi"'), ("4", "x\r\ny")]


@pytest.mark.parametrize("newline", [b"\r\n", b"\n", b"\r"])
def test_line_endings(newline: bytes) -> None:
    data = newline.join([b"a,b", b"1,2", b"3,4"]) + newline
    report, rows = load(data)
    assert report.columns == ["a", "b"]
    assert rows == [("1", "2"), ("3", "4")]


def test_empty_cells_become_null_and_whitespace_is_kept() -> None:
    _, rows = load(b"a,b,c\n,x, \n")
    assert rows == [(None, "x", " ")]


def test_nul_characters_in_cells_are_kept() -> None:
    _, rows = load(b"a,b\nx\x00y,2\n")
    assert rows == [("x\x00y", "2")]


# Encodings


def test_utf8_bom_is_not_part_of_the_first_column_name() -> None:
    report, rows = load(b"\xef\xbb\xbfname,age\nAda,36\n")
    assert report.columns == ["name", "age"]
    assert report.encoding == "UTF-8"
    assert rows == [("Ada", "36")]


def test_cp1252_file_loads_with_a_warning() -> None:
    report, rows = load(b"name\ncaf\xe9\n")
    assert rows == [("café",)]
    assert report.encoding == "Windows-1252"
    assert report.warnings == [
        "data.csv is not valid UTF-8, so it was read as Windows-1252 (Western European)."
        " If some letters look wrong, save the file as UTF-8 and open it again."
    ]


@pytest.mark.parametrize(
    ("codec", "label"),
    [("utf-16-le", "UTF-16"), ("utf-16-be", "UTF-16"), ("utf-32-le", "UTF-32")],
)
def test_utf16_and_utf32_with_bom(codec: str, label: str) -> None:
    bom = {"utf-16-le": b"\xff\xfe", "utf-16-be": b"\xfe\xff", "utf-32-le": b"\xff\xfe\x00\x00"}
    data = bom[codec] + "name\tcity\nZoë\tŁódź\n".encode(codec)
    report, rows = load(data)
    assert report.encoding == label
    assert report.columns == ["name", "city"]
    assert rows == [("Zoë", "Łódź")]


def test_invalid_utf8_after_the_head_is_replaced_and_counted() -> None:
    data = b"name\n" + b"plain\n" * 20_000 + b"caf\xe9 \xff\n"
    report, rows = load(data)
    assert report.encoding == "UTF-8"
    assert rows[-1] == ("caf\ufffd \ufffd",)
    assert report.warnings == [
        "Some bytes in data.csv are not valid UTF-8: 2 bytes replaced with \ufffd,"
        " the first on line 20,002."
    ]


def test_genuine_replacement_characters_are_not_counted() -> None:
    report, rows = load("name\nbad \ufffd already\n".encode())
    assert rows == [("bad \ufffd already",)]
    assert report.warnings == []


# Shape: header, ragged rows, blank lines, width


def test_long_rows_are_truncated_with_one_warning() -> None:
    lines = ["a,b,c"] + ["1,2,3"] * 38 + ["1,2,3,4,5"] * 11 + ["1,2,3,4"]
    report, rows = load(("\n".join(lines) + "\n").encode())
    assert len(rows) == 50
    assert rows[-1] == ("1", "2", "3")
    assert report.warnings == [
        "12 rows had more fields than the header (3); the extra fields were dropped."
        " First at line 40."
    ]


def test_short_rows_are_padded_with_null() -> None:
    report, rows = load(b"a,b,c\n1,2,3\n4\n5,6\n")
    assert rows == [("1", "2", "3"), ("4", None, None), ("5", "6", None)]
    assert report.warnings == [
        "2 rows had fewer fields than the header (3); the missing values were left empty."
        " First at line 3."
    ]


def test_ragged_line_numbers_are_physical_lines() -> None:
    report, _ = load(b'a,b\n"multi\nline",1\n1,2,3\n')
    assert report.warnings[0].endswith("First at line 4.")


def test_blank_lines_between_rows_are_skipped_and_reported() -> None:
    report, rows = load(b"\n\na,b\n1,2\n\n3,4\n\n\n")
    assert report.columns == ["a", "b"]
    assert rows == [("1", "2"), ("3", "4")]
    assert report.warnings == ["Skipped 1 blank line between rows. First at line 5."]


def test_header_only_gives_an_empty_table_and_a_warning() -> None:
    report, rows = load(b"a,b,c\n")
    assert report.rows == 0
    assert rows == []
    assert report.columns == ["a", "b", "c"]
    assert report.warnings == ["data.csv has a header but no rows."]


def test_duplicate_and_empty_headers_are_kept_and_renamed(conn: sqlite3.Connection) -> None:
    data = b"id,Name,,name, id ,\n1,2,3,4,5,6\n"
    report = import_delimited(conn, "t", io.BytesIO(data), source="d.csv")
    assert report.columns == ["id", "Name", "column_3", "name_2", "id_2", "column_6"]
    assert len(conn.execute("PRAGMA table_info(t)").fetchall()) == 6
    assert report.warnings == [
        "Renamed 4 columns with an empty or repeated name: column_3, name_2, id_2, column_6."
    ]


def test_many_renamed_columns_are_summarised() -> None:
    report, _ = load(("," * 7 + "\n1\n").encode())
    assert report.warnings[0] == (
        "Renamed 8 columns with an empty or repeated name:"
        " column_1, column_2, column_3, column_4, column_5 and 3 more."
    )


def test_2000_columns_are_accepted() -> None:
    header = ",".join(f"c{i}" for i in range(2000))
    report, rows = load(f"{header}\n{header}\n".encode())
    assert len(report.columns) == 2000
    assert len(rows[0]) == 2000


def test_2001_columns_are_refused_before_anything_is_created() -> None:
    header = ",".join(f"c{i}" for i in range(2001))
    error = load_error(f"{header}\n1\n".encode(), name="wide.csv")
    assert (
        error.message == "wide.csv has 2,001 columns; this version of SQLite allows at most 2,000."
    )
    assert error.hint


@pytest.mark.parametrize(
    "hostile", ['x"); DROP TABLE t; --', "<script>alert(1)</script>", "rowid", "select", "a\u202eb"]
)
def test_hostile_header_names_work(conn: sqlite3.Connection, hostile: str) -> None:
    buffer = io.StringIO()
    csv.writer(buffer).writerows([[hostile, "b"], ["1", "2"]])
    report = import_delimited(
        conn, hostile, io.BytesIO(buffer.getvalue().encode()), source=f"{hostile}.csv"
    )
    assert report.columns == [hostile, "b"]
    columns = [row[1] for row in conn.execute(f"PRAGMA table_info({quote_ident(hostile)})")]
    assert columns == [hostile, "b"]
    assert conn.execute(f"SELECT * FROM {quote_ident(hostile)}").fetchall() == [("1", "2")]


# Refusals


@pytest.mark.parametrize(
    "data", [b"", b"   \n\r\n\t ", b"\xef\xbb\xbf", b"\xff\xfe", b"\xef\xbb\xbf\n\n"]
)
def test_empty_files_are_refused(data: bytes) -> None:
    error = load_error(data, name="blank.csv")
    assert error.message == "blank.csv is empty."
    assert error.hint == (
        "Choose a file that contains data: a header row and at least one row of values."
    )
    assert error.source == "blank.csv"


def test_png_is_refused_by_name() -> None:
    error = load_error(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", name="photo.csv")
    assert error.message == "photo.csv is not a CSV file: it looks like a PNG image."
    assert error.hint.startswith("Sift can open CSV and TSV text files.")


def test_sqlite_database_is_refused() -> None:
    error = load_error(b"SQLite format 3\x00" + bytes(100), name="db.csv")
    assert error.message == "db.csv is not a CSV file: it looks like a SQLite database."


def test_oversized_field_names_the_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(delimited, "FIELD_SIZE_LIMIT", 10)
    original = csv.field_size_limit()
    try:
        error = load_error(b'a,b\n1,2\n3,"unterminated\n4,5\n6,7\n')
    finally:
        csv.field_size_limit(original)
    assert error.message == (
        "data.csv has a field longer than 10 characters in the row starting at line 3."
    )
    assert error.line == 3
    assert "missing closing quote" in error.hint


# Transactions, streaming and progress


class FailingStream:
    def __init__(self, data: bytes, fail_after: int) -> None:
        self._inner = io.BytesIO(data)
        self._fail_after = fail_after

    def read(self, size: int = -1, /) -> bytes:
        if self._inner.tell() >= self._fail_after:
            raise OSError(5, "Input/output error")
        return self._inner.read(size)


def test_read_error_midway_leaves_no_table(conn: sqlite3.Connection) -> None:
    data = b"a,b\n" + b"1,2\n" * 100_000
    with pytest.raises(LoadError) as caught:
        import_delimited(conn, "t", FailingStream(data, 200_000), source="big.csv", chunk_rows=1000)
    assert caught.value.message == "Could not read big.csv: Input/output error."
    assert conn.execute("SELECT count(*) FROM sqlite_master").fetchone() == (0,)
    assert not conn.in_transaction


class Cancelled(Exception):
    pass


def test_cancel_from_progress_leaves_no_table_and_keeps_other_data() -> None:
    def cancel(rows: int, bytes_read: int) -> None:
        raise Cancelled

    with closing(sqlite3.connect(":memory:")) as conn:  # default (legacy) transactions
        conn.execute("CREATE TABLE keep (x)")
        conn.execute("INSERT INTO keep VALUES (1)")
        conn.commit()
        with pytest.raises(Cancelled):
            import_delimited(
                conn, "t", io.BytesIO(b"a\n1\n2\n"), source="x.csv", chunk_rows=1, progress=cancel
            )
        assert [name for (name,) in conn.execute("SELECT name FROM sqlite_master")] == ["keep"]
        assert conn.execute("SELECT x FROM keep").fetchall() == [(1,)]


def test_import_inside_an_open_transaction(conn: sqlite3.Connection) -> None:
    conn.execute("BEGIN")
    import_delimited(conn, "t", io.BytesIO(b"a\n1\n"), source="x.csv")
    conn.execute("ROLLBACK")
    assert conn.execute("SELECT count(*) FROM sqlite_master").fetchone() == (0,)


def test_stream_is_read_in_bounded_chunks(conn: sqlite3.Connection) -> None:
    data = b"id,text\n" + b"".join(b"%d,some text here\n" % i for i in range(200_000))
    stream = CountingStream(data)
    report = import_delimited(conn, "t", stream, source="big.csv")
    assert report.rows == 200_000
    assert all(0 < size <= 64 * 1024 for size in stream.sizes)
    assert len(stream.sizes) > len(data) // (64 * 1024)


def test_short_reads_keep_multibyte_characters_intact(conn: sqlite3.Connection) -> None:
    data = "name,city\nZoë,Łódź\n".encode() * 3
    import_delimited(conn, "t", CountingStream(data, max_chunk=3), source="x.csv")
    assert conn.execute("SELECT * FROM t").fetchall()[0] == ("Zoë", "Łódź")


def test_progress_reports_rows_and_bytes_after_each_batch() -> None:
    data = b"a\n" + b"x\n" * 25
    calls: list[tuple[int, int]] = []
    report, _ = load(data, chunk_rows=10, progress=lambda rows, size: calls.append((rows, size)))
    assert report.rows == 25
    assert [rows for rows, _ in calls] == [10, 20, 25]
    assert calls[-1][1] == len(data)


# Round trip


_CELL = st.text(
    alphabet=st.characters(exclude_categories=("Cs", "Cc")) | st.sampled_from(',;\t|"\r\n '),
    max_size=8,
)


@settings(database=None, max_examples=150, deadline=None)
@given(
    st.integers(min_value=1, max_value=4).flatmap(
        lambda width: st.lists(st.lists(_CELL, min_size=width, max_size=width), max_size=12).map(
            lambda rows: (width, rows)
        )
    )
)
def test_round_trip_through_csv_writer(table: tuple[int, list[list[str]]]) -> None:
    width, rows = table
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([f"c{i}" for i in range(width)])
    writer.writerows(rows)
    report, stored = load(buffer.getvalue().encode())
    assert report.columns == [f"c{i}" for i in range(width)]
    assert [list(row) for row in stored] == [[cell or None for cell in row] for row in rows]


@settings(database=None, max_examples=150, deadline=None)
@given(st.lists(_CELL, min_size=1, max_size=6))
def test_any_header_keeps_every_column(header: list[str]) -> None:
    buffer = io.StringIO()
    csv.writer(buffer).writerows([header, ["x"] * len(header)])
    with closing(sqlite3.connect(":memory:")) as conn:
        data = io.BytesIO(buffer.getvalue().encode())
        report = import_delimited(conn, "t", data, source="h.csv")
        assert len(report.columns) == len(header)
        assert len(conn.execute("PRAGMA table_info(t)").fetchall()) == len(header)
        assert conn.execute("SELECT * FROM t").fetchall() == [tuple(["x"] * len(header))]


@settings(database=None, max_examples=300, deadline=None)
@given(st.binary(max_size=400))
def test_any_bytes_load_or_raise_load_error(data: bytes) -> None:
    with closing(sqlite3.connect(":memory:", isolation_level=None)) as conn:
        report: ImportReport | LoadError
        try:
            report = import_delimited(conn, "t", io.BytesIO(data), source="fuzz.csv")
        except LoadError as error:
            report = error
        tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        if isinstance(report, LoadError):
            assert report.message.startswith("fuzz.csv ")
            assert tables == (0,)
        else:
            assert tables == (1,)
            assert conn.execute("SELECT count(*) FROM t").fetchone() == (report.rows,)
            assert len(report.columns) >= 1
