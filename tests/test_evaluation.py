"""Scores: agreement with scikit-learn's metrics, the confusion matrix, the task choice, missing texts."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from sklearn.metrics import confusion_matrix, f1_score, precision_score, recall_score

import kvclassify as kv
from kvclassify.evaluation import pick_task, score

GOLD = ["a", "a", "a", "b", "b", "c", "c", "c", "c", "d"]
PRED = ["a", "b", "a", "b", "c", "c", "c", "a", "c", "b"]


def test_scores_equal_scikit_learn() -> None:
    e = score("t", GOLD, PRED, ["a", "b", "c", "d"])
    for avg in ("macro", "weighted"):
        assert getattr(e, f"{avg}_f1") == pytest.approx(f1_score(GOLD, PRED, average=avg, zero_division=0), abs=1e-4)
        assert getattr(e, f"{avg}_precision") == pytest.approx(
            precision_score(GOLD, PRED, average=avg, zero_division=0), abs=1e-4)
        assert getattr(e, f"{avg}_recall") == pytest.approx(
            recall_score(GOLD, PRED, average=avg, zero_division=0), abs=1e-4)
    assert e.macro_f1 == e.macro_f1 and e.labels == ("a", "b", "c", "d")
    assert np.array_equal(np.array(e.confusion), confusion_matrix(GOLD, PRED, labels=list(e.labels)))
    report = json.loads(json.dumps(e.report(), allow_nan=False))
    assert report["confusion"]["matrix"][2] == [1, 0, 3, 0] and report["weighted_f1"] == e.weighted_f1


def test_empty_score_is_defined() -> None:
    e = score("t", [], [], [])
    assert (e.n, e.accuracy, e.weighted_f1, e.confusion) == (0, 0.0, 0.0, ())


ROWS = [{"text": "Bent u bereid de Kamer te informeren?", "question_type": "commitment"},
        {"text": "Hoeveel boetes zijn er uitgedeeld?", "question_type": "factual"}]


def test_evaluate_picks_the_task_the_data_labels() -> None:
    assert kv.evaluate(ROWS).task == "question_type"
    with pytest.raises(kv.InputError, match="which task\\? the model has question_type, policy_area; the data "
                                           "has none of them"):
        kv.evaluate([{"text": "x"}])
    both = [{**r, "policy_area": "zorg_welzijn"} for r in ROWS]
    with pytest.raises(kv.InputError, match="the data labels question_type, policy_area"):
        kv.evaluate(both)
    single = kv.Model({"question_type": kv.load_model().heads["question_type"]}, {})
    assert pick_task(single, [{"text": "x"}], None) == "question_type"


def test_evaluate_a_dataframe_with_missing_texts() -> None:
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame([*ROWS, {"text": None, "question_type": "factual"}])
    with pytest.raises(kv.DataError, match="record 3: field 'text' is missing"):
        kv.evaluate(frame)
    e = kv.evaluate(frame, on_missing="skip")
    assert (e.n, e.skipped) == (2, 1)
    with pytest.raises(kv.InputError, match="on_missing"):
        kv.evaluate(frame, on_missing="drop")


def test_train_on_a_dataframe_and_its_labels_in_documents() -> None:
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame({
        "text": ["Bent u bereid dit te onderzoeken?", "Wilt u de Kamer informeren?", "Gaat u maatregelen nemen?",
                 "Hoeveel mensen wachten?", "Wat is de stand van zaken?", "Klopt het dat dit gebeurde?"],
        "toezegging": ["ja", "ja", "ja", "nee", "nee", "nee"]})
    model = kv.train(frame, label_fields="toezegging", config=kv.TrainConfig(validation="none"))
    assert kv.evaluate(frame, model=model).task == "toezegging"
    doc = ("Vragen van het lid Jansen (SP) aan de minister van Defensie over munitie (ingezonden 3 maart 2025).\n\n"
           "1. Kent u het bericht over de tekorten aan munitie?\n\n2. Bent u bereid de Kamer te informeren?\n")
    labels = [q.classification["toezegging"].label for q in kv.classify_document(doc, model=model).questions]
    assert labels[1] == "ja"


_OK = [{"text": "Bent u bereid de Kamer te informeren?", "question_type": "commitment"}]


@pytest.mark.parametrize(("kwargs", "error", "message"), [
    ({"task": "sentiment"}, kv.InputError, "no task 'sentiment'"),
    ({"task": 3}, kv.InputError, "task must be"),
    ({"text_field": None}, kv.InputError, "text_field must be"),
    ({"text_field": ""}, kv.InputError, "text_field must be"),
    ({"on_missing": "ignore"}, kv.InputError, "on_missing"),
    ({"model": 42}, kv.InputError, "model must be"),
    ({"model": "no/such/model.kvc"}, kv.ModelNotFoundError, "not found"),
    ({"encoding": "nope"}, kv.InputError, "unknown encoding 'nope'"),
    ({"encoding": 5}, kv.InputError, "encoding must be a str such as 'latin-1', got int"),
])
def test_options_are_checked_before_the_data_is_read(kwargs: dict, error: type, message: str) -> None:
    # The data is unreadable: each option's own error must come first.
    with pytest.raises(error, match=message):
        kv.evaluate("no/such/data.jsonl", **kwargs)


@pytest.mark.parametrize(("data", "task", "message"), [
    ([], None, "no records"),
    ([{"text": "Hoeveel?"}], "question_type", "no record has the label field 'question_type'"),
    ([{"text": "Hoeveel?", "policy_area": "zorg_welzijn"}], "question_type", "no record has the label field"),
])
def test_data_without_what_is_scored_is_a_data_error(data: list, task: str | None, message: str) -> None:
    with pytest.raises(kv.DataError, match=message):
        kv.evaluate(data, task)


def test_model_may_be_a_path() -> None:
    assert kv.evaluate(_OK, model=kv.shipped_model_path()).n == 1


@pytest.mark.parametrize("label", [5, 2.0, True, {"code": "factual"}, ["factual", 3]])
def test_a_label_that_is_not_a_string_is_a_data_error(label: object) -> None:
    data = [*ROWS, {"text": "Hoeveel?", "question_type": label}]
    with pytest.raises(kv.DataError, match="^record 3: label field 'question_type' must be a string or a list of "
                                           "strings, got "):
        kv.evaluate(data)


@pytest.mark.parametrize("label", [None, "", float("nan"), np.nan, []])
def test_nothing_to_score_is_a_data_error_not_a_zero_accuracy(label: object) -> None:
    with pytest.raises(kv.DataError, match=r"^no record has a question_type label to score \(skipped: 2\); label "
                                           r"them, or pass the task they label \(task= / --task\)$"):
        kv.evaluate([{"text": "Hoeveel?", "question_type": label}, {"text": "Wat?", "question_type": None}])
    e = kv.evaluate([*ROWS, {"text": "Hoeveel?", "question_type": label}])  # a missing label is still skipped
    assert (e.n, e.skipped) == (2, 1)


def test_records_with_only_any_of_lists_are_scored() -> None:
    data = [{"text": "Hoeveel wachten er op een ziekenhuisbed?", "policy_area": None, "policy_areas": ["zorg_welzijn"]}]
    e = kv.evaluate(data, "policy_area")
    assert (e.n, e.any_of_n) == (0, 1)


@pytest.mark.parametrize(("encoding", "quotes"), [("latin-1", ""), ("cp1252", "\u2018\u2019")])
def test_evaluate_reads_a_file_in_the_encoding_given(tmp_path: Path, encoding: str, quotes: str) -> None:
    """Accented letters only read as latin-1; curly quotes (Windows text) as cp1252: the hint names the one that reads."""
    open_q, close_q = quotes or ("", "")
    text = (f"text,question_type\n{open_q}Bent u bereid de financiën te herzien?{close_q},commitment\n"
            "Hoeveel boetes zijn er in Curaçao uitgedeeld?,factual\n")
    path = tmp_path / "labelled.csv"
    path.write_bytes(text.encode(encoding))
    with pytest.raises(kv.DataError, match=f"not UTF-8 .*; pass an encoding, e.g. encoding='{encoding}'"):
        kv.evaluate(path)
    assert kv.evaluate(path, encoding=encoding).accuracy == 1.0
