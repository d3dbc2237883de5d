"""B-cubed precision, recall and F1 of a clustering against reference labels (Bagga & Baldwin 1998).

For each item: precision is the share of its predicted cluster that shares its true label,
recall the share of its true cluster that the predicted cluster holds; both are averaged
over the items. A singleton-everywhere clustering gets precision 1; one cluster for all
gets recall 1.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Mapping
from dataclasses import dataclass

__all__ = ["BCubed", "bcubed"]


@dataclass(frozen=True, slots=True)
class BCubed:
    precision: float
    recall: float

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


def bcubed(truth: Mapping[str, Hashable], predicted: Mapping[str, Hashable]) -> BCubed:
    """Scores over the items of ``truth`` (each must have a predicted cluster)."""
    if not truth:
        raise ValueError("no items to score")
    missing = truth.keys() - predicted.keys()
    if missing:
        raise ValueError(f"{len(missing)} items have no predicted cluster, e.g. {min(missing)}")
    pairs = Counter((truth[i], predicted[i]) for i in truth)
    true_sizes = Counter(truth.values())
    predicted_sizes = Counter(predicted[i] for i in truth)
    precision = recall = 0.0
    for (label, cluster), both in pairs.items():
        precision += both * both / predicted_sizes[cluster]
        recall += both * both / true_sizes[label]
    return BCubed(precision / len(truth), recall / len(truth))
