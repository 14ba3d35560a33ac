"""sift.sql_tokens: the SQL editor's scanner, parameters, completion and error marks.

The module also runs under MicroPython on the main thread: the last test imports it there
(MicroPython's WebAssembly build under Node, the same file the site ships) when Node is here.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sift import sql_tokens as t
from tests.unit.micropython_run import run_under_micropython

SCHEMA = {
    "cities": ["city", "country", "population"],
    "people": ["name", "age", "my col", "city"],
}


def kinds(text: str) -> list[tuple[str, str]]:
    return [(kind, text[start:end]) for kind, start, end in t.tokenize(text)]


def solid(text: str) -> list[tuple[str, str]]:
    """The tokens that are not whitespace."""
    return [pair for pair in kinds(text) if pair[0] != t.WHITESPACE]


def test_a_query_splits_into_every_kind_of_token() -> None:
    text = "SELECT \"a b\", x1 FROM t WHERE y >= :city -- note\n/* c */ 'it''s' || ?2 @p $q;"
    assert solid(text) == [
        ("keyword", "SELECT"),
        ("quoted", '"a b"'),
        ("punctuation", ","),
        ("identifier", "x1"),
        ("keyword", "FROM"),
        ("identifier", "t"),
        ("keyword", "WHERE"),
        ("identifier", "y"),
        ("operator", ">="),
        ("parameter", ":city"),
        ("comment", "-- note"),
        ("comment", "/* c */"),
        ("string", "'it''s'"),
        ("operator", "||"),
        ("parameter", "?2"),
        ("parameter", "@p"),
        ("parameter", "$q"),
        ("punctuation", ";"),
    ]


@pytest.mark.parametrize(
    "text",
    ["12", "1.5", ".5", "3.", "1e10", "2.5E-3", "7e+2", "0x1F", "0XaB"],
)
def test_numbers(text: str) -> None:
    assert kinds(text) == [("number", text)]


def test_a_number_stops_where_its_syntax_does() -> None:
    assert kinds("1e") == [("number", "1"), ("identifier", "e")]
    assert kinds("0xg") == [("number", "0"), ("identifier", "xg")]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ('"my ""quoted"" col"', "quoted"),
        ("`back``tick`", "quoted"),
        ("[brackets]", "quoted"),
        ("'a ''b'' c'", "string"),
        ("x'00ff'", "string"),
        ("X'AB'", "string"),
    ],
)
def test_quoted_tokens_keep_their_escaped_quotes(text: str, kind: str) -> None:
    assert kinds(text) == [(kind, text)]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("SELECT 'never closed", "string"),
        ('SELECT "never closed', "quoted"),
        ("SELECT [never closed", "quoted"),
        ("SELECT /* never closed\n more", "comment"),
        ("SELECT -- to the end", "comment"),
        ("SELECT 'ends with a doubled quote''", "string"),
    ],
)
def test_an_unterminated_token_runs_to_the_end(text: str, kind: str) -> None:
    last = kinds(text)[-1]
    assert last == (kind, text[len("SELECT ") :])


def test_operators_take_the_longest_match() -> None:
    ops = "a->>'$.x' -> <> != == << >> <= = < > + - * / % & | ~"
    assert [v for k, v in solid(ops) if k == "operator"] == [
        "->>",
        "->",
        "<>",
        "!=",
        "==",
        "<<",
        ">>",
        "<=",
        "=",
        "<",
        ">",
        "+",
        "-",
        "*",
        "/",
        "%",
        "&",
        "|",
        "~",
    ]


def test_keywords_in_any_case_and_non_ascii_identifiers() -> None:
    assert solid("select Été FROM données") == [
        ("keyword", "select"),
        ("identifier", "Été"),
        ("keyword", "FROM"),
        ("identifier", "données"),
    ]


def test_a_lone_sigil_or_an_unknown_character_is_punctuation() -> None:
    assert solid(": @ $ # \\") == [
        ("punctuation", ":"),
        ("punctuation", "@"),
        ("punctuation", "$"),
        ("punctuation", "#"),
        ("punctuation", "\\"),
    ]


@given(st.text(alphabet=st.sampled_from(list("ab1 .'\"`[]-/*:?@$\n\\xX;(),=<>!|é😀")), max_size=60))
def test_tokens_cover_any_text_exactly(text: str) -> None:
    position = 0
    for kind, start, end in t.tokenize(text):
        assert start == position, (kind, start, end)
        assert end > start, (kind, start, end)
        position = end
    assert position == len(text)


def test_parameters_are_the_named_ones_in_order_once_each_outside_strings_and_comments() -> None:
    text = (
        "SELECT * FROM t WHERE a = :city AND b > :min_pop AND c = :city "
        "AND d = ':quoted' AND \":col\" = 1 -- :commented\n/* :block */ AND e = ? AND f = @at"
    )
    assert t.parameters(text) == ["city", "min_pop"]


def test_parameters_of_text_without_any() -> None:
    assert t.parameters("") == []
    assert t.parameters("SELECT 1 -- :x") == []


def test_marked_pieces_cut_tokens_at_the_mark() -> None:
    assert t.marked_pieces("SELECT x FORM y", 9, 13) == [
        ("keyword", "SELECT", False),
        ("whitespace", " ", False),
        ("identifier", "x", False),
        ("whitespace", " ", False),
        ("identifier", "FORM", True),
        ("whitespace", " ", False),
        ("identifier", "y", False),
    ]
    assert t.marked_pieces("SELECT", 2, 4) == [
        ("keyword", "SE", False),
        ("keyword", "LE", True),
        ("keyword", "CT", False),
    ]
    assert t.marked_pieces("a 'été' b", 3, 6) == [
        ("identifier", "a", False),
        ("whitespace", " ", False),
        ("string", "'", False),
        ("string", "été", True),
        ("string", "'", False),
        ("whitespace", " ", False),
        ("identifier", "b", False),
    ]


def test_marked_pieces_without_a_mark_are_the_tokens() -> None:
    text = "SELECT 1 -- x"
    assert t.marked_pieces(text, 0, 0) == [(k, text[s:e], False) for k, s, e in t.tokenize(text)]
    assert t.marked_pieces(text, 5, 2) == t.marked_pieces(text, 0, 0)


@given(st.text(max_size=40), st.integers(0, 45), st.integers(0, 45))
def test_marked_pieces_put_the_text_back_together(text: str, start: int, end: int) -> None:
    pieces = t.marked_pieces(text, start, end)
    assert "".join(piece for _, piece, _ in pieces) == text
    assert "".join(piece for _, piece, marked in pieces if marked) == (
        text[start:end] if start < end else ""
    )


def test_lex_gives_string_indexes_and_the_text_of_each_token() -> None:
    text = "SELECT 'naïve', \"日本\" FROM t -- ok"
    for kind, start, end, piece in t.lex(text):
        assert text[start:end] == piece, kind


def test_offset_of_a_line_and_column() -> None:
    text = "SELECT 1\nFROM x\nWHERE"
    assert t.offset_of(text, 1, 1) == 0
    assert t.offset_of(text, 2, 6) == text.index("x")
    assert t.offset_of(text, 2, 99) == text.index("\nWHERE")  # clamped to the line
    assert t.offset_of(text, 9, 1) == len(text)


def test_error_span_finds_the_offending_text_near_the_position() -> None:
    text = "SELECT *\nFORM cities"
    assert t.error_span(text, 2, 1, "FORM") == (9, 13)
    # The details are found after the position first, then anywhere, in any case.
    assert t.error_span("SELECT x, x FROM", 1, 10, "x") == (10, 11)
    assert t.error_span("SELECT form", 1, 1, "FORM") == (7, 11)


def test_error_span_without_details_marks_the_token_at_the_position() -> None:
    assert t.error_span("SELECT   oops", 1, 7, None) == (9, 13)


def test_error_span_with_nothing_to_mark() -> None:
    assert t.error_span("SELECT 1", None, None, None) == (0, 0)
    assert t.error_span("SELECT 1", None, None, "missing") == (0, 0)
    assert t.error_span("", 1, 1, None) == (0, 0)


@pytest.mark.parametrize(
    ("name", "typed"),
    [
        ("city", "city"),
        ("my col", '"my col"'),
        ("select", '"select"'),
        ('say "hi"', '"say ""hi"""'),
        ("1st", '"1st"'),
        ("", '""'),
        ("été", "été"),
    ],
)
def test_quote_identifier(name: str, typed: str) -> None:
    assert t.quote_identifier(name) == typed


