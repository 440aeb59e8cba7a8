"""The one rule of a missing value, shared by every reader of texts, labels and ids."""

from __future__ import annotations

import math
import sys
from typing import Any

__all__ = ["is_missing"]


def is_missing(value: Any) -> bool:
    """The one rule of a missing value: None, a float NaN (numpy's too), pandas' ``NA`` or ``NaT``.

    Examples
    --------
    >>> [is_missing(v) for v in (None, float("nan"), "", "nan", 0)]
    [True, True, False, False, False]
    """
    if value is None:
        return True
    if isinstance(value, float):  # numpy.float64 included
        return math.isnan(value)
    # numpy and pandas values exist only where their module was imported: neither is imported here.
    numpy, pandas = sys.modules.get("numpy"), sys.modules.get("pandas")
    if numpy is not None and isinstance(value, numpy.floating):
        return bool(numpy.isnan(value))
    return pandas is not None and (value is pandas.NA or value is pandas.NaT)
