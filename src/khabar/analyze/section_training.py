"""Training the section model (scikit-learn) and exporting it to :class:`SectionModel`.

Labelled data is JSON lines with ANT's fields: ``title``, ``text``, ``cat`` (and optionally
``cats``, every section feed the URL appeared in), ``src`` (the outlet), ``docno``. ``cat``
may be an ANT label (``sport``, ``middleEast`` …) or a Khabar section key (``sports``).

Labels (:func:`section_of`): each of ``cats`` is mapped to a section; when they map to several
sections, ``politics`` is dropped (ANT's "world"/"Middle East" feeds republish sport, culture
and economy stories: 174 of the 931 multi-feed articles were world + sport, and they are sport);
if one section remains it is the label, else ``cat`` decides (economy + technology: 10 articles).

Procedure (:func:`train_model`):

1. Features (:func:`khabar.analyze.section_model.features`), sublinear TF-IDF (min_df 3,
   max_df 0.5) of the stems (title counted twice), plus the title's stems as a separate
   L2-normalized TF-IDF block weighted 0.3; LinearSVC with balanced class weights (culture is
   3.5 % of ANT) and C = 0.1. Chosen by cross-validation inside the 90 % training part only
   (leave one outlet out and 5-fold group CV; bench/RESULTS.md, "Sections — 2026-11-27 05:54 UTC"):
   0.867 / 0.910 macro-F1 against 0.861 / 0.910 for the previous recipe (no title block,
   C = 0.25). LogisticRegression, SGD (modified Huber), complement NB and its ensemble with
   the SVM, outlet weights, per-class bias offsets, six classes (the two politics feeds apart),
   body truncation, character n-grams and dropping confidently contradicted training labels
   were measured the same way and were no better.
2. Calibration on *unseen outlets*: out-of-fold scores with the outlets as groups (leave one
   outlet out when there are at most 5; 5 group folds otherwise; stratified 5-fold when the data
   has fewer than 3 outlets). A temperature for the softmax of the scores is fitted on them by
   minimizing the log-loss, so the confidence says how often the model is right on an outlet it
   has not seen, not on its own training outlets.
3. The "other" threshold is chosen on the same out-of-fold predictions: the confidence that
   maximizes correct − ``WRONG_COST`` x wrong over the accepted articles (a wrong section costs
   twice an honest "غير مصنف").
4. The final model is fitted on everything and exported; its numpy scores are checked against
   scikit-learn's. The training labels' shares are stored as the model's ``prior``: the
   calibrated probabilities assume that mix, and :mod:`khabar.analyze.section_priors` replaces
   it by a source's own mix (``khabar reanalyze``).
"""

from __future__ import annotations

import dataclasses
import gzip
import json
import platform
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from khabar.analyze.section_model import FeatureOptions, SectionModel, TermBlock, features
from khabar.errors import InvalidInputError
from khabar.search.analyzer import ANALYZER_VERSION, analyze

__all__ = [
    "ANT_SECTIONS",
    "LabelledArticle",
    "TrainOptions",
    "read_labelled_jsonl",
    "section_of",
    "train_model",
    "train_on_docs",
]

ANT_SECTIONS: Final[dict[str, str]] = {
    "middleEast": "politics",
    "internationalNews": "politics",
    "economy": "economy",
    "sport": "sports",
    "culture": "culture",
    "technology": "technology",
}
KHABAR_TRAINABLE: Final = frozenset(
    {"politics", "economy", "sports", "culture", "technology", "health", "society"}
)
WRONG_COST: Final = 2.0


@dataclass(frozen=True, slots=True)
class LabelledArticle:
    key: str
    source: str
    title: str
    text: str
    section: str


@dataclass(frozen=True, slots=True)
class TrainOptions:
    features: FeatureOptions = field(default_factory=lambda: FeatureOptions(title_block=0.3))
    min_df: int = 3
    max_df: float = 0.5
    max_features: int | None = 200_000
    C: float = 0.1
    seed: int = 13


def _label(name: str) -> str | None:
    if name in KHABAR_TRAINABLE:
        return name
    return ANT_SECTIONS.get(name)


