"""The view state and its URL fragment (DESIGN.md, "The URL fragment is a public API").

A view state is a plain dict: {"table": name or None, "sort": [{"column", "desc"}],
"filters": [{"column", "op", "value"}], "q": text, "facets": [column]}. This module turns
fragment pairs into a state, a state back into a fragment, a state into the engine's view
spec (docs/explore-contract.md), and holds the pure rules the grid follows (the sort cycle,
the sentence announcing a sort).

Pure and MicroPython-compatible, like sift.fragment: the UI imports it on the main thread.
So no typing import, no dataclasses, no f-string format specs; types are given in comments.
The chart's part of the fragment (`view=chart&chart=<spec>`, sift.chart_spec) follows the
view's pairs: `chart_fragment` appends it to what `view_fragment` wrote.
Imports: sift.fragment and sift.chart_spec.
"""

from sift.chart_spec import CHART_KEY, VIEW_KEY, chart_pairs
from sift.fragment import percent_encode

# MicroPython has no typing module; mypy reads the names below as always imported.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    State = dict[str, Any]
    Sort = list[dict[str, Any]]

# The filter operators of the engine's registry, in its order (a unit test compares them).
OPERATORS = (
    "exact",
    "not",
    "contains",
    "startswith",
    "endswith",
    "gt",
    "gte",
    "lt",
    "lte",
    "between",
    "isnull",
    "notnull",
    "istrue",
    "isfalse",
)
# Operators that take no value: their fragment value is empty.
NO_VALUE_OPERATORS = ("isnull", "notnull", "istrue", "isfalse")
VIEW_KEYS = ("table", "sort", "q", "facet")
SOURCE_KEY = "src"
# `sql=<query>`: the view shows this query's result (run read-only); the result table's name
# is the engine's and changes from run to run, so such a link has no `table=`.
SQL_KEY = "sql"
FILTER_SEPARATOR = "__"
DESCENDING = "-"


def empty_view(table=None):  # type: (str | None) -> State
    return {"table": table, "sort": [], "filters": [], "q": "", "facets": []}


def filter_key(key):  # type: (str) -> tuple[str, str] | None
    """`city__exact` -> ("city", "exact"); None unless the part after the last `__` is an
    operator and a column name comes before it (so `a__b__gt` filters the column `a__b`)."""
    cut = key.rfind(FILTER_SEPARATOR)
    if cut <= 0:
        return None
    op = key[cut + len(FILTER_SEPARATOR) :]
    if op not in OPERATORS:
        return None
    return key[:cut], op


def parse_sort(value):  # type: (str) -> State | None
    """`-age` -> age descending, `age` -> ascending; None for a blank value."""
    value = value.strip()
    desc = value.startswith(DESCENDING)
    column = value[1:] if desc else value
    if not column:
        return None
    return {"column": column, "desc": desc}


def parse_view(pairs):  # type: (list[tuple[str, str]]) -> State
    """The view a fragment's pairs describe. The first non-blank `table` and `q` win; a column
    sorted twice keeps its first place; facets are kept once each, in order."""
    state = empty_view()
    sort = []  # type: Sort
    filters = []  # type: Sort
    facets = []  # type: list[str]
    for key, value in pairs:
        if key == "table":
            if state["table"] is None and value.strip():
                state["table"] = value.strip()
        elif key == "q":
            if not state["q"] and value.strip():
                state["q"] = value
        elif key == "sort":
            entry = parse_sort(value)
            if entry is not None and entry["column"] not in [s["column"] for s in sort]:
                sort.append(entry)
        elif key == "facet":
            if value.strip() and value not in facets:
                facets.append(value)
        else:
            parsed = filter_key(key)
            if parsed is not None:
                filters.append({"column": parsed[0], "op": parsed[1], "value": value})
    state["sort"] = sort
    state["filters"] = filters
    state["facets"] = facets
    return state


def parse_sql(pairs):  # type: (list[tuple[str, str]]) -> str
    """The first non-blank `sql=` value, or ''."""
    for key, value in pairs:
        if key == SQL_KEY and value.strip():
            return value
    return ""


def unknown_keys(pairs):  # type: (list[tuple[str, str]]) -> list[str]
    """Keys that are neither `src`, `sql`, `view`, `chart`, a view key nor a filter, once
    each in order: the user is told they are ignored."""
    seen = []  # type: list[str]
    for key, _value in pairs:
        known = (
            key in (SOURCE_KEY, SQL_KEY, VIEW_KEY, CHART_KEY)
            or key in VIEW_KEYS
            or filter_key(key) is not None
        )
        if not known and key not in seen:
            seen.append(key)
    return seen


