"""Read record sets (JSON Lines, JSON, CSV/TSV, Parquet, in-memory, ``datasets``).

Every problem is a :class:`~kvclassify.errors.DataError` with a one-line message
that names the file and the line, byte offset or record index, so a user can
fix the data without a debugger. Records are never dropped silently: only
blank lines in JSON Lines and CSV are skipped.

Import cost matters (the CLI imports this module): ``pyarrow`` and
``datasets`` are imported only when a Parquet file or a ``datasets`` object
is actually read.
"""

from __future__ import annotations

import codecs
import csv
import json
import math
import os
import sys
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from .errors import DataError
from .reading import decode

__all__ = ["RECORD_FORMATS", "iter_records", "read_records", "read_splits", "require_fields", "require_texts"]

#: File suffix -> format name understood by ``read_records(fmt=...)``.
RECORD_FORMATS: dict[str, str] = {
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "json",
    ".csv": "csv",
    ".tsv": "tsv",
    ".parquet": "parquet",
    ".xlsx": "xlsx",
}

_FMT_NAMES = frozenset(RECORD_FORMATS.values())
_BATCH = 1024  # Parquet rows per read


def read_records(source: Any, *, fmt: str | None = None) -> list[dict[str, Any]]:
    """Read a record set into a list of dicts.

    Parameters
    ----------
    source
        A path (``str`` or path-like) to a ``.jsonl``/``.ndjson``, ``.json``
        (an array of objects), ``.csv``/``.tsv`` (header row required; values
        stay strings), ``.parquet`` or ``.xlsx`` (first sheet, the ``xlsx``
        extra) file; a list or tuple of dicts; a pandas ``DataFrame`` (empty
        cells become None); or a ``datasets.Dataset``.
    fmt
        Format name overriding detection by suffix: one of ``jsonl``,
        ``json``, ``csv``, ``tsv``, ``parquet``.

    Returns
    -------
    list of dict
        One dict per record, in file order.

    Raises
    ------
    DataError
        With a one-line message naming the problem and where it is.

    Examples
    --------
    >>> read_records([{"text": "Het bericht 'X'"}])
    [{'text': "Het bericht 'X'"}]
    """
    if isinstance(source, (str, os.PathLike)):
        return _read_path(Path(source), fmt)
    if isinstance(source, (list, tuple)):
        return _from_sequence(source, "records")
    frame = _from_frame(source)
    if frame is not None:
        return frame
    dataset = _as_dataset(source)
    if dataset is not None:
        if _is_dataset_dict(source):
            raise DataError("got a datasets.DatasetDict; use read_splits() to read its splits")
        return dataset.to_list()
    raise DataError(
        f"cannot read records from a {type(source).__name__}; expected a path, "
        "a list of dicts or a datasets.Dataset"
    )


def read_splits(source: Any) -> dict[str, list[dict[str, Any]]]:
    """Read a ``datasets.DatasetDict``, or a dict of split name to source, into ``{split: records}``.

    Anything else :func:`read_records` accepts becomes ``{"train": records}``.

    Examples
    --------
    >>> read_splits([{"text": "a"}])
    {'train': [{'text': 'a'}]}
    >>> read_splits({"train": [{"text": "a"}], "test": [{"text": "b"}]})
    {'train': [{'text': 'a'}], 'test': [{'text': 'b'}]}
    """
    if _is_dataset_dict(source):
        return {name: split.to_list() for name, split in source.items()}
    if isinstance(source, Mapping):
        return {str(name): read_records(split) for name, split in source.items()}
    return {"train": read_records(source)}


def require_fields(
    records: Sequence[Mapping[str, Any]], fields: Sequence[str], *, source: str = "data"
) -> None:
    """Raise :class:`DataError` unless every record has every field.

    The message names the field, how many records lack it and the first one
    (0-based index).

    Examples
    --------
    >>> require_fields([{"text": "a", "policy_area": None}], ["text", "policy_area"])
    >>> require_fields([{"text": "a"}], ["policy_area"], source="train.jsonl")
    Traceback (most recent call last):
    ...
    kvclassify.errors.DataError: train.jsonl: field 'policy_area' is missing in 1 of 1 records (first: record 0)
    """
    for field in fields:
        missing = [i for i, record in enumerate(records) if field not in record]
        if missing:
            raise DataError(
                f"{source}: field {field!r} is missing in {len(missing)} of {len(records)} "
                f"records (first: record {missing[0]})"
            )


