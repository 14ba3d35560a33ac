"""The URL fragment API of DESIGN.md: parse `#key=value&...` into ordered pairs.

Pure and deliberately plain: it also runs under MicroPython in the UI (no urllib, no typing),
so the shell can read `#src=` before the engine has booted.
"""

HEX = "0123456789abcdefABCDEF"
KNOWN_KEYS = ("src",)
# Characters a fragment value may hold as they are; everything else is %XX-escaped. Kept out:
# & = # % + (they delimit pairs, start escapes or mean a space) and space.
UNESCAPED = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~/:,@!$;?"


def percent_decode(text):  # type: (str) -> str
    """Decode %XX escapes as UTF-8 and '+' as a space; malformed escapes stay literal."""
    out = bytearray()
    i = 0
    raw = text.encode("utf-8")
    while i < len(raw):
        byte = raw[i]
        if byte == 0x25 and _is_hex(raw[i + 1 : i + 3]):
            out.append(int(raw[i + 1 : i + 3].decode(), 16))
            i += 3
            continue
        out.append(0x20 if byte == 0x2B else byte)
        i += 1
    return bytes(out).decode("utf-8", "replace")


def percent_encode(text):  # type: (str) -> str
    """Escape `text` for a fragment key or value as UTF-8 %XX; percent_decode reverses it."""
    out = []
    for byte in text.encode("utf-8"):
        char = chr(byte)
        out.append(char if byte < 0x80 and char in UNESCAPED else _escape(byte))
    return "".join(out)


def _escape(byte):  # type: (int) -> str
    return "%" + HEX[byte >> 4].upper() + HEX[byte & 15].upper()


def _is_hex(pair):  # type: (bytes) -> bool
    return len(pair) == 2 and all(chr(b) in HEX for b in pair)


def parse_fragment(fragment):  # type: (str) -> list[tuple[str, str]]
    """`#a=1&b=2&a=3` -> [("a", "1"), ("b", "2"), ("a", "3")]; empty parts are skipped."""
    if fragment.startswith("#"):
        fragment = fragment[1:]
    pairs = []
    for part in fragment.split("&"):
        if not part:
            continue
        key_value = part.split("=", 1)
        value = key_value[1] if len(key_value) == 2 else ""
        pairs.append((percent_decode(key_value[0]), percent_decode(value)))
    return pairs


def sources(pairs):  # type: (list[tuple[str, str]]) -> list[str]
    """The `src` values, in order, without blanks."""
    return [value for key, value in pairs if key == "src" and value.strip()]


def unknown_keys(pairs):  # type: (list[tuple[str, str]]) -> list[str]
    """Keys other than `src`, reported rather than dropped (sift.view_state knows the view's
    keys: the UI asks it instead)."""
    seen = []
    for key, _ in pairs:
        if key not in KNOWN_KEYS and key not in seen:
            seen.append(key)
    return seen


def name_from_url(url):  # type: (str) -> str
    """The file name a URL points at ('data.csv' for 'https://x.org/a/data.csv?v=1')."""
    path = url.split("#", 1)[0].split("?", 1)[0].rstrip("/")
    name = percent_decode(path.split("/")[-1]) if "/" in path else ""
    return name or url


ALLOWED_SCHEMES = ("http", "https")


def scheme_problem(url):  # type: (str) -> str
    """'' if Sift may download `url`, else a sentence saying why not (javascript:, file:, ...)."""
    scheme = url.split(":", 1)[0].lower() if ":" in url else ""
    if scheme in ALLOWED_SCHEMES:
        return ""
    return "Sift can open http and https URLs only, not " + (scheme or "this") + ": addresses."
