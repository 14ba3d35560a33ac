"""Tests for CSV export (sift.export.csv_out): RFC 4180, values, neutralization, round trips."""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sift.export.neutral import TRIGGERS
from sift.session import Session
from tests.unit.export_helpers import export, load, reload, table


@pytest.fixture
def session() -> Iterator[Session]:
    with Session() as opened:
        yield opened


def make(session: Session, sql_values: str, columns: str = "a") -> None:
    """A table t with ``columns`` (SQL column definitions) and the rows of ``sql_values``."""
    session.workspace.conn.execute(f"CREATE TABLE t ({columns})")
    session.workspace.conn.execute(f"INSERT INTO t VALUES {sql_values}")


def written(session: Session, tmp_path: Path, **args: object) -> bytes:
    export(session, tmp_path / "out.csv", "csv", **args)
    return (tmp_path / "out.csv").read_bytes()


# RFC 4180


def test_header_crlf_and_quoting(session: Session, tmp_path: Path) -> None:
    make(
        session,
        "('plain', 'a,b'), ('say \"hi\"', 'two\nlines'), ('cr\rhere', ' spaced ')",
        "x TEXT, y TEXT",
    )
    assert written(session, tmp_path) == (
        b'x,y\r\nplain,"a,b"\r\n"say ""hi""","two\nlines"\r\n"cr\rhere", spaced \r\n'
    )


def test_utf8_without_bom_by_default_and_with_bom_on_request(
    session: Session, tmp_path: Path
) -> None:
    make(session, "('Zoë'), ('日本')", "name TEXT")
    assert written(session, tmp_path) == "name\r\nZoë\r\n日本\r\n".encode()
    assert written(session, tmp_path, options={"bom": True}) == (
        b"\xef\xbb\xbf" + "name\r\nZoë\r\n日本\r\n".encode()
    )


def test_null_and_empty_text_are_empty_fields(session: Session, tmp_path: Path) -> None:
    make(session, "(NULL, ''), ('x', NULL)", "a TEXT, b TEXT")
    assert written(session, tmp_path) == b"a,b\r\n,\r\nx,\r\n"


def test_numbers_as_sqlite_holds_them(session: Session, tmp_path: Path) -> None:
    make(
        session,
        "(0.1 + 0.2, 1e16, 1e-05, 2.0, 9223372036854775807, -5),"
        " (1e999, -1e999, 123456789.125, 0.0, -9223372036854775808, 0)",
        "a REAL, b REAL, c REAL, d REAL, e INTEGER, f INTEGER",
    )
    assert written(session, tmp_path).decode().split("\r\n")[1:] == [
        "0.30000000000000004,1e+16,1e-05,2.0,9223372036854775807,-5",
        "Infinity,-Infinity,123456789.125,0.0,-9223372036854775808,0",
        "",
    ]


def test_booleans_are_true_and_false(session: Session, tmp_path: Path) -> None:
    make(session, "(1), (0), (NULL), ('maybe'), (2)", "ok BOOLEAN")
    assert written(session, tmp_path) == b'ok\r\ntrue\r\nfalse\r\n""\r\nmaybe\r\n2\r\n'


def test_blobs_are_0x_hex(session: Session, tmp_path: Path) -> None:
    make(session, "(x'00ff10'), (x'')", "b BLOB")
    assert written(session, tmp_path) == b"b\r\n0x00ff10\r\n0x\r\n"


def test_a_one_column_row_of_null_is_not_a_blank_line(session: Session, tmp_path: Path) -> None:
    # A blank line would be skipped by readers; csv writes "" so the row survives.
    make(session, "(1), (NULL), (3)", "n INTEGER")
    assert written(session, tmp_path) == b'n\r\n1\r\n""\r\n3\r\n'


# Neutralization (OWASP): on by default, off with raw


FORMULAS = ["=1+1", "+1+1", "-1+1", "@SUM(A1)", "\t=1", "\r=1"]


