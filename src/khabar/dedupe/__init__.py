"""Dedupe levels 1-2: same article (URL, content) and republication with the original credited.

Pure: nothing here reads storage or the network. The pipeline fingerprints an article, asks
storage (or a :class:`NearDuplicateIndex`) for known articles sharing a canonical URL, a content
hash or an LSH band, and calls :func:`decide`.
"""

from khabar.dedupe.decide import Candidate, DedupeDecision, Known, Original, decide
from khabar.dedupe.fingerprint import Fingerprint, MinHasher, content_hash, fingerprint
from khabar.dedupe.index import NearDuplicateIndex
from khabar.dedupe.original import credited_outlet, outlet_name
from khabar.dedupe.thresholds import Thresholds, load_thresholds
from khabar.dedupe.urls import canonical_url

__all__ = [
    "Candidate",
    "DedupeDecision",
    "Fingerprint",
    "Known",
    "MinHasher",
    "NearDuplicateIndex",
    "Original",
    "Thresholds",
    "canonical_url",
    "content_hash",
    "credited_outlet",
    "decide",
    "fingerprint",
    "load_thresholds",
    "outlet_name",
]
