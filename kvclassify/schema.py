"""The JSON members of a model file, checked field by field before anything is built from them.

Each function takes what ``json.loads`` returned and either returns it in
the types the reader uses or raises ``ModelIntegrityError`` naming the member
and the field.
"""

from __future__ import annotations

import json
import numbers
import re
from collections.abc import Iterable, Mapping
from dataclasses import fields
from typing import Any

import numpy as np

from .calibration import TEMPERATURE_RANGE
from .errors import ModelIntegrityError
from .feature_kinds import FEATURE_KINDS
from .features import FeatureConfig
from .heads import HEAD_KINDS

__all__ = ["check_manifest", "check_head_meta", "check_card", "head_kind", "finite", "MAX_HEADS", "MAX_CLASSES",
           "card_commitment", "check_card_entries", "threshold"]

MAX_HEADS = 64
MAX_CARD_NAME = 200  # characters of a card's name and version
MAX_CLASSES = 10_000
_MAX_NGRAM = 64  # longest n-gram, and most n-gram levels, a model may declare
_MIN_TEMPERATURE, _MAX_TEMPERATURE = TEMPERATURE_RANGE
_HEX64 = re.compile(r"[0-9a-f]{64}")


def _fail(member: str, message: str) -> ModelIntegrityError:
    return ModelIntegrityError(f"{member}: {message}")


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _int(member: str, name: str, value: Any, lo: int, hi: int) -> int:
    if not _is_int(value) or not lo <= value <= hi:
        raise _fail(member, f"{name} must be an integer in [{lo}, {hi}], got {value!r}")
    return int(value)


def _strings(member: str, name: str, value: Any, lo: int, hi: int) -> list[str]:
    if (
        not isinstance(value, list) or not lo <= len(value) <= hi
        or not all(isinstance(v, str) and v and v.isprintable() for v in value) or len(set(value)) != len(value)
    ):
        # Printable: task names and labels reach terminals and tables as they are (no line breaks, no escapes).
        raise _fail(member, f"{name} must be a list of {lo} to {hi} distinct non-empty printable strings")
    return value


def _object(member: str, value: Any, required: Iterable[str]) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _fail(member, "is not a JSON object")
    missing = sorted(set(required) - set(value))
    if missing:
        raise _fail(member, f"lacks the field(s) {', '.join(missing)}")
    return value


def check_manifest(manifest: Any, version: int) -> dict[str, Any]:
    """The manifest: its format version, heads (task and folder) and the sha256 of every member.

    Examples
    --------
    >>> check_manifest({"format_version": 1, "heads": [{"task": "t", "path": "heads/0/"}],
    ...                 "files": {"card.json": "0" * 64}}, 1)["heads"]
    [{'task': 't', 'path': 'heads/0/'}]
    """
    member = "manifest.json"
    manifest = _object(member, manifest, ("format_version", "heads", "files"))
    if manifest["format_version"] != version or not _is_int(manifest["format_version"]):
        # The header's version is outside the digest: a mismatch means the header was changed.
        raise _fail(member, f"format version {manifest['format_version']!r} differs from the header's {version}")
    heads = manifest["heads"]
    if not isinstance(heads, list) or not 1 <= len(heads) <= MAX_HEADS:
        raise _fail(member, f"heads must be a list of 1 to {MAX_HEADS} entries")
    for i, entry in enumerate(heads):
        entry = _object(member, entry, ("task", "path"))
        if not isinstance(entry["task"], str) or not entry["task"] or entry["path"] != f"heads/{i}/":
            raise _fail(member, f"head {i} must have a task name and the folder 'heads/{i}/'")
    _strings(member, "the head tasks", [e["task"] for e in heads], 1, MAX_HEADS)
    files = manifest["files"]
    if not isinstance(files, dict) or not all(isinstance(v, str) and _HEX64.fullmatch(v) for v in files.values()):
        raise _fail(member, "files must map member names to sha256 hex digests")
    return manifest


def head_kind(meta: dict[str, Any]) -> str:
    """The head kind of a ``head.json``; files written before kinds were named say it by ``precedence``.

    Examples
    --------
    >>> head_kind({"kind": "softmax"}), head_kind({"precedence": ["b", "a"]}), head_kind({"precedence": None})
    ('softmax', 'precedence', 'softmax')
    """
    return str(meta.get("kind") or ("precedence" if meta.get("precedence") else "softmax"))


