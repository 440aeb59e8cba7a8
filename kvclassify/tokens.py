"""Text normalisation and tokenisation: words, clauses, and a batch of texts as one token stream.

Every step here is linear in the length of the text: the run of clause
punctuation is matched once from its first character (a look-behind keeps
the scan from restarting inside the run) and possessively (no backtracking
when the run is not followed by white space); and before NFKC, whose
reordering of combining marks is quadratic in the length of a run of them,
long runs are cut as Unicode's stream-safe format does (UAX #15).
"""

from __future__ import annotations

import functools
import re
import sys
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from .addressee import CANONICAL_PAIRS, CANONICAL_WORDS, canonical_words

__all__ = [
    "MARK", "TokenBatch", "stream_safe", "clauses", "clause_readings", "tokenize_batch", "tokenize_readings",
]

MARK = "^"  # the clause-start marker; never a word token
_DIGITS = re.compile(r"\d+")
_SEP = "\ue000"  # between the texts of a batch (a private-use character, removed from texts)
# Words, and the clause boundaries between them: a run of ? ! . ; : before white space, or a blank line.
_PIECE = re.compile(r"[^\W_]+|(?<![?!.;:])[?!.;:]++(?=\s)|\n\s*\n|" + _SEP)


_MAX_NON_STARTERS = 30  # UAX #15: a stream-safe text has at most 30 non-starters in a row
_CGJ = "\u034f"  # the combining grapheme joiner: a starter that renders as nothing
_LAST_NON_STARTER = 0x1FFFF  # no code point above has a combining class (checked by a test)


@functools.cache
def _non_starters() -> np.ndarray:
    """Whether each code point is a non-starter (combining class > 0); built on first use (about 15 ms)."""
    table = np.zeros(sys.maxunicode + 1, dtype=bool)
    table[[c for c in range(_LAST_NON_STARTER + 1) if unicodedata.combining(chr(c))]] = True
    return table


@functools.cache
def _long_runs() -> re.Pattern[str]:
    """Runs of more than 30 non-starters."""
    codes = _non_starters().nonzero()[0].tolist()
    ranges, start = [], codes[0]
    for prev, code in zip(codes, codes[1:] + [-1]):
        if code != prev + 1:
            ranges.append(f"{re.escape(chr(start))}-{re.escape(chr(prev))}")
            start = code
    marks = "[" + "".join(ranges) + "]"
    return re.compile(f"({marks}{{{_MAX_NON_STARTERS}}})(?={marks})")


def stream_safe(text: str) -> str:
    """``text`` with a combining grapheme joiner after every 30 non-starters in a row (UAX #15).

    Examples
    --------
    >>> stream_safe("e" + "\u0301" * 31).count("\u034f")
    1
    >>> stream_safe("café") == "café"
    True
    """
    if text.isascii():
        return text
    # Counting the non-starters in numpy is ~20x cheaper than the regex's scan, and a text with
    # at most 30 of them (nearly every real one) has no run to cut.
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    if np.count_nonzero(_non_starters()[codes]) <= _MAX_NON_STARTERS:
        return text
    return _long_runs().sub(r"\1" + _CGJ, text)


def _fold(text: str) -> str:
    """NFKC and lower case: the string part of the folding (digit runs are folded per distinct token).

    Nearly every text is NFKC already and the check is ~10x cheaper than
    normalising, so only the texts (between separators) that are not get
    normalised; the separator is a starter that composes with nothing, so
    this is NFKC of the whole. The check itself may normalise, hence the
    stream-safe cut first.
    """
    text = stream_safe(text)
    if not unicodedata.is_normalized("NFKC", text):
        text = _SEP.join([
            part if unicodedata.is_normalized("NFKC", part) else unicodedata.normalize("NFKC", part)
            for part in text.split(_SEP)
        ])
    return text.lower()


def _fold_digits(token: str) -> str:
    """A token with every run of digits read as ``0`` ("2025" and "covid19" as "0" and "covid0")."""
    return _DIGITS.sub("0", token)


