#!/usr/bin/env python3
"""Build Sift's static site into dist/: runtime, precompiled Python, web shell, offline cache.

usage: python build.py [--out DIR] [--label TEXT]
Needs Node.js with npm (for the pinned runtime and the build-time Pyodide) and PyPI (for the
pinned wheels). Idempotent: a rebuild with nothing changed reuses every cached step.
"""

import argparse
import ast
import hashlib
import sys
import time
from collections.abc import Callable
from pathlib import Path

from buildtools import bytecode, icons, mpy, npm, site, wheels
from buildtools.errors import BuildError

ROOT = Path(__file__).resolve().parent
PYSRC = ROOT / "pysrc"
CACHE = ROOT / ".cache"


def package_sources() -> dict[str, bytes]:
    return {
        path.relative_to(PYSRC).as_posix(): path.read_bytes()
        for path in sorted((PYSRC / "sift").rglob("*.py"))
    }


def micropython_names() -> tuple[set[str], tuple[str, ...]]:
    """The UI modules and their shared pure imports, as declared in sift/ui/__init__.py."""
    tree = ast.parse((PYSRC / "sift" / "ui" / "__init__.py").read_text())
    values = {
        node.targets[0].id: ast.literal_eval(node.value)
        for node in tree.body
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name)
    }
    modules = {f"sift/ui/{name}.py" for name in values["MICROPYTHON_MODULES"]}
    return modules | {"sift/ui/__init__.py"}, tuple(values["MICROPYTHON_SHARED"])


def app_archives(
    sources: dict[str, bytes], wheel_paths: list[Path], log: Callable[[str], None]
) -> dict[str, bytes]:
    ui_only, shared = micropython_names()
    ui = mpy.compiled({name: sources[name] for name in sorted(ui_only | set(shared))}, CACHE, log)
    engine = {
        name: data
        for name, data in sources.items()
        if name not in ui_only - {"sift/ui/__init__.py"}
    }
    for wheel in wheel_paths:
        engine.update(wheels.wheel_members(wheel))
    return {"ui": bytecode.tar_bytes(ui), "engine": bytecode.zip_bytes(engine)}


def cached_icon(size: int) -> bytes:
    key = hashlib.sha256(Path(icons.__file__).read_bytes()).hexdigest()[:12]
    path = CACHE / "icons" / f"icon-{size}-{key}.png"
    if not path.is_file():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(icons.png(size))
    return path.read_bytes()


def app_files(archives: dict[str, bytes], compiled: dict[str, Path]) -> dict[str, bytes]:
    ui_dir = PYSRC / "sift" / "ui"
    return {
        "runtime/pyodide/python_stdlib.zip": compiled["stdlib.zip"].read_bytes(),
        "app/engine.zip": compiled["engine.zip"].read_bytes(),
        "app/ui.tar": archives["ui"],
        "app/start_ui.py": (ui_dir / "start_ui.py").read_bytes(),
        "app/start_engine.py": (ui_dir / "start_engine.py").read_bytes(),
        "app/mpy-config.json": (ROOT / "web" / "config" / "mpy.json").read_bytes(),
        "app/py-config.json": (ROOT / "web" / "config" / "py.json").read_bytes(),
        "icons/icon-192.png": cached_icon(192),
        "icons/icon-512.png": cached_icon(512),
    }


def build(out: Path, label: str, log: Callable[[str], None]) -> int:
    modules = npm.ensure_node_modules(ROOT, log)
    wheel_paths = wheels.ensure_wheels(ROOT / "wheels")
    archives = app_archives(package_sources(), wheel_paths, log)
    stdlib = (modules / "pyodide" / "python_stdlib.zip").read_bytes()
    jobs = {
        "stdlib.zip": (stdlib, bytecode.STDLIB_PREFIX),
        "engine.zip": (archives["engine"], bytecode.APP_PREFIX),
    }
    # One cache entry per archive: a change to Sift's code does not recompile the stdlib.
    compiled = {
        name: bytecode.compile_archives(modules / "pyodide", CACHE, {name: job}, log)[name]
        for name, job in jobs.items()
    }
    web = site.web_files(ROOT / "web")
    web = {name: data for name, data in web.items() if not name.startswith("config/")}
    web["embed.html"] = site.embed_page(web["index.html"])
    web[site.WIDGET_STYLES] = site.widget_styles(web["index.html"], web)
    files = {**site.runtime_files(modules), **web, **app_files(archives, compiled)}
    files = site.finish(files, label)
    site.check_no_cdn(files, site.read_hosts(ROOT / "buildtools" / "cdn_hosts.txt"))
    return site.write_tree(out, files)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--out", type=Path, default=ROOT / "dist", help="output folder (default: dist/)"
    )
    parser.add_argument(
        "--label",
        default="",
        help="text mixed into the build id (tests use it to make a new version)",
    )
    parser.add_argument("--quiet", action="store_true", help="print nothing but errors")
    args = parser.parse_args(argv)

    def log(text: str) -> None:
        if not args.quiet:
            print(f"build: {text}", flush=True)

    started = time.monotonic()
    try:
        written = build(args.out.resolve(), args.label, log)
    except BuildError as error:
        print(f"build failed: {error}", file=sys.stderr)
        return 1
    log(f"{args.out} ready: {written} files written in {time.monotonic() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