def view_pairs(state):  # type: (State) -> list[tuple[str, str]]
    """The fragment pairs for a state: table, sort, q, facet, then the filters in order."""
    pairs = []  # type: list[tuple[str, str]]
    if state.get("table"):
        pairs.append(("table", str(state["table"])))
    for entry in _list(state, "sort"):
        pairs.append(("sort", (DESCENDING if entry.get("desc") else "") + str(entry["column"])))
    if state.get("q"):
        pairs.append(("q", str(state["q"])))
    for column in _list(state, "facets"):
        pairs.append(("facet", str(column)))
    for entry in _list(state, "filters"):
        key = str(entry["column"]) + FILTER_SEPARATOR + str(entry["op"])
        pairs.append((key, str(entry.get("value", ""))))
    return pairs


def view_fragment(state, sources, sql=""):  # type: (State, list[str], str) -> str
    """`#src=...&table=people&sort=-age&city__exact=Paris`; "" when there is nothing to say.
    With `sql` (the view shows that query's result): `#src=...&sql=...&sort=...`, no table."""
    pairs = [(SOURCE_KEY, source) for source in sources]
    if sql:
        pairs.append((SQL_KEY, sql))
        state = dict(state)
        state["table"] = None
    pairs = pairs + view_pairs(state)
    if not pairs:
        return ""
    return "#" + "&".join(percent_encode(key) + "=" + percent_encode(value) for key, value in pairs)


def chart_fragment(fragment, mode, spec):  # type: (str, str, State | None) -> str
    """`fragment` (view_fragment's text) with the chart's pairs after it: `&view=chart&chart=
    bar;x:kind` in chart mode (the spec's `ignored` parts left out), unchanged for the table
    (the default) or when there is no fragment (no table shown)."""
    pairs = chart_pairs(mode, spec)
    if not pairs or not fragment:
        return fragment
    text = "&".join(percent_encode(key) + "=" + percent_encode(value) for key, value in pairs)
    return fragment + "&" + text


def view_spec(state):  # type: (State) -> State
    """The engine's view spec: table plus the sort, filters and q that are set."""
    spec = {"table": state["table"]}  # type: State
    if _list(state, "sort"):
        spec["sort"] = [
            {"column": s["column"], "desc": bool(s.get("desc"))} for s in _list(state, "sort")
        ]
    if _list(state, "filters"):
        spec["filters"] = [
            {"column": f["column"], "op": f["op"], "value": str(f.get("value", ""))}
            for f in _list(state, "filters")
        ]
    if state.get("q"):
        spec["q"] = state["q"]
    return spec


def next_sort(sort, column, add):  # type: (Sort, str, bool) -> Sort
    """The sort after a click on `column`'s header. A click cycles that column through
    ascending, descending and off, and makes it the only sort; with `add` (Shift-click) the
    column is appended as a further sort, or cycled where it already is."""
    current = None
    for entry in sort:
        if entry["column"] == column:
            current = entry
    if current is None:
        step = [{"column": column, "desc": False}]  # type: Sort
    elif not current["desc"]:
        step = [{"column": column, "desc": True}]
    else:
        step = []
    if not add:
        return step
    result = []  # type: Sort
    for entry in sort:
        if entry["column"] == column:
            result.extend(step)
        else:
            result.append({"column": entry["column"], "desc": bool(entry["desc"])})
    if current is None:
        result.extend(step)
    return result


def set_sort(sort, column, direction):  # type: (Sort, str, str) -> Sort
    """The sort after a header menu's choice: "asc", "desc" or "off" for `column` alone,
    other sorted columns keep their place."""
    result = []  # type: Sort
    placed = False
    for entry in sort:
        if entry["column"] != column:
            result.append({"column": entry["column"], "desc": bool(entry["desc"])})
        elif direction != "off":
            result.append({"column": column, "desc": direction == "desc"})
            placed = True
    if not placed and direction != "off":
        result.append({"column": column, "desc": direction == "desc"})
    return result


def sort_sentence(sort):  # type: (Sort) -> str
    """What the status region says after a sort change: "Sorted by age, descending, then by
    name, ascending." or "Sort removed: rows in table order."."""
    if not sort:
        return "Sort removed: rows in table order."
    parts = []
    for entry in sort:
        direction = "descending" if entry["desc"] else "ascending"
        parts.append("by " + str(entry["column"]) + ", " + direction)
    return "Sorted " + ", then ".join(parts) + "."


def sort_direction(sort, column):  # type: (Sort, str) -> str
    """The aria-sort value of a column: "ascending", "descending" or "none"."""
    for entry in sort:
        if entry["column"] == column:
            return "descending" if entry["desc"] else "ascending"
    return "none"


def _list(state, key):  # type: (State, str) -> list[Any]
    value = state.get(key)
    return value if isinstance(value, list) else []
