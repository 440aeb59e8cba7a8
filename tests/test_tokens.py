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
