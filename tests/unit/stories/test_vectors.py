"""Story vectors: analyzer terms without stopwords, title weight, IDF, entities, storage blob."""

from __future__ import annotations

import math

import pytest

from khabar.arabic.normalize import normalize
from khabar.search.analyzer import ANALYZER_VERSION, term
from khabar.stories.thresholds import load_vectorizer
from khabar.stories.vectors import (
    DocumentFrequencies,
    TermVector,
    Vectorizer,
    VectorSettings,
    content_terms,
    feature_id,
    load_document_frequencies,
    with_dense,
)

TITLE = "روسيا تعرض على المسلحين في الغوطة الشرقية خروجا آمنا"
TEXT = "عرضت وزارة الدفاع الروسية على المسلحين في الغوطة الشرقية وعائلاتهم ممرا آمنا للخروج."


def _norm(vector: TermVector) -> float:
    return math.sqrt(sum(w * w for w in vector.weights.values()))


def test_content_terms_drop_stopwords_urls_and_single_letters() -> None:
    terms = content_terms("قال إن الرئيس في القاهرة و https://example.com/x")
    assert "قال" not in terms and "ان" not in terms and "في" not in terms
    assert not any("example" in t for t in terms)
    assert terms == [term(normalize(w, "stem")) for w in ("الرئيس", "القاهرة")]


def test_vector_is_unit_length_and_stems_spelling_variants_together() -> None:
    vectorizer = load_vectorizer()
    a = vectorizer.vector("القاهرة تستضيف القمة", "")
    b = vectorizer.vector("القاهره تستضيف القمه", "")
    assert _norm(a) == pytest.approx(1.0)
    assert a.dot(b.weights) == pytest.approx(1.0)


def test_empty_text_gives_an_empty_vector() -> None:
    vector = load_vectorizer().vector("", "في من على")
    assert len(vector) == 0 and vector.top(5) == []


def test_title_terms_weigh_more_than_body_terms() -> None:
    df = DocumentFrequencies(100, {})
    plain = Vectorizer(df, VectorSettings(title_weight=1)).vector("صاروخ", "قمر")
    heavy = Vectorizer(df, VectorSettings(title_weight=3)).vector("صاروخ", "قمر")
    rocket, moon = feature_id("صاروخ"), feature_id("قمر")
    assert plain.weights[rocket] == pytest.approx(plain.weights[moon])
    assert heavy.weights[rocket] > heavy.weights[moon]


def test_common_terms_weigh_less_than_rare_ones() -> None:
    df = DocumentFrequencies(1000, {"عام": 900})
    vector = Vectorizer(df).vector("", "عام صاروخ")
    assert vector.weights[feature_id("عام")] < vector.weights[feature_id("صاروخ")]


def test_only_the_heaviest_terms_are_kept_and_text_is_cut() -> None:
    df = DocumentFrequencies(10, {})
    words = " ".join(f"كلمه{chr(0x0628 + k)}" for k in range(20))
    assert len(Vectorizer(df, VectorSettings(max_terms=5)).vector("", words)) == 5
    cut = Vectorizer(df, VectorSettings(text_chars=6)).vector("", "صاروخ قمر")
    assert set(cut.weights) == {feature_id("صاروخ")}


def test_entities_are_extra_features_normalized_like_search() -> None:
    vectorizer = load_vectorizer()
    a = vectorizer.vector(TITLE, TEXT, entities=["الغوطة الشرقية"])
    b = vectorizer.vector(TITLE, TEXT, entities=["الغوطه الشرقيه"])
    plain = vectorizer.vector(TITLE, TEXT)
    assert feature_id("entity:الغوطه الشرقيه") in a.weights
    assert a.weights == b.weights
    assert len(a) == len(plain) + 1


def test_blob_round_trip_keeps_weights_to_float32() -> None:
    vector = load_vectorizer().vector(TITLE, TEXT)
    blob = vector.to_bytes()
    assert len(blob) == 8 * len(vector)
    back = TermVector.from_bytes(blob)
    assert back.weights.keys() == vector.weights.keys()
    for key, weight in vector.weights.items():
        assert back.weights[key] == pytest.approx(weight, rel=1e-6)
    with pytest.raises(ValueError, match="multiple of 8"):
        TermVector.from_bytes(blob[:-1])


def test_with_dense_mixes_cosines_by_share() -> None:
    a, b = TermVector({1: 1.0}), TermVector({1: 0.6, 2: 0.8})
    da, db = [1.0, 0.0], [0.0, 1.0]
    joined_a, joined_b = with_dense(a, da, 0.25), with_dense(b, db, 0.25)
    assert joined_a.dot(joined_b.weights) == pytest.approx(0.75 * 0.6 + 0.25 * 0.0)
    assert _norm(joined_a) == pytest.approx(1.0)
    assert joined_a.top(5) == [1]  # dense dimensions are never index terms
    with pytest.raises(ValueError):
        with_dense(a, da, 1.5)


def test_document_frequency_table_round_trips_and_checks_the_analyzer() -> None:
    table = DocumentFrequencies(7, {"صاروخ": 3, "قمر": 1})
    assert DocumentFrequencies.from_tsv(table.to_tsv()) == table
    assert table.idf("صاروخ") < table.idf("قمر") < table.idf("مجهول") == table.max_idf
    with pytest.raises(ValueError, match="rebuild"):
        Vectorizer(DocumentFrequencies(7, {}, analyzer_version=ANALYZER_VERSION - 1))


def test_shipped_table_is_built_with_this_analyzer() -> None:
    table = load_document_frequencies()
    assert table.analyzer_version == ANALYZER_VERSION
    assert table.documents > 20_000 and len(table.counts) > 20_000
    assert "في" not in table.counts  # stopwords are not terms
