"""Integer look-up tables of n-grams: how a batch of symbol streams is matched against a vocabulary."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .tokens import MARK

__all__ = ["NgramIndex", "check_tables"]

_DENSE_LIMIT = 4_000_000  # largest key space of an n-gram level kept as a direct-address table (16 MB)
_DENSE_SPREAD = 64  # ... and at most this many slots a key: a sparse level is hashed
_HASH_SLOTS_PER_KEY = 4  # a sparse level's open-addressing table is at most a quarter full: ~1.3 probes a query
_FIBONACCI = np.uint64(0x9E3779B97F4A7C15)  # 2**64 / golden ratio: spreads consecutive keys over the slots
_EMPTY = -1  # a free slot of a hashed level (every query key is >= 0)
# A level as match_list reads it: the direct-address table, else a dict's ``get``; the ids; ``none``.
_Reader = tuple[memoryview | None, Callable[[int, int], int] | None, memoryview, int]


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
    one look-up of all its queries per n-gram length.

    Examples
    --------
    >>> index = NgramIndex.build([(("bent", "u"), 0), (("u",), 1)])
    >>> starts, feats = index.match(np.array([1, 2, index.unknown, 2]))  # "bent u ? u"
    >>> sorted(zip(starts.tolist(), feats.tolist()))
    [(0, 0), (1, 1), (3, 1)]
    """

    symbols: tuple[str, ...]
    unigram: np.ndarray
    levels: tuple[tuple[np.ndarray, np.ndarray], ...]
    # The look-up form of the tables, built once at load: see ``_Lookup``.
    lookups: tuple[_Lookup, ...] = field(init=False, repr=False, compare=False)
    unigram_ids: np.ndarray = field(init=False, repr=False, compare=False)
    has_unigrams: bool = field(init=False, repr=False, compare=False)
    _unigram_view: memoryview = field(init=False, repr=False, compare=False)
    # [the levels as match_list reads them, made on first use]
    _python: list[tuple[_Reader, ...] | None] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        base = len(self.symbols)
        lookups = []
        prefixes = base  # the prefix ids of level n are the positions of level n-1 (symbols for n = 2)
        for keys, ids in self.levels:
            lookups.append(_Lookup.build(keys, ids, prefixes, base))
            prefixes = len(keys)
        object.__setattr__(self, "lookups", tuple(lookups))
        object.__setattr__(self, "unigram_ids", np.append(self.unigram, -1))
        object.__setattr__(self, "has_unigrams", bool((self.unigram >= 0).any()))
        object.__setattr__(self, "_unigram_view", memoryview(self.unigram_ids))
        object.__setattr__(self, "_python", [None])

    def __reduce__(self) -> tuple[type[NgramIndex], tuple[Any, ...]]:
        # The look-up form holds memoryviews, which do not pickle: a copy (pickle, a worker process) rebuilds it.
        return NgramIndex, (self.symbols, self.unigram, self.levels)

    @property
    def unknown(self) -> int:
        """The stream value of a symbol the index does not know (also what separates groups)."""
        return len(self.symbols)

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
        """Refuse tables that cannot belong to a vocabulary of ``n_features`` terms (see :func:`check_tables`)."""
        check_tables(self.symbols, self.unigram, self.levels, n_features)

    def match(self, s: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """All n-grams of the symbol stream ``s`` that are features: their start positions and feature ids.

        ``s`` holds symbol ids, :attr:`unknown` for a symbol the index does
        not know; an n-gram never spans an unknown, so putting one between
        groups keeps n-grams inside them. A feature may match several times.
        """
        starts, feats = [np.zeros(0, dtype=np.int64)], [np.zeros(0, dtype=np.int64)]
        if self.has_unigrams:
            f = self.unigram_ids[s]
            hit = (f >= 0).nonzero()[0]
            starts.append(hit)
            feats.append(f[hit])
        # Only positions whose (n-1)-gram is a known prefix are looked up at the next level: the
        # candidates shrink level by level, and the look-ups with them.
        at = (s < len(self.symbols)).nonzero()[0]  # start positions with a known prefix
        pid = s[at]  # the id of that prefix
        width = np.int64(len(self.symbols) + 1)  # int64 keys whatever the dtype of the previous ids
        for n, lookup in enumerate(self.lookups, start=2):
            keep = at < len(s) - n + 1
            at, pid = at[keep], pid[keep]
            pid = lookup.find(pid * width + s[at + (n - 1)])
            if lookup.has_features:
                f = lookup.ids[pid]
                hit = (f >= 0).nonzero()[0]
                starts.append(at[hit])
                feats.append(f[hit])
            known = (pid < lookup.none).nonzero()[0]
            at, pid = at[known], pid[known]
            if not len(at):
                break
        return np.concatenate(starts), np.concatenate(feats)

    def match_list(self, s: list[int]) -> list[int]:
        """The feature ids that :meth:`match` finds in a short stream given as a list, in plain Python.

        One text has a few dozen symbols, for which walking the levels from
        each start (a table read or a dict look-up a level) is cheaper than
        the dozens of numpy calls of :meth:`match`.
        """
        unknown, width = len(self.symbols), len(self.symbols) + 1
        unigram = self._unigram_view
        levels = self._python[0]
        if levels is None:
            levels = self._readers()
        s = [*s, unknown]  # an unknown at the end stops every walk: no bounds check
        feats: list[int] = []
        found = feats.append
        for i, t in enumerate(s):
            if t >= unknown:
                continue
            if (f := unigram[t]) >= 0:
                found(f)
            pid, j = t, i + 1
            for table, positions, ids, none in levels:
                query = pid * width + s[j]
                # A branch, not a dict's ``__missing__``: most walks end in a miss, and a method call costs more.
                if (pid := table[query] if table is not None else positions(query, none)) == none:
                    break
                if (f := ids[pid]) >= 0:
                    found(f)
                j += 1
        return feats

    def _readers(self) -> tuple[_Reader, ...]:
        """Every level as :meth:`match_list` reads it, made on first use (see ``_Lookup.reader``)."""
        readers = tuple(lookup.reader() for lookup in self.lookups)
        self._python[0] = readers  # a race only builds the same readers twice
        return readers


@dataclass(frozen=True, slots=True)
class _Lookup:
    """One n-gram level as queried: key ``prefix * (n_symbols + 1) + symbol`` -> position.

    The extra symbol and prefix values (``n_symbols``, ``n_prefixes``) stand
    for "unknown", and ``none`` (the level's size) for "no such n-gram", so a
    query needs no masking: ``ids[none]`` is -1. A small key space is a
    direct-address table (one array read per query), a large one a hash
    table made on its first batch (:class:`_HashTable`).
    """

    keys: np.ndarray  # sorted query keys, with a sentinel larger than any query at the end
    ids: np.ndarray  # feature id per position, -1 for a prefix only and at ``none``
    table: np.ndarray | None
    none: int
    has_features: bool
    ids_view: memoryview = field(init=False, repr=False, compare=False)
    # [the hash table of a sparse level, made on its first batch: see ``_hashed``]
    _hash: list[_HashTable | None] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "ids_view", memoryview(self.ids))
        object.__setattr__(self, "_hash", [None])

    def reader(self) -> _Reader:
        """The level as Python reads it (``NgramIndex.match_list``): the table's view, else the ``get`` of a dict
        of the keys' positions, and the ids and ``none``.

        A sparse level's dict (a few MB for the largest level) is made only
        here, once per index (``NgramIndex._readers``): a batch never needs
        it, and a binary search from Python costs ~20x a look-up.
        """
        if self.table is not None:
            return memoryview(self.table), None, self.ids_view, self.none
        return None, dict(zip(self.keys[:-1].tolist(), range(self.none))).get, self.ids_view, self.none

    @classmethod
    def build(cls, keys: np.ndarray, ids: np.ndarray, n_prefixes: int, base: int) -> _Lookup:
        width = base + 1
        query_keys = keys // base * width + keys % base  # the same order: the map is increasing
        none = len(keys)
        table = None
        space = (n_prefixes + 1) * width
        if space <= _DENSE_LIMIT and space <= _DENSE_SPREAD * max(none, 1):
            table = np.full(space, none, dtype=np.int32)
            table[query_keys] = np.arange(none, dtype=np.int32)
        sentinel = np.iinfo(np.int64).max
        return cls(np.append(query_keys, sentinel), np.append(ids, -1), table, none, bool((ids >= 0).any()))

    def find(self, query: np.ndarray) -> np.ndarray:
        """The position of every query key, ``none`` where it is not a key."""
        if self.table is not None:
            return self.table[query]
        table = self._hash[0]
        if table is None:  # made on the first batch: one text reads a dict (``reader``) and never pays for it
            table = self._hash[0] = _HashTable.build(self.keys[:-1])  # a race only builds the same table twice
        return table.find(query, self.none)


