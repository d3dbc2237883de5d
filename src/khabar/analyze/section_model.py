"""The shipped section model in a compact, pickle-free format, and its numpy-only inference.

Training uses scikit-learn (:mod:`khabar.analyze.section_training`); what ships is only what
inference needs, in one ``.npz`` file loaded with ``allow_pickle=False``:

- ``vocab``: the feature strings (UTF-8, ``\\n``-separated), in column order;
- ``idf``: the TF-IDF inverse document frequencies (float32);
- ``coef`` (float16, features x classes) and ``intercept`` (float32) of the linear model;
- ``meta``: JSON with the classes, the calibration temperature, the "other" threshold, the
  feature options and the model's provenance (data, date, held-out metrics).

Features are the analyzer's terms (:func:`khabar.search.analyzer.analyze`): title terms counted
``title_weight`` times, body terms once, optionally adjacent-term bigrams within the title and
within the body (off in the shipped model: unigrams did better on unseen outlets, 0.860 vs
0.854 leave-one-outlet-out macro-F1, at a quarter of the size). Weights are sublinear TF-IDF,
L2-normalized, exactly as scikit-learn's
``TfidfVectorizer(sublinear_tf=True)`` computes them (a training-time check compares both).
Confidence is the softmax of the linear scores divided by a temperature fitted on predictions
for outlets the model had not seen (see :mod:`khabar.analyze.section_training`).
"""

from __future__ import annotations

import itertools
import json
import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from khabar.errors import InvalidInputError
from khabar.search.analyzer import analyze

__all__ = ["FeatureOptions", "SectionModel", "features"]

FORMAT = "khabar-sections/1"

FloatArray = npt.NDArray[np.float32]


@dataclass(frozen=True, slots=True)
class FeatureOptions:
    """How an article becomes features (stored with the model: training and inference agree)."""

    title_weight: int = 2
    bigrams: bool = False


def features(title: Sequence[str], body: Sequence[str], options: FeatureOptions) -> list[str]:
    """Feature strings of an article given its analyzed title and body terms."""
    out = [*title] * options.title_weight + [*body]
    if options.bigrams:
        for terms in (title, body):
            out.extend(f"{a} {b}" for a, b in itertools.pairwise(terms))
    return out


@dataclass(frozen=True, slots=True, eq=False)
class SectionModel:
    """A linear section model over sublinear TF-IDF features, with a calibrated confidence."""

    classes: tuple[str, ...]
    vocabulary: Mapping[str, int]
    idf: FloatArray
    coef: FloatArray
    intercept: FloatArray
    temperature: float
    threshold: float
    options: FeatureOptions = field(default_factory=FeatureOptions)
    info: Mapping[str, Any] = field(default_factory=dict)

    def scores(self, feats: Sequence[str]) -> FloatArray:
        """Raw linear scores (one per class) of a feature list."""
        counts = Counter(f for f in feats if f in self.vocabulary)
        if not counts:
            return self.intercept.copy()
        idx = np.fromiter((self.vocabulary[f] for f in counts), dtype=np.int64, count=len(counts))
        tf = np.fromiter(
            (1.0 + math.log(c) for c in counts.values()), dtype=np.float32, count=len(counts)
        )
        weights = tf * self.idf[idx]
        weights /= np.float32(np.linalg.norm(weights))
        result = weights @ self.coef[idx] + self.intercept
        return result.astype(np.float32, copy=False)

    def probabilities(self, title: str, text: str) -> dict[str, float]:
        """Calibrated probability of each class for an article."""
        return self.probabilities_of_terms(analyze(title), analyze(text))

    def probabilities_of_terms(
        self, title_terms: Sequence[str], body_terms: Sequence[str]
    ) -> dict[str, float]:
        """:meth:`probabilities` of an article already analyzed (``analyze`` terms)."""
        feats = features(title_terms, body_terms, self.options)
        scores = self.scores(feats) / self.temperature
        exp = np.exp(scores - scores.max())
        probs = exp / exp.sum()
        return {c: float(p) for c, p in zip(self.classes, probs, strict=True)}

    def save(self, path: Path) -> None:
        """Write the model as one compressed ``.npz`` (no pickle)."""
        terms = [""] * len(self.vocabulary)
        for term, column in self.vocabulary.items():
            terms[column] = term
        meta = {
            "format": FORMAT,
            "classes": list(self.classes),
            "temperature": self.temperature,
            "threshold": self.threshold,
            "options": {"title_weight": self.options.title_weight, "bigrams": self.options.bigrams},
            "info": dict(self.info),
        }
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as fh:
            np.savez_compressed(
                fh,
                vocab=np.frombuffer("\n".join(terms).encode(), dtype=np.uint8),
                idf=self.idf.astype(np.float32),
                coef=self.coef.astype(np.float16),
                intercept=self.intercept.astype(np.float32),
                meta=np.frombuffer(json.dumps(meta, ensure_ascii=False).encode(), dtype=np.uint8),
            )

    @classmethod
    def load(cls, path: Path) -> SectionModel:
        """Read a model written by :meth:`save`; InvalidInputError when it is not one."""
        try:
            with np.load(path, allow_pickle=False) as data:
                meta = json.loads(data["meta"].tobytes().decode())
                terms = data["vocab"].tobytes().decode().split("\n")
                idf, intercept = data["idf"], data["intercept"]
                coef = data["coef"].astype(np.float32)
        except (OSError, KeyError, ValueError) as exc:
            raise InvalidInputError(f"{path}: not a Khabar section model ({exc})") from exc
        if meta.get("format") != FORMAT:
            raise InvalidInputError(f"{path}: unknown section model format {meta.get('format')!r}")
        return cls(
            classes=tuple(meta["classes"]),
            vocabulary={term: i for i, term in enumerate(terms)},
            idf=idf,
            coef=coef,
            intercept=intercept,
            temperature=float(meta["temperature"]),
            threshold=float(meta["threshold"]),
            options=FeatureOptions(**meta["options"]),
            info=meta["info"],
        )
