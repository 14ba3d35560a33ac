"""sift.embed_attributes: a widget's attributes -> the app's fragment pairs, settings and
problems (docs/embed-contract.md's table), and the Embed button's snippet, which must read back
as the same view. The module is shared with the MicroPython UI: it is also run there."""

from __future__ import annotations

import ast
import inspect
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import sift.embed_attributes
from sift.embed_attributes import escape_attribute, from_attributes, snippet
from sift.view_state import OPERATORS, parse_view
from tests.unit.micropython_run import run_under_micropython

MODULE = Path(inspect.getfile(sift.embed_attributes))
FRAGMENT = MODULE.with_name("fragment.py")
SCRIPT = "https://sift.example/embed.js"
SRC = ("src", "data.csv")
NO_SRC = (
    "This widget has no data: its script tag needs data-sift-src, the address of a data file "
    '(for example data-sift-src="data.csv").'
)

Pairs = list[tuple[str, str]]


def link(*attributes: tuple[str, str]) -> Pairs:
    """The fragment pairs `attributes` give, checking they raise no problem."""
    pairs, _settings, problems = from_attributes([SRC, *attributes])
    assert problems == []
    return pairs[1:]


# --- the contract's table -----------------------------------------------------------------


@pytest.mark.parametrize("key", ["view", "sql", "chart", "table", "q"])
def test_plain_attributes_are_one_pair_each(key: str) -> None:
    value = {"view": "chart", "sql": "SELECT * FROM t", "chart": "bar;x:country;y:pop;agg:sum"}
    text = value.get(key, "people & co")
    assert link((key, text)) == [(key, text)]


def test_src_is_the_first_pair_and_plain_values_are_trimmed_but_sql_is_not() -> None:
    pairs, settings, problems = from_attributes(
        [("src", " data.csv "), ("q", " smith "), ("table", " people\n"), ("sql", " SELECT 1 ")]
    )
    assert pairs == [
        ("src", "data.csv"),
        ("q", "smith"),
        ("table", "people"),
        ("sql", " SELECT 1 "),
    ]
    assert settings == {"engine": "", "theme": "auto"}
    assert problems == []


@pytest.mark.parametrize("view", ["table", "chart", " Chart ", "TABLE"])
def test_both_views_are_known_in_any_case(view: str) -> None:
    assert link(("view", view)) == [("view", view.strip())]


@pytest.mark.parametrize("key", ["sort", "facet"])
def test_lists_are_one_pair_per_item_with_percent_2c_for_a_comma(key: str) -> None:
    text = "-population, name ,,a%2Cb,c%2cd,"
    assert link((key, text)) == [
        (key, "-population"),
        (key, "name"),
        (key, "a,b"),
        (key, "c,d"),
    ]
    assert link((key, "")) == []
    assert link((key, " , ")) == []


def test_filter_is_link_syntax() -> None:
    text = " country__exact=FR&population__gt=100000&name__contains=a%26b%2Cc&note__isnull= "
    assert link(("filter", text)) == [
        ("country__exact", "FR"),
        ("population__gt", "100000"),
        ("name__contains", "a&b,c"),
        ("note__isnull", ""),
    ]
    assert link(("filter", "&&")) == []


def test_attributes_keep_their_order() -> None:
    pairs = link(("sort", "b,a"), ("q", "x"), ("filter", "a__gt=1"), ("facet", "c"))
    assert pairs == [("sort", "b"), ("sort", "a"), ("q", "x"), ("a__gt", "1"), ("facet", "c")]


@pytest.mark.parametrize(
    ("value", "theme"),
    [("auto", "auto"), ("light", "light"), (" Dark ", "dark"), ("LIGHT", "light")],
)
def test_theme_is_a_setting_not_a_pair(value: str, theme: str) -> None:
    pairs, settings, problems = from_attributes([SRC, ("theme", value)])
    assert (pairs, settings, problems) == ([SRC], {"engine": "", "theme": theme}, [])


def test_engine_is_a_setting_and_the_last_one_wins() -> None:
    pairs, settings, problems = from_attributes([("engine", "p1"), SRC, ("engine", "p2")])
    assert (pairs, settings, problems) == ([SRC], {"engine": "p2", "theme": "auto"}, [])


@pytest.mark.parametrize("height", ["300", "20em", "bogus", ""])
def test_height_is_embed_js_business_and_ignored_here(height: str) -> None:
    assert from_attributes([SRC, ("height", height)]) == (
        [SRC],
        {"engine": "", "theme": "auto"},
        [],
    )


# --- problems -----------------------------------------------------------------------------