@dataclass(frozen=True, slots=True)
class _HashTable:
    """An open-addressing (linear probing) table of a sparse level's keys: key -> its position.

    A batch's queries are looked up together, a probe at a time, each probe a
    few whole-array operations on the queries still unresolved. Against a
    binary search of the sorted queries (an ``argsort`` and a
    ``searchsorted``) this costs a quarter of the time on the shipped model's
    levels (measured: 5 against 22 ms for 2,310 question units; building
    the tables of all its levels, 2 ms).

    Examples
    --------
    >>> t = _HashTable.build(np.array([3, 10, 12], dtype=np.int64))
    >>> t.find(np.array([12, 4, 3, 10], dtype=np.int64), 3).tolist()
    [2, 3, 0, 1]
    """

    keys: np.ndarray  # the key in each slot, _EMPTY for a free one
    positions: np.ndarray  # the position of the key in each slot
    shift: np.uint64  # a key's first slot is the top bits of its Fibonacci product

    @classmethod
    def build(cls, keys: np.ndarray) -> _HashTable:
        bits = max(4, (_HASH_SLOTS_PER_KEY * len(keys) - 1).bit_length())
        table = cls(np.full(1 << bits, _EMPTY, dtype=np.int64), np.zeros(1 << bits, dtype=np.int64),
                    np.uint64(64 - bits))
        slot, todo = table._slots(keys), np.arange(len(keys))
        while len(todo):
            # Of the keys whose slot is free, one per slot takes it (the one whose claim is read back); the rest
            # probe the next slot.
            free = (table.keys[slot] == _EMPTY).nonzero()[0]
            table.positions[slot[free]] = todo[free]
            won = free[table.positions[slot[free]] == todo[free]]
            table.keys[slot[won]] = keys[todo[won]]
            left = np.ones(len(todo), dtype=bool)
            left[won] = False
            todo, slot = todo[left], (slot[left] + 1) & (len(table.keys) - 1)
        return table

    def _slots(self, keys: np.ndarray) -> np.ndarray:
        return ((keys.astype(np.uint64) * _FIBONACCI) >> self.shift).astype(np.int64)

    def find(self, query: np.ndarray, none: int) -> np.ndarray:
        """The position of every query key, ``none`` where it is not a key."""
        slot = self._slots(query)
        found = self.keys[slot]
        out = np.where(found == query, self.positions[slot], none)
        # A query probes on while its slot holds another key: at most a quarter full, few do, and fewer again.
        on = ((found != query) & (found != _EMPTY)).nonzero()[0]
        mask = len(self.keys) - 1
        while len(on):
            slot[on] = (slot[on] + 1) & mask
            found = self.keys[slot[on]]
            hit = found == query[on]
            out[on[hit]] = self.positions[slot[on[hit]]]
            on = on[~hit & (found != _EMPTY)]
        return out


