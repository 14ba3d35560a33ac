"""Import JSON records and NDJSON (JSON Lines) as new SQLite tables, one table per file.

JSON is read whole (``json.loads`` needs all of it), up to MAX_JSON_BYTES; the records are an
array of objects, or the largest array of objects inside a top-level object. NDJSON streams
line by line, one object per line. Both hand the records to json_table, which flattens and
stages them, then creates the typed table (its docstring has the typing rules). Everything
happens inside one savepoint: an error, or an exception raised by ``progress`` (Cancel),
leaves no table behind.

Before any parsing, nesting deeper than MAX_DEPTH is refused (it kills the Pyodide runtime).
Imports: the standard library and sift modules.
"""

from __future__ import annotations

import codecs
import io
import json
import re
import sqlite3
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import accumulate
from typing import Any

from sift.errors import LoadError
from sift.formats.base import ByteStream, ImportReport, Progress
from sift.formats.json_table import SAVEPOINT, HugeInt, TableBuilder
from sift.formats.text_input import HEAD_SIZE, ChainedReader, read_head
from sift.messages import plural
from sift.savepoints import savepoint
from sift.sniff_bytes import describe_binary

__all__ = [
    "MAX_DEPTH",
    "MAX_JSON_BYTES",
    "import_json",
    "import_ndjson",
    "looks_like_json",
    "nesting_depth",
]

MAX_JSON_BYTES = 200 * 1024 * 1024  # a JSON file is parsed whole; NDJSON has no limit
READ_SIZE = 1024 * 1024
# Deep nesting kills the Pyodide runtime: json.loads recurses in C until the wasm stack
# overflows, a fatal error (RELIABILITY A7). Measured in a Chromium worker (Pyodide 314.0.7):
# arrays survive 2,000 levels, objects 1,500 and die by 1,850. Sift refuses more than 1,000.
MAX_DEPTH = 1000

RECORDS_HINT = (
    'Sift expects an array of objects, such as [{"name": "Ada"}, {"name": "Grace"}],'
    ' or an object that holds one, such as {"data": [...]}.'
)
_DEEP_HINT = "Reduce the nesting (or export the data as CSV), then open the file again."

# Each byte that is not UTF-8 becomes one of these under errors="surrogateescape".
_ESCAPED = re.compile("[\udc80-\udcff]")
# For the depth scan: every byte but quotes and brackets, and each one's step in depth.
_SCAN_CHUNK = 1024 * 1024
_BACKSLASH = ord("\\")
_BACKSLASHES = re.compile(rb"\\*")
_NOT_MARKS = bytes(byte for byte in range(256) if byte not in b'"[]{}')
_DEPTH_STEP = [1 if byte in b"[{" else -1 if byte in b"]}" else 0 for byte in range(256)]
_SPACES = re.compile(r"\s*")
# After optional space: "{" then a key or "}", or "[" then the start of a value.
_JSON_START = re.compile(
    rb'[ \t\r\n]*(?:\{[ \t\r\n]*(?:"|\}|\Z)|\[[ \t\r\n]*(?:[\[{"\]\-0-9]|true|false|null|\Z))'
)


@dataclass(frozen=True)
class _Encoding:
    codec: str
    label: str
    bom: bytes


_UTF8 = _Encoding("utf-8", "UTF-8", codecs.BOM_UTF8)
_BOM_ENCODINGS = (  # UTF-32 first: the UTF-32 LE BOM starts with the UTF-16 LE one
    _Encoding("utf-32", "UTF-32", codecs.BOM_UTF32_LE),
    _Encoding("utf-32", "UTF-32", codecs.BOM_UTF32_BE),
    _Encoding("utf-16", "UTF-16", codecs.BOM_UTF16_LE),
    _Encoding("utf-16", "UTF-16", codecs.BOM_UTF16_BE),
)


def looks_like_json(head: bytes) -> bool:
    """True when the first bytes (after any BOM and space) start a JSON object or array.

    For pasted text and URLs, which have no file name: ``{`` must be followed by a key or
    ``}``, ``[`` by the start of a value, so a CSV header such as ``[id],name`` is not JSON.
    """
    encoding = _encoding(head)
    if encoding is not _UTF8:
        decoder = codecs.getincrementaldecoder(encoding.codec)("replace")
        head = decoder.decode(head).encode("utf-8", "replace")
    return _JSON_START.match(head.removeprefix(codecs.BOM_UTF8)) is not None


