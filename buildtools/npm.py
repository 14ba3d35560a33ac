"""Step 1: the pinned npm packages (package-lock.json) in node_modules/, via `npm ci`.

A stamp file holding the lockfile's hash lets a rebuild skip npm entirely.
"""

import hashlib
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

from buildtools.errors import BuildError

STAMP = ".sift-lock-sha256"
LogFn = Callable[[str], None]


def require_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BuildError(
            f"`{name}` was not found on PATH. Install Node.js 20 or newer with npm "
            "(Debian: apt-get install nodejs npm) and run the build again."
        )
    return path


def ensure_node_modules(root: Path, log: LogFn) -> Path:
    lock = root / "package-lock.json"
    modules = root / "node_modules"
    digest = hashlib.sha256(lock.read_bytes()).hexdigest()
    stamp = modules / STAMP
    if stamp.is_file() and stamp.read_text().strip() == digest:
        return modules
    npm = require_tool("npm")
    require_tool("node")
    log("npm ci (pinned runtime packages)")
    result = subprocess.run(
        [npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"],
        cwd=root,
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise BuildError(
            "npm ci failed, so the pinned runtime could not be installed. Is the npm registry "
            f"reachable from this machine?\n{result.stderr.strip()[-2000:]}"
        )
    stamp.write_text(digest)
    return modules