def check_tables(
    symbols: Sequence[str], unigram: np.ndarray, levels: Sequence[tuple[np.ndarray, np.ndarray]], n_features: int
) -> None:
    """Refuse n-gram tables that an :class:`NgramIndex` over ``n_features`` features cannot have.

    Cheap, and safe to call on tables read from a file before an index (and
    its direct-address tables) is built on them: the marker comes first,
    there is one unigram id per symbol, every level's keys are sorted and
    inside its key space, and every feature id is -1 or a feature.

    Examples
    --------
    >>> index = NgramIndex.build([(("bent", "u"), 0)])
    >>> check_tables(index.symbols, index.unigram, index.levels, 1)
    >>> check_tables(index.symbols, index.unigram, index.levels, 0)
    Traceback (most recent call last):
    ...
    ValueError: an n-gram index refers to features outside the vocabulary of 0
    """
    base = len(symbols)
    if base < 1 or symbols[0] != MARK or unigram.shape != (base,):
        raise ValueError("an n-gram index needs the clause marker first and one unigram id per symbol")
    space = base
    for n, (keys, ids) in enumerate(levels, start=2):
        space *= base
        if keys.ndim != 1 or keys.shape != ids.shape or len(keys) == 0:
            raise ValueError(f"the {n}-gram level of an n-gram index is empty or its keys and ids differ")
        if keys[0] < 0 or keys[-1] >= space or not bool((np.diff(keys) > 0).all()):
            raise ValueError(f"the {n}-gram keys of an n-gram index are not sorted keys below {space}")
        space = len(keys)
    for ids in (unigram, *(ids for _, ids in levels)):
        if len(ids) and (int(ids.min()) < -1 or int(ids.max()) >= n_features):
            raise ValueError(f"an n-gram index refers to features outside the vocabulary of {n_features}")
