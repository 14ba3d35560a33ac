"""The export formats: a new format is one entry in EXPORT_FORMATS.

Each entry names its label (the word the UI's export controls carry: DESIGN.md), its file
extension and MIME type, the options it takes, its row limit, and its writer.
Imports: the standard library and sift modules.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from sift.export.csv_out import CsvOptions, write_csv
from sift.export.json_out import write_json
from sift.export.rows import ViewRows
from sift.export.sqlite_out import write_sqlite
from sift.export.xlsx_out import MAX_ROWS as XLSX_MAX_ROWS
from sift.export.xlsx_out import XlsxOptions, write_xlsx

# write(rows, path, options) -> warnings
Writer = Callable[[ViewRows, str, Mapping[str, bool]], list[str]]
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class ExportFormat:
    name: str
    label: str
    extension: str
    mime: str
    options: frozenset[str]
    write: Writer
    max_rows: int | None = None


def _csv(rows: ViewRows, path: str, options: Mapping[str, bool]) -> list[str]:
    return write_csv(rows, path, CsvOptions(**options))


def _json(rows: ViewRows, path: str, options: Mapping[str, bool]) -> list[str]:
    return write_json(rows, path)


def _xlsx(rows: ViewRows, path: str, options: Mapping[str, bool]) -> list[str]:
    return write_xlsx(rows, path, XlsxOptions(**options))


def _sqlite(rows: ViewRows, path: str, options: Mapping[str, bool]) -> list[str]:
    return write_sqlite(rows, path)


EXPORT_FORMATS: Mapping[str, ExportFormat] = MappingProxyType(
    {
        "csv": ExportFormat(
            "csv", "CSV", ".csv", "text/csv;charset=utf-8", frozenset({"bom", "raw"}), _csv
        ),
        "json": ExportFormat("json", "JSON", ".json", "application/json", frozenset(), _json),
        "xlsx": ExportFormat(
            "xlsx", "Excel", ".xlsx", XLSX_MIME, frozenset({"raw"}), _xlsx, XLSX_MAX_ROWS
        ),
        "sqlite": ExportFormat(
            "sqlite", "SQLite", ".sqlite", "application/vnd.sqlite3", frozenset(), _sqlite
        ),
    }
)
