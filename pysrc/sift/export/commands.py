"""The export commands of the engine (docs/export-contract.md): ``export`` (a view as CSV,
JSON, Excel or SQLite) and ``export_workspace`` (every table as one SQLite file).

Besides its JSON arguments, each takes an optional ``progress`` callable (rows, bytes), like
``load``'s stream: the engine worker passes one to show figures and let Cancel in.
Imports: the standard library and sift modules.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from sift.command import Command, text_arg
from sift.errors import SiftError
from sift.export.registry import EXPORT_FORMATS, ExportFormat
from sift.export.rows import Pacer, Progress, ViewRows
from sift.export.target import check_path, replacing
from sift.export.workspace_out import write_workspace
from sift.export.xlsx_out import check_rows
from sift.messages import plural
from sift.view import CompiledView, ViewSpec
from sift.workspace import is_result_name

if TYPE_CHECKING:
    from sift.session import Session

VIEW_KEYS = frozenset({"table", "sort", "filters", "q"})
WORKSPACE_NAME = "sift-workspace.sqlite"
# A table made by user SQL can have any name; a file name keeps letters, digits, - and _.
_UNSAFE_IN_NAME = re.compile(r"[^\w-]+")
SQLITE_MIME = EXPORT_FORMATS["sqlite"].mime


def export(session: Session, args: Mapping[str, Any]) -> dict[str, Any]:
    """Write the view described by ``args`` to ``args["path"]`` in ``args["format"]``."""
    fmt = format_arg(args)
    path = check_path(text_arg("export", args, "path"))
    options = options_arg(fmt, args.get("options"))
    pacer = Pacer(session.poll, progress_arg(args))
    view = session.views.compile(session.workspace, ViewSpec.parse(args))
    if fmt.max_rows is not None:
        check_rows(session.views.count(session.workspace, view))
    with replacing(path) as temporary:
        warnings = fmt.write(ViewRows(session.workspace.conn, view, pacer), temporary, options)
    subject = table_words(view.table)
    return {
        "path": path,
        "name": file_name(view, fmt),
        "format": fmt.name,
        "table": view.table,
        "rows": pacer.rows,
        "bytes": os.path.getsize(path),
        "mime": fmt.mime,
        "warnings": warnings,
        "message": f"Exported {plural(pacer.rows, 'row')} of {subject} to {fmt.label}.",
    }


def export_workspace(session: Session, args: Mapping[str, Any]) -> dict[str, Any]:
    """Write every user table into one SQLite file at ``args["path"]``."""
    path = check_path(text_arg("export_workspace", args, "path"))
    if not session.workspace.table_names():
        raise SiftError(
            "There are no tables to export.", hint="Open a file first: each file becomes a table."
        )
    pacer = Pacer(session.poll, progress_arg(args))
    with replacing(path) as temporary:
        tables = write_workspace(session.workspace, session.views, temporary, pacer)
    return {
        "path": path,
        "name": WORKSPACE_NAME,
        "tables": [table.to_dict() for table in tables],
        "rows": pacer.rows,
        "bytes": os.path.getsize(path),
        "mime": SQLITE_MIME,
        "message": f"Exported {plural(len(tables), 'table')} ({plural(pacer.rows, 'row')})"
        " to SQLite.",
    }


def format_arg(args: Mapping[str, Any]) -> ExportFormat:
    name = args.get("format")
    if not isinstance(name, str) or name.lower() not in EXPORT_FORMATS:
        raise SiftError(
            f"Sift cannot export to {name!r}.",
            hint=f"Choose one of: {', '.join(EXPORT_FORMATS)}.",
        )
    return EXPORT_FORMATS[name.lower()]


def options_arg(fmt: ExportFormat, options: object) -> dict[str, bool]:
    """The options, checked: only those ``fmt`` takes, each true or false."""
    if options is None:
        return {}
    if not isinstance(options, Mapping):
        raise SiftError(
            f"An export's 'options' must be a mapping, not {options!r}.",
            hint='Send the options as a JSON object, e.g. {"bom": true}.',
        )
    takes = ", ".join(sorted(fmt.options)) or "no options"
    for key, value in options.items():
        if key not in fmt.options:
            raise SiftError(
                f"The {fmt.label} export has no option {key!r}.", hint=f"It takes: {takes}."
            )
        if not isinstance(value, bool):
            raise SiftError(
                f"The export option {key!r} must be true or false, not {value!r}.",
                hint=f"Send {key!r} as a JSON boolean.",
            )
    return dict(options)


def progress_arg(args: Mapping[str, Any]) -> Progress | None:
    progress = args.get("progress")
    if progress is not None and not callable(progress):
        raise SiftError(
            f"An export's 'progress' must be a function, not {progress!r}.",
            hint="Leave it out: the engine worker passes one.",
        )
    return progress


def table_words(table: str) -> str:
    """How a message names the table: a query result is "the query result"."""
    return "the query result" if is_result(table) else table


def file_name(view: CompiledView, fmt: ExportFormat) -> str:
    """A suggested download name: "sales.csv", "sales-filtered.csv", "query-result.xlsx"."""
    stem = "query-result" if is_result(view.table) else _UNSAFE_IN_NAME.sub("_", view.table)
    filtered = "-filtered" if view.filters or view.q else ""
    return f"{stem}{filtered}{fmt.extension}"


def is_result(table: str) -> bool:
    return is_result_name(table)


COMMANDS: Mapping[str, Command] = MappingProxyType(
    {
        "export": Command(export, VIEW_KEYS | {"format", "path", "options", "progress"}),
        "export_workspace": Command(export_workspace, frozenset({"path", "progress"})),
    }
)
