"""Tests for sift.charts.render and sift.charts.marks through the chart command: the SVG's
accessible structure, tooltips, the focus budget, the themes of the exported file, and golden
files of each chart type (SIFT_UPDATE_GOLDEN=1 rewrites them; otherwise a difference fails)."""

from __future__ import annotations

import json
import os
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sift.chart_spec import AGGREGATES, TYPES
from sift.charts import commands
from sift.charts.render import MAX_FOCUSABLE, focusable_count
from sift.charts.svg import Node, walk
from sift.errors import SiftError
from sift.session import Session, reply_for
from tests.unit.test_chart_data import draw, make_session

GOLDEN = Path(__file__).resolve().parent / "golden" / "charts"
UPDATE = os.environ.get("SIFT_UPDATE_GOLDEN") == "1"
SVG = "{http://www.w3.org/2000/svg}"
TAGS = {"svg", "title", "desc", "g", "rect", "path", "circle", "line", "text"}

CASES: dict[str, dict[str, Any]] = {
    "bar": {"spec": {"type": "bar", "x": "district", "y": "amount", "agg": "sum"}},
    "bar_stacked": {"spec": {"type": "bar", "x": "district", "color": "kind"}},
    "bar_grouped": {
        "spec": {"type": "bar", "x": "kind", "y": "price", "agg": "mean", "color": "district"}
    },
    "line": {"spec": {"type": "line", "x": "day", "y": "amount", "title": "Amount <by> month"}},
    "area_stacked": {"spec": {"type": "area", "x": "day", "color": "kind"}},
    "histogram": {"spec": {"type": "histogram", "x": "price", "color": "ok"}},
    "scatter": {"spec": {"type": "scatter", "x": "price", "y": "amount", "color": "kind"}},
    "empty": {
        "spec": {"type": "bar", "x": "district"},
        "filters": [{"column": "district", "op": "exact", "value": "none"}],
    },
    "bar_dark": {"spec": {"type": "bar", "x": "kind"}, "theme": "dark"},
}


@pytest.fixture(scope="module")
def session() -> Iterator[Session]:
    with make_session() as opened:
        yield opened


@pytest.mark.parametrize("name", sorted(CASES))
def test_golden_svg(session: Session, name: str) -> None:
    text = draw(session, **dict(CASES[name]))["svg_text"]
    path = GOLDEN / f"{name}.svg"
    if UPDATE:
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"{path} is missing: run with SIFT_UPDATE_GOLDEN=1 to write it"
    assert text == path.read_text(encoding="utf-8"), (
        f"{name}.svg differs from its golden file; if the change is intended, rerun with"
        " SIFT_UPDATE_GOLDEN=1 and review the diff"
    )


def image_of(tree: Node) -> Node:
    [image] = [child for child in tree[2] if child[1].get("role") == "img"]
    return list(image)


@pytest.mark.parametrize("name", sorted(CASES))
def test_every_chart_is_an_accessible_image(session: Session, name: str) -> None:
    result = draw(session, **dict(CASES[name]))
    tag, attrs, _ = result["svg"]
    assert (tag, attrs["class"]) == ("svg", "sift-chart")
    _, image, children = image_of(result["svg"])
    title_id, desc_id = image["aria-labelledby"].split()
    assert children[0] == ["title", {"id": title_id}, [result["title"]]]
    assert children[1] == ["desc", {"id": desc_id}, [result["desc"]]]
    assert {node[0] for node in walk(result["svg"])} <= TAGS
    # an image's children are presentational: nothing inside it may take focus
    assert not [n for n in walk(image_of(result["svg"])) if "tabindex" in n[1]]
    root = ET.fromstring(result["svg_text"].split("\n", 1)[1])
    assert root.tag == f"{SVG}svg"
    assert root.findtext(f"{SVG}svg/{SVG}desc") == result["desc"]


def marks(tree: Node) -> list[Node]:
    return [n for n in walk(tree) if "mark" in n[1].get("class", "").split()]


def stops(tree: Node) -> list[Node]:
    return [n for n in walk(tree) if n[1].get("tabindex") == "0"]


@pytest.mark.parametrize("name", ["bar", "bar_stacked", "line", "histogram", "scatter"])
def test_every_mark_has_a_tooltip(session: Session, name: str) -> None:
    tree = draw(session, **dict(CASES[name]))["svg"]
    found = marks(tree)
    assert found
    for node in found:
        assert node[2][0][0] == "title"
        assert node[2][0][2][0]
    for node in stops(tree):
        assert node[1]["aria-label"] == node[2][0][2][0]
        assert (node[1]["role"], node[1]["fill"]) == ("img", "transparent")


def test_few_marks_each_get_a_focus_stop(session: Session) -> None:
    tree = draw(session, **CASES["bar"])["svg"]
    found = marks(tree)
    assert len(found) == 7  # (empty) has no sum: no bar
    copies = stops(tree)
    assert [n[1]["aria-label"] for n in copies] == [n[2][0][2][0] for n in found]
    assert copies[0][1]["aria-label"] == "district: d0, sum of amount: 771"
    assert {k: copies[0][1][k] for k in ("x", "y", "width", "height")} == {
        k: found[0][1][k] for k in ("x", "y", "width", "height")
    }
    assert focusable_count(tree) == 7


