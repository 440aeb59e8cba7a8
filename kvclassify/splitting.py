"""Validation splits: stratified folds that keep every block of rows (a record, or a group) together."""

from __future__ import annotations

import warnings
from collections import Counter

import numpy as np

from .errors import DataError
from .records import Examples

__all__ = ["fold_count", "fold_masks"]


def fold_count(ex: Examples, folds: int) -> int:
    """The number of folds ``ex`` is split into: ``folds``, or the row count of its largest label if that is smaller.

    Stratified folds need one label with a row in every fold; a label rarer
    than the folds is allowed (the heads of the folds without it lack it, see
    ``Head.logits_for``), so when *every* label is rarer there are as many
    folds as the largest label has rows, and data that passes
    ``min_examples`` (2 or more) can be validated.

    Raises
    ------
    DataError
        Fewer records or groups (``ex.blocks``) than ``folds``, or no label
        with two rows.

    Examples
    --------
    >>> ex = Examples(list("abcdef"), list("xxxyyy"), np.ones(6), np.arange(6), np.arange(6))
    >>> fold_count(ex, 5), fold_count(ex, 2)
    (3, 2)
    """
    n_blocks = len(set(ex.blocks.tolist()))
    if n_blocks < folds:
        raise DataError(f"{folds} validation folds need at least {folds} records or groups, got {n_blocks}")
    label, largest = Counter(ex.labels).most_common(1)[0]
    if largest < 2:
        raise DataError(
            f"validation needs a label with at least 2 examples, but every label has 1 (e.g. {label!r}); "
            "add examples or train without validation (validation='none')"
        )
    return min(folds, largest)


def fold_masks(ex: Examples, folds: int, random_state: int) -> list[np.ndarray]:
    """Boolean test masks over the rows of ``ex``, one per fold, from scikit-learn's ``StratifiedGroupKFold``.

    The rows of one validation block (``ex.blocks``: a record with several
    labels, or all records sharing a ``group_field`` value) are always in the
    same fold; folds are stratified by label. There are
    :func:`fold_count` masks: fewer than ``folds`` when every label is rarer.

    Examples
    --------
    >>> ex = Examples(["a", "b", "c", "d"], ["x", "y", "x", "y"], np.ones(4), np.arange(4), np.array([0, 0, 1, 1]))
    >>> [m.tolist() for m in fold_masks(ex, 2, 0)]
    [[False, False, True, True], [True, True, False, False]]
    """
    from sklearn.model_selection import StratifiedGroupKFold

    splitter = StratifiedGroupKFold(n_splits=fold_count(ex, folds), shuffle=True, random_state=random_state)
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