@pytest.mark.parametrize("text", FORMULAS)
def test_each_trigger_is_neutralized_in_a_csv_cell(
    session: Session, tmp_path: Path, text: str
) -> None:
    session.workspace.conn.execute("CREATE TABLE t (a TEXT)")
    session.workspace.conn.execute("INSERT INTO t VALUES (?)", (text,))
    rows = list(csv.reader(io.StringIO(written(session, tmp_path).decode(), newline="")))
    assert rows == [["a"], ["'" + text]]


@pytest.mark.parametrize("text", FORMULAS)
def test_raw_keeps_each_trigger(session: Session, tmp_path: Path, text: str) -> None:
    session.workspace.conn.execute("CREATE TABLE t (a TEXT)")
    session.workspace.conn.execute("INSERT INTO t VALUES (?)", (text,))
    data = written(session, tmp_path, options={"raw": True})
    assert list(csv.reader(io.StringIO(data.decode(), newline=""))) == [["a"], [text]]


def test_numbers_and_numeric_text_are_not_neutralized(session: Session, tmp_path: Path) -> None:
    make(session, "(-5, '-5', '+3.2', -2.5, '-2+3')", "n INTEGER, t TEXT, u TEXT, r REAL, f TEXT")
    assert written(session, tmp_path) == b"n,t,u,r,f\r\n-5,-5,+3.2,-2.5,'-2+3\r\n"


def test_column_names_are_neutralized_too(session: Session, tmp_path: Path) -> None:
    make(session, "(1)", '"=cmd" INTEGER')
    assert written(session, tmp_path).startswith(b"'=cmd\r\n")
    assert written(session, tmp_path, options={"raw": True}).startswith(b"=cmd\r\n")


def test_neutralizing_does_not_change_the_sort_order(session: Session, tmp_path: Path) -> None:
    # The SELECT list converts cells; ORDER BY must still sort the stored values.
    make(session, "('=b', 1), ('a', 2), ('@c', 0), (x'01', 3), (NULL, 4)", "s, k INTEGER")
    data = written(session, tmp_path, sort=[{"column": "s", "desc": False}])
    assert data == b"s,k\r\n,4\r\n'=b,1\r\n'@c,0\r\na,2\r\n0x01,3\r\n"


@settings(
    max_examples=150,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    st.lists(
        st.one_of(
            st.none(),
            st.text(alphabet=st.characters(codec="utf-8"), max_size=12),
            st.text(alphabet=st.sampled_from("=+-@\t\r\n,\"' 0123456789.e"), max_size=6),
            st.integers(min_value=-(2**63), max_value=2**63 - 1),
            st.floats(allow_nan=False),
        ),
        min_size=1,
        max_size=12,
    )
)
def test_any_values_read_back_exactly_and_no_cell_starts_like_a_formula(
    tmp_path: Path, values: list[object]
) -> None:
    with Session() as session:
        session.workspace.conn.execute("CREATE TABLE t (v)")
        session.workspace.conn.executemany("INSERT INTO t VALUES (?)", [(v,) for v in values])
        stored = [v for (v,) in session.workspace.conn.execute("SELECT v FROM t ORDER BY rowid")]
        raw = written(session, tmp_path, options={"raw": True}).decode()
        safe = written(session, tmp_path).decode()
    expected = [[""] if v is None else [text_of(v)] for v in stored]
    assert list(csv.reader(io.StringIO(raw, newline="")))[1:] == expected
    for (cell,) in list(csv.reader(io.StringIO(safe, newline="")))[1:]:
        if cell[:1] in TRIGGERS:
            float(cell)  # only plain numbers may start with a trigger


def text_of(value: object) -> str:
    if isinstance(value, float) and math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    return str(value)


# The view: filters, sort and search applied


