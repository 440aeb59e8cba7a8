"""``kvclassify classify``: tables, lines, pasted paragraphs and documents in; rows or a document view out.

Each input is read by what it is: a record file (``.csv``, ``.tsv``,
``.jsonl``, ``.json``, ``.parquet``, ``.xlsx``) row by row in batches; text
(plain, PDF or Word, ``-`` for standard input) as a document when it has a
Kamervragen header, as one question per paragraph when it is pasted text with
hard line breaks, and otherwise as one question per line. ``--mode lines``
streams standard input: each batch is answered as soon as it has arrived.
"""

from __future__ import annotations

import argparse
import itertools
import math
import select
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, TextIO

import kvclassify as kv

from .output import check_out, dumps, model_stamp, open_writer, out_format, result_row
from .view import print_document

Batch = list[dict[str, Any]]


#: Largest --batch-size: a batch is held in memory whole.
MAX_BATCH = 100_000


def _check_options(args: argparse.Namespace) -> None:
    """Every option's value, validated before any input is read."""
    if args.top < 0:
        raise kv.InputError(f"--top must be at least 0, got {args.top}")
    if not 1 <= args.batch_size <= MAX_BATCH:
        raise kv.InputError(f"--batch-size must be between 1 and {MAX_BATCH:,}, got {args.batch_size}")
    if args.max_chars is not None and args.max_chars < 0:
        raise kv.InputError(f"--max-chars must be at least 0, got {args.max_chars}")
    t = args.commitment_threshold
    if t is not None and not 0.0 <= t <= 1.0:
        raise kv.InputError(f"--commitment-threshold must be between 0 and 1, got {t}")
    table_options = [o for o, v in (("--text-field", args.text_field), ("--id-field", args.id_field),
                                    ("--keep-fields", args.keep_fields)) if v is not None]
    if table_options and not any(map(_is_table, args.files or ["-"])):
        raise kv.InputError(f"{', '.join(table_options)} name columns of a table, and no input is a table file "
                            f"({', '.join(kv.RECORD_FORMATS)}): text files and standard input are read as text; "
                            "give the table's path")
    args.text_field = args.text_field or "text"
    if args.out is not None:
        if args.format is not None and args.format != out_format(args.out):
            raise kv.InputError(f"--format {args.format} contradicts --out {args.out}")
        # Standard input redirected from a file is that file (its /dev/stdin names it, where the system has one).
        check_out(args.out, ["/dev/stdin" if f == "-" else f for f in args.files or ["-"]])


def _is_table(source: str) -> bool:
    return source != "-" and Path(source).suffix.lower() in kv.RECORD_FORMATS


def pasted_paragraphs(text: str) -> bool:
    """Text that holds blank-line separated paragraphs of which one runs over several lines.

    Questions copied from a PDF viewer keep the viewer's line breaks: such text
    is read one question per paragraph (the parser's units), not one per line.
    """
    blocks = [b for b in text.replace("\r\n", "\n").split("\n\n") if b.strip()]
    return len(blocks) > 1 and any(len([ln for ln in b.split("\n") if ln.strip()]) > 1 for b in blocks)


