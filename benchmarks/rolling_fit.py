"""Linear solvers, the complement-NB term, temperature calibration and scores of the rolling evaluation.

Every candidate ends as one linear map ``x @ coef + intercept`` (coef: features x
outputs), so what wins here transfers to the library's heads unchanged.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

__all__ = [
    "balanced_weights",
    "fit_linear",
    "fit_complement_nb",
    "softmax",
    "sigmoid",
    "fit_temperature",
    "ece",
    "macro_f1",
]

_TEMPERATURES = np.exp(np.linspace(np.log(0.05), np.log(10.0), 81))


def balanced_weights(y: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Row weights times the inverse (weighted) frequency of their class, mean 1."""
    n_classes = int(y.max()) + 1
    totals = np.bincount(y, weights=w, minlength=n_classes)
    out = w * (w.sum() / (n_classes * np.maximum(totals, 1e-12)))[y]
    return out / out.mean()


def fit_linear(
    x, y: np.ndarray, w: np.ndarray, solver: str, C: float, class_weight: str | None, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """One linear classifier; returns (coef as features x outputs, intercept); binary: one output."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.svm import LinearSVC

    w = balanced_weights(y, w) if class_weight == "balanced" else w / w.mean()
    if solver == "svc":
        clf = LinearSVC(C=C, loss="squared_hinge", dual=True, max_iter=5000, random_state=seed)
    elif solver == "logreg":
        clf = LogisticRegression(C=C, max_iter=2000, random_state=seed)
    else:
        raise ValueError(solver)
    clf.fit(x, y, sample_weight=w)
    return clf.coef_.T.astype(np.float64), clf.intercept_.astype(np.float64)


def fit_complement_nb(x, y: np.ndarray, w: np.ndarray, alpha: float = 0.3) -> tuple[np.ndarray, np.ndarray]:
    """Complement NB as a linear map, centred over classes and scaled to unit spread on the training rows.

    Subtracting the class mean of the scores is itself linear (the mean of
    linear maps), and so is dividing by one scalar: the result adds to a
    linear head's coef matrix as ``coef + weight * nb_coef``.
    """
    from sklearn.naive_bayes import ComplementNB

    nb = ComplementNB(alpha=alpha).fit(x, y, sample_weight=w)
    coef = nb.feature_log_prob_.T.astype(np.float64)
    coef = coef - coef.mean(axis=1, keepdims=True)
    scale = float(np.std(x @ coef)) or 1.0
    return coef / scale, np.zeros(coef.shape[1])


def softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


def fit_temperature(z: np.ndarray, gold: np.ndarray) -> float:
    """The temperature of minimum log-loss of ``softmax(z / t)`` (``z``: logits, ``gold``: class index)."""
    def nll(t: float) -> float:
        p = softmax(z / t)[np.arange(len(gold)), gold]
        return float(-np.mean(np.log(np.clip(p, 1e-12, 1.0))))

    return float(min(_TEMPERATURES, key=nll))


def ece(proba: np.ndarray, gold: np.ndarray, bins: int = 15) -> float:
    """Expected calibration error of the top probability (equal-width bins)."""
    top, hit = proba.max(axis=1), proba.argmax(axis=1) == gold
    which = np.minimum((top * bins).astype(int), bins - 1)
    return float(sum(abs(hit[which == b].mean() - top[which == b].mean()) * (which == b).mean()
                     for b in range(bins) if (which == b).any()))


def macro_f1(gold: Sequence[str], pred: Sequence[str]) -> float:
    """Macro-F1 over the classes present in the gold labels (as :func:`kvclassify.evaluation.score`)."""
    from sklearn.metrics import f1_score

    return float(f1_score(gold, pred, labels=sorted(set(gold)), average="macro", zero_division=0))
