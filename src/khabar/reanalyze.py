"""Analyze stored articles again (``khabar reanalyze``).

After ``khabar sections train`` and a new ``section_model``, or for articles stored before an
analysis existed (a database older than sections, entities or related articles), this runs
the analyze stage on what is stored — title, text, language, categories — and replaces what
analysis decided: section, fingerprint, related-article features, entities and keywords.
Text, dates, copies, stories and rule hits stay as they are. Articles go newest first, so an
interrupted run has already renewed the ones readers see; running it again is harmless.

When a source's first article comes up, the source's own section shares are estimated from
its stored articles, without labels (the newest
:data:`~khabar.analyze.section_priors.SAMPLE`, at least
:data:`~khabar.analyze.section_priors.MIN_ARTICLES`; :mod:`khabar.analyze.section_priors`),
and the model's probabilities for that source's articles are adjusted to them. The shares are
stored with the source (``Source.section_priors``), so its new articles are classified with
them too, until the next run estimates them again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from khabar.analyze.article import analyze_article
from khabar.analyze.section_priors import priors_of_articles
from khabar.analyze.sections import default_classifier
from khabar.errors import KhabarError
from khabar.storage import ArticleFilter, StorageType
from khabar.stories.related import features_of
from khabar.types import AnalyzedArticle, Article, ArticleDraft, ExtractedArticle

__all__ = ["ReanalyzeReport", "analysis_draft", "reanalyze", "stored_as_extracted"]

PAGE = 200


@dataclass(frozen=True, slots=True)
class ReanalyzeReport:
    seen: int
    """Articles read (hidden ones and copies included)."""
    analyzed: int
    """Articles whose analysis was replaced."""
    sections_changed: int
    """Of those, how many changed section."""
    errors: tuple[str, ...] = ()
    """One line per article that could not be analyzed, naming it."""


def reanalyze(
    storage: StorageType,
    *,
    section_model: str = "",
    source_id: int | None = None,
    only_missing: bool = False,
    limit: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> ReanalyzeReport:
    """Analyze stored articles again, newest first; ``only_missing``: those without a
    section (stored before sections existed). ``progress`` gets the count read so far.
    Each page of articles is saved in one transaction."""
    tally = _Tally()
    priors = _SourcePriors(storage, section_model)
    for page in _pages(storage, source_id, limit):
        wanted = [a for a in page if not (only_missing and a.section is not None)]
        fresh = _analyze(wanted, section_model, priors, tally.errors)
        with storage.one_transaction():
            for article, analyzed in fresh:
                storage.save_analysis(article.id, analysis_draft(article, analyzed))
        tally.add(len(page), fresh)
        if progress is not None:
            progress(tally.seen)
    storage.search.update()
    return ReanalyzeReport(tally.seen, tally.analyzed, tally.changed, tuple(tally.errors))


@dataclass
class _Tally:
    seen: int = 0
    analyzed: int = 0
    changed: int = 0
    errors: list[str] = field(default_factory=list)

    def add(self, read: int, fresh: list[tuple[Article, AnalyzedArticle]]) -> None:
        self.seen += read
        self.analyzed += len(fresh)
        self.changed += sum(a.section != analyzed.section for a, analyzed in fresh)


@dataclass
class _SourcePriors:
    """Each source's estimated section shares, computed when its first article comes up."""

    storage: StorageType
    section_model: str
    known: dict[int, dict[str, float] | None] = field(default_factory=dict)

    def get(self, source_id: int) -> dict[str, float] | None:
        if source_id not in self.known:
            path = Path(self.section_model) if self.section_model else None
            model = default_classifier(path).model
            texts = (_title_text(a) for page in _stored(self.storage, source_id) for a in page)
            self.known[source_id] = priors_of_articles(model, texts)
            self.storage.set_section_priors(source_id, self.known[source_id])
        return self.known[source_id]


def _title_text(article: Article) -> tuple[str, str]:
    """The title and text the analyze stage reads for a stored article."""
    return article.title or "", stored_as_extracted(article).text


def _analyze(
    articles: list[Article],
    section_model: str,
    priors: _SourcePriors,
    errors: list[str],
) -> list[tuple[Article, AnalyzedArticle]]:
    """Each article with its new analysis; one that cannot be analyzed is named in ``errors``."""
    fresh = []
    for article in articles:
        extracted = stored_as_extracted(article)
        try:
            analyzed = analyze_article(
                extracted,
                None,
                section_model=section_model,
                section_priors=priors.get(article.source_id),
            )
            fresh.append((article, analyzed))
        except (KhabarError, ValueError) as exc:
            errors.append(f"article {article.id} ({article.url}): {exc}")
    return fresh


def _pages(
    storage: StorageType, source_id: int | None, limit: int | None
) -> Iterator[list[Article]]:
    """Pages of stored articles, newest first, ``limit`` in all."""
    left = limit
    for page in _stored(storage, source_id):
        if left is not None:
            page = page[:left]
            left -= len(page)
        if page:
            yield page
        if left == 0:
            return


def _stored(storage: StorageType, source_id: int | None) -> Iterator[list[Article]]:
    """Every stored article, newest first, page by page (saving analysis keeps its place)."""
    cursor = None
    while True:
        page = storage.list_articles(
            ArticleFilter(
                source_id=source_id,
                limit=PAGE,
                before=cursor,
                fold_copies=False,
                include_hidden=True,
            )
        )
        if page:
            yield page
        if len(page) < PAGE:
            return
        cursor = (page[-1].sort_time, page[-1].id)


def stored_as_extracted(article: Article) -> ExtractedArticle:
    """What the analyze stage needs, as extraction would have given it."""
    return ExtractedArticle(
        url=article.url,
        title=article.title,
        paragraphs=article.paragraphs,
        canonical_url=article.canonical_url,
        language=article.language,
        tags=article.categories,
        published=article.published,
    )


def analysis_draft(article: Article, analyzed: AnalyzedArticle) -> ArticleDraft:
    """The stored article with ``analyzed``'s decisions (what ``save_analysis`` writes)."""
    return ArticleDraft(
        source_id=article.source_id,
        key=article.key,
        url=article.url,
        title=article.title,
        text=article.text,
        canonical_url=article.canonical_url,
        published=article.published,
        language=article.language,
        categories=article.categories,
        credited=article.credited,
        section=analyzed.section,
        section_confidence=analyzed.section_confidence,
        section_decided_by=analyzed.section_decided_by,
        fingerprint=analyzed.fingerprint,
        features=features_of(analyzed.story_vector),
        entities=analyzed.entities,
        keywords=analyzed.keywords,
    )
