"""Tests for sift.export.neutral: OWASP formula neutralization, case by case."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sift.export.neutral import TRIGGERS, needs_prefix, neutralize


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("=1+1", "'=1+1"),
        ('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'),
        ("+1+1", "'+1+1"),
        ("-1+1", "'-1+1"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("-cmd|' /C calc'!A0", "'-cmd|' /C calc'!A0"),
        ("=", "'="),
        ("-", "'-"),
        ("+", "'+"),
        ("@", "'@"),
        ("\t", "'\t"),
        ("\r", "'\r"),
    ],
)
def test_text_that_starts_like_a_formula_gets_a_quote(text: str, expected: str) -> None:
    assert neutralize(text) == expected


@pytest.mark.parametrize(
    "text", ["-5", "+3.2", "-0.5", "-.5", "+5.", "-1e5", "-1E-05", "+12", "-007"]
)
def test_text_that_is_a_plain_number_stays_as_it_is(text: str) -> None:
    # A spreadsheet reads these as numbers, never as formulas: a quote would only change them.
    assert neutralize(text) == text


@pytest.mark.parametrize(
    "text",
    [
        "-5\n",  # a trailing newline: not just a number
        "-5 ",
        "-2+3",  # arithmetic is a formula
        "-1e5+1",
        "-\u0665",  # ARABIC-INDIC DIGIT FIVE: not an ASCII number
        "-0x10",
        "--5",
        "-5%",
        "-inf",
        "-",
    ],
)
def test_text_that_only_looks_numeric_is_neutralized(text: str) -> None:
    assert neutralize(text) == "'" + text


@pytest.mark.parametrize(
    "text", ["", "plain", " =1+1", "a=1", "'=1", "\n=1+1", "5-3", "\uff1d1+1", "Zoë"]
)
def test_other_text_is_left_alone(text: str) -> None:
    # OWASP's list is =, +, -, @, tab and CR at the very start (a leading space or LF, or a
    # full-width equals sign, does not start a formula in Excel, LibreOffice or Sheets).
    assert neutralize(text) == text


@settings(max_examples=1000, deadline=None, database=None)
@given(st.text(alphabet=st.sampled_from("=+-@\t\r\n 0123456789.eEa'\"x"), max_size=8))
def test_no_output_starts_like_a_formula_unless_it_is_a_number(text: str) -> None:
    out = neutralize(text)
    assert out in (text, "'" + text)
    assert not needs_prefix(out)
    if out[:1] in TRIGGERS:
        float(out)  # only plain numbers keep a trigger in front
