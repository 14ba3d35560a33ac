"""Tests for sift.charts.describe: the <desc> sentence of each chart type, word for word."""

from __future__ import annotations

import pytest

from sift.charts.data import ChartData, Point, Series
from sift.charts.describe import describe, measure, plural, title
from sift.charts.spec import ChartSpec


def bar_data(**more: object) -> ChartData:
    spec = ChartSpec("bar", "district", "amount", "sum")
    points = [Point(0, 12345, "Paris", "Paris"), Point(1, 80, "Nice", "Nice"),
              Point(2, 10, "Lyon", "Lyon")]  # fmt: skip
    data = ChartData(spec, "text", 40, categories=["Paris", "Nice", "Lyon"])
    data.series = [Series("sum of amount", points=points)]
    for key, value in more.items():
        setattr(data, key, value)
    return data


def test_bar() -> None:
    assert describe(bar_data()) == (
        "Bar chart of the sum of amount by district: 3 districts, highest Paris (12,345),"
        " lowest Lyon (10); values range from 10 to 12,345."
    )
    assert title(bar_data()) == "Sum of amount by district"


def test_bar_with_other() -> None:
    data = bar_data(others=12)
    data.categories.append("Other")
    data.series[0].points.append(Point(3, 5000, "Other", "Other"))
    assert describe(data) == (
        "Bar chart of the sum of amount by district: the top 3 of 15 districts (the other 12"
        " as Other), highest Paris (12,345), lowest Lyon (10); values range from 10 to 12,345."
    )


def test_stacked_bar_by_colour_names_totals() -> None:
    spec = ChartSpec("bar", "city", None, "count", "kind")
    data = ChartData(spec, "text", 9, categories=["Oslo", "Rome"], stacked=True)
    data.series = [
        Series("A", points=[Point(0, 4, "Oslo", "Oslo"), Point(1, 1, "Rome", "Rome")]),
        Series("B", points=[Point(0, 2, "Oslo", "Oslo"), Point(1, 2, "Rome", "Rome")]),
    ]
    assert describe(data) == (
        "Bar chart of the number of rows by city, coloured by kind: 2 cities, 2 kinds (A and B);"
        " highest total Oslo (6), lowest total Rome (3); values range from 1 to 4."
    )
    assert title(data) == "Number of rows by city, by kind"


def test_line_over_months() -> None:
    spec = ChartSpec("line", "day", "amount", "mean")
    data = ChartData(spec, "date", 90, unit="month")
    data.series = [Series("mean", points=[Point(1.0, 2.5, "2024-01", "2024-01"),
                                          Point(2.0, 7.25, "2024-02", "2024-02"),
                                          Point(3.0, 1.0, "2024-03", "2024-03")])]  # fmt: skip
    assert describe(data) == (
        "Line chart of the mean of amount by month of day: from 2024-01 to 2024-03 (3 points):"
        " highest 2024-02 (7.25), lowest 2024-03 (1)."
    )


def test_a_unit_named_like_the_column_is_said_once() -> None:
    spec = ChartSpec("line", "Day", "amount", "sum")
    data = ChartData(spec, "date", 90, unit="day")
    data.series = [Series("sum", points=[Point(1.0, 2.0, "2024-01-01", "2024-01-01")])]
    assert title(data) == "Sum of amount by Day"


def test_area_by_colour() -> None:
    spec = ChartSpec("area", "size", None, "count", "kind")
    data = ChartData(spec, "number", 90, unit="bins of 10")
    data.series = [
        Series("A", points=[Point(0, 3, "0", 0), Point(10, 9, "10", 10)]),
        Series("Other", other=True, points=[Point(0, 30, "0", 0)]),
    ]
    assert describe(data) == (
        "Area chart of the number of rows by size (in bins of 10), coloured by kind: from 0"
        " to 10; 2 kinds (A and Other); highest A in 10 (9), lowest A in 0 (3)."
    )


def test_histogram() -> None:
    spec = ChartSpec("histogram", "age")
    data = ChartData(spec, "number", 100, plotted=98, edge_texts=["0", "10", "20", "29"])
    data.series = [Series("rows", points=[Point(0, 20, "0 to 9", [0, 9]),
                                          Point(1, 70, "10 to 19", [10, 19]),
                                          Point(2, 8, "20 to 29", [20, 29])])]  # fmt: skip
    assert describe(data) == (
        "Histogram of age: 98 rows in 3 bins from 0 to 29; the most common range is 10 to 19"
        " (70 rows)."
    )
    assert title(data) == "Distribution of age"


def test_sampled_scatter() -> None:
    spec = ChartSpec("scatter", "area", "price", None)
    data = ChartData(spec, "number", 1_000_000, plotted=1_000_000, shown=2)
    data.series = [Series("price", points=[Point(10, 99, "10", 10), Point(500, 1, "500", 500)])]
    assert describe(data) == (
        "Scatter plot of price against area: 2 of 1,000,000 rows (a sample); area from 10 to"
        " 500, price from 1 to 99."
    )
    assert title(data) == "price against area"


def test_no_rows_and_no_numbers() -> None:
    data = bar_data()
    data.series = [Series("sum of amount")]
    assert (
        describe(data) == "Bar chart of the sum of amount by district: there are no rows to show."
    )
    data.series = [Series("sum of amount", points=[Point(0, None, "Paris", "Paris")])]
    assert (
        describe(data)
        == "Bar chart of the sum of amount by district: no row has a number in amount."
    )


def test_a_given_title_wins() -> None:
    data = bar_data()
    data.spec = ChartSpec("bar", "district", "amount", "sum", title="Sales")
    assert title(data) == "Sales"


@pytest.mark.parametrize(
    ("count", "noun", "text"),
    [(1, "city", "1 city"), (3, "city", "3 cities"), (2, "day", "2 days"),
     (4, "box", "4 boxes"), (1200, "kind", "1,200 kinds"),
     (5, "Unit Price", "5 values of Unit Price"), (1, "x1", "1 value of x1")],
)  # fmt: skip
def test_plurals(count: int, noun: str, text: str) -> None:
    assert plural(count, noun) == text


def test_measures() -> None:
    assert measure(ChartSpec("bar", "a")) == "number of rows"
    assert measure(ChartSpec("bar", "a", "b", "min")) == "minimum of b"