def _too_deep_bytes(data: bytes) -> bool:
    """True when ``data`` nests more than MAX_DEPTH levels; cheap when it holds fewer
    brackets than that, as most NDJSON lines do."""
    if len(data) <= MAX_DEPTH or data.count(b"[") + data.count(b"{") <= MAX_DEPTH:
        return False
    return nesting_depth(data) > MAX_DEPTH


def nesting_depth(data: bytes, stop: int = MAX_DEPTH) -> int:
    """How many levels UTF-8 JSON ``data`` nests arrays and objects: exact up to ``stop``, and
    some number above ``stop`` as soon as the scan passes it.

    Runs before ``json.loads`` and never recurses; the work per megabyte is done by bytes
    methods in C (see _bracket_depths), so it costs a fraction of the parse it protects.
    """
    depth = 0
    for peak in _bracket_depths(data):
        if peak > stop:
            return peak
        depth = max(depth, peak)
    return depth


def _bracket_depths(data: bytes) -> Iterator[int]:
    """The deepest nesting reached in each chunk of ``data``, brackets in strings ignored.

    Per chunk: drop escaped backslashes and quotes; keep only quotes and brackets; drop each
    pair of adjacent quotes (a string without brackets, which changes no bracket's side);
    then the brackets between an odd and an even quote are inside strings. A running sum of
    the rest gives the depth. On invalid JSON the count is exact up to where the parser stops.
    """
    depth, inside, start = 0, False, 0
    while start < len(data):
        end = min(start + _SCAN_CHUNK, len(data))
        if data[end - 1] == _BACKSLASH:  # keep escapes whole: run past the backslashes
            run = _BACKSLASHES.match(data, end)
            end = min((run.end() if run else end) + 1, len(data))
        chunk, start = data[start:end], end
        if b"\\" in chunk:
            chunk = chunk.replace(b"\\\\", b"").replace(b'\\"', b"")
        marks = chunk.translate(None, _NOT_MARKS).replace(b'""', b"")
        if b'"' in marks:
            parts = marks.split(b'"')
            marks = b"".join(parts[1 if inside else 0 :: 2])
            inside ^= len(parts) % 2 == 0
        elif inside:
            continue
        yield max(accumulate(map(_DEPTH_STEP.__getitem__, marks), initial=depth))
        depth += marks.count(b"[") + marks.count(b"{") - marks.count(b"]") - marks.count(b"}")


def import_json(
    conn: sqlite3.Connection,
    allocate: Callable[[str], str],
    stream: ByteStream,
    *,
    source: str,
    progress: Progress | None = None,
) -> list[ImportReport]:
    """Create one table from the JSON records in ``stream`` (named ``source`` in messages).

    Raises LoadError for a file that is empty, binary, too big, too deeply nested, not valid
    JSON or not records; the table then does not exist. A ``.json`` file that holds one
    object per line is read as NDJSON.
    """
    with _read_errors(source):
        return [_import_json(conn, allocate, stream, source, progress)]


def import_ndjson(
    conn: sqlite3.Connection,
    allocate: Callable[[str], str],
    stream: ByteStream,
    *,
    source: str,
    progress: Progress | None = None,
) -> list[ImportReport]:
    """Create one table from NDJSON (one JSON object per line) read line by line from ``stream``.

    Blank lines are skipped. A line that is not valid JSON, or not an object, raises a
    LoadError naming it, and no table is created.
    """
    with _read_errors(source):
        return [_import_ndjson(conn, allocate, stream, source, progress)]


# JSON


def _import_json(
    conn: sqlite3.Connection,
    allocate: Callable[[str], str],
    stream: ByteStream,
    source: str,
    progress: Progress | None,
) -> ImportReport:
    data = _read_whole(stream, source, progress)
    size = len(data)
    warnings: list[str] = []
    text, encoding = _decode_document(data, source, warnings)
    parser = _Parser()
    try:
        document = parser.loads(text)
    except json.JSONDecodeError as exc:
        if not _is_ndjson(text, exc):
            raise _syntax_error(source, exc) from None
        del text
        return _json_as_ndjson(conn, allocate, data, source, progress)
    except RecursionError:
        raise _too_deep(source) from None
    del text, data  # free them before the rows are built
    found = _find_records(document, source)
    del document
    builder = TableBuilder(conn, source)
    with savepoint(conn, SAVEPOINT):
        builder.stage(found.records, progress, lambda: size)
        report = builder.finish(allocate)
    report.warnings[:0] = warnings + found.warnings + parser.warnings(source)
    report.encoding = encoding.label
    return report


