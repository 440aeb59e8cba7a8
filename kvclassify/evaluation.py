"""Scoring a model on labelled records: accuracy, macro-F1, per-class metrics.

Records without a label for the task are *skipped*; labels the model does not
know are *counted and reported* (they score as errors, never vanish).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from .errors import DataError
from .plain import Plain

__all__ = ["ClassMetrics", "Evaluation", "score", "evaluate_records"]


@dataclass(frozen=True, slots=True)
class ClassMetrics(Plain):
    precision: float
    recall: float
    f1: float
    support: int


@dataclass(frozen=True, slots=True)
class Evaluation:
    """Scores of one head on one record set.

    ``macro_f1`` averages over the classes present in the gold labels or the
    predictions (as scikit-learn does). ``any_of_accuracy`` is the share of
    records whose prediction is one of their ``policy_areas`` (records with a
    non-empty list), or None where the records carry no such lists.
    """

    task: str
    n: int
    skipped: int
    accuracy: float
    macro_f1: float
    per_class: dict[str, ClassMetrics]
    unknown_labels: dict[str, int]
    any_of_accuracy: float | None = None
    any_of_n: int = 0

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "task": self.task,
            "n": self.n,
            "skipped": self.skipped,
            "accuracy": self.accuracy,
            "macro_f1": self.macro_f1,
            "per_class": {c: m.to_dict() for c, m in self.per_class.items()},
            "unknown_labels": dict(self.unknown_labels),
        }
        if self.any_of_accuracy is not None:
            d["any_of_accuracy"] = self.any_of_accuracy
            d["any_of_n"] = self.any_of_n
        return d


def score(task: str, gold: Sequence[str], pred: Sequence[str], known: Sequence[str], skipped: int = 0) -> Evaluation:
    """Accuracy, macro-F1 and per-class precision/recall/F1 of predictions against gold labels."""
    if len(gold) != len(pred):
        raise ValueError("gold and pred differ in length")
    labels = sorted(set(gold) | set(pred))
    per_class = {}
    for label in labels:
        tp = sum(g == label and p == label for g, p in zip(gold, pred))
        n_pred = sum(p == label for p in pred)
        n_gold = sum(g == label for g in gold)
        precision = tp / n_pred if n_pred else 0.0
        recall = tp / n_gold if n_gold else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_class[label] = ClassMetrics(round(precision, 4), round(recall, 4), round(f1, 4), n_gold)
    n = len(gold)
    accuracy = sum(g == p for g, p in zip(gold, pred)) / n if n else 0.0
    macro = float(np.mean([m.f1 for m in per_class.values()])) if per_class else 0.0
    known_set = set(known)
    unknown = dict(sorted(Counter(g for g in gold if g not in known_set).items()))
    return Evaluation(task, n, skipped, round(accuracy, 4), round(macro, 4), per_class, unknown)


def evaluate_records(
    model: Any, records: Sequence[dict[str, Any]], task: str, *, text_field: str = "text"
) -> Evaluation:
    """Score ``model``'s head for ``task`` on records with a ``task`` label.

    A record's label is its ``task`` field; for ``policy_area`` records that
    only carry a ``policy_areas`` list, any-of accuracy is computed as well.
    """
    head = model.head(task)
    gold, texts, lists, list_texts = [], [], [], []
    skipped = 0
    for i, rec in enumerate(records):
        text = rec.get(text_field)
        if not isinstance(text, str):
            raise DataError(f"record {i + 1}: field {text_field!r} is missing or not a string")
        label = rec.get(task)
        if isinstance(label, str) and label:
            gold.append(label)
            texts.append(text)
        else:
            skipped += 1
        areas = rec.get(task + "s")
        if isinstance(areas, list) and areas:
            lists.append(set(areas))
            list_texts.append(text)
    pred = head.predict(texts) if texts else []
    result = score(task, gold, pred, head.classes_, skipped)
    if lists:
        any_pred = head.predict(list_texts)
        hits = sum(p in s for p, s in zip(any_pred, lists))
        result = replace(result, any_of_accuracy=round(hits / len(lists), 4), any_of_n=len(lists))
    return result

