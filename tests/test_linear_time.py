"""Every text function takes time linear in the size of its input, on adversarial texts too.

Each family of texts is timed at two sizes, four times apart; the time may
grow by at most :data:`MAX_GROWTH` (linear is 4, quadratic 16). Timings are
the best of three runs, and a failing family is measured once more before it
fails, so that a busy machine does not make the suite flaky.
"""

from __future__ import annotations

import random
import timeit
from collections.abc import Callable

import pytest

import kvclassify as kv
from kvclassify.evaluation import evaluate_records

SMALL, LARGE = 25_000, 100_000
MAX_GROWTH = 10.0
MODEL = kv.load_model()
_RNG = random.Random(0)
_WORDS = ["".join(_RNG.choice("abcdefghijklmnop") for _ in range(6)) for _ in range(20_000)]

FAMILIES: dict[str, Callable[[int], str]] = {
    "run of question marks": lambda n: "Kent u dit" + "?" * n,  # quadratic in the tokeniser before
    "punctuation without spaces": lambda n: "Klopt" + ".;:!" * (n // 4),
    "many tiny clauses": lambda n: "a? " * (n // 3),
    "one giant word": lambda n: "a" * n,
    "combining marks of one class": lambda n: "e" + "\u0301" * n,
    "combining marks of two classes": lambda n: "e" + "\u0301\u0316" * (n // 2),  # quadratic NFKC before
    "digits": lambda n: "1" * n,
    "digit words": lambda n: "1 " * (n // 2),
    "blank lines": lambda n: "\n\n" * (n // 2) + "x",
    "spaces before a newline": lambda n: "\n" + " " * n + "x",
    "repeated n-grams": lambda n: "bent u bereid " * (n // 14),
    "underscores between letters": lambda n: "a_" * (n // 2),
    "many distinct words": lambda n: " ".join(_WORDS[: n // 7]),
    "a real question repeated": lambda n: ("Bent u bereid de Kamer te informeren over de wachtlijsten? " * n)[:n],
}
HEAVY = ["run of question marks", "many tiny clauses", "one giant word", "combining marks of two classes"]


def _best(func: Callable[[], object], repeat: int = 3) -> float:
    # Below a millisecond, timer noise is not growth.
    return max(min(timeit.repeat(func, number=1, repeat=repeat)), 1e-3)


def assert_linear(run: Callable[[int], Callable[[], object]], what: str, repeat: int = 3) -> None:
    small, large = run(SMALL), run(LARGE)
    small(), large()  # warm-up: caches and lazy imports are not growth
    for _attempt in range(2):
        ratio = _best(large, repeat) / _best(small, repeat)
        if ratio < MAX_GROWTH:
            return
    pytest.fail(f"{what}: {LARGE // SMALL}x the input took {ratio:.1f}x the time")


@pytest.mark.parametrize("family", list(FAMILIES))
def test_classify(family: str) -> None:
    assert_linear(lambda n: lambda: kv.classify(FAMILIES[family](n), model=MODEL), family)


@pytest.mark.parametrize("family", list(FAMILIES))
def test_explain(family: str) -> None:
    assert_linear(lambda n: lambda: kv.explain(FAMILIES[family](n), task="policy_area", model=MODEL), family)


@pytest.mark.parametrize("family", HEAVY)
def test_classify_many(family: str) -> None:
    def run(n: int) -> Callable[[], object]:
        texts = [FAMILIES[family](500) for _ in range(n // 500)]
        return lambda: kv.classify_many(texts, model=MODEL)

    assert_linear(run, family)


ROWS = [{"text": t, "flag": f} for t, f in [
    ("Bent u bereid dit te onderzoeken?", "yes"), ("Wilt u de Kamer informeren?", "yes"),
    ("Gaat u maatregelen nemen?", "yes"), ("Hoeveel mensen wachten?", "no"),
    ("Wat is de stand van zaken?", "no"), ("Klopt het dat dit gebeurde?", "no")]]
QUICK = kv.TrainConfig(validation="none", head=kv.HeadConfig(features=kv.FeatureConfig(char_ngrams=(3, 4))))


@pytest.mark.parametrize("family", HEAVY)
def test_train(family: str) -> None:
    def run(n: int) -> Callable[[], object]:
        rows = [*ROWS, {"text": FAMILIES[family](n), "flag": "no"}]
        return lambda: kv.train(rows, label_fields="flag", config=QUICK)

    assert_linear(run, family, repeat=1)  # a fit costs more than its noise; a slow run is measured again


@pytest.mark.parametrize("family", HEAVY)
def test_evaluate(family: str) -> None:
    def run(n: int) -> Callable[[], object]:
        rows = [{"text": FAMILIES[family](n), "question_type": "factual"}, {"text": "Klopt dit?",
                                                                          "question_type": "factual"}]
        return lambda: evaluate_records(MODEL, rows, "question_type")

    assert_linear(run, family)
