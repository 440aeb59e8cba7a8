"""Record validation: one path, 1-based record numbers, duplicates and conflicts, soft labels."""

from __future__ import annotations

import pytest

import kvclassify as kv
from kvclassify.records import labels_of, text_key, validate


@pytest.mark.parametrize(("position", "bad", "message"), [
    (0, {"y": "a"}, "record 1 has no field 't'"),
    (3, {"t": "", "y": "a"}, "record 4: field 't' is empty"),
    (5, {"t": ["x"], "y": "a"}, "record 6: field 't' must be a string"),
    (6, {"t": "x", "y": {"a": 1}}, "record 7: label field 'y' must be a string or a list"),
    (2, {"t": "x", "y": "a", "w": -1}, "record 3: weight field 'w' must be a positive number"),
    (7, {"t": "x", "y": "a", "g": {"a": 1}}, "record 8: group field 'g' must be a string or a number"),
])
def test_every_message_names_the_record_by_its_1_based_number(position: int, bad: dict, message: str) -> None:
    records = [{"t": f"tekst {i}", "y": "ab"[i % 2], "w": 1, "g": i} for i in range(8)]
    records[position] = bad
    with pytest.raises(kv.DataError, match=message.replace("(", r"\(")):
        validate(records, "t", ["y"], weight_fields={"y": "w"}, min_examples=1, group_field="g")


def test_duplicates_merge_and_conflicts_follow_the_option() -> None:
    records = [{"t": "Klopt dit?", "y": "a"}, {"t": "klopt  DIT?", "y": "a"}, {"t": "Klopt dit?", "y": "b"},
               {"t": "Anders", "y": "b"}, {"t": "Nog een", "y": "a"}]
    heads, summary = validate(records, "t", ["y"], min_examples=1)
    assert (summary.exact_duplicates, summary.conflicting_texts) == (1, 1) and len(heads["y"].texts) == 4
    heads, _ = validate(records, "t", ["y"], min_examples=1, conflicts="drop")
    assert heads["y"].texts == ["Anders", "Nog een"]
    with pytest.raises(kv.DataError, match="different labels"):
        validate(records, "t", ["y"], min_examples=1, conflicts="error")


@pytest.mark.parametrize("variant", ["KLOPT DIT?", " klopt\tdit? ", "Klopt dit", "Klopt dít?"])
def test_conflicts_are_counted_by_the_merge_s_own_key(variant: str) -> None:
    same = text_key(variant) == text_key("Klopt dit?")
    base = [{"t": "Anders", "y": "b"}, {"t": "Nog een", "y": "a"}]
    _, merged = validate([{"t": "Klopt dit?", "y": "a"}, {"t": variant, "y": "a"}, *base], "t", ["y"], min_examples=1)
    _, conflict = validate([{"t": "Klopt dit?", "y": "a"}, {"t": variant, "y": "b"}, *base], "t", ["y"], min_examples=1)
    # A spelling the merge takes for the same text is a conflict under another label, and only such a spelling.
    assert merged.exact_duplicates == conflict.conflicting_texts == int(same)
    assert conflict.conflict_examples == (("Klopt dit?",) if same else ())  # as written, not as the key


def test_a_record_with_k_labels_weighs_one_in_all() -> None:
    heads, summary = validate([{"t": "a", "y": ["p", "q", "r"]}, {"t": "b", "y": "p"}], "t", ["y"], min_examples=1)
    assert sum(heads["y"].weights[heads["y"].groups == 0]) == pytest.approx(1.0)
    assert summary.counts["y"] == {"p": 1.333, "q": 0.333, "r": 0.333}


def test_records_without_a_label_are_counted_per_field() -> None:
    records = [{"t": "a", "y": "p", "z": None}, {"t": "b", "y": None, "z": "q"}, {"t": "c", "y": "", "z": "r"},
               {"t": "d", "y": [], "z": "q"}, {"t": "e", "y": "s", "z": "r"}]
    heads, summary = validate(records, "t", ["y", "z"], min_examples=1)
    assert summary.unlabelled == {"y": 3, "z": 1} and summary.to_dict()["unlabelled"] == {"y": 3, "z": 1}
    assert heads["y"].texts == ["a", "e"]


@pytest.mark.parametrize("bad", [5, 1.5, float("nan"), True, ["a", 3], ["a", ""], {"a": 1}])
def test_a_label_is_a_string_or_a_list_of_strings(bad: object) -> None:
    with pytest.raises(kv.DataError, match=r"^record 4: label field 'y' must be a string or a list of strings, got "):
        labels_of(bad, "y", "record 4")


@pytest.mark.parametrize("label", ["fact\rual", "a\tb", "x\x1b[31m", ["ok", "n\no"]])
def test_labels_that_do_not_print_are_refused(label: object) -> None:
    # A model file refuses them (schema): training must not write a model that cannot be loaded.
    with pytest.raises(kv.DataError, match="does not print"):
        labels_of(label, "y", "record 1")


@pytest.mark.parametrize(("value", "classes"), [(" feit ", ["feit"]), ("feit\r", ["feit"]), ("  ", []),
                                                (["feit ", " feit", "mening"], ["feit", "mening"])])
def test_white_space_around_a_label_is_not_part_of_it(value: object, classes: list[str]) -> None:
    assert labels_of(value, "y", "record 1") == classes


def test_labels_padded_in_a_spreadsheet_are_one_class() -> None:
    records = [{"t": f"tekst {i}", "y": label} for i, label in enumerate(["feit", " feit ", "feit ", "mening"] * 3)]
    rows, summary = validate(records, "t", ["y"])
    assert sorted(set(rows["y"].labels)) == ["feit", "mening"] and summary.counts["y"] == {"feit": 9.0, "mening": 3.0}


def test_an_identifier_given_as_the_label_is_named_in_linear_time() -> None:
    records = [{"t": f"tekst {i}", "id": f"2024Z{i:05d}"} for i in range(30_000)]
    with pytest.raises(kv.DataError) as caught:
        validate(records, "t", ["id"])
    message = str(caught.value)
    assert "and 29,990 more" in message and "is 'id' an identifier" in message and len(message) < 500
