"""Calibration: the temperature of a head's logits, and how well its probabilities match its accuracy."""

from __future__ import annotations

import numbers
from collections.abc import Callable
from typing import Any

import numpy as np

from .errors import InputError

__all__ = ["TEMPERATURES", "TEMPERATURE_RANGE", "calibration", "check_scored", "expected_calibration_error",
           "fit_temperature"]

#: The temperatures a head may have: beyond them, logits / temperature over- or underflow.
TEMPERATURE_RANGE: tuple[float, float] = (1e-6, 1e6)

#: Candidate temperatures, log-spaced from 0.04 to 5 (0.2 and 1 among them): a linear SVM's margins are small.
TEMPERATURES: tuple[float, ...] = tuple(np.round(np.exp(np.linspace(np.log(0.04), np.log(5.0), 97)), 4).tolist())


def calibration(proba: np.ndarray, gold: np.ndarray, bins: int = 15) -> tuple[float, float]:
    """Log-loss of the gold labels and expected calibration error (ECE) of the top probability.

    Examples
    --------
    >>> [round(v, 4) for v in calibration(np.array([[0.9, 0.1], [0.2, 0.8]]), np.array([0, 1]))]
    [0.1643, 0.15]
    """
    return _log_loss(proba, gold), expected_calibration_error(proba, gold, bins)


def _log_loss(proba: np.ndarray, gold: np.ndarray) -> float:
    return float(-np.mean(np.log(np.clip(proba[np.arange(len(gold)), gold], 1e-12, 1.0))))


def check_scored(proba: Any, gold: Any, ndim: int) -> tuple[np.ndarray, np.ndarray]:
    """``proba`` (``ndim`` dimensions, probabilities in [0, 1]) and ``gold`` (one integer label each) as arrays,
    else :class:`~kvclassify.errors.InputError`: the one check of the scoring functions' arguments.

    For ``ndim`` 1 a label is whether the example is a positive (0/1 or bool); for 2 it is a column of ``proba``.

    Examples
    --------
    >>> check_scored([0.9, float("nan")], [1, 0], 1)
    Traceback (most recent call last):
    ...
    kvclassify.errors.InputError: probabilities must be numbers between 0 and 1 (no NaN)
    """
    try:
        p, y = np.asarray(proba, dtype=float), np.asarray(gold)
    except (TypeError, ValueError):
        raise InputError("probabilities must be an array of numbers") from None
    if p.ndim != ndim or not p.size or y.shape != p.shape[:1]:
        raise InputError(f"probabilities must be a non-empty {ndim}-D array with one label per row "
                         f"(got shapes {p.shape} and {y.shape})")
    if not (np.isfinite(p).all() and (p >= 0).all() and (p <= 1).all()):
        raise InputError("probabilities must be numbers between 0 and 1 (no NaN)")
    top = 2 if ndim == 1 else p.shape[1]
    if y.dtype.kind not in "biu" or (y < 0).any() or (y >= top).any():
        raise InputError(f"labels must be integers from 0 to {top - 1} (or bools), got {y.dtype} values")
    return p, y


def expected_calibration_error(proba: np.ndarray, gold: np.ndarray, bins: int = 15) -> float:
    """ECE of the top probability: its mean gap to the accuracy in ``bins`` equal-width bins, weighted by size.

    Examples
    --------
    >>> expected_calibration_error(np.array([[0.9, 0.1], [0.2, 0.8]]), np.array([0, 1]))
    0.15
    """
    proba, gold = check_scored(proba, gold, 2)
    if isinstance(bins, bool) or not isinstance(bins, numbers.Integral) or bins < 1:
        raise InputError(f"bins must be an int >= 1, got {bins!r}")
    top, hit = proba.max(axis=1), proba.argmax(axis=1) == gold
    which = np.minimum((top * bins).astype(int), bins - 1)
    ece = sum(abs(hit[which == b].mean() - top[which == b].mean()) * (which == b).mean()
              for b in range(bins) if (which == b).any())
    return round(float(ece), 12)


def fit_temperature(proba: Callable[[float], np.ndarray], gold: np.ndarray) -> float:
    """The candidate of :data:`TEMPERATURES` with the lowest log-loss; ``proba(t)`` gives the probabilities at ``t``.

    Examples
    --------
    >>> logits = np.array([[4.0, 0.0], [0.0, 4.0], [4.0, 0.0]])
    >>> softmax = lambda t: np.exp(logits / t) / np.exp(logits / t).sum(axis=1, keepdims=True)
    >>> fit_temperature(softmax, np.array([0, 1, 1])) > 1
    True
    """
    if not callable(proba):
        raise InputError(f"proba must be a function of the temperature, got {type(proba).__name__}")
    _, gold = check_scored(proba(1.0), gold, 2)  # once: the candidates only rescale the same logits
    return float(min(TEMPERATURES, key=lambda t: _log_loss(proba(t), gold)))  # the ECE is not needed here
