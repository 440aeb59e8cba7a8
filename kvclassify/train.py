"""Training: validate the data, fit one linear head per label field, measure, write the card.

A label may be a string (one class) or a list of strings (the record belongs
to several classes: it is fitted once per class with weight ``1/k``, a soft
label, as for questions addressed to several ministries).
"""

from __future__ import annotations

import hashlib
import json
import platform
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from .errors import DataError
from .evaluation import Evaluation, score
from .features import FeatureConfig, Featurizer
from .model import Head, Model, probabilities
from .plain import Plain

__all__ = ["HeadConfig", "TrainConfig", "DataSummary", "train", "fit_head", "validate"]

Progress = Callable[[str], None]


@dataclass(frozen=True, slots=True)
class HeadConfig:
    """Features and classifier of one head.

    ``C`` is the inverse L2 strength of the logistic regression;
    ``class_weight="balanced"`` weighs classes inversely to their frequency
    (it favours macro-F1); ``temperature`` divides the logits: None fits it
    on the out-of-fold predictions of the validation (minimum log-loss), or
    uses 1 when there is no validation.
    ``precedence`` (an order of all classes, most demanding first) fits one
    binary "asks for" classifier per class but the last, from label *sets*,
    and predicts the most demanding class asked for (see :class:`Head`).
    """

    features: FeatureConfig = field(default_factory=FeatureConfig)
    C: float = 10.0
    class_weight: str | None = "balanced"
    max_iter: int = 2000
    temperature: float | None = None
    precedence: tuple[str, ...] | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "features": self.features.to_dict(),
            "C": self.C,
            "class_weight": self.class_weight,
            "max_iter": self.max_iter,
            "temperature": self.temperature,
            "precedence": list(self.precedence) if self.precedence else None,
        }


@dataclass(frozen=True, slots=True)
class TrainConfig:
    """How to train.

    Parameters
    ----------
    head : the default :class:`HeadConfig`; ``heads`` overrides it per task.
    validation : ``"holdout"`` (stratified ``test_size`` split), ``"cv"``
        (``folds``-fold cross-validation) or ``"none"``. The final model is
        always fitted on all the data; the scores go into the card.
    min_examples : a label with fewer examples is an error (name it, or drop
        those records yourself).
    search_C : candidate values of ``C`` tried by holdout/CV within
        ``time_budget`` seconds (empty: no search).
    conflicts : what to do with the same text under different labels:
        ``"keep"`` (fit all, as soft evidence), ``"drop"`` or ``"error"``.
    """

    head: HeadConfig = field(default_factory=HeadConfig)
    heads: Mapping[str, HeadConfig] = field(default_factory=dict)
    validation: str = "holdout"
    test_size: float = 0.2
    folds: int = 5
    min_examples: int = 3
    search_C: tuple[float, ...] = ()
    time_budget: float = 600.0
    conflicts: str = "keep"

    def for_task(self, task: str) -> HeadConfig:
        return self.heads.get(task, self.head)

    def __post_init__(self) -> None:
        if self.validation not in {"holdout", "cv", "none"}:
            raise ValueError(f"validation must be 'holdout', 'cv' or 'none', got {self.validation!r}")
        if self.conflicts not in {"keep", "drop", "error"}:
            raise ValueError(f"conflicts must be 'keep', 'drop' or 'error', got {self.conflicts!r}")
        if not 0 < self.test_size < 1 or self.folds < 2:
            raise ValueError("test_size must be in (0, 1) and folds >= 2")


@dataclass(frozen=True, slots=True)
class DataSummary(Plain):
    """What validation found: counts, and what it merged or flagged."""

    n_records: int
    sha256: str
    counts: dict[str, dict[str, float]]
    unlabelled: dict[str, int]
    exact_duplicates: int
    conflicting_texts: int
    conflict_examples: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _Examples:
    """The rows one head is fitted on: a text, a class and a weight per row."""

    texts: list[str]
    labels: list[str]
    weights: np.ndarray
    groups: np.ndarray  # the record each row came from
    blocks: np.ndarray  # the validation block of each row (its record, or its group_field value)


