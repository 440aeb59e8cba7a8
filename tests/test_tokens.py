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
    from kvclassify.tokens import _fold, stream_safe

    short = "e" + "\u0301\u0316" * 15  # 30 non-starters: left as they are
    assert stream_safe(short) == short
    text = "e" + "\u0301\u0316" * 50_000  # NFKC took ~11 s on this before the cut
    start = time.perf_counter()
    assert _fold(text).count("\u034f") == 100_000 // 30
    assert time.perf_counter() - start < 1.0


def test_the_non_starter_count_skips_only_texts_without_a_long_run() -> None:
    from kvclassify.tokens import _long_runs, stream_safe

    # Many non-starters in short runs (the count alone exceeds 30) and a real long run: both as the regex cuts them.
    spread = ("e\u0301\u0316 " * 40) + "ë"
    run = "ä" + "\u0301" * 31 + "x" + "\ud800"  # a lone surrogate is a valid str and must not fail
    for text in (spread, run, "ë" * 100, "Kamer\u2019s vragen"):
        assert stream_safe(text) == _long_runs().sub(r"\1" + "\u034f", text), repr(text)
    assert stream_safe(run) != run


def test_the_batch_stream_holds_each_texts_clauses() -> None:
    from kvclassify.tokens import MARK, tokenize_batch

    rng = random.Random(1)
    alphabet = "ab?!.; \n_-1²é\u0301Ⅻ" + _SEP
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 25))) for _ in range(500)]
    batch = tokenize_batch(texts)
    stream = [[] for _ in texts]
    for token, row in zip(batch.inv.tolist(), batch.row.tolist()):
        if batch.unique[token] == MARK:
            stream[row].append([])
        else:
            stream[row][-1].append(batch.unique[token])
    assert stream == [clauses(t) for t in texts]


def test_folding_part_by_part_is_nfkc_of_the_whole() -> None:
    import unicodedata

    from kvclassify.tokens import _fold, stream_safe

    rng = random.Random(5)
    alphabet = "aeé\u0301\u0316\u00a0ﬁ²Ⅻ K\u212b\u1e9b\u0323" + _SEP  # compositions, compatibility forms, separators
    for _ in range(5000):
        text = stream_safe("".join(rng.choice(alphabet) for _ in range(rng.randint(0, 20))))
        assert _fold(text) == unicodedata.normalize("NFKC", text).lower(), repr(text)
