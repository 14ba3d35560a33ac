"""Turn a binary stream into decoded text lines without reading it whole.

A head is read first (to sniff the content and choose an encoding) and then chained back in
front of the rest, so unseekable streams work. The encoding comes from a byte order mark, from
the evident shape of BOM-less UTF-16, from a strict UTF-8 check, or else from the bundled
charset-normalizer restricted to Western code pages first (left free, it prefers cp1250 for
French text). NUL characters are removed on the way, and counted: they are not text, and
SQLite's text functions stop at them.
Imports: the standard library, charset_normalizer (bundled) and sift.formats.base.
"""

from __future__ import annotations

import codecs
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sift.formats.base import ByteStream

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer

HEAD_SIZE = 64 * 1024
BUFFER_SIZE = 64 * 1024
UTF16_SNIFF_SIZE = 4096
MIN_NON_ASCII_FOR_OTHERS = 16  # bytes above 127 needed before trying non-Western code pages

_UTF32_BOMS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
# With errors="surrogateescape" each invalid byte becomes one of these lone surrogates.
_ESCAPED = re.compile("[\udc80-\udcff]")
# The low byte of a UTF-16 character whose high byte is zero, when that is text: tab, line
# breaks, printable ASCII and the letters and signs of Latin-1 (U+00A0 to U+00FF).
_LATIN1_TEXT = frozenset(b"\t\n\r" + bytes(range(32, 127)) + bytes(range(160, 256)))
_NON_ASCII = bytes(range(128, 256))


@dataclass(frozen=True)
class TextEncoding:
    """How to decode a file: the codec, its error handler and the name shown to people."""

    codec: str
    errors: str
    label: str
    guessed: bool = False  # True when detected from the bytes: not UTF-8, and no BOM says so
    checked: bool = False  # True when a Utf8Check should count invalid bytes
    ascii_compatible: bool = True  # False for UTF-16/32, where a NUL byte is not a NUL character
    region: str = ""  # the scripts a single-byte code page covers, for the warning

    @property
    def is_utf8(self) -> bool:
        return self.codec == UTF8.codec


# Bad bytes in UTF-8 after the head become U+FFFD; a Utf8Check on the raw bytes counts them.
UTF8 = TextEncoding("utf-8-sig", "replace", "UTF-8", checked=True)
UTF16 = TextEncoding("utf-16", "replace", "UTF-16", ascii_compatible=False)
UTF16LE = TextEncoding("utf-16-le", "replace", "UTF-16LE", guessed=True, ascii_compatible=False)
UTF16BE = TextEncoding("utf-16-be", "replace", "UTF-16BE", guessed=True, ascii_compatible=False)
UTF32 = TextEncoding("utf-32", "replace", "UTF-32", ascii_compatible=False)


def _code_page(codec: str, label: str, region: str) -> TextEncoding:
    return TextEncoding(codec, "replace", label, guessed=True, region=region)


CP1252 = _code_page("cp1252", "Windows-1252", "Western European")
LATIN1 = _code_page("latin-1", "ISO-8859-1", "Western European")
# charset-normalizer's codec name -> encoding. The Western pair is tried first and alone; the
# others only when neither of those fits the bytes (Cyrillic, Greek...).
WESTERN_CODE_PAGES = {"cp1252": CP1252, "latin_1": LATIN1}
OTHER_CODE_PAGES = {
    "cp1250": _code_page("cp1250", "Windows-1250", "Central European"),
    "cp1251": _code_page("cp1251", "Windows-1251", "Cyrillic"),
    "cp1253": _code_page("cp1253", "Windows-1253", "Greek"),
    "cp1254": _code_page("cp1254", "Windows-1254", "Turkish"),
    "cp1257": _code_page("cp1257", "Windows-1257", "Baltic"),
    "koi8_r": _code_page("koi8_r", "KOI8-R", "Cyrillic"),
}


def read_head(stream: ByteStream, size: int = HEAD_SIZE) -> bytes:
    """Read up to ``size`` bytes, looping because one read may return fewer bytes."""
    parts: list[bytes] = []
    remaining = size
    while remaining > 0:
        chunk = stream.read(remaining)
        if not chunk:
            break
        parts.append(chunk)
        remaining -= len(chunk)
    return b"".join(parts)