def _labels_of(value: Any, field_name: str, where: str) -> list[str]:
    if value is None or value == "" or value == []:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, (list, tuple)) and all(isinstance(v, str) and v for v in value):
        return sorted(set(value))
    raise DataError(f"{where}: label field {field_name!r} must be a string or a list of strings, got {value!r}")


def _dedup_key(text: str) -> str:
    """Texts that differ only in case and white space are the same text."""
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
) -> tuple[dict[str, _Examples], DataSummary]:
    """Check training records before any fitting; return the rows of every head.

    Raises :class:`DataError` naming the field and the first offending record.
    """
    if not records:
        raise DataError("no training records")
    weight_fields = dict(weight_fields or {})
    for f in [text_field, *label_fields]:
        missing = next((i for i, r in enumerate(records) if f not in r), None)
        if missing is not None:
            present = ", ".join(map(str, records[missing]))
            raise DataError(f"record {missing + 1} has no field {f!r} (fields: {present})")
    seen: dict[tuple[str, str], int] = {}
    by_text: dict[str, set[str]] = defaultdict(set)
    keep: list[int] = []
    for i, rec in enumerate(records):
        text = rec[text_field]
        if not isinstance(text, str):
            raise DataError(f"record {i + 1}: field {text_field!r} must be a string, got {type(text).__name__}")
        if not text.strip():
            raise DataError(f"record {i + 1}: field {text_field!r} is empty")
        labels = {f: _labels_of(rec[f], f, f"record {i + 1}") for f in label_fields}
        key = _dedup_key(text)
        signature = json.dumps(labels, sort_keys=True)
        if (key, signature) in seen:
            continue
        seen[(key, signature)] = i
        by_text[key].add(signature)
        keep.append(i)
    conflicting = {k for k, sigs in by_text.items() if len(sigs) > 1}
    if conflicting and conflicts == "error":
        raise DataError(f"{len(conflicting)} texts occur with different labels, e.g. {sorted(conflicting)[0]!r}")
    if conflicts == "drop":
        keep = [i for i in keep if _dedup_key(records[i][text_field]) not in conflicting]

    block_ids: dict[Any, int] = {}
    block_of = [
        block_ids.setdefault(
            ("group", records[i].get(group_field)) if group_field and records[i].get(group_field) is not None
            else ("record", i),
            len(block_ids),
        )
        for i in range(len(records))
    ]
    heads: dict[str, _Examples] = {}
    counts: dict[str, dict[str, float]] = {}
    unlabelled: dict[str, int] = {}
    for f in label_fields:
        texts, labels, weights, groups, blocks = [], [], [], [], []
        n_unlabelled = 0
        wf = weight_fields.get(f)
        for i in keep:
            rec = records[i]
            classes = _labels_of(rec[f], f, f"record {i + 1}")
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
        rare = sorted(c for c in per_class if sum(1 for lab in labels if lab == c) < min_examples)
        if rare:
            raise DataError(
                f"label field {f!r}: labels with fewer than {min_examples} examples: {', '.join(map(repr, rare))} "
                "(add examples, merge or drop them)"
            )
        heads[f] = _Examples(texts, labels, np.asarray(weights), np.asarray(groups), np.asarray(blocks))
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
        conflict_examples=tuple(sorted(conflicting)[:5]),
    )
    return heads, summary


def _fit_linear(
    x: Any, y: np.ndarray, weights: np.ndarray, config: HeadConfig, seed: int
) -> tuple[np.ndarray, np.ndarray]:
    """One multinomial (or binary) logistic regression; returns (coef as features x outputs, intercept)."""
    from sklearn.linear_model import LogisticRegression

    weights = weights.copy()
    n_classes = int(y.max()) + 1
    if config.class_weight == "balanced":
        totals = np.bincount(y, weights=weights, minlength=n_classes)
        weights *= (weights.sum() / (n_classes * totals))[y]
    clf = LogisticRegression(C=config.C, max_iter=config.max_iter, random_state=seed)
    clf.fit(x, y, sample_weight=weights / weights.mean())
    # Rounded to float16 here so that the model in memory and the one on disk are the same.
    return np.clip(clf.coef_.T, -6e4, 6e4).astype(np.float16).astype(np.float32), clf.intercept_


