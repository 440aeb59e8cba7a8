"""Tests of kvclassify.data: reading record sets and the errors for bad ones."""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import pytest

from kvclassify.data import iter_records, read_records, read_splits, require_fields, require_texts
from kvclassify.errors import DataError

RECORDS = [
    {"id": "2019Z17063", "text": "Het bericht 'Zorgkosten stijgen'", "policy_area": "zorg_welzijn"},
    {"id": "2019Z17064", "text": "De Groningse gaswinning, één vraag", "policy_area": "klimaat_energie"},
]


def _jsonl(records):
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


# -- round trips ---------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".jsonl", ".ndjson"])
def test_jsonl_round_trip_skips_blank_lines(tmp_path, suffix):
    path = tmp_path / f"d{suffix}"
    path.write_text("\n" + _jsonl(RECORDS[:1]) + "  \n\n" + _jsonl(RECORDS[1:]), encoding="utf-8")
    assert read_records(path) == RECORDS
    assert read_records(str(path)) == RECORDS


def test_json_round_trip(tmp_path):
    path = tmp_path / "d.json"
    path.write_text(json.dumps(RECORDS, ensure_ascii=False, indent=2), encoding="utf-8")
    assert read_records(path) == RECORDS


def test_csv_and_tsv_round_trip_with_quoted_fields(tmp_path):
    records = [{"id": "1", "text": 'Zegt "u", met\nnieuwe regel'}, {"id": "2", "text": "b"}]
    for suffix, delimiter in ((".csv", ","), (".tsv", "\t")):
        path = tmp_path / f"d{suffix}"
        with path.open("w", encoding="utf-8", newline="") as f:
            writer = csv.DictWriter(f, ["id", "text"], delimiter=delimiter)
            writer.writeheader()
            writer.writerows(records)
        assert read_records(path) == records


def test_utf8_bom_is_not_part_of_the_first_column(tmp_path):
    path = tmp_path / "excel.csv"
    path.write_bytes("\ufeffid,text\n1,a\n".encode())
    assert read_records(path) == [{"id": "1", "text": "a"}]


def test_parquet_round_trip(tmp_path):
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    path = tmp_path / "d.parquet"
    pq.write_table(pa.Table.from_pylist(RECORDS), path)
    assert read_records(path) == RECORDS


def test_fmt_overrides_the_suffix(tmp_path):
    path = tmp_path / "export.txt"
    path.write_text(_jsonl(RECORDS), encoding="utf-8")
    assert read_records(path, fmt="jsonl") == RECORDS


def test_in_memory_list_and_tuple():
    assert read_records(RECORDS) == RECORDS
    assert read_records(tuple(RECORDS)) == RECORDS
    assert read_records([]) == []


def test_datasets_dataset_and_dataset_dict():
    datasets = pytest.importorskip("datasets")
    train = datasets.Dataset.from_list(RECORDS)
    dev = datasets.Dataset.from_list(RECORDS[:1])
    assert read_records(train) == RECORDS
    splits = datasets.DatasetDict({"train": train, "dev": dev})
    assert read_splits(splits) == {"train": RECORDS, "dev": RECORDS[:1]}
    with pytest.raises(DataError, match="use read_splits"):
        read_records(splits)


def test_read_splits_of_a_path_or_list_is_train(tmp_path):
    path = tmp_path / "d.jsonl"
    path.write_text(_jsonl(RECORDS), encoding="utf-8")
    assert read_splits(path) == {"train": RECORDS}
    assert read_splits(RECORDS) == {"train": RECORDS}


# -- errors --------------------------------------------------------------------------------


def test_missing_file_and_directory(tmp_path):
    with pytest.raises(DataError, match="file not found"):
        read_records(tmp_path / "missing.jsonl")
    folder = tmp_path / "folder.jsonl"
    folder.mkdir()
    with pytest.raises(DataError, match="is a directory"):
        read_records(folder)


@pytest.mark.parametrize(("content", "message"), [(b"", "file is empty$"), (b" \n\n", "only whitespace")])
def test_empty_file(tmp_path, content, message):
    path = tmp_path / "d.jsonl"
    path.write_bytes(content)
    with pytest.raises(DataError, match=message):
        read_records(path)


