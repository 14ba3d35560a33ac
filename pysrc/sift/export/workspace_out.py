"""The whole workspace as one SQLite file: every user table (never Sift's own ``sift_...``
tables and indexes), in the order they were loaded, with their columns, declared types and rows
in stored order. Opening the file in Sift (sift.formats.sqlite_file) gives back the same tables.
Imports: the standard library and sift modules.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from dataclasses import dataclass

from sift.export.rows import Pacer, ViewRows
from sift.export.sqlite_out import copy_rows
from sift.view import Views, ViewSpec
from sift.workspace import Workspace


@dataclass(frozen=True)
class TableCount:
    name: str
    rows: int

    def to_dict(self) -> dict[str, object]:
        return {"name": self.name, "rows": self.rows}


def write_workspace(ws: Workspace, views: Views, path: str, pacer: Pacer) -> list[TableCount]:
    """Write every user table of ``ws`` into a new SQLite database at ``path``."""
    counts = []
    with closing(sqlite3.connect(path, isolation_level=None)) as out:
        out.execute("PRAGMA journal_mode = OFF")  # a new file no one else reads yet
        out.execute("BEGIN")
        for table in ws.table_names():
            before = pacer.rows
            view = views.compile(ws, ViewSpec(table))
            copy_rows(ViewRows(ws.conn, view, pacer), out, table)
            counts.append(TableCount(table, pacer.rows - before))
        out.execute("COMMIT")
    return counts
