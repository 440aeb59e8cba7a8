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
