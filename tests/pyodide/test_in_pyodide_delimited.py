"""Delimited import where Pyodide may differ from the host: its CPython 3.14 (csv module, regular
expressions, TextIOWrapper), its SQLite 3.39 (CAST, ALTER TABLE, date functions) and the bundled
charset-normalizer wheel.

Plain functions with bare asserts and only the standard library plus sift, so a tiny runner can
call every ``test_*`` function in the browser; host pytest collects them too.
"""

from __future__ import annotations

import io
import sqlite3
from contextlib import closing

from sift.errors import LoadError
from sift.formats.delimited import DelimitedReport, import_delimited
from sift.session import Session


def _load(data: bytes, name: str = "data.csv") -> tuple[DelimitedReport, list[tuple[object, ...]]]:
    with closing(sqlite3.connect(":memory:", isolation_level=None)) as conn:
        report = import_delimited(conn, "t", io.BytesIO(data), source=name)
        rows = conn.execute("SELECT * FROM t ORDER BY rowid").fetchall()
        declared = [row[2] for row in conn.execute("PRAGMA table_info(t)")]
    assert declared == report.types
    return report, rows


def test_types_are_inferred_and_stored() -> None:
    data = (
        b"id,price,paid,day,seen,zip\n"
        b"1,0.76339696051,true,2024-02-29,2024-02-29T10:00:00Z,02134\n"
        b"9223372036854775807,5488.1206502,FALSE,2023-12-31,2023-12-31 23:59,10001\n"
    )
    report, rows = _load(data)
    assert report.types == ["INTEGER", "REAL", "BOOLEAN", "DATE", "DATETIME", "TEXT"]
    assert rows == [
        (1, 0.76339696051, 1, "2024-02-29", "2024-02-29T10:00:00Z", "02134"),
        (2**63 - 1, 5488.1206502, 0, "2023-12-31", "2023-12-31 23:59", "10001"),
    ]


def test_a_type_disproved_late_keeps_the_text() -> None:
    data = b"n,x\n" + b"".join(b"%d,%d.50\n" % (i, i) for i in range(30_000)) + b"n/a,-\n"
    report, rows = _load(data)
    assert report.types == ["TEXT", "TEXT"]
    assert rows[0] == ("0", "0.50")
    assert rows[-1] == ("n/a", "-")


def test_unterminated_quote_is_an_error() -> None:
    caught: LoadError | None = None
    try:
        _load(b'a,b\n1,"never closed\n2,3\n')
    except LoadError as error:
        caught = error
    assert caught is not None
    assert caught.line == 2
    assert "unterminated quoted field starting at line 2" in caught.message


def test_encodings_and_nul() -> None:
    french = "nom;ville\nÉlodie;Orléans\nFrançois;Besançon\nGaëlle;Nîmes\n".encode("cp1252")
    report, rows = _load(french)
    assert report.encoding == "Windows-1252"
    assert rows[0] == ("Élodie", "Orléans")
    report, rows = _load("a\tb\r\nZoë\t1\r\n".encode("utf-16-le"))
    assert report.encoding == "UTF-16LE"
    assert rows == [("Zoë", 1)]
    report, rows = _load(b"a,b\nx\x00y,2\n")
    assert rows == [("xy", 2)]


def test_header_guess_and_decimal_commas() -> None:
    report, rows = _load(b"Ada;1,5\nAlan;2,25\n")
    assert report.header is False
    assert rows == [("Ada", 1.5), ("Alan", 2.25)]


def test_set_type_through_the_session() -> None:
    with Session() as session:
        conn = session.workspace.conn
        conn.execute("CREATE TABLE s (id INTEGER, amount TEXT, day TEXT)")
        rows = [(1, "12", "2023-02-30"), (2, "n/a", "2024-02-29")]
        conn.executemany("INSERT INTO s VALUES (?, ?, ?)", rows)
        reply = session.handle("set_type", {"table": "s", "column": "amount", "type": "REAL"})
        assert reply["ok"], reply
        assert reply["result"]["nulls_created"] == 1
        reply = session.handle("set_type", {"table": "s", "column": "day", "type": "DATE"})
        assert reply["result"]["nulls_created"] == 1
        assert session.workspace.column_types("s") == ["INTEGER", "REAL", "DATE"]
        assert session.page("s")["rows"] == [[1, 12.0, None], [2, None, "2024-02-29"]]


def test_the_fast_path_reads_what_the_csv_module_reads() -> None:
    # Past the first 200 rows the text is read in chunks (TextIOWrapper.read after its line
    # iteration), split with str.split and type-checked by one regular expression per batch;
    # a chunk with a quote (here spanning lines) or a lone CR goes back to the csv module.
    lines = [f"{i},{i / 4},2024-02-{i % 28 + 1:02d},x{i}" for i in range(3000)]
    lines[2500] = '2500,625.0,2024-02-29,"two\nlines, quoted"'
    data = ("id,amount,day,note\r\n" + "\r\n".join(lines) + "\r\n\r\n").encode()
    report, rows = _load(data)
    assert report.types == ["INTEGER", "REAL", "DATE", "TEXT"]
    assert report.rows == 3000
    assert report.warnings == []  # the blank line at the end is not reported
    assert rows[1] == (1, 0.25, "2024-02-02", "x1")
    assert rows[2500] == (2500, 625.0, "2024-02-29", "two\nlines, quoted")
    assert rows[2999] == (2999, 749.75, "2024-02-04", "x2999")
    late = data.replace(b"2024-02-04,x2999", b"2023-02-29,x2999")  # no such day: text
    report, rows = _load(late)
    assert report.types == ["INTEGER", "REAL", "TEXT", "TEXT"]
    assert rows[2999][2] == "2023-02-29"
