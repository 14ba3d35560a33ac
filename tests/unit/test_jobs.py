from __future__ import annotations

import pytest

from sift.jobs import Cancelled, Job, duration, progress_text


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_snapshot_figures_and_sentence() -> None:
    clock = Clock()
    job = Job("Importing a.csv", total_bytes=1000, clock=clock)
    clock.now += 2
    job.update(rows=400, done_bytes=250)
    snap = job.snapshot()
    assert snap["percent"] == 25.0
    assert snap["rows_per_second"] == 200
    assert snap["seconds_left"] == 6.0
    assert snap["text"] == "25% · 400 rows · 200 rows/s · about 6 s left"


def test_unknown_total_leaves_out_percent_and_time() -> None:
    clock = Clock()
    job = Job("Importing a.csv", clock=clock)
    clock.now += 1
    job.update(rows=1500, done_bytes=10)
    snap = job.snapshot()
    assert snap["percent"] is None
    assert snap["seconds_left"] is None
    assert snap["text"] == "1,500 rows · 1,500 rows/s"


def test_cancel_makes_the_next_update_raise() -> None:
    job = Job("Importing big.csv", total_bytes=10)
    job.update(1, 1)
    job.cancel()
    with pytest.raises(Cancelled, match=r"Importing big\.csv was cancelled: nothing was imported"):
        job.update(2, 2)
    assert Cancelled("x", hint="y").to_dict()["kind"] == "cancelled"


def test_progress_text_at_start() -> None:
    assert progress_text(0.0, 0, 0.0, None) == "0% · 0 rows"


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(0.2, "1 s"), (6.4, "6 s"), (59, "59 s"), (61, "1 min"), (3599, "1 h"), (3900, "1 h 5 min")],
)
def test_duration(seconds: float, text: str) -> None:
    assert duration(seconds) == text


def test_a_query_job_says_what_its_cancel_left() -> None:
    job = Job("The query", outcome="nothing was changed", retry="Run it again when you want.")
    job.check()  # not cancelled: nothing happens
    job.cancel()
    with pytest.raises(Cancelled) as caught:
        job.check()
    assert caught.value.message == "The query was cancelled: nothing was changed."
    assert caught.value.hint == "Run it again when you want."
