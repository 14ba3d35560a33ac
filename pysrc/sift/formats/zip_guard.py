"""Open a ZIP archive (an .xlsx workbook) only after its directory has been checked.

A zip bomb is a small archive whose parts expand to gigabytes. Before any part is parsed the
directory is checked against a budget: the number of parts, the declared uncompressed total,
and each part's compression ratio. Reading then stays inside what the directory declared, so a
lying header (a part larger than declared) ends as "archive is corrupt", not as a bigger part.
Imports: the standard library and sift modules.
"""

from __future__ import annotations

import struct
import tempfile
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import IO, cast

from sift.errors import LoadError
from sift.formats.base import ByteStream
from sift.messages import plural

__all__ = [
    "DEFAULT_LIMITS",
    "ZipLimits",
    "check_members",
    "corrupt_error",
    "human_bytes",
    "open_zip",
    "read_member",
    "seekable",
]

MIB = 1024 * 1024
CHUNK_SIZE = 64 * 1024
SPOOL_IN_MEMORY = 16 * MIB  # a copied non-seekable stream spills to a temporary file past this

_DAMAGED_HINT = (
    "The file may be damaged or made to attack programs that read it. If you trust it, open it"
    " in Excel and save it again as .xlsx."
)


@dataclass(frozen=True)
class ZipLimits:
    """How much an archive may ask of the reader (RELIABILITY B2)."""

    max_total: int = 512 * MIB  # declared uncompressed bytes of all parts together
    max_ratio: float = 200.0  # uncompressed / compressed, per part...
    ratio_floor: int = 1 * MIB  # ...for parts that expand beyond this size
    max_members: int = 10_000
    max_directory: int = 16 * MIB  # bytes of the central directory itself
    max_archive: int = 512 * MIB  # bytes copied from a stream that cannot seek


DEFAULT_LIMITS = ZipLimits()


def human_bytes(size: int) -> str:
    """``size`` in the largest binary unit that keeps it at or above 1: "1.5 MiB"."""
    value = float(size)
    for unit in ("bytes", "KiB", "MiB", "GiB"):
        if value < 1024 or unit == "GiB":
            return f"{size:,} bytes" if unit == "bytes" else f"{value:,.1f} {unit}"
        value /= 1024
    raise AssertionError("unreachable")


def corrupt_error(source: str, part: str | None, detail: str) -> LoadError:
    """The one message for an archive that does not hold what its directory says."""
    where = f" (part {part})" if part else ""
    return LoadError(
        f"{source}: archive is corrupt{where}: {detail}.",
        hint="The file may be damaged or incompletely downloaded. Download it again, or open it"
        " in Excel and save a new copy.",
        source=source,
    )


def _refused(source: str, reason: str, hint: str = _DAMAGED_HINT) -> LoadError:
    return LoadError(f"{source} was refused: {reason}.", hint=hint, source=source)


@contextmanager
def seekable(stream: ByteStream, *, source: str, limit: int) -> Iterator[IO[bytes]]:
    """``stream`` itself when it can seek (a ZIP directory sits at the end), else a copy.

    The copy stops with a LoadError past ``limit`` bytes.
    """
    check = getattr(stream, "seekable", None)
    if callable(check) and check() and hasattr(stream, "seek") and hasattr(stream, "tell"):
        yield cast(IO[bytes], stream)
        return
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY) as spool:
        copied = 0
        while chunk := stream.read(CHUNK_SIZE):
            copied += len(chunk)
            if copied > limit:
                raise _refused(
                    source,
                    f"it is larger than the {human_bytes(limit)} Sift reads from a workbook",
                    "Split the workbook into smaller files, or export the sheets you need as CSV.",
                )
            spool.write(chunk)
        spool.seek(0)
        yield cast(IO[bytes], spool)


@contextmanager
def open_zip(
    file: IO[bytes], *, source: str, limits: ZipLimits = DEFAULT_LIMITS
) -> Iterator[zipfile.ZipFile]:
    """The archive in ``file``, its directory checked by ``check_members`` before it is used."""
    _check_directory_size(file, source, limits)
    try:
        archive = zipfile.ZipFile(file)
    except (zipfile.BadZipFile, ValueError, EOFError, struct.error) as exc:
        raise corrupt_error(source, None, f"its directory cannot be read ({exc})") from exc
    with archive:
        check_members(archive.infolist(), source=source, limits=limits)
        yield archive


