"""Validation folds keep groups together and are stratified."""

from __future__ import annotations

import numpy as np
import pytest

import kvclassify as kv
from kvclassify.records import Examples, validate
from kvclassify.splitting import fold_masks

TOPICS = ["asiel", "zorg", "onderwijs"]


def rows() -> list[dict[str, str]]:
    return [{"vraag": f"Vraag {i} over {TOPICS[i % 3]} en meer {TOPICS[i % 3]}", "topic": TOPICS[i % 3]}
            for i in range(30)]


def test_group_field_keeps_groups_in_one_fold() -> None:
    data = [dict(r, doc=f"d{i // 5}") for i, r in enumerate(rows())]
    heads, _ = validate(data, "vraag", ["topic"], group_field="doc")
    ex = heads["topic"]
    masks = fold_masks(ex, 3, random_state=0)
    assert np.sum(masks, axis=0).tolist() == [1] * len(ex.labels)  # every row tested exactly once
    for mask in masks:
        inside = {data[int(g)]["doc"] for g in ex.groups[mask]}
        outside = {data[int(g)]["doc"] for g in ex.groups[~mask]}
        assert inside and not inside & outside
    model = kv.train(data, text_field="vraag", label_fields="topic", group_field="doc",
                     config=kv.TrainConfig(validation="cv", folds=3))
    assert model.card["config"]["group_field"] == "doc"


def test_folds_are_stratified() -> None:
    heads, _ = validate(rows(), "vraag", ["topic"])
    for mask in fold_masks(heads["topic"], 5, random_state=1):
        labels = [lab for lab, m in zip(heads["topic"].labels, mask) if m]
        assert sorted(labels.count(t) for t in TOPICS) == [2, 2, 2]


def test_more_folds_than_groups_is_a_data_error() -> None:
    ex = Examples(["a", "b"], ["x", "y"], np.ones(2), np.arange(2), np.arange(2))
    with pytest.raises(kv.DataError, match="3 validation folds need at least 3"):
        fold_masks(ex, 3, random_state=0)


def _examples(sizes: dict[str, int]) -> Examples:
    labels = [label for label, n in sizes.items() for _ in range(n)]
    return Examples([f"t{i}" for i in range(len(labels))], labels, np.ones(len(labels)), np.arange(len(labels)),
                    np.arange(len(labels)))


def test_folds_are_capped_at_the_largest_label_when_every_label_is_rarer() -> None:
    ex = _examples({"x": 4, "y": 4, "z": 4})  # passes min_examples=3, but no label fills 5 folds
    masks = fold_masks(ex, 5, random_state=0)
    assert len(masks) == 4
    assert np.sum(masks, axis=0).tolist() == [1] * 12  # every row tested exactly once
    assert all(sorted(lab for lab, m in zip(ex.labels, mask) if m) == ["x", "y", "z"] for mask in masks)
    assert len(fold_masks(_examples({"x": 5, "y": 4, "z": 4}), 5, random_state=0)) == 5  # one label fills them


def test_every_label_with_a_single_example_cannot_be_validated() -> None:
    with pytest.raises(kv.DataError, match=r"at least 2 examples, but every label has 1 \(e.g. 'x'\); add examples or "
                                           r"train without validation \(validation='none'\)"):
        fold_masks(_examples({"x": 1, "y": 1, "z": 1}), 2, random_state=0)
