"""What the browser can hold: files too big are refused before any work starts.

The engine's SQLite lives in WebAssembly memory (at most 4 GiB, and the tab gets less in
practice); an import needs about the file's size again while it runs. Imports: sift modules.
"""

from __future__ import annotations

from sift.errors import LoadError

MAX_FILE_BYTES = 1_000_000_000  # 1 GB


def human_size(size: int) -> str:
    """'1.5 GB', '820 MB', '12 KB', '5 bytes' (decimal units, as file managers show them)."""
    for unit, scale in (("GB", 10**9), ("MB", 10**6), ("KB", 10**3)):
        if size >= scale:
            return f"{size / scale:.1f} {unit}".replace(".0 ", " ")
    return f"{size} byte" + ("" if size == 1 else "s")


def check_size(name: str, size: int, limit: int = MAX_FILE_BYTES) -> None:
    """Raise LoadError when a file of `size` bytes is too big to open in the browser."""
    if size > limit:
        raise LoadError(
            f"{name} is {human_size(size)}; Sift in the browser can open files up to "
            f"{human_size(limit)}.",
            hint="Open a smaller part of it: split the file, or filter it first (for example "
            "with a spreadsheet or a command such as `head -n 1000000`).",
            source=name,
        )
