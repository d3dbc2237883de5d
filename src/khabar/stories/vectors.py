"""An article's representation for story clustering: a sparse, L2-normalised TF-IDF vector.

Terms are the search analyzer's (:func:`khabar.search.analyzer.term`: ``stem`` profile,
light stem, ة → ه) with stopwords, URLs and one-letter tokens dropped. Each distinct term
weighs ``(1 + ln tf) * idf``, where ``tf`` counts title occurrences ``title_weight`` times
and the body is read up to ``text_chars`` characters (the lead names the event). IDF comes
from a shipped document-frequency table built from the ANT corpus (``build_df``); a term
missing from it counts as seen in no document (the highest IDF: rare names are the most
telling). Entity names, when the caller has them, become extra features (``entity:`` + the
search-normalized name) of weight ``entity_weight`` × that highest IDF. Only the
``max_terms`` heaviest features are kept, then the vector is scaled to unit length.

Feature ids are 31-bit xxh32 hashes of the feature string, so a vector is a plain
``{id: weight}`` mapping that :meth:`TermVector.to_bytes` stores in 8 bytes per feature.
Negative ids are reserved for dense embedding dimensions (:func:`with_dense`).
"""

from __future__ import annotations

import functools
import gzip
import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib.resources import files
from typing import Final

import numpy as np
import xxhash

from khabar.arabic.normalize import normalize
from khabar.arabic.stopwords import is_stopword
from khabar.arabic.tokenize import is_url, tokenize
from khabar.search.analyzer import ANALYZER_VERSION, term

__all__ = [
    "DocumentFrequencies",
    "TermVector",
    "VectorSettings",
    "Vectorizer",
    "content_terms",
    "feature_id",
    "load_document_frequencies",
    "with_dense",
]

_ID_MASK: Final = 0x7FFFFFFF
_ENTITY_PREFIX: Final = "entity:"
_BLOB_DTYPE: Final = np.dtype([("id", "<i4"), ("weight", "<f4")])
DF_TABLE: Final = "stories/df.tsv.gz"


@dataclass(frozen=True, slots=True)
class TermVector:
    """Feature id → weight (an article's vector has unit length; a story centroid is a sum).

    Treat ``weights`` as read-only.
    """

    weights: Mapping[int, float]

    def __len__(self) -> int:
        return len(self.weights)

    def dot(self, other: Mapping[int, float]) -> float:
        """Σ self·other over shared features (cosine when both are unit length)."""
        mine = self.weights
        return sum(mine[i] * other[i] for i in mine.keys() & other.keys())

    def top(self, count: int) -> list[int]:
        """Ids of the ``count`` heaviest term/entity features (ties: smaller id first).

        Dense embedding dimensions (negative ids) are never among them.
        """
        ranked = sorted(
            ((i, w) for i, w in self.weights.items() if i >= 0),
            key=lambda item: (-item[1], item[0]),
        )
        return [i for i, _ in ranked[:count]]

    def to_bytes(self) -> bytes:
        """Little-endian (int32 id, float32 weight) pairs sorted by id: 8 bytes per feature."""
        blob = np.array(sorted(self.weights.items()), dtype=_BLOB_DTYPE)
        return blob.tobytes()

    @classmethod
    def from_bytes(cls, blob: bytes) -> TermVector:
        """The vector :meth:`to_bytes` wrote (weights rounded to float32)."""
        if len(blob) % _BLOB_DTYPE.itemsize:
            raise ValueError(f"a term vector blob is a multiple of 8 bytes, not {len(blob)}")
        pairs = np.frombuffer(blob, dtype=_BLOB_DTYPE)
        ids, weights = pairs["id"].tolist(), pairs["weight"].tolist()
        return cls(dict(zip(ids, weights, strict=True)))


@dataclass(frozen=True, slots=True)
class VectorSettings:
    """How an article becomes a vector (values and evidence: ``data/stories/thresholds.toml``)."""

    title_weight: int = 3
    text_chars: int = 1500
    max_terms: int = 100
    entity_weight: float = 1.0


