"""The embed benchmark's results and report (bench/embed.py): pure Python, no I/O.

Times go through bench/stats.py (median, range, ratio, verdict, the table) with "1 widget" as
the reference row; this module adds the memory and Pyodide-load lines. Tested by
tests/unit/test_bench_embed.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from bench.embed_pages import CASES, ONE, THREE
from bench.stats import EN_DASH, Row, Summary, summarize

TEMPERATURE: Final = "cold"
# Issue 7: "3 widgets <= 1.2x the time of 1".
MAX_RATIO: Final = 1.20
MIB: Final = 1024 * 1024


@dataclass(frozen=True)
class Load:
    """One cold load of a host page."""

    round: int  # from 1
    case: str  # Case.name
    ms: float | None  # host navigation start -> every widget rendered; None: failed
    widget_ms: tuple[float | None, ...]  # each widget frame's, in page order
    pyodide_loads: int  # requests for pyodide.asm.wasm
    micropython_loads: int  # requests for micropython.wasm (one per widget frame)
    engine_memory: int | None  # bytes of the engine worker's wasm memory
    chromium_pss: int | None  # bytes: proportional set size of all of Chromium's processes
    error: str | None = None


def report_rows(loads: Sequence[Load]) -> list[Row]:
    one = summarize([load.ms for load in loads if load.case == ONE.name])
    three = summarize([load.ms for load in loads if load.case == THREE.name])
    return [
        Row(TEMPERATURE, ONE.name, one),
        Row(TEMPERATURE, THREE.name, three, reference=one, max_ratio=MAX_RATIO),
    ]


def _mib_summary(summary: Summary) -> str:
    if summary.median is None or summary.low is None or summary.high is None:
        return "n/a"
    return (
        f"{summary.median / MIB:.1f} MiB ({summary.low / MIB:.1f}{EN_DASH}{summary.high / MIB:.1f})"
    )


def memory_lines(loads: Sequence[Load]) -> list[str]:
    """Per case: the engine's wasm memory and Chromium's PSS after rendering (median, range)."""
    lines = []
    for case in CASES:
        mine = [load for load in loads if load.case == case.name and load.error is None]
        engine = summarize([load.engine_memory for load in mine])
        pss = summarize([load.chromium_pss for load in mine])
        lines.append(
            f"{TEMPERATURE:<5} {case.name:<10} engine wasm memory {_mib_summary(engine)}"
            f"   Chromium PSS {_mib_summary(pss)}"
        )
    return lines


def _counts(values: Sequence[int]) -> str:
    distinct = sorted(set(values))
    if not distinct:
        return "no load"
    if len(distinct) == 1:
        return f"{distinct[0]} in every load"
    return "/".join(str(value) for value in values) + " (differs between loads)"


def load_count_lines(loads: Sequence[Load]) -> list[str]:
    """Per case: how many times each load fetched Pyodide (expected: 1) and MicroPython."""
    lines = []
    for case in CASES:
        mine = [load for load in loads if load.case == case.name]
        pyodide = _counts([load.pyodide_loads for load in mine])
        micropython = _counts([load.micropython_loads for load in mine])
        lines.append(
            f"{TEMPERATURE:<5} {case.name:<10} pyodide.asm.wasm requests: {pyodide};"
            f" micropython.wasm: {micropython}"
        )
    return lines


def unexpected_pyodide_loads(loads: Sequence[Load]) -> list[Load]:
    """Successful loads that fetched Pyodide other than exactly once (one engine per page)."""
    return [load for load in loads if load.error is None and load.pyodide_loads != 1]


def progress_line(load: Load) -> str:
    widgets = " ".join("-" if ms is None else f"{ms:.0f}" for ms in load.widget_ms)
    total = "failed" if load.ms is None else f"{load.ms:.0f} ms"
    line = f"round {load.round}  {load.case:<10} {total}  (widgets: {widgets or '-'})"
    return line if load.error is None else f"{line}  {load.error}"


def failures_text(loads: Sequence[Load]) -> list[str]:
    return [
        f"  round {load.round} {load.case}: {load.error}"
        for load in loads
        if load.error is not None
    ]


def descendants(parents: dict[int, int], root: int) -> set[int]:
    """The processes under `root`, given each process's parent (pid -> ppid)."""
    children: dict[int, list[int]] = {}
    for pid, ppid in parents.items():
        children.setdefault(ppid, []).append(pid)
    found: set[int] = set()
    todo = list(children.get(root, ()))
    while todo:
        pid = todo.pop()
        if pid not in found:
            found.add(pid)
            todo.extend(children.get(pid, ()))
    return found


def pss_bytes(smaps_rollup: str) -> int | None:
    """The `Pss:` line of /proc/PID/smaps_rollup, in bytes (None when there is none)."""
    for line in smaps_rollup.splitlines():
        name, _, rest = line.partition(":")
        fields = rest.split()
        if name == "Pss" and len(fields) == 2 and fields[1] == "kB" and fields[0].isdigit():
            return int(fields[0]) * 1024
    return None


def parent_pid(stat: str) -> int | None:
    """The parent's pid from /proc/PID/stat (its name, in parentheses, may hold anything)."""
    fields = stat.rpartition(")")[2].split()
    return int(fields[1]) if len(fields) > 1 and fields[1].isdigit() else None
