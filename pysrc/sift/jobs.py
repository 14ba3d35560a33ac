"""Long work the user watches and may cancel: an import's figures, its sentence, and Cancel.

The engine updates a Job between batches; the UI polls its snapshot. Cancelling makes the
next update raise Cancelled, which the importer's savepoint turns into "nothing imported".
Imports: the standard library and sift modules.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar

from sift.errors import SiftError
from sift.messages import plural


class Cancelled(SiftError):
    """The user cancelled; not a failure, so the UI reports it in the status line."""

    kind: ClassVar[str] = "cancelled"


@dataclass
class Job:
    """One running import or query: what it has done so far, and whether the user asked it to
    stop."""

    label: str
    total_bytes: int | None = None
    # What a cancel leaves and what to do next, for the status line.
    outcome: str = "nothing was imported"
    retry: str = "Open the file again when you want it."
    clock: Callable[[], float] = time.monotonic
    started: float = field(init=False)
    rows: int = 0
    done_bytes: int = 0
    cancelled: bool = False

    def __post_init__(self) -> None:
        self.started = self.clock()

    def update(self, rows: int, done_bytes: int) -> None:
        """Record progress; raise Cancelled if the user asked to stop."""
        self.rows, self.done_bytes = rows, done_bytes
        self.check()

    def check(self) -> None:
        """Raise Cancelled if the user asked to stop."""
        if self.cancelled:
            raise Cancelled(
                f"{self.label} was cancelled: {self.outcome}.",
                hint=self.retry,
            )

    def cancel(self) -> None:
        self.cancelled = True

    def snapshot(self) -> dict[str, Any]:
        """JSON-able figures and the sentence the progress bar shows."""
        elapsed = max(self.clock() - self.started, 1e-9)
        fraction = self.fraction()
        rate = self.rows / elapsed
        left = elapsed * (1 - fraction) / fraction if fraction else None
        return {
            "label": self.label,
            "rows": self.rows,
            "bytes": self.done_bytes,
            "total_bytes": self.total_bytes,
            "percent": None if fraction is None else round(fraction * 100, 1),
            "rows_per_second": round(rate),
            "seconds_left": None if left is None else round(left, 1),
            "text": progress_text(fraction, self.rows, rate, left),
        }

    def fraction(self) -> float | None:
        if not self.total_bytes:
            return None
        return min(self.done_bytes / self.total_bytes, 1.0)


def progress_text(fraction: float | None, rows: int, rate: float, left: float | None) -> str:
    """ "42% · 420,000 rows · 84,000 rows/s · about 6 s left", leaving out what is unknown."""
    parts = [] if fraction is None else [f"{fraction * 100:.0f}%"]
    parts.append(plural(rows, "row"))
    if rows:
        parts.append(f"{rate:,.0f} rows/s")
    if left is not None and rows:
        parts.append(f"about {duration(left)} left")
    return " · ".join(parts)


def duration(seconds: float) -> str:
    """A rough, readable duration: '6 s', '2 min', '1 h 5 min'."""
    seconds = max(round(seconds), 1)
    if seconds < 60:
        return f"{seconds} s"
    minutes = round(seconds / 60)
    if minutes < 60:
        return f"{minutes} min"
    hours, rest = divmod(minutes, 60)
    return f"{hours} h" + (f" {rest} min" if rest else "")
