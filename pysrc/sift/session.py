"""The command facade: the UI worker, the embed and the tests all drive Sift through a Session.

``Session.handle(command, args)`` dispatches through the COMMANDS registry (and the feature
packages' own, FEATURE_COMMANDS) and always returns a JSON-able reply,
``{"ok": True, "result": ...}`` or ``{"ok": False, "error": {...}}``.
Imports: the standard library and sift modules, never the browser.
"""

from __future__ import annotations

import copy
import importlib
import io
import traceback
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from sift.command import Command, text_arg
from sift.deadline import within
from sift.errors import SiftError
from sift.facets import DEFAULT_LIMIT as FACET_LIMIT
from sift.facets import facet
from sift.families import resolve_column
from sift.filters import registry
from sift.messages import loaded_tables_message, plural
from sift.names import table_name, table_name_from_filename
from sift.profile import ProfileCache
from sift.search import SearchIndexes
from sift.view import CompiledView, Recent, Views, ViewSpec
from sift.workspace import DEFAULT_PAGE_SIZE, INTERNAL_PREFIX, Workspace

if TYPE_CHECKING:
    from sift.formats import ByteStream, Progress

Reply = dict[str, Any]
UNTITLED = "untitled"
FACETS_KEPT = 64  # facets of the same view and table version are answered from memory
INTERNAL_HINT = "This is a bug in Sift. Reload the page; your files are not affected."


class Session:
    """One user's workspace and every action on it. Results are JSON-able dicts and lists."""

    def __init__(self, workspace: Workspace | None = None) -> None:
        self.workspace = workspace if workspace is not None else Workspace()
        self.searches = SearchIndexes()
        self.views = Views(self.searches)
        self.profiles = ProfileCache()
        self.facets: Recent[dict[str, Any]] = Recent(FACETS_KEPT)
        # Long work calls poll() often; the engine worker sets it to let Cancel in (and raise
        # sift.jobs.Cancelled once the user has cancelled). docs/query-contract.md.
        self.poll: Callable[[], None] = no_poll
        # The user's Python functions registered in SQLite (lower-case names), and the error
        # the last one raised inside SQL: sift.pycode keeps them, sift.query reads them.
        self.python_functions: set[str] = set()
        self.python_error: SiftError | None = None

    def close(self) -> None:
        """Close the workspace (Python 3.13+ warns about SQLite connections left open)."""
        self.workspace.close()

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def load(
        self,
        name: str,
        stream: ByteStream | bytes,
        *,
        progress: Progress | None = None,
    ) -> dict[str, Any]:
        """Import a file as one or more new tables; return them with the first one's first page."""
        # The importers are imported with the first load, not on the engine's start.
        from sift.formats import HEAD_BYTES, format_for

        source = name.strip() or UNTITLED
        if isinstance(stream, bytes):
            stream = io.BytesIO(stream)
        head, stream = peek(stream, HEAD_BYTES)
        fmt = format_for(source, head)
        taken = set(self.workspace.table_names())

        def allocate(hint: str) -> str:
            table = user_table_name(table_name_from_filename(hint, taken), taken)
            taken.add(table)
            self.workspace.changed(table)  # a name used before starts afresh
            return table

        conn = self.workspace.conn
        reports = list(fmt.importer(conn, allocate, stream, source=source, progress=progress))
        for report in reports:
            self.views.known_rows(self.workspace, report.table, report.rows)
        first = reports[0]
        summary = [(r.table, r.rows, len(r.columns)) for r in reports]
        return {
            **first.to_dict(),
            "name": source,
            "format": fmt.name,
            "tables": [report.to_dict() for report in reports],
            "warnings": [w for report in reports for w in report.warnings],
            "message": loaded_tables_message(source, summary),
            "page": self.view({"table": first.table}),
        }

    def page(self, table: str, offset: int = 0, limit: int = DEFAULT_PAGE_SIZE) -> dict[str, Any]:
        """Rows ``offset`` to ``offset + limit`` of ``table`` with its columns and row count."""
        return self.workspace.page(table, offset, limit).to_dict()

    def tables(self) -> list[dict[str, Any]]:
        """Every table: name, rows and columns, in the order they were loaded."""
        return [info.to_dict() for info in self.workspace.tables()]

    def drop(self, table: str) -> dict[str, Any]:
        """Remove a table from the workspace."""
        name = self.workspace.resolve(table)
        self.workspace.drop(name)
        self.profiles.forget(name)
        return {"table": name, "message": f"Removed {name}."}

    def rename(self, table: str, new_name: str) -> dict[str, Any]:
        """Give a table a new name, made safe and unique the same way as imported names."""
        old = self.workspace.resolve(table)
        if not new_name.strip():
            raise SiftError(
                f"Give {old} a new name.", hint="Use letters, digits and _, e.g. sales_2024."
            )
        taken = [name for name in self.workspace.table_names() if name != old]
        new = user_table_name(table_name(new_name.strip(), taken), taken)
        if new != old:
            self.workspace.rename(old, new)
            self.profiles.forget(old)
        message = f"Renamed {old} to {new}."
        if new != new_name.strip():
            message += " Table names use letters, digits and _ only, and must be unique."
        return {"table": new, "old": old, "message": message}

    def set_type(self, table: str, column: str, kind: str) -> dict[str, Any]:
        """Change a column's type; values that do not convert become empty, and are counted."""
        done = self.workspace.set_column_type(table, column, kind)
        self.profiles.forget(done.table)
        lost = done.nulls_created
        message = f"Changed {done.column} in {done.table} to {done.type}."
        if lost:
            message += (
                f" {plural(lost, 'value')} could not be converted to {done.type}"
                f" and {'is' if lost == 1 else 'are'} now empty."
            )
        return {
            "table": done.table,
            "column": done.column,
            "type": done.type,
            "nulls_created": lost,
            "message": message,
        }

    def view(
        self, spec: Mapping[str, Any], offset: int = 0, limit: int = DEFAULT_PAGE_SIZE
    ) -> dict[str, Any]:
        """A page of a view of a table: sorted, filtered, searched (docs/explore-contract.md)."""
        return self.views.page(self.workspace, ViewSpec.parse(spec), offset, limit)

    def operators(self) -> list[dict[str, Any]]:
        """The filter registry, for the UI's menus."""
        return registry()

    def search_build(self, table: str) -> dict[str, Any]:
        """Index the next rows of ``table`` for search; ``done`` once it is complete."""
        return self.searches.build_step(self.workspace, table)

    def facet(
        self,
        spec: Mapping[str, Any],
        column: str,
        limit: int = FACET_LIMIT,
        kind: str | None = None,
    ) -> dict[str, Any]:
        """A column's top values or histogram over the rows of a view (its filters and q)."""
        view = self.views.compile(self.workspace, ViewSpec.parse(spec))
        key = view.cache_key("facet", column.lower(), kind, limit)
        known = self.facets.get(key)
        if known is None:
            known = self._facet(view, column, limit, kind)
            self.facets.put(key, known)
        return copy.deepcopy(known)

    def _facet(
        self, view: CompiledView, column: str, limit: int, kind: str | None
    ) -> dict[str, Any]:
        where = "" if view.where == "1" else view.where
        version = self.workspace.version(view.table)
        with within(self.workspace.conn, self.views.seconds, what=f"The facet of {column}"):
            return facet(
                self.workspace.conn,
                view.table,
                where,
                view.params,
                column,
                kind,
                limit,
                cache=self.profiles,
                version=version,
            )

    def profile(self, table: str, column: str) -> dict[str, Any]:
        """One column's profile, computed once per version of the table."""
        name = self.workspace.resolve(table)
        stored, declared = resolve_column(self.workspace.conn, name, column)
        version = self.workspace.version(name)
        with within(self.workspace.conn, self.views.seconds, what=f"The profile of {stored}"):
            return self.profiles.profile(self.workspace.conn, name, stored, declared, version)

    def handle(self, command: str, args: Mapping[str, Any] | None = None) -> Reply:
        """Run one command from COMMANDS; never raises, always returns a JSON-able reply."""
        return reply_for(lambda: _dispatch(self, command, {} if args is None else args))

    def handle_load(self, name: str, stream: ByteStream | bytes) -> Reply:
        """``handle("load", ...)`` for callers that hold an open file rather than JSON args."""
        return self.handle("load", {"name": name, "stream": stream})


