"""Tests for sift.formats: the registry of importable formats."""

from __future__ import annotations

import pytest

from sift.formats import DEFAULT_FORMAT, FORMATS, format_for
from sift.formats.delimited import import_delimited


@pytest.mark.parametrize("filename", ["a.csv", "A.CSV", "b.tsv", "c.txt", "no_extension", "d.xyz"])
def test_text_files_use_the_delimited_importer(filename: str) -> None:
    assert format_for(filename).importer is import_delimited


def test_registry_entries_are_consistent() -> None:
    assert DEFAULT_FORMAT in FORMATS
    for name, entry in FORMATS.items():
        assert entry.name == name
        assert entry.label
        assert all(extension.startswith(".") for extension in entry.extensions)


def test_registry_is_read_only() -> None:
    with pytest.raises(TypeError):
        FORMATS["x"] = FORMATS[DEFAULT_FORMAT]  # type: ignore[index]
