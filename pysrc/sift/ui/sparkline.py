"""Histogram sparklines (MicroPython): an inline SVG built node by node, and its words.

The SVG is made with createElementNS and numeric attributes only (no markup is parsed, no
style attribute, so the CSP's style-src needs nothing inline). Bars take their colour from
CSS (`.spark rect`), so both themes apply. The picture is decorative where it sits in a
header; `sentence` gives the same distribution in words for the profile card.
Imports: sift.number_format and sift.ui.dom.
"""

from sift.number_format import grouped
from sift.ui.dom import page

SVG_NS = "http://www.w3.org/2000/svg"
HEIGHT = 16  # viewBox units; CSS sets the drawn size
BAR = 4
GAP = 1


def svg_node(tag, attrs):
    node = page.document.createElementNS(SVG_NS, tag)
    for name in attrs:
        node.setAttribute(name, str(attrs[name]))
    return node


def bar_heights(counts, height):
    """Counts scaled to whole heights in 0..height; any non-zero count gets at least 1."""
    top = max(counts) if counts else 0
    heights = []
    for count in counts:
        if top <= 0 or count <= 0:
            heights.append(0)
        else:
            heights.append(max(1, (count * height + top // 2) // top))
    return heights


def spark(counts, label=None):
    """An <svg class=spark> of one bar per count. With `label` it is an image with that
    name; without, it is hidden from assistive technology (the words are elsewhere)."""
    width = max(len(counts), 1) * (BAR + GAP)
    attrs = {
        "class": "spark",
        "viewBox": "0 0 " + str(width) + " " + str(HEIGHT),
        "preserveAspectRatio": "none",
        "focusable": "false",
    }
    if label:
        attrs["role"] = "img"
        attrs["aria-label"] = label
    else:
        attrs["aria-hidden"] = "true"
    svg = svg_node("svg", attrs)
    svg.append(svg_node("line", {"x1": 0, "y1": HEIGHT, "x2": width, "y2": HEIGHT}))
    for index, size in enumerate(bar_heights(counts, HEIGHT)):
        if size:
            svg.append(
                svg_node(
                    "rect",
                    {"x": index * (BAR + GAP), "y": HEIGHT - size, "width": BAR, "height": size},
                )
            )
    return svg


def sentence(counts, low_text, high_text):
    """'Distribution from 1 to 90 in 10 bins: 3, 0, 12, … rows.' or '' if no counts."""
    if not counts or not sum(counts):
        return ""
    steps = str(len(counts)) + (" bin" if len(counts) == 1 else " bins")
    values = ", ".join(grouped(count) for count in counts)
    lead = "Distribution from " + low_text + " to " + high_text
    return lead + " in " + steps + ": " + values + " rows."