def _decode_document(data: bytes, source: str, warnings: list[str]) -> tuple[str, _Encoding]:
    """The text of a whole JSON file and its encoding, once it is known not to be empty,
    binary or nested too deeply."""
    _check_head(data[:HEAD_SIZE], source)
    encoding = _encoding(data)
    if encoding is _UTF8:
        body = data.removeprefix(_UTF8.bom)
        if _too_deep_bytes(body):
            raise _too_deep(source)
        text = _decode_utf8(body, source, warnings)
    else:
        text = data.decode(encoding.codec, "replace")
        if _too_deep_bytes(text.encode("utf-8", "surrogatepass")):
            raise _too_deep(source)
    if _skip_spaces(text, 0) == len(text):
        raise _empty_error(source)
    return text, encoding


def _read_whole(stream: ByteStream, source: str, progress: Progress | None) -> bytes:
    """All of ``stream``, refusing more than MAX_JSON_BYTES before reading further."""
    parts: list[bytes] = []
    size = 0
    while chunk := stream.read(READ_SIZE):
        size += len(chunk)
        if size > MAX_JSON_BYTES:
            raise LoadError(
                f"{source} is larger than {MAX_JSON_BYTES // 2**20:,} MB; Sift reads a JSON file"
                " whole and refuses files this big to protect the browser tab.",
                hint="Save the records as NDJSON (one JSON object per line, .ndjson or .jsonl):"
                " Sift reads those line by line, whatever their size.",
                source=source,
            )
        parts.append(chunk)
        if progress is not None:
            progress(0, size)
    return b"".join(parts)


def _decode_utf8(body: bytes, source: str, warnings: list[str]) -> str:
    """Decode UTF-8; invalid bytes become U+FFFD and a warning says how many and where."""
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        first_line = body.count(b"\n", 0, exc.start) + 1
    text, invalid = _replace_invalid(body)
    warnings.append(_invalid_utf8_warning(source, invalid, first_line))
    return text


def _replace_invalid(data: bytes) -> tuple[str, int]:
    """Decode UTF-8 with every invalid byte replaced by U+FFFD, and count them."""
    escaped = data.decode("utf-8", "surrogateescape")  # each bad byte -> one lone surrogate
    return _ESCAPED.subn("\ufffd", escaped)


def _invalid_utf8_warning(source: str, invalid: int, first_line: int) -> str:
    return (
        f"Some bytes in {source} are not valid UTF-8: {plural(invalid, 'byte')} replaced"
        f" with \ufffd, the first on line {first_line:,}."
    )


def _is_ndjson(text: str, exc: json.JSONDecodeError) -> bool:
    """True when the document is an object on line 1 followed by more values: NDJSON."""
    if exc.msg != "Extra data":
        return False
    start = _skip_spaces(text, 0)
    newline = text.find("\n", start, exc.pos)
    return text.startswith("{", start) and newline >= 0 and _skip_spaces(text, newline) == exc.pos


def _skip_spaces(text: str, position: int) -> int:
    """The position of the first non-space character at or after ``position``."""
    match = _SPACES.match(text, position)
    return match.end() if match else position


def _json_as_ndjson(
    conn: sqlite3.Connection,
    allocate: Callable[[str], str],
    data: bytes,
    source: str,
    progress: Progress | None,
) -> ImportReport:
    report = _import_ndjson(conn, allocate, io.BytesIO(data), source, progress)
    report.warnings.insert(
        0, f"{source} holds one JSON object per line (NDJSON), so it was read line by line."
    )
    return report


@dataclass
class _Found:
    """The records found in a document, and notes for the user."""

    records: Iterable[dict[str, Any]]
    warnings: list[str] = field(default_factory=list)


