"""Training records: one validation path from records to the rows every head is fitted on.

A label may be a string (one class) or a list of strings (the record belongs
to several classes: it is fitted once per class with weight ``1/k``, a soft
label, as for questions addressed to several ministries). Every message names
the record by its 1-based number.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .errors import DataError
from .missing import is_missing
from .plain import Plain

__all__ = ["DataSummary", "Examples", "labels_of", "text_key", "validate", "label_sets", "subset"]


@dataclass(frozen=True, slots=True)
class DataSummary(Plain):
    """What validation found: counts, and what it merged or flagged.

    ``counts`` holds the weight of every class per label field (a record with
    ``k`` labels adds ``1/k`` of its weight to each: not a count of records); ``unlabelled``
    the records without a label for that field (null or empty: not fitted).

    Examples
    --------
    >>> _, summary = validate([{"t": "a", "y": "x"}, {"t": "A ", "y": "x"}, {"t": "b", "y": "z"}], "t", ["y"],
    ...                       min_examples=1)
    >>> summary.n_records, summary.exact_duplicates, summary.counts
    (3, 1, {'y': {'x': 1.0, 'z': 1.0}})
    """

    n_records: int
    sha256: str
    counts: dict[str, dict[str, float]]
    unlabelled: dict[str, int]
    exact_duplicates: int
    conflicting_texts: int
    conflict_examples: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Examples:
    """The rows one head is fitted on: a text, a class and a weight per row.

    ``groups`` is the record of each row (a record with k labels gives k
    rows), ``blocks`` its validation block (its record, or its group).

    Examples
    --------
    >>> rows, _ = validate([{"t": "a", "y": ["x", "z"]}, {"t": "b", "y": "z"}], "t", ["y"], min_examples=1)
    >>> rows["y"].labels, rows["y"].weights.tolist(), rows["y"].groups.tolist()
    (['x', 'z', 'z'], [0.5, 0.5, 1.0], [0, 0, 1])
    """

    texts: list[str]
    labels: list[str]
    weights: np.ndarray
    groups: np.ndarray  # the record each row came from
    blocks: np.ndarray  # the validation block of each row (its record, or its group_field value)


def labels_of(value: Any, field_name: str, where: str) -> list[str]:
    """The classes of a label value: none for null or empty, one for a string, the sorted set of a list of strings.

    The one rule of what a label may be (printable: no line break or control
    character, as a model file requires); anything else is a :class:`DataError`
    that starts with ``where`` (e.g. ``"record 3"``). White space around a
    label is not part of it: a table cell ``" feit "`` is the class ``feit``
    (spreadsheets pad cells; two classes that differ only there would split
    one class silently), and a cell of white space only is unlabelled.

    Examples
    --------
    >>> labels_of(None, "y", "record 1"), labels_of(" x ", "y", "record 1"), labels_of(["z", "x "], "y", "record 1")
    ([], ['x'], ['x', 'z'])
    >>> labels_of(5, "y", "record 2")
    Traceback (most recent call last):
    ...
    kvclassify.errors.DataError: record 2: label field 'y' must be a string or a list of strings, got 5
    """
    if value is None or value == [] or (isinstance(value, str) and not value.strip()):
        return []
    if isinstance(value, str):
        labels = [value.strip()]
    elif isinstance(value, (list, tuple)) and all(isinstance(v, str) and v.strip() for v in value):
        labels = sorted({v.strip() for v in value})
    else:
        raise DataError(f"{where}: label field {field_name!r} must be a string or a list of strings, got {value!r}")
    for label in labels:
        if not label.isprintable():  # a model file refuses such labels: they would reach terminals and tables raw
            raise DataError(f"{where}: label field {field_name!r} holds {label!r}, with a character that does not "
                            "print (a line break, tab or control character); clean the labels")
    return labels


def text_key(text: str) -> str:
    """What makes two training texts the same text: equal up to case and white space.

    The one key of both the duplicate merge and the count of conflicting
    labels, so a text counted as conflicting is one the merge would have merged.

    Examples
    --------
    >>> text_key("Kent u  het BERICHT?\\n") == text_key("kent u het bericht?")
    True
    """
    return " ".join(text.lower().split())


def validate(
    records: Sequence[Mapping[str, Any]],
    text_field: str,
    label_fields: Sequence[str],
    *,
    weight_fields: Mapping[str, str] | None = None,
    min_examples: int = 3,
    conflicts: str = "keep",
    group_field: str | None = None,
) -> tuple[dict[str, Examples], DataSummary]:
    """Check training records before any fitting; return the rows of every head.

    Raises :class:`DataError` naming the field and the first offending
    record, by its 1-based number.

    Examples
    --------
    >>> validate([{"t": "a", "y": "x"}, {"t": 3, "y": "x"}], "t", ["y"])
    Traceback (most recent call last):
    ...
    kvclassify.errors.DataError: record 2: field 't' must be a string, got int
    """
    if not records:
        raise DataError("no training records")
    weight_fields = dict(weight_fields or {})
    for f in [text_field, *label_fields]:
        missing = next((i for i, r in enumerate(records) if f not in r), None)
        if missing is not None:
            present = ", ".join(map(str, records[missing]))
            raise DataError(f"record {missing + 1} has no field {f!r} (fields: {present})")
    for what, f in [("group field", group_field), *(("weight field", w) for w in weight_fields.values())]:
        if f is not None and not any(f in r for r in records):  # a misspelt name would change nothing, silently
            raise DataError(f"no record has the {what} {f!r} (fields of record 1: {', '.join(map(str, records[0]))})")
    seen: dict[tuple[str, str], int] = {}
    by_text: dict[str, set[str]] = defaultdict(set)
    first_text: dict[str, str] = {}  # the key's first spelling, to show in messages
    keep: list[int] = []
    for i, rec in enumerate(records):
        text = rec[text_field]
        if not isinstance(text, str):
            raise DataError(f"record {i + 1}: field {text_field!r} must be a string, got {type(text).__name__}")
        if not text.strip():
            raise DataError(f"record {i + 1}: field {text_field!r} is empty")
        labels = {f: labels_of(rec[f], f, f"record {i + 1}") for f in label_fields}
        key = text_key(text)
        first_text.setdefault(key, text)
        signature = json.dumps(labels, sort_keys=True)
        if (key, signature) in seen:
            continue
        seen[(key, signature)] = i
        by_text[key].add(signature)
        keep.append(i)
    conflicting = {k for k, sigs in by_text.items() if len(sigs) > 1}
    examples = sorted(first_text[k] for k in conflicting)
    if conflicting and conflicts == "error":
        raise DataError(f"{len(conflicting)} texts occur with different labels, e.g. {examples[0]!r}")
    if conflicts == "drop":
        keep = [i for i in keep if text_key(records[i][text_field]) not in conflicting]

    block_ids: dict[Any, int] = {}
    block_of: list[int] = []
    for i, rec in enumerate(records):
        value = rec.get(group_field) if group_field else None
        # A record without a group (no field, a missing value, an empty cell) is a block of its own.
        alone = is_missing(value) or (isinstance(value, str) and not value.strip())
        key = ("record", i) if alone else ("group", value)
        try:
            block_of.append(block_ids.setdefault(key, len(block_ids)))
        except TypeError:  # a list or an object: unhashable, so no group
            raise DataError(
                f"record {i + 1}: group field {group_field!r} must be a string or a number, got {type(value).__name__}"
            ) from None
    heads: dict[str, Examples] = {}
    counts: dict[str, dict[str, float]] = {}
    unlabelled: dict[str, int] = {}
    for f in label_fields:
        texts, labels, weights, groups, blocks = [], [], [], [], []
        n_unlabelled = 0
        wf = weight_fields.get(f)
        for i in keep:
            rec = records[i]
            classes = labels_of(rec[f], f, f"record {i + 1}")
            if not classes:
                n_unlabelled += 1
                continue
            w = 1.0
            if wf is not None:
                w = rec.get(wf, 1.0)
                if not isinstance(w, (int, float)) or not np.isfinite(w) or w <= 0:
                    raise DataError(f"record {i + 1}: weight field {wf!r} must be a positive number, got {w!r}")
            for c in classes:
                texts.append(rec[text_field])
                labels.append(c)
                weights.append(float(w) / len(classes))
                groups.append(i)
                blocks.append(block_of[i])
        per_class = Counter()
        for c, w in zip(labels, weights):
            per_class[c] += w
        if not per_class:
            raise DataError(f"label field {f!r} has no labelled record")
        if len(per_class) < 2:
            raise DataError(f"label field {f!r} has a single class ({next(iter(per_class))!r}): nothing to learn")
        n_of = Counter(labels)
        rare = sorted(c for c, n in n_of.items() if n < min_examples)
        if rare:
            shown = ", ".join(map(repr, rare[:10])) + (f" and {len(rare) - 10:,} more" if len(rare) > 10 else "")
            hint = (f"; {len(n_of):,} labels for {len(keep):,} records: is {f!r} an identifier, not a label?"
                    if len(n_of) > len(keep) / 2 else " (add examples, merge or drop them)")
            raise DataError(f"label field {f!r}: labels with fewer than {min_examples} examples: {shown}{hint}")
        heads[f] = Examples(texts, labels, np.asarray(weights), np.asarray(groups), np.asarray(blocks))
        counts[f] = {c: round(v, 3) for c, v in sorted(per_class.items())}
        unlabelled[f] = n_unlabelled
    digest = hashlib.sha256()
    for rec in records:
        digest.update(json.dumps([rec[text_field], *(rec[f] for f in label_fields)], ensure_ascii=False).encode())
        digest.update(b"\n")
    summary = DataSummary(
        n_records=len(records),
        sha256=digest.hexdigest(),
        counts=counts,
        unlabelled=unlabelled,
        exact_duplicates=len(records) - len(seen),
        conflicting_texts=len(conflicting),
        conflict_examples=tuple(examples[:5]),
    )
    return heads, summary


def label_sets(ex: Examples) -> tuple[list[str], list[set[str]], np.ndarray]:
    """One row per record with the set of its labels and its total weight (for heads fitted on label sets).

    Examples
    --------
    >>> rows, _ = validate([{"t": "a", "y": ["x", "z"]}, {"t": "b", "y": "z"}], "t", ["y"], min_examples=1)
    >>> texts, sets, weights = label_sets(rows["y"])
    >>> texts, [sorted(s) for s in sets], weights.tolist()
    (['a', 'b'], [['x', 'z'], ['z']], [1.0, 1.0])
    """
    texts: dict[int, str] = {}
    sets: dict[int, set[str]] = defaultdict(set)
    weights: dict[int, float] = defaultdict(float)
    for t, c, w, g in zip(ex.texts, ex.labels, ex.weights, ex.groups):
        texts[int(g)] = t
        sets[int(g)].add(c)
        weights[int(g)] += float(w)
    order = list(texts)
    return [texts[g] for g in order], [sets[g] for g in order], np.array([weights[g] for g in order])


def subset(ex: Examples, mask: np.ndarray) -> Examples:
    """The rows where ``mask`` is true.

    Examples
    --------
    >>> rows, _ = validate([{"t": "a", "y": "x"}, {"t": "b", "y": "z"}], "t", ["y"], min_examples=1)
    >>> subset(rows["y"], np.array([False, True])).texts
    ['b']
    """
    idx = np.flatnonzero(mask)
    return Examples(
        [ex.texts[i] for i in idx], [ex.labels[i] for i in idx], ex.weights[idx], ex.groups[idx], ex.blocks[idx]
    )
