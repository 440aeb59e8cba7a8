"""CLI behaviour: text and document input, formats, standard input, errors and exit codes, help.

Tables in and out are in test_cli_tables.py; the catalogue of bad inputs is
in test_robustness.py. Most tests run in-process with capsys; those about
processes (streaming, closed streams, bounded reading) run ``python -m kvclassify``.
"""

from __future__ import annotations

import ast
import contextlib
import csv
import io
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

import kvclassify as kv
from kvclassify import read_text
from kvclassify.cli import _parser, main

from .conftest import REPO

COMMITMENT = "Bent u bereid de Kamer hierover voor de zomer te informeren?"
FACTUAL = "Hoeveel mensen wachten op een woning?"
DOC = (
    "Vragen van het lid Jansen (SP) aan de minister van Defensie over munitie (ingezonden 3 maart 2025).\n\n"
    "1. Kent u het bericht over de tekorten aan munitie?\n\n"
    "2. Bent u bereid de Kamer voor de zomer te informeren over de voorraden?\n"
)


def _run(*args: str, stdin: bytes | None = None, env: dict[str, str] | None = None,
         shell_redirect: str = "") -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "kvclassify", *args]
    if shell_redirect:
        return subprocess.run(["sh", "-c", " ".join(f"'{c}'" for c in cmd) + " " + shell_redirect],
                              capture_output=True, timeout=120, cwd=REPO)
    return subprocess.run(cmd, input=stdin, capture_output=True, timeout=120, env={**os.environ, **(env or {})},
                          cwd=REPO)


def _jsonl(out: str) -> list[dict]:
    return [json.loads(line) for line in out.splitlines()]


def test_lines_jsonl_numbers_every_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "q.txt"
    path.write_text(f"{COMMITMENT}\n\n   \n{FACTUAL}\n", encoding="utf-8")
    assert main(["classify", str(path), "--format", "jsonl"]) == 0
    out, err = capsys.readouterr()
    rows = _jsonl(out)
    assert err == "" and [r["line"] for r in rows] == [1, 4]  # blank lines keep their numbers
    assert rows[0]["text"] == COMMITMENT and rows[0]["question_type"] == "commitment"
    c = kv.classify(COMMITMENT)
    assert rows[0]["question_type_score"] == round(c.question_type.score, 4)
    assert rows[0]["asks_commitment"] is True and rows[1]["asks_commitment"] is False
    assert rows[0]["model_sha256"] == kv.load_model().info.sha256


