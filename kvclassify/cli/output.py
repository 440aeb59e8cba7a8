"""Rows of results and the writers that put them out: text, JSON, JSON Lines, CSV, Parquet.

A row is a flat dict: the input's id, the kept fields, per head its label,
score and (with ``--top``) its best labels, the commitment flag and
``in_domain``. Writers take rows batch by batch and flush after each one, so
a stream is answered as it arrives and a table of any length needs constant
memory. A file named with ``--out`` is written through :func:`kvclassify.atomic_path`:
checked first, then a temporary file beside it renamed when complete, so a
failed or killed run leaves no half-written table.
"""

from __future__ import annotations

import contextlib
import csv
import json
import math
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, Protocol, TextIO

import kvclassify as kv

#: Output formats by the suffix of ``--out``.
OUT_FORMATS = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json", ".parquet": "parquet"}


def model_stamp(model: kv.Model) -> dict[str, Any]:
    """Name, version and sha256 of the model, for every output."""
    info = model.info
    return {"name": info.name, "version": info.version, "sha256": info.sha256}


def result_row(c: kv.Classification | None, tasks: Sequence[str], top: int) -> dict[str, Any]:
    """The result columns of one text; all None for a skipped text (``c is None``)."""
    row: dict[str, Any] = {}
    for task in tasks:
        p = c.predictions[task] if c is not None else None
        row[task] = p.label if p else None
        row[f"{task}_score"] = round(p.score, 4) if p else None
        if top:
            row[f"{task}_top"] = [[label, round(v, 4)] for label, v in p.top(top)] if p else None
    if "question_type" in tasks:
        row["asks_commitment"] = c.asks_commitment if c is not None else None
        row["commitment_probability"] = (
            round(c.commitment_probability, 4) if c is not None and c.commitment_probability is not None else None
        )
    row["in_domain"] = c.in_domain if c is not None else None
    return row


def _plain(value: Any) -> Any:
    """A value JSON can hold: NaN and infinities become null, dates and other objects their text."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return str(value)


def dumps(value: Any, indent: int | None = None) -> str:
    """JSON text without bare NaN (``allow_nan=False`` after making values plain)."""
    return json.dumps(_plain(value), ensure_ascii=False, indent=indent, allow_nan=False)


class Writer(Protocol):
    def write(self, rows: list[dict[str, Any]]) -> None: ...

    def header(self, columns: list[str]) -> None:
        """Called when no row was written: a table format writes its columns (a valid empty table)."""

    def close(self) -> None: ...


class JsonlWriter:
    def __init__(self, out: TextIO) -> None:
        self.out = out

    def write(self, rows: list[dict[str, Any]]) -> None:
        self.out.write("".join(dumps(r) + "\n" for r in rows))
        self.out.flush()

    def header(self, columns: list[str]) -> None:
        pass  # no rows, no lines: an empty JSON Lines file is an empty table

    def close(self) -> None:
        self.out.flush()


class JsonWriter:
    """One JSON array of row objects, written as the rows come."""

    def __init__(self, out: TextIO, stamp: dict[str, Any]) -> None:
        self.out, self.first = out, True
        out.write('{\n  "model": ' + dumps(stamp) + ',\n  "rows": [')

    def write(self, rows: list[dict[str, Any]]) -> None:
        for r in rows:
            self.out.write(("\n    " if self.first else ",\n    ") + dumps(r))
            self.first = False
        self.out.flush()

    def header(self, columns: list[str]) -> None:
        pass  # its rows are an empty list

    def close(self) -> None:
        self.out.write("\n  ]\n}\n" if not self.first else "]\n}\n")
        self.out.flush()


def _is_top(value: Any) -> bool:
    """Whether a value is a ``--top`` list: [label, probability] pairs."""
    return isinstance(value, list) and all(
        isinstance(v, list) and len(v) == 2 and isinstance(v[0], str) and isinstance(v[1], float) for v in value
    )


def _cell(key: str, value: Any) -> Any:
    if key.endswith("_top") and _is_top(value):  # "label:0.81|label:0.12"
        return "|".join(f"{label}:{p}" for label, p in value)
    if isinstance(value, (list, dict)):  # a kept field of a JSON record: as JSON, not as Python's repr
        return dumps(value)
    if isinstance(value, float) and not math.isfinite(value):
        return ""
    return value


class CsvWriter:
    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.writer: csv.DictWriter[str] | None = None

    def write(self, rows: list[dict[str, Any]]) -> None:
        if rows and self.writer is None:
            self.writer = csv.DictWriter(self.out, list(rows[0]), restval="", lineterminator="\n")
            self.writer.writeheader()
        for r in rows:
            assert self.writer is not None
            new = set(r) - set(self.writer.fieldnames)
            if new:  # e.g. a document's "question" after a list's "line": a CSV has one header
                raise kv.InputError(
                    f"inputs of different kinds cannot share one CSV (new columns {', '.join(sorted(new))}); "
                    "use --format jsonl or one call per kind"
                )
            self.writer.writerow({k: _cell(k, v) for k, v in r.items()})
        self.out.flush()

    def header(self, columns: list[str]) -> None:
        csv.DictWriter(self.out, columns, lineterminator="\n").writeheader()

    def close(self) -> None:
        self.out.flush()


class ParquetWriter:
    """Row batches into one Parquet file; the schema is that of the first batch (ids and kept fields as text)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.writer: Any = None

    def write(self, rows: list[dict[str, Any]]) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        if not rows:
            return
        try:
            table = pa.Table.from_pylist([{k: _parquet_value(k, v) for k, v in r.items()} for r in rows])
            if self.writer is None:
                self.writer = pq.ParquetWriter(self.path, table.schema)
            self.writer.write_table(table.cast(self.writer.schema))
        except (pa.ArrowInvalid, pa.ArrowTypeError, ValueError) as exc:
            raise kv.DataError(f"cannot write Parquet: a column changes type between rows ({exc})") from None

    def header(self, columns: list[str]) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        pq.write_table(pa.table({c: pa.array([], type=pa.string()) for c in columns}), self.path)

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()


