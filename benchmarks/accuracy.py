"""Accuracy: fit every system on the same rows, score it on evaluation sets, and the learning curve."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

import kvclassify as kv

from .data import EvalSet, TrainSet
from .systems import SYSTEMS, KvRetrained, System

__all__ = ["bootstrap_macro_f1", "evaluate", "fit_systems", "learning_curve", "learning_sizes"]

Progress = Callable[[str], None]


def bootstrap_macro_f1(
    gold: Sequence[str], pred: Sequence[str], n_resamples: int = 1000, seed: int = 0, level: float = 0.95
) -> tuple[float, float]:
    """Percentile bootstrap interval of macro-F1 (classes present in gold or predictions, as scikit-learn).

    Vectorised over resamples: one (n_resamples, n) index matrix, one pass per class.
    """
    labels = sorted(set(gold) | set(pred))
    if not labels:
        return (0.0, 0.0)
    index = {c: i for i, c in enumerate(labels)}
    g = np.array([index[c] for c in gold])
    p = np.array([index[c] for c in pred])
    rows = np.random.default_rng(seed).integers(0, len(g), size=(n_resamples, len(g)))
    gs, ps = g[rows], p[rows]
    f1 = np.full((len(labels), n_resamples), np.nan)
    for k in range(len(labels)):
        tp = ((gs == k) & (ps == k)).sum(axis=1)
        support = (gs == k).sum(axis=1) + (ps == k).sum(axis=1)
        present = support > 0  # a class absent from a resample's gold and predictions does not count
        f1[k, present] = 2 * tp[present] / support[present]
    macro = np.nanmean(f1, axis=0)
    lo, hi = np.quantile(macro, [(1 - level) / 2, 1 - (1 - level) / 2])
    return round(float(lo), 4), round(float(hi), 4)


def evaluate(system: System, ev: EvalSet, task: str, n_resamples: int = 1000) -> dict[str, Any]:
    """Accuracy, macro-F1 with its bootstrap interval, per-class F1, and any-of accuracy where defined."""
    pred = system.predict(ev.texts) if ev.texts else []
    result = kv.score(task, ev.gold, pred, sorted(set(ev.gold))).to_dict()
    result["macro_f1_ci"] = list(bootstrap_macro_f1(ev.gold, pred, n_resamples)) if pred else None
    if ev.any_of_texts:
        hits = [p in s for p, s in zip(system.predict(ev.any_of_texts), ev.any_of_gold)]
        result["any_of_accuracy"], result["any_of_n"] = round(sum(hits) / len(hits), 4), len(hits)
    return result


def fit_systems(task: str, plain: TrainSet, recipe: TrainSet, progress: Progress) -> dict[str, System]:
    """Every system that handles ``task``, fitted on the plain or the recipe rows (see ``System.recipe``)."""
    fitted: dict[str, System] = {}
    for name, cls in SYSTEMS.items():
        if task not in cls.tasks:
            continue
        train = recipe if cls.recipe else plain
        progress(f"  {task}: fitting {name} on {len(train)} rows")
        fitted[name] = cls(task).fit(train.texts, train.labels, train.weights)
        progress(f"  {task}: {name} fitted in {fitted[name].fit_seconds:.1f}s")
    return fitted


def learning_sizes(n_full: int, points: int) -> list[int]:
    """``points`` training sizes on a log scale from about 1/81 of the data (at least 100) to all of it."""
    lo = min(n_full, max(100, n_full // 81))
    return sorted({int(round(x)) for x in np.geomspace(lo, n_full, points)})


def learning_curve(
    task: str,
    train: TrainSet,
    evals: Sequence[EvalSet],
    sizes: Sequence[int],
    progress: Progress,
    full: System | None = None,
) -> list[dict[str, Any]]:
    """Dev macro-F1 of kvclassify's training function on nested samples of ``train``.

    ``full``: an already fitted model on all of ``train``, reused for the last point.
    """
    points = []
    for n in sizes:
        if full is not None and n == len(train):
            system = full
        else:
            sample = train.sample(n)
            system = KvRetrained(task).fit(sample.texts, sample.labels, sample.weights)
        scores = {ev.name: kv.score(task, ev.gold, system.predict(ev.texts), []).macro_f1 for ev in evals if ev.texts}
        points.append({"n": n, "fit_seconds": round(system.fit_seconds, 2), "macro_f1": scores})
        progress(f"  {task}: n={n} macro-F1 {scores} ({system.fit_seconds:.1f}s)")
    return points
