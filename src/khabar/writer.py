"""The write stage: store one analyzed article, link it to its copies, put it in a story.

Runs in the process that writes (one writer per database). A new article is linked to the
copies storage already holds (:func:`khabar.dedupe.link.link_copies`) and then assigned to a
story (:class:`khabar.stories.link.StoryLinker`, a republication joins its original's story).
Then the rules run on it (:class:`khabar.rules.RuleEngine`: hide, mark, queue alerts).
An article seen before is only updated: its copies, story and rule hits stay as they were.

:func:`article_writer` picks the writer for a storage: on SQLite an :class:`ArticleWriter`
(SQLite has one writer at a time anyway); on PostgreSQL, where ``khabar worker`` processes
on other machines may write at the same moment, the
:class:`~khabar.distributed.writelock.SerializedWriter` every worker uses — so ``khabar
update``, ``run`` and ``import`` take the same database-wide write lock and keep the same
write log, and two copies of one story written by a worker and by ``khabar update`` at once
still end as one original and one republication.
"""

from __future__ import annotations

import dataclasses
import sys
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Protocol

from khabar.dedupe.link import link_copies
from khabar.dedupe.original import credited_outlet
from khabar.rules import RuleEngine
from khabar.settings import Settings
from khabar.storage import StorageType, UpsertOutcome
from khabar.stories.link import StoryLinker, cluster_settings
from khabar.stories.related import features_of
from khabar.types import (
    AnalyzedArticle,
    Article,
    ArticleDraft,
    ExtractedArticle,
    FeedEntry,
    Link,
    LinkKind,
    PageLink,
    Source,
)

__all__ = [
    "MAX_EMBEDS",
    "MAX_LINKS",
    "ArticleWriter",
    "Writer",
    "article_writer",
    "draft_from",
    "page_links",
]

MAX_LINKS = 20
"""Links kept of each kind (a "most read" box can list dozens)."""
MAX_EMBEDS = 30
"""Embedded posts kept of one article (a live blog can embed hundreds)."""

_POSTGRES = "khabar.storage.postgres.storage"


class Writer(Protocol):
    """The write stage as the pipeline sees it."""

    def write(
        self, source: Source, entry: FeedEntry, analyzed: AnalyzedArticle
    ) -> UpsertOutcome: ...


def article_writer(storage: StorageType, settings: Settings) -> Writer:
    """The writer for ``storage``: serialized across processes on PostgreSQL (see above)."""
    # A PostgresStorage exists only once its module is loaded: SQLite users never import
    # psycopg or the distributed package here (and writelock imports this module).
    if _POSTGRES in sys.modules:
        from khabar.storage.postgres.storage import PostgresStorage

        if isinstance(storage, PostgresStorage):
            from khabar.distributed.writelock import SerializedWriter

            return SerializedWriter(storage, settings)
    return ArticleWriter(storage, settings)


@dataclass
class ArticleWriter:
    storage: StorageType
    settings: Settings
    _stories: StoryLinker | None = field(default=None, init=False)
    _rules: RuleEngine | None = field(default=None, init=False)

    @property
    def stories(self) -> StoryLinker:
        """The story linker, resumed from storage on first use."""
        if self._stories is None:
            window = cluster_settings(self.settings.story_window_hours)
            self._stories = StoryLinker(self.storage, window)
        return self._stories

    @property
    def rules(self) -> RuleEngine:
        """The rules (hide, mark, alert), read from storage on first use."""
        if self._rules is None:
            self._rules = RuleEngine(self.storage, entities_of=self._entity_keys)
        return self._rules

    def _entity_keys(self, article: Article) -> list[str]:
        return [e.key for e in self.storage.article_entities(article.id)]

    def write(self, source: Source, entry: FeedEntry, analyzed: AnalyzedArticle) -> UpsertOutcome:
        """Store one analyzed entry; a new one is linked to its copies and its story.

        All in one transaction: a crash between storing and linking leaves nothing behind
        (an article stored unlinked would be skipped by every later update as already seen).
        A failure drops the in-memory stories, which may hold the rolled-back assignment."""
        try:
            with self.storage.one_transaction():
                return self.write_linked(source, entry, analyzed)
        except BaseException:
            self._stories = None
            raise

    def write_linked(
        self, source: Source, entry: FeedEntry, analyzed: AnalyzedArticle
    ) -> UpsertOutcome:
        """:meth:`write` inside a transaction the caller holds."""
        outcome = self.storage.upsert_article(draft_from(source, entry, analyzed))
        if not outcome.created:
            return outcome
        window = timedelta(hours=self.settings.dedupe_window_hours)
        linked = link_copies(self.storage, outcome.article.id, window)
        story = self.stories.assign(linked, analyzed.story_vector)
        article = dataclasses.replace(linked, story_id=story.id)
        article = self.rules.apply(article, story, [e.key for e in analyzed.entities])
        return dataclasses.replace(outcome, article=article)


def draft_from(source: Source, entry: FeedEntry, analyzed: AnalyzedArticle) -> ArticleDraft:
    """What gets stored for one entry: the feed's date first, then the page's."""
    article = analyzed.extracted
    author = entry.author or article.author
    return ArticleDraft(
        source_id=source.id,
        key=entry.key,
        url=entry.url,
        title=article.title or entry.title or entry.url,
        text=article.text,
        html=article.html,
        summary=entry.summary,
        canonical_url=article.canonical_url,
        guid=entry.guid,
        author=author,
        published=entry.published or article.published,
        updated=entry.updated or article.updated,
        image=article.image or entry.image,
        language=article.language or entry.language,
        categories=tuple(dict.fromkeys((*entry.categories, *article.tags))),
        extraction_error=article.error,
        section=analyzed.section,
        section_confidence=analyzed.section_confidence,
        section_decided_by=analyzed.section_decided_by,
        fingerprint=analyzed.fingerprint,
        credited=credited_outlet(article.attribution, author, own=source.title),
        features=features_of(analyzed.story_vector),
        entities=analyzed.entities,
        keywords=analyzed.keywords,
        links=page_links(article),
        embeds=article.embeds[:MAX_EMBEDS],
    )


def page_links(article: ExtractedArticle) -> tuple[PageLink, ...]:
    """The page's read-also and related links worth keeping: web addresses with a title,
    each once per kind, at most :data:`MAX_LINKS` of a kind, in page order."""
    return (*_links("read_also", article.read_also), *_links("related", article.related))


def _links(kind: LinkKind, links: tuple[Link, ...]) -> list[PageLink]:
    kept: dict[str, PageLink] = {}
    for link in links:
        url, title = (link.url or "").strip(), " ".join(link.title.split())
        if title and url.lower().startswith(("http://", "https://")) and url not in kept:
            kept[url] = PageLink(kind, title, url)
    return list(kept.values())[:MAX_LINKS]
