"""Tests for sift.pycode.expressions: compiling an expression over a row's columns."""

from __future__ import annotations

import pytest

from sift.pycode.expressions import compile_expression, python_names
from sift.pycode.failures import PythonError, describe

COLUMNS = ["name", "amount", "qty", "created", "unit price", "class"]


def value(text: str, row: dict[str, object], functions: dict[str, object] | None = None) -> object:
    expression = compile_expression(text, list(row), functions)
    return expression.call([row[column] for column in expression.inputs])


ROW: dict[str, object] = {
    "name": "Ann Lee",
    "amount": 2.5,
    "qty": 4,
    "created": "2024-03-01",
    "unit price": 3,
    "class": "B",
}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("amount * qty", 10.0),
        ("name.split()[0]", "Ann"),
        ("date.fromisoformat(created).year", 2024),
        ("datetime.date.fromisoformat(created).month", 3),
        ("(date.fromisoformat(created) + timedelta(days=31)).isoformat()", "2024-04-01"),
        ('row["unit price"] * qty', 12),
        ('row["class"]', "B"),
        ("[w.lower() for w in name.split() if len(w) > qty - 2]", ["ann", "lee"]),
        ("sorted(row, key=lambda c: (len(c), c))[0]", "qty"),
        ("math.floor(amount) + statistics.mean([qty, 2])", 5),
        ('re.sub("[aeiou]", "", name)', "Ann L"),
        ('json.dumps({"q": qty})', '{"q": 4}'),
        ("  amount + 1  ", 3.5),
        ("(amount +\n qty)", 6.5),
        ("len(name)", 7),  # builtins
        ("sum(x for x in (qty, qty))", 8),
    ],
)
def test_expressions_over_a_row(text: str, expected: object) -> None:
    assert value(text, ROW) == expected


def test_only_the_columns_named_are_read() -> None:
    assert compile_expression("amount * qty", COLUMNS).inputs == ("amount", "qty")
    assert compile_expression("1 + 1", COLUMNS).inputs == ()
    assert compile_expression("row['class']", COLUMNS).inputs == tuple(COLUMNS)


def test_a_column_hides_a_module_or_builtin_of_its_name() -> None:
    row = {"date": "2024-01-02", "len": 3}
    assert value("date", row) == "2024-01-02"
    assert value("len * 2", row) == 6
    assert value("datetime.date.fromisoformat(date).day", row) == 2


def test_keywords_and_non_identifiers_are_only_reachable_through_row() -> None:
    assert python_names(["class", "unit price", "row", "ok", "ﬁle"]) == {"ok": "ok", "file": "ﬁle"}
    assert value("row['row'] + 1", {"row": 1}) == 2
    assert value("file", {"ﬁle": "x"}) == "x"  # Python reads names NFKC-normalised


def test_user_functions_are_callable_and_columns_win() -> None:
    functions: dict[str, object] = {"double": lambda x: 2 * x, "qty": lambda: 0}
    assert value("double(qty)", ROW, functions) == 8


def test_an_unknown_name_suggests_close_columns() -> None:
    expression = compile_expression("amout * 2", COLUMNS)
    with pytest.raises(NameError) as caught:
        expression.call([])
    assert describe(caught.value, expression.suggestions) == (
        "NameError: name 'amout' is not defined; did you mean amount?"
    )
    expression = compile_expression("unit_price * 2", COLUMNS)
    with pytest.raises(NameError) as caught:
        expression.call([])
    assert describe(caught.value, expression.suggestions).endswith(
        "did you mean row['unit price']?"
    )
    expression = compile_expression("zzz", COLUMNS)
    with pytest.raises(NameError) as caught:
        expression.call([])
    assert describe(caught.value, expression.suggestions) == "NameError: name 'zzz' is not defined"


@pytest.mark.parametrize(
    ("text", "message", "line", "column"),
    [
        ("amount * * qty", "column 10: invalid syntax", 1, 10),
        (
            "   amount * * qty",
            "column 13: invalid syntax",
            1,
            13,
        ),
        (
            "(yield 1)",
            "column 2: 'yield' outside function",
            1,
            2,
        ),
        ("qty = 1", None, 1, None),
        (
            "f(\n1,,2)",
            "line 2, column 3: invalid syntax",
            2,
            3,
        ),
        ("import os", None, 1, 1),
        ("", "", 1, 1),
        ("   \n ", "", 1, 1),
    ],
)
def test_bad_syntax_is_a_python_error_with_its_place(
    text: str, message: str | None, line: int, column: int | None
) -> None:
    with pytest.raises(PythonError) as caught:
        compile_expression(text, COLUMNS)
    error = caught.value.to_dict()
    assert error["kind"] == "python"
    assert error["line"] == line
    if message == "":
        assert error["message"] == "The expression is empty."
    elif message is not None:
        assert error["message"] == "The expression has a syntax error at " + message
    else:
        assert error["message"].startswith("The expression has a syntax error at column")
    if column is not None:
        assert error["column"] == column
    assert "amount * qty" in error["hint"]


def test_a_nul_byte_is_refused_as_python() -> None:
    with pytest.raises(PythonError):
        compile_expression("qty\x00", COLUMNS)