def fit_head(task: str, ex: _Examples, config: HeadConfig, random_state: int = 0) -> Head:
    """Fit one head on its rows."""
    if config.precedence is None:
        texts, weights = ex.texts, ex.weights
    else:
        texts, sets, weights = _label_sets(ex)
    featurizer = Featurizer.fit(texts, config.features)
    if featurizer.n_features == 0:
        raise DataError(f"{task}: no feature occurs in at least {config.features.min_df} texts; lower min_df")
    x = featurizer.transform(texts)
    if config.precedence is not None:
        missing = sorted(set(config.precedence) ^ {c for s in sets for c in s})
        if missing:
            raise DataError(f"{task}: precedence {list(config.precedence)} and the labels differ in {missing}")
        columns = [
            _fit_linear(x, np.array([c in s for s in sets], dtype=np.int64), weights, config, random_state)
            for c in config.precedence[:-1]
        ]
        coef = np.hstack([cw for cw, _ in columns])
        intercept = np.concatenate([b for _, b in columns])
        classes = sorted(config.precedence)
        return Head(task, classes, featurizer, coef, intercept, config.temperature or 1.0, config.precedence)
    classes = sorted(set(ex.labels))
    y = np.array([classes.index(c) for c in ex.labels])
    coef, intercept = _fit_linear(x, y, weights, config, random_state)
    if len(classes) == 2:  # scikit-learn keeps one column for two classes; softmax wants both
        coef = np.hstack([-coef / 2, coef / 2])
        intercept = np.array([-intercept[0] / 2, intercept[0] / 2])
    return Head(task, classes, featurizer, coef, intercept, config.temperature or 1.0)


def _label_sets(ex: _Examples) -> tuple[list[str], list[set[str]], np.ndarray]:
    """One row per record with the set of its labels and its total weight."""
    texts: dict[int, str] = {}
    sets: dict[int, set[str]] = defaultdict(set)
    weights: dict[int, float] = defaultdict(float)
    for t, c, w, g in zip(ex.texts, ex.labels, ex.weights, ex.groups):
        texts[int(g)] = t
        sets[int(g)].add(c)
        weights[int(g)] += float(w)
    order = list(texts)
    return [texts[g] for g in order], [sets[g] for g in order], np.array([weights[g] for g in order])


def _split_groups(ex: _Examples, folds: int, random_state: int) -> list[np.ndarray]:
    """Assign each validation block to a fold, stratified by the label of its first row."""
    rng = np.random.default_rng(random_state)
    first: dict[int, str] = {}
    for b, c in zip(ex.blocks, ex.labels):
        first.setdefault(int(b), c)
    by_class: dict[str, list[int]] = defaultdict(list)
    for b, c in first.items():
        by_class[c].append(b)
    fold_of: dict[int, int] = {}
    offset = 0
    for c in sorted(by_class):
        members = np.array(by_class[c])
        rng.shuffle(members)
        for j, b in enumerate(members):
            fold_of[int(b)] = (offset + j) % folds
        offset += len(members)
    return [np.array([fold_of[int(b)] == k for b in ex.blocks]) for k in range(folds)]


def _subset(ex: _Examples, mask: np.ndarray) -> _Examples:
    idx = np.flatnonzero(mask)
    return _Examples(
        [ex.texts[i] for i in idx], [ex.labels[i] for i in idx], ex.weights[idx], ex.groups[idx], ex.blocks[idx]
    )


def _primary(ex: _Examples, precedence: tuple[str, ...] | None) -> tuple[list[str], list[str]]:
    """One gold label per record for scoring: the most demanding under ``precedence``, else its first."""
    texts, sets, _ = _label_sets(ex)
    rank = {c: i for i, c in enumerate(precedence or ())}
    labels = [min(s, key=lambda c: (rank.get(c, len(rank)), c)) for s in sets]
    return texts, labels


_TEMPERATURES = np.round(np.exp(np.linspace(np.log(0.2), np.log(5.0), 65)), 4)


def _calibration(proba: np.ndarray, gold: np.ndarray, bins: int = 15) -> tuple[float, float]:
    """Log-loss of the gold labels and expected calibration error of the top probability."""
    nll = float(-np.mean(np.log(np.clip(proba[np.arange(len(gold)), gold], 1e-12, 1.0))))
    top, hit = proba.max(axis=1), proba.argmax(axis=1) == gold
    which = np.minimum((top * bins).astype(int), bins - 1)
    ece = sum(abs(hit[which == b].mean() - top[which == b].mean()) * (which == b).mean()
              for b in range(bins) if (which == b).any())
    return nll, float(ece)


