"""Text normalisation and the TF-IDF featurizer.

The featurizer is kvclassify's own (not scikit-learn's) so that a saved model
is plain data — a vocabulary and IDF weights — and predicts identically under
any scikit-learn version. It extracts

* word n-grams inside a clause (a clause ends at ``? ! . ; :`` or a blank line),
* clause-start n-grams ``"^ bent u bereid"``: the first words of every clause,
  where the ask of a question is,
* character n-grams inside word boundaries (``"# asiel"``, as scikit-learn's
  ``char_wb``): Dutch compounds share their parts.

Transforming is vectorised per batch: texts are tokenised once, word n-grams
are looked up with sorted integer keys (one ``searchsorted`` per n-gram
length for the whole batch) and character n-grams are computed once per
distinct token.
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

__all__ = ["FeatureConfig", "Featurizer", "NgramIndex", "TokenBatch", "normalize", "clauses", "tokenize_batch"]

MARK = "^"  # the clause-start marker; never a word token
_DIGITS = re.compile(r"\d+")
# Words, and the clause boundaries between them: a run of ? ! . ; : before white space, or a blank line.
_SEP = "\ue000"  # between the texts of a batch (a private-use character, removed from texts)
_PIECE = re.compile(r"[^\W_]+|[?!.;:]+(?=\s)|\n\s*\n|" + _SEP)
# Bound on the per-featurizer token cache; it only speeds up, never changes, results.
_CACHE_LIMIT = 200_000


def normalize(text: str) -> str:
    """Fold a text to the form the features are computed on: NFKC, lower case, digit runs as ``0``.

    Examples
    --------
    >>> normalize("Bent u bereid de ICT-problemen in 2025 op te lossen?")
    'bent u bereid de ict-problemen in 0 op te lossen?'
    """
    return _DIGITS.sub("0", unicodedata.normalize("NFKC", text).lower())


def _clean(text: str) -> str:
    return text.replace(_SEP, " ") if _SEP in text else text


def _is_word(piece: str) -> bool:
    return piece[0].isalnum()


def clauses(text: str) -> list[list[str]]:
    """The word tokens of a text, clause by clause (empty clauses dropped).

    Examples
    --------
    >>> clauses("Klopt dit? Zo ja, waarom?")
    [['klopt', 'dit'], ['zo', 'ja', 'waarom']]
    """
    out: list[list[str]] = [[]]
    for piece in _PIECE.findall(normalize(_clean(text))):
        if _is_word(piece):
            out[-1].append(piece)
        elif out[-1]:
            out.append([])
    return [c for c in out if c]


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

    def word_terms(self, clause_tokens: list[list[str]]) -> list[str]:
        """Word and clause-start n-grams of a tokenised text, as strings."""
        terms: list[str] = []
        for toks in clause_tokens:
            if self.word_ngrams is not None:
                lo, hi = self.word_ngrams
                for n in range(lo, hi + 1):
                    terms.extend(" ".join(toks[i : i + n]) for i in range(len(toks) - n + 1))
            terms.extend(MARK + " " + " ".join(toks[:j]) for j in range(1, min(self.clause_start, len(toks)) + 1))
        return terms

    def char_terms(self, token: str) -> list[str]:
        """Character n-grams of one word token, marked with ``#``."""
        if self.char_ngrams is None:
            return []
        lo, hi = self.char_ngrams
        padded = f" {token} "
        size = len(padded)
        return ["#" + padded[i : i + n] for n in range(lo, min(hi, size) + 1) for i in range(size - n + 1)]


@dataclass(frozen=True, slots=True)
class TokenBatch:
    """A batch of texts tokenised once, shared by every head of a model.

    ``unique`` are the distinct tokens (the marker included), ``inv`` the
    index into ``unique`` of every token position, ``row`` the text of every
    position; each clause starts with a :data:`MARK` position.
    """

    n_texts: int
    unique: tuple[str, ...]
    inv: np.ndarray
    row: np.ndarray


def tokenize_batch(texts: Sequence[str]) -> TokenBatch:
    """Tokenise texts into one flat token stream with a marker before every clause.

    The whole batch goes through the regular expressions at once; the Python
    work per token is one dictionary look-up.
    """
    pieces = _PIECE.findall(normalize(_SEP.join(map(_clean, texts))))
    index: dict[str, int] = {MARK: 0}
    raw = np.fromiter((index.setdefault(p, len(index)) for p in pieces), dtype=np.int64, count=len(pieces))
    unique = tuple(index)
    word_u = np.array([k > 0 and _is_word(u) for k, u in enumerate(unique)], dtype=bool)
    sep_u = np.array([u == _SEP for u in unique], dtype=bool)
    row_all = np.cumsum(sep_u[raw]) if len(raw) else np.zeros(0, dtype=np.int64)
    words = np.flatnonzero(word_u[raw])
    starts = np.ones(len(words), dtype=bool)
    starts[1:] = words[1:] != words[:-1] + 1
    # Each clause-initial word gets a marker just before it in the output stream.
    out_pos = np.arange(len(words)) + np.cumsum(starts)
    n_out = len(words) + int(starts.sum())
    inv = np.zeros(n_out, dtype=np.int64)
    inv[out_pos] = raw[words]
    row = np.zeros(n_out, dtype=np.int64)
    row[out_pos] = row_all[words]
    row[out_pos[starts] - 1] = row_all[words[starts]]
    return TokenBatch(len(texts), unique, inv, row)


