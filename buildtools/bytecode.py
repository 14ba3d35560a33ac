"""Step 3: precompile the standard library and the engine archive to .pyc inside Pyodide.

The npm stdlib zip ships sources only; compiling at build time cuts a warm boot about 3.5x
(DESIGN.md). Results are cached under .cache/ by the hash of every input.
"""

import contextlib
import hashlib
import io
import shutil
import subprocess
import tarfile
import tempfile
import zipfile
from pathlib import Path

from buildtools.errors import BuildError
from buildtools.npm import LogFn, require_tool

HERE = Path(__file__).parent
RUNNER = HERE / "pyodide_run.mjs"
COMPILER = HERE / "compile_in_pyodide.py"
STDLIB_PREFIX = "/lib/python314.zip/"
APP_PREFIX = "/home/pyodide/"


def zip_bytes(members: dict[str, bytes]) -> bytes:
    """A reproducible zip: sorted names, fixed timestamps."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(members):
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, members[name])
    return buffer.getvalue()


def tar_bytes(members: dict[str, bytes]) -> bytes:
    """A reproducible, uncompressed ustar archive: every folder before what it holds, then the
    files, sorted; fixed times and owners. The UI's archive (app/ui.tar): start_ui.py unpacks
    it in a few lines of MicroPython, where a zip costs PyScript its zip.js module and a
    decompression worker in every page and widget (~70 ms of main thread, ~150 ms of worker)."""
    folders = sorted(
        {
            "/".join(name.split("/")[:depth])
            for name in members
            for depth in range(1, name.count("/") + 1)
        }
    )
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.USTAR_FORMAT) as archive:
        for name in folders:
            info = tarfile.TarInfo(name)
            info.type, info.mode = tarfile.DIRTYPE, 0o755
            archive.addfile(info)
        for name in sorted(members):
            info = tarfile.TarInfo(name)
            info.size, info.mode = len(members[name]), 0o644
            archive.addfile(info, io.BytesIO(members[name]))
    return buffer.getvalue()


def compile_archives(
    pyodide_dir: Path, cache: Path, jobs: dict[str, tuple[bytes, str]], log: LogFn
) -> dict[str, Path]:
    """jobs: output name -> (source zip bytes, filename prefix). Returns compiled zip paths."""
    key = hashlib.sha256(COMPILER.read_bytes() + RUNNER.read_bytes())
    key.update((pyodide_dir / "pyodide.asm.wasm").read_bytes()[: 1 << 16])
    for name in sorted(jobs):
        key.update(name.encode() + hashlib.sha256(jobs[name][0]).digest() + jobs[name][1].encode())
    out_dir = cache / "bytecode" / key.hexdigest()[:20]
    results = {name: out_dir / name for name in jobs}
    if all(path.is_file() for path in results.values()):
        return results
    log(f"compiling {', '.join(sorted(jobs))} to .pyc inside Pyodide")
    # A folder of its own per build, so builds running at once (tests, a developer) never
    # share work files; the finished results are moved into place in one rename.
    (cache / "bytecode").mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="work-", dir=cache / "bytecode"))
    try:
        args = []
        for name, (source, prefix) in jobs.items():
            (work / ("src-" + name)).write_bytes(source)
            args += [f"/host/src-{name}", f"/host/{name}", prefix]
        node = require_tool("node")
        command = [node, str(RUNNER), str(pyodide_dir), str(work), str(COMPILER), *args]
        result = subprocess.run(command, capture_output=True, text=True)
        if result.returncode != 0:
            raise BuildError("Compiling bytecode inside Pyodide failed:\n" + result.stderr[-3000:])
        done = work / "done"
        done.mkdir()
        for name in jobs:
            (work / name).replace(done / name)
        with contextlib.suppress(OSError):  # another build finished the same job first
            done.rename(out_dir)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return results
