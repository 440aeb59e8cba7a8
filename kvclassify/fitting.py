"""The linear solver: the one place where scikit-learn fits a head's weights.

A head kind decides what ``y`` is (classes, or one "asks for" flag); this
module decides how weights are found for it. A new solver is a new value of
a ``HeadConfig`` field read here: :data:`kvclassify.options.SOLVERS` names them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from .options import HeadConfig

__all__ = ["fit_linear"]



def _row_weights(y: np.ndarray, weights: np.ndarray, class_weight: str | None) -> np.ndarray:
    """The rows' weights, rescaled so that every class weighs the same in total with ``"balanced"``; mean 1."""
    weights = weights.astype(np.float64)
    if class_weight == "balanced":
        n_classes = int(y.max()) + 1
        totals = np.bincount(y, weights=weights, minlength=n_classes)
        weights = weights * (weights.sum() / (n_classes * totals))[y]
    return weights / weights.mean()


def _complement_nb(x: Any, y: np.ndarray, weights: np.ndarray, n_outputs: int) -> np.ndarray:
    """Complement naive Bayes as a linear map: log-weights centred over the classes, scaled to unit spread.

    Centring (subtracting the classes' mean) and dividing by one number are
    linear, so the term adds to the solver's coef matrix: the ensemble stays
    one ``x @ coef + intercept``. For two classes the single output is the
    difference of the two centred columns, as for the solver.
    """
    from sklearn.naive_bayes import ComplementNB

    log_prob = ComplementNB(alpha=0.3).fit(x, y, sample_weight=weights).feature_log_prob_.T
    coef = log_prob - log_prob.mean(axis=1, keepdims=True)
    if n_outputs == 1:
        coef = coef[:, 1:] - coef[:, :1]
    spread = float(np.std(x @ coef))
    return coef / spread if spread > 0 else coef


def fit_linear(
    x: Any, y: np.ndarray, weights: np.ndarray, config: HeadConfig, seed: int
) -> tuple[np.ndarray, np.ndarray]:
    """One linear classifier on TF-IDF rows: ``config.solver``, plus ``config.nb_weight`` times complement NB.

    Parameters
    ----------
    x : the rows (CSR, one per example).
    y : the class index of every row (0..n_classes-1).
    weights : the weight of every row; ``config.class_weight="balanced"``
        rescales them so that every class weighs the same in total.
    config : the head's ``solver``, ``C``, ``class_weight``, ``max_iter`` and ``nb_weight``.
    seed : the solver's random state.

    Returns
    -------
    (coef, intercept) : ``coef`` of shape ``(n_features, n_outputs)``, rounded
        to float16 precision so that a model in memory and on disk are the same;
        one output for two classes, else one per class.

    Examples
    --------
    >>> from kvclassify.options import HeadConfig
    >>> coef, b = fit_linear(np.eye(2), np.array([0, 1]), np.ones(2), HeadConfig(), 0)
    >>> coef.shape, bool(coef[1, 0] > coef[0, 0])
    ((2, 1), True)
    >>> coef, b = fit_linear(np.eye(3), np.array([0, 1, 2]), np.ones(3), HeadConfig(solver="svc", nb_weight=1.0), 0)
    >>> coef.shape, [int(i) for i in coef.argmax(axis=1)]
    ((3, 3), [0, 1, 2])
    """
    from sklearn.linear_model import LogisticRegression
    from sklearn.svm import LinearSVC

    w = _row_weights(y, weights, config.class_weight)
    if config.solver == "svc":
        clf: Any = LinearSVC(C=config.C, loss="squared_hinge", dual=True, max_iter=config.max_iter, random_state=seed)
    else:
        clf = LogisticRegression(C=config.C, max_iter=config.max_iter, random_state=seed)
    clf.fit(x, y, sample_weight=w)
    coef = clf.coef_.T
    if config.nb_weight:
        coef = coef + config.nb_weight * _complement_nb(x, y, w, coef.shape[1])
    return np.clip(coef, -6e4, 6e4).astype(np.float16).astype(np.float32), clf.intercept_
