"""Series colours: the Okabe-Ito palette, colour-blind safe, with each colour's lightness moved
just enough that a mark has at least 3:1 contrast (WCAG 1.4.11) against a white page and a
dark (#1e1e1e) one. So one palette serves both themes; text, axes and grid lines use
``currentColor`` and follow the page. Marks also carry a class (``series-N``, ``series-other``)
so the page's CSS may restyle them. The contrast figures are checked by a unit test.
Imports: the standard library only.
"""

from __future__ import annotations

# Okabe & Ito (2008), in their order of distinctness; (original) -> used:
SERIES = (
    "#0072B2",  # blue (unchanged)
    "#D55E00",  # vermillion (unchanged)
    "#009E73",  # bluish green (unchanged)
    "#BF5791",  # reddish purple (#CC79A7, darker)
    "#A57200",  # orange (#E69F00, darker)
    "#867D0B",  # yellow (#F0E442, darker: an olive)
    "#1982BE",  # sky blue (#56B4E9, darker)
)
OTHER = "#7B7B7B"  # "Other" (Okabe-Ito black, lightened to a mid grey)
LIGHT_BACKGROUND = "#FFFFFF"
DARK_BACKGROUND = "#1E1E1E"
LIGHT_TEXT = "#1E1E1E"  # the exported file's text on a light page
DARK_TEXT = "#EEEEEE"
THEMES = {"light": (LIGHT_BACKGROUND, LIGHT_TEXT), "dark": (DARK_BACKGROUND, DARK_TEXT)}


def colour(index: int, other: bool = False) -> tuple[str, str]:
    """(fill, class) of series ``index``; the "Other" series is grey."""
    if other:
        return OTHER, "series-other"
    return SERIES[index % len(SERIES)], f"series-{index % len(SERIES)}"


def luminance(hex_colour: str) -> float:
    """Relative luminance (WCAG 2.x) of ``#RRGGBB``."""
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    """The WCAG contrast ratio of two colours, 1 to 21."""
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)