def _find_records(document: Any, source: str) -> _Found:
    if isinstance(document, list):
        return _records_in_array(document, source)
    if isinstance(document, dict):
        return _records_in_object(document, source)
    raise LoadError(
        f"{source} holds a single JSON value ({describe_value(document)}), not records.",
        hint=RECORDS_HINT,
        source=source,
    )


def _records_in_array(items: list[Any], source: str) -> _Found:
    if not items:
        raise LoadError(
            f"{source} holds an empty array: there are no records to load.",
            hint="Choose a file with at least one record.",
            source=source,
        )
    objects = [isinstance(item, dict) for item in items]
    if all(objects):
        return _Found(_consume(items))
    if not any(objects):
        note = (
            f"{source} is an array of values, not of objects: each value became a row of one"
            ' column named "value".'
        )
        return _Found(({"value": item} for item in _consume(items)), warnings=[note])
    first_object = objects.index(True)
    odd = objects.index(False)
    raise LoadError(
        f"{source}: item {odd + 1:,} of the array is {describe_value(items[odd])},"
        f" but item {first_object + 1:,} is an object.",
        hint="Sift expects every item of the array to be an object (one record each)."
        " Fix or remove that item, then open the file again.",
        source=source,
    )


def _consume(items: list[Any]) -> Iterator[Any]:
    """Yield the items, dropping the list's reference to each: memory is freed as rows are
    staged instead of holding every parsed record until the end."""
    for index, item in enumerate(items):
        items[index] = None
        yield item


def _records_in_object(document: dict[str, Any], source: str) -> _Found:
    """The largest array of objects anywhere under ``document``, looking into nested objects
    breadth first (not into arrays), so the shallowest wins a tie."""
    arrays: list[tuple[str, list[Any]]] = []
    empty: list[str] = []
    queue: deque[tuple[str, dict[str, Any]]] = deque([("", document)])
    while queue:
        prefix, node = queue.popleft()
        for key, value in node.items():
            path = prefix + key
            if isinstance(value, dict):
                queue.append((path + ".", value))
            elif isinstance(value, list):
                if not value:
                    empty.append(path)
                elif all(isinstance(item, dict) for item in value):
                    arrays.append((path, value))
    if not arrays:
        raise _no_records(document, empty, source)
    path, records = max(arrays, key=lambda found: len(found[1]))
    warnings = []
    if len(arrays) > 1:
        others = ", ".join(f"{_quoted(p)} ({len(a):,})" for p, a in arrays if a is not records)
        warnings.append(
            f"{source} holds {len(arrays):,} arrays of records; Sift loaded the largest,"
            f" {_quoted(path)} ({plural(len(records), 'record')}), and left out {others}."
        )
    return _Found(_consume(records), warnings=warnings)


def _no_records(document: dict[str, Any], empty: list[str], source: str) -> LoadError:
    if empty:
        return LoadError(
            f"{source}: the array {_quoted(empty[0])} is empty, so there are no records to load.",
            hint="Choose a file with at least one record.",
            source=source,
        )
    keys = list(document)
    shown = ", ".join(_quoted(key) for key in keys[:5]) + (", ..." if len(keys) > 5 else "")
    found = f"a JSON object with no array of records in it (its keys: {shown})"
    return LoadError(
        f"{source} holds {found if keys else 'an empty JSON object'}.",
        hint=RECORDS_HINT,
        source=source,
    )


def describe_value(value: object) -> str:
    """What a JSON value is, for messages: "an object", "an array", "a string", "null"..."""
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, HugeInt | int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    return "null"


def _quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


# NDJSON


def _import_ndjson(
    conn: sqlite3.Connection,
    allocate: Callable[[str], str],
    stream: ByteStream,
    source: str,
    progress: Progress | None,
) -> ImportReport:
    head = read_head(stream, HEAD_SIZE)
    _check_head(head, source)
    encoding = _encoding(head)
    lines = _Lines(source)
    if encoding is _UTF8:
        bom = len(_UTF8.bom) if head.startswith(_UTF8.bom) else 0
        raw = ChainedReader(head[bom:], stream)
        raw.bytes_read += bom
        records = lines.from_utf8(io.BufferedReader(raw, READ_SIZE))
    else:
        raw = ChainedReader(head, stream)
        buffered = io.BufferedReader(raw, READ_SIZE)
        records = lines.from_text(io.TextIOWrapper(buffered, encoding.codec, "replace"))
    builder = TableBuilder(conn, source)
    with savepoint(conn, SAVEPOINT):
        builder.stage(records, progress, lambda: raw.bytes_read)
        if not builder.rows:
            raise _empty_error(source)
        report = builder.finish(allocate)
    report.warnings[:0] = lines.warnings()
    report.encoding = encoding.label
    return report