def choose_encoding(head: bytes, *, complete: bool) -> TextEncoding:
    """The encoding a BOM or BOM-less UTF-16 shows; else UTF-8 when the head is valid UTF-8;
    else the code page charset-normalizer finds (Windows-1252 when it finds none).

    ``complete`` is True when ``head`` is the whole file, so a truncated last character counts.
    """
    declared = declared_encoding(head)
    if declared is not None:
        return declared
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=complete)
    except UnicodeDecodeError:
        return detect_code_page(head)
    return UTF8


def declared_encoding(head: bytes) -> TextEncoding | None:
    """The encoding a byte order mark declares, or evident BOM-less UTF-16; else None."""
    if head.startswith(_UTF32_BOMS):  # before UTF-16: the UTF-32 LE BOM starts with FF FE
        return UTF32
    if head.startswith(_UTF16_BOMS):
        return UTF16
    if head.startswith(codecs.BOM_UTF8):
        return UTF8
    return utf16_without_bom(head)


def utf16_without_bom(head: bytes) -> TextEncoding | None:
    """UTF-16LE/BE when the head is Latin text with a zero byte after/before every character
    (what Windows tools write without a BOM), else None. Binary data rarely has that shape."""
    pairs = min(len(head), UTF16_SNIFF_SIZE) // 2
    if pairs < 2:
        return None
    evens, odds = head[0 : 2 * pairs : 2], head[1 : 2 * pairs : 2]
    for zeros, text, encoding in ((odds, evens, UTF16LE), (evens, odds, UTF16BE)):
        if zeros.count(0) == pairs and sum(byte in _LATIN1_TEXT for byte in text) >= 0.95 * pairs:
            return encoding
    return None


def detect_code_page(head: bytes) -> TextEncoding:
    """The single-byte code page of ``head`` (not UTF-8): Western first, then the others."""
    # Imported here: only files that are not UTF-8 pay for loading the detector.
    from charset_normalizer import from_bytes

    candidates = [WESTERN_CODE_PAGES]
    if len(head) - len(head.translate(None, _NON_ASCII)) >= MIN_NON_ASCII_FOR_OTHERS:
        candidates.append(OTHER_CODE_PAGES)  # too few letters to tell a script apart otherwise
    for pages in candidates:
        best = from_bytes(head, cp_isolation=list(pages)).best()
        if best is not None and best.encoding in pages:
            return pages[best.encoding]
    return CP1252


def decode_sample(head: bytes, encoding: TextEncoding, *, complete: bool) -> str:
    """Decode the head for sniffing; a character cut at the end of an incomplete head is held.
    NUL characters are left out, as they are from the stream."""
    decoder = codecs.getincrementaldecoder(encoding.codec)(encoding.errors)
    return decoder.decode(head, final=complete).replace("\x00", "")


class LineCounter:
    """Counts line breaks (CR LF, CR or LF, as the csv module does) in consecutive chunks of
    bytes of an ASCII-compatible encoding, and finds the line of a position in the next one."""

    def __init__(self) -> None:
        self.lines = 0
        self._after_cr = False

    def feed(self, chunk: bytes) -> None:
        self.lines += self._breaks(chunk)
        self._after_cr = chunk.endswith(b"\r") or (self._after_cr and not chunk)

    def line_at(self, prefix: bytes) -> int:
        """The 1-based line of the position after ``prefix``, the start of the next chunk."""
        return self.lines + self._breaks(prefix) + 1

    def _breaks(self, chunk: bytes) -> int:
        breaks = chunk.count(b"\n")
        if b"\r" in chunk:  # a fast search; most files have no CR at all
            breaks += chunk.count(b"\r") - chunk.count(b"\r\n")
        if self._after_cr and chunk.startswith(b"\n"):  # a CR LF split between two chunks
            breaks -= 1
        return breaks


