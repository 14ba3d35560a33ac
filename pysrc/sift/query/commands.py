"""The SQL commands of the engine (docs/query-contract.md): sql, save_result, queries,
save_query, delete_query. Thin: argument checks here, the work in sift.query modules.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from sift.command import Command, text_arg
from sift.errors import SiftError
from sift.query.history import history_of
from sift.query.results import save_result
from sift.query.run import Request, run_sql

if TYPE_CHECKING:
    from sift.session import Session


def _sql(session: Session, args: Mapping[str, Any]) -> Any:
    sql = text_arg("sql", args, "sql")
    started = time.monotonic()
    history = history_of(session)
    try:
        reply = run_sql(session, Request.parse(sql, dict(args)))
    except SiftError as error:
        history.record(sql, False, 0, time.monotonic() - started, error.message)
        raise
    except Exception as exc:  # recorded, then the session's boundary reports it as internal
        history.record(sql, False, 0, time.monotonic() - started, f"Internal error: {exc}")
        raise
    history.record(sql, True, reply["rows"], reply["seconds"], reply["message"])
    return reply


def _save_result(session: Session, args: Mapping[str, Any]) -> Any:
    table = text_arg("save_result", args, "table")
    return save_result(session, table, text_arg("save_result", args, "name"))


def _queries(session: Session, args: Mapping[str, Any]) -> Any:
    return history_of(session).listing()


def _save_query(session: Session, args: Mapping[str, Any]) -> Any:
    history = history_of(session)
    history.save(text_arg("save_query", args, "name"), text_arg("save_query", args, "sql"))
    return history.listing()


def _delete_query(session: Session, args: Mapping[str, Any]) -> Any:
    history = history_of(session)
    history.delete(text_arg("delete_query", args, "name"))
    return history.listing()


COMMANDS: Mapping[str, Command] = MappingProxyType(
    {
        "sql": Command(_sql, frozenset({"sql", "params", "readonly", "seconds", "allow_python"})),
        "save_result": Command(_save_result, frozenset({"table", "name"})),
        "queries": Command(_queries),
        "save_query": Command(_save_query, frozenset({"name", "sql"})),
        "delete_query": Command(_delete_query, frozenset({"name"})),
    }
)
