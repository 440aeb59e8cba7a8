"""The on-disk model format: save, load, verify. No pickle, no code execution.

A ``.kvc`` file is::

    b"KVCMODEL" | format version (uint32 LE) | sha256 of the payload (32 bytes) | payload

The payload is a zip archive of plain data: ``manifest.json`` (format
version, heads, sha256 of every member, for tools: the loader relies on the
payload digest, which covers them), ``card.json`` (the model card) and
per head ``head.json`` (head kind, task, classes, feature config, temperature
and the kind's own fields, e.g. ``precedence``), ``vocabulary.txt`` (one term
per line), the n-gram look-up tables of every feature kind (``words-*``,
``chars-*``: symbols, unigram ids, per length sorted keys and ids) and the weights,
all ``.npy`` arrays read with ``allow_pickle=False``. Any changed byte fails the digest check before a
single member is parsed; the file does not depend on the scikit-learn version.

Loading assumes a hostile file whose author recomputed every checksum: the
reading is bounded (:mod:`kvclassify.archive`), every JSON field is checked
(:mod:`kvclassify.schema`) and every array's type, shape and values before a
table is built, and the model must classify a sample text at the end. Every
failure is a ``ModelIntegrityError`` (see ``SECURITY.md``).
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import struct
import zipfile
import zlib
from pathlib import Path
from typing import Any

import numpy as np

from .archive import Limits, open_members, parse_json, parse_npy, read_file, read_member
from .errors import InputError, ModelError, ModelIntegrityError, ModelVersionError
from .feature_kinds import FEATURE_KINDS
from .features import Featurizer, TermLines
from .heads import HEAD_KINDS, Head
from .model import Model
from .ngrams import NgramIndex, check_tables
from .results import task_name_clash
from .schema import check_card, check_card_entries, check_head_meta, check_manifest, finite, head_kind
from .version import FORMAT_VERSION
from .writing import atomic_write_bytes

__all__ = ["save_model", "read_model", "file_sha256"]

_MAGIC = b"KVCMODEL"
_HEADER = struct.Struct("<8sI32s")
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # fixed timestamps: the same model gives the same bytes
_SMOKE_TEXT = "Bent u bereid de Kamer te informeren over de stand van zaken?"
# What a payload that passes its digest may still raise while it is read; each becomes ModelIntegrityError.
_MALFORMED = (KeyError, ValueError, TypeError, IndexError, OverflowError, EOFError, zipfile.BadZipFile, zlib.error,
              NotImplementedError, ModelError)


def file_sha256(path: str | os.PathLike[str]) -> str:
    """The sha256 hex digest of a file.

    Examples
    --------
    >>> import tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "empty")
    >>> open(path, "wb").close(); file_sha256(path)[:16]
    'e3b0c44298fc1c14'
    """
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
        raise InputError(f"save_model expects a kvclassify Model, got {type(model).__name__}")
    try:
        check_card_entries(model.card)
    except ValueError as exc:
        raise InputError(f"cannot save this model: {exc}") from None
    data = _to_bytes(model)
    atomic_write_bytes(path, data)
    return hashlib.sha256(data).hexdigest()


def read_model(path: str | os.PathLike[str], limits: Limits | None = None) -> Model:
    """Read and verify a ``.kvc`` file (see the module docstring); raise a ``ModelError`` if unusable.

    ``limits`` defaults to :meth:`Limits.from_env`.

    Examples
    --------
    >>> import kvclassify as kv
    >>> from kvclassify.api import shipped_model_path
    >>> read_model(shipped_model_path()).tasks
    ('question_type', 'policy_area')
    """
    p = Path(path)
    limits = limits or Limits.from_env()
    raw = read_file(p, limits)
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
        model = _from_payload(payload, version, hashlib.sha256(raw).hexdigest(), limits)
        _smoke_test(model)
    except ModelIntegrityError as exc:
        raise ModelIntegrityError(f"{p}: {exc}") from None
    except _MALFORMED as exc:
        # A payload that passes the digest but does not parse was written wrongly, or crafted.
        raise ModelIntegrityError(f"{p} passes its checksum but its contents are invalid: {exc}") from None
    return model


class _Members(dict[str, bytes]):
    """Member bytes by name that remember which were used: a member no head reads is refused."""

    def __init__(self) -> None:
        super().__init__()
        self.used: set[str] = set()

    def __getitem__(self, name: str) -> bytes:
        if name not in self:
            raise ModelIntegrityError(f"the archive lacks the member {name}")
        self.used.add(name)
        return super().__getitem__(name)


def _members(payload: bytes, version: int, limits: Limits) -> tuple[dict[str, Any], _Members]:
    """The checked manifest and every member's bytes; nothing outside the manifest is inflated."""
    archive, infos = open_members(payload, limits)
    with archive:
        if "manifest.json" not in infos:
            raise ModelIntegrityError("the archive has no manifest.json")
        manifest = check_manifest(
            parse_json("manifest.json", read_member(archive, infos["manifest.json"]), limits), version
        )
        listed = set(manifest["files"]) | {"manifest.json"}
        if set(infos) != listed:
            extra, missing = sorted(set(infos) - listed), sorted(listed - set(infos))
            raise ModelIntegrityError(f"members not in the manifest: {extra}; in the manifest but absent: {missing}")
        members = _Members()
        # The payload digest, checked before, covers every byte of every member: hashing each member
        # again would add a pass over the file and no protection (a forger recomputes both).
        for name in manifest["files"]:
            members[name] = read_member(archive, infos[name])
    return manifest, members