def test_invalid_json_line_names_the_line(tmp_path):
    lines = [json.dumps({"text": str(i)}) for i in range(16)] + ['{"text": "kapot"']
    path = tmp_path / "d.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"d\.jsonl: line 17: invalid JSON: "):
        read_records(path)


def test_jsonl_line_that_is_not_an_object(tmp_path):
    path = tmp_path / "d.jsonl"
    path.write_text('{"text": "a"}\n["text", "b"]\n', encoding="utf-8")
    with pytest.raises(DataError, match="line 2: expected a JSON object, got an array"):
        read_records(path)


def test_utf16_file(tmp_path):
    path = tmp_path / "d.jsonl"
    path.write_text(_jsonl(RECORDS), encoding="utf-16")  # with a byte-order mark: the one rule reads it
    assert read_records(path) == RECORDS
    path.write_bytes(_jsonl(RECORDS).encode("utf-16-le"))  # without one
    with pytest.raises(DataError, match="NUL bytes.*UTF-16 without a byte-order mark"):
        read_records(path)


def test_latin1_file_names_offset_and_line(tmp_path):
    path = tmp_path / "d.csv"
    path.write_bytes("id,text\n1,a\n2,één\n".encode("latin-1"))
    with pytest.raises(DataError, match=r"not UTF-8 \(byte 0xe9 at offset 14, line 3\); pass an encoding"):
        read_records(path)


def test_json_that_is_not_a_list_of_objects(tmp_path):
    path = tmp_path / "d.json"
    path.write_text('{"text": "a"}', encoding="utf-8")
    with pytest.raises(DataError, match="expected a JSON array of objects, got an object"):
        read_records(path)
    path.write_text('[{"text": "a"}, 3]', encoding="utf-8")
    with pytest.raises(DataError, match="item 1 is a int"):
        read_records(path)
    path.write_text(_jsonl(RECORDS), encoding="utf-8")
    with pytest.raises(DataError, match="line 2: invalid JSON: Extra data.*looks like JSON Lines"):
        read_records(path)


