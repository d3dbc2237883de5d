"""The dedupe decision: is an arriving article new, a duplicate, or a republication?

Pure: :func:`decide` sees the candidate and the known articles the caller found for it (by
canonical URL, content hash and :class:`~khabar.dedupe.index.NearDuplicateIndex` candidates,
within whatever time window storage applies) and returns a :class:`DedupeDecision`.

Levels, first match wins:

1. **Same article by URL** — a canonical URL (of the address or the page's canonical link) is
   shared: ``duplicate``.
2. **Same content** — equal content hashes, or an estimated shingle Jaccard at or above
   ``near_duplicate_jaccard`` (``data/dedupe/thresholds.toml``): ``duplicate`` when the copy
   is from the same outlet, ``republication`` when another outlet published it.

The **original** of a group: the outlet an article credits (attribution or byline) wins — the
candidate's credit first, then a matched article's — even an outlet we do not follow, recorded
by name; otherwise the earliest published copy. ``original`` is None when the candidate is its
own original; ``now_republications`` then lists matched articles published after it that
credit nobody, which storage should re-point to the candidate.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Final, Literal

from khabar.dedupe.fingerprint import Fingerprint, estimate_jaccard
from khabar.dedupe.original import outlet_name
from khabar.dedupe.thresholds import Thresholds, load_thresholds
from khabar.dedupe.urls import canonical_url

__all__ = [
    "Candidate",
    "DecisionKind",
    "DedupeDecision",
    "Known",
    "MatchReason",
    "Original",
    "decide",
]

DecisionKind = Literal["new", "duplicate", "republication"]
MatchReason = Literal["none", "url", "content_hash", "near_duplicate"]
_LATEST: Final = datetime.max.replace(tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class Candidate:
    """The arriving article, as dedupe needs it.

    ``source`` is the name of the outlet it came from; ``credited`` the outlet it names as its
    original (:func:`khabar.dedupe.original.credited_outlet`), if any.
    """

    url: str
    source: str
    fingerprint: Fingerprint
    published: datetime | None = None
    canonical_url: str | None = None
    credited: str | None = None


@dataclass(frozen=True, slots=True)
class Known:
    """An article storage already holds, with its id."""

    id: int
    url: str
    source: str
    fingerprint: Fingerprint
    published: datetime | None = None
    canonical_url: str | None = None
    credited: str | None = None


@dataclass(frozen=True, slots=True)
class Original:
    """Where a group of copies first appeared: an outlet by name, and our copy of it if held."""

    outlet: str
    article_id: int | None = None


@dataclass(frozen=True, slots=True)
class DedupeDecision:
    kind: DecisionKind
    of: int | None = None
    """The closest known copy (None when new)."""
    original: Original | None = None
    """None: the candidate is its own original."""
    similarity: float = 0.0
    reason: MatchReason = "none"
    now_republications: tuple[int, ...] = ()

    @property
    def duplicate_of(self) -> int | None:
        return self.of if self.kind == "duplicate" else None

    @property
    def republication_of(self) -> int | None:
        return self.of if self.kind == "republication" else None


@dataclass(frozen=True, slots=True)
class _Match:
    known: Known
    similarity: float
    reason: MatchReason


def decide(
    candidate: Candidate, known: Sequence[Known], thresholds: Thresholds | None = None
) -> DedupeDecision:
    """The decision for ``candidate`` against ``known`` (see the module docstring)."""
    thresholds = thresholds or load_thresholds()
    by_url = _url_match(candidate, known)
    if by_url is not None:
        return DedupeDecision(
            "duplicate", by_url.id, _original(candidate, [by_url]).original, 1.0, "url"
        )
    matches = _content_matches(candidate, known, thresholds)
    if not matches:
        return DedupeDecision("new", original=_credited_original(candidate, []))
    best = max(matches, key=lambda m: (m.similarity, -_time(m.known.published).timestamp()))
    same = outlet_name(best.known.source) == outlet_name(candidate.source)
    picked = _original(candidate, [m.known for m in matches])
    return DedupeDecision(
        "duplicate" if same else "republication",
        best.known.id,
        picked.original,
        best.similarity,
        best.reason,
        picked.now_republications,
    )


def _url_keys(url: str, canonical: str | None) -> set[str]:
    return {canonical_url(u) for u in (url, canonical) if u}


def _url_match(candidate: Candidate, known: Sequence[Known]) -> Known | None:
    keys = _url_keys(candidate.url, candidate.canonical_url)
    same = [k for k in known if keys & _url_keys(k.url, k.canonical_url)]
    return min(same, key=lambda k: (_time(k.published), k.id)) if same else None


def _content_matches(
    candidate: Candidate, known: Sequence[Known], thresholds: Thresholds
) -> list[_Match]:
    mine = candidate.fingerprint
    if mine.shingle_count < thresholds.min_shingles:
        return []
    found: list[_Match] = []
    for other in known:
        theirs = other.fingerprint
        if theirs.shingle_count < thresholds.min_shingles:
            continue
        if theirs.content_hash == mine.content_hash:
            found.append(_Match(other, 1.0, "content_hash"))
            continue
        similarity = estimate_jaccard(mine.signature, theirs.signature)
        if similarity >= thresholds.near_duplicate_jaccard:
            found.append(_Match(other, similarity, "near_duplicate"))
    return found


@dataclass(frozen=True, slots=True)
class _Picked:
    original: Original | None
    now_republications: tuple[int, ...] = ()


def _original(candidate: Candidate, group: Sequence[Known]) -> _Picked:
    credited = _credited_original(candidate, group)
    if credited is not None or candidate.credited is not None:
        return _Picked(credited)
    for other in sorted(group, key=lambda k: (_time(k.published), k.id)):
        if other.credited is not None:
            return _Picked(_credited_original(other, group, own_id=other.id))
    earliest = min(group, key=lambda k: (_time(k.published), k.id))
    if _time(earliest.published) <= _time(candidate.published):
        return _Picked(Original(outlet_name(earliest.source), earliest.id))
    later = tuple(k.id for k in group if k.credited is None)
    return _Picked(None, later)


def _credited_original(
    article: Candidate | Known, group: Iterable[Known], own_id: int | None = None
) -> Original | None:
    """The original ``article`` credits, with our copy from that outlet if the group has one.

    None when it credits nobody, or credits its own outlet (it is then its own original;
    ``own_id`` says which known article that is).
    """
    if article.credited is None:
        return None
    outlet = outlet_name(article.credited)
    if outlet == outlet_name(article.source):
        return Original(outlet, own_id) if own_id is not None else None
    held = [k for k in group if outlet_name(k.source) == outlet]
    first = min(held, key=lambda k: (_time(k.published), k.id)) if held else None
    return Original(outlet, first.id if first else None)


def _time(moment: datetime | None) -> datetime:
    return moment if moment is not None else _LATEST
