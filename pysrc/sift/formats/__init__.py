"""The registry of file formats Sift can import, each with its importer.

A new format is one entry in FORMATS. ``format_for`` picks the entry for a file: by its first
bytes for the binary formats (a workbook named .csv is still a workbook), else by extension,
else JSON if the text starts like JSON, else delimited text. Every importer has one signature
(base.Importer) and returns the tables it created. Imports: the standard library and
sift.formats modules.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from types import MappingProxyType

from sift.formats.base import ByteStream, Importer, ImportReport, Progress
from sift.formats.delimited import import_delimited
from sift.formats.json_records import import_json, import_ndjson, looks_like_json
from sift.formats.sqlite_file import MAGIC as SQLITE_MAGIC
from sift.formats.sqlite_file import import_sqlite

__all__ = [
    "DEFAULT_FORMAT",
    "FORMATS",
    "HEAD_BYTES",
    "ByteStream",
    "Format",
    "ImportReport",
    "Importer",
    "Progress",
    "format_for",
]

ZIP_MAGIC = b"PK\x03\x04"
HEAD_BYTES = 64  # enough for every magic number and for looks_like_json's first token


def _delimited(
    conn: sqlite3.Connection,
    allocate: Callable[[str], str],
    stream: ByteStream,
    *,
    source: str,
    progress: Progress | None = None,
) -> list[ImportReport]:
    """Delimited text makes one table, named after the file."""
    return [import_delimited(conn, allocate(source), stream, source=source, progress=progress)]


def _xlsx(
    conn: sqlite3.Connection,
    allocate: Callable[[str], str],
    stream: ByteStream,
    *,
    source: str,
    progress: Progress | None = None,
) -> list[ImportReport]:
    """Excel workbooks, imported on first use: openpyxl adds about 0.3 s to the engine's
    start-up, which most sessions never need."""
    from sift.formats.xlsx import import_xlsx

    return list(import_xlsx(conn, allocate, stream, source=source, progress=progress))


@dataclass(frozen=True)
class Format:
    """A file format: its registry name, a label for people, its file extensions, its importer,
    and the first bytes that identify it regardless of its name (binary formats only)."""

    name: str
    label: str
    extensions: tuple[str, ...]
    importer: Importer
    magic: bytes = b""


FORMATS = MappingProxyType(
    {
        "delimited": Format(
            "delimited",
            "CSV or TSV text",
            (".csv", ".tsv", ".tab", ".txt", ".psv", ".dat"),
            _delimited,
        ),
        "json": Format("json", "JSON", (".json",), import_json),
        "ndjson": Format(
            "ndjson", "NDJSON (one JSON object per line)", (".ndjson", ".jsonl"), import_ndjson
        ),
        "xlsx": Format("xlsx", "Excel workbook", (".xlsx", ".xlsm"), _xlsx, ZIP_MAGIC),
        "sqlite": Format(
            "sqlite",
            "SQLite database",
            (".sqlite", ".sqlite3", ".db", ".db3"),
            import_sqlite,
            SQLITE_MAGIC,
        ),
    }
)

# Text files come with any extension (or none), so an unknown one is read as delimited text;
# the importer still refuses content that is clearly binary.
DEFAULT_FORMAT = "delimited"


def format_for(filename: str, head: bytes = b"") -> Format:
    """The format for a file named ``filename`` whose first bytes are ``head``."""
    for entry in FORMATS.values():
        if entry.magic and head.startswith(entry.magic):
            return entry
    lowered = filename.lower()
    for entry in FORMATS.values():
        if lowered.endswith(entry.extensions):
            return entry
    if looks_like_json(head):
        return FORMATS["json"]
    return FORMATS[DEFAULT_FORMAT]