@dataclass(frozen=True, slots=True)
class DocumentFrequencies:
    """In how many of ``documents`` articles each term occurs (a corpus sample)."""

    documents: int
    counts: Mapping[str, int]
    analyzer_version: int = ANALYZER_VERSION

    def idf(self, term_: str) -> float:
        """Smoothed IDF: ``ln((N + 1) / (df + 1)) + 1``; an unknown term has df 0."""
        return math.log((self.documents + 1) / (self.counts.get(term_, 0) + 1)) + 1.0

    @property
    def max_idf(self) -> float:
        return math.log(self.documents + 1) + 1.0

    def to_tsv(self) -> str:
        """The table as shipped: two header lines, then ``term<TAB>df`` by falling df."""
        rows = sorted(self.counts.items(), key=lambda item: (-item[1], item[0]))
        head = f"# documents\t{self.documents}\n# analyzer_version\t{self.analyzer_version}\n"
        return head + "".join(f"{t}\t{n}\n" for t, n in rows)

    @classmethod
    def from_tsv(cls, text: str) -> DocumentFrequencies:
        header: dict[str, int] = {}
        counts: dict[str, int] = {}
        for line in text.splitlines():
            name, value = line.removeprefix("# ").split("\t")
            if line.startswith("# "):
                header[name] = int(value)
            else:
                counts[name] = int(value)
        return cls(header["documents"], counts, header["analyzer_version"])


@functools.cache
def load_document_frequencies() -> DocumentFrequencies:
    """The shipped table (read once per process)."""
    blob = files("khabar.data").joinpath(DF_TABLE).read_bytes()
    return DocumentFrequencies.from_tsv(gzip.decompress(blob).decode("utf-8"))


def content_terms(text: str) -> list[str]:
    """Analyzer terms of ``text`` in order, without stopwords, URLs and one-letter tokens."""
    tokens = tokenize(normalize(text, "stem"))
    return [term(t) for t in tokens if len(t) > 1 and not is_url(t) and not is_stopword(t)]


@functools.lru_cache(maxsize=200_000)
def feature_id(feature: str) -> int:
    """The 31-bit id of a term (or of ``entity:`` + a normalized entity name)."""
    return xxhash.xxh32_intdigest(feature.encode("utf-8")) & _ID_MASK


class Vectorizer:
    """Turns title + text (+ entity names) into a :class:`TermVector`. Pure and thread-safe."""

    __slots__ = ("df", "settings")

    def __init__(self, df: DocumentFrequencies, settings: VectorSettings | None = None) -> None:
        if df.analyzer_version != ANALYZER_VERSION:
            raise ValueError(
                f"document frequencies were built with analyzer {df.analyzer_version}, "
                f"this analyzer is {ANALYZER_VERSION}: rebuild them (khabar.stories.build_df)"
            )
        self.df = df
        self.settings = settings or VectorSettings()

    def vector(self, title: str, text: str, entities: Iterable[str] = ()) -> TermVector:
        s = self.settings
        counts = Counter(content_terms(text[: s.text_chars]))
        for t in content_terms(title):
            counts[t] += s.title_weight
        weights = {t: (1.0 + math.log(n)) * self.df.idf(t) for t, n in counts.items()}
        entity_weight = s.entity_weight * self.df.max_idf
        for name in entities:
            key = _ENTITY_PREFIX + normalize(name, "search")
            weights[key] = max(weights.get(key, 0.0), entity_weight)
        return _unit(_heaviest(weights, s.max_terms))


def _heaviest(weights: Mapping[str, float], count: int) -> dict[int, float]:
    ranked = sorted(weights.items(), key=lambda item: (-item[1], item[0]))[:count]
    out: dict[int, float] = {}
    for feature, weight in ranked:
        fid = feature_id(feature)
        out[fid] = out.get(fid, 0.0) + weight
    return out


def _unit(weights: dict[int, float]) -> TermVector:
    norm = math.sqrt(sum(w * w for w in weights.values()))
    if norm == 0.0:
        return TermVector({})
    return TermVector({i: w / norm for i, w in weights.items()})


def with_dense(vector: TermVector, dense: Sequence[float], dense_share: float) -> TermVector:
    """``vector`` joined with a unit-length dense embedding (ids -1, -2, …).

    The parts are scaled by ``√(1 − share)`` and ``√share``, so the cosine of two joined
    vectors is ``(1 − share)·cos_sparse + share·cos_dense``.
    """
    if not 0.0 <= dense_share <= 1.0:
        raise ValueError("dense_share must be between 0 and 1")
    sparse_scale, dense_scale = math.sqrt(1.0 - dense_share), math.sqrt(dense_share)
    joined = {i: w * sparse_scale for i, w in vector.weights.items()}
    joined.update({-(k + 1): float(v) * dense_scale for k, v in enumerate(dense) if v})
    return TermVector(joined)