def section_of(cat: str, cats: Sequence[str] = ()) -> str | None:
    """The Khabar section of an ANT record (see the module docstring); None if unmapped."""
    sections = {s for c in (*cats, cat) if (s := _label(c)) is not None}
    if len(sections) > 1:
        sections.discard("politics")
    if len(sections) == 1:
        return sections.pop()
    return _label(cat)


def read_labelled_jsonl(path: Path) -> Iterator[LabelledArticle]:
    """Labelled articles of a JSON lines file (``.gz`` allowed); unmapped labels are skipped."""
    opener = gzip.open if path.suffix == ".gz" else open
    try:
        with opener(path, "rt", encoding="utf-8") as fh:
            for number, line in enumerate(fh, 1):
                if line.strip():
                    article = _record(json.loads(line), number, path)
                    if article is not None:
                        yield article
    except (OSError, json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InvalidInputError(f"{path}: cannot read labelled JSON lines ({exc})") from exc


def _record(data: Any, number: int, path: Path) -> LabelledArticle | None:
    if not isinstance(data, dict) or not isinstance(data.get("cat"), str):
        raise InvalidInputError(f"{path}:{number}: expected an object with a 'cat' string")
    cats = data.get("cats") or []
    section = section_of(data["cat"], cats if isinstance(cats, list) else [])
    if section is None:
        return None
    return LabelledArticle(
        key=str(data.get("docno") or data.get("url") or number),
        source=str(data.get("src") or data.get("source") or ""),
        title=str(data.get("title") or ""),
        text=str(data.get("text") or ""),
        section=section,
    )


def article_doc(article: LabelledArticle, options: FeatureOptions) -> Doc:
    title = analyze(article.title)
    return Doc(features(title, analyze(article.text), options), title)


# --- fitting --------------------------------------------------------------------------------


def _identity(doc: list[str]) -> list[str]:
    return doc


@dataclass(frozen=True, slots=True)
class Doc:
    """An article as the model reads it: its features and, for the title block, its title terms."""

    feats: list[str]
    title: list[str]


@dataclass(frozen=True, slots=True)
class _Fitted:
    vectorizer: Any
    title_vectorizer: Any | None
    title_block: float
    svc: Any

    def matrix(self, docs: Sequence[Doc]) -> Any:
        """The TF-IDF matrix of ``docs``: the main block, then the weighted title block."""
        from scipy import sparse  # type: ignore[import-untyped]

        x = self.vectorizer.transform([d.feats for d in docs])
        if self.title_vectorizer is None:
            return x
        t = self.title_vectorizer.transform([d.title for d in docs]) * self.title_block
        return sparse.hstack([x, t]).tocsr()

    def scores(self, docs: Sequence[Doc]) -> npt.NDArray[np.float64]:
        """One score per class (a binary model's single score s becomes -s/2, s/2)."""
        raw = np.asarray(self.svc.decision_function(self.matrix(docs)))
        return np.stack([-raw / 2, raw / 2], axis=1) if raw.ndim == 1 else raw

    def coef(self) -> npt.NDArray[np.float64]:
        """Features x classes weights, in the same two-column form for a binary model."""
        w = np.asarray(self.svc.coef_, dtype=np.float64)
        b = np.asarray(self.svc.intercept_, dtype=np.float64)
        if w.shape[0] == 1:
            w, b = np.concatenate([-w / 2, w / 2]), np.concatenate([-b / 2, b / 2])
        return np.vstack([w.T, b[None, :]])


def _vectorizer(options: TrainOptions) -> Any:
    from sklearn.feature_extraction.text import TfidfVectorizer  # type: ignore[import-untyped]

    return TfidfVectorizer(
        analyzer=_identity,
        sublinear_tf=True,
        min_df=options.min_df,
        max_df=options.max_df,
        max_features=options.max_features,
        dtype=np.float32,
    )


def _title_vectorizer(docs: Sequence[Doc], options: TrainOptions) -> Any | None:
    """The title block's vectorizer; None when no title term is frequent enough (tiny data)."""
    try:
        return _vectorizer(options).fit([d.title for d in docs])
    except ValueError:  # scikit-learn: "no terms remain" after min_df/max_df
        return None


def fit(docs: Sequence[Doc], labels: Sequence[str], options: TrainOptions) -> _Fitted:
    """TF-IDF (+ the title block) + LinearSVC on precomputed feature lists."""
    from sklearn.svm import LinearSVC  # type: ignore[import-untyped]

    vectorizer = _vectorizer(options).fit([d.feats for d in docs])
    title_block = options.features.title_block
    title_vectorizer = _title_vectorizer(docs, options) if title_block else None
    fitted = _Fitted(vectorizer, title_vectorizer, title_block, None)
    svc = LinearSVC(C=options.C, class_weight="balanced", random_state=options.seed)
    svc.fit(fitted.matrix(docs), list(labels))
    return dataclasses.replace(fitted, svc=svc)


def _folds(
    sources: Sequence[str], labels: Sequence[str], seed: int
) -> Iterator[tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]]:
    from sklearn.model_selection import GroupKFold, StratifiedKFold  # type: ignore[import-untyped]

    groups = np.asarray(sources)
    distinct = sorted(set(sources))
    zeros = np.zeros(len(labels))
    if len(distinct) >= 3:
        yield from GroupKFold(n_splits=min(5, len(distinct))).split(zeros, labels, groups)
    else:
        yield from StratifiedKFold(5, shuffle=True, random_state=seed).split(zeros, labels)


