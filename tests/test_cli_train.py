"""``kvclassify train`` and ``evaluate`` as a researcher uses them: settings, --test, --search, label choice."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

import kvclassify as kv
from kvclassify.cli import main
from kvclassify.tuning import FEATURE_SETS

TOPICS = {
    "zorg": ["ziekenhuis", "huisarts", "wachtlijst", "verpleging", "jeugdzorg", "medicijnen"],
    "verkeer": ["snelweg", "spoor", "fietspad", "file", "trein", "verkeersveiligheid"],
    "onderwijs": ["school", "leraar", "student", "universiteit", "examen", "lesuitval"],
}
FRAMES = ["Wat doet u aan {w} in {p}?", "Hoeveel {w} zijn er in {p}?", "Kent u het bericht over {w} in {p}?",
          "Bent u bereid de {w} in {p} te verbeteren?"]
PLACES = ["Utrecht", "Groningen", "Zwolle", "Tilburg", "Delft"]


def _rows(places: list[str]) -> list[dict[str, str]]:
    return [{"id": f"{t}-{i}-{p}", "text": f.format(w=w, p=p), "topic": t}
            for t, words in TOPICS.items() for i, (w, f) in enumerate(zip(words, FRAMES * 2)) for p in places]


def _write(path: Path, rows: list[dict[str, str]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    tmp = tmp_path_factory.mktemp("train")
    return {"train": _write(tmp / "train.jsonl", _rows(PLACES[:4])), "test": _write(tmp / "test.jsonl", _rows(PLACES[4:]))}


def test_train_settings_and_test_file_go_into_the_card(files: dict[str, Path], tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "m.kvc"
    argv = ["train", "--data", str(files["train"]), "--test", str(files["test"]), "--out", str(out),
            "--char-ngrams", "0", "--word-ngrams", "1", "1", "--C", "3", "--class-weight", "none", "--min-df", "1"]
    assert main(argv) == 0
    err = capsys.readouterr().err
    assert "training on the label field 'topic'" in err  # the one label-like field is taken
    card = kv.load_model(out).card
    cfg = card["config"]["topic"]
    assert cfg["C"] == 3.0 and cfg["class_weight"] is None
    assert cfg["features"]["char_ngrams"] is None and cfg["features"]["word_ngrams"] == [1, 1]
    assert card["metrics"]["test"]["topic"]["n"] == len(_rows(PLACES[4:]))
    assert "weighted_f1" in card["metrics"]["test"]["topic"]


def test_label_candidates_are_listed(files: dict[str, Path], tmp_path: Path,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path / "two.jsonl", [{**r, "area": r["topic"]} for r in _rows(PLACES[:2])])
    assert main(["train", "--data", str(path), "--out", str(tmp_path / "m.kvc")]) == 3
    assert "which label? pass --label FIELD; candidates in" in capsys.readouterr().err


def test_bad_settings_are_usage_errors(files: dict[str, Path], tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["train", "--data", str(files["train"]), "--label", "topic", "--out", str(tmp_path / "m.kvc")]
    assert main([*argv, "--word-ngrams", "3", "1"]) == 3
    assert "word_ngrams" in capsys.readouterr().err
    assert main([*argv, "--folds", "1"]) == 3
    assert "folds" in capsys.readouterr().err
    for bad, needle in [(["--C", "nan"], "--C must be"), (["--C", "-1"], "--C must be"), (["--seed", "-1"], "--seed"),
                        (["--time-budget", "0"], "--time-budget"), (["--min-examples", "0"], "--min-examples"),
                        (["--search-C", "1", "inf"], "--search-C")]:
        assert main([*argv, *bad]) == 3, bad
        err = capsys.readouterr().err
        assert needle in err and err.count("\n") == 1, bad


def test_search_compares_candidates_and_calibrates(files: dict[str, Path], tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "s.kvc"
    argv = ["train", "--data", str(files["train"]), "--label", "topic", "--out", str(out), "--search",
            "--search-C", "1", "10", "--folds", "3"]
    assert main(argv) == 0
    card = kv.load_model(out).card
    search = card["search"]
    assert [(c["features"], c["C"]) for c in search["candidates"]] == [
        (f, c) for f in FEATURE_SETS for c in (1.0, 10.0)]
    best = max(search["candidates"], key=lambda c: c["macro_f1"])
    assert search["chosen"] == {"features": best["features"], "C": best["C"]}
    assert card["config"]["topic"]["C"] == best["C"]
    cal = card["metrics"]["cv"]["topic"]["calibration"]
    assert card["config"]["topic"]["temperature"] == cal["temperature"] != 1.0  # calibration is not skipped


def test_search_C_keeps_calibration(files: dict[str, Path]) -> None:
    model = kv.train(files["train"], label_fields="topic", config=kv.TrainConfig(search_C=(1.0, 10.0)))
    cal = model.card["metrics"]["holdout"]["topic"]["calibration"]
    assert model.card["config"]["topic"]["temperature"] == cal["temperature"] != 1.0


def test_evaluate_reports_weighted_scores_and_confusion(files: dict[str, Path], tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "m.kvc"
    assert main(["train", "--data", str(files["train"]), "--label", "topic", "--out", str(out),
                 "--validation", "none"]) == 0
    capsys.readouterr()
    assert main(["evaluate", "--data", str(files["test"]), "--model", str(out)]) == 0  # the only head is taken
    text = capsys.readouterr().out
    assert "weighted" in text and "confusion (rows: gold, columns: predicted)" in text
    assert main(["evaluate", "--data", str(files["test"]), "--model", str(out), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["model"]["sha256"] == kv.load_model(out).info.sha256
    assert report["confusion"]["labels"] == sorted(TOPICS)
    assert sum(map(sum, report["confusion"]["matrix"])) == report["n"]
    assert {"weighted_f1", "macro_precision", "weighted_recall"} <= set(report)


@pytest.mark.parametrize("command", ["train", "train-search", "import-opendata"])
def test_out_is_refused_before_the_data_is_read(command: str, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "adir"
    target.mkdir()
    missing = str(tmp_path / "missing.jsonl")
    argv = {
        "train": ["train", "--data", missing, "--out", str(target)],  # no --label: the data would be read for it
        "train-search": ["train", "--data", missing, "--label", "topic", "--search", "--out", str(target)],
        "import-opendata": ["import-opendata", missing, "--out", str(target)],
    }[command]
    assert main(argv) == 3
    err = capsys.readouterr().err
    assert err.startswith("kvclassify: error: --out: refusing") and "missing" not in err, err


def test_train_out_is_written_by_train(files: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(kv, "save_model", None)  # the CLI itself must not save: kv.train(out=) does
    out = tmp_path / "m.kvc"
    assert main(["train", "--data", str(files["train"]), "--label", "topic", "--validation", "none",
                 "--out", str(out)]) == 0
    assert f"sha256 {kv.load_model(out).info.sha256}" in capsys.readouterr().out


def test_train_on_labels_rarer_than_the_holdout_folds(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Four examples per label pass --min-examples 3, though no label fills the 5 folds of a 1/5 holdout.
    path = _write(tmp_path / "tiny.jsonl", [r for r in _rows(PLACES[:1]) if int(r["id"].split("-")[1]) < 4])
    assert main(["train", "--data", str(path), "--label", "topic", "--out", str(tmp_path / "tiny.kvc")]) == 0
    captured = capsys.readouterr()
    assert "[train] topic: holding out 1/4 of the records, not test_size=0.2: no label has 5 examples" in captured.err
    assert "holdout topic: accuracy" in captured.out


def test_train_data_that_cannot_be_validated_is_exit_3(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path / "single.jsonl", [dict(r, topic=r["id"]) for r in _rows(PLACES[:1])])
    out = tmp_path / "m.kvc"
    assert main(["train", "--data", str(path), "--label", "topic", "--out", str(out), "--min-examples", "1"]) == 3
    err = capsys.readouterr().err.splitlines()
    assert err[-1].startswith("kvclassify: error: topic: validation needs a label with at least 2 examples, but every "
                              "label has 1") and "validation='none'" in err[-1]
    assert not any(line.startswith("[train] topic: fitting") for line in err) and not out.exists()


def test_train_tells_how_many_records_had_no_label(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = [dict(r, topic=None) if i % 6 == 0 else r for i, r in enumerate(_rows(PLACES[:4]))]
    skipped = sum(r["topic"] is None for r in rows)
    out = tmp_path / "m.kvc"
    path = _write(tmp_path / "some-null.jsonl", rows)
    assert main(["train", "--data", str(path), "--label", "topic", "--out", str(out), "--validation", "none"]) == 0
    err = capsys.readouterr().err
    assert f"[train] topic: skipped {skipped} of {len(rows)} records: no label (null or empty)\n" in err
    assert f"[train] topic: fitting on {len(rows) - skipped} records\n" in err
    assert kv.load_model(out).card["training_data"]["unlabelled"] == {"topic": skipped}


@pytest.mark.parametrize(("label", "message"), [
    (5, "kvclassify: error: record 1: label field 'question_type' must be a string or a list of strings, got 5"),
    (None, "kvclassify: error: no record has a question_type label to score (skipped: 2); label them, or pass the "
           "task they label (task= / --task)"),
])
def test_evaluate_without_string_labels_is_exit_3(label: object, message: str, tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path / "labels.jsonl", [{"text": "Hoeveel?", "question_type": label},
                                               {"text": "Wat is er gebeurd?", "question_type": label}])
    assert main(["evaluate", "--data", str(path)]) == 3
    captured = capsys.readouterr()
    assert captured.err == message + "\n" and "accuracy" not in captured.out


def _write_cp1252(path: Path, rows: list[dict[str, str]]) -> Path:
    """``rows`` as a Windows (cp1252) CSV: curly quotes and accents, so not UTF-8."""
    lines = ["id,text,topic"] + [f"{r['id']},\u2018{r['text'].replace('Kent', 'Ként')}\u2019,{r['topic']}" for r in rows]
    path.write_bytes("\n".join(lines).encode("cp1252") + b"\n")
    return path


def test_evaluate_and_train_take_an_encoding(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    train = _write_cp1252(tmp_path / "train.csv", _rows(PLACES[:4]))
    test = _write_cp1252(tmp_path / "test.csv", _rows(PLACES[4:]))
    out = tmp_path / "m.kvc"
    # Without --encoding, the error suggests the encoding that reads the file; with it, training runs.
    assert main(["train", "--data", str(train), "--label", "topic", "--out", str(out)]) == 3
    assert "not UTF-8" in capsys.readouterr().err
    # No --label: the label field is found in the data, read in the encoding given; --test is read in it too.
    assert main(["train", "--data", str(train), "--test", str(test), "--out", str(out), "--encoding", "cp1252",
                 "--validation", "none"]) == 0
    assert "training on the label field 'topic'" in capsys.readouterr().err
    assert kv.load_model(out).card["metrics"]["test"]["topic"]["n"] == len(_rows(PLACES[4:]))
    assert main(["evaluate", "--data", str(test), "--model", str(out)]) == 3
    err = capsys.readouterr().err
    assert "not UTF-8" in err and "--encoding cp1252" in err and "\n" not in err.rstrip("\n")
    assert main(["evaluate", "--data", str(test), "--model", str(out), "--encoding", "cp1252", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["n"] == len(_rows(PLACES[4:]))


def test_search_takes_the_encoding(tmp_path: Path) -> None:
    train = _write_cp1252(tmp_path / "train.csv", _rows(PLACES[:2]))
    out = tmp_path / "m.kvc"
    assert main(["train", "--data", str(train), "--label", "topic", "--out", str(out), "--encoding", "cp1252",
                 "--search", "--search-C", "1", "--folds", "2"]) == 0
    assert kv.load_model(out).card["search"]["candidates"]


@pytest.mark.parametrize("command", [["evaluate"], ["train", "--out", "m.kvc"], ["train", "--label", "t", "--out", "m.kvc"]])
def test_a_bad_encoding_is_exit_3(command: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = [str(tmp_path / a) if a == "m.kvc" else a for a in command]
    assert main([*argv, "--data", str(tmp_path / "missing.csv"), "--encoding", "nope"]) == 3  # before the data is read
    assert capsys.readouterr().err == "kvclassify: error: unknown encoding 'nope'\n"


def test_several_labels_after_one_option_or_repeated(tmp_path: Path) -> None:
    rows = [{"text": t, "a": c, "b": c} for t, c in [("Bent u bereid?", "x"), ("Wilt u dit doen?", "x"),
                                                     ("Gaat u iets doen?", "x"), ("Hoeveel?", "y"),
                                                     ("Wat is de stand?", "y"), ("Klopt het?", "y")]]
    data = tmp_path / "ab.jsonl"
    data.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    for n, labels in enumerate((["--label", "a", "b"], ["--label", "a", "--label", "b"])):
        out = tmp_path / f"m{n}.kvc"
        assert main(["train", "--data", str(data), *labels, "--validation", "none", "--out", str(out)],
                    out=io.StringIO()) == 0
        assert kv.load_model(out).tasks == ("a", "b")


def test_import_opendata_names_its_output_jsonl(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "zaak.json"
    source.write_text('{"value": []}', encoding="utf-8")
    assert main(["import-opendata", str(source), "--out", str(tmp_path / "z.csv")]) == 3
    assert "writes JSON Lines" in capsys.readouterr().err and not (tmp_path / "z.csv").exists()