def is_sentence(text: str) -> bool:
    """Capitalized (or opening with the attribute it is about) and closed by a full stop."""
    opening = text[:1].isupper() or text.startswith("data-sift-")
    return opening and text.endswith(".") and "  " not in text


@pytest.mark.parametrize(
    "attributes", [[], [("src", "")], [("src", "   ")], [("q", "x"), ("table", "t")]]
)
def test_no_src_is_the_first_problem(attributes: Pairs) -> None:
    _pairs, _settings, problems = from_attributes([*attributes, ("view", "grid")])
    assert problems[0] == NO_SRC
    assert len(problems) == 2
    assert all(is_sentence(problem) for problem in problems)


def test_an_unknown_view_is_dropped_and_the_table_shown() -> None:
    pairs, _settings, problems = from_attributes([SRC, ("view", "map"), ("q", "x")])
    assert pairs == [SRC, ("q", "x")]
    assert problems == [
        'data-sift-view="map" is not one of table, chart. The table is shown.',
    ]


def test_an_unknown_theme_falls_back_to_the_system() -> None:
    pairs, settings, problems = from_attributes([SRC, ("theme", "blue"), ("theme", "")])
    assert pairs == [SRC]
    assert settings["theme"] == "auto"
    assert problems == [
        'data-sift-theme="blue" is not one of auto, light, dark. The system\'s theme is used.',
        'data-sift-theme="" is not one of auto, light, dark. The system\'s theme is used.',
    ]


def test_unknown_attributes_are_named_once_each_in_order() -> None:
    attributes = [SRC, ("colour", "red"), ("sorting", "a"), ("colour", "blue"), ("Src", "x")]
    pairs, _settings, problems = from_attributes(attributes)
    assert pairs == [SRC]
    assert problems == [
        "Sift does not know these attributes, ignored: data-sift-colour, data-sift-sorting,"
        " data-sift-Src."
    ]


def test_all_problems_at_once_in_their_order() -> None:
    attributes = [("x", "1"), ("theme", "neon"), ("view", "pie"), ("y", "2")]
    _pairs, _settings, problems = from_attributes(attributes)
    assert problems == [
        NO_SRC,
        'data-sift-theme="neon" is not one of auto, light, dark. The system\'s theme is used.',
        'data-sift-view="pie" is not one of table, chart. The table is shown.',
        "Sift does not know these attributes, ignored: data-sift-x, data-sift-y.",
    ]
    assert all(is_sentence(problem) for problem in problems)


# --- the snippet --------------------------------------------------------------------------


