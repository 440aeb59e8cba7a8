"""Scoring a model on labelled records: accuracy, macro-F1, per-class metrics.

Records without a label for the task are *skipped*; a label that is not one
(a number, say) is refused as training refuses it; labels the model does not
know are *counted and reported* (they score as errors, never vanish).
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from .errors import DataError, InputError
from .limits import as_count
from .missing import is_missing
from .plain import FrozenDict, Plain
from .records import labels_of

__all__ = ["ClassMetrics", "Evaluation", "score", "evaluate", "evaluate_records", "pick_task"]


@dataclass(frozen=True, slots=True)
class ClassMetrics(Plain):
    precision: float
    recall: float
    f1: float
    support: int


_AVERAGES = ("macro", "weighted")


@dataclass(frozen=True, slots=True)
class Evaluation:
    """Scores of one head on one record set.

    ``macro_*`` average over the classes present in the gold labels or the
    predictions (as scikit-learn does), ``weighted_*`` weight each class by its
    support, as published tables often do. ``confusion[i][j]`` counts records
    of gold class ``labels[i]`` predicted as ``labels[j]``. ``any_of_accuracy``
    is the share of records whose prediction is one of their ``policy_areas``
    (records with a non-empty list), or None where the records carry no such lists.

    Examples
    --------
    >>> e = score("t", ["a", "a", "b"], ["a", "b", "b"], ["a", "b"])
    >>> e.accuracy, e.labels, e.confusion
    (0.6667, ('a', 'b'), ((1, 1), (0, 1)))
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
    macro_precision: float = 0.0
    macro_recall: float = 0.0
    weighted_precision: float = 0.0
    weighted_recall: float = 0.0
    weighted_f1: float = 0.0
    labels: tuple[str, ...] = ()
    confusion: tuple[tuple[int, ...], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "task": self.task,
            "n": self.n,
            "skipped": self.skipped,
            "accuracy": self.accuracy,
            "macro_f1": self.macro_f1,
            "weighted_f1": self.weighted_f1,
            **{f"{avg}_{m}": getattr(self, f"{avg}_{m}") for avg in _AVERAGES for m in ("precision", "recall")},
            "per_class": {c: m.to_dict() for c, m in self.per_class.items()},
            "unknown_labels": dict(self.unknown_labels),
        }
        if self.any_of_accuracy is not None:
            d["any_of_accuracy"] = self.any_of_accuracy
            d["any_of_n"] = self.any_of_n
        return d

    def report(self) -> dict[str, Any]:
        """:meth:`to_dict` with the confusion matrix."""
        return {
            **self.to_dict(),
            "confusion": {"labels": list(self.labels), "matrix": [list(row) for row in self.confusion]},
        }