# Feature options added after the first model files: a file without them reads with these values.
_LATER_FEATURE_OPTIONS: dict[str, Any] = {"canonical_addressee": False}


def _feature_config(member: str, value: Any) -> FeatureConfig:
    names = [f.name for f in fields(FeatureConfig)]
    d = _object(member, value, [n for n in names if n not in _LATER_FEATURE_OPTIONS])
    d = {**_LATER_FEATURE_OPTIONS, **d}
    if set(d) != set(names):
        raise _fail(member, f"features has unknown fields {sorted(set(d) - set(names))}")
    for name in ("word_ngrams", "char_ngrams"):
        rng = d[name]
        if rng is not None and not (isinstance(rng, list) and len(rng) == 2 and all(_is_int(v) for v in rng)):
            raise _fail(member, f"features.{name} must be null or [min_n, max_n], got {rng!r}")
        if rng is not None and not 1 <= rng[0] <= rng[1] <= _MAX_NGRAM:
            raise _fail(member, f"features.{name} must satisfy 1 <= min_n <= max_n <= {_MAX_NGRAM}")
    _int(member, "features.clause_start", d["clause_start"], 0, _MAX_NGRAM)
    _int(member, "features.min_df", d["min_df"], 1, 2**62)
    if d["max_features"] is not None:
        _int(member, "features.max_features", d["max_features"], 1, 2**62)
    for flag in ("sublinear_tf", "canonical_addressee"):
        if not isinstance(d[flag], bool):
            raise _fail(member, f"features.{flag} must be true or false")
    try:
        return FeatureConfig.from_dict(d)
    except ValueError as exc:
        raise _fail(member, f"features: {exc}") from None


def check_head_meta(meta: Any, member: str, task: str) -> tuple[dict[str, Any], FeatureConfig]:
    """A ``head.json``: kind, task, classes, temperature, the kind's own fields, features and n-gram levels.

    Examples
    --------
    >>> meta = {"task": "t", "classes": ["a", "b"], "temperature": 1.0, "ngram_levels": {"words": 1, "chars": 0},
    ...         "features": FeatureConfig(char_ngrams=None).to_dict()}
    >>> check_head_meta(meta, "heads/0/head.json", "t")[1].word_ngrams
    (1, 2)
    >>> check_head_meta({**meta, "temperature": "hot"}, "head.json", "t")
    Traceback (most recent call last):
    ...
    kvclassify.errors.ModelIntegrityError: head.json: temperature must be a number in [1e-06, 1000000.0], got 'hot'
    """
    meta = _object(member, meta, ("task", "classes", "temperature", "features", "ngram_levels"))
    kind = head_kind(meta)
    if kind not in HEAD_KINDS:
        raise _fail(member, f"unknown head kind {kind!r}; known: {', '.join(HEAD_KINDS)}")
    if meta["task"] != task:
        raise _fail(member, f"task {meta['task']!r} differs from the manifest's {task!r}")
    _strings(member, "classes", meta["classes"], 2, MAX_CLASSES)
    t = meta["temperature"]
    if not isinstance(t, (int, float)) or isinstance(t, bool) or not _MIN_TEMPERATURE <= t <= _MAX_TEMPERATURE:
        raise _fail(member, f"temperature must be a number in [{_MIN_TEMPERATURE}, {_MAX_TEMPERATURE}], got {t!r}")
    if meta.get("precedence") is not None:
        _strings(member, "precedence", meta["precedence"], 2, MAX_CLASSES)
    levels = meta["ngram_levels"]
    if not isinstance(levels, dict) or set(levels) != set(FEATURE_KINDS):
        raise _fail(member, f"ngram_levels must give the levels of {', '.join(FEATURE_KINDS)}")
    for name, n in levels.items():
        _int(member, f"ngram_levels.{name}", n, 0, _MAX_NGRAM)
    return meta, _feature_config(member, meta["features"])


def check_card(card: Any, version: int) -> dict[str, Any]:
    """The model card: any JSON object whose ``format_version``, if present, is the file's.

    The rest is free-form: readers of the card (``ModelInfo``, ``kvclassify
    info``) cope with any content.

    Examples
    --------
    >>> check_card({"name": "mine", "anything": [1, {"else": None}]}, 1)["name"]
    'mine'
    """
    card = _object("card.json", card, ())
    if "format_version" in card and card["format_version"] != version:
        raise _fail("card.json", f"format_version {card['format_version']!r} differs from the file's {version}")
    try:
        card_names(card)
        card_commitment(card)  # the one entry prediction reads: a model that loads can classify
    except ValueError as exc:
        raise _fail("card.json", str(exc)) from None
    return card


