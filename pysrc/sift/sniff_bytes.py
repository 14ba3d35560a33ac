"""Tell from a file's first bytes whether it is clearly not delimited text, and what it is.

A registry of magic prefixes names common formats; a control-character heuristic catches
other binary data. Imports: the standard library only.
"""

from __future__ import annotations

from typing import NamedTuple

SAMPLE_SIZE = 4096
BINARY_RATIO = 0.05  # share of control bytes above which a sample is binary
BINARY_MIN_COUNT = 4  # ...and at least this many, so one stray NUL in a tiny CSV stays text

# Byte order marks of text that legitimately contains NUL bytes (UTF-16 and UTF-32).
TEXT_BOMS = (b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")

# Control bytes that plain text does not contain: C0 controls except tab, LF, VT, FF, CR and
# Ctrl-Z (an old DOS end-of-file mark), plus DEL.
_CONTROL = frozenset(set(range(32)) - {9, 10, 11, 12, 13, 26} | {127})
_NOT_CONTROL = bytes(byte for byte in range(256) if byte not in _CONTROL)


class Magic(NamedTuple):
    """A known file signature: ``prefix`` at ``offset``; ``binary_only`` for prefixes that a
    text file could also start with (they match only if the sample also looks binary)."""

    prefix: bytes
    description: str
    offset: int = 0
    binary_only: bool = False


_ZIP = "a ZIP archive (for example an Excel .xlsx workbook)"
_EXE = "an executable program"

MAGIC_TABLE: tuple[Magic, ...] = (
    Magic(b"\x89PNG\r\n\x1a\n", "a PNG image"),
    Magic(b"\xff\xd8\xff", "a JPEG image"),
    Magic(b"GIF87a", "a GIF image"),
    Magic(b"GIF89a", "a GIF image"),
    Magic(b"RIFF", "a media file (WAV, AVI or WebP)", binary_only=True),
    Magic(b"II*\x00", "a TIFF image"),
    Magic(b"MM\x00*", "a TIFF image"),
    Magic(b"BM", "a bitmap image", binary_only=True),
    Magic(b"%PDF-", "a PDF document"),
    Magic(b"PK\x03\x04", _ZIP),
    Magic(b"PK\x05\x06", _ZIP),
    Magic(b"PK\x07\x08", _ZIP),
    Magic(b"\x1f\x8b", "a gzip-compressed file"),
    Magic(b"BZh", "a bzip2-compressed file", binary_only=True),
    Magic(b"\xfd7zXZ\x00", "an xz-compressed file"),
    Magic(b"(\xb5/\xfd", "a Zstandard-compressed file"),
    Magic(b"7z\xbc\xaf'\x1c", "a 7-Zip archive"),
    Magic(b"Rar!\x1a\x07", "a RAR archive"),
    Magic(b"SQLite format 3\x00", "a SQLite database"),
    Magic(
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        "a legacy Office document (.xls/.doc) or password-protected workbook",
    ),
    Magic(b"PAR1", "a Parquet file", binary_only=True),
    Magic(b"ARROW1", "an Arrow file"),
    Magic(b"ftyp", "a media file (MP4, MOV or HEIC)", offset=4),
    Magic(b"OggS", "an audio or video file"),
    Magic(b"ID3", "an MP3 audio file", binary_only=True),
    Magic(b"\x00asm", "a WebAssembly module"),
    Magic(b"\x7fELF", _EXE),
    Magic(b"MZ", _EXE, binary_only=True),
    Magic(b"\xcf\xfa\xed\xfe", _EXE),
    Magic(b"\xce\xfa\xed\xfe", _EXE),
    Magic(b"\xca\xfe\xba\xbe", _EXE),
)


def describe_binary(head: bytes) -> str | None:
    """Describe ``head`` ("a PNG image", "binary data") if it is clearly not text, else None."""
    if head.startswith(TEXT_BOMS):
        return None
    binary = looks_binary(head)
    for magic in MAGIC_TABLE:
        if head.startswith(magic.prefix, magic.offset) and (binary or not magic.binary_only):
            return magic.description
    return "binary data" if binary else None


def looks_binary(head: bytes) -> bool:
    """True when the first 4 KiB hold too many control bytes (NUL included) to be text."""
    sample = head[:SAMPLE_SIZE]
    count = len(sample.translate(None, _NOT_CONTROL))
    return count >= BINARY_MIN_COUNT and count > len(sample) * BINARY_RATIO
