"""The section model's title block: scoring, the file format and training (small data)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from khabar.analyze.section_model import FeatureOptions, SectionModel, TermBlock
from khabar.analyze.section_training import (
    LabelledArticle,
    TrainOptions,
    article_doc,
    fit,
    train_model,
)
from khabar.search.analyzer import analyze

MATCH = analyze("مباراة")[0]
OIL = analyze("النفط")[0]


def _model(title_block: float) -> SectionModel:
    """Body terms say nothing; only the title block knows 'match' → sports."""
    return SectionModel(
        classes=("economy", "sports"),
        vocabulary={OIL: 0},
        idf=np.ones(1, dtype=np.float32),
        coef=np.array([[1.0, 0.0]], dtype=np.float32),
        intercept=np.zeros(2, dtype=np.float32),
        temperature=1.0,
        threshold=0.5,
        options=FeatureOptions(title_weight=1, title_block=title_block),
        title=TermBlock(
            vocabulary={MATCH: 0},
            idf=np.ones(1, dtype=np.float32),
            coef=np.array([[0.0, 4.0]], dtype=np.float32),
        ),
    )


def test_the_title_block_counts_title_terms_with_its_weight() -> None:
    model = _model(title_block=0.5)
    np.testing.assert_allclose(model.scores([MATCH], [MATCH]), [0.0, 2.0])
    assert model.probabilities("مباراة", "")["sports"] > 0.8


def test_the_title_block_ignores_the_body() -> None:
    assert _model(title_block=0.5).probabilities("خبر", "مباراة")["sports"] == 0.5


def test_a_zero_weight_switches_the_title_block_off() -> None:
    assert _model(title_block=0.0).probabilities("مباراة", "")["sports"] == 0.5


def test_save_and_load_keep_the_title_block(tmp_path: Path) -> None:
    model = _model(title_block=0.5)
    model.save(tmp_path / "model.npz")
    loaded = SectionModel.load(tmp_path / "model.npz")
    assert loaded.options == model.options
    assert loaded.title is not None and dict(loaded.title.vocabulary) == {MATCH: 0}
    assert loaded.probabilities("مباراة", "") == model.probabilities("مباراة", "")


def test_a_model_of_the_first_format_still_loads(tmp_path: Path) -> None:
    meta = {
        "format": "khabar-sections/1",
        "classes": ["economy", "sports"],
        "temperature": 1.0,
        "threshold": 0.5,
        "options": {"title_weight": 1, "bigrams": False},
        "info": {},
    }
    with (tmp_path / "old.npz").open("wb") as fh:
        np.savez_compressed(
            fh,
            vocab=np.frombuffer(MATCH.encode(), dtype=np.uint8),
            idf=np.ones(1, dtype=np.float32),
            coef=np.array([[0.0, 3.0]], dtype=np.float16),
            intercept=np.zeros(2, dtype=np.float32),
            meta=np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8),
        )
    old = SectionModel.load(tmp_path / "old.npz")
    assert old.title is None and old.options.title_block == 0.0
    assert old.probabilities("مباراة", "")["sports"] > 0.9


ECONOMY = [
    "النفط",
    "الأسعار",
    "البورصة",
    "الأسهم",
    "الدولار",
    "التضخم",
    "البنك",
    "الاستثمار",
    "الشركات",
    "الصادرات",
]
SPORTS = [
    "مباراة",
    "الدوري",
    "هدف",
    "اللاعب",
    "المنتخب",
    "الملعب",
    "البطولة",
    "الفريق",
    "المدرب",
    "الكأس",
]


def _articles(n: int) -> list[LabelledArticle]:
    out = []
    for k in range(n):
        section, words = ("sports", SPORTS) if k % 2 else ("economy", ECONOMY)
        title = " ".join(words[(k + j) % 10] for j in range(3))
        text = " ".join(words[(k * 3 + j) % 10] for j in range(12))
        out.append(LabelledArticle(f"d{k}", f"outlet{k % 3}", title, text, section))
    return out


def test_training_exports_the_title_block_and_matches_scikit_learn() -> None:
    model = train_model(_articles(60))  # the export is checked against scikit-learn inside
    assert model.options.title_block == TrainOptions().features.title_block > 0
    assert model.title is not None and len(model.title.vocabulary) > 0
    assert model.probabilities("مباراة الكأس", "هدف اللاعب")["sports"] > 0.5


def test_training_without_frequent_title_terms_has_no_title_block() -> None:
    articles = [
        LabelledArticle(a.key, a.source, f"عنوان{k}", a.text, a.section)
        for k, a in enumerate(_articles(30))
    ]
    options = TrainOptions()
    fitted = fit(
        [article_doc(a, options.features) for a in articles], [a.section for a in articles], options
    )
    assert fitted.title_vectorizer is None
    assert train_model(articles).title is None


def test_training_stores_the_training_labels_shares_as_the_prior() -> None:
    articles = _articles(60)[:50]  # 25 economy, 25 sports
    articles += [a for a in _articles(20) if a.section == "sports"]  # + 10 sports
    model = train_model(articles)
    assert model.classes == ("economy", "sports")
    assert model.prior == pytest.approx((25 / 60, 35 / 60))
