"""Turn a binary stream into decoded text lines without reading it whole.

A head is read first (to sniff the content and choose an encoding) and then chained back in
front of the rest, so unseekable streams work. Imports: the standard library and sift.formats.base.
"""

from __future__ import annotations

import codecs
import io
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sift.formats.base import ByteStream

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer

HEAD_SIZE = 64 * 1024
BUFFER_SIZE = 64 * 1024

_UTF32_BOMS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
# With errors="surrogateescape" each invalid byte becomes one of these lone surrogates.
_ESCAPED = re.compile("[\udc80-\udcff]")


@dataclass(frozen=True)
class TextEncoding:
    """How to decode a file: the codec, its error handler and the name shown to people."""

    codec: str
    errors: str
    label: str
    guessed: bool = False  # True when the bytes were not valid in the expected encoding
    checked: bool = False  # True when a Utf8Check should count invalid bytes


# Bad bytes in UTF-8 after the head become U+FFFD; a Utf8Check on the raw bytes counts them.
UTF8 = TextEncoding("utf-8-sig", "replace", "UTF-8", checked=True)
UTF16 = TextEncoding("utf-16", "replace", "UTF-16")
UTF32 = TextEncoding("utf-32", "replace", "UTF-32")
CP1252 = TextEncoding("cp1252", "replace", "Windows-1252", guessed=True)


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
    """UTF-32/UTF-16 when a BOM says so, UTF-8 when the head is valid UTF-8, else Windows-1252.

    ``complete`` is True when ``head`` is the whole file, so a truncated last character counts.
    """
    if head.startswith(_UTF32_BOMS):  # before UTF-16: the UTF-32 LE BOM starts with FF FE
        return UTF32
    if head.startswith(_UTF16_BOMS):
        return UTF16
    if head.startswith(codecs.BOM_UTF8):
        return UTF8
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=complete)
    except UnicodeDecodeError:
        return CP1252
    return UTF8


def decode_sample(head: bytes, encoding: TextEncoding, *, complete: bool) -> str:
    """Decode the head for sniffing; a character cut at the end of an incomplete head is held."""
    decoder = codecs.getincrementaldecoder(encoding.codec)(encoding.errors)
    return decoder.decode(head, final=complete)


class Utf8Check:
    """Counts the bytes that are not valid UTF-8 in the chunks fed to it, and the line of the
    first one. Runs per chunk, not per line; valid chunks take the fast strict decoder."""

    def __init__(self) -> None:
        self._pending = b""  # the start of a character cut off at the end of the last chunk
        self._lines = 0  # line breaks seen before the first invalid byte
        self._after_cr = False
        self.invalid = 0
        self.first_line: int | None = None

    def feed(self, chunk: bytes, *, final: bool = False) -> None:
        data = self._pending + chunk
        try:
            text, consumed = codecs.utf_8_decode(data, "strict", final)
        except UnicodeDecodeError:
            text, consumed = codecs.utf_8_decode(data, "surrogateescape", final)
            self._count_invalid(text)
        else:
            if self.first_line is None:
                self._count_lines(text)
        self._pending = data[consumed:]

    def _count_invalid(self, text: str) -> None:
        escapes = _ESCAPED.findall(text)
        if self.first_line is None:
            first = _ESCAPED.search(text)
            self._count_lines(text[: first.start()] if first else text)
            self.first_line = self._lines + 1
        self.invalid += len(escapes)

    def _count_lines(self, text: str) -> None:
        """Add the line breaks in ``text``: CR LF, CR or LF, as the csv module counts them."""
        breaks = text.count("\n") + text.count("\r") - text.count("\r\n")
        if self._after_cr and text.startswith("\n"):  # a \r\n split between two chunks
            breaks -= 1
        self._lines += breaks
        self._after_cr = text.endswith("\r") or (self._after_cr and not text)


class ChainedReader(io.RawIOBase):
    """A raw reader that yields ``head`` and then the rest of ``stream``, counting bytes read."""

    def __init__(self, head: bytes, stream: ByteStream, check: Utf8Check | None = None) -> None:
        super().__init__()
        self._head = memoryview(head)
        self._stream = stream
        self._check = check
        self._done = False
        self.bytes_read = len(head)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: WriteableBuffer, /) -> int:
        target = memoryview(buffer).cast("B")
        if self._head:
            data = bytes(self._head[: len(target)])
            self._head = self._head[len(data) :]
        elif self._done:
            return 0
        else:
            data = self._stream.read(len(target))
            self.bytes_read += len(data)
        if self._check is not None:
            self._check.feed(data, final=not data)
        self._done = not data
        target[: len(data)] = data
        return len(data)


def open_text(raw: ChainedReader, encoding: TextEncoding) -> io.TextIOWrapper:
    """A text stream over ``raw``; newline="" keeps line endings for the csv module."""
    buffered = io.BufferedReader(raw, buffer_size=BUFFER_SIZE)
    return io.TextIOWrapper(buffered, encoding=encoding.codec, errors=encoding.errors, newline="")
