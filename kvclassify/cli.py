"""The ``kvclassify`` command: argument parsing and printing only.

Exit codes: 0 success, 2 usage error, 3 bad input data, 4 model error,
1 any other kvclassify error.
"""

from __future__ import annotations

import argparse
import json
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from . import api
from .errors import EXIT_CODES, InputError, KvclassifyError
from .model import Model
from .results import Classification

__all__ = ["main", "read_text"]

_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))


def read_text(source: str, encoding: str | None = None) -> str:
    """Read a file (or ``-`` for stdin) as text: UTF-8, or UTF-16 with a byte-order mark.

    Raises :class:`InputError` for a missing file, binary data or another encoding.
    """
    if source == "-":
        raw = sys.stdin.buffer.read()
        name = "standard input"
    else:
        path = Path(source)
        if not path.exists():
            raise InputError(f"no such file: {source}")
        if path.is_dir():
            raise InputError(f"{source} is a directory, not a text file")
        raw = path.read_bytes()
        name = source
    if encoding is None:
        encoding = next((enc for bom, enc in _BOMS if raw.startswith(bom)), None)
        if encoding is None and b"\x00" in raw[:8192]:
            raise InputError(
                f"{name} looks binary (it contains NUL bytes), not a text document; "
                "if it is UTF-16 without a byte-order mark, pass --encoding utf-16"
            )
        encoding = encoding or "utf-8"
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{name} is not valid {encoding} text (byte {exc.start}: {raw[exc.start:exc.start + 1]!r}); "
            "if it is Latin-1 or cp1252, pass --encoding latin-1"
        ) from None
    except LookupError:
        raise InputError(f"unknown encoding {encoding!r}") from None
    if "\x00" in text:
        raise InputError(f"{name} looks binary (it contains NUL bytes), not a text document")
    return text


def _model(args: argparse.Namespace) -> Model:
    return api.load_model(args.model)


def _short(text: str, width: int = 90) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def _line(c: Classification) -> str:
    parts = [f"{p.label:<20} {p.score:.2f}" for p in c.predictions.values()]
    flag = "" if c.in_domain else "  [out of domain]"
    return "  ".join(parts) + flag


def _cmd_classify(args: argparse.Namespace, out: TextIO) -> int:
    text = read_text(args.file, args.encoding)
    model = _model(args)
    api._check_text(text, args.max_chars, "the input")  # before any parsing: a limit bounds the cost
    document = api.parse_document(text) if args.mode != "lines" else None
    if document is not None and (args.mode == "document" or document.kind != "unknown"):
        result = api.classify_document(document, model=model)
        if args.json:
            json.dump(result.to_dict(), out, ensure_ascii=False, indent=2)
            out.write("\n")
        else:
            _print_document(result, out)
        return 0
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    results = api.classify_many(lines, model=model, max_chars=args.max_chars)
    for line, c in zip(lines, results):
        if args.json:
            out.write(json.dumps({"text": line, **c.to_dict()}, ensure_ascii=False) + "\n")
        else:
            out.write(f"{_line(c)}  {_short(line, 70)}\n")
    return 0


def _print_document(r: api.DocumentClassification, out: TextIO) -> None:
    d = r.document
    members = ", ".join(f"{m.name} ({m.party})" if m.party else m.name for m in d.members) or "-"
    addressees = "; ".join(a.text for a in d.addressees) or "-"
    out.write(f"kind:       {d.kind}\n")
    if d.zaak:
        out.write(f"zaak:       {d.zaak}\n")
    out.write(f"submitted:  {d.submitted.isoformat() if d.submitted else '-'}\n")
    out.write(f"members:    {members}\n")
    out.write(f"addressed:  {addressees}\n")
    out.write(f"subject:    {_short(d.subject or '-', 100)}\n")
    out.write(f"questions:  {len(r.questions)}\n\n")
    for i, q in enumerate(r.questions, 1):
        qt = q.classification.question_type
        label = f"{qt.label} {qt.score:.2f}" if qt else "-"
        number = q.unit.number if q.unit.number is not None else i
        out.write(f"  {number:>3}. {label:<16} {_short(q.unit.text, 80)}\n")
    out.write("\n")
    if r.policy_area:
        alts = ", ".join(f"{lab} {p:.2f}" for lab, p in r.policy_area.top(3)[1:])
        out.write(f"policy area (content):  {r.policy_area.label} {r.policy_area.score:.2f}  (next: {alts})\n")
    out.write(f"addressed areas:        {', '.join(r.addressed_areas) or '-'}\n")
    counts = ", ".join(f"{k} {v}" for k, v in r.type_counts.items())
    out.write(f"question types:         {counts}\n")
    if r.commitments:
        out.write(f"asks for commitments:   questions {', '.join(map(str, r.commitments))}\n")


