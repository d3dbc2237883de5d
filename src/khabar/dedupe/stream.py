"""Dedupe over a stream of articles held in memory (``khabar process``, benchmarks).

The same candidate rules as storage: a shared canonical URL or content hash at any distance in
time, or a shared LSH band within ``window``; :func:`~khabar.dedupe.decide.decide` decides.
Articles are numbered in arrival order; the caller maps numbers back to its own ids.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

from khabar.dedupe.decide import Candidate, DedupeDecision, Known, decide
from khabar.dedupe.index import NearDuplicateIndex
from khabar.dedupe.thresholds import Thresholds, load_thresholds
from khabar.dedupe.urls import canonical_url

__all__ = ["CopyStream"]


@dataclass
class CopyStream:
    """Decides each arriving article against every earlier one (not thread-safe)."""

    window: timedelta = timedelta(hours=168)
    thresholds: Thresholds = field(default_factory=load_thresholds)
    _known: list[Known] = field(default_factory=list)
    _by_url: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    _by_hash: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    _index: NearDuplicateIndex[int] = field(init=False)

    def __post_init__(self) -> None:
        self._index = NearDuplicateIndex(self.thresholds.lsh_bands)

    def add(self, candidate: Candidate) -> tuple[int, DedupeDecision]:
        """Decide ``candidate`` against the articles seen so far, then remember it."""
        number = len(self._known)
        decision = decide(candidate, self._candidates(candidate), self.thresholds)
        self._remember(number, candidate)
        return number, decision

    def _candidates(self, candidate: Candidate) -> list[Known]:
        found: set[int] = set()
        for key in _url_keys(candidate):
            found.update(self._by_url.get(key, ()))
        fp = candidate.fingerprint
        if fp.shingle_count >= self.thresholds.min_shingles:
            found.update(self._by_hash.get(fp.content_hash, ()))
            found.update(n for n in self._index.query(fp.signature) if self._near(n, candidate))
        return [self._known[n] for n in sorted(found)]

    def _near(self, number: int, candidate: Candidate) -> bool:
        theirs, mine = self._known[number].published, candidate.published
        return theirs is None or mine is None or abs(theirs - mine) <= self.window

    def _remember(self, number: int, candidate: Candidate) -> None:
        self._known.append(
            Known(
                number,
                candidate.url,
                candidate.source,
                candidate.fingerprint,
                candidate.published,
                candidate.canonical_url,
                candidate.credited,
            )
        )
        for key in _url_keys(candidate):
            self._by_url[key].append(number)
        fp = candidate.fingerprint
        if fp.shingle_count >= self.thresholds.min_shingles:
            self._by_hash[fp.content_hash].append(number)
            self._index.add(number, fp.signature)


def _url_keys(candidate: Candidate) -> set[str]:
    return {canonical_url(u) for u in (candidate.url, candidate.canonical_url) if u}
