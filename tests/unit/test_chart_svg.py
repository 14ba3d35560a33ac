"""Tests for sift.charts.svg (the element tree and its XML) and sift.charts.palette."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

from sift.charts.palette import (
    DARK_BACKGROUND,
    LIGHT_BACKGROUND,
    OTHER,
    SERIES,
    colour,
    contrast,
)
from sift.charts.svg import SVG_NS, el, num, text_el, to_xml, walk


def test_a_tree_is_json_lists_with_text_attributes() -> None:
    tree = el("svg", {"xmlns": SVG_NS, "width": 640, "x": 1.005, "hidden": None},
              el("g", {"class": "a"}, text_el("text", None, "hi")))  # fmt: skip
    assert tree == ["svg", {"xmlns": SVG_NS, "width": "640", "x": "1"},
                    [["g", {"class": "a"}, [["text", {}, ["hi"]]]]]]  # fmt: skip
    assert json.loads(json.dumps(tree)) == tree
    assert [node[0] for node in walk(tree)] == ["svg", "g", "text"]


@pytest.mark.parametrize(
    ("value", "text"),
    [(0.0, "0"), (-0.001, "0"), (12.345, "12.35"), (3.10, "3.1"), (float("nan"), "0"), (-2, "-2")],
)
def test_numbers_are_short(value: float, text: str) -> None:
    assert num(value) == text


def test_user_text_is_escaped_and_reads_back_unchanged() -> None:
    hostile = "a<b>&\"c' </text><script>x</script>\n\tz"
    tree = el("svg", {"xmlns": SVG_NS, "aria-label": hostile}, text_el("title", None, hostile))
    xml = to_xml(tree)
    assert "<script>" not in xml
    root = ET.fromstring(xml)
    assert root.get("aria-label") == hostile
    assert root[0].text == hostile


def test_characters_xml_cannot_hold_are_replaced() -> None:
    tree = el("svg", {"xmlns": SVG_NS, "data-x": "a\x00b"}, text_el("title", None, "c\x07\ud800d"))
    root = ET.fromstring(to_xml(tree))
    assert root.get("data-x") == "a\ufffdb"
    assert root[0].text == "c\ufffd\ufffdd"


def test_an_empty_element_is_self_closing() -> None:
    assert to_xml(el("rect", {"width": 2})) == '<rect width="2"/>'


# --- palette ---------------------------------------------------------------------------------

# Contrast of each mark colour against a white page and a #1e1e1e page (WCAG 1.4.11 asks 3:1).
EXPECTED_CONTRAST = {
    "#0072B2": (5.19, 3.21),
    "#D55E00": (3.87, 4.31),
    "#009E73": (3.42, 4.87),
    "#BF5791": (4.21, 3.96),
    "#A57200": (4.19, 3.97),
    "#867D0B": (4.24, 3.93),
    "#1982BE": (4.22, 3.95),
    "#7B7B7B": (4.23, 3.94),
}


@pytest.mark.parametrize("hex_colour", [*SERIES, OTHER])
def test_every_mark_colour_reads_on_light_and_dark_pages(hex_colour: str) -> None:
    light, dark = contrast(hex_colour, LIGHT_BACKGROUND), contrast(hex_colour, DARK_BACKGROUND)
    assert (round(light, 2), round(dark, 2)) == EXPECTED_CONTRAST[hex_colour]
    assert light >= 3
    assert dark >= 3


def test_contrast_is_the_wcag_ratio() -> None:
    assert contrast("#000000", "#FFFFFF") == pytest.approx(21)
    assert contrast("#777777", "#777777") == 1


def test_series_colours_repeat_and_other_is_grey() -> None:
    assert colour(0) == ("#0072B2", "series-0")
    assert colour(len(SERIES)) == colour(0)
    assert colour(3, other=True) == (OTHER, "series-other")
    assert len(set(SERIES)) == len(SERIES)
