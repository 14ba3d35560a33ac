"""build.py and its steps: pins, manifest, CDN check, idempotent output, clear failures."""

from __future__ import annotations

import hashlib
import io
import json
import re
import subprocess
import sys
import tarfile
import zipfile
from html.parser import HTMLParser
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


def test_tar_bytes_is_reproducible_with_folders_before_their_files() -> None:
    members = {"sift/ui/b.mpy": b"B" * 600, "sift/a.mpy": b"A", "sift/__init__.py": b""}
    data = bytecode.tar_bytes(members)
    assert data == bytecode.tar_bytes(dict(reversed(members.items())))
    with tarfile.open(fileobj=io.BytesIO(data)) as archive:
        entries = [(m.name, m.isdir(), m.mtime, m.uid) for m in archive.getmembers()]
        assert archive.extractfile("sift/ui/b.mpy").read() == b"B" * 600  # type: ignore[union-attr]
    assert entries == [
        ("sift", True, 0, 0),
        ("sift/ui", True, 0, 0),
        ("sift/__init__.py", False, 0, 0),
        ("sift/a.mpy", False, 0, 0),
        ("sift/ui/b.mpy", False, 0, 0),
    ]


def test_full_build_is_idempotent(tmp_path: Path) -> None:
    assert build.main(["--out", str(tmp_path), "--quiet"]) == 0
    before = {p: p.stat().st_mtime_ns for p in tmp_path.rglob("*") if p.is_file()}
    assert build.build(tmp_path, "", lambda _: None) == 0
    assert {p: p.stat().st_mtime_ns for p in tmp_path.rglob("*") if p.is_file()} == before


# --- embed.html (buildtools/site.py: embed_page; docs/embed-contract.md) ------------------

ENGINE_LINE = (
    b'  <script type="py" worker name="engine" src="./app/start_engine.py"'
    b' config="./app/py-config.json"></script>\n'
)
UI_LINE = b'  <script type="mpy" src="./app/start_ui.py" config="./app/mpy-config.json"></script>\n'
STYLE_LINES = (
    b'  <link rel="stylesheet" href="./app.css">\n  <link rel="stylesheet" href="./export.css">\n'
)
SAMPLE_INDEX = (
    b"<!doctype html>\n"
    b'<html lang="en" data-sift-state="loading" data-sift-build="__SIFT_BUILD__">\n'
    b"<head>\n" + STYLE_LINES + b'  <script type="module" src="./loader.js"></script>\n'
    b'  <script type="module" src="./runtime/pyscript/core.js"></script>\n'
    b"</head>\n<body>\n  <main>\n    <p>app</p>\n  </main>\n"
    + UI_LINE
    + ENGINE_LINE
    + b"</body>\n</html>\n"
)


class Elements(HTMLParser):
    """Each start tag in order, as (tag, attributes, ids of the open elements around it)."""

    VOID = frozenset({"meta", "link", "img", "input", "br", "hr"})

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, dict[str, str | None], list[str]]] = []
        self.open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, dict(attrs), list(self.open)))
        if tag not in self.VOID:
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.open:
            del self.open[len(self.open) - 1 - self.open[::-1].index(tag) :]


def elements(page: bytes) -> list[tuple[str, dict[str, str | None], list[str]]]:
    parser = Elements()
    parser.feed(page.decode())
    parser.close()
    return parser.found


def check_embed_page(page: bytes) -> None:
    found = elements(page)
    html = [attrs for tag, attrs, _ in found if tag == "html"]
    assert len(html) == 1
    assert "data-sift-embed" in html[0]
    styles = [
        attrs["href"] for tag, attrs, _ in found if tag == "link" and attrs["rel"] == "stylesheet"
    ]
    assert styles == ["./" + site.WIDGET_STYLES]  # one file: see test_widget_styles
    scripts = [(attrs.get("type"), attrs.get("src")) for tag, attrs, _ in found if tag == "script"]
    # No interpreter and no engine of its own: embed-client.js attaches it to its host page's
    # engine frame, or starts PyScript for embed.html opened by itself.
    assert scripts == [("module", "./loader.js"), ("module", "./embed-client.js")]
    assert b"worker" not in page
    assert b"start_engine" not in page
    by_id = {attrs.get("id"): (tag, attrs, around) for tag, attrs, around in found}
    count_tag, _, around = by_id["embed-count"]
    assert (count_tag, around[-2:]) == ("span", ["main", "footer"])
    link_tag, link, around = by_id["open-in-sift"]
    assert (link_tag, around[-2:]) == ("a", ["main", "footer"])
    assert link["href"] == "./index.html"
    assert link["target"] == "_blank"
    assert "noopener" in str(link["rel"])
    assert b">Open in Sift</a>" in page


