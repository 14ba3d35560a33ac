"""Small pieces the benchmark programs share: argument types and the machine's load.

Standard library only.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable


def whole_number(what: str) -> Callable[[str], int]:
    """An argparse type for a whole number >= 1; `what` names it in the error ("runs")."""

    def parse(text: str) -> int:
        if not (text.isascii() and text.isdigit()) or int(text) < 1:
            raise argparse.ArgumentTypeError(f"{text!r} is not a number of {what} >= 1")
        return int(text)

    return parse


def seconds(text: str) -> float:
    """An argparse type for a time limit in seconds, > 0."""
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not value > 0:  # also refuses NaN
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds > 0")
    return value


def load_average() -> str:
    """The 1-minute load average: other work on the machine skews timings, so reports say it."""
    try:
        return f"{os.getloadavg()[0]:.1f}"
    except OSError:
        return "unknown"


def run(
    program: str,
    parser: argparse.ArgumentParser,
    benchmark: Callable[[argparse.Namespace], int],
    argv: list[str] | None,
) -> int:
    """A benchmark's main(): setup problems exit 2 with one line, Ctrl-C exits 130."""
    from bench.pages import BenchError
    from serve import ServeError

    args = parser.parse_args(argv)
    try:
        return benchmark(args)
    except (BenchError, ServeError) as exc:
        print(f"{program}: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"{program}: interrupted", file=sys.stderr)
        return 130