def out_of_fold_scores(
    docs: Sequence[Doc],
    labels: Sequence[str],
    sources: Sequence[str],
    options: TrainOptions,
    classes: Sequence[str],
) -> npt.NDArray[np.float64]:
    """Decision scores of each article from a model that did not see its outlet."""
    scores = np.zeros((len(docs), len(classes)))
    for train, test in _folds(sources, labels, options.seed):
        fitted = fit([docs[i] for i in train], [labels[i] for i in train], options)
        fold = fitted.scores([docs[i] for i in test])
        for j, name in enumerate(fitted.svc.classes_):
            scores[test, classes.index(name)] = fold[:, j]
        missing = [c for c in classes if c not in fitted.svc.classes_]
        for name in missing:  # a class absent from the fold's training outlets
            scores[test, classes.index(name)] = -10.0
    return scores


def softmax(scores: npt.NDArray[np.float64], temperature: float) -> npt.NDArray[np.float64]:
    z = scores / temperature
    z = np.exp(z - z.max(axis=1, keepdims=True))
    result: npt.NDArray[np.float64] = z / z.sum(axis=1, keepdims=True)
    return result


def fit_temperature(scores: npt.NDArray[np.float64], truth: npt.NDArray[np.intp]) -> float:
    """The softmax temperature minimizing the log-loss of ``scores`` against ``truth``."""
    from scipy.optimize import minimize_scalar  # type: ignore[import-untyped]

    def loss(log_t: float) -> float:
        probs = softmax(scores, float(np.exp(log_t)))
        return float(-np.log(probs[np.arange(len(truth)), truth] + 1e-12).mean())

    best = minimize_scalar(loss, bounds=(-5.0, 3.0), method="bounded")
    return float(np.exp(best.x))


def choose_threshold(confidence: npt.NDArray[np.float64], correct: npt.NDArray[np.bool_]) -> float:
    """The confidence cut maximizing correct - WRONG_COST x wrong among accepted articles."""
    grid = np.round(np.arange(0.20, 0.96, 0.01), 2)
    utility = [
        float(correct[confidence >= t].sum() - WRONG_COST * (~correct[confidence >= t]).sum())
        for t in grid
    ]
    return float(grid[int(np.argmax(utility))])


def train_model(
    articles: Sequence[LabelledArticle],
    options: TrainOptions | None = None,
    *,
    progress: Callable[[str], None] = lambda _: None,
) -> SectionModel:
    """Train, calibrate on unseen outlets, choose the threshold and export (see module doc)."""
    options = options or TrainOptions()
    if len({a.section for a in articles}) < 2:
        raise InvalidInputError("training needs articles of at least two sections")
    progress(f"analyzing {len(articles)} articles")
    docs = [article_doc(a, options.features) for a in articles]
    return train_on_docs(articles, docs, options, progress=progress)