def _check_directory_size(file: IO[bytes], source: str, limits: ZipLimits) -> None:
    """Refuse a directory with too many entries before zipfile builds an object per entry."""
    found = _declared_directory(file)
    if found is None:
        return  # no end record: zipfile reports the damage in its own words
    entries, size = found
    if entries > limits.max_members:
        raise _too_many(source, entries, limits)
    if size > limits.max_directory:
        raise _refused(
            source,
            f"its directory alone is {human_bytes(size)}, more than the"
            f" {human_bytes(limits.max_directory)} a workbook needs",
        )


_END = b"PK\x05\x06"
_END_SIZE = 22
_ZIP64_LOCATOR = b"PK\x06\x07"
_ZIP64_END = b"PK\x06\x06"


def _declared_directory(file: IO[bytes]) -> tuple[int, int] | None:
    """(entries, directory bytes) from the end-of-central-directory record, ZIP64 included."""
    start = file.tell()
    try:
        size = file.seek(0, 2)
        tail_size = min(size, _END_SIZE + 0xFFFF + 20)
        file.seek(size - tail_size)
        tail = file.read(tail_size)
        at = tail.rfind(_END)
        if at < 0 or len(tail) < at + _END_SIZE:
            return None
        entries, directory = struct.unpack_from("<HI", tail, at + 10)
        if entries == 0xFFFF or directory == 0xFFFFFFFF:
            return _zip64_directory(file, tail[max(at - 20, 0) : at]) or (entries, directory)
        return entries, directory
    finally:
        file.seek(start)


def _zip64_directory(file: IO[bytes], locator: bytes) -> tuple[int, int] | None:
    if len(locator) < 20 or not locator.startswith(_ZIP64_LOCATOR):
        return None
    (offset,) = struct.unpack_from("<Q", locator, 8)
    file.seek(offset)
    record = file.read(56)
    if len(record) < 56 or not record.startswith(_ZIP64_END):
        return None
    entries, directory = struct.unpack_from("<QQ", record, 32)
    return entries, directory


def _too_many(source: str, count: int, limits: ZipLimits) -> LoadError:
    return _refused(
        source,
        f"its archive holds {plural(count, 'part')}, more than the {limits.max_members:,}"
        " a workbook needs",
    )


def check_members(
    infos: list[zipfile.ZipInfo], *, source: str, limits: ZipLimits = DEFAULT_LIMITS
) -> None:
    """Refuse an archive whose directory asks for too much, before any part is expanded."""
    if len(infos) > limits.max_members:
        raise _too_many(source, len(infos), limits)
    total = sum(info.file_size for info in infos)
    if total > limits.max_total:
        biggest = max(infos, key=lambda info: info.file_size)
        raise _refused(
            source,
            f"its parts would expand to {human_bytes(total)} (the largest, {biggest.filename},"
            f" to {human_bytes(biggest.file_size)}), more than the {human_bytes(limits.max_total)}"
            " Sift reads from one workbook",
            "If the workbook is genuine, split it into smaller files or export the sheets you"
            " need as CSV.",
        )
    for info in infos:
        _check_member(info, source, limits)


def _check_member(info: zipfile.ZipInfo, source: str, limits: ZipLimits) -> None:
    if info.flag_bits & 0x1:
        raise _refused(
            source,
            f"part {info.filename} is encrypted",
            "Sift cannot read encrypted workbooks. Open it in Excel, remove the password and"
            " save it again as .xlsx.",
        )
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise _refused(
            source,
            f"part {info.filename} uses a compression method (number {info.compress_type})"
            " that Excel does not use",
        )
    if info.file_size > limits.ratio_floor:
        ratio = info.file_size / max(info.compress_size, 1)
        if ratio > limits.max_ratio:
            raise _refused(
                source,
                f"part {info.filename} would expand {ratio:,.0f} times, from"
                f" {human_bytes(info.compress_size)} to {human_bytes(info.file_size)}; data this"
                " dense is the mark of a zip bomb",
            )


def read_member(
    archive: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    *,
    source: str,
    chunk_size: int = CHUNK_SIZE,
) -> Iterator[bytes]:
    """The expanded bytes of one part, in chunks, never more than its declared size.

    zipfile stops at the declared size and then checks the CRC; the count here makes the
    budget explicit rather than a detail of one Python version.
    """
    budget = info.file_size
    try:
        with archive.open(info) as member:
            while chunk := member.read(chunk_size):
                budget -= len(chunk)
                if budget < 0:
                    raise corrupt_error(source, info.filename, "it holds more than it declares")
                yield chunk
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise corrupt_error(source, info.filename, str(exc) or type(exc).__name__) from exc
