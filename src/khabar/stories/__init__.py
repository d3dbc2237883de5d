"""Dedupe level 3: stories — different articles about the same event, across outlets.

Pure: nothing here reads storage or the network. The pipeline turns an article into a
:class:`TermVector` (:func:`load_vectorizer`), hands a :class:`StoryArticle` to a
:class:`StoryClusterer` and stores the :class:`StoryAssignment` and the story's
:class:`StoryState`; a restarted process resumes from the stored active states.
"""

from khabar.stories.cluster import (
    ClusterSettings,
    Member,
    StoryArticle,
    StoryAssignment,
    StoryClusterer,
    StoryState,
)
from khabar.stories.evaluate import BCubed, bcubed
from khabar.stories.thresholds import StorySettings, load_settings, load_vectorizer
from khabar.stories.vectors import (
    DocumentFrequencies,
    TermVector,
    Vectorizer,
    VectorSettings,
    content_terms,
    load_document_frequencies,
    with_dense,
)

__all__ = [
    "BCubed",
    "ClusterSettings",
    "DocumentFrequencies",
    "Member",
    "StoryArticle",
    "StoryAssignment",
    "StoryClusterer",
    "StorySettings",
    "StoryState",
    "TermVector",
    "VectorSettings",
    "Vectorizer",
    "bcubed",
    "content_terms",
    "load_document_frequencies",
    "load_settings",
    "load_vectorizer",
    "with_dense",
]