def train_on_docs(
    articles: Sequence[LabelledArticle],
    docs: Sequence[Doc],
    options: TrainOptions,
    *,
    progress: Callable[[str], None] = lambda _: None,
) -> SectionModel:
    """:func:`train_model` with the articles already analyzed (``docs[i]`` of ``articles[i]``,
    made by :func:`article_doc`)."""
    labels = [a.section for a in articles]
    classes = sorted(set(labels))
    sources = [a.source for a in articles]
    progress("calibrating on held-out outlets")
    oof = out_of_fold_scores(docs, labels, sources, options, classes)
    truth = np.array([classes.index(s) for s in labels])
    temperature = fit_temperature(oof, truth)
    probs = softmax(oof, temperature)
    threshold = choose_threshold(probs.max(axis=1), probs.argmax(axis=1) == truth)
    progress("fitting the final model")
    fitted = fit(docs, labels, options)
    model = _export(fitted, options, temperature, threshold, classes)
    _check_export(model, fitted, docs[:50])
    info = _info(articles, oof, truth, temperature, threshold)
    prior = tuple(float(n) / len(truth) for n in np.bincount(truth, minlength=len(classes)))
    return dataclasses.replace(model, info=info, prior=prior)


def _export(
    fitted: _Fitted,
    options: TrainOptions,
    temperature: float,
    threshold: float,
    classes: Sequence[str],
) -> SectionModel:
    if [str(c) for c in fitted.svc.classes_] != list(classes):
        raise RuntimeError("class order differs between calibration and the final model")
    weights = fitted.coef()
    main = _block(fitted.vectorizer, weights[:-1])
    title = None
    if fitted.title_vectorizer is not None:
        title = _block(fitted.title_vectorizer, weights[len(main.vocabulary) : -1])
    return SectionModel(
        classes=tuple(str(c) for c in fitted.svc.classes_),
        vocabulary=main.vocabulary,
        idf=main.idf,
        coef=main.coef,
        title=title,
        intercept=weights[-1].astype(np.float32),
        temperature=temperature,
        threshold=threshold,
        options=options.features,
    )


def _block(vectorizer: Any, weights: npt.NDArray[np.float64]) -> TermBlock:
    """A vectorizer's columns and their rows of ``weights`` (the first len(vocabulary) rows)."""
    vocabulary = {str(k): int(v) for k, v in vectorizer.vocabulary_.items()}
    return TermBlock(
        vocabulary=vocabulary,
        idf=np.asarray(vectorizer.idf_, dtype=np.float32),
        coef=weights[: len(vocabulary)].astype(np.float16).astype(np.float32),
    )


def _check_export(model: SectionModel, fitted: _Fitted, docs: Sequence[Doc]) -> None:
    """The numpy scores of the exported model must match scikit-learn's (float16 weights)."""
    expected = fitted.scores(docs)
    got = np.stack([model.scores(d.feats, d.title) for d in docs])
    if not np.allclose(expected, got, atol=2e-2):
        raise RuntimeError("exported section model disagrees with scikit-learn")


def _info(
    articles: Sequence[LabelledArticle],
    oof: npt.NDArray[np.float64],
    truth: npt.NDArray[np.intp],
    temperature: float,
    threshold: float,
) -> dict[str, Any]:
    import sklearn  # type: ignore[import-untyped]

    probs = softmax(oof, temperature)
    confidence = probs.max(axis=1)
    correct = probs.argmax(axis=1) == truth
    accepted = confidence >= threshold
    return {
        "trained_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "articles": len(articles),
        "sections": dict(Counter(a.section for a in articles)),
        "sources": dict(Counter(a.source for a in articles)),
        "analyzer_version": ANALYZER_VERSION,
        "sklearn": sklearn.__version__,
        "python": platform.python_version(),
        "calibration": "softmax temperature fitted on out-of-outlet scores",
        "out_of_outlet_accuracy": round(float(correct.mean()), 4),
        "threshold_coverage": round(float(accepted.mean()), 4),
        "threshold_accuracy": round(float(correct[accepted].mean()), 4),
    }