class Job:
    """One ``classify`` call: the model, the options and the columns every row shares."""

    def __init__(self, args: argparse.Namespace, model: kv.Model, several: bool) -> None:
        self.args, self.model, self.several = args, model, several
        self.tasks = list(model.heads)
        self.stamp = model_stamp(model)
        self.keep = [f.strip() for f in (args.keep_fields or "").split(",") if f.strip()]
        self.threshold = args.commitment_threshold
        self.progress = False
        self.limit = args.max_chars if args.max_chars is not None else kv.DEFAULT_MAX_CHARS
        self._check_columns()
        if self.threshold is not None:
            try:
                kv.commitment_thresholds(model, self.threshold)  # before any input is read
            except kv.InputError as exc:
                raise kv.InputError(f"--commitment-threshold: {exc}") from None

    def _check_columns(self) -> None:
        """Refuse, before any input is read, a row in which two values would share a column (one would be lost)."""
        written = list(result_row(None, self.tasks, self.args.top or 0))
        fixed = ["source", "record", "line", "question", "text", "model", "model_sha256"]
        for task in self.tasks:
            clash = next((c for c in written if c in fixed or written.count(c) > 1), None)
            if clash is not None and (clash == task or clash.startswith(f"{task}_")):
                raise kv.InputError(f"the model's head {task!r} writes the column {clash!r}, which another column "
                                    "of the output has too; train the head under another label name")
        taken = {*written, "model", "model_sha256", *(["source"] if self.several else [])}
        if not self.args.id_field:
            taken.add("record")
        for option, name in [*([("--id-field", self.args.id_field)] if self.args.id_field else []),
                             *(("--keep-fields", f) for f in self.keep)]:
            if name in taken:
                raise kv.InputError(f"{option} {name}: the output writes a {name!r} column of its own (the model's "
                                    "results, the record number or the source); keep another field, or rename it in "
                                    "the input")

    def classify(self, texts: list[str | None]) -> list[kv.Classification | None]:
        # Missing texts of a table were refused (or kept, with --on-missing skip) by record number already.
        return kv.classify_many(
            texts, model=self.model, max_chars=self.args.max_chars, on_missing="skip",
            commitment_threshold=self.threshold,
        )

    def template(self, source: str) -> dict[str, Any]:
        """The row of a missing text from ``source``: the columns its rows have."""
        if _is_table(source):
            head = {self.args.id_field or "record": None, **dict.fromkeys(self.keep)}
            return self.rows(source, [head], [None], with_text=False)[0]
        return self.rows(source, [{"line": None}], [None], with_text=True)[0]

    def rows(self, source: str, ids: list[dict[str, Any]], texts: list[str | None], with_text: bool) -> Batch:
        rows = []
        for head, text, c in zip(ids, texts, self.classify(texts)):
            row = {"source": source} if self.several else {}
            row.update(head)
            if with_text:
                row["text"] = text
            row.update(result_row(c, self.tasks, self.args.top or 0))
            if self.args.format_ != "json":  # a JSON document names the model once, at the top
                row["model"], row["model_sha256"] = self.stamp["name"], self.stamp["sha256"]
            rows.append(row)
        return rows


def _check_fields(job: Job, source: str, first: dict[str, Any]) -> None:
    """The first record has the text field, the id field and every kept field (a typo stops the run at once)."""
    args = job.args
    wanted = [("--text-field", args.text_field), *([("--id-field", args.id_field)] if args.id_field else []),
              *(("--keep-fields", f) for f in job.keep)]
    for option, name in wanted:
        if name not in first:
            fields = ", ".join(map(str, first)) or "none"
            hint = "pass --text-field" if option == "--text-field" else f"check {option}"
            raise kv.DataError(f"{source}: no field {name!r} (fields: {fields}); {hint}")


def _record_id(args: argparse.Namespace, source: str, number: int, rec: dict[str, Any], seen: dict[Any, int]) -> Any:
    """The record's ``--id-field`` value; a missing or repeated id is an error (rows could not be joined back)."""
    value = rec.get(args.id_field)
    if kv.is_missing(value) or value == "":
        raise kv.DataError(f"{source}: record {number} has no value in the id field {args.id_field!r}")
    if isinstance(value, float) and not math.isfinite(value):  # JSON's 1e400: written as null, the row lost
        raise kv.DataError(f"{source}: record {number}: the id in {args.id_field!r} is a number beyond a float's "
                           "range; write ids as strings")
    try:
        earlier = seen.setdefault(value, number)
    except TypeError:
        raise kv.DataError(f"{source}: record {number}: id field {args.id_field!r} holds a "
                           f"{type(value).__name__}, not a string or number") from None
    if earlier != number:
        raise kv.DataError(f"{source}: record {number} repeats the id {value!r} of record {earlier}")
    return value