def test_embed_page_from_a_sample_index() -> None:
    page = site.embed_page(SAMPLE_INDEX)
    check_embed_page(page)
    assert b"<p>app</p>" in page  # the rest is the app's page, as it is
    assert b'data-sift-build="__SIFT_BUILD__"' in page  # stamped by finish(), as index.html


def test_embed_page_from_the_real_index() -> None:
    index = (ROOT / "web" / "index.html").read_bytes()
    page = site.embed_page(index)
    check_embed_page(page)
    undone = page
    for marker, replacement in site.EMBED_EDITS:
        undone = undone.replace(replacement, marker)
    lines = index.splitlines(keepends=True)
    styles = [line for line in lines if b'rel="stylesheet"' in line]
    dropped = (b'name="engine"', b'type="mpy"', b'rel="stylesheet"')
    kept = [line for line in lines if not any(mark in line for mark in dropped)]
    kept.insert(lines.index(styles[0]), site.WIDGET_LINK.lstrip(b"\n") + b"\n")
    assert undone.splitlines(keepends=True) == kept
    assert site.embed_page(index) == page


def test_widget_styles_are_the_apps_in_order_then_embed_css() -> None:
    web = {"app.css": b"a { }\n", "export.css": b"e { }", "embed.css": b"w { }\n"}
    assert site.widget_styles(SAMPLE_INDEX, web) == b"a { }\n\ne { }\n\nw { }\n"
    real = site.web_files(ROOT / "web")
    bundled = site.widget_styles(real["index.html"], real).decode()
    at = [bundled.index(real[name].decode().strip()) for name in ("app.css", "export.css")]
    assert at[0] < at[1] < bundled.index(real["embed.css"].decode().strip())


def test_embed_page_needs_the_index_stylesheets() -> None:
    with pytest.raises(BuildError, match="expected its stylesheets"):
        site.embed_page(SAMPLE_INDEX.replace(STYLE_LINES, b""))


@pytest.mark.parametrize(
    "marker",
    [
        b'<html lang="en" ',
        b'<script type="module" src="./runtime/pyscript/core.js"></script>',
        b"</main>",
    ],
)
def test_embed_page_needs_each_marker_once(marker: bytes) -> None:
    assert SAMPLE_INDEX.count(marker) == 1
    missing = SAMPLE_INDEX.replace(marker, b"")
    with pytest.raises(BuildError, match=r"web/index.html: expected .* once, for embed.html"):
        site.embed_page(missing)
    twice = SAMPLE_INDEX.replace(marker, marker + b"\n" + marker)
    with pytest.raises(BuildError, match=r"web/index.html: expected .* once, for embed.html"):
        site.embed_page(twice)


@pytest.mark.parametrize("line", [ENGINE_LINE, UI_LINE])
@pytest.mark.parametrize("count", [0, 2])
def test_embed_page_needs_one_engine_and_one_ui_script(line: bytes, count: int) -> None:
    index = SAMPLE_INDEX.replace(line, line * count)
    with pytest.raises(BuildError, match="drops it"):
        site.embed_page(index)


def test_finish_stamps_embed_html_and_lists_it() -> None:
    files = {
        **sample_files(),
        "embed.html": b'<html data-sift-embed="" data-sift-build="__SIFT_BUILD__">',
    }
    done = site.finish(files, "")
    manifest = manifest_of(done)
    version = str(manifest["version"])
    assert done["embed.html"] == f'<html data-sift-embed="" data-sift-build="{version}">'.encode()
    assert done["index.html"] == f'<html data-sift-build="{version}">'.encode()
    assert manifest["files"] == [
        {"path": name, "sha256": hashlib.sha256(done[name]).hexdigest()}
        for name in ("app.css", "embed.html", "index.html")
    ]