def test_pasted_paragraphs_are_one_question_each(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "pasted.txt"
    path.write_text("Kent u het bericht over de\nwachtlijsten in de jeugdzorg?\n\n"
                    "Bent u bereid de Kamer\nhierover te informeren?\n", encoding="utf-8")
    assert main(["classify", str(path), "--format", "jsonl"]) == 0
    rows = _jsonl(capsys.readouterr().out)
    assert [r["text"] for r in rows] == ["Kent u het bericht over de wachtlijsten in de jeugdzorg?",
                                         "Bent u bereid de Kamer hierover te informeren?"]
    assert [r["question_type"] for r in rows] == ["factual", "commitment"]
    assert main(["classify", str(path), "--format", "jsonl", "--mode", "lines"]) == 0
    assert len(_jsonl(capsys.readouterr().out)) == 4  # --mode lines: one per line, as asked


def test_document_json_is_the_api_result_with_the_model(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "doc.txt"
    path.write_text(DOC, encoding="utf-8")
    assert main(["classify", str(path), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out.pop("model") == {"name": "kvclassify", "version": kv.load_model().info.version,
                                "sha256": kv.load_model().info.sha256}
    assert out.pop("counts")["question_type"] == {"commitment": 1, "factual": 1}
    assert out.pop("commitment_thresholds") == dict(zip(("threshold", "strict"), kv.commitment_thresholds()))
    assert out == json.loads(json.dumps(kv.classify_document(DOC).to_dict()))


def test_document_rows(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "doc.txt"
    path.write_text(DOC, encoding="utf-8")
    assert main(["classify", str(path), "--format", "csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("question,position,text,question_type,") and len(lines) == 3
    assert main(["classify", str(path), "--mode", "document"]) == 0
    assert "questions:  2" in capsys.readouterr().out


def test_document_view_shows_area_per_question_and_model(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "doc.txt"
    path.write_text(DOC, encoding="utf-8")
    assert main(["classify", str(path)]) == 0
    out = capsys.readouterr().out
    result = kv.classify_document(DOC)
    q2 = next(line for line in out.splitlines() if line.strip().startswith("2."))
    assert result.questions[1].policy_area.label in q2 and "commitment" in q2  # the area read in its document
    assert "asks for commitments:   questions 2" in out
    assert kv.load_model().info.sha256 in out.splitlines()[-1]


def test_wide_prints_whole_questions(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    long_q = "Bent u bereid " + "de gevolgen van dit besluit voor de gemeenten " * 4 + "te onderzoeken?"
    path = tmp_path / "doc.txt"
    path.write_text(DOC.replace("2. Bent u bereid de Kamer voor de zomer te informeren over de voorraden?",
                                "2. " + long_q), encoding="utf-8")
    assert main(["classify", str(path)]) == 0
    assert long_q not in capsys.readouterr().out
    assert main(["classify", str(path), "--wide"]) == 0
    assert long_q in capsys.readouterr().out


def test_commitment_threshold_option(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "q.txt"
    path.write_text(FACTUAL + "\n", encoding="utf-8")
    p = kv.classify(FACTUAL).commitment_probability
    assert main(["classify", str(path), "--format", "jsonl", "--commitment-threshold", str(p / 2)]) == 0
    assert _jsonl(capsys.readouterr().out)[0]["asks_commitment"] is True
    assert main(["classify", str(path), "--commitment-threshold", "1.5"]) == 3
    assert "between 0 and 1" in capsys.readouterr().err


def test_commitment_tiers_in_the_document_view(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    model = kv.load_model()
    probs = [q.classification.commitment_probability for q in kv.classify_document(DOC).questions]
    card = {**model.card, "commitment": {"threshold": min(probs) / 2, "strict_threshold": max(probs)}}
    custom = tmp_path / "m.kvc"
    kv.save_model(kv.Model(model.heads, card), custom)
    path = tmp_path / "doc.txt"
    path.write_text(DOC, encoding="utf-8")
    assert main(["classify", str(path), "--model", str(custom)]) == 0
    out = capsys.readouterr().out
    assert "asks for commitments:   questions 2" in out and "possibly commitments:   questions 1" in out


def test_custom_model_labels_in_the_document_view(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = [{"text": t, "toezegging": f} for t, f in [
        ("Bent u bereid dit te onderzoeken?", "ja"), ("Wilt u de Kamer informeren?", "ja"),
        ("Gaat u maatregelen nemen?", "ja"), ("Hoeveel mensen wachten?", "nee"),
        ("Wat is de stand van zaken?", "nee"), ("Klopt het dat dit gebeurde?", "nee")]]
    model = kv.train(rows, label_fields="toezegging", config=kv.TrainConfig(validation="none"))
    path, doc = tmp_path / "m.kvc", tmp_path / "doc.txt"
    kv.save_model(model, path)
    doc.write_text(DOC, encoding="utf-8")
    assert main(["classify", str(doc), "--model", str(path)]) == 0
    out = capsys.readouterr().out
    labels = [q.classification["toezegging"].label for q in kv.classify_document(DOC, model=model).questions]
    assert all(f"{n}. {label}" in out for n, label in zip((1, 2), labels))
    assert f"toezegging:             ja {labels.count('ja')}, nee {labels.count('nee')}" in out
    assert main(["classify", str(doc), "--model", str(path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["counts"]["toezegging"] == {
        lab: labels.count(lab) for lab in sorted(set(labels), key=lambda x: (-labels.count(x), x))}


def test_stdin_utf16_and_bad_bytes(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    fake = io.TextIOWrapper(io.BytesIO(COMMITMENT.encode("utf-16")), encoding="utf-16")
    monkeypatch.setattr(sys, "stdin", fake)
    assert read_text("-") == COMMITMENT  # UTF-16 with its BOM
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"\xff\x00\xfe garbage")))
    assert main(["classify", "-"]) == 3
    err = capsys.readouterr().err
    assert err.startswith("kvclassify: error: standard input") and err.count("\n") == 1


def test_terminal_stdin_prints_usage(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    class Terminal(io.BytesIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(sys, "stdin", Terminal())
    assert main(["classify"]) == 2
    assert "usage: kvclassify classify" in capsys.readouterr().err


def test_info(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["info"]) == 0
    text = capsys.readouterr().out
    # The honest estimate and the flag's threshold, from the card.
    assert "estimate question_type · cv:" in text and "commitment flag: threshold" in text
    assert main(["info", "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert set(info["tasks"]) >= {"question_type", "policy_area"}
    assert info["sha256"] == kv.load_model().info.sha256


def test_debug_shows_the_traceback(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--debug", "info", "--model", str(tmp_path / "missing.kvc")]) == 4
    err = capsys.readouterr().err
    assert "Traceback" in err and err.splitlines()[-1].startswith("kvclassify: error:")


def test_unexpected_exception_is_one_line(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    def broken(*_a: object, **_k: object) -> None:
        raise RuntimeError("a bug\nwith two lines")

    monkeypatch.setattr(kv, "load_model", broken)
    assert main(["info"]) == 1
    err = capsys.readouterr().err
    assert err == "kvclassify: error: unexpected RuntimeError: a bug (run with --debug for the traceback, and report it)\n"
    assert main(["--debug", "info"]) == 1
    assert "Traceback" in capsys.readouterr().err


def test_broken_pipe_is_quiet(tmp_path: Path) -> None:
    class Closed(io.StringIO):
        def write(self, s: str) -> int:
            raise BrokenPipeError(32, "Broken pipe")

    path = tmp_path / "q.txt"
    path.write_text(COMMITMENT)
    assert main(["classify", str(path)], out=Closed()) == 0


@pytest.mark.parametrize("argv", [["--top", "-1"], ["--batch-size", "0"], ["--max-chars", "-5"],
                                  ["--out", "x.xml"], ["--format", "csv", "--out", "x.jsonl"]])
def test_bad_options_are_library_errors(argv: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "q.txt"
    path.write_text(COMMITMENT)
    assert main(["classify", str(path), *argv]) == 3
    err = capsys.readouterr().err
    assert err.startswith("kvclassify: error: --") and err.count("\n") == 1


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0 and kv.__version__ in capsys.readouterr().out


def test_help_has_a_line_per_option_and_an_example() -> None:
    parser = _parser()
    subparsers = next(a for a in parser._actions if a.dest == "command").choices
    for name, sub in [("kvclassify", parser), *subparsers.items()]:
        for action in sub._actions:
            assert action.help, (name, action.dest)
        assert "example" in (sub.epilog or ""), name


def test_top_level_help_speaks_to_the_user() -> None:
    text = _parser().format_help()
    description = text.split("positional arguments")[0]
    assert "``" not in description and "argument parsing" not in description
    assert "Kamervragen" in description and "exit codes" in description


def test_cli_imports_only_the_public_api() -> None:
    for path in (REPO / "kvclassify" / "cli").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                assert not node.module.startswith("kvclassify"), (path.name, node.module)
            if isinstance(node, ast.ImportFrom) and node.level > 1:
                raise AssertionError(f"{path.name} imports from the package internals: {node.module}")
            if isinstance(node, ast.Import):
                assert all(a.name == "kvclassify" or not a.name.startswith("kvclassify") for a in node.names)


# -- real processes ------------------------------------------------------------------------


def test_process_classify_stdin_ok() -> None:
    proc = _run("classify", "--format", "jsonl", stdin=(COMMITMENT + "\n").encode())
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == b""
    assert json.loads(proc.stdout)["question_type"] == "commitment"


def test_process_stdin_lines_are_answered_as_they_arrive() -> None:
    proc = subprocess.Popen([sys.executable, "-m", "kvclassify", "classify", "--mode", "lines", "--format", "jsonl"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=REPO)
    try:
        assert proc.stdin is not None and proc.stdout is not None
        proc.stdin.write((COMMITMENT + "\n").encode())
        proc.stdin.flush()
        first = json.loads(proc.stdout.readline())  # answered while standard input is still open
        assert first["line"] == 1 and first["question_type"] == "commitment"
        proc.stdin.write((FACTUAL + "\n").encode())
        proc.stdin.close()
        assert json.loads(proc.stdout.readline())["line"] == 2
        assert proc.wait(timeout=60) == 0
    finally:
        proc.kill()
        proc.wait()


@pytest.mark.parametrize("case", ["binary-stdin", "corrupt-model", "bad-env-limit", "closed-stdin", "closed-stdout",
                                  "stdout-dev-full"])
def test_process_errors_are_one_line(case: str, tmp_path: Path) -> None:
    if case == "stdout-dev-full":
        proc, code = _run("classify", "--format", "jsonl", "-", shell_redirect=f"> /dev/full < {REPO / 'README.md'}"), 1
    elif case == "binary-stdin":
        proc, code = _run("classify", stdin=b"\x00\x01\x02binary\xff"), 3
    elif case == "corrupt-model":
        model = tmp_path / "m.kvc"
        model.write_bytes(kv.shipped_model_path().read_bytes()[:1000])
        proc, code = _run("info", "--model", str(model)), 4
    elif case == "bad-env-limit":
        proc, code = _run("classify", stdin=COMMITMENT.encode(), env={"KVCLASSIFY_MAX_CHARS": "lots"}), 3
    elif case == "closed-stdin":
        proc, code = _run("classify", "-", shell_redirect="<&-"), 3
    else:
        proc, code = _run("info", shell_redirect=">&-"), 1
    err = proc.stderr.decode()
    assert proc.returncode == code, err
    assert "Traceback" not in err
    assert err.count("\n") == 1 and err.startswith("kvclassify: error: "), err
    assert proc.stdout == b""
    if case.startswith("closed"):
        assert "closed" in err
    if case == "stdout-dev-full":
        assert err == "kvclassify: error: cannot write: No space left on device\n"


def test_process_stdout_closed_by_the_reader_is_quiet(tmp_path: Path) -> None:
    """``kvclassify classify long.txt | head -1``: the rows the reader wanted, then a quiet exit 0."""
    long = tmp_path / "long.txt"
    long.write_text(f"{COMMITMENT}\n{FACTUAL}\n" * 20_000, encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "kvclassify", "classify", str(long), "--format", "jsonl"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=REPO)
    assert proc.stdout is not None and proc.stderr is not None
    assert json.loads(proc.stdout.readline())["line"] == 1
    proc.stdout.close()  # as head does after its line
    assert proc.wait(timeout=60) == 0
    assert proc.stderr.read() == b""


def test_process_a_one_gigabyte_line_stops_at_the_limit() -> None:
    proc = subprocess.Popen([sys.executable, "-m", "kvclassify", "classify", "--mode", "lines", "-"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=REPO)
    assert proc.stdin is not None and proc.stderr is not None
    start, block = time.perf_counter(), b"a" * (1 << 20)
    try:
        for _ in range(1024):  # 1 GiB without a line break, unless the reader gives up first
            proc.stdin.write(block)
    except BrokenPipeError:
        pass
    finally:
        with contextlib.suppress(BrokenPipeError):
            proc.stdin.close()
    assert proc.wait(timeout=60) == 3
    err = proc.stderr.read().decode()
    assert err.count("\n") == 1 and "line 1 has more characters than the limit" in err, err
    assert time.perf_counter() - start < 20


def test_process_env_limit() -> None:
    proc = _run("classify", stdin=(COMMITMENT + "\n").encode(), env={"KVCLASSIFY_MAX_CHARS": "10"})
    err = proc.stderr.decode()
    assert proc.returncode == 3 and err.count("\n") == 1 and "limit of 10" in err and "Traceback" not in err


@pytest.mark.parametrize("source", ["/dev/zero", "big-file", "stdin-zero"])
def test_process_bounded_reading_stops_early(source: str, tmp_path: Path) -> None:
    if source == "big-file":
        big = tmp_path / "big.txt"
        with big.open("wb") as f:  # 200 MB of text, sparse on disk
            f.truncate(200 * 1024 * 1024)
        args: tuple[str, ...] = ("classify", "--max-chars", "100", str(big))
    elif source == "/dev/zero":
        args = ("classify", "--max-chars", "100", "/dev/zero")
    else:
        args = ("classify", "--max-chars", "100", "--mode", "lines", "-")
    start = time.perf_counter()
    if source == "stdin-zero":
        with open("/dev/zero", "rb") as zero:
            proc = subprocess.run([sys.executable, "-m", "kvclassify", *args], stdin=zero, capture_output=True,
                                  timeout=60, cwd=REPO)
    else:
        proc = _run(*args)
    assert proc.returncode == 3 and b"limit of 100" in proc.stderr
    assert time.perf_counter() - start < 20  # reading 200 MB and decoding it would take far longer


def test_pdf_and_word_files_by_content(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from .test_reading import HEADER, QUESTIONS, _docx, _pdf

    pytest.importorskip("pypdf")
    (tmp_path / "vragen.pdf").write_bytes(_pdf([HEADER, "", *QUESTIONS]))
    (tmp_path / "vragen").write_bytes(_docx([HEADER, *QUESTIONS]))  # a Word file without its extension
    for name in ("vragen.pdf", "vragen"):
        assert main(["classify", str(tmp_path / name), "--json"]) == 0
        result = json.loads(capsys.readouterr().out)
        assert result["document"]["kind"] == "questions" and len(result["questions"]) == 2, name


@pytest.mark.parametrize("card", [{"metrics": [1, 2]}, {"metrics": {"cv": {"t": {"n": "x", "accuracy": None}}}},
                                  {"command": 5, "name": {"a": 1}, "x": float("nan")},
                                  {"commitment": {"threshold": 0.3, "recall": [1], "x": "y"}, "estimate": [1, {"a": 2}]},
                                  {"commitment": {}, "estimate": {"a": {"b": {"c": {"d": {"e": {"f": 1.0}}}}}, "t": True}}])
def test_info_copes_with_any_card(card: dict, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Any card a file can hold; an unreadable commitment entry cannot be saved or loaded (tests/test_persist.py).
    kv.save_model(kv.Model(kv.load_model().heads, card), tmp_path / "m.kvc")
    assert main(["info", "--model", str(tmp_path / "m.kvc")]) == 0
    assert main(["info", "--model", str(tmp_path / "m.kvc"), "--json"]) == 0
    assert "NaN" not in capsys.readouterr().out


def test_info_escapes_a_forged_card(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # A card may say anything; what it says must not print a line of its own or reach the terminal raw.
    card = {"name": "kvclassify\x1b[31m", "version": "2026.12\nsha256: " + "0" * 64, "command": "x\rbuilt by: me"}
    kv.save_model(kv.Model(kv.load_model().heads, card), tmp_path / "m.kvc")
    assert main(["info", "--model", str(tmp_path / "m.kvc")]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "kvclassify\\x1b[31m 2026.12\\nsha256: " + "0" * 64 + " (format 1)"
    assert lines[1] == f"sha256: {kv.load_model(tmp_path / 'm.kvc').info.sha256}"
    assert [ln for ln in lines if ln.startswith("built by:")] == ["built by: x\\rbuilt by: me"]
    assert not any("\x1b" in ln or "\r" in ln for ln in lines)


@pytest.mark.parametrize("label", ["factual\r", "a\x1bb", "opinion\n"])
def test_a_model_with_unprintable_labels_is_refused(label: str, tmp_path: Path) -> None:
    head = kv.load_model().heads["policy_area"]
    classes = list(head.classes_)
    classes[0] = label
    forged = type(head)(head.task, tuple(classes), head.featurizer, head.coef, head.intercept, head.temperature)
    kv.save_model(kv.Model({"policy_area": forged}, {}), tmp_path / "m.kvc")
    with pytest.raises(kv.ModelIntegrityError, match="printable"):
        kv.load_model(tmp_path / "m.kvc")


def test_out_that_is_an_input_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # The same file by any name (a relative spelling, a hard link) is refused before anything is read or written.
    data = tmp_path / "t.csv"
    data.write_text("text\nHoeveel boetes zijn er uitgedeeld?\n", encoding="utf-8")
    os.link(data, tmp_path / "link.csv")
    source = tmp_path / "zaken.json"
    source.write_text('{"value": []}', encoding="utf-8")
    runs = [
        ["classify", str(data), "--out", str(data)],
        ["classify", str(tmp_path / "other.csv"), str(data), "--out", str(tmp_path / "." / "t.csv")],
        ["classify", str(data), "--out", str(tmp_path / "link.csv")],
        ["train", "--data", str(data), "--label", "lab", "--out", str(data)],
        ["import-opendata", str(source), "--out", str(source)],
    ]
    for argv in runs:
        assert main(argv) == 3, argv
        assert "it is an input" in capsys.readouterr().err
    assert data.read_text(encoding="utf-8") == "text\nHoeveel boetes zijn er uitgedeeld?\n"
    assert source.read_text(encoding="utf-8") == '{"value": []}'



def test_a_column_that_would_be_written_twice_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # A researcher's own codes kept next to a head of the same name would be overwritten by its predictions.
    rows = [{"text": t, "cap": c, "model": c} for t, c in [
        ("Bent u bereid?", "a"), ("Wilt u dit doen?", "a"), ("Gaat u iets doen?", "a"),
        ("Hoeveel?", "b"), ("Wat is de stand?", "b"), ("Klopt het?", "b")]]
    for field in ("cap", "model"):
        kv.train(rows, label_fields=field, config=kv.TrainConfig(validation="none"), out=tmp_path / f"{field}.kvc")
    table = tmp_path / "codes.csv"
    table.write_text("zaak,text,cap,in_domain\n1,Hoeveel boetes?,x,y\n", encoding="utf-8")
    runs = [(["--model", str(tmp_path / "cap.kvc"), "--keep-fields", "cap"], "--keep-fields cap"),
            (["--keep-fields", "in_domain"], "--keep-fields in_domain"),
            (["--id-field", "text"], None),  # the id may be the text column: tables write no text column
            (["--model", str(tmp_path / "model.kvc")], "head 'model' writes the column 'model'")]
    for options, refused in runs:
        code = main(["classify", str(table), *options, "--format", "csv"])
        err = capsys.readouterr().err
        assert (code, refused is None or refused in err) == (0 if refused is None else 3, True), (options, err)


def test_out_that_is_standard_input_redirected_from_it_is_refused(tmp_path: Path) -> None:
    table = tmp_path / "t.csv"
    table.write_text("text\nHoeveel boetes zijn er uitgedeeld?\n", encoding="utf-8")
    with table.open("rb") as stdin:
        done = subprocess.run([sys.executable, "-m", "kvclassify", "classify", "-", "--out", str(table)],
                              stdin=stdin, capture_output=True, text=True, timeout=120)
    assert done.returncode == 3 and "it is an input" in done.stderr
    assert table.read_text(encoding="utf-8") == "text\nHoeveel boetes zijn er uitgedeeld?\n"


def test_a_commitment_threshold_for_a_model_without_the_flag_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = [{"text": t, "y": y} for t, y in [("Bent u bereid?", "a"), ("Wilt u dit doen?", "a"),
                                             ("Hoeveel?", "b"), ("Wat is de stand?", "b")]]
    kv.train(rows, label_fields="y", config=kv.TrainConfig(validation="none", min_examples=1), out=tmp_path / "y.kvc")
    (tmp_path / "q.txt").write_text(COMMITMENT, encoding="utf-8")
    assert main(["classify", str(tmp_path / "q.txt"), "--model", str(tmp_path / "y.kvc"),
                 "--commitment-threshold", "0.3"]) == 3
    assert "sets no commitment flag" in capsys.readouterr().err


def test_document_rows_carry_the_document_fields(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    seed = REPO / "tests" / "fixtures" / "documents" / "seed-2025-om-ict.txt"
    assert main(["classify", str(seed), "--format", "jsonl"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    result = kv.classify_document(seed.read_text(encoding="utf-8"))
    assert len(rows) == len(result.questions) == 10
    for row, q in zip(rows, result.questions):
        assert row["policy_area"] == q.classification.policy_area.label  # the question read alone
        assert row["policy_area_in_document"] == q.policy_area.label  # read in its document, as the view shows
        assert (row["zaak"], row["routed_area"]) == (result.document.zaak, result.routed_area.label)


def test_several_documents_show_each_question_s_area_read_in_its_document(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fixtures = REPO / "tests" / "fixtures" / "documents"
    paths = [fixtures / "seed-2025-om-ict.txt", fixtures / "vraag-pair-one-line.txt"]
    assert main(["classify", *map(str, paths)]) == 0
    lines = [line for line in capsys.readouterr().out.splitlines() if line.startswith(str(fixtures))]
    expected = []
    for path in paths:
        result = kv.classify_document(path.read_text("utf-8"))
        expected += [(str(path), q.policy_area.label) for q in result.questions]
    assert [(line.split(":")[0], line.split()[4]) for line in lines] == expected
    assert any(q.policy_area.label != q.classification.policy_area.label  # the test tells the two readings apart
               for p in paths for q in kv.classify_document(p.read_text("utf-8")).questions)


def test_the_cli_reads_a_document_as_classify_document_reads_its_text(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Glued words ("zorgendat") are split with the model's words on both roads: the same texts and flags."""
    text = (f"{DOC.splitlines()[0]}\n\n1. Bent u bereid ervoor te zorgendat zwangere vrouwen alleen in "
            "geschikte locaties worden gehuisvest?\n\n2. Hoeveel locaties voldoen niet?\n")
    path = tmp_path / "vragen.txt"
    path.write_text(text, encoding="utf-8")
    assert main(["classify", str(path), "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)["questions"]
    api = kv.classify_document(text)
    assert [q["text"] for q in shown] == [q.unit.text for q in api.questions]
    assert "zorgen dat" in shown[0]["text"]
    read = kv.read_document(path, lexicon=kv.load_model().known_words)
    assert [q.text for q in read.questions] == [q.unit.text for q in api.questions]


def test_a_document_without_questions_still_has_its_row(tmp_path: Path) -> None:
    """Oral questions have no question units; a routing table must still hold the document (zaak, routed area)."""
    oral = REPO / "tests" / "fixtures" / "documents" / "oral.txt"
    assert not kv.classify_document(oral.read_text("utf-8")).questions
    out = tmp_path / "r.csv"
    assert main(["classify", str(oral), str(REPO / "tests" / "fixtures" / "documents" / "numbered-dot.txt"),
                 "--out", str(out)]) == 0
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [r["source"].endswith("oral.txt") for r in rows].count(True) == 1
    row = next(r for r in rows if r["source"].endswith("oral.txt"))
    assert row["question"] == row["text"] == row["question_type"] == "" and row["routed_area"]


def test_numbers_name_one_question_each_in_a_document_numbered_in_part(shared_data: Path,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    path = shared_data / "documents" / "2024Z18882.txt"  # "1.", five unnumbered questions, then "2."
    r = kv.classify_document(path.read_text("utf-8"))
    own = [q.unit.number for q in r.questions]
    assert own.count(2) == 1 and None in own  # the numbers the document gives, and the gaps
    assert r.question_numbers == tuple(range(1, len(r.questions) + 1))
    assert main(["classify", str(path)]) == 0
    view = capsys.readouterr().out
    assert [line.split(".")[0].strip() for line in view.splitlines() if line[:6].strip().rstrip(".").isdigit()] == [
        str(n) for n in r.question_numbers]
    assert main(["classify", str(path), "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["question_numbers"] == list(r.question_numbers) and set(shown["commitments"]) <= set(
        shown["question_numbers"])
