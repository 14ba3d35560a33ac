"""Tests for sift.formats.json_records: JSON and NDJSON import, the nesting guard, bad input."""

from __future__ import annotations

import io
import json
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from sift.errors import LoadError
from sift.formats import json_records, json_table
from sift.formats.base import ImportReport
from sift.formats.json_records import (
    MAX_DEPTH,
    import_json,
    import_ndjson,
    looks_like_json,
    nesting_depth,
)
from sift.workspace import rowid_alias

Importer = Callable[..., list[ImportReport]]


def allocator(taken: set[str] | None = None) -> Callable[[str], str]:
    """A stand-in for the caller's allocate(): "t", then "t_2", "t_3"..."""
    used = set() if taken is None else taken

    def allocate(hint: str) -> str:
        name, n = "t", 1
        while name in used:
            n += 1
            name = f"t_{n}"
        used.add(name)
        return name

    return allocate


def load(
    data: bytes, name: str = "data.json", importer: Importer = import_json
) -> tuple[ImportReport, list[tuple[Any, ...]], list[tuple[str, str]]]:
    """Import ``data``; return the report, the rows and (column, declared type) pairs."""
    with closing(sqlite3.connect(":memory:", isolation_level=None)) as conn:
        (report,) = importer(conn, allocator(), io.BytesIO(data), source=name)
        order = rowid_alias(report.columns)  # a column may be named ROWID (hypothesis found one)
        rows = conn.execute(f'SELECT * FROM "{report.table}" ORDER BY {order}').fetchall()
        info = conn.execute(f'PRAGMA table_info("{report.table}")').fetchall()
        assert conn.execute("SELECT count(*) FROM sqlite_temp_master").fetchone() == (0,)
    return report, rows, [(column[1], column[2]) for column in info]


def ndjson(data: bytes, name: str = "data.ndjson") -> tuple[ImportReport, list[tuple[Any, ...]]]:
    report, rows, _ = load(data, name, import_ndjson)
    return report, rows


def load_error(data: bytes, name: str = "data.json", importer: Importer = import_json) -> LoadError:
    with closing(sqlite3.connect(":memory:", isolation_level=None)) as conn:
        with pytest.raises(LoadError) as caught:
            importer(conn, allocator(), io.BytesIO(data), source=name)
        assert conn.execute("SELECT count(*) FROM sqlite_master").fetchone() == (0,)
        assert conn.execute("SELECT count(*) FROM sqlite_temp_master").fetchone() == (0,)
        assert not conn.in_transaction
    return caught.value


def ndjson_error(data: bytes, name: str = "data.ndjson") -> LoadError:
    return load_error(data, name, import_ndjson)


@pytest.fixture
def conn() -> Iterator[sqlite3.Connection]:
    with closing(sqlite3.connect(":memory:", isolation_level=None)) as connection:
        yield connection


# Records and their types


def test_array_of_objects_gives_typed_columns() -> None:
    data = b'[{"id": 1, "name": "Ada", "score": 9.5, "ok": true, "note": null},\n'
    data += b' {"id": 2, "name": "Grace", "score": 7, "ok": false, "note": null}]'
    report, rows, types = load(data)
    assert report.to_dict() == {
        "table": "t",
        "rows": 2,
        "columns": ["id", "name", "score", "ok", "note"],
        "warnings": [],
        "encoding": "UTF-8",
        "delimiter": "",
    }
    assert types == [
        ("id", "INTEGER"),
        ("name", "TEXT"),
        ("score", "REAL"),
        ("ok", "BOOLEAN"),
        ("note", "TEXT"),
    ]
    assert rows == [(1, "Ada", 9.5, 1, None), (2, "Grace", 7.0, 0, None)]


def test_nested_objects_flatten_and_arrays_stay_json_text() -> None:
    data = b'[{"id": 1, "user": {"name": "Ada", "address": {"city": "London"}},'
    data += b' "tags": ["x", "y"], "items": [{"sku": "a1", "n": 2}], "after": 0}]'
    report, rows, types = load(data)
    assert report.columns == ["id", "user.name", "user.address.city", "tags", "items", "after"]
    assert rows == [(1, "Ada", "London", '["x","y"]', '[{"sku":"a1","n":2}]', 0)]
    assert dict(types)["tags"] == "TEXT"


def test_column_order_is_first_seen_and_missing_keys_are_null() -> None:
    data = b'[{"b": 1}, {"a": 2, "b": 3}, {"c": {"d": 4}}, {}]'
    report, rows, _ = load(data)
    assert report.columns == ["b", "a", "c.d"]
    assert rows == [(1, None, None), (3, 2, None), (None, None, 4), (None, None, None)]


def test_a_key_can_be_a_value_in_one_record_and_an_object_in_another() -> None:
    report, rows, _ = load(b'[{"a": 1}, {"a": {"b": 2}}, {"a": {}}]')
    assert report.columns == ["a", "a.b"]
    assert rows == [(1, None), (None, 2), (None, None)]


