"""The XML of an .xlsx that Sift parses itself (cells, shared strings), parsed safely.

expat, as set up here, never loads an external entity, and an entity or document type
declaration stops the parse with a LoadError before anything could be expanded (billion laughs,
quadratic blowup, XXE: RELIABILITY B1) - the rule defusedxml applies to the parts openpyxl
reads. Namespace processing is on, so a prefixed document (<x:c>) reads like a plain one.
Imports: the standard library and sift modules.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from xml.parsers import expat

from sift.errors import LoadError

__all__ = [
    "CELL",
    "FORMULA",
    "INLINE",
    "ITEM",
    "MERGE",
    "NS",
    "PHONETIC",
    "ROW",
    "TAGS",
    "TEXT",
    "VALUE",
    "Where",
    "entities_refused",
    "feed",
    "new_parser",
    "read_shared_strings",
    "unescape",
]

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main "  # expat joins with " "

# Tags this module acts on, as expat names them with namespace processing on.
ROW, CELL, VALUE, FORMULA, INLINE, TEXT, PHONETIC, MERGE, ITEM = range(1, 10)
TAGS = {
    NS + "row": ROW,
    NS + "c": CELL,
    NS + "v": VALUE,
    NS + "f": FORMULA,
    NS + "is": INLINE,
    NS + "t": TEXT,
    NS + "rPh": PHONETIC,
    NS + "mergeCell": MERGE,
    NS + "si": ITEM,
}

# Excel stores characters XML cannot hold as _xHHHH_ (ECMA-376 §22.9.2.19); _x005F_ escapes "_".
_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def _unescape_match(match: re.Match[str]) -> str:
    code = int(match.group(1), 16)
    return match.group(0) if 0xD800 <= code <= 0xDFFF else chr(code)  # lone surrogates stay


def unescape(text: str) -> str:
    """``text`` with Excel's _xHHHH_ escapes decoded."""
    return _ESCAPE.sub(_unescape_match, text) if "_x" in text else text


@dataclass(frozen=True)
class Where:
    """Where a parse is, for messages."""

    source: str
    part: str
    sheet: str = ""

    def where(self) -> str:
        return f"sheet {self.sheet!r}" if self.sheet else f"part {self.part}"


def new_parser(where: Where) -> expat.XMLParserType:
    """An expat parser that refuses DTDs and entity declarations (RELIABILITY B1)."""
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.buffer_text = True
    parser.buffer_size = 64 * 1024
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)

    def refuse_entities(*_args: object) -> None:
        raise entities_refused(where.source, where.part)

    def refuse_external(*_args: object) -> int:
        raise entities_refused(where.source, where.part)

    def refuse_dtd(*_args: object) -> None:
        raise LoadError(
            f"{where.source}: workbook contains an XML document type declaration (in part"
            f" {where.part}); refused.",
            hint=_XML_HINT,
            source=where.source,
        )

    parser.EntityDeclHandler = refuse_entities
    parser.UnparsedEntityDeclHandler = refuse_entities
    parser.ExternalEntityRefHandler = refuse_external
    parser.EndDoctypeDeclHandler = refuse_dtd
    return parser


_XML_HINT = (
    "Excel never writes these; they are a known way to attack XML readers. If you trust the"
    " file, open it in Excel and save it again as .xlsx."
)


def entities_refused(source: str, part: str | None) -> LoadError:
    """The message for billion-laughs and XXE declarations, whoever found them."""
    where = f" (in part {part})" if part else ""
    return LoadError(
        f"{source}: workbook contains XML entity declarations; refused{where}.",
        hint=_XML_HINT,
        source=source,
    )


def feed(parser: expat.XMLParserType, chunk: bytes, where: Where, final: bool = False) -> None:
    try:
        parser.Parse(chunk, final)
    except expat.ExpatError as exc:
        raise LoadError(
            f"{where.source}: the XML of {where.where()} is malformed at line"
            f" {exc.lineno:,}, column {exc.offset + 1:,} ({expat.ErrorString(exc.code)}).",
            hint="The workbook is damaged. Open it in Excel and save it again as .xlsx.",
            source=where.source,
        ) from exc


def read_shared_strings(
    chunks: Iterable[bytes],
    *,
    source: str,
    part: str,
    max_text: int,
    after_chunk: Callable[[int], None],
) -> list[str]:
    """Every string of the shared-strings table, in order; phonetic guides (rPh) left out.

    ``after_chunk(size)`` runs after each chunk, with the chunk's size. A string longer than
    ``max_text`` characters is refused.
    """
    where = Where(source, part)
    strings: list[str] = []
    texts: list[str] = []
    collecting = in_phonetic = False

    def start(name: str, _attrs: dict[str, str]) -> None:
        nonlocal collecting, in_phonetic
        tag = TAGS.get(name)
        if tag == TEXT:
            collecting = not in_phonetic
        elif tag == PHONETIC:
            in_phonetic = True
        elif tag == ITEM:
            texts.clear()

    def end(name: str) -> None:
        nonlocal collecting, in_phonetic
        tag = TAGS.get(name)
        if tag == TEXT:
            collecting = False
        elif tag == PHONETIC:
            in_phonetic = False
        elif tag == ITEM:
            text = unescape("".join(texts))
            if len(text) > max_text:
                raise LoadError(
                    f"{source}: shared string {len(strings):,} holds {len(text):,} characters,"
                    f" more than the {max_text:,} SQLite accepts in one value.",
                    hint="Shorten the longest cells in Excel (Excel itself allows 32,767"
                    " characters), save, and open the workbook again.",
                    source=source,
                )
            strings.append(text)

    def chars(data: str) -> None:
        if collecting:
            texts.append(data)

    parser = new_parser(where)
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = chars
    for chunk in chunks:
        feed(parser, chunk, where)
        after_chunk(len(chunk))
    feed(parser, b"", where, final=True)
    return strings
