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
import io
import json
import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from kvclassify.errors import DataError

__all__ = ["FORMATS", "read_records", "read_splits", "require_fields", "require_texts"]

#: File suffix -> format name understood by ``read_records(fmt=...)``.
FORMATS: dict[str, str] = {
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "json",
    ".csv": "csv",
    ".tsv": "tsv",
    ".parquet": "parquet",
}

_FMT_NAMES = frozenset(FORMATS.values())


def read_records(source: Any, *, fmt: str | None = None) -> list[dict[str, Any]]:
    """Read a record set into a list of dicts.

    Parameters
    ----------
    source
        A path (``str`` or path-like) to a ``.jsonl``/``.ndjson``, ``.json``
        (an array of objects), ``.csv``/``.tsv`` (header row required; values
        stay strings) or ``.parquet`` file; a list or tuple of dicts; or a
        ``datasets.Dataset``.
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
    """Read a ``datasets.DatasetDict`` into ``{split: records}``.

    Anything else :func:`read_records` accepts becomes ``{"train": records}``.

    Examples
    --------
    >>> read_splits([{"text": "a"}])
    {'train': [{'text': 'a'}]}
    """
    if _is_dataset_dict(source):
        return {name: split.to_list() for name, split in source.items()}
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


def _read_path(path: Path, fmt: str | None) -> list[dict[str, Any]]:
    fmt = _format_of(path, fmt)
    if not path.exists():
        raise DataError(f"{path}: file not found")
    if path.is_dir():
        raise DataError(f"{path}: is a directory, expected a {fmt} file")
    if path.stat().st_size == 0:
        raise DataError(f"{path}: file is empty")
    if fmt == "parquet":
        return _read_parquet(path)
    text = _decode(path, path.read_bytes())
    if not text.strip():
        raise DataError(f"{path}: file is empty (only whitespace)")
    if fmt == "jsonl":
        return _parse_jsonl(path, text)
    if fmt == "json":
        return _parse_json(path, text)
    return _parse_csv(path, text, "\t" if fmt == "tsv" else ",")


def _format_of(path: Path, fmt: str | None) -> str:
    if fmt is not None:
        if fmt not in _FMT_NAMES:
            raise DataError(f"unknown format {fmt!r}; supported: {', '.join(sorted(_FMT_NAMES))}")
        return fmt
    try:
        return FORMATS[path.suffix.lower()]
    except KeyError:
        raise DataError(
            f"{path}: unknown extension {path.suffix or '(none)'!r}; supported: "
            f"{', '.join(FORMATS)} (or pass fmt=...)"
        ) from None


def _decode(path: Path, raw: bytes) -> str:
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise DataError(
            f"{path}: file is UTF-16 (byte-order mark found); re-encode it as UTF-8, "
            f"e.g. iconv -f UTF-16 -t UTF-8"
        )
    try:
        # utf-8-sig: a UTF-8 byte-order mark (Excel, Notepad) is not part of the data.
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        # UTF-16 without a BOM shows up as NUL bytes between ASCII characters.
        hint = (
            "it looks like UTF-16; re-encode it as UTF-8, e.g. iconv -f UTF-16 -t UTF-8"
            if b"\x00" in raw[:200]
            else "re-encode it as UTF-8, e.g. iconv -f LATIN1 -t UTF-8 if it is Latin-1/Windows-1252"
        )
        raise DataError(
            f"{path}: not UTF-8: byte {raw[exc.start]:#04x} at byte offset {exc.start} "
            f"(line {line}); {hint}"
        ) from None


def _parse_jsonl(path: Path, text: str) -> list[dict[str, Any]]:
    records = []
    # Split on "\n" only: str.splitlines() would also split on U+2028 etc.,
    # which may legitimately occur inside JSON strings.
    for lineno, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as exc:
            raise DataError(
                f"{path}: line {lineno}: invalid JSON: {exc.msg} (column {exc.colno})"
            ) from None
        if not isinstance(value, dict):
            raise DataError(
                f"{path}: line {lineno}: expected a JSON object, got {_json_type(value)}"
            )
        records.append(value)
    return records


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
    if not isinstance(value, list):
        raise DataError(f"{path}: expected a JSON array of objects, got {_json_type(value)}")
    return _from_sequence(value, str(path))


def _parse_csv(path: Path, text: str, delimiter: str) -> list[dict[str, Any]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = next(reader, None)
        while header == []:  # leading blank lines
            header = next(reader, None)
        if header is None or not any(name.strip() for name in header):
            raise DataError(f"{path}: no header row")
        _check_header(path, header)
        records = []
        for row in reader:
            if not row:
                continue
            if len(row) != len(header):
                raise DataError(
                    f"{path}: line {reader.line_num}: {len(row)} fields, but the header has "
                    f"{len(header)} (check the delimiter and quoting)"
                )
            records.append(dict(zip(header, row)))
    except csv.Error as exc:
        raise DataError(f"{path}: line {reader.line_num}: malformed CSV: {exc}") from None
    return records


def _check_header(path: Path, header: list[str]) -> None:
    # An empty or repeated column name would make dict(zip(...)) lose values.
    seen: set[str] = set()
    for position, name in enumerate(header, start=1):
        if not name.strip():
            raise DataError(f"{path}: line 1: header column {position} has no name")
        if name in seen:
            raise DataError(f"{path}: line 1: header column {name!r} appears twice")
        seen.add(name)


def _read_parquet(path: Path) -> list[dict[str, Any]]:
    import pyarrow.parquet as pq  # lazy: pyarrow is slow to import

    try:
        return pq.read_table(path).to_pylist()
    except Exception as exc:  # pyarrow raises several unrelated types (ArrowInvalid, OSError...)
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise DataError(f"{path}: cannot read Parquet file: {first}") from None


# -- in-memory -----------------------------------------------------------------------------


def _from_sequence(items: Sequence[Any], name: str) -> list[dict[str, Any]]:
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            raise DataError(f"{name}: item {index} is a {type(item).__name__}, expected a dict")
    return list(items)


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