def test_completion_offers_columns_of_the_tables_the_text_names_first() -> None:
    text = "SELECT ci FROM cities"
    start, found = t.completions(text, 9, SCHEMA)
    assert start == 7
    assert found == [("city", "column", "cities"), ("cities", "table", "table")]


def test_completion_after_from_offers_tables_first() -> None:
    start, found = t.completions("SELECT * FROM ci", 16, SCHEMA)
    assert start == 14
    assert found[0] == ("cities", "table", "table")
    assert ("city", "column", "cities") in found


def test_completion_after_a_table_or_alias_and_a_dot_offers_its_columns() -> None:
    text = "SELECT p. FROM people AS p"
    assert t.completions(text, 9, SCHEMA) == (
        9,
        [
            ("name", "column", "people"),
            ("age", "column", "people"),
            ('"my col"', "column", "people"),
            ("city", "column", "people"),
        ],
    )
    assert t.completions("SELECT cities.po FROM cities", 16, SCHEMA) == (
        14,
        [("population", "column", "cities")],
    )
    assert t.completions("SELECT nope.x FROM cities", 13, SCHEMA) == (12, [])


def test_completion_inside_a_quoted_name_matches_after_the_quote() -> None:
    assert t.completions('SELECT "my', 10, SCHEMA) == (7, [('"my col"', "column", "people")])