def test_build_id_follows_embed_html() -> None:
    first = {**sample_files(), "embed.html": b"<html>one __SIFT_BUILD__"}
    second = {**sample_files(), "embed.html": b"<html>two __SIFT_BUILD__"}
    first_id = manifest_of(site.finish(first, ""))["version"]
    assert manifest_of(site.finish(second, ""))["version"] != first_id
    assert manifest_of(site.finish(sample_files(), ""))["version"] != first_id


def test_ui_modules_become_micropython_bytecode_and_packages_stay_source(tmp_path: Path) -> None:
    from buildtools import mpy

    sources = {"sift/__init__.py": b"", "sift/ui/app.py": b"def f():\n    return 1\n"}
    out = mpy.compiled(sources, tmp_path, lambda _text: None)
    assert sorted(out) == ["sift/__init__.py", "sift/ui/app.mpy"]
    assert out["sift/__init__.py"] == b""
    assert out["sift/ui/app.mpy"][:1] == b"M"  # the .mpy header: 'M', then the version
    assert mpy.compiled(sources, tmp_path, lambda _text: None) == out  # cached


def test_without_mpy_cross_the_ui_ships_as_source(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from buildtools import mpy

    said: list[str] = []
    monkeypatch.setattr(mpy, "compiler", lambda: None)
    sources = {"sift/ui/app.py": b"x = 1\n"}
    assert mpy.compiled(sources, tmp_path, said.append) == sources
    assert "mpy-cross" in said[0]


def test_an_mpy_cross_for_another_bytecode_version_fails_the_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from buildtools import mpy

    fake = tmp_path / "mpy-cross"
    fake.write_text("#!/bin/sh\necho 'MicroPython v1.19; mpy-cross emitting mpy v6'\n")
    fake.chmod(0o755)
    monkeypatch.setattr(mpy, "compiler", lambda: str(fake))
    with pytest.raises(BuildError, match=r"reads mpy v6\.3"):
        mpy.compiled({"sift/ui/app.py": b"x = 1\n"}, tmp_path, lambda _text: None)


def test_both_pyscript_types_exclude_the_same_plugins() -> None:
    """web/config/mpy.json excludes PyScript's plugins for mpy, the <py-config> of index.html
    and of embed-engine.html for py: one list, written thrice (a plugin either type loads is
    fetched by every page and every host page of widgets)."""
    mpy = json.loads((ROOT / "web" / "config" / "mpy.json").read_text())["plugins"]
    for name in ("index.html", "embed-engine.html"):
        page = (ROOT / "web" / name).read_text()
        start = page.index("<py-config hidden>") + len("<py-config hidden>")
        py = json.loads(page[start : page.index("</py-config>")])["plugins"]
        assert mpy == py, name
    assert "!py-editor" in mpy
    assert all(name.startswith("!") for name in mpy)
    assert "!error" not in mpy  # loader.js shows start-up failures from PyScript's error plugin


def test_a_widget_alone_starts_the_apps_ui_script() -> None:
    """embed.html opened by itself (no host page) adds index.html's UI script: embed-client.js
    writes its attributes, which must stay the same as index.html's."""
    index = elements((ROOT / "web" / "index.html").read_bytes())
    (ui,) = [attrs for tag, attrs, _ in index if tag == "script" and attrs.get("type") == "mpy"]
    client = (ROOT / "web" / "embed-client.js").read_text()
    line = next(text for text in client.splitlines() if text.startswith("const UI_SCRIPT = "))
    written = dict(re.findall(r'(\w+): "([^"]*)"', line))
    assert written == ui
    engine = elements((ROOT / "web" / "embed-engine.html").read_bytes())
    assert [a for t, a, _ in engine if t == "script" and a.get("type") == "mpy"] == [ui]
