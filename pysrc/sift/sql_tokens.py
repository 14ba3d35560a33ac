"""SQL tokens for the SQL editor: highlighting, `:name` parameters, completion, error marks.

A hand-written scanner of SQLite's lexical rules (https://sqlite.org/lang_expr.html): it never
fails, whatever the text, since it runs on every keystroke. Unterminated strings, quoted
identifiers and block comments run to the end of the text.

Pure and MicroPython-compatible, like sift.view_state: the UI imports it on the main thread.
So no typing import, no dataclasses, no `re`, no f-string format specs; types are in comments.
Imports: nothing.
"""

# MicroPython has no typing module; mypy reads the names below as always imported.
TYPE_CHECKING = False
if TYPE_CHECKING:
    Token = tuple[str, int, int]
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

WHITESPACE_CHARS = " \t\n\r\f\v"
DIGITS = "0123456789"
HEX_DIGITS = "0123456789abcdefABCDEF"
# Longest first, so `->>` wins over `->` and `<=` over `<`.
OPERATORS = ("->>", "->", "||", "<=", ">=", "<>", "!=", "==", "<<", ">>")
SINGLE_OPERATORS = "+-*/%<>=&|~"
PUNCTUATION_CHARS = "(),;."
QUOTE_CLOSERS = {'"': '"', "`": "`", "[": "]"}
HIGHLIGHT_LIMIT = 50000  # past this many characters the editor shows plain text


def is_word_start(char):  # type: (str) -> bool
    """A character that may start an identifier: a letter, `_`, or any non-ASCII one."""
    return ("a" <= char <= "z") or ("A" <= char <= "Z") or char == "_" or ord(char) > 127


def is_word_char(char):  # type: (str) -> bool
    return is_word_start(char) or ("0" <= char <= "9") or char == "$"


def _word_end(text, start):  # type: (str, int) -> int
    end = start
    while end < len(text) and is_word_char(text[end]):
        end += 1
    return end


def _quoted_end(text, start, closer):  # type: (str, int, str) -> int
    """End of a quoted token that starts at `start`; a doubled closer is an escaped one
    (except in [brackets]); unterminated runs to the end."""
    position = start + 1
    while True:
        found = text.find(closer, position)
        if found < 0:
            return len(text)
        if closer != "]" and text[found + 1 : found + 2] == closer:
            position = found + 2
            continue
        return found + 1


def _number_end(text, start):  # type: (str, int) -> int
    """End of a numeric literal: 12, 1.5, .5, 1e10, 2.5E-3, 0x1F."""
    if text[start : start + 2] in ("0x", "0X") and text[start + 2 : start + 3] in HEX_DIGITS:
        end = start + 2
        while end < len(text) and text[end] in HEX_DIGITS:
            end += 1
        return end
    end = start
    while end < len(text) and text[end] in DIGITS:
        end += 1
    if end < len(text) and text[end] == ".":
        end += 1
        while end < len(text) and text[end] in DIGITS:
            end += 1
    if end < len(text) and text[end] in "eE":
        exponent = end + 1
        if exponent < len(text) and text[exponent] in "+-":
            exponent += 1
        if exponent < len(text) and text[exponent] in DIGITS:
            end = exponent
            while end < len(text) and text[end] in DIGITS:
                end += 1
    return end


def _parameter_end(text, start):  # type: (str, int) -> int
    """End of `?`, `?12`, `:name`, `@name` or `$name`; `start` if not a parameter."""
    char = text[start]
    if char == "?":
        end = start + 1
        while end < len(text) and text[end] in DIGITS:
            end += 1
        return end
    end = _word_end(text, start + 1)
    return end if end > start + 1 else start


def _next_token(text, start):  # type: (str, int) -> Token
    """The token that starts at `start` (which is inside the text)."""
    char = text[start]
    pair = text[start : start + 2]
    if char in WHITESPACE_CHARS:
        end = start + 1
        while end < len(text) and text[end] in WHITESPACE_CHARS:
            end += 1
        return (WHITESPACE, start, end)
    if pair == "--":
        end = text.find("\n", start)
        return (COMMENT, start, len(text) if end < 0 else end)
    if pair == "/*":
        end = text.find("*/", start + 2)
        return (COMMENT, start, len(text) if end < 0 else end + 2)
    if char == "'":
        return (STRING, start, _quoted_end(text, start, "'"))
    if char in "xX" and text[start + 1 : start + 2] == "'":
        return (STRING, start, _quoted_end(text, start + 1, "'"))
    if char in QUOTE_CLOSERS:
        return (QUOTED, start, _quoted_end(text, start, QUOTE_CLOSERS[char]))
    if char in DIGITS or (char == "." and text[start + 1 : start + 2] in DIGITS):
        return (NUMBER, start, _number_end(text, start))
    if is_word_start(char):
        end = _word_end(text, start)
        kind = KEYWORD if text[start:end].upper() in KEYWORDS else IDENTIFIER
        return (kind, start, end)
    if char in "?:@$":
        end = _parameter_end(text, start)
        if end > start:
            return (PARAMETER, start, end)
    for operator in OPERATORS:
        if text.startswith(operator, start):
            return (OPERATOR, start, start + len(operator))
    if char in SINGLE_OPERATORS:
        return (OPERATOR, start, start + 1)
    return (PUNCTUATION, start, start + 1)


def tokenize(text):  # type: (str) -> list[Token]
    """Every token of `text` as (kind, start, end); together they cover the text exactly."""
    tokens = []  # type: list[Token]
    position = 0
    while position < len(text):
        token = _next_token(text, position)
        tokens.append(token)
        position = token[2]
    return tokens


