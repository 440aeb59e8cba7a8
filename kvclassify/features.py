"""The TF-IDF featurizer over the feature kinds of :mod:`kvclassify.feature_kinds`.

The featurizer is kvclassify's own (not scikit-learn's) so that a saved model
is plain data — a vocabulary and IDF weights — and predicts identically under
any scikit-learn version. Its kinds extract

* word n-grams inside a clause (a clause ends at ``? ! . ; :`` or a blank line),
* clause-start n-grams ``"^ bent u bereid"``: the first words of every clause,
  where the ask of a question is,
* character n-grams inside word boundaries, as scikit-learn's ``char_wb``:
  Dutch compounds share their parts.

Transforming is vectorised per batch and uses numpy alone: texts are
tokenised once, n-grams are looked up with integer keys (one table read
per n-gram length for the whole batch; character
n-grams once per distinct token), and the TF-IDF rows are plain arrays
(:class:`TfidfRows`) whose product with a head's weights gathers the weight
rows of each text's features and sums them. One text and a large batch run
the same code and give the same floats; scipy is imported only to hand
training a sparse matrix (:meth:`Featurizer.transform`).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import islice
from typing import TYPE_CHECKING

import numpy as np

from .feature_config import FeatureConfig
from .feature_kinds import FEATURE_KINDS, TIMES_BITS, FeatureKind, kind_of
from .ngrams import NgramIndex
from .tokens import TokenBatch, clauses, tokenize_batch

if TYPE_CHECKING:
    import scipy.sparse as sp

__all__ = ["FeatureConfig", "Featurizer", "TermLines", "TfidfRows", "one_text_path", "paired"]

_CHUNK = 1 << 16  # entries of TfidfRows whose weight rows are gathered at once
_FIT_CHUNK = 4096  # texts tokenised at once while the vocabulary is counted
# Up to this many characters a pass takes the one-text path: measured, plain Python is faster up to
# 4 question units (~900 characters), the batch path from 8 (~1,700).
_ONE_TEXT_CHARS = 1200
_TIMES_MASK = (1 << TIMES_BITS) - 1
_SORT_GROUP_KEYS = 512  # keys sorted at once by ``_sorted``: they stay in cache
_NO_KEYS = np.zeros(0, dtype=np.int64)
_ZEROS = np.zeros(1 << 13, dtype=np.int64)  # the row of every feature of one text (a view of it)
_FIRST = np.zeros(1, dtype=np.int64)  # the start of a single row's sum
_SUBLINEAR_TF = np.log(np.arange(1, 1 << 12, dtype=np.float64)) + 1.0  # 1 + log(count) for the usual counts


@dataclass(frozen=True, slots=True)
class TermLines:
    """A vocabulary as a model file stores it: one term per line, split only when a term is read.

    Predicting needs only the number of terms (the n-gram indexes hold the
    terms' symbols), so loading a model does not split its vocabulary; an
    explanation or saving the model does, once.

    Examples
    --------
    >>> v = TermLines("bent u\\n^ bent\\n#asie")
    >>> len(v), v.split()
    (3, ('bent u', '^ bent', '#asie'))
    """

    text: str
    _count: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_count", self.text.count("\n") + 1 if self.text else 0)  # counted once

    def __len__(self) -> int:
        return self._count

    def split(self) -> tuple[str, ...]:
        """The terms, in order."""
        return tuple(self.text.split("\n")) if self.text else ()


class Featurizer:
    """Map texts to l2-normalised TF-IDF rows over a fixed vocabulary.

    Build one with :meth:`fit` (training) or from stored ``vocabulary``,
    ``idf`` and the index of every feature kind (loading); it is read-only and
    keeps no state between calls. ``kinds`` holds one
    :class:`~kvclassify.feature_kinds.FeatureKind` per name of
    :data:`~kvclassify.feature_kinds.FEATURE_KINDS`.

    Examples
    --------
    >>> f = Featurizer.fit(["Bent u bereid dit te doen?", "Wat vindt u?"],
    ...                    FeatureConfig(char_ngrams=None, min_df=1, clause_start=2))
    >>> f.transform(["Wat vindt u?"]).nnz
    7
    """

    def __init__(
        self,
        config: FeatureConfig,
        vocabulary: Sequence[str] | TermLines,
        idf: np.ndarray,
        indexes: Mapping[str, NgramIndex] | None = None,
    ) -> None:
        if len(vocabulary) != len(idf):
            raise ValueError(f"vocabulary ({len(vocabulary)}) and idf ({len(idf)}) differ in length")
        self.config = config
        self._terms = vocabulary if isinstance(vocabulary, TermLines) else tuple(vocabulary)
        self.idf = np.asarray(idf, dtype=np.float32)
        if indexes is None:
            if len(set(self.vocabulary)) != len(self.vocabulary):
                raise ValueError("vocabulary has duplicate terms")
            grams: dict[str, list[tuple[Sequence[str], int]]] = {name: [] for name in FEATURE_KINDS}
            for i, term in enumerate(self.vocabulary):
                name = kind_of(term)
                grams[name].append((FEATURE_KINDS[name].symbols(term), i))
            indexes = {name: NgramIndex.build(g) for name, g in grams.items()}
        if set(indexes) != set(FEATURE_KINDS):
            raise ValueError(f"n-gram indexes {sorted(indexes)} are not those of the kinds {sorted(FEATURE_KINDS)}")
        #: The size of the vocabulary.
        self.n_features = len(self._terms)
        for index in indexes.values():
            index.check(self.n_features)
        self.kinds: dict[str, FeatureKind] = {
            name: kind.from_config(config, indexes[name]) for name, kind in FEATURE_KINDS.items()
        }

    @property
    def vocabulary(self) -> tuple[str, ...]:
        """The terms, feature id by feature id (a stored vocabulary is split on first use)."""
        if isinstance(self._terms, TermLines):
            self._terms = self._terms.split()  # a race only splits twice: the same terms
        return self._terms

    def known_words(self) -> frozenset[str]:
        """The (normalised) word tokens that are part of some feature."""
        return frozenset().union(*(kind.known_words() for kind in self.kinds.values()))

    def readable(self, feature: int) -> str:
        """Feature ``feature`` as a user reads it (see ``FeatureKind.readable``)."""
        term = self.vocabulary[feature]
        return FEATURE_KINDS[kind_of(term)].readable(term)

    # -- fitting -----------------------------------------------------------
    def terms(self, text: str) -> list[str]:
        """All terms of a text, in or out of the vocabulary (the reference for :meth:`transform`)."""
        return self._terms_of(clauses(text, self.config.canonical_addressee))

    def _terms_of(self, toks: list[list[str]]) -> list[str]:
        return [term for kind in self.kinds.values() for term in kind.terms(toks)]

    @classmethod
    def fit(cls, texts: Iterable[str], config: FeatureConfig) -> Featurizer:
        """Learn the vocabulary and IDF weights from training texts."""
        df: Counter[str] = Counter()
        n_docs = 0
        probe = cls(config, (), np.zeros(0))
        texts = iter(texts)
        while chunk := list(islice(texts, _FIT_CHUNK)):  # tokenised a chunk at a time, as transform does
            for toks in tokenize_batch(chunk, config.canonical_addressee).clauses():
                df.update(set(probe._terms_of(toks)))
            n_docs += len(chunk)
        kept = [(t, c) for t, c in df.items() if c >= config.min_df]
        kept.sort(key=lambda tc: (-tc[1], tc[0]))
        if config.max_features is not None:
            kept = kept[: config.max_features]
        kept.sort(key=lambda tc: tc[0])  # a canonical order: same data, same file
        # Smooth IDF as scikit-learn's TfidfVectorizer(smooth_idf=True).
        idf = np.array([math.log((1 + n_docs) / (1 + c)) + 1.0 for _, c in kept], dtype=np.float32)
        return cls(config, [t for t, _ in kept], idf)

    # -- transforming ------------------------------------------------------
    def rows(self, batch: TokenBatch) -> TfidfRows:
        """The TF-IDF rows of a tokenised batch (see :class:`TfidfRows`), in numpy alone."""
        return self._rows([kind.matches(batch, self.n_features) for kind in self.kinds.values() if kind.active],
                          batch.n_texts)

    def rows_of(self, texts: Sequence[list[list[str]]]) -> TfidfRows:
        """:meth:`rows` of a few texts given as clauses (:func:`~kvclassify.tokens.clauses` in this
        featurizer's reading): bit for bit the same rows, with the matching and counting in plain Python,
        which for a few dozen tokens costs a fraction of numpy's per-call overhead."""
        kinds = [kind for kind in self.kinds.values() if kind.active]
        rows = []
        most = 0  # no count is larger than a text's number of occurrences
        for text in texts:
            found: list[int] = []
            for kind in kinds:
                kind.features_of(text, found)
            rows.append(_counted(found))
            most = max(most, len(found))
        if len(rows) == 1:
            (feats, counts), = rows
            return self._values(np.array([0, len(feats)]), feats, counts, most=most)
        indptr = np.cumsum([0, *(len(f) for f, _ in rows)])
        feats = np.concatenate([_NO_KEYS, *(f for f, _ in rows)])
        return self._values(indptr, feats, np.concatenate([_NO_KEYS, *(c for _, c in rows)]), most=most)

    def rows_for(self, texts: Sequence[str]) -> TfidfRows:
        """The TF-IDF rows of texts, by the one-text path or the batch path (see :func:`one_text_path`)."""
        if one_text_path(texts):
            return self.rows_of([clauses(t, self.config.canonical_addressee) for t in texts])
        return self.rows(self.tokenize(texts))

    def _rows(self, matched: list[np.ndarray], n_texts: int) -> TfidfRows:
        """TF-IDF rows from the match keys of every kind (see ``match_keys``)."""
        # Sorting the keys groups texts and orders each text's features ascending; the low bits of the
        # keys of one (text, feature) add up to its count.
        keys = _sorted(np.concatenate(matched or [_NO_KEYS]), n_texts * self.n_features)
        pairs = keys >> TIMES_BITS
        starts = _runs(pairs)[:-1]
        counts = np.add.reduceat(keys & _TIMES_MASK, starts) if len(keys) else _NO_KEYS
        pairs = pairs[starts]
        # The rows' bounds are a few thousand searches in sorted pairs, far cheaper than dividing every pair.
        indptr = np.searchsorted(pairs, np.arange(n_texts + 1) * self.n_features)
        texts = np.repeat(np.arange(n_texts), np.diff(indptr))
        return self._values(indptr, pairs - texts * self.n_features, counts, texts)

    def _values(self, indptr: np.ndarray, feats: np.ndarray, counts: np.ndarray,
                texts: np.ndarray | None = None, most: int | None = None) -> TfidfRows:
        """The rows of the features ``feats`` (ascending in each row) counted ``counts`` times: TF-IDF, l2-normalised.

        ``texts``: the row of every feature (default: from ``indptr``); ``most``: a bound on the counts, if known."""
        n_texts = len(indptr) - 1
        if texts is None and n_texts == 1:
            texts = _ZEROS[: len(feats)] if len(feats) <= len(_ZEROS) else np.zeros(len(feats), dtype=np.int64)
        elif texts is None:
            texts = np.repeat(np.arange(n_texts), np.diff(indptr))
        values = self._tf(counts, most) * self.idf[feats]
        norms = np.sqrt(np.bincount(texts, weights=values * values, minlength=n_texts))
        # Only texts with a feature occur here, and their norm is positive; one text's is its only one.
        values /= norms[0] if n_texts == 1 else norms[texts]
        # Single precision from here: the weights are float32 and the products are memory-bound.
        return TfidfRows(indptr, feats, values.astype(np.float32))

    def _tf(self, counts: np.ndarray, most: int | None = None) -> np.ndarray:
        """The term frequency of each count: ``1 + log(count)`` (sublinear) or the count, as float64."""
        if not self.config.sublinear_tf:
            return counts.astype(np.float64)
        # Counts are small integers: the logarithm of each one is read from a table (numpy's log of a
        # value does not depend on where it stands in an array: the same numbers as computing it here).
        if most is None:
            most = int(counts.max()) if len(counts) else 0
        if most > len(_SUBLINEAR_TF):
            return (np.log(np.arange(1, int(counts.max()) + 1, dtype=np.float64)) + 1.0)[counts - 1]
        return _SUBLINEAR_TF[counts - 1]

    def transform_batch(self, batch: TokenBatch) -> sp.csr_matrix:
        """TF-IDF rows of a tokenised batch as a scipy matrix (float32 CSR, l2-normalised rows), for training."""
        import scipy.sparse

        x = self.rows(batch)
        return scipy.sparse.csr_matrix(
            (x.data, x.indices.astype(np.int32), x.indptr), shape=(batch.n_texts, self.n_features)
        )

    def tokenize(self, texts: Sequence[str]) -> TokenBatch:
        """The texts as this featurizer reads them (see ``FeatureConfig.canonical_addressee``)."""
        return tokenize_batch(texts, self.config.canonical_addressee)

    def transform(self, texts: Sequence[str]) -> sp.csr_matrix:
        """TF-IDF rows (float32 CSR, one per text, l2-normalised)."""
        return self.transform_batch(self.tokenize(texts))


def _sorted(keys: np.ndarray, n_pairs: int) -> np.ndarray:
    """``np.sort(keys)`` for match keys of ``n_pairs`` (text, feature) pairs, a few texts at a time.

    The keys are first put in order of their group of texts (a stable sort
    of small integers, which merges the kinds' keys: each kind's come text
    by text), then each group is sorted on its own, in cache: a third of the
    time of one sort of a whole pass (measured: 6 against 16 ms for the
    320,870 keys of 2,048 question units).
    """
    if len(keys) <= _SORT_GROUP_KEYS:
        return np.sort(keys)
    n_groups = -(-len(keys) // _SORT_GROUP_KEYS)
    per_group = -(-n_pairs // n_groups)  # pairs a group: its texts' keys are, on average, _SORT_GROUP_KEYS
    group = (keys >> TIMES_BITS) // per_group
    order = group.argsort(kind="stable")
    keys = keys[order]
    bounds = np.searchsorted(group[order], np.arange(n_groups + 1)).tolist()
    for lo, hi in zip(bounds, bounds[1:]):
        keys[lo:hi].sort()
    return keys


def _counted(feats: list[int]) -> tuple[np.ndarray, np.ndarray]:
    """The distinct features of a list of occurrences, ascending, and how often each occurs (numpy's sort
    of a few hundred integers is ~4x cheaper than a ``Counter``)."""
    ids = np.fromiter(feats, dtype=np.int64, count=len(feats))
    ids.sort()
    starts = _runs(ids)
    return ids[starts[:-1]], starts[1:] - starts[:-1]


def _runs(values: np.ndarray) -> np.ndarray:
    """Where each run of equal values of a sorted array starts, and its end (``len(values)``) last."""
    edge = np.empty(len(values) + 1, dtype=bool)
    edge[0] = edge[-1] = True
    np.not_equal(values[1:], values[:-1], out=edge[1:-1])
    return edge.nonzero()[0]


def one_text_path(texts: Sequence[str]) -> bool:
    """Whether ``texts`` are few and short enough for the one-text path (``Featurizer.rows_of``).

    Both paths give the same rows bit for bit; the choice is only speed.

    Examples
    --------
    >>> one_text_path(["Bent u bereid dit te doen?"]), one_text_path(["x" * 5000])
    (True, False)
    """
    return sum(map(len, texts)) <= _ONE_TEXT_CHARS


@dataclass(frozen=True, slots=True)
class TfidfRows:
    """L2-normalised TF-IDF rows in compressed sparse row form, as plain numpy arrays.

    Row ``i`` has the features ``indices[indptr[i]:indptr[i + 1]]`` (ascending)
    with the values ``data[indptr[i]:indptr[i + 1]]`` (float32, as the weights).

    Examples
    --------
    >>> x = TfidfRows(np.array([0, 2, 2]), np.array([0, 2]), np.array([0.6, 0.8], dtype=np.float32))
    >>> x.dot(paired(np.array([[1.0], [5.0], [2.0]], dtype=np.float32)))[:, :1].round(6).tolist()
    [[2.2], [0.0]]
    """

    indptr: np.ndarray
    indices: np.ndarray
    data: np.ndarray

    def dot(self, pairs: np.ndarray, by_output: np.ndarray | None = None) -> np.ndarray:
        """``rows @ weights`` (float64) for weights as :func:`paired` gives them: gather the weight rows, sum them.

        A feature's row of ``pairs`` is one cache line: best for a few
        texts. ``by_output``, the same pairs one pair of outputs per row
        (``pairs.T`` contiguous), is best for many: each pair's weights stay
        in cache. Either way each row's sum adds its own products in the same
        order, so a text gets bit for bit the same result alone and in any batch.
        """
        n_rows = len(self.indptr) - 1
        if n_rows == 1 and by_output is None and len(self.data):  # one text: the sum below for its one row
            terms = np.take(pairs, self.indices, axis=0)
            terms *= self.data[:, None]
            return np.add.reduceat(terms, _FIRST, axis=0).view(np.float32).astype(np.float64)
        out = np.zeros((n_rows, pairs.shape[1]), dtype=np.complex64)
        filled = (self.indptr[1:] > self.indptr[:-1]).nonzero()[0]
        if by_output is not None:
            starts = self.indptr[filled]
            for j, column in enumerate(by_output):
                out[filled, j] = np.add.reduceat(column.take(self.indices) * self.data, starts)
        else:
            # Whole rows in chunks of about _CHUNK entries: the gathered weights stay small.
            bounds = [0, len(filled)]
            if len(self.data) > _CHUNK:
                bounds = [*np.searchsorted(self.indptr[filled], np.arange(0, len(self.data), _CHUNK)), len(filled)]
            for lo, hi in zip(bounds, bounds[1:]):
                if lo == hi:
                    continue
                rows = filled[lo:hi]
                a, b = self.indptr[rows[0]], self.indptr[rows[-1] + 1]
                terms = np.take(pairs, self.indices[a:b], axis=0)
                terms *= self.data[a:b, None]
                out[rows] = np.add.reduceat(terms, self.indptr[rows] - a, axis=0)
        return out.view(np.float32).astype(np.float64)


def paired(weights: np.ndarray) -> np.ndarray:
    """Weights of shape ``(n_features, k)`` as ``(n_features, ceil(k / 2))`` complex64: two outputs a number.

    One gather, product and sum of a complex number does the work of two
    outputs at once; the real and imaginary parts are never mixed (the
    TF-IDF values are real), so each output's sum is that of its own
    products. An odd ``k`` gets a zero column, dropped by the caller.

    Examples
    --------
    >>> paired(np.ones((2, 3), dtype=np.float32)).shape
    (2, 2)
    """
    w = np.ascontiguousarray(weights, dtype=np.float32)
    if w.shape[1] % 2:
        w = np.concatenate([w, np.zeros((len(w), 1), dtype=np.float32)], axis=1)
    return w.view(np.complex64)