def _record_batches(job: Job, source: str) -> Iterator[Batch]:
    args = job.args
    # The text rule of the readers gives every missing text as None and refuses texts that are not strings.
    records = kv.iter_records(source, encoding=args.encoding, text_field=args.text_field)
    numbered = enumerate(records, start=1)
    seen: dict[Any, int] = {}
    while chunk := list(itertools.islice(numbered, args.batch_size)):
        if chunk[0][0] == 1:
            _check_fields(job, source, chunk[0][1])
        ids, texts = [], []
        for number, rec in chunk:
            head = {args.id_field: _record_id(args, source, number, rec, seen)} if args.id_field else {"record": number}
            head.update({f: rec.get(f) for f in job.keep})
            ids.append(head)
            text = rec.get(args.text_field)
            if text is None:
                if args.on_missing == "error":
                    raise kv.DataError(f"{source}: record {number} has no text in {args.text_field!r} "
                                       "(--on-missing skip gives it an empty row)")
            elif len(text) > job.limit:
                raise kv.InputTooLargeError(f"{source}: record {number} has {len(text):,} characters, "
                                            f"more than the limit of {job.limit:,} (see --max-chars)")
            texts.append(text)
        yield job.rows(source, ids, texts, with_text=False)


def _numbered_batches(
    job: Job, source: str, numbered: Iterable[tuple[int, str]], column: str, ready: Callable[[], bool]
) -> Iterator[Batch]:
    """Batches of (number, text) items; a batch ends when full or when no more input is waiting."""
    pending: list[tuple[int, str]] = []
    for number, line in numbered:
        text = line.strip()
        if len(text) > job.limit:  # named as the user knows it, before the library names texts[i]
            raise kv.InputTooLargeError(f"{'standard input' if source == '-' else source}: {column} {number} has "
                                        f"{len(text):,} characters, more than the limit of {job.limit:,} "
                                        "(see --max-chars)")
        if text:
            pending.append((number, text))
        if pending and (len(pending) >= job.args.batch_size or not ready()):
            yield job.rows(source, [{column: n} for n, _ in pending], [t for _, t in pending], with_text=True)
            pending = []
    if pending:
        yield job.rows(source, [{column: n} for n, _ in pending], [t for _, t in pending], with_text=True)


def _stdin_ready() -> bool:
    """Whether more of standard input is waiting (so a batch can grow without delaying an answer)."""
    try:
        return bool(select.select([sys.stdin], [], [], 0)[0])
    except (OSError, ValueError, TypeError):  # not a selectable stream (a test's in-memory stdin)
        return True


def _text_input(job: Job, source: str) -> tuple[kv.DocumentClassification | None, Iterator[Batch]]:
    """A document result for a Kamervragen document, else row batches of its lines or paragraphs."""
    args = job.args
    if args.mode == "lines" and source == "-":
        if sys.stdin is None:
            raise kv.InputError("standard input is closed")
        lines = kv.iter_lines(sys.stdin.buffer, "standard input", max_chars=args.max_chars, encoding=args.encoding)
        return None, _numbered_batches(job, source, enumerate(lines, start=1), "line", _stdin_ready)
    text = kv.read_text(source, encoding=args.encoding, max_chars=args.max_chars)
    if args.mode != "lines":
        document = kv.parse_document(text, lexicon=job.model.known_words)  # as classify_document reads a text
        if args.mode == "document" or document.kind != "unknown":
            return kv.classify_document(document, model=job.model, commitment_threshold=job.threshold), iter(())
        if pasted_paragraphs(text):
            units = enumerate((u.text for u in document.questions), start=1)
            return None, _numbered_batches(job, source, units, "question", lambda: True)
    return None, _numbered_batches(job, source, enumerate(text.splitlines(), start=1), "line", lambda: True)