class _Lines:
    """Parses NDJSON lines into records, skipping blank lines, naming the line of any error."""

    def __init__(self, source: str) -> None:
        self._source = source
        self._parser = _Parser()
        self._invalid = 0
        self._first_invalid = 0

    def from_utf8(self, lines: Iterable[bytes]) -> Iterator[dict[str, Any]]:
        for number, line in enumerate(lines, 1):
            if _too_deep_bytes(line):
                raise _too_deep(self._source, number)
            try:
                text = line.decode("utf-8")
            except UnicodeDecodeError:
                text = self._replace_invalid(line, number)
            record = self._parse(text, number)
            if record is not None:
                yield record

    def from_text(self, lines: Iterable[str]) -> Iterator[dict[str, Any]]:
        for number, line in enumerate(lines, 1):
            if len(line) > MAX_DEPTH and _too_deep_bytes(line.encode("utf-8", "surrogatepass")):
                raise _too_deep(self._source, number)
            record = self._parse(line, number)
            if record is not None:
                yield record

    def _replace_invalid(self, line: bytes, number: int) -> str:
        text, invalid = _replace_invalid(line)
        self._first_invalid = self._first_invalid or number
        self._invalid += invalid
        return text

    def _parse(self, text: str, number: int) -> dict[str, Any] | None:
        """The object on one line, or None for a blank line."""
        self._parser.line = number
        try:
            value = self._parser.loads(text)
        except json.JSONDecodeError as exc:
            if not text.strip():  # cheaper to find blank lines here than to test every line
                return None
            raise _line_syntax_error(self._source, number, text, exc) from None
        except RecursionError:
            raise _too_deep(self._source, number) from None
        if type(value) is not dict:
            raise _line_not_object(self._source, number, value)
        return value

    def warnings(self) -> list[str]:
        warnings = []
        if self._invalid:
            warnings.append(_invalid_utf8_warning(self._source, self._invalid, self._first_invalid))
        return warnings + self._parser.warnings(self._source)


def _line_syntax_error(source: str, number: int, text: str, exc: json.JSONDecodeError) -> LoadError:
    if number == 1:
        hint = (
            "If the file holds one JSON document (such as an array of records) rather than"
            " one object per line, name it .json and open it again."
        )
    else:
        hint = "Every line must be one complete JSON object. Fix or remove that line."
    # json counts the line's own line break: an error past the end is at the end.
    column = min(exc.pos, len(text.rstrip("\r\n"))) + 1
    return LoadError(
        f"{source}: line {number:,} is not valid JSON: {_reason(exc)} at column {column:,}.",
        hint=hint,
        source=source,
        line=number,
        column=column,
    )


def _reason(exc: json.JSONDecodeError) -> str:
    """The parser's message without a dangling "at": "Unterminated string starting at"."""
    return exc.msg.removesuffix(" at")


def _line_not_object(source: str, number: int, value: object) -> LoadError:
    hint = 'Sift expects one JSON object per line (NDJSON), such as {"name": "Ada", "age": 36}.'
    if number == 1 and isinstance(value, list):
        hint += " If the file holds one JSON array of records, name it .json and open it again."
    return LoadError(
        f"{source}: line {number:,} is {describe_value(value)}, not an object.",
        hint=hint,
        source=source,
        line=number,
    )


# Shared by both formats


@contextmanager
def _read_errors(source: str) -> Iterator[None]:
    try:
        yield
    except OSError as exc:
        raise LoadError(
            f"Could not read {source}: {exc.strerror or exc}.",
            hint="Check that the file still exists and can be read, then open it again.",
            source=source,
        ) from exc


def _encoding(head: bytes) -> _Encoding:
    for encoding in _BOM_ENCODINGS:
        if head.startswith(encoding.bom):
            return encoding
    return _UTF8


