"""The commitment flag's thresholds: chosen out of fold, and written into the card by training."""

from __future__ import annotations

import numpy as np
import pytest

import kvclassify as kv
from kvclassify.errors import DataError
from kvclassify.thresholds import flag_thresholds, precision_recall


def brute_force(p: np.ndarray, pos: np.ndarray, t: float) -> tuple[float, float]:
    flagged = p >= t
    return (pos & flagged).sum() / max(flagged.sum(), 1), (pos & flagged).sum() / pos.sum()


@pytest.mark.parametrize("seed", range(5))
def test_thresholds_meet_their_targets_at_the_best_other_figure(seed: int) -> None:
    rng = np.random.default_rng(seed)
    pos = rng.random(300) < 0.3
    p = np.clip(rng.normal(0.3 + 0.4 * pos, 0.2), 0, 1).round(3)
    t = flag_thresholds(p, pos, min_recall=0.9, min_precision=0.8)
    precision, recall = brute_force(p, pos, t.threshold)

    def safe(r: float) -> bool:  # the recall target holds one standard error below the estimate
        return r - np.sqrt(r * (1 - r) / pos.sum()) >= 0.9

    assert safe(recall) and (round(precision, 4), round(recall, 4)) == (t.precision, t.recall)
    # No threshold whose recall is safely at the target is more precise.
    assert max(brute_force(p, pos, c)[0] for c in np.unique(p) if safe(brute_force(p, pos, c)[1])) == pytest.approx(precision)
    strict_precision, strict_recall = brute_force(p, pos, t.strict_threshold)
    assert strict_precision >= 0.8 and t.strict_threshold >= t.threshold
    assert strict_recall == pytest.approx(max(brute_force(p, pos, c)[1] for c in np.unique(p) if brute_force(p, pos, c)[0] >= 0.8))


def test_precision_recall_has_one_point_per_distinct_score() -> None:
    prec, rec, thr = precision_recall(np.array([0.5, 0.5, 0.2]), np.array([1, 0, 1]))
    assert thr.tolist() == [0.5, 0.2] and prec.tolist() == [0.5, 2 / 3] and rec.tolist() == [0.5, 1.0]


def test_a_flag_needs_both_kinds_of_example() -> None:
    with pytest.raises(DataError, match="both positives and negatives"):
        flag_thresholds(np.array([0.2, 0.9]), np.array([True, True]))


def test_training_the_commitment_task_writes_the_card_entry_whatever_its_head_kind() -> None:
    asks = ["Bent u bereid {w} te verbeteren?", "Wilt u de Kamer over {w} informeren?", "Gaat u {w} aanpakken?"]
    views = ["Deelt u de mening dat {w} slecht gaat?", "Wat vindt u van {w}?"]
    facts = ["Hoeveel kost {w}?", "Klopt het dat {w} duurder wordt?", "Wanneer start {w}?"]
    words = ["de zorg", "het spoor", "de politie", "het onderwijs", "de landbouw", "de energie"]
    rows = [{"text": f.format(w=w), "question_type": label, "t": label} for w in words
            for frames, label in ((asks, "commitment"), (views, "opinion"), (facts, "factual")) for f in frames]
    features = kv.FeatureConfig(char_ngrams=None, min_df=1, clause_start=2)
    head = kv.HeadConfig(features=features, solver="svc", C=1.0, precedence=("commitment", "opinion", "factual"))
    m = kv.train(rows, label_fields="question_type", config=kv.TrainConfig(validation="cv", folds=3, head=head))
    entry = m.card["commitment"]
    assert {"threshold", "strict_threshold", "recall", "precision", "chosen_by"} <= set(entry)
    assert entry["recall"] >= 0.9 and entry["strict_threshold"] >= entry["threshold"] and entry["n"] == len(rows)
    assert "cv validation, out of fold" in entry["chosen_by"]
    assert kv.commitment_thresholds(m)[0] == entry["threshold"]
    # A softmax head flags commitments too (Model.flags_commitments), so its threshold is chosen the same way.
    softmax = kv.train(rows, label_fields="question_type",
                       config=kv.TrainConfig(validation="cv", folds=3, head=kv.HeadConfig(features=features)))
    assert softmax.flags_commitments and softmax.card["commitment"]["recall"] >= 0.9
    # Another task with a commitment class sets no flag, so it gets no threshold.
    other = kv.train(rows, label_fields="t", config=kv.TrainConfig(validation="cv", folds=3, head=head))
    assert not other.flags_commitments and "commitment" not in other.card