def parameters(text):  # type: (str) -> list[str]
    """The names of the `:name` parameters, in order of first use, each once (without the
    colon). Text in strings, quoted identifiers and comments does not count."""
    names = []  # type: list[str]
    for kind, start, end in tokenize(text):
        if kind == PARAMETER and text[start] == ":":
            name = text[start + 1 : end]
            if name not in names:
                names.append(name)
    return names


def segments(tokens, mark_start, mark_end):  # type: (list[Token], int, int) -> list[tuple[str, int, int, bool]]
    """The tokens cut at the edges of a marked range: (kind, start, end, marked). With an
    empty range (mark_start >= mark_end) nothing is marked."""
    out = []  # type: list[tuple[str, int, int, bool]]
    for kind, start, end in tokens:
        cuts = [start]
        for edge in (mark_start, mark_end):
            if mark_start < mark_end and start < edge < end:
                cuts.append(edge)
        cuts.append(end)
        for index in range(len(cuts) - 1):
            piece_start, piece_end = cuts[index], cuts[index + 1]
            marked = mark_start <= piece_start and piece_end <= mark_end and mark_start < mark_end
            out.append((kind, piece_start, piece_end, marked))
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
        found = text.find(details, start)
        if found < 0:
            found = text.find(details)
        if found < 0:
            lowered = text.lower()
            found = lowered.find(details.lower(), start)
            if found < 0:
                found = lowered.find(details.lower())
        if found >= 0:
            return (found, found + len(details))
    if not line:
        return (0, 0)
    for kind, token_start, token_end in tokenize(text):
        if token_end > start and kind != WHITESPACE:
            return (token_start, token_end)
    return (0, 0)


def quote_identifier(name):  # type: (str) -> str
    """`name` as it can be typed in SQL: as it is when it is a plain word, else "quoted"."""
    plain = bool(name) and is_word_start(name[0]) and _word_end(name, 0) == len(name)
    if plain and name.upper() not in KEYWORDS:
        return name
    return '"' + name.replace('"', '""') + '"'


def _word_before(text, cursor, tokens):  # type: (str, int, list[Token]) -> tuple[int, str, str] | None
    """(start, prefix, kind) of what is being typed at `cursor`; None inside a string or a
    comment. In a quoted identifier being typed, the prefix is its text after the quote."""
    for kind, start, end in tokens:
        if not start < cursor <= end:
            continue
        inside = cursor < end or not _closed(text, kind, start, end)
        if kind == COMMENT and text.startswith("--", start):
            return None  # a line comment runs up to its newline
        if kind in (STRING, COMMENT) and inside:
            return None
        if kind == QUOTED and inside:
            return (start, text[start + 1 : cursor], QUOTED)
    start = cursor
    while start > 0 and is_word_char(text[start - 1]):
        start -= 1
    return (start, text[start:cursor], IDENTIFIER)


def _closed(text, kind, start, end):  # type: (str, str, int, int) -> bool
    """Whether a string, block comment or quoted identifier token has its closing mark."""
    if kind == COMMENT:
        return end - start >= 4 and text.endswith("*/", 0, end)
    opener = text[start + 1] if kind == STRING and text[start] in "xX" else text[start]
    if end - start < (3 if opener != text[start] else 2):
        return False
    return text[end - 1] == QUOTE_CLOSERS.get(opener, opener)


def _qualifier(text, start, tokens):  # type: (str, int, list[Token]) -> str | None
    """For `t.col|` the name `t` (unquoted), or None when the word has no `name.` before it."""
    if start == 0 or text[start - 1] != ".":
        return None
    for kind, token_start, token_end in tokens:
        if token_end == start - 1 and kind in (IDENTIFIER, QUOTED, KEYWORD):
            return _unquote(text[token_start:token_end])
    return None


def _unquote(word):  # type: (str) -> str
    if word and word[0] in QUOTE_CLOSERS:
        closer = QUOTE_CLOSERS[word[0]]
        inner = word[1:-1] if len(word) > 1 and word.endswith(closer) else word[1:]
        return inner.replace(closer + closer, closer) if closer != "]" else inner
    return word


def _aliases(text, tokens, schema):  # type: (str, list[Token], Schema) -> dict[str, str]
    """{alias or table name (lower case): table} for the tables the text names."""
    lookup = {}  # type: dict[str, str]
    for name in schema:
        lookup[name.lower()] = name
    words = [
        (kind, _unquote(text[start:end]))
        for kind, start, end in tokens
        if kind not in (WHITESPACE, COMMENT)
    ]
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


def _mentioned(text, tokens, schema):  # type: (str, list[Token], Schema) -> list[str]
    """The schema's tables the text names, in order of first mention."""
    tables = []  # type: list[str]
    for table in _aliases(text, tokens, schema).values():
        if table not in tables:
            tables.append(table)
    return tables


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
    tokens = tokenize(text)
    word = _word_before(text, cursor, tokens)
    if word is None:
        return (cursor, [])
    start, prefix, kind = word
    qualifier = _qualifier(text, start, tokens) if kind == IDENTIFIER else None
    if qualifier is not None:
        table = _aliases(text, tokens, schema).get(qualifier.lower())
        columns = _column_candidates([table] if table else [], schema, prefix)
        return (start, columns[:limit])
    mentioned = _mentioned(text, tokens, schema)
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
    before = text[:start].rstrip().split()
    if before and before[-1].upper() in TABLE_CONTEXT:
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
