"""The explore engine alone, inside Pyodide under Node: views, sorts, filters, facets, search.

No browser and no UI: each figure is one ``Session.handle`` call on the explore benchmark's
table (bench/explore_data.py), timed around the call, so it is the engine's share of what
bench/explore.py measures in Chromium. Run it from the repository root:

    node buildtools/pyodide_run.mjs node_modules/pyodide . bench/explore_engine.py \\
        [--rows 1000000] [--repeat 10] [--cache bench/results/explore-engine.sqlite]

The host folder "." is mounted at /host in Pyodide. ``--cache`` keeps the loaded table as a
SQLite file (about 100 MB for 1M rows), so later runs skip the CSV import. It runs under host
CPython too (``python bench/explore_engine.py``), for comparison. Standard library and sift.
"""

from __future__ import annotations

import argparse
import io
import os
import sqlite3
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

HOST = "/host" if os.path.isdir("/host/pysrc") else os.getcwd()
sys.path[:0] = [os.path.join(HOST, "pysrc"), HOST]

from bench.explore_data import DEFAULT_SEED, lines  # noqa: E402
from sift.session import Session  # noqa: E402

TABLE = "explore"


def cpu_clock() -> Callable[[], float]:
    """Seconds of CPU this process has used: on a busy machine (other work on its cores) the
    wall clock says more about the machine than about Sift. Under Node, Pyodide's own clocks
    are wall clocks, so Node's process.cpuUsage() is asked."""
    try:
        import js  # type: ignore[import-not-found]
    except ImportError:
        return time.process_time

    def node_cpu() -> float:
        usage = js.process.cpuUsage()
        return float(usage.user + usage.system) / 1e6

    return node_cpu


CPU = cpu_clock()
CPU_SAMPLES: list[float] = []  # the CPU milliseconds of the calls timed since the last report


def timed(action: Callable[[], dict[str, Any]]) -> tuple[float, Any]:
    """Wall milliseconds the call took, and its result (a failed reply stops the run)."""
    started, cpu = time.perf_counter(), CPU()
    reply = action()
    elapsed = (time.perf_counter() - started) * 1000
    CPU_SAMPLES.append((CPU() - cpu) * 1000)
    if not reply["ok"]:
        raise SystemExit(f"failed: {reply['error']}")
    return elapsed, reply["result"]


def prepared(rows: int, cache: str | None) -> Session:
    """A session holding the table: from the cache file if there is one, else imported."""
    session = Session()
    if cache and os.path.exists(cache):
        with sqlite3.connect(cache) as stored:
            stored.backup(session.workspace.conn)
        stored.close()
        print(f"table restored from {cache}", flush=True)
        return session
    started = time.perf_counter()
    data = "".join(lines(rows, DEFAULT_SEED)).encode()
    made = time.perf_counter()
    session.load(f"{TABLE}.csv", io.BytesIO(data))
    print(
        f"CSV generated in {made - started:.1f} s, imported in {time.perf_counter() - made:.1f} s",
        flush=True,
    )
    if cache:
        with sqlite3.connect(cache) as stored:
            session.workspace.conn.backup(stored)
        stored.close()
    return session


def report(label: str, samples: list[float]) -> None:
    """One line: wall and CPU milliseconds (the median and p95 when there are several)."""
    cpu = CPU_SAMPLES[-len(samples) :]
    assert len(cpu) == len(samples), "every timed call is reported once"
    CPU_SAMPLES.clear()
    print(f"{label:<50} wall {figures(samples)}  cpu {figures(cpu)}", flush=True)


