"""Tests for sift.formats.text_chunks and the chunked fast path of delimited_rows (issue 3): the
rows, line numbers, counts and errors must be those of the csv module reading the same text."""

from __future__ import annotations

import io
from itertools import pairwise
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sift.errors import LoadError
from sift.formats import delimited_rows
from sift.formats.delimited_rows import Rows
from sift.formats.text_chunks import TextChunks, line_breaks, plain_lines


def text_stream(text: str) -> io.TextIOWrapper:
    return io.TextIOWrapper(io.BytesIO(text.encode()), encoding="utf-8", newline="")


_TEXT = st.text(alphabet="ab,\r\n", max_size=60)


@settings(database=None, max_examples=300, deadline=None)
@given(_TEXT, st.integers(min_value=1, max_value=9))
def test_chunks_end_at_line_breaks_and_add_up_to_the_text(text: str, size: int) -> None:
    chunks = TextChunks(text_stream(text))
    parts = []
    while part := chunks.read(size):
        parts.append(part)
    assert "".join(parts) == text
    for part, after in pairwise(parts):
        assert part.endswith(("\n", "\r"))
        assert not (part.endswith("\r") and after.startswith("\n"))  # CR LF is never split


@settings(database=None, max_examples=300, deadline=None)
@given(_TEXT, st.integers(min_value=1, max_value=9), st.integers(min_value=0, max_value=3))
def test_lines_after_a_chunk_are_the_lines_of_the_rest(text: str, size: int, taken: int) -> None:
    chunks = TextChunks(text_stream(text))
    first = chunks.read(size)
    rest = text[len(first) :]
    lines = chunks.lines()
    got = [line for _, line in zip(range(taken), lines, strict=False)]
    expected = list(io.StringIO(rest, newline=""))
    assert got == expected[:taken]
    # What the csv module did not take is read next, nothing lost and nothing twice.
    remainder = []
    while part := chunks.read(size):
        remainder.append(part)
    assert "".join(got) + "".join(remainder) == rest


@pytest.mark.parametrize(
    ("chunk", "lines"),
    [
        ("a,b\nc,d\n", ["a,b", "c,d"]),
        ("a,b\r\nc,d\r\n", ["a,b", "c,d"]),  # CR LF is one break for csv too
        ("a,b\nc", ["a,b", "c"]),  # the end of the text without a break
        ("\n\na\n", ["", "", "a"]),  # blank lines are kept for the caller to count
        ('a,"b"\n', None),  # a quote: the csv module reads it
        ("a\rb\n", None),  # a lone CR ends a line for csv
        ("a,b\r", None),
    ],
)
def test_plain_lines(chunk: str, lines: list[str] | None) -> None:
    assert plain_lines(chunk, '"', 1000) == lines


def test_plain_lines_leaves_lines_past_the_field_limit_to_csv() -> None:
    assert plain_lines("x" * 20 + "\n", '"', 10) is None
    assert plain_lines("x,y\n" * 5, '"', 10) == ["x,y"] * 5


@pytest.mark.parametrize(("text", "breaks"), [("", 0), ("a\nb", 1), ("a\r\nb\rc\n", 3)])
def test_line_breaks(text: str, breaks: int) -> None:
    assert line_breaks(text) == breaks


# The fast path against the csv module's, on texts full of what each must get right: quotes
# (also spanning lines and chunks), unterminated quotes, CR, CR LF, blank and ragged lines.

_PIECES = ["a", "1", "", ",", ",", "\n", "\n", "\r\n", "\r", '"', '"x\ny"', '"q,q"', " ", "2.5"]


def read_all(text: str, *, fast: bool, size: int, chars: int) -> object:
    stream = text_stream(text)
    rows = Rows(stream, ",", '"', "t.csv", TextChunks(stream) if fast else None)
    try:
        with (
            mock.patch.object(delimited_rows, "MIN_CHUNK_CHARS", 1),
            mock.patch.object(delimited_rows, "MAX_CHUNK_CHARS", chars),
        ):
            first = rows.first(2)
            if not first:
                return "empty"
            width = len(first[0])
            read = [list(row) for batch, _ in rows.batches(width, size) for row in batch]
    except LoadError as error:
        return ("error", str(error), error.line)
    tallies = [(t.count, t.first_line) for t in (rows.long, rows.short, rows.blank)]
    return read, rows.count, tallies


@settings(database=None, max_examples=500, deadline=None)
@given(
    st.lists(st.sampled_from(_PIECES), max_size=40).map("".join),
    st.integers(min_value=1, max_value=4),
    st.integers(min_value=1, max_value=12),
)
def test_fast_path_reads_what_the_csv_path_reads(text: str, size: int, chars: int) -> None:
    expected = read_all(text, fast=False, size=size, chars=chars)
    assert read_all(text, fast=True, size=size, chars=chars) == expected


def test_batches_of_plain_chunks_come_with_their_text() -> None:
    text = "h1,h2\n" + "".join(f"{i},x{i}\r\n" for i in range(10))
    stream = text_stream(text)
    rows = Rows(stream, ",", '"', "t.csv", TextChunks(stream))
    rows.first(2)
    rows.take_header()
    batches = list(rows.batches(2, 100))
    assert batches[0] == ([["0", "x0"]], None)  # read ahead by the csv module
    texts = [batch_text for _, batch_text in batches[1:]]
    assert "".join(t or "" for t in texts) == "".join(f"{i},x{i}\n" for i in range(1, 10))
    assert rows.count == 10
