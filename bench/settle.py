"""Wait for a freshly started Chromium to go quiet before a cold load is timed.

A new Chromium spends its first seconds on work of its own: this build renders its omnibox
popup's WebUI in a renderer of its own, measured at 0.8-1.5 s of CPU (a trace of
bench/embed.py). On 2 cores that lands on whatever page loads first, by chance. A user's
browser has long finished it, so a benchmark waits until the browser's processes (every
descendant of this one) use less than IDLE_SHARE of one core over IDLE_WINDOW_S.
Linux only (/proc); elsewhere it waits FALLBACK_S.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Final

IDLE_WINDOW_S: Final = 0.5
IDLE_SHARE: Final = 0.1
MAX_WAIT_S: Final = 10.0
FALLBACK_S: Final = 3.0
PROC: Final = Path("/proc")


def stat_fields(text: str) -> tuple[int, float]:
    """(parent pid, CPU seconds) from a /proc/PID/stat line; the name may hold spaces or ')'."""
    fields = text[text.rindex(")") + 2 :].split()
    ticks = int(fields[11]) + int(fields[12])  # utime, stime
    return int(fields[1]), ticks / os.sysconf("SC_CLK_TCK")


def descendants_cpu(root: int, proc: Path = PROC) -> float:
    """CPU seconds used so far by every live descendant of process `root`."""
    parents: dict[int, int] = {}
    cpu: dict[int, float] = {}
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            parent, seconds = stat_fields((entry / "stat").read_text())
        except (OSError, ValueError, IndexError):
            continue  # the process ended while we looked
        parents[int(entry.name)] = parent
        cpu[int(entry.name)] = seconds
    total = 0.0
    for pid, seconds in cpu.items():
        ancestor = parents.get(pid)
        while ancestor is not None and ancestor != root and ancestor > 1:
            ancestor = parents.get(ancestor)
        if ancestor == root:
            total += seconds
    return total


def wait_until_idle(max_wait_s: float = MAX_WAIT_S) -> float:
    """Block until this process's descendants are idle (or max_wait_s); the seconds waited."""
    start = time.monotonic()
    if not PROC.is_dir():
        time.sleep(FALLBACK_S)
        return FALLBACK_S
    before = descendants_cpu(os.getpid())
    while time.monotonic() - start < max_wait_s:
        time.sleep(IDLE_WINDOW_S)
        after = descendants_cpu(os.getpid())
        if after - before < IDLE_SHARE * IDLE_WINDOW_S:
            break
        before = after
    return time.monotonic() - start
