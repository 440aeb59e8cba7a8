"""Model-file safety: every unusable file is its own ModelError, and saving is atomic."""

from __future__ import annotations

import hashlib
import io
import json
import os
import struct
import time
import tracemalloc
import warnings
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
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
    assert rc == 3  # refused before training: --out is not a regular file
    assert err.splitlines()[-1].startswith("kvclassify: error:") and "Traceback" not in err
    assert _leftovers(tmp_path, {"adir", "train.jsonl"}) == []
    assert list(target.iterdir()) == []


# -- hostile files: the author knows the format and recomputes every checksum ------------------------------------

def _unzip(raw: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(raw[HEADER:])) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def _rezip(members: list[tuple[str, bytes]], method: int = zipfile.ZIP_STORED) -> bytes:
    buf = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # duplicate names are the point of one case
        with zipfile.ZipFile(buf, "w") as zf:
            for name, data in members:
                zf.writestr(zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0)), data, compress_type=method)
    return buf.getvalue()


def _sealed(payload: bytes, version: int = FORMAT_VERSION) -> bytes:
    return struct.pack("<8sI32s", b"KVCMODEL", version, hashlib.sha256(payload).digest()) + payload


def rebuild(raw: bytes, change: Callable[[dict[str, bytes]], None], *, extra: Sequence[tuple[str, bytes]] = (),
            manifest: Callable[[dict[str, Any]], None] | None = None, method: int = zipfile.ZIP_STORED) -> bytes:
    """A valid file around modified members: the manifest's digests and the header's are recomputed."""
    members = _unzip(raw)
    change(members)
    meta = json.loads(members.pop("manifest.json"))
    meta["files"] = {name: hashlib.sha256(data).hexdigest() for name, data in sorted(members.items())}
    if manifest is not None:
        manifest(meta)
    members["manifest.json"] = json.dumps(meta).encode()
    return _sealed(_rezip([*sorted(members.items()), *extra], method))


def _npy(array: np.ndarray) -> bytes:
    buf = io.BytesIO()
    np.save(buf, array, allow_pickle=False)
    return buf.getvalue()


def _set(name: str, data: bytes) -> Callable[[dict[str, bytes]], None]:
    return lambda members: members.__setitem__(name, data)


def _json_edit(name: str, edit: Callable[[Any], Any]) -> Callable[[dict[str, bytes]], None]:
    def change(members: dict[str, bytes]) -> None:
        members[name] = json.dumps(edit(json.loads(members[name]))).encode()
    return change


def _fake_npy_header(shape: tuple[int, ...], dtype: str = "<f2") -> bytes:
    """A .npy header declaring ``shape`` followed by a few bytes only."""
    header = f"{{'descr': '{dtype}', 'fortran_order': False, 'shape': {shape}, }}".encode()
    header += b" " * (-(len(header) + 11) % 64) + b"\n"
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header + b"\x00" * 64


def _with(meta: dict[str, Any], **fields: Any) -> dict[str, Any]:
    return {**meta, **fields}