def _clean(text: str) -> str:
    return text.replace(_SEP, " ") if _SEP in text else text


def clauses(text: str, canonical: bool = False) -> list[list[str]]:
    """The word tokens of a text, clause by clause (empty clauses dropped): NFKC, lower case, digit runs as ``0``.

    ``canonical`` reads "u", "het kabinet", ... as "de minister"
    (:func:`kvclassify.addressee.canonical_words`). The one-text form of
    :func:`tokenize_batch` (the same tokens, in plain lists).

    Examples
    --------
    >>> clauses("Klopt dit? Zo ja, waarom?")
    [['klopt', 'dit'], ['zo', 'ja', 'waarom']]
    >>> clauses("Bent u bereid dit in 2025 te doen?", canonical=True)
    [['is', 'de', 'minister', 'bereid', 'dit', 'in', '0', 'te', 'doen']]
    """
    out: list[list[str]] = [[]]
    for piece in _PIECE.findall(_fold(_clean(text))):
        if piece.isalnum():  # a piece is all word characters or none
            out[-1].append(piece if piece.isalpha() else _fold_digits(piece))
        elif out[-1]:
            out.append([])
    words = [c for c in out if c]
    return [canonical_words(c) for c in words] if canonical else words


def clause_readings(texts: Sequence[str], readings: Iterable[bool]) -> dict[bool, list[list[list[str]]]]:
    """Every text's :func:`clauses` in each reading asked for, folded and split once: the one-text form of
    :func:`tokenize_readings`.

    Examples
    --------
    >>> clause_readings(["Bent u bereid?"], (False, True))
    {False: [[['bent', 'u', 'bereid']]], True: [[['is', 'de', 'minister', 'bereid']]]}
    """
    plain = [clauses(t) for t in texts]
    out = {False: plain}
    if True in readings:
        out[True] = [[canonical_words(c) for c in text] for text in plain]
    return {c: out[c] for c in readings}


@dataclass(frozen=True, slots=True)
class TokenBatch:
    """A batch of texts tokenised once, shared by every head of a model.

    ``unique`` are the distinct tokens (the marker included), ``inv`` the
    index into ``unique`` of every token position, ``row`` the text of every
    position; each clause starts with a :data:`MARK` position.

    Examples
    --------
    >>> b = tokenize_batch(["Klopt dit?"])
    >>> [b.unique[i] for i in b.inv], b.row.tolist()
    (['^', 'klopt', 'dit'], [0, 0, 0])
    """

    n_texts: int
    unique: tuple[str, ...]
    inv: np.ndarray
    row: np.ndarray

    def clauses(self) -> list[list[list[str]]]:
        """Every text's word tokens, clause by clause (as :func:`clauses` gives them)."""
        out: list[list[list[str]]] = [[] for _ in range(self.n_texts)]
        for token, row in zip(map(self.unique.__getitem__, self.inv.tolist()), self.row.tolist()):
            if token == MARK:
                out[row].append([])
            else:
                out[row][-1].append(token)
        return out


def tokenize_batch(texts: Sequence[str], canonical: bool = False) -> TokenBatch:
    """Tokenise texts into one flat token stream with a marker before every clause.

    ``canonical`` as in :func:`clauses`.

    The whole batch goes through the regular expressions at once; per token
    there is one dictionary look-up, done by ``map`` in C.

    Examples
    --------
    >>> tokenize_batch(["Klopt dit?", "Wat vindt u?"]).row.tolist()
    [0, 0, 0, 1, 1, 1, 1]
    """
    return tokenize_readings(texts, (canonical,))[canonical]


