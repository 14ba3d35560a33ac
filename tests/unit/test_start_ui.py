"""The UI's entry point unpacks its archive (app/ui.tar) before importing from it. The same
code runs under MicroPython in the browser (tests/browser load every page through it)."""

from __future__ import annotations

from pathlib import Path

import pytest

from buildtools import bytecode
from sift.ui import start_ui

MEMBERS = {
    "sift/__init__.py": b'"""Sift."""\n',
    "sift/ui/__init__.py": b"",
    "sift/ui/app.mpy": bytes(range(256)) * 3,  # binary, and longer than one 512-byte block
    "sift/fragment.mpy": b"",  # empty: no data block at all
}


def test_unpack_writes_every_folder_and_file_then_removes_the_archive(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / start_ui.ARCHIVE).write_bytes(bytecode.tar_bytes(MEMBERS))
    start_ui.unpack(start_ui.ARCHIVE)
    files = {
        p.relative_to(tmp_path).as_posix(): p.read_bytes()
        for p in tmp_path.rglob("*")
        if p.is_file()
    }
    assert files == MEMBERS


def test_a_file_that_is_not_the_archive_says_to_rebuild(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / start_ui.ARCHIVE).write_bytes(b"<!doctype html>" + b" " * 1024)
    with pytest.raises(ValueError, match=r"ui\.tar is not the UI archive: rebuild Sift"):
        start_ui.unpack(start_ui.ARCHIVE)
    assert not (tmp_path / "sift").exists()
