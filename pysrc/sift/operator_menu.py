"""Which filter operators a column's menu offers (shared with the MicroPython UI).

The engine's registry (`operators` command, sift.filters.registry) lists each operator's
kinds of column, and every view reply gives each column's kind (`kinds`, from
sift.filters.column_kind): the menu is the registry entries for that kind, in registry order.
Pure and MicroPython-compatible; imports nothing.
"""


def operators_for(registry, kind):  # type: (list[dict[str, object]], str) -> list[dict[str, object]]
    """The registry entries that apply to a column of this kind, in registry order."""
    chosen = []
    for entry in registry:
        kinds = entry.get("kinds")
        if isinstance(kinds, list) and kind in kinds:
            chosen.append(entry)
    return chosen