def _cmd_evaluate(args: argparse.Namespace, out: TextIO) -> int:
    from .data import read_records
    from .evaluation import evaluate_records

    result = evaluate_records(_model(args), read_records(args.data), args.task, text_field=args.text_field)
    if args.json:
        out.write(json.dumps(result.to_dict(), ensure_ascii=False) + "\n")
        return 0
    out.write(f"task: {result.task}\nn: {result.n}  skipped (no label): {result.skipped}\n")
    out.write(f"accuracy: {result.accuracy:.4f}\nmacro-F1: {result.macro_f1:.4f}\n")
    if result.any_of_accuracy is not None:
        out.write(f"any-of accuracy: {result.any_of_accuracy:.4f} (n={result.any_of_n})\n")
    if result.unknown_labels:
        unknown = ", ".join(f"{k} ({v})" for k, v in result.unknown_labels.items())
        out.write(f"labels the model does not know (scored as errors): {unknown}\n")
    out.write(f"\n{'class':<22}{'precision':>10}{'recall':>10}{'f1':>10}{'support':>9}\n")
    for label, m in result.per_class.items():
        out.write(f"{label:<22}{m.precision:>10.3f}{m.recall:>10.3f}{m.f1:>10.3f}{m.support:>9}\n")
    return 0


def _cmd_info(args: argparse.Namespace, out: TextIO) -> int:
    info = _model(args).info
    if args.json:
        out.write(json.dumps(info.to_dict(), ensure_ascii=False, indent=2) + "\n")
        return 0
    out.write(f"{info.name} {info.version} (format {info.format_version})\nsha256: {info.sha256}\n")
    for task, classes in info.tasks.items():
        out.write(f"{task}: {', '.join(classes)}\n")
    for split, tasks in info.card.get("metrics", {}).items():
        for task, m in tasks.items():
            if isinstance(m, dict) and "macro_f1" in m:
                extra = f", any-of {m['any_of_accuracy']:.3f}" if "any_of_accuracy" in m else ""
                scores = f"accuracy {m['accuracy']:.3f}, macro-F1 {m['macro_f1']:.3f}{extra}"
                out.write(f"{split} {task}: n={m['n']} {scores}\n")
    if "command" in info.card:
        out.write(f"built by: {info.card['command']}\n")
    return 0


def _cmd_train(args: argparse.Namespace, out: TextIO) -> int:
    from .persist import save_model
    from .train import TrainConfig, train

    config = TrainConfig(
        validation=args.validation,
        folds=args.folds,
        min_examples=args.min_examples,
        search_C=tuple(args.search_C or ()),
        time_budget=args.time_budget,
    )
    model = train(
        args.data,
        text_field=args.text_field,
        label_fields=args.label,
        config=config,
        group_field=args.group_field,
        random_state=args.seed,
        progress=lambda msg: print(f"[train] {msg}", file=sys.stderr, flush=True),
        card={"command": "kvclassify " + " ".join(sys.argv[1:])} if sys.argv[1:] else None,
    )
    digest = save_model(model, args.out)
    out.write(f"wrote {args.out} (sha256 {digest})\n")
    for split, tasks in model.card["metrics"].items():
        for task, m in tasks.items():
            out.write(f"{split} {task}: accuracy {m['accuracy']:.3f}, macro-F1 {m['macro_f1']:.3f}\n")
    return 0


def _cmd_build(args: argparse.Namespace, out: TextIO) -> int:
    from .recipe import build_shipped

    card = build_shipped(args.data_dir, args.out, progress=lambda m: print(f"[build] {m}", file=sys.stderr, flush=True))
    out.write(f"wrote {args.out} (sha256 {card['sha256']})\n")
    return 0


