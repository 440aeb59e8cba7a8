"""Validation splits: stratified folds that keep every block of rows (a record, or a group) together."""

from __future__ import annotations

import warnings

import numpy as np

from .errors import DataError
from .records import Examples

__all__ = ["fold_masks"]


def fold_masks(ex: Examples, folds: int, random_state: int) -> list[np.ndarray]:
    """Boolean test masks over the rows of ``ex``, one per fold, from scikit-learn's ``StratifiedGroupKFold``.

    The rows of one validation block (``ex.blocks``: a record with several
    labels, or all records sharing a ``group_field`` value) are always in the
    same fold; folds are stratified by label.

    Examples
    --------
    >>> ex = Examples(["a", "b", "c", "d"], ["x", "y", "x", "y"], np.ones(4), np.arange(4), np.array([0, 0, 1, 1]))
    >>> [m.tolist() for m in fold_masks(ex, 2, 0)]
    [[False, False, True, True], [True, True, False, False]]
    """
    from sklearn.model_selection import StratifiedGroupKFold

    n_blocks = len(set(ex.blocks.tolist()))
    if n_blocks < folds:
        raise DataError(f"{folds} validation folds need at least {folds} records or groups, got {n_blocks}")
    splitter = StratifiedGroupKFold(n_splits=folds, shuffle=True, random_state=random_state)
    with warnings.catch_warnings():
        # A class rarer than the number of folds is allowed: such a fold's head lacks it (see Head.logits_for).
        warnings.simplefilter("ignore", UserWarning)
        splits = list(splitter.split(np.zeros(len(ex.labels)), ex.labels, ex.blocks))
    masks = []
    for _, test in splits:
        mask = np.zeros(len(ex.labels), dtype=bool)
        mask[test] = True
        masks.append(mask)
    return masks
