"""Text normalisation and the TF-IDF featurizer.

The featurizer is kvclassify's own (not scikit-learn's) so that a saved model
is plain data — a vocabulary and IDF weights — and predicts identically under
any scikit-learn version. It combines word n-grams, character n-grams inside
word boundaries (Dutch compounds: *asielzoekerscentrum*) and *clause-start*
features (the first words of every question clause, where the ask is:
"bent u bereid", "deelt u de mening").
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass

import numpy as np
import scipy.sparse as sp

__all__ = ["FeatureConfig", "Featurizer", "normalize", "tokenize"]

_QUOTES = str.maketrans({c: "'" for c in "‘’‚‛′`´«»“”„‟\""})
_TOKEN = re.compile(r"[^\W_]+")
_CLAUSE = re.compile(r"[?!.;:]+\s+|\n\s*\n")
# Bound on the per-featurizer token cache; it only speeds up, never changes, results.
_CACHE_LIMIT = 200_000


def normalize(text: str) -> str:
    """Fold a text to the form the features are computed on.

    NFKC, lower case, one kind of quote, hyphenated line breaks rejoined,
    runs of digits folded to ``0`` (years and counts carry little topic).

    Examples
    --------
    >>> normalize("Bent u bereid de ICT-\\nproblemen in 2025 op te lossen?")
    'bent u bereid de ict-problemen in 0 op te lossen?'
    """
    text = unicodedata.normalize("NFKC", text).lower().translate(_QUOTES)
    text = re.sub(r"-\s*\n\s*", "-", text)
    return re.sub(r"\d+", "0", text)


def tokenize(text: str) -> list[str]:
    """Split a normalised text into word tokens (letters and digits)."""
    return _TOKEN.findall(text)


@dataclass(frozen=True, slots=True)
class FeatureConfig:
    """What the featurizer extracts.

    Parameters
    ----------
    word_ngrams : (min_n, max_n) of word n-grams, or None for none.
    char_ngrams : (min_n, max_n) of character n-grams within word boundaries
        (``" word "`` padded, as scikit-learn's ``char_wb``), or None.
    clause_start : the first 1..k words of every clause become features
        (``"^ bent u bereid"``); 0 disables.
    min_df : minimum document frequency of a feature to enter the vocabulary.
    max_features : keep only the most frequent features (ties by name).
    sublinear_tf : use ``1 + log(tf)`` instead of raw counts.
    """

    word_ngrams: tuple[int, int] | None = (1, 2)
    char_ngrams: tuple[int, int] | None = (3, 5)
    clause_start: int = 0
    min_df: int = 2
    max_features: int | None = None
    sublinear_tf: bool = True

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
        d = asdict(self)
        for name in ("word_ngrams", "char_ngrams"):
            if d[name] is not None:
                d[name] = list(d[name])
        return d

    @classmethod
    def from_dict(cls, d: dict[str, object]) -> FeatureConfig:
        d = dict(d)
        for name in ("word_ngrams", "char_ngrams"):
            if d.get(name) is not None:
                d[name] = tuple(d[name])  # type: ignore[arg-type]
        return cls(**d)  # type: ignore[arg-type]


class Featurizer:
    """Map texts to l2-normalised TF-IDF rows over a fixed vocabulary.

    Build one with :meth:`fit` (training) or from stored ``vocabulary`` and
    ``idf`` (loading); after that it is read-only.

    Examples
    --------
    >>> f = Featurizer.fit(["Bent u bereid dit te doen?", "Wat vindt u?"],
    ...                    FeatureConfig(char_ngrams=None, min_df=1))
    >>> f.transform(["Wat vindt u?"]).shape
    (1, 15)
    """

    def __init__(self, config: FeatureConfig, vocabulary: Sequence[str], idf: np.ndarray) -> None:
        if len(vocabulary) != len(idf):
            raise ValueError(f"vocabulary ({len(vocabulary)}) and idf ({len(idf)}) differ in length")
        self.config = config
        self.vocabulary: tuple[str, ...] = tuple(vocabulary)
        self.idf = np.asarray(idf, dtype=np.float32)
        self._index: dict[str, int] = {term: i for i, term in enumerate(self.vocabulary)}
        if len(self._index) != len(self.vocabulary):
            raise ValueError("vocabulary has duplicate terms")
        self._token_cache: dict[str, tuple[int, ...]] = {}

    @property
    def n_features(self) -> int:
        return len(self.vocabulary)

    # -- term extraction -------------------------------------------------
    def _token_terms(self, token: str) -> list[str]:
        """Unigram and char n-grams of one token (the unit of caching)."""
        cfg = self.config
        terms = []
        if cfg.word_ngrams is not None and cfg.word_ngrams[0] == 1:
            terms.append(token)
        if cfg.char_ngrams is not None:
            lo, hi = cfg.char_ngrams
            padded = f" {token} "
            n_chars = len(padded)
            for n in range(lo, min(hi, n_chars) + 1):
                terms.extend("#" + padded[i : i + n] for i in range(n_chars - n + 1))
        return terms

    def _context_terms(self, norm: str, tokens: list[str]) -> list[str]:
        """Word n-grams of length >= 2 and clause-start features."""
        cfg = self.config
        terms: list[str] = []
        if cfg.word_ngrams is not None:
            lo, hi = cfg.word_ngrams
            for n in range(max(lo, 2), hi + 1):
                terms.extend(" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1))
        if cfg.clause_start:
            for clause in _CLAUSE.split(norm):
                head = tokenize(clause)[: cfg.clause_start]
                terms.extend("^ " + " ".join(head[:j]) for j in range(1, len(head) + 1))
        return terms

    def terms(self, text: str) -> list[str]:
        """All terms of a text, in or out of the vocabulary (for fitting and explaining)."""
        norm = normalize(text)
        tokens = tokenize(norm)
        out: list[str] = []
        for tok in tokens:
            out.extend(self._token_terms(tok))
        out.extend(self._context_terms(norm, tokens))
        return out

    def _ids(self, text: str) -> list[int]:
        norm = normalize(text)
        tokens = tokenize(norm)
        index, cache = self._index, self._token_cache
        ids: list[int] = []
        for tok in tokens:
            cached = cache.get(tok)
            if cached is None:
                cached = tuple(i for i in map(index.get, self._token_terms(tok)) if i is not None)
                if len(cache) >= _CACHE_LIMIT:
                    cache.clear()
                cache[tok] = cached
            ids.extend(cached)
        ids.extend(i for i in map(index.get, self._context_terms(norm, tokens)) if i is not None)
        return ids

    # -- fitting and transforming ----------------------------------------
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
        vocabulary = [t for t, _ in kept]
        # Smooth IDF as scikit-learn's TfidfVectorizer(smooth_idf=True).
        idf = np.array([math.log((1 + n_docs) / (1 + c)) + 1.0 for _, c in kept], dtype=np.float32)
        return cls(config, vocabulary, idf)

    def transform(self, texts: Sequence[str]) -> sp.csr_matrix:
        """TF-IDF rows (float32 CSR, one per text, l2-normalised)."""
        rows = [self._ids(t) for t in texts]
        indptr = np.zeros(len(rows) + 1, dtype=np.int64)
        np.cumsum([len(r) for r in rows], out=indptr[1:])
        indices = np.fromiter((i for r in rows for i in r), dtype=np.int32, count=int(indptr[-1]))
        counts = np.ones(len(indices), dtype=np.float32)
        x = sp.csr_matrix((counts, indices, indptr), shape=(len(rows), self.n_features))
        x.sum_duplicates()
        if self.config.sublinear_tf:
            np.log(x.data, out=x.data)
            x.data += 1.0
        x.data *= self.idf[x.indices]
        row_nnz = np.diff(x.indptr)
        row_of = np.repeat(np.arange(len(rows)), row_nnz)
        norms = np.sqrt(np.bincount(row_of, weights=x.data.astype(np.float64) ** 2, minlength=len(rows)))
        norms[norms == 0] = 1.0
        x.data /= norms[row_of].astype(np.float32)
        return x
