"""Embedding (README "Embed a table or chart"): a widget's attributes and the app's snippet.

embed.js on the host page hands a widget frame its `data-sift-*` attributes as fragment pairs
(the prefix dropped: `data-sift-sort="-pop,name"` arrives as `sort=-pop,name`), plus the id of
the page's shared engine. `from_attributes` turns them into the app's own fragment pairs (the
URL fragment API), the widget's settings and the problems to show inside the widget.
`snippet` does the reverse for the app's Embed button: the current view as a script tag.

Pure and MicroPython-compatible (the UI imports it on the main thread), like sift.fragment.
"""

from sift.fragment import parse_fragment, percent_encode

TYPE_CHECKING = False
if TYPE_CHECKING:
    Pairs = list[tuple[str, str]]

ENGINE_KEY = "engine"  # embed.js: the page's shared engine (a channel id, not an attribute)
THEMES = ("auto", "light", "dark")
VIEWS = ("table", "chart")
# Attributes that are one fragment key each, as they are.
PLAIN = ("src", "view", "sql", "chart", "table", "q")
# Attributes that hold a comma-separated list, one fragment pair per item (%2C for a comma).
LISTS = ("sort", "facet")
ITEM_ESCAPES = {"2C": ",", "20": " ", "25": "%"}
FILTER = "filter"  # `col__op=value&col2__op=value`: fragment text, as in a link
# embed.js's own (the frame's height), and the settings the widget keeps for itself.
EMBED_ONLY = ("height", "theme")
ATTRIBUTE_PREFIX = "data-sift-"
SCRIPT_NAME = "embed.js"


def from_attributes(pairs):  # type: (Pairs) -> tuple[Pairs, dict[str, str], list[str]]
    """(fragment pairs for the app, settings {"engine", "theme"}, problems as sentences)."""
    out = []  # type: Pairs
    settings = {"engine": "", "theme": "auto"}
    problems = []  # type: list[str]
    unknown = []  # type: list[str]
    for key, value in pairs:
        if key == ENGINE_KEY:
            settings["engine"] = value
        elif key == "theme":
            if value.strip().lower() in THEMES:
                settings["theme"] = value.strip().lower()
            else:
                problems.append(_choice("theme", value, THEMES) + " The system's theme is used.")
        elif key == "view" and value.strip().lower() not in VIEWS:
            problems.append(_choice("view", value, VIEWS) + " The table is shown.")
        elif key in PLAIN:
            out.append((key, value.strip() if key != "sql" else value))
        elif key in LISTS:
            out.extend((key, item) for item in _items(value))
        elif key == FILTER:
            out.extend(parse_fragment(value.strip()))
        elif key not in EMBED_ONLY and key not in unknown:
            unknown.append(key)
    if not any(key == "src" and value for key, value in out):
        problems.insert(
            0,
            "This widget has no data: its script tag needs data-sift-src, the address of a "
            'data file (for example data-sift-src="data.csv").',
        )
    if unknown:
        names = ", ".join(ATTRIBUTE_PREFIX + key for key in unknown)
        problems.append("Sift does not know these attributes, ignored: " + names + ".")
    return out, settings, problems


def _choice(key, value, allowed):  # type: (str, str, tuple[str, ...]) -> str
    return ATTRIBUTE_PREFIX + key + '="' + value + '" is not one of ' + ", ".join(allowed) + "."


def _items(value):  # type: (str) -> list[str]
    """`-pop, name` -> ["-pop", "name"]: items are trimmed; %2C, %20 and %25 in an item
    stand for a comma, a space kept at an end, and a percent sign (see _escape_item)."""
    return [_unescape_item(item.strip()) for item in value.split(",") if item.strip()]


def _unescape_item(text):  # type: (str) -> str
    out = []
    i = 0
    while i < len(text):
        code = text[i + 1 : i + 3].upper() if text[i] == "%" else ""
        if code in ITEM_ESCAPES:
            out.append(ITEM_ESCAPES[code])
            i += 3
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def _escape_item(text):  # type: (str) -> str
    """A sort or facet column for a comma-separated attribute (_items reverses it)."""
    text = text.replace("%", "%25").replace(",", "%2C")
    body = text.strip()
    if not body:
        return text.replace(" ", "%20")
    start = text.index(body[0])
    end = start + len(body)
    return text[:start].replace(" ", "%20") + body + text[end:].replace(" ", "%20")


def snippet(script_url, pairs, theme="auto", height=""):  # type: (str, Pairs, str, str) -> str
    """The script tag that embeds the view described by the app's fragment `pairs`."""
    attributes = [("src", script_url)]
    sources = [value for key, value in pairs if key == "src"]
    if sources:
        attributes.append((ATTRIBUTE_PREFIX + "src", sources[0]))
    lists = {}  # type: dict[str, list[str]]
    filters = []  # type: Pairs
    for key, value in pairs:
        if key in LISTS:
            lists.setdefault(key, []).append(_escape_item(value))
        elif key in PLAIN and key != "src":
            attributes.append((ATTRIBUTE_PREFIX + key, value))
        elif key != "src":
            filters.append((key, value))
    for key in LISTS:
        if key in lists:
            attributes.append((ATTRIBUTE_PREFIX + key, ",".join(lists[key])))
    if filters:
        text = "&".join(percent_encode(key) + "=" + percent_encode(value) for key, value in filters)
        attributes.append((ATTRIBUTE_PREFIX + FILTER, text))
    if theme != "auto":
        attributes.append((ATTRIBUTE_PREFIX + "theme", theme))
    if height:
        attributes.append((ATTRIBUTE_PREFIX + "height", height))
    text = " ".join(name + '="' + escape_attribute(value) + '"' for name, value in attributes)
    return "<script " + text + "></script>"


def escape_attribute(value):  # type: (str) -> str
    """Text for a double-quoted HTML attribute value."""
    return (
        value.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")
    )
