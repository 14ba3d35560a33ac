"""bench/cli.py: the argument types the benchmark programs share."""

from __future__ import annotations

import argparse

import pytest

from bench.cli import seconds, whole_number


def test_whole_number() -> None:
    assert whole_number("rows")("1000000") == 1_000_000


# The last is a fullwidth digit one: str.isdigit() accepts it, int() too; the type must not.
@pytest.mark.parametrize("text", ["0", "-3", "1.5", "", "\uff11"])
def test_whole_number_refuses(text: str) -> None:
    with pytest.raises(argparse.ArgumentTypeError, match="number of rows >= 1"):
        whole_number("rows")(text)


def test_seconds() -> None:
    assert seconds("2.5") == 2.5


@pytest.mark.parametrize("text", ["0", "-1", "nan", "soon"])
def test_seconds_refuses(text: str) -> None:
    with pytest.raises(argparse.ArgumentTypeError, match="seconds > 0"):
        seconds(text)
