"""CLI behaviour: output formats, standard input, exit codes; a few real ``python -m kvclassify`` runs.

The catalogue of bad inputs is in test_robustness.py; this file checks the
command itself, in-process with capsys, and three times as a real process
(stderr of one line, no traceback).
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import kvclassify as kv
from kvclassify import read_text
from kvclassify.cli import main

COMMITMENT = "Bent u bereid de Kamer hierover voor de zomer te informeren?"
DOC = (
    "Vragen van het lid Jansen (SP) aan de minister van Defensie over munitie (ingezonden 3 maart 2025).\n\n"
    "1. Kent u het bericht over de tekorten aan munitie?\n\n"
    "2. Bent u bereid de Kamer voor de zomer te informeren over de voorraden?\n"
)


def _run(*args: str, stdin: bytes | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "kvclassify", *args],
        input=stdin, capture_output=True, timeout=120, env={**os.environ, **(env or {})},
    )


def test_lines_json_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "q.txt"
    path.write_text(f"{COMMITMENT}\n\n   \nHoeveel mensen wachten op een woning?\n", encoding="utf-8")
    assert main(["classify", str(path), "--json"]) == 0
    out, err = capsys.readouterr()
    rows = [json.loads(line) for line in out.splitlines()]
    assert err == "" and len(rows) == 2  # blank lines are skipped
    assert rows[0]["text"] == COMMITMENT and rows[0]["question_type"]["label"] == "commitment"
    assert rows[0] == {"text": COMMITMENT, **kv.classify(COMMITMENT).to_dict()}


def test_document_json_equals_api(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "doc.txt"
    path.write_text(DOC, encoding="utf-8")
    assert main(["classify", str(path), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out == json.loads(json.dumps(kv.classify_document(DOC).to_dict()))
    assert out["addressed_areas"] == ["defensie"] and len(out["questions"]) == 2


def test_modes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "doc.txt"
    path.write_text(DOC, encoding="utf-8")
    assert main(["classify", str(path), "--mode", "lines", "--json"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 3  # header + two questions, one result per non-blank line
    assert main(["classify", str(path), "--mode", "document"]) == 0
    assert "questions:  2" in capsys.readouterr().out


def test_stdin(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    fake = io.TextIOWrapper(io.BytesIO(COMMITMENT.encode("utf-16")), encoding="utf-16")
    monkeypatch.setattr(sys, "stdin", fake)
    assert read_text("-") == COMMITMENT  # UTF-16 with its BOM
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"\xff\x00\xfe garbage")))
    assert main(["classify", "-"]) == 3
    err = capsys.readouterr().err
    assert err.startswith("kvclassify: error: standard input") and err.count("\n") == 1


def test_info(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["info", "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert set(info["tasks"]) >= {"question_type", "policy_area"}
    assert info["sha256"] == kv.load_model().info.sha256


def test_debug_shows_the_traceback(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--debug", "info", "--model", str(tmp_path / "missing.kvc")]) == 4
    err = capsys.readouterr().err
    assert "Traceback" in err and err.splitlines()[-1].startswith("kvclassify: error:")


def test_broken_pipe_is_quiet(tmp_path: Path) -> None:
    class Closed(io.StringIO):
        def write(self, s: str) -> int:
            raise BrokenPipeError(32, "Broken pipe")

    path = tmp_path / "q.txt"
    path.write_text(COMMITMENT)
    assert main(["classify", str(path)], out=Closed()) == 0


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0 and kv.__version__ in capsys.readouterr().out


# -- real processes ------------------------------------------------------------------------


def test_process_classify_stdin_ok() -> None:
    proc = _run("classify", "--json", stdin=(COMMITMENT + "\n").encode())
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == b""
    assert json.loads(proc.stdout)["question_type"]["label"] == "commitment"


@pytest.mark.parametrize("case", ["binary-stdin", "corrupt-model", "bad-env-limit"])
def test_process_errors_are_one_line(case: str, tmp_path: Path) -> None:
    if case == "binary-stdin":
        proc, code = _run("classify", stdin=b"\x00\x01\x02binary\xff"), 3
    elif case == "corrupt-model":
        model = tmp_path / "m.kvc"
        model.write_bytes(kv.api.shipped_model_path().read_bytes()[:1000])
        proc, code = _run("info", "--model", str(model)), 4
    else:
        proc, code = _run("classify", stdin=COMMITMENT.encode(), env={"KVCLASSIFY_MAX_CHARS": "lots"}), 3
    err = proc.stderr.decode()
    assert proc.returncode == code, err
    assert "Traceback" not in err
    assert err.count("\n") == 1 and err.startswith("kvclassify: error: "), err
    assert proc.stdout == b""


def test_process_env_limit() -> None:
    proc = _run("classify", stdin=(COMMITMENT + "\n").encode(), env={"KVCLASSIFY_MAX_CHARS": "10"})
    err = proc.stderr.decode()
    assert proc.returncode == 3 and err.count("\n") == 1 and "limit of 10" in err and "Traceback" not in err
