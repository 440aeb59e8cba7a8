"""The ``kvclassify`` command: argument parsing and printing only, on the public API.

Exit codes: 0 success, 2 usage error, 3 bad input data, 4 model error,
1 any other error (an unexpected one too: one line, the traceback with ``--debug``).
"""

from __future__ import annotations

import argparse
import sys
import traceback
from collections.abc import Sequence
from typing import NoReturn, TextIO

import kvclassify as kv

from .classify import cmd_classify
from .commands import cmd_build, cmd_evaluate, cmd_import, cmd_info, cmd_train

__all__ = ["main"]

#: Exit code per error family (0 success, 2 a usage error, as argparse does).
_EXIT_CODES = {kv.InputError: 3, kv.DataError: 3, kv.ModelError: 4, kv.KvclassifyError: 1}

_FORMATTER = argparse.RawDescriptionHelpFormatter
_DESCRIPTION = """\
Label Dutch parliamentary written questions (Kamervragen) by question type
(factual, opinion, commitment) and policy area (16 areas), one by one, in a
whole document (text, PDF, Word) or in a table of records; score a model on
labelled data; train your own.

exit codes: 0 success, 2 bad command line, 3 bad input data or option,
4 unusable model file, 1 any other error (--debug shows the traceback)."""
_EXAMPLES = {
    "main": """examples:
  kvclassify classify vragen.pdf                      a document: its questions and summary
  kvclassify classify subjects.csv --out preds.csv    a table of records: one row each
  cat questions.txt | kvclassify classify --mode lines --format jsonl
  kvclassify evaluate --data labelled.jsonl --task question_type
  kvclassify train --data coded.csv --label topic --out topics.kvc""",
    "classify": """examples:
  kvclassify classify vragen.pdf --wide
  kvclassify classify a.csv b.csv --id-field id --keep-fields date --top 3 --out preds.parquet
  kvclassify classify questions.txt --format csv --commitment-threshold 0.3
  tail -f incoming.txt | kvclassify classify - --mode lines --format jsonl""",
    "evaluate": "example:\n  kvclassify evaluate --data test.csv --task policy_area --json",
    "info": "example:\n  kvclassify info --model topics.kvc",
    "train": """examples:
  kvclassify train --data coded.xlsx --label topic --test heldout.xlsx --out topics.kvc
  kvclassify train --data coded.csv --label topic --char-ngrams 0 --C 3 --class-weight none --out t.kvc
  kvclassify train --data coded.csv --label topic --search --search-C 1 3 10 --time-budget 300 --out t.kvc""",
    "build-model": "example:\n  kvclassify build-model --data-dir ../shared/data --out models/kvclassify.kvc",
    "import-opendata": "example:\n  kvclassify import-opendata zaken.json --out records.jsonl",
}


