"""The TF-IDF featurizer over the feature kinds of :mod:`kvclassify.feature_kinds`.

The featurizer is kvclassify's own (not scikit-learn's) so that a saved model
is plain data — a vocabulary and IDF weights — and predicts identically under
any scikit-learn version. Its kinds extract

* word n-grams inside a clause (a clause ends at ``? ! . ; :`` or a blank line),
* clause-start n-grams ``"^ bent u bereid"``: the first words of every clause,
  where the ask of a question is,
* character n-grams inside word boundaries, as scikit-learn's ``char_wb``:
  Dutch compounds share their parts.

Transforming is vectorised per batch: texts are tokenised once, word n-grams
are looked up with sorted integer keys (one ``searchsorted`` per n-gram
length for the whole batch) and character n-grams are computed once per
distinct token.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

import numpy as np

from .feature_kinds import FEATURE_KINDS, FeatureKind, kind_of
from .ngrams import NgramIndex
from .tokens import TokenBatch, clauses, tokenize_batch

if TYPE_CHECKING:
    import scipy.sparse as sp

__all__ = ["FeatureConfig", "Featurizer"]


def _sparse():  # type: ignore[no-untyped-def]
    """scipy.sparse, imported on first use: parsing documents and loading models do not need it."""
    import scipy.sparse

    return scipy.sparse


@dataclass(frozen=True, slots=True)
class FeatureConfig:
    """What the featurizer extracts.

    Parameters
    ----------
    word_ngrams : (min_n, max_n) of word n-grams within a clause, or None.
    char_ngrams : (min_n, max_n) of character n-grams of ``" word "``, or None.
    clause_start : clause-start n-grams of 1..k words; 0 disables.
    min_df : minimum document frequency of a feature to enter the vocabulary.
    max_features : keep only the most frequent features (ties by name).
    sublinear_tf : use ``1 + log(tf)`` instead of raw counts.
    canonical_addressee : read every way of addressing the government ("u",
        "het kabinet", "de staatssecretaris", ...) as "de minister", with the
        verb in agreement (:mod:`kvclassify.addressee`): an ask is learnt once,
        whatever its form of address.

    Examples
    --------
    >>> FeatureConfig(char_ngrams=(4, 5)).to_dict()["char_ngrams"]
    [4, 5]
    """

    word_ngrams: tuple[int, int] | None = (1, 2)
    char_ngrams: tuple[int, int] | None = (3, 5)
    clause_start: int = 0
    min_df: int = 2
    max_features: int | None = None
    sublinear_tf: bool = True
    canonical_addressee: bool = False

    def __post_init__(self) -> None:
        for name in ("word_ngrams", "char_ngrams"):
            rng = getattr(self, name)
            if rng is not None:
                rng = tuple(int(v) for v in rng)
                object.__setattr__(self, name, rng)
                if len(rng) != 2 or not 1 <= rng[0] <= rng[1]:
                    raise ValueError(f"{name} must be (min_n, max_n) with 1 <= min_n <= max_n, got {rng}")
        if self.word_ngrams is None and self.char_ngrams is None and self.clause_start == 0:
            raise ValueError("FeatureConfig extracts nothing: enable word, char or clause_start features")
        if self.min_df < 1 or self.clause_start < 0:
            raise ValueError("min_df must be >= 1 and clause_start >= 0")
        if self.max_features is not None and self.max_features < 1:
            raise ValueError("max_features must be positive or None")

    def to_dict(self) -> dict[str, object]:
        """The config as JSON types (ranges as lists)."""
        d = asdict(self)
        for name in ("word_ngrams", "char_ngrams"):
            if d[name] is not None:
                d[name] = list(d[name])
        return d

    @classmethod
    def from_dict(cls, d: dict[str, object]) -> FeatureConfig:
        """The inverse of :meth:`to_dict`."""
        d = dict(d)
        for name in ("word_ngrams", "char_ngrams"):
            if d.get(name) is not None:
                d[name] = tuple(d[name])  # type: ignore[arg-type]
        return cls(**d)  # type: ignore[arg-type]


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
        vocabulary: Sequence[str],
        idf: np.ndarray,
        indexes: Mapping[str, NgramIndex] | None = None,
    ) -> None:
        if len(vocabulary) != len(idf):
            raise ValueError(f"vocabulary ({len(vocabulary)}) and idf ({len(idf)}) differ in length")
        self.config = config
        self.vocabulary: tuple[str, ...] = tuple(vocabulary)
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
        for index in indexes.values():
            index.check(len(self.vocabulary))
        self.kinds: dict[str, FeatureKind] = {
            name: kind.from_config(config, indexes[name]) for name, kind in FEATURE_KINDS.items()
        }

    @property
    def n_features(self) -> int:
        """The size of the vocabulary."""
        return len(self.vocabulary)

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
        toks = clauses(text, self.config.canonical_addressee)
        return [term for kind in self.kinds.values() for term in kind.terms(toks)]

    @classmethod
    def fit(cls, texts: Iterable[str], config: FeatureConfig) -> Featurizer:
        """Learn the vocabulary and IDF weights from training texts."""
        df: Counter[str] = Counter()
        n_docs = 0
        probe = cls(config, (), np.zeros(0))
        for text in texts:
            df.update(set(probe.terms(text)))
            n_docs += 1
        kept = [(t, c) for t, c in df.items() if c >= config.min_df]
        kept.sort(key=lambda tc: (-tc[1], tc[0]))
        if config.max_features is not None:
            kept = kept[: config.max_features]
        kept.sort(key=lambda tc: tc[0])  # a canonical order: same data, same file
        # Smooth IDF as scikit-learn's TfidfVectorizer(smooth_idf=True).
        idf = np.array([math.log((1 + n_docs) / (1 + c)) + 1.0 for _, c in kept], dtype=np.float32)
        return cls(config, [t for t, _ in kept], idf)

    # -- transforming ------------------------------------------------------
    def _weighted_parts(self, batch: TokenBatch) -> tuple[list[sp.csr_matrix], np.ndarray]:
        """TF-IDF parts, one per active kind (disjoint features), and the l2 norm of each row over all parts."""
        parts = [kind.counts(batch, self.n_features) for kind in self.kinds.values() if kind.active]
        sq = np.zeros(batch.n_texts, dtype=np.float64)
        for x in parts:
            if self.config.sublinear_tf:
                repeated = x.data > 1  # 1 + log(1) is 1: only repeated terms change
                x.data[repeated] = 1.0 + np.log(x.data[repeated])
            x.data *= self.idf[x.indices]
            filled = np.flatnonzero(np.diff(x.indptr))
            if len(filled):
                sq[filled] += np.add.reduceat(np.square(x.data), x.indptr[filled])
        norms = np.sqrt(sq)
        norms[norms == 0] = 1.0
        return parts, norms

    def transform_batch(self, batch: TokenBatch) -> sp.csr_matrix:
        """TF-IDF rows of a tokenised batch (float32 CSR, l2-normalised rows)."""
        parts, norms = self._weighted_parts(batch)
        x = sum(parts[1:], parts[0]) if parts else _sparse().csr_matrix((batch.n_texts, self.n_features))
        x = _sparse().csr_matrix(x, dtype=np.float32)
        x.sort_indices()
        x.data /= np.repeat(norms, np.diff(x.indptr)).astype(np.float32)
        return x

    def project(self, batch: TokenBatch, coef: np.ndarray) -> np.ndarray:
        """``transform_batch(batch) @ coef`` without assembling the matrix (the fast path)."""
        parts, norms = self._weighted_parts(batch)
        out = np.zeros((batch.n_texts, coef.shape[1]), dtype=np.float64)
        for x in parts:
            out += x @ coef
        return out / norms[:, None]

    def tokenize(self, texts: Sequence[str]) -> TokenBatch:
        """The texts as this featurizer reads them (see ``FeatureConfig.canonical_addressee``)."""
        return tokenize_batch(texts, self.config.canonical_addressee)

    def transform(self, texts: Sequence[str]) -> sp.csr_matrix:
        """TF-IDF rows (float32 CSR, one per text, l2-normalised)."""
        return self.transform_batch(self.tokenize(texts))
