"""Feature kinds: each owns its terms, its n-gram index, its matching and its readable form.

The featurizer holds one instance of every kind in :data:`FEATURE_KINDS`,
keyed by name (the name also names the kind's tables in a model file). All
kinds share one vocabulary; a kind's ``prefix`` marks its terms there, and
:func:`kind_of` is the only reader of the prefixes. A new kind of feature is
one subclass of :class:`FeatureKind`, one entry in :data:`FEATURE_KINDS` and
its switch in ``FeatureConfig``.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from itertools import chain, repeat
from typing import TYPE_CHECKING, ClassVar

import numpy as np

from .ngrams import NgramIndex
from .tokens import MARK, TokenBatch

if TYPE_CHECKING:
    from .feature_config import FeatureConfig

__all__ = ["TIMES_BITS", "match_keys", "FeatureKind", "WordNgrams", "CharNgrams", "FEATURE_KINDS", "kind_of"]

#: Low bits of a match key that count the occurrences it stands for (see :func:`match_keys`).
TIMES_BITS = 8
_MOST = (1 << TIMES_BITS) - 1
_CACHED_TOKENS = 1 << 15  # distinct tokens whose character n-grams a kind keeps for the one-text path
_FEW_CODES = 200  # characters of new tokens up to which their n-grams are matched in Python


def _split(times: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """How many keys each count of occurrences needs (at most ``_MOST`` a key), and the count of every key."""
    if not len(times) or int(times.max()) <= _MOST:
        return np.ones(len(times), dtype=np.int64), times
    full, rest = np.divmod(times, _MOST)
    pieces = full + (rest > 0)
    split = np.full(int(pieces.sum()), _MOST, dtype=np.int64)
    split[(np.cumsum(pieces) - 1)[rest > 0]] = rest[rest > 0]
    return pieces, split


def match_keys(texts: np.ndarray, feats: np.ndarray, times: np.ndarray | None, n_features: int) -> np.ndarray:
    """Feature occurrences as sortable keys ``(text * n_features + feature) << TIMES_BITS | occurrences``.

    ``times``: how many occurrences each match stands for (None: one). A
    match of more occurrences than the low bits hold becomes several keys
    whose low bits add up to them. Sorting the keys of a batch groups its
    texts, orders each text's features, and puts the keys of one (text,
    feature) next to each other: see ``Featurizer.rows``.

    Examples
    --------
    >>> keys = match_keys(np.array([0, 1]), np.array([2, 0]), np.array([1, 300]), n_features=3)
    >>> (keys >> TIMES_BITS).tolist(), (keys & 255).tolist()
    ([2, 3, 3], [1, 255, 45])
    """
    pairs = (texts * n_features + feats) << TIMES_BITS
    if times is None:
        return pairs | 1
    pieces, times = _split(times)
    return np.repeat(pairs, pieces) | times if len(pieces) != len(times) else pairs | times


class FeatureKind(ABC):
    """One kind of feature, with the n-gram index of its part of the vocabulary.

    Parameters
    ----------
    index : the kind's :class:`~kvclassify.ngrams.NgramIndex` (built from the
        vocabulary, or read from a model file).

    Examples
    --------
    >>> from kvclassify.features import FeatureConfig, Featurizer
    >>> f = Featurizer.fit(["Bent u bereid?"], FeatureConfig(word_ngrams=(1, 1), char_ngrams=(5, 5), min_df=1))
    >>> {name: kind.active for name, kind in f.kinds.items()}, sorted(f.kinds["words"].known_words())
    ({'words': True, 'chars': True}, ['bent', 'bereid', 'u'])
    """

    #: Marks the kind's terms in the shared vocabulary ("" for at most one kind).
    prefix: ClassVar[str] = ""

    def __init__(self, index: NgramIndex) -> None:
        self.index = index

    @classmethod
    @abstractmethod
    def from_config(cls, config: FeatureConfig, index: NgramIndex) -> FeatureKind:
        """The kind as ``config`` sets it up."""

    @abstractmethod
    def terms(self, clauses: list[list[str]]) -> list[str]:
        """The kind's vocabulary terms in a text tokenised into clauses (the string reference)."""

    @classmethod
    @abstractmethod
    def symbols(cls, term: str) -> Sequence[str]:
        """The symbols of one of the kind's vocabulary terms, as its index stores them."""

    @abstractmethod
    def matches(self, batch: TokenBatch, n_features: int) -> np.ndarray:
        """The occurrences of the kind's features in ``batch`` as :func:`match_keys` (vocabulary of ``n_features``)."""

    @abstractmethod
    def features_of(self, text: list[list[str]], out: list[int]) -> None:
        """Add to ``out`` the feature id of every occurrence of the kind's features in one text given as clauses.

        The same occurrences as :meth:`matches` finds (in another order), in plain Python: the
        one-text path of ``Featurizer.rows_of``, for which a few dozen tokens
        cost less in Python than numpy's per-call overhead.
        """

    @property
    def active(self) -> bool:
        """Whether the kind has any feature to match."""
        return len(self.index.symbols) > 1

    @classmethod
    def readable(cls, term: str) -> str:
        """A vocabulary term as a user reads it in an explanation."""
        return term

    def known_words(self) -> frozenset[str]:
        """The word tokens the kind's features are made of (none for sub-word kinds)."""
        return frozenset()