def test_many_marks_leave_focus_to_the_legend(session: Session) -> None:
    tree = draw(session, **CASES["scatter"])["svg"]
    assert len(marks(tree)) > MAX_FOCUSABLE
    assert [n[1]["aria-label"] for n in stops(tree)] == [
        "kind: A, 67 points, from 1 to 50",
        "kind: B, 67 points, from 1 to 50",
        "kind: C, 66 points, from 1 to 50",
    ]


def test_the_exported_file_fixes_the_themes_colours(session: Session) -> None:
    light = draw(session, spec={"type": "bar", "x": "kind"})["svg_text"]
    dark = draw(session, spec={"type": "bar", "x": "kind"}, theme="dark")["svg_text"]
    for text, background, colour in ((light, "#FFFFFF", "#1E1E1E"), (dark, "#1E1E1E", "#EEEEEE")):
        root = ET.fromstring(text.split("\n", 1)[1])
        assert root.get("color") == colour
        assert root[0].tag == f"{SVG}rect"
        assert root[0].get("fill") == background
        assert root[1].get("role") == "img"
        assert len(root) == 2  # no focus stops in a file
        assert "tabindex" not in text
    with pytest.raises(SiftError, match="light or dark"):
        draw(session, spec={"type": "bar", "x": "kind"}, theme="sepia")


def test_text_and_axes_follow_the_page_colour(session: Session) -> None:
    tree = draw(session, **CASES["line"])["svg"]
    assert tree[1]["fill"] == "currentColor"
    lines = [n for n in walk(tree) if n[0] == "line"]
    assert lines
    assert all(n[1]["stroke"] == "currentColor" for n in lines)


def test_the_data_table_is_capped(session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(commands, "DATA_ROWS", 5)
    data = draw(session, **CASES["scatter"])["data"]
    assert len(data["rows"]) == 5
    assert data["truncated"] is True
    assert data["columns"] == ["price", "amount", "kind"]


def test_the_same_chart_gets_the_same_ids(session: Session) -> None:
    first = image_of(draw(session, **CASES["bar"])["svg"])[1]["aria-labelledby"]
    assert image_of(draw(session, **CASES["bar"])["svg"])[1]["aria-labelledby"] == first
    other = image_of(draw(session, **CASES["line"])["svg"])[1]["aria-labelledby"]
    assert other != first


def test_errors_reach_the_ui_in_the_one_error_shape(session: Session) -> None:
    reply = reply_for(lambda: commands.chart(session, {"table": "sales", "chart": {"type": "pie"}}))
    assert reply["ok"] is False
    assert reply["error"]["message"] == "Sift has no chart type 'pie'."
    reply = reply_for(
        lambda: commands.chart(session, {"table": "nope", "chart": {"type": "bar", "x": "a"}})
    )
    assert reply["ok"] is False
    assert reply["error"]["kind"] == "error"


def test_the_registry_names_both_commands_and_their_arguments() -> None:
    assert set(commands.COMMANDS) == {"chart", "chart_defaults"}
    assert commands.COMMANDS["chart"].params == {
        "table",
        "sort",
        "filters",
        "q",
        "chart",
        "theme",
        "file",
    }


def test_a_big_scatter_fits_the_ui_s_heap_and_the_file_comes_only_when_asked() -> None:
    # The UI is MicroPython with a heap of about 1 MB: a reply of 1 MB (5,000 points and the
    # file's text) never drew. A sample of 2,000 points, without the file, is about 250 KB.
    session = Session()
    rows = "a,b\n" + "".join(f"{i * 37 % 1000},{i * 91 % 777}\n" for i in range(8000))
    session.load("t.csv", rows.encode())
    spec = {"table": "t", "chart": {"type": "scatter", "x": "a", "y": "b"}}
    drawn = commands.chart(session, spec)
    assert "svg_text" not in drawn
    assert drawn["note"] == "A sample of 2,000 of 8,000 rows is shown."
    assert len(json.dumps(drawn)) < 300_000
    assert commands.chart(session, {**spec, "file": True})["svg_text"].startswith("<?xml")
    assert commands.COMMANDS["chart_defaults"].params == {"table", "sort", "filters", "q"}


def test_a_search_narrows_the_chart(session: Session) -> None:
    result = draw(session, spec={"type": "bar", "x": "kind"}, q="d3")
    assert result["rows"] == sum(1 for i in range(200) if i % 7 == 3)


def test_through_session_handle(session: Session) -> None:
    reply = session.handle("chart", {"table": "sales", "chart": "bar;x:kind", "theme": "dark"})
    assert reply["ok"] is True
    assert reply["result"]["spec"]["x"] == "kind"
    json.dumps(reply, allow_nan=False)
    reply = session.handle("chart", {"table": "sales", "chart": {"type": "bar", "x": "kind"},
                                     "colour": "kind"})  # fmt: skip
    assert reply["ok"] is False
    assert "does not take 'colour'" in reply["error"]["message"]
    reply = session.handle("chart_defaults", {"table": "sales"})
    assert reply["result"]["spec"]["type"] == "line"


def test_the_contract_documents_every_command_type_and_aggregate() -> None:
    text = (Path(__file__).resolve().parents[2] / "docs" / "chart-contract.md").read_text()
    for word in [*commands.COMMANDS, *TYPES, *AGGREGATES]:
        assert f"`{word}`" in text or f"{word} |" in text or f"| {word}" in text, word
