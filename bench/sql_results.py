"""One engine's run of the SQL benchmark, as every side reports it: pure Python, no I/O.

Standard library only (tests/unit/test_bench_sql_results.py). Sift's side fills an EngineRun
call by call; the reference pages send theirs as JSON, read by `run_from`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from bench.sql_answers import Answer, answer_from
from bench.sql_queries import ENGINE_NAMES, Engine


@dataclass
class EngineRun:
    """Samples per query key in ms (None: failed), answers, and what describes the run."""

    engine: Engine
    samples: dict[str, list[float | None]] = field(default_factory=dict)
    answers: dict[str, Answer] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)  # one line per failed sample
    error: str | None = None  # the run could not go on (start or load failed, timed out)
    version: str = "unknown"
    load_s: float | None = None
    rows: dict[str, int] = field(default_factory=dict)  # table -> rows after the load
    engine_ms: dict[str, list[float]] = field(default_factory=dict)  # Sift's own `seconds`
    cancel_ms: list[float] = field(default_factory=list)  # Sift: from Cancel to the reply

    @property
    def name(self) -> str:
        return ENGINE_NAMES[self.engine]

    def add(self, key: str, ms: float | None, problem: str = "") -> None:
        self.samples.setdefault(key, []).append(ms)
        if problem:
            self.problems.append(f"{key}: {' '.join(problem.split())[:300]}")


def run_from(engine: Engine, result: Mapping[str, Any]) -> EngineRun:
    """A reference page's result (JSON) as an EngineRun: samples grouped by key, in order."""
    run = EngineRun(
        engine,
        version=str(result["version"]),
        load_s=float(result["loadMs"]) / 1000,
        rows={str(table): int(count) for table, count in result["rows"].items()},
    )
    for sample in result["samples"]:
        ms = sample.get("ms")
        run.add(str(sample["key"]), None if ms is None else float(ms), sample.get("error") or "")
    for key, data in result["answers"].items():
        run.answers[str(key)] = answer_from(data)
    return run


def failed_run(engine: Engine, error: str) -> EngineRun:
    return EngineRun(engine, error=" ".join(error.split())[:300])
