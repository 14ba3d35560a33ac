"""What every importer shares: the byte stream it reads, its report and its call signature.

Imports: the standard library only.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

# progress(rows_so_far, bytes_read_so_far), called between batches; it may raise to cancel.
Progress = Callable[[int, int], None]


class ByteStream(Protocol):
    """A readable binary file: an open file, ``io.BytesIO``, a browser file mounted in the FS."""

    def read(self, size: int, /) -> bytes: ...


@dataclass
class ImportReport:
    """What an import did: the table it created and anything the user should know about."""

    table: str
    rows: int
    columns: list[str]
    warnings: list[str] = field(default_factory=list)
    encoding: str = ""
    delimiter: str = ""

    def to_dict(self) -> dict[str, Any]:
        """The report as JSON-able values."""
        return {
            "table": self.table,
            "rows": self.rows,
            "columns": list(self.columns),
            "warnings": list(self.warnings),
            "encoding": self.encoding,
            "delimiter": self.delimiter,
        }


class Importer(Protocol):
    """The signature every format's importer has, so the registry can call any of them.

    ``allocate(hint)`` returns a new, safe and unique table name derived from ``hint`` (a file
    or sheet name). An importer creates all its tables or none; ``progress`` may raise to
    cancel, which leaves none."""

    def __call__(
        self,
        conn: sqlite3.Connection,
        allocate: Callable[[str], str],
        stream: ByteStream,
        *,
        source: str,
        progress: Progress | None = None,
    ) -> Sequence[ImportReport]: ...
