"""The write stage: store one analyzed article, link it to its copies, put it in a story.

Runs in the process that writes (one writer per database). A new article is linked to the
copies storage already holds (:func:`khabar.dedupe.link.link_copies`) and then assigned to a
story (:class:`khabar.stories.link.StoryLinker`, a republication joins its original's story).
Then the rules run on it (:class:`khabar.rules.RuleEngine`: hide, mark, queue alerts).
An article seen before is only updated: its copies, story and rule hits stay as they were.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import timedelta

from khabar.dedupe.link import link_copies
from khabar.dedupe.original import credited_outlet
from khabar.rules import RuleEngine
from khabar.settings import Settings
from khabar.storage import StorageType, UpsertOutcome
from khabar.stories.link import StoryLinker, cluster_settings
from khabar.stories.related import features_of
from khabar.types import AnalyzedArticle, Article, ArticleDraft, FeedEntry, Source

__all__ = ["ArticleWriter", "draft_from"]


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
        """Store one analyzed entry; a new one is linked to its copies and its story."""
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
    )
