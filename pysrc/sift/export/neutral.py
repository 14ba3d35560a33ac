"""Formula neutralization for spreadsheets (OWASP "CSV Injection").

A spreadsheet treats a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a formula, and a
leading tab or carriage return can hide one; OWASP's advice is to prefix such cells with a
single quote so they are read as text. Text that is wholly a plain decimal number ("-5",
"+3.2", "-1e5") is left alone: a spreadsheet reads it as that number, never as a formula, and a
quote would change the value every reader sees while protecting nothing.
Imports: the standard library only.
"""

from __future__ import annotations

import re

TRIGGERS = frozenset("=+-@\t\r")
PREFIX = "'"
# ASCII digits only (\d would also take other scripts' digits), the whole text (fullmatch:
# "$" would let a trailing newline through).
_PLAIN_NUMBER = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?")


def starts_like_formula(text: str) -> bool:
    """True if ``text`` begins with a character that can start a formula."""
    return text[:1] in TRIGGERS


def needs_prefix(text: str) -> bool:
    """True if a spreadsheet could read ``text`` as a formula: it starts with a trigger and is
    not simply a number."""
    return starts_like_formula(text) and _PLAIN_NUMBER.fullmatch(text) is None


def neutralize(text: str) -> str:
    """``text`` with a single quote in front if a spreadsheet could read it as a formula."""
    return PREFIX + text if needs_prefix(text) else text
