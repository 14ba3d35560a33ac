"""Line-aligned chunks of decoded text, for the fast path of delimited import.

Splitting a chunk with ``str.split`` runs in C and is several times faster than the csv module's
per-row iteration, but it is only right for text without quotes and with one kind of line break.
``TextChunks`` reads a text stream in chunks that end at a line break (or at the end of the
text); ``plain_lines`` says whether a chunk can be split that way; other chunks go to the csv
module. The
csv module may then need the lines after a chunk (a quoted field that spans its end):
``lines()`` gives them without losing the part of a line already read ahead.
Imports: the standard library only.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from typing import Protocol

__all__ = ["TextChunks", "joined", "line_breaks", "plain_lines"]


class TextStream(Protocol):
    """A text stream that can be read in pieces and iterated by line (``io.TextIOWrapper``)."""

    def read(self, size: int, /) -> str: ...

    def __iter__(self) -> Iterator[str]: ...


# Characters per read of the text stream. TextIOWrapper asks its buffer for up to 4 bytes per
# character it is asked for, so reads of the file stay within the 64 KiB that line-by-line
# reading uses (an import never holds much more of the file than one chunk).
PIECE_CHARS = 16 * 1024


class TextChunks:
    """Chunks of ``text`` that end with a line break, except the last one of the text."""

    def __init__(self, text: TextStream) -> None:
        self._text = text
        self._carry = ""  # text read after the last chunk and not yet given out

    def read(self, size: int) -> str:
        """At least one whole line, or the rest of the text ('' at its end); about ``size``
        characters, more when a line is longer."""
        data = self._carry + self._read(size)
        cut = _after_last_break(data)
        while not cut:  # no line break yet: a long line, or the end of the text
            size *= 2  # so that a long line is copied a bounded number of times
            block = self._read(size)
            if not block:
                self._carry = ""
                return data
            data += block
            cut = _after_last_break(data)
        self._carry = data[cut:]
        return data[:cut]

    def _read(self, size: int) -> str:
        read = self._text.read
        parts = []
        while size > 0:
            piece = read(min(size, PIECE_CHARS))
            if not piece:
                break
            parts.append(piece)
            size -= len(piece)
        return "".join(parts)

    def lines(self) -> Iterator[str]:
        """The lines after the last chunk, for the csv module (line endings kept)."""
        if self._carry:
            # The carried text may hold whole lines (ended by CR) and the start of a line whose
            # end the stream has not given yet: complete it, then split as the stream would.
            # What the caller does not take stays carried, for the next chunk.
            carry = self._carry + next(iter(self._text), "")
            lines = list(io.StringIO(carry, newline=""))
            for taken, line in enumerate(lines, start=1):
                self._carry = "".join(lines[taken:])
                yield line
        # Not "yield from": closing this generator (once the csv reader is done with it) would
        # then close the text stream too.
        for line in self._text:
            yield line


def _after_last_break(data: str) -> int:
    """Where the text after the last line break of ``data`` starts (0 if it has none). A CR at
    the very end does not count: a LF may follow it in the next read, and CR LF is one break."""
    return max(data.rfind("\n"), data.rfind("\r", 0, len(data) - 1)) + 1


def line_breaks(text: str) -> int:
    """How many line breaks ``text`` has, counting CR LF, CR and LF once each (as csv does)."""
    breaks = text.count("\n")
    if "\r" in text:
        breaks += text.count("\r") - text.count("\r\n")
    return breaks


def plain_lines(chunk: str, quotechar: str, limit: int) -> list[str] | None:
    """The lines of ``chunk`` when ``str.split`` reads it as the csv module would: no quote
    character, LF or CR LF line breaks only, no line longer than ``limit``; else None."""
    if quotechar in chunk or (len(chunk) > limit and _longest_line(chunk) > limit):
        return None
    if "\r" in chunk:
        if chunk.count("\r") != chunk.count("\r\n"):
            return None  # a lone CR ends a line for csv: let it read this chunk
        chunk = chunk.replace("\r\n", "\n")
    lines = chunk.split("\n")
    if not lines[-1]:
        lines.pop()  # the chunk ended with a line feed
    return lines


def _longest_line(chunk: str) -> int:
    return max(map(len, chunk.split("\n")))


def joined(lines: Iterable[str]) -> str:
    """``lines`` as one text, each followed by a line feed."""
    return "\n".join(lines) + "\n"