class WordNgrams(FeatureKind):
    """Word n-grams inside a clause and clause-start n-grams ``"^ bent u bereid"``.

    Examples
    --------
    >>> WordNgrams((1, 2), 2, NgramIndex.build([])).terms([["bent", "u"]])
    ['bent', 'u', 'bent u', '^ bent', '^ bent u']
    """

    def __init__(self, ngrams: tuple[int, int] | None, clause_start: int, index: NgramIndex) -> None:
        super().__init__(index)
        self.ngrams = ngrams
        self.clause_start = clause_start
        self._ids: dict[str, int] = dict(zip(index.symbols, range(len(index.symbols))))

    @classmethod
    def from_config(cls, config: FeatureConfig, index: NgramIndex) -> WordNgrams:
        return cls(config.word_ngrams, config.clause_start, index)

    def terms(self, clauses: list[list[str]]) -> list[str]:
        terms: list[str] = []
        for toks in clauses:
            if self.ngrams is not None:
                lo, hi = self.ngrams
                for n in range(lo, hi + 1):
                    terms.extend(" ".join(toks[i : i + n]) for i in range(len(toks) - n + 1))
            terms.extend(MARK + " " + " ".join(toks[:j]) for j in range(1, min(self.clause_start, len(toks)) + 1))
        return terms

    @classmethod
    def symbols(cls, term: str) -> Sequence[str]:
        return term.split(" ")

    def matches(self, batch: TokenBatch, n_features: int) -> np.ndarray:
        unknown = self.index.unknown
        sym = np.fromiter(map(self._ids.get, batch.unique, repeat(unknown)), dtype=np.int64, count=len(batch.unique))
        # Every text starts with a clause marker, which no n-gram holds but as its first symbol:
        # the n-grams of the stream never cross from one text into the next.
        starts, feats = self.index.match(sym[batch.inv])
        return match_keys(batch.row[starts], feats, None, n_features)

    def features_of(self, text: list[list[str]], out: list[int]) -> None:
        get, unknown = self._ids.get, self.index.unknown
        stream: list[int] = []
        for clause in text:  # a marker (symbol 0) before every clause, as in the batch stream
            stream.append(0)
            stream += map(get, clause, repeat(unknown))
        out += self.index.match_list(stream)

    def known_words(self) -> frozenset[str]:
        return frozenset(self.index.symbols[1:])