def test_mixed_types_become_text_rendered_as_json_writes_them() -> None:
    data = b'[{"v": 1}, {"v": 2.5}, {"v": true}, {"v": "x"}, {"v": [1, "a"]}, {"v": null},'
    data += b' {"v": 0.30000000000000004}, {"v": 1e300}, {"v": -0.0}]'
    report, rows, types = load(data)
    assert types == [("v", "TEXT")]
    assert [value for (value,) in rows] == [
        "1",
        "2.5",
        "true",
        "x",
        '[1,"a"]',
        None,
        "0.30000000000000004",
        "1e+300",
        "-0.0",
    ]
    assert report.warnings == [
        'Column "v" holds true/false, numbers, text and arrays, so it was stored as text.'
    ]


def test_integers_and_reals_together_are_real() -> None:
    _, rows, types = load(b'[{"x": 1}, {"x": 2.5}, {"x": -3}]')
    assert types == [("x", "REAL")]
    assert rows == [(1.0,), (2.5,), (-3.0,)]
    assert all(isinstance(value, float) for (value,) in rows)


def test_booleans_and_numbers_are_text_not_boolean() -> None:
    _, rows, types = load(b'[{"x": true}, {"x": 1}, {"x": false}]')
    assert types == [("x", "TEXT")]
    assert rows == [("true",), ("1",), ("false",)]


def test_strings_that_look_like_numbers_stay_text() -> None:
    _, rows, types = load(b'[{"zip": "007"}, {"zip": "12"}]')
    assert types == [("zip", "TEXT")]
    assert rows == [("007",), ("12",)]


def test_integers_beyond_64_bits_are_text_with_every_digit() -> None:
    big = 2**63
    data = f'[{{"n": {big - 1}, "m": {-(2**63)}}}, {{"n": {big}, "m": 1}}]'.encode()
    report, rows, types = load(data)
    assert types == [("n", "TEXT"), ("m", "INTEGER")]
    assert rows == [(str(big - 1), -(2**63)), (str(big), 1)]
    assert report.warnings == [
        'Column "n" holds whole numbers too large for SQLite\'s 64-bit integers;'
        " they were stored as text, every digit kept."
    ]


def test_a_5000_digit_integer_is_kept_as_text() -> None:
    digits = "9" * 5000
    report, rows, types = load(f'[{{"n": {digits}}}, {{"n": -{digits}}}]'.encode())
    assert types == [("n", "TEXT")]
    assert rows == [(digits,), ("-" + digits,)]
    assert report.rows == 2


def test_nan_is_null_and_infinity_is_a_real_infinity() -> None:
    report, rows, types = load(b'[{"x": NaN}, {"x": Infinity}, {"x": -Infinity}, {"x": 1.5}]')
    assert types == [("x", "REAL")]
    assert rows == [(None,), (float("inf"),), (float("-inf"),), (1.5,)]
    assert report.warnings == [
        "1 NaN value in data.json was stored as empty (NULL).",
        "2 values in data.json were Infinity or -Infinity, kept as infinite numbers.",
    ]


def test_infinity_in_a_text_column_is_written_as_json_writes_it() -> None:
    _, rows, _ = load(b'[{"x": Infinity}, {"x": "a"}]')
    assert rows == [("Infinity",), ("a",)]


def test_columns_with_only_nulls_are_text() -> None:
    _, rows, types = load(b'[{"x": null, "y": 1}]')
    assert types == [("x", "TEXT"), ("y", "INTEGER")]
    assert rows == [(None, 1)]


def test_duplicate_keys_keep_the_last_value_with_a_warning() -> None:
    report, rows, _ = load(b'[{"a": 1, "b": 2, "a": 3}, {"a": 4, "a": 5}]')
    assert rows == [(3, 2), (5, None)]
    assert report.warnings == [
        '2 objects in data.json repeat a key (the first: "a"); the last value of a repeated'
        " key was kept."
    ]


def test_keys_that_clash_or_are_empty_are_renamed() -> None:
    report, rows, _ = load(b'[{"a": 1, "A": 2, "": 3, " a ": 4, "x.y": 5, "x": {"y": 6}}]')
    assert report.columns == ["a", "A_2", "column_3", "a_3", "x.y", "x.y_2"]
    assert rows == [(1, 2, 3, 4, 5, 6)]
    assert report.warnings == [
        "Renamed 4 columns with an empty or repeated name: A_2, column_3, a_3, x.y_2."
    ]


@pytest.mark.parametrize(
    "key", ['x"); DROP TABLE t; --', "rowid", "select", "nul\x00key", "<img src=x onerror=1>"]
)
def test_hostile_keys_work(key: str) -> None:
    report, rows, _ = load(json.dumps([{key: 1, "other": 2}]).encode())
    assert len(report.columns) == 2
    assert rows == [(1, 2)]


def test_lone_surrogate_escapes_are_replaced() -> None:
    report, rows, _ = load(b'[{"s": "ok"}, {"s": "a\\ud800b", "\\udfff": 1}]')
    assert report.columns == ["s", "\ufffd"]
    assert rows == [("ok", None), ("a\ufffdb", 1)]
    assert report.warnings == [
        "1 text value held invalid \\u escapes (lone surrogates); they were replaced with \ufffd."
    ]