H = "heads/0/"
HOSTILE: dict[str, Callable[[bytes], bytes]] = {
    "member not in the manifest": lambda r: _sealed(_rezip([*sorted(_unzip(r).items()), ("evil.bin", b"x")])),
    "listed member no head uses": lambda r: rebuild(r, _set("evil.bin", b"x")),
    "duplicate member": lambda r: rebuild(r, lambda m: None, extra=[("card.json", b"{}")]),
    "bzip2 member": lambda r: rebuild(r, lambda m: None, method=zipfile.ZIP_BZIP2),
    "npy header of 1e12 elements": lambda r: rebuild(r, _set(H + "coef.npy", _fake_npy_header((10**12, 2)))),
    "npy shape larger than its bytes": lambda r: rebuild(r, _set(H + "idf.npy", _fake_npy_header((1000,), "<f4"))),
    "object array": lambda r: rebuild(r, _set(H + "idf.npy", _fake_npy_header((8,), "|O"))),
    "Fortran-order weights": lambda r: rebuild(r, lambda m: m.__setitem__(H + "coef.npy", _npy(np.asfortranarray(
        np.load(io.BytesIO(m[H + "coef.npy"])))))),
    "float64 idf": lambda r: rebuild(r, lambda m: m.__setitem__(H + "idf.npy", _npy(np.load(io.BytesIO(
        m[H + "idf.npy"])).astype("<f8")))),
    "2-D idf": lambda r: rebuild(r, lambda m: m.__setitem__(H + "idf.npy", _npy(np.load(io.BytesIO(
        m[H + "idf.npy"]))[:, None]))),
    "NaN idf": lambda r: rebuild(r, lambda m: m.__setitem__(H + "idf.npy", _npy(np.load(io.BytesIO(
        m[H + "idf.npy"])) * np.float32("nan")))),
    "negative idf": lambda r: rebuild(r, lambda m: m.__setitem__(H + "idf.npy", _npy(-np.load(io.BytesIO(
        m[H + "idf.npy"]))))),
    "infinite weight": lambda r: rebuild(r, lambda m: m.__setitem__(H + "coef.npy", _npy(np.load(io.BytesIO(
        m[H + "coef.npy"])) * np.float16("inf")))),
    "feature id out of range": lambda r: rebuild(r, lambda m: m.__setitem__(H + "chars-3-ids.npy", _npy(np.load(
        io.BytesIO(m[H + "chars-3-ids.npy"])) + 10**6))),
    "unsorted keys": lambda r: rebuild(r, lambda m: m.__setitem__(H + "chars-3-keys.npy", _npy(np.load(
        io.BytesIO(m[H + "chars-3-keys.npy"]))[::-1].copy()))),
    "key beyond its space": lambda r: rebuild(r, lambda m: m.__setitem__(H + "chars-2-keys.npy", _npy(np.load(
        io.BytesIO(m[H + "chars-2-keys.npy"])) + 10**9))),
    "vocabulary longer than idf": lambda r: rebuild(r, lambda m: m.__setitem__(H + "vocabulary.txt",
                                                                               m[H + "vocabulary.txt"] + b"\nextra")),
    "two characters as one symbol": lambda r: rebuild(r, lambda m: m.__setitem__(H + "chars-symbols.txt",
                                                                                 m[H + "chars-symbols.txt"] + b"ab")),
    "no clause marker": lambda r: rebuild(r, lambda m: m.__setitem__(H + "words-symbols.txt",
                                                                     b"x" + m[H + "words-symbols.txt"][1:])),
    "deeply nested card": lambda r: rebuild(r, _set("card.json", b"[" * 200_000 + b"]" * 200_000)),
    "card not an object": lambda r: rebuild(r, _set("card.json", b"[1, 2]")),
    "card of another format version": lambda r: rebuild(r, _json_edit("card.json", lambda c: _with(
        c, format_version="1"))),
    "commitment threshold a string": lambda r: rebuild(r, _json_edit("card.json", lambda c: _with(
        c, commitment={"threshold": "abc"}))),
    "commitment threshold above 1": lambda r: rebuild(r, _json_edit("card.json", lambda c: _with(
        c, commitment={"threshold": 0.2, "strict_threshold": 7}))),
    "commitment entry a list": lambda r: rebuild(r, _json_edit("card.json", lambda c: _with(c, commitment=[1, 2]))),
    "NaN in a head": lambda r: rebuild(r, _json_edit(H + "head.json", lambda h: _with(h, temperature=float("nan")))),
    "classes not a list": lambda r: rebuild(r, _json_edit(H + "head.json", lambda h: _with(h, classes="ab"))),
    "temperature a string": lambda r: rebuild(r, _json_edit(H + "head.json", lambda h: _with(h, temperature="1"))),
    "temperature underflows": lambda r: rebuild(r, _json_edit(H + "head.json", lambda h: _with(h, temperature=1e-300))),
    "unknown feature field": lambda r: rebuild(r, _json_edit(H + "head.json", lambda h: _with(
        h, features={**h["features"], "evil": 1}))),
    "ngram range of floats": lambda r: rebuild(r, _json_edit(H + "head.json", lambda h: _with(
        h, features={**h["features"], "word_ngrams": [1.0, 2.0]}))),
    "negative n-gram levels": lambda r: rebuild(r, _json_edit(H + "head.json", lambda h: _with(
        h, ngram_levels={"words": -1, "chars": 0}))),
    "unknown head kind": lambda r: rebuild(r, _json_edit(H + "head.json", lambda h: _with(h, kind="evil"))),
    "precedence of numbers": lambda r: rebuild(r, _json_edit(H + "head.json", lambda h: _with(h, precedence=[1, 2]))),
    "task differs from the manifest": lambda r: rebuild(r, _json_edit(H + "head.json", lambda h: _with(h, task="x"))),
    "manifest head folder elsewhere": lambda r: rebuild(r, lambda m: None, manifest=lambda mf: mf["heads"][0].update(
        path="../")),
    "manifest digest not hex": lambda r: rebuild(r, lambda m: None, manifest=lambda mf: mf["files"].update(
        {"card.json": "z" * 64})),
    "manifest nested too deep": lambda r: rebuild(r, lambda m: None, manifest=lambda mf: mf.update(
        deep=json.loads("[" * 40 + "]" * 40))),
}


@pytest.mark.parametrize("case", list(HOSTILE), ids=list(HOSTILE))
def test_hostile_file_is_an_integrity_error(tmp_path: Path, raw: bytes, case: str) -> None:
    path = _write(tmp_path, HOSTILE[case](raw))
    start = time.perf_counter()
    with pytest.raises(kv.ModelIntegrityError):
        kv.load_model(path)
    assert time.perf_counter() - start < 2.0


