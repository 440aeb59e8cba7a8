"""Training options are checked whole, up front, into InputError naming the option."""

from __future__ import annotations

import math
from typing import Any

import pytest

import kvclassify as kv
from kvclassify.errors import InputError

ROWS = [{"text": t, "flag": f} for t, f in [
    ("Bent u bereid dit te onderzoeken?", "yes"), ("Wilt u de Kamer informeren?", "yes"),
    ("Gaat u maatregelen nemen?", "yes"), ("Hoeveel mensen wachten?", "no"),
    ("Wat is de stand van zaken?", "no"), ("Klopt het dat dit gebeurde?", "no")]]


@pytest.mark.parametrize(("options", "name"), [
    ({"C": 0}, "C"), ({"C": -1.0}, "C"), ({"C": math.nan}, "C"), ({"C": math.inf}, "C"), ({"C": "10"}, "C"),
    ({"C": True}, "C"), ({"class_weight": "heavy"}, "class_weight"), ({"max_iter": 0}, "max_iter"),
    ({"max_iter": 2.5}, "max_iter"), ({"temperature": 0.0}, "temperature"), ({"temperature": 1e-300}, "temperature"),
    ({"precedence": ("a",)}, "precedence"), ({"precedence": "ab"}, "precedence"), ({"precedence": ("a", "a")}, "precedence"),
    ({"features": {"min_df": 1}}, "features"),
])
def test_bad_head_config(options: dict[str, Any], name: str) -> None:
    with pytest.raises(InputError, match=name):
        kv.HeadConfig(**options)


@pytest.mark.parametrize(("options", "name"), [
    ({"folds": 1}, "folds"), ({"folds": 2.0}, "folds"), ({"folds": 10**9}, "folds"),
    ({"test_size": 0}, "test_size"), ({"test_size": 1.5}, "test_size"), ({"test_size": math.nan}, "test_size"),
    ({"min_examples": 0}, "min_examples"), ({"validation": "kfold"}, "validation"),
    ({"conflicts": "merge"}, "conflicts"), ({"search_C": (1.0, -1.0)}, "search_C"), ({"search_C": "1"}, "search_C"),
    ({"time_budget": -1}, "time_budget"), ({"head": {"C": 1}}, "head"), ({"heads": {"t": 3}}, "heads"),
])
def test_bad_train_config(options: dict[str, Any], name: str) -> None:
    with pytest.raises(InputError, match=name):
        kv.TrainConfig(**options)


def test_sequences_become_tuples() -> None:
    assert kv.TrainConfig(search_C=[1, 2]).search_C == (1, 2)
    assert kv.HeadConfig(precedence=["b", "a"]).precedence == ("b", "a")


@pytest.mark.parametrize(("options", "name"), [
    ({"random_state": -1}, "random_state"), ({"random_state": 2**32}, "random_state"),
    ({"random_state": "0"}, "random_state"), ({"text_field": ""}, "text_field"), ({"label_fields": []}, "label_fields"),
    ({"label_fields": ["flag", "flag"]}, "distinct"), ({"label_fields": [None]}, "label field"),
    ({"config": {"folds": 3}}, "config"), ({"weight_fields": {"other": "w"}}, "weight_fields"),
    ({"group_field": 3}, "group_field"), ({"progress": "print"}, "progress"), ({"card": [1]}, "card"),
])
def test_bad_train_arguments_fail_before_reading_data(options: dict[str, Any], name: str,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    import kvclassify.data

    def never(*_a: object) -> None:
        raise AssertionError("data was read before the options were checked")

    monkeypatch.setattr(kvclassify.data, "read_splits", never)
    with pytest.raises(InputError, match=name):
        kv.train(ROWS, **{"label_fields": "flag", **options})


def test_label_info_of_an_unknown_code_is_a_library_error() -> None:
    for code in ("nope", 3, None):
        with pytest.raises(kv.InputError, match="unknown label code"):
            kv.label_info(code)  # type: ignore[arg-type]
    with pytest.raises(KeyError):  # still a failed look-up for callers that catch that
        kv.label_info("nope")