def _document_rows(job: Job, source: str, result: kv.DocumentClassification) -> Batch:
    rows = []
    # A document without questions (oral questions, a cover letter) still routes: one row, no question.
    numbers = result.question_numbers
    for i, q in enumerate(result.questions or [None], start=1):
        row = {"source": source} if job.several else {}
        row.update({"question": None if q is None else numbers[i - 1], "position": None if q is None else i,
                    "text": None if q is None else q.unit.text})
        row.update(result_row(None if q is None else q.classification, job.tasks, job.args.top or 0))
        if "policy_area" in job.tasks:  # the area the document view shows: the question read in its document
            row["policy_area_in_document"] = None if q is None or q.policy_area is None else q.policy_area.label
            row["policy_area_in_document_score"] = (None if q is None or q.policy_area is None
                                                    else round(q.policy_area.score, 4))
        # The document's own fields on every row, so a folder of documents routes from one table.
        row["zaak"] = result.document.zaak
        row["routed_area"] = result.routed_area.label if result.routed_area else None
        if job.args.format_ != "json":
            row["model"], row["model_sha256"] = job.stamp["name"], job.stamp["sha256"]
        rows.append(row)
    return rows


def _progress(batches: Iterator[Batch], source: str, enabled: bool) -> Iterator[Batch]:
    """A progress bar on standard error (records), when it is a terminal."""
    if not enabled:
        yield from batches
        return
    from tqdm import tqdm

    with tqdm(desc=Path(source).name, unit=" records", file=sys.stderr, leave=False) as bar:
        for batch in batches:
            bar.update(len(batch))
            yield batch


def _batches(job: Job, source: str) -> Iterator[Batch]:
    if _is_table(source):
        yield from _progress(_record_batches(job, source), source, job.progress)
        return
    document, batches = _text_input(job, source)
    yield from batches if document is None else [_document_rows(job, source, document)]


def cmd_classify(args: argparse.Namespace, out: TextIO) -> int:
    _check_options(args)
    sources = args.files or ["-"]
    if sources == ["-"] and sys.stdin is not None and sys.stdin.isatty():
        args.print_usage(sys.stderr)
        print("kvclassify: give a file, or pipe text into standard input (see kvclassify classify --help)",
              file=sys.stderr)
        return 2
    args.format_ = args.format or (out_format(args.out) if args.out else "text")
    job = Job(args, kv.load_model(args.model), several=len(sources) > 1)
    job.progress = args.progress and sys.stderr is not None and sys.stderr.isatty()
    first: Iterator[Batch] | None = None
    if len(sources) == 1 and not _is_table(sources[0]) and args.out is None and args.format_ in ("text", "json"):
        # A single document is shown as a document (the view or its JSON object), not as rows.
        document, first = _text_input(job, sources[0])
        if document is not None:
            _emit_document(document, job, out)
            return 0
    with open_writer(args.format_, out, args.out, job.model) as writer:
        written = 0
        for source in sources:
            before = written
            for batch in first if first is not None else _batches(job, source):
                writer.write(batch)
                written += len(batch)
            if written == before:  # said, not silent: an empty file leaves no row to notice it by
                name = "standard input" if source == "-" else source
                print(f"kvclassify: {name}: nothing to classify (no {'records' if _is_table(source) else 'text'})",
                      file=sys.stderr)
        if not written:  # an empty input still makes a table that reads back: its columns
            writer.header(list(job.template(sources[0])))
    return 0


def _emit_document(result: kv.DocumentClassification, job: Job, out: TextIO) -> None:
    if job.args.format_ == "json":
        threshold, strict = kv.commitment_thresholds(job.model, job.threshold)
        extra = {"counts": head_counts(result), "commitment_thresholds": {"threshold": threshold, "strict": strict}}
        out.write(dumps({"model": job.stamp, **result.to_dict(), **extra}, indent=2) + "\n")
    else:
        print_document(result, job.model, out, wide=job.args.wide, threshold=job.threshold)


def head_counts(result: kv.DocumentClassification) -> dict[str, dict[str, int]]:
    """Per head, how many of the document's questions got each label (custom heads included)."""
    counts: dict[str, dict[str, int]] = {}
    for q in result.questions:
        for task, p in q.classification.predictions.items():
            counts.setdefault(task, {})
            counts[task][p.label] = counts[task].get(p.label, 0) + 1
    return {task: dict(sorted(c.items(), key=lambda kv_: (-kv_[1], kv_[0]))) for task, c in counts.items()}