def _parquet_value(key: str, value: Any) -> Any:
    """A --top list as a list of ``{label, probability}`` structs; other values made plain."""
    if key.endswith("_top") and _is_top(value):
        return [{"label": label, "probability": p} for label, p in value]
    return _plain(value)


class TextWriter:
    """One aligned line per row: the id, each head's label and score, the flags, the start of the text."""

    def __init__(self, out: TextIO, model: kv.Model) -> None:
        self.out, self.stamp, self.rows = out, model_stamp(model), 0
        self.widths = {t: max(len(c) for c in h.classes_) for t, h in model.heads.items()}

    def write(self, rows: list[dict[str, Any]]) -> None:
        lines = []
        for r in rows:
            # A document's question shows its area read in its document, as the document view does.
            shown_as = {t: t + "_in_document" if t + "_in_document" in r else t for t in self.widths}
            parts = [f"{r[k] or '-':<{w}} {r[k + '_score'] or 0:.2f}" for t, w in self.widths.items()
                     for k in (shown_as[t],)]
            flags = ("  [commitment]" if r.get("asks_commitment") else "") + (
                "  [out of domain]" if r["in_domain"] is False else ""
            )
            where = f"{r['source']}:" if "source" in r else ""
            text = short(str(r.get("text", "")), 80)
            number = next(v for k, v in r.items() if k != "source")  # the id column comes first
            lines.append(f"{where}{number!s:>5}  {'  '.join(parts)}{flags}  {text}".rstrip() + "\n")
        self.out.write("".join(lines))
        self.out.flush()
        self.rows += len(rows)

    def header(self, columns: list[str]) -> None:
        pass  # no input, no output

    def close(self) -> None:
        if self.rows:  # no input, no output
            self.out.write(f"model: {stamp_line(self.stamp)}\n")
        self.out.flush()


def shown(text: Any, controls_only: bool = False) -> str:
    """``text`` as a terminal may show it: every non-printable character as an escape (``\\x1b``, ``\\n``).

    A model file or an input is untrusted: its strings must not move the
    cursor, recolour the terminal or forge a line of their own (a second
    ``sha256:``). ``controls_only`` escapes only control characters and
    keeps format characters (a soft hyphen in a question's text).

    Examples
    --------
    >>> shown("v1\\nsha256: 00"), shown("\\x1b[31mrood")
    ('v1\\\\nsha256: 00', '\\\\x1b[31mrood')
    """
    text = str(text)
    if text.isprintable():
        return text
    keep = (lambda c: unicodedata.category(c) != "Cc") if controls_only else str.isprintable
    return "".join(c if keep(c) else repr(c)[1:-1] for c in text)  # repr escapes exactly these


def stamp_line(stamp: dict[str, Any]) -> str:
    """``name version (sha256 …)``: how text output names the model."""
    return f"{shown(stamp['name'])} {shown(stamp['version'])} (sha256 {stamp['sha256'] or 'not saved yet'})"


def short(text: str, width: int = 90) -> str:
    """``text`` on one line, cut to ``width`` characters with an ellipsis, its control characters escaped."""
    flat = shown(" ".join(text.split()), controls_only=True)
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def out_format(path: str) -> str:
    """The format ``--out`` implies by its suffix, else a usage error listing the suffixes."""
    try:
        return OUT_FORMATS[Path(path).suffix.lower()]
    except KeyError:
        raise kv.InputError(f"--out {path}: unknown extension; use one of {', '.join(OUT_FORMATS)}") from None


def check_out(path: str, inputs: Iterable[Any] = ()) -> None:
    """Refuse an ``--out`` that cannot be written or is one of the ``inputs`` (:func:`kvclassify.check_target`)
    as a bad argument (exit 3).

    Called before any input is read; a write that fails later is an ``OutputError`` (exit 1).
    """
    try:
        kv.check_target(path, inputs)
    except kv.OutputError as exc:
        raise kv.InputError(f"--out: {exc}") from None


@contextlib.contextmanager
def open_writer(fmt: str, out: TextIO, path: str | None, model: kv.Model) -> Iterator[Writer]:
    """The writer for ``fmt``, on ``out`` or (atomically) on ``path``."""
    if path is None:
        writer: Writer = (
            JsonlWriter(out) if fmt == "jsonl" else JsonWriter(out, model_stamp(model)) if fmt == "json"
            else CsvWriter(out) if fmt == "csv" else TextWriter(out, model)
        )
        yield writer
        writer.close()
        return
    with kv.atomic_path(path) as tmp:
        if fmt == "parquet":
            parquet = ParquetWriter(tmp)
            try:
                yield parquet
            finally:
                parquet.close()
            return
        with open(tmp, "w", encoding="utf-8", newline="") as stream:
            with open_writer(fmt, stream, None, model) as inner:
                yield inner
