"""bench/settle.py: reading /proc, and waiting for a busy child process to go quiet."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bench import settle

TICKS = os.sysconf("SC_CLK_TCK")


def stat_line(pid: int, name: str, parent: int, utime: int, stime: int) -> str:
    # pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime
    return f"{pid} ({name}) S {parent} 1 1 0 -1 0 0 0 0 0 {utime} {stime} 0 0 20 0 1 0\n"


def fake_proc(root: Path, processes: list[tuple[int, str, int, int, int]]) -> Path:
    for pid, name, parent, utime, stime in processes:
        (root / str(pid)).mkdir()
        (root / str(pid) / "stat").write_text(stat_line(pid, name, parent, utime, stime))
    (root / "self").mkdir()  # not a process: skipped
    return root


def test_stat_fields_reads_the_parent_and_cpu_even_when_the_name_has_spaces_and_parens() -> None:
    parent, seconds = settle.stat_fields(stat_line(7, "Chrome_Child (x) y", 3, TICKS, 2 * TICKS))
    assert (parent, seconds) == (3, 3.0)


def test_descendants_cpu_counts_children_and_grandchildren_only(tmp_path: Path) -> None:
    proc = fake_proc(
        tmp_path,
        [
            (10, "python", 1, 0, 0),
            (11, "node", 10, TICKS, 0),  # child
            (12, "chromium", 11, 2 * TICKS, TICKS),  # grandchild
            (13, "renderer", 12, TICKS, 0),  # great-grandchild
            (20, "other", 1, 50 * TICKS, 0),  # not ours
            (21, "its child", 20, 50 * TICKS, 0),
        ],
    )
    assert settle.descendants_cpu(10, proc) == pytest.approx(5.0)
    assert settle.descendants_cpu(12, proc) == pytest.approx(1.0)
    assert settle.descendants_cpu(13, proc) == 0.0


def test_a_stat_file_that_vanished_or_is_garbled_is_skipped(tmp_path: Path) -> None:
    proc = fake_proc(tmp_path, [(10, "python", 1, 0, 0), (11, "child", 10, TICKS, 0)])
    (proc / "12").mkdir()  # a process that ended: no stat file
    (proc / "13").mkdir()
    (proc / "13" / "stat").write_text("garbage")
    assert settle.descendants_cpu(10, proc) == pytest.approx(1.0)


def test_waits_while_a_child_is_busy_and_returns_once_it_is_idle() -> None:
    busy = "import time\nend = time.time() + 1.5\nwhile time.time() < end: pass\ntime.sleep(30)"
    child = subprocess.Popen([sys.executable, "-c", busy])
    try:
        waited = settle.wait_until_idle(max_wait_s=8.0)
    finally:
        child.kill()
        child.wait()
    # It cannot be idle before the busy loop ends (1.5 s), and it must not wait out the limit.
    assert 1.5 <= waited < 8.0
