"""The on-disk model format: save, load, verify. No pickle, no code execution.

A ``.kvc`` file is::

    b"KVCMODEL" | format version (uint32 LE) | sha256 of the payload (32 bytes) | payload

The payload is a zip archive of plain data: ``manifest.json`` (format
version, heads, sha256 of every member), ``card.json`` (the model card) and
per head ``head.json`` (head kind, task, classes, feature config, temperature
and the kind's own fields, e.g. ``precedence``), ``vocabulary.txt`` (one term
per line), the n-gram look-up tables of every feature kind (``words-*``,
``chars-*``: symbols, unigram ids, per length sorted keys and ids) and the weights,
all ``.npy`` arrays read with ``allow_pickle=False``. Any changed byte fails the digest check before a
single member is parsed; the file does not depend on the scikit-learn version.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import struct
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import numpy as np

from .errors import ModelError, ModelIntegrityError, ModelNotFoundError, ModelVersionError
from .feature_kinds import FEATURE_KINDS
from .features import FeatureConfig, Featurizer, NgramIndex
from .heads import HEAD_KINDS, Head
from .model import Model
from .version import FORMAT_VERSION

__all__ = ["save_model", "read_model", "file_sha256", "atomic_write_bytes"]

_MAGIC = b"KVCMODEL"
_HEADER = struct.Struct("<8sI32s")
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # fixed timestamps: the same model gives the same bytes


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to ``path`` so that the target is either the old file or the whole new one."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp creates 0600; a saved model is an ordinary file
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def file_sha256(path: str | os.PathLike[str]) -> str:
    """The sha256 hex digest of a file."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _npy(array: np.ndarray) -> bytes:
    buf = io.BytesIO()
    np.save(buf, array, allow_pickle=False)
    return buf.getvalue()


def _to_bytes(model: Model) -> bytes:
    members: dict[str, bytes] = {}
    heads = []
    for i, (task, head) in enumerate(model.heads.items()):
        prefix = f"heads/{i}/"
        heads.append({"task": task, "path": prefix})
        meta: dict[str, Any] = {**head.to_meta(), "features": head.featurizer.config.to_dict()}
        members[prefix + "vocabulary.txt"] = "\n".join(head.featurizer.vocabulary).encode()
        levels = {}
        for kind, feature_kind in head.featurizer.kinds.items():
            index = feature_kind.index
            members[prefix + f"{kind}-symbols.txt"] = "\n".join(index.symbols).encode()
            members[prefix + f"{kind}-unigram.npy"] = _npy(index.unigram.astype(np.int32))
            for n, (keys, ids) in enumerate(index.levels, start=2):
                members[prefix + f"{kind}-{n}-keys.npy"] = _npy(keys)
                members[prefix + f"{kind}-{n}-ids.npy"] = _npy(ids.astype(np.int32))
            levels[kind] = len(index.levels)
        members[prefix + "idf.npy"] = _npy(head.featurizer.idf)
        # Weights are float16-exact (training rounds them), so half precision loses nothing.
        members[prefix + "coef.npy"] = _npy(head.coef.astype(np.float16))
        members[prefix + "intercept.npy"] = _npy(head.intercept)
        meta["ngram_levels"] = levels
        members[prefix + "head.json"] = json.dumps(meta, ensure_ascii=False, indent=1).encode()
    card = {**model.card, "format_version": FORMAT_VERSION}
    members["card.json"] = json.dumps(card, ensure_ascii=False, indent=1, sort_keys=True).encode()
    manifest = {
        "format_version": FORMAT_VERSION,
        "heads": heads,
        "files": {name: hashlib.sha256(data).hexdigest() for name, data in sorted(members.items())},
    }
    members["manifest.json"] = json.dumps(manifest, indent=1).encode()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        for name in sorted(members):
            # Arrays barely compress; storing them plain makes loading a copy, not an inflate.
            method = zipfile.ZIP_STORED if name.endswith(".npy") else zipfile.ZIP_DEFLATED
            zf.writestr(zipfile.ZipInfo(name, _ZIP_DATE), members[name], compress_type=method)
    payload = buf.getvalue()
    return _HEADER.pack(_MAGIC, FORMAT_VERSION, hashlib.sha256(payload).digest()) + payload


def save_model(model: Model, path: str | os.PathLike[str]) -> str:
    """Write ``model`` to ``path`` atomically; return the file's sha256.

    Examples
    --------
    >>> import kvclassify as kv, tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "copy.kvc")
    >>> digest = kv.save_model(kv.load_model(), path)
    >>> kv.load_model(path).info.sha256 == digest
    True
    """
    if not isinstance(model, Model):
        raise TypeError(f"save_model expects a kvclassify Model, got {type(model).__name__}")
    data = _to_bytes(model)
    atomic_write_bytes(path, data)
    return hashlib.sha256(data).hexdigest()


