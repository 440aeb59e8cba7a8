"""Issue 6: the catalogue of bad inputs, at API and CLI level, each with its expected outcome.

Every case names either a specific error class or a defined result.  API
results must be JSON-serialisable (``json.dumps(..., allow_nan=False)`` of
``to_dict()``); CLI errors exit with the documented code (3 bad input or
data, 4 model) and print exactly one line on stderr, starting
``kvclassify: error:``, never a traceback.

The tests do not depend on the shipped model's exact labels, except where the
answer is unambiguous ("Bent u bereid ...?" asks for a commitment).
"""

from __future__ import annotations

import codecs
import io
import json
import os
import struct
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import kvclassify as kv
from kvclassify.cli import main
from kvclassify.version import FORMAT_VERSION

COMMITMENT = "Bent u bereid de Kamer hierover voor de zomer te informeren?"
DOC = (
    "Vragen van het lid Jansen (SP) aan de minister van Volksgezondheid, Welzijn en Sport over "
    "de wachtlijsten in de jeugdzorg (ingezonden 3 maart 2025).\n\n"
    "1. Kent u het bericht over de wachtlijsten in de jeugdzorg?\n\n"
    "2. Hoeveel kinderen wachten langer dan drie maanden op hulp?\n\n"
    "3. Bent u bereid de Kamer voor de zomer over de aanpak te informeren?\n"
)


def _json_ok(result: Any) -> None:
    """The result (or each item of a list) serialises to strict JSON via ``to_dict()``."""
    items = result if isinstance(result, list) else [result]
    for item in items:
        json.dumps(item.to_dict(), allow_nan=False)


# -- API: wrong types --------------------------------------------------------------------

_TEXT_FUNCS: dict[str, Callable[[Any], Any]] = {
    "classify": kv.classify,
    "classify_document": kv.classify_document,
    "parse_document": kv.parse_document,
    "explain": lambda t: kv.explain(t, task="question_type"),
}
_BAD_TEXTS = {
    "None": None,
    "bytes": b"Bent u bereid?",
    "bytearray": bytearray(b"Bent u bereid?"),
    "int": 42,
    "float": 3.5,
    "list": ["Bent u bereid?"],
    "dict": {"text": "Bent u bereid?"},
}


@pytest.mark.parametrize("value", list(_BAD_TEXTS.values()), ids=list(_BAD_TEXTS))
@pytest.mark.parametrize("func", list(_TEXT_FUNCS), ids=list(_TEXT_FUNCS))
def test_non_str_text_is_an_input_error(func: str, value: Any) -> None:
    with pytest.raises(kv.InputError) as info:
        _TEXT_FUNCS[func](value)
    message = str(info.value)
    assert type(value).__name__ in message
    if isinstance(value, (bytes, bytearray)):
        assert "decode" in message


# -- API: the table of other cases -------------------------------------------------------
# (id, call, expected): expected is an exception class, or a check of the result.


def _not_in_domain(result: kv.Classification) -> None:
    assert result.in_domain is False


def _commitment(result: kv.Classification) -> None:
    assert result.question_type.label == "commitment"
    assert result.in_domain is True


def _a_result(result: Any) -> None:
    assert result is not None


def _no_questions(result: kv.DocumentClassification) -> None:
    assert result.questions == ()
    assert result.commitments == ()


def _three_questions(result: kv.DocumentClassification) -> None:
    assert len(result.questions) == 3
    assert result.questions[2].classification.question_type.label == "commitment"


def _parsed_empty(result: kv.Document) -> None:
    assert result.questions == () and result.kind == "unknown"


def _length(n: int) -> Callable[[list], None]:
    def check(result: list) -> None:
        assert len(result) == n

    return check


_FOREIGN = {
    "english": "Is the minister aware of the report that the waiting lists for youth care have grown, "
    "and what will you do about it?",
    "german": "Ist die Ministerin bereit, die Kammer über die Wartelisten in der Jugendhilfe zu "
    "informieren, und wie wird sie das Problem lösen?",
    "arabic": "هل الوزير على علم بالتقرير حول قوائم الانتظار في رعاية الشباب؟",
    "hebrew-rtl": "שלום עולם, מה שלומך היום?",
}

