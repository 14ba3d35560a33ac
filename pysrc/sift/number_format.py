"""Numbers as people read them: "1,234", "12.5%", "3.14" (shared with the MicroPython UI).

Pure and MicroPython-compatible: the UI ships this module as source, and MicroPython's
format() has no "," option and prints floats with many digits, so grouping and rounding are
done here by hand. Imports nothing.
"""


def grouped(number: int) -> str:
    """1234567 -> '1,234,567'; -1234 -> '-1,234'."""
    sign = "-" if number < 0 else ""
    digits = str(-number if number < 0 else number)
    groups: list[str] = []
    while len(digits) > 3:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    groups.insert(0, digits)
    return sign + ",".join(groups)


def fixed(value: float, places: int) -> str:
    """A float with at most `places` decimals, trailing zeros dropped, thousands grouped:
    1234.5 -> '1,234.5', 2.0 -> '2', -0.004 (2 places) -> '0'."""
    text = ("{:." + str(places) + "f}").format(value)
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if text in ("-0", ""):
        text = "0"
    negative = text.startswith("-")
    if negative:
        text = text[1:]
    whole, dot, fraction = text.partition(".")
    return ("-" if negative else "") + grouped(int(whole)) + dot + fraction


def figure(value: object) -> str:
    """Any profile figure as text: ints grouped, floats to 4 significant-ish decimals,
    None as '—', anything else (dates, text) as is."""
    if value is None:
        return "—"
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, int):
        return grouped(value)
    if isinstance(value, float):
        if value != value:  # NaN
            return "NaN"
        size = -value if value < 0 else value
        if size >= 1e15:
            return f"{value:.3g}"
        if size >= 100:
            return fixed(value, 1)
        if size >= 1 or size == 0:
            return fixed(value, 2)
        if size >= 0.001:
            return fixed(value, 4)
        return f"{value:.3g}"
    return str(value)


def percent(value: float) -> str:
    """A percentage already scaled to 0..100: 12.5 -> '12.5%', 0.04 -> '<0.1%', 100.0 -> '100%'.
    A small non-zero share never shows as 0%, nor an incomplete one as 100%."""
    if value <= 0:
        return "0%"
    if value < 0.1:
        return "<0.1%"
    if value >= 100:
        return "100%"
    if value > 99.9:
        return ">99.9%"
    return fixed(value, 1) + "%"


def count_text(count: int, noun: str) -> str:
    """3 -> '3 rows', 1 -> '1 row', 1200 -> '1,200 rows' (regular plurals only)."""
    return grouped(count) + " " + (noun if count == 1 else noun + "s")