def _validate_head(
    task: str, ex: _Examples, cfg: HeadConfig, tc: TrainConfig, random_state: int
) -> tuple[Evaluation, dict[str, float]]:
    """Out-of-fold scores of a head, and its temperature (fitted when ``cfg.temperature`` is None)."""
    folds = max(2, round(1 / tc.test_size)) if tc.validation == "holdout" else tc.folds
    masks = _split_groups(ex, folds, random_state)
    rounds = masks[:1] if tc.validation == "holdout" else masks
    classes = sorted(set(ex.labels))
    fixed = replace(cfg, temperature=1.0)
    gold: list[str] = []
    logits = []
    for test in rounds:
        head = fit_head(task, _subset(ex, ~test), fixed, random_state)
        texts, labels = _primary(_subset(ex, test), cfg.precedence)
        z = head.decision_function(texts)
        if head.classes_ != tuple(classes):  # a class missing from this fold's training part
            z = _align(z, head.classes_, classes, cfg.precedence)
        logits.append(z)
        gold += labels
    z = np.vstack(logits)
    y = np.array([classes.index(g) for g in gold])

    def proba(t: float) -> np.ndarray:
        return probabilities(z, t, classes, cfg.precedence)

    t = cfg.temperature or float(min(_TEMPERATURES, key=lambda t: _calibration(proba(t), y)[0]))
    p = proba(t)
    nll, ece = _calibration(p, y)
    _, ece_raw = _calibration(proba(1.0), y)
    evaluation = score(task, gold, [classes[i] for i in p.argmax(axis=1)], classes)
    calibration = {"temperature": t, "log_loss": round(nll, 4), "ece": round(ece, 4), "ece_at_1": round(ece_raw, 4)}
    return evaluation, calibration


def _align(z: np.ndarray, have: Sequence[str], want: Sequence[str], precedence: Sequence[str] | None) -> np.ndarray:
    """Logits of a fold's head in the full class order; a class it never saw gets no chance."""
    if precedence is not None:
        raise DataError("a validation fold lacks a class of a precedence head; use fewer folds or more data")
    out = np.full((len(z), len(want)), -1e9)
    for j, c in enumerate(have):
        out[:, list(want).index(c)] = z[:, j]
    return out


