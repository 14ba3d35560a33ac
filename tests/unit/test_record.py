"""sift.record: value classes without dataclasses' generated code (and the chart package,
whose first import a page's chart waits for, uses no dataclass)."""

from __future__ import annotations

from pathlib import Path

import pytest

from sift.charts.data import ChartData, Series
from sift.charts.scale import Axis
from sift.charts.spec import ChartSpec
from sift.record import Record

CHARTS = Path(__file__).resolve().parents[2] / "pysrc" / "sift" / "charts"


class Pair(Record):
    __slots__ = ("left", "right")

    def __init__(self, left: object, right: object = None) -> None:
        self.left, self.right = left, right


class OtherPair(Pair):
    __slots__ = ()


def test_equal_by_type_and_fields() -> None:
    assert Pair(1, "a") == Pair(1, "a")
    assert Pair(1, "a") != Pair(1, "b")
    assert Pair(1, "a") != OtherPair(1, "a")
    assert Pair(1, "a") != (1, "a")
    assert len({Pair(1, "a"), Pair(1, "a"), Pair(2)}) == 2


def test_repr_names_the_fields() -> None:
    assert repr(Pair(1, "a")) == "Pair(left=1, right='a')"


def test_no_other_attributes() -> None:
    pair = Pair(1)
    with pytest.raises(AttributeError):
        pair.middle = 2  # type: ignore[attr-defined]


def test_chart_values_keep_their_defaults_and_equality() -> None:
    spec = ChartSpec("bar", "city")
    assert spec == ChartSpec("bar", "city", None, "count", None, None)
    assert spec.agg == "count"
    data = ChartData(spec, "text", 3, categories=["a"])
    assert (data.series, data.edges, data.unit, data.stacked) == ([], [], "", False)
    assert ChartData(spec, "text", 3).categories is not ChartData(spec, "text", 3).categories
    assert Series("rows").points == []
    assert Series("rows").points is not Series("rows").points
    assert Axis(0, 1, [0, 1], ["0", "1"]) == Axis(0, 1, [0, 1], ["0", "1"])


def test_the_chart_package_uses_no_dataclass() -> None:
    used = [path.name for path in CHARTS.glob("*.py") if "dataclass" in path.read_text()]
    assert used == []
