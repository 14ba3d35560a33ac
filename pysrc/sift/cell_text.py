"""How the grid shows a value: numbers grouped, dates readable, NULL apart from empty text.

The grid asks for each column's kind once per view (from the declared type, or from the
values when a column has none), then turns values into cell text with `cell_text`. Long
text is cut for the cell; `full_text` is what the row detail and a focused cell show.

Pure and MicroPython-compatible (the UI ships it as source): no typing import, type
comments only, floats printed with "%.15g" because MicroPython's repr prints 17 digits.
Imports: sift.number_format.
"""

from sift.number_format import grouped

NUMBER = "number"
TEXT = "text"
DATE = "date"
DATETIME = "datetime"
BOOLEAN = "boolean"
NULL_TEXT = "NULL"
CELL_CHARS = 200  # a cell holds at most this many characters; the rest shows on focus
ELLIPSIS = "\u2026"
# Column widths in pixels, estimated from characters (the grid's font is ~7.5 px a char).
CHAR_PX = 8
CELL_PADDING_PX = 24
HEADER_EXTRA_PX = 36  # the sort mark and the menu button beside the name
MIN_WIDTH_PX = 64
MAX_WIDTH_PX = 320
SAMPLE_ROWS = 100


def declared_kind(declared):  # type: (str) -> str | None
    """The kind a declared SQL type implies, following SQLite's affinity rules for numbers;
    None when nothing is declared (the values decide)."""
    upper = str(declared or "").upper()
    if not upper:
        return None
    if upper == "BOOLEAN":
        return BOOLEAN
    if upper == "DATE":
        return DATE
    if upper in ("DATETIME", "TIMESTAMP"):
        return DATETIME
    if "CHAR" in upper or "CLOB" in upper or "TEXT" in upper or "BLOB" in upper:
        return TEXT
    for part in ("INT", "REAL", "FLOA", "DOUB", "NUM", "DEC"):
        if part in upper:
            return NUMBER
    return TEXT


def is_number(value):  # type: (object) -> bool
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def column_kinds(types, rows, width):  # type: (list[str], list[list[object]], int) -> list[str]
    """Each column's kind: from its declared type, else NUMBER when every sampled non-NULL
    value is a number, else TEXT."""
    kinds = []
    for index in range(width):
        kind = declared_kind(types[index] if index < len(types) else "")
        if kind is None:
            values = [row[index] for row in rows[:SAMPLE_ROWS] if row[index] is not None]
            kind = NUMBER if values and all(is_number(v) for v in values) else TEXT
        kinds.append(kind)
    return kinds


def number_text(value):  # type: (object) -> str
    """1234567 -> '1,234,567', 1234.5 -> '1,234.5', 1e+20 stays as is, '12345' (an integer
    too big for JavaScript, sent as text) -> '12,345'."""
    if isinstance(value, int):
        return grouped(value)
    text = f"{value:.15g}" if isinstance(value, float) else str(value)
    sign = ""
    if text.startswith("-"):
        sign, text = "-", text[1:]
    whole, dot, fraction = text.partition(".")
    if not whole.isdigit() or (fraction and not fraction.isdigit()):
        return sign + text  # exponents, Infinity, or text that is not a plain number
    return sign + grouped(int(whole)) + dot + fraction


def datetime_text(value):  # type: (str) -> str
    """'2024-05-01T13:45:00' -> '2024-05-01 13:45:00' (ISO dates read well and sort)."""
    if len(value) > 10 and value[10] == "T" and value[4] == "-":
        return value[:10] + " " + value[11:]
    return value


def full_text(value, kind):  # type: (object, str) -> str
    """A value as the row detail shows it: whole, NULL spelled out."""
    if value is None:
        return NULL_TEXT
    if value is True or value is False:
        return "true" if value else "false"
    if is_number(value) or (kind == NUMBER and isinstance(value, str)):
        return number_text(value)
    text = str(value)
    if kind == DATETIME:
        return datetime_text(text)
    return text


def cell_text(value, kind):  # type: (object, str) -> str
    """A value as a grid cell shows it: `full_text`, cut to CELL_CHARS characters."""
    text = full_text(value, kind)
    if len(text) > CELL_CHARS:
        return text[: CELL_CHARS - 1] + ELLIPSIS
    return text


def column_width(name, texts):  # type: (str, list[str]) -> int
    """A starting width in pixels that fits the header and most values, within bounds."""
    longest = 0
    for text in texts:
        if len(text) > longest:
            longest = len(text)
    header = len(name) * CHAR_PX + HEADER_EXTRA_PX
    cells = longest * CHAR_PX + CELL_PADDING_PX
    wanted = header if header > cells else cells
    return max(MIN_WIDTH_PX, min(MAX_WIDTH_PX, wanted))
