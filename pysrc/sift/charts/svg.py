"""A minimal SVG element tree and its XML text.

A node is ``[tag, {name: value}, [children...]]`` where every attribute value is text and a
child is a node or a text string. The tree is JSON-able as it is: the UI builds it with
createElementNS and textContent (no markup is ever parsed); ``to_xml`` writes the same tree as
a standalone SVG file for export, escaping every text and attribute.
Imports: the standard library only.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

SVG_NS = "http://www.w3.org/2000/svg"
Node = list[Any]  # [tag, attrs, children]
# Characters XML 1.0 cannot hold at all (user data may contain them): replaced, never written.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def el(tag: str, attrs: Mapping[str, object] | None = None, *children: Node | str) -> Node:
    """A node; attribute values become text (numbers through ``num``), None drops one."""
    shown = {name: _attr(value) for name, value in (attrs or {}).items() if value is not None}
    return [tag, shown, [child for child in children if child != ""]]


def text_el(tag: str, attrs: Mapping[str, object] | None, text: str) -> Node:
    return el(tag, attrs, clean(text))


def num(value: float) -> str:
    """A coordinate as short text: at most two decimals, no trailing zeros, no '-0'."""
    if not math.isfinite(value):
        return "0"
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _attr(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return num(float(value))
    return clean(str(value))


def clean(text: str) -> str:
    """``text`` with characters XML cannot hold replaced by U+FFFD."""
    return _NOT_XML.sub("\ufffd", text)


def escape_text(text: str) -> str:
    return clean(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def escape_attr(text: str) -> str:
    escaped = escape_text(text).replace('"', "&quot;")
    # an attribute value's tabs and newlines would be normalised to spaces when read back
    return escaped.replace("\t", "&#9;").replace("\n", "&#10;").replace("\r", "&#13;")


def to_xml(node: Node | str) -> str:
    """The tree as XML text (no declaration); the root should be an <svg> with xmlns."""
    out: list[str] = []
    _write(node, out)
    return "".join(out)


def _write(node: Node | str, out: list[str]) -> None:
    if isinstance(node, str):
        out.append(escape_text(node))
        return
    tag, attrs, children = node
    out.append("<" + tag)
    for name, value in attrs.items():
        out.append(f' {name}="{escape_attr(value)}"')
    if not children:
        out.append("/>")
        return
    out.append(">")
    # elements holding only elements get one child per line (readable files and diffs);
    # whitespace there means nothing in SVG, while text keeps exactly what it holds
    newline = "\n" if all(not isinstance(child, str) for child in children) else ""
    for child in children:
        out.append(newline)
        _write(child, out)
    out.append(f"{newline}</{tag}>")


def walk(node: Node | str) -> list[Node]:
    """Every element of the tree, depth first (tests and the focus budget read it)."""
    if isinstance(node, str):
        return []
    found = [node]
    for child in node[2]:
        found.extend(walk(child))
    return found