def score(task: str, gold: Sequence[str], pred: Sequence[str], known: Sequence[str], skipped: int = 0) -> Evaluation:
    """Accuracy, macro/weighted precision, recall and F1, per-class metrics and confusion matrix.

    Examples
    --------
    >>> e = score("t", ["a", "b", "b"], ["a", "b", "a"], ["a", "b"])
    >>> e.macro_f1, e.weighted_f1
    (0.6667, 0.6667)
    """
    if not isinstance(task, str):
        raise InputError(f"task must be a str, got {type(task).__name__}")
    lists = {}
    for name, values in (("gold", gold), ("pred", pred), ("known", known)):
        if isinstance(values, (str, bytes)) or not isinstance(values, Iterable):
            raise InputError(f"{name} must be a list of labels (str), got {type(values).__name__}")
        lists[name] = list(values)
        if not all(isinstance(v, str) for v in lists[name]):
            raise InputError(f"{name} must hold labels as str")
    gold, pred, known = lists["gold"], lists["pred"], lists["known"]
    if len(gold) != len(pred):
        raise InputError(f"gold and pred differ in length ({len(gold)} and {len(pred)})")
    skipped = as_count(skipped, "skipped")
    labels = sorted(set(gold) | set(pred))
    index = {label: i for i, label in enumerate(labels)}
    confusion = np.zeros((len(labels), len(labels)), dtype=np.int64)
    np.add.at(confusion, ([index[g] for g in gold], [index[p] for p in pred]), 1)
    tp, n_pred, n_gold = np.diag(confusion), confusion.sum(axis=0), confusion.sum(axis=1)
    precision = np.divide(tp, n_pred, out=np.zeros(len(labels)), where=n_pred > 0)
    recall = np.divide(tp, n_gold, out=np.zeros(len(labels)), where=n_gold > 0)
    f1 = np.divide(2 * precision * recall, precision + recall, out=np.zeros(len(labels)), where=precision + recall > 0)
    per_class = FrozenDict({
        label: ClassMetrics(round(float(p), 4), round(float(r), 4), round(float(f), 4), int(s))
        for label, p, r, f, s in zip(labels, precision, recall, f1, n_gold)
    })
    n = len(gold)
    weights = n_gold / n if n else np.zeros(len(labels))

    def mean(values: np.ndarray) -> float:
        return round(float(values.mean()), 4) if len(values) else 0.0

    def weighted(values: np.ndarray) -> float:
        return round(float(values @ weights), 4) if len(values) else 0.0

    known_set = set(known)
    unknown = FrozenDict(sorted(Counter(g for g in gold if g not in known_set).items()))
    return Evaluation(
        task, n, skipped, round(int(tp.sum()) / n, 4) if n else 0.0, mean(f1), per_class, unknown,
        macro_precision=mean(precision), macro_recall=mean(recall),
        weighted_precision=weighted(precision), weighted_recall=weighted(recall), weighted_f1=weighted(f1),
        labels=tuple(labels), confusion=tuple(tuple(int(v) for v in row) for row in confusion),
    )


def evaluate_records(
    model: Any,
    records: Sequence[dict[str, Any]],
    task: str,
    *,
    text_field: str = "text",
    on_missing: str = "error",
) -> Evaluation:
    """Score ``model``'s head for ``task`` on records with a ``task`` label.

    A record's label is its ``task`` field, a string or a list of one label
    (as training reads labels: :func:`~kvclassify.records.labels_of`); a
    record without one (null, empty, NaN) or with several is skipped and
    counted in ``skipped``, and any other value is a :class:`DataError` naming
    the record (1-based), as in training. A record with a list of labels in
    ``task`` or, failing that, in a ``<task>s`` field (``policy_areas``)
    counts towards any-of accuracy: the prediction is one of them. A record
    without a text is an error naming it, or skipped (counted in ``skipped``)
    with ``on_missing="skip"``.
    """
    if on_missing not in ("error", "skip"):
        raise InputError(f"on_missing must be 'error' or 'skip', got {on_missing!r}")
    head = model.head(task)
    gold, texts, lists, list_texts = [], [], [], []
    skipped = 0
    for i, rec in enumerate(records):
        text = rec.get(text_field)
        if is_missing(text) and on_missing == "skip":
            skipped += 1
            continue
        if not isinstance(text, str):
            raise DataError(
                f"record {i + 1}: field {text_field!r} is missing or not a string (on_missing='skip' or, "
                "on the command line, --on-missing skip skips it)"
            )
        label = rec.get(task)
        # A value training refuses (a number) is refused, not skipped.
        classes = [] if is_missing(label) else labels_of(label, task, f"record {i + 1}")
        if len(classes) == 1:
            gold.append(classes[0])
            texts.append(text)
        else:
            skipped += 1
        areas = classes if isinstance(label, (list, tuple)) else rec.get(task + "s")  # read as training reads them
        if isinstance(areas, (list, tuple)) and areas:
            lists.append(set(areas))
            list_texts.append(text)
    pred = head.predict(texts) if texts else []
    result = score(task, gold, pred, head.classes_, skipped)
    if lists:
        any_pred = head.predict(list_texts)
        hits = sum(p in s for p, s in zip(any_pred, lists))
        result = replace(result, any_of_accuracy=round(hits / len(lists), 4), any_of_n=len(lists))
    return result


