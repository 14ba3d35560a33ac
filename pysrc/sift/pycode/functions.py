"""The user's Python functions: ``def`` blocks that become SQLite functions of the same name.

The whole source runs as a module in a fresh namespace (it is the user's own code, in their own
browser) that already holds ``math``, ``re``, ``datetime``, ``date``, ``timedelta``, ``json``
and ``statistics``. Every top-level ``def`` whose name does not start with ``_`` (those are
helpers) becomes a SQLite function; its argument count comes from its signature (any count
when it takes ``*args`` or has defaults: Python then checks the call). A name SQLite already
knows (``upper``, ``count``...) or Sift uses (``sift_...``) is refused, since overriding it
would change every query; so are two names that differ only in letter case (SQL does not tell
them apart). Nothing changes unless the whole source is accepted.

SQLite cannot unregister a function: one the user deleted is replaced by a function that
fails saying so. State is kept per Session in a WeakKeyDictionary (sift.session stays unaware).
Imports: the standard library and sift.errors, sift.pycode.
"""

from __future__ import annotations

import ast
import inspect
import sqlite3
import sys
import types
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sift.pycode.expressions import MODULES
from sift.pycode.failures import (
    FUNCTIONS_FILE,
    PythonError,
    describe,
    passes_through,
    syntax_error,
    user_position,
)
from sift.pycode.wrappers import removed_function, sql_function

if TYPE_CHECKING:
    from sift.session import Session

MAX_ARGS = 127  # SQLite's limit on a function's declared argument count
MAX_NAME_BYTES = 255  # SQLite's limit on a function name
RESERVED_PREFIX = "sift_"
MODULE_NAME = "sift_user_functions"
# Used only when this SQLite cannot list its functions (PRAGMA function_list, 3.30+).
_CORE = (
    "abs avg changes char coalesce count date datetime glob group_concat hex ifnull iif instr "
    "julianday last_insert_rowid length like likelihood likely lower ltrim max min nullif "
    "printf quote random randomblob replace round rtrim soundex strftime substr substring sum "
    "time total total_changes trim typeof unicode unlikely upper zeroblob"
)
CORE_FUNCTIONS = frozenset(_CORE.split(" "))
HINT = "Each function starts at the start of a line with: def name(arguments):"


@dataclass(frozen=True)
class Function:
    """One registered function: its name as written, parameters as shown, SQLite arg count."""

    name: str
    params: tuple[str, ...]
    nargs: int
    function: Callable[..., object]

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "params": list(self.params)}


@dataclass
class State:
    """A session's functions: the source, what it defined, and every (name, nargs) slot ever
    registered on the connection (lower-case names)."""

    conn: sqlite3.Connection | None = None
    source: str = ""
    functions: dict[str, Function] = field(default_factory=dict)
    slots: dict[str, set[int]] = field(default_factory=dict)
    problem: str | None = None  # why the stored functions could not be restored


_STATES: weakref.WeakKeyDictionary[Session, State] = weakref.WeakKeyDictionary()


def state(session: Session) -> State:
    """The session's functions (a new connection starts with none registered)."""
    found = _STATES.get(session)
    if found is None or found.conn is not session.workspace.conn:
        source = found.source if found is not None else ""
        found = _STATES[session] = State(conn=session.workspace.conn, source=source)
    return found


def user_functions(session: Session) -> dict[str, Callable[..., object]]:
    """The functions by their Python names, for expressions (``slugify(name)``)."""
    return {f.name: f.function for f in state(session).functions.values()}


def listing(session: Session) -> dict[str, Any]:
    """The ``functions`` reply: the source and each function's name and parameters."""
    current = state(session)
    functions = sorted(current.functions.values(), key=lambda f: f.name.lower())
    return {
        "source": current.source,
        "functions": [f.to_dict() for f in functions],
        "problem": current.problem,
    }


def set_functions(session: Session, source: str) -> dict[str, Any]:
    """Run ``source`` and register its functions in place of the previous set."""
    current = state(session)
    assert current.conn is not None
    defined = _define(source, _taken(current), current.conn)
    _register(session, current, defined)
    current.source, current.problem = source, None
    return listing(session)


def _define(source: str, taken: set[str], conn: sqlite3.Connection) -> dict[str, Function]:
    """The functions ``source`` defines, checked, by lower-case name; PythonError if refused."""
    tree = _parse(source)
    defs = _top_level_defs(tree)
    _check_names(defs, taken, conn)
    namespace = _run(source)
    found: dict[str, Function] = {}
    for node in defs.values():
        value = namespace.get(node.name)
        if callable(value):
            found[node.name.lower()] = _describe_function(node, value)
    return found


def _parse(source: str) -> ast.Module:
    try:
        compile(source, FUNCTIONS_FILE, "exec")
        return ast.parse(source, FUNCTIONS_FILE, "exec")
    except SyntaxError as error:
        raise syntax_error(error, "Your Python functions have", HINT, show_line=True) from None
    except (ValueError, RecursionError, MemoryError) as error:  # NUL bytes, deep nesting
        raise PythonError(
            f"Your Python functions cannot be compiled: {error}.", hint=HINT
        ) from None


