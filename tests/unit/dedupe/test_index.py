"""The LSH index proposes near copies; removing and replacing keys works."""

from __future__ import annotations

import random

import numpy as np
import pytest

from khabar.dedupe.fingerprint import MinHasher, shingles
from khabar.dedupe.index import NearDuplicateIndex, band_keys

BASE = " ".join(f"كلمة{n}" for n in range(60))
HASHER = MinHasher()


def sig(text: str) -> bytes:
    return HASHER.signature(shingles(text, "folded3"))


def test_near_copy_is_found_and_unrelated_is_not() -> None:
    index: NearDuplicateIndex[int] = NearDuplicateIndex(32)
    index.add(1, sig(BASE))
    index.add(2, sig(" ".join(f"اخرى{n}" for n in range(60))))
    assert index.query(sig(BASE.replace("كلمة30", "تعديل"))) == {1}
    assert len(index) == 2 and 1 in index


def test_remove_and_replace() -> None:
    index: NearDuplicateIndex[str] = NearDuplicateIndex(32)
    index.add("a", sig(BASE))
    index.add("a", sig("نص مختلف تماما عن الأصل ولا يشبهه في شيء"))
    assert index.query(sig(BASE)) == set()
    index.remove("a")
    index.remove("missing")
    assert len(index) == 0


def test_band_keys_split_the_signature() -> None:
    keys = band_keys(bytes(range(128)), 4)
    assert len(keys) == 4 and all(len(k) == 1 + 32 for k in keys)
    with pytest.raises(ValueError):
        band_keys(bytes(12), 5)
    with pytest.raises(ValueError):
        NearDuplicateIndex(0)
    with pytest.raises(ValueError):
        NearDuplicateIndex(32, buffer=0)


class _Naive:
    """The definition the index follows: a set of keys per band key."""

    def __init__(self, bands: int) -> None:
        self.bands = bands
        self.buckets: dict[bytes, set[int]] = {}
        self.signatures: dict[int, bytes] = {}

    def add(self, key: int, signature: bytes) -> None:
        self.remove(key)
        self.signatures[key] = signature
        for band in band_keys(signature, self.bands):
            self.buckets.setdefault(band, set()).add(key)

    def remove(self, key: int) -> None:
        for band in band_keys(self.signatures.pop(key, b""), self.bands) if key in self else ():
            self.buckets[band].discard(key)

    def __contains__(self, key: int) -> bool:
        return key in self.signatures

    def query(self, signature: bytes) -> set[int]:
        found: set[int] = set()
        for band in band_keys(signature, self.bands):
            found |= self.buckets.get(band, set())
        return found


def _signature(rng: random.Random, bands: int) -> bytes:
    # each band takes one of three values: signatures share bands often
    values = [v for band in range(bands) for v in (band, rng.randrange(3), 7, 9)]
    return np.array(values, dtype=np.uint32).tobytes()


@pytest.mark.parametrize("buffer", [1, 7, 64])
def test_index_answers_like_sets_per_band_through_merges_and_renumbering(buffer: int) -> None:
    rng = random.Random(buffer)
    bands = 6
    index: NearDuplicateIndex[int] = NearDuplicateIndex(bands, buffer=buffer)
    naive = _Naive(bands)
    for _ in range(3000):
        key, signature = rng.randrange(400), _signature(rng, bands)
        action = rng.random()
        if action < 0.55:
            index.add(key, signature)
            naive.add(key, signature)
        elif action < 0.75:
            index.remove(key)
            naive.remove(key)
        else:
            assert index.query(signature) == naive.query(signature)
        assert len(index) == len(naive.signatures)
        assert (key in index) == (key in naive)


def test_index_memory_is_a_few_bytes_per_band() -> None:
    rng = np.random.default_rng(3)
    index: NearDuplicateIndex[int] = NearDuplicateIndex(32, buffer=1 << 10)
    for key in range(3000):
        index.add(key, rng.integers(0, 1 << 32, 128, dtype=np.uint32).tobytes())
    index.add(0, HASHER.signature(shingles(BASE, "folded3")))
    # all but < 1,024 waiting pairs sit in runs: 12 bytes a pair, <= 2 for the directory
    assert 2900 * 32 * 12 < index.memory_bytes() < 3000 * 32 * 15
    assert index.query(HASHER.signature(shingles(BASE, "folded3"))) == {0}
