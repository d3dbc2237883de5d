"""The LSH index proposes near copies; removing and replacing keys works."""

from __future__ import annotations

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
