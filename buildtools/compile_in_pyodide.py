"""Runs inside Pyodide under Node at build time (see pyodide_run.mjs).

usage: compile_in_pyodide.py SRC_ZIP DST_ZIP FILENAME_PREFIX [SRC_ZIP DST_ZIP PREFIX ...]
Rewrites each zip so that every `x.py` becomes a sourceless `x.pyc` compiled by the
runtime's own CPython; other members are copied. The host's Python cannot do this:
its bytecode format differs. Unchecked-hash pycs need no source and no timestamp.
"""

import importlib.util
import sys
import zipfile
from importlib._bootstrap_external import _code_to_hash_pyc  # type: ignore[attr-defined]


def compile_member(source: bytes, filename: str) -> bytes:
    code = compile(source, filename, "exec", dont_inherit=True)
    return bytes(_code_to_hash_pyc(code, importlib.util.source_hash(source), False))


def compile_zip(src: str, dst: str, prefix: str) -> None:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            if info.is_dir():
                continue
            data = zin.read(info)
            name = info.filename
            if name.endswith(".py"):
                data = compile_member(data, prefix + name)
                name += "c"
            # A fixed timestamp keeps the archive's bytes, and so its hash, reproducible.
            member = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            member.compress_type = zipfile.ZIP_DEFLATED
            zout.writestr(member, data)


args = sys.argv[1:]
for i in range(0, len(args), 3):
    compile_zip(args[i], args[i + 1], args[i + 2])
