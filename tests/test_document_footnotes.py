"""Tests of kvclassify.document.footnotes: blocks at page ends, DOCX notes, references in the text."""

from __future__ import annotations

from pathlib import Path

import kvclassify as kv
from kvclassify.document.footnotes import markdown_footnotes, take_references
from kvclassify.document.types import Footnote

FIXTURES = Path(__file__).parent / "fixtures" / "documents"


def _parse(name: str) -> kv.Document:
    return kv.parse_document((FIXTURES / name).read_text(encoding="utf-8"))


def test_footnote_number_glued_to_a_year() -> None:
    doc = _parse("footnote-glued-year.txt")  # "22023 jaarverslag": footnote 2
    assert [(f.number, f.text) for f in doc.footnotes] == [
        (1, "NOS, 1 maart 2025, Munitie raakt op"), (2, "2023 jaarverslag Defensie, hoofdstuk 4")]
    assert [q.footnote_refs for q in doc.questions] == [(1,), (2,)]
    assert doc.questions[1].text == "Klopt het dat de voorraad in 2023 is gehalveerd?"


def test_a_block_whose_first_footnote_is_never_cited() -> None:
    doc = _parse("footnote-first-uncited.txt")
    assert [f.number for f in doc.footnotes] == [1, 2]
    assert doc.questions[1].text == "Klopt het dat de voorraad is gehalveerd?"
    assert doc.questions[1].footnote_refs == (2,)


def test_covid_19_is_no_footnote_reference() -> None:
    doc = _parse("covid-19.txt")
    assert doc.questions[0].text == "Hoeveel mensen zijn in 2024 opgenomen met COVID-19?"
    assert doc.questions[0].footnote_refs == ()
    assert take_references("opgenomen met COVID-19? En op de A12?", {12, 19}) == (
        "opgenomen met COVID-19? En op de A12?", ())


def test_references_leave_the_text_and_stay_on_the_unit() -> None:
    assert take_references("Kent u het bericht?1 2 En «Titel»3? Zie [4] en (5). Een 6:1 ratio", {1, 2, 3, 4, 5}) == (
        "Kent u het bericht? En «Titel»? Zie en. Een 6:1 ratio", (1, 2, 3, 4, 5))
    assert take_references("Kent u dit?7", {1}) == ("Kent u dit?7", ())  # no such footnote


def test_markdown_footnotes_are_cut_off() -> None:
    lines, notes = markdown_footnotes(["Kent u dit?[^1]", "", "--- footnotes ---", "[^1]: NOS,", "1 mei"])
    assert lines == ["Kent u dit?[^1]", ""]
    assert notes == [Footnote(1, "NOS, 1 mei")]
