"""A source's own section shares: estimated without labels (EM) and applied to the model."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import numpy as np
import pytest

from khabar.analyze import section_priors
from khabar.analyze.section_model import FeatureOptions, SectionModel
from khabar.analyze.section_priors import (
    MIN_ARTICLES,
    SHRINK,
    estimate_priors,
    priors_of_articles,
)
from khabar.analyze.section_rules import FeedMap, Lexicon
from khabar.analyze.sections import SectionClassifier
from khabar.errors import InvalidInputError
from khabar.search.analyzer import analyze

OIL = analyze("النفط")[0]
MATCH = analyze("مباراة")[0]
BOTH = ("النفط والمباراة", "")  # one term of each: the model leans to economy, barely


def _model(prior: tuple[float, ...] | None = (0.5, 0.5)) -> SectionModel:
    return SectionModel(
        classes=("economy", "sports"),
        vocabulary={OIL: 0, MATCH: 1},
        idf=np.ones(2, dtype=np.float32),
        coef=np.array([[5.0, 0.0], [0.0, 5.0]], dtype=np.float32),
        intercept=np.array([0.2, 0.0], dtype=np.float32),
        temperature=1.0,
        threshold=0.55,
        options=FeatureOptions(title_weight=1),
        prior=prior,
    )


def _rows(sports: int, economy: int) -> list[dict[str, float]]:
    """Model outputs of a source: sports articles read 0.8 sports, economy ones 0.2."""
    return [{"economy": 0.2, "sports": 0.8}] * sports + [{"economy": 0.8, "sports": 0.2}] * economy


def test_em_finds_a_source_that_publishes_mostly_sport() -> None:
    priors = estimate_priors(_model(), _rows(sports=900, economy=100))
    assert priors is not None
    assert priors["sports"] > 0.85
    assert sum(priors.values()) == pytest.approx(1.0)


def test_a_source_with_the_training_mix_keeps_the_training_prior() -> None:
    priors = estimate_priors(_model(), _rows(sports=400, economy=400))
    assert priors == pytest.approx({"economy": 0.5, "sports": 0.5}, abs=1e-3)


def test_the_estimate_is_shrunk_toward_the_training_prior() -> None:
    rows = _rows(sports=900, economy=100)
    raw = section_priors._em(np.array([[r["economy"], r["sports"]] for r in rows]), np.ones(2) / 2)
    priors = estimate_priors(_model(), rows)
    assert priors is not None and 0.5 < priors["sports"] < raw[1]
    expected = 0.5 ** (1 - SHRINK) * raw**SHRINK
    assert priors["sports"] == pytest.approx(expected[1] / expected.sum())


def test_too_few_articles_or_an_unknown_prior_give_no_estimate() -> None:
    assert estimate_priors(_model(), _rows(MIN_ARTICLES - 1, 0)) is None
    assert estimate_priors(_model(prior=None), _rows(900, 100)) is None
    assert priors_of_articles(_model(prior=None), [BOTH] * MIN_ARTICLES) is None


def test_priors_of_articles_reads_at_most_the_sample(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(section_priors, "SAMPLE", MIN_ARTICLES - 1)
    assert priors_of_articles(_model(), [("مباراة", "")] * (MIN_ARTICLES + 50)) is None
    monkeypatch.setattr(section_priors, "SAMPLE", MIN_ARTICLES)
    priors = priors_of_articles(_model(), [("مباراة", "")] * (MIN_ARTICLES + 50))
    assert priors is not None and priors["sports"] > 0.9


def test_priors_turn_an_ambiguous_article_toward_what_the_source_publishes() -> None:
    model = _model()
    plain = model.probabilities(*BOTH)
    assert plain["economy"] > plain["sports"]
    shifted = model.probabilities(*BOTH, priors={"economy": 0.1, "sports": 0.9})
    assert shifted["sports"] > 0.85
    assert sum(shifted.values()) == pytest.approx(1.0)
    assert model.probabilities(*BOTH, priors={"economy": 0.5, "sports": 0.5}) == pytest.approx(
        plain
    )


def test_a_model_without_its_prior_ignores_priors() -> None:
    model = _model(prior=None)
    assert model.probabilities(*BOTH, priors={"economy": 0.1, "sports": 0.9}) == pytest.approx(
        model.probabilities(*BOTH)
    )


def test_the_classifier_uses_the_source_priors() -> None:
    classifier = SectionClassifier(_model(), FeedMap.shipped(), Lexicon.shipped())
    assert classifier.classify(*BOTH).section == "other"  # 0.55 economy: below the threshold
    decision = classifier.classify(*BOTH, priors={"economy": 0.1, "sports": 0.9})
    assert (decision.section, decision.decided_by) == ("sports", "model")


def test_the_prior_is_saved_and_loaded(tmp_path: Path) -> None:
    path = tmp_path / "m.npz"
    _model(prior=(0.3, 0.7)).save(path)
    assert SectionModel.load(path).prior == pytest.approx((0.3, 0.7))
    _model(prior=None).save(path)
    assert SectionModel.load(path).prior is None


def test_a_prior_that_does_not_fit_the_classes_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "m.npz"
    _model(prior=(0.3, 0.7)).save(path)
    with np.load(path) as data:
        arrays = {k: data[k] for k in data.files}
    meta = json.loads(arrays["meta"].tobytes().decode())
    meta["prior"] = [0.2, 0.3, 0.5]
    arrays["meta"] = np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8)
    np.savez(path, **arrays)
    with pytest.raises(InvalidInputError, match="prior"):
        SectionModel.load(path)


def test_replace_keeps_the_prior_field() -> None:
    model = dataclasses.replace(_model(), threshold=0.9)
    assert model.prior == (0.5, 0.5)
