"""The ``Dataset.map`` batch function: prefixed columns, equal to the API, a stable cache fingerprint."""

from __future__ import annotations

import pickle
from pathlib import Path

import datasets
import pytest
from datasets.fingerprint import Hasher

import kvclassify as kv

ROWS = {"text": ["Bent u bereid de Kamer te informeren?", None, "Hoeveel boetes zijn er uitgedeeld?"],
        "policy_area": ["gold-a", "gold-b", "gold-c"]}


def test_columns_are_prefixed_and_equal_the_api() -> None:
    out = datasets.Dataset.from_dict(ROWS).map(kv.batch_classifier(), batched=True, batch_size=2)
    assert out["policy_area"] == ROWS["policy_area"]  # the gold column is untouched
    first = kv.classify(ROWS["text"][0])
    assert out[0]["pred_policy_area"] == first.policy_area.label
    assert out[0]["pred_asks_commitment"] is True and out[1]["pred_question_type"] is None
    assert {"pred_question_type_score", "pred_commitment_probability", "pred_in_domain"} <= set(out.column_names)


def test_fingerprint_is_deterministic_and_follows_the_settings(tmp_path: Path) -> None:
    a, b = kv.batch_classifier(), kv.batch_classifier()
    assert Hasher.hash(a) == Hasher.hash(b)
    assert Hasher.hash(a) != Hasher.hash(kv.batch_classifier(commitment_threshold=0.2))
    ds = datasets.Dataset.from_dict(ROWS)
    assert ds.map(a, batched=True)._fingerprint == ds.map(b, batched=True)._fingerprint


def test_dataset_cache_is_reused(tmp_path: Path) -> None:
    (tmp_path / "d.jsonl").write_text('{"text": "Hoeveel boetes zijn er uitgedeeld?"}\n', encoding="utf-8")
    ds = datasets.load_dataset("json", data_files=str(tmp_path / "d.jsonl"), cache_dir=str(tmp_path / "c"))["train"]
    first = ds.map(kv.batch_classifier(), batched=True)
    second = ds.map(kv.batch_classifier(), batched=True)
    assert first.cache_files and first.cache_files == second.cache_files


def _flag_model() -> kv.Model:
    """A small model of one head, ``flag`` (yes/no), trained in memory."""
    rows = [{"text": t, "flag": f} for t, f in [
        ("Bent u bereid dit te onderzoeken?", "yes"), ("Wilt u de Kamer informeren?", "yes"),
        ("Gaat u maatregelen nemen?", "yes"), ("Hoeveel mensen wachten?", "no"),
        ("Wat is de stand van zaken?", "no"), ("Klopt het dat dit gebeurde?", "no")]]
    return kv.train(rows, label_fields="flag", config=kv.TrainConfig(validation="none"))


def test_in_memory_model_pickles_and_rebuilds() -> None:
    model = _flag_model()
    fn = kv.batch_classifier(model, prefix="kv_")
    again = pickle.loads(pickle.dumps(fn))
    batch = {"text": ["Bent u bereid te helpen?"]}
    assert again(batch) == fn(batch) and list(fn(batch)) == ["kv_flag", "kv_flag_score", "kv_in_domain"]
    assert Hasher.hash(fn) == Hasher.hash(again)


def test_missing_text_column_is_a_library_error() -> None:
    with pytest.raises(kv.InputError, match="no column 'text' \\(columns: body\\)"):
        kv.batch_classifier()({"body": ["x"]})


def test_every_batch_has_the_same_columns() -> None:
    """A batch of missing texts only still carries the commitment columns (once a ``Schema ... unequal`` error)."""
    bc = kv.batch_classifier()
    assert list(bc({"text": [None]})) == list(bc({"text": ["Bent u bereid de Kamer te informeren?"]}))
    assert bc({"text": [None]})["pred_commitment_probability"] == [None]
    out = datasets.Dataset.from_dict(ROWS).map(bc, batched=True, batch_size=1)
    assert out["pred_asks_commitment"] == [True, None, False]


def test_features_fix_the_types_whatever_the_first_batch_holds() -> None:
    """Without ``features=`` datasets would type the columns ``null`` from a first batch of missing texts."""
    ds = datasets.Dataset.from_dict({"text": [None, None, "Bent u bereid de Kamer te informeren?", "Hoeveel?"],
                                     "policy_area": ["a", "b", "c", "d"]})
    bc = kv.batch_classifier()
    features = bc.features(ds)
    assert list(features)[:2] == ["text", "policy_area"]  # map(features=) names the kept input columns too
    out = ds.map(bc, batched=True, batch_size=2, features=features)
    assert out.features == features and out["policy_area"] == ["a", "b", "c", "d"]
    assert out["pred_question_type"][:3] == [None, None, "commitment"]
    assert out.features["pred_question_type_score"] == datasets.Value("float64")
    assert out.features["pred_asks_commitment"] == datasets.Value("bool")
    # The same types from a Features, and the new columns alone when every input column is removed.
    assert bc.features(ds.features) == features
    alone = ds.map(bc, batched=True, batch_size=2, remove_columns=ds.column_names, features=bc.features())
    assert alone.column_names == list(bc({"text": [None]}))


def test_features_follow_the_model_and_prefix() -> None:
    model = _flag_model()
    features = kv.batch_classifier(model, prefix="kv_").features()
    assert dict(features) == {"kv_flag": datasets.Value("string"), "kv_flag_score": datasets.Value("float64"),
                              "kv_in_domain": datasets.Value("bool")}


def test_features_refuse_what_is_not_a_dataset() -> None:
    bc = kv.batch_classifier()
    with pytest.raises(kv.InputError, match="features\\(\\) takes a Dataset, IterableDataset or Features, got list"):
        bc.features(["text"])
    unknown = datasets.IterableDataset.from_generator(lambda: iter([{"text": "x"}]))
    if unknown.features is None:
        with pytest.raises(kv.InputError, match="the dataset's features are unknown"):
            bc.features(unknown)


def test_unbatched_map_is_a_library_error() -> None:
    with pytest.raises(kv.InputError, match="column 'text' holds one text, not a batch; map with batched=True"):
        kv.batch_classifier()({"text": "Hoeveel boetes zijn er uitgedeeld?"})


def test_a_prefix_that_would_overwrite_a_column_is_refused() -> None:
    ds = datasets.Dataset.from_dict({"text": ["Hoeveel boetes zijn er uitgedeeld?"], "question_type": ["opinion"]})
    bc = kv.batch_classifier(prefix="")
    with pytest.raises(kv.InputError, match="'question_type'.*overwrite"):
        ds.map(bc, batched=True)
    with pytest.raises(kv.InputError, match="overwrite"):
        bc.features(ds)
    assert ds["question_type"] == ["opinion"]  # the gold codes are untouched
