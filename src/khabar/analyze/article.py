"""The analyze stage: ExtractedArticle → AnalyzedArticle (pure; the model is shipped data)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from khabar.analyze.entities import extract_entities
from khabar.analyze.keywords import extract_keywords
from khabar.analyze.sections import default_classifier
from khabar.dedupe.link import article_fingerprint
from khabar.stories.link import story_vector
from khabar.types import AnalyzedArticle, ExtractedArticle, FeedEntry

__all__ = ["analyze_article"]


def analyze_article(
    article: ExtractedArticle,
    entry: FeedEntry | None,
    *,
    section_model: str = "",
    section_priors: Mapping[str, float] | None = None,
) -> AnalyzedArticle:
    """Decide what analysis knows about ``article``: section, fingerprint, story vector and,
    for Arabic text, its entities and keywords (the gazetteers and patterns are Arabic).
    ``section_priors``: the source's section shares, when estimated (``khabar reanalyze``)."""
    categories = entry.categories if entry is not None else ()
    title = article.title or (entry.title if entry else None) or ""
    decision = default_classifier(Path(section_model) if section_model else None).classify(
        title,
        article.text,
        feed_categories=(*categories, *article.tags),
        url=article.url,
        priors=section_priors,
    )
    arabic = (article.language or "ar").split("-")[0] == "ar"
    entities = tuple(extract_entities(title, article.text)) if arabic else ()
    keywords = tuple(extract_keywords(title, article.text)) if arabic else ()
    return AnalyzedArticle(
        extracted=article,
        section=decision.section,
        section_confidence=decision.confidence,
        section_decided_by=decision.decided_by,
        fingerprint=article_fingerprint(article.text),
        story_vector=story_vector(title, article.text, tuple(e.key for e in entities)),
        entities=entities,
        keywords=keywords,
    )
