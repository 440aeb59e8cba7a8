"""Training: validate the records, fit one head per label field, validate it, write the card.

The steps live in their own modules: :mod:`~kvclassify.records` (one
validation path for records), :mod:`~kvclassify.splitting` (validation
folds), :mod:`~kvclassify.heads` (each head kind fits itself through
:func:`~kvclassify.fitting.fit_linear`) and :mod:`~kvclassify.calibration`
(temperature, ECE); this module holds the options and the orchestration.
"""

from __future__ import annotations

import os
import platform
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import Any

import numpy as np

from .calibration import calibration, fit_temperature
from .errors import DataError, InputError
from .evaluation import Evaluation, score
from .heads import HEAD_KINDS, Head
from .missing import is_missing
from .model import COMMITMENT_CLASS, COMMITMENT_TASK, Model
from .options import HeadConfig, TrainConfig, check_train_arguments
from .records import Examples, label_sets, subset, validate
from .schema import check_card_entries
from .splitting import fold_masks
from .thresholds import flag_thresholds
from .version import __version__
from .writing import check_target

__all__ = ["HeadConfig", "TrainConfig", "train"]

Progress = Callable[[str], None]


def _fit_head(task: str, ex: Examples, config: HeadConfig, random_state: int) -> Head:
    return HEAD_KINDS[config.kind].fit(task, ex, config, random_state)


def _validation_rounds(task: str, ex: Examples, tc: TrainConfig, random_state: int, say: Progress) -> list[np.ndarray]:
    """The test masks of a head's validation rounds: the first fold for a holdout, every fold for ``"cv"``.

    A holdout is the first of ``round(1 / test_size)`` folds. When every label
    has fewer examples than that number of folds, there are as many folds as
    the largest label has examples (see :func:`~kvclassify.splitting.fold_count`):
    a holdout is then a larger share, cross-validation has fewer folds, and
    ``say`` tells which.

    Raises
    ------
    DataError
        Too few records, groups or examples for the folds, or a fold whose
        training part holds a single class; named by ``task``.
    """
    folds = tc.n_folds
    try:
        masks = fold_masks(ex, folds, random_state)
    except DataError as exc:
        raise DataError(f"{task}: {exc}") from None
    if len(masks) < folds:
        used = (f"holding out 1/{len(masks)} of the records, not test_size={tc.test_size:g}"
                if tc.validation == "holdout" else f"{len(masks)}-fold cross-validation, not {folds}-fold")
        say(f"{task}: {used}: no label has {folds} examples (the largest has {len(masks)})")
    rounds = masks[:1] if tc.validation == "holdout" else masks
    for k, test in enumerate(rounds, start=1):
        left = sorted(set(subset(ex, ~test).labels))
        if len(left) < 2:
            raise DataError(
                f"{task}: validation fold {k} leaves a single class ({left[0]!r}) to fit on; "
                "use fewer folds, another group_field or more data"
            )
    return rounds


