"""Run a shared pure module under the MicroPython build the UI ships (its WebAssembly port,
under Node), for tests that check a module imports and answers the same there."""

from __future__ import annotations

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MICROPYTHON = ROOT / "node_modules" / "@micropython" / "micropython-webassembly-pyscript"
RUNNER = """import { loadMicroPython } from %s;
import { readFileSync } from "node:fs";
const out = [];
const mp = await loadMicroPython({ stdout: (t) => out.push(t) });
mp.FS.mkdirTree("/lib/sift");
mp.FS.writeFile("/lib/sift/__init__.py", "");
mp.FS.writeFile("/lib/sift/" + process.argv[2], readFileSync(process.argv[3]));
mp.runPython(readFileSync(process.argv[4], "utf8"));
process.stdout.write(out.join("\\n"));
"""


def run_under_micropython(folder: Path, module: str, script: str) -> list[str]:
    """The lines ``script`` prints under MicroPython, with pysrc/sift/<module>.py importable
    as ``sift.<module>`` (the script must `sys.path.append('/lib')` first)."""
    runner = folder / "run.mjs"
    runner.write_text(RUNNER % repr(str(MICROPYTHON / "micropython.mjs")), encoding="utf-8")
    check = folder / "check.py"
    check.write_text(script, encoding="utf-8")
    source = ROOT / "pysrc" / "sift" / (module + ".py")
    done = subprocess.run(
        ["node", str(runner), module + ".py", str(source), str(check)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()