def train(
    data: Any,
    *,
    text_field: str = "text",
    label_fields: str | Sequence[str] = ("question_type", "policy_area"),
    config: TrainConfig | None = None,
    random_state: int = 0,
    weight_fields: Mapping[str, str] | None = None,
    group_field: str | None = None,
    progress: Progress | None = None,
    card: Mapping[str, Any] | None = None,
) -> Model:
    """Train a model with one head per label field.

    Parameters
    ----------
    data : a path (JSONL, JSON, CSV, Parquet), a list of dicts, a
        ``datasets.Dataset`` or ``DatasetDict`` (a ``validation``/``dev``/
        ``test`` split, if present, is scored into the card).
    text_field : the field holding the text.
    label_fields : one field name or several; each becomes a head (task) of
        that name. Values are strings, lists of strings, or null (unlabelled
        for that head).
    config : :class:`TrainConfig`; defaults suit a few thousand short texts.
    random_state : seed of the validation split and the solver.
    weight_fields : per task, a field with a positive weight per record.
    group_field : records sharing a value of this field (e.g. ``doc_id``: the
        questions of one document) stay on one side of every validation split,
        so the card's scores are those of unseen groups.
    progress : called with a line of text at each step (e.g. ``print``).
    card : extra entries for the model card (name, version, command...).

    Returns
    -------
    Model

    Examples
    --------
    >>> import kvclassify as kv
    >>> rows = [{"text": t, "flag": f} for t, f in [
    ...     ("Bent u bereid dit te onderzoeken?", "yes"), ("Wilt u de Kamer informeren?", "yes"),
    ...     ("Gaat u maatregelen nemen?", "yes"), ("Hoeveel mensen wachten?", "no"),
    ...     ("Wat is de stand van zaken?", "no"), ("Klopt het dat dit gebeurde?", "no")]]
    >>> m = kv.train(rows, label_fields="flag", config=kv.TrainConfig(validation="none"))
    >>> kv.classify("Bent u bereid te helpen?", model=m)["flag"].label
    'yes'
    """
    from .data import read_splits

    tc = config or TrainConfig()
    fields = [label_fields] if isinstance(label_fields, str) else list(label_fields)
    if not fields:
        raise DataError("no label field given")
    say = progress or (lambda _msg: None)
    splits = read_splits(data)
    train_split = "train" if "train" in splits else next(iter(splits))
    eval_split = next((s for s in ("validation", "dev", "test") if s in splits and s != train_split), None)
    records = splits[train_split]
    say(f"validating {len(records)} records ({train_split})")
    heads_ex, summary = validate(
        records,
        text_field,
        fields,
        weight_fields=weight_fields,
        min_examples=tc.min_examples,
        conflicts=tc.conflicts,
        group_field=group_field,
    )
    if summary.exact_duplicates or summary.conflicting_texts:
        say(
            f"merged {summary.exact_duplicates} exact duplicates; "
            f"{summary.conflicting_texts} texts carry conflicting labels (conflicts={tc.conflicts!r})"
        )
    heads: dict[str, Head] = {}
    metrics: dict[str, Any] = {}
    configs: dict[str, Any] = {}
    for task in fields:
        ex, cfg = heads_ex[task], tc.for_task(task)
        if tc.search_C and tc.validation != "none":
            cfg = _search_C(task, ex, cfg, tc, random_state, say)
        if tc.validation != "none":
            say(f"{task}: {tc.validation} validation")
            t0 = time.perf_counter()  # progress only: timings stay out of the card, so files reproduce
            evaluation, calibration = _validate_head(task, ex, cfg, tc, random_state)
            metrics.setdefault(tc.validation, {})[task] = {**evaluation.to_dict(), "calibration": calibration}
            cfg = replace(cfg, temperature=calibration["temperature"])
            say(
                f"{task}: macro-F1 {evaluation.macro_f1:.3f}, temperature {cfg.temperature:g}, "
                f"ECE {calibration['ece_at_1']:.3f} -> {calibration['ece']:.3f} ({time.perf_counter() - t0:.1f}s)"
            )
        configs[task] = cfg.to_dict()
        say(f"{task}: fitting on {len(set(ex.groups.tolist()))} records")
        heads[task] = fit_head(task, ex, cfg, random_state)
        configs[task]["n_features"] = heads[task].featurizer.n_features
    model = Model(heads, {})
    if eval_split is not None:
        from .evaluation import evaluate_records

        metrics[eval_split] = {
            t: evaluate_records(model, splits[eval_split], t, text_field=text_field).to_dict() for t in fields
        }
    model.card.update(
        {
            "name": "kvclassify-custom",
            "version": "1",
            "tasks": {t: list(h.classes_) for t, h in heads.items()},
            "training_data": summary.to_dict(),
            "text_field": text_field,
            "config": {
                **configs, "random_state": random_state, "validation": tc.validation, "group_field": group_field
            },
            "metrics": metrics,
            "versions": _versions(),
            **dict(card or {}),
        }
    )
    return model


def _search_C(task: str, ex: _Examples, cfg: HeadConfig, tc: TrainConfig, seed: int, say: Progress) -> HeadConfig:
    start, best = time.perf_counter(), (-1.0, cfg)
    for c in tc.search_C:
        if time.perf_counter() - start > tc.time_budget:
            say(f"{task}: search stopped by the time budget ({tc.time_budget:.0f}s)")
            break
        candidate = replace(cfg, C=c)
        f1 = _validate_head(task, ex, candidate, tc, seed)[0].macro_f1
        say(f"{task}: C={c:g} macro-F1 {f1:.3f}")
        if f1 > best[0]:
            best = (f1, candidate)
    return best[1]


def _versions() -> dict[str, str]:
    import scipy
    import sklearn

    from . import __version__

    return {
        "kvclassify": __version__,
        "python": platform.python_version(),
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "scikit-learn": sklearn.__version__,
        "platform": sys.platform,
    }
