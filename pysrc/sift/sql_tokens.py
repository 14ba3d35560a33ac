"""SQL tokens for the SQL editor: highlighting, `:name` parameters, completion, error marks.

A hand-written scanner of SQLite's lexical rules (https://sqlite.org/lang_expr.html): it never
fails, whatever the text, since it runs on every keystroke. Unterminated strings, quoted
identifiers and block comments run to the end of the text.

Pure and MicroPython-compatible, like sift.view_state: the UI imports it on the main thread.
So no typing import, no dataclasses, no `re`, no f-string format specs; types are in comments.
The scanner reads the text's UTF-8 bytes: MicroPython stores a str as UTF-8, so `text[i]`
walks the string from its start (measured: tokenizing 7,600 characters took 656 ms by
index, a few ms over bytes). Offsets given out are still string indexes.
Imports: nothing.
"""

# MicroPython has no typing module; mypy reads the names below as always imported.
TYPE_CHECKING = False
if TYPE_CHECKING:
    Token = tuple[str, int, int]
    Lexeme = tuple[str, int, int, str]
    Candidate = tuple[str, str, str]
    Schema = dict[str, list[str]]


def _words(text):  # type: (str) -> list[str]
    return text.split()


KEYWORD = "keyword"
IDENTIFIER = "identifier"
QUOTED = "quoted"  # a quoted identifier: "name", `name` or [name]
STRING = "string"  # 'text', and blob literals x'00ff'
NUMBER = "number"
COMMENT = "comment"
PARAMETER = "parameter"  # :name, @name, $name, ?, ?NNN
OPERATOR = "operator"
PUNCTUATION = "punctuation"  # ( ) , ; . and any character SQLite does not know
WHITESPACE = "whitespace"

# SQLite's keywords (https://sqlite.org/lang_keywords.html).
KEYWORDS = frozenset(
    _words(
        "ABORT ACTION ADD AFTER ALL ALTER ALWAYS ANALYZE AND AS ASC ATTACH AUTOINCREMENT BEFORE "
        "BEGIN BETWEEN BY CASCADE CASE CAST CHECK COLLATE COLUMN COMMIT CONFLICT CONSTRAINT "
        "CREATE CROSS CURRENT CURRENT_DATE CURRENT_TIME CURRENT_TIMESTAMP DATABASE DEFAULT "
        "DEFERRABLE DEFERRED DELETE DESC DETACH DISTINCT DO DROP EACH ELSE END ESCAPE EXCEPT "
        "EXCLUDE EXCLUSIVE EXISTS EXPLAIN FAIL FILTER FIRST FOLLOWING FOR FOREIGN FROM FULL "
        "GENERATED GLOB GROUP GROUPS HAVING IF IGNORE IMMEDIATE IN INDEX INDEXED INITIALLY INNER "
        "INSERT INSTEAD INTERSECT INTO IS ISNULL JOIN KEY LAST LEFT LIKE LIMIT MATCH MATERIALIZED "
        "NATURAL NO NOT NOTHING NOTNULL NULL NULLS OF OFFSET ON OR ORDER OTHERS OUTER OVER "
        "PARTITION PLAN PRAGMA PRECEDING PRIMARY QUERY RAISE RANGE RECURSIVE REFERENCES REGEXP "
        "REINDEX RELEASE RENAME REPLACE RESTRICT RETURNING RIGHT ROLLBACK ROW ROWS SAVEPOINT "
        "SELECT SET TABLE TEMP TEMPORARY THEN TIES TO TRANSACTION TRIGGER UNBOUNDED UNION UNIQUE "
        "UPDATE USING VACUUM VALUES VIEW VIRTUAL WHEN WHERE WINDOW WITH WITHOUT"
    )
)
# Keywords offered by completion, most used first (the rest still highlight).
COMMON_KEYWORDS = _words(
    "SELECT FROM WHERE GROUP BY ORDER HAVING LIMIT OFFSET JOIN LEFT INNER ON AS AND OR NOT "
    "NULL IS IN LIKE BETWEEN CASE WHEN THEN ELSE END DISTINCT ASC DESC UNION ALL WITH "
    "RECURSIVE VALUES INSERT INTO UPDATE SET DELETE CREATE TABLE VIEW DROP EXISTS CAST"
)
# After these keywords a table name is expected, so completion offers tables first.
TABLE_CONTEXT = frozenset(("FROM", "JOIN", "INTO", "UPDATE", "TABLE"))

