"""Tests for sift.formats.text_input: heads, encodings and chained streaming."""

from __future__ import annotations

import io

import pytest

from sift.formats.text_input import (
    CP1252,
    UTF8,
    UTF16,
    UTF32,
    ChainedReader,
    Utf8Check,
    choose_encoding,
    decode_sample,
    open_text,
    read_head,
)


class Trickle:
    """Returns at most three bytes per read, like a slow pipe."""

    def __init__(self, data: bytes) -> None:
        self._inner = io.BytesIO(data)

    def read(self, size: int = -1, /) -> bytes:
        return self._inner.read(min(size, 3))


def test_read_head_loops_over_short_reads() -> None:
    stream = Trickle(b"0123456789")
    assert read_head(stream, 8) == b"01234567"
    assert read_head(stream, 8) == b"89"
    assert read_head(stream, 8) == b""


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (b"plain ascii", UTF8),
        ("Zoë".encode(), UTF8),
        (b"\xef\xbb\xbfname", UTF8),
        (b"\xef\xbb\xbfcaf\xe9", UTF8),  # a UTF-8 BOM wins over a bad byte
        (b"caf\xe9", CP1252),
        (b"\xff\xfen\x00", UTF16),
        (b"\xfe\xff\x00n", UTF16),
        (b"\xff\xfe\x00\x00n\x00\x00\x00", UTF32),
        (b"\x00\x00\xfe\xff\x00\x00\x00n", UTF32),
    ],
)
def test_choose_encoding(head: bytes, expected: object) -> None:
    assert choose_encoding(head, complete=True) == expected


def test_a_character_cut_by_the_head_is_still_utf8() -> None:
    head = "Zoë".encode()[:-1]  # the head ends inside the two bytes of "ë"
    assert choose_encoding(head, complete=False) == UTF8
    assert choose_encoding(head, complete=True) == CP1252
    assert decode_sample(head, UTF8, complete=False) == "Zo"


def test_chained_reader_gives_back_the_head_then_the_rest() -> None:
    stream = io.BytesIO(b"abcdefghij")
    head = read_head(stream, 4)
    raw = ChainedReader(head, stream)
    with open_text(raw, UTF8) as text:
        assert text.read() == "abcdefghij"
    assert raw.bytes_read == 10
    assert not stream.closed  # the caller owns the stream


def test_open_text_keeps_line_endings_for_csv() -> None:
    raw = ChainedReader(b"a\r\nb\rc\n", io.BytesIO())
    with open_text(raw, UTF8) as text:
        assert list(text) == ["a\r\n", "b\r", "c\n"]


def test_utf8_check_counts_invalid_bytes_and_finds_the_first_line() -> None:
    data = b"ok\r\nbad \xff\xfe here\nok \xc3\xa9\nagain \x80\n"
    check = Utf8Check()
    raw = ChainedReader(b"", io.BytesIO(data), check)
    with open_text(raw, UTF8) as text:
        assert list(text) == ["ok\r\n", "bad \ufffd\ufffd here\n", "ok é\n", "again \ufffd\n"]
    assert check.invalid == 3
    assert check.first_line == 2


@pytest.mark.parametrize("chunk", [1, 2, 3, 7, 1000])
def test_utf8_check_is_exact_across_chunk_boundaries(chunk: int) -> None:
    data = "é\r\n€\r\n\r\n".encode() * 5 + b"x\rcaf\xe9\n" + "€".encode()[:2]
    check = Utf8Check()
    for start in range(0, len(data), chunk):
        check.feed(data[start : start + chunk])
    check.feed(b"", final=True)
    assert check.first_line == 17
    assert check.invalid == 3  # \xe9 and the two bytes of a cut-off "€"


def test_utf8_check_on_valid_text() -> None:
    check = Utf8Check()
    check.feed("a\nZoë\n".encode(), final=True)
    assert (check.invalid, check.first_line) == (0, None)
