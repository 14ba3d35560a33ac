"""The command-line options and defaults the in-browser benchmarks over a generated CSV share
(bench/explore.py, bench/sql.py): rows, rounds, the built site, the CSV cache and seed, npm's
reference engines and the Chromium to run."""

from __future__ import annotations

import argparse
import re
from pathlib import Path
from typing import Final

from bench import explore_data
from bench.cli import whole_number

ROOT: Final = Path(__file__).resolve().parent.parent
DEFAULT_DIST: Final = ROOT / "dist"
DEFAULT_CACHE: Final = ROOT / "bench" / "results"
DEFAULT_MODULES: Final = ROOT / "node_modules"
DEFAULT_CHROMIUM: Final = Path("/usr/bin/chromium")


def add_data_arguments(
    parser: argparse.ArgumentParser, *, rounds: int, rounds_help: str, engines: str
) -> None:
    """--rows, --rounds, --dist, --json, --cache, --seed, --node-modules and --chromium.
    ``engines`` names the reference engines npm installed, for --node-modules' help."""
    parser.add_argument(
        "--rows", type=whole_number("rows"), default=1_000_000, help="CSV rows (default 1000000)"
    )
    parser.add_argument("--rounds", type=whole_number("rounds"), default=rounds, help=rounds_help)
    parser.add_argument("--dist", type=Path, default=DEFAULT_DIST, help="built site (dist/)")
    parser.add_argument("--json", type=Path, help="also write the raw results to this file")
    parser.add_argument(
        "--cache", type=Path, default=DEFAULT_CACHE, help="folder for the CSVs (bench/results/)"
    )
    parser.add_argument(
        "--seed", type=int, default=explore_data.DEFAULT_SEED, help="the CSV generator's seed"
    )
    parser.add_argument(
        "--node-modules",
        type=Path,
        default=DEFAULT_MODULES,
        help=f"where npm installed {engines} (node_modules/)",
    )
    add_chromium_argument(parser)


def add_chromium_argument(parser: argparse.ArgumentParser) -> None:
    """--chromium, which every in-browser benchmark takes."""
    parser.add_argument(
        "--chromium",
        type=Path,
        default=DEFAULT_CHROMIUM,
        help="Chromium executable (default /usr/bin/chromium, else Playwright's own)",
    )


def sift_build(dist: Path) -> str:
    """The build id build.py writes into dist/index.html (as bench/import.py reads it)."""
    found = re.search(r'data-sift-build="([^"]*)"', (dist / "index.html").read_text("utf-8"))
    return found.group(1) if found else "unknown"
