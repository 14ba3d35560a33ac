"""Step 2: the pinned pure-Python wheels of wheels/requirements.txt, checked by sha256.

They are downloaded once into wheels/ (ignored by git) and unpacked into the engine archive.
"""

import hashlib
import re
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

from buildtools.errors import BuildError

PYODIDE_PYTHON = "3.14"
PIN = re.compile(r"^([A-Za-z0-9_.-]+)==([^\s;]+)\s+--hash=sha256:([0-9a-f]{64})\s*$")


@dataclass(frozen=True)
class Pin:
    name: str
    version: str
    sha256: str

    @property
    def prefix(self) -> str:
        return f"{re.sub(r'[-_.]+', '_', self.name).lower()}-{self.version}-"


def read_pins(requirements: Path) -> list[Pin]:
    pins = []
    for number, raw in enumerate(requirements.read_text().splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        match = PIN.match(line)
        if match is None:
            raise BuildError(
                f"{requirements}:{number}: expected `name==version --hash=sha256:HEX`, got {raw!r}"
            )
        pins.append(Pin(*match.groups()))
    return pins


def sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def find_wheel(folder: Path, pin: Pin) -> Path | None:
    for path in folder.glob("*.whl"):
        if path.name.lower().startswith(pin.prefix) and sha256_file(path) == pin.sha256:
            return path
    return None


def download(folder: Path, requirements: Path) -> None:
    command = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps"]
    # Pure wheels for Pyodide's CPython, whatever this machine's Python and platform are.
    command += ["--platform", "any", "--implementation", "py", "--python-version", PYODIDE_PYTHON]
    command += [
        "--only-binary=:all:",
        "--require-hashes",
        "-d",
        str(folder),
        "-r",
        str(requirements),
    ]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise BuildError(
            "Downloading the pinned wheels failed. Is PyPI reachable from this machine?\n"
            + result.stderr.strip()[-2000:]
        )


def ensure_wheels(folder: Path) -> list[Path]:
    requirements = folder / "requirements.txt"
    pins = read_pins(requirements)
    if any(find_wheel(folder, pin) is None for pin in pins):
        download(folder, requirements)
    found = []
    for pin in pins:
        wheel = find_wheel(folder, pin)
        if wheel is None:
            raise BuildError(f"No wheel for {pin.name}=={pin.version} matches its pinned sha256.")
        found.append(wheel)
    return found


def wheel_members(wheel: Path) -> dict[str, bytes]:
    """A pure wheel unpacks as-is into site-packages: its members are the archive's files."""
    with zipfile.ZipFile(wheel) as archive:
        return {name: archive.read(name) for name in archive.namelist() if not name.endswith("/")}
