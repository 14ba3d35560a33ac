"""Tests for sift.sniff_bytes: recognising content that is not delimited text."""

from __future__ import annotations

import gzip
import io
import random
import sqlite3
import zipfile
from contextlib import closing
from pathlib import Path

import pytest

from sift.sniff_bytes import describe_binary, looks_binary


def zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("head", "description"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "a PNG image"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "a JPEG image"),
        (b"GIF89a\x01\x00", "a GIF image"),
        (b"%PDF-1.7\n", "a PDF document"),
        (zip_bytes(), "a ZIP archive (for example an Excel .xlsx workbook)"),
        (gzip.compress(b"a,b\n1,2\n"), "a gzip-compressed file"),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(50),
            "a legacy Office document (.xls/.doc) or password-protected workbook",
        ),
        (b"\x00asm\x01\x00\x00\x00", "a WebAssembly module"),
        (b"\x7fELF\x02\x01\x01", "an executable program"),
        (b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00", "an executable program"),
        (b"PAR1\x15\x00\x15\x1c\x15\x00\x00\x00", "a Parquet file"),
    ],
)
def test_known_formats_are_named(head: bytes, description: str) -> None:
    assert describe_binary(head) == description


def test_a_real_sqlite_database(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite"
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("CREATE TABLE t (x)")
        conn.commit()
    assert describe_binary(path.read_bytes()[:4096]) == "a SQLite database"


def test_random_bytes_are_binary_data() -> None:
    noise = random.Random(7).randbytes(4096)
    assert describe_binary(noise) == "binary data"


@pytest.mark.parametrize(
    "text",
    [
        b"a,b\n1,2\n",
        b"",
        "name;city\nZoë;Łódź\n".encode(),
        b"name\ncaf\xe9\n",
        b"MZ_code,name\n1,2\n",  # starts like a Windows executable but is text
        b"BM,PAR1,ID3\n1,2,3\n",
        b"a,b\nx\x00y,2\n",  # one stray NUL does not make a CSV binary
        b"a\tb\r\n\x0c1\t2\x1a",
    ],
)
def test_text_is_not_binary(text: bytes) -> None:
    assert describe_binary(text) is None


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be", "utf-32"])
def test_utf16_and_utf32_text_with_bom_is_not_binary(codec: str) -> None:
    data = "name,city\nAda,London\n".encode(codec)
    if codec == "utf-16-be":
        data = b"\xfe\xff" + data
    assert describe_binary(data) is None


def test_utf16_without_bom_counts_as_binary() -> None:
    assert looks_binary("name,city\nAda,London\n".encode("utf-16-le"))


def test_only_the_first_4_kib_are_examined() -> None:
    assert not looks_binary(b"a,b\n" * 1024 + bytes(4096))
