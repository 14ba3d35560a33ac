"""What bench/embed.py serves: the host pages with 1 and 3 Sift widgets and their CSV.
Pure text, standard library only
(tested by tests/unit/test_bench_embed.py).
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from html import escape
from typing import Final

DATA_FILE: Final = "data.csv"
DEFAULT_ROWS: Final = 2000
DEFAULT_SEED: Final = 7
COLUMNS: Final = ("id", "region", "amount", "quantity", "day")
REGIONS: Final = ("north", "south", "east", "west", "centre", "coast", "hills", "islands")

# Attributes of one widget, without the `data-sift-` prefix, in the order they are written.
Widget = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Case:
    name: str  # as the report shows it
    page: str  # the host page's file name
    widgets: tuple[Widget, ...]


TABLE: Final[Widget] = (("src", DATA_FILE), ("sort", "-amount"))
CHART: Final[Widget] = (
    ("src", DATA_FILE),
    ("view", "chart"),
    ("chart", "bar;x:region;y:amount;agg:sum"),
)
FILTERED: Final[Widget] = (("src", DATA_FILE), ("filter", "amount__gt=500"), ("sort", "day"))
ONE: Final = Case("1 widget", "one.html", (TABLE,))
THREE: Final = Case("3 widgets", "three.html", (TABLE, CHART, FILTERED))
CASES: Final = (ONE, THREE)


def data_csv(rows: int = DEFAULT_ROWS, seed: int = DEFAULT_SEED) -> str:
    """A seeded CSV of `rows` rows: id, region (8 values), amount (0-1000, 2 decimals),
    quantity (1-500) and day (a date in 2024). No field needs quoting."""
    rng = random.Random(seed)
    lines = [",".join(COLUMNS)]
    for index in range(1, rows + 1):
        amount = rng.randrange(100_000) / 100
        day = f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        lines.append(f"{index},{rng.choice(REGIONS)},{amount:.2f},{rng.randint(1, 500)},{day}")
    return "\n".join(lines) + "\n"


def script_tag(embed_js: str, widget: Widget) -> str:
    """`<script src="…/embed.js" data-sift-…>` as a host writes it (embed-contract.md)."""
    pairs = "".join(f' data-sift-{name}="{escape(value)}"' for name, value in widget)
    return f'<script src="{escape(embed_js)}"{pairs}></script>'


def host_page(embed_js: str, case: Case) -> str:
    """A plain host page: a heading, then each widget's script tag in a section of its own."""
    sections = "\n".join(
        f"<section><h2>Widget {number}</h2>\n{script_tag(embed_js, widget)}\n</section>"
        for number, widget in enumerate(case.widgets, start=1)
    )
    return (
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>Sift embed benchmark: {escape(case.name)}</title>\n</head>\n<body>\n"
        f"<h1>{escape(case.name)}</h1>\n{sections}\n</body>\n</html>\n"
    )


def schedule(runs: int, cases: Sequence[Case] = CASES) -> Iterator[tuple[int, Case]]:
    """Every case once per round (from 1), the order rotated by one each round."""
    for round_ in range(runs):
        shift = round_ % len(cases)
        for case in (*cases[shift:], *cases[:shift]):
            yield round_ + 1, case


WORKER_FILE: Final = "embed-worker.mjs"
