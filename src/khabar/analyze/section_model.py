"""The shipped section model in a compact, pickle-free format, and its numpy-only inference.

Training uses scikit-learn (:mod:`khabar.analyze.section_training`); what ships is only what
inference needs, in one ``.npz`` file loaded with ``allow_pickle=False``:

- ``vocab``: the feature strings (UTF-8, ``\\n``-separated), in column order;
- ``idf``: the TF-IDF inverse document frequencies (float32);
- ``coef`` (float16, features x classes) and ``intercept`` (float32) of the linear model;
- optionally ``title_vocab``, ``title_idf``, ``title_coef``: a second block of the same kind over
  the title's terms alone (:attr:`FeatureOptions.title_block` is its weight);
- ``meta``: JSON with the classes, the calibration temperature, the "other" threshold, the
  feature options, the class prior the calibrated probabilities assume (``prior``: the
  training labels' shares; absent in older files) and the model's provenance (data, date,
  held-out metrics).

Features are the analyzer's terms (:func:`khabar.search.analyzer.analyze`): title terms counted
``title_weight`` times, body terms once, optionally adjacent-term bigrams within the title and
within the body (off in the shipped model: unigrams did better on unseen outlets, 0.860 vs
0.854 leave-one-outlet-out macro-F1, at a quarter of the size), and optionally the title's terms
again as a separate block, its own L2-normalized TF-IDF vector scaled by ``title_block`` (a short
title then weighs as much as a long one). Weights are sublinear TF-IDF, L2-normalized per block,
exactly as scikit-learn's ``TfidfVectorizer(sublinear_tf=True)`` computes them (a training-time
check compares both).
Confidence is the softmax of the linear scores divided by a temperature fitted on predictions
for outlets the model had not seen (see :mod:`khabar.analyze.section_training`). Given a
source's own section shares (``priors``, estimated from its unlabelled articles by
:mod:`khabar.analyze.section_priors`), the probabilities are reweighted by ``priors / prior``
(Bayes' rule with new class priors; Saerens, Latinne & Decaestecker 2002).
"""

from __future__ import annotations

import dataclasses
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

__all__ = ["FeatureOptions", "SectionModel", "TermBlock", "features"]

FORMAT = "khabar-sections/2"
READABLE_FORMATS = frozenset({"khabar-sections/1", FORMAT})

FloatArray = npt.NDArray[np.float32]


@dataclass(frozen=True, slots=True)
class FeatureOptions:
    """How an article becomes features (stored with the model: training and inference agree)."""

    title_weight: int = 2
    bigrams: bool = False
    title_block: float = 0.0


def features(title: Sequence[str], body: Sequence[str], options: FeatureOptions) -> list[str]:
    """Feature strings of an article given its analyzed title and body terms."""
    out = [*title] * options.title_weight + [*body]
    if options.bigrams:
        for terms in (title, body):
            out.extend(f"{a} {b}" for a, b in itertools.pairwise(terms))
    return out


def _tfidf_scores(
    feats: Sequence[str], vocabulary: Mapping[str, int], idf: FloatArray, coef: FloatArray
) -> FloatArray | None:
    """Sublinear, L2-normalized TF-IDF of ``feats`` times ``coef``; None without known terms."""
    counts = Counter(f for f in feats if f in vocabulary)
    if not counts:
        return None
    idx = np.fromiter((vocabulary[f] for f in counts), dtype=np.int64, count=len(counts))
    tf = np.fromiter(
        (1.0 + math.log(c) for c in counts.values()), dtype=np.float32, count=len(counts)
    )
    weights = tf * idf[idx]
    weights /= np.float32(np.linalg.norm(weights))
    result = weights @ coef[idx]
    return result.astype(np.float32, copy=False)


