"""Static gate against HTML sinks and wildcard postMessage (RELIABILITY E1 and J3).

User data reaches the DOM only as text: with PyScript on the page, HTML parsed from a string can
run Python (`<script type="py">`). So web/, pysrc/, build.py and buildtools/ may not mention
`innerHTML`, `outerHTML`, `insertAdjacentHTML`, `document.write`, `HTML(`, `srcdoc` (or the newer
`setHTMLUnsafe`, `parseHTMLUnsafe`, `createContextualFragment`) outside `ALLOWED`, and nothing
may `postMessage` with the target origin `'*'`. Comments and Python docstrings are not code and
are skipped; JS comments only when they fill whole lines, so a scan errs towards flagging.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
THIS_FILE = Path(__file__).resolve()
SCANNED_TREES: dict[str, tuple[str, ...]] = {
    "web": ("*.js", "*.mjs", "*.html"),
    "pysrc": ("*.py",),
    "buildtools": ("*.py", "*.js", "*.mjs"),
}
SCANNED_FILES = ("build.py",)

# (repo-relative path, the offending line stripped) -> why it is safe. Audited entries only.
ALLOWED: dict[tuple[str, str], str] = {}

SINKS: dict[str, re.Pattern[str]] = {
    "innerHTML": re.compile(r"\binnerHTML\b"),
    "outerHTML": re.compile(r"\bouterHTML\b"),
    "insertAdjacentHTML": re.compile(r"\binsertAdjacentHTML\b"),
    "document.write": re.compile(r"\bdocument\s*\.\s*write(?:ln)?\b"),
    "HTML(": re.compile(r"\bHTML\s*\("),
    "srcdoc": re.compile(r"\bsrcdoc\b", re.IGNORECASE),
    "setHTMLUnsafe": re.compile(r"\b(?:set|parse)HTMLUnsafe\b"),
    "createContextualFragment": re.compile(r"\bcreateContextualFragment\b"),
}
POST_MESSAGE = "postMessage('*')"
# The arguments before the origin may hold calls nested two deep: f(g(x)).
_ARGS = r"(?:[^()]|\((?:[^()]|\([^()]*\))*\))*?"
WILDCARD_POSTS = (
    re.compile(rf"""\bpostMessage\s*\({_ARGS},\s*(['"`])\*\1\s*[,)]"""),
    re.compile(r"""\btargetOrigin\s*[:=]\s*(['"`])\*\1"""),
)

Blocks = tuple[tuple[str, str], ...]
JS_COMMENTS: tuple[str, Blocks] = ("//", (("/*", "*/"),))
HTML_COMMENTS: tuple[str, Blocks] = ("//", (("/*", "*/"), ("<!--", "-->")))
DOCSTRING_OWNERS = (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)


@dataclass(frozen=True)
class Hit:
    path: str
    line: int
    sink: str
    text: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.sink}: {self.text}"


def blank_comment_lines(lines: list[str], line_comment: str, blocks: Blocks) -> list[str]:
    """Lines with whole-line comments emptied; text after a block comment's end is kept."""
    out: list[str] = []
    closing: str | None = None
    for line in lines:
        if closing is not None:
            _, found, rest = line.partition(closing)
            out.append(rest if found else "")
            closing = None if found else closing
            continue
        stripped = line.strip()
        opened = next(((o, c) for o, c in blocks if stripped.startswith(o)), None)
        if stripped.startswith(line_comment):
            out.append("")
        elif opened is not None:
            _, found, rest = stripped[len(opened[0]) :].partition(opened[1])
            out.append(rest if found else "")
            closing = None if found else opened[1]
        else:
            out.append(line)
    return out


def docstring_lines(tree: ast.AST) -> Iterator[int]:
    for node in ast.walk(tree):
        if isinstance(node, DOCSTRING_OWNERS) and ast.get_docstring(node, clean=False) is not None:
            first = node.body[0]
            yield from range(first.lineno, (first.end_lineno or first.lineno) + 1)


def blank_python_comments(source: str, lines: list[str]) -> list[str]:
    """Lines with comments and docstrings emptied; unparsable source is scanned as it is."""
    out = list(lines)
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
        tree = ast.parse(source)
    except (SyntaxError, tokenize.TokenError):
        return out
    for token in tokens:
        if token.type == tokenize.COMMENT:
            row, col = token.start
            out[row - 1] = out[row - 1][:col]
    for row in docstring_lines(tree):
        out[row - 1] = ""
    return out


def code_lines(suffix: str, text: str) -> list[str]:
    """The text split on newlines, with what is surely not code emptied, line numbers kept."""
    lines = text.split("\n")
    if suffix == ".py":
        return blank_python_comments(text, lines)
    line_comment, blocks = HTML_COMMENTS if suffix == ".html" else JS_COMMENTS
    return blank_comment_lines(lines, line_comment, blocks)


def scan_text(path: str, text: str) -> list[Hit]:
    """Every sink and wildcard postMessage in one file's text."""
    original = text.split("\n")
    code = code_lines(Path(path).suffix, text)
    hits = [
        Hit(path, number, sink, original[number - 1].strip())
        for number, line in enumerate(code, start=1)
        for sink, pattern in SINKS.items()
        if pattern.search(line)
    ]
    joined = "\n".join(code)
    for pattern in WILDCARD_POSTS:
        for match in pattern.finditer(joined):
            number = joined.count("\n", 0, match.start()) + 1
            hits.append(Hit(path, number, POST_MESSAGE, original[number - 1].strip()))
    return sorted(hits, key=lambda h: (h.line, h.sink))


def scanned_files() -> list[Path]:
    files = {REPO / name for name in SCANNED_FILES if (REPO / name).is_file()}
    for tree, patterns in SCANNED_TREES.items():
        files.update(p for pattern in patterns for p in (REPO / tree).rglob(pattern))
    return sorted(p for p in files if p.is_file() and p.resolve() != THIS_FILE)


def scan_repo() -> list[Hit]:
    return [
        hit
        for path in scanned_files()
        for hit in scan_text(
            path.relative_to(REPO).as_posix(), path.read_text(encoding="utf-8", errors="replace")
        )
    ]


def unexplained(hits: list[Hit]) -> list[str]:
    return [str(h) for h in hits if (h.path, h.text) not in ALLOWED]


# --- the gate, on the real tree -----------------------------------------------------------


def test_the_scan_sees_the_sources() -> None:
    files = scanned_files()
    assert THIS_FILE not in files
    if (REPO / "web" / "index.html").is_file():
        assert REPO / "web" / "index.html" in files


def test_no_html_sinks_outside_the_allowlist() -> None:
    found = unexplained([h for h in scan_repo() if h.sink != POST_MESSAGE])
    assert not found, (
        "HTML sinks (RELIABILITY E1): build DOM nodes and set textContent instead, or add an "
        "audited entry to ALLOWED in this file:\n" + "\n".join(found)
    )


def test_no_postmessage_to_any_origin() -> None:
    found = unexplained([h for h in scan_repo() if h.sink == POST_MESSAGE])
    assert not found, (
        "postMessage with target origin '*' (RELIABILITY J3): name the receiving origin:\n"
        + "\n".join(found)
    )


def test_every_allowlist_entry_still_matches() -> None:
    current = {(h.path, h.text) for h in scan_repo()}
    stale = [f"{path}: {line}" for path, line in ALLOWED if (path, line) not in current]
    assert not stale, "remove stale ALLOWED entries:\n" + "\n".join(stale)


# --- the scanner can fail -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "text", "sink"),
    [
        ("web/a.js", "cell.innerHTML = value;", "innerHTML"),
        ("web/a.js", "row.outerHTML = html", "outerHTML"),
        ("web/a.mjs", "grid.insertAdjacentHTML('beforeend', html);", "insertAdjacentHTML"),
        ("web/a.js", "document.write(x)", "document.write"),
        ("web/a.js", "document .writeln(x)", "document.write"),
        ("web/a.js", "frame.srcdoc = page;", "srcdoc"),
        ("web/a.html", '<iframe srcDoc="<p>x</p>"></iframe>', "srcdoc"),
        ("web/a.js", "el.setHTMLUnsafe(x)", "setHTMLUnsafe"),
        ("web/a.js", "range.createContextualFragment(x)", "createContextualFragment"),
        ("web/a.js", "/* note */ el.innerHTML = x;", "innerHTML"),
        ("web/a.js", "/* a\n   b */ el.innerHTML = x;", "innerHTML"),
        ("web/a.html", "<!-- note -->\n<script>el.innerHTML = x</script>", "innerHTML"),
        ("pysrc/sift/ui/a.py", "display(HTML(value))", "HTML("),
        ("pysrc/sift/ui/a.py", "element.innerHTML = value", "innerHTML"),
        ("pysrc/sift/ui/a.py", 'js.eval("el.innerHTML = x")', "innerHTML"),
        ("pysrc/sift/ui/a.py", 'x = 1  # fine\nel.innerHTML = "<b>"', "innerHTML"),
        ("pysrc/sift/ui/a.py", "def broken(:\n    el.innerHTML = x", "innerHTML"),
    ],
)
def test_scanner_flags_sinks(path: str, text: str, sink: str) -> None:
    assert [h.sink for h in scan_text(path, text)] == [sink]