def _top_level_defs(tree: ast.Module) -> dict[str, ast.FunctionDef]:
    """The public top-level defs (the last one of a name wins, as when Python runs it)."""
    defs: dict[str, ast.FunctionDef] = {}
    for node in tree.body:
        if isinstance(node, ast.AsyncFunctionDef) and not node.name.startswith("_"):
            raise PythonError(
                f"{node.name} is an async function: SQL cannot wait for it.",
                hint="Write it with def instead of async def.",
                line=node.lineno,
                column=node.col_offset + 1,
            )
        if isinstance(node, ast.FunctionDef) and not node.name.startswith("_"):
            defs.pop(node.name, None)
            defs[node.name] = node
    return defs


def _check_names(
    defs: dict[str, ast.FunctionDef], taken: set[str], conn: sqlite3.Connection
) -> None:
    seen: dict[str, str] = {}
    for node in defs.values():
        name, lower = node.name, node.name.lower()
        problem = None
        if lower in taken or lower.startswith(RESERVED_PREFIX):
            problem = (
                f"{name} is the name of a function SQL already has: overriding it would change"
                " every query that uses it."
            )
        elif lower in seen:
            problem = f"{seen[lower]} and {name} differ only in letter case, which SQL ignores."
        elif len(name.encode("utf-8")) > MAX_NAME_BYTES:
            problem = f"The name {name[:20]}… is longer than SQL allows ({MAX_NAME_BYTES} bytes)."
        elif not _callable_in_sql(conn, name):
            problem = f"{name} is an SQL keyword: a query cannot call a function of that name."
        if problem:
            raise PythonError(
                problem,
                hint="Rename the function (e.g. my_" + lower + "); names starting with _ are "
                "helpers that are not registered.",
                line=node.lineno,
                column=node.col_offset + 1,
                source=name,
            )
        seen[lower] = name


def _callable_in_sql(conn: sqlite3.Connection, name: str) -> bool:
    """False when SQL reads ``name(`` as a keyword ("when", "select"), which SQLite's parser
    alone knows (many keywords, such as "key" or "first", may still name a function). A
    Python identifier holds no quote or space, so it is safe in the SQL text."""
    try:
        conn.execute(f"EXPLAIN SELECT {name}(NULL)")  # prepared, never run
    except sqlite3.OperationalError as error:
        return "syntax error" not in str(error)
    return True


def _run(source: str) -> dict[str, Any]:
    """Run ``source`` as a fresh module and return its namespace. The module is in
    sys.modules while it runs, as decorators such as @dataclass look it up there."""
    module = types.ModuleType(MODULE_NAME)
    module.__dict__.update(MODULES)
    sys.modules[MODULE_NAME] = module
    try:
        exec(compile(source, FUNCTIONS_FILE, "exec"), module.__dict__)
    except BaseException as error:
        if passes_through(error):
            raise
        line, column = user_position(error.__traceback__, FUNCTIONS_FILE)
        where = f" at line {line}" if line is not None else ""
        raise PythonError(
            f"Running your Python functions failed{where}: {describe(error)}",
            hint="Fix that line; the code outside the functions runs once when they are saved.",
            line=line,
            column=column,
        ) from None
    finally:
        sys.modules.pop(MODULE_NAME, None)
    return module.__dict__


def _describe_function(node: ast.FunctionDef, value: Callable[..., object]) -> Function:
    try:
        parameters = list(inspect.signature(value).parameters.values())
    except (TypeError, ValueError):  # a callable without a signature: let Python check calls
        return Function(node.name, (), -1, value)
    positional = [p for p in parameters if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    needs_keyword = [
        p.name for p in parameters if p.kind == p.KEYWORD_ONLY and p.default is p.empty
    ]
    if needs_keyword:
        raise PythonError(
            f"{node.name} needs the keyword argument {needs_keyword[0]}, which SQL cannot pass.",
            hint=f"Give {needs_keyword[0]} a default value, or make it an ordinary argument.",
            line=node.lineno,
            column=node.col_offset + 1,
            source=node.name,
        )
    flexible = any(p.kind == p.VAR_POSITIONAL for p in parameters) or any(
        p.default is not p.empty for p in positional
    )
    nargs = -1 if flexible or len(positional) > MAX_ARGS else len(positional)
    return Function(node.name, tuple(str(p) for p in parameters), nargs, value)


def _taken(current: State) -> set[str]:
    """Lower-case names of the functions SQLite has that are not the user's."""
    assert current.conn is not None
    try:
        rows = current.conn.execute("SELECT DISTINCT name FROM pragma_function_list").fetchall()
        known = {str(name).lower() for (name,) in rows}
    except sqlite3.DatabaseError:
        known = set(CORE_FUNCTIONS)
    return known - set(current.slots)


def _register(session: Session, current: State, defined: dict[str, Function]) -> None:
    """Register ``defined``; every slot of a name no longer defined fails saying so."""
    assert current.conn is not None
    conn = current.conn
    for lower, function in defined.items():
        current.slots.setdefault(lower, set()).add(function.nargs)
    for lower, counts in current.slots.items():
        new = defined.get(lower)
        for nargs in sorted(counts):
            if new is not None:  # Python checks the count: "takes 1 positional argument..."
                wrapped = sql_function(session, new.name, new.function)
            else:
                wrapped = removed_function(session, lower)
            conn.create_function(lower, nargs, wrapped)
    current.functions = defined
    session.python_functions.clear()
    session.python_functions.update(defined)