def no_poll() -> None:
    """Outside the browser nothing can cancel a command mid-way."""


def user_table_name(name: str, taken: set[str] | list[str]) -> str:
    """``name``, unless it starts like Sift's own tables (sift_...): then t_<name>, unique."""
    if name.lower().startswith(INTERNAL_PREFIX):
        return table_name("t_" + name, taken)
    return name


def peek(stream: ByteStream, size: int) -> tuple[bytes, ByteStream]:
    """The first bytes of ``stream``, and a stream that still starts at the beginning."""
    from sift.formats.text_input import ChainedReader

    head = stream.read(size)
    seek = getattr(stream, "seek", None)
    if callable(seek) and getattr(stream, "seekable", lambda: False)():
        seek(0)
        return head, stream
    return head, ChainedReader(head, stream)


def reply_for(action: Callable[[], Any]) -> Reply:
    """Run ``action`` and wrap its result, or its error, in the reply shape."""
    try:
        return {"ok": True, "result": action()}
    except SiftError as error:
        return error_reply(error)
    except Exception as exc:  # the one boundary where any failure becomes a visible reply
        return internal_error_reply(exc)


def error_reply(error: SiftError) -> Reply:
    return {"ok": False, "error": error.to_dict()}


def internal_error_reply(exc: BaseException) -> Reply:
    """An unexpected exception as an error the UI can show, with the traceback as details."""
    return {
        "ok": False,
        "error": {
            "kind": "internal",
            "message": f"Internal error: {type(exc).__name__}: {exc}",
            "hint": INTERNAL_HINT,
            "source": None,
            "line": None,
            "column": None,
            "details": "".join(traceback.format_exception(exc)),
        },
    }