def require_texts(
    records: Sequence[Mapping[str, Any]], field: str = "text", *, source: str = "data"
) -> None:
    """Raise :class:`DataError` unless ``record[field]`` is a non-empty string everywhere.

    Examples
    --------
    >>> require_texts([{"text": "   "}], source="dev.jsonl")
    Traceback (most recent call last):
    ...
    kvclassify.errors.DataError: dev.jsonl: record 0: 'text' is a blank string; expected a non-empty string (1 of 1 records are bad)
    """
    bad: list[tuple[int, str]] = []
    for i, record in enumerate(records):
        value = record.get(field)
        if not isinstance(value, str):
            what = "None" if value is None else f"a {type(value).__name__}"
            bad.append((i, "missing" if field not in record else what))
        elif not value.strip():
            bad.append((i, "a blank string" if value else "an empty string"))
    if bad:
        index, what = bad[0]
        raise DataError(
            f"{source}: record {index}: {field!r} is {what}; expected a non-empty string "
            f"({len(bad)} of {len(records)} records are bad)"
        )


# -- paths ---------------------------------------------------------------------------------


def iter_records(source: str | os.PathLike[str], *, fmt: str | None = None) -> Iterator[dict[str, Any]]:
    """Yield the records of a file one by one, in constant memory (JSON arrays excepted).

    JSON Lines, CSV/TSV, Parquet (in row batches) and ``.xlsx`` (first sheet)
    are streamed; errors are those of :func:`read_records`, raised when the
    bad record is reached.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "q.csv"
    >>> _ = path.write_text("id,text\\n7,Kent u het bericht?\\n", encoding="utf-8")
    >>> next(iter_records(path))
    {'id': '7', 'text': 'Kent u het bericht?'}
    """
    path = Path(source)
    fmt = _format_of(path, fmt)
    if not path.exists():
        raise DataError(f"{path}: file not found")
    if path.is_dir():
        raise DataError(f"{path}: is a directory, expected a {fmt} file")
    if path.stat().st_size == 0:
        raise DataError(f"{path}: file is empty")
    if fmt == "parquet":
        yield from _iter_parquet(path)
    elif fmt == "xlsx":
        yield from _iter_xlsx(path)
    elif fmt == "json":
        yield from _parse_json(path, _decode(path, path.read_bytes()))
    else:
        lines = _text_lines(path)
        yield from _iter_jsonl(path, lines) if fmt == "jsonl" else _iter_csv(path, lines, "\t" if fmt == "tsv" else ",")


def _read_path(path: Path, fmt: str | None) -> list[dict[str, Any]]:
    records = list(iter_records(path, fmt=fmt))
    if not records and _format_of(path, fmt) != "parquet" and not _has_content(path, fmt):
        raise DataError(f"{path}: file is empty (only whitespace)")
    return records


def _has_content(path: Path, fmt: str | None) -> bool:
    if _format_of(path, fmt) == "xlsx":
        return True
    return any(line.strip() for line in _text_lines(path))


def _format_of(path: Path, fmt: str | None) -> str:
    if fmt is not None:
        if fmt not in _FMT_NAMES:
            raise DataError(f"unknown format {fmt!r}; supported: {', '.join(sorted(_FMT_NAMES))}")
        return fmt
    try:
        return RECORD_FORMATS[path.suffix.lower()]
    except KeyError:
        raise DataError(
            f"{path}: unknown extension {path.suffix or '(none)'!r}; supported: "
            f"{', '.join(RECORD_FORMATS)} (or pass fmt=...)"
        ) from None


def _decode(path: Path, raw: bytes) -> str:
    """The one decoding rule (see :func:`kvclassify.reading.decode`), failing as a DataError."""
    return decode(raw, str(path), error=DataError)


def _text_lines(path: Path) -> Iterator[str]:
    """The decoded lines of a text file, each ending in its newline, read as they are needed."""
    with path.open("rb") as stream:
        if stream.read(2) in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
            # UTF-16 lines do not split on a single b"\\n" byte: decode the file in one go.
            stream.seek(0)
            yield from _decode(path, stream.read()).splitlines(keepends=True)
            return
        stream.seek(0)
        offset = 0
        for number, raw in enumerate(stream, start=1):
            yield decode(raw, str(path), error=DataError, offset=offset, line=number)
            offset += len(raw)


