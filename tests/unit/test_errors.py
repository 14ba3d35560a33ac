"""Tests for sift.errors: the one error shape."""

from __future__ import annotations

import json

import pytest

from sift.errors import LoadError, SiftError


def test_to_dict_has_every_field_and_is_json() -> None:
    error = LoadError(
        "data.csv is empty.", hint="Choose another file.", source="data.csv", line=3, column=2
    )
    assert error.to_dict() == {
        "kind": "load",
        "message": "data.csv is empty.",
        "hint": "Choose another file.",
        "source": "data.csv",
        "line": 3,
        "column": 2,
    }
    assert json.loads(json.dumps(error.to_dict())) == error.to_dict()


def test_optional_fields_default_to_none() -> None:
    error = SiftError(message="Something happened.", hint="Try again.")
    assert error.to_dict() == {
        "kind": "error",
        "message": "Something happened.",
        "hint": "Try again.",
        "source": None,
        "line": None,
        "column": None,
    }


def test_message_is_the_exception_text() -> None:
    error = LoadError("x.csv is empty.", hint="h")
    assert str(error) == "x.csv is empty."
    assert isinstance(error, SiftError)
    assert "x.csv is empty." in repr(error)


def test_load_error_can_be_raised_and_caught_as_sift_error() -> None:
    with pytest.raises(SiftError, match="broken"):
        raise LoadError("It is broken.", hint="Fix it.")


def test_hint_is_required() -> None:
    with pytest.raises(TypeError):
        SiftError("No hint.")  # type: ignore[call-arg]
