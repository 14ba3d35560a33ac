"""A chart's spec as the URL fragment holds it: `chart=bar;x:district;y:amount;agg:sum`.

The text is the chart type, then `key:value` parts separated by `;` (keys: x, y, agg, color,
title); a value's own `%` and `;` are written `%25` and `%3B` (the fragment then percent-encodes
the whole value once more). `view=table|chart` says which one the page shows. A spec is a
plain dict {"type", "x", "y", "agg", "color", "title"}, None where unset: the engine's
`chart` command takes it as it is and fills in the rest (docs/chart-contract.md).

Pure and MicroPython-compatible, like sift.view_state: the UI imports it on the main thread.
So no typing import, no dataclasses, no f-string format specs; types are given in comments.
Imports: nothing.
"""

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    Spec = dict[str, Any]

TYPES = ("bar", "line", "area", "scatter", "histogram")
AGGREGATES = ("count", "sum", "mean", "min", "max")
KEYS = ("x", "y", "agg", "color", "title")
VIEW_MODES = ("table", "chart")
CHART_KEY = "chart"
VIEW_KEY = "view"
SEPARATOR = ";"
ASSIGN = ":"


def empty_chart(kind=None):  # type: (str | None) -> Spec
    return {"type": kind, "x": None, "y": None, "agg": None, "color": None, "title": None}


def escape_part(text):  # type: (str) -> str
    return text.replace("%", "%25").replace(SEPARATOR, "%3B")


def unescape_part(text):  # type: (str) -> str
    """Undo escape_part; any other `%` stays as it is."""
    out = []
    i = 0
    while i < len(text):
        code = text[i + 1 : i + 3].upper() if text[i] == "%" else ""
        if code == "25":
            out.append("%")
            i += 3
        elif code == "3B":
            out.append(SEPARATOR)
            i += 3
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def parse_chart(text):  # type: (str) -> Spec
    """The spec in `text`. Parts that mean nothing (an unknown type or key, a key without a
    value) are listed, as written, under "ignored" so the page can say so."""
    spec = empty_chart()
    ignored = []  # type: list[str]
    first = True
    for part in text.split(SEPARATOR):
        if not part.strip():
            continue
        cut = part.find(ASSIGN)
        leading = first
        first = False
        if cut < 0:
            kind = part.strip().lower()
            if leading and kind in TYPES:
                spec["type"] = kind
            else:
                ignored.append(unescape_part(part))
            continue
        key = part[:cut].strip().lower()
        value = unescape_part(part[cut + 1 :])
        if key not in KEYS or not value.strip() or spec[key] is not None:
            ignored.append(unescape_part(part))
        elif key == "agg":
            if value.strip().lower() in AGGREGATES:
                spec["agg"] = value.strip().lower()
            else:
                ignored.append(unescape_part(part))
        else:
            spec[key] = value if key == "title" else value.strip()
    spec["ignored"] = ignored
    return spec


def format_chart(spec):  # type: (Spec) -> str
    """The fragment text of a spec: its type, then the keys that are set, in KEYS order."""
    parts = [str(spec.get("type") or "")]
    for key in KEYS:
        value = spec.get(key)
        if value is not None and str(value) != "":
            parts.append(key + ASSIGN + escape_part(str(value)))
    return SEPARATOR.join(parts)


def parse_view_mode(pairs):  # type: (list[tuple[str, str]]) -> str
    """ "chart" when the first `view` pair says so, else "table"."""
    for key, value in pairs:
        if key == VIEW_KEY:
            return "chart" if value.strip().lower() == "chart" else "table"
    return "table"


def chart_text(pairs):  # type: (list[tuple[str, str]]) -> str | None
    """The first `chart` value of the fragment, or None."""
    for key, value in pairs:
        if key == CHART_KEY:
            return value
    return None


def chart_pairs(mode, spec):  # type: (str, Spec | None) -> list[tuple[str, str]]
    """The fragment pairs for a chart view: [] for the table (the default)."""
    if mode != "chart":
        return []
    pairs = [(VIEW_KEY, "chart")]
    if spec is not None and spec.get("type"):
        pairs.append((CHART_KEY, format_chart(spec)))
    return pairs