class CharNgrams(FeatureKind):
    """Character n-grams of ``" word "`` (as scikit-learn's ``char_wb``): Dutch compounds share their parts.

    Examples
    --------
    >>> CharNgrams((4, 4), NgramIndex.build([])).terms([["asiel"]])
    ['# asi', '#asie', '#siel', '#iel ']
    >>> CharNgrams.readable("# asi")
    "'_asi'"
    """

    prefix = "#"

    def __init__(self, ngrams: tuple[int, int] | None, index: NgramIndex) -> None:
        super().__init__(index)
        self.ngrams = ngrams
        # The symbol id of every code point up to the largest known one; the last entry stands for all above.
        codes = [ord(c) for c in index.symbols[1:]]
        self._sym_of_code = np.full(max(codes, default=0) + 2, index.unknown, dtype=np.int64)
        self._sym_of_code[codes] = np.arange(1, len(codes) + 1)
        self._symbol_of_char = dict(zip(index.symbols[1:], range(1, len(index.symbols))))
        # The features of tokens seen by ``features_of``: a text's words are nearly all known ones.
        self._cache: dict[str, tuple[int, ...]] = {}

    @classmethod
    def from_config(cls, config: FeatureConfig, index: NgramIndex) -> CharNgrams:
        return cls(config.char_ngrams, index)

    def terms(self, clauses: list[list[str]]) -> list[str]:
        if self.ngrams is None:
            return []
        lo, hi = self.ngrams
        out: list[str] = []
        for token in (tok for clause in clauses for tok in clause):
            padded = f" {token} "
            size = len(padded)
            out.extend(
                self.prefix + padded[i : i + n] for n in range(lo, min(hi, size) + 1) for i in range(size - n + 1)
            )
        return out

    @classmethod
    def symbols(cls, term: str) -> Sequence[str]:
        return tuple(term[len(cls.prefix) :])

    def matches(self, batch: TokenBatch, n_features: int) -> np.ndarray:
        """The n-grams of the batch's tokens: of every occurrence for a few texts, else of each distinct token once.

        Many texts: each distinct token is matched once and its n-grams are
        repeated for each text it occurs in, standing for its occurrences
        there, so memory grows with the distinct tokens of a text, not its length.
        """
        if len(batch.inv) <= 2 * len(batch.unique):
            occurrences = (batch.inv > 0).nonzero()[0]  # id 0 is the marker
            owner, feats = self._grams([batch.unique[t] for t in batch.inv[occurrences].tolist()])
            return match_keys(batch.row[occurrences[owner]], feats, None, n_features)
        n_unique = len(batch.unique)
        owner, feats = self._grams(batch.unique[1:])
        # The n-grams token by token (token t's: grams[first[t]:first[t + 1]]), each as the low part of a key.
        grams = np.sort((owner + 1) * n_features + feats)  # +1: ids of ``unique``, whose 0 is the marker
        first = np.searchsorted(grams, np.arange(n_unique + 1) * n_features)
        grams = (grams - np.repeat(np.arange(n_unique), np.diff(first)) * n_features) << TIMES_BITS
        pairs, times = np.unique(batch.row * n_unique + batch.inv, return_counts=True)
        texts, tokens = np.divmod(pairs, n_unique)
        pieces, times = _split(times)
        texts, tokens = np.repeat(texts, pieces), np.repeat(tokens, pieces)
        # Ragged gather: for each (text, token), the slice of the token's n-grams, added to the pair's part of the key.
        lo, n_grams = first[tokens], first[tokens + 1] - first[tokens]
        ends = np.cumsum(n_grams)
        take = np.arange(ends[-1] if len(ends) else 0) + np.repeat(lo - (ends - n_grams), n_grams)
        return grams[take] + np.repeat(((texts * n_features) << TIMES_BITS) | times, n_grams)

    def features_of(self, text: list[list[str]], out: list[int]) -> None:
        words = [w for clause in text for w in clause]
        grams = list(map(self._cache.get, words))  # nearly every word of a text is a known one
        if None in grams:
            learnt = self._learn([w for w, g in zip(words, grams) if g is None])
            grams = [learnt[w] if g is None else g for w, g in zip(words, grams)]
        out += chain.from_iterable(grams)

    def _learn(self, tokens: Sequence[str]) -> dict[str, tuple[int, ...]]:
        """The features of ``" token "`` for each of ``tokens`` (matched at once), kept in the cache.

        The cache is bounded: full, it is replaced by an empty one (a
        concurrent reader keeps the one it holds).
        """
        new = list(dict.fromkeys(tokens))
        # A few new tokens (the usual case) are matched in Python, many in numpy.
        few = sum(map(len, new)) <= _FEW_CODES
        owner, feats = self._grams_list(new) if few else (a.tolist() for a in self._grams(new))
        grams: list[list[int]] = [[] for _ in new]
        for o, f in zip(owner, feats):
            grams[o].append(f)
        learnt = dict(zip(new, map(tuple, grams)))
        cache = self._cache
        if len(cache) + len(new) > _CACHED_TOKENS:
            self._cache = cache = {}
        cache.update(learnt)
        return learnt

    def _grams(self, tokens: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """The matched n-grams of ``" token "`` for each of ``tokens``: the token's position and the feature id."""
        # " tok1 \0 tok2 ": an unknown symbol after each padded token, so that no n-gram spans two of them.
        joined = " " + " \0 ".join(tokens) + " " if tokens else ""
        codes = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        starts, feats = self.index.match(self._sym_of_code[np.minimum(codes, len(self._sym_of_code) - 1)])
        # The token of every code (its padding and separator included), read at each n-gram's start.
        sizes = np.fromiter(map(len, tokens), dtype=np.int64, count=len(tokens)) + 3
        return np.repeat(np.arange(len(tokens)), sizes)[starts], feats

    def _grams_list(self, tokens: Sequence[str]) -> tuple[list[int], list[int]]:
        """:meth:`_grams` in plain Python (``NgramIndex.match_list``, a token at a time), for a few short tokens."""
        symbol, unknown, match = self._symbol_of_char.get, self.index.unknown, self.index.match_list
        owner: list[int] = []
        feats: list[int] = []
        for k, token in enumerate(tokens):
            found = match([symbol(c, unknown) for c in f" {token} "])
            feats += found
            owner += [k] * len(found)
        return owner, feats

    @classmethod
    def readable(cls, term: str) -> str:
        return "'" + term[len(cls.prefix) :].replace(" ", "_") + "'"


#: Every kind of feature by name, in the order their parts are summed.
FEATURE_KINDS: dict[str, type[FeatureKind]] = {"words": WordNgrams, "chars": CharNgrams}


def kind_of(term: str) -> str:
    """The name of the kind a vocabulary term belongs to: the longest prefix it starts with.

    Examples
    --------
    >>> kind_of("bent u"), kind_of("#asie")
    ('words', 'chars')
    """
    owners = [name for name, kind in FEATURE_KINDS.items() if term.startswith(kind.prefix)]
    return max(owners, key=lambda name: len(FEATURE_KINDS[name].prefix))
