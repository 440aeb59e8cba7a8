"""Regressions of a sixth round of cold, hostile use: each test is a user's reproduction, made small."""

from __future__ import annotations

import codecs
import json
import pickle
from pathlib import Path

import pytest

import kvclassify as kv
from kvclassify.cli import main

from .test_cli import _run
from .test_cli_train import TOPICS, _rows

ROWS = _rows(["Utrecht", "Groningen"])


@pytest.mark.parametrize(("fields", "clash"), [(["in_domain"], "a field of every result"),
                                                (["coverage"], "a field of every result"),
                                                (["a", "a_score"], "the score column of task 'a'"),
                                                (["b_top", "b"], "the top column of task 'b'")])
def test_a_task_that_results_could_not_tell_apart_is_refused_before_training(fields: list[str], clash: str) -> None:
    rows = [{**r, **{f: r["topic"] for f in fields}} for r in ROWS]
    with pytest.raises(kv.InputError, match=clash):
        kv.train(rows, label_fields=fields)


def test_a_model_of_such_tasks_is_refused_when_made() -> None:
    head = kv.train(ROWS, label_fields="topic", config=kv.TrainConfig(validation="none")).heads["topic"]
    with pytest.raises(kv.InputError, match="told apart"):
        kv.Model({"topic": head, "topic_score": head}, {})


def test_labels_differing_only_in_white_space_are_one_class_in_training() -> None:
    rows = [{**r, "topic": f" {r['topic']} " if i % 2 else r["topic"]} for i, r in enumerate(ROWS)]
    model = kv.train(rows, label_fields="topic", config=kv.TrainConfig(validation="none"))
    assert model.heads["topic"].classes_ == tuple(sorted(TOPICS))


