"""An in-memory LSH index over MinHash signatures: which known articles may be near copies.

Banding: the signature's ``num_perm`` minima are cut into ``bands`` bands of ``rows`` values;
two signatures become candidates when any band is equal. The chance of that for Jaccard ``s``
is ``1 − (1 − s^rows)^bands``; with 32 bands of 4 rows it is 0.56 at s = 0.4, 0.87 at 0.5 and
0.99 at 0.6 (the decision threshold is 0.5, ``data/dedupe/thresholds.toml``). The index only
proposes candidates; :func:`khabar.dedupe.decide.decide` decides. A database-backed index can
store the same band keys (``band_keys``) as rows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable
from typing import Generic, TypeVar

__all__ = ["NearDuplicateIndex", "band_keys"]

K = TypeVar("K", bound=Hashable)
_BYTES_PER_VALUE = 4


def band_keys(signature: bytes, bands: int) -> list[bytes]:
    """The ``bands`` keys of a signature: band number + that band's bytes."""
    size, extra = divmod(len(signature), bands * _BYTES_PER_VALUE)
    if extra or size == 0:
        raise ValueError(f"a {len(signature)}-byte signature does not split into {bands} bands")
    width = size * _BYTES_PER_VALUE
    return [bytes([band]) + signature[band * width : (band + 1) * width] for band in range(bands)]


class NearDuplicateIndex(Generic[K]):
    """Signatures by key, findable by any equal band. Not thread-safe."""

    __slots__ = ("_buckets", "_keys", "bands")

    def __init__(self, bands: int = 32) -> None:
        if not 0 < bands < 256:
            raise ValueError("bands must be between 1 and 255")
        self.bands = bands
        self._buckets: defaultdict[bytes, set[K]] = defaultdict(set)
        self._keys: dict[K, list[bytes]] = {}

    def __len__(self) -> int:
        return len(self._keys)

    def __contains__(self, key: object) -> bool:
        return key in self._keys

    def add(self, key: K, signature: bytes) -> None:
        """Index ``signature`` under ``key`` (replacing what ``key`` had)."""
        self.remove(key)
        keys = band_keys(signature, self.bands)
        self._keys[key] = keys
        for band in keys:
            self._buckets[band].add(key)

    def remove(self, key: K) -> None:
        for band in self._keys.pop(key, ()):
            bucket = self._buckets[band]
            bucket.discard(key)
            if not bucket:
                del self._buckets[band]

    def query(self, signature: bytes) -> set[K]:
        """The keys sharing at least one band with ``signature``."""
        found: set[K] = set()
        for band in band_keys(signature, self.bands):
            bucket = self._buckets.get(band)
            if bucket:
                found |= bucket
        return found