def _cmd_import(args: argparse.Namespace, out: TextIO) -> int:
    from .opendata import records_from_opendata
    from .persist import atomic_write_bytes

    records = records_from_opendata(args.source)
    lines = "".join(json.dumps(rec, ensure_ascii=False) + "\n" for rec in records)
    if args.out:
        atomic_write_bytes(args.out, lines.encode("utf-8"))
    else:
        out.write(lines)
    skipped = ", ".join(f"{n} {why}" for why, n in sorted(records.skipped.items())) or "none"
    print(f"kvclassify: {len(records)} records imported; skipped: {skipped}", file=sys.stderr)
    return 0


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="kvclassify", description=__doc__.split("\n")[0])
    p.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    p.add_argument("--version", action="version", version=f"kvclassify {_version()}")
    sub = p.add_subparsers(dest="command", required=True)

    def model_arg(sp: argparse.ArgumentParser) -> None:
        sp.add_argument("--model", metavar="PATH", help="a .kvc model file (default: the shipped model)")

    c = sub.add_parser("classify", help="classify a document or a list of questions (one per line)")
    c.add_argument("file", nargs="?", default="-", help="a text file, or - for standard input (default)")
    c.add_argument("--json", action="store_true", help="JSON output (JSON Lines for a list of questions)")
    c.add_argument("--mode", choices=("auto", "document", "lines"), default="auto",
                   help="read the input as a document or as one question per line (default: auto)")
    c.add_argument("--encoding", help="text encoding (default: UTF-8, or UTF-16 with a byte-order mark)")
    c.add_argument("--max-chars", type=int, default=None, help="reject larger inputs")
    model_arg(c)
    c.set_defaults(func=_cmd_classify)

    e = sub.add_parser("evaluate", help="score a model on labelled JSONL/CSV/Parquet data")
    e.add_argument("--data", required=True, help="the labelled data file")
    e.add_argument("--task", required=True, help="question_type, policy_area or a task of your model")
    e.add_argument("--text-field", default="text")
    e.add_argument("--json", action="store_true")
    model_arg(e)
    e.set_defaults(func=_cmd_evaluate)

    i = sub.add_parser("info", help="print the model card")
    i.add_argument("--json", action="store_true")
    model_arg(i)
    i.set_defaults(func=_cmd_info)

    t = sub.add_parser("train", help="train a model on your own labelled data")
    t.add_argument("--data", required=True, help="JSONL, JSON, CSV or Parquet file")
    t.add_argument("--label", "--task", action="append", required=True, dest="label",
                   help="a label field; repeat for several heads")
    t.add_argument("--text-field", default="text")
    t.add_argument("--group-field", help="keep records sharing this field's value (e.g. doc_id) in one split")
    t.add_argument("--out", required=True, help="where to write the .kvc model")
    t.add_argument("--validation", choices=("holdout", "cv", "none"), default="holdout")
    t.add_argument("--folds", type=int, default=5)
    t.add_argument("--min-examples", type=int, default=3)
    t.add_argument("--search-C", type=float, nargs="+", metavar="C", help="try these C values")
    t.add_argument("--time-budget", type=float, default=600.0, help="seconds for the C search")
    t.add_argument("--seed", type=int, default=0)
    t.set_defaults(func=_cmd_train)

    b = sub.add_parser("build-model", help="rebuild the shipped model from ../shared/data")
    b.add_argument("--data-dir", default="../shared/data")
    b.add_argument("--out", default="models/kvclassify.kvc")
    b.set_defaults(func=_cmd_build)

    o = sub.add_parser("import-opendata", help="turn Tweede Kamer open-data Zaak JSON into training JSONL")
    o.add_argument("source", help="a JSON file of the OData API (one response or a list of Zaak records)")
    o.add_argument("--out", help="output JSONL (default: standard output)")
    o.set_defaults(func=_cmd_import)
    return p


def _version() -> str:
    from . import __version__

    return __version__


def _exit_code(exc: KvclassifyError) -> int:
    return next(code for cls, code in EXIT_CODES.items() if isinstance(exc, cls))


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    """Run the CLI; return the exit code."""
    args = _parser().parse_args(argv)
    try:
        return int(args.func(args, out or sys.stdout))
    except KvclassifyError as exc:
        if args.debug:
            traceback.print_exc()
        print(f"kvclassify: error: {exc}", file=sys.stderr)
        return _exit_code(exc)
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        print("kvclassify: interrupted", file=sys.stderr)
        return 130
    except OSError as exc:
        if args.debug:
            traceback.print_exc()
        print(f"kvclassify: error: {exc.strerror or exc}: {getattr(exc, 'filename', '') or ''}", file=sys.stderr)
        return 1

