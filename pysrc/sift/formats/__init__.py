"""The registry of file formats Sift can import, each with its importer.

A new format is one entry in FORMATS; ``format_for`` picks the entry for a file name.
Imports: the standard library and sift.formats modules.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType

from sift.formats.base import ByteStream, Importer, ImportReport, Progress
from sift.formats.delimited import import_delimited

__all__ = [
    "DEFAULT_FORMAT",
    "FORMATS",
    "ByteStream",
    "Format",
    "ImportReport",
    "Importer",
    "Progress",
    "format_for",
]


@dataclass(frozen=True)
class Format:
    """A file format: its registry name, a label for people, its file extensions, its importer."""

    name: str
    label: str
    extensions: tuple[str, ...]
    importer: Importer


FORMATS = MappingProxyType(
    {
        "delimited": Format(
            "delimited",
            "CSV or TSV text",
            (".csv", ".tsv", ".tab", ".txt", ".psv", ".dat"),
            import_delimited,
        ),
    }
)

# Text files come with any extension (or none), so an unknown one is read as delimited text;
# the importer still refuses content that is clearly binary.
DEFAULT_FORMAT = "delimited"


def format_for(filename: str) -> Format:
    """The format registered for ``filename``'s extension, else the default (delimited text)."""
    lowered = filename.lower()
    for entry in FORMATS.values():
        if lowered.endswith(entry.extensions):
            return entry
    return FORMATS[DEFAULT_FORMAT]
