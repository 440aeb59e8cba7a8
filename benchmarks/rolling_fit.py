"""The rolling evaluation's fits and scores, through the library's own solver and calibration.

Every candidate is fitted by :func:`kvclassify.fit_linear` from a
:class:`kvclassify.HeadConfig`, so what wins here is exactly what the
library trains.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from kvclassify import HeadConfig, expected_calibration_error
from kvclassify import fit_linear as _fit_linear
from kvclassify import fit_temperature as _fit_temperature

__all__ = ["fit_linear", "softmax", "fit_temperature", "ece", "macro_f1", "share"]


def fit_linear(
    x: Any, y: np.ndarray, w: np.ndarray, solver: str, C: float, class_weight: str | None, nb_weight: float = 0.0
) -> tuple[np.ndarray, np.ndarray]:
    """The library's solver with these settings; returns (coef as features x outputs, intercept)."""
    config = HeadConfig(solver=solver, C=C, class_weight=class_weight, nb_weight=nb_weight, max_iter=5000)
    coef, intercept = _fit_linear(x, y, w, config, 0)
    return coef.astype(np.float64), np.asarray(intercept, dtype=np.float64)


def softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def fit_temperature(z: np.ndarray, gold: np.ndarray) -> float:
    """The library's temperature of minimum log-loss of ``softmax(z / t)`` (``gold``: class indices)."""
    return _fit_temperature(lambda t: softmax(z / t), gold)


def ece(proba: np.ndarray, gold: np.ndarray) -> float:
    """Expected calibration error of the top probability, as the library's card reports it."""
    return expected_calibration_error(proba, gold)


def share(hits: Sequence[bool]) -> float:
    """The share of hits; NaN for none (a year without such rows: left out of the mean over years)."""
    return sum(map(bool, hits)) / len(hits) if len(hits) else float("nan")


def macro_f1(gold: Sequence[str], pred: Sequence[str]) -> float:
    """Macro-F1 over the classes present in the gold labels."""
    from sklearn.metrics import f1_score

    return float(f1_score(gold, pred, labels=sorted(set(gold)), average="macro", zero_division=0))