@dataclass(frozen=True, slots=True, eq=False)
class TermBlock:
    """A second TF-IDF block (the title's terms alone): vocabulary, IDF and weights."""

    vocabulary: Mapping[str, int]
    idf: FloatArray
    coef: FloatArray


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
    title: TermBlock | None = None
    prior: tuple[float, ...] | None = None
    """The class shares the calibrated probabilities assume (training labels); None: unknown."""

    def scores(self, feats: Sequence[str], title_terms: Sequence[str] = ()) -> FloatArray:
        """Raw linear scores (one per class) of a feature list (and the title block's terms)."""
        result = self.intercept.astype(np.float32, copy=True)
        main = _tfidf_scores(feats, self.vocabulary, self.idf, self.coef)
        if main is not None:
            result += main
        if self.title is not None and self.options.title_block:
            block = _tfidf_scores(
                title_terms, self.title.vocabulary, self.title.idf, self.title.coef
            )
            if block is not None:
                result += np.float32(self.options.title_block) * block
        return result

    def probabilities(
        self, title: str, text: str, priors: Mapping[str, float] | None = None
    ) -> dict[str, float]:
        """Calibrated probability of each class for an article (see :meth:`adjusted`)."""
        return self.probabilities_of_terms(analyze(title), analyze(text), priors)

    def probabilities_of_terms(
        self,
        title_terms: Sequence[str],
        body_terms: Sequence[str],
        priors: Mapping[str, float] | None = None,
    ) -> dict[str, float]:
        """:meth:`probabilities` of an article already analyzed (``analyze`` terms)."""
        feats = features(title_terms, body_terms, self.options)
        scores = self.scores(feats, title_terms) / self.temperature
        exp = np.exp(scores - scores.max())
        probs = {c: float(p) for c, p in zip(self.classes, exp / exp.sum(), strict=True)}
        return self.adjusted(probs, priors) if priors else probs

    def adjusted(self, probs: Mapping[str, float], priors: Mapping[str, float]) -> dict[str, float]:
        """``probs`` for a source whose section shares are ``priors`` instead of :attr:`prior`
        (unchanged when the model does not know its prior)."""
        if self.prior is None:
            return dict(probs)
        weights = {
            c: probs[c] * priors.get(c, p0) / p0
            for c, p0 in zip(self.classes, self.prior, strict=True)
        }
        total = sum(weights.values()) or 1.0
        return {c: w / total for c, w in weights.items()}

    def save(self, path: Path) -> None:
        """Write the model as one compressed ``.npz`` (no pickle)."""
        meta = {
            "format": FORMAT,
            "classes": list(self.classes),
            "temperature": self.temperature,
            "threshold": self.threshold,
            "options": dataclasses.asdict(self.options),
            "info": dict(self.info),
        }
        if self.prior is not None:
            meta["prior"] = list(self.prior)
        arrays = {
            **_block_arrays("", self.vocabulary, self.idf, self.coef),
            "intercept": self.intercept.astype(np.float32),
            "meta": np.frombuffer(json.dumps(meta, ensure_ascii=False).encode(), dtype=np.uint8),
        }
        if self.title is not None:
            t = self.title
            arrays |= _block_arrays("title_", t.vocabulary, t.idf, t.coef)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as fh:
            np.savez_compressed(fh, allow_pickle=False, **arrays)

    @classmethod
    def load(cls, path: Path) -> SectionModel:
        """Read a model written by :meth:`save`; InvalidInputError when it is not one."""
        try:
            with np.load(path, allow_pickle=False) as data:
                meta = json.loads(data["meta"].tobytes().decode())
                main = _read_block(data, "")
                title = _read_block(data, "title_") if "title_vocab" in data.files else None
                intercept = data["intercept"]
        except (OSError, KeyError, ValueError) as exc:
            raise InvalidInputError(f"{path}: not a Khabar section model ({exc})") from exc
        if meta.get("format") not in READABLE_FORMATS:
            raise InvalidInputError(f"{path}: unknown section model format {meta.get('format')!r}")
        if "prior" in meta and len(meta["prior"]) != len(meta["classes"]):
            raise InvalidInputError(f"{path}: the section model's prior does not fit its classes")
        return cls(
            classes=tuple(meta["classes"]),
            vocabulary=main.vocabulary,
            idf=main.idf,
            coef=main.coef,
            title=title,
            intercept=intercept,
            temperature=float(meta["temperature"]),
            threshold=float(meta["threshold"]),
            options=FeatureOptions(**meta["options"]),
            info=meta["info"],
            prior=tuple(float(p) for p in meta["prior"]) if "prior" in meta else None,
        )


def _block_arrays(
    prefix: str, vocabulary: Mapping[str, int], idf: FloatArray, coef: FloatArray
) -> dict[str, npt.NDArray[Any]]:
    terms = [""] * len(vocabulary)
    for term, column in vocabulary.items():
        terms[column] = term
    return {
        f"{prefix}vocab": np.frombuffer("\n".join(terms).encode(), dtype=np.uint8),
        f"{prefix}idf": idf.astype(np.float32),
        f"{prefix}coef": coef.astype(np.float16),
    }


def _read_block(data: Any, prefix: str) -> TermBlock:
    terms = data[f"{prefix}vocab"].tobytes().decode().split("\n")
    return TermBlock(
        vocabulary={term: i for i, term in enumerate(terms)},
        idf=data[f"{prefix}idf"],
        coef=data[f"{prefix}coef"].astype(np.float32),
    )
