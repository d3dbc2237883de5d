"""Which section an article belongs to, and what decided it.

Khabar's section keys are fixed (the API and ``khabar process`` use them; the interface shows
the Arabic names of :data:`SECTION_NAMES`). Four layers, tried in this order; the first that
answers decides, and :attr:`SectionDecision.decided_by` says which:

1. ``feed`` — the outlet's own specific desk (a *strong* feed category such as رياضة or a
   section URL path such as ``/sport/``): the editor already decided.
2. ``rules`` — a strong keyword-lexicon match for a section the model was not trained on
   (health, society have no training data): at least :data:`RULE_MIN_KEYWORDS` distinct
   keywords, a score of at least :data:`RULE_MIN_SCORE`, no other section's score close, and
   the model less than :data:`RULE_OVERRIDE_BELOW_DEFAULT` sure of its own answer (war reports
   name diseases and vaccines; the model is sure they are politics) — except over a
   "technology" answer (:data:`RULE_OVERRIDE_BELOW`).
3. ``model`` — the trained model, when its calibrated confidence reaches the model's threshold
   (chosen at training on outlets the model had not seen; stored in the model file). Given
   the source's section shares (``priors``, which ``khabar reanalyze`` estimates from the
   source's stored articles), the probabilities are adjusted to them first.
4. ``feed`` (a *weak* desk such as العالم → politics) or ``rules`` (the best lexicon section
   with a clear lead, score ≥ :data:`RULE_FALLBACK_MIN_SCORE`), as fallbacks for a model that
   is not confident.

On the 2,421 ANT held-out articles (no URL or feed given), see bench/RESULTS.md for how often
each layer decided.

Otherwise the section is ``other`` (غير مصنف) with ``decided_by="none"``. ``confidence`` is the
model's calibrated probability whenever the model was consulted and agrees; the feed and rule
layers report fixed, uncalibrated confidences (:data:`FEED_CONFIDENCE` …) — they are editorial
or keyword evidence, not probabilities.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Final, Literal

from khabar.analyze.section_keys import OTHER, SECTION_NAMES, SECTIONS
from khabar.analyze.section_model import SectionModel
from khabar.analyze.section_rules import FeedHint, FeedMap, Lexicon, RuleScore
from khabar.search.analyzer import analyze

__all__ = [
    "OTHER",
    "SECTIONS",
    "SECTION_NAMES",
    "DecidedBy",
    "SectionClassifier",
    "SectionDecision",
    "default_classifier",
    "shipped_model_path",
]


DecidedBy = Literal["model", "rules", "feed", "none"]

FEED_CONFIDENCE: Final = {"strong": 0.95, "weak": 0.6}
RULE_MIN_KEYWORDS: Final = 3
RULE_MIN_SCORE: Final = 5
RULE_LEAD: Final = 2.0
"""A rule section must score at least this many times the next section's score."""
RULE_OVERRIDE_BELOW_DEFAULT: Final = 0.9
RULE_OVERRIDE_BELOW: Final[Mapping[str, float]] = {"technology": 1.01}
"""Per model answer: strong rules override it only below this confidence. ANT's technology
desks (Sky News "تكنولوجيا") carry health and science news, so the model calls health
"technology" with confidence; rules may always override that answer."""
RULE_FALLBACK_MIN_SCORE: Final = 3
RULE_CONFIDENCE: Final = {"strong": 0.8, "fallback": 0.5}


@dataclass(frozen=True, slots=True)
class SectionDecision:
    """The section of one article, the confidence, which layer decided and its evidence."""

    section: str
    confidence: float
    decided_by: DecidedBy
    evidence: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        """The section's Arabic name for the interface."""
        return SECTION_NAMES[self.section]


@dataclass(frozen=True, slots=True, eq=False)
class SectionClassifier:
    """Pure section choice from an article's title, text, feed categories and URL."""

    model: SectionModel
    feeds: FeedMap
    lexicon: Lexicon

    def classify(
        self,
        title: str,
        text: str,
        *,
        feed_categories: Iterable[str] = (),
        url: str | None = None,
        priors: Mapping[str, float] | None = None,
    ) -> SectionDecision:
        """``priors``: the source's own section shares (:mod:`khabar.analyze.section_priors`),
        if known; the model's probabilities are adjusted to them."""
        hint = self.feeds.hint(feed_categories, url)
        if hint is not None and hint.strength == "strong":
            return _from_feed(hint)
        title_terms, body_terms = analyze(title), analyze(text)  # once for model and rules
        probs = self.model.probabilities_of_terms(title_terms, body_terms, priors)
        best = max(probs, key=probs.__getitem__)
        scored = self.lexicon.scores_of_terms(title_terms, body_terms)
        rules = [r for r in scored if r.section not in probs]
        if probs[best] < RULE_OVERRIDE_BELOW.get(best, RULE_OVERRIDE_BELOW_DEFAULT):
            override = _rule_override(rules)
            if override is not None:
                return override
        if probs[best] >= self.model.threshold:
            return SectionDecision(best, round(probs[best], 4), "model", ())
        if hint is not None:
            return _from_feed(hint)
        return _rule_fallback(rules) or SectionDecision(OTHER, round(probs[best], 4), "none")


def _rule_override(rules: list[RuleScore]) -> SectionDecision | None:
    """A strong lexicon match (for a section the model cannot predict)."""
    if not rules:
        return None
    top, runner_up = rules[0], rules[1].score if len(rules) > 1 else 0
    strong = (
        len(top.keywords) >= RULE_MIN_KEYWORDS
        and top.score >= RULE_MIN_SCORE
        and top.score >= RULE_LEAD * runner_up
    )
    if not strong:
        return None
    return SectionDecision(top.section, RULE_CONFIDENCE["strong"], "rules", top.keywords)


def _from_feed(hint: FeedHint) -> SectionDecision:
    return SectionDecision(hint.section, FEED_CONFIDENCE[hint.strength], "feed", (hint.evidence,))


def _rule_fallback(rules: list[RuleScore]) -> SectionDecision | None:
    if not rules or rules[0].score < RULE_FALLBACK_MIN_SCORE:
        return None
    if len(rules) > 1 and rules[0].score < RULE_LEAD * rules[1].score:
        return None
    top = rules[0]
    return SectionDecision(top.section, RULE_CONFIDENCE["fallback"], "rules", top.keywords)


def shipped_model_path() -> Path:
    """The section model shipped in the package."""
    return Path(str(resources.files("khabar").joinpath("data", "sections", "model.npz")))


@functools.lru_cache(maxsize=4)
def default_classifier(model_path: Path | None = None) -> SectionClassifier:
    """The classifier with the model at ``model_path`` (the ``section_model`` setting), or
    the shipped one; each loaded once per process."""
    model = SectionModel.load(model_path or shipped_model_path())
    return SectionClassifier(model, FeedMap.shipped(), Lexicon.shipped())