def command_entry(command: str) -> Command | None:
    """The registry entry of ``command``, importing its feature module the first time."""
    if command in COMMANDS:
        return COMMANDS[command]
    module = FEATURE_COMMANDS.get(command)
    if module is None:
        return None
    entry: Command = importlib.import_module(module).COMMANDS[command]
    return entry


def _dispatch(session: Session, command: object, args: object) -> Any:
    entry = command_entry(command) if isinstance(command, str) else None
    if entry is None:
        names = sorted([*COMMANDS, *FEATURE_COMMANDS])
        raise SiftError(
            f"Sift has no command {command!r}.",
            hint=f"Use one of: {', '.join(names)}.",
        )
    if not isinstance(args, Mapping):
        raise SiftError(
            f"The arguments of {command!r} must be a mapping of names to values.",
            hint="Send the arguments as a JSON object.",
        )
    unknown = sorted(str(key) for key in args if key not in entry.params)
    if unknown:
        raise SiftError(
            f"The command {command!r} does not take {', '.join(map(repr, unknown))}.",
            hint=f"It takes: {', '.join(sorted(entry.params)) or 'no arguments'}.",
        )
    return entry.run(session, args)


def _load(session: Session, args: Mapping[str, Any]) -> Any:
    stream: Any = args.get("stream")
    if not isinstance(stream, bytes) and not callable(getattr(stream, "read", None)):
        raise SiftError(
            f"The command 'load' needs 'stream' as a binary file or bytes, not {stream!r}.",
            hint="Open the file in binary mode ('rb') and pass the file object.",
        )
    return session.load(text_arg("load", args, "name"), stream)


def _page(session: Session, args: Mapping[str, Any]) -> Any:
    table = text_arg("page", args, "table")
    return session.page(table, args.get("offset", 0), args.get("limit", DEFAULT_PAGE_SIZE))


def _tables(session: Session, args: Mapping[str, Any]) -> Any:
    return session.tables()


def _drop(session: Session, args: Mapping[str, Any]) -> Any:
    return session.drop(text_arg("drop", args, "table"))


def _rename(session: Session, args: Mapping[str, Any]) -> Any:
    return session.rename(text_arg("rename", args, "table"), text_arg("rename", args, "name"))


def _set_type(session: Session, args: Mapping[str, Any]) -> Any:
    return session.set_type(
        text_arg("set_type", args, "table"),
        text_arg("set_type", args, "column"),
        text_arg("set_type", args, "type"),
    )


VIEW_KEYS = frozenset({"table", "sort", "filters", "q"})


def _view(session: Session, args: Mapping[str, Any]) -> Any:
    return session.view(args, args.get("offset", 0), args.get("limit", DEFAULT_PAGE_SIZE))


def _operators(session: Session, args: Mapping[str, Any]) -> Any:
    return session.operators()


def _search_build(session: Session, args: Mapping[str, Any]) -> Any:
    return session.search_build(text_arg("search_build", args, "table"))


def _facet(session: Session, args: Mapping[str, Any]) -> Any:
    kind = args.get("kind")
    if kind is not None and not isinstance(kind, str):
        raise SiftError(f"A facet's 'kind' must be text, not {kind!r}.", hint="Leave it out.")
    column = text_arg("facet", args, "column")
    return session.facet(args, column, args.get("limit", FACET_LIMIT), kind)


def _profile(session: Session, args: Mapping[str, Any]) -> Any:
    return session.profile(text_arg("profile", args, "table"), text_arg("profile", args, "column"))


COMMANDS: Mapping[str, Command] = MappingProxyType(
    {
        "load": Command(_load, frozenset({"name", "stream"})),
        "page": Command(_page, frozenset({"table", "offset", "limit"})),
        "tables": Command(_tables),
        "drop": Command(_drop, frozenset({"table"})),
        "set_type": Command(_set_type, frozenset({"table", "column", "type"})),
        "rename": Command(_rename, frozenset({"table", "name"})),
        "view": Command(_view, VIEW_KEYS | {"offset", "limit"}),
        "operators": Command(_operators),
        "search_build": Command(_search_build, frozenset({"table"})),
        "facet": Command(_facet, VIEW_KEYS | {"column", "limit", "kind"}),
        "profile": Command(_profile, frozenset({"table", "column"})),
    }
)
# The feature packages' commands, by the module whose COMMANDS has them: a module is imported
# with its first command. Importing all four at start cost about 140 ms of the engine's 450 ms
# of imports (Pyodide under Node), on every start, for features many visits never use.
# tests/unit/test_session.py checks this table against each module's COMMANDS.
FEATURE_COMMANDS: Mapping[str, str] = MappingProxyType(
    {
        **dict.fromkeys(
            ("sql", "queries", "save_query", "delete_query", "save_result"), "sift.query.commands"
        ),
        **dict.fromkeys(
            ("add_column", "column_preview", "functions", "set_functions"), "sift.pycode.commands"
        ),
        **dict.fromkeys(("chart", "chart_defaults"), "sift.charts.commands"),
        **dict.fromkeys(("export", "export_workspace"), "sift.export.commands"),
    }
)