API_CASES: list[Any] = [
    # empty and odd characters: a defined result, never an error
    ("empty", lambda: kv.classify(""), _not_in_domain),
    ("whitespace-only", lambda: kv.classify("  \n\t\r\n  "), _not_in_domain),
    ("control-chars", lambda: kv.classify("\x01\x02\x1b[31m\x7f"), _not_in_domain),
    ("nul-bytes", lambda: kv.classify("\x00\x00\x00"), _not_in_domain),
    ("nul-inside-dutch", lambda: kv.classify("Bent u\x00 bereid de Kamer te informeren?"), _a_result),
    ("lone-surrogate", lambda: kv.classify("\ud800"), _not_in_domain),
    ("surrogate-inside-dutch", lambda: kv.classify("Bent u bereid \udfff de Kamer te informeren?"), _a_result),
    ("emoji-only", lambda: kv.classify("😀🎉👍🏽🇳🇱"), _not_in_domain),
    ("emoji-in-dutch", lambda: kv.classify("Bent u bereid 🙂 de Kamer te informeren? 🇳🇱"), _a_result),
    ("only-numbers", lambda: kv.classify("12345 678 9 2025 3,14"), _not_in_domain),
    ("only-punctuation", lambda: kv.classify("?!.,;:()[]{}—–-…'\"«»"), _not_in_domain),
    ("combining-marks", lambda: kv.classify("e\u0301\u0301\u0301" * 50), _a_result),
    *[(f"foreign-{k}", (lambda t=t: kv.classify(t)), _not_in_domain) for k, t in _FOREIGN.items()],
    ("dutch-commitment", lambda: kv.classify(COMMITMENT), _commitment),
    # classify_many
    ("many-none", lambda: kv.classify_many(None), kv.InputError),
    ("many-single-string", lambda: kv.classify_many("Bent u bereid?"), kv.InputError),
    ("many-bytes", lambda: kv.classify_many(b"Bent u bereid?"), kv.InputError),
    ("many-int", lambda: kv.classify_many(42), kv.InputError),
    ("many-list-with-none", lambda: kv.classify_many(["Bent u bereid?", None]), kv.InputError),
    ("many-generator-with-int", lambda: kv.classify_many(t for t in ["a", 5]), kv.InputError),
    ("many-empty-list", lambda: kv.classify_many([]), _length(0)),
    ("many-empty-strings", lambda: kv.classify_many(["", " ", "\x00"]), _length(3)),
    ("many-generator", lambda: kv.classify_many(t for t in [COMMITMENT, "Hoeveel?"]), _length(2)),
    # documents
    ("document-empty", lambda: kv.classify_document(""), _no_questions),
    ("document-whitespace", lambda: kv.classify_document("\n\n   \n\f\n"), _no_questions),
    ("document-binary-garbage", lambda: kv.classify_document("\x00\xff\ufffd" * 1000), _a_result),
    ("document-only-numbers", lambda: kv.classify_document("1.\n2.\n3)\n4\n" * 50), _a_result),
    ("document-crlf", lambda: kv.classify_document(DOC.replace("\n", "\r\n")), _three_questions),
    ("parse-empty", lambda: kv.parse_document(""), _parsed_empty),
    # size limit
    ("max-chars-exceeded", lambda: kv.classify("x" * 1001, max_chars=1000), kv.InputTooLargeError),
    ("max-chars-document", lambda: kv.classify_document(DOC, max_chars=10), kv.InputTooLargeError),
    ("max-chars-many", lambda: kv.classify_many(["ok", "x" * 11], max_chars=10), kv.InputTooLargeError),
    ("max-chars-exact", lambda: kv.classify("x" * 1000, max_chars=1000), _a_result),
    ("max-chars-negative", lambda: kv.classify("x", max_chars=-1), kv.InputError),
    ("max-chars-str", lambda: kv.classify("x", max_chars="1000"), kv.InputError),
    ("max-chars-float", lambda: kv.classify("x", max_chars=1e6), kv.InputError),
    # explain and models
    ("explain-empty", lambda: kv.explain("", task="question_type"), _a_result),
    ("explain-unknown-task", lambda: kv.explain(COMMITMENT, task="sentiment"), kv.InputError),
    ("explain-task-none", lambda: kv.explain(COMMITMENT, task=None), kv.InputError),
    ("explain-k-str", lambda: kv.explain(COMMITMENT, task="question_type", k="3"), kv.InputError),
    ("explain-k-zero", lambda: kv.explain(COMMITMENT, task="question_type", k=0), _a_result),
    ("model-not-a-model", lambda: kv.classify(COMMITMENT, model="kvclassify.kvc"), kv.InputError),
    ("load-model-int", lambda: kv.load_model(42), kv.InputError),
    ("load-model-missing", lambda: kv.load_model("/nonexistent/dir/model.kvc"), kv.ModelNotFoundError),
]


