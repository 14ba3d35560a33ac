"""Tests for sift.formats.zip_guard: the ZIP directory budget and guarded reading."""

from __future__ import annotations

import io
import struct
import zipfile
from typing import IO

import pytest

from sift.errors import LoadError
from sift.formats.zip_guard import (
    ZipLimits,
    check_members,
    human_bytes,
    open_zip,
    read_member,
    seekable,
)

MIB = 1024 * 1024


def make_zip(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def info(name: str, size: int, compressed: int, **attributes: int) -> zipfile.ZipInfo:
    entry = zipfile.ZipInfo(name)
    entry.file_size, entry.compress_size = size, compressed
    entry.compress_type = attributes.get("compress_type", zipfile.ZIP_DEFLATED)
    entry.flag_bits = attributes.get("flag_bits", 0)
    return entry


def refusal(infos: list[zipfile.ZipInfo], limits: ZipLimits | None = None) -> str:
    with pytest.raises(LoadError) as caught:
        check_members(infos, source="book.xlsx", limits=limits or ZipLimits())
    assert caught.value.source == "book.xlsx"
    assert caught.value.hint
    return caught.value.message


class OneWayStream:
    """A stream that can only be read forwards, like a network download."""

    def __init__(self, data: bytes) -> None:
        self._inner = io.BytesIO(data)

    def read(self, size: int = -1, /) -> bytes:
        return self._inner.read(size)

    def seekable(self) -> bool:
        return False


def set_declared_size(data: bytes, name: str, size: int) -> bytes:
    """Rewrite the uncompressed size of ``name`` in both its local and central headers."""
    patched = bytearray(data)
    encoded = name.encode()
    at = patched.find(b"PK\x03\x04")
    while at >= 0:
        name_length = struct.unpack_from("<H", patched, at + 26)[0]
        if patched[at + 30 : at + 30 + name_length] == encoded:
            struct.pack_into("<I", patched, at + 22, size)
        at = patched.find(b"PK\x03\x04", at + 4)
    at = patched.find(b"PK\x01\x02")
    while at >= 0:
        name_length = struct.unpack_from("<H", patched, at + 28)[0]
        if patched[at + 46 : at + 46 + name_length] == encoded:
            struct.pack_into("<I", patched, at + 24, size)
        at = patched.find(b"PK\x01\x02", at + 4)
    return bytes(patched)


# Sizes in messages


@pytest.mark.parametrize(
    ("size", "text"),
    [(0, "0 bytes"), (1023, "1,023 bytes"), (1536, "1.5 KiB"), (512 * MIB, "512.0 MiB")],
)
def test_human_bytes(size: int, text: str) -> None:
    assert human_bytes(size) == text


def test_human_bytes_stops_at_gibibytes() -> None:
    assert human_bytes(3 * 1024**4) == "3,072.0 GiB"


# The directory budget


def test_an_ordinary_directory_passes() -> None:
    check_members(
        [info("xl/workbook.xml", 2000, 500), info("xl/worksheets/sheet1.xml", 10, 12)],
        source="book.xlsx",
    )


def test_too_many_members_is_refused() -> None:
    message = refusal([info(f"p{i}", 1, 1) for i in range(4)], ZipLimits(max_members=3))
    assert message == (
        "book.xlsx was refused: its archive holds 4 parts, more than the 3 a workbook needs."
    )


def test_declared_total_over_budget_is_refused_naming_the_largest_part() -> None:
    infos = [info("xl/worksheets/sheet1.xml", 600 * MIB, 300 * MIB), info("a.xml", 10, 10)]
    assert refusal(infos) == (
        "book.xlsx was refused: its parts would expand to 600.0 MiB (the largest,"
        " xl/worksheets/sheet1.xml, to 600.0 MiB), more than the 512.0 MiB Sift reads from one"
        " workbook."
    )


def test_a_dense_member_is_refused_as_a_zip_bomb() -> None:
    message = refusal([info("xl/worksheets/sheet1.xml", 250 * MIB, 256 * 1024)])
    assert message == (
        "book.xlsx was refused: part xl/worksheets/sheet1.xml would expand 1,000 times, from"
        " 256.0 KiB to 250.0 MiB; data this dense is the mark of a zip bomb."
    )


def test_ratio_is_not_checked_below_the_floor() -> None:
    check_members([info("tiny.xml", MIB, 10)], source="book.xlsx")  # at the floor


def test_a_stored_empty_member_cannot_divide_by_zero() -> None:
    assert "would expand" in refusal([info("x.xml", 2 * MIB, 0)])


def test_encrypted_members_are_refused() -> None:
    message = refusal([info("xl/workbook.xml", 10, 10, flag_bits=1)])
    assert message == "book.xlsx was refused: part xl/workbook.xml is encrypted."


def test_unusual_compression_is_refused() -> None:
    message = refusal([info("xl/workbook.xml", 10, 10, compress_type=zipfile.ZIP_LZMA)])
    assert "uses a compression method (number 14) that Excel does not use" in message


# Opening


def open_error(file: IO[bytes], limits: ZipLimits | None = None) -> LoadError:
    with (
        pytest.raises(LoadError) as caught,
        open_zip(file, source="a.xlsx", limits=limits or ZipLimits()),
    ):
        pass
    return caught.value


def test_open_zip_reads_an_ordinary_archive() -> None:
    data = make_zip({"a.txt": b"hello"})
    with open_zip(io.BytesIO(data), source="a.xlsx") as archive:
        assert archive.read("a.txt") == b"hello"


def test_too_many_entries_are_refused_before_zipfile_reads_the_directory(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data = make_zip({f"p{i}": b"" for i in range(5)})

    def fail(*_args: object) -> None:
        raise AssertionError("zipfile must not parse this directory")

    monkeypatch.setattr(zipfile.ZipFile, "_RealGetContents", fail)
    error = open_error(io.BytesIO(data), ZipLimits(max_members=3))
    assert "holds 5 parts, more than the 3" in error.message


def test_a_huge_directory_is_refused() -> None:
    data = make_zip({"x" * 1000: b"", "y" * 1000: b""})
    error = open_error(io.BytesIO(data), ZipLimits(max_directory=1024))
    assert "its directory alone is 2.0 KiB" in error.message


def test_zip64_end_record_is_read_for_the_entry_count() -> None:
    # More than 65,535 entries forces ZIP64 end records: the count is read from them.
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for index in range(65_536):
            archive.writestr(f"{index}", b"")
    assert "holds 65,536 parts, more than the 10,000" in open_error(buffer).message


def test_a_truncated_archive_is_corrupt() -> None:
    data = make_zip({"a.txt": b"hello" * 100})
    with pytest.raises(LoadError) as caught, open_zip(io.BytesIO(data[:-30]), source="a.xlsx"):
        pass
    assert caught.value.message.startswith("a.xlsx: archive is corrupt: its directory cannot be")


# Reading members


def read_all(data: bytes, name: str) -> bytes:
    with open_zip(io.BytesIO(data), source="a.xlsx") as archive:
        return b"".join(read_member(archive, archive.getinfo(name), source="a.xlsx"))


def test_read_member_returns_the_content_in_chunks() -> None:
    data = make_zip({"big.xml": b"<a/>" * 100_000})
    with open_zip(io.BytesIO(data), source="a.xlsx") as archive:
        chunks = list(read_member(archive, archive.getinfo("big.xml"), source="a.xlsx"))
    assert len(chunks) > 1
    assert b"".join(chunks) == b"<a/>" * 100_000


@pytest.mark.parametrize("compression", [zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED])
def test_a_lying_header_is_caught_while_reading(compression: int) -> None:
    data = set_declared_size(make_zip({"sheet.xml": b"x" * 50_000}, compression), "sheet.xml", 1000)
    with pytest.raises(LoadError) as caught:
        read_all(data, "sheet.xml")
    assert caught.value.message.startswith("a.xlsx: archive is corrupt (part sheet.xml): ")


def test_a_damaged_member_is_corrupt() -> None:
    data = bytearray(make_zip({"sheet.xml": bytes(range(256)) * 400}))
    start = data.find(b"sheet.xml") + len("sheet.xml")
    data[start + 100 : start + 140] = b"\x00" * 40  # inside the deflate stream
    with pytest.raises(LoadError, match=r"archive is corrupt \(part sheet.xml\)"):
        read_all(bytes(data), "sheet.xml")


def test_read_member_never_returns_more_than_declared(monkeypatch: pytest.MonkeyPatch) -> None:
    # Were zipfile to stop trusting the declared size, the budget here still holds.
    data = make_zip({"sheet.xml": b"x" * 1000})
    with open_zip(io.BytesIO(data), source="a.xlsx") as archive:
        entry = archive.getinfo("sheet.xml")
        entry.file_size = 10
        monkeypatch.setattr(zipfile.ZipExtFile, "read", lambda _self, _n=-1: b"x" * 64)
        with pytest.raises(LoadError, match="it holds more than it declares"):
            list(read_member(archive, entry, source="a.xlsx"))


# Streams that cannot seek


def test_a_seekable_stream_is_used_as_it_is() -> None:
    stream = io.BytesIO(b"data")
    with seekable(stream, source="a.xlsx", limit=100) as file:
        assert file is stream


def test_a_one_way_stream_is_copied() -> None:
    with seekable(OneWayStream(b"data" * 10), source="a.xlsx", limit=100) as file:
        file.seek(4)
        assert file.read() == b"data" * 9


def test_a_one_way_stream_over_the_limit_is_refused() -> None:
    stream = OneWayStream(b"x" * 2000)
    with pytest.raises(LoadError) as caught, seekable(stream, source="a.xlsx", limit=1024):
        pass
    assert caught.value.message == (
        "a.xlsx was refused: it is larger than the 1.0 KiB Sift reads from a workbook."
    )