SPACE_BYTES = b" \t\n\r\f\v"
DIGIT_BYTES = b"0123456789"
HEX_BYTES = b"0123456789abcdefABCDEF"
# Longest first, so `->>` wins over `->` and `<=` over `<`.
OPERATORS = (b"->>", b"->", b"||", b"<=", b">=", b"<>", b"!=", b"==", b"<<", b">>")
SINGLE_OPERATORS = b"+-*/%<>=&|~"
QUOTE_CLOSERS = {'"': '"', "`": "`", "[": "]"}
BYTE_CLOSERS = {34: 34, 96: 96, 91: 93}  # " ` [
QUOTE, APOSTROPHE, DOT, DOLLAR, UNDERSCORE = 34, 39, 46, 36, 95
HIGHLIGHT_LIMIT = 50000  # past this many characters the editor shows plain text


def _word_start(byte):  # type: (int) -> bool
    """A byte that may start an identifier: a letter, `_`, or any byte of a non-ASCII
    character (so a multi-byte character is never cut)."""
    return 97 <= byte <= 122 or 65 <= byte <= 90 or byte == UNDERSCORE or byte > 127


def _word_byte(byte):  # type: (int) -> bool
    return _word_start(byte) or 48 <= byte <= 57 or byte == DOLLAR


def _word_end(data, start):  # type: (bytes, int) -> int
    end = start
    while end < len(data) and _word_byte(data[end]):
        end += 1
    return end


def _quoted_end(data, start, closer):  # type: (bytes, int, int) -> int
    """End of a quoted token that starts at `start`; a doubled closer is an escaped one
    (except in [brackets]); unterminated runs to the end."""
    mark = bytes((closer,))
    position = start + 1
    while True:
        found = data.find(mark, position)
        if found < 0:
            return len(data)
        if closer != 93 and found + 1 < len(data) and data[found + 1] == closer:
            position = found + 2
            continue
        return found + 1


def _digits_end(data, start, digits):  # type: (bytes, int, bytes) -> int
    end = start
    while end < len(data) and data[end] in digits:
        end += 1
    return end


def _byte_at(data, index):  # type: (bytes, int) -> int
    """The byte at `index`, or 0 past the end (so `in` tests need no length check: no set
    of bytes tested here holds NUL)."""
    return data[index] if index < len(data) else 0


def _number_end(data, start):  # type: (bytes, int) -> int
    """End of a numeric literal: 12, 1.5, .5, 1e10, 2.5E-3, 0x1F."""
    if data[start : start + 2] in (b"0x", b"0X") and _byte_at(data, start + 2) in HEX_BYTES:
        return _digits_end(data, start + 2, HEX_BYTES)
    end = _digits_end(data, start, DIGIT_BYTES)
    if _byte_at(data, end) == DOT:
        end = _digits_end(data, end + 1, DIGIT_BYTES)
    if _byte_at(data, end) in b"eE":
        exponent = end + 1
        if _byte_at(data, exponent) in b"+-":
            exponent += 1
        if _byte_at(data, exponent) in DIGIT_BYTES:
            end = _digits_end(data, exponent, DIGIT_BYTES)
    return end


def _parameter_end(data, start):  # type: (bytes, int) -> int
    """End of `?`, `?12`, `:name`, `@name` or `$name`; `start` if not a parameter."""
    if data[start] == 63:  # ?
        return _digits_end(data, start + 1, DIGIT_BYTES)
    end = _word_end(data, start + 1)
    return end if end > start + 1 else start


