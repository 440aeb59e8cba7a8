"""Integer look-up tables of n-grams: how a batch of symbol streams is matched against a vocabulary."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from .tokens import MARK

__all__ = ["NgramIndex"]

_DENSE_LIMIT = 4_000_000  # largest key space of an n-gram level kept as a direct-address table (16 MB)


@dataclass(frozen=True, slots=True)
class NgramIndex:
    """Integer look-up tables of n-grams over symbols (words, or the characters of a word).

    ``symbols[t]`` is the symbol of id ``t`` (``symbols[0]`` is the clause
    marker, unused by character n-grams); ``unigram[t]`` the feature id of
    that symbol alone (-1: none). ``levels[n-2] = (keys, ids)`` covers
    n-grams of n symbols: the prefix of ``n-1`` symbols with id ``p`` (a
    symbol id for n = 2, else a position in the previous level's ``keys``)
    followed by symbol ``t`` has key ``p * len(symbols) + t``; ``keys`` is
    sorted, ``ids`` holds the feature id (-1: a prefix only). Stored in the
    model file, so loading does no string work, and matching a whole batch is
    one ``searchsorted`` per n-gram length.

    Examples
    --------
    >>> index = NgramIndex.build([(("bent", "u"), 0), (("u",), 1)])
    >>> groups, feats = index.match(np.array([1, 2, 2]), np.array([0, 0, 1]))
    >>> sorted(zip(groups.tolist(), feats.tolist()))
    [(0, 0), (0, 1), (1, 1)]
    """

    symbols: tuple[str, ...]
    unigram: np.ndarray
    levels: tuple[tuple[np.ndarray, np.ndarray], ...]
    # Direct-address tables (key -> position, -1 where none) for levels whose key space is small,
    # as for characters: one array read per query instead of a binary search.
    dense: tuple[np.ndarray | None, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        dense: list[np.ndarray | None] = []
        space = len(self.symbols)
        for keys, _ in self.levels:
            space *= len(self.symbols)
            table = None
            if space <= _DENSE_LIMIT:
                table = np.full(space, -1, dtype=np.int32)
                table[keys] = np.arange(len(keys), dtype=np.int32)
            dense.append(table)
            space = len(keys)
        object.__setattr__(self, "dense", tuple(dense))

    @classmethod
    def build(cls, grams: Sequence[tuple[Sequence[str], int]]) -> NgramIndex:
        """Index ``(symbols of an n-gram, feature id)`` pairs."""
        symbols: dict[str, int] = {MARK: 0}
        for syms, _ in grams:
            for t in syms:
                symbols.setdefault(t, len(symbols))
        base = len(symbols)
        unigram = np.full(base, -1, dtype=np.int64)
        for syms, i in grams:
            if len(syms) == 1:
                unigram[symbols[syms[0]]] = i
        features = {tuple(syms): i for syms, i in grams if len(syms) > 1}
        prefix_id = {(t,): k for t, k in symbols.items()}
        levels = []
        for n in range(2, max((len(syms) for syms, _ in grams), default=1) + 1):
            level = sorted({tuple(syms[:n]) for syms, _ in grams if len(syms) >= n})
            keys = np.array([prefix_id[g[:-1]] * base + symbols[g[-1]] for g in level], dtype=np.int64)
            order = np.argsort(keys, kind="stable")
            levels.append((keys[order], np.array([features.get(g, -1) for g in level], dtype=np.int64)[order]))
            prefix_id = {level[j]: k for k, j in enumerate(order)}
        return cls(tuple(symbols), unigram, tuple(levels))

    def check(self, n_features: int) -> None:
        """Refuse tables that cannot belong to a vocabulary of ``n_features`` terms."""
        base = len(self.symbols)
        ok = base >= 1 and self.symbols[0] == MARK and len(self.unigram) == base
        ok = ok and bool((self.unigram < n_features).all())
        prev = base
        for keys, ids in self.levels:
            ok = ok and keys.shape == ids.shape and len(keys) > 0 and bool((ids < n_features).all())
            ok = ok and bool((np.diff(keys) > 0).all()) and 0 <= keys[0] and keys[-1] < prev * base
            prev = len(keys)
        if not ok:
            raise ValueError("an n-gram index does not match the vocabulary")

    def match(self, s: np.ndarray, group: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """All n-grams of the symbol stream ``s`` (-1: unknown) that are features.

        N-grams never span two ``group`` values. Returns the group and the
        feature id of every match (a feature may match several times).
        """
        base = len(self.symbols)
        f = np.where(s >= 0, self.unigram[np.maximum(s, 0)], -1)
        groups, feats = [group[f >= 0]], [f[f >= 0]]
        pid = s  # id of the (n-1)-gram prefix starting at each position, -1 where none is known
        for n, ((keys, ids), table) in enumerate(zip(self.levels, self.dense), start=2):
            m = len(s) - n + 1
            if m <= 0:
                break
            last = s[n - 1 :]
            ok = (pid[:m] >= 0) & (last >= 0) & (group[:m] == group[n - 1 :])
            query = np.where(ok, pid[:m] * base + last, 0)
            if table is not None:
                pos = table[query]
                ok &= pos >= 0
            else:
                pos = np.minimum(np.searchsorted(keys, query), len(keys) - 1)
                ok &= keys[pos] == query
            pid = np.where(ok, pos, -1)
            f = np.where(ok, ids[pos], -1)
            groups.append(group[:m][f >= 0])
            feats.append(f[f >= 0])
        return np.concatenate(groups), np.concatenate(feats)