def test_the_view_is_exported_filtered_sorted_and_searched(
    session: Session, tmp_path: Path
) -> None:
    load(
        session,
        "people.csv",
        b"name,age,city\nAnn,30,Paris\nBob,25,Rome\nCy,41,Paris\nDi,35,Oslo\n",
    )
    result = export(
        session,
        tmp_path / "out.csv",
        "csv",
        sort=[{"column": "age", "desc": True}],
        filters=[{"column": "city", "op": "exact", "value": "Paris"}],
    )
    assert (
        tmp_path / "out.csv"
    ).read_bytes() == b"name,age,city\r\nCy,41,Paris\r\nAnn,30,Paris\r\n"
    assert result["rows"] == 2
    assert result["name"] == "people-filtered.csv"
    export(session, tmp_path / "out.csv", "csv", q="o")
    assert (tmp_path / "out.csv").read_bytes() == b"name,age,city\r\nBob,25,Rome\r\nDi,35,Oslo\r\n"


def test_a_computed_column_is_exported_like_any_other(session: Session, tmp_path: Path) -> None:
    # Computed columns (add_column) are stored in the table: the view's SELECT * has them.
    load(session, "n.csv", b"n\n1\n2\n")
    session.workspace.conn.execute("ALTER TABLE n ADD COLUMN twice INTEGER")
    session.workspace.conn.execute("UPDATE n SET twice = n * 2")
    assert written(session, tmp_path) == b"n,twice\r\n1,2\r\n2,4\r\n"


# Round trips: load -> export -> load


TYPED = (
    "name,n,x,day,at,ok,note\r\n"
    'Zoë,1,1.5,2024-01-02,2024-01-02T03:04:05,true,"a,b"\r\n'
    '"say ""hi""",-7,0.1,1999-12-31,1999-12-31T23:59:59,false,"two\nlines"\r\n'
    ",,,,,,\r\n"
    "日本,9007199254740993,1e+16,2000-02-29,2000-02-29T00:00:00,true,=1+1\r\n"
).encode()


def test_round_trip_raw_gives_the_same_table(session: Session, tmp_path: Path) -> None:
    first = table(session, load(session, "typed.csv", TYPED))
    assert first[1] == ["TEXT", "INTEGER", "REAL", "DATE", "DATETIME", "BOOLEAN", "TEXT"]
    export(session, tmp_path / "typed.csv", "csv", options={"raw": True})
    assert reload(tmp_path / "typed.csv") == first


def test_round_trip_with_bom_gives_the_same_table(session: Session, tmp_path: Path) -> None:
    first = table(session, load(session, "typed.csv", TYPED))
    export(session, tmp_path / "typed.csv", "csv", options={"raw": True, "bom": True})
    assert reload(tmp_path / "typed.csv") == first


def test_round_trip_neutralized_differs_only_by_the_quotes(
    session: Session, tmp_path: Path
) -> None:
    columns, types, rows = table(session, load(session, "typed.csv", TYPED))
    export(session, tmp_path / "typed.csv", "csv")
    quoted = [tuple("'=1+1" if v == "=1+1" else v for v in row) for row in rows]
    assert reload(tmp_path / "typed.csv") == (columns, types, quoted)


def test_200k_rows_stream_out_and_back(session: Session, tmp_path: Path) -> None:
    rows = 200_000
    data = "id,name,score\n" + "".join(f"{i},name {i},{i / 8}\n" for i in range(rows))
    load(session, "big.csv", data.encode())
    seen: list[tuple[int, int]] = []
    result = export(session, tmp_path / "big.csv", "csv", progress=lambda r, b: seen.append((r, b)))
    assert result["rows"] == rows
    assert result["bytes"] == (tmp_path / "big.csv").stat().st_size
    assert result["message"] == "Exported 200,000 rows of big to CSV."
    assert len(seen) == 100
    assert seen[-1][0] == rows
    assert seen[-1][1] <= result["bytes"]
    with (tmp_path / "big.csv").open(newline="", encoding="utf-8") as file:
        back = list(csv.reader(file))
    assert len(back) == rows + 1
    assert back[1] == ["0", "name 0", "0.0"]
    assert back[-1] == ["199999", "name 199999", "24999.875"]
