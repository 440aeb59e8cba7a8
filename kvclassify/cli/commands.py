"""The model commands: ``evaluate``, ``info``, ``train``, ``build-model`` and ``import-opendata``."""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path
from typing import Any, TextIO

import kvclassify as kv

from .output import check_out, dumps, model_stamp, shown, stamp_line


def _say(prefix: str) -> Any:
    return lambda msg: print(f"[{prefix}] {msg}", file=sys.stderr, flush=True)


def print_evaluation(result: kv.Evaluation, out: TextIO) -> None:
    """The scores of ``result`` as a table: averages, per class, the confusion matrix."""
    out.write(f"task: {result.task}\nn: {result.n}  skipped (no label, or no text with --on-missing skip): "
              f"{result.skipped}\n")
    out.write(f"accuracy: {result.accuracy:.4f}\n")
    out.write(f"{'':<12}{'precision':>10}{'recall':>10}{'f1':>10}\n")
    for avg in ("macro", "weighted"):
        values = (getattr(result, f"{avg}_{m}") for m in ("precision", "recall", "f1"))
        out.write(f"{avg:<12}" + "".join(f"{v:>10.4f}" for v in values) + "\n")
    if result.any_of_accuracy is not None:
        out.write(f"any-of accuracy: {result.any_of_accuracy:.4f} (n={result.any_of_n})\n")
    if result.unknown_labels:
        unknown = ", ".join(f"{k} ({v})" for k, v in result.unknown_labels.items())
        out.write(f"labels the model does not know (scored as errors): {unknown}\n")
    out.write(f"\n{'class':<22}{'precision':>10}{'recall':>10}{'f1':>10}{'support':>9}\n")
    for label, m in result.per_class.items():
        out.write(f"{label:<22}{m.precision:>10.3f}{m.recall:>10.3f}{m.f1:>10.3f}{m.support:>9}\n")
    out.write("\nconfusion (rows: gold, columns: predicted)\n")
    width = max(6, *(len(lab) for lab in result.labels)) if result.labels else 6
    out.write(" " * 22 + "".join(f"{lab[:width]:>{width + 1}}" for lab in result.labels) + "\n")
    for label, row in zip(result.labels, result.confusion):
        out.write(f"{label:<22}" + "".join(f"{v:>{width + 1}}" for v in row) + "\n")


def cmd_evaluate(args: argparse.Namespace, out: TextIO) -> int:
    model = kv.load_model(args.model)
    result = kv.evaluate(args.data, args.task, model=model, text_field=args.text_field, on_missing=args.on_missing,
                         encoding=args.encoding)
    if args.json:
        out.write(dumps({"model": model_stamp(model), **result.report()}) + "\n")
        return 0
    print_evaluation(result, out)
    out.write(f"model: {stamp_line(model_stamp(model))}\n")
    return 0


def cmd_info(args: argparse.Namespace, out: TextIO) -> int:
    model = kv.load_model(args.model)
    info = model.info
    if args.json:
        out.write(dumps(info.to_dict(), indent=2) + "\n")
        return 0
    # Every string of the card is shown escaped: a forged card must not print a line of its own.
    out.write(f"{shown(info.name)} {shown(info.version)} (format {info.format_version})\nsha256: {info.sha256}\n")
    for task, classes in info.tasks.items():
        out.write(f"{shown(task)}: {', '.join(map(shown, classes))}\n")
    metrics = info.card.get("metrics")
    for split, tasks in (metrics.items() if isinstance(metrics, dict) else ()):
        for task, m in (tasks.items() if isinstance(tasks, dict) else ()):
            if isinstance(m, dict) and all(isinstance(m.get(k), (int, float)) for k in ("n", "accuracy", "macro_f1")):
                extra = f", any-of {m['any_of_accuracy']:.3f}" if isinstance(m.get("any_of_accuracy"), float) else ""
                scores = f"accuracy {m['accuracy']:.3f}, macro-F1 {m['macro_f1']:.3f}{extra}"
                out.write(f"{shown(split)} {shown(task)}: n={m['n']} {scores}\n")
    flag = info.card.get("commitment")
    if isinstance(flag, dict) and all(isinstance(flag.get(k), float) for k in ("threshold", "recall", "precision")):
        out.write(f"commitment flag: threshold {flag['threshold']:.3f} (out of fold: recall {flag['recall']:.3f}, "
                  f"precision {flag['precision']:.3f})\n")
    elif model.flags_commitments:
        out.write(f"commitment flag: threshold {kv.commitment_thresholds(model)[0]:.3f} (not tuned: the head was "
                  "trained without validation; pass --commitment-threshold)\n")
    for name, value in _numbers(info.card.get("estimate")):
        out.write(f"estimate {shown(name)}: {value:.3f}\n")
    if isinstance(info.card.get("command"), str):
        out.write(f"built by: {shown(info.card['command'])}\n")
    return 0


def _numbers(tree: object, prefix: str = "", depth: int = 0) -> list[tuple[str, float]]:
    """The numbers of a card entry as (path, value), skipping per-year detail; any content is safe."""
    if isinstance(tree, bool) or depth > 4:
        return []
    if isinstance(tree, (int, float)):
        return [(prefix, float(tree))]
    if not isinstance(tree, dict):
        return []
    return [pair for key, value in tree.items() if key != "by_year"
            for pair in _numbers(value, f"{prefix} · {key}" if prefix else str(key), depth + 1)]