def test_a_pair_of_surrogate_escapes_is_one_character() -> None:
    _, rows, _ = load(b'[{"s": "\\ud83d\\ude00"}]')
    assert rows == [("\U0001f600",)]


def test_more_keys_than_sqlite_columns_is_refused() -> None:
    record = {f"k{i}": i for i in range(2001)}
    error = load_error(json.dumps([record]).encode())
    assert error.message == (
        "data.json has more than 2,000 different fields; this version of SQLite allows at"
        " most 2,000 columns."
    )


def test_2000_keys_are_accepted() -> None:
    record = {f"k{i}": i for i in range(2000)}
    report, rows, _ = load(json.dumps([record, record]).encode())
    assert len(report.columns) == 2000
    assert rows[1][1999] == 1999


def test_a_value_longer_than_the_sqlite_limit_names_the_record(conn: sqlite3.Connection) -> None:
    conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, 1000)
    records = [{"s": "x"}] * 7 + [{"s": "y" * 2000}]
    with pytest.raises(LoadError) as caught:
        import_json(conn, allocator(), io.BytesIO(json.dumps(records).encode()), source="a.json")
    assert caught.value.message == (
        "a.json: record 8 holds a value longer than this SQLite allows (1,000 bytes)."
    )
    assert conn.execute("SELECT count(*) FROM sqlite_master").fetchone() == (0,)


# Where the records are


def test_object_holding_one_array_of_records() -> None:
    report, rows, _ = load(b'{"meta": {"count": 2}, "data": [{"a": 1}, {"a": 2}]}')
    assert rows == [(1,), (2,)]
    assert report.warnings == []


def test_records_nested_inside_objects_are_found() -> None:
    _, rows, _ = load(b'{"response": {"status": "ok", "results": {"items": [{"a": 1}]}}}')
    assert rows == [(1,)]


def test_several_arrays_of_records_pick_the_largest_with_a_warning() -> None:
    data = b'{"included": [{"b": 1}], "data": [{"a": 1}, {"a": 2}], "x": {"errors": [{"e": 1}]}}'
    report, rows, _ = load(data)
    assert rows == [(1,), (2,)]
    assert report.warnings == [
        'data.json holds 3 arrays of records; Sift loaded the largest, "data" (2 records),'
        ' and left out "included" (1), "x.errors" (1).'
    ]


def test_array_of_scalars_becomes_a_value_column() -> None:
    report, rows, types = load(b"[3, 1, 2]")
    assert types == [("value", "INTEGER")]
    assert rows == [(3,), (1,), (2,)]
    assert report.warnings == [
        "data.json is an array of values, not of objects: each value became a row of one"
        ' column named "value".'
    ]


def test_array_of_arrays_becomes_a_value_column_of_json_text() -> None:
    _, rows, _ = load(b'[["a", 1], ["b", 2]]')
    assert rows == [('["a",1]',), ('["b",2]',)]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"42", "data.json holds a single JSON value (a number), not records."),
        (b'"text"', "data.json holds a single JSON value (a string), not records."),
        (b"null", "data.json holds a single JSON value (null), not records."),
        (b"true", "data.json holds a single JSON value (a boolean), not records."),
        (b"[]", "data.json holds an empty array: there are no records to load."),
        (b"{}", "data.json holds an empty JSON object."),
        (
            b'{"name": "Ada", "tags": ["a"], "n": 1, "d": 2, "e": 3, "f": 4}',
            'data.json holds a JSON object with no array of records in it (its keys: "name",'
            ' "tags", "n", "d", "e", ...).',
        ),
        (
            b'{"data": [], "meta": {}}',
            'data.json: the array "data" is empty, so there are no records to load.',
        ),
        (b'[{"a": 1}, 2]', "data.json: item 2 of the array is a number, but item 1 is an object."),
        (b'[null, {"a": 1}]', "data.json: item 1 of the array is null, but item 2 is an object."),
        (b"[{}, {}]", "data.json: the records have no fields (every object is empty)."),
    ],
)
def test_json_that_is_not_records(data: bytes, message: str) -> None:
    error = load_error(data)
    assert error.message == message
    assert error.source == "data.json"
    assert error.hint


def test_not_records_hint_shows_the_expected_shape() -> None:
    assert load_error(b"42").hint == (
        'Sift expects an array of objects, such as [{"name": "Ada"}, {"name": "Grace"}],'
        ' or an object that holds one, such as {"data": [...]}.'
    )


# Malformed, empty and binary files


def test_syntax_error_names_line_and_column() -> None:
    error = load_error(b'[\n  {"a": 1},\n  {"a": 2 "b": 3}\n]')
    assert (
        error.message
        == "data.json is not valid JSON: Expecting ',' delimiter at line 3, column 11."
    )
    assert (error.line, error.column) == (3, 11)
    assert error.hint == (
        "Check the JSON near that place: a missing comma, quote or bracket is usual."
    )