@pytest.mark.parametrize(
    ("path", "text"),
    [
        ("web/a.js", "cell.textContent = value;"),
        ("web/a.js", "// never use innerHTML here"),
        ("web/a.js", "/**\n * Not innerHTML: textContent.\n */\nconst a = 1;"),
        ("web/a.html", "<!--\n innerHTML is banned\n-->"),
        ("web/a.js", "const innerHTMLish = 1; toHTML(x);"),
        ("pysrc/sift/ui/a.py", "# innerHTML is banned\nx = 1"),
        ("pysrc/sift/ui/a.py", '"""Never innerHTML; never HTML(x)."""\nx = 1'),
        ("pysrc/sift/ui/a.py", 'def f():\n    """Not\n    innerHTML."""\n    return 1'),
        ("pysrc/sift/ui/a.py", "def to_HTML(x):\n    return x"),
        ("web/a.js", 'worker.postMessage({ type: "skip-waiting" });'),
        ("web/a.js", "frame.contentWindow.postMessage(message, origin);"),
        ("web/a.js", 'parent.postMessage(message, "https://app.example");'),
        ("web/a.js", 'worker.postMessage("*");'),
    ],
)
def test_scanner_passes_safe_code(path: str, text: str) -> None:
    assert scan_text(path, text) == []


@pytest.mark.parametrize(
    "text",
    [
        'window.parent.postMessage(data, "*");',
        "parent.postMessage({ rows: f(g(1)) }, '*')",
        'frame.postMessage(\n  message,\n  "*",\n);',
        "port.postMessage(msg, `*`, [buffer]);",
        'win.postMessage(msg, { targetOrigin: "*" });',
        'js.window.parent.postMessage(data, "*")',
        'js.window.parent.postMessage(data, targetOrigin="*")',
    ],
)
def test_scanner_flags_wildcard_post_message(text: str) -> None:
    assert [h.sink for h in scan_text("web/a.js", text)] == [POST_MESSAGE]


def test_hit_names_path_and_line() -> None:
    [hit] = scan_text("web/a.js", "const a = 1;\n\n  el.innerHTML = a;\n")
    assert str(hit) == "web/a.js:3: innerHTML: el.innerHTML = a;"
