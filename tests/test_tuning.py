"""``kvclassify.search``: the ``out`` target is checked before any candidate runs, and the chosen model is saved."""

from __future__ import annotations

from pathlib import Path

import pytest

import kvclassify as kv

ROWS = [{"text": t, "flag": f} for t, f in [
    ("Bent u bereid dit te onderzoeken?", "ja"), ("Wilt u de Kamer informeren?", "ja"),
    ("Gaat u maatregelen nemen?", "ja"), ("Hoeveel mensen wachten?", "nee"),
    ("Wat is de stand van zaken?", "nee"), ("Klopt het dat dit gebeurde?", "nee")]]
SETS = {"words": kv.FeatureConfig(char_ngrams=None, min_df=1)}


def test_out_is_refused_before_the_data_is_read(tmp_path: Path) -> None:
    with pytest.raises(kv.OutputError, match="directory"):
        kv.search(str(tmp_path / "missing.jsonl"), label_field="flag", out=tmp_path)


def test_the_chosen_model_is_saved(tmp_path: Path) -> None:
    model = kv.search(ROWS, label_field="flag", feature_sets=SETS, C_values=(1.0,), folds=2, out=tmp_path / "m.kvc")
    assert kv.load_model(tmp_path / "m.kvc").card["search"] == model.card["search"]


_ROWS = [{"text": f"Bent u bereid maatregel {i} te nemen?", "y": "ja"} for i in range(6)] + [
    {"text": f"Hoeveel meldingen waren er in {2000 + i}?", "y": "nee"} for i in range(6)]


@pytest.mark.parametrize("kwargs, match", [
    ({"C_values": "25"}, "C_values must be a sequence"), ({"C_values": 10}, "C_values must be a sequence"),
    ({"C_values": (0,)}, "positive number"), ({"C_values": (float("nan"),)}, "positive number"),
    ({"label_field": ["y"]}, "label_field must be one field name"), ({"time_budget": -5}, "time_budget"),
    ({"time_budget": float("nan")}, "time_budget"), ({"feature_sets": {"w": "words"}}, "feature_sets"),
    ({"card": {"x": object()}}, "card entries"),
])
def test_search_refuses_arguments_that_would_search_something_else(kwargs: dict, match: str) -> None:
    args = {"label_field": "y", "folds": 2, **kwargs}
    with pytest.raises(kv.InputError, match=match):
        kv.search(_ROWS, **args)


def test_search_takes_c_values_from_a_generator() -> None:
    sets = {"w": kv.FeatureConfig(char_ngrams=None, min_df=1)}
    m = kv.search(_ROWS, label_field="y", feature_sets=sets, C_values=(c for c in (1.0, 10.0)), folds=2)
    assert [c["C"] for c in m.card["search"]["candidates"]] == [1.0, 10.0]
