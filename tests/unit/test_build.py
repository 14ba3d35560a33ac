"""build.py and its steps: pins, manifest, CDN check, idempotent output, clear failures."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import build
from buildtools import bytecode, npm, site, wheels
from buildtools.errors import BuildError

ROOT = Path(__file__).resolve().parents[2]


def test_help_exits_zero() -> None:
    result = subprocess.run(
        [sys.executable, "build.py", "--help"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0
    assert "--out" in result.stdout


def test_missing_npm_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(npm.shutil, "which", lambda name: None)
    with pytest.raises(BuildError, match=r"`npm` was not found on PATH\. Install Node\.js"):
        npm.require_tool("npm")


def test_failing_registry_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "requirements.txt").write_text(
        "nosuchpackage-sift==1.0 --hash=sha256:" + "0" * 64 + "\n"
    )
    monkeypatch.setenv("PIP_INDEX_URL", "http://127.0.0.1:9/simple")
    monkeypatch.setenv("PIP_NO_INDEX", "")
    monkeypatch.setenv("PIP_RETRIES", "0")
    monkeypatch.setenv("PIP_TIMEOUT", "2")
    with pytest.raises(BuildError, match="Is PyPI reachable"):
        wheels.ensure_wheels(tmp_path)


def test_pins_need_a_hash(tmp_path: Path) -> None:
    path = tmp_path / "requirements.txt"
    path.write_text("# comment\n\ndefusedxml==0.7.1\n")
    with pytest.raises(BuildError, match=r"requirements.txt:3: expected `name==version"):
        wheels.read_pins(path)


def test_wheel_must_match_its_hash(tmp_path: Path) -> None:
    wheel = tmp_path / "demo_pkg-1.0-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        archive.writestr("demo_pkg/__init__.py", "X = 1\n")
    digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
    assert wheels.find_wheel(tmp_path, wheels.Pin("demo-pkg", "1.0", digest)) == wheel
    assert wheels.find_wheel(tmp_path, wheels.Pin("demo-pkg", "1.0", "0" * 64)) is None
    assert wheels.wheel_members(wheel) == {"demo_pkg/__init__.py": b"X = 1\n"}


def sample_files() -> dict[str, bytes]:
    return {
        "index.html": b'<html data-sift-build="__SIFT_BUILD__">',
        "sw.js": b"import x;\nconst MANIFEST = { version: 'unbuilt', files: [] };\n",
        "app.css": b"body{}",
    }


def manifest_of(files: dict[str, bytes]) -> dict[str, object]:
    line = next(x for x in files["sw.js"].decode().splitlines() if x.startswith("const MANIFEST"))
    return dict(json.loads(line.removeprefix("const MANIFEST = ").removesuffix(";")))


def test_finish_writes_manifest_with_hashes_and_stamps_the_build() -> None:
    files = site.finish(sample_files(), "")
    manifest = manifest_of(files)
    version = str(manifest["version"])
    assert files["index.html"] == f'<html data-sift-build="{version}">'.encode()
    assert manifest["files"] == [
        {"path": name, "sha256": hashlib.sha256(files[name]).hexdigest()}
        for name in ("app.css", "index.html")
    ]


def test_build_id_changes_with_content_or_label() -> None:
    first = manifest_of(site.finish(sample_files(), ""))["version"]
    assert manifest_of(site.finish(sample_files(), "again"))["version"] != first
    changed = {**sample_files(), "app.css": b"body{color:red}"}
    assert manifest_of(site.finish(changed, ""))["version"] != first
    assert manifest_of(site.finish(sample_files(), ""))["version"] == first


def test_sw_without_manifest_line_is_refused() -> None:
    with pytest.raises(BuildError, match="MANIFEST"):
        site.finish({**sample_files(), "sw.js": b"// nothing"}, "")


def test_cdn_hosts_are_refused() -> None:
    hosts = site.read_hosts(ROOT / "buildtools" / "cdn_hosts.txt")
    assert "cdn.jsdelivr.net" in hosts
    with pytest.raises(BuildError, match=r"dist/x.js references the CDN host cdn.jsdelivr.net"):
        site.check_no_cdn({"x.js": b"import('https://cdn.jsdelivr.net/npm/x')"}, hosts)
    site.check_no_cdn({"x.js": b"import('./x.js')"}, hosts)


def test_write_tree_writes_changes_only_and_removes_stale(tmp_path: Path) -> None:
    assert site.write_tree(tmp_path, {"a.txt": b"1", "d/b.txt": b"2"}) == 2
    (tmp_path / "old" / "gone.txt").parent.mkdir()
    (tmp_path / "old" / "gone.txt").write_text("stale")
    assert site.write_tree(tmp_path, {"a.txt": b"1", "d/b.txt": b"3"}) == 1
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")) == [
        "a.txt",
        "d",
        "d/b.txt",
    ]


def test_zip_bytes_is_reproducible() -> None:
    members = {"b.py": b"B", "a.py": b"A"}
    assert bytecode.zip_bytes(members) == bytecode.zip_bytes(dict(reversed(members.items())))


def test_full_build_is_idempotent(tmp_path: Path) -> None:
    assert build.main(["--out", str(tmp_path), "--quiet"]) == 0
    before = {p: p.stat().st_mtime_ns for p in tmp_path.rglob("*") if p.is_file()}
    assert build.build(tmp_path, "", lambda _: None) == 0
    assert {p: p.stat().st_mtime_ns for p in tmp_path.rglob("*") if p.is_file()} == before
