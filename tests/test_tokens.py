"""Tokenisation: clause boundaries as before, in linear time."""

from __future__ import annotations

import random
import re
import time

from kvclassify.tokens import _PIECE, _SEP, clauses

# The pattern before the fix: correct, but quadratic on a long run of punctuation not followed by white space.
_OLD_PIECE = re.compile(r"[^\W_]+|[?!.;:]+(?=\s)|\n\s*\n|" + _SEP)


def test_pieces_equal_the_old_pattern_on_random_texts() -> None:
    rng = random.Random(0)
    alphabet = "ab?!.;: \n\t_-1é" + _SEP
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        assert _PIECE.findall(text) == _OLD_PIECE.findall(text), repr(text)


def test_a_long_run_of_question_marks_is_fast() -> None:
    text = "Kent u dit" + "?" * 80_000  # took ~40 s with the old pattern
    start = time.perf_counter()
    assert clauses(text) == [["kent", "u", "dit"]]
    assert time.perf_counter() - start < 1.0


def test_no_code_point_above_the_scanned_range_is_a_non_starter() -> None:
    import unicodedata

    from kvclassify.tokens import _LAST_NON_STARTER

    assert not [c for c in range(_LAST_NON_STARTER + 1, 0x110000) if unicodedata.combining(chr(c))]


def test_long_runs_of_combining_marks_are_cut_and_fast() -> None:
    from kvclassify.tokens import normalize, stream_safe

    short = "e" + "\u0301\u0316" * 15  # 30 non-starters: left as they are
    assert stream_safe(short) == short
    text = "e" + "\u0301\u0316" * 50_000  # NFKC took ~11 s on this before the cut
    start = time.perf_counter()
    assert normalize(text).count("\u034f") == 100_000 // 30
    assert time.perf_counter() - start < 1.0