def _label_fields(args: argparse.Namespace) -> list[str]:
    """The ``--label`` fields, or the one label-like field of the data; else a message listing candidates."""
    if args.label:
        return list(args.label)
    first = next(iter(kv.iter_records(args.data, encoding=args.encoding)), None) if isinstance(args.data, str) else None
    if first is None:
        raise kv.DataError(f"{args.data}: no records")
    skip = {args.text_field, args.group_field, "id", "doc_id", "record", "date", "source"}
    candidates = [k for k, v in first.items() if k not in skip and (isinstance(v, str) or v is None)]
    candidates = [k for k in candidates if not k.endswith("_id")]
    if len(candidates) == 1:
        print(f"kvclassify: training on the label field {candidates[0]!r}", file=sys.stderr)
        return candidates
    raise kv.InputError(
        f"which label? pass --label FIELD; candidates in {args.data}: {', '.join(candidates) or 'none'}"
    )


_MAX_SEED = 2**32 - 1  # the solvers' range of seeds


def _check_train_options(args: argparse.Namespace) -> None:
    """Numbers the settings' own checks let through, refused before any data is read."""
    for name in ("C", "time_budget", *(("search_C",) if args.search_C else ())):
        values = getattr(args, name)
        for value in values if isinstance(values, list) else [values]:
            if not math.isfinite(value) or value <= 0:
                raise kv.InputError(f"--{name.replace('_', '-')} must be a finite number > 0, got {value}")
    if not 0 <= args.seed <= _MAX_SEED:
        raise kv.InputError(f"--seed must be between 0 and {_MAX_SEED}, got {args.seed}")
    if args.min_examples < 1:
        raise kv.InputError(f"--min-examples must be at least 1, got {args.min_examples}")


def train_config(args: argparse.Namespace) -> kv.TrainConfig:
    """The training settings of the command line, as a :class:`kvclassify.TrainConfig`."""
    _check_train_options(args)
    features = kv.FeatureConfig(
        word_ngrams=tuple(args.word_ngrams) if args.word_ngrams != [0] else None,
        char_ngrams=tuple(args.char_ngrams) if args.char_ngrams != [0] else None,
        min_df=args.min_df,
    )
    head = kv.HeadConfig(
        features=features, C=args.C, class_weight=None if args.class_weight == "none" else args.class_weight
    )
    return kv.TrainConfig(
        head=head,
        validation=args.validation,
        folds=args.folds,
        min_examples=args.min_examples,
        search_C=() if args.search else tuple(args.search_C or ()),
        time_budget=args.time_budget,
    )


def cmd_train(args: argparse.Namespace, out: TextIO) -> int:
    try:
        config = train_config(args)
    except ValueError as exc:  # the settings' own checks, as a usage error of this command
        raise kv.InputError(str(exc)) from None
    check_out(args.out, (args.data, args.test))  # before the data is read (train checks it again, as the API does)
    fields = _label_fields(args)
    data: Any = {"train": args.data, "test": args.test} if args.test else args.data
    card = {"command": "kvclassify " + " ".join(sys.argv[1:])} if sys.argv[1:] else None
    # out=: the target is checked before the data is read and the fit runs, and written atomically.
    common = {"text_field": args.text_field, "group_field": args.group_field, "random_state": args.seed,
              "progress": _say("train"), "card": card, "out": args.out, "encoding": args.encoding}
    if args.search:
        if len(fields) != 1:
            raise kv.InputError("--search tunes one head: give one --label")
        model = kv.search(data, label_field=fields[0], C_values=tuple(args.search_C or (1.0, 10.0)),
                          folds=args.folds, time_budget=args.time_budget, **common)
    else:
        model = kv.train(data, label_fields=fields, config=config, **common)
    out.write(f"wrote {args.out} (sha256 {kv.load_model(args.out).info.sha256})\n")
    for split, tasks in model.card["metrics"].items():
        for task, m in tasks.items():
            out.write(
                f"{split} {task}: accuracy {m['accuracy']:.3f}, macro-F1 {m['macro_f1']:.3f}"
                + (f", weighted-F1 {m['weighted_f1']:.3f}" if "weighted_f1" in m else "")
                + "\n"
            )
    return 0


def cmd_build(args: argparse.Namespace, out: TextIO) -> int:
    card = kv.build_shipped(args.data_dir, args.out, progress=_say("build"))
    out.write(f"wrote {args.out} (sha256 {card['sha256']})\n")
    return 0


def _import_into(source: str, stream: TextIO) -> Any:
    records = kv.records_from_opendata(source)
    stream.write("".join(dumps(rec) + "\n" for rec in records))
    return records


def cmd_import(args: argparse.Namespace, out: TextIO) -> int:
    if args.out:
        check_out(args.out, (args.source,))  # before the source is read
        if Path(args.out).suffix.lower() not in (".jsonl", ".ndjson"):  # JSON Lines is what it writes
            raise kv.InputError(f"import-opendata writes JSON Lines: name the output .jsonl, not {args.out!r}")
        with kv.atomic_path(args.out) as tmp, open(tmp, "w", encoding="utf-8") as stream:
            records = _import_into(args.source, stream)
    else:
        records = _import_into(args.source, out)
    skipped = ", ".join(f"{n} {why}" for why, n in sorted(records.skipped.items())) or "none"
    print(f"kvclassify: {len(records)} records imported; skipped: {skipped}", file=sys.stderr)
    return 0