@dataclass(frozen=True, slots=True)
class NgramIndex:
    """Integer look-up tables of the word and clause-start n-grams of a vocabulary.

    ``tokens[t]`` is the word of token id ``t`` (``tokens[0]`` is the
    marker); ``unigram[t]`` the feature id of that word alone (-1: none).
    ``levels[n-2] = (keys, ids)`` covers n-grams of n tokens: the prefix of
    ``n-1`` tokens with id ``p`` (a token id for n = 2, else a position in the
    previous level's ``keys``) followed by token ``t`` has key ``p * len(tokens) + t``;
    ``keys`` is sorted, ``ids`` holds the feature id (-1: a prefix only).
    Stored in the model file, so loading does no string work.
    """

    tokens: tuple[str, ...]
    unigram: np.ndarray
    levels: tuple[tuple[np.ndarray, np.ndarray], ...]

    @classmethod
    def build(cls, vocabulary: Sequence[str]) -> NgramIndex:
        words = [(term.split(" "), i) for i, term in enumerate(vocabulary) if not term.startswith("#")]
        tokens: dict[str, int] = {MARK: 0}
        for toks, _ in words:
            for t in toks:
                tokens.setdefault(t, len(tokens))
        base = len(tokens)
        unigram = np.full(base, -1, dtype=np.int64)
        for toks, i in words:
            if len(toks) == 1:
                unigram[tokens[toks[0]]] = i
        features = {tuple(toks): i for toks, i in words if len(toks) > 1}
        prefix_id = {(t,): k for t, k in tokens.items()}
        levels = []
        for n in range(2, max((len(toks) for toks, _ in words), default=1) + 1):
            grams = sorted({tuple(toks[:n]) for toks, _ in words if len(toks) >= n})
            keys = np.array([prefix_id[g[:-1]] * base + tokens[g[-1]] for g in grams], dtype=np.int64)
            order = np.argsort(keys, kind="stable")
            levels.append((keys[order], np.array([features.get(g, -1) for g in grams], dtype=np.int64)[order]))
            prefix_id = {grams[j]: k for k, j in enumerate(order)}
        return cls(tuple(tokens), unigram, tuple(levels))

    def check(self, n_features: int) -> None:
        """Refuse tables that cannot belong to a vocabulary of ``n_features`` terms."""
        ok = len(self.tokens) >= 1 and self.tokens[0] == MARK and len(self.unigram) == len(self.tokens)
        ok = ok and bool((self.unigram < n_features).all())
        prev = len(self.tokens)
        for keys, ids in self.levels:
            ok = ok and keys.shape == ids.shape and bool((ids < n_features).all())
            ok = ok and bool((np.diff(keys) > 0).all()) and (len(keys) == 0 or 0 <= keys[0] and keys[-1] < prev * len(self.tokens))
            prev = len(keys)
        if not ok:
            raise ValueError("the n-gram index does not match the vocabulary")


