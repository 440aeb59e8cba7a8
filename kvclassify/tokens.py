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

from .addressee import canonical_addressee

__all__ = [
    "MARK", "TokenBatch", "normalize", "stream_safe", "clauses", "tokenize_batch", "tokenize_readings", "is_word",
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


def normalize(text: str) -> str:
    """Fold a text to the form the features are computed on: NFKC, lower case, digit runs as ``0``.

    Examples
    --------
    >>> normalize("Bent u bereid de ICT-problemen in 2025 op te lossen?")
    'bent u bereid de ict-problemen in 0 op te lossen?'
    """
    return _DIGITS.sub("0", unicodedata.normalize("NFKC", stream_safe(text)).lower())


def _clean(text: str) -> str:
    return text.replace(_SEP, " ") if _SEP in text else text


def is_word(piece: str) -> bool:
    """Whether a piece of the token stream is a word (not a clause boundary or the marker).

    Examples
    --------
    >>> is_word("bereid"), is_word("?"), is_word(MARK)
    (True, False, False)
    """
    return piece[0].isalnum()


def _fold(text: str, canonical: bool) -> str:
    """:func:`normalize`, and with ``canonical`` every way of addressing the government read as one."""
    folded = normalize(text)
    return canonical_addressee(folded) if canonical else folded


def clauses(text: str, canonical: bool = False) -> list[list[str]]:
    """The word tokens of a text, clause by clause (empty clauses dropped).

    ``canonical`` reads "u", "het kabinet", ... as "de minister" first
    (:func:`kvclassify.addressee.canonical_addressee`).

    Examples
    --------
    >>> clauses("Klopt dit? Zo ja, waarom?")
    [['klopt', 'dit'], ['zo', 'ja', 'waarom']]
    >>> clauses("Bent u bereid?", canonical=True)
    [['is', 'de', 'minister', 'bereid']]
    """
    out: list[list[str]] = [[]]
    for piece in _PIECE.findall(_fold(_clean(text), canonical)):
        if is_word(piece):
            out[-1].append(piece)
        elif out[-1]:
            out.append([])
    return [c for c in out if c]


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
    """The batch tokenised once per reading (as written, and/or canonical), normalised only once.

    Heads of one model may read the form of address differently; the costly
    normalisation (NFKC, case, digits) is shared by the readings.

    Examples
    --------
    >>> both = tokenize_readings(["Bent u bereid?"], (False, True))
    >>> [both[c].unique[1:] for c in (False, True)]
    [('bent', 'u', 'bereid'), ('is', 'de', 'minister', 'bereid')]
    """
    folded = normalize(_SEP.join(map(_clean, texts)))
    return {c: _stream(canonical_addressee(folded) if c else folded, len(texts)) for c in set(readings)}


def _stream(folded: str, n_texts: int) -> TokenBatch:
    """The token stream of normalised, separator-joined texts."""
    pieces = _PIECE.findall(folded)
    unique = tuple(dict.fromkeys([MARK, *pieces]))  # distinct pieces in order of appearance, in C
    index = dict(zip(unique, range(len(unique))))
    raw = np.fromiter(map(index.__getitem__, pieces), dtype=np.int64, count=len(pieces))
    # ``is_word`` run by ``map`` in C: a piece is all word characters or none, so ``str.isalnum`` decides it.
    word_u = np.fromiter(map(str.isalnum, unique), dtype=bool, count=len(unique))
    sep_u = np.zeros(len(unique), dtype=bool)
    sep_u[index.get(_SEP, 0)] = _SEP in index  # the marker's slot (0) stays False without a separator
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


