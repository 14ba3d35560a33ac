"""Tests for sift.formats.sniff_delimiter: guessing the delimiter of CSV-like text."""

from __future__ import annotations

import pytest

from sift.formats.sniff_delimiter import guess_delimiter, guess_quotechar


@pytest.mark.parametrize(
    ("sample", "expected"),
    [
        ("a,b,c\n1,2,3\n", ","),
        ("a;b;c\n1;2;3\n", ";"),
        ("a\tb\tc\n1\t2\t3\n", "\t"),
        ("a|b|c\n1|2|3\n", "|"),
        ("a;b\n1,5;2,5\n3,0;4,0\n", ";"),  # decimal commas
        ('name,note\n"x; y; z",1\n"p; q",2\n', ","),  # delimiters inside quotes
        ('"a;b",c\n"1;2",3\n', ","),
        ("name\tcomment\nAda\tHello, world\nAlan\tHi\n", "\t"),  # commas only in data
        ("word\nalpha\nbeta\n", ","),  # one column: the default
        ("title;sub\nplain\n", ","),  # header has ';' but no data line does: one column
        ("a,b\n", ","),
        ("a|b\n", "|"),  # header only
        ("", ","),
        ("\n\n  \na;b\n1;2\n", ";"),  # leading blank lines are ignored
        ('a,b\n"multi\nline; text",2\n3,4\n', ","),
        ("a,b\r\n1,2\r\n", ","),
        ("a;b\r1;2\r", ";"),
        ("a|b|c\n1|2,5|x\n3|4,5|y\n", "|"),  # commas inside pipe-separated values
        ("id\tname\tnote\n1\tAda\ta; b\n2\tAlan\tc; d\n", "\t"),
        ('"a","b"\n"1","2"\n', ","),  # every field quoted
        ("a,b,c\n1,2,3\n4,5\n6,7,8\n", ","),  # one ragged row
        ("x;y\n1;2\n3;4\n5;6\n", ";"),
        ("\ufeffa,b\n1,2\n", ","),
        ("Ada;1,5\nAlan;2,25\n", ";"),  # a tie, but every comma is a decimal mark
        ("a;b,c\nx;y,z\n", ","),  # a tie with commas between letters: the default
        ('"1,5";2,5\n"3,5";4,5\n', ";"),
    ],
)
def test_guess_delimiter(sample: str, expected: str) -> None:
    assert guess_delimiter(sample, complete=True) == expected


def test_default_wins_ties_and_empty_samples() -> None:
    assert guess_delimiter("word\nalpha\n", complete=True, default="\t") == "\t"
    assert guess_delimiter("a,b\tc\n1,2\t3\n", complete=True, default="\t") == "\t"
    assert guess_delimiter("a,b\tc\n1,2\t3\n", complete=True) == ","


def test_a_cut_off_last_line_is_ignored() -> None:
    sample = "a;b\n1;2\n3;4\n5"  # the head ends in the middle of a line
    assert guess_delimiter(sample, complete=False) == ";"


def test_a_very_long_header_alone_still_counts() -> None:
    sample = ";".join(f"column{i}" for i in range(5000))  # no line break within the head
    assert guess_delimiter(sample, complete=False) == ";"


def test_mostly_consistent_wins_over_inconsistent() -> None:
    sample = "a,b;c\n1,2;3;4\n5,6\n7,8;9\n"
    assert guess_delimiter(sample, complete=True) == ","


@pytest.mark.parametrize(
    ("sample", "delimiter", "expected"),
    [
        ("a,b\n1,2\n", ",", '"'),
        ('"a","b"\n"1","2"\n', ",", '"'),
        ("'a','b'\n'1','2'\n", ",", "'"),
        ("'a';'b'\r\n'x';'y'\r\n", ";", "'"),
        ("name,height\nO'Brien,5'11\n", ",", '"'),  # apostrophes are not quotes
        ("'a','b'\n\"1\",\"2\"\n", ",", '"'),  # any double-quoted field wins
        ("'only one',b\n", ",", '"'),  # one field is not enough
    ],
)
def test_guess_quotechar(sample: str, delimiter: str, expected: str) -> None:
    assert guess_quotechar(sample, delimiter) == expected


def test_empty_single_quote_pairs_are_not_evidence_of_quoting() -> None:
    # Found by hypothesis (test_delimited round trip): a column of '' values, written by
    # csv.writer with its usual " quotes, was read as empty quoted fields.
    sample = "c0,c1\n" + ",\n" * 10 + ",''\n,''\n"
    assert guess_quotechar(sample, ",") == '"'
    assert guess_quotechar("'Ada','London'\n'Bob',''\n", ",") == "'"
