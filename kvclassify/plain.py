"""Turning result dataclasses into plain JSON types, in one place."""

from __future__ import annotations

import datetime as dt
from dataclasses import fields, is_dataclass
from typing import Any

import numpy as np

__all__ = ["FrozenDict", "FrozenList", "Plain", "frozen_copy", "to_plain"]


class FrozenDict(dict):  # type: ignore[type-arg]
    """A ``dict`` that cannot be changed once made: the mappings inside frozen results.

    It reads, compares, pickles and serialises as a dict (``json.dumps``
    takes it), hashes when its values do, and every change is a ``TypeError``;
    ``dict(d)`` is a copy to change.

    Examples
    --------
    >>> d = FrozenDict({"factual": 0.9})
    >>> d["factual"], d == {"factual": 0.9}, hash(d) == hash(FrozenDict(factual=0.9))
    (0.9, True, True)
    >>> d["factual"] = 1.0
    Traceback (most recent call last):
    ...
    TypeError: this mapping is part of a model card or result: read-only (dict(...) makes a copy to change)
    """

    __slots__ = ()

    def _read_only(self, *args: Any, **kwargs: Any) -> Any:
        raise TypeError("this mapping is part of a model card or result: read-only (dict(...) makes a copy to change)")

    __setitem__ = __delitem__ = __ior__ = clear = pop = popitem = setdefault = update = _read_only

    def __hash__(self) -> int:  # type: ignore[override]
        return hash(frozenset(self.items()))

    def __reduce__(self) -> tuple[type[FrozenDict], tuple[dict[Any, Any]]]:
        return FrozenDict, (dict(self),)  # pickle's default would set items one by one


class FrozenList(list):  # type: ignore[type-arg]
    """A ``list`` that cannot be changed once made (inside a model card: see :func:`frozen_copy`).

    Examples
    --------
    >>> FrozenList([1, 2]).append(3)
    Traceback (most recent call last):
    ...
    TypeError: this list is part of a model card or result: read-only (list(...) makes a copy to change)
    """

    __slots__ = ()

    def _read_only(self, *args: Any, **kwargs: Any) -> Any:
        raise TypeError("this list is part of a model card or result: read-only (list(...) makes a copy to change)")

    __setitem__ = __delitem__ = __iadd__ = __imul__ = _read_only
    append = extend = insert = pop = remove = clear = sort = reverse = _read_only

    def __reduce__(self) -> tuple[type[FrozenList], tuple[list[Any]]]:
        return FrozenList, (list(self),)


def frozen_copy(value: Any) -> Any:
    """A read-only deep copy of JSON-like data (a model card): :class:`FrozenDict` and :class:`FrozenList`.

    A card is shared by every user of a loaded (and cached) model: a change
    made through one would change what the others read.

    Examples
    --------
    >>> card = frozen_copy({"a": [1, {"b": 2}]})
    >>> card == {"a": [1, {"b": 2}]}, type(card["a"]).__name__
    (True, 'FrozenList')
    """
    if isinstance(value, dict):
        return FrozenDict({k: frozen_copy(v) for k, v in value.items()})
    if isinstance(value, (list, tuple)):
        return FrozenList(frozen_copy(v) for v in value)
    return value


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
