"""The dedupe stage: fingerprint an article's body, then link a stored article to its copies.

:func:`article_fingerprint` runs where the CPU is (the extraction workers);
:func:`link_copies` runs in the writer right after a new article is stored: storage proposes
the known articles that may be copies (same canonical URL, same content hash, a shared LSH
band within the time window), :func:`~khabar.dedupe.decide.decide` decides, storage records it.
"""

from __future__ import annotations

from datetime import timedelta
from functools import cache
from typing import TYPE_CHECKING

from khabar.dedupe.decide import DedupeDecision, decide
from khabar.dedupe.fingerprint import Fingerprint, MinHasher, fingerprint
from khabar.dedupe.thresholds import load_thresholds
from khabar.types import Article

if TYPE_CHECKING:
    from khabar.storage.protocol import StorageType

__all__ = ["article_fingerprint", "link_copies"]


@cache
def _hasher() -> MinHasher:
    return MinHasher(load_thresholds().num_perm)


def article_fingerprint(text: str) -> Fingerprint:
    """The fingerprint dedupe compares: the shipped table's shingles and permutations."""
    return fingerprint(text, _hasher(), load_thresholds().shingles)


def link_copies(storage: StorageType, article_id: int, window: timedelta) -> Article:
    """Decide whether stored article ``article_id`` copies another one and record it."""
    candidate, known = storage.copy_candidates(article_id, window)
    decision: DedupeDecision = decide(candidate, known, load_thresholds())
    return storage.record_copy(article_id, decision)