def tokenize_readings(texts: Sequence[str], readings: Iterable[bool]) -> dict[bool, TokenBatch]:
    """The batch tokenised once, in each reading asked for (as written: False, canonical: True).

    Heads of one model may read the form of address differently; the text
    is folded and split once and the canonical reading is derived from the
    token stream (:func:`_canonical`).

    Examples
    --------
    >>> both = tokenize_readings(["Bent u bereid?"], (False, True))
    >>> [[both[c].unique[t] for t in both[c].inv] for c in (False, True)]
    [['^', 'bent', 'u', 'bereid'], ['^', 'is', 'de', 'minister', 'bereid']]
    """
    pieces = _PIECE.findall(_fold(_SEP.join(map(_clean, texts))))
    unique = tuple(dict.fromkeys([MARK, *pieces]))  # distinct pieces in order of appearance, in C
    raw = np.fromiter(map(dict(zip(unique, range(len(unique)))).__getitem__, pieces), dtype=np.int64, count=len(pieces))
    # Digit runs are folded on the distinct tokens, not the text: they lie inside word pieces, and
    # folding may merge tokens ("2024", "2025"), which are renumbered.
    alpha = [*map(str.isalpha, unique)]  # the marker is not: it is kept as it is
    if not all(alpha[1:]):
        folded = [t if a else _fold_digits(t) for t, a in zip(unique, alpha)]
        unique = tuple(dict.fromkeys(folded))
        renumber = dict(zip(unique, range(len(unique))))
        raw = np.fromiter(map(renumber.__getitem__, folded), dtype=np.int64, count=len(folded))[raw]
    streams = {False: (unique, raw)}
    if True in readings:
        streams[True] = _canonical(unique, raw)
    return {c: _batch(*streams[c], len(texts)) for c in set(readings)}


def _canonical(unique: tuple[str, ...], raw: np.ndarray) -> tuple[tuple[str, ...], np.ndarray]:
    """The piece stream with every form of address read canonically (the tables of :mod:`kvclassify.addressee`).

    Each position is read as up to three pieces; a pair of adjacent words
    (adjacent pieces: a clause boundary is a piece) is read at its first
    position and its second is dropped. Linear: a few passes over the stream.
    """
    index = dict(zip(unique, range(len(unique))))
    words = {w for reading in (*CANONICAL_WORDS.values(), *CANONICAL_PAIRS.values()) for w in reading}
    unique = unique + tuple(sorted(words - index.keys()))
    index = dict(zip(unique, range(len(unique))))
    width = max(map(len, (*CANONICAL_WORDS.values(), *CANONICAL_PAIRS.values())))
    # slots[k][t]: the k-th piece that piece ``t`` is read as (-1: none); by default itself. The words of the
    # readings are added to ``unique`` whether the batch uses them or not (a few unused entries).
    slots = np.full((width, len(unique)), -1, dtype=np.int64)
    slots[0] = np.arange(len(unique))
    for word, reading in CANONICAL_WORDS.items():
        if word in index:
            slots[:, index[word]] = [index[w] for w in reading] + [-1] * (width - len(reading))
    at = slots[:, raw]  # (width, n): the reading of every position
    for (first, second), reading in CANONICAL_PAIRS.items():
        if first in index and second in index and len(raw) > 1:
            pair = ((raw[:-1] == index[first]) & (raw[1:] == index[second])).nonzero()[0]
            at[:, pair] = np.array([index[w] for w in reading] + [-1] * (width - len(reading)))[:, None]
            at[:, pair + 1] = -1
    # Position-major order of the readings' pieces, the empty slots dropped.
    flat = at.T.ravel()
    return unique, flat[flat >= 0]


def _batch(unique: tuple[str, ...], raw: np.ndarray, n_texts: int) -> TokenBatch:
    """The token batch of a piece stream: separators split the texts, a marker starts every clause."""
    # ``is_word`` run by ``map`` in C: a piece is all word characters or none, so ``str.isalnum`` decides it.
    word_u = np.fromiter(map(str.isalnum, unique), dtype=bool, count=len(unique))
    sep_u = np.zeros(len(unique), dtype=bool)
    sep = unique.index(_SEP) if _SEP in unique else -1
    if sep >= 0:
        sep_u[sep] = True
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
    return TokenBatch(n_texts, unique, inv, row)
