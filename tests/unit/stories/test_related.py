"""Related articles' stored weights: integers of WEIGHT_SCALE steps, scored like the floats."""

from __future__ import annotations

import pytest

from khabar.stories.related import (
    POSTINGS,
    QUERY_FEATURES,
    WEIGHT_SCALE,
    quantized,
    scoring_parameters,
)


def test_weights_are_stored_as_small_positive_integers() -> None:
    stored = quantized([(1, 1.0), (2, 0.5), (3, 1e-9), (4, 0.1)])
    assert stored == [(1, WEIGHT_SCALE), (2, 16384), (3, 1), (4, 3277)]
    assert all(0 < w <= 32767 for _, w in stored)  # SQLite: ≤ 2 bytes; PostgreSQL: smallint


def test_a_score_of_stored_weights_is_the_float_dot_product() -> None:
    mine = [(f, 0.9 / (f + 1)) for f in range(12)]
    theirs = {f: 0.7 / (f + 2) for f in range(12)}
    stored_mine = dict(quantized(mine))
    stored_theirs = dict(quantized(list(theirs.items())))
    params = scoring_parameters(stored_mine, article_id=99, candidates=25)
    per_feature = [params[i : i + 3] for i in range(0, 3 * QUERY_FEATURES, 3)]
    assert params[-2:] == (99, 25)
    assert [(int(f), n) for _, f, n in per_feature] == [(f, POSTINGS) for f in range(10)]
    score = sum(m * stored_theirs[int(f)] for m, f, _ in per_feature)
    exact = sum(w * theirs[f] for f, w in mine[:QUERY_FEATURES])
    assert score == pytest.approx(exact, abs=1e-4)
