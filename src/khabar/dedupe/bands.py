"""LSH band keys as 64-bit integers, the form a database index stores cheaply.

A band key (:func:`khabar.dedupe.index.band_keys`: band number + that band's bytes, 17 bytes
for 32 bands of 128) is hashed with xxh3-64 into one signed integer: 8 bytes per row instead of
17, and an integer primary key. Two different bands colliding only adds a candidate that
:func:`~khabar.dedupe.decide.decide` then rejects by its Jaccard estimate.
"""

from __future__ import annotations

import xxhash

from khabar.dedupe.index import band_keys

__all__ = ["band_ids"]

_SIGNED = 1 << 63


def band_ids(signature: bytes, bands: int) -> list[int]:
    """The ``bands`` band keys of ``signature`` as signed 64-bit integers (SQL INTEGER)."""
    return [xxhash.xxh3_64_intdigest(key) - _SIGNED for key in band_keys(signature, bands)]
