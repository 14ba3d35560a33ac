"""The embed benchmark's results and report (bench/embed.py): pure Python, no I/O.

Times go through bench/stats.py (median, range, ratio, verdict, the table) with "1 widget" as
the reference row; this module adds the memory and Pyodide-load lines. Tested by
tests/unit/test_bench_embed.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from statistics import median
from typing import Final

from bench.embed_pages import CASES, ONE, THREE
from bench.stats import EN_DASH, Row, Summary, summarize

TEMPERATURE: Final = "cold"
# Issue 7: "3 widgets <= 1.2x the time of 1".
MAX_RATIO: Final = 1.20
MIB: Final = 1024 * 1024
# Where Chromium spends CPU during a load, by thread (thread_kind): what each widget adds.
RENDERER_MAIN: Final = "renderer main threads"  # every frame's page and UI (MicroPython)
WORKERS: Final = "workers"  # the engine (Pyodide), and any a frame starts
RENDERER_POOLS: Final = "renderer thread pools"  # V8's background compiles (wasm, JS) and GC
BROWSER: Final = "browser process"
OTHER: Final = "other threads"  # GPU, network, compositors, IO
CPU_KINDS: Final = (RENDERER_MAIN, WORKERS, RENDERER_POOLS, BROWSER, OTHER)


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
    # CPU ms of Chromium's threads from navigation to rendered, per CPU_KINDS name (Linux only)
    cpu_ms: dict[str, float] | None = None


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


def cpu_lines(loads: Sequence[Load]) -> list[str]:
    """Per kind of thread: median CPU ms from navigation to rendered for 1 and 3 widgets, and
    what each widget past the first adds. Empty when no load has figures."""
    one = [load.cpu_ms for load in loads if load.case == ONE.name and load.error is None]
    three = [load.cpu_ms for load in loads if load.case == THREE.name and load.error is None]
    ones = [cpu for cpu in one if cpu is not None]
    threes = [cpu for cpu in three if cpu is not None]
    if not ones or not threes:
        return []
    extra = len(THREE.widgets) - len(ONE.widgets)
    lines = [
        f"CPU ms from navigation to rendered (median of {len(ones)} and {len(threes)} loads):",
        f"  {'thread':<24} {ONE.name:>10} {THREE.name:>10} {'each widget past the first':>28}",
    ]
    for kind in (*CPU_KINDS, "all"):
        a = median([_cpu_total(cpu, kind) for cpu in ones])
        b = median([_cpu_total(cpu, kind) for cpu in threes])
        lines.append(f"  {kind:<24} {a:>10.0f} {b:>10.0f} {(b - a) / extra:>+28.0f}")
    return lines


def _cpu_total(cpu: dict[str, float], kind: str) -> float:
    return sum(cpu.values()) if kind == "all" else cpu.get(kind, 0.0)


def thread_kind(process_type: str, main_thread: bool, thread_name: str) -> str:
    """A Chromium thread's CPU_KINDS name, from its process's --type ("" for the browser),
    whether it is the process's main thread, and its name (/proc/PID/task/TID/comm)."""
    if process_type == "":
        return BROWSER
    if thread_name.startswith("DedicatedWorker"):
        return WORKERS
    if process_type == "renderer":
        if main_thread:
            return RENDERER_MAIN
        if thread_name.startswith("ThreadPool"):
            return RENDERER_POOLS
    return OTHER


def process_type(cmdline: bytes) -> str:
    """The --type=... of a Chromium process's /proc/PID/cmdline ("" for the browser). Child
    processes rewrite theirs: one string, arguments separated by spaces, not NULs."""
    for argument in cmdline.replace(b"\0", b" ").split():
        if argument.startswith(b"--type="):
            return argument.removeprefix(b"--type=").decode(errors="replace")
    return ""


def thread_cpu_ticks(stat: str) -> tuple[str, int] | None:
    """A thread's name and its user + system CPU time in clock ticks, from its
    /proc/PID/task/TID/stat (None if unreadable)."""
    name = stat[stat.find("(") + 1 : stat.rfind(")")]
    fields = stat.rpartition(")")[2].split()
    if len(fields) < 13 or not (fields[11].isdigit() and fields[12].isdigit()):
        return None
    return name, int(fields[11]) + int(fields[12])


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
