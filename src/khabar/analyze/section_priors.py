"""Each source's own section shares, estimated from its unlabelled articles.

The section model is calibrated for the mix of sections it was trained on (its
:attr:`~khabar.analyze.section_model.SectionModel.prior`), but every outlet has its own mix:
France 24 files almost everything under world news and has a tiny economy desk, Sky News has
no culture desk, Al Arabiya publishes as much sport as politics. Knowing a source's mix turns
"economy or politics?" cases toward what that source mostly publishes.

:func:`estimate_priors` finds the mix without any label, by expectation-maximization over the
model's probabilities for the source's stored articles (Saerens, Latinne & Decaestecker,
"Adjusting the outputs of a classifier to new a priori probabilities", Neural Computation 14,
2002): reweight each article's probabilities by current shares / training shares, take the
mean as the new shares, repeat until stable. The estimate is then shrunk toward the training
shares (geometric mix, :data:`SHRINK`), and none is made from fewer than
:data:`MIN_ARTICLES` articles. ``khabar reanalyze`` uses it per source
(:func:`khabar.reanalyze.reanalyze`). Both constants were chosen by nested leave-one-outlet-out
on ANT's training outlets only (bench/RESULTS.md, "Sections, third pass").
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping
from typing import Final

import numpy as np
import numpy.typing as npt

from khabar.analyze.section_model import SectionModel

__all__ = ["MIN_ARTICLES", "SAMPLE", "SHRINK", "estimate_priors", "priors_of_articles"]

MIN_ARTICLES: Final = 300
"""Fewer articles than this: no estimate (100 articles made leave-one-outlet-out worse)."""
SHRINK: Final = 0.75
"""Weight of the EM estimate against the training shares (geometric): 0 ignores the source."""
SAMPLE: Final = 2000
"""At most this many of a source's articles are read (the newest, in ``khabar reanalyze``)."""
MAX_ITERATIONS: Final = 200
TOLERANCE: Final = 1e-6


def estimate_priors(
    model: SectionModel, probabilities: Iterable[Mapping[str, float]]
) -> dict[str, float] | None:
    """The source's section shares from the model's probabilities for its articles (without
    ``priors``); None with fewer than :data:`MIN_ARTICLES` or a model that lacks its prior."""
    if model.prior is None:
        return None
    rows = np.array([[p[c] for c in model.classes] for p in probabilities], dtype=np.float64)
    if len(rows) < MIN_ARTICLES:
        return None
    prior = np.asarray(model.prior, dtype=np.float64)
    shares = _em(rows, prior)
    mixed = prior ** (1.0 - SHRINK) * shares**SHRINK
    mixed /= mixed.sum()
    return {c: float(s) for c, s in zip(model.classes, mixed, strict=True)}


def priors_of_articles(
    model: SectionModel, articles: Iterable[tuple[str, str]]
) -> dict[str, float] | None:
    """:func:`estimate_priors` from a source's articles as (title, text), the first
    :data:`SAMPLE` of them."""
    if model.prior is None:
        return None
    sample = itertools.islice(articles, SAMPLE)
    return estimate_priors(model, (model.probabilities(title, text) for title, text in sample))


def _em(rows: npt.NDArray[np.float64], prior: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """Saerens et al.'s EM: the class shares under which ``rows`` (posteriors under
    ``prior``) are self-consistent."""
    shares = prior.copy()
    for _ in range(MAX_ITERATIONS):
        weighted = rows * (shares / prior)
        weighted /= weighted.sum(axis=1, keepdims=True)
        new = weighted.mean(axis=0)
        done = float(np.abs(new - shares).max()) < TOLERANCE
        shares = new
        if done:
            break
    return shares
