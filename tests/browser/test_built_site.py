"""The built site itself: complete, precompiled, precache manifest correct, no CDN host."""

from __future__ import annotations

import hashlib
import json
import tarfile
import zipfile
from pathlib import Path

from buildtools.site import read_hosts

ROOT = Path(__file__).resolve().parents[2]


def shipped(site: Path) -> dict[str, Path]:
    return {
        p.relative_to(site).as_posix(): p
        for p in site.rglob("*")
        if p.is_file() and "testdata" not in p.parts
    }


def test_no_file_references_a_cdn_host(site: Path) -> None:
    hosts = read_hosts(ROOT / "buildtools" / "cdn_hosts.txt")
    hits = [
        f"{name}: {host}"
        for name, path in shipped(site).items()
        for host in hosts
        if host.encode() in path.read_bytes()
    ]
    assert hits == []


def test_only_runtime_files_the_app_needs(site: Path) -> None:
    names = shipped(site)
    pages = ("index.html", "embed.html", "embed-engine.html")
    assert not [n for n in names if n.endswith((".map", ".d.ts", ".html")) and n not in pages]
    assert "runtime/pyodide/pyodide.asm.wasm" in names
    assert "runtime/micropython/micropython.wasm" in names
    assert not [n for n in names if "codemirror" in n or "xterm" in n]


def test_standard_library_is_precompiled(site: Path) -> None:
    with zipfile.ZipFile(site / "runtime/pyodide/python_stdlib.zip") as archive:
        names = archive.namelist()
    assert "os.pyc" in names
    assert "json/__init__.pyc" in names
    assert [n for n in names if n.endswith(".py")] == []


def test_engine_archive_holds_sift_and_the_pinned_wheels(site: Path) -> None:
    with zipfile.ZipFile(site / "app/engine.zip") as archive:
        names = set(archive.namelist())
    assert {"sift/session.pyc", "sift/ui/engine_host.pyc", "defusedxml/__init__.pyc"} <= names
    assert "sift/ui/app.pyc" not in names  # the MicroPython UI ships in ui.tar
    with tarfile.open(site / "app/ui.tar") as archive:
        ui = set(archive.getnames())
    # The UI's modules as MicroPython bytecode (buildtools/mpy.py), packages' __init__ as source.
    assert {"sift/ui/app.mpy", "sift/fragment.mpy", "sift/ui/__init__.py"} <= ui
    assert not [name for name in ui if name.endswith(".py") and not name.endswith("__init__.py")]


def test_service_worker_manifest_matches_the_files(site: Path) -> None:
    sw = (site / "sw.js").read_text()
    line = next(x for x in sw.splitlines() if x.startswith("const MANIFEST = "))
    manifest = json.loads(line.removeprefix("const MANIFEST = ").removesuffix(";"))
    names = shipped(site)
    listed = {entry["path"]: entry["sha256"] for entry in manifest["files"]}
    assert sorted(listed) == sorted(n for n in names if n != "sw.js")
    for name, digest in listed.items():
        assert hashlib.sha256(names[name].read_bytes()).hexdigest() == digest, name
    index = (site / "index.html").read_text()
    assert f'data-sift-build="{manifest["version"]}"' in index