def _scan(data, start):  # type: (bytes, int) -> tuple[str, int]
    """The kind and end of the token that starts at byte `start`."""
    byte = data[start]
    pair = data[start : start + 2]
    if byte in SPACE_BYTES:
        end = start + 1
        while end < len(data) and data[end] in SPACE_BYTES:
            end += 1
        return (WHITESPACE, end)
    if pair == b"--":
        end = data.find(b"\n", start)
        return (COMMENT, len(data) if end < 0 else end)
    if pair == b"/*":
        end = data.find(b"*/", start + 2)
        return (COMMENT, len(data) if end < 0 else end + 2)
    if byte == APOSTROPHE:
        return (STRING, _quoted_end(data, start, APOSTROPHE))
    if byte in b"xX" and _byte_at(data, start + 1) == APOSTROPHE:
        return (STRING, _quoted_end(data, start + 1, APOSTROPHE))
    if byte in BYTE_CLOSERS:
        return (QUOTED, _quoted_end(data, start, BYTE_CLOSERS[byte]))
    if byte in DIGIT_BYTES or (byte == DOT and _byte_at(data, start + 1) in DIGIT_BYTES):
        return (NUMBER, _number_end(data, start))
    if _word_start(byte):
        end = _word_end(data, start)
        word = data[start:end].decode("utf-8")
        return (KEYWORD if word.upper() in KEYWORDS else IDENTIFIER, end)
    if byte in b"?:@$":
        end = _parameter_end(data, start)
        if end > start:
            return (PARAMETER, end)
    for operator in OPERATORS:
        if data[start : start + len(operator)] == operator:
            return (OPERATOR, start + len(operator))
    if byte in SINGLE_OPERATORS:
        return (OPERATOR, start + 1)
    return (PUNCTUATION, start + 1)


def lex(text):  # type: (str) -> list[Lexeme]
    """Every token of `text` as (kind, start, end, text of the token); together they cover
    the text exactly. Linear in the text's length, also under MicroPython."""
    data = text.encode("utf-8")
    ascii_only = len(data) == len(text)
    lexemes = []  # type: list[Lexeme]
    position = 0
    chars = 0  # the string index of byte `position`
    while position < len(data):
        kind, end = _scan(data, position)
        piece = data[position:end].decode("utf-8")
        width = end - position if ascii_only else len(piece)
        lexemes.append((kind, chars, chars + width, piece))
        chars += width
        position = end
    return lexemes


def tokenize(text):  # type: (str) -> list[Token]
    """Every token of `text` as (kind, start, end); together they cover the text exactly."""
    return [(kind, start, end) for kind, start, end, _ in lex(text)]


def parameters(text):  # type: (str) -> list[str]
    """The names of the `:name` parameters, in order of first use, each once (without the
    colon). Text in strings, quoted identifiers and comments does not count."""
    names = []  # type: list[str]
    for kind, _start, _end, piece in lex(text):
        if kind == PARAMETER and piece.startswith(":") and piece[1:] not in names:
            names.append(piece[1:])
    return names


def marked_pieces(text, mark_start, mark_end):  # type: (str, int, int) -> list[tuple[str, str, bool]]
    """The tokens as (kind, text, marked), cut at the edges of the marked range
    `mark_start`..`mark_end` (string indexes). An empty range marks nothing."""
    out = []  # type: list[tuple[str, str, bool]]
    marking = mark_start < mark_end
    for kind, start, end, piece in lex(text):
        if not marking or end <= mark_start or start >= mark_end:
            out.append((kind, piece, False))
            continue
        cuts = [0]
        for edge in (mark_start, mark_end):
            if start < edge < end:
                cuts.append(edge - start)
        cuts.append(end - start)
        for index in range(len(cuts) - 1):
            left, right = cuts[index], cuts[index + 1]
            inside = mark_start <= start + left and start + right <= mark_end
            out.append((kind, piece[left:right], inside))
    return out


def offset_of(text, line, column):  # type: (str, int, int) -> int
    """The index of 1-based `line`, `column` in `text`, clamped to the text."""
    position = 0
    for _ in range(max(line, 1) - 1):
        found = text.find("\n", position)
        if found < 0:
            return len(text)
        position = found + 1
    line_end = text.find("\n", position)
    if line_end < 0:
        line_end = len(text)
    return min(position + max(column, 1) - 1, line_end)


def error_span(text, line, column, details):  # type: (str, int | None, int | None, str | None) -> tuple[int, int]
    """What to mark for an error: the offending text `details` at (or nearest after) the
    error's line and column; without details, the token there. (0, 0) when nothing fits."""
    start = offset_of(text, line, column or 1) if line else 0
    if details:
        for haystack, needle in ((text, details), (text.lower(), details.lower())):
            found = haystack.find(needle, start)
            if found < 0:
                found = haystack.find(needle)
            if found >= 0:
                return (found, found + len(details))
    if not line:
        return (0, 0)
    for kind, token_start, token_end in tokenize(text):
        if token_end > start and kind != WHITESPACE:
            return (token_start, token_end)
    return (0, 0)


