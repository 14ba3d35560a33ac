"""What went wrong in user Python, said the Sift way: the "python" error kind, syntax errors
with their line and column, and one-line descriptions of exceptions raised by user code.

User code may fail any way Python can; ``passes_through`` names the exceptions that are not
the user code's failure but the engine's (Cancel, a deadline, memory, the worker's interrupt),
which every ``except`` around user code must re-raise.
Imports: the standard library and sift.errors, sift.deadline, sift.jobs.
"""

from __future__ import annotations

import difflib
import traceback
from collections.abc import Mapping
from types import TracebackType
from typing import ClassVar

from sift.deadline import QueryTimeout
from sift.errors import SiftError
from sift.jobs import Cancelled

EXPRESSION_FILE = "<expression>"
FUNCTIONS_FILE = "<functions>"
MAX_MESSAGE = 300  # a row's error message is shown in one line


class PythonError(SiftError):
    """User Python that does not compile, or that failed where the whole command must stop."""

    kind: ClassVar[str] = "python"


def passes_through(error: BaseException) -> bool:
    """True for exceptions that stop the command rather than count against one row or call."""
    return isinstance(error, Cancelled | QueryTimeout | MemoryError) or not isinstance(
        error, Exception | SystemExit
    )


def syntax_error(
    error: SyntaxError, subject: str, hint: str, *, show_line: bool, shift: tuple[int, int] = (0, 0)
) -> PythonError:
    """``error`` as "The expression has a syntax error at column 7: invalid syntax", where
    ``subject`` is "The expression has" ("at line 2, column 7" when ``show_line`` or past the
    first line). ``shift`` (lines, columns) was stripped from the start of the code before
    compiling: positions are given in the code as typed."""
    text = (error.text or "").rstrip("\n")
    line = (error.lineno or 1) + shift[0]
    column = error.offset if error.offset and error.offset > 0 else len(text) + 1
    if line == 1 + shift[0]:
        column += shift[1]
    place = f"line {line}, column {column}" if show_line or line > 1 else f"column {column}"
    return PythonError(
        f"{subject} a syntax error at {place}: {error.msg}",
        hint=hint,
        line=line,
        column=column,
        details=text.strip() or None,
    )


def describe(error: BaseException, names: Mapping[str, str] | None = None) -> str:
    """One line for an exception raised by user code: "ZeroDivisionError: division by zero".
    For an unknown name, the close ``names`` (name -> how to write it) are suggested:
    "NameError: name 'amout' is not defined; did you mean amount?"."""
    text = str(error)
    if isinstance(error, NameError) and error.name and names:
        close = difflib.get_close_matches(error.name, list(names), n=3, cutoff=0.6)
        if close:
            text = f"{text}; did you mean {' or '.join(names[name] for name in close)}?"
    line = f"{type(error).__name__}: {text}" if text else type(error).__name__
    line = " ".join(line.split())
    return line if len(line) <= MAX_MESSAGE else line[: MAX_MESSAGE - 1] + "…"


def user_position(tb: TracebackType | None, filename: str) -> tuple[int | None, int | None]:
    """The line and column (1-based) of the innermost frame of user code named ``filename``."""
    found: tuple[int | None, int | None] = (None, None)
    for frame in traceback.extract_tb(tb):
        if frame.filename == filename:
            column = getattr(frame, "colno", None)
            found = (frame.lineno, None if column is None else column + 1)
    return found