def test_rebuild_without_a_change_loads(tmp_path: Path, raw: bytes) -> None:
    """The helper itself makes valid files: every hostile case fails for its change alone."""
    loaded = kv.load_model(_write(tmp_path, rebuild(raw, lambda m: None)))
    assert loaded.tasks == ("flag",)


def _patch_declared_size(data: bytes, name: bytes, size: int) -> bytes:
    """Set the uncompressed size a member declares, in its local header and the central directory."""
    out = bytearray(data)
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = out.find(signature + b"")
        while at >= 0:
            name_at = at + (30 if signature == b"PK\x03\x04" else 46)
            if out[name_at : name_at + len(name)] == name:
                out[at + offset : at + offset + 4] = struct.pack("<I", size)
            at = out.find(signature, at + 4)
    return bytes(out)


@pytest.mark.parametrize("declared", [1 << 30, 3])
def test_declared_member_size_is_checked_before_inflating(tmp_path: Path, raw: bytes, declared: int) -> None:
    payload = _rezip(sorted(_unzip(raw).items()), zipfile.ZIP_DEFLATED)
    payload = _patch_declared_size(payload, b"card.json", declared)
    with pytest.raises(kv.ModelIntegrityError, match="card.json"):
        kv.load_model(_write(tmp_path, _sealed(payload)))


def test_a_zero_member_over_the_limit_is_refused_without_inflating(tmp_path: Path, raw: bytes) -> None:
    # A 65 MiB zero member (65 KB deflated) against the default limit of 64 MiB; a 1 GiB one took 2 GB before.
    zeros = b"\x00" * (65 << 20)
    path = _write(tmp_path, rebuild(raw, _set("zeros.bin", zeros), method=zipfile.ZIP_DEFLATED))
    del zeros
    tracemalloc.start()
    try:
        with pytest.raises(kv.ModelIntegrityError, match="over the limit"):
            kv.load_model(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 8 << 20


@pytest.mark.parametrize(("variable", "value"), [
    ("KVCLASSIFY_MAX_MODEL_BYTES", "1000"),
    ("KVCLASSIFY_MAX_MEMBERS", "5"),
    ("KVCLASSIFY_MAX_MODEL_MEMORY", "3000"),
    ("KVCLASSIFY_MAX_JSON_BYTES", "100"),
    ("KVCLASSIFY_MAX_JSON_DEPTH", "1"),
])
def test_each_limit_is_set_by_its_variable(tmp_path: Path, raw: bytes, monkeypatch: pytest.MonkeyPatch,
                                           variable: str, value: str) -> None:
    path = _write(tmp_path, raw)
    kv.load_model(path)
    monkeypatch.setenv(variable, value)
    with pytest.raises(kv.ModelIntegrityError):
        kv.load_model(path)


@pytest.mark.parametrize("value", ["0", "-5", "lots"])
def test_a_bad_limit_variable_is_a_model_error(tmp_path: Path, raw: bytes, monkeypatch: pytest.MonkeyPatch,
                                               value: str) -> None:
    monkeypatch.setenv("KVCLASSIFY_MAX_MEMBERS", value)
    with pytest.raises(kv.ModelError, match="KVCLASSIFY_MAX_MEMBERS must be a positive integer"):
        kv.load_model(_write(tmp_path, raw))


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_or_device_is_refused_without_reading(tmp_path: Path) -> None:
    fifo = tmp_path / "model.kvc"
    os.mkfifo(fifo)
    for path in (fifo, Path("/dev/zero")):
        with pytest.raises(kv.ModelNotFoundError, match="not a regular file"):
            kv.load_model(path)


def test_precedence_head_with_an_order_of_other_classes_is_refused(tmp_path: Path) -> None:
    shipped = shipped_model_path().read_bytes()
    path = _write(tmp_path, rebuild(shipped, _json_edit(H + "head.json", lambda h: _with(
        h, precedence=["commitment", "opinion", "other"]))))
    with pytest.raises(kv.ModelIntegrityError, match="not an order"):
        kv.load_model(path)


def test_a_path_with_a_nul_byte_is_an_input_error() -> None:
    with pytest.raises(kv.InputError, match="not a valid path"):
        kv.load_model("model\x00.kvc")


def test_a_card_that_cannot_be_written_is_refused_before_saving(tmp_path: Path) -> None:
    for card, match in (({"commitment": {"threshold": "abc"}}, "commitment.threshold"), ({"a": {1: "x"}}, "key 1")):
        with pytest.raises(kv.InputError, match=match):
            kv.save_model(kv.load_model().with_card(card), tmp_path / "m.kvc")
    assert not list(tmp_path.iterdir())
