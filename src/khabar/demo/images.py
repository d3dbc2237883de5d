"""The demo outlets' lead images: small PNGs drawn here, so the mirror needs no image files.

The reader loads images through its proxy (``khabar.web.images``), which refuses SVG; the
demo therefore serves real raster images. Each outlet gets its colour with diagonal stripes.
"""

from __future__ import annotations

import struct
import zlib

__all__ = ["placeholder_png"]

WIDTH = 640
HEIGHT = 360
STRIPE = 40  # pixels per stripe along the diagonal


def placeholder_png(color: str, width: int = WIDTH, height: int = HEIGHT) -> bytes:
    """A ``width``×``height`` RGB PNG in ``color`` (``#rrggbb``) with lighter stripes."""
    base = _rgb(color)
    light = bytes(min(255, c + 40) for c in base)
    period = [_row(y, width, base, light) for y in range(2 * STRIPE)]  # rows repeat
    rows = b"".join(period[y % len(period)] for y in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(rows, 9))
        + _chunk(b"IEND", b"")
    )


def _rgb(color: str) -> bytes:
    value = color.removeprefix("#")
    if len(value) != 6:
        raise ValueError(f"colour {color!r}: expected #rrggbb")
    return bytes.fromhex(value)


def _row(y: int, width: int, base: bytes, light: bytes) -> bytes:
    pixels = (light if ((x + y) // STRIPE) % 2 else base for x in range(width))
    return b"\x00" + b"".join(pixels)  # filter type 0 (none) before every row


def _chunk(kind: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(kind + data) & 0xFFFFFFFF
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)