class TagReader(HTMLParser):
    """Every start tag of a piece of HTML, with its attributes, as a browser's parser sees them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))


def read_tag(html: str) -> list[tuple[str, str]]:
    """The attributes of the one tag in `html`, which must be a script element and nothing else."""
    reader = TagReader()
    reader.feed(html)
    reader.close()
    assert [tag for tag, _ in reader.tags] == ["script"]
    assert html.endswith("></script>")
    return [(name, value or "") for name, value in reader.tags[0][1]]


def widget_attributes(html: str) -> Pairs:
    """What embed.js hands the widget: the data-sift-* attributes, prefix dropped."""
    prefix = "data-sift-"
    return [(k.removeprefix(prefix), v) for k, v in read_tag(html) if k.startswith(prefix)]


def test_snippet_of_a_whole_view() -> None:
    pairs = [
        ("src", "https://data.example/pop.csv"),
        ("sql", "SELECT * FROM t WHERE a < 3"),
        ("table", "people"),
        ("sort", "-population"),
        ("sort", "first,last"),
        ("q", "Zoë"),
        ("facet", "city"),
        ("country__exact", "FR & co"),
        ("note__isnull", ""),
        ("view", "chart"),
        ("chart", "bar;x:country;y:population;agg:sum"),
    ]
    assert snippet(SCRIPT, pairs) == (
        '<script src="https://sift.example/embed.js" data-sift-src="https://data.example/pop.csv"'
        ' data-sift-sql="SELECT * FROM t WHERE a &lt; 3" data-sift-table="people"'
        ' data-sift-q="Zoë" data-sift-view="chart"'
        ' data-sift-chart="bar;x:country;y:population;agg:sum"'
        ' data-sift-sort="-population,first%2Clast" data-sift-facet="city"'
        ' data-sift-filter="country__exact=FR%20%26%20co&amp;note__isnull="></script>'
    )


def test_snippet_theme_and_height_are_attributes_only_when_set() -> None:
    plain = snippet(SCRIPT, [SRC])
    assert plain == '<script src="https://sift.example/embed.js" data-sift-src="data.csv"></script>'
    dark = widget_attributes(snippet(SCRIPT, [SRC], theme="dark", height="300px"))
    assert dark == [SRC, ("theme", "dark"), ("height", "300px")]
    assert from_attributes(dark) == ([SRC], {"engine": "", "theme": "dark"}, [])


def test_snippet_without_a_source_reads_back_as_the_no_data_problem() -> None:
    html = snippet(SCRIPT, [("q", "x")])
    assert read_tag(html) == [("src", SCRIPT), ("data-sift-q", "x")]
    assert from_attributes(widget_attributes(html))[2] == [NO_SRC]


def test_snippet_keeps_the_first_source_only() -> None:
    # The contract's `src` is one file; a view over several sources embeds the first.
    html = snippet(SCRIPT, [("src", "a.csv"), ("src", "b.csv")])
    assert widget_attributes(html) == [("src", "a.csv")]


@pytest.mark.parametrize(
    "payload",
    [
        '"><img src=x onerror=alert(1)>',
        "</script><script>alert(1)</script>",
        '" onload="alert(1)',
        "&quot;&lt;&amp;",
        "'single' `back`",
    ],
)
def test_a_value_cannot_break_out_of_its_attribute(payload: str) -> None:
    pairs = [("src", payload), ("q", payload), ("sort", payload), (payload + "__exact", payload)]
    html = snippet(payload, pairs)
    attributes = read_tag(html)  # one script tag, nothing else
    assert [name for name, _ in attributes] == [
        "src",
        "data-sift-src",
        "data-sift-q",
        "data-sift-sort",
        "data-sift-filter",
    ]
    assert attributes[0] == ("src", payload)
    assert attributes[2] == ("data-sift-q", payload)
    inside = html.removeprefix("<script ").removesuffix("></script>")
    assert "<" not in inside
    assert ">" not in inside
    assert inside.count('"') == 2 * len(attributes)


@pytest.mark.parametrize(
    ("value", "escaped"),
    [
        ("plain", "plain"),
        ('a "b" <c> & d', "a &quot;b&quot; &lt;c&gt; &amp; d"),
        ("&amp;", "&amp;amp;"),
        ("it's", "it's"),
        ("é😀", "é😀"),
    ],
)
def test_escape_attribute(value: str, escaped: str) -> None:
    assert escape_attribute(value) == escaped


# --- round trip: the app's view -> snippet -> embed.js -> the widget's view ---------------

# Names and values with the characters that need care: list and pair separators, quotes,
# markup, `%` escapes (a literal `%2C` too), spaces, non-ASCII. No \r or NUL: a browser's
# HTML parser turns them into \n and U+FFFD in any attribute, whatever Sift writes.
TRICKY = [",", '"', "'", "&", "<", ">", "=", "#", "+", "%", "%2C", ";", ":", "-", " ", "\n"]
CHARS = st.sampled_from([*TRICKY, "a", "b", "Z", "0", "é", "ß", "😀", "名"])
TEXT = st.lists(CHARS, max_size=6).map("".join)
# A list item (sort/facet): outer spaces, commas and a literal %2C round-trip (escaped as
# %20, %2C, %25); an outer newline does not (a browser keeps it, but items are trimmed).
ITEM = TEXT.filter(lambda s: s != "" and s.strip(" ") == s.strip(" ").strip())
FILTER_KEY = st.tuples(TEXT, st.sampled_from(OPERATORS)).map(lambda t: t[0] + "__" + t[1])


@st.composite
def views(draw: st.DrawFn) -> Pairs:
    """Fragment pairs as the app writes them (view_state.view_fragment's keys and order)."""
    pairs: Pairs = [("src", draw(TEXT.filter(lambda s: s == s.strip() and s != "")))]
    if draw(st.booleans()):
        pairs.append(("sql", draw(TEXT)))
    else:
        pairs.extend(("table", t) for t in draw(st.lists(TEXT.map(str.strip), max_size=1)) if t)
    sorts = draw(st.lists(st.tuples(st.sampled_from(["", "-"]), ITEM), max_size=3))
    pairs.extend(("sort", sign + column) for sign, column in sorts)
    pairs.extend(("q", q) for q in draw(st.lists(TEXT.map(str.strip), max_size=1)) if q)
    pairs.extend(("facet", column) for column in draw(st.lists(ITEM, max_size=3)))
    pairs.extend(draw(st.lists(st.tuples(FILTER_KEY, TEXT), max_size=3)))
    if draw(st.booleans()):
        pairs += [("view", draw(st.sampled_from(["table", "chart"]))), ("chart", "bar;x:a")]
    return pairs


def by_key(pairs: Pairs) -> dict[str, list[str]]:
    """The values of each key, in order: the snippet groups keys (sort and facet lists, one
    filter attribute), so only the order across different keys may change."""
    grouped: dict[str, list[str]] = {}
    for key, value in pairs:
        grouped.setdefault(key, []).append(value)
    return grouped


def round_trip(pairs: Pairs, theme: str = "auto") -> tuple[Pairs, dict[str, str], list[str]]:
    return from_attributes(widget_attributes(snippet(SCRIPT, pairs, theme, "300px")))


@given(views(), st.sampled_from(["auto", "light", "dark"]))
@example([("src", 'x,"&<>é%2C'), ("q", 'a,b "c" <d> & %2C é'), ("a%2Cb,c__exact", "%2C,")], "auto")
@example([("src", "s"), ("sort", "-a,b"), ("facet", "c,d"), ("facet", "e")], "dark")
def test_a_snippet_reads_back_as_the_same_view(pairs: Pairs, theme: str) -> None:
    back, settings, problems = round_trip(pairs, theme)
    assert problems == []
    assert settings == {"engine": "", "theme": theme}
    assert by_key(back) == by_key(pairs)
    assert parse_view(back) == parse_view(pairs)


@pytest.mark.parametrize("key", ["sort", "facet"])
def test_a_column_named_with_a_literal_percent_2c_round_trips(key: str) -> None:
    pairs = [SRC, (key, "a%2Cb")]
    assert round_trip(pairs)[0] == pairs


def test_a_facet_on_a_column_with_outer_spaces_round_trips() -> None:
    pairs = [SRC, ("facet", " padded ")]
    assert round_trip(pairs)[0] == pairs


def test_outer_spaces_of_a_sort_column_are_kept_and_of_a_search_lost() -> None:
    # A sort column's outer spaces are escaped (%20) like a facet's; the search has no use
    # for outer spaces (the attribute is trimmed), so it differs in pairs but not in results.
    pairs = [SRC, ("sort", "-name "), ("q", " smith")]
    back = round_trip(pairs)[0]
    assert back == [SRC, ("q", "smith"), ("sort", "-name ")]
    assert parse_view(back)["sort"] == parse_view(pairs)["sort"]


# --- MicroPython --------------------------------------------------------------------------


def test_the_module_stays_micropython_compatible() -> None:
    tree = ast.parse(MODULE.read_text(encoding="utf-8"))
    imports = [n for n in ast.walk(tree) if isinstance(n, ast.Import | ast.ImportFrom)]
    assert [(n.module, n.level) for n in imports if isinstance(n, ast.ImportFrom)] == [
        ("sift.fragment", 0)
    ]
    assert len(imports) == 1
    assert not any(isinstance(n, ast.FormattedValue) and n.format_spec for n in ast.walk(tree))
    assert "@dataclass" not in MODULE.read_text(encoding="utf-8")


SAMPLES: list[list[tuple[str, str]]] = [
    [("engine", "p1"), ("src", " a.csv "), ("sort", "-b, c%2Cd"), ("facet", "é,😀")],
    [("filter", "x__gt=1&n__contains=a%26b"), ("theme", "Dark"), ("q", " z "), ("height", "9")],
    [("view", "map"), ("theme", "blue"), ("odd", "1"), ("odd", "2"), ("x", "")],
]


def _answers(module: Any) -> list[str]:
    # Text, not repr(): MicroPython's repr escapes non-ASCII characters.
    out = []
    for attributes in SAMPLES:
        pairs, settings, problems = module.from_attributes(attributes)
        out.append(" | ".join(key + "=" + value for key, value in pairs))
        out.append(settings["engine"] + " " + settings["theme"] + " " + str(len(settings)))
        out.extend(problems)
        out.append(module.snippet("https://s/embed.js", pairs, settings["theme"], "20em"))
    out.append(module.escape_attribute('"<é&>'))
    return out


def test_it_runs_under_micropython(tmp_path: Path) -> None:
    """The UI imports the module under MicroPython: it must import and answer the same there.
    The runner installs one module; the script writes sift/fragment.py, its one import."""
    check = (
        "import sys\nsys.path.append('/lib')\n"
        f"with open('/lib/sift/fragment.py', 'w') as f:\n"
        f"    f.write({FRAGMENT.read_text(encoding='utf-8')!r})\n"
        "from sift import embed_attributes\n"
        f"SAMPLES = {SAMPLES!r}\n"
        + inspect.getsource(_answers).replace("module: Any", "module").replace(" -> list[str]", "")
        + "for line in _answers(embed_attributes):\n    print(line)\n"
    )
    answers = _answers(sift.embed_attributes)
    assert run_under_micropython(tmp_path, "embed_attributes", check) == answers