def is_word_start(char):  # type: (str) -> bool
    """A character that may start an identifier: a letter, `_`, or any non-ASCII one."""
    return ("a" <= char <= "z") or ("A" <= char <= "Z") or char == "_" or ord(char) > 127


def is_word_char(char):  # type: (str) -> bool
    return is_word_start(char) or ("0" <= char <= "9") or char == "$"


def quote_identifier(name):  # type: (str) -> str
    """`name` as it can be typed in SQL: as it is when it is a plain word, else "quoted"."""
    plain = bool(name) and is_word_start(name[0])
    for char in name:
        plain = plain and is_word_char(char)
    if plain and name.upper() not in KEYWORDS:
        return name
    return '"' + name.replace('"', '""') + '"'


def _closed(kind, piece):  # type: (str, str) -> bool
    """Whether a string, block comment or quoted identifier has its closing mark."""
    if kind == COMMENT:
        return len(piece) >= 4 and piece.endswith("*/")
    opener = piece[1:2] if kind == STRING and piece[:1] in "xX" else piece[:1]
    if len(piece) < (3 if opener != piece[:1] else 2):
        return False
    return piece.endswith(QUOTE_CLOSERS.get(opener, opener))


def _word_before(lexemes, cursor):  # type: (list[Lexeme], int) -> tuple[int, str, str, int] | None
    """(start, prefix, kind, index of its token) of what is being typed at `cursor`; None
    inside a string or a comment. In a quoted identifier being typed, the prefix is its text
    after the quote. Nothing typed yet: an empty prefix at the cursor."""
    for index, (kind, start, end, piece) in enumerate(lexemes):
        if not start < cursor <= end:
            continue
        inside = cursor < end or not _closed(kind, piece)
        if kind == COMMENT and piece.startswith("--"):
            return None  # a line comment runs up to its newline
        if kind in (STRING, COMMENT) and inside:
            return None
        if kind == QUOTED and inside:
            return (start, piece[1 : cursor - start], QUOTED, index)
        if kind in (IDENTIFIER, KEYWORD):
            return (start, piece[: cursor - start], IDENTIFIER, index)
        return (cursor, "", IDENTIFIER, index + 1)
    return (cursor, "", IDENTIFIER, len(lexemes))


def _solid_before(lexemes, index):  # type: (list[Lexeme], int) -> Lexeme | None
    """The last token before `index` that is neither whitespace nor a comment."""
    for position in range(index - 1, -1, -1):
        if lexemes[position][0] not in (WHITESPACE, COMMENT):
            return lexemes[position]
    return None


def _qualifier(lexemes, index):  # type: (list[Lexeme], int) -> str | None
    """For `t.col|` the name `t` (unquoted), or None when the word has no `name.` before it."""
    if index < 2 or lexemes[index - 1][3] != ".":
        return None
    kind, _start, _end, piece = lexemes[index - 2]
    return _unquote(piece) if kind in (IDENTIFIER, QUOTED, KEYWORD) else None


def _unquote(word):  # type: (str) -> str
    if word and word[0] in QUOTE_CLOSERS:
        closer = QUOTE_CLOSERS[word[0]]
        inner = word[1:-1] if len(word) > 1 and word.endswith(closer) else word[1:]
        return inner.replace(closer + closer, closer) if closer != "]" else inner
    return word


def _aliases(lexemes, schema):  # type: (list[Lexeme], Schema) -> dict[str, str]
    """{alias or table name (lower case): table} for the tables the text names."""
    lookup = {}  # type: dict[str, str]
    for name in schema:
        lookup[name.lower()] = name
    words = [(k, _unquote(piece)) for k, _s, _e, piece in lexemes if k not in (WHITESPACE, COMMENT)]
    found = {}  # type: dict[str, str]
    for index, (kind, word) in enumerate(words):
        table = lookup.get(word.lower()) if kind in (IDENTIFIER, QUOTED) else None
        if table is None:
            continue
        found[word.lower()] = table
        after = words[index + 1 : index + 3]
        if after and after[0][0] == KEYWORD and after[0][1].upper() == "AS":
            after = after[1:]
        if after and after[0][0] in (IDENTIFIER, QUOTED):
            found.setdefault(after[0][1].lower(), table)
    return found


