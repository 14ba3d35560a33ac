"""Names for SQL objects: table names from file names, unique column names, quoted identifiers.

Every identifier that reaches SQL goes through ``quote_ident``; values go through bound
parameters. Imports: the standard library only.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

MAX_TABLE_NAME = 60
FALLBACK_TABLE_NAME = "table"

_UNSAFE = re.compile(r"[^A-Za-z0-9_]+")


def quote_ident(name: str) -> str:
    """Quote ``name`` as an SQLite identifier: double quotes, inner quotes doubled."""
    if "\x00" in name:
        raise ValueError("An SQL identifier cannot contain a NUL character.")
    return '"' + name.replace('"', '""') + '"'


def table_name_from_filename(filename: str, existing: Iterable[str]) -> str:
    """A safe, unique table name (``[A-Za-z0-9_]``, at most 60 characters) for ``filename``."""
    return table_name(_stem(filename), existing)


def table_name(text: str, existing: Iterable[str]) -> str:
    """``text`` as a safe, unique table name: what a person typed to rename a table."""
    base = _safe(text)
    if base[0].isdigit() or base.lower().startswith("sqlite_"):
        base = "t_" + base  # identifiers must not start with a digit; sqlite_* is reserved
    return _unique(base[:MAX_TABLE_NAME], {name.lower() for name in existing})


def _stem(filename: str) -> str:
    """The file name without directories or extension."""
    leaf = re.split(r"[/\\]", filename)[-1]
    stem, dot, _ = leaf.rpartition(".")
    return stem if dot and stem.strip(".") else leaf


def _safe(text: str) -> str:
    """``text`` reduced to ASCII letters, digits and _ ("café" -> "cafe": accents dropped)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _UNSAFE.sub("_", ascii_text).strip("_") or FALLBACK_TABLE_NAME


def _unique(base: str, taken_lower: set[str]) -> str:
    """``base``, or ``base_2``, ``base_3``... whichever is not taken (case-insensitively)."""
    candidate, n = base, 1
    while candidate.lower() in taken_lower:
        n += 1
        suffix = f"_{n}"
        candidate = base[: MAX_TABLE_NAME - len(suffix)] + suffix
    return candidate


def unique_column_names(header: list[str]) -> list[str]:
    """One non-empty, case-insensitively unique name per header cell; no column is ever dropped.

    Whitespace is stripped, NUL characters are removed (SQLite identifiers cannot hold them),
    an empty cell becomes ``column_N`` (N is its 1-based position) and a repeated name gets
    ``_2``, ``_3``... without stealing a name that appears later in the header.
    """
    cleaned = [
        cell.replace("\x00", "").strip() or f"column_{position}"
        for position, cell in enumerate(header, start=1)
    ]
    reserved = {name.lower() for name in cleaned}
    used: set[str] = set()
    next_suffix: dict[str, int] = {}
    names: list[str] = []
    for name in cleaned:
        unique = name
        if name.lower() in used:
            n = next_suffix.get(name.lower(), 2)
            while f"{name}_{n}".lower() in used or f"{name}_{n}".lower() in reserved:
                n += 1
            next_suffix[name.lower()] = n + 1
            unique = f"{name}_{n}"
        used.add(unique.lower())
        names.append(unique)
    return names