def test_truncated_file_says_it_ends_too_soon() -> None:
    error = load_error(b'[{"a": 1},\n {"a": \n\n')
    assert error.message == (
        "data.json is not valid JSON: it ends at line 2, column 7, before the JSON is complete."
    )
    assert (error.line, error.column) == (2, 7)
    assert error.hint == (
        "The file may be cut short, as by an interrupted download. Get a complete copy and"
        " open it again."
    )


def test_unterminated_string_names_where_it_starts() -> None:
    error = load_error(b'[{"a": "no end}]')
    assert error.message == (
        "data.json is not valid JSON: Unterminated string starting at line 1, column 8."
    )


def test_csv_named_json_gets_a_hint_about_the_extension() -> None:
    error = load_error(b"a,b\n1,2\n")
    assert error.message == "data.json is not valid JSON: Expecting value at line 1, column 1."
    assert error.hint == (
        "The file does not start with JSON. If it holds CSV or other text, give it the"
        " matching extension (such as .csv) and open it again."
    )


def test_several_documents_that_are_not_one_per_line() -> None:
    error = load_error(b'{\n "a": 1\n}\n{\n "a": 2\n}\n')
    assert error.message == "data.json is not valid JSON: Extra data at line 4, column 1."
    assert "one object per line (NDJSON" in error.hint


def test_json_file_holding_one_object_per_line_is_read_as_ndjson() -> None:
    report, rows, _ = load(b'{"a": 1}\n{"a": 2}\n\n{"b": true}\n')
    assert rows == [(1, None), (2, None), (None, 1)]
    assert report.warnings[0] == (
        "data.json holds one JSON object per line (NDJSON), so it was read line by line."
    )


def test_json_file_of_lines_with_a_bad_line_reports_that_line() -> None:
    error = load_error(b'{"a": 1}\n{"a": 2}\n{"a": \n')
    assert error.message == "data.json: line 3 is not valid JSON: Expecting value at column 7."
    assert error.line == 3


@pytest.mark.parametrize(
    "data", [b"", b"   \n\t\r\n", b"\xef\xbb\xbf", b"\xff\xfe", b"\xef\xbb\xbf \n"]
)
def test_empty_files_are_refused(data: bytes) -> None:
    error = load_error(data)
    assert error.message == "data.json is empty."
    assert error.hint == 'Choose a file that contains JSON records, such as [{"name": "Ada"}].'


@pytest.mark.parametrize("importer", [import_json, import_ndjson])
def test_binary_files_are_refused_by_name(importer: Importer) -> None:
    error = load_error(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "photo.json", importer)
    assert error.message == "photo.json is not a JSON file: it looks like a PNG image."