def _matches(name, prefix):  # type: (str, str) -> bool
    return name.lower().startswith(prefix.lower()) and name != prefix


def completions(text, cursor, schema, limit=50, extra=(), keywords=True):
    # type: (str, int, Schema, int, tuple[str, ...] | list[str], bool) -> tuple[int, list[Candidate]]
    """What may complete the word before `cursor`: (start, [(insert, kind, note)]), where the
    text from `start` to `cursor` is to be replaced by `insert` (quoted where SQL needs it),
    `kind` is "table", "column" or "keyword" and `note` the column's table ("result" for the
    `extra` columns, those of the result on screen).

    `schema` is {table: [column, ...]}. Columns of the tables the text names come first
    (only that table's after `t.`), then the extra columns, tables, other columns, and then
    keywords (unless `keywords` is false); after FROM, JOIN, INTO, UPDATE or TABLE, tables
    first. No candidates inside a string or a comment."""
    cursor = max(0, min(cursor, len(text)))
    lexemes = lex(text)
    word = _word_before(lexemes, cursor)
    if word is None:
        return (cursor, [])
    start, prefix, kind, index = word
    aliases = _aliases(lexemes, schema)
    qualifier = _qualifier(lexemes, index) if kind == IDENTIFIER else None
    if qualifier is not None:
        table = aliases.get(qualifier.lower())
        columns = _column_candidates([table] if table else [], schema, prefix)
        return (start, columns[:limit])
    mentioned = []  # type: list[str]
    for table in aliases.values():
        if table not in mentioned:
            mentioned.append(table)
    first = _column_candidates(mentioned, schema, prefix)
    first += [
        (quote_identifier(name), "column", "result") for name in extra if _matches(name, prefix)
    ]
    others = [name for name in schema if name not in mentioned]
    later = _column_candidates(others, schema, prefix)
    tables = [
        (quote_identifier(name), "table", "table") for name in schema if _matches(name, prefix)
    ]
    words = []  # type: list[Candidate]
    if keywords and kind == IDENTIFIER:
        words = [
            (word_, "keyword", "keyword") for word_ in COMMON_KEYWORDS if _matches(word_, prefix)
        ]
    previous = _solid_before(lexemes, index)
    if previous is not None and previous[0] == KEYWORD and previous[3].upper() in TABLE_CONTEXT:
        ordered = tables + first + later + words
    else:
        ordered = first + tables + later + words
    return (start, _unique(ordered)[:limit])


def _column_candidates(tables, schema, prefix):  # type: (list[str], Schema, str) -> list[Candidate]
    out = []  # type: list[Candidate]
    for table in tables:
        for column in schema.get(table, []):
            if _matches(column, prefix):
                out.append((quote_identifier(column), "column", table))
    return out


def _unique(candidates):  # type: (list[Candidate]) -> list[Candidate]
    """Each inserted text once (a column two tables share is offered once, first table)."""
    seen = set()  # type: set[str]
    out = []  # type: list[Candidate]
    for candidate in candidates:
        if candidate[0] not in seen:
            seen.add(candidate[0])
            out.append(candidate)
    return out


def utf16_length(text):  # type: (str) -> int
    """The length of `text` in UTF-16 code units, as the browser counts a field's positions
    (a character past U+FFFF is two of them, one here)."""
    if len(text.encode("utf-8")) == len(text):
        return len(text)
    return len(text) + sum(1 for char in text if ord(char) > 0xFFFF)


def from_utf16(text, offset):  # type: (str, int) -> int
    """The index in `text` of the browser's UTF-16 position `offset` (e.g. selectionStart)."""
    if len(text.encode("utf-8")) == len(text):
        return min(max(offset, 0), len(text))
    units = 0
    for index, char in enumerate(text):
        if units >= offset:
            return index
        units += 2 if ord(char) > 0xFFFF else 1
    return len(text)