def pick_task(model: Any, records: Sequence[Mapping[str, Any]], task: str | None) -> str:
    """``task``, or the obvious one: the model's only head, or its only head with a label field in the data.

    Examples
    --------
    >>> import kvclassify as kv
    >>> pick_task(kv.load_model(), [{"text": "x", "policy_area": "zorg_welzijn"}], None)
    'policy_area'
    """
    if task is not None:
        return task
    tasks = list(model.heads)
    if len(tasks) == 1:
        return tasks[0]
    present = [t for t in tasks if any(t in rec for rec in records[:1000])]
    if len(present) == 1:
        return present[0]
    raise InputError(
        f"which task? the model has {', '.join(tasks)}"
        + (f"; the data labels {', '.join(present)}" if present else "; the data has none of them as a field")
        + " (pass task=... / --task)"
    )


def evaluate(
    data: Any,
    task: str | None = None,
    *,
    model: Any = None,
    text_field: str = "text",
    on_missing: str = "error",
    encoding: str | None = None,
) -> Evaluation:
    """Score a model (default: the shipped one) on labelled data.

    Parameters
    ----------
    data : a path (JSONL, JSON, CSV/TSV, Parquet, xlsx), a list of dicts, a
        pandas DataFrame or a ``datasets.Dataset``.
    task : the head to score; by default the model's only head, or the only
        one whose label field the data has (else the error lists the candidates).
    model : a :class:`~kvclassify.Model` or the path of a ``.kvc`` file; default the shipped one.
    text_field : the field holding the text.
    on_missing : ``"error"`` (a missing text names its record) or ``"skip"``.
    encoding : of a CSV, TSV, JSON or JSON Lines file (default: UTF-8, or
        UTF-16 with a byte-order mark); see :func:`kvclassify.read_records`.

    Returns
    -------
    Evaluation
        Accuracy, macro and weighted precision/recall/F1, per-class metrics
        and the confusion matrix (:meth:`Evaluation.report`).

    Raises
    ------
    InputError
        A bad option (checked before the data is read): ``on_missing``,
        ``text_field``, a ``task`` the model does not have, a ``model`` that is
        not a model (a model file that cannot be loaded is a ``ModelError``),
        an ``encoding`` that is not a text encoding's name.
    DataError
        Unreadable or empty data, no record with the task's label field, a
        label that is not a string or a list of strings (e.g. a number), or
        nothing to score: no record with a label (nor a ``policy_areas`` list).

    Examples
    --------
    >>> import kvclassify as kv
    >>> rows = [{"text": "Bent u bereid de Kamer te informeren?", "question_type": "commitment"},
    ...         {"text": "Hoeveel boetes zijn er uitgedeeld?", "question_type": "factual"}]
    >>> kv.evaluate(rows).accuracy
    1.0
    """
    m = _check_options(model, task, text_field, on_missing)
    from .data import read_records

    records = read_records(data, encoding=encoding, text_field=text_field)
    if not records:
        raise DataError("no records to evaluate on")
    chosen = pick_task(m, records, task)
    if not any(chosen in rec or chosen + "s" in rec for rec in records):
        fields = ", ".join(map(str, records[0])) or "none"
        raise DataError(f"no record has the label field {chosen!r} (fields of record 1: {fields}); pass --task / task=")
    result = evaluate_records(m, records, chosen, text_field=text_field, on_missing=on_missing)
    if result.n == 0 and result.any_of_n == 0:
        raise DataError(
            f"no record has a {chosen} label to score (skipped: {result.skipped}); "
            "label them, or pass the task they label (task= / --task)"
        )
    return result


def _check_options(model: Any, task: Any, text_field: Any, on_missing: Any) -> Any:
    """The model to score, after every option of :func:`evaluate` is checked (before any data is read)."""
    from .api import load_model
    from .model import Model

    if on_missing not in ("error", "skip"):
        raise InputError(f"on_missing must be 'error' or 'skip', got {on_missing!r}")
    if not isinstance(text_field, str) or not text_field:
        raise InputError(f"text_field must be a non-empty string, got {text_field!r}")
    if task is not None and not isinstance(task, str):
        raise InputError(f"task must be a head's name (a string) or None, got {task!r}")
    if model is None or isinstance(model, (str, os.PathLike)):
        model = load_model(model)
    if not isinstance(model, Model):
        raise InputError(f"model must be a kvclassify Model, a path to a .kvc file or None, got {type(model).__name__}")
    if task is not None:
        model.head(task)  # an unknown task names the model's tasks
    return model
