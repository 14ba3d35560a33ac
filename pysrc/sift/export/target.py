"""Writing a file all or nothing: under a temporary name beside it, renamed at the end.

A failed or cancelled export leaves no partial file at its path (and an older file there is
kept until the new one is complete). Imports: the standard library and sift modules.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress

from sift.errors import SiftError


def check_path(path: str) -> str:
    """``path`` if a file can be written there: not empty, not a folder, in a folder that exists."""
    if not path.strip():
        raise SiftError("An export needs a path to write to.", hint="Pass 'path', e.g. /tmp/x.csv.")
    folder = os.path.dirname(os.path.abspath(path))
    if os.path.isdir(path) or not os.path.isdir(folder):
        raise SiftError(
            f"Cannot write the export to {path}: "
            + ("it is a folder." if os.path.isdir(path) else "its folder does not exist."),
            hint="Choose a file path in an existing folder.",
        )
    return path


@contextmanager
def replacing(path: str) -> Iterator[str]:
    """A temporary path in ``path``'s folder; on success it becomes ``path``, else it goes."""
    folder, name = os.path.split(os.path.abspath(path))
    handle, temporary = tempfile.mkstemp(prefix=f".{name}.", suffix=".part", dir=folder)
    os.close(handle)
    try:
        yield temporary
        os.replace(temporary, path)
    except BaseException:
        remove_quietly(temporary)
        raise


def remove_quietly(path: str) -> None:
    """Remove ``path`` if it is there."""
    with suppress(FileNotFoundError):
        os.remove(path)