class Featurizer:
    """Map texts to l2-normalised TF-IDF rows over a fixed vocabulary.

    Build one with :meth:`fit` (training) or from stored ``vocabulary`` and
    ``idf`` (loading); after that it is read-only.

    Examples
    --------
    >>> f = Featurizer.fit(["Bent u bereid dit te doen?", "Wat vindt u?"],
    ...                    FeatureConfig(char_ngrams=None, min_df=1, clause_start=2))
    >>> f.transform(["Wat vindt u?"]).nnz
    7
    """

    def __init__(
        self, config: FeatureConfig, vocabulary: Sequence[str], idf: np.ndarray, index: NgramIndex | None = None
    ) -> None:
        if len(vocabulary) != len(idf):
            raise ValueError(f"vocabulary ({len(vocabulary)}) and idf ({len(idf)}) differ in length")
        self.config = config
        self.vocabulary: tuple[str, ...] = tuple(vocabulary)
        self.idf = np.asarray(idf, dtype=np.float32)
        chars = [i for i, term in enumerate(self.vocabulary) if term.startswith("#")]
        self._char: dict[str, int] = dict(zip((self.vocabulary[i] for i in chars), chars))
        if len(set(self.vocabulary)) != len(self.vocabulary):
            raise ValueError("vocabulary has duplicate terms")
        self.index = index if index is not None else NgramIndex.build(self.vocabulary)
        self.index.check(len(self.vocabulary))
        self._tokens: dict[str, int] = dict(zip(self.index.tokens, range(len(self.index.tokens))))
        self._token_cache: dict[str, np.ndarray] = {}

    @property
    def n_features(self) -> int:
        return len(self.vocabulary)

    def knows(self, token: str) -> bool:
        """Whether a (normalised) word token is part of any word feature."""
        return token != MARK and token in self._tokens

    # -- fitting -----------------------------------------------------------
    def terms(self, text: str) -> list[str]:
        """All terms of a text, in or out of the vocabulary (the reference for :meth:`transform`)."""
        toks = clauses(text)
        out = self.config.word_terms(toks)
        for clause in toks:
            for tok in clause:
                out.extend(self.config.char_terms(tok))
        return out

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
    def _char_ids(self, token: str) -> np.ndarray:
        ids = self._token_cache.get(token)
        if ids is None:
            get = self._char.get
            ids = np.array([i for i in map(get, self.config.char_terms(token)) if i is not None], dtype=np.int32)
            if len(self._token_cache) >= _CACHE_LIMIT:
                self._token_cache.clear()
            self._token_cache[token] = ids
        return ids

    def _word_counts(self, batch: TokenBatch) -> sp.csr_matrix:
        """Counts of word and clause-start n-grams (duplicate-free CSR)."""
        tid_unique = np.array([self._tokens.get(t, -1) for t in batch.unique], dtype=np.int64)
        base = len(self.index.tokens)
        s = tid_unique[batch.inv]
        rows, feats = [], []
        cfg = self.config
        if cfg.word_ngrams is not None and cfg.word_ngrams[0] == 1:
            f = np.where(s >= 0, self.index.unigram[np.maximum(s, 0)], -1)
            rows.append(batch.row[f >= 0])
            feats.append(f[f >= 0])
        pid = s  # id of the n-gram prefix starting at each position, -1 where none is known
        for n, (keys, ids) in enumerate(self.index.levels, start=2):
            m = len(s) - n + 1
            if m <= 0 or len(keys) == 0:
                break
            last = s[n - 1 :]
            ok = (pid[:m] >= 0) & (last >= 0) & (batch.row[:m] == batch.row[n - 1 :])
            query = np.where(ok, pid[:m] * base + last, -1)
            pos = np.minimum(np.searchsorted(keys, query), len(keys) - 1)
            ok &= keys[pos] == query
            pid = np.where(ok, pos, -1)
            f = np.where(ok, ids[pos], -1)
            rows.append(batch.row[:m][f >= 0])
            feats.append(f[f >= 0])
        key = np.concatenate([r * self.n_features + c for r, c in zip(rows, feats)]) if rows else np.zeros(0, np.int64)
        key, counts = np.unique(key, return_counts=True)
        r, c = np.divmod(key, max(self.n_features, 1))
        indptr = np.searchsorted(r, np.arange(batch.n_texts + 1))
        return sp.csr_matrix(
            (counts.astype(np.float32), c.astype(np.int32), indptr), shape=(batch.n_texts, self.n_features)
        )

    def _char_counts(self, batch: TokenBatch) -> sp.csr_matrix:
        """Counts of character n-grams (duplicate-free CSR): token occurrences x n-grams per token."""
        per_token = [self._char_ids(t) if k else np.zeros(0, dtype=np.int32) for k, t in enumerate(batch.unique)]
        indptr = np.zeros(len(per_token) + 1, dtype=np.int64)
        np.cumsum([len(a) for a in per_token], out=indptr[1:])
        indices = np.concatenate(per_token) if per_token else np.zeros(0, dtype=np.int32)
        grams = sp.csr_matrix(
            (np.ones(len(indices), dtype=np.float32), indices, indptr), shape=(len(per_token), self.n_features)
        )
        # Duplicates in the occurrence matrix are fine: the sparse product accumulates them.
        occ_ptr = np.searchsorted(batch.row, np.arange(batch.n_texts + 1))
        occurrences = sp.csr_matrix(
            (np.ones(len(batch.inv), dtype=np.float32), batch.inv, occ_ptr), shape=(batch.n_texts, len(per_token))
        )
        return occurrences @ grams

    def _weighted_parts(self, batch: TokenBatch) -> tuple[list[sp.csr_matrix], np.ndarray]:
        """TF-IDF parts with disjoint features (word, char) and the l2 norm of each row over all parts."""
        parts = [self._word_counts(batch)]
        if self.config.char_ngrams is not None and self._char:
            parts.append(self._char_counts(batch))
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
        x = parts[0] if len(parts) == 1 else parts[0] + parts[1]
        x = sp.csr_matrix(x, dtype=np.float32)
        x.sort_indices()
        row_of = np.repeat(np.arange(batch.n_texts), np.diff(x.indptr))
        x.data /= norms[row_of].astype(np.float32)
        return x

    def project(self, batch: TokenBatch, coef: np.ndarray) -> np.ndarray:
        """``transform_batch(batch) @ coef`` without assembling the matrix (the fast path)."""
        parts, norms = self._weighted_parts(batch)
        out = np.zeros((batch.n_texts, coef.shape[1]), dtype=np.float64)
        for x in parts:
            out += x @ coef
        return out / norms[:, None]

    def transform(self, texts: Sequence[str]) -> sp.csr_matrix:
        """TF-IDF rows (float32 CSR, one per text, l2-normalised)."""
        return self.transform_batch(tokenize_batch(texts))
