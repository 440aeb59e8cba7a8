"""Turning result dataclasses into plain JSON types, in one place."""

from __future__ import annotations

import datetime as dt
from dataclasses import fields, is_dataclass
from typing import Any

import numpy as np

__all__ = ["Plain", "to_plain"]


def to_plain(value: Any) -> Any:
    """A JSON-ready copy of ``value``: dataclasses become dicts, tuples lists, dates ISO strings.

    Examples
    --------
    >>> to_plain({"when": dt.date(2025, 1, 31), "n": np.int64(3), "ab": ("a", "b")})
    {'when': '2025-01-31', 'n': 3, 'ab': ['a', 'b']}
    """
    if hasattr(value, "to_dict") and is_dataclass(value):
        return value.to_dict()
    if isinstance(value, dict):
        return {str(k): to_plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_plain(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, np.generic):
        return value.item()
    return value


class Plain:
    """Mixin for frozen result dataclasses: ``to_dict()`` returns every field as plain JSON types.

    Examples
    --------
    >>> from dataclasses import dataclass
    >>> @dataclass(frozen=True)
    ... class Pair(Plain):
    ...     a: tuple[int, ...]
    >>> Pair((1, 2)).to_dict()
    {'a': [1, 2]}
    """

    __slots__ = ()

    def to_dict(self) -> dict[str, Any]:
        return {f.name: to_plain(getattr(self, f.name)) for f in fields(self)}  # type: ignore[arg-type]
