"""The native reference of the import benchmark: the `sqlite3` command-line shell's `.import`.

    sqlite3 :memory: -cmd ".mode csv" ".import 'FILE' t" "SELECT count(*) FROM t;"

Timed with time.perf_counter() around the whole process (start-up and the count, a few ms, are
inside the clock). Peak memory is the process's maximum resident set size, read from
`/usr/bin/time -v` when that exists, else from getrusage(RUSAGE_CHILDREN), which is the largest
child this process has waited for so far. Standard library only.
"""

from __future__ import annotations

import re
import resource
import shutil
import subprocess
import time
from pathlib import Path
from typing import Final

from bench.import_stats import Measurement, failed

GNU_TIME: Final = Path("/usr/bin/time")
MAX_RSS: Final = re.compile(r"Maximum resident set size \(kbytes\): (\d+)")
MISSING: Final = "the sqlite3 CLI is not installed (Debian: apt-get install sqlite3)"


def find_sqlite3() -> str | None:
    return shutil.which("sqlite3")


def version(sqlite3: str) -> str:
    try:
        done = subprocess.run(
            [sqlite3, "--version"], capture_output=True, text=True, check=True, timeout=10
        )
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return done.stdout.split(" ", 1)[0].strip() or "unknown"


def command(sqlite3: str, csv_path: Path) -> list[str]:
    # Single quotes: the shell takes the argument literally (double quotes honour backslashes);
    # import_csv() refuses a path with a single quote in it.
    return [
        sqlite3,
        ":memory:",
        "-bail",
        "-cmd",
        ".mode csv",
        f".import '{csv_path}' t",
        "SELECT count(*) FROM t;",
    ]


def max_rss_bytes(time_report: str) -> int | None:
    """The peak RSS in `/usr/bin/time -v`'s report (given in KiB), in bytes."""
    match = MAX_RSS.search(time_report)
    return int(match.group(1)) * 1024 if match else None


def last_int(output: str) -> int | None:
    """The number on the last non-empty line, e.g. the count the shell printed."""
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    return int(lines[-1]) if lines and lines[-1].isdigit() else None


def import_csv(sqlite3: str, csv_path: Path, timeout_s: float) -> Measurement:
    if "'" in str(csv_path):
        return failed(f"{csv_path}: the sqlite3 shell cannot take a path with a ' in it")
    timed = GNU_TIME.is_file()
    argv = (
        [str(GNU_TIME), "-v", *command(sqlite3, csv_path)] if timed else command(sqlite3, csv_path)
    )
    start = time.perf_counter()
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=timeout_s)
    except subprocess.TimeoutExpired:
        return failed(f"timed out after {timeout_s:g} s")
    except OSError as exc:
        return failed(f"cannot run {argv[0]}: {exc}")
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        shell_errors = done.stderr.split("\tCommand being timed:", 1)[0]  # not time's report
        detail = " ".join(shell_errors.split())[:300]
        return failed(f"exit status {done.returncode}: {detail}")
    if timed:
        return Measurement(seconds, last_int(done.stdout), max_rss_bytes(done.stderr))
    # ru_maxrss is in KiB on Linux.
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    return Measurement(seconds, last_int(done.stdout), peak, note="peak: largest child so far")
