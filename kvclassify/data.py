"""Read record sets (JSON Lines, JSON, CSV/TSV, Parquet, in-memory, ``datasets``).

Every problem is a :class:`~kvclassify.errors.DataError` with a one-line message
that names the file and the line, byte offset or record index, so a user can
fix the data without a debugger. Records are never dropped silently: only
blank lines in JSON Lines and CSV are skipped.

Import cost matters (the CLI imports this module): ``pyarrow`` and
``datasets`` are imported only when a Parquet file or a ``datasets`` object
is actually read.

The text rule (``text_field=``) is the API's: a missing value (:func:`is_missing`,
and the empty cell of CSV, TSV and xlsx, their only way to write one) becomes None,
a value neither missing nor a ``str`` is an error naming the record; any ``str``,
blank or empty, is a text (the API gives it ``in_domain`` False).
"""

from __future__ import annotations

import csv
import json
import os
import re
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from .decoding import check_encoding, decode, file_lines
from .errors import DataError
from .limits import resolve_max_chars
from .missing import is_missing

__all__ = ["RECORD_FORMATS", "decode_file", "json_value", "iter_records", "read_records", "read_splits",
           "require_fields", "require_texts"]

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
_C_LONG_MAX = 2**31 - 1  # csv.field_size_limit takes a C long (32 bits on Windows)
_BINARY = frozenset({"parquet", "xlsx"})  # they store text as UTF-8 by their specification: no encoding applies
_CELLS = frozenset({"csv", "tsv", "xlsx"})  # no null but the empty cell
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # control characters but tab and line ends
#: How a reader's caller passes an encoding, for the message of a file that is not UTF-8.
_RETRY = "encoding='{0}' or, on the command line, --encoding {0}"


def read_records(
    source: Any, *, fmt: str | None = None, encoding: str | None = None, text_field: str | None = None
) -> list[dict[str, Any]]:
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
        ``json``, ``csv``, ``tsv``, ``parquet``, ``xlsx``.
    encoding
        Of a CSV, TSV, JSON or JSON Lines file (default: UTF-8, or UTF-16 with
        a byte-order mark); checked, but ignored by Parquet, xlsx and in-memory records.
    text_field
        The field checked by the text rule (see the module).

    Returns
    -------
    list of dict
        One dict per record, in file order.

    Raises
    ------
    DataError
        With a one-line message naming the problem and where it is.
    InputError
        ``encoding`` is not the name of a text encoding.

    Examples
    --------
    >>> read_records([{"text": "Het bericht 'X'"}, {"text": float("nan")}], text_field="text")
    [{'text': "Het bericht 'X'"}, {'text': None}]
    """
    check_encoding(encoding)
    if isinstance(source, (str, os.PathLike)):
        return _read_path(Path(source), fmt, encoding, text_field)
    records = _in_memory(source)
    return records if text_field is None else list(_checked_texts(records, text_field, "records", False))


def _in_memory(source: Any) -> list[dict[str, Any]]:
    if isinstance(source, (list, tuple)):
        return _from_sequence(source, "records")
    if (frame := _from_frame(source)) is not None:
        return frame
    if _as_dataset(source) is not None:
        if _is_dataset_dict(source):
            raise DataError("got a datasets.DatasetDict; use read_splits() to read its splits")
        return source.to_list()
    raise DataError(
        f"cannot read records from a {type(source).__name__}; expected a path, "
        "a list of dicts or a datasets.Dataset"
    )


def read_splits(source: Any, *, encoding: str | None = None) -> dict[str, list[dict[str, Any]]]:
    """Read a ``datasets.DatasetDict``, or a dict of split name to source, into ``{split: records}``.

    Anything else :func:`read_records` accepts becomes ``{"train": records}``;
    ``encoding`` is that of :func:`read_records`, for every file (checked for any source).

    Examples
    --------
    >>> read_splits([{"text": "a"}])
    {'train': [{'text': 'a'}]}
    >>> read_splits({"train": [{"text": "a"}], "test": [{"text": "b"}]})
    {'train': [{'text': 'a'}], 'test': [{'text': 'b'}]}
    """
    check_encoding(encoding)
    if _is_dataset_dict(source):
        return {name: split.to_list() for name, split in source.items()}
    if isinstance(source, Mapping):
        return {str(name): read_records(split, encoding=encoding) for name, split in source.items()}
    return {"train": read_records(source, encoding=encoding)}


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


def iter_records(
    source: str | os.PathLike[str], *, fmt: str | None = None, encoding: str | None = None, text_field: str | None = None
) -> Iterator[dict[str, Any]]:
    """Yield the records of a file one by one, in constant memory (JSON arrays excepted).

    JSON Lines, CSV/TSV, Parquet (in row batches) and ``.xlsx`` (first sheet)
    are streamed; the arguments and errors are those of :func:`read_records`,
    raised when the bad record is reached.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "q.csv"
    >>> _ = path.write_text("id,text\\n7,Kent u het bericht?\\n", encoding="utf-8")
    >>> next(iter_records(path))
    {'id': '7', 'text': 'Kent u het bericht?'}
    """
    if not isinstance(source, (str, os.PathLike)):
        raise DataError(f"iter_records reads a file: give its path, not a {type(source).__name__} "
                        "(read_records also takes records in memory)")
    path = Path(source)
    fmt = _format_of(path, fmt)
    check_encoding(encoding)
    if not path.exists():
        raise DataError(f"{path}: file not found")
    if path.is_dir():
        raise DataError(f"{path}: is a directory, expected a {fmt} file")
    if not path.is_file():  # a FIFO or a device has no size to check and may never end
        raise DataError(f"{path}: not a regular file (a FIFO or a device); save the table to a file first")
    if path.stat().st_size == 0:
        raise DataError(f"{path}: file is empty")
    records = _iter_format(path, fmt, None if fmt in _BINARY else encoding)
    yield from records if text_field is None else _checked_texts(records, text_field, str(path), fmt in _CELLS)


def _iter_format(path: Path, fmt: str, encoding: str | None) -> Iterator[dict[str, Any]]:
    if fmt == "parquet":
        yield from _iter_parquet(path)
    elif fmt == "xlsx":
        yield from _iter_xlsx(path)
    elif fmt == "json":
        yield from _parse_json(path, decode_file(path, path.read_bytes(), encoding))
    else:
        lines = file_lines(path, encoding, error=DataError, retry=_RETRY)
        yield from _iter_jsonl(path, lines) if fmt == "jsonl" else _iter_csv(path, lines, "\t" if fmt == "tsv" else ",")


def _checked_texts(records: Iterable[dict[str, Any]], field: str, where: str, empty: bool) -> Iterator[dict[str, Any]]:
    """The records with ``field`` checked by the text rule (see the module; ``empty``: "" is missing), numbered from 1."""
    for number, record in enumerate(records, start=1):
        value = record.get(field)
        if is_missing(value) or (empty and value == ""):
            if field in record:
                record = {**record, field: None}  # a copy: a caller's own dicts stay as they were
        elif not isinstance(value, str):
            raise DataError(f"{where}: record {number}: {field!r} must be a str, got {type(value).__name__}; "
                            "store the texts as strings, or read another text field")
        yield record


def _read_path(path: Path, fmt: str | None, encoding: str | None, text_field: str | None) -> list[dict[str, Any]]:
    records = list(iter_records(path, fmt=fmt, encoding=encoding, text_field=text_field))
    if not records and _format_of(path, fmt) != "parquet" and not _has_content(path, fmt, encoding):
        raise DataError(f"{path}: file is empty (only whitespace)")
    return records


def _has_content(path: Path, fmt: str | None, encoding: str | None) -> bool:
    if _format_of(path, fmt) == "xlsx":
        return True
    return any(line.strip() for line in file_lines(path, encoding, error=DataError, retry=_RETRY))


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


def decode_file(path: Path, raw: bytes, encoding: str | None = None, retry: str | None = _RETRY) -> str:
    """A data file's bytes by the one decoding rule (see :func:`kvclassify.decoding.decode`), failing as a DataError."""
    return decode(raw, str(path), encoding, error=DataError, retry=retry)