def figures(samples: list[float]) -> str:
    if len(samples) == 1:
        return f"{samples[0]:>8.1f} ms{'':>24}"
    ordered = sorted(samples)
    p95 = ordered[max(1, -(-len(ordered) * 95 // 100)) - 1]
    median = statistics.median(ordered)
    return f"{median:>8.1f} ms (p95 {p95:>7.1f}, n={len(ordered):>2})"


def view(session: Session, **spec: Any) -> Callable[[], dict[str, Any]]:
    return lambda: session.handle("view", {"table": TABLE, "limit": 100, **spec})


def measure(session: Session, repeat: int) -> None:
    by_name = [{"column": "name"}]
    by_amount = [{"column": "amount"}]
    amount_over = [{"column": "amount", "op": "gt", "value": "500"}]
    report("first page (count of the table included)", [timed(view(session))[0]])
    report("first page again", [timed(view(session))[0] for _ in range(repeat)])
    report("first sort, text column (name)", [timed(view(session, sort=by_name))[0]])
    report("first sort, number column (amount)", [timed(view(session, sort=by_amount))[0]])
    report(
        "sort again, alternating name / amount",
        [timed(view(session, sort=s))[0] for _ in range(repeat) for s in (by_name, by_amount)],
    )
    report(
        "descending, first time (amount)",
        [timed(view(session, sort=[{**by_amount[0], "desc": True}]))[0]],
    )
    report(
        "filter amount > 500, first (counts the view)",
        [timed(view(session, filters=amount_over))[0]],
    )
    report(
        "filter amount > 500 again",
        [timed(view(session, filters=amount_over))[0] for _ in range(repeat)],
    )
    facet = {"table": TABLE, "column": "district", "limit": 10}
    report("facet district (200 values), first", [timed(lambda: session.handle("facet", facet))[0]])
    report(
        "facet district again",
        [timed(lambda: session.handle("facet", facet))[0] for _ in range(repeat)],
    )
    filtered_facet = {**facet, "filters": amount_over}
    report(
        "facet district over amount > 500",
        [timed(lambda: session.handle("facet", filtered_facet))[0]],
    )
    report(
        "deep page of the name sort (builds its index)",
        [timed(view(session, sort=by_name, offset=500_000))[0]],
    )
    report(
        "deep page of the amount sort (builds its index)",
        [timed(view(session, sort=by_amount, offset=500_000))[0]],
    )
    report(
        "sorts with the indexes, pages anywhere",
        [
            timed(view(session, sort=s, offset=o))[0]
            for o in (0, 900_000)
            for s in (by_name, by_amount)
            for _ in range(repeat // 2 or 1)
        ],
    )
    measure_search(session, repeat)


def measure_search(session: Session, repeat: int) -> None:
    for q in ("kobadu", "ri"):
        report(f"search {q!r} before the index (LIKE scan)", [timed(view(session, q=q))[0]])
    conn = session.workspace.conn
    pages_before = conn.execute("PRAGMA page_count").fetchone()[0]
    steps: list[float] = []
    done = False
    while not done:
        elapsed, progress = timed(lambda: session.handle("search_build", {"table": TABLE}))
        steps.append(elapsed)
        done = progress["done"]
    cpu = sum(CPU_SAMPLES) / 1000
    CPU_SAMPLES.clear()
    pages_after = conn.execute("PRAGMA page_count").fetchone()[0]
    size = (pages_after - pages_before) * conn.execute("PRAGMA page_size").fetchone()[0]
    print(
        f"{'search index build':<50} wall {sum(steps) / 1000:.1f} s, cpu {cpu:.1f} s, "
        f"{len(steps)} steps (longest {max(steps):.0f} ms), {size / 1e6:.0f} MB",
        flush=True,
    )
    for q in ("kobadu", "Paris North", "zzq", "ri"):
        report(f"search {q!r} with the index, first", [timed(view(session, q=q))[0]])
        again = [timed(view(session, q=q, offset=100))[0] for _ in range(repeat)]
        report(f"search {q!r} with the index, next pages", again)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--cache", help="a SQLite file to keep the loaded table in, for reuse")
    args = parser.parse_args(argv)
    print(f"Python {sys.version.split()[0]}, SQLite {sqlite3.sqlite_version}", flush=True)
    cache = (
        args.cache
        if args.cache is None or os.path.isabs(args.cache)
        else os.path.join(HOST, args.cache)
    )
    session = prepared(args.rows, cache)
    rows = session.workspace.count(TABLE)
    print(f"{rows:,} rows x {len(session.workspace.columns(TABLE))} columns", flush=True)
    measure(session, args.repeat)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