class _Parser(argparse.ArgumentParser):
    """Usage errors in one line, as every other error (the full usage is one ``--help`` away)."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def _model_arg(sp: argparse.ArgumentParser) -> None:
    sp.add_argument("--model", metavar="PATH", help="a .kvc model file (default: the shipped model)")


def _encoding_arg(sp: argparse.ArgumentParser, files: str) -> None:
    sp.add_argument("--encoding", metavar="ENC", help=f"encoding of {files} when CSV, TSV, JSON or JSON Lines "
                                                       "(default: UTF-8, or UTF-16 with a byte-order mark)")


def _sub(sub: argparse._SubParsersAction, name: str, help_: str) -> argparse.ArgumentParser:
    return sub.add_parser(name, help=help_, description=help_, epilog=_EXAMPLES[name], formatter_class=_FORMATTER)


def _classify_parser(sub: argparse._SubParsersAction) -> None:
    c = _sub(sub, "classify", "classify documents, tables of records or lists of questions")
    c.add_argument("files", nargs="*", metavar="FILE",
                   help="text, PDF or .docx files, record tables (.csv .tsv .jsonl .json .parquet .xlsx), "
                        "or - for standard input (the default)")
    c.add_argument("--format", choices=("text", "json", "jsonl", "csv"),
                   help="output format (default: text, or what --out's extension says)")
    c.add_argument("--json", action="store_const", const="json", dest="format", help="the same as --format json")
    c.add_argument("--out", metavar="PATH", help="write a table (.csv, .jsonl, .json or .parquet), atomically")
    c.add_argument("--mode", choices=("auto", "document", "lines"), default="auto",
                   help="read text as a document, one question per line (streamed from standard input), "
                        "or decide by the header (default: auto)")
    c.add_argument("--text-field", metavar="F", help="the text column of a table (default: text)")
    c.add_argument("--id-field", metavar="F", help="a table's id column, copied into each row (default: record number)")
    c.add_argument("--keep-fields", metavar="A,B", help="more columns of a table to copy into each row")
    c.add_argument("--on-missing", choices=("error", "skip"), default="error",
                   help="a record without text: stop with an error naming it, or give it an empty result row")
    c.add_argument("--top", type=int, default=0, metavar="K", help="add each head's K best labels (<head>_top)")
    c.add_argument("--commitment-threshold", type=float, metavar="P",
                   help="flag asks_commitment from this probability (default: the model card's threshold)")
    c.add_argument("--wide", action="store_true", help="document view: print whole questions")
    c.add_argument("--batch-size", type=int, default=512, metavar="N", help="texts classified at once (default: 512)")
    c.add_argument("--no-progress", action="store_false", dest="progress",
                   help="no progress bar on standard error (shown for tables when it is a terminal)")
    c.add_argument("--encoding", help="encoding of text files and of CSV, TSV, JSON and JSON Lines tables "
                                      "(default: UTF-8, or UTF-16 with a byte-order mark)")
    c.add_argument("--max-chars", type=int, default=None, metavar="N",
                   help="longest input in characters (each line, when --mode lines streams standard input); "
                        "reading stops beyond it")
    _model_arg(c)
    c.set_defaults(func=cmd_classify, print_usage=c.print_usage)


def _train_parser(sub: argparse._SubParsersAction) -> None:
    t = _sub(sub, "train", "train a model on your own labelled data")
    t.add_argument("--data", required=True, help="JSONL, JSON, CSV/TSV, Parquet or .xlsx file")
    t.add_argument("--label", "--task", action="extend", nargs="+", dest="label", metavar="FIELD",
                   help="the label fields, one head each: --label a b or --label a --label b "
                        "(default: the data's one label-like field)")
    t.add_argument("--test", metavar="FILE", help="held-out labelled data, scored into the model card")
    t.add_argument("--text-field", default="text", help="the field holding the text (default: text)")
    t.add_argument("--group-field", help="keep records sharing this field's value (e.g. doc_id) in one split")
    t.add_argument("--out", required=True, help="where to write the .kvc model")
    _encoding_arg(t, "--data and --test")
    t.add_argument("--word-ngrams", type=int, nargs="+", default=[1, 2], metavar="N",
                   help="word n-gram range MIN MAX (default: 1 2; 0 for none)")
    t.add_argument("--char-ngrams", type=int, nargs="+", default=[3, 5], metavar="N",
                   help="character n-gram range MIN MAX (default: 3 5; 0 for none)")
    t.add_argument("--min-df", type=int, default=2, help="fewest texts a feature must occur in (default: 2)")
    t.add_argument("--C", type=float, default=10.0, help="inverse regularisation strength (default: 10)")
    t.add_argument("--class-weight", choices=("balanced", "none"), default="balanced",
                   help="weigh classes inversely to their frequency (default: balanced)")
    t.add_argument("--validation", choices=("holdout", "cv", "none"), default="holdout",
                   help="how the card's scores are measured (default: holdout)")
    t.add_argument("--folds", type=int, default=5, help="folds of --validation cv (default: 5)")
    t.add_argument("--min-examples", type=int, default=3, help="fewest examples a label needs (default: 3)")
    t.add_argument("--search", action="store_true",
                   help="compare word-only and word+char features and the --search-C values (default 1 10) by "
                        "--folds cross-validation; keep the best, the comparison goes into the card")
    t.add_argument("--search-C", type=float, nargs="+", metavar="C", help="try these C values, keep the best")
    t.add_argument("--time-budget", type=float, default=600.0,
                   help="seconds after which a search starts no new candidate (default: 600)")
    t.add_argument("--seed", type=int, default=0, help="seed of the splits and the solver (default: 0)")
    t.set_defaults(func=cmd_train)


def _parser() -> argparse.ArgumentParser:
    p = _Parser(prog="kvclassify", description=_DESCRIPTION,
                                epilog=_EXAMPLES["main"], formatter_class=_FORMATTER)
    p.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    p.add_argument("--version", action="version", version=f"kvclassify {kv.__version__}")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND",
                           help="what to do (COMMAND --help for more)")
    _classify_parser(sub)

    e = _sub(sub, "evaluate", "score a model on labelled data (JSONL, JSON, CSV/TSV, Parquet, xlsx)")
    e.add_argument("--data", required=True, help="the labelled data file")
    e.add_argument("--task", help="the head to score (default: the model's only head, or the one the data labels)")
    e.add_argument("--text-field", default="text", help="the field holding the text (default: text)")
    e.add_argument("--on-missing", choices=("error", "skip"), default="error",
                   help="a record without text: an error naming it, or skipped")
    e.add_argument("--json", action="store_true", help="JSON: the scores, averages and confusion matrix")
    _encoding_arg(e, "--data")
    _model_arg(e)
    e.set_defaults(func=cmd_evaluate)

    i = _sub(sub, "info", "print the model card")
    i.add_argument("--json", action="store_true", help="the whole card as JSON")
    _model_arg(i)
    i.set_defaults(func=cmd_info)

    _train_parser(sub)

    b = _sub(sub, "build-model", "rebuild the shipped model from ../shared/data")
    b.add_argument("--data-dir", default="../shared/data", help="the shared data folder (default: ../shared/data)")
    b.add_argument("--out", default="models/kvclassify.kvc", help="the model file to write")
    b.set_defaults(func=cmd_build)

    o = _sub(sub, "import-opendata", "turn Tweede Kamer open-data Zaak JSON into training JSONL")
    o.add_argument("source", help="a JSON file of the OData API (one response or a list of Zaak records)")
    o.add_argument("--out", help="output JSONL (default: standard output)")
    o.set_defaults(func=cmd_import)
    return p


def _error(message: str) -> None:
    if sys.stderr is not None:
        print(f"kvclassify: error: {message}", file=sys.stderr)


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    """Run the CLI; return the exit code.

    Examples
    --------
    >>> import io
    >>> main(["info"], out=io.StringIO())
    0
    """
    args = _parser().parse_args(argv)
    stream = out or sys.stdout
    if stream is None or stream.closed:
        _error("standard output is closed")
        return 1
    try:
        return int(args.func(args, stream))
    except kv.KvclassifyError as exc:
        if args.debug:
            traceback.print_exc()
        _error(str(exc))
        return next(code for cls, code in _EXIT_CODES.items() if isinstance(exc, cls))
    except BrokenPipeError:
        return 0  # the reader (e.g. head) has all it wants
    except KeyboardInterrupt:
        _error("interrupted")
        return 130
    except OSError as exc:
        if args.debug:
            traceback.print_exc()
        # Files are named by our own errors; an OSError without a file name is standard output failing (a full disk).
        _error(f"{exc.strerror or exc}: {exc.filename}" if exc.filename else f"cannot write: {exc.strerror or exc}")
        return 1
    except Exception as exc:  # a bug of ours: one line for the user, the traceback for the report
        if args.debug:
            traceback.print_exc()
        first = str(exc).splitlines()[0] if str(exc) else ""
        _error(f"unexpected {type(exc).__name__}: {first} (run with --debug for the traceback, and report it)")
        return 1
