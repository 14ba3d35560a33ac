"""Tests for sift.formats.text_input: heads, encodings and chained streaming."""

from __future__ import annotations

import io

import pytest

from sift.formats.text_input import (
    CP1252,
    LATIN1,
    OTHER_CODE_PAGES,
    UTF8,
    UTF16,
    UTF16BE,
    UTF16LE,
    UTF32,
    ChainedReader,
    LineCounter,
    NulCount,
    Utf8Check,
    choose_encoding,
    decode_sample,
    detect_code_page,
    open_text,
    read_head,
    utf16_without_bom,
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


# Code pages: charset-normalizer, restricted


FRENCH = "nom;ville;prix\nÉlodie;Orléans;12,50\nFrançois;Besançon;3,20\nGaëlle;Nîmes;€ 4\n"
RUSSIAN = "имя,город,улица\nИван,Москва,Тверская\nОльга,Санкт-Петербург,Невский проспект\n"  # noqa: RUF001


def test_french_cp1252_is_not_mistaken_for_central_european() -> None:
    # Left free, charset-normalizer answers cp1250 for this text.
    assert detect_code_page(FRENCH.encode("cp1252")) == CP1252
    assert choose_encoding(FRENCH.encode("cp1252"), complete=True) == CP1252


def test_cp1252_punctuation() -> None:
    data = "a,b\n\u201chello\u201d,\u2013dash \u20ac\n".encode("cp1252")
    assert choose_encoding(data, complete=True) == CP1252


def test_cyrillic_falls_through_to_the_other_code_pages() -> None:
    assert detect_code_page(RUSSIAN.encode("cp1251")) == OTHER_CODE_PAGES["cp1251"]
    assert OTHER_CODE_PAGES["cp1251"].label == "Windows-1251"


def test_a_few_odd_bytes_stay_western() -> None:
    assert detect_code_page(b"name\nZo\xc3\n") == CP1252  # too little to tell a script


def test_latin1_and_cp1252_are_the_western_pair() -> None:
    assert LATIN1.region == CP1252.region == "Western European"
    assert CP1252.guessed
    assert LATIN1.guessed


# BOM-less UTF-16


@pytest.mark.parametrize(("codec", "expected"), [("utf-16-le", UTF16LE), ("utf-16-be", UTF16BE)])
def test_utf16_without_bom(codec: str, expected: object) -> None:
    data = "name,city\nZoë,Paris\n".encode(codec)
    assert utf16_without_bom(data) == expected
    assert choose_encoding(data, complete=True) == expected


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"a\x00",
        bytes(range(256)) * 4,  # binary data
        b"\x01\x00\x02\x00\x03\x00\x04\x00" * 50,  # little-endian numbers, not text
        "日本語,テキスト\n".encode("utf-16-le"),  # no zero bytes to see: not claimed
    ],
)
def test_utf16_without_bom_is_not_claimed_for_other_bytes(data: bytes) -> None:
    assert utf16_without_bom(data) is None


# Lines and NUL


@pytest.mark.parametrize("chunk", [1, 2, 5, 1000])
def test_line_counter_across_chunks(chunk: int) -> None:
    data = b"a\r\nb\rc\nd\r\r\n\n"
    counter = LineCounter()
    for start in range(0, len(data), chunk):
        counter.feed(data[start : start + chunk])
    assert counter.lines == 6


def test_nul_count_strips_bytes_and_finds_the_first_line() -> None:
    nul = NulCount()
    assert nul.strip(b"a\nb\r\n") == b"a\nb\r\n"
    assert nul.strip(b"c\nd\x00e\n\x00") == b"c\nde\n"
    assert nul.strip(b"\x00f") == b"f"
    assert (nul.count, nul.first_line) == (3, 4)


def test_nul_count_strips_lines() -> None:
    nul = NulCount()
    assert list(nul.strip_lines(["a\n", "b\x00\x00\n", "\x00"])) == ["a\n", "b\n", ""]
    assert (nul.count, nul.first_line) == (3, 2)


def test_a_read_of_nul_bytes_only_is_not_the_end_of_the_stream() -> None:
    nul = NulCount()
    stream = io.BytesIO(b"\x00" * 100_000 + b"tail\n")
    raw = ChainedReader(b"head\n", stream, nul=nul)
    with open_text(raw, UTF8) as text:
        assert text.read() == "head\ntail\n"
    assert (nul.count, nul.first_line) == (100_000, 2)


def test_decode_sample_leaves_nul_out() -> None:
    assert decode_sample(b"a\x00b", UTF8, complete=True) == "ab"


@pytest.mark.parametrize("size", [3, 7, 64 * 1024])
def test_the_utf8_check_and_the_nul_count_share_one_line_counter(size: int) -> None:
    lines = LineCounter()
    check, nul = Utf8Check(lines), NulCount(lines)
    data = b"a\r\nb\rc\n" * 3 + b"d\x00\n" + b"e\n" * 5 + b"caf\xe9\n"
    raw = ChainedReader(b"", Trickle(data) if size == 3 else io.BytesIO(data), check, nul, lines)
    raw_reads = []
    while chunk := raw.read(size):
        raw_reads.append(chunk)
    assert b"".join(raw_reads) == data.replace(b"\x00", b"")
    assert (nul.count, nul.first_line) == (1, 10)
    assert (check.invalid, check.first_line) == (1, 16)
