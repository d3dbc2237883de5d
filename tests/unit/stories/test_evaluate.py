"""B-cubed precision and recall on small hand-checked clusterings."""

from __future__ import annotations

import pytest

from khabar.stories.evaluate import bcubed

TRUTH = {"a": 1, "b": 1, "c": 1, "d": 2, "e": 3}


def test_perfect_clustering_scores_one() -> None:
    score = bcubed(TRUTH, {k: f"x{v}" for k, v in TRUTH.items()})
    assert (score.precision, score.recall, score.f1) == (1.0, 1.0, 1.0)


def test_all_singletons_have_full_precision() -> None:
    score = bcubed(TRUTH, {k: k for k in TRUTH})
    assert score.precision == 1.0
    assert score.recall == pytest.approx((3 * (1 / 3) + 1 + 1) / 5)


def test_one_cluster_for_all_has_full_recall() -> None:
    score = bcubed(TRUTH, dict.fromkeys(TRUTH, "all"))
    assert score.recall == 1.0
    assert score.precision == pytest.approx((3 * (3 / 5) + 2 * (1 / 5)) / 5)
    assert score.f1 == pytest.approx(2 * score.precision / (score.precision + 1))


def test_missing_predictions_and_empty_truth_are_errors() -> None:
    with pytest.raises(ValueError, match="no predicted cluster"):
        bcubed(TRUTH, {"a": 1})
    with pytest.raises(ValueError, match="no items"):
        bcubed({}, {})