def _json_value(text: str, where: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise DataError(f"{where}: invalid JSON: {exc.msg} (column {exc.colno})") from None
    except RecursionError:
        raise DataError(f"{where}: JSON nested too deeply") from None


def _iter_jsonl(path: Path, lines: Iterator[str]) -> Iterator[dict[str, Any]]:
    # Lines split on "\\n" only (reading binary lines): str.splitlines() would also split on
    # U+2028 etc., which may legitimately occur inside JSON strings.
    for lineno, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        value = _json_value(line, f"{path}: line {lineno}")
        if not isinstance(value, dict):
            raise DataError(
                f"{path}: line {lineno}: expected a JSON object, got {_json_type(value)}"
            )
        yield value


def _parse_json(path: Path, text: str) -> list[dict[str, Any]]:
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        hint = (
            " (this looks like JSON Lines: rename to .jsonl or pass fmt='jsonl')"
            if exc.msg == "Extra data"
            else ""
        )
        raise DataError(
            f"{path}: line {exc.lineno}: invalid JSON: {exc.msg} (column {exc.colno}){hint}"
        ) from None
    except RecursionError:
        raise DataError(f"{path}: JSON nested too deeply") from None
    if not isinstance(value, list):
        raise DataError(f"{path}: expected a JSON array of objects, got {_json_type(value)}")
    return _from_sequence(value, str(path))


def _iter_csv(path: Path, lines: Iterator[str], delimiter: str) -> Iterator[dict[str, Any]]:
    reader = csv.reader(lines, delimiter=delimiter, strict=True)
    try:
        header = next(reader, None)
        while header == []:  # leading blank lines
            header = next(reader, None)
        if header is None or not any(name.strip() for name in header):
            raise DataError(f"{path}: no header row")
        _check_header(path, header)
        for row in reader:
            if not row:
                continue
            if len(row) != len(header):
                raise DataError(
                    f"{path}: line {reader.line_num}: {len(row)} fields, but the header has "
                    f"{len(header)} (check the delimiter and quoting)"
                )
            yield dict(zip(header, row))
    except csv.Error as exc:
        raise DataError(f"{path}: line {reader.line_num}: malformed CSV: {exc}") from None


def _check_header(path: Path, header: Sequence[Any]) -> None:
    # An empty or repeated column name would make dict(zip(...)) lose values.
    seen: set[str] = set()
    for position, name in enumerate(header, start=1):
        if name is None or not str(name).strip():
            raise DataError(f"{path}: line 1: header column {position} has no name")
        if name in seen:
            raise DataError(f"{path}: line 1: header column {name!r} appears twice")
        seen.add(name)


def _iter_parquet(path: Path) -> Iterator[dict[str, Any]]:
    import pyarrow.parquet as pq  # lazy: pyarrow is slow to import

    try:
        for batch in pq.ParquetFile(path).iter_batches(batch_size=_BATCH):
            yield from batch.to_pylist()
    except Exception as exc:  # pyarrow raises several unrelated types (ArrowInvalid, OSError...)
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise DataError(f"{path}: cannot read Parquet file: {first}") from None


def _iter_xlsx(path: Path) -> Iterator[dict[str, Any]]:
    try:
        import openpyxl
    except ImportError:
        raise DataError(f"{path}: reading .xlsx needs the extra: pip install 'kvclassify[xlsx]'") from None
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises zipfile, KeyError and XML errors alike on damaged files
        raise DataError(f"{path}: cannot read the workbook: {str(exc).splitlines()[0] if str(exc) else exc!r}") from None
    try:
        rows = book.worksheets[0].iter_rows(values_only=True)
        header = next(rows, None)
        if header is None:
            raise DataError(f"{path}: no header row")
        while header and header[-1] is None:  # trailing empty columns
            header = header[:-1]
        _check_header(path, header)
        for number, row in enumerate(rows, start=2):
            if all(v is None for v in row):
                continue
            if any(v is not None for v in row[len(header):]):
                raise DataError(f"{path}: row {number}: a value right of the last named column")
            yield {str(name): value for name, value in zip(header, row)}
    finally:
        book.close()


# -- in-memory -----------------------------------------------------------------------------


def _from_sequence(items: Sequence[Any], name: str) -> list[dict[str, Any]]:
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            raise DataError(f"{name}: item {index} is a {type(item).__name__}, expected a dict")
    return list(items)


def _from_frame(source: Any) -> list[dict[str, Any]] | None:
    """The rows of a pandas DataFrame as dicts (NaN/NA cells as None), or None for anything else."""
    pandas = sys.modules.get("pandas")  # a DataFrame exists only if pandas was imported
    if pandas is None or not isinstance(source, pandas.DataFrame):
        return None
    if not source.columns.is_unique:
        raise DataError("DataFrame: column names repeat; rename them first")
    return [
        {str(k): (None if _is_na(v) else v) for k, v in row.items()}
        for row in source.astype(object).to_dict("records")
    ]


def _is_na(value: Any) -> bool:
    pandas = sys.modules["pandas"]
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pandas.NA or value is pandas.NaT


def _json_type(value: Any) -> str:
    names = {dict: "an object", list: "an array", str: "a string", bool: "a boolean"}
    if value is None:
        return "null"
    return names.get(type(value), "a number")


def _as_dataset(source: Any) -> Any:
    """Return ``source`` if it is a ``datasets`` Dataset or DatasetDict, else None."""
    # A datasets object can only exist if the module has been imported, so checking
    # sys.modules avoids importing the (slow) library for every other source.
    datasets = sys.modules.get("datasets")
    if datasets is None:
        return None
    if isinstance(source, (datasets.Dataset, datasets.DatasetDict)):
        return source
    return None


def _is_dataset_dict(source: Any) -> bool:
    datasets = sys.modules.get("datasets")
    return datasets is not None and isinstance(source, datasets.DatasetDict)
