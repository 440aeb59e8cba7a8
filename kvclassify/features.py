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
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import scipy.sparse as sp

__all__ = ["FeatureConfig", "Featurizer", "NgramIndex", "TokenBatch", "normalize", "clauses", "tokenize_batch"]

MARK = "^"  # the clause-start marker; never a word token
_DIGITS = re.compile(r"\d+")
# Words, and the clause boundaries between them: a run of ? ! . ; : before white space, or a blank line.
_SEP = "\ue000"  # between the texts of a batch (a private-use character, removed from texts)
_DENSE_LIMIT = 4_000_000  # largest key space of an n-gram level kept as a direct-address table (16 MB)
_PIECE = re.compile(r"[^\W_]+|[?!.;:]+(?=\s)|\n\s*\n|" + _SEP)


def _sparse():  # type: ignore[no-untyped-def]
    """scipy.sparse, imported on first use: parsing documents and loading models do not need it."""
    import scipy.sparse

    return scipy.sparse


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

    The whole batch goes through the regular expressions at once; per token
    there is one dictionary look-up, done by ``map`` in C.
    """
    pieces = _PIECE.findall(normalize(_SEP.join(map(_clean, texts))))
    unique = tuple(dict.fromkeys([MARK, *pieces]))  # distinct pieces in order of appearance, in C
    index = dict(zip(unique, range(len(unique))))
    raw = np.fromiter(map(index.__getitem__, pieces), dtype=np.int64, count=len(pieces))
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


class Featurizer:
    """Map texts to l2-normalised TF-IDF rows over a fixed vocabulary.

    Build one with :meth:`fit` (training) or from stored ``vocabulary`` and
    ``idf`` (loading); it is read-only and keeps no state between calls.

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
        indexes: tuple[NgramIndex, NgramIndex] | None = None,
    ) -> None:
        if len(vocabulary) != len(idf):
            raise ValueError(f"vocabulary ({len(vocabulary)}) and idf ({len(idf)}) differ in length")
        self.config = config
        self.vocabulary: tuple[str, ...] = tuple(vocabulary)
        self.idf = np.asarray(idf, dtype=np.float32)
        if indexes is None:
            if len(set(self.vocabulary)) != len(self.vocabulary):
                raise ValueError("vocabulary has duplicate terms")
            words = [(t.split(" "), i) for i, t in enumerate(self.vocabulary) if not t.startswith("#")]
            chars = [(tuple(t[1:]), i) for i, t in enumerate(self.vocabulary) if t.startswith("#")]
            indexes = (NgramIndex.build(words), NgramIndex.build(chars))
        self.word_index, self.char_index = indexes
        for index in indexes:
            index.check(len(self.vocabulary))
        self._words: dict[str, int] = dict(zip(self.word_index.symbols, range(len(self.word_index.symbols))))
        # Characters are matched by code point: a sorted array of them and the symbol id of each.
        codes = np.array([ord(c) for c in self.char_index.symbols[1:]], dtype=np.int64)
        order = np.argsort(codes)
        self._char_codes, self._char_ids = codes[order], order + 1

    @property
    def n_features(self) -> int:
        return len(self.vocabulary)

    def known_words(self) -> frozenset[str]:
        """The (normalised) word tokens that are part of some word feature."""
        return frozenset(self.word_index.symbols[1:])

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
    def _counts(self, groups: np.ndarray, feats: np.ndarray, n_rows: int) -> sp.csr_matrix:
        """Duplicate-free CSR of match counts; ``groups`` must be sorted."""
        key, counts = np.unique(groups * self.n_features + feats, return_counts=True)
        r, c = np.divmod(key, max(self.n_features, 1))
        indptr = np.searchsorted(r, np.arange(n_rows + 1))
        return _sparse().csr_matrix(
            (counts.astype(np.float32), c.astype(np.int32), indptr), shape=(n_rows, self.n_features)
        )

    def _word_counts(self, batch: TokenBatch) -> sp.csr_matrix:
        """Counts of word and clause-start n-grams per text."""
        sym = np.array([self._words.get(t, -1) for t in batch.unique], dtype=np.int64)
        rows, feats = self.word_index.match(sym[batch.inv], batch.row)
        return self._counts(rows, feats, batch.n_texts)

    def _char_counts(self, batch: TokenBatch) -> sp.csr_matrix:
        """Counts of character n-grams per text: token occurrences times n-grams per distinct token."""
        padded = [f" {t} " if k else "" for k, t in enumerate(batch.unique)]  # id 0 is the marker
        codes = np.frombuffer("".join(padded).encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
        pos = np.minimum(np.searchsorted(self._char_codes, codes), len(self._char_codes) - 1)
        sym = np.where(self._char_codes[pos] == codes, self._char_ids[pos], -1)
        owner = np.repeat(np.arange(len(padded)), [len(p) for p in padded])
        grams = self._counts(*self.char_index.match(sym, owner), len(padded))
        # Duplicates in the occurrence matrix are fine: the sparse product accumulates them.
        occ_ptr = np.searchsorted(batch.row, np.arange(batch.n_texts + 1))
        occurrences = _sparse().csr_matrix(
            (np.ones(len(batch.inv), dtype=np.float32), batch.inv, occ_ptr), shape=(batch.n_texts, len(padded))
        )
        return occurrences @ grams

    def _weighted_parts(self, batch: TokenBatch) -> tuple[list[sp.csr_matrix], np.ndarray]:
        """TF-IDF parts with disjoint features (word, char) and the l2 norm of each row over all parts."""
        parts = [self._word_counts(batch)]
        if len(self._char_codes):
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

    def transform(self, texts: Sequence[str]) -> sp.csr_matrix:
        """TF-IDF rows (float32 CSR, one per text, l2-normalised)."""
        return self.transform_batch(tokenize_batch(texts))
