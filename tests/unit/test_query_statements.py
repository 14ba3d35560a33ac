"""Tests for sift.query.lexer, statements, locate and params: the text-level pieces."""

from __future__ import annotations

import pytest

from sift.query.lexer import COMMENT, QUOTED, STRING, tokens
from sift.query.locate import line_column, locate
from sift.query.params import value_of
from sift.query.statements import split


def texts(sql: str) -> list[str]:
    return [statement.text.strip() for statement in split(sql)]


def test_tokens_cover_the_text_and_know_strings_and_comments() -> None:
    sql = 'SELECT \'a;b\', "x""y" -- c;\n/* d; */ [e f]'
    found = tokens(sql)
    assert "".join(t.text for t in found) == sql
    kinds = {t.text: t.kind for t in found}
    assert kinds["'a;b'"] == STRING
    assert kinds['"x""y"'] == QUOTED
    assert kinds["-- c;"] == COMMENT
    assert kinds["/* d; */"] == COMMENT
    assert kinds["[e f]"] == QUOTED
    assert [t.name for t in found if t.kind == QUOTED] == ['x"y', "e f"]


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        ("SELECT 1; SELECT 2", ["SELECT 1", "SELECT 2"]),
        ("SELECT ';'; SELECT 2;", ["SELECT ';'", "SELECT 2"]),
        ("SELECT 1 -- ; not an end\n; SELECT 2", ["SELECT 1 -- ; not an end", "SELECT 2"]),
        ("SELECT /* ; */ 1", ["SELECT /* ; */ 1"]),
        ('SELECT 1 AS ";"', ['SELECT 1 AS ";"']),
        (";;  ; -- only\n", []),
        ("SELECT 'open;", ["SELECT 'open;"]),
        (
            "CREATE TRIGGER tr AFTER INSERT ON t BEGIN INSERT INTO u VALUES (1); END; SELECT 1",
            ["CREATE TRIGGER tr AFTER INSERT ON t BEGIN INSERT INTO u VALUES (1); END", "SELECT 1"],
        ),
    ],
)
def test_split_ends_statements_only_at_real_semicolons(sql: str, expected: list[str]) -> None:
    assert texts(sql) == expected


def test_statements_know_where_they_start_and_what_they_call() -> None:
    first, second = split("SELECT f(a);\n  WITH x AS (SELECT g (1)) SELECT 'h(' FROM x")
    assert (first.start, second.start) == (0, 12)
    assert second.verb == "with"
    assert second.called() == ["g"]
    assert [p.text for p in split("SELECT :a, @b, $c, ':d'")[0].parameters()] == [":a", "@b", "$c"]


def test_line_column_counts_from_one() -> None:
    assert line_column("ab\ncd", 0) == (1, 1)
    assert line_column("ab\ncd", 4) == (2, 2)


def test_locate_skips_strings_and_comments() -> None:
    sql = "-- missing here\nSELECT 'missing', \"missing\" FROM t"
    (statement,) = split(sql)
    place = locate("no such column: missing", sql, statement)
    assert place is not None
    assert (place.line, place.column, place.text) == (2, 19, '"missing"')


def test_locate_gives_up_when_the_name_is_not_written() -> None:
    sql = "SELECT * FROM v"
    (statement,) = split(sql)
    assert locate("no such column: hidden", sql, statement) is None
    assert locate("interrupted", sql, statement) is None


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("42", 42),
        ("-7", -7),
        (" 3 ", 3),
        ("0", 0),
        ("2.50", 2.5),
        ("-.5", -0.5),
        ("007", "007"),
        ("1e5", "1e5"),
        ("12 apples", "12 apples"),
        ("", ""),
        ("99999999999999999999", "99999999999999999999"),
    ],
)
def test_parameter_text_becomes_a_number_only_when_whole(text: str, value: object) -> None:
    assert value_of(text) == value
    assert type(value_of(text)) is type(value)
