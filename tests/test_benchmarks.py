"""Fast checks of the benchmark's building blocks on toy data (no ../shared needed)."""

from __future__ import annotations

import inspect

import pytest

from benchmarks.accuracy import bootstrap_macro_f1, learning_sizes
from benchmarks.data import TrainSet
from benchmarks.systems import SYSTEMS, CueRules, Majority, System


def test_adapters_share_the_fit_predict_shape() -> None:
    base_fit = inspect.signature(System.fit)
    for name, cls in SYSTEMS.items():
        assert issubclass(cls, System) and cls.name == name
        assert inspect.signature(cls.fit) == base_fit
        assert list(inspect.signature(cls.predict).parameters) == ["self", "texts"]
        assert set(cls.tasks) <= {"question_type", "policy_area"}


def test_majority_predicts_the_most_frequent_class() -> None:
    system = Majority("question_type").fit(["a", "b", "c"], ["factual", "opinion", "factual"])
    assert system.predict(["x", "y"]) == ["factual", "factual"]
    assert system.fit_seconds >= 0


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("Hoeveel boetes zijn er uitgedeeld?", "factual"),
        ("Deelt u de mening dat dit onacceptabel is?", "opinion"),
        ("Bent u bereid de Kamer te informeren?", "commitment"),
        # precedence: commitment > opinion > factual
        ("Deelt u de zorgen? Zo ja, bent u bereid maatregelen te nemen?", "commitment"),
        ("Klopt het dat dit gebeurde? Hoe beoordeelt u dat?", "opinion"),
    ],
)
def test_cue_rules_follow_the_guideline(text: str, label: str) -> None:
    assert CueRules("question_type").fit([], []).predict([text]) == [label]


def test_bootstrap_interval_brackets_macro_f1() -> None:
    gold = ["a", "b", "c"] * 40
    perfect = bootstrap_macro_f1(gold, gold, n_resamples=200)
    assert perfect == (1.0, 1.0)
    noisy = ["a", "b", "a"] * 40
    lo, hi = bootstrap_macro_f1(gold, noisy, n_resamples=200)
    assert 0.0 <= lo < hi <= 1.0
    assert bootstrap_macro_f1(gold, noisy, n_resamples=200) == (lo, hi)  # fixed seed


def test_training_samples_are_nested_and_sizes_logarithmic() -> None:
    rows = TrainSet([str(i) for i in range(50)], ["x"] * 50, [1.0] * 50)
    small, large = rows.sample(10), rows.sample(30)
    assert set(small.texts) < set(large.texts)
    sizes = learning_sizes(10_000, 5)
    assert sizes[0] == 123 and sizes[-1] == 10_000 and sizes == sorted(sizes)


def test_the_stage_profile_charges_every_second_to_a_stage() -> None:
    import kvclassify as kv
    from benchmarks.stages import STAGES, stage_profile

    texts = ["Bent u bereid de Kamer te informeren over de wachtlijsten?", "Hoeveel boetes zijn er uitgedeeld?"] * 1500
    profile = stage_profile(texts, kv.load_model())
    stages = {row["stage"]: row for row in profile["stages"]}
    assert abs(sum(row["share"] for row in profile["stages"]) - 1.0) < 0.01
    # The batch path's main stages all take time, and nothing is charged to a stage that does not exist.
    for stage in ("tokenising (fold, split, canonical reading)", "n-gram look-up", "TF-IDF rows", "products with the weights"):
        assert stages[stage]["ms_per_1000"] > 0, stage
    assert set(stages) <= {*STAGES.values(), "checks and the rest"}
