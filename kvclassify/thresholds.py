"""Thresholds of a yes/no flag read from a probability, chosen on out-of-fold predictions.

The commitment flag ("does this question ask the minister to do something?")
must miss few commitments: its default threshold is the one of best precision
among those that keep recall at or above a target, and a stricter threshold
(precision at or above a target, at the best recall) splits the flagged
questions into "asks for commitments" and "possibly".
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .calibration import check_scored
from .errors import DataError, InputError
from .plain import Plain

__all__ = ["FlagThresholds", "precision_recall", "flag_thresholds"]


@dataclass(frozen=True, slots=True)
class FlagThresholds(Plain):
    """The default and the strict threshold of a flag, and what each achieved out of fold."""

    threshold: float
    recall: float
    precision: float
    strict_threshold: float
    strict_recall: float
    strict_precision: float
    n: int
    n_positive: int
    chosen_by: str


def precision_recall(p: np.ndarray, positive: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Precision, recall and threshold of the flag ``p >= threshold``, for every distinct value of ``p``.

    Examples
    --------
    >>> prec, rec, thr = precision_recall(np.array([0.9, 0.8, 0.3, 0.1]), np.array([1, 0, 1, 0]))
    >>> thr.tolist(), prec.round(2).tolist(), rec.tolist()
    ([0.9, 0.8, 0.3, 0.1], [1.0, 0.5, 0.67, 0.5], [0.5, 0.5, 1.0, 1.0])
    """
    return _curve(*check_scored(p, positive, 1))


def _curve(p: np.ndarray, positive: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`precision_recall` of checked arrays."""
    order = np.argsort(-p, kind="stable")
    ps, hits = p[order], np.asarray(positive, dtype=float)[order]
    tp = np.cumsum(hits)
    last = np.r_[np.flatnonzero(np.diff(ps)), len(ps) - 1]  # the last row of every run of equal values
    return tp[last] / (last + 1), tp[last] / max(hits.sum(), 1.0), ps[last]


def flag_thresholds(
    p: np.ndarray, positive: np.ndarray, *, min_recall: float = 0.90, min_precision: float = 0.90, what: str = ""
) -> FlagThresholds:
    """The threshold of best precision at recall >= ``min_recall``; of best recall at precision >= ``min_precision``.

    The recall target holds for the estimate less one standard error
    (``sqrt(r (1 - r) / n_positive)``), so that it holds on new data too.
    ``p`` are out-of-fold probabilities, ``positive`` whether each example is
    a positive. Where no threshold reaches ``min_precision``, the strict
    threshold is the default one.

    Examples
    --------
    >>> t = flag_thresholds(np.array([0.9, 0.8, 0.6, 0.3, 0.1]), np.array([1, 1, 0, 1, 0]), min_recall=1.0)
    >>> t.threshold, t.precision, t.strict_threshold, round(t.strict_recall, 2)
    (0.3, 0.75, 0.8, 0.67)
    """
    p, positive = check_scored(p, positive, 1)
    positive = positive.astype(bool)
    for name, target in (("min_recall", min_recall), ("min_precision", min_precision)):
        if isinstance(target, bool) or not isinstance(target, (int, float)) or not 0.0 < target <= 1.0:
            raise InputError(f"{name} must be a number above 0 and at most 1, got {target!r}")
    if not positive.any() or positive.all():
        raise DataError("flag thresholds need both positives and negatives among the labels")
    prec, rec, thr = _curve(p, positive)
    # Recall is held to its target one standard error below the estimate: an out-of-fold recall of exactly
    # the target falls short on new data about half the time, and a missed commitment costs more than a
    # false flag.
    n_pos = int(positive.sum())
    ok = np.flatnonzero(rec - np.sqrt(rec * (1 - rec) / n_pos) >= min_recall)
    ok = ok if len(ok) else np.flatnonzero(rec >= rec.max())
    k = ok[np.argmax(prec[ok])]
    strict = np.flatnonzero(prec >= min_precision)
    s = strict[np.argmax(rec[strict])] if len(strict) else k
    return FlagThresholds(
        threshold=round(float(thr[k]), 4),
        recall=round(float(rec[k]), 4),
        precision=round(float(prec[k]), 4),
        strict_threshold=round(float(max(thr[s], thr[k])), 4),
        strict_recall=round(float(rec[s]), 4),
        strict_precision=round(float(prec[s]), 4),
        n=len(p),
        n_positive=int(positive.sum()),
        chosen_by=(f"{what}: " if what else "") + f"best precision at recall >= {min_recall:g} (one standard error "
        "below the estimate); "
        f"strict: best recall at precision >= {min_precision:g}",
    )
