"""The demo's lead images are valid PNGs of the requested size and colour."""

from __future__ import annotations

import struct
import zlib

import pytest

from khabar.demo.images import STRIPE, placeholder_png


def _decode(png: bytes) -> tuple[int, int, bytes]:
    """Width, height and the raw scanlines of an 8-bit RGB PNG without filters."""
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    pos, chunks = 8, {}
    while pos < len(png):
        (length,) = struct.unpack(">I", png[pos : pos + 4])
        kind, data = png[pos + 4 : pos + 8], png[pos + 8 : pos + 8 + length]
        (crc,) = struct.unpack(">I", png[pos + 8 + length : pos + 12 + length])
        assert crc == zlib.crc32(kind + data) & 0xFFFFFFFF, kind
        chunks[kind] = data
        pos += 12 + length
    width, height, depth, colour_type = struct.unpack(">IIBB", chunks[b"IHDR"][:10])
    assert (depth, colour_type) == (8, 2)
    assert b"IEND" in chunks
    return width, height, zlib.decompress(chunks[b"IDAT"])


def test_png_has_the_size_and_the_colour() -> None:
    width, height, raw = _decode(placeholder_png("#b80000", 64, 48))
    assert (width, height) == (64, 48)
    assert len(raw) == height * (1 + 3 * width)
    assert raw[0] == 0 and raw[1:4] == bytes.fromhex("b80000")  # filter byte, first pixel


def test_stripes_are_lighter() -> None:
    _, _, raw = _decode(placeholder_png("#102030", STRIPE * 2, 1))
    first, striped = raw[1:4], raw[1 + 3 * STRIPE : 4 + 3 * STRIPE]
    assert striped == bytes([0x10 + 40, 0x20 + 40, 0x30 + 40]) and first != striped


def test_bad_colour_is_named() -> None:
    with pytest.raises(ValueError, match="'red'"):
        placeholder_png("red")