def _validate_head(
    task: str, ex: Examples, cfg: HeadConfig, tc: TrainConfig, rounds: list[np.ndarray], random_state: int
) -> tuple[Evaluation, dict[str, float], dict[str, Any] | None]:
    """Out-of-fold scores of a head, its temperature (fitted when ``cfg.temperature`` is None) and its flag.

    ``rounds`` are the test masks of :func:`_validation_rounds`. The flag's
    thresholds (see :mod:`~kvclassify.thresholds`) are chosen for the head of
    the commitment task with the class ``COMMITMENT_CLASS``,
    on the out-of-fold probability of that class.
    """
    from joblib import Parallel, delayed

    classes = sorted(set(ex.labels))
    kind = HEAD_KINDS[cfg.kind]
    fixed = replace(cfg, temperature=1.0)
    gold: list[str] = []
    asked: list[bool] = []
    logits = []
    parts = [subset(ex, ~test) for test in rounds]
    # The folds' fits are independent: threads, as the solvers release the GIL.
    fold_heads = Parallel(n_jobs=min(tc.n_jobs, len(rounds)), prefer="threads")(
        delayed(_fit_head)(task, part, fixed, random_state) for part in parts
    )
    for test, head in zip(rounds, fold_heads):
        texts, sets, _ = label_sets(subset(ex, test))
        logits.append(head.logits_for(head.decision_function(texts), classes))
        gold += [kind.primary(s, cfg) for s in sets]
        asked += [COMMITMENT_CLASS in s for s in sets]
    z = np.vstack(logits)
    y = np.array([classes.index(g) for g in gold])
    # Every fold's head turns logits in the full class order into probabilities alike: use the last.
    t = cfg.temperature or fit_temperature(lambda t: head.probabilities(z, t), y)
    p = head.probabilities(z, t)
    nll, ece = calibration(p, y)
    _, ece_raw = calibration(head.probabilities(z, 1.0), y)
    evaluation = score(task, gold, [classes[i] for i in p.argmax(axis=1)], classes)
    calibrated = {"temperature": t, "log_loss": round(nll, 4), "ece": round(ece, 4), "ece_at_1": round(ece_raw, 4)}
    flag = None
    # The model flags commitments from its commitment task's head of any kind (``Model.flags_commitments``).
    if task == COMMITMENT_TASK and COMMITMENT_CLASS in classes and 0 < sum(asked) < len(asked):
        what = f"{task} {tc.validation} validation, out of fold"
        flag = flag_thresholds(p[:, classes.index(COMMITMENT_CLASS)], np.array(asked), what=what).to_dict()
    return evaluation, calibrated, flag


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
    out: str | os.PathLike[str] | None = None,
    encoding: str | None = None,
) -> Model:
    """Train a model with one head per label field.

    Parameters
    ----------
    data : a path (JSONL, JSON, CSV, Parquet), a list of dicts, a
        ``datasets.Dataset`` or ``DatasetDict`` (a ``validation``/``dev``/
        ``test`` split, if present, is scored into the card).
    text_field : the field holding the text.
    label_fields : one field name or several; each becomes a head (task) of
        that name. Values are strings, lists of strings, or null or empty
        (unlabelled for that head: skipped, counted in the card's
        ``training_data["unlabelled"]`` and told to ``progress``).
    config : :class:`TrainConfig`; defaults suit a few thousand short texts.
    random_state : seed of the validation split and the solver.
    weight_fields : per task, a field with a positive weight per record.
    group_field : records sharing a value of this field (e.g. ``doc_id``: the
        questions of one document) stay on one side of every validation split,
        so the card's scores are those of unseen groups.
    progress : called with a line of text at each step (e.g. ``print``).
    card : extra entries for the model card (name, version, command...).
    out : if given, save the model there (see :func:`kvclassify.save_model`);
        a target that cannot be written or is one of the data's files is
        refused before the data is read.
    encoding : of every CSV, TSV, JSON or JSON Lines file of ``data`` (a
        ``{"train": ..., "test": ...}`` dict of paths too; default: UTF-8, or
        UTF-16 with a byte-order mark); see :func:`kvclassify.read_records`.

    Returns
    -------
    Model

    Raises
    ------
    InputError
        ``encoding`` is not the name of a text encoding (checked before the data is read).
    DataError
        Records that fail :func:`~kvclassify.records.validate` (named by their
        1-based number), or a validation split that cannot be made: fewer
        records or groups than folds, every label with a single example, or a
        fold whose training part holds one class. Every head's split is
        checked before the first fit.

    Notes
    -----
    When every label of a head has fewer examples than its validation has
    folds (``folds``, or ``round(1 / test_size)`` for a holdout), the head is
    validated on as many folds as its largest label has examples, and
    ``progress`` says so: with ``min_examples`` of 2 or more, data that passes
    the check trains.

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

    fields, tc = check_train_arguments(
        text_field, label_fields, config, random_state, weight_fields, group_field, progress, card
    )
    try:
        check_card_entries(card or {})  # before training: the file is written after it
    except ValueError as exc:
        raise InputError(str(exc)) from None
    target = check_target(out, (data,)) if out is not None else None
    say = progress or (lambda _msg: None)
    splits = read_splits(data, encoding=encoding)
    train_split = "train" if "train" in splits else next(iter(splits))
    eval_split = next((s for s in ("validation", "dev", "test") if s in splits and s != train_split), None)
    records = splits[train_split]
    if eval_split is not None:
        _check_scorable(eval_split, splits[eval_split], fields)
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
    for task, n in summary.unlabelled.items():
        if n:
            say(f"{task}: skipped {n} of {len(records)} records: no label (null or empty)")
    # Every head's split is checked before the first fit, so data too small to validate fails at once.
    rounds = {} if tc.validation == "none" else {
        task: _validation_rounds(task, heads_ex[task], tc, random_state, say) for task in fields
    }
    heads: dict[str, Head] = {}
    metrics: dict[str, Any] = {}
    configs: dict[str, Any] = {}
    flags: dict[str, Any] = {}
    for task in fields:
        ex, cfg = heads_ex[task], tc.for_task(task)
        if tc.search_C and tc.validation != "none":
            cfg = _search_C(task, ex, cfg, tc, rounds[task], random_state, say)
        if tc.validation != "none":
            say(f"{task}: {tc.validation} validation")
            t0 = time.perf_counter()  # progress only: timings stay out of the card, so files reproduce
            evaluation, calibration, flag = _validate_head(task, ex, cfg, tc, rounds[task], random_state)
            metrics.setdefault(tc.validation, {})[task] = {**evaluation.to_dict(), "calibration": calibration}
            if flag is not None:
                flags[COMMITMENT_CLASS] = flag
            cfg = replace(cfg, temperature=calibration["temperature"])
            say(
                f"{task}: macro-F1 {evaluation.macro_f1:.3f}, temperature {cfg.temperature:g}, "
                f"ECE {calibration['ece_at_1']:.3f} -> {calibration['ece']:.3f} ({time.perf_counter() - t0:.1f}s)"
            )
        configs[task] = cfg.to_dict()
        say(f"{task}: fitting on {len(set(ex.groups.tolist()))} records")
        heads[task] = _fit_head(task, ex, cfg, random_state)
        configs[task]["n_features"] = heads[task].featurizer.n_features
    if eval_split is not None:
        from .evaluation import evaluate_records

        # Scoring the held-out split needs the fitted heads; the card is written once, after it.
        scored = Model(heads, {})
        metrics[eval_split] = {
            t: evaluate_records(scored, splits[eval_split], t, text_field=text_field).to_dict() for t in fields
        }
    model = Model(
        heads,
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
            **flags,
            "versions": _versions(),
            **dict(card or {}),
        },
    )
    if target is not None:
        from .persist import save_model

        save_model(model, target)
    return model


def _check_scorable(split: str, records: list[dict[str, Any]], fields: Sequence[str]) -> None:
    """Refuse, before anything is fitted, a held-out split without a label of some head: its score would read 0."""
    for task in fields:
        # A policy_area split may carry only the any-of lists (policy_areas), which are scored too.
        if not any(not is_missing(r.get(key)) and r.get(key) not in ("", []) for r in records
                   for key in (task, task + "s")):
            raise DataError(f"the {split} split has no {task!r} label in any of its {len(records)} records; "
                            f"label them, or train without it")


def _search_C(
    task: str, ex: Examples, cfg: HeadConfig, tc: TrainConfig, rounds: list[np.ndarray], seed: int, say: Progress
) -> HeadConfig:
    start, best = time.perf_counter(), (-1.0, cfg)
    for c in tc.search_C:
        if time.perf_counter() - start > tc.time_budget:
            say(f"{task}: search stopped by the time budget ({tc.time_budget:.0f}s)")
            break
        candidate = replace(cfg, C=c)
        f1 = _validate_head(task, ex, candidate, tc, rounds, seed)[0].macro_f1
        say(f"{task}: C={c:g} macro-F1 {f1:.3f}")
        if f1 > best[0]:
            best = (f1, candidate)
    return best[1]


def _versions() -> dict[str, str]:
    import scipy
    import sklearn

    return {
        "kvclassify": __version__,
        "python": platform.python_version(),
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "scikit-learn": sklearn.__version__,
        "platform": sys.platform,
    }