def json_value(text: str, where: str, *, document: bool = False, extra_data: str = "") -> Any:
    """Parse JSON, failing as a one-line DataError (naming the line of a ``document``), nesting too deep included."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        line = f"line {exc.lineno}: " if document else ""
        hint = extra_data if exc.msg == "Extra data" else ""
        raise DataError(f"{where}: {line}invalid JSON: {exc.msg} (column {exc.colno}){hint}") from None
    except RecursionError:
        raise DataError(f"{where}: JSON nested too deeply") from None
    except ValueError as exc:  # an integer of more digits than Python converts (sys.set_int_max_str_digits)
        raise DataError(f"{where}: a JSON value cannot be read: {exc}") from None


def _iter_jsonl(path: Path, lines: Iterator[str]) -> Iterator[dict[str, Any]]:
    # Lines split on "\\n" only (reading binary lines): str.splitlines() would also split on
    # U+2028 etc., which may legitimately occur inside JSON strings.
    for lineno, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        value = json_value(line, f"{path}: line {lineno}")
        if not isinstance(value, dict):
            raise DataError(
                f"{path}: line {lineno}: expected a JSON object, got {_json_type(value)}"
            )
        yield value


def _parse_json(path: Path, text: str) -> list[dict[str, Any]]:
    hint = " (this looks like JSON Lines: rename to .jsonl or pass fmt='jsonl')"
    value = json_value(text, str(path), document=True, extra_data=hint)
    if not isinstance(value, list):
        raise DataError(f"{path}: expected a JSON array of objects, got {_json_type(value)}")
    return _from_sequence(value, str(path))


def _iter_csv(path: Path, lines: Iterator[str], delimiter: str) -> Iterator[dict[str, Any]]:
    # The csv module's default cell limit (131,072 characters) is far below the text limit; a cell up to
    # that is read (raising a process-wide limit, never lowering it).
    csv.field_size_limit(max(csv.field_size_limit(), min(resolve_max_chars(None), _C_LONG_MAX)))
    reader = csv.reader(lines, delimiter=delimiter, strict=True)
    try:
        header = next(reader, None)
        while header == []:  # leading blank lines
            header = next(reader, None)
        if header is None or not any(name.strip() for name in header):
            raise DataError(f"{path}: no header row")
        if delimiter == "," and len(header) == 1 and ";" in header[0]:  # a Dutch spreadsheet's "CSV"
            raise DataError(f"{path}: line 1: the header {header[0]!r} is separated by semicolons, not commas; "
                            "save the table with commas, as .tsv or as .xlsx")
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
        if control := _CONTROL.search(str(name)):  # no header holds these: the bytes were decoded wrongly
            raise DataError(f"{path}: line 1: header column {position} holds the control character "
                            f"U+{ord(control[0]):04X}; is the file in the encoding it was read with?")
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
        {str(k): (None if is_missing(v) else v) for k, v in row.items()}
        for row in source.astype(object).to_dict("records")
    ]


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
