"""Which filter operators a column's menu offers (shared with the MicroPython UI).

The engine's registry (`operators` command, sift.filters.registry) lists each operator's
kinds of column; a column's kind comes from its declared type by the same rules as
sift.filters.column_kind, repeated here because sift.filters cannot run under MicroPython
(a unit test keeps the two in step). Pure and MicroPython-compatible; imports nothing.
"""

TEXT, NUMBER, DATE, BOOLEAN = "text", "number", "date", "boolean"


def column_kind(declared: str) -> str:
    """text, number, date or boolean, by SQLite's affinity rules after Sift's own types."""
    upper = str(declared or "").strip().upper()
    if upper in ("BOOLEAN", "BOOL"):
        return BOOLEAN
    if upper in ("DATE", "DATETIME", "TIMESTAMP"):
        return DATE
    if "INT" in upper:
        return NUMBER
    for part in ("CHAR", "CLOB", "TEXT", "BLOB"):
        if part in upper:
            return TEXT
    if not upper:
        return TEXT
    return NUMBER


def operators_for(registry: list[dict[str, object]], declared: str) -> list[dict[str, object]]:
    """The registry entries that apply to a column of this declared type, in registry order.
    An entry without `kinds` is matched by its declared `types` instead."""
    kind = column_kind(declared)
    chosen = []
    for entry in registry:
        kinds = entry.get("kinds")
        if isinstance(kinds, list):
            if kind in kinds:
                chosen.append(entry)
        else:
            types = entry.get("types")
            if isinstance(types, list) and str(declared or "").strip().upper() in types:
                chosen.append(entry)
    return chosen
