"""A small SQLite tokenizer: enough to split statements, find parameters and function calls,
and place an error in the text without being fooled by strings and comments.

Not for highlighting (that is sift.sql_tokens, which the UI imports). An unterminated string
or comment runs to the end of the text, as in SQLite. Imports: the standard library only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SPACE, COMMENT, STRING, QUOTED, WORD, NUMBER, PARAM, PUNCT = (
    "space",
    "comment",
    "string",
    "quoted",
    "word",
    "number",
    "param",
    "punct",
)
CODE = frozenset({QUOTED, WORD, NUMBER, PARAM, PUNCT, STRING})  # what SQLite reads

_PATTERNS = [
    (SPACE, r"\s+"),
    (COMMENT, r"--[^\n]*|/\*(?:.|\n)*?(?:\*/|\Z)"),
    (STRING, r"[xX]?'(?:[^']|'')*(?:'|\Z)"),
    (QUOTED, r'"(?:[^"]|"")*(?:"|\Z)|`(?:[^`]|``)*(?:`|\Z)|\[[^\]]*(?:\]|\Z)'),
    (NUMBER, r"0[xX][0-9a-fA-F]+|(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?"),
    (PARAM, r"[:@$][A-Za-z0-9_\u0080-\U0010ffff]+|\?\d*"),
    (WORD, r"[A-Za-z_\u0080-\U0010ffff][A-Za-z0-9_$\u0080-\U0010ffff]*"),
    (PUNCT, r"\|\||<<|>>|<=|>=|==|!=|<>|->>|->|."),
]
_TOKEN = re.compile("|".join(f"(?P<{kind}>{pattern})" for kind, pattern in _PATTERNS))


@dataclass(frozen=True)
class Token:
    kind: str
    start: int
    end: int
    text: str

    @property
    def name(self) -> str:
        """The identifier this token spells: quotes removed, lower case."""
        if self.kind != QUOTED:
            return self.text.lower()
        inner = self.text[1:-1] if len(self.text) > 1 else ""
        if self.text[0] in '"`':
            inner = inner.replace(self.text[0] * 2, self.text[0])
        return inner.lower()


def tokens(text: str) -> list[Token]:
    """Every token of ``text``, in order, covering it entirely."""
    found = []
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or PUNCT
        found.append(Token(kind, match.start(), match.end(), match.group()))
    return found


def code(text: str) -> list[Token]:
    """The tokens SQLite reads: no spaces, no comments."""
    return [token for token in tokens(text) if token.kind in CODE]
