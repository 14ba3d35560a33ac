"""Tests for sift.chart_spec (the fragment's `chart=` text, MicroPython-compatible) and
sift.charts.spec (the engine's checked, completed spec)."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sift.chart_spec import (
    chart_pairs,
    chart_text,
    empty_chart,
    format_chart,
    parse_chart,
    parse_view_mode,
)
from sift.charts.spec import ChartSpec
from sift.errors import SiftError
from sift.fragment import parse_fragment, percent_encode
from tests.unit.micropython_run import run_under_micropython

MODULE = Path(__file__).resolve().parents[2] / "pysrc" / "sift" / "chart_spec.py"


def test_the_fragment_text_reads_as_written() -> None:
    spec = parse_chart("bar;x:district;y:amount;agg:sum;color:kind;title:Sales by district")
    assert spec == {
        "type": "bar", "x": "district", "y": "amount", "agg": "sum", "color": "kind",
        "title": "Sales by district", "ignored": [],
    }  # fmt: skip
    assert (
        format_chart(spec) == "bar;x:district;y:amount;agg:sum;color:kind;title:Sales by district"
    )


def test_unset_keys_are_left_out_of_the_text() -> None:
    assert format_chart({**empty_chart("histogram"), "x": "age"}) == "histogram;x:age"


@given(
    st.sampled_from(["bar", "line", "area", "scatter", "histogram"]),
    st.text(min_size=1).filter(str.strip),
    st.text(min_size=1).filter(str.strip),
)
def test_names_with_separators_round_trip_through_the_fragment(kind: str, x: str, t: str) -> None:
    x = x.strip()
    spec = {**empty_chart(kind), "x": x, "title": t}
    fragment = "#chart=" + percent_encode(format_chart(spec))
    [(key, value)] = parse_fragment(fragment)
    parsed = parse_chart(value)
    assert (key, parsed["type"], parsed["x"], parsed["title"]) == ("chart", kind, x, t)
    assert parsed["ignored"] == []


def test_a_name_with_semicolons_and_percents_is_escaped() -> None:
    text = format_chart({**empty_chart("bar"), "x": "a;b%3B"})
    assert text == "bar;x:a%3Bb%253B"
    assert parse_chart(text)["x"] == "a;b%3B"


@pytest.mark.parametrize(
    ("text", "ignored", "field", "value"),
    [
        ("pie;x:a", ["pie"], "type", None),
        ("bar;x:a;size:3", ["size:3"], "x", "a"),
        ("bar;x:a;agg:median", ["agg:median"], "agg", None),
        ("bar;x:a;x:b", ["x:b"], "x", "a"),
        ("bar;x:", ["x:"], "x", None),
        ("x:a;bar", ["bar"], "type", None),
        (";;BAR ; X : a ;", [], "x", "a"),
    ],
)
def test_parts_that_mean_nothing_are_listed_not_dropped(
    text: str, ignored: list[str], field: str, value: Any
) -> None:
    spec = parse_chart(text)
    assert spec["ignored"] == ignored
    assert spec[field] == value


def test_view_mode_and_chart_pairs() -> None:
    pairs = parse_fragment("#table=t&view=chart&chart=line;x:day")
    assert parse_view_mode(pairs) == "chart"
    assert parse_view_mode(parse_fragment("#view=grid")) == "table"
    assert parse_view_mode([]) == "table"
    assert chart_text(pairs) == "line;x:day"
    assert chart_text([]) is None
    spec = parse_chart("line;x:day")
    assert chart_pairs("chart", spec) == [("view", "chart"), ("chart", "line;x:day")]
    assert chart_pairs("table", spec) == []


def test_the_module_stays_micropython_compatible() -> None:
    tree = ast.parse(MODULE.read_text(encoding="utf-8"))
    imports = [n for n in ast.walk(tree) if isinstance(n, ast.Import | ast.ImportFrom)]
    assert all(isinstance(n, ast.ImportFrom) and n.module == "typing" for n in imports)
    assert not any(isinstance(n, ast.FormattedValue) and n.format_spec for n in ast.walk(tree))
    assert "@dataclass" not in MODULE.read_text(encoding="utf-8")


# --- the engine's spec -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ({"type": "bar", "x": "a"}, ("bar", "a", None, "count")),
        ({"type": "bar", "x": "a", "y": "b"}, ("bar", "a", "b", "sum")),
        ({"type": "line", "x": "a", "y": "b", "agg": "count"}, ("line", "a", None, "count")),
        (
            {"type": "histogram", "x": "a", "y": "b", "agg": "sum"},
            ("histogram", "a", None, "count"),
        ),
        ({"type": "scatter", "x": "a", "y": "b", "agg": "sum"}, ("scatter", "a", "b", None)),
        ("area;x:a;y:b;agg:max", ("area", "a", "b", "max")),
    ],
)
def test_the_spec_is_completed(raw: object, expected: tuple[Any, ...]) -> None:
    spec = ChartSpec.parse(raw)
    assert (spec.type, spec.x, spec.y, spec.agg) == expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (None, "must be an object"),
        ({"type": "pie", "x": "a"}, "no chart type 'pie'"),
        ({"type": "bar"}, "needs an x column"),
        ({"type": "bar", "x": 3}, "x must be a column name"),
        ({"type": "bar", "x": "a", "agg": "median"}, "not 'median'"),
        ({"type": "bar", "x": "a", "agg": "mean"}, "The mean needs a y column"),
        ({"type": "scatter", "x": "a"}, "A scatter plot needs a y column"),
        ({"type": "bar", "x": "a", "title": 5}, "title must be text"),
    ],
)
def test_bad_specs_say_what_to_send(raw: object, message: str) -> None:
    with pytest.raises(SiftError, match=message) as caught:
        ChartSpec.parse(raw)
    assert caught.value.hint


SAMPLES = ["bar;x:district;y:amount;agg:sum;color:kind", "pie;x:a%3Bb;title:é 😀;agg:x", ""]


def _answers(module: Any) -> list[str]:
    out = []
    for text in SAMPLES:
        spec = module.parse_chart(text)
        out.append("|".join(key + "=" + str(spec[key]) for key in sorted(spec)))
        out.append(module.format_chart(spec))
    pairs = [("view", "chart"), ("chart", SAMPLES[0])]
    out.append(str([module.parse_view_mode(pairs), module.chart_text(pairs)]))
    out.append(str(module.chart_pairs("chart", module.parse_chart(SAMPLES[0]))))
    return out


def test_it_runs_under_micropython(tmp_path: Path) -> None:
    """The UI imports the module under MicroPython: it must import and answer the same there."""
    import inspect

    import sift.chart_spec

    check = (
        "import sys\nsys.path.append('/lib')\nfrom sift import chart_spec\n"
        f"SAMPLES = {SAMPLES!r}\n"
        + inspect.getsource(_answers).replace("module: Any", "module").replace(" -> list[str]", "")
        + "for line in _answers(chart_spec):\n    print(line)\n"
    )
    assert run_under_micropython(tmp_path, "chart_spec", check) == _answers(sift.chart_spec)
