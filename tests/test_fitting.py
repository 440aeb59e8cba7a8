"""The linear solver: shapes, float16-exact weights, balanced class weights."""

from __future__ import annotations

import numpy as np

from kvclassify.fitting import fit_linear
from kvclassify.options import HeadConfig


def _data(n_major: int, n_minor: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(1)
    x = np.vstack([rng.normal(0.0, 1.0, size=(n_major, 4)), rng.normal(0.8, 1.0, size=(n_minor, 4))])
    return x, np.array([0] * n_major + [1] * n_minor)


def test_shapes_and_float16_exact_weights() -> None:
    x, y = _data(30, 30)
    coef, intercept = fit_linear(x, y, np.ones(len(y)), HeadConfig(), 0)
    assert coef.shape == (4, 1) and intercept.shape == (1,)
    np.testing.assert_array_equal(coef, coef.astype(np.float16).astype(np.float32))
    coef3, b3 = fit_linear(np.vstack([x, x[:10] + 3]), np.concatenate([y, [2] * 10]), np.ones(70), HeadConfig(), 0)
    assert coef3.shape == (4, 3) and b3.shape == (3,)


def test_balanced_weights_favour_the_rare_class() -> None:
    x, y = _data(200, 20)
    recall = {}
    for weight in ("balanced", None):
        coef, b = fit_linear(x, y, np.ones(len(y)), HeadConfig(class_weight=weight), 0)
        recall[weight] = float(((x @ coef[:, 0] + b[0] > 0) & (y == 1)).sum() / 20)
    assert recall["balanced"] > recall[None]


def test_row_weights_count() -> None:
    x, y = _data(50, 50)
    w = np.where(y == 1, 5.0, 1.0)
    plain, b_plain = fit_linear(x, y, np.ones(len(y)), HeadConfig(class_weight=None), 0)
    heavy, b_heavy = fit_linear(x, y, w, HeadConfig(class_weight=None), 0)
    assert b_heavy[0] > b_plain[0]  # the heavier class pulls the boundary towards the other
