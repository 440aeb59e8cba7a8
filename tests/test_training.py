"""Retraining on a user's own labels: inputs, validation, reproducibility, the card."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import kvclassify as kv
from kvclassify.cli import main

# A small label set that is not ours (CAP-style major topics), written for the tests.
TOPICS = {
    "health": ["ziekenhuis", "huisarts", "zorgverzekering", "medicijnen", "ggz", "verpleeghuis"],
    "transport": ["spoor", "snelweg", "treinen", "fietspad", "luchthaven", "verkeersveiligheid"],
    "defense": ["krijgsmacht", "militairen", "fregat", "veteranen", "navo", "munitie"],
}
FRAMES = [
    "Bent u bekend met de problemen rond {w} in de regio?",
    "Hoeveel geld gaat er dit jaar naar {w}?",
    "Wat vindt u van de plannen voor {w}?",
    "Bent u bereid in overleg te gaan over {w}?",
    "Klopt het dat de kosten voor {w} stijgen?",
]
OPTIONS = kv.TrainConfig(validation="holdout", head=kv.HeadConfig(features=kv.FeatureConfig(min_df=1)))


def rows() -> list[dict[str, str]]:
    return [{"vraag": f.format(w=w), "topic": t} for t, words in TOPICS.items() for w in words for f in FRAMES]


def write_csv(path: Path, records: list[dict[str, str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(records[0]))
        writer.writeheader()
        writer.writerows(records)
    return path


def test_train_on_own_labels_from_csv(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "coded.csv", rows())
    model = kv.train(path, text_field="vraag", label_fields="topic", config=OPTIONS)
    assert model.tasks == ("topic",)
    assert model.classes_("topic") == ("defense", "health", "transport")
    assert kv.classify("Hoeveel militairen zijn er uitgezonden?", model=model)["topic"].label == "defense"
    card = model.card
    assert card["training_data"]["n_records"] == len(rows())
    assert len(card["training_data"]["sha256"]) == 64
    assert 0.0 <= card["metrics"]["holdout"]["topic"]["macro_f1"] <= 1.0
    assert card["text_field"] == "vraag" and "scikit-learn" in card["versions"]


def test_train_from_a_datasets_dataset_with_validation_split() -> None:
    datasets = pytest.importorskip("datasets")
    data = rows()
    dd = datasets.DatasetDict({
        "train": datasets.Dataset.from_list(data[::2] + data[1::4]),
        "validation": datasets.Dataset.from_list(data[3::4]),
    })
    model = kv.train(dd, text_field="vraag", label_fields="topic", config=OPTIONS)
    assert model.card["metrics"]["validation"]["topic"]["n"] == len(data[3::4])
    single = kv.train(datasets.Dataset.from_list(data), text_field="vraag", label_fields="topic", config=OPTIONS)
    assert single.tasks == ("topic",)


def test_same_data_and_seed_give_identical_models(tmp_path: Path) -> None:
    a = kv.train(rows(), text_field="vraag", label_fields="topic", config=OPTIONS, random_state=3)
    b = kv.train(rows(), text_field="vraag", label_fields="topic", config=OPTIONS, random_state=3)
    texts = [r["vraag"] for r in rows()] + ["iets heel anders"]
    np.testing.assert_array_equal(a.predict_proba(texts, "topic"), b.predict_proba(texts, "topic"))
    assert kv.save_model(a, tmp_path / "a.kvc") == kv.save_model(b, tmp_path / "b.kvc")  # byte-identical files


def test_saved_model_loads_in_a_fresh_process(tmp_path: Path) -> None:
    model = kv.train(rows(), text_field="vraag", label_fields="topic", config=OPTIONS)
    path = tmp_path / "topic.kvc"
    kv.save_model(model, path)
    code = ("import json, kvclassify as kv; m = kv.load_model(%r); "
            "print(json.dumps(kv.classify('Hoeveel treinen vielen uit op het spoor?', model=m).to_dict()))") % str(path)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert json.loads(out) == kv.classify("Hoeveel treinen vielen uit op het spoor?", model=model).to_dict()


def test_cli_train_writes_a_model_and_reports(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_csv(tmp_path / "coded.csv", rows())
    out = tmp_path / "m.kvc"
    assert main(["train", "--data", str(path), "--text-field", "vraag", "--label", "topic", "--out", str(out),
                 "--validation", "cv", "--folds", "3"]) == 0
    assert "macro-F1" in capsys.readouterr().out
    assert kv.load_model(out).card["metrics"]["cv"]["topic"]["n"] == len(rows())


def test_precedence_head_learns_from_label_sets() -> None:
    data = [
        {"text": "Is het onderzoek afgerond? Zo ja, bent u bereid het openbaar te maken?", "t": ["factual", "commitment"]},
        {"text": "Bent u bereid de Kamer te informeren?", "t": "commitment"},
        {"text": "Gaat u maatregelen nemen?", "t": "commitment"},
        {"text": "Deelt u de mening dat dit onwenselijk is?", "t": "opinion"},
        {"text": "Wat vindt u van dit bericht?", "t": "opinion"},
        {"text": "Hoe beoordeelt u deze ontwikkeling? Hoeveel gevallen zijn er?", "t": ["opinion", "factual"]},
        {"text": "Hoeveel gevallen zijn er bekend?", "t": "factual"},
        {"text": "Wanneer is het rapport verschenen?", "t": "factual"},
        {"text": "Klopt het dat de kosten stijgen?", "t": "factual"},
    ]
    config = kv.TrainConfig(validation="none", min_examples=2, head=kv.HeadConfig(
        features=kv.FeatureConfig(word_ngrams=(1, 2), char_ngrams=None, clause_start=2, min_df=1),
        precedence=("commitment", "opinion", "factual")))
    model = kv.train(data, label_fields="t", config=config)
    head = model.heads["t"]
    assert head.precedence == ("commitment", "opinion", "factual") and head.coef.shape[1] == 2
    p = kv.classify("Bent u bereid dit te onderzoeken?", model=model)["t"]
    assert p.label == "commitment" and abs(sum(p.probabilities.values()) - 1) < 1e-9


@pytest.mark.parametrize(
    ("records", "message"),
    [
        ([{"vraag": "a", "topic": "x"}, {"topic": "y"}], "record 2 has no field 'vraag'"),
        ([{"vraag": "a b", "onderwerp": "x"}], "record 1 has no field 'topic'"),
        ([{"vraag": "  ", "topic": "x"}], "record 1: field 'vraag' is empty"),
        ([{"vraag": 3, "topic": "x"}], "record 1: field 'vraag' must be a string"),
        ([{"vraag": f"tekst {i}", "topic": "x"} for i in range(5)], "single class ('x')"),
        ([{"vraag": f"tekst {i}", "topic": "x"} for i in range(5)] + [{"vraag": "ander", "topic": "y"}],
         "fewer than 3 examples: 'y'"),
        ([{"vraag": "a", "topic": 5}], "must be a string or a list of strings"),
        ([], "no training records"),
    ],
)
def test_validation_errors_are_specific(records: list[dict], message: str) -> None:
    with pytest.raises(kv.DataError, match=message.replace("(", r"\(").replace(")", r"\)")):
        kv.train(records, text_field="vraag", label_fields="topic", config=OPTIONS)


def test_duplicates_are_merged_and_conflicts_reported() -> None:
    data = rows() + rows()[:4] + [{"vraag": rows()[0]["vraag"], "topic": "defense"}]
    messages: list[str] = []
    model = kv.train(data, text_field="vraag", label_fields="topic", config=OPTIONS, progress=messages.append)
    summary = model.card["training_data"]
    assert summary["exact_duplicates"] == 4 and summary["conflicting_texts"] == 1
    assert any("conflicting" in m for m in messages)
    with pytest.raises(kv.DataError, match="different labels"):
        kv.train(data, text_field="vraag", label_fields="topic",
                 config=kv.TrainConfig(validation="none", conflicts="error"))


def test_bad_jsonl_line_is_named(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"text": "a", "t": "x"}\n{"text": "b", "t": \n', encoding="utf-8")
    with pytest.raises(kv.DataError, match="line 2"):
        kv.train(path, label_fields="t")


def test_unhashable_group_values_name_the_record() -> None:
    data = [dict(r, doc=f"d{i}") for i, r in enumerate(rows())]
    data[4]["doc"] = ["not", "hashable"]  # type: ignore[assignment]
    with pytest.raises(kv.DataError, match="record 5: group field 'doc' must be a string or a number, got list"):
        kv.train(data, text_field="vraag", label_fields="topic", config=OPTIONS, group_field="doc")


def test_a_fold_with_a_single_class_is_named() -> None:
    # Two groups, each of one class: the training part of each fold holds one class only.
    data = [{"vraag": f"Vraag {i} over {t}", "topic": t, "doc": t} for t in ("a", "b") for i in range(4)]
    with pytest.raises(kv.DataError, match="validation fold 1 leaves a single class"):
        kv.train(data, text_field="vraag", label_fields="topic", group_field="doc",
                 config=kv.TrainConfig(validation="cv", folds=2, head=kv.HeadConfig(
                     features=kv.FeatureConfig(min_df=1))))


def test_more_folds_than_records_is_a_data_error() -> None:
    data = rows()[::10]  # 9 records of 3 topics
    with pytest.raises(kv.DataError, match="validation folds need at least"):
        kv.train(data, text_field="vraag", label_fields="topic",
                 config=kv.TrainConfig(validation="cv", folds=12, min_examples=1))


def test_train_out_is_written_and_a_bad_out_refused_before_fitting(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "model.kvc"
    model = kv.train(rows(), text_field="vraag", label_fields="topic", config=OPTIONS, out=out)
    assert kv.load_model(out).card == {**model.card, "format_version": 1}
    import kvclassify.fitting

    def never(*_a: object, **_k: object) -> None:
        raise AssertionError("fitted before the output was checked")

    monkeypatch.setattr(kvclassify.fitting, "fit_linear", never)
    (tmp_path / "link.kvc").symlink_to(out)
    for bad in (tmp_path, tmp_path / "link.kvc", Path("/dev/null")):
        with pytest.raises(kv.OutputError, match="not a regular file"):
            kv.train(rows(), text_field="vraag", label_fields="topic", config=OPTIONS, out=bad)


def _few(n: int) -> list[dict[str, str]]:
    """``n`` records of each topic: enough for ``min_examples``, fewer than the 5 folds of a default split."""
    return [r for t in TOPICS for r in [x for x in rows() if x["topic"] == t][:n]]


@pytest.mark.parametrize(("config", "told", "n"), [
    (OPTIONS, "topic: holding out 1/4 of the records, not test_size=0.2: no label has 5 examples (the largest has 4)",
     3),
    (kv.TrainConfig(validation="cv", folds=5),
     "topic: 4-fold cross-validation, not 5-fold: no label has 5 examples (the largest has 4)", 12),
])
def test_labels_rarer_than_the_folds_train_on_fewer_folds(config: kv.TrainConfig, told: str, n: int) -> None:
    said: list[str] = []
    model = kv.train(_few(4), text_field="vraag", label_fields="topic", config=config, progress=said.append)
    assert told in said
    assert model.card["metrics"][config.validation]["topic"]["n"] == n  # one record of each topic per fold


def test_folds_of_the_data_are_not_reduced_when_a_label_fills_them() -> None:
    said: list[str] = []
    kv.train(_few(5), text_field="vraag", label_fields="topic", config=OPTIONS, progress=said.append)
    assert not any("not test_size" in s for s in said)


def test_a_split_that_cannot_be_made_fails_before_any_fit(monkeypatch: pytest.MonkeyPatch) -> None:
    import kvclassify.fitting

    def never(*_a: object, **_k: object) -> None:
        raise AssertionError("fitted before every split was checked")

    monkeypatch.setattr(kvclassify.fitting, "fit_linear", never)
    # The first head splits well; the second has one example per label, so no split of it can be stratified.
    data = [dict(r, unique=f"u{i}") for i, r in enumerate(rows())]
    with pytest.raises(kv.DataError, match=r"^unique: validation needs a label with at least 2 examples, but every "
                                           r"label has 1 \(e.g. 'u0'\)"):
        kv.train(data, text_field="vraag", label_fields=["topic", "unique"],
                 config=kv.TrainConfig(validation="cv", folds=3, min_examples=1))


def test_unlabelled_records_are_told_and_counted_in_the_card() -> None:
    data = [dict(r, topic=None) if i % 9 == 0 else r for i, r in enumerate(rows())]
    said: list[str] = []
    model = kv.train(data, text_field="vraag", label_fields="topic", config=OPTIONS, progress=said.append)
    skipped = sum(1 for r in data if r["topic"] is None)
    assert f"topic: skipped {skipped} of {len(data)} records: no label (null or empty)" in said
    assert f"topic: fitting on {len(data) - skipped} records" in said
    assert model.card["training_data"]["unlabelled"] == {"topic": skipped}
    said.clear()
    kv.train(rows(), text_field="vraag", label_fields="topic", config=OPTIONS, progress=said.append)
    assert not any("no label" in s for s in said)  # nothing skipped, nothing told


def test_a_nan_label_is_refused_as_training_refuses_a_number() -> None:
    data = rows()
    data[2] = dict(data[2], topic=float("nan"))
    with pytest.raises(kv.DataError, match="record 3: label field 'topic' must be a string or a list of strings, got nan"):
        kv.train(data, text_field="vraag", label_fields="topic", config=OPTIONS)


def test_out_that_is_the_training_data_is_refused_before_reading(tmp_path: Path) -> None:
    data = tmp_path / "data.csv"
    data.write_text("text,lab\nHoeveel?,a\n", encoding="utf-8")
    for source in (str(data), data, {"train": str(data)}):
        with pytest.raises(kv.OutputError, match="it is an input"):
            kv.train(source, label_fields="lab", out=tmp_path / "." / "data.csv")
        with pytest.raises(kv.OutputError, match="it is an input"):
            kv.search(source, label_field="lab", out=data)
    assert data.read_text(encoding="utf-8") == "text,lab\nHoeveel?,a\n"


def write_latin1_csv(path: Path, records: list[dict[str, str]]) -> Path:
    """``records`` as a latin-1 CSV whose texts carry accented letters (not UTF-8)."""
    lines = ["vraag,topic"] + [f"{r['vraag'].replace('regio', 'région')},{r['topic']}" for r in records]
    path.write_bytes("\n".join(lines).encode("latin-1") + b"\n")
    return path


def test_train_and_search_read_data_in_the_encoding_given(tmp_path: Path) -> None:
    data, data_rows = write_latin1_csv(tmp_path / "coded.csv", rows()), rows()
    test = write_latin1_csv(tmp_path / "test.csv", data_rows[::3])
    with pytest.raises(kv.DataError, match="not UTF-8 .*; pass an encoding, e.g. encoding='latin-1'"):
        kv.train(data, text_field="vraag", label_fields="topic", config=OPTIONS)
    model = kv.train({"train": data, "test": test}, text_field="vraag", label_fields="topic", config=OPTIONS,
                     encoding="latin-1")  # every file of a dict of splits
    assert model.card["metrics"]["test"]["topic"]["n"] == len(data_rows[::3])
    assert model.card["training_data"]["n_records"] == len(data_rows)
    sets = {"words": kv.FeatureConfig(char_ngrams=None, min_df=1)}
    searched = kv.search(data, text_field="vraag", label_field="topic", feature_sets=sets, C_values=(1.0,), folds=2,
                         encoding="latin-1")
    assert searched.card["search"]["chosen"] == {"features": "words", "C": 1.0}


@pytest.mark.parametrize("data", [[{"vraag": "x", "topic": "a"}], "no/such/data.csv"])
def test_a_bad_encoding_is_refused_before_the_data_is_read(data: object) -> None:
    with pytest.raises(kv.InputError, match="unknown encoding 'nope'"):
        kv.train(data, text_field="vraag", label_fields="topic", encoding="nope")
    with pytest.raises(kv.InputError, match="'base64' is not a text encoding"):
        kv.search(data, text_field="vraag", label_field="topic", encoding="base64")


def test_a_bad_encoding_is_refused_for_a_dataset_dict() -> None:
    datasets = pytest.importorskip("datasets")
    dd = datasets.DatasetDict({"train": datasets.Dataset.from_list(rows())})
    with pytest.raises(kv.InputError, match="unknown encoding 'nope'"):
        kv.train(dd, text_field="vraag", label_fields="topic", encoding="nope")


def test_a_held_out_split_without_labels_is_refused_before_fitting(monkeypatch: pytest.MonkeyPatch) -> None:
    rows = [{"text": t, "lab": y} for t, y in [("Bent u bereid?", "a"), ("Wilt u dit doen?", "a"), ("Gaat u?", "a"),
                                               ("Hoeveel?", "b"), ("Wat is de stand?", "b"), ("Klopt het?", "b")]]
    monkeypatch.setattr("kvclassify.training._fit_head", lambda *a: pytest.fail("fitted before the check"))
    with pytest.raises(kv.DataError, match="the test split has no 'lab' label in any of its 2 records"):
        kv.train({"train": rows, "test": [{"text": "Hoeveel?"}, {"text": "Waarom?", "lab": None}]},
                 label_fields="lab", config=kv.TrainConfig(validation="none"))


_ROWS = [{"text": f"Bent u bereid maatregel {i} te nemen?", "y": "ja", "g": ""} for i in range(6)] + [
    {"text": f"Hoeveel meldingen waren er in {2000 + i}?", "y": "nee", "g": ""} for i in range(6)]


def test_a_group_or_weight_field_that_no_record_has_is_refused() -> None:
    """A misspelt group field would validate ungrouped (better-looking scores) under a card that says grouped."""
    for kwargs in ({"group_field": "docid"}, {"weight_fields": {"y": "wieght"}}):
        with pytest.raises(kv.DataError, match="no record has the (group|weight) field"):
            kv.train(_ROWS, label_fields="y", config=kv.TrainConfig(validation="none"), **kwargs)


def test_empty_group_cells_are_records_of_their_own() -> None:
    # All cells empty: twelve blocks, not one group (which no holdout could split).
    m = kv.train(_ROWS, label_fields="y", group_field="g", config=kv.TrainConfig(validation="holdout"))
    assert "holdout" in m.card["metrics"]


@pytest.mark.parametrize("card, match", [({"x": object()}, "not JSON serializable"), ({"a": {1: "x"}}, "key 1"),
                                         ({"commitment": {"threshold": "x"}}, "commitment.threshold")])
def test_a_card_a_file_cannot_hold_is_refused_before_training(card: dict, match: str, tmp_path: Path) -> None:
    with pytest.raises(kv.InputError, match=match):
        kv.train(_ROWS, label_fields="y", config=kv.TrainConfig(validation="none"), card=card, out=tmp_path / "m.kvc")
    assert not list(tmp_path.iterdir())