class Utf8Check:
    """Counts the bytes that are not valid UTF-8 in the chunks fed to it, and the line of the
    first one. Runs per chunk, not per line; valid chunks take the fast strict decoder.

    ``lines``, if given, is a LineCounter that the caller feeds after each chunk (shared with
    a NulCount); otherwise the check counts lines itself.
    """

    def __init__(self, lines: LineCounter | None = None) -> None:
        self._pending = b""  # the start of a character cut off at the end of the last chunk
        self._feeds_lines = lines is None
        self._lines = LineCounter() if lines is None else lines
        self.invalid = 0
        self.first_line: int | None = None

    def feed(self, chunk: bytes, *, final: bool = False) -> None:
        if self._pending or not chunk.isascii():  # ASCII is valid UTF-8: a much faster check
            data = self._pending + chunk  # the pending bytes hold no line break
            try:
                _, consumed = codecs.utf_8_decode(data, "strict", final)
            except UnicodeDecodeError:
                text, consumed = codecs.utf_8_decode(data, "surrogateescape", final)
                self._count_invalid(text)
            self._pending = data[consumed:]
        if self._feeds_lines and self.first_line is None:
            self._lines.feed(chunk)

    def _count_invalid(self, text: str) -> None:
        escapes = _ESCAPED.findall(text)
        if self.first_line is None:
            first = _ESCAPED.search(text)
            before = text[: first.start()] if first else text
            self.first_line = self._lines.line_at(before.encode("utf-8", "surrogateescape"))
        self.invalid += len(escapes)


class NulCount:
    """How many NUL characters were removed, and the line of the first one.

    ``lines`` as for Utf8Check: a LineCounter the caller feeds, or None to count alone.
    """

    def __init__(self, lines: LineCounter | None = None) -> None:
        self._feeds_lines = lines is None
        self._lines = LineCounter() if lines is None else lines
        self.count = 0
        self.first_line: int | None = None

    def strip(self, chunk: bytes) -> bytes:
        """``chunk`` (of an ASCII-compatible encoding) without its NUL bytes."""
        if self.first_line is None:
            position = chunk.find(0)
            if position >= 0:
                self.first_line = self._lines.line_at(chunk[:position])
            elif self._feeds_lines:
                self._lines.feed(chunk)
        if self.first_line is None:
            return chunk
        found = chunk.count(0)
        if not found:
            return chunk
        self.count += found
        return chunk.replace(b"\x00", b"")

    def strip_lines(self, lines: Iterable[str]) -> Iterator[str]:
        """``lines`` without NUL characters: for UTF-16 and UTF-32, where bytes cannot tell."""
        for number, line in enumerate(lines, start=1):
            if "\x00" in line:
                if self.first_line is None:
                    self.first_line = number
                self.count += line.count("\x00")
                line = line.replace("\x00", "")
            yield line


class ChainedReader(io.RawIOBase):
    """A raw reader that yields ``head`` and then the rest of ``stream``, counting bytes read;
    optionally it removes NUL bytes and checks UTF-8 on the way, feeding ``lines`` (the line
    counter they share) until both have found what they look for."""

    def __init__(
        self,
        head: bytes,
        stream: ByteStream,
        check: Utf8Check | None = None,
        nul: NulCount | None = None,
        lines: LineCounter | None = None,
    ) -> None:
        super().__init__()
        self._head = memoryview(head)
        self._stream = stream
        self._check = check
        self._nul = nul
        self._lines = lines
        self._done = False
        self.bytes_read = len(head)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: WriteableBuffer, /) -> int:
        target = memoryview(buffer).cast("B")
        data = self._next(len(target))
        while self._nul is not None and data:
            data = self._nul.strip(data)
            if data:
                break
            data = self._next(len(target))  # only NULs: read on, as b"" would mean the end
        if self._check is not None:
            self._check.feed(data, final=not data)
        if self._lines is not None and self._needs_lines():
            self._lines.feed(data)
        self._done = not data
        target[: len(data)] = data
        return len(data)

    def _needs_lines(self) -> bool:
        return (self._check is not None and self._check.first_line is None) or (
            self._nul is not None and self._nul.first_line is None
        )

    def _next(self, size: int) -> bytes:
        if self._head:
            data = bytes(self._head[:size])
            self._head = self._head[len(data) :]
            return data
        if self._done:
            return b""
        data = self._stream.read(size)
        self.bytes_read += len(data)
        return data


def open_text(raw: ChainedReader, encoding: TextEncoding) -> io.TextIOWrapper:
    """A text stream over ``raw``; newline="" keeps line endings for the csv module."""
    buffered = io.BufferedReader(raw, buffer_size=BUFFER_SIZE)
    text = io.TextIOWrapper(buffered, encoding=encoding.codec, errors=encoding.errors, newline="")
    # Decode 64 KiB at a time rather than the default 8 KiB: fewer calls per file, and the
    # per-chunk checks (UTF-8, NUL) cost less. Both CPython's and Pyodide's TextIOWrapper
    # have this attribute.
    text._CHUNK_SIZE = BUFFER_SIZE  # type: ignore[attr-defined]
    return text