def test_completion_offers_keywords_last_and_not_what_is_typed_already() -> None:
    start, found = t.completions("sel", 3, SCHEMA)
    assert (start, found) == (0, [("SELECT", "keyword", "keyword")])
    assert t.completions("SELECT", 6, SCHEMA) == (0, [])


def test_completion_of_nothing_typed_offers_everything_up_to_the_limit() -> None:
    start, found = t.completions("SELECT  FROM people", 7, SCHEMA, limit=5)
    assert start == 7
    assert [c[0] for c in found] == ["name", "age", '"my col"', "city", "cities"]


def test_a_column_two_tables_share_is_offered_once() -> None:
    _, found = t.completions("SELECT ci FROM people JOIN cities", 9, SCHEMA)
    assert [c[0] for c in found] == ["city", "cities"]
    assert found[0][2] == "people"  # the table named first


@pytest.mark.parametrize(
    ("text", "cursor"),
    [
        ("SELECT 'ci", 10),
        ("SELECT 'ci' ", 9),
        ("SELECT 1 -- ci", 14),
        ("SELECT 1 /* ci", 14),
        ("SELECT 1 /* ci */", 14),
    ],
)
def test_no_completion_inside_strings_and_comments(text: str, cursor: int) -> None:
    assert t.completions(text, cursor, SCHEMA) == (cursor, [])


def test_completion_right_after_a_closed_string_or_comment_is_allowed() -> None:
    start, found = t.completions("SELECT 'a' || ci", 16, SCHEMA)
    assert start == 14
    assert found
    start, found = t.completions("SELECT /* x */ ci", 17, SCHEMA)
    assert start == 15
    assert found


def test_completion_with_a_cursor_past_the_text_is_clamped() -> None:
    assert t.completions("SELECT ag", 99, SCHEMA)[0] == 7
    start, found = t.completions("", 0, {})
    assert start == 0
    assert found[0] == ("SELECT", "keyword", "keyword")


def test_utf16_positions() -> None:
    text = "a😀b"
    assert t.utf16_length(text) == 4
    assert t.utf16_length("été") == 3
    assert [t.from_utf16(text, offset) for offset in range(5)] == [0, 1, 3 - 1, 2, 3]
    assert t.from_utf16("abc", 9) == 3


def test_it_runs_under_micropython(tmp_path: Path) -> None:
    """The UI imports the module under MicroPython: it must import and answer the same there."""
    check = (
        "import sys\nsys.path.append('/lib')\nfrom sift import sql_tokens as t\n"
        's = "SELECT \\"a b\\", x FROM t WHERE y = :city -- :no\\n\'x\' [b] é 😀"\n'
        "print(t.tokenize(s))\nprint(t.parameters(s))\n"
        "print(t.completions('SELECT ci FROM cities', 9, {'cities': ['city', 'country']}))\n"
        "print(t.error_span('SELECT * FORM x', 1, 10, 'FORM'))\n"
        "print(t.utf16_length(s), t.from_utf16(s, 60))\n"
    )
    lines = run_under_micropython(tmp_path, "sql_tokens", check)
    text = "SELECT \"a b\", x FROM t WHERE y = :city -- :no\n'x' [b] é 😀"
    expected = [
        str(t.tokenize(text)),
        str(t.parameters(text)),
        str(t.completions("SELECT ci FROM cities", 9, {"cities": ["city", "country"]})),
        str(t.error_span("SELECT * FORM x", 1, 10, "FORM")),
        str(t.utf16_length(text)) + " " + str(t.from_utf16(text, 60)),
    ]
    assert lines == expected


def test_completion_offers_the_results_columns_and_can_leave_keywords_out() -> None:
    start, found = t.completions("SELECT n", 8, SCHEMA, extra=["n_rows"])
    assert start == 7
    assert found[:2] == [("n_rows", "column", "result"), ("name", "column", "people")]
    assert ("NOT", "keyword", "keyword") in found
    _, found = t.completions("SELECT n", 8, SCHEMA, extra=["n_rows"], keywords=False)
    assert [c[1] for c in found] == ["column", "column"]
