"""Result types: plain values, frozen, with to_dict()."""

from __future__ import annotations

import dataclasses
import json

import pytest

import kvclassify as kv
from kvclassify.results import Prediction


def test_results_are_frozen_and_json_ready() -> None:
    c = kv.classify("Bent u bereid de Kamer te informeren?")
    assert json.loads(json.dumps(c.to_dict()))["question_type"]["label"] == c.question_type.label
    with pytest.raises(dataclasses.FrozenInstanceError):
        c.coverage = 0.0  # type: ignore[misc]
    e = kv.explain("Bent u bereid de Kamer te informeren?", task="question_type", k=2)
    assert [t["term"] for t in e.to_dict()["terms"]] == [t.term for t in e.terms]
    assert kv.load_model().info.to_dict()["tasks"]["question_type"] == ["commitment", "factual", "opinion"]


def test_top_orders_by_probability_then_label_and_checks_k() -> None:
    p = Prediction("b", 0.4, {"a": 0.3, "b": 0.4, "c": 0.3})
    assert p.top(5) == [("b", 0.4), ("a", 0.3), ("c", 0.3)] and p.top(0) == []
    for k in ("2", 1.5, True, -1):  # a negative k is refused, as explain(k=-1) is
        with pytest.raises(kv.InputError, match="k must be an int"):
            p.top(k)  # type: ignore[arg-type]


def test_a_classification_reads_like_a_mapping_of_tasks() -> None:
    c = kv.classify("Bent u bereid de Kamer te informeren?")
    assert "question_type" in c and "nope" not in c and len(c) == 2
    assert list(c) == ["question_type", "policy_area"] and dict(c) == c.predictions
