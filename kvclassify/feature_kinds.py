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
from typing import TYPE_CHECKING, ClassVar

import numpy as np

from .ngrams import NgramIndex
from .tokens import MARK, TokenBatch

if TYPE_CHECKING:
    import scipy.sparse as sp

    from .features import FeatureConfig

__all__ = ["FeatureKind", "WordNgrams", "CharNgrams", "FEATURE_KINDS", "kind_of", "count_matrix"]


def _sparse():  # type: ignore[no-untyped-def]
    """scipy.sparse, imported on first use: parsing documents and loading models do not need it."""
    import scipy.sparse

    return scipy.sparse


def count_matrix(groups: np.ndarray, feats: np.ndarray, n_rows: int, n_features: int) -> sp.csr_matrix:
    """Duplicate-free CSR of match counts, one row per group; ``groups`` must be sorted.

    Examples
    --------
    >>> count_matrix(np.array([0, 0, 1]), np.array([2, 2, 0]), 2, 3).toarray().tolist()
    [[0.0, 0.0, 2.0], [1.0, 0.0, 0.0]]
    """
    key, counts = np.unique(groups * n_features + feats, return_counts=True)
    r, c = np.divmod(key, max(n_features, 1))
    indptr = np.searchsorted(r, np.arange(n_rows + 1))
    return _sparse().csr_matrix((counts.astype(np.float32), c.astype(np.int32), indptr), shape=(n_rows, n_features))


class FeatureKind(ABC):
    """One kind of feature, with the n-gram index of its part of the vocabulary.

    Parameters
    ----------
    index : the kind's :class:`~kvclassify.ngrams.NgramIndex` (built from the
        vocabulary, or read from a model file).
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
    def counts(self, batch: TokenBatch, n_features: int) -> sp.csr_matrix:
        """How often each of the kind's features occurs in each text of ``batch``."""

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

    def counts(self, batch: TokenBatch, n_features: int) -> sp.csr_matrix:
        sym = np.array([self._ids.get(t, -1) for t in batch.unique], dtype=np.int64)
        rows, feats = self.index.match(sym[batch.inv], batch.row)
        return count_matrix(rows, feats, batch.n_texts, n_features)

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
        # Characters are matched by code point: a sorted array of them and the symbol id of each.
        codes = np.array([ord(c) for c in index.symbols[1:]], dtype=np.int64)
        order = np.argsort(codes)
        self._codes, self._ids = codes[order], order + 1

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

    def counts(self, batch: TokenBatch, n_features: int) -> sp.csr_matrix:
        """Token occurrences per text times the n-grams of each distinct token (computed once)."""
        padded = [f" {t} " if k else "" for k, t in enumerate(batch.unique)]  # id 0 is the marker
        codes = np.frombuffer("".join(padded).encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
        pos = np.minimum(np.searchsorted(self._codes, codes), len(self._codes) - 1)
        sym = np.where(self._codes[pos] == codes, self._ids[pos], -1)
        owner = np.repeat(np.arange(len(padded)), [len(p) for p in padded])
        grams = count_matrix(*self.index.match(sym, owner), len(padded), n_features)
        # Duplicates in the occurrence matrix are fine: the sparse product accumulates them.
        occ_ptr = np.searchsorted(batch.row, np.arange(batch.n_texts + 1))
        occurrences = _sparse().csr_matrix(
            (np.ones(len(batch.inv), dtype=np.float32), batch.inv, occ_ptr), shape=(batch.n_texts, len(padded))
        )
        return occurrences @ grams

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
