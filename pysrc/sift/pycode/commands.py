"""The Python commands of the engine (docs/query-contract.md), and the persistence hooks the
engine worker uses to keep the user's functions with the workspace.
Imports: the standard library and sift modules.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from sift.command import Command, text_arg
from sift.errors import SiftError
from sift.pycode import columns, functions

if TYPE_CHECKING:
    from sift.session import Session


def functions_source(session: Session) -> str:
    """The source of the user's functions, for the worker to store ("" when there are none)."""
    return functions.state(session).source


def restore_functions(session: Session, source: str) -> str | None:
    """Register stored functions at start; None, or a sentence saying why they could not be.

    On failure nothing is registered, but the source is kept: the editor shows it to be fixed
    and the worker does not overwrite the stored copy with nothing."""
    try:
        functions.set_functions(session, source)
    except SiftError as error:
        where = "" if error.line is None or "line" in error.message else f" (line {error.line})"
        problem = f"Your saved Python functions could not be registered{where}: {error.message}"
        current = functions.state(session)
        current.source, current.problem = source, problem
        return problem
    return None


def _column_preview(session: Session, args: Mapping[str, Any]) -> Any:
    return columns.preview(
        session,
        text_arg("column_preview", args, "table"),
        text_arg("column_preview", args, "expression"),
        args.get("limit", columns.PREVIEW_ROWS),
    )


def _add_column(session: Session, args: Mapping[str, Any]) -> Any:
    return columns.add_column(
        session,
        text_arg("add_column", args, "table"),
        text_arg("add_column", args, "name"),
        text_arg("add_column", args, "expression"),
    )


def _functions(session: Session, args: Mapping[str, Any]) -> Any:
    return functions.listing(session)


def _set_functions(session: Session, args: Mapping[str, Any]) -> Any:
    return functions.set_functions(session, text_arg("set_functions", args, "source"))


COMMANDS: Mapping[str, Command] = MappingProxyType(
    {
        "column_preview": Command(_column_preview, frozenset({"table", "expression", "limit"})),
        "add_column": Command(_add_column, frozenset({"table", "name", "expression"})),
        "functions": Command(_functions),
        "set_functions": Command(_set_functions, frozenset({"source"})),
    }
)