def test_big_json_is_refused_before_reading_it_all(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(json_records, "MAX_JSON_BYTES", 3 * 1024 * 1024)
    stream = CountingStream(b"[" + b'{"a": 1},' * 1_000_000 + b'{"a": 1}]')
    with closing(sqlite3.connect(":memory:")) as conn, pytest.raises(LoadError) as caught:
        import_json(conn, allocator(), stream, source="huge.json")
    assert caught.value.message == (
        "huge.json is larger than 3 MB; Sift reads a JSON file whole and refuses files this"
        " big to protect the browser tab."
    )
    assert caught.value.hint == (
        "Save the records as NDJSON (one JSON object per line, .ndjson or .jsonl): Sift reads"
        " those line by line, whatever their size."
    )
    assert sum(stream.sizes) <= 5 * 1024 * 1024  # it stopped reading at the budget


# Encodings


def test_utf8_bom_is_skipped() -> None:
    report, rows, _ = load(b'\xef\xbb\xbf[{"name": "Zo\xc3\xab"}]')
    assert report.columns == ["name"]
    assert rows == [("Zoë",)]


@pytest.mark.parametrize(
    ("codec", "label"),
    [("utf-16", "UTF-16"), ("utf-16-be", "UTF-16"), ("utf-32", "UTF-32")],
)
@pytest.mark.parametrize("importer", [import_json, import_ndjson])
def test_utf16_and_utf32_with_bom(codec: str, label: str, importer: Importer) -> None:
    text = '{"name": "Zoë", "n": 1}\n{"name": "Łódź", "n": 2}\n'
    if importer is import_json:
        text = "[" + text.replace("}\n{", "},{") + "]"
    data = text.encode(codec)
    if codec == "utf-16-be":
        data = b"\xfe\xff" + data
    report, rows, _ = load(data, importer=importer)
    assert report.encoding == label
    assert rows == [("Zoë", 1), ("Łódź", 2)]


def test_invalid_utf8_is_replaced_and_counted() -> None:
    report, rows, _ = load(b'[{"a": "ok"},\n{"a": "caf\xe9"},\n{"a": "\xff\xfe"}]')
    assert rows == [("ok",), ("caf\ufffd",), ("\ufffd\ufffd",)]
    assert report.warnings == [
        "Some bytes in data.json are not valid UTF-8: 3 bytes replaced with \ufffd, the first"
        " on line 2."
    ]


# Nesting guard (RELIABILITY A7): refused by a scan before json.loads runs


DEEP = "JSON nested deeper than 1,000 levels; Sift refuses it to protect the browser tab."


@pytest.mark.parametrize(
    "data",
    [b"[" * 3000, b"[" * 100_000, b'{"a":' * 5000, b"[" * 3000 + b"]" * 3000, b'[{"a":' * 600],
    ids=["brackets-3000", "brackets-100000", "objects-5000", "closed-3000", "mixed-1200"],
)
def test_deep_json_is_refused_before_parsing(data: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    def never(*args: object, **kwargs: object) -> None:
        raise AssertionError("the parser must not run")

    monkeypatch.setattr(json_records._Parser, "loads", never)
    error = load_error(data)
    assert error.message == "data.json: " + DEEP
    assert error.hint == "Reduce the nesting (or export the data as CSV), then open the file again."


def test_deep_ndjson_line_is_refused_with_its_line_number() -> None:
    error = ndjson_error(b'{"a": 1}\n\n' + b'{"a":' * 5000 + b"\n")
    assert error.message == "data.ndjson: line 3 holds " + DEEP
    assert error.line == 3


def test_deep_utf16_json_is_refused() -> None:
    assert load_error(("[" * 3000).encode("utf-16")).message == "data.json: " + DEEP


def test_brackets_inside_strings_do_not_count() -> None:
    text = "[" * 5000 + '\\"' + "{" * 5000 + "\\\\"
    _, rows, _ = load(json.dumps([{"s": text}]).encode())
    assert rows == [(text,)]


def test_nesting_close_to_the_limit_loads_or_is_refused_cleanly() -> None:
    # The scan allows 1,000 levels; CPython 3.11 stops json.loads a little earlier at its
    # recursion limit, which is reported the same way. Pyodide loads it (tests/pyodide).
    data = b'[{"a": ' + b"[" * 998 + b"]" * 998 + b"}]"
    outcome: object
    try:
        outcome = load(data)[1]
    except LoadError as error:
        outcome = error.message
    assert outcome in ([("[" * 998 + "]" * 998,)], "data.json: " + DEEP)


@pytest.mark.parametrize(
    ("data", "depth"),
    [
        (b"", 0),
        (b'{"a": 1}', 1),
        (b"[" * 1000 + b"]" * 1000, 1000),
        (b"[]" * 5000, 1),
        (b'["' + b"[" * 2000 + b'"]', 1),
        (b'["\\"' + b"[" * 2000 + b'"]', 1),
        (b'[{"k": "}}}", "v": [[{}]]}]', 5),
        (b"[" * 500 + b"{" * 400, 900),
    ],
)
def test_nesting_depth(data: bytes, depth: int) -> None:
    assert nesting_depth(data) == depth


@pytest.mark.parametrize(
    "data", [b"[" * 1001, b'["\\\\"' + b"[" * 2000 + b"]" * 2000 + b"]", b"[" * 500 + b"{" * 501]
)
def test_nesting_depth_beyond_the_limit(data: bytes) -> None:
    assert nesting_depth(data) > MAX_DEPTH


def _reference_depth(data: bytes) -> int:
    """Byte by byte, as a parser sees it, up to the first byte a parser would stop at."""
    depth = peak = 0
    inside = escaped = False
    for char in data.decode("latin-1"):
        if inside:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                inside = False
        elif char == '"':
            inside = True
        elif char in "[{":
            depth += 1
            peak = max(peak, depth)
        elif char in "]}":
            depth -= 1
        elif char == "\\":
            break  # invalid outside a string: a parser stops here
    return peak


@settings(database=None, max_examples=500, deadline=None)
@given(
    st.lists(st.sampled_from(['"', "[", "]", "{", "}", "\\", "a", " ", "[["]), max_size=80),
    st.integers(min_value=0, max_value=8),
    st.integers(min_value=1, max_value=12),
)
def test_depth_scan_never_misses_what_a_parser_would_reach(
    pieces: list[str], limit: int, chunk: int
) -> None:
    data = "".join(pieces).encode()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(json_records, "_SCAN_CHUNK", chunk)  # chunk edges inside escapes too
        if _reference_depth(data) > limit:
            assert nesting_depth(data, limit) > limit


@settings(database=None, max_examples=200, deadline=None)
@given(
    st.recursive(
        st.text(alphabet='[]{}"\\ab', max_size=6) | st.integers(),
        lambda inner: (
            st.lists(inner, max_size=3)
            | st.dictionaries(st.text(alphabet='[]{}"\\', max_size=3), inner, max_size=3)
        ),
        max_leaves=30,
    ),
    st.integers(min_value=1, max_value=12),
)
def test_depth_scan_is_exact_on_valid_json(document: object, chunk: int) -> None:
    data = json.dumps(document).encode()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(json_records, "_SCAN_CHUNK", chunk)
        assert nesting_depth(data) == _reference_depth(data)


def test_a_backslash_run_across_the_whole_file_is_scanned_quickly() -> None:
    assert nesting_depth(b"[" * 1001 + b"\\" * 5_000_000) > MAX_DEPTH


def test_objects_nested_to_the_limit_load_or_are_refused_cleanly() -> None:
    data = b'[{"k": 1, "k": 2, "d": ' + b'{"a": ' * 998 + b"1" + b"}" * 998 + b"}]"
    outcome: object
    try:
        report, rows, _ = load(data)
        outcome = (report.columns[-1], rows, report.warnings[0][:30])
    except LoadError as error:
        outcome = error.message
    column = "d." + ".".join(["a"] * 998)
    expected = (column, [(2, 1)], "1 object in data.json repeats")
    assert outcome in (expected, "data.json: " + DEEP)  # CPython 3.11: its recursion limit


# NDJSON


def test_ndjson_lines_become_rows_and_blank_lines_are_skipped() -> None:
    data = b'{"a": 1, "b": {"c": "x"}}\r\n\r\n   \n{"a": 2, "d": [1]}\n{"a": 3}'
    report, rows = ndjson(data, "events.jsonl")
    assert report.columns == ["a", "b.c", "d"]
    assert rows == [(1, "x", None), (2, None, "[1]"), (3, None, None)]
    assert report.rows == 3
    assert report.warnings == []


def test_ndjson_types_can_change_as_lines_stream(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(json_table, "DEFAULT_CHUNK_ROWS", 2)
    lines = [b'{"n": 1, "f": true}'] * 5 + [b'{"n": "late text", "f": false, "new": 1.5}']
    report, rows, types = load(b"\n".join(lines), "x.ndjson", import_ndjson)
    assert types == [("n", "TEXT"), ("f", "BOOLEAN"), ("new", "REAL")]
    assert rows[0] == ("1", 1, None)
    assert rows[-1] == ("late text", 0, 1.5)
    assert report.warnings == ['Column "n" holds numbers and text, so it was stored as text.']


def test_malformed_ndjson_line_names_line_and_column_and_keeps_nothing() -> None:
    lines = [b'{"a": %d}' % i for i in range(20_000)]
    lines[12_345] = b'{"a": 1 "b": 2}'
    error = ndjson_error(b"\n".join(lines))
    assert error.message == (
        "data.ndjson: line 12,346 is not valid JSON: Expecting ',' delimiter at column 9."
    )
    assert (error.line, error.column) == (12_346, 9)
    assert error.hint == "Every line must be one complete JSON object. Fix or remove that line."


def test_truncated_last_ndjson_line_is_an_error() -> None:
    error = ndjson_error(b'{"a": 1}\n{"a": 2}\n{"a": 3, "b": "unfinish')
    assert error.message == (
        "data.ndjson: line 3 is not valid JSON: Unterminated string starting at column 15."
    )


@pytest.mark.parametrize(
    ("line", "kind"),
    [(b"[1, 2]", "an array"), (b"42", "a number"), (b'"x"', "a string"), (b"null", "null")],
)
def test_ndjson_line_that_is_not_an_object(line: bytes, kind: str) -> None:
    error = ndjson_error(b'{"a": 1}\n' + line + b"\n")
    assert error.message == f"data.ndjson: line 2 is {kind}, not an object."
    assert error.line == 2
    assert error.hint == (
        'Sift expects one JSON object per line (NDJSON), such as {"name": "Ada", "age": 36}.'
    )


def test_a_json_array_in_an_ndjson_file_suggests_the_json_extension() -> None:
    pretty = ndjson_error(b'[\n  {"a": 1}\n]\n')
    assert pretty.message == "data.ndjson: line 1 is not valid JSON: Expecting value at column 2."
    assert ".json" in pretty.hint
    one_line = ndjson_error(b'[{"a": 1}, {"a": 2}]\n')
    assert one_line.message == "data.ndjson: line 1 is an array, not an object."
    assert one_line.hint.endswith(
        "If the file holds one JSON array of records, name it .json and open it again."
    )


def test_ndjson_duplicate_keys_name_the_first_line() -> None:
    report, rows = ndjson(b'{"a": 1}\n{"a": 2, "a": 3}\n')
    assert rows == [(1,), (3,)]
    assert report.warnings == [
        '1 object in data.ndjson repeats a key (the first: "a", on line 2); the last value of'
        " a repeated key was kept."
    ]


def test_ndjson_invalid_utf8_is_counted_with_its_first_line() -> None:
    report, rows = ndjson(b'{"a": "x"}\n{"a": "caf\xe9"}\n{"a": "\xff"}\n')
    assert rows == [("x",), ("caf\ufffd",), ("\ufffd",)]
    assert report.warnings == [
        "Some bytes in data.ndjson are not valid UTF-8: 2 bytes replaced with \ufffd, the first"
        " on line 2."
    ]


def test_ndjson_with_only_blank_lines_is_empty() -> None:
    assert ndjson_error(b"\n\n  \n").message == "data.ndjson is empty."
    assert ndjson_error(b"\xef\xbb\xbf\n").message == "data.ndjson is empty."


def test_ndjson_with_a_huge_integer_and_duplicate_on_the_same_line() -> None:
    digits = "1" * 5000
    report, rows = ndjson(f'{{"n": {digits}, "k": 1, "k": 2}}\n'.encode())
    assert rows == [(digits, 2)]
    assert report.warnings[0].startswith("1 object in data.ndjson repeats a key")


class CountingStream:
    """A non-seekable binary stream that records the size of every read."""

    def __init__(self, data: bytes) -> None:
        self._inner = io.BytesIO(data)
        self.sizes: list[int] = []

    def read(self, size: int = -1, /) -> bytes:
        self.sizes.append(size)
        return self._inner.read(size)


def test_ndjson_streams_in_bounded_reads(conn: sqlite3.Connection) -> None:
    data = b"".join(b'{"id": %d, "text": "some text here"}\n' % i for i in range(100_000))
    stream = CountingStream(data)
    calls: list[tuple[int, int]] = []
    (report,) = import_ndjson(
        conn, allocator(), stream, source="big.ndjson", progress=lambda r, b: calls.append((r, b))
    )
    assert report.rows == 100_000
    assert all(0 < size <= 1024 * 1024 for size in stream.sizes)
    assert [rows for rows, _ in calls] == [*range(5000, 100_001, 5000), 100_000]
    assert calls[0][1] < len(data) // 2  # bytes are reported as they are read
    assert calls[-1][1] == len(data)


# Transactions, progress and cancel


class Cancelled(Exception):
    pass


@pytest.mark.parametrize(
    ("importer", "data"),
    [
        (import_json, json.dumps([{"a": i} for i in range(12_000)]).encode()),
        (import_ndjson, b"".join(b'{"a": %d}\n' % i for i in range(12_000))),
    ],
)
def test_cancel_from_progress_leaves_no_table_and_keeps_other_data(
    importer: Importer, data: bytes
) -> None:
    calls = []

    def cancel(rows: int, bytes_read: int) -> None:
        calls.append(rows)
        if rows >= 10_000:
            raise Cancelled

    with closing(sqlite3.connect(":memory:")) as conn:  # default (legacy) transactions
        conn.execute("CREATE TABLE keep (x)")
        conn.execute("INSERT INTO keep VALUES (1)")
        conn.commit()
        with pytest.raises(Cancelled):
            importer(conn, allocator({"keep"}), io.BytesIO(data), source="x", progress=cancel)
        assert [name for (name,) in conn.execute("SELECT name FROM sqlite_master")] == ["keep"]
        assert conn.execute("SELECT x FROM keep").fetchall() == [(1,)]
        assert conn.execute("SELECT count(*) FROM sqlite_temp_master").fetchone() == (0,)
        assert calls[-1] == 10_000
        # the connection is usable afterwards, and a second import works
        (report,) = importer(conn, allocator({"keep"}), io.BytesIO(data), source="x")
        assert report.rows == 12_000


def test_json_progress_reports_reading_then_rows(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(json_table, "DEFAULT_CHUNK_ROWS", 10)
    data = json.dumps([{"a": i} for i in range(25)]).encode()
    calls: list[tuple[int, int]] = []
    with closing(sqlite3.connect(":memory:")) as conn:
        import_json(
            conn,
            allocator(),
            io.BytesIO(data),
            source="x.json",
            progress=lambda *c: calls.append(c),
        )
    assert calls == [(0, len(data)), (10, len(data)), (20, len(data)), (25, len(data))]


def test_import_inside_an_open_transaction(conn: sqlite3.Connection) -> None:
    conn.execute("BEGIN")
    import_json(conn, allocator(), io.BytesIO(b'[{"a": 1}]'), source="x.json")
    import_ndjson(conn, allocator({"t"}), io.BytesIO(b'{"a": 1}'), source="y.ndjson")
    assert conn.in_transaction
    conn.execute("ROLLBACK")
    assert conn.execute("SELECT count(*) FROM sqlite_master").fetchone() == (0,)


def test_allocate_gets_the_source_name_and_earlier_tables_stay(conn: sqlite3.Connection) -> None:
    hints: list[str] = []

    def allocate(hint: str) -> str:
        hints.append(hint)
        return f"table_{len(hints)}"

    import_json(conn, allocate, io.BytesIO(b'[{"a": 1}]'), source="one.json")
    with pytest.raises(LoadError):
        import_ndjson(conn, allocate, io.BytesIO(b'{"a": 1}\n{"a": \n'), source="two.ndjson")
    (report,) = import_ndjson(conn, allocate, io.BytesIO(b'{"b": 2}\n'), source="three.ndjson")
    assert hints == ["one.json", "three.ndjson"]
    assert report.table == "table_2"
    names = [name for (name,) in conn.execute("SELECT name FROM sqlite_master ORDER BY name")]
    assert names == ["table_1", "table_2"]


class FailingStream:
    def __init__(self, data: bytes, fail_after: int) -> None:
        self._inner = io.BytesIO(data)
        self._fail_after = fail_after

    def read(self, size: int = -1, /) -> bytes:
        if self._inner.tell() >= self._fail_after:
            raise OSError(5, "Input/output error")
        return self._inner.read(size)


@pytest.mark.parametrize("importer", [import_json, import_ndjson])
def test_read_error_midway_leaves_no_table(conn: sqlite3.Connection, importer: Importer) -> None:
    data = b"".join(b'{"a": %d}\n' % i for i in range(300_000))
    with pytest.raises(LoadError) as caught:
        importer(conn, allocator(), FailingStream(data, 1_500_000), source="big.ndjson")
    assert caught.value.message == "Could not read big.ndjson: Input/output error."
    assert conn.execute("SELECT count(*) FROM sqlite_master").fetchone() == (0,)
    assert not conn.in_transaction


# Sniffing pasted text


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (b'[{"a": 1}]', True),
        (b'  \n\t{"a": 1}', True),
        (b"\xef\xbb\xbf[1, 2]", True),
        (b"{}", True),
        (b"[]", True),
        (b"[", True),
        (b'[\n  "x"', True),
        (b"[-1.5]", True),
        (b"[true, null]", True),
        ('[{"a": 1}]'.encode("utf-16"), True),
        ('{"a": 1}'.encode("utf-32"), True),
        (b"[id],name\n1,x", False),
        (b"{name}", False),
        (b"a,b\n1,2", False),
        (b"", False),
        (b"   ", False),
        (b"name\tage", False),
        (b'"quoted","csv"', False),
    ],
)
def test_looks_like_json(head: bytes, expected: bool) -> None:
    assert looks_like_json(head) is expected


# Round trip


_KEY = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=6)
_COLUMN_VALUES: dict[str, st.SearchStrategy[Any]] = {
    "integer": st.integers(min_value=-(2**63), max_value=2**63 - 1),
    "real": st.floats(allow_nan=False, allow_infinity=False),
    "boolean": st.booleans(),
    "text": st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=10),
}


