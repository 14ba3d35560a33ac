"""The pages the start-up benchmark loads, and the folder that serves the reference page.

A page is described by its milestones: data-* attributes of <html> that the page sets to "ready"
(or "failed"). bench/milestones.js records when each flips; the last milestone ends a load.
Standard library only.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Final

BENCH_DIR: Final = Path(__file__).resolve().parent
REFERENCE_PAGE_DIR: Final = BENCH_DIR / "reference"

# What loadPyodide() fetches from its indexURL; copied unmodified from the npm package.
PYODIDE_FILES: Final = (
    "pyodide.mjs",
    "pyodide.asm.mjs",
    "pyodide.asm.wasm",
    "python_stdlib.zip",
    "pyodide-lock.json",
)


class BenchError(Exception):
    """A problem the user can fix (no dist/, no npm Pyodide, no browser); the message says how."""


@dataclass(frozen=True)
class Milestone:
    label: str  # as shown in the report, e.g. "sift shell-interactive"
    attribute: str  # the <html> attribute that becomes "ready" or "failed"


@dataclass(frozen=True)
class PageSpec:
    name: str
    milestones: tuple[Milestone, ...]  # in the order they are reached; the last ends a load
    service_worker: bool  # a warm profile is primed until the service worker controls the page


REFERENCE: Final = PageSpec(
    name="ref",
    milestones=(Milestone("ref pyodide-ready", "data-ref-state"),),
    service_worker=False,
)
SIFT: Final = PageSpec(
    name="sift",
    milestones=(
        Milestone("sift shell-interactive", "data-sift-ui"),
        Milestone("sift engine-ready", "data-sift-state"),
    ),
    service_worker=True,
)


def check_dist(dist: Path) -> Path:
    if not (dist / "index.html").is_file():
        raise BenchError(f"{dist / 'index.html'} not found: run `python build.py` first")
    return dist.resolve()


def prepare_reference(pyodide_dir: Path, target: Path) -> Path:
    """Fill `target` with the reference page and a copy of the npm Pyodide files; returns it.

    Copies, not symlinks: serve.py refuses files that resolve outside the directory it serves.
    """
    missing = [name for name in PYODIDE_FILES if not (pyodide_dir / name).is_file()]
    if missing:
        raise BenchError(
            f"{pyodide_dir} lacks {', '.join(missing)}: run `npm ci` to install the pinned Pyodide"
        )
    (target / "pyodide").mkdir(parents=True, exist_ok=True)
    for name in PYODIDE_FILES:
        shutil.copyfile(pyodide_dir / name, target / "pyodide" / name)
    for page_file in REFERENCE_PAGE_DIR.iterdir():
        shutil.copyfile(page_file, target / page_file.name)
    return target
