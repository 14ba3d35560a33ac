"""The app icon as PNG (192 and 512 px) for the web manifest, drawn from the SVG's geometry.

Pure Python (zlib + struct), so the build needs no image library.
"""

import struct
import zlib

BLUE = (10, 88, 202)
WHITE = (255, 255, 255)
# (x, y, width, height, radius) in a 64x64 box, as in web/icons/icon.svg.
BARS = ((12, 16, 40, 7, 3.5), (19, 29, 26, 7, 3.5), (26, 42, 12, 7, 3.5))


def inside_rounded(px: float, py: float, rect: tuple[float, float, float, float, float]) -> bool:
    x, y, w, h, r = rect
    if not (x <= px <= x + w and y <= py <= y + h):
        return False
    cx = min(max(px, x + r), x + w - r)
    cy = min(max(py, y + r), y + h - r)
    return (px - cx) ** 2 + (py - cy) ** 2 <= r * r


def pixel(px: float, py: float) -> tuple[int, int, int, int]:
    if not inside_rounded(px, py, (0, 0, 64, 64, 14)):
        return (0, 0, 0, 0)
    if any(inside_rounded(px, py, bar) for bar in BARS):
        return (*WHITE, 255)
    return (*BLUE, 255)


def png(size: int) -> bytes:
    scale = 64 / size
    rows = bytearray()
    for row in range(size):
        rows.append(0)  # filter type: none
        for col in range(size):
            rows.extend(pixel((col + 0.5) * scale, (row + 0.5) * scale))

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(bytes(rows), 9))
        + chunk(b"IEND", b"")
    )
