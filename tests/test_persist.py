"""Model-file safety: every unusable file is its own ModelError, and saving is atomic."""

from __future__ import annotations

import os
import struct
from pathlib import Path

import pytest

import kvclassify as kv
from kvclassify import persist
from kvclassify.api import shipped_model_path
from kvclassify.cli import main
from kvclassify.version import FORMAT_VERSION

HEADER = 8 + 4 + 32  # magic, format version, sha256 of the payload
TEXTS = ["Bent u bereid de Kamer te informeren?", "Hoeveel mensen wachten op een woning?"]


@pytest.fixture(scope="module")
def small_model() -> kv.Model:
    rows = [{"text": t, "flag": f} for t, f in [
        ("Bent u bereid dit te onderzoeken?", "yes"), ("Wilt u de Kamer informeren?", "yes"),
        ("Gaat u maatregelen nemen?", "yes"), ("Hoeveel mensen wachten?", "no"),
        ("Wat is de stand van zaken?", "no"), ("Klopt het dat dit gebeurde?", "no")]]
    return kv.train(rows, label_fields="flag", config=kv.TrainConfig(validation="none"))


@pytest.fixture(scope="module")
def raw(small_model: kv.Model, tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """A model file written by this code (so a corrupted copy fails for the corruption alone)."""
    path = tmp_path_factory.mktemp("model") / "small.kvc"
    kv.save_model(small_model, path)
    kv.load_model(path)  # the intact file loads
    return path.read_bytes()


def test_shipped_model_loads_and_verifies() -> None:
    model = kv.load_model(shipped_model_path())
    assert model.info.sha256 == persist.file_sha256(shipped_model_path())


def _write(tmp_path: Path, data: bytes, name: str = "m.kvc") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_round_trip_is_byte_identical(tmp_path: Path, small_model: kv.Model) -> None:
    a, b = tmp_path / "a.kvc", tmp_path / "b.kvc"
    digest = kv.save_model(small_model, a)
    loaded = kv.load_model(a)
    assert loaded.info.sha256 == digest == persist.file_sha256(a)
    kv.save_model(loaded, b)
    assert a.read_bytes() == b.read_bytes()
    assert [c.to_dict() for c in kv.classify_many(TEXTS, model=loaded)] == [
        c.to_dict() for c in kv.classify_many(TEXTS, model=small_model)
    ]


def test_missing(tmp_path: Path) -> None:
    with pytest.raises(kv.ModelNotFoundError, match="not found"):
        kv.load_model(tmp_path / "nope.kvc")
    # also a FileNotFoundError, for callers that catch that
    with pytest.raises(FileNotFoundError):
        kv.load_model(str(tmp_path / "nope.kvc"))


def test_directory(tmp_path: Path) -> None:
    with pytest.raises(kv.ModelNotFoundError, match="directory"):
        kv.load_model(tmp_path)


@pytest.mark.skipif(os.geteuid() == 0 if hasattr(os, "geteuid") else True, reason="root reads any file")
def test_unreadable(tmp_path: Path, raw: bytes) -> None:
    path = _write(tmp_path, raw)
    path.chmod(0)
    with pytest.raises(kv.ModelError, match="cannot read"):
        kv.load_model(path)


@pytest.mark.parametrize("size", [0, 1, 7, HEADER - 1, HEADER, HEADER + 1, 1000, "half", "minus1"])
def test_truncated(tmp_path: Path, raw: bytes, size: int | str) -> None:
    n = {"half": len(raw) // 2, "minus1": len(raw) - 1}.get(size, size)  # type: ignore[call-overload]
    with pytest.raises(kv.ModelIntegrityError):
        kv.load_model(_write(tmp_path, raw[:n]))


def test_appended_bytes(tmp_path: Path, raw: bytes) -> None:
    with pytest.raises(kv.ModelIntegrityError, match="sha256"):
        kv.load_model(_write(tmp_path, raw + b"\x00"))


_OFFSETS = {
    "magic-first": 0,
    "magic-last": 7,
    "digest-first": 12,
    "digest-last": HEADER - 1,
    "payload-first": HEADER,
    "payload-second": HEADER + 1,
    "payload-quarter": "q",
    "middle": "m",
    "payload-three-quarters": "3q",
    "last": -1,
}


@pytest.mark.parametrize("offset", list(_OFFSETS.values()), ids=list(_OFFSETS))
@pytest.mark.parametrize("flip", [0x01, 0x80, 0xFF])
def test_one_byte_changed(tmp_path: Path, raw: bytes, offset: int | str, flip: int) -> None:
    n = len(raw)
    pos = {"q": n // 4, "m": n // 2, "3q": 3 * n // 4}.get(offset, offset)  # type: ignore[call-overload]
    data = bytearray(raw)
    data[pos] ^= flip
    with pytest.raises(kv.ModelIntegrityError) as info:
        kv.load_model(_write(tmp_path, bytes(data)))
    assert "\n" not in str(info.value)


@pytest.mark.parametrize("version", [2, 255])
def test_version_byte_raised_is_a_version_error(tmp_path: Path, raw: bytes, version: int) -> None:
    """The format version field (bytes 8-11) changed to a higher value reads as a newer format."""
    data = raw[:8] + struct.pack("<I", FORMAT_VERSION + version - 1) + raw[12:]
    with pytest.raises(kv.ModelVersionError, match="upgrade"):
        kv.load_model(_write(tmp_path, data))


def test_version_byte_lowered_is_detected(tmp_path: Path, raw: bytes) -> None:
    assert FORMAT_VERSION >= 1
    data = raw[:8] + struct.pack("<I", FORMAT_VERSION - 1) + raw[12:]
    with pytest.raises(kv.ModelIntegrityError):
        kv.load_model(_write(tmp_path, data))


def test_newer_format_version(tmp_path: Path, raw: bytes) -> None:
    data = raw[:8] + struct.pack("<I", FORMAT_VERSION + 1) + raw[12:]
    with pytest.raises(kv.ModelVersionError) as info:
        kv.load_model(_write(tmp_path, data))
    assert f"version {FORMAT_VERSION + 1}" in str(info.value) and "upgrade" in str(info.value)


@pytest.mark.parametrize("data", [b"", b"not a model at all, just text" * 4, b"PK\x03\x04" + b"\x00" * 60])
def test_not_a_model(tmp_path: Path, data: bytes) -> None:
    with pytest.raises(kv.ModelIntegrityError):
        kv.load_model(_write(tmp_path, data))


def _boom(*_a: object) -> None:
    raise OSError(28, "No space left on device")


def _leftovers(folder: Path, expected: set[str]) -> list[str]:
    """Files in ``folder`` other than ``expected``: a temporary file left behind would show here."""
    return sorted(p.name for p in folder.iterdir() if p.name not in expected)


@pytest.mark.parametrize("where", ["fsync", "replace"])
def test_failed_save_keeps_the_old_file(
    tmp_path: Path, small_model: kv.Model, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    target = tmp_path / "model.kvc"
    target.write_bytes(b"old content")
    monkeypatch.setattr(os, where, _boom)
    with pytest.raises(OSError, match="No space left"):
        kv.save_model(small_model, target)
    monkeypatch.undo()
    assert target.read_bytes() == b"old content"
    assert _leftovers(tmp_path, {"model.kvc"}) == []


def test_interrupted_save_of_a_new_file_leaves_nothing(
    tmp_path: Path, small_model: kv.Model, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(os, "replace", _boom)
    with pytest.raises(OSError):
        kv.save_model(small_model, tmp_path / "new.kvc")
    monkeypatch.undo()
    assert _leftovers(tmp_path, set()) == []


def test_keyboard_interrupt_during_save_cleans_up(
    tmp_path: Path, small_model: kv.Model, monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupt(*_a: object) -> None:
        raise KeyboardInterrupt

    target = tmp_path / "model.kvc"
    kv.save_model(small_model, target)
    before = target.read_bytes()
    monkeypatch.setattr(os, "fsync", interrupt)
    with pytest.raises(KeyboardInterrupt):
        kv.save_model(small_model, target)
    monkeypatch.undo()
    assert target.read_bytes() == before
    assert kv.load_model(target).info.sha256 == persist.file_sha256(target)
    assert _leftovers(tmp_path, {"model.kvc"}) == []


def test_save_replaces_the_whole_file(tmp_path: Path, small_model: kv.Model) -> None:
    target = tmp_path / "model.kvc"
    target.write_bytes(b"x" * 5_000_000)  # a longer old file must leave no tail
    kv.save_model(small_model, target)
    kv.load_model(target)
    assert _leftovers(tmp_path, {"model.kvc"}) == []


def test_save_to_a_directory_fails_cleanly(tmp_path: Path, small_model: kv.Model) -> None:
    target = tmp_path / "adir"
    target.mkdir()
    with pytest.raises(OSError):
        kv.save_model(small_model, target)
    assert target.is_dir() and list(target.iterdir()) == []
    assert _leftovers(tmp_path, {"adir"}) == []


def test_save_rejects_a_non_model(tmp_path: Path) -> None:
    with pytest.raises(TypeError):
        kv.save_model("not a model", tmp_path / "m.kvc")  # type: ignore[arg-type]
    assert _leftovers(tmp_path, set()) == []


_TRAIN_ROWS = (
    '{"text": "Bent u bereid dit te onderzoeken?", "flag": "yes"}\n'
    '{"text": "Wilt u de Kamer informeren?", "flag": "yes"}\n'
    '{"text": "Gaat u maatregelen nemen?", "flag": "yes"}\n'
    '{"text": "Hoeveel mensen wachten?", "flag": "no"}\n'
    '{"text": "Wat is de stand van zaken?", "flag": "no"}\n'
    '{"text": "Klopt het dat dit gebeurde?", "flag": "no"}\n'
)


def test_cli_train_out_is_atomic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "train.jsonl"
    data.write_text(_TRAIN_ROWS)
    out = tmp_path / "out" / "model.kvc"
    argv = ["train", "--data", str(data), "--label", "flag", "--out", str(out), "--validation", "none"]
    assert main(argv) == 0
    good = out.read_bytes()
    kv.load_model(out)
    capsys.readouterr()

    monkeypatch.setattr(os, "replace", _boom)
    assert main(argv + ["--seed", "1"]) == 1
    monkeypatch.undo()
    _, err = capsys.readouterr()
    last = err.splitlines()[-1]
    assert last.startswith("kvclassify: error:") and "No space left" in last and "Traceback" not in err
    assert out.read_bytes() == good
    assert _leftovers(out.parent, {"model.kvc"}) == []


def test_cli_train_out_is_a_directory(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "train.jsonl"
    data.write_text(_TRAIN_ROWS)
    target = tmp_path / "adir"
    target.mkdir()
    rc = main(["train", "--data", str(data), "--label", "flag", "--out", str(target), "--validation", "none"])
    err = capsys.readouterr().err
    assert rc == 1
    assert err.splitlines()[-1].startswith("kvclassify: error:") and "Traceback" not in err
    assert _leftovers(tmp_path, {"adir", "train.jsonl"}) == []
    assert list(target.iterdir()) == []
