"""``kvclassify classify`` on tables of records: ids, kept fields, formats, atomic --out, batches."""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

import kvclassify as kv
from kvclassify.cli import main

TEXTS = [
    "Bent u bereid de Kamer te informeren over de wachtlijsten in de jeugdzorg?",
    "Hoeveel boetes zijn er vorig jaar door de politie uitgedeeld?",
    "Deelt u de mening dat de stikstofregels onwerkbaar zijn voor boeren?",
    "Kent u het bericht over de tekorten aan munitie bij Defensie?",
]


def _csv(tmp_path: Path, name: str = "subjects.csv", texts: list[str] = TEXTS) -> Path:
    path = tmp_path / name
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["id", "text", "date"])
        w.writerows([f"k{i:03d}", t, f"2025-0{i % 9 + 1}-01"] for i, t in enumerate(texts))
    return path


@pytest.mark.parametrize("suffix", ["csv", "jsonl", "parquet", "json"])
def test_out_table_keeps_ids_in_order_and_equals_classify_many(suffix: str, tmp_path: Path) -> None:
    out = tmp_path / f"preds.{suffix}"
    assert main(["classify", str(_csv(tmp_path)), "--id-field", "id", "--keep-fields", "date",
                 "--out", str(out), "--top", "2"]) == 0
    if suffix == "csv":
        rows = list(csv.DictReader(out.open(encoding="utf-8")))
    elif suffix == "jsonl":
        rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    elif suffix == "json":
        doc = json.loads(out.read_text(encoding="utf-8"))
        assert doc["model"]["sha256"] == kv.load_model().info.sha256
        rows = doc["rows"]
    else:
        rows = pq.read_table(out).to_pylist()
    expected = kv.classify_many(TEXTS)
    assert [r["id"] for r in rows] == [f"k{i:03d}" for i in range(len(TEXTS))]
    assert [r["policy_area"] for r in rows] == [c.policy_area.label for c in expected]
    assert [r["question_type"] for r in rows] == [c.question_type.label for c in expected]
    assert rows[0]["date"] == "2025-01-01"
    assert {"policy_area_top", "asks_commitment", "in_domain"} <= set(rows[0])
    assert list(tmp_path.glob(".preds*")) == []  # no temporary file left behind


def test_default_id_is_the_record_number_and_several_files_name_the_source(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a, b = _csv(tmp_path, "a.csv", TEXTS[:2]), _csv(tmp_path, "b.csv", TEXTS[2:])
    assert main(["classify", str(a), str(b), "--format", "jsonl"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(Path(r["source"]).name, r["record"]) for r in rows] == [("a.csv", 1), ("a.csv", 2), ("b.csv", 1),
                                                                      ("b.csv", 2)]


def test_text_field_and_missing_texts(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "d.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in [
        {"onderwerp": TEXTS[0], "score": float("nan")}, {"onderwerp": None}, {"onderwerp": TEXTS[1]}]))
    assert main(["classify", str(path)]) == 3
    assert "no field 'text' (fields: onderwerp, score); pass --text-field" in capsys.readouterr().err
    assert main(["classify", str(path), "--text-field", "onderwerp", "--format", "jsonl"]) == 3
    assert "record 2 has no text in 'onderwerp'" in capsys.readouterr().err
    assert main(["classify", str(path), "--text-field", "onderwerp", "--format", "jsonl", "--on-missing", "skip",
                 "--keep-fields", "score"]) == 0
    out = capsys.readouterr().out
    assert "NaN" not in out  # JSON output never holds a bare NaN
    rows = [json.loads(line) for line in out.splitlines()]
    assert [r["record"] for r in rows] == [1, 2, 3] and rows[1]["policy_area"] is None
    assert rows[0]["score"] is None and rows[2]["policy_area"] == kv.classify(TEXTS[1]).policy_area.label


