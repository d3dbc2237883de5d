"""Fingerprints on small invented Arabic texts."""

from __future__ import annotations

import numpy as np
import pytest

from khabar.dedupe.fingerprint import (
    MinHasher,
    content_hash,
    estimate_jaccard,
    fingerprint,
    shingles,
    word_shingle_hashes,
)
from khabar.search.analyzer import analyze

TEXT = (
    "افتتح وزير النقل صباح اليوم الجسر الجديد فوق وادي الرمال بعد عامين من العمل، "
    "وقال إن الجسر سيختصر زمن الرحلة بين المدينتين إلى نصف ساعة ويخدم آلاف المسافرين يومياً."
)


def test_content_hash_ignores_form_only_differences() -> None:
    vocalized = TEXT.replace("الجسر", "الجِسْر").replace("،", " ,")
    assert content_hash(vocalized) == content_hash(TEXT)
    assert content_hash(TEXT + " وأضاف") != content_hash(TEXT)


def test_shingle_kinds() -> None:
    assert shingles("", "words3") == set()
    assert shingles("مطر غزير", "words3") == {" ".join(analyze("مطر غزير"))}
    assert len(shingles(TEXT, "words4")) == len(analyze(TEXT)) - 3
    assert all(len(s) == 5 for s in shingles(TEXT, "chars5"))


def test_signatures_are_stable_and_estimate_jaccard() -> None:
    hasher = MinHasher(128)
    first = hasher.signature(shingles(TEXT))
    assert first == MinHasher(128).signature(shingles(TEXT))
    assert len(first) == 128 * 4
    assert estimate_jaccard(first, first) == 1.0
    other = hasher.signature(shingles("خسر الفريق المباراة النهائية أمام منافسه بهدفين دون رد"))
    assert estimate_jaccard(first, other) < 0.1


def test_word_shingle_hashes_count_distinct_windows() -> None:
    assert word_shingle_hashes([], 3).size == 0
    assert word_shingle_hashes(["ا", "ب"], 3).size == 1
    assert word_shingle_hashes(["ا", "ب", "ج", "ا", "ب", "ج"], 3).size == 3
    assert word_shingle_hashes(["ا", "ب", "ج"], 3).dtype == np.uint64


def test_different_hashers_cannot_be_compared() -> None:
    with pytest.raises(ValueError):
        estimate_jaccard(MinHasher(64).signature({"ا"}), MinHasher(128).signature({"ا"}))


@pytest.mark.parametrize("kind", ["words3", "words4", "folded3", "chars5"])
def test_fingerprint_of_each_kind(kind: str) -> None:
    found = fingerprint(TEXT, MinHasher(), kind)  # type: ignore[arg-type]
    assert found.shingle_count > 10
    assert found.content_hash == content_hash(TEXT)


def test_given_terms_give_the_same_fingerprint() -> None:
    hasher = MinHasher()
    given = fingerprint(TEXT, hasher, "words3", terms=analyze(TEXT))
    assert given == fingerprint(TEXT, hasher, "words3")
