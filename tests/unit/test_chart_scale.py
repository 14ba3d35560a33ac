"""Tests for sift.charts.scale: nice ticks for numbers and dates, and their labels."""

from __future__ import annotations

from datetime import datetime

import pytest

from sift.charts.scale import (
    axis_for,
    bucket_moment,
    date_axis,
    date_unit,
    day_number,
    inside,
    moment_at,
    number_axis,
    number_label,
    value_text,
)


@pytest.mark.parametrize(
    ("low", "high", "zero", "ticks"),
    [
        (0, 102, True, [0, 20, 40, 60, 80, 100, 120]),
        (3, 97, False, [0, 20, 40, 60, 80, 100]),
        (0.12, 0.87, False, [0.0, 0.2, 0.4, 0.6, 0.8, 1.0]),
        (-7, 12, True, [-10, -5, 0, 5, 10, 15]),
        (5, 5, False, [4.4, 4.6, 4.8, 5.0, 5.2, 5.4, 5.6]),
        (0, 0, True, [0.0, 0.2, 0.4, 0.6, 0.8, 1.0]),
        (1e6, 4.2e6, True, [0, 1e6, 2e6, 3e6, 4e6, 5e6]),
    ],
)
def test_number_ticks_are_nice_and_cover_the_values(
    low: float, high: float, zero: bool, ticks: list[float]
) -> None:
    axis = number_axis(low, high, zero=zero)
    assert axis.ticks == pytest.approx(ticks)
    assert axis.low <= low
    assert axis.high >= high
    assert (axis.low, axis.high) == (axis.ticks[0], axis.ticks[-1])


def test_tick_labels_group_digits_and_abbreviate_millions() -> None:
    assert number_axis(0, 4500).labels == ["0", "1,000", "2,000", "3,000", "4,000", "5,000"]
    assert number_axis(0, 0.87).labels[:3] == ["0", "0.2", "0.4"]
    assert number_label(2_500_000, 0) == "2.5M"
    assert number_label(3e9, 0) == "3B"
    assert number_label(-1.5e12, 0) == "-1.5T"


def test_values_read_as_people_write_them() -> None:
    assert value_text(12345.0) == "12,345"
    assert value_text(3.14159) == "3.14"
    assert value_text("2024-01-31") == "2024-01-31"
    assert value_text(None) == "—"


@pytest.mark.parametrize(
    ("low", "high", "labels"),
    [
        ("2020-01-01", "2024-06-30", ["2020", "2021", "2022", "2023", "2024"]),
        ("2024-01-15", "2024-11-20", ["2024-04", "2024-07", "2024-10"]),
        ("2024-03-01", "2024-03-20", ["2024-03-01", "2024-03-08", "2024-03-15"]),
    ],
)
def test_date_ticks_fall_on_calendar_boundaries(low: str, high: str, labels: list[str]) -> None:
    axis = date_axis(datetime.fromisoformat(low), datetime.fromisoformat(high), with_time=False)
    assert axis.labels == labels
    assert all(axis.low <= tick <= axis.high for tick in axis.ticks)


def test_hour_ticks_show_the_time() -> None:
    low, high = datetime(2024, 3, 1, 0, 0), datetime(2024, 3, 1, 23, 0)
    assert date_axis(low, high, with_time=True).labels[1] == "2024-03-01 06:00"


def test_day_numbers_round_trip() -> None:
    moment = datetime(2024, 2, 29, 13, 45, 10)
    assert moment_at(day_number(moment)) == moment
    axis = axis_for("date", day_number(datetime(2024, 1, 1)), day_number(datetime(2024, 1, 1)))
    assert axis.high - axis.low == 2  # one day: a day either side


def test_inside_keeps_the_ticks_within() -> None:
    axis = inside(number_axis(0, 97), 5, 95)
    assert (axis.low, axis.high, axis.ticks) == (5, 95, [20, 40, 60, 80])


@pytest.mark.parametrize(
    ("days", "with_time", "unit"),
    [(2.5, True, "hour"), (2.5, False, "day"), (180, True, "day"), (181, False, "month"),
     (366 * 12, False, "month"), (366 * 12 + 1, False, "year")],
)  # fmt: skip
def test_date_buckets_by_range(days: float, with_time: bool, unit: str) -> None:
    assert date_unit(days, with_time) == unit


def test_bucket_texts_read_as_moments() -> None:
    assert bucket_moment("2024", "year") == "2024-01-01"
    assert bucket_moment("2024-03", "month") == "2024-03-01"
    assert bucket_moment("2024-03-05", "day") == "2024-03-05"
    assert bucket_moment("2024-03-05T14", "hour") == "2024-03-05 14:00"