def test_csv_ragged_row_names_the_line(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text("id,text\n1,a\n2,b,extra\n", encoding="utf-8")
    with pytest.raises(DataError, match="line 3: 3 fields, but the header has 2"):
        read_records(path)


@pytest.mark.parametrize(
    ("content", "message"),
    [("\n\n,\n", "no header row"), ("id,,text\n1,2,3\n", "header column 2 has no name"),
     ("id,id\n1,2\n", "header column 'id' appears twice")],
)
def test_csv_header_problems(tmp_path, content, message):
    path = tmp_path / "d.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(DataError, match=message):
        read_records(path)


def test_unreadable_parquet(tmp_path):
    pytest.importorskip("pyarrow")
    path = tmp_path / "d.parquet"
    path.write_bytes(b"this is not parquet")
    with pytest.raises(DataError, match="cannot read Parquet file"):
        read_records(path)


def test_unknown_extension_lists_the_supported_ones(tmp_path):
    path = tmp_path / "d.xls"
    path.write_text("x", encoding="utf-8")
    with pytest.raises(DataError, match=r"unknown extension '\.xls'; supported: \.jsonl, \.ndjson, \.json"):
        read_records(path)
    with pytest.raises(DataError, match="unknown format 'xml'"):
        read_records(path, fmt="xml")


def test_list_item_that_is_not_a_dict():
    with pytest.raises(DataError, match="item 1 is a str, expected a dict"):
        read_records([{"text": "a"}, "b"])


def test_unsupported_source_type():
    with pytest.raises(DataError, match="cannot read records from a int"):
        read_records(42)


def test_data_error_is_a_value_error():
    with pytest.raises(ValueError):
        read_records([1])


# -- field checks --------------------------------------------------------------------------


def test_require_fields_names_field_and_first_record():
    records = [{"text": "a", "label": "x"}, {"text": "b"}, {"text": "c"}]
    require_fields(records, ["text"])
    with pytest.raises(DataError, match=r"train\.jsonl: field 'label' is missing in 2 of 3 records \(first: record 1\)"):
        require_fields(records, ["text", "label"], source="train.jsonl")


@pytest.mark.parametrize(
    ("records", "message"),
    [
        ([{"text": "a"}, {"text": 3}], "record 1: 'text' is a int"),
        ([{"text": ""}], "record 0: 'text' is an empty string"),
        ([{"text": "a"}, {"text": " \n"}], "record 1: 'text' is a blank string"),
        ([{"id": 1}], "record 0: 'text' is missing"),
        ([{"text": None}], "record 0: 'text' is None"),
    ],
)
def test_require_texts_names_the_first_bad_record(records, message):
    with pytest.raises(DataError, match=message):
        require_texts(records)


def test_require_texts_accepts_good_texts():
    require_texts(RECORDS)


def test_dataframe_records_with_missing_cells():
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame({"text": ["a", None, "c"], "n": [1.0, float("nan"), 3.0]})
    assert read_records(frame) == [{"text": "a", "n": 1.0}, {"text": None, "n": None}, {"text": "c", "n": 3.0}]
    with pytest.raises(DataError, match="column names repeat"):
        read_records(pd.DataFrame([[1, 2]], columns=["a", "a"]))


def test_xlsx_records(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    book.active.append(["id", "text", None])
    book.active.append([1, "Kent u het bericht?", None])
    book.active.append([None, None, None])  # a blank row is skipped
    book.active.append([2, "Hoeveel?", None])
    book.save(tmp_path / "d.xlsx")
    assert read_records(tmp_path / "d.xlsx") == [{"id": 1, "text": "Kent u het bericht?"}, {"id": 2, "text": "Hoeveel?"}]
    book.active.append([3, "x", "stray"])
    book.save(tmp_path / "d.xlsx")
    with pytest.raises(DataError, match="row 5: a value right of the last named column"):
        read_records(tmp_path / "d.xlsx")
    (tmp_path / "bad.xlsx").write_bytes(b"PK\x03\x04 not a workbook")
    with pytest.raises(DataError, match="cannot read the workbook"):
        read_records(tmp_path / "bad.xlsx")


def test_iter_records_is_lazy(tmp_path):
    from kvclassify import iter_records

    path = tmp_path / "d.jsonl"
    path.write_text('{"text": "a"}\n{broken\n', encoding="utf-8")
    records = iter_records(path)
    assert next(records) == {"text": "a"}  # the first record comes before the bad line is read
    with pytest.raises(DataError, match="line 2: invalid JSON"):
        next(records)


def test_deeply_nested_json_is_a_data_error(tmp_path):
    path = tmp_path / "d.jsonl"
    path.write_text('{"text": ' + "[" * 100_000 + "]" * 100_000 + "}\n", encoding="utf-8")
    with pytest.raises(DataError, match="nested too deeply"):
        read_records(path)
    path = tmp_path / "d.json"
    path.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    with pytest.raises(DataError, match="nested too deeply"):
        read_records(path)


def test_read_splits_of_a_dict_of_sources(tmp_path):
    path = tmp_path / "t.jsonl"
    path.write_text(_jsonl(RECORDS), encoding="utf-8")
    assert read_splits({"train": path, "test": RECORDS[:1]}) == {"train": RECORDS, "test": RECORDS[:1]}


# -- the missing-value rule and the text rule ------------------------------------------------


def test_is_missing_is_the_one_rule():
    from kvclassify.data import is_missing

    assert [is_missing(v) for v in (None, float("nan"), "", " ", "nan", 0, 0.0, [], False)] == [
        True, True, False, False, False, False, False, False, False]
    np = pytest.importorskip("numpy")
    assert is_missing(np.float32("nan")) and is_missing(np.float64("nan")) and not is_missing(np.float32(1))
    pd = pytest.importorskip("pandas")
    assert is_missing(pd.NA) and is_missing(pd.NaT) and not is_missing(pd.Timestamp("2025-01-01"))


def test_api_and_data_share_the_missing_rule():
    pd = pytest.importorskip("pandas")
    import kvclassify as kv

    texts = pd.Series(["Hoeveel boetes zijn er uitgedeeld?", None], dtype="string")
    results = kv.classify_many(texts, on_missing="skip")
    assert results[0] is not None and results[1] is None
    with pytest.raises(kv.InputError, match=r"1 of 2 texts are missing \(texts\[1\]\)"):
        kv.classify_many(texts)
    frame = pd.DataFrame({"text": texts})
    assert read_records(frame) == [{"text": "Hoeveel boetes zijn er uitgedeeld?"}, {"text": None}]


@pytest.mark.parametrize("suffix", [".csv", ".tsv"])
def test_an_empty_cell_is_a_missing_text_and_a_blank_one_a_text(tmp_path, suffix):
    path = tmp_path / f"d{suffix}"
    sep = "\t" if suffix == ".tsv" else ","
    path.write_text(f"id{sep}text{sep}note\n1{sep}a{sep}\n2{sep}{sep}\n3{sep}  {sep}x\n", encoding="utf-8")
    assert read_records(path, text_field="text") == [
        {"id": "1", "text": "a", "note": ""}, {"id": "2", "text": None, "note": ""}, {"id": "3", "text": "  ", "note": "x"}]
    assert read_records(path)[1]["text"] == ""  # without text_field, values stay strings


def test_json_null_and_nan_are_missing_an_empty_string_is_a_text(tmp_path):
    path = tmp_path / "d.jsonl"
    path.write_text('{"text": null}\n{"text": NaN}\n{"text": ""}\n{"id": 4}\n', encoding="utf-8")
    assert read_records(path, text_field="text") == [{"text": None}, {"text": None}, {"text": ""}, {"id": 4}]


@pytest.mark.parametrize(("value", "kind"), [(5, "int"), (["x"], "list"), ({"a": 1}, "dict"), (True, "bool"),
                                             (1.5, "float")])
def test_a_text_that_is_not_a_string_names_the_record_and_the_type(tmp_path, value, kind):
    for suffix, content in ((".jsonl", _jsonl([{"text": "a"}, {"text": value}])),
                            (".json", json.dumps([{"text": "a"}, {"text": value}]))):
        path = tmp_path / f"d{suffix}"
        path.write_text(content, encoding="utf-8")
        with pytest.raises(DataError, match=rf"d{suffix}: record 2: 'text' must be a str, got {kind}; "):
            read_records(path, text_field="text")
        assert read_records(path)[1]["text"] == value  # other uses of a record set are unchanged
    with pytest.raises(DataError, match=rf"records: record 1: 'text' must be a str, got {kind}"):
        read_records([{"text": value}], text_field="text")


def test_in_memory_records_are_not_changed_by_the_text_rule():
    records = [{"text": float("nan")}]
    assert read_records(records, text_field="text") == [{"text": None}]
    assert records[0]["text"] != records[0]["text"]  # still the caller's NaN


def test_a_parquet_text_column_of_integers_is_refused(tmp_path):
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    path = tmp_path / "d.parquet"
    pq.write_table(pa.table({"text": [7, 8]}), path)
    with pytest.raises(DataError, match="record 1: 'text' must be a str, got int"):
        read_records(path, text_field="text")
    pq.write_table(pa.table({"text": ["a", None, ""]}), path)
    assert read_records(path, text_field="text") == [{"text": "a"}, {"text": None}, {"text": ""}]


def test_xlsx_text_cells(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    for row in (["id", "text"], [1, "a"], [2, None], [3, 42]):
        book.active.append(row)
    book.save(tmp_path / "d.xlsx")
    records = iter_records(tmp_path / "d.xlsx", text_field="text")
    assert [next(records), next(records)] == [{"id": 1, "text": "a"}, {"id": 2, "text": None}]
    with pytest.raises(DataError, match="record 3: 'text' must be a str, got int"):
        next(records)


# -- encodings -----------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["latin-1", "cp1252", "utf-16-le", "utf-16", "utf-32", "cp500"])
@pytest.mark.parametrize("suffix", [".csv", ".tsv", ".jsonl", ".json"])
def test_an_explicit_encoding_reads_every_text_format(tmp_path, encoding, suffix):
    path = tmp_path / f"d{suffix}"
    if suffix in (".csv", ".tsv"):
        expected = [{"id": r["id"], "text": r["text"]} for r in RECORDS]
        buffer = io.StringIO(newline="")
        writer = csv.DictWriter(buffer, ["id", "text"], delimiter="\t" if suffix == ".tsv" else ",")
        writer.writeheader()
        writer.writerows(expected)
        content = buffer.getvalue()
    else:
        content = _jsonl(RECORDS) if suffix == ".jsonl" else json.dumps(RECORDS, ensure_ascii=False)
        expected = RECORDS
    path.write_bytes(content.encode(encoding))
    assert read_records(path, encoding=encoding) == expected
    assert list(iter_records(path, encoding=encoding)) == expected


def test_a_latin1_file_read_by_the_hint(tmp_path):
    path = tmp_path / "d.csv"
    path.write_bytes("id,text\n1,één\n".encode("latin-1"))
    with pytest.raises(DataError, match="pass an encoding, e.g. encoding='latin-1' or, on the command line, "
                                        "--encoding latin-1"):
        read_records(path)
    assert read_records(path, encoding="latin-1") == [{"id": "1", "text": "één"}]
    with pytest.raises(DataError, match=r"not ascii \(byte 0xe9 at offset 10, line 2\)"):
        read_records(path, encoding="ascii")


def test_explicit_utf8_drops_the_byte_order_mark(tmp_path):
    path = tmp_path / "excel.csv"
    path.write_bytes("\ufeffid,text\n1,a\n".encode())
    assert read_records(path, encoding="utf-8") == [{"id": "1", "text": "a"}]


def test_a_wrong_encoding_is_not_read_silently(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text("id,text\n1,a\n", encoding="utf-8")
    with pytest.raises(DataError, match="not utf-32"):
        read_records(path, encoding="utf-32")
    with pytest.raises(DataError, match="header column 1 holds the control character U\\+008C; is the file in the "
                                        "encoding it was read with"):
        read_records(path, encoding="cp500")


@pytest.mark.parametrize(("encoding", "message"), [
    ("nope", "unknown encoding 'nope'"), ("rot13", "'rot13' is not a text encoding"),
    (5, "encoding must be a str such as 'latin-1', got int"), ("a\x00b", "unknown encoding"),
])
def test_a_bad_encoding_is_an_input_error_before_anything_is_read(tmp_path, encoding, message):
    from kvclassify.errors import InputError

    for path in (tmp_path / "d.csv", tmp_path / "missing.jsonl", tmp_path / "d.parquet"):
        path.write_text("id,text\n1,a\n", encoding="utf-8") if path.name == "d.csv" else None
        with pytest.raises(InputError, match=message):
            read_records(path, encoding=encoding)
        with pytest.raises(InputError, match=message):
            next(iter_records(path, encoding=encoding))
    with pytest.raises(InputError, match=message):
        read_records([{"text": "a"}], encoding=encoding)


def test_binary_formats_ignore_the_encoding(tmp_path):
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    pq.write_table(pa.table({"text": ["één"]}), tmp_path / "d.parquet")
    assert read_records(tmp_path / "d.parquet", encoding="cp500") == [{"text": "één"}]


def test_utf16_lines_end_at_newline_only(tmp_path):
    path = tmp_path / "d.jsonl"
    records = [{"text": "een\u2028twee\rdrie"}, {"text": "b"}]
    path.write_bytes(_jsonl(records).encode("utf-16"))  # with a byte-order mark
    assert read_records(path) == records


def test_a_fifo_named_as_a_table_is_refused_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo.csv"
    os.mkfifo(fifo)  # opening it to read would block until a writer comes
    with pytest.raises(DataError, match="not a regular file"):
        read_records(fifo)


def test_a_json_integer_too_long_to_read_is_a_data_error(tmp_path: Path) -> None:
    path = tmp_path / "big.jsonl"
    path.write_text('{"text": "Kent u het bericht?", "n": ' + "9" * 5000 + "}\n", encoding="utf-8")
    with pytest.raises(DataError, match="line 1: a JSON value cannot be read"):
        read_records(path)


def test_iter_records_refuses_what_is_not_a_path() -> None:
    for source in ([{"text": "a"}], 123, None):
        with pytest.raises(DataError, match="iter_records reads a file"):
            next(iter_records(source))  # type: ignore[arg-type]


def test_a_csv_cell_longer_than_the_csv_module_default_is_read(tmp_path: Path) -> None:
    text = "Kent u het bericht? " * 7000  # 140,000 characters: above csv's 131,072
    path = tmp_path / "long.csv"
    path.write_text(f"text,label\n{text},factual\n", encoding="utf-8")
    assert read_records(path) == [{"text": text, "label": "factual"}]
