"""Step 4: assemble dist/ from the runtime, the app archives and the web shell.

The output is written file by file, only where bytes changed, and stale files are removed,
so a rebuild under a running server never leaves a window with missing files.
"""

import hashlib
import json
import re
from pathlib import Path

from buildtools.errors import BuildError

# Runtime files the app loads, by npm package: nothing else from node_modules is shipped.
PYODIDE_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "pyodide-lock.json")
MICROPYTHON_FILES = ("micropython.mjs", "micropython.wasm")
# PyScript chunks that its editor and terminal plugins load only when a page uses them.
PYSCRIPT_UNUSED = re.compile(r"^(codemirror|xterm)")
CDN_URL = re.compile(rb"https://cdn\.jsdelivr\.net/")
# A same-origin path that 404s: PyScript's CDN defaults become harmless, never off-origin.
NO_CDN = b"/no-cdn/"
MANIFEST_LINE = re.compile(r"^const MANIFEST = .*;$", re.MULTILINE)


def runtime_files(modules: Path) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    for name in PYODIDE_FILES:
        files["runtime/pyodide/" + name] = (modules / "pyodide" / name).read_bytes()
    mpy = modules / "@micropython" / "micropython-webassembly-pyscript"
    for name in MICROPYTHON_FILES:
        files["runtime/micropython/" + name] = (mpy / name).read_bytes()
    for path in sorted((modules / "@pyscript" / "core" / "dist").iterdir()):
        if path.suffix == ".js" and not PYSCRIPT_UNUSED.match(path.name):
            files["runtime/pyscript/" + path.name] = path.read_bytes()
    return {name: CDN_URL.sub(NO_CDN, data) for name, data in files.items()}


def web_files(web: Path) -> dict[str, bytes]:
    return {
        path.relative_to(web).as_posix(): path.read_bytes()
        for path in sorted(web.rglob("*"))
        if path.is_file()
    }


# embed.html is index.html with the edits below (each marker must be found exactly once), so
# a widget has every element the UI modules look for: see sift/ui/embed_app.py and embed.css.
EMBED_FOOTER = (
    b'  <footer class="embed-bar">\n'
    b'      <span id="embed-count" class="embed-count"></span>\n'
    b'      <a id="open-in-sift" class="button small" href="./index.html" target="_blank"'
    b' rel="noopener">Open in Sift</a>\n'
    b"    </footer>\n  </main>"
)
EMBED_EDITS = (
    (b'<html lang="en" ', b'<html lang="en" data-sift-embed="" '),
    # No interpreter of its own: embed-client.js attaches the widget to its host page's engine
    # frame, or starts PyScript (UI_SCRIPT, core.js) when embed.html is opened by itself.
    (
        b'<script type="module" src="./runtime/pyscript/core.js"></script>',
        b'<script type="module" src="./embed-client.js"></script>',
    ),
    (b"</main>", EMBED_FOOTER),
)
ENGINE_SCRIPT = re.compile(rb'\n *<script type="py" worker name="engine"[^>]*></script>')
UI_SCRIPT = re.compile(rb'\n *<script type="mpy" src="./app/start_ui.py"[^>]*></script>')
STYLESHEET = re.compile(rb'\n *<link rel="stylesheet" href="\./([\w-]+\.css)">')
# A widget's stylesheets, the app's then embed.css, as one file: each request costs the main
# thread and the browser process a little, and a host page may hold several widgets.
WIDGET_STYLES = "widget.css"
WIDGET_LINK = b'\n  <link rel="stylesheet" href="./' + WIDGET_STYLES.encode() + b'">'


def embed_page(index: bytes) -> bytes:
    """The widget page (embed.html), made from the app's index.html: no interpreter and no
    engine of its own (widgets share their host page's), a footer, and one stylesheet
    (widget.css)."""
    first = STYLESHEET.search(index)
    if first is None:
        raise BuildError("web/index.html: expected its stylesheets (embed.html bundles them).")
    page = index[: first.start()] + WIDGET_LINK + STYLESHEET.sub(b"", index[first.start() :])
    for script in (ENGINE_SCRIPT, UI_SCRIPT):
        page, removed = script.subn(b"", page)
        if removed != 1:
            raise BuildError(
                f"web/index.html: expected {script.pattern!r} once (embed.html drops it)."
            )
    for marker, replacement in EMBED_EDITS:
        if page.count(marker) != 1:
            raise BuildError(f"web/index.html: expected {marker.decode()!r} once, for embed.html.")
        page = page.replace(marker, replacement)
    return page


def widget_styles(index: bytes, web: dict[str, bytes]) -> bytes:
    """widget.css: the stylesheets index.html links, in its order, then embed.css."""
    names = [name.decode() for name in STYLESHEET.findall(index)] + ["embed.css"]
    return b"\n".join(web[name].rstrip(b"\n") + b"\n" for name in names)


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def finish(files: dict[str, bytes], label: str) -> dict[str, bytes]:
    """Stamp the build id into index.html and write the service worker's precache manifest."""
    stamped = ("index.html", "embed.html")
    others = {name: data for name, data in files.items() if name not in (*stamped, "sw.js")}
    digest = hashlib.sha256(label.encode())
    for name in sorted(others):
        digest.update(name.encode() + content_hash(others[name]).encode())
    digest.update(files["index.html"] + files.get("embed.html", b"") + files["sw.js"])
    build = digest.hexdigest()[:16]
    done = dict(files)
    for name in stamped:
        if name in files:
            done[name] = files[name].replace(b"__SIFT_BUILD__", build.encode())
    entries = [{"path": name, "sha256": content_hash(done[name])} for name in sorted(done)]
    entries = [entry for entry in entries if entry["path"] != "sw.js"]
    manifest = json.dumps({"version": build, "files": entries}, separators=(",", ":"))
    sw = files["sw.js"].decode()
    if not MANIFEST_LINE.search(sw):
        raise BuildError("web/sw.js has no `const MANIFEST = ...;` line for the precache manifest.")
    done["sw.js"] = MANIFEST_LINE.sub(lambda _: f"const MANIFEST = {manifest};", sw).encode()
    return done


def read_hosts(path: Path) -> list[str]:
    lines = (line.strip() for line in path.read_text().splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def check_no_cdn(files: dict[str, bytes], hosts: list[str]) -> None:
    for name, data in files.items():
        for host in hosts:
            if host.encode() in data:
                raise BuildError(f"dist/{name} references the CDN host {host}: the app must not.")


def write_tree(out: Path, files: dict[str, bytes]) -> int:
    """Make `out` hold exactly `files`; return how many files were written."""
    written = 0
    for name, data in files.items():
        target = out / name
        if target.is_file() and target.read_bytes() == data:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(target.name + ".tmp")
        temporary.write_bytes(data)
        temporary.replace(target)
        written += 1
    for path in sorted(out.rglob("*"), reverse=True):
        relative = path.relative_to(out).as_posix()
        if path.is_file() and relative not in files:
            path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()
    return written
