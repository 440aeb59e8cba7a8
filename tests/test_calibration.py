"""Calibration: the fitted temperature recovers the true one; ECE measures the gap."""

from __future__ import annotations

import numpy as np
import pytest

from kvclassify.calibration import (
    TEMPERATURE_RANGE,
    TEMPERATURES,
    calibration,
    expected_calibration_error,
    fit_temperature,
)
from kvclassify.errors import InputError


def _softmax(z: np.ndarray) -> np.ndarray:
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def test_fitted_temperature_recovers_the_one_labels_were_drawn_at() -> None:
    rng = np.random.default_rng(0)
    logits = rng.normal(scale=4.0, size=(4000, 3))
    gold = np.array([rng.choice(3, p=p) for p in _softmax(logits / 2.0)])
    t = fit_temperature(lambda t: _softmax(logits / t), gold)
    assert 1.8 <= t <= 2.2
    assert calibration(_softmax(logits / t), gold)[1] < calibration(_softmax(logits), gold)[1]


def test_ece_is_zero_when_confidence_matches_accuracy() -> None:
    proba = np.array([[0.75, 0.25]] * 4)
    assert calibration(proba, np.array([0, 0, 0, 1]))[1] == 0.0
    assert calibration(proba, np.array([1, 1, 1, 1]))[1] == 0.75


def test_candidates_lie_inside_the_allowed_range() -> None:
    lo, hi = TEMPERATURE_RANGE
    assert lo <= min(TEMPERATURES) and max(TEMPERATURES) <= hi and 1.0 in TEMPERATURES


@pytest.mark.parametrize("bins", [0, -3, 2.5, True])
def test_ece_refuses_bins_that_are_not_a_positive_int(bins: object) -> None:
    with pytest.raises(InputError, match="bins must be an int >= 1"):
        expected_calibration_error(np.array([[0.9, 0.1], [0.2, 0.8]]), np.array([1, 0]), bins=bins)  # type: ignore


def test_fit_temperature_checks_its_probabilities_and_labels() -> None:
    with pytest.raises(InputError, match="no NaN"):
        fit_temperature(lambda t: np.full((3, 2), np.nan), np.array([0, 1, 1]))
    with pytest.raises(InputError, match="labels must be integers from 0 to 1"):
        fit_temperature(lambda t: np.full((3, 2), 0.5), np.array([0, 7, 1]))
    with pytest.raises(InputError, match="non-empty"):
        fit_temperature(lambda t: np.zeros((0, 2)), np.array([], dtype=int))
