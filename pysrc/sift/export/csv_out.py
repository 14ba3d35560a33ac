"""CSV export: RFC 4180 (comma, CRLF line ends, fields with a comma, a quote, CR or LF in
double quotes, quotes doubled), a header row, UTF-8 with an optional byte-order mark.

NULL and empty text are both an empty field. Numbers are written as SQLite holds them, reals
in the shortest form that reads back to the same float. BOOLEAN columns say true/false. Text
that a spreadsheet could take for a formula gets a leading quote unless ``raw``
(sift.export.neutral), and so does such a column name. Imports: the standard library and sift
modules.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from sift.export.cell_sql import csv_cell, register
from sift.export.neutral import neutralize
from sift.export.rows import ViewRows

BOM = "\ufeff"
WRITE_BUFFER = 1 << 20


@dataclass(frozen=True)
class CsvOptions:
    bom: bool = False
    raw: bool = False


def write_csv(source: ViewRows, path: str, options: CsvOptions) -> list[str]:
    """Write the view's rows to ``path``; returns warnings (none for CSV)."""
    register(source.conn)
    select = [
        csv_cell(c, t, raw=options.raw) for c, t in zip(source.columns, source.types, strict=True)
    ]
    header = source.columns if options.raw else [neutralize(c) for c in source.columns]
    with open(path, "wb", buffering=WRITE_BUFFER) as binary:
        text = io.TextIOWrapper(binary, encoding="utf-8", newline="")
        if options.bom:
            text.write(BOM)
        writer = csv.writer(text, lineterminator="\r\n")
        writer.writerow(header)
        with source.batches(select) as batches:
            for batch in batches:
                writer.writerows(batch)
                text.flush()
                source.pacer.step(len(batch), binary.tell())
        text.flush()
        text.detach()
    return []
