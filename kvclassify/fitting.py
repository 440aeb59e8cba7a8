"""The linear solver: the one place where scikit-learn fits a head's weights.

A head kind decides what ``y`` is (classes, or one "asks for" flag); this
module decides how weights are found for it. A new solver is a new value of
a ``HeadConfig`` field read here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from .train import HeadConfig

__all__ = ["fit_linear"]


def fit_linear(
    x: Any, y: np.ndarray, weights: np.ndarray, config: HeadConfig, seed: int
) -> tuple[np.ndarray, np.ndarray]:
    """One multinomial (or binary) logistic regression on TF-IDF rows.

    Parameters
    ----------
    x : the rows (CSR, one per example).
    y : the class index of every row (0..n_classes-1).
    weights : the weight of every row; ``config.class_weight="balanced"``
        rescales them so that every class weighs the same in total.
    config : the head's ``C``, ``class_weight`` and ``max_iter``.
    seed : the solver's random state.

    Returns
    -------
    (coef, intercept) : ``coef`` of shape ``(n_features, n_outputs)``, rounded
        to float16 precision so that a model in memory and on disk are the same;
        one output for two classes, else one per class.

    Examples
    --------
    >>> from kvclassify.train import HeadConfig
    >>> coef, b = fit_linear(np.eye(2), np.array([0, 1]), np.ones(2), HeadConfig(), 0)
    >>> coef.shape, bool(coef[1, 0] > coef[0, 0])
    ((2, 1), True)
    """
    from sklearn.linear_model import LogisticRegression

    weights = weights.copy()
    n_classes = int(y.max()) + 1
    if config.class_weight == "balanced":
        totals = np.bincount(y, weights=weights, minlength=n_classes)
        weights *= (weights.sum() / (n_classes * totals))[y]
    clf = LogisticRegression(C=config.C, max_iter=config.max_iter, random_state=seed)
    clf.fit(x, y, sample_weight=weights / weights.mean())
    return np.clip(clf.coef_.T, -6e4, 6e4).astype(np.float16).astype(np.float32), clf.intercept_