def read_model(path: str | os.PathLike[str]) -> Model:
    """Read and verify a ``.kvc`` file (see the module docstring); raise a ``ModelError`` if unusable."""
    p = Path(path)
    if not p.exists():
        raise ModelNotFoundError(f"model file not found: {p}")
    if p.is_dir():
        raise ModelNotFoundError(f"model path is a directory, not a .kvc file: {p}")
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise ModelNotFoundError(f"cannot read model file {p}: {exc.strerror or exc}") from None
    if len(raw) < _HEADER.size:
        raise ModelIntegrityError(f"{p} is truncated or not a kvclassify model ({len(raw)} bytes)")
    magic, version, digest = _HEADER.unpack_from(raw)
    if magic != _MAGIC:
        raise ModelIntegrityError(f"{p} is not a kvclassify model file (bad magic bytes)")
    if version < 1:
        raise ModelIntegrityError(f"{p} has an invalid format version ({version}): the file is corrupted")
    if version > FORMAT_VERSION:
        raise ModelVersionError(
            f"{p} has model format version {version}; this kvclassify reads up to {FORMAT_VERSION}: "
            "upgrade kvclassify"
        )
    payload = raw[_HEADER.size :]
    if hashlib.sha256(payload).digest() != digest:
        raise ModelIntegrityError(
            f"{p} fails its sha256 check: the file is corrupted, truncated or was modified"
        )
    try:
        return _from_payload(payload, version, hashlib.sha256(raw).hexdigest())
    except (KeyError, ValueError, TypeError, zipfile.BadZipFile, json.JSONDecodeError) as exc:
        # A payload that passes the digest but does not parse was written wrongly.
        raise ModelIntegrityError(f"{p} passes its checksum but its contents are invalid: {exc}") from None


def _lines(data: bytes) -> list[str]:
    text = data.decode("utf-8")
    return text.split("\n") if text else []


def _kind(meta: dict[str, Any]) -> str:
    """The head kind of a ``head.json``; files written before kinds were named say it by ``precedence``."""
    return str(meta.get("kind") or ("precedence" if meta.get("precedence") else "softmax"))


def _from_payload(payload: bytes, version: int, sha256: str) -> Model:
    with zipfile.ZipFile(io.BytesIO(payload)) as zf:
        members = {name: zf.read(name) for name in zf.namelist()}
    manifest = json.loads(members["manifest.json"])
    if manifest.get("format_version") != version:
        # The header's version is outside the digest: a mismatch means the header was changed.
        raise ModelIntegrityError(
            f"the header says format version {version} but the manifest {manifest.get('format_version')}"
        )
    for name, expected in manifest["files"].items():
        if hashlib.sha256(members[name]).hexdigest() != expected:
            raise ModelIntegrityError(f"member {name} fails its sha256 check")

    def array(name: str) -> np.ndarray:
        return np.load(io.BytesIO(members[name]), allow_pickle=False)

    heads: dict[str, Head] = {}
    for entry in manifest["heads"]:
        prefix = entry["path"]
        meta: dict[str, Any] = json.loads(members[prefix + "head.json"])
        indexes = {
            kind: NgramIndex(
                tuple(_lines(members[prefix + f"{kind}-symbols.txt"])),
                array(prefix + f"{kind}-unigram.npy").astype(np.int64),
                tuple(
                    (array(prefix + f"{kind}-{n}-keys.npy"), array(prefix + f"{kind}-{n}-ids.npy").astype(np.int64))
                    for n in range(2, int(meta["ngram_levels"][kind]) + 2)
                ),
            )
            for kind in FEATURE_KINDS
        }
        featurizer = Featurizer(
            FeatureConfig.from_dict(meta["features"]),
            _lines(members[prefix + "vocabulary.txt"]),
            array(prefix + "idf.npy"),
            indexes,
        )
        heads[meta["task"]] = HEAD_KINDS[_kind(meta)].from_params(
            meta["task"],
            meta["classes"],
            featurizer,
            array(prefix + "coef.npy").astype(np.float32),
            array(prefix + "intercept.npy"),
            float(meta["temperature"]),
            meta,
        )
    card = json.loads(members["card.json"])
    if not isinstance(card, dict):
        raise ModelError("card.json is not an object")
    return Model(heads, card, sha256)