def card_names(card: Mapping[str, Any]) -> None:
    """Refuse (``ValueError``) a card ``name`` or ``version`` longer than :data:`MAX_CARD_NAME`
    characters as text (``ModelInfo`` shows any value as text): both are written into every output's
    rows and header.

    Examples
    --------
    >>> card_names({"name": "mine", "version": "2"})
    >>> card_names({"name": "x" * 201})
    Traceback (most recent call last):
    ...
    ValueError: the card's 'name' must be at most 200 characters
    """
    for key in ("name", "version"):
        value = card.get(key)
        if value is not None and len(str(value)) > MAX_CARD_NAME:
            raise ValueError(f"the card's {key!r} must be at most {MAX_CARD_NAME} characters")


def check_card_entries(card: Mapping[str, Any]) -> None:
    """Refuse card entries a model file cannot hold (``ValueError``): JSON with string keys, and a commitment
    entry that prediction can read — checked before training, not when the trained model is saved.

    Examples
    --------
    >>> check_card_entries({"name": "mine", "n": 3})
    >>> check_card_entries({"a": {1: "x"}})
    Traceback (most recent call last):
    ...
    ValueError: card entries must be JSON with string keys (TypeError: key 1 is not a str)
    """
    try:
        # A non-str key would be written as a str ({1: "x"} reads back as {"1": "x"}), or fail to sort beside one.
        json.dumps(dict(card), sort_keys=True, ensure_ascii=False)
        _str_keys(card)
    except (TypeError, ValueError, RecursionError) as exc:
        raise ValueError(f"card entries must be JSON with string keys ({type(exc).__name__}: {exc})") from None
    card_names(card)
    card_commitment(card)


def _str_keys(value: Any) -> None:
    if isinstance(value, Mapping):
        bad = next((k for k in value if not isinstance(k, str)), None)
        if bad is not None:
            raise TypeError(f"key {bad!r} is not a str")
        for v in value.values():
            _str_keys(v)
    elif isinstance(value, (list, tuple)):
        for v in value:
            _str_keys(v)


def card_commitment(card: Mapping[str, Any]) -> tuple[float | None, float | None]:
    """The card's commitment ``threshold`` and ``strict_threshold`` (None where it names none).

    The one reading of the card's ``commitment`` entry, at load and when a
    threshold is asked for; a ``ValueError`` says what is wrong with it.

    Examples
    --------
    >>> card_commitment({"commitment": {"threshold": 0.2}})
    (0.2, None)
    >>> card_commitment({"commitment": {"threshold": "abc"}})
    Traceback (most recent call last):
    ...
    ValueError: the card's commitment.threshold must be a number between 0 and 1, got 'abc'
    """
    entry = card.get("commitment")
    if entry is None:
        return None, None
    if not isinstance(entry, Mapping):
        raise ValueError(f"the card's commitment entry must be an object, got {type(entry).__name__}")
    return (threshold(entry.get("threshold"), "the card's commitment.threshold"),
            threshold(entry.get("strict_threshold"), "the card's commitment.strict_threshold"))


def threshold(value: Any, name: str) -> float | None:
    """``value`` as a threshold (a number from 0 to 1), None for None; else a ``ValueError`` naming ``name``.

    Examples
    --------
    >>> threshold(1, "t"), threshold(None, "t")
    (1.0, None)
    """
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not 0.0 <= value <= 1.0:
        raise ValueError(f"{name} must be a number between 0 and 1, got {value!r}")
    return float(value)


def finite(member: str, values: Any, positive: bool = False) -> None:
    """Refuse an array with a NaN or infinite value (or, with ``positive``, one that is not above 0).

    Examples
    --------
    >>> finite("idf.npy", np.array([1.0, 0.0]), positive=True)
    Traceback (most recent call last):
    ...
    kvclassify.errors.ModelIntegrityError: idf.npy: holds values that are not finite and positive
    """
    ok = bool(np.isfinite(values).all()) and (not positive or bool((values > 0).all()))
    if not ok:
        raise _fail(member, "holds values that are not finite" + (" and positive" if positive else ""))