def test_xlsx_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["nr", "text"])
    for i, t in enumerate(TEXTS, 1):
        sheet.append([i, t])
    book.save(tmp_path / "vragen.xlsx")
    assert main(["classify", str(tmp_path / "vragen.xlsx"), "--id-field", "nr", "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [r["nr"] for r in rows] == ["1", "2", "3", "4"]
    assert [r["question_type"] for r in rows] == [c.question_type.label for c in kv.classify_many(TEXTS)]


def test_rows_are_written_batch_by_batch(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "d.jsonl"
    path.write_text("".join(json.dumps({"text": TEXTS[i % 4]}) + "\n" for i in range(50)) + "{broken\n")
    assert main(["classify", str(path), "--format", "jsonl", "--batch-size", "10"]) == 3
    out, err = capsys.readouterr()
    assert len(out.splitlines()) == 50 and "line 51: invalid JSON" in err  # streamed: rows out before the end


def test_failed_run_leaves_no_out_file(tmp_path: Path) -> None:
    path = tmp_path / "d.jsonl"
    path.write_text(json.dumps({"text": TEXTS[0]}) + "\n{broken\n")
    out = tmp_path / "preds.csv"
    assert main(["classify", str(path), "--out", str(out)]) == 3
    assert not out.exists() and list(tmp_path.glob(".preds*")) == []


def test_progress_bar_on_a_terminal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    err = Terminal()
    monkeypatch.setattr(sys, "stderr", err)
    assert main(["classify", str(_csv(tmp_path)), "--out", str(tmp_path / "p.csv")]) == 0
    assert "records" in err.getvalue()
    err.truncate(0)
    assert main(["classify", str(_csv(tmp_path)), "--out", str(tmp_path / "p.csv"), "--no-progress"]) == 0
    assert err.getvalue().strip("\x00") == ""


def test_inputs_of_different_kinds_do_not_share_a_csv(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lines = tmp_path / "q.txt"
    lines.write_text(TEXTS[0] + "\n", encoding="utf-8")
    doc = tmp_path / "doc.txt"
    doc.write_text("Vragen van het lid Jansen (SP) aan de minister van Defensie over munitie (ingezonden 3 maart "
                   "2025).\n\n1. Kent u het bericht over de tekorten aan munitie?\n", encoding="utf-8")
    assert main(["classify", str(lines), str(doc), "--format", "csv"]) == 3
    assert "cannot share one CSV" in capsys.readouterr().err
    assert main(["classify", str(lines), str(doc), "--format", "jsonl"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [("line" in r, "question" in r) for r in rows] == [(True, False), (False, True)]


def test_a_too_long_record_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _csv(tmp_path, texts=[TEXTS[0], TEXTS[1] * 10])
    assert main(["classify", str(path), "--max-chars", "200"]) == 3
    assert f"record 2 has {len(TEXTS[1]) * 10} characters, more than the limit of 200" in capsys.readouterr().err


@pytest.mark.parametrize("target", ["directory", "symlink", "under-a-file"])
def test_out_is_checked_before_any_input_is_read(target: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "preds.csv"
    if target == "directory":
        out.mkdir()
    elif target == "symlink":
        out.symlink_to(tmp_path / "elsewhere.csv")
    else:
        (tmp_path / "file").write_text("x")
        out = tmp_path / "file" / "preds.csv"
    # The input does not exist: the --out refusal must come first, as a bad argument (exit 3).
    assert main(["classify", str(tmp_path / "missing.csv"), "--out", str(out)]) == 3
    err = capsys.readouterr().err
    assert err.startswith("kvclassify: error: --out: ") and "missing.csv" not in err, err


def test_sigterm_removes_the_temporary_out_file(tmp_path: Path) -> None:
    import signal
    import subprocess
    import time

    from .conftest import REPO

    out = tmp_path / "preds.jsonl"
    proc = subprocess.Popen([sys.executable, "-m", "kvclassify", "classify", "-", "--mode", "lines", "--out", str(out)],
                            stdin=subprocess.PIPE, stderr=subprocess.PIPE, cwd=REPO)
    assert proc.stdin is not None
    proc.stdin.write((TEXTS[0] + "\n").encode())
    proc.stdin.flush()
    deadline = time.monotonic() + 60
    while not list(tmp_path.glob(".preds.jsonl.*")) and time.monotonic() < deadline:
        time.sleep(0.05)  # the temporary file exists once the model is loaded and the writer open
    assert list(tmp_path.glob(".preds.jsonl.*")), "the temporary file never appeared"
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=30)
    proc.stdin.close()
    assert proc.returncode != 0
    assert list(tmp_path.iterdir()) == []  # neither the target nor the temporary file


def test_an_empty_csv_cell_follows_on_missing_as_null_does(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    csv_path, jsonl_path = tmp_path / "d.csv", tmp_path / "d.jsonl"
    csv_path.write_text(f"id,text\n1,{TEXTS[0]}\n2,\n3,  \n", encoding="utf-8")
    jsonl_path.write_text("".join(json.dumps(r) + "\n" for r in [
        {"id": 1, "text": TEXTS[0]}, {"id": 2, "text": None}, {"id": 3, "text": "  "}]), encoding="utf-8")
    for path in (csv_path, jsonl_path):
        assert main(["classify", str(path), "--format", "jsonl"]) == 3
        assert capsys.readouterr().err == (f"kvclassify: error: {path}: record 2 has no text in 'text' "
                                           "(--on-missing skip gives it an empty row)\n")
        assert main(["classify", str(path), "--format", "jsonl", "--on-missing", "skip"]) == 0
        rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
        assert rows[1]["question_type"] is None
        blank = kv.classify("  ")  # a blank text is classified, as the API does
        assert (rows[2]["question_type"], rows[2]["in_domain"]) == (blank.question_type.label, False)


@pytest.mark.parametrize(("content", "kind"), [('{"text": 5}\n', "int"), ('{"text": ["x"]}\n', "list"),
                                               ('{"text": {"a": 1}}\n', "dict")])
def test_a_text_that_is_not_a_string_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                content: str, kind: str) -> None:
    path = tmp_path / "d.jsonl"
    path.write_text(f'{{"text": "{TEXTS[0]}"}}\n' + content, encoding="utf-8")
    assert main(["classify", str(path), "--keep-fields", "text", "--format", "jsonl"]) == 3
    captured = capsys.readouterr()
    assert f"{path}: record 2: 'text' must be a str, got {kind}; " in captured.err
    assert captured.err.count("\n") == 1


def test_an_integer_parquet_text_column_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import pyarrow as pa

    pq.write_table(pa.table({"text": [1, 2]}), tmp_path / "d.parquet")
    assert main(["classify", str(tmp_path / "d.parquet")]) == 3
    assert "record 1: 'text' must be a str, got int" in capsys.readouterr().err


@pytest.mark.parametrize("suffix", ["csv", "tsv", "jsonl", "json"])
def test_encoding_reads_text_tables(tmp_path: Path, capsys: pytest.CaptureFixture[str], suffix: str) -> None:
    text = "Wat kost de financiën van Curaçao?"
    path = tmp_path / f"d.{suffix}"
    content = {"csv": f"id,text\n1,{text}\n", "tsv": f"id\ttext\n1\t{text}\n",
               "jsonl": json.dumps({"id": 1, "text": text}, ensure_ascii=False) + "\n",
               "json": json.dumps([{"id": 1, "text": text}], ensure_ascii=False)}[suffix]
    path.write_bytes(content.encode("latin-1"))
    assert main(["classify", str(path), "--format", "jsonl"]) == 3
    err = capsys.readouterr().err
    assert "not UTF-8" in err and "--encoding latin-1" in err  # the hint, and following it works:
    assert main(["classify", str(path), "--encoding", "latin-1", "--format", "jsonl"]) == 0
    (row,) = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert row["policy_area"] == kv.classify(text).policy_area.label


def test_a_wrong_or_unknown_encoding_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _csv(tmp_path)
    for encoding, needle in (("utf-32", "not utf-32"), ("cp500", "subjects.csv: line 1: "),
                             ("nope", "unknown encoding 'nope'")):
        assert main(["classify", str(path), "--encoding", encoding]) == 3
        assert needle in capsys.readouterr().err


def test_binary_tables_ignore_the_encoding(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import pyarrow as pa

    pq.write_table(pa.table({"text": TEXTS[:1]}), tmp_path / "d.parquet")
    assert main(["classify", str(tmp_path / "d.parquet"), "--encoding", "cp500", "--format", "jsonl"]) == 0
    assert json.loads(capsys.readouterr().out)["question_type"] == kv.classify(TEXTS[0]).question_type.label
    assert main(["classify", str(tmp_path / "d.parquet"), "--encoding", "nope"]) == 3  # checked all the same
    assert "unknown encoding 'nope'" in capsys.readouterr().err


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_an_input_without_records_writes_an_empty_table_that_reads_back(suffix: str, tmp_path: Path) -> None:
    source, out = tmp_path / "leeg.csv", tmp_path / f"r{suffix}"
    source.write_text("id,text,code\n", encoding="utf-8")
    if suffix == ".parquet":
        pytest.importorskip("pyarrow")
    assert main(["classify", str(source), "--id-field", "id", "--keep-fields", "code", "--out", str(out)]) == 0
    if suffix == ".csv":
        header = out.read_text(encoding="utf-8").splitlines()
        assert len(header) == 1 and header[0].startswith("id,code,question_type,")
    else:
        import pyarrow.parquet as pq

        table = pq.read_table(out)
        assert table.num_rows == 0 and table.column_names[:3] == ["id", "code", "question_type"]
