"""Undo ``Content-Encoding`` (gzip, deflate, br) without ever inflating much at once.

httpx inflates each network chunk whole: one 64 KiB read of a gzip bomb becomes ~64 MiB in one
allocation, and a 165-byte brotli bomb becomes everything it encodes (measured: 105 MB for a
100 MiB bomb) before any size cap can look at it. Here every step yields at most ``PIECE``
bytes and the next step runs only when the caller asks for it, so a caller that stops at its
cap holds at most cap + ``PIECE`` bytes.

Encodings are undone in reverse order of the header (``Content-Encoding: gzip, br`` means br was
applied last). Unknown codings are passed through unchanged, as httpx does.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Iterator
from typing import Protocol

import brotli

__all__ = ["PIECE", "ContentDecoder", "DecodeError", "decoder_for"]

PIECE = 64 * 1024
"""Most bytes one decoding step produces."""


class DecodeError(Exception):
    """The body is not valid data for its ``Content-Encoding``."""


class _Step(Protocol):
    name: str

    def feed(self, data: bytes) -> Iterator[bytes]: ...

    def finish(self) -> Iterator[bytes]: ...


class _Zlib:
    """gzip (``wbits`` 16+15) or deflate (zlib-wrapped, else raw: servers send both)."""

    def __init__(self, name: str, wbits: int) -> None:
        self.name = name
        self._inflater = zlib.decompressobj(wbits)
        self._raw_fallback = name == "deflate"

    def feed(self, data: bytes) -> Iterator[bytes]:
        try:
            yield self._inflater.decompress(data, PIECE)
        except zlib.error:
            if not self._raw_fallback:
                raise
            self._inflater = zlib.decompressobj(-zlib.MAX_WBITS)
            yield self._inflater.decompress(data, PIECE)
        finally:
            self._raw_fallback = False
        while self._inflater.unconsumed_tail:
            yield self._inflater.decompress(self._inflater.unconsumed_tail, PIECE)

    def finish(self) -> Iterator[bytes]:
        yield self._inflater.flush(PIECE)


class _Brotli:
    name = "br"

    def __init__(self) -> None:
        self._inflater = brotli.Decompressor()

    def feed(self, data: bytes) -> Iterator[bytes]:
        yield self._inflater.process(data, output_buffer_limit=PIECE)
        while not self._inflater.can_accept_more_data():
            yield self._inflater.process(b"", output_buffer_limit=PIECE)

    def finish(self) -> Iterator[bytes]:
        yield from ()


def _step(coding: str) -> _Step | None:
    if coding in ("gzip", "x-gzip"):
        return _Zlib("gzip", 16 + zlib.MAX_WBITS)
    if coding == "deflate":
        return _Zlib("deflate", zlib.MAX_WBITS)
    if coding == "br":
        return _Brotli()
    return None  # identity, or a coding we never asked for: passed through


class ContentDecoder:
    """Decodes one response body fed to it chunk by chunk, lazily, in bounded pieces."""

    def __init__(self, steps: list[_Step]) -> None:
        self._steps = steps

    @property
    def codings(self) -> tuple[str, ...]:
        """The codings undone, in the order they are undone."""
        return tuple(step.name for step in self._steps)

    def feed(self, chunk: bytes) -> Iterator[bytes]:
        """The decoded pieces of one raw chunk (each at most ``PIECE`` bytes)."""
        return self._through(0, (chunk,))

    def finish(self) -> Iterator[bytes]:
        """What the decoders still hold once the raw body has ended."""
        for index, step in enumerate(self._steps):
            yield from self._through(index + 1, _checked(step.finish()))

    def _through(self, index: int, pieces: Iterable[bytes]) -> Iterator[bytes]:
        if index == len(self._steps):
            yield from (piece for piece in pieces if piece)
            return
        step = self._steps[index]
        for piece in pieces:
            if piece:
                yield from self._through(index + 1, _checked(step.feed(piece)))


def _checked(pieces: Iterator[bytes]) -> Iterator[bytes]:
    try:
        yield from pieces
    except (zlib.error, brotli.error) as exc:
        raise DecodeError(str(exc) or type(exc).__name__) from exc


def decoder_for(content_encoding: str | None) -> ContentDecoder:
    """The decoder for a ``Content-Encoding`` header value (absent: bytes pass through)."""
    codings = [c.strip().lower() for c in (content_encoding or "").split(",") if c.strip()]
    steps = [step for step in map(_step, reversed(codings)) if step is not None]
    return ContentDecoder(steps)