def test_the_estimator_refuses_labels_that_differ_only_in_white_space_and_keeps_padded_ones() -> None:
    texts = [r["text"] for r in ROWS]
    with pytest.raises(kv.DataError, match="print alike"):
        kv.KvClassifier(calibrate=False).fit(texts, ["ja", "ja "] * (len(texts) // 2))
    padded = kv.KvClassifier(calibrate=False).fit(texts, [r["topic"] + " " for r in ROWS])
    assert set(padded.predict(texts[:6])) <= {t + " " for t in TOPICS}


def test_the_estimator_names_its_own_option_when_too_few_texts_calibrate() -> None:
    with pytest.raises(kv.DataError, match="calibrate=True .* at least 5 distinct texts, got 4; pass calibrate=False"):
        kv.KvClassifier().fit([r["text"] for r in ROWS[:4]], ["a", "a", "b", "b"])


def test_evaluate_scores_records_labelled_with_lists_as_training_reads_them() -> None:
    rows = [{"text": r["text"], "lab": [r["topic"]] if i % 3 else [r["topic"], "other"]} for i, r in enumerate(ROWS)]
    train_rows = [{"text": r["text"], "lab": r["lab"][0]} for r in rows]
    model = kv.train(train_rows, label_fields="lab", config=kv.TrainConfig(validation="none"))
    result = kv.evaluate(rows, model=model)
    singles = sum(1 for r in rows if len(r["lab"]) == 1)
    assert (result.n, result.skipped, result.any_of_n) == (singles, len(rows) - singles, len(rows))


def test_a_user_trained_question_type_head_gets_a_tuned_commitment_threshold(tmp_path: Path,
                                                                             capsys: pytest.CaptureFixture[str]) -> None:
    asks = ["Bent u bereid {w} te verbeteren?", "Wilt u de Kamer over {w} informeren?", "Gaat u {w} aanpakken?"]
    facts = ["Hoeveel kost {w}?", "Klopt het dat {w} duurder wordt?", "Wanneer start {w}?"]
    words = ["de zorg", "het spoor", "de politie", "het onderwijs", "de landbouw", "de energie"]
    rows = [{"text": f.format(w=w), "question_type": label} for w in words
            for frames, label in ((asks, "commitment"), (facts, "factual")) for f in frames]
    data = tmp_path / "qt.jsonl"
    data.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    for validation, shown in (("holdout", "out of fold: recall"), ("none", "not tuned")):
        out = tmp_path / f"{validation}.kvc"
        assert main(["train", "--data", str(data), "--label", "question_type", "--validation", validation,
                     "--out", str(out)]) == 0
        capsys.readouterr()
        assert main(["info", "--model", str(out)]) == 0
        assert shown in capsys.readouterr().out


def test_results_and_cards_are_read_only_and_survive_pickling() -> None:
    model = kv.load_model()
    c = kv.classify("Bent u bereid de Kamer te informeren?", model=model)
    with pytest.raises(TypeError, match="read-only"):
        c.question_type.probabilities["factual"] = 5.0
    with pytest.raises(TypeError, match="read-only"):
        model.card["commitment"]["threshold"] = 0.0  # the cached shipped model's card: shared by every caller
    with pytest.raises(TypeError, match="read-only"):
        model.info.card["metrics"].clear()
    assert kv.commitment_thresholds(model) == kv.commitment_thresholds(kv.load_model())
    copy = pickle.loads(pickle.dumps(c))
    assert copy == c and hash(copy) == hash(c) and json.loads(json.dumps(c.to_dict())) == c.to_dict()
    doc = kv.classify_document((Path(__file__).parent / "fixtures/documents/seed-2025-om-ict.txt").read_text())
    with pytest.raises(TypeError, match="read-only"):
        doc.type_counts["commitment"] = 0


def test_table_options_on_text_input_are_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = tmp_path / "q.txt"
    text.write_text("Hoeveel kost dit?\n", encoding="utf-8")
    for option in (["--text-field", "vraag"], ["--id-field", "id"], ["--keep-fields", "datum"]):
        assert main(["classify", str(text), *option]) == 3
        assert "no input is a table file" in capsys.readouterr().err


def test_kept_fields_are_named_without_the_spaces_around_them(tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    table = tmp_path / "t.csv"
    table.write_text("text,a b,c\nHoeveel kost dit?,1,2\n", encoding="utf-8")
    assert main(["classify", str(table), "--keep-fields", "c, a b", "--format", "jsonl"]) == 0
    row = json.loads(capsys.readouterr().out)
    assert (row["c"], row["a b"]) == ("2", "1")


def test_a_semicolon_separated_table_is_named_as_such(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    table = tmp_path / "excel.csv"
    table.write_text("id;text;datum\n1;Hoeveel kost dit?;2025-01-01\n", encoding="utf-8")
    assert main(["classify", str(table)]) != 0
    assert "separated by semicolons" in capsys.readouterr().err


def test_forcing_utf8_on_a_utf16_file_points_at_its_byte_order_mark(tmp_path: Path,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "u16.txt"
    path.write_bytes(codecs.BOM_UTF16_LE + "Hoeveel kost dit?\n".encode("utf-16-le"))
    assert main(["classify", str(path), "--encoding", "utf-8"]) != 0
    assert "UTF-16 byte-order mark: give no encoding" in capsys.readouterr().err


def test_a_long_line_of_standard_input_is_named_by_its_line_number() -> None:
    done = _run("classify", "-", "--mode", "lines", "--max-chars", "30", stdin=b"Hoeveel kost dit?\n" + b"a" * 40 + b"?\n")
    err = done.stderr.decode()
    assert done.returncode != 0 and "standard input: line 2 has 41 characters" in err and "--max-chars" in err
    assert "texts[" not in err


def test_a_card_name_too_long_for_every_row_is_refused_at_training_and_at_load() -> None:
    from kvclassify.schema import check_card

    with pytest.raises(kv.InputError, match="at most 200 characters"):
        kv.train(ROWS, label_fields="topic", config=kv.TrainConfig(validation="none"), card={"name": "x" * 201})
    with pytest.raises(kv.ModelIntegrityError, match="at most 200 characters"):
        check_card({"name": "x" * 5_000_000}, 1)  # what loading a file reads its card with
    assert check_card({"name": "x" * 200, "version": 3}, 1)["name"] == "x" * 200


def test_nested_kept_fields_are_written_as_json_in_a_csv(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    table = tmp_path / "t.jsonl"
    table.write_text(json.dumps({"text": "Hoeveel kost dit?", "meta": {"a": [1, 2]}, "l": [1, 2]}) + "\n")
    assert main(["classify", str(table), "--keep-fields", "meta,l", "--format", "csv", "--top", "2"]) == 0
    header, row = capsys.readouterr().out.splitlines()
    assert '"{""a"": [1, 2]}","[1, 2]"' in row and "|" in row  # the --top lists keep their own form


def test_an_id_beyond_a_float_is_refused_not_written_as_null(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    table = tmp_path / "t.jsonl"
    table.write_text('{"id": 1e400, "text": "Hoeveel kost dit?"}\n')
    assert main(["classify", str(table), "--id-field", "id"]) != 0
    assert "beyond a float's range" in capsys.readouterr().err


def test_a_head_takes_a_numpy_array_of_texts() -> None:
    import numpy as np

    head = kv.load_model().heads["question_type"]
    texts = ["Hoeveel kost dit?", "Bent u bereid dit te doen?"]
    assert (head.predict_proba(np.array(texts)) == head.predict_proba(texts)).all()


def test_an_empty_file_is_said_to_hold_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "empty.txt").write_text("  \n", encoding="utf-8")
    (tmp_path / "one.txt").write_text("Hoeveel kost dit?\n", encoding="utf-8")
    assert main(["classify", str(tmp_path / "empty.txt")]) == 0
    assert "empty.txt: nothing to classify (no text)" in capsys.readouterr().err
    assert main(["classify", str(tmp_path / "empty.txt"), str(tmp_path / "one.txt"), "--format", "csv"]) == 0
    out, err = capsys.readouterr()
    assert len(out.splitlines()) == 2 and "empty.txt: nothing to classify" in err and "one.txt" not in err