def _lines(member: str, data: bytes) -> TermLines:
    text = data.decode("utf-8")
    # An empty line, checked on the text: the lines are split only when they are read.
    if text.startswith("\n") or text.endswith("\n") or "\n\n" in text:
        raise ModelIntegrityError(f"{member} has an empty line")
    return TermLines(text)


def _index(members: dict[str, bytes], prefix: str, kind: str, levels: int, n_features: int) -> NgramIndex:
    """One feature kind's n-gram tables, each array checked against the vocabulary before the index is built."""
    symbols = _lines(f"{prefix}{kind}-symbols.txt", members[f"{prefix}{kind}-symbols.txt"]).split()
    arrays = []
    for n in range(2, levels + 2):
        keys = parse_npy(f"{kind}-{n}-keys", members[f"{prefix}{kind}-{n}-keys.npy"], "<i8", 1)
        ids = parse_npy(f"{kind}-{n}-ids", members[f"{prefix}{kind}-{n}-ids.npy"], "<i4", 1)
        arrays.append((keys, ids.astype(np.int64)))
    unigram = parse_npy(f"{kind}-unigram", members[f"{prefix}{kind}-unigram.npy"], "<i4", 1).astype(np.int64)
    check_tables(symbols, unigram, arrays, n_features)
    return NgramIndex(symbols, unigram, tuple(arrays))


def _head(members: dict[str, bytes], prefix: str, task: str, limits: Limits) -> Head:
    """One head, its JSON fields and arrays checked before its featurizer and weights are built."""
    member = prefix + "head.json"
    meta, config = check_head_meta(parse_json(member, members[member], limits), member, task)
    kind = HEAD_KINDS[head_kind(meta)]
    vocabulary = _lines(prefix + "vocabulary.txt", members[prefix + "vocabulary.txt"])
    n = len(vocabulary)
    idf = parse_npy(prefix + "idf.npy", members[prefix + "idf.npy"], "<f4", 1)
    n_out = kind.n_outputs(len(meta["classes"]))
    coef = parse_npy(prefix + "coef.npy", members[prefix + "coef.npy"], "<f2", 2)
    intercept = parse_npy(prefix + "intercept.npy", members[prefix + "intercept.npy"], "<f4", 1)
    if idf.shape != (n,) or coef.shape != (n, n_out) or intercept.shape != (n_out,):
        raise ModelIntegrityError(
            f"{prefix}: {n} terms, idf {idf.shape}, weights {coef.shape} / {intercept.shape} for {n_out} outputs"
        )
    finite(prefix + "idf.npy", idf, positive=True)
    finite(prefix + "coef.npy", coef)
    finite(prefix + "intercept.npy", intercept)
    indexes = {kind_name: _index(members, prefix, kind_name, meta["ngram_levels"][kind_name], n)
               for kind_name in FEATURE_KINDS}
    featurizer = Featurizer(config, vocabulary, idf, indexes)
    return kind.from_params(task, meta["classes"], featurizer, coef.astype(np.float32), intercept,
                            float(meta["temperature"]), meta)


def _from_payload(payload: bytes, version: int, sha256: str, limits: Limits) -> Model:
    manifest, members = _members(payload, version, limits)
    card = check_card(parse_json("card.json", members["card.json"], limits, constants=True), version)
    heads = {entry["task"]: _head(members, entry["path"], entry["task"], limits) for entry in manifest["heads"]}
    unused = sorted(set(members) - members.used)
    if unused:
        raise ModelIntegrityError(f"members that no head uses: {unused[:5]}")
    if (clash := task_name_clash(list(heads))) is not None:
        raise ModelIntegrityError(f"the model's tasks cannot be told apart in its results: {clash}")
    return Model(heads, card, sha256)


def _smoke_test(model: Model) -> None:
    """A loaded model must classify a sample text into finite probabilities that sum to 1."""
    for task, head in model.heads.items():
        p = head.predict_proba([_SMOKE_TEXT])
        if p.shape != (1, len(head.classes_)) or not np.isfinite(p).all() or abs(float(p.sum()) - 1) > 1e-4:
            raise ModelIntegrityError(f"head {task!r} does not give probabilities for a sample text")
