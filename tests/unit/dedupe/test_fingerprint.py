"""Fingerprints on small invented Arabic texts, pinned to the values stored fingerprints have
(and, when ../shared/data is there, on real texts)."""

from __future__ import annotations

import gzip
import itertools
import json
import random
import zipfile
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pytest
import xxhash

from khabar.dedupe.fingerprint import (
    MinHasher,
    _fold_by_table,
    _fold_plainly,
    content_hash,
    estimate_jaccard,
    fingerprint,
    fold_text,
    shingles,
    word_shingle_hashes,
)
from khabar.search.analyzer import analyze

TEXT = (
    "افتتح وزير النقل صباح اليوم الجسر الجديد فوق وادي الرمال بعد عامين من العمل، "
    "وقال إن الجسر سيختصر زمن الرحلة بين المدينتين إلى نصف ساعة ويخدم آلاف المسافرين يومياً."
)
# Texts whose fingerprints are pinned: every fold the search profile applies (harakat, tatweel,
# alef and hamza seats, ى, ة, يء, digits and separators, presentation forms and ligatures,
# NBSP and other spaces, invisible marks, underscores), Latin case (İ, final Σ, dotted i),
# text outside the BMP, short and empty texts.
PINNED_TEXTS = [
    TEXT,
    "",
    "خبر",
    "مطر غزير",
    "قال الوزيرُ إنَّ المسؤول والمسئول في شئون الشاطئ والشاطىء شيء وشئ ـــ مهم",
    "أعلنت إدارة آل مكتوم عن مشروع بقيمة ٣٫٥ مليون ريال (٢٬٥٠٠ وحدة) في ١٤٤٤هـ",
    "\u00a0الرياض\u00a0-\u00a0واس\u00a0: وصل ﻻعبو المنتخب ﺍﻟﻮﻃﻨﻲ إلى مدينة جدة صباح اليوم",
    "مصطفى فى المستشفى على الطريق، والطلاب_الجدد في «الجامعة»؛ هل وصلوا؟ نعم!",
    "ISTANBUL (Reuters) — İstanbul'da ΟΔΥΣΣΕΥΣ ΣΟΦΟΣ met i\u0307stanbul at 10:30; the CEO said…",
    "حضر\u200f الاجتماع\u200d ممثلون\ufeff عن ٢٠ دولة 🇸🇦 وقالوا إن القمة ناجحة 👍 جداً",
    "السلام عليكم ورحمة الله\tوبركاته\n\nفقرة ثانية\r\nفقرة ثالثة\u2003بمسافة\u3000عريضة",
    " ".join(f"كلمة{n % 37}" for n in range(400)),
]
# Digests of the fingerprints of PINNED_TEXTS (content hash + signature + shingle count) made
# before fingerprinting was sped up: stored fingerprints must not change. (Word kinds go through
# the analyzer, whose stemming may change: their shingle hashing is pinned on plain words.)
PINNED_DIGESTS = {"folded3": "6e20e0becd3d3cb1", "chars5": "5b36d92f04cc0cdb"}
# word_shingle_hashes of PINNED_TEXTS split on spaces (3- and 4-word) and their signatures
WORD_SHINGLES_DIGEST = "8c923874f5008284"
# The same digest (folded3) over 1,000 ANT texts + the first 1,000 of SaudiNewsNet 2015-07-21.
REAL_DIGEST = "ca90a2d407d01194"
SHARED = (Path(__file__).parents[3] / "../shared/data").resolve()


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


def _digest(texts: Iterable[str], kind: str) -> str:
    hasher = MinHasher()
    digest = xxhash.xxh3_64()
    for text in texts:
        found = fingerprint(text, hasher, kind)  # type: ignore[arg-type]
        digest.update(found.content_hash.encode() + found.signature)
        digest.update(found.shingle_count.to_bytes(4, "little"))
    return digest.hexdigest()


@pytest.mark.parametrize("kind", sorted(PINNED_DIGESTS))
def test_fingerprints_are_pinned(kind: str) -> None:
    assert _digest(PINNED_TEXTS, kind) == PINNED_DIGESTS[kind]


def test_word_shingle_hashes_are_pinned() -> None:
    hasher = MinHasher()
    digest = xxhash.xxh3_64()
    for text in PINNED_TEXTS:
        for size in (3, 4):
            hashes = word_shingle_hashes(text.split(), size)
            digest.update(hashes.tobytes() + hasher.signature_of_hashes(hashes))
    assert digest.hexdigest() == WORD_SHINGLES_DIGEST


@pytest.mark.shared_data
@pytest.mark.skipif(not SHARED.is_dir(), reason=f"shared data not found at {SHARED}")
def test_fingerprints_of_real_texts_are_pinned() -> None:
    with gzip.open(SHARED / "ant" / "train.jsonl.gz", "rt", encoding="utf-8") as fh:
        texts = [json.loads(line).get("text") or "" for line in itertools.islice(fh, 1000)]
    with zipfile.ZipFile(SHARED / "saudinewsnet" / "2015-07-21.zip") as archive:
        records = json.loads(archive.read("2015-07-21.json"))[:1000]
    texts += [r.get("content") or "" for r in records]
    assert _digest(texts, "folded3") == REAL_DIGEST


# Characters whose folds interact: letters the search profile folds, marks it drops, the ي + ء
# pair, spaces NFKC rewrites, composable Latin, case that lowers by context, punctuation.
_TRICKY = (
    "ابتثجحخدذرزسشصضطظعغفقكلمنهويءآأإؤئىةـًٌٍَُِّْٰ٠١٢٩۰۹٫٬،؛؟«»"
    "ﻻﺍﻟﷲﷺ\u00a0\u2003\u3000\u200b\u200f\ufeff\t\n "
    "aAzZiIıσςeé\u0301_-.,;:!?()0123456789\u3042\ud7a3\ufb01"
)
_CONTEXTUAL = "İΣ\u0307\U0001f44d\U0001d400"  # the table leaves these texts to the plain fold


@pytest.mark.parametrize("alphabet", [_TRICKY, _TRICKY + _CONTEXTUAL])
def test_table_fold_equals_the_plain_fold(alphabet: str) -> None:
    rng = random.Random(5)
    by_table = 0
    for _ in range(3000):
        text = "".join(rng.choices(alphabet, k=rng.randint(0, 40)))
        assert fold_text(text) == " ".join(_fold_plainly(text)), repr(text)
        by_table += _fold_by_table(text) is not None
    assert by_table >= 300


def test_table_fold_handles_ordinary_text_alone() -> None:
    for text in (TEXT, "\u00a0قال\u00a0الوزير ﻻ", " \t", ""):
        assert _fold_by_table(text) == " ".join(_fold_plainly(text))
    assert _fold_by_table("Σ") is None  # lowers by context: the plain fold decides
    assert _fold_by_table("\U0001f44d") is None