def _check_head(head: bytes, source: str) -> None:
    """Refuse an empty or binary file before parsing (whitespace is found empty later)."""
    if not head:
        raise _empty_error(source)
    description = describe_binary(head)
    if description is not None:
        raise LoadError(
            f"{source} is not a JSON file: it looks like {description}.",
            hint="Sift can open JSON text files. Export the data as JSON or CSV and open that.",
            source=source,
        )


def _empty_error(source: str) -> LoadError:
    return LoadError(
        f"{source} is empty.",
        hint='Choose a file that contains JSON records, such as [{"name": "Ada"}].',
        source=source,
    )


def _too_deep(source: str, line: int | None = None) -> LoadError:
    where = f"{source}: line {line:,} holds" if line else f"{source}:"
    return LoadError(
        f"{where} JSON nested deeper than {MAX_DEPTH:,} levels;"
        " Sift refuses it to protect the browser tab.",
        hint=_DEEP_HINT,
        source=source,
        line=line,
    )


def _syntax_error(source: str, exc: json.JSONDecodeError) -> LoadError:
    end = len(exc.doc.rstrip())
    if exc.pos >= end:  # nothing left to parse: the usual sign of a cut-short download
        line = exc.doc.count("\n", 0, end) + 1
        column = end - exc.doc.rfind("\n", 0, end)
        return LoadError(
            f"{source} is not valid JSON: it ends at line {line:,}, column {column:,},"
            " before the JSON is complete.",
            hint="The file may be cut short, as by an interrupted download. Get a complete"
            " copy and open it again.",
            source=source,
            line=line,
            column=column,
        )
    if exc.msg == "Expecting value" and exc.pos == 0:
        hint = (
            "The file does not start with JSON. If it holds CSV or other text, give it the"
            " matching extension (such as .csv) and open it again."
        )
    elif exc.msg == "Extra data":
        hint = (
            "The file holds more than one JSON value. Sift expects one array of records,"
            " or one object per line (NDJSON, extension .ndjson)."
        )
    else:
        hint = "Check the JSON near that place: a missing comma, quote or bracket is usual."
    return LoadError(
        f"{source} is not valid JSON: {_reason(exc)} at line {exc.lineno:,}, column {exc.colno:,}.",
        hint=hint,
        source=source,
        line=exc.lineno,
        column=exc.colno,
    )


def _parse_int(digits: str) -> int | HugeInt:
    try:
        return int(digits)
    except ValueError:
        return HugeInt(digits)


class _Parser:
    """``json.loads`` with two additions: a repeated key in an object keeps its last value and
    is counted (for a warning), and integers longer than Python converts by default (4,300
    digits) become HugeInt instead of failing. One decoder serves every NDJSON line."""

    def __init__(self) -> None:
        self.count = 0  # objects with a repeated key
        self.key = ""
        self.line = 0  # the NDJSON line being parsed, 0 for a whole document
        self.first_line = 0
        self._decoder = json.JSONDecoder(object_pairs_hook=self._pairs)

    def loads(self, text: str) -> Any:
        seen = self.count
        try:
            return self._decoder.decode(text)
        except json.JSONDecodeError:
            raise
        except ValueError:  # "Exceeds the limit (4300 digits) for integer string conversion"
            self.count = seen  # the retry sees the same objects again
            retry = json.JSONDecoder(object_pairs_hook=self._pairs, parse_int=_parse_int)
            return retry.decode(text)

    def _pairs(self, pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        record = dict(pairs)
        if len(record) != len(pairs):
            if not self.count:
                self.key = _repeated_key(pairs)
                self.first_line = self.line
            self.count += 1
        return record

    def warnings(self, source: str) -> list[str]:
        if not self.count:
            return []
        where = f", on line {self.first_line:,}" if self.first_line else ""
        verb = "repeats" if self.count == 1 else "repeat"
        return [
            f"{plural(self.count, 'object')} in {source} {verb} a key (the first:"
            f" {_quoted(self.key)}{where}); the last value of a repeated key was kept."
        ]


def _repeated_key(pairs: list[tuple[str, Any]]) -> str:
    seen: set[str] = set()
    for key, _ in pairs:
        if key in seen:
            return key
        seen.add(key)
    return ""