@st.composite
def _tables(draw: st.DrawFn) -> tuple[list[str], list[str], list[dict[str, Any]]]:
    """Columns with distinct names (case-insensitively, as SQLite compares them), a type
    each, and records holding some of them."""
    keys = draw(
        st.lists(
            _KEY.filter(lambda k: k.strip() == k and k and "\x00" not in k),
            min_size=1,
            max_size=5,
            unique_by=str.lower,
        )
    )
    kinds = [draw(st.sampled_from(sorted(_COLUMN_VALUES))) for _ in keys]
    records = []
    for _ in range(draw(st.integers(min_value=1, max_value=8))):
        present = draw(st.lists(st.booleans(), min_size=len(keys), max_size=len(keys)))
        record = {
            key: draw(st.none() | _COLUMN_VALUES[kind])
            for key, kind, here in zip(keys, kinds, present, strict=True)
            if here
        }
        records.append(record)
    return keys, kinds, records


@settings(database=None, max_examples=200, deadline=None)
@given(_tables(), st.sampled_from(["json", "ndjson"]))
def test_round_trip_of_flat_records(
    table: tuple[list[str], list[str], list[dict[str, Any]]], form: str
) -> None:
    keys, kinds, records = table
    assume(any(records))  # all-empty objects have no fields: tested on their own
    if form == "json":
        report, rows, types = load(json.dumps(records).encode())
    else:
        lines = (json.dumps(record) for record in records)
        report, rows, types = load("\n".join(lines).encode(), "r.ndjson", import_ndjson)
    seen = [key for key in keys if any(key in record for record in records)]
    seen.sort(key=lambda k: next(i for i, r in enumerate(records) if k in r))
    assert report.columns == seen
    kind_of = dict(zip(keys, kinds, strict=True))
    for (name, declared), key in zip(types, seen, strict=True):
        has_values = any(record.get(key) is not None for record in records)
        assert declared == (kind_of[key].upper() if has_values else "TEXT"), name
    expected = [tuple(_stored(record.get(key)) for key in seen) for record in records]
    assert rows == expected


def _stored(value: Any) -> Any:
    if isinstance(value, bool):
        return int(value)
    return value


@settings(database=None, max_examples=300, deadline=None)
@given(st.binary(max_size=300), st.sampled_from(["json", "ndjson"]))
def test_any_bytes_load_or_raise_load_error(data: bytes, form: str) -> None:
    importer = import_json if form == "json" else import_ndjson
    with closing(sqlite3.connect(":memory:", isolation_level=None)) as conn:
        outcome: ImportReport | LoadError
        try:
            (outcome,) = importer(conn, allocator(), io.BytesIO(data), source="fuzz")
        except LoadError as error:
            outcome = error
        tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        if isinstance(outcome, LoadError):
            assert outcome.message.startswith("fuzz")
            assert tables == (0,)
        else:
            assert conn.execute("SELECT count(*) FROM t").fetchone() == (outcome.rows,)
        assert conn.execute("SELECT count(*) FROM sqlite_temp_master").fetchone() == (0,)
