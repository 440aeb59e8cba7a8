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