@pytest.mark.parametrize("call, expected", [c[1:] for c in API_CASES], ids=[c[0] for c in API_CASES])
def test_api_case(call: Callable[[], Any], expected: Any) -> None:
    if isinstance(expected, type) and issubclass(expected, BaseException):
        with pytest.raises(expected) as info:
            call()
        assert str(info.value), "an error must say what is wrong"
        # the one hierarchy: every deliberate error is a KvclassifyError
        assert isinstance(info.value, kv.KvclassifyError)
        return
    result = call()
    expected(result)
    _json_ok(result)


def test_input_too_large_message_is_clear() -> None:
    with pytest.raises(kv.InputTooLargeError) as info:
        kv.classify_document("x" * 1001, max_chars=1000)
    message = str(info.value)
    assert "1,001" in message and "1,000" in message
    assert "max_chars" in message and "KVCLASSIFY_MAX_CHARS" in message
    assert isinstance(info.value, kv.InputError)  # callers catching InputError see it too


def test_ten_megabyte_document() -> None:
    """A 10 MB document is classified (no recursion, no quadratic step); the limit rejects it when asked."""
    filler = (
        "Kent u het bericht over de wachtlijsten in de jeugdzorg en de tekorten aan personeel in "
        "ziekenhuizen, en wat is uw reactie daarop, mede gelet op de afspraken in het coalitieakkoord "
    )
    per_question = 10_000_000 // 90
    questions = [
        f"{i}. " + (filler * (per_question // len(filler) + 1))[:per_question].rsplit(" ", 1)[0] + "?"
        for i in range(1, 91)
    ]
    text = DOC.split("\n\n")[0] + "\n\n" + "\n\n".join(questions) + "\n"
    assert len(text) >= 10_000_000
    result = kv.classify_document(text)
    assert len(result.questions) == 90
    assert all(q.unit.text for q in result.questions)
    json.dumps(result.to_dict(), allow_nan=False)
    with pytest.raises(kv.InputTooLargeError):
        kv.classify_document(text, max_chars=1000)


# -- CLI ---------------------------------------------------------------------------------

JSONL_OK = [
    {"text": "Bent u bereid de Kamer te informeren?", "question_type": "commitment"},
    {"text": "Hoeveel mensen wachten op een woning?", "question_type": "factual"},
    {"text": "Deelt u de mening dat dit onacceptabel is?", "question_type": "opinion"},
]


def _jsonl(rows: list[dict[str, Any]]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)


def _train_rows(n_per_class: int = 4) -> list[dict[str, Any]]:
    yes = ["Bent u bereid dit te onderzoeken?", "Wilt u de Kamer informeren?", "Gaat u maatregelen nemen?",
           "Bent u bereid het gesprek aan te gaan?", "Wilt u de regeling aanpassen?"]
    no = ["Hoeveel mensen wachten?", "Wat is de stand van zaken?", "Klopt het dat dit gebeurde?",
          "Hoeveel geld is ermee gemoeid?", "Wanneer is dit besloten?"]
    return ([{"text": t, "flag": "yes"} for t in yes[:n_per_class]]
            + [{"text": t, "flag": "no"} for t in no[:n_per_class]])


def _model_variant(tmp: Path, name: str) -> Path:
    raw = kv.api.shipped_model_path().read_bytes()
    kv.load_model(kv.api.shipped_model_path())  # intact, it loads: a variant fails for its damage alone
    path = tmp / f"{name}.kvc"
    if name == "truncated":
        path.write_bytes(raw[: len(raw) // 2])
    elif name == "one-byte-changed":
        data = bytearray(raw)
        data[len(data) // 2] ^= 0x01
        path.write_bytes(bytes(data))
    elif name == "newer-version":
        path.write_bytes(raw[:8] + struct.pack("<I", FORMAT_VERSION + 1) + raw[12:])
    elif name == "not-a-model":
        path.write_text("just some text, not a model\n")
    elif name == "empty":
        path.write_bytes(b"")
    elif name == "directory":
        path.mkdir()
    return path


def _files(tmp: Path) -> dict[str, Path]:
    """The input files of the CLI cases."""
    f: dict[str, Path] = {}

    def put(name: str, data: bytes | str) -> None:
        path = tmp / name
        path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
        f[name] = path

    latin1 = "Bent u bereid de financiën van Curaçao te herzien?\n"
    put("binary.bin", bytes(range(256)) * 4)
    put("png.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(100))
    put("invalid-utf8.txt", b"Bent u bereid \x80\x81\x82 te informeren?\n")
    put("latin1.txt", latin1.encode("latin-1"))
    put("utf16.txt", codecs.BOM_UTF16_LE + latin1.encode("utf-16-le"))
    put("utf16be.txt", codecs.BOM_UTF16_BE + latin1.encode("utf-16-be"))
    put("utf8bom.txt", codecs.BOM_UTF8 + latin1.encode("utf-8"))
    put("empty.txt", b"")
    put("blank.txt", "\n  \n\t\n")
    put("questions.txt", f"{COMMITMENT}\nHoeveel mensen wachten op een woning?\n")
    put("document.txt", DOC)
    put("data-ok.jsonl", _jsonl(JSONL_OK))
    put("data-bad-line.jsonl", _jsonl(JSONL_OK[:1]) + '{"text": "Hoeveel?", "question_type": \n' + _jsonl(JSONL_OK[1:]))
    put("data-array-line.jsonl", _jsonl(JSONL_OK[:2]) + "[1, 2]\n")
    put("data-no-text.jsonl", _jsonl(JSONL_OK[:1]) + _jsonl([{"question_type": "factual"}]))
    put("data-unknown-label.jsonl", _jsonl(JSONL_OK + [{"text": "Waarom?", "question_type": "rhetorical"}]))
    put("data-latin1.jsonl", _jsonl(JSONL_OK).replace("woning", "financiën").encode("latin-1"))
    put("data-empty.jsonl", b"")
    put("train-ok.jsonl", _jsonl(_train_rows()))
    put("train-bad-line.jsonl", _jsonl(_train_rows()[:3]) + "not json\n")
    put("train-no-label.jsonl", _jsonl(_train_rows()[:5] + [{"text": "Wat nu?"}]))
    put("train-rare.jsonl", _jsonl(_train_rows() + [{"text": "Waarom niet?", "flag": "maybe"}]))
    put("train-one-class.jsonl", _jsonl([r for r in _train_rows() if r["flag"] == "yes"]))
    put("train-latin1.jsonl", _jsonl(_train_rows()).replace("zaken", "zakén").encode("latin-1"))
    table = "id,text,date\na,Bent u bereid de Kamer te informeren?,2025\nb,Hoeveel mensen wachten?,2025\n"
    put("table.csv", table)
    put("table-dup-ids.csv", table.replace("\nb,", "\na,"))
    put("table-empty-id.csv", table.replace("\nb,", "\n,"))
    put("table-empty.csv", b"")
    put("table-header.csv", "id,text\n")
    put("table-nul.csv", b"id,text\na,Bent u\x00 bereid?\n")
    (tmp / "a-directory").mkdir()
    f["a-directory"] = tmp / "a-directory"
    os.mkfifo(tmp / "a-fifo")
    f["a-fifo"] = tmp / "a-fifo"
    (tmp / "a-link.csv").symlink_to(tmp / "nowhere.csv")
    f["a-link.csv"] = tmp / "a-link.csv"
    return f


# (id, argv with {file} placeholders, exit code, a substring of the error message or a stdout check)
CLI_CASES: list[tuple[str, list[str], int, Any]] = [
    # input files of `classify`
    ("binary-file", ["classify", "{binary.bin}"], 3, "binary"),
    ("png-file", ["classify", "{png.png}"], 3, "binary"),
    ("invalid-utf8", ["classify", "{invalid-utf8.txt}"], 3, "--encoding"),
    ("latin1-without-encoding", ["classify", "{latin1.txt}"], 3, "--encoding latin-1"),
    ("latin1-with-encoding", ["classify", "{latin1.txt}", "--encoding", "latin-1"], 0, "Curaçao"),
    ("utf16-le-bom", ["classify", "{utf16.txt}", "--json"], 0, "Curaçao"),
    ("utf16-be-bom", ["classify", "{utf16be.txt}", "--json"], 0, "Curaçao"),
    ("utf8-bom", ["classify", "{utf8bom.txt}", "--json"], 0, "Curaçao"),
    ("empty-file", ["classify", "{empty.txt}"], 0, ""),
    ("blank-file", ["classify", "{blank.txt}", "--json"], 0, '"rows": []'),
    ("empty-file-as-document", ["classify", "{empty.txt}", "--mode", "document", "--json"], 0, '"questions": []'),
    ("directory", ["classify", "{a-directory}"], 3, "directory"),
    ("missing-file", ["classify", "{a-directory}/nope.txt"], 3, "no such file"),
    ("unknown-encoding", ["classify", "{questions.txt}", "--encoding", "klingon"], 3, "unknown encoding"),
    ("max-chars", ["classify", "{document.txt}", "--max-chars", "10"], 3, "limit"),
    ("max-chars-negative", ["classify", "{document.txt}", "--max-chars", "-5"], 3, "--max-chars"),
    ("max-chars-negative-table", ["classify", "{data-ok.jsonl}", "--max-chars", "-5"], 3, "--max-chars"),
    ("lines-ok", ["classify", "{questions.txt}", "--json"], 0, "commitment"),
    ("document-ok", ["classify", "{document.txt}"], 0, "questions:  3"),
    # odd options, as a hostile user gives them
    ("top-negative", ["classify", "{questions.txt}", "--top", "-1"], 3, "--top"),
    ("top-huge", ["classify", "{questions.txt}", "--top", str(10**9), "--format", "jsonl"], 0, "_top"),
    ("batch-size-0", ["classify", "{questions.txt}", "--batch-size", "0"], 3, "--batch-size"),
    ("batch-size-huge", ["classify", "{table.csv}", "--batch-size", str(10**12)], 3, "--batch-size"),
    ("threshold-2", ["classify", "{questions.txt}", "--commitment-threshold", "2"], 3, "between 0 and 1"),
    ("threshold-nan", ["classify", "{questions.txt}", "--commitment-threshold", "nan"], 3, "between 0 and 1"),
    ("keep-missing-field", ["classify", "{table.csv}", "--keep-fields", "date,nope"], 3, "no field 'nope'"),
    ("id-field-missing", ["classify", "{table.csv}", "--id-field", "nope"], 3, "check --id-field"),
    ("id-duplicated", ["classify", "{table-dup-ids.csv}", "--id-field", "id"], 3, "repeats the id 'a' of record 1"),
    ("id-empty", ["classify", "{table-empty-id.csv}", "--id-field", "id"], 3, "record 2 has no value"),
    ("csv-empty", ["classify", "{table-empty.csv}"], 3, "empty"),
    ("csv-header-only", ["classify", "{table-header.csv}", "--format", "jsonl"], 0, ""),
    ("csv-nul-byte", ["classify", "{table-nul.csv}"], 3, "NUL"),
    ("out-dev-full", ["classify", "{table.csv}", "--out", "/dev/full"], 3, "--out: refusing"),
    ("out-directory", ["classify", "{table.csv}", "--out", "{a-directory}"], 3, "a directory"),
    ("out-symlink", ["classify", "{table.csv}", "--out", "{a-link.csv}"], 3, "a symbolic link"),
    ("out-fifo", ["classify", "{table.csv}", "--out", "{a-fifo}"], 3, "FIFO"),
    ("model-fifo", ["classify", "{questions.txt}", "--model", "{a-fifo}"], 4, "not a regular file"),
    ("model-dev-zero", ["classify", "{questions.txt}", "--model", "/dev/zero"], 4, "not a regular file"),
    ("encoding-nonsense-lines", ["classify", "{questions.txt}", "--mode", "lines", "--encoding", "nonsense"], 3,
     "unknown encoding"),
    ("train-out-dev-full", ["train", "--data", "{train-ok.jsonl}", "--label", "flag", "--out", "/dev/full"], 3,
     "--out: refusing"),
    ("train-ngrams-three", ["train", "--data", "{train-ok.jsonl}", "--label", "flag", "--word-ngrams", "1", "2", "3",
                            "--out", "{out}"], 3, "two integers"),
    ("train-ngrams-huge", ["train", "--data", "{train-ok.jsonl}", "--label", "flag", "--char-ngrams", "1", str(10**6),
                           "--out", "{out}"], 3, "<= 20"),
    ("import-out-directory", ["import-opendata", "{data-ok.jsonl}", "--out", "{a-directory}"], 3, "a directory"),
    # model paths
    *[
        (f"model-{name}", [cmd, "--model", f"{{model:{name}}}", *extra], 4, needle)
        for name, needle in [
            ("missing", "not found"),
            ("directory", "directory"),
            ("truncated", "sha256"),
            ("one-byte-changed", "sha256"),
            ("newer-version", "upgrade"),
            ("not-a-model", "not a kvclassify model"),
            ("empty", "truncated"),
        ]
        for cmd, extra in [("info", []), ("classify", ["{questions.txt}"])]
    ],
    ("evaluate-model-corrupt", ["evaluate", "--data", "{data-ok.jsonl}", "--task", "question_type",
                                "--model", "{model:one-byte-changed}"], 4, "sha256"),
    # evaluate
    ("evaluate-ok", ["evaluate", "--data", "{data-ok.jsonl}", "--task", "question_type"], 0, "accuracy"),
    ("evaluate-bad-line", ["evaluate", "--data", "{data-bad-line.jsonl}", "--task", "question_type"], 3, "line 2"),
    ("evaluate-array-line", ["evaluate", "--data", "{data-array-line.jsonl}", "--task", "question_type"], 3,
     "line 3"),
    ("evaluate-missing-text", ["evaluate", "--data", "{data-no-text.jsonl}", "--task", "question_type"], 3, "'text'"),
    ("evaluate-unknown-label", ["evaluate", "--data", "{data-unknown-label.jsonl}", "--task", "question_type"], 0,
     "rhetorical (1)"),
    ("evaluate-unknown-label-json", ["evaluate", "--data", "{data-unknown-label.jsonl}", "--task", "question_type",
                                     "--json"], 0, '"unknown_labels": {"rhetorical": 1}'),
    ("evaluate-non-utf8", ["evaluate", "--data", "{data-latin1.jsonl}", "--task", "question_type"], 3, "not UTF-8"),
    ("evaluate-empty", ["evaluate", "--data", "{data-empty.jsonl}", "--task", "question_type"], 3, "empty"),
    ("evaluate-unknown-task", ["evaluate", "--data", "{data-ok.jsonl}", "--task", "sentiment"], 3, "sentiment"),
    ("evaluate-no-label-field", ["evaluate", "--data", "{table.csv}", "--task", "question_type"], 3,
     "no record has the label field"),
    ("evaluate-header-only", ["evaluate", "--data", "{table-header.csv}"], 3, "no records"),
    ("evaluate-model-fifo", ["evaluate", "--data", "{data-ok.jsonl}", "--model", "{a-fifo}"], 4, "not a regular file"),
    ("evaluate-missing-data", ["evaluate", "--data", "{a-directory}/nope.jsonl", "--task", "question_type"], 3,
     "not found"),
    ("evaluate-directory", ["evaluate", "--data", "{a-directory}", "--task", "question_type", ], 3, "extension"),
    # train
    ("train-bad-line", ["train", "--data", "{train-bad-line.jsonl}", "--label", "flag", "--out", "{out}"], 3,
     "line 4"),
    ("train-missing-label", ["train", "--data", "{train-no-label.jsonl}", "--label", "flag", "--out", "{out}"], 3,
     "'flag'"),
    ("train-rare-label", ["train", "--data", "{train-rare.jsonl}", "--label", "flag", "--out", "{out}",
                          "--validation", "none"], 3, "'maybe'"),
    ("train-single-class", ["train", "--data", "{train-one-class.jsonl}", "--label", "flag", "--out", "{out}"], 3,
     "single class"),
    ("train-non-utf8", ["train", "--data", "{train-latin1.jsonl}", "--label", "flag", "--out", "{out}"], 3,
     "not UTF-8"),
]


def _expand(argv: list[str], files: dict[str, Path], tmp: Path) -> list[str]:
    out = []
    for arg in argv:
        if arg.startswith("{model:"):
            name = arg[len("{model:"):-1]
            out.append(str(_model_variant(tmp, name)))
            continue
        for name, path in files.items():
            arg = arg.replace("{" + name + "}", str(path))
        out.append(arg.replace("{out}", str(tmp / "out.kvc")))
    return out


@pytest.mark.parametrize("argv, code, expect", [c[1:] for c in CLI_CASES], ids=[c[0] for c in CLI_CASES])
def test_cli_case(argv: list[str], code: int, expect: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = _expand(argv, _files(tmp_path), tmp_path)
    rc = main(args)
    out, err = capsys.readouterr()
    assert rc == code, (rc, err)
    assert "Traceback" not in err and "Traceback" not in out
    if code == 0:
        # Only an input with nothing to classify is named on standard error.
        assert err == "" or (err.count("\n") == 1 and ": nothing to classify (no " in err), err
        if expect == "":
            assert out == ""
        else:
            assert expect in out
        if "--json" in args and out.strip():
            for line in out.splitlines() if not out.lstrip().startswith("{\n") else [out]:
                json.loads(line)
        return
    lines = err.splitlines()
    errors = [ln for ln in lines if ln.startswith("kvclassify: error:")]
    # `train` may print its progress ("[train] ...") before failing; nothing else may appear.
    assert len(errors) == 1 and lines[-1] == errors[0], err
    assert all(ln.startswith("[train] ") for ln in lines[:-1]), err
    assert expect in errors[0], errors[0]
    assert out == ""
    assert not (tmp_path / "out.kvc").exists()  # a failed train writes nothing


@pytest.mark.parametrize("argv", [["frobnicate"], ["classify", "--mode", "sideways"], [], ["evaluate"],
                                  ["classify", "--max-chars", "x"], ["classify", "--format", "xml"],
                                  ["classify", "--top", "nan"], ["train", "--data", "x.csv"]])
def test_cli_usage_errors_exit_2_in_one_line(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 2, argv
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and ": error: " in err and err.rstrip().endswith("--help)"), err


def test_cli_bad_env_limit_is_a_one_line_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(kv.limits, "_ENV_MAX_CHARS_ERROR", "KVCLASSIFY_MAX_CHARS must be a non-negative integer, got 'x'")
    path = tmp_path / "q.txt"
    path.write_text(COMMITMENT)
    assert main(["classify", str(path)]) == 3
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("kvclassify: error: KVCLASSIFY_MAX_CHARS")


def test_train_api_errors_name_the_problem(tmp_path: Path) -> None:
    files = _files(tmp_path)
    cases = [
        ("train-bad-line.jsonl", "line 4"),
        ("train-no-label.jsonl", "'flag'"),
        ("train-rare.jsonl", "'maybe'"),
        ("train-one-class.jsonl", "single class"),
        ("train-latin1.jsonl", "not UTF-8"),
    ]
    config = kv.TrainConfig(validation="none")
    for name, needle in cases:
        with pytest.raises(kv.DataError) as info:
            kv.train(files[name], label_fields="flag", config=config)
        assert needle in str(info.value), (name, str(info.value))
        assert "\n" not in str(info.value)
    with pytest.raises(kv.DataError, match="record 2"):
        kv.train([{"text": "a", "flag": "x"}, {"flag": "y"}], label_fields="flag", config=config)
    with pytest.raises(kv.DataError, match="must be a string"):
        kv.train([{"text": None, "flag": "x"}], label_fields="flag", config=config)


# -- bounded cost ----------------------------------------------------------------------------


def _realistic_document(size: int) -> str:
    """A Kamervragen document of about ``size`` characters: many ordinary numbered questions."""
    sentences = [
        "Kent u het bericht over de wachtlijsten in de jeugdzorg in uw regio?",
        "Hoeveel kinderen wachten op dit moment langer dan drie maanden op passende hulp?",
        "Deelt u de mening dat dit onacceptabel is, gelet op de afspraken in het Hervormingsagenda?",
        "Bent u bereid de Kamer voor de zomer te informeren over de aanpak van de gemeenten?",
        "Welke stappen zet u om de personeelstekorten bij de aanbieders terug te dringen?",
    ]
    parts, n, total = [DOC.split("\n\n")[0]], 0, 0
    while total < size:
        n += 1
        q = f"{(n - 1) % 99 + 1}. {sentences[n % 5]} {sentences[(n * 3) % 5]}"
        parts.append(q)
        total += len(q) + 2
    return "\n\n".join(parts) + "\n"


def _seconds(func: Callable[[], Any], repeat: int = 2) -> float:
    import time

    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        best = min(best, time.perf_counter() - start)
    return best


def test_classify_document_cost_grows_linearly() -> None:
    """Per-character time at 100 KB, 400 KB and 1.6 MB stays within 3x: a scaling check, not a timing goal."""
    kv.classify_document(_realistic_document(20_000))  # warm caches
    per_char = []
    for size in (100_000, 400_000, 1_600_000):
        text = _realistic_document(size)
        per_char.append(_seconds(lambda: kv.classify_document(text), repeat=2 if size < 1_000_000 else 1) / len(text))
    assert max(per_char) / min(per_char) < 3.0, per_char


_PATHOLOGICAL_SCRIPT = r"""
import json, sys, time
import kvclassify as kv

head = "Vragen van het lid Jansen (SP) aan de minister van Defensie over munitie (ingezonden 3 maart 2025).\n\n"
families = {
    "digit-run": lambda n: head + "1. Kent u het bericht?\n\nZie " + "1" * n + "x hier.\n\n2. Wat nu?\n",
    "number-list": lambda n: head + "1. Kent u het bericht?\n\n" + "0612345678 " * (n // 11) + "x\n\n2. Wat nu?\n",
    "marker-paragraphs": lambda n: head + "1. Kent u het bericht?\n\n" + "1 2 3\n\n" * (n // 7) + "2. Wat nu?\n",
    "footnote-lines": lambda n: head + "".join(f"\n{i % 900 + 1}) https://www.example.org/{i}\n" for i in range(n // 36)),
    "question-marks": lambda n: head + "Kent u dit?\n\n" * (n // 13),
    "vraag-lines": lambda n: head + "".join(f"Vraag {i % 99 + 1}\nKent u dit?\n" for i in range(n // 20)),
    "antwoord-lines": lambda n: head + "Antwoord\n\n" * (n // 10),
    "header-lines": lambda n: "Vragen van het lid " * (n // 19),
    "digits-spaces": lambda n: head + "1 " * (n // 2) + "x",
    "brackets": lambda n: head + "[1] (2) 3) " * (n // 11) + "?",
}
out = {}
for name, make in families.items():
    times = []
    for n in (20_000, 80_000):
        text = make(n)
        start = time.perf_counter()
        kv.parse_document(text)
        times.append((time.perf_counter() - start) / len(text))
    out[name] = times
print(json.dumps(out))
"""


def test_parser_has_no_superlinear_inputs() -> None:
    """Inputs that made the parser backtrack (a 30-digit run took minutes) now parse in linear time.

    Run in a subprocess with a timeout, so that a regression fails instead of hanging the suite.
    """
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, "-c", _PATHOLOGICAL_SCRIPT], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    times = json.loads(proc.stdout)
    for name, (small, large) in times.items():
        # 4x the input may cost 4x the time, with slack for noise: not 16x (quadratic)
        assert large < 3 * small + 2e-6, (name, small, large)


@pytest.mark.parametrize("call", [
    lambda: kv.areas_of_post(None), lambda: kv.areas_of_post("minister van Defensie", on="gisteren"),
    lambda: kv.areas_of_post("minister van Defensie", person=5), lambda: kv.third_person(None),
    lambda: kv.canonical_addressee(5), lambda: kv.score("question_type", ["a", "b"], ["a"], ["a", "b"]),
    lambda: kv.score("question_type", None, None, None), lambda: list(kv.iter_lines(5, "x")),
    lambda: list(kv.iter_lines(io.StringIO("a"), "x")), lambda: kv.precision_recall(np.array([]), np.array([])),
    lambda: kv.precision_recall(["a"], [1]), lambda: kv.flag_thresholds([float("nan"), 0.2], [1, 0]),
    lambda: kv.flag_thresholds([0.3, 0.2], [1, 0], min_recall=2), lambda: kv.expected_calibration_error([0.1], [1]),
    lambda: kv.load_model().classify_texts([1]), lambda: kv.batch_classifier(prefix=5),
    lambda: kv.classify("Hoeveel?").policy_area.top(1.5),
], ids=["post-none", "post-date", "post-person", "third-person", "canonical", "score-lengths", "score-none",
        "lines-int", "lines-text-mode", "pr-empty", "pr-strings", "flag-nan", "flag-recall", "ece-shape",
        "classify-texts", "prefix", "top-float"])
def test_public_functions_refuse_bad_arguments_with_a_library_error(call: Callable[[], object]) -> None:
    with pytest.raises(kv.InputError):
        call()


def test_public_functions_take_numpy_and_iso_arguments() -> None:
    assert kv.areas_of_post("minister van Defensie", on="2020-01-01") == ("defensie",)
    assert len(kv.classify("Hoeveel boetes zijn er uitgedeeld?").policy_area.top(np.int64(2))) == 2
